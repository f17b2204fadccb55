//! Spelling on the real corpus (at `CASEBOOK_CORPUS`): the false-alarm rate stays at most 5
//! findings per 1,000 checked words, and common misspellings planted in a copy of a corpus
//! case are all found with the right word first or second. Run with `--nocapture` for the
//! rate and the most flagged words.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/corpus.rs"]
mod corpus_support;

use std::collections::BTreeMap;
use std::path::Path;

use casebook_core::case::Case;
use casebook_core::checks::{self, Diagnostic, Severity};
use casebook_core::spell::{CaseWords, Speller, WordSet, tokenize};
use casebook_core::template::TemplateSet;
use casebook_core::workspace;
use corpus_support::corpus;

fn spelling(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.code == "CB033").collect()
}

/// Words the rule looks at in a case: the sections, the text before them, the prose fields.
fn checked_words(case: &Case) -> usize {
    let doc = case.doc();
    let text = doc.text();
    let body = doc.body();
    let mut n = 0;
    let mut ranges = vec![body.preamble.clone()];
    ranges.extend(body.sections.iter().map(|s| s.content.clone()));
    for r in ranges {
        n += tokenize::markdown_words(text.get(r).unwrap_or_default()).len();
    }
    for key in ["description", "featured_alt", "featured_desc"] {
        if let Some(v) = doc.value(key).and_then(|v| v.as_str()) {
            n += tokenize::plain_words(v).len();
        }
    }
    n
}

#[test]
fn corpus_false_alarm_rate_is_low() {
    let Some(root) = corpus("corpus spelling tests") else {
        return;
    };
    let set = TemplateSet::bundled();
    let started = std::time::Instant::now();
    let mut words = 0usize;
    let mut findings = 0usize;
    let mut by_word: BTreeMap<String, usize> = BTreeMap::new();
    let cases = workspace::find_cases(&root.join("cases"));
    assert_eq!(cases.len(), 55);
    for index in &cases {
        let Ok(case) = Case::open(index) else {
            panic!("cannot open {}", index.display())
        };
        let diags = checks::run(&case, set.for_document(case.doc()));
        let found = spelling(&diags);
        assert!(found.iter().all(|d| d.severity == Severity::Hint));
        words += checked_words(&case);
        findings += found.len();
        for d in found {
            if let Some(s) = &d.spelling {
                *by_word.entry(s.word.clone()).or_default() += 1;
            }
        }
    }
    let rate = findings as f64 * 1000.0 / words.max(1) as f64;
    let mut top: Vec<(usize, String)> = by_word.into_iter().map(|(w, n)| (n, w)).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    println!(
        "corpus spelling: {findings} findings in {words} checked words = {rate:.2} per 1,000 ({} distinct words); all checks on 55 cases took {:?}",
        top.len(),
        started.elapsed()
    );
    println!(
        "most flagged: {}",
        top.iter()
            .take(usize::MAX)
            .map(|(n, w)| format!("{w} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        words > 20_000,
        "the corpus has far more prose than {words} words"
    );
    assert!(rate <= 5.0, "{rate:.2} findings per 1,000 words");
}

/// The ten most misspelled words of a survey published by Oxford University Press's ELT blog
/// (2010: separate, definitely, manoeuvre, embarrass, occurrence, consensus, unnecessary,
/// acceptable, broccoli, referred), as commonly misspelled, with US spelling for manoeuvre.
const TOP_TEN: [(&str, &str); 10] = [
    ("seperate", "separate"),
    ("definately", "definitely"),
    ("manuever", "maneuver"),
    ("embarass", "embarrass"),
    ("occurence", "occurrence"),
    ("concensus", "consensus"),
    ("unneccessary", "unnecessary"),
    ("acceptible", "acceptable"),
    ("brocolli", "broccoli"),
    ("refered", "referred"),
];

/// Misspellings reported as the most frequent in the Oxford English Corpus (2016 report and
/// others often quoted).
const CORPUS_FAVOURITES: [(&str, &str); 9] = [
    ("accomodate", "accommodate"),
    ("wich", "which"),
    ("goverment", "government"),
    ("recieve", "receive"),
    ("untill", "until"),
    ("occured", "occurred"),
    ("begining", "beginning"),
    ("beleive", "believe"),
    ("enviroment", "environment"),
];

/// Plants each misspelling as a sentence of our own words into the first section of a copy of
/// a corpus case, checks it, and returns (misspelling, rank of the right word) for each.
fn plant(root: &Path, pairs: &[(&str, &str)]) -> Vec<(String, Option<usize>)> {
    let index = root.join("cases/can-montreal/index.md");
    let Ok(text) = std::fs::read_to_string(&index) else {
        panic!("cannot read {}", index.display())
    };
    let Ok(tmp) = tempfile::tempdir() else {
        panic!("no temp dir")
    };
    let dir = tmp.path().join("can-montreal");
    if std::fs::create_dir(&dir).is_err() {
        panic!("cannot create {}", dir.display());
    }
    let case = Case::from_text(&dir, &text);
    let Some(first) = case.doc().body().sections.first() else {
        panic!("no section")
    };
    let mut planted = String::new();
    for (wrong, _) in pairs {
        planted.push_str(&format!("\n\nThe team wrote {wrong} in this sentence."));
    }
    let mut new_text = text.clone();
    new_text.insert_str(first.content.end, &planted);
    let case = Case::from_text(&dir, &new_text);
    let set = TemplateSet::bundled();
    let diags = checks::run(&case, set.for_document(case.doc()));
    pairs
        .iter()
        .map(|(wrong, right)| {
            let d = spelling(&diags)
                .into_iter()
                .find(|d| d.spelling.as_ref().is_some_and(|s| s.word == *wrong));
            let rank = d
                .and_then(|d| d.spelling.as_ref())
                .and_then(|s| s.suggestions.iter().position(|x| x == right));
            assert!(d.is_some(), "{wrong} was not found");
            (wrong.to_string(), rank)
        })
        .collect()
}

#[test]
fn top_ten_misspellings_are_found_with_the_right_word_first_or_second() {
    let Some(root) = corpus("corpus spelling tests") else {
        return;
    };
    for (name, pairs) in [
        ("top ten", &TOP_TEN[..]),
        ("corpus favourites", &CORPUS_FAVOURITES[..]),
    ] {
        let ranks = plant(&root, pairs);
        println!("{name}: {ranks:?}");
        for (wrong, rank) in &ranks {
            assert!(
                rank.is_some_and(|r| r <= 1),
                "{wrong}: right word at {rank:?}"
            );
        }
    }
}

#[test]
fn the_right_word_is_not_flagged_in_the_same_place() {
    // The same sentences with the right words raise nothing: the planted words are what is found.
    let speller = Speller::bundled().unwrap();
    let case = CaseWords::new(WordSet::new(), WordSet::new());
    for (_, right) in TOP_TEN.iter().chain(CORPUS_FAVOURITES.iter()) {
        let text = format!("The team wrote {right} in this sentence.");
        assert!(speller.check_markdown(&text, &case).is_empty(), "{right}");
    }
}
