//! CB030 bbox: every `bbox` in the GeoJSON file matches the coordinates it is about.
//!
//! A `bbox` member (on the FeatureCollection, a Feature or a geometry) tells readers the extent
//! without reading the coordinates; one left over from before an edit makes maps zoom to the
//! wrong place and clients skip the shape. A warning per stale `bbox` (more than 1e-6° off on
//! a side, which allows for rounding), naming its JSON path and the box the coordinates give.
//! A `bbox` that is not 4 or 6 numbers is a warning too. Boxes across the antimeridian
//! (west > east, allowed by RFC 7946) are compared on latitude only.
//!
//! The file's text is only parsed again when it holds a `"bbox"` member.

use serde_json::Value;

use super::{Context, Diagnostic, Finding};
use crate::case::GeoState;

rule! {
    Rule030, "CB030", "bbox", "Every bbox in the GeoJSON file matches the coordinates it covers."
}

/// How far a side may be off (degrees) before the box counts as stale.
const TOLERANCE: f64 = 1e-6;

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let GeoState::Loaded { rel, doc, .. } = ctx.case.geo() else {
        return;
    };
    if !doc.source_text().contains("\"bbox\"") {
        return;
    }
    let text = if doc.is_modified() {
        doc.to_file_text()
    } else {
        doc.source_text().to_string()
    };
    let Ok(root) = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) else {
        return;
    };
    let mut found = Vec::new();
    visit(&root, String::new(), &mut found);
    for (path, problem) in found {
        let at = if path.is_empty() {
            "the file's".to_string()
        } else {
            format!("`{path}`'s")
        };
        let (message, fix) = match problem {
            Problem::Malformed(n) => (
                format!(
                    "`{rel}`: {at} `bbox` has {n} numbers; it needs 4 ([west, south, east, north]) or 6 (with altitudes)"
                ),
                "Remove the bbox (it is optional) or write it as [west, south, east, north]."
                    .to_string(),
            ),
            Problem::Stale { declared, actual } => (
                format!(
                    "`{rel}`: {at} `bbox` is {} but its coordinates span {}; it was not updated after the shape changed",
                    show(&declared),
                    show(&actual)
                ),
                format!(
                    "Remove the bbox (it is optional; Casebook does not update it), or set it to {}.",
                    show(&actual)
                ),
            ),
        };
        out.push(Finding::geometry(CODE).warning(message).with_fix(fix));
    }
}

enum Problem {
    Malformed(usize),
    Stale {
        declared: [f64; 4],
        actual: [f64; 4],
    },
}

fn show(b: &[f64; 4]) -> String {
    format!("[{}, {}, {}, {}]", b[0], b[1], b[2], b[3])
}

/// Checks the `bbox` of `v` (an object at JSON `path`) and of the objects inside it.
fn visit(v: &Value, path: String, out: &mut Vec<(String, Problem)>) {
    let Value::Object(o) = v else { return };
    if let Some(bbox) = o.get("bbox") {
        let numbers: Vec<f64> = bbox
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        let declared = match numbers.as_slice() {
            [w, s, e, n] => Some([*w, *s, *e, *n]),
            [w, s, _, e, n, _] => Some([*w, *s, *e, *n]),
            _ => None,
        };
        match declared {
            None => out.push((
                path.clone(),
                Problem::Malformed(bbox.as_array().map_or(0, Vec::len)),
            )),
            Some(declared) => {
                let mut extent: Option<[f64; 4]> = None;
                positions(v, &mut extent);
                if let Some(actual) = extent
                    && stale(&declared, &actual)
                {
                    out.push((path.clone(), Problem::Stale { declared, actual }));
                }
            }
        }
    }
    let join = |member: &str| {
        if path.is_empty() {
            member.to_string()
        } else {
            format!("{path}.{member}")
        }
    };
    for member in ["features", "geometries"] {
        if let Some(Value::Array(items)) = o.get(member) {
            for (i, item) in items.iter().enumerate() {
                visit(item, format!("{}[{i}]", join(member)), out);
            }
        }
    }
    if let Some(g) = o.get("geometry") {
        visit(g, join("geometry"), out);
    }
}

fn stale(declared: &[f64; 4], actual: &[f64; 4]) -> bool {
    let off = |i: usize| (declared[i] - actual[i]).abs() > TOLERANCE;
    let lat = off(1) || off(3);
    // West > east: a box across the antimeridian; longitudes are not compared.
    if declared[0] > declared[2] {
        return lat;
    }
    lat || off(0) || off(2)
}

/// Grows `extent` ([west, south, east, north]) by every position under `v`.
fn positions(v: &Value, extent: &mut Option<[f64; 4]>) {
    match v {
        Value::Object(o) => {
            for member in ["coordinates", "geometry", "geometries", "features"] {
                if let Some(inner) = o.get(member) {
                    positions(inner, extent);
                }
            }
        }
        Value::Array(items) => {
            if let [Value::Number(x), Value::Number(y), ..] = items.as_slice()
                && let (Some(lon), Some(lat)) = (x.as_f64(), y.as_f64())
            {
                let e = extent.get_or_insert([lon, lat, lon, lat]);
                e[0] = e[0].min(lon);
                e[1] = e[1].min(lat);
                e[2] = e[2].max(lon);
                e[3] = e[3].max(lat);
                return;
            }
            for item in items {
                positions(item, extent);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::geo_check;
    use super::*;
    use crate::checks::Severity;

    const SQUARE: &str = "[[[0,0],[4,0],[4,4],[0,4],[0,0]]]";

    fn fc(bbox: &str, feature_bbox: &str) -> String {
        format!(
            r#"{{"type":"FeatureCollection",{bbox}"features":[{{"type":"Feature",{feature_bbox}"properties":{{}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
        )
    }

    #[test]
    fn matching_boxes_are_quiet() {
        let d = geo_check(
            &Rule030,
            &fc(r#""bbox":[0,0,4,4],"#, r#""bbox":[0.0000001,0,4,4],"#),
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(geo_check(&Rule030, &fc("", "")).is_empty());
    }

    #[test]
    fn stale_and_malformed_boxes_are_warnings() {
        let d = geo_check(&Rule030, &fc(r#""bbox":[0,0,9,9],"#, r#""bbox":[1,2],"#));
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d.iter().all(|x| x.severity == Severity::Warning));
        assert!(
            d[0].message.contains("the file's `bbox` is [0, 0, 9, 9]"),
            "{}",
            d[0].message
        );
        assert!(
            d[0].fix
                .as_deref()
                .is_some_and(|f| f.contains("[0, 0, 4, 4]"))
        );
        assert!(
            d[1].message
                .contains("`features[0]`'s `bbox` has 2 numbers"),
            "{}",
            d[1].message
        );
    }

    #[test]
    fn boxes_across_the_antimeridian_compare_latitudes() {
        let text = r#"{"type":"MultiPolygon","bbox":[179,-17,-179,-16],"coordinates":[[[[179,-17],[180,-17],[180,-16],[179,-17]]],[[[-180,-17],[-179,-17],[-179,-16],[-180,-17]]]]}"#;
        assert!(geo_check(&Rule030, text).is_empty());
    }
}
