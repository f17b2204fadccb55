//! Tests over the real atlas corpus: every `.geojson` parses, unedited writes are byte-identical,
//! and, with every file re-serialised in each of the five styles the atlas has, moving one
//! vertex changes only that position's text and reversing rings (CB018's fix) keeps the line
//! count and byte length.
//!
//! The corpus path comes from `CASEBOOK_CORPUS`; without it these tests print a note and pass.
//! Run the timing report with
//! `cargo test --release -p casebook-core --lib geometry::corpus_tests::timing -- --ignored --nocapture`.

#[path = "../../tests/support/corpus.rs"]
mod corpus_support;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use super::test_edits::move_to;
use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// All `.geojson` files under `$CASEBOOK_CORPUS`, sorted; `None` (with a note) when unset.
fn corpus_files() -> Option<Vec<PathBuf>> {
    let root = corpus_support::corpus("the geometry corpus test")?;
    let files = corpus_support::files_under(&root)
        .into_iter()
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("geojson"))
        })
        .collect();
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

/// The bytes that differ between two texts: the range in each between their common prefix
/// and common suffix.
pub(super) fn diff_region(a: &str, b: &str) -> (Range<usize>, Range<usize>) {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - pre;
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (pre..a.len() - suf, pre..b.len() - suf)
}

/// Whether `region` of `text` lies inside one innermost array (a position): no bracket or
/// brace in it, `[` the nearest one before it and `]` the nearest one after it.
pub(super) fn inside_one_position(text: &str, region: &Range<usize>) -> bool {
    let b = text.as_bytes();
    let bracket = |c: &&u8| matches!(**c, b'[' | b']' | b'{' | b'}');
    let (Some(inside), Some(before), Some(after)) = (
        b.get(region.clone()),
        b.get(..region.start),
        b.get(region.end..),
    ) else {
        return false;
    };
    !inside.iter().any(|c| bracket(&c))
        && before.iter().rev().find(bracket) == Some(&b'[')
        && after.iter().find(bracket) == Some(&b']')
}

/// A few shapes of a document to edit: all of them when there are few.
fn sample_shapes(n: usize) -> Vec<usize> {
    let mut picks: Vec<usize> = if n <= 6 {
        (0..n).collect()
    } else {
        vec![0, 1, n / 3, n / 2, 2 * n / 3, n - 1]
    };
    picks.dedup();
    picks
}

/// Every corpus file in each of the five styles (see [`test_styles`]).
fn corpus_in_five_styles() -> Result<Option<Vec<(String, String)>>, String> {
    let Some(files) = corpus_files() else {
        return Ok(None);
    };
    assert!(!files.is_empty(), "CASEBOOK_CORPUS has no .geojson file");
    let mut out = Vec::new();
    for path in &files {
        let text = read(path)?;
        for (style, styled) in test_styles::five_styles(&text)? {
            out.push((format!("{} ({style})", path.display()), styled));
        }
    }
    Ok(Some(out))
}

/// Reads `out` (the text written for `edited`, from the file `name`) and checks that it holds
/// the edited shapes; returns what was read.
fn reads_back_as(out: &str, edited: &GeoDocument, name: &str) -> Result<GeoDocument, GeoError> {
    let again = GeoDocument::parse(out)?;
    for (x, y) in again.shapes().iter().zip(edited.shapes()) {
        assert_eq!(x.polygons, y.polygons, "{name}");
    }
    Ok(again)
}

/// Runs `each` on every corpus file in each of the five styles (name, text); it returns how
/// many of `what` it checked there, and over all files that must be at least one. Without a
/// corpus there is nothing to run.
fn over_styled_corpus(
    what: &str,
    mut each: impl FnMut(&str, &str) -> Result<usize, Box<dyn std::error::Error>>,
) -> TestResult {
    let Some(inputs) = corpus_in_five_styles()? else {
        return Ok(());
    };
    let mut n = 0;
    for (name, text) in &inputs {
        n += each(name, text)?;
    }
    eprintln!("{n} {what} over {} files × styles", inputs.len());
    assert!(n > 0, "no {what}");
    Ok(())
}

#[test]
fn moving_one_vertex_changes_only_that_position_in_every_style() -> TestResult {
    over_styled_corpus("vertex moves", |name, text| {
        let mut moved = 0;
        let doc = GeoDocument::parse(text).map_err(|e| format!("{name}: {e}"))?;
        for k in sample_shapes(doc.shapes().len()) {
            // The second vertex of the last polygon's exterior (never a closing position).
            let Some((p, old)) =
                doc.shapes()[k]
                    .polygons
                    .iter()
                    .enumerate()
                    .rev()
                    .find_map(|(p, poly)| {
                        Some((p, *poly.rings.first().filter(|r| r.len() >= 3)?.get(1)?))
                    })
            else {
                continue;
            };
            let to = LonLat::new(old.lon + 0.000_123, old.lat - 0.000_045).rounded6();
            let mut edited = doc.clone();
            edited.apply(move_to(VertexRef::new(k, p, 0, 1), to.lon, to.lat))?;
            let out = write::in_place(&edited)
                .ok_or_else(|| format!("{name}: the in-place writer gave up"))?;
            assert_eq!(
                edited.to_file_text().trim_start_matches('\u{feff}'),
                out.trim_start_matches('\u{feff}')
            );
            let body = text.trim_start_matches('\u{feff}');
            let out = out.trim_start_matches('\u{feff}');
            let (a, b) = diff_region(body, out);
            assert!(
                inside_one_position(body, &a) && inside_one_position(out, &b),
                "{name}, shape {k}: {:?} became {:?}",
                String::from_utf8_lossy(&body.as_bytes()[a.clone()]),
                String::from_utf8_lossy(&out.as_bytes()[b.clone()])
            );
            assert_eq!(body.lines().count(), out.lines().count(), "{name}");
            // It reads back as the edited model: that vertex moved, nothing else.
            reads_back_as(out, &edited, name)?;
            moved += 1;
        }
        Ok(moved)
    })
}

