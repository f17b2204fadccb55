//! CB027 antimeridian: no ring of the boundary crosses the antimeridian (±180°).
//!
//! An edge whose ends are more than 180° of longitude apart is drawn the long way round the
//! world: an island group across the date line (Fiji, Chukotka, the Aleutians) becomes a band
//! round the globe. RFC 7946 §3.1.9 asks for such shapes to be cut at ±180° into a
//! MultiPolygon. An error, one per ring, at the vertex before the first jump.

use super::util::{self, ShapeFinding};
use super::{Context, Diagnostic, Severity};
use crate::geometry;

rule! {
    Rule027, "CB027", "antimeridian", "No ring of the boundary crosses the antimeridian (cut such shapes at ±180° into a MultiPolygon)."
}

const FINDING: ShapeFinding<'static> = ShapeFinding {
    code: CODE,
    severity: Severity::Error,
    fix: "Cut the shape at 180° into two polygons of a MultiPolygon (RFC 7946 §3.1.9): one with longitudes up to 180, the other from -180 (e.g. ogr2ogr -wrapdateline, or redraw each side on the map).",
};

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    FINDING.in_each_shape(ctx, out, |shape| {
        geometry::antimeridian_crossings(&shape.polygons)
            .into_iter()
            .map(|c| {
                let ring = if c.ring == 0 {
                    format!("the exterior ring of polygon {}", c.polygon + 1)
                } else {
                    format!("hole {} of polygon {}", c.ring, c.polygon + 1)
                };
                let edges = util::plural(c.edges, "edge");
                let what = format!(
                    "{ring} crosses the antimeridian ({edges} with ends more than 180° of longitude apart); maps draw it as a band round the whole world"
                );
                (what, c.at)
            })
    });
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, geo_check, places};
    use super::*;

    #[test]
    fn date_line_ring_is_an_error() {
        let d = geo_check(
            &Rule027,
            r#"{"type":"Polygon","coordinates":[[[179.5,-17],[-179.5,-17],[-179.5,-16],[179.5,-16],[179.5,-17]]]}"#,
        );
        assert_eq!(places(&d), [(Severity::Error, None)]);
        assert_says(&d[0], &["2 edges"]);
        assert_fix(&d[0], "MultiPolygon");
        assert_eq!(d[0].at, Some([179.5, -17.0]));
    }

    #[test]
    fn split_shape_is_quiet() {
        let split = r#"{"type":"MultiPolygon","coordinates":[[[[179.5,-17],[180,-17],[180,-16],[179.5,-16],[179.5,-17]]],[[[-180,-17],[-179.5,-17],[-179.5,-16],[-180,-16],[-180,-17]]]]}"#;
        assert_quiet(&geo_check(&Rule027, split), split);
    }
}
