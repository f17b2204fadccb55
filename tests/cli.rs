//! The `casebook` command line, run as a built binary.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/cli.rs"]
mod cli_support;
#[path = "../crates/casebook-core/tests/support/corpus.rs"]
mod corpus_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use cli_support::{assert_has, casebook_in as casebook, copy_case, stdout};

/// `casebook set CASE ARGS…`.
fn set(case: &Path, args: &[&str]) -> Output {
    let case = case.display().to_string();
    casebook(&[&["set", case.as_str()], args].concat(), None)
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/gbr-kings-cross")
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn check_sample_has_no_errors() {
    let o = casebook(&["check", &sample().display().to_string()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_has(&stdout(&o), "1 case checked: 0 errors");
}

#[test]
fn check_missing_path_cannot_run() {
    let o = casebook(&["check", "/no/such/place"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/place"));
}

#[test]
fn check_corpus_finds_real_problems() {
    let Some(c) = corpus_support::corpus("corpus CLI tests") else {
        return;
    };
    let cases = c.join("cases").display().to_string();
    let check_json = || casebook(&["check", "--format", "json", &cases], None);
    let o = casebook(&["check", &cases], None);
    assert_eq!(
        o.status.code(),
        Some(1),
        "errors are expected in the corpus"
    );
    let out = stdout(&o);
    assert!(
        out.contains("55 cases checked"),
        "{}",
        &out[out.len().saturating_sub(400)..]
    );
    assert!(
        out.contains("CB005") && out.contains("HKG"),
        "the HK country code is flagged with its fix"
    );
    let json = check_json();
    let v: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    let cases = v["cases"].as_array().map(Vec::len);
    assert_eq!(cases, Some(55));
    let hk = v["cases"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|c| c["folder"] == "hk-energizing-kowloon-east-initiative")
        })
        .cloned()
        .unwrap_or_default();
    let codes: Vec<&str> = hk["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(codes.contains(&"CB005"), "{codes:?}");
    // Deterministic output.
    let again = check_json();
    assert_eq!(json.stdout, again.stdout);
}

#[test]
fn set_changes_one_line_and_dry_run_changes_nothing() {
    let t = tmp();
    let case = copy_case(&sample(), t.path());
    let index = case.join("index.md");
    let before = std::fs::read_to_string(&index).unwrap_or_default();

    let dry = set(&case, &["status=Complete", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    assert_has(&stdout(&dry), "-status: Review");
    assert_has(&stdout(&dry), "+status: Complete");
    assert_eq!(std::fs::read_to_string(&index).unwrap_or_default(), before);

    let o = set(&case, &["status=Complete"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let after = std::fs::read_to_string(&index).unwrap_or_default();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, vec![("status: Review", "status: Complete")]);
    assert_eq!(before.lines().count(), after.lines().count());

    // The same value again: the file is not touched.
    let mtime = std::fs::metadata(&index).and_then(|m| m.modified()).ok();
    let o = set(&case, &["status=Complete"]);
    assert!(stdout(&o).contains("unchanged"));
    assert_eq!(
        std::fs::metadata(&index).and_then(|m| m.modified()).ok(),
        mtime
    );
}

#[test]
fn set_lists_and_centroid() {
    let t = tmp();
    let case = copy_case(&sample(), t.path());
    let o = set(
        &case,
        &["tags=[Mobility, Energy]", "centroid=[31.3196, 120.7706]"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(case.join("index.md")).unwrap_or_default();
    assert!(
        text.contains("tags:\n  - Mobility\n  - Energy\n"),
        "block list stays block:\n{text}"
    );
    assert!(text.contains("centroid: [31.3196, 120.7706]\n"));
    let bad = set(&case, &["centroid=[1, x]"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn new_case_never_overwrites() {
    let t = tmp();
    let args = [
        "new",
        "--template",
        "case-study",
        "--country",
        "PRT",
        "--city",
        "Lisbon",
        "--title",
        "Parque das Nações",
        "--dir",
    ];
    let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    a.push(t.path().display().to_string());
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = casebook(&refs, None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let dir = t.path().join("prt-parque-das-nacoes");
    let index = std::fs::read_to_string(dir.join("index.md")).unwrap_or_default();
    assert!(index.contains("title: Parque das Nações"));
    assert!(index.contains("country_code: PRT"));
    assert!(index.contains("geography: ./prt-parque-das-nacoes.geojson"));
    let geo =
        std::fs::read_to_string(dir.join("prt-parque-das-nacoes.geojson")).unwrap_or_default();
    assert!(geo.contains("FeatureCollection"));
    let again = casebook(&refs, None);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let bad = casebook(
        &[
            "new",
            "--country",
            "XX",
            "--city",
            "A",
            "--title",
            "B",
            "--dir",
            &t.path().display().to_string(),
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn templates_are_listed() {
    let o = casebook(&["templates"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for name in ["case-study", "case-study-2023", "stub"] {
        assert!(out.contains(name), "{out}");
    }
}

#[test]
fn spelling_hints_show_with_verbose_and_in_json_and_never_fail() {
    let t = tmp();
    let case = copy_case(&sample(), &t.path().join("cases"));
    let index = case.join("index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    // Plant a misspelling in the first section's text.
    let Some(at) = text
        .find("\n## ")
        .and_then(|h| text[h + 1..].find("\n\n").map(|i| h + 1 + i + 2))
    else {
        panic!("no section in the sample")
    };
    let planted = format!("{}The goverment agreed.\n\n{}", &text[..at], &text[at..]);
    std::fs::write(&index, planted).unwrap();
    let path = case.display().to_string();
    let plain = casebook(&["check", &path], None);
    assert_eq!(plain.status.code(), Some(0), "{}", stdout(&plain));
    assert!(!stdout(&plain).contains("CB033"), "{}", stdout(&plain));
    let verbose = casebook(&["check", "--verbose", &path], None);
    assert_eq!(verbose.status.code(), Some(0));
    let out = stdout(&verbose);
    assert!(
        out.contains("hint    CB033")
            && out.contains("`goverment`")
            && out.contains("`government`"),
        "{out}"
    );
    assert_has(&out, "hints");
    let json = casebook(&["check", "--format", "json", &path], None);
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    let diags = v["cases"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let spelled: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "CB033").collect();
    assert!(!spelled.is_empty(), "{diags:?}");
    let g = spelled
        .iter()
        .find(|d| d["spelling"]["word"] == "goverment")
        .unwrap_or_else(|| panic!("{spelled:?}"));
    assert_eq!(g["severity"], "hint");
    assert_eq!(g["spelling"]["suggestions"][0], "government");
    assert!(g["line"].as_u64().is_some_and(|l| l > 1));
    assert!(
        v["totals"]["hints"].as_u64().is_some_and(|n| n >= 1),
        "{}",
        v["totals"]
    );
}
