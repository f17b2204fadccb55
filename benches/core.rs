//! Core benchmarks on the real corpus (`CASEBOOK_CORPUS`, default `../shared/corpus`):
//! open every case, check the whole corpus, load the largest GeoJSON (vs serde_json::Value),
//! and write it after a one-vertex drag, in place and (as before) whole, also for a
//! London-like 1.8 MB one-line file.

#[path = "../crates/casebook-core/tests/support/corpus.rs"]
mod corpus_support;
#[allow(dead_code, unused_imports)] // its own tests (and their imports) do not run here
#[path = "../crates/casebook-core/src/geometry/test_styles.rs"]
mod test_styles;

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks;
use casebook_core::document::Document;
use casebook_core::geometry::{GeoDocument, GeometryEdit, LonLat, VertexRef};
use casebook_core::template::TemplateSet;
use casebook_core::workspace;
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let dir = corpus_support::corpus_dir()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let cases = workspace::find_cases(&dir.join("cases"));
    if cases.is_empty() {
        eprintln!("no corpus at {}: set CASEBOOK_CORPUS", dir.display());
        return;
    }
    let texts: Vec<Vec<u8>> = cases.iter().filter_map(|p| std::fs::read(p).ok()).collect();

    c.bench_function("parse every corpus index.md (55 documents)", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(Document::from_bytes(t));
            }
        })
    });

    c.bench_function("open every corpus case with its geometry", |b| {
        b.iter(|| {
            for p in &cases {
                let _ = std::hint::black_box(Case::open(p));
            }
        })
    });

    let templates = TemplateSet::bundled();
    let opened: Vec<Case> = cases.iter().filter_map(|p| Case::open(p).ok()).collect();
    // Decode the country outlines once, outside the measurement.
    let _ = casebook_core::countries::verify_data();
    c.bench_function("check the whole corpus (25 rules × 55 cases)", |b| {
        b.iter(|| {
            for case in &opened {
                let t = templates.for_document(case.doc());
                std::hint::black_box(checks::run(case, t));
            }
        })
    });

    if let Some(path) = largest_geojson(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            return;
        };
        let mut g = c.benchmark_group(format!(
            "largest corpus GeoJSON ({}, {} KB)",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text.len() / 1024
        ));
        g.bench_function("GeoDocument::parse", |b| {
            b.iter(|| std::hint::black_box(GeoDocument::parse(&text)))
        });
        g.bench_function("serde_json::Value", |b| {
            b.iter(|| std::hint::black_box(serde_json::from_str::<serde_json::Value>(&text)))
        });
        if let Ok(doc) = GeoDocument::parse(&text) {
            write_benches(&mut g, &drag_one_vertex(&doc));
        }
        g.finish();
    }

    // Like the London file of issue 8: one minified line, 36 clockwise rings, ~1.8 MB.
    let london = test_styles::london_like(1200);
    if let Ok(doc) = GeoDocument::parse(&london) {
        let mut g = c.benchmark_group(format!(
            "London-like minified GeoJSON ({} KB, 36 rings)",
            london.len() / 1024
        ));
        write_benches(&mut g, &drag_one_vertex(&doc));
        g.finish();
    }
}

/// The largest `.geojson` file under `dir`.
fn largest_geojson(dir: &Path) -> Option<PathBuf> {
    let mut best: Option<(u64, PathBuf)> = None;
    for p in corpus_support::files_under(dir) {
        if corpus_support::has_extension(&p, "geojson") {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            if best.as_ref().is_none_or(|(l, _)| len > *l) {
                best = Some((len, p));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// The writes of `dragged` (a document after a one-vertex drag): the first write, the next
/// ones (in place), and the whole file as before.
fn write_benches(g: &mut BenchmarkGroup<'_, WallTime>, dragged: &GeoDocument) {
    g.bench_function("first write after a one-vertex drag (in place)", |b| {
        b.iter_batched(
            || dragged.clone(),
            |d| {
                let text = d.to_file_text();
                std::hint::black_box((d, text))
            },
            BatchSize::LargeInput,
        )
    });
    let _ = dragged.to_file_text();
    g.bench_function("write after a one-vertex drag (in place)", |b| {
        b.iter(|| std::hint::black_box(dragged.to_file_text()))
    });
    g.bench_function(
        "write after a one-vertex drag (whole file, as before)",
        |b| b.iter(|| std::hint::black_box(dragged.to_whole_file_text())),
    );
}

/// The document with vertex 1 of the first ring moved by a few metres.
fn drag_one_vertex(doc: &GeoDocument) -> GeoDocument {
    let mut dragged = doc.clone();
    if let Some(old) = doc
        .shape(0)
        .and_then(|s| s.polygons.first())
        .and_then(|p| p.rings.first())
        .and_then(|r| r.get(1))
        .copied()
    {
        let _ = dragged.apply(GeometryEdit::MoveVertex {
            at: VertexRef::new(0, 0, 0, 1),
            to: LonLat::new(old.lon + 0.0001, old.lat + 0.0001),
        });
    }
    dragged
}

/// Hostile front matter must be refused quickly (the issue asks for 100 ms).
fn hostile(c: &mut Criterion) {
    let mut big = String::from("---\ntitle: big\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str("k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n");
    }
    big.push_str("---\n## Overview\n\nText.\n");
    let deep = format!(
        "---\ntitle: x\nbad: {}\n---\n## Overview\n",
        "[".repeat(20_000)
    );
    let deep_map = format!(
        "---\ntitle: x\nbad: {}\n---\n## Overview\n",
        "{\"\":[".repeat(10_000)
    );
    let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for (i, ch) in "bcdefghi".chars().enumerate() {
        let p = (b'a' + i as u8) as char;
        bomb.push_str(&format!(
            "{ch}: &{ch} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    bomb.push_str("---\n");
    let mut g = c.benchmark_group("hostile front matter refused");
    g.sample_size(10);
    g.bench_function("50 MB front matter", |b| {
        b.iter(|| std::hint::black_box(Document::from_bytes(big.as_bytes())))
    });
    g.bench_function("20,000 nested [", |b| {
        b.iter(|| std::hint::black_box(Document::from_bytes(deep.as_bytes())))
    });
    g.bench_function("10,000 nested {\"\":[", |b| {
        b.iter(|| std::hint::black_box(Document::from_bytes(deep_map.as_bytes())))
    });
    g.bench_function("alias bomb", |b| {
        b.iter(|| std::hint::black_box(Document::from_bytes(bomb.as_bytes())))
    });
    g.finish();
}

criterion_group! {
    name = core;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = benches, hostile
}
criterion_main!(core);
