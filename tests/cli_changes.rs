//! `casebook changes` and the core's reading of git (`casebook_core::vcs`), on real git
//! repositories built in temporary folders with the `git` binary.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/cli.rs"]
mod cli_support;
#[path = "../crates/casebook-core/tests/support/corpus.rs"]
mod corpus_support;

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::edit::Edit;
use casebook_core::vcs::{self, Status};
use cli_support::{assert_has, casebook, stderr as err, stdout as text};
use serde_json::Value;

#[path = "support/git.rs"]
mod git_support;
use git_support::git;

fn write(path: &Path, content: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, content).unwrap();
}

/// A case document of our own: a title and a few lines that make it distinct.
fn case_text(title: &str, lines: &[&str]) -> String {
    let mut t = format!(
        "---\ntitle: {title}\nstatus: Draft\ntags: [Energy]\n---\n\n## Overview\n<!-- What it is. -->\n"
    );
    for l in lines {
        t.push_str(l);
        t.push('\n');
    }
    t
}

const LINES_A: &[&str] = &[
    "A district heating loop under the harbour.",
    "Pumps run on surplus wind power.",
    "The city owns the network.",
    "Residents pay by the kilowatt hour.",
];
const LINES_B: &[&str] = &[
    "Buses on the ring road run on batteries.",
    "Depots charge them overnight.",
    "Timetables are published as open data.",
];
const LINES_C: &[&str] = &[
    "A school garden feeds three canteens.",
    "Pupils keep the beds in summer.",
];

/// Writes `cases/<slug>/index.md` under `r`: `case_text(title, lines)`.
fn write_case(r: &Path, slug: &str, title: &str, lines: &[&str]) {
    write(
        &r.join("cases").join(slug).join("index.md"),
        &case_text(title, lines),
    );
}

/// An atlas checkout on `main` with three committed cases and a template.
fn atlas() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    git(r, &["init", "-q"]);
    write_case(r, "nor-harbour-heat", "Harbour heat", LINES_A);
    write(
        &r.join("cases/nor-harbour-heat/nor-harbour-heat.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": []}\n",
    );
    write_case(r, "swe-ring-buses", "Ring buses", LINES_B);
    write_case(r, "dnk-school-gardens", "School gardens", LINES_C);
    write(
        &r.join("templates/case-study/index.md"),
        "---\ntitle:\n---\n",
    );
    write(&r.join(".gitignore"), "*.tmp\n");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "three cases"]);
    t
}

fn changes_json(path: &Path, since: Option<&str>) -> Value {
    let p = path.display().to_string();
    let mut args = vec!["changes", p.as_str(), "--format", "json"];
    if let Some(s) = since {
        args.extend(["--since", s]);
    }
    let o = casebook(&args);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o), err(&o));
    serde_json::from_str(&text(&o)).unwrap_or_else(|e| panic!("{e}: {}", text(&o)))
}

/// A file's `(path, status, from)`.
type FileRow = (String, String, String);

