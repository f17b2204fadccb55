//! Core benchmarks on the real corpus (`CASEBOOK_CORPUS`, default `../shared/corpus`):
//! open every case, check the whole corpus, load the largest GeoJSON (vs serde_json::Value).

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks;
use casebook_core::document::Document;
use casebook_core::geometry::GeoDocument;
use casebook_core::template::TemplateSet;
use casebook_core::workspace;
use criterion::{Criterion, criterion_group, criterion_main};

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
        g.finish();
    }
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
