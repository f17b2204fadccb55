//! Spelling benchmarks: typing in a 20,000-word section (the incremental cache re-checks only
//! the edited paragraph; the target is well inside a 4 ms frame), a whole-section check, and
//! CB033 on every corpus case (`CASEBOOK_CORPUS`, default `../shared/corpus`).

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks;
use casebook_core::spell::incremental::SpellCache;
use casebook_core::spell::{CaseWords, Speller};
use casebook_core::template::TemplateSet;
use casebook_core::workspace;
use criterion::{Criterion, criterion_group, criterion_main};

fn corpus() -> PathBuf {
    std::env::var_os("CASEBOOK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// A section of about 20,000 words in paragraphs of ~100 words, with a few misspellings,
/// code, links and a comment, written for this benchmark.
fn big_section() -> String {
    let sentences = [
        "The district plan links transit, housing and public space through shared data.",
        "Residents review sensor dashboards at the library and suggest changes to the council.",
        "A pilot of adaptive street lighting cut energy use while keeping paths well lit at night.",
        "Operators publish open [timetables](https://example.org/feeds) and `gtfs` exports daily.",
        "Critics argue the goverment moved too fast and consulted too few neighborhood groups.",
        "Funding came from a mix of municipal bonds, national grants and private partners.",
        "Planners measured walkability and tree cover before and after each intervention.",
    ];
    let mut text = String::new();
    let mut words = 0;
    let mut i = 0;
    while words < 20_000 {
        let mut para = String::new();
        for _ in 0..7 {
            let s = sentences[i % sentences.len()];
            i += 1;
            para.push_str(s);
            para.push(' ');
            words += s.split_whitespace().count();
        }
        text.push_str(para.trim_end());
        text.push_str("\n\n");
        if i.is_multiple_of(70) {
            text.push_str("<!-- A note for reviewers. -->\n\n");
        }
    }
    text
}

fn benches(c: &mut Criterion) {
    let Ok(speller) = Speller::bundled() else {
        eprintln!("no bundled dictionary");
        return;
    };
    let case = CaseWords::default();
    let section = big_section();
    let words = section.split_whitespace().count();

    c.bench_function(&format!("check a whole {words}-word section"), |b| {
        b.iter(|| std::hint::black_box(speller.check_markdown(&section, &case)))
    });

    // Typing: each iteration inserts one letter in a paragraph in the middle, then re-checks
    // with the cache (what the editor does per frame after an edit).
    let mut cache = SpellCache::new();
    cache.check(&section, &speller, &case);
    let mid = section.len() / 2;
    let at = section[mid..].find(". ").map_or(mid, |i| mid + i + 2);
    let mut text = section.clone();
    let mut n = 0usize;
    c.bench_function(
        &format!("type one letter in a {words}-word section and re-check"),
        |b| {
            b.iter(|| {
                n += 1;
                let letter = if n.is_multiple_of(2) { "a" } else { "b" };
                text.insert_str(at, letter);
                let found = cache.check(&text, &speller, &case);
                text.replace_range(at..at + 1, "");
                std::hint::black_box(found)
            })
        },
    );

    c.bench_function(
        "suggest for a misspelled word (edit-based, cached off)",
        |b| {
            b.iter(|| {
                let fresh = Speller::new(
                    "en-US",
                    casebook_core::spell::dictionary::bundled().unwrap(),
                    Default::default(),
                );
                std::hint::black_box(fresh.suggest("goverment"))
            })
        },
    );

    let root = corpus();
    let cases = workspace::find_cases(&root.join("cases"));
    if cases.is_empty() {
        eprintln!("no corpus at {}: set CASEBOOK_CORPUS", root.display());
        return;
    }
    let opened: Vec<Case> = cases.iter().filter_map(|p| Case::open(p).ok()).collect();
    let set = TemplateSet::bundled();
    let rule = checks::rules()
        .iter()
        .find(|r| r.code() == "CB033")
        .copied();
    let Some(rule) = rule else { return };
    c.bench_function(
        "spell-check the whole corpus (CB033 on 55 cases, suggestions cached)",
        |b| {
            b.iter(|| {
                let mut out = Vec::new();
                for case in &opened {
                    let ctx = checks::Context {
                        case,
                        template: set.for_document(case.doc()),
                        options: Default::default(),
                    };
                    rule.check(&ctx, &mut out);
                }
                std::hint::black_box(out)
            })
        },
    );
}

criterion_group! {
    name = spell;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(spell);
