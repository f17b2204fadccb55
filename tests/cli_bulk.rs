//! `casebook tags rename` and `casebook set` over many cases, on a copy of the real corpus
//! (`CASEBOOK_CORPUS`): each touched file changes by the one line holding the value (two on a
//! merge: one removed), every other file stays byte-identical, `--dry-run` writes nothing and
//! prints exactly the diff the real run then makes (applied with `patch`, it gives the same
//! bytes), and the atlas site's reader (gray-matter + js-yaml 3, `tests/site-reader`) reads the
//! intended value and every other key as before.
//!
//! Without the corpus the tests skip; without node or `tests/site-reader/node_modules` they
//! skip too, loudly, unless `CASEBOOK_REQUIRE_SITE_READER=1`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cli.rs"]
mod cli_support;
#[path = "../crates/casebook-core/tests/support/corpus.rs"]
mod corpus_support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use casebook_core::text::{DiffLine, line_diff};
use cli_support::{assert_has, casebook_in, stderr};
use serde_json::Value;

fn site_reader_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/site-reader")
}

/// The corpus, when it and the site reader are there (else the reason to skip).
fn setup() -> Option<PathBuf> {
    let required = std::env::var("CASEBOOK_REQUIRE_SITE_READER").is_ok_and(|v| v == "1");
    let dir = site_reader_dir();
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !dir.join("node_modules/gray-matter").is_dir() || !node_ok {
        assert!(
            !required,
            "CASEBOOK_REQUIRE_SITE_READER=1 but the site reader cannot run"
        );
        eprintln!(
            "\n!!!!!!!! SKIPPED: the site reader cannot run (install node, `npm ci` in \
             tests/site-reader) !!!!!!!!\n"
        );
        return None;
    }
    let Some(c) = corpus_support::corpus_dir() else {
        assert!(
            !required,
            "CASEBOOK_REQUIRE_SITE_READER=1 but CASEBOOK_CORPUS is not set"
        );
        eprintln!("SKIPPED: set CASEBOOK_CORPUS to the corpus folder");
        return None;
    };
    Some(c)
}

/// Copies the tree `from` into `to` (made), every file writable.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let kind = e.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&src, &dst);
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).unwrap();
            let mut p = std::fs::metadata(&dst).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            std::fs::set_permissions(&dst, p).unwrap();
        }
    }
}

/// Every file under `dir` (by path from `dir`) and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The case documents of the atlas copy that the commands are given (not the templates).
fn case_documents(snap: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    snap.keys()
        .filter(|p| {
            p.file_name().is_some_and(|n| n == "index.md")
                && ["cases", "retired", "_incoming"]
                    .iter()
                    .any(|top| p.starts_with(top))
        })
        .cloned()
        .collect()
}

/// What the site reads in each file: its front matter's keys and tagged values, or its error.
fn site_read(
    dir: &Path,
    files: &[PathBuf],
) -> BTreeMap<PathBuf, Result<Vec<(String, Value)>, String>> {
    let mut child = Command::new("node")
        .arg(site_reader_dir().join("read.js"))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node");
    let input: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the site reader failed");
    let mut read = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let j: Value = serde_json::from_str(line).unwrap();
        let path = PathBuf::from(j["path"].as_str().unwrap());
        let data = if j["ok"] == Value::Bool(true) {
            let pairs = j["data"]["v"]
                .as_array()
                .map(|kvs| {
                    kvs.iter()
                        .map(|kv| (kv[0].as_str().unwrap().to_string(), kv[1].clone()))
                        .collect()
                })
                .unwrap_or_default();
            Ok(pairs)
        } else {
            Err(j["error"].as_str().unwrap_or_default().to_string())
        };
        read.insert(path, data);
    }
    assert_eq!(read.len(), files.len());
    read
}

fn get<'a>(data: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    data.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// A site value of text.
fn str_v(s: &str) -> Value {
    serde_json::json!({"t": "str", "v": s})
}

