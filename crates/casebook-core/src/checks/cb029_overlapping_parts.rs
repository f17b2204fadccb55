//! CB029 overlapping-parts: the parts of a MultiPolygon do not overlap.
//!
//! Parts whose outlines cross or run along each other, or one inside another, make an area
//! that GeoJSON readers count twice (or, with even-odd filling, not at all). A warning per
//! pair of parts, at a point where they meet. Parts of different features are not compared.

use super::util::ShapeFinding;
use super::{Context, Diagnostic, Severity};
use crate::geometry;

rule! {
    Rule029, "CB029", "overlapping-parts", "The parts of a MultiPolygon do not overlap or share edges."
}

const FINDING: ShapeFinding<'static> = ShapeFinding {
    code: CODE,
    severity: Severity::Warning,
    fix: "Merge the two parts into one polygon, or move the marked outline so they only meet at single points.",
};

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    FINDING.in_each_shape(ctx, out, |shape| {
        let overlaps = if shape.polygons.len() < 2 {
            Vec::new()
        } else {
            geometry::overlapping_parts(&shape.polygons)
        };
        overlaps.into_iter().map(|o| {
            let what = format!(
                "polygons {} and {} of the MultiPolygon overlap or share an edge, so that area is counted twice",
                o.a + 1,
                o.b + 1
            );
            (what, o.at)
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, geo_check, places};
    use super::*;

    #[test]
    fn overlapping_parts_are_a_warning() {
        let d = geo_check(
            &Rule029,
            r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[4,0],[4,4],[0,4],[0,0]]],[[[2,2],[6,2],[6,6],[2,6],[2,2]]],[[[10,0],[11,0],[11,1],[10,0]]]]}"#,
        );
        assert_eq!(places(&d), [(Severity::Warning, None)]);
        assert_says(&d[0], &["polygons 1 and 2"]);
    }

    #[test]
    fn separate_parts_are_quiet() {
        let apart = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,3],[2,2]]]]}"#;
        assert_quiet(&geo_check(&Rule029, apart), apart);
    }
}