/// `(path, status, [(file, status, from)])` for each case in the JSON list.
fn summary(v: &Value) -> Vec<(String, String, Vec<FileRow>)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    v["cases"]
        .as_array()
        .map(|cases| {
            cases
                .iter()
                .map(|c| {
                    let files = c["files"]
                        .as_array()
                        .map(|fs| {
                            fs.iter()
                                .map(|f| (s(&f["path"]), s(&f["status"]), s(&f["from"])))
                                .collect()
                        })
                        .unwrap_or_default();
                    (s(&c["path"]), s(&c["status"]), files)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A case's `(path, status, files)`.
fn row(path: &str, status: &str, files: Vec<FileRow>) -> (String, String, Vec<FileRow>) {
    (path.into(), status.into(), files)
}

fn f(path: &str, status: &str, from: &str) -> FileRow {
    (path.into(), status.into(), from.into())
}

#[test]
fn a_clean_checkout_has_no_changes() {
    let t = atlas();
    let o = casebook(&["changes", &t.path().display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(text(&o).starts_with("No case changed in "), "{}", text(&o));
    assert_eq!(summary(&changes_json(t.path(), None)), vec![]);
}

#[test]
fn added_modified_deleted_and_renamed_cases() {
    let t = atlas();
    let r = t.path();
    // Added: a new case folder, untracked (every file of it counts as added), with an
    // ignored file that must not show.
    write_case(
        r,
        "fin-bike-lanes",
        "Bike lanes",
        &["Lanes are heated in winter."],
    );
    write(&r.join("cases/fin-bike-lanes/notes.tmp"), "ignored\n");
    // Modified: index.md staged, a photo untracked.
    let buses = r.join("cases/swe-ring-buses/index.md");
    write(
        &buses,
        &case_text("Ring buses", LINES_B).replace("Draft", "Review"),
    );
    git(r, &["add", "cases/swe-ring-buses/index.md"]);
    write(
        &r.join("cases/swe-ring-buses/depot.jpg"),
        "not really a photo\n",
    );
    // Deleted: removed from the working tree only.
    std::fs::remove_dir_all(r.join("cases/dnk-school-gardens")).unwrap();
    // Renamed: the folder moved (and its boundary named after it), index.md edited a little.
    git(
        r,
        &[
            "mv",
            "cases/nor-harbour-heat",
            "cases/nor-oslo-harbour-heat",
        ],
    );
    git(
        r,
        &[
            "mv",
            "cases/nor-oslo-harbour-heat/nor-harbour-heat.geojson",
            "cases/nor-oslo-harbour-heat/nor-oslo-harbour-heat.geojson",
        ],
    );
    let heat = r.join("cases/nor-oslo-harbour-heat/index.md");
    write(&heat, &case_text("Oslo harbour heat", LINES_A));
    // A file outside every case.
    write(
        &r.join("templates/case-study/index.md"),
        "---\ntitle:\nstatus:\n---\n",
    );

    let git_index = std::fs::read(r.join(".git/index")).unwrap_or_default();
    let v = changes_json(r, None);
    // It only reads: not even git's index is refreshed.
    assert!(std::fs::read(r.join(".git/index")).unwrap_or_default() == git_index);
    assert_eq!(
        summary(&v),
        vec![
            row(
                "cases/dnk-school-gardens",
                "deleted",
                vec![f("index.md", "deleted", "")]
            ),
            row(
                "cases/fin-bike-lanes",
                "added",
                vec![f("index.md", "added", "")]
            ),
            row(
                "cases/nor-oslo-harbour-heat",
                "renamed",
                vec![
                    f("index.md", "modified", ""),
                    f(
                        "nor-oslo-harbour-heat.geojson",
                        "renamed",
                        "nor-harbour-heat.geojson"
                    ),
                ]
            ),
            row(
                "cases/swe-ring-buses",
                "modified",
                vec![f("depot.jpg", "added", ""), f("index.md", "modified", "")]
            ),
        ]
    );
    assert_eq!(v["cases"][2]["from"], "cases/nor-harbour-heat");
    assert!(
        v["cases"][2]["similarity"]
            .as_u64()
            .is_some_and(|s| (50..100).contains(&s))
    );
    assert_eq!(v["other"][0]["path"], "templates/case-study/index.md");
    assert_eq!(v["totals"]["cases"], 4);
    assert_eq!(v["base"]["rev"], "HEAD");
    assert_eq!(v["base"]["merge_base"], false);
    assert_eq!(v["base"]["commit"], git(r, &["rev-parse", "HEAD"]));

    // The text list says the same, one line per case and per file.
    let o = casebook(&["changes", &r.display().to_string()]);
    let out = text(&o);
    for line in [
        "D  cases/dnk-school-gardens/\n",
        "A  cases/fin-bike-lanes/\n     A  index.md\n",
        "R  cases/nor-oslo-harbour-heat/ <- cases/nor-harbour-heat/ (",
        "     R  nor-oslo-harbour-heat.geojson <- nor-harbour-heat.geojson\n",
        "M  cases/swe-ring-buses/\n     A  depot.jpg\n     M  index.md\n",
        "4 cases changed: 1 added, 1 modified, 1 renamed, 1 deleted\n",
    ] {
        assert!(out.contains(line), "{line:?} in\n{out}");
    }
    assert!(!out.contains("notes.tmp"), "{out}");

    // Only one case, asked for by its folder.
    let one = changes_json(&r.join("cases/swe-ring-buses"), None);
    assert_eq!(summary(&one).len(), 1);
    assert_eq!(one["scope"], "cases/swe-ring-buses");
}

#[test]
fn a_new_case_unlike_any_deleted_one_is_not_a_rename() {
    let t = atlas();
    let r = t.path();
    std::fs::remove_dir_all(r.join("cases/dnk-school-gardens")).unwrap();
    write(
        &r.join("cases/isl-geothermal/index.md"),
        "---\ntitle: Geothermal\n---\n\nSteam.\n",
    );
    let v = changes_json(r, None);
    let s = summary(&v);
    assert_eq!(s[0].1, "deleted");
    assert_eq!(s[1].1, "added");
}

#[test]
fn a_branch_is_compared_with_its_merge_base() {
    let t = atlas();
    let r = t.path();
    git(r, &["checkout", "-q", "-b", "review/new-case"]);
    write_case(
        r,
        "fin-bike-lanes",
        "Bike lanes",
        &["Lanes are heated in winter."],
    );
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "a new case"]);
    // After the branch left, main moves on: its new case is not the branch's change.
    git(r, &["checkout", "-q", "main"]);
    write_case(r, "est-tram", "Tram", &["A tram line."]);
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "main moves on"]);
    let base = git(r, &["rev-parse", "HEAD~1"]);
    git(r, &["checkout", "-q", "review/new-case"]);
    // Not committed yet on the branch.
    let buses = r.join("cases/swe-ring-buses/index.md");
    write(
        &buses,
        &case_text("Ring buses", LINES_B).replace("[Energy]", "[Mobility]"),
    );

    let v = changes_json(r, Some("main"));
    assert_eq!(v["base"]["rev"], "main");
    assert_eq!(v["base"]["merge_base"], true);
    assert_eq!(v["base"]["commit"], base.as_str());
    assert_eq!(
        summary(&v),
        vec![
            row(
                "cases/fin-bike-lanes",
                "added",
                vec![f("index.md", "added", "")]
            ),
            row(
                "cases/swe-ring-buses",
                "modified",
                vec![f("index.md", "modified", "")]
            ),
        ]
    );
    // Against HEAD, only what is not committed.
    assert_eq!(summary(&changes_json(r, None)).len(), 1);
    let o = casebook(&["changes", &r.display().to_string(), "--since", "main"]);
    assert_has(&text(&o), "against main (merge base ");

    // The branches to choose from.
    let b = vcs::branches(r).unwrap();
    assert_eq!(b.current.as_deref(), Some("review/new-case"));
    assert_eq!(b.local, ["main", "review/new-case"]);

    // An unknown reference cannot run.
    let o = casebook(&[
        "changes",
        &r.display().to_string(),
        "--since",
        "no-such-branch",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_has(&err(&o), "`no-such-branch` is not a commit, branch or tag");
}

#[test]
fn no_repository_hides_the_feature_and_everything_else_works() {
    let t = tempfile::tempdir().unwrap();
    let case = t.path().join("cases/nor-harbour-heat");
    write(&case.join("index.md"), &case_text("Harbour heat", LINES_A));
    assert_eq!(vcs::discover(t.path()), Ok(None));
    let o = casebook(&["changes", &t.path().display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not in a git repository"), "{}", err(&o));
    assert!(text(&o).is_empty());
    // The rest of Casebook does not need git.
    let o = casebook(&["set", &case.display().to_string(), "status=Review"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = casebook(&["check", &case.display().to_string()]);
    assert_ne!(o.status.code(), Some(2), "{}", err(&o));
    let o = casebook(&["changes", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no such file or folder"), "{}", err(&o));
}

#[test]
fn a_file_changed_in_git_and_in_the_editor() {
    let t = atlas();
    let r = t.path();
    let main_text = case_text("Ring buses", LINES_B);
    git(r, &["checkout", "-q", "-b", "edit"]);
    let index = r.join("cases/swe-ring-buses/index.md");
    let committed = main_text.replace("Draft", "Review");
    write(&index, &committed);
    git(r, &["commit", "-q", "-am", "review the buses"]);
    // Then the editor changes the same file and saves it (the app's path: an Edit, the
    // safe save).
    let mut case = Case::open_for_update(&r.join("cases/swe-ring-buses")).unwrap();
    case.apply(&Edit::set("title", "Ring road buses")).unwrap();
    case.save(false).unwrap();
    drop(case);
    let now = std::fs::read_to_string(&index).unwrap_or_default();
    assert!(now.contains("title: Ring road buses") && now.contains("status: Review"));

    // Against HEAD: modified (the editor's change); against main: modified once (both).
    for since in [None, Some("main")] {
        let v = changes_json(r, since);
        assert_eq!(
            summary(&v),
            vec![row(
                "cases/swe-ring-buses",
                "modified",
                vec![f("index.md", "modified", "")]
            )],
            "{since:?}"
        );
    }
    // The reference texts the Changes view diffs against.
    let c = vcs::changes(r, Some("main")).unwrap();
    let base = c.base.commit.clone().unwrap_or_default();
    let at = |rev: &str| vcs::blob_at(r, rev, &index).unwrap();
    assert_eq!(at("HEAD").as_deref(), Some(committed.as_bytes()));
    assert_eq!(at(&base).as_deref(), Some(main_text.as_bytes()));
    assert_eq!(at("main").as_deref(), Some(main_text.as_bytes()));
    assert_eq!(
        vcs::blob_at(r, "HEAD", &r.join("cases/none/index.md")),
        Ok(None)
    );
    assert!(c.case_at(&r.join("cases/swe-ring-buses")).is_some());
    assert!(c.case_at(&r.join("cases/nor-harbour-heat")).is_none());

    // Saved back to what HEAD holds: no change against HEAD (content, not timestamps).
    write(&index, &committed);
    assert_eq!(summary(&changes_json(r, None)), vec![]);
}

#[test]
fn a_repository_without_commits_lists_everything_as_added() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    git(r, &["init", "-q"]);
    write_case(r, "nor-harbour-heat", "Harbour heat", LINES_A);
    let v = changes_json(r, None);
    assert_eq!(v["base"]["commit"], Value::Null);
    assert_eq!(
        summary(&v),
        vec![row(
            "cases/nor-harbour-heat",
            "added",
            vec![f("index.md", "added", "")]
        )]
    );
    let o = casebook(&["changes", &r.display().to_string(), "--since", "main"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn discover_names_the_top_and_branch() {
    let t = atlas();
    let info = vcs::discover(&t.path().join("cases/swe-ring-buses"))
        .unwrap()
        .unwrap_or_else(|| panic!("a repository"));
    let top: PathBuf = t.path().canonicalize().unwrap();
    assert_eq!(info.workdir, top);
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert_eq!(
        info.head.as_deref(),
        Some(git(t.path(), &["rev-parse", "HEAD"]).as_str())
    );
    assert_eq!(Status::Renamed.letter(), 'R');
    // What the app will compute on a worker thread and hand back.
    fn send<T: Send + 'static>(_: &T) {}
    let c = vcs::changes(t.path(), None).unwrap();
    send(&c);
    send(&vcs::branches(t.path()).unwrap());
}

/// Every `*.md` under `dir` with its text.
fn markdown_files(dir: &Path, out: &mut Vec<(String, String)>, top: &Path) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            markdown_files(&p, out, top);
        } else if p.extension().is_some_and(|x| x == "md") {
            let rel = p.strip_prefix(top).unwrap_or(&p).display().to_string();
            out.push((
                rel,
                String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default()).into_owned(),
            ));
        }
    }
}

#[test]
fn no_two_corpus_cases_are_taken_for_one_renamed() {
    let Some(corpus) = corpus_support::corpus("corpus changes tests") else {
        return;
    };
    let mut all = Vec::new();
    markdown_files(&corpus, &mut all, &corpus);
    let cases: Vec<&(String, String)> = all
        .iter()
        .filter(|(p, _)| p.ends_with("/index.md") && !p.starts_with("templates"))
        .collect();
    assert!(cases.len() >= 55);
    let title = |t: &str| {
        casebook_core::document::Document::from_text(t)
            .value("title")
            .and_then(|v| v.as_str().map(str::to_string))
    };
    // As if `b` were new and `a` deleted: the base holds every document but `b`.
    let mut highest_unrelated = 0;
    let mut alike = 0;
    for (pb, b) in &cases {
        let base = vcs::Boilerplate::from_texts(
            all.iter().filter(|(p, _)| p != pb).map(|(_, t)| t.as_str()),
        );
        for (pa, a) in &cases {
            if pa == pb {
                continue;
            }
            let s = base.similarity(a, b);
            if s >= vcs::RENAME_SIMILARITY {
                // Only an old copy of the same case (retired, then moved) is that alike.
                assert_eq!(title(a), title(b), "{pa} and {pb}: {s}%");
                alike += 1;
            } else if title(a) != title(b) {
                highest_unrelated = highest_unrelated.max(s);
            }
        }
    }
    assert!(highest_unrelated < 20, "{highest_unrelated}%");
    // The retired copy of the Chicago case and the case itself, both ways.
    assert_eq!(alike, 2);
}

/// Copies the tree `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// The first case folder under `cases/` of the corpus copy whose name starts with `prefix`.
fn case_named(r: &Path, prefix: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(r.join("cases"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no case {prefix}*"))
}

#[test]
fn changes_in_a_repository_holding_the_whole_corpus() {
    let Some(corpus) = corpus_support::corpus("corpus changes tests") else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    copy_tree(&corpus, r);
    git(r, &["init", "-q"]);
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "the atlas"]);
    assert_eq!(summary(&changes_json(r, None)), vec![]);

    // A case moved to a new folder, one line of it edited.
    let moved = case_named(r, "nzl-");
    let to = format!("{moved}-city");
    std::fs::rename(r.join("cases").join(&moved), r.join("cases").join(&to)).unwrap();
    let index = r.join("cases").join(&to).join("index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    write(
        &index,
        &text.replacen("status: Complete", "status: Review", 1),
    );
    // A case deleted.
    let gone = case_named(r, "rwa-");
    std::fs::remove_dir_all(r.join("cases").join(&gone)).unwrap();
    // A new case made from the template: nothing in it but the template's lines, so it is
    // not taken for the deleted case.
    let template = std::fs::read_to_string(r.join("templates/case-2024/index.md")).unwrap();
    write(&r.join("cases/isl-reykjavik-heat/index.md"), &template);
    // A boundary edited.
    let edited = case_named(r, "jpn-fujisawa");
    let geo: Vec<PathBuf> = std::fs::read_dir(r.join("cases").join(&edited))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .collect();
    let mut g = std::fs::read(&geo[0]).unwrap();
    g.push(b'\n');
    std::fs::write(&geo[0], g).unwrap();
    let geo_name = geo[0]
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();

    let v = changes_json(&r.join("cases"), None);
    let mut want = vec![
        (
            format!("cases/{edited}"),
            "modified".to_string(),
            vec![f(&geo_name, "modified", "")],
        ),
        (
            "cases/isl-reykjavik-heat".to_string(),
            "added".to_string(),
            vec![f("index.md", "added", "")],
        ),
        (
            format!("cases/{to}"),
            "renamed".to_string(),
            vec![f("index.md", "modified", "")],
        ),
        (format!("cases/{gone}"), "deleted".to_string(), Vec::new()),
    ];
    // The deleted case lists every file it had.
    let gone_files = git(r, &["ls-files", &format!("cases/{gone}")]);
    want[3].2 = gone_files
        .lines()
        .map(|p| f(&p[format!("cases/{gone}/").len()..], "deleted", ""))
        .collect();
    want.sort();
    assert_eq!(summary(&v), want);
    let renamed = v["cases"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["status"] == "renamed"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(renamed["from"], format!("cases/{moved}"));
    assert!(
        renamed["similarity"].as_u64().is_some_and(|s| s >= 90),
        "{renamed}"
    );
}