#[test]
fn reversing_rings_keeps_line_count_and_byte_length_in_every_style() -> TestResult {
    over_styled_corpus("files with rings reversed", |name, text| {
        let doc = GeoDocument::parse(text).map_err(|e| format!("{name}: {e}"))?;
        // Every ring the file closes (an unclosed one would get its closing position).
        let mut edits = Vec::new();
        for (k, shape) in doc.shapes().iter().enumerate() {
            for (p, polygon) in shape.polygons.iter().enumerate() {
                for r in 0..polygon.rings.len() {
                    if !shape.unclosed_rings_as_read().contains(&(p, r)) {
                        edits.push(GeometryEdit::ReverseRing {
                            at: RingRef::new(k, p, r),
                        });
                    }
                }
            }
        }
        if edits.is_empty() {
            return Ok(0);
        }
        let mut edited = doc.clone();
        edited.apply(GeometryEdit::Batch(edits.clone()))?;
        let out = write::in_place(&edited).ok_or_else(|| format!("{name}: gave up"))?;
        assert_eq!(out.len(), text.len(), "{name}: byte length");
        assert_eq!(
            out.lines().count(),
            text.lines().count(),
            "{name}: line count"
        );
        // The exact reverse, position texts included: reversing again gives the file back.
        let mut again = reads_back_as(&out, &edited, name)?;
        again.apply(GeometryEdit::Batch(edits))?;
        assert!(
            write::in_place(&again).as_deref() == Some(text),
            "{name}: not the exact reverse"
        );
        Ok(1)
    })
}

#[test]
fn winding_fix_rewinds_only_wrongly_wound_rings() -> TestResult {
    // The corpus has clockwise rings (see `tests/corpus_bulk.rs`), so some file gets a fix.
    over_styled_corpus("files rewound", |name, text| {
        let doc = GeoDocument::parse(text)?;
        let Some(edit) = doc.winding_fix() else {
            return Ok(0);
        };
        let mut edited = doc.clone();
        edited.apply(edit)?;
        assert!(
            !edited.issues().iter().any(|i| matches!(
                i.kind,
                IssueKind::ExteriorClockwise | IssueKind::HoleCounterClockwise
            )),
            "{name}"
        );
        let out = edited.to_file_text();
        assert_eq!(out.len(), text.len(), "{name}");
        assert_eq!(out.lines().count(), text.lines().count(), "{name}");
        Ok(1)
    })
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

/// The largest corpus file (when there is a corpus), then `more`: (name, text) pairs for the
/// reports.
fn largest_then<'a>(more: impl IntoIterator<Item = (&'a str, String)>) -> Vec<(String, String)> {
    let largest = largest().map(|(path, text)| (path.display().to_string(), text));
    largest
        .into_iter()
        .chain(
            more.into_iter()
                .map(|(name, text)| (name.to_string(), text)),
        )
        .collect()
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
    for (name, text) in largest_then([
        ("synthetic 50k vertices", synthetic(50_000)),
        ("synthetic 1M vertices", synthetic(1_000_000)),
    ]) {
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
            edited.apply(move_to(VertexRef::new(0, 0, 0, 1), -75.0, 40.0))
        })?;
        let _ = time("to_file_text (edited)", || edited.to_file_text());
    }
    Ok(())
}

/// Bytes and lines of `text` that differ from `source` (between common prefix and suffix).
fn changed(source: &str, text: &str) -> String {
    let (a, b) = diff_region(source, text);
    format!(
        "{} bytes, {} lines ({} bytes replaced by {}; file {} -> {} bytes, {} -> {} lines)",
        b.len().max(a.len()),
        text[b.clone()].lines().count().max(1),
        a.len(),
        b.len(),
        source.len(),
        text.len(),
        source.lines().count(),
        text.lines().count()
    )
}

#[test]
#[ignore = "report; run in release with --ignored --nocapture"]
fn drag_report() -> TestResult {
    for (name, text) in largest_then([(
        "London-like (36 clockwise rings, one line)",
        test_styles::london_like(1200),
    )]) {
        let mut doc = GeoDocument::parse(&text)?;
        let old = doc.shapes()[0].polygons[0].rings[0][1];
        doc.apply(move_to(
            VertexRef::new(0, 0, 0, 1),
            old.lon + 0.0001,
            old.lat + 0.0001,
        ))?;
        let whole = time("whole file (before)", || doc.to_whole_file_text());
        let in_place = time("in place, first write (maps the text)", || {
            doc.to_file_text()
        });
        let _ = time("in place, next writes", || doc.to_file_text());
        eprintln!(
            "{name}\n  before: {}\n  now:    {}",
            changed(&text, &whole),
            changed(&text, &in_place)
        );
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
