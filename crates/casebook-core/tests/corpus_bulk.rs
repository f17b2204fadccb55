//! Bulk edits on the real corpus, copied into a temporary folder: a tag renamed in every case
//! that has it and one rule's fix applied in all cases (CB005 country code, CB017 geography
//! name, CB018 ring winding). The preview writes nothing; Apply changes each touched
//! `index.md` by exactly one line (or only the boundary file, for a geometry fix) and leaves
//! every other file byte-identical; Undo puts every byte back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/corpus.rs"]
mod corpus_support;
#[path = "support/diff.rs"]
mod diff;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use casebook_core::bulk::plan::{self, BulkOp};
use casebook_core::checks::Target;
use casebook_core::document::Document;
use casebook_core::fields;
use casebook_core::template::TemplateSet;
use casebook_core::workspace;
use diff::changed_lines;

/// The corpus, when it has a `cases` folder.
fn corpus() -> Option<PathBuf> {
    corpus_support::corpus("corpus bulk tests").filter(|c| c.join("cases").is_dir())
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let Ok(meta) = fs::symlink_metadata(&src) else {
            continue;
        };
        if meta.is_dir() {
            copy_tree(&src, &dst);
        } else if meta.is_file() {
            fs::copy(&src, &dst).unwrap();
            let mut p = fs::metadata(&dst).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            fs::set_permissions(&dst, p).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            snapshot(&p, out);
        } else if p.is_file() {
            out.insert(p.clone(), fs::read(&p).unwrap());
        }
    }
}

fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    snapshot(dir, &mut m);
    m
}

/// Plans, applies and undoes `op` over a copy of the corpus; `check` judges each changed file
/// (its path, bytes before, bytes after). Returns how many files the edit changed.
fn round_trip(op: &BulkOp, check: impl Fn(&Path, &[u8], &[u8])) -> Option<usize> {
    let corpus = corpus()?;
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    copy_tree(&corpus.join("cases"), &cases);
    let set = TemplateSet::load(None, Some(&cases)).unwrap_or_else(|_| TemplateSet::bundled());
    let before = files_of(tmp.path());
    let indexes = workspace::find_cases(&cases);
    let p = plan::plan(op, &indexes, &set);
    assert_eq!(files_of(tmp.path()), before, "the preview wrote nothing");
    let done = plan::apply(&p, &set);
    assert!(done.failed.is_empty(), "{:?}", done.failed);
    assert_eq!(done.done.len(), p.cases.len());
    let after = files_of(tmp.path());
    let mut changed = 0;
    for (path, b) in &before {
        let a = after.get(path).expect("no file went away");
        if a != b {
            changed += 1;
            check(path, b, a);
        }
    }
    assert_eq!(after.len(), before.len(), "no file was added");
    let previewed: usize = p.cases.iter().map(|c| c.files.len()).sum();
    assert_eq!(changed, previewed, "exactly the previewed files changed");
    let back = plan::undo(&done.done);
    assert!(back.failed.is_empty(), "{:?}", back.failed);
    assert_eq!(files_of(tmp.path()), before, "Undo put every byte back");
    Some(changed)
}

fn one_line(path: &Path, b: &[u8], a: &[u8]) {
    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("index.md"),
        "{}",
        path.display()
    );
    assert_eq!(changed_lines(b, a), (1, 1), "{}", path.display());
}

#[test]
fn renaming_the_commonest_tag_changes_one_line_per_case() {
    let Some(corpus) = corpus() else { return };
    // The tag most cases have, written once in each.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for index in workspace::find_cases(&corpus.join("cases")) {
        let doc = Document::from_bytes(&fs::read(&index).unwrap());
        let (tags, _) = fields::tags_of(doc.value("tags"));
        for t in tags {
            *counts.entry(t).or_default() += 1;
        }
    }
    let (tag, n) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(t, n)| (t.clone(), *n))
        .expect("some tag");
    let op = BulkOp::RenameTag {
        old: tag,
        new: "Renamed Theme".into(),
    };
    let changed = round_trip(&op, one_line).unwrap_or(0);
    eprintln!("tag {:?}: {changed} files of {n} cases", op);
    assert_eq!(changed, n, "every case with the tag changed");
}

/// Applies rule `code`'s fix to front-matter `key` in every case (each changed `index.md`
/// by one line) and checks that at least `at_least` files changed, as `because` says the
/// corpus needs (nothing to check without a corpus).
fn fix_field(code: &str, key: &str, at_least: usize, because: &str) {
    let op = BulkOp::Fix {
        code: code.into(),
        target: Target::Field { key: key.into() },
    };
    let changed = round_trip(&op, one_line);
    eprintln!("{code}: {changed:?} files");
    assert!(changed.is_none_or(|n| n >= at_least), "{because}");
}

#[test]
fn fixing_country_codes_in_all_cases() {
    fix_field(
        "CB005",
        "country_code",
        1,
        "the corpus has a two-letter code",
    );
}

#[test]
fn fixing_geography_names_in_all_cases() {
    fix_field(
        "CB017",
        "geography",
        2,
        "the corpus has misnamed boundaries",
    );
}

#[test]
fn fixing_ring_winding_in_all_cases_touches_only_boundary_files() {
    let op = BulkOp::Fix {
        code: "CB018".into(),
        target: Target::Geometry,
    };
    let changed = round_trip(&op, |path, _, _| {
        assert_ne!(
            path.file_name().and_then(|n| n.to_str()),
            Some("index.md"),
            "{}",
            path.display()
        );
    });
    eprintln!("CB018: {changed:?} files");
    assert!(
        changed.is_none_or(|n| n >= 2),
        "the corpus has clockwise rings"
    );
}
