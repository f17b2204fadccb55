//! Core benchmarks on the real corpus (`CASEBOOK_CORPUS`, default `../shared/corpus`):
//! open every case, check the whole corpus, load the largest GeoJSON (vs serde_json::Value),
//! and write it after a one-vertex drag, in place and (as before) whole, also for a
//! London-like 1.8 MB one-line file.

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks;
use casebook_core::document::Document;
use casebook_core::geometry::{GeoDocument, GeometryEdit, LonLat, VertexRef};
use casebook_core::template::TemplateSet;
use casebook_core::workspace;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn corpus() -> PathBuf {
    std::env::var_os("CASEBOOK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

fn largest_geojson(dir: &Path) -> Option<PathBuf> {
    let mut best: Option<(u64, PathBuf)> = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "geojson") {
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                if best.as_ref().is_none_or(|(l, _)| len > *l) {
                    best = Some((len, p));
                }
            }
        }
    }
    best.map(|(_, p)| p)
}

fn benches(c: &mut Criterion) {
    let dir = corpus();
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
            let dragged = drag_one_vertex(&doc);
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
        g.finish();
    }

    // Like the London file of issue 8: one minified line, 36 clockwise rings, ~1.8 MB.
    let london = london_like();
    if let Ok(doc) = GeoDocument::parse(&london) {
        let dragged = drag_one_vertex(&doc);
        let mut g = c.benchmark_group(format!(
            "London-like minified GeoJSON ({} KB, 36 rings)",
            london.len() / 1024
        ));
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
        g.finish();
    }
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

/// A FeatureCollection on one line: 36 features, each a clockwise ring of 1,200 positions with
/// full-precision coordinates.
fn london_like() -> String {
    let mut features = Vec::new();
    for k in 0..36 {
        let n = 1200;
        let ring: Vec<String> = (0..=n)
            .map(|i| {
                let a = -((i % n) as f64) / n as f64 * std::f64::consts::TAU;
                let r = 0.01 * (1.0 + 0.1 * ((i * 7 % 11) as f64 / 11.0));
                format!(
                    "[{},{}]",
                    -0.1275 + k as f64 * 0.021 + r * a.cos() + 1e-15,
                    51.50722 + r * a.sin() + 1e-15
                )
            })
            .collect();
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"name":"area {k}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            ring.join(",")
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
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
