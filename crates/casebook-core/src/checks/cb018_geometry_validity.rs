//! CB018 geometry-validity: the boundary's polygons are valid.
//!
//! One diagnostic per issue [`GeoDocument::issues`] finds (self-intersections, rings with too
//! few positions, unclosed rings, coordinates out of range, suspected `[lat, lon]` order, ring
//! winding), with the geometry module's severity (errors for what other tools reject,
//! warnings for what saving repairs, info for winding) and the first marked position as the
//! map location. Ring winding (info) is one diagnostic per file with the number of rings, as
//! many files wind every ring the other way. A file without any geometry is a warning; one with only points or lines is
//! info. Lines in the GeoJSON file are not known (the reader does not keep them), so the line
//! is `None`; messages name the shape by its JSON path when the file has several.
//!
//! Automatic fixes ([`Fix`]): the winding diagnostic reverses the rings wound against RFC 7946
//! (the exact reverse of their positions, so the file keeps its line count and byte length);
//! an open ring's diagnostic closes the open rings of its shape.

use super::{Context, Diagnostic, Finding, Fix, Severity};
use crate::case::GeoState;
use crate::geometry::{self, GeoDocument, GeometryEdit, IssueKind};

rule! {
    Rule018, "CB018", "geometry-validity", "The boundary's polygons are closed, simple, in range and in [lon, lat] order."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let GeoState::Loaded { rel, doc, .. } = ctx.case.geo() else {
        return;
    };
    if doc.shapes().is_empty() {
        let (severity, message, fix) = if doc.others().is_empty() {
            (
                Severity::Warning,
                format!("`{rel}` holds no geometry, so the case's map is empty"),
                "Draw the project's boundary on the map and save.",
            )
        } else {
            (
                Severity::Info,
                format!("`{rel}` has points or lines but no polygon, so no area is drawn"),
                "Draw the project's boundary as a polygon on the map if it has one.",
            )
        };
        out.push(
            Finding::geometry(CODE)
                .report(severity, message)
                .with_fix(fix),
        );
        return;
    }
    let mut winding = 0usize;
    for issue in doc.issues() {
        if matches!(
            issue.kind,
            IssueKind::ExteriorClockwise | IssueKind::HoleCounterClockwise
        ) {
            winding += 1;
            continue;
        }
        let severity = match issue.kind.severity() {
            geometry::Severity::Error => Severity::Error,
            geometry::Severity::Warning => Severity::Warning,
            geometry::Severity::Info => Severity::Info,
        };
        let mut d = Finding::geometry(CODE)
            .report(
                severity,
                format!("`{rel}`{}: {}", shape_name(doc, issue.shape), issue.message),
            )
            .with_fix(fix_for(issue.kind));
        if issue.kind == IssueKind::RingNotClosed {
            d = d.with_auto(Fix::Geometry {
                edit: GeometryEdit::CloseRings {
                    shape: issue.shape,
                    close: true,
                },
                label: "Close the open rings".to_string(),
            });
        }
        if let Some(p) = issue.points.first()
            && p.is_finite()
        {
            d = d.at(p.lon, p.lat);
        }
        out.push(d);
    }
    if winding > 0 {
        let rings = if winding == 1 {
            "1 ring is".to_string()
        } else {
            format!("{winding} rings are")
        };
        let them = if winding == 1 { "it" } else { "them" };
        let mut d = Finding::geometry(CODE)
            .info(format!(
                "`{rel}`: {rings} wound against RFC 7946 (exteriors should run counter-clockwise, holes clockwise); maps draw {them} anyway"
            ))
            .with_fix(fix_for(IssueKind::ExteriorClockwise));
        if let Some(edit) = doc.winding_fix() {
            d = d.with_auto(Fix::Geometry {
                edit,
                label: format!(
                    "Reverse {winding} ring{}",
                    if winding == 1 { "" } else { "s" }
                ),
            });
        }
        out.push(d);
    }
}

/// ` (features[2].geometry)` when the file has several shapes.
fn shape_name(doc: &GeoDocument, shape: usize) -> String {
    if doc.shapes().len() < 2 {
        return String::new();
    }
    match doc.shape(shape).map(|s| s.location().json_path()) {
        Some(p) if !p.is_empty() => format!(" ({p})"),
        _ => format!(" (shape {})", shape + 1),
    }
}

