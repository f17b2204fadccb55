//! CB009 centroid-near-geography: the centroid is on or near the boundary drawn in the
//! geography file.
//!
//! "Near" is inside the geometry's bounding box grown by 20 % of its size on each side plus
//! 2 km, so a pin at the middle of a city for a district plan, or just outside a thin
//! waterfront, passes. Farther is a warning saying how far from the box, with the geometry's
//! own centre as the suggestion. Skipped without a loaded geometry, with coordinates out of
//! range (CB007, CB018 report those), and when CB007 reports exchanged axes.

use super::util::{self, format_centroid};
use super::{Context, Diagnostic, Finding};
use crate::case::GeoState;
use crate::geometry::{self, BoundingBox};

rule! {
    Rule009, "CB009", "centroid-near-geography", "The centroid lies inside or near the boundary drawn in the geography file." => finding
}

const KEY: &str = "centroid";
/// Km per degree of latitude.
const KM_PER_DEGREE: f64 = 111.32;

fn finding(ctx: &Context<'_>) -> Option<Diagnostic> {
    let doc = ctx.case.doc();
    let GeoState::Loaded { rel, doc: geo, .. } = ctx.case.geo() else {
        return None;
    };
    let c = util::centroid(doc)?;
    if util::swapped_in_country(doc, c) {
        return None;
    }
    let b = geo.bbox()?;
    if !b.min.is_in_range() || !b.max.is_in_range() {
        return None;
    }
    let grown = grow(b);
    if (grown.min.lon..=grown.max.lon).contains(&c.lon)
        && (grown.min.lat..=grown.max.lat).contains(&c.lat)
    {
        return None;
    }
    let near_lon = c.lon.max(b.min.lon).min(b.max.lon);
    let near_lat = c.lat.max(b.min.lat).min(b.max.lat);
    let km = util::distance_km(c.lon, c.lat, near_lon, near_lat);
    let middle = geometry::centroid(geo.all_polygons()).unwrap_or_else(|| b.center());
    let mut d = Finding::key(CODE, doc, KEY)
        .warning(format!(
            "`{KEY}` {} is about {} from the boundary in `{rel}`",
            format_centroid(c.lat, c.lon),
            if km < 10.0 { format!("{km:.1} km") } else { format!("{} km", km.round()) }
        ))
        .with_fix(format!(
            "Check the centroid and the geography file: if the boundary is right, set the centroid to its middle, {}.",
            format_centroid(middle.lat, middle.lon)
        ));
    if middle.is_in_range() {
        d = d.with_suggestion(format_centroid(middle.lat, middle.lon));
    }
    Some(d)
}

/// The box grown by 20 % of its size on each side plus 2 km.
fn grow(b: BoundingBox) -> BoundingBox {
    let mid_lat = ((b.min.lat + b.max.lat) / 2.0).to_radians();
    let km_lat = 2.0 / KM_PER_DEGREE;
    let km_lon = 2.0 / (KM_PER_DEGREE * mid_lat.cos().max(0.01));
    let dlon = (b.max.lon - b.min.lon) * 0.2 + km_lon;
    let dlat = (b.max.lat - b.min.lat) * 0.2 + km_lat;
    BoundingBox {
        min: geometry::LonLat::new(b.min.lon - dlon, b.min.lat - dlat),
        max: geometry::LonLat::new(b.max.lon + dlon, b.max.lat + dlat),
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{doc, run_in};
    use super::*;
    use crate::checks::Severity;

    const SQUARE: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-3.71,40.41],[-3.69,40.41],[-3.69,40.43],[-3.71,40.43],[-3.71,40.41]]]}}]}"#;

    fn with_geo(centroid: &str, geojson: Option<&str>) -> Vec<Diagnostic> {
        let Ok(tmp) = tempfile::tempdir() else {
            panic!("tmp")
        };
        if let Some(g) = geojson
            && std::fs::write(tmp.path().join("b.geojson"), g).is_err()
        {
            panic!("write");
        }
        run_in(
            &Rule009,
            tmp.path(),
            &doc(
                &format!(
                    "title: T\ncountry_code: ESP\ncentroid: {centroid}\ngeography: ./b.geojson"
                ),
                "",
            ),
            "case-study",
        )
    }

    #[test]
    fn inside_or_near_is_quiet() {
        assert!(with_geo("[40.42, -3.70]", Some(SQUARE)).is_empty());
        // 1 km north of the box: within 20 % + 2 km.
        assert!(with_geo("[40.44, -3.70]", Some(SQUARE)).is_empty());
        // No geometry, no check.
        assert!(with_geo("[41.39, 2.17]", None).is_empty());
    }

    #[test]
    fn far_says_how_far_and_suggests_the_middle() {
        // Barcelona's centroid with a Madrid boundary.
        let d = with_geo("[41.39, 2.17]", Some(SQUARE));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("km from the boundary in `./b.geojson`"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].line, Some(4));
        assert_eq!(d[0].suggestion.as_deref(), Some("[40.42, -3.7]"));
        assert_eq!(d[0].severity, Severity::Warning);
    }
}
