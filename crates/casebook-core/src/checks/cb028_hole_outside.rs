//! CB028 hole-outside: every hole of a polygon lies inside its exterior ring.
//!
//! A hole outside its shell cuts nothing out; validators reject the polygon and some maps
//! fill the hole as an extra area. A warning, one per hole, at a vertex of the hole. (Holes
//! that cross the exterior ring are self-intersections, CB018's.)

use super::util::ShapeFinding;
use super::{Context, Diagnostic, Severity};
use crate::geometry;

rule! {
    Rule028, "CB028", "hole-outside", "Every hole of a polygon lies inside its exterior ring."
}

const FINDING: ShapeFinding<'static> = ShapeFinding {
    code: CODE,
    severity: Severity::Warning,
    fix: "Delete the hole, or if it is an area of its own, make it a separate polygon of a MultiPolygon.",
};

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    FINDING.in_each_shape(ctx, out, |shape| {
        geometry::holes_outside(&shape.polygons).into_iter().map(|h| {
            let what = format!(
                "hole {} of polygon {} lies outside the polygon's exterior ring, so it cuts nothing out",
                h.ring,
                h.polygon + 1
            );
            (what, h.at)
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, geo_check, places};
    use super::*;

    #[test]
    fn hole_outside_is_a_warning() {
        let d = geo_check(
            &Rule028,
            r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[10,10],[10,11],[11,11],[11,10],[10,10]]]}"#,
        );
        assert_eq!(places(&d), [(Severity::Warning, None)]);
        assert_says(&d[0], &["hole 1 of polygon 1"]);
    }

    #[test]
    fn hole_inside_is_quiet() {
        let inside = r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,2],[2,2],[2,1],[1,1]]]}"#;
        assert_quiet(&geo_check(&Rule028, inside), inside);
    }
}