/// (removed, added) lines between two texts.
fn changed_lines(before: &[u8], after: &[u8]) -> (Vec<String>, Vec<String>) {
    let (a, b) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after),
    );
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for l in line_diff(&a, &b) {
        match l {
            DiffLine::Removed(t) => removed.push(t.to_string()),
            DiffLine::Added(t) => added.push(t.to_string()),
            DiffLine::Same(_) => {}
        }
    }
    (removed, added)
}

fn casebook(dir: &Path, args: &[&str]) -> Output {
    casebook_in(args, Some(dir))
}

/// Applies a unified diff to `dir` with `patch -p1`, failing on any rejected hunk.
fn apply_patch(dir: &Path, diff: &[u8]) {
    let mut child = Command::new("patch")
        .args([
            "-p1",
            "--forward",
            "--batch",
            "--no-backup-if-mismatch",
            "-s",
        ])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`patch` is installed");
    child.stdin.take().unwrap().write_all(diff).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the dry run's diff does not apply: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

/// The tags after renaming `old` to `new` as the site should read them, or `None` when the
/// case does not have `old` (it must not change). A list: `old` renamed in place (or removed
/// when `new` is there: a merge); a comma text: the same on its parts.
fn expected_tags(tags: &Value, old: &str, new: &str) -> Option<Value> {
    let rename = |items: Vec<String>| -> Option<Vec<String>> {
        let first = items.iter().position(|t| t.trim() == old)?;
        let merge = items.iter().any(|t| t.trim() == new);
        let mut out = Vec::new();
        for (i, t) in items.iter().enumerate() {
            if t.trim() != old {
                out.push(t.clone());
            } else if i == first && !merge {
                out.push(t.replace(old, new));
            }
        }
        Some(out)
    };
    match tags["t"].as_str()? {
        "list" => {
            let items: Vec<String> = tags["v"]
                .as_array()?
                .iter()
                .map(|v| v["v"].as_str().unwrap_or_default().to_string())
                .collect();
            let out = rename(items)?;
            Some(
                serde_json::json!({"t": "list", "v": out.iter().map(|s| str_v(s)).collect::<Vec<_>>()}),
            )
        }
        "str" => {
            let items = tags["v"].as_str()?.split(',').map(str::to_string).collect();
            Some(str_v(&rename(items)?.join(",")))
        }
        _ => None,
    }
}

/// Runs `tags rename OLD NEW` on a copy of the corpus (dry run, then for real) and checks
/// every file. Returns (renamed, merged) counts.
fn rename_over_corpus(corpus: &Path, old: &str, new: &str) -> (usize, usize) {
    let t = tempfile::tempdir().unwrap();
    let atlas = t.path().join("atlas");
    copy_tree(corpus, &atlas);
    let before = snapshot(&atlas);
    let docs = case_documents(&before);
    let site_before = site_read(&atlas, &docs);
    let mut want: BTreeMap<PathBuf, Value> = BTreeMap::new();
    for (doc, data) in &site_before {
        if let Ok(data) = data
            && let Some(tags) = get(data, "tags")
            && let Some(after) = expected_tags(tags, old, new)
        {
            want.insert(doc.clone(), after);
        }
    }
    assert!(want.len() >= 3, "the corpus has few cases tagged {old}");
    let args = ["tags", "rename", old, new, "cases", "retired", "_incoming"];

    // Dry run: nothing written; one diff per case to change.
    let mut dry: Vec<&str> = args.to_vec();
    dry.push("--dry-run");
    let o = casebook(&atlas, &dry);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(snapshot(&atlas) == before, "the dry run changed files");
    let diff = o.stdout.clone();
    let diff_text = String::from_utf8_lossy(&diff);
    let diffed: BTreeSet<PathBuf> = diff_text
        .lines()
        .filter_map(|l| l.strip_prefix("+++ b/"))
        .map(PathBuf::from)
        .collect();
    assert_eq!(diffed, want.keys().cloned().collect(), "{diff_text}");
    assert_has(&stderr(&o), "Nothing was written (dry run)");

    // For real.
    let o = casebook(&atlas, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = snapshot(&atlas);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    let (mut renamed, mut merged) = (0, 0);
    for (path, bytes) in &before {
        let now = &after[path];
        if !want.contains_key(path) {
            assert!(now == bytes, "{} changed", path.display());
            continue;
        }
        let (removed, added) = changed_lines(bytes, now);
        assert_eq!(
            removed.len(),
            1,
            "{}: {removed:?} {added:?}",
            path.display()
        );
        assert!(removed[0].contains(old), "{}: {removed:?}", path.display());
        assert!(added.len() <= 1, "{}: {added:?}", path.display());
        match added.first() {
            Some(a) => {
                // The line is the old one with the tag renamed (or, in a comma text, removed).
                let renamed_line = removed[0].replacen(old, new, 1) == *a;
                let merged_line = !a.contains(old) && a.len() < removed[0].len();
                assert!(
                    renamed_line || merged_line,
                    "{}: {removed:?} -> {a:?}",
                    path.display()
                );
                if renamed_line {
                    renamed += 1;
                } else {
                    merged += 1;
                }
            }
            None => merged += 1,
        }
    }

    // The site reads the tags as meant and every other key as before.
    let site_after = site_read(&atlas, &docs);
    for doc in &docs {
        let (Ok(b), Ok(a)) = (&site_before[doc], &site_after[doc]) else {
            assert_eq!(
                site_before[doc].is_ok(),
                site_after[doc].is_ok(),
                "{}",
                doc.display()
            );
            continue;
        };
        let keys = |d: &[(String, Value)]| d.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        assert_eq!(keys(b), keys(a), "{}", doc.display());
        for (k, v) in b {
            let want_v = match want.get(doc) {
                Some(t) if k == "tags" => t,
                _ => v,
            };
            assert_eq!(get(a, k), Some(want_v), "{}: {k}", doc.display());
        }
    }

    // The dry run's diff, applied to a fresh copy, makes the same bytes.
    let again = t.path().join("again");
    copy_tree(corpus, &again);
    apply_patch(&again, &diff);
    assert!(
        snapshot(&again) == after,
        "the dry run's diff is not what was written"
    );
    (renamed, merged)
}

#[test]
fn tags_rename_over_the_corpus_changes_one_line_per_case() {
    let Some(corpus) = setup() else {
        return;
    };
    let (renamed, merged) = rename_over_corpus(&corpus, "Mobility", "Transport");
    assert!(renamed >= 3);
    assert_eq!(merged, 0);
}

#[test]
fn tags_merge_over_the_corpus_removes_one_line_or_item() {
    let Some(corpus) = setup() else {
        return;
    };
    // Some cases hold both Mobility and Energy (block lists and a comma text): Mobility goes.
    let (renamed, merged) = rename_over_corpus(&corpus, "Mobility", "Energy");
    assert!(renamed >= 3, "{renamed}");
    assert!(merged >= 2, "{merged}");
}

#[test]
fn set_over_many_cases_changes_one_line_each() {
    let Some(corpus) = setup() else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let atlas = t.path().join("atlas");
    copy_tree(&corpus, &atlas);
    let before = snapshot(&atlas);
    let docs = case_documents(&before);
    let site_before = site_read(&atlas, &docs);
    // As a shell expands `cases/*`, then a folder of cases.
    let mut args: Vec<String> = vec!["set".into()];
    let mut case_dirs: Vec<String> = std::fs::read_dir(atlas.join("cases"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| format!("cases/{}", e.file_name().to_string_lossy()))
        .collect();
    case_dirs.sort();
    args.extend(case_dirs);
    args.push("retired".into());
    args.push("status=Review".into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();

    let mut dry = argv.clone();
    dry.push("--dry-run");
    let o = casebook(&atlas, &dry);
    let dry_err = stderr(&o);
    assert!(snapshot(&atlas) == before, "the dry run changed files");
    let diff = o.stdout.clone();
    let dry_code = o.status.code();

    let o = casebook(&atlas, &argv);
    let err = stderr(&o);
    assert_eq!(o.status.code(), dry_code, "{err}");
    let after = snapshot(&atlas);
    let site_after = site_read(&atlas, &docs);
    let given = |p: &Path| p.starts_with("cases") || p.starts_with("retired");
    let mut changed = 0;
    let mut refused = Vec::new();
    for (path, bytes) in &before {
        let now = &after[path];
        let doc = path.file_name().is_some_and(|n| n == "index.md") && given(path);
        if !doc {
            assert!(now == bytes, "{} changed", path.display());
            continue;
        }
        let status_before = site_before[path]
            .as_ref()
            .ok()
            .and_then(|d| get(d, "status").cloned());
        let named = err.contains(&path.display().to_string());
        if now == bytes {
            // Unchanged: it already said Review, or it was refused with its name given.
            assert!(
                status_before == Some(str_v("Review")) || named,
                "{} was not changed and not named:\n{err}",
                path.display()
            );
            if named {
                refused.push(path.clone());
                assert!(dry_err.contains(&path.display().to_string()), "{dry_err}");
            }
            continue;
        }
        changed += 1;
        let (removed, added) = changed_lines(bytes, now);
        assert!(removed.len() <= 1, "{}: {removed:?}", path.display());
        assert_eq!(added.len(), 1, "{}: {added:?}", path.display());
        assert!(
            added[0].contains("status: Review"),
            "{}: {added:?}",
            path.display()
        );
        // The site reads Review and every other key as before.
        let (Ok(b), Ok(a)) = (&site_before[path], &site_after[path]) else {
            panic!("{}: the site cannot read it", path.display());
        };
        assert_eq!(
            get(a, "status"),
            Some(&str_v("Review")),
            "{}",
            path.display()
        );
        for (k, v) in b.iter().filter(|(k, _)| k != "status") {
            assert_eq!(get(a, k), Some(v), "{}: {k}", path.display());
        }
    }
    assert!(changed >= 40, "{changed} changed\n{err}");
    let code = if refused.is_empty() { 0 } else { 2 };
    assert_eq!(o.status.code(), Some(code), "refused: {refused:?}\n{err}");
    assert_eq!(
        String::from_utf8_lossy(&diff)
            .lines()
            .filter(|l| l.starts_with("+++ b/"))
            .count(),
        changed
    );
    // The combined diff, applied to a fresh copy, makes the same bytes.
    let again = t.path().join("again");
    copy_tree(&corpus, &again);
    apply_patch(&again, &diff);
    assert!(
        snapshot(&again) == after,
        "the dry run's diff is not what was written"
    );

    // Setting the same again changes nothing and says so.
    let o = casebook(&atlas, &argv);
    assert!(snapshot(&atlas) == after);
    assert!(String::from_utf8_lossy(&o.stdout).contains("unchanged"));
}

#[test]
fn set_rejects_a_path_that_is_not_a_case_but_does_the_others() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let write = |p: &str, s: &str| {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    write(
        "cases/a/index.md",
        "---\ntitle: A\nstatus: Draft\n---\n\nText.\n",
    );
    write(
        "cases/b/index.md",
        "---\ntitle: B\nstatus: Draft\n---\n\nText.\n",
    );
    write("notes/readme.txt", "not a case\n");
    let o = casebook(
        dir,
        &["set", "cases/a", "notes", "cases/b", "status=Review"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_has(&stderr(&o), "notes: no case found");
    for c in ["a", "b"] {
        let text = std::fs::read_to_string(dir.join(format!("cases/{c}/index.md"))).unwrap();
        assert_has(&text, "status: Review\n");
    }
    // No case before the assignments, or no assignment: could not run, nothing written.
    let o = casebook(dir, &["set", "status=Draft"]);
    assert_eq!(o.status.code(), Some(2));
    let o = casebook(dir, &["set", "cases/a", "cases/b"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no key=value"), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("cases/a/index.md")).unwrap();
    assert!(text.contains("status: Review\n"));
}

#[test]
fn tags_rename_in_every_list_style_a_file_can_have() {
    if setup().is_none() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    // Our own documents, one per way of writing tags; `Walking` is renamed to `Active travel`
    // (a text both readers take as is) and, where `Transit` is there too, merged into it.
    let styles: &[(&str, &str)] = &[
        (
            "flow",
            "---\ntitle: Flow\ntags: [Parks, Walking, Water]\n---\n\nText.\n",
        ),
        (
            "flow-quoted",
            "---\ntitle: Quoted\ntags: ['Parks', \"Walking\", Water] # themes\n---\n",
        ),
        (
            "flow-lines",
            "---\ntitle: Lines\ntags: [\n  Parks,\n  Walking,\n  Transit\n]\n---\n",
        ),
        (
            "block",
            "---\ntitle: Block\ntags:\n  - Parks\n  - Walking # main one\n  - Water\nyear: 2020\n---\n",
        ),
        (
            "block-flush",
            "---\ntitle: Flush\ntags:\n- Walking\n- Transit\n---\n",
        ),
        (
            "crlf-bom",
            "\u{feff}---\r\ntitle: Windows\r\ntags:\r\n    - Parks\r\n    - Walking\r\n---\r\nText.\r\n",
        ),
        (
            "comma",
            "---\ntitle: Comma\ntags: Parks, Walking, Water\n---\n",
        ),
        (
            "anchor",
            "---\ntitle: Anchor\nplace: &p Harbour\ntags: [Walking, *p]\n---\n",
        ),
        ("without", "---\ntitle: Without\ntags: [Parks]\n---\n"),
    ];
    let mut docs = Vec::new();
    for (name, text) in styles {
        let p = dir.join(format!("cases/{name}/index.md"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        docs.push(PathBuf::from(format!("cases/{name}/index.md")));
    }
    let before = snapshot(dir);
    let site_before = site_read(dir, &docs);
    let o = casebook(
        dir,
        &["tags", "rename", "Walking", "Active travel", "cases"],
    );
    let err = stderr(&o);
    let after = snapshot(dir);
    let site_after = site_read(dir, &docs);
    // The alias `*p` makes the anchor document's list one Casebook will not edit item by item:
    // it is named, left as it was, and the run exits 2; every other one is done.
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_has(&err, "cases/anchor/index.md");
    for (doc, (name, _)) in docs.iter().zip(styles) {
        let (b, a) = (&before[doc], &after[doc]);
        let tags_b = get(site_before[doc].as_ref().unwrap(), "tags").unwrap();
        let tags_a = get(site_after[doc].as_ref().unwrap(), "tags").unwrap();
        match *name {
            "anchor" | "without" => {
                assert!(a == b, "{name} changed");
                continue;
            }
            _ => {}
        }
        let (removed, added) = changed_lines(b, a);
        assert_eq!(
            (removed.len(), added.len()),
            (1, 1),
            "{name}: {removed:?} {added:?}"
        );
        assert_eq!(
            removed[0].replacen("Walking", "Active travel", 1),
            added[0],
            "{name}"
        );
        assert_eq!(
            Some(tags_a.clone()),
            expected_tags(tags_b, "Walking", "Active travel"),
            "{name}"
        );
    }
    // Merging: `Transit` is there in two documents, so `Walking`'s line or item goes.
    let o = casebook(
        dir,
        &["tags", "rename", "Active travel", "Transit", "cases"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let merged = snapshot(dir);
    for name in ["flow-lines", "block-flush"] {
        let doc = PathBuf::from(format!("cases/{name}/index.md"));
        let (removed, added) = changed_lines(&after[&doc], &merged[&doc]);
        assert_eq!(removed.len(), 1, "{name}: {removed:?}");
        assert!(added.is_empty(), "{name}: {added:?}");
        let tags = get(
            site_read(dir, std::slice::from_ref(&doc))[&doc]
                .as_ref()
                .unwrap(),
            "tags",
        )
        .cloned()
        .unwrap();
        assert!(
            !tags.to_string().contains("Active travel"),
            "{name}: {tags}"
        );
        assert!(tags.to_string().contains("Transit"), "{name}: {tags}");
    }
}
