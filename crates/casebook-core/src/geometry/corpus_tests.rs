//! Tests over the real atlas corpus: every `.geojson` parses, unedited writes are byte-identical,
//! and moving one vertex changes only that coordinate.
//!
//! The corpus path comes from `CASEBOOK_CORPUS`; without it these tests print a note and pass.
//! Run the timing report with
//! `cargo test --release -p casebook-core --lib geometry::corpus_tests::timing -- --ignored --nocapture`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// All `.geojson` files under `$CASEBOOK_CORPUS`, sorted; `None` (with a note) when unset.
fn corpus_files() -> Option<Vec<PathBuf>> {
    let Some(root) = std::env::var_os("CASEBOOK_CORPUS") else {
        eprintln!("note: CASEBOOK_CORPUS is not set; skipping the geometry corpus test");
        return None;
    };
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("geojson"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[test]
fn every_corpus_file_parses_and_writes_back_byte_identical() -> TestResult {
    let Some(files) = corpus_files() else {
        return Ok(());
    };
    assert!(!files.is_empty(), "CASEBOOK_CORPUS has no .geojson file");
    let mut failures = Vec::new();
    for path in &files {
        let text = read(path)?;
        match GeoDocument::parse(&text) {
            Ok(doc) => {
                assert!(!doc.is_modified());
                assert_eq!(doc.to_file_text(), text, "{}", path.display());
                // Analysis runs on everything without trouble.
                let _ = (doc.area(), doc.centroid(), doc.bbox(), doc.issues());
            }
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "files that failed to parse:\n{}",
        failures.join("\n")
    );
    Ok(())
}

/// The value at a shape's location in a parsed GeoJSON value.
fn geometry_value<'a>(root: &'a Value, location: &ShapeLocation) -> Option<&'a Value> {
    let mut g = match location.feature {
        Some(i) => root.get("features")?.get(i)?.get("geometry")?,
        None if root.get("type")? == "Feature" => root.get("geometry")?,
        None => root,
    };
    for i in &location.collection_path {
        g = g.get("geometries")?.get(*i)?;
    }
    Some(g)
}

/// The rings of polygon `p` of a geometry value.
fn rings_of(geometry: &Value, p: usize) -> Option<&Vec<Value>> {
    let coords = geometry.get("coordinates")?;
    match geometry.get("type")?.as_str()? {
        "Polygon" => coords.as_array(),
        _ => coords.get(p)?.as_array(),
    }
}

fn reversed_keeping_first(ring: &[Value]) -> Vec<Value> {
    // Closed ring [a, b, c, a] reversed as the writer does: [a, c, b, a].
    let mut out = ring.to_vec();
    if out.len() > 2 {
        out[1..ring.len() - 1].reverse();
    }
    out
}

/// Twice the signed area of a closed ring of `[lon, lat]` values.
fn signed_area2(ring: &[Value]) -> f64 {
    let pts: Vec<(f64, f64)> = ring
        .iter()
        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect();
    pts.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum()
}

#[test]
fn moving_one_vertex_changes_only_that_coordinate() -> TestResult {
    let Some(files) = corpus_files() else {
        return Ok(());
    };
    let mut edited = 0;
    for path in &files {
        let text = read(path)?;
        let Ok(mut doc) = GeoDocument::parse(&text) else {
            continue;
        };
        let Some(shape) = doc.shapes().first() else {
            continue;
        };
        let location = shape.location().clone();
        let Some(ring) = shape.polygons.first().and_then(|p| p.rings.first()) else {
            continue;
        };
        let Some(old) = ring.get(1).copied() else {
            continue;
        };
        let to = LonLat::new(old.lon + 0.000_123, old.lat - 0.000_045).rounded6();
        doc.apply(GeometryEdit::MoveVertex {
            at: VertexRef::new(0, 0, 0, 1),
            to,
        })?;
        let written = doc.to_file_text();
        let name = path.display();
        let before: Value = serde_json::from_str(&text)?;
        let after: Value = serde_json::from_str(&written)
            .map_err(|e| format!("{name}: written text is not JSON: {e}"))?;

        // Everything outside the edited geometry is equal.
        if let (Some(fb), Some(fa)) = (before.get("features"), after.get("features")) {
            let (fb, fa) = (
                fb.as_array().ok_or("features")?,
                fa.as_array().ok_or("features")?,
            );
            assert_eq!(fb.len(), fa.len(), "{name}");
            for (i, (b, a)) in fb.iter().zip(fa).enumerate() {
                if Some(i) == location.feature {
                    assert_eq!(b.get("properties"), a.get("properties"), "{name}");
                    assert_eq!(b.get("id"), a.get("id"), "{name}");
                } else {
                    assert_eq!(b, a, "{name}: feature {i} changed");
                }
            }
        }
        // The edited ring equals the original with one position changed (modulo winding).
        let gb = geometry_value(&before, &location).ok_or("no geometry before")?;
        let ga = geometry_value(&after, &location).ok_or("no geometry after")?;
        assert_eq!(gb.get("type"), ga.get("type"), "{name}");
        let rb = rings_of(gb, 0).ok_or("rings")?;
        let ra = rings_of(ga, 0).ok_or("rings")?;
        assert_eq!(rb.len(), ra.len(), "{name}");
        let mut expected = rb[0].as_array().ok_or("ring")?.clone();
        expected[1] = serde_json::json!([to.lon, to.lat]);
        if signed_area2(&expected) < 0.0 {
            expected = reversed_keeping_first(&expected);
        }
        assert_eq!(ra[0].as_array().ok_or("ring")?, &expected, "{name}");
        // RFC 7946: closed rings, exterior counter-clockwise, holes clockwise.
        for (r, ring) in ra.iter().enumerate() {
            let ring = ring.as_array().ok_or("ring")?;
            assert_eq!(ring.first(), ring.last(), "{name}: ring {r} not closed");
            // Degenerate rings (no area, e.g. all positions equal) have no winding.
            let area = signed_area2(ring);
            assert!(
                area == 0.0 || (area > 0.0) == (r == 0),
                "{name}: ring {r} winding"
            );
        }
        // Other polygons of the same shape are untouched (up to winding).
        let polygons = gb
            .get("coordinates")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if gb.get("type").and_then(Value::as_str) == Some("MultiPolygon") {
            for p in 1..polygons {
                let (pb, pa) = (
                    rings_of(gb, p).ok_or("rings")?,
                    rings_of(ga, p).ok_or("rings")?,
                );
                for (b, a) in pb.iter().zip(pa) {
                    let b = b.as_array().ok_or("ring")?;
                    let a = a.as_array().ok_or("ring")?;
                    assert!(
                        a == b || *a == reversed_keeping_first(b),
                        "{name}: polygon {p}"
                    );
                }
            }
        }
        // And it reads back.
        let reread = GeoDocument::parse(&written)?;
        assert_eq!(reread.shapes().len(), doc.shapes().len(), "{name}");
        assert_eq!(reread.vertex_count(), doc.vertex_count(), "{name}");
        edited += 1;
    }
    assert!(edited > 0);
    Ok(())
}

/// The largest corpus file, if any.
fn largest() -> Option<(PathBuf, String)> {
    let files = corpus_files()?;
    let path = files
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()))?;
    let text = std::fs::read_to_string(&path).ok()?;
    Some((path, text))
}