fn fix_for(kind: IssueKind) -> &'static str {
    match kind {
        IssueKind::EmptyShape | IssueKind::EmptyPolygon => {
            "Delete the empty shape, or draw its polygon on the map."
        }
        IssueKind::TooFewPositions | IssueKind::TooFewDistinct => {
            "Delete the degenerate ring, or add vertices so it encloses an area."
        }
        IssueKind::RingNotClosed => {
            "Close it: Casebook adds the closing position, the first one repeated (one click, or `casebook fix --only CB018`)."
        }
        IssueKind::SelfIntersection => {
            "Move the marked vertices so that the outline does not cross itself."
        }
        IssueKind::LonOutOfRange | IssueKind::LatOutOfRange => {
            "Correct the marked positions: longitude within ±180, latitude within ±90, in decimal degrees."
        }
        IssueKind::SuspectedSwappedAxes => {
            "Exchange the coordinates of every position: GeoJSON stores [longitude, latitude]."
        }
        IssueKind::ExteriorClockwise | IssueKind::HoleCounterClockwise => {
            "Reverse them (one click, or `casebook fix --only CB018`): the file keeps its layout, size and line count."
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::util::testing::{doc, messages, run_in};
    use super::*;
    use crate::checks::Target;

    fn check(geojson: &str) -> Vec<Diagnostic> {
        let Ok(tmp) = tempfile::tempdir() else {
            panic!("tmp")
        };
        if fs::write(tmp.path().join("b.geojson"), geojson).is_err() {
            panic!("write");
        }
        run_in(
            &Rule018,
            tmp.path(),
            &doc("title: T\ngeography: ./b.geojson", ""),
            "case-study",
        )
    }

    #[test]
    fn valid_polygon_is_quiet() {
        let d = check(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#);
        assert!(d.is_empty(), "{:?}", messages(&d));
    }

    #[test]
    fn bow_tie_is_marked() {
        let d = check(r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#);
        let x = d.iter().find(|x| x.message.contains("crosses itself"));
        let Some(x) = x else {
            panic!("{:?}", messages(&d))
        };
        assert_eq!(x.severity, Severity::Error);
        assert_eq!(x.target, Target::Geometry);
        assert_eq!(x.line, None);
        let Some([lon, lat]) = x.at else {
            panic!("no location")
        };
        assert!((lon - 0.5).abs() < 1e-9 && (lat - 0.5).abs() < 1e-9);
    }

    #[test]
    fn unclosed_swapped_and_small() {
        let d = check(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#);
        assert!(
            d.iter()
                .any(|x| x.message.contains("not closed") && x.severity == Severity::Warning),
            "{:?}",
            messages(&d)
        );
        let d = check(
            r#"{"type":"Polygon","coordinates":[[[40.1,120.1],[40.2,120.1],[40.2,120.2],[40.1,120.1]]]}"#,
        );
        assert!(
            d.iter().any(|x| x.message.contains("[lat, lon]")),
            "{:?}",
            messages(&d)
        );
        let d = check(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#);
        assert!(
            d.iter().any(|x| x.severity == Severity::Error),
            "{:?}",
            messages(&d)
        );
    }

    #[test]
    fn winding_is_one_info() {
        let cw = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[0,1],[1,1],[1,0],[0,0]]],[[[5,5],[5,6],[6,6],[6,5],[5,5]]]]}"#;
        let d = check(cw);
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert_eq!(d[0].severity, Severity::Info);
        assert!(d[0].message.contains("2 rings are wound"));
        let Some(Fix::Geometry { edit, label }) = &d[0].auto else {
            panic!("no automatic fix: {:?}", d[0])
        };
        assert_eq!(label, "Reverse 2 rings");
        let Ok(mut doc) = GeoDocument::parse(cw) else {
            panic!("parse")
        };
        if let Err(e) = doc.apply(edit.clone()) {
            panic!("{e}");
        }
        assert!(doc.winding_fix().is_none());
        // The exact reverse: same length, the first position first.
        let fixed = doc.to_file_text();
        assert_eq!(fixed.len(), cw.len());
        assert!(
            fixed.starts_with(
                r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]]"#
            ),
            "{fixed}"
        );
    }

    #[test]
    fn open_rings_can_be_closed() {
        let open = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#;
        let d = check(open);
        let Some(x) = d.iter().find(|x| x.message.contains("not closed")) else {
            panic!("{:?}", messages(&d))
        };
        let Some(Fix::Geometry { edit, .. }) = &x.auto else {
            panic!("no automatic fix")
        };
        let Ok(mut doc) = GeoDocument::parse(open) else {
            panic!("parse")
        };
        if let Err(e) = doc.apply(edit.clone()) {
            panic!("{e}");
        }
        assert_eq!(
            doc.to_file_text(),
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#
        );
    }

    #[test]
    fn empty_files() {
        let d = check(r#"{"type":"FeatureCollection","features":[]}"#);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("no geometry"));
        let d = check(r#"{"type":"Point","coordinates":[1,2]}"#);
        assert_eq!(d[0].severity, Severity::Info);
    }
}
