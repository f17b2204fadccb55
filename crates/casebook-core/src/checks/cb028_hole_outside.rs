//! CB028 hole-outside: every hole of a polygon lies inside its exterior ring.
//!
//! A hole outside its shell cuts nothing out; validators reject the polygon and some maps
//! fill the hole as an extra area. A warning, one per hole, at a vertex of the hole. (Holes
//! that cross the exterior ring are self-intersections, CB018's.)

use super::util::ShapeFinding;
use super::{Context, Diagnostic, Severity};
use crate::case::GeoState;
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
    let GeoState::Loaded { rel, doc, .. } = ctx.case.geo() else {
        return;
    };
    for (s, shape) in doc.shapes().iter().enumerate() {
        for h in geometry::holes_outside(&shape.polygons) {
            let what = format!(
                "hole {} of polygon {} lies outside the polygon's exterior ring, so it cuts nothing out",
                h.ring,
                h.polygon + 1
            );
            out.push(FINDING.diagnostic(rel, doc, s, &what, h.at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::geo_check;
    use super::*;

    #[test]
    fn hole_outside_is_a_warning() {
        let d = geo_check(
            &Rule028,
            r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[10,10],[10,11],[11,11],[11,10],[10,10]]]}"#,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].message.contains("hole 1 of polygon 1"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn hole_inside_is_quiet() {
        let d = geo_check(
            &Rule028,
            r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,2],[2,2],[2,1],[1,1]]]}"#,
        );
        assert!(d.is_empty(), "{d:?}");
    }
}