/// A synthetic MultiPolygon file of `n` vertices (wobbly circles), to time beyond the corpus.
fn synthetic(n: usize) -> String {
    let per = 5000.min(n);
    let count = n / per;
    let polygons: Vec<Polygon> = (0..count)
        .map(|k| {
            Polygon::from_exterior(
                (0..per)
                    .map(|i| {
                        let a = i as f64 / per as f64 * std::f64::consts::TAU;
                        let r = 0.01 * (1.0 + 0.02 * ((i * 7919 % 13) as f64 / 13.0));
                        LonLat::new(-75.0 + k as f64 * 0.03 + r * a.cos(), 40.0 + r * a.sin())
                    })
                    .collect(),
            )
        })
        .collect();
    let mut doc = GeoDocument::new_empty();
    let _ = doc.apply(GeometryEdit::AddShape { polygons });
    doc.to_file_text()
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    eprintln!(
        "  {label:<44} {:>9.2} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

#[test]
#[ignore = "timing report; run in release with --ignored --nocapture"]
fn timing() -> TestResult {
    let mut inputs: Vec<(String, String)> = Vec::new();
    if let Some((path, text)) = largest() {
        inputs.push((path.display().to_string(), text));
    }
    inputs.push(("synthetic 50k vertices".to_string(), synthetic(50_000)));
    inputs.push(("synthetic 1M vertices".to_string(), synthetic(1_000_000)));
    for (name, text) in inputs {
        eprintln!("{name} ({} bytes)", text.len());
        let _ = time("serde_json::from_str::<Value>", || {
            serde_json::from_str::<Value>(&text)
        })?;
        let doc = time("GeoDocument::parse", || GeoDocument::parse(&text))?;
        eprintln!("  vertices: {}", doc.vertex_count());
        let _ = time("to_file_text (unmodified)", || doc.to_file_text());
        let _ = time("issues (incl. self-intersections)", || doc.issues());
        let _ = time("geodesic area", || doc.area());
        let _ = time("centroid", || doc.centroid());
        let _ = time("simplify_edit(1e-4)", || doc.simplify_edit(1e-4));
        let mut edited = doc.clone();
        let _ = time("apply MoveVertex", || {
            edited.apply(GeometryEdit::MoveVertex {
                at: VertexRef::new(0, 0, 0, 1),
                to: LonLat::new(-75.0, 40.0),
            })
        })?;
        let _ = time("to_file_text (edited)", || edited.to_file_text());
    }
    Ok(())
}

#[test]
#[ignore = "report; run with --ignored --nocapture"]
fn issue_report() -> TestResult {
    let Some(files) = corpus_files() else {
        return Ok(());
    };
    for path in &files {
        let doc = GeoDocument::parse(&read(path)?)?;
        let issues = doc.issues();
        let kinds: Vec<String> = issues
            .iter()
            .map(|i| format!("{}@{}.{:?}.{:?}", i.kind.code(), i.shape, i.polygon, i.ring))
            .collect();
        eprintln!(
            "{}: {} shapes, {} others, {} vertices, area {:?} km2; {}",
            path.display(),
            doc.shapes().len(),
            doc.others().len(),
            doc.vertex_count(),
            doc.area().map(|a| (a.km2() * 1000.0).round() / 1000.0),
            if kinds.is_empty() {
                "ok".to_string()
            } else {
                kinds.join(", ")
            }
        );
    }
    Ok(())
}
