//! Issue 8 (front matter), finding by finding, through the built `casebook` binary: what
//! `casebook set` and `casebook new` write reads the same for the atlas site (YAML 1.1) and for
//! Casebook, ill-formed values are refused with exit 2 and the file untouched, comments and
//! spacing survive, centroids are `[lat, lon]`. The site's own reader checks the same on the
//! whole corpus in `tests/site_reader.rs`.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/cli.rs"]
mod cli_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use cli_support::{assert_has, casebook_in as casebook};
use serde_yaml::{Mapping, Value};

fn text_of(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A case folder `esp-test` holding `index` as its index.md.
fn case_with(dir: &Path, index: &str) -> PathBuf {
    let case = dir.join("esp-test");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("index.md"), index).unwrap();
    case
}

fn read(case: &Path) -> String {
    std::fs::read_to_string(case.join("index.md")).unwrap()
}

fn set(case: &Path, assignment: &str) -> Output {
    casebook(&["set", &case.display().to_string(), assignment], None)
}

/// Runs `casebook new` (Spain, `city`, `title`) into `dir`, which must succeed; the new
/// case's index.md, as the command printed it.
#[track_caller]
fn new_case(dir: &Path, city: &str, title: &str) -> PathBuf {
    let dir = dir.display().to_string();
    let args = [
        "new",
        "--country",
        "ESP",
        "--city",
        city,
        "--title",
        title,
        "--dir",
        &dir,
    ];
    let o = casebook(&args, None);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())
}

/// Runs `casebook set` on `case`, which must succeed; the case's index.md after it.
#[track_caller]
fn set_ok(case: &Path, assignment: &str) -> String {
    let o = set(case, assignment);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    read(case)
}

/// The front matter of `text` as serde_yaml reads it.
fn front(text: &str) -> Mapping {
    let body = text.trim_start_matches('\u{feff}');
    let Some(rest) = body.strip_prefix("---\n") else {
        panic!("no front matter: {text}")
    };
    let end = rest.find("\n---").map_or(rest.len(), |i| i + 1);
    serde_yaml::from_str(&rest[..end]).unwrap_or_else(|e| panic!("{e}: {text}"))
}

const CASE: &str = "---\ntitle: Harbour district\ndescription: A new district by the water.\nstatus: Draft\nauthor: A. Writer\ntype: district\ncity: Valencia\ncountry_code: ESP\ncentroid: [39.4561165, -0.3545661]\nyear_start: 2019\nyear_completed: Ongoing\ntags:\n  - Mobility\n  - Energy\ngeography: ./esp-test.geojson\n---\n\n## Overview\n\nText.\n";

// Finding 1: YAML 1.1 readings.

#[test]
fn yaml11_time_like_title_is_quoted() {
    let t = tmp();
    let case = case_with(t.path(), CASE);
    let after = set_ok(&case, "title=12:30");
    assert_has(&after, "\ntitle: '12:30'\n");
    assert_eq!(
        after,
        CASE.replace("title: Harbour district", "title: '12:30'")
    );
}

#[test]
fn yaml11_numbers_and_dates_are_quoted_in_every_text_field() {
    let t = tmp();
    for field in [
        "title",
        "description",
        "author",
        "city",
        "featured_credit",
        "geography_caption",
    ] {
        for value in [
            "1:2:3",
            "010",
            "1_000",
            "2024-01-01",
            "2024-01-01T10:00:00Z",
            "0x1F",
            "yes",
            "Off",
        ] {
            let case = case_with(t.path(), CASE);
            let after = set_ok(&case, &format!("{field}={value}"));
            assert!(
                after.contains(&format!("\n{field}: '{value}'\n")),
                "{field}={value}: {after}"
            );
            assert_eq!(
                front(&after).get(field),
                Some(&Value::String(value.to_string()))
            );
        }
    }
}

#[test]
fn yaml11_list_items_keep_their_quotes() {
    let t = tmp();
    let case = case_with(t.path(), CASE);
    let after = set_ok(&case, r#"tags=["12:30", 2024-01-01, Energy]"#);
    assert_has(
        &after,
        "tags:\n  - '12:30'\n  - '2024-01-01'\n  - Energy\ngeography",
    );
}

#[test]
fn yaml11_new_case_values_are_quoted() {
    let t = tmp();
    let index = new_case(t.path(), "12:30", "2024-01-01");
    let text = std::fs::read_to_string(&index).unwrap();
    assert_has(&text, "\ntitle: '2024-01-01'\n");
    assert_has(&text, "\ncity: '12:30'\n");
    let check = casebook(&["check", &index.display().to_string()], None);
    assert!(!text_of(&check).contains("CB001"), "{}", text_of(&check));
}

// Finding 2: anchors.

#[test]
fn anchor_edit_refused_with_lines() {
    let t = tmp();
    let index = "---\ntitle: &t Hello\nstatus: Draft\ncity: *t\n---\n";
    let case = case_with(t.path(), index);
    let o = set(&case, "title=World");
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 2") && err.contains("line 4") && err.contains("`city`"),
        "{err}"
    );
    assert_eq!(read(&case), index, "the file is untouched");
    // The key using the alias can be changed.
    let o = set(&case, "city=Oslo");
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    assert_eq!(read(&case), index.replace("*t", "Oslo"));
}

#[test]
fn anchor_on_a_list_edit_refused() {
    let t = tmp();
    let index = "---\ntags: &themes [Mobility, Energy]\nalso: *themes\n---\n";
    let case = case_with(t.path(), index);
    let o = set(&case, "tags=[Food]");
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 3"));
    assert_eq!(read(&case), index);
}

// Finding 3: multi-line values.

#[test]
fn multi_line_values_are_replaced_whole() {
    let t = tmp();
    for (index, assignment, expected) in [
        (
            "---\ntitle: \"a long\ntitle here\"\nstatus: Draft\n---\n",
            "title=Short",
            "---\ntitle: \"Short\"\nstatus: Draft\n---\n",
        ),
        (
            "---\ntitle: a long\n  title here\nstatus: Draft\n---\n",
            "title=Short",
            "---\ntitle: Short\nstatus: Draft\n---\n",
        ),
        (
            "---\ntags: [Mobility,\nEnergy]\nstatus: Draft\n---\n",
            "tags=[Food]",
            "---\ntags: [Food]\nstatus: Draft\n---\n",
        ),
        (
            "---\ndescription: >\n  folded\n  text\nstatus: Draft\n---\n",
            "description=Short",
            "---\ndescription: >-\n  Short\nstatus: Draft\n---\n",
        ),
    ] {
        let case = case_with(t.path(), index);
        let check = casebook(&["check", &case.display().to_string()], None);
        assert!(
            !text_of(&check).contains("CB001"),
            "{index:?}: {}",
            text_of(&check)
        );
        let o = set(&case, assignment);
        assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
        assert_eq!(read(&case), expected, "{index:?}");
    }
}

// Finding 4: coercions.

#[test]
fn quoted_year_on_the_command_line_is_that_text() {
    let t = tmp();
    let case = case_with(t.path(), CASE);
    let after = set_ok(&case, "year_completed='2030'");
    assert_has(&after, "\nyear_completed: '2030'\n");
    assert_eq!(
        front(&after).get("year_completed"),
        Some(&Value::String("2030".into()))
    );
}

#[test]
fn null_and_tilde_mean_null() {
    let t = tmp();
    for v in ["null", "~", ""] {
        let case = case_with(t.path(), CASE);
        let after = set_ok(&case, &format!("year_end={v}"));
        assert_eq!(front(&after).get("year_end"), Some(&Value::Null), "{v}");
        let o = set(&case, &format!("year_completed={v}"));
        assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
        assert_eq!(
            front(&read(&case)).get("year_completed"),
            Some(&Value::Null),
            "{v}"
        );
    }
}

#[test]
fn ill_formed_values_are_refused_and_the_file_untouched() {
    let t = tmp();
    for assignment in [
        "tags=[a: b]",
        "tags=[[a], b]",
        "tags=[*x]",
        "tags=[a, {b: c}]",
        "tags=[a, b",
        "centroid=[1e303, 1]",
        "centroid=[.inf, 1]",
        "centroid=[91, 0]",
        "centroid=[1, 2, 3]",
        "centroid=somewhere",
        "year_start=12:30",
        "year_start=Ongoing",
        "year_completed=soon",
        "year_completed=20300",
    ] {
        let case = case_with(t.path(), CASE);
        let o = set(&case, assignment);
        assert_eq!(o.status.code(), Some(2), "{assignment}: {}", text_of(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("index.md") && err.contains("nothing was changed"),
            "{assignment}: {err}"
        );
        assert_eq!(read(&case), CASE, "{assignment}: the file is untouched");
    }
}

#[test]
fn front_matter_size_guard_refuses_the_write() {
    let t = tmp();
    let case = case_with(t.path(), CASE);
    let big = "a few words ".repeat(6_000); // ~70 KB
    let o = set(&case, &format!("description={big}"));
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("KiB"),
        "{}",
        text_of(&o)
    );
    assert_eq!(read(&case), CASE);
}

// Finding 5: the end marker.

#[test]
fn dots_end_marker_fails_check() {
    let t = tmp();
    let case = case_with(
        t.path(),
        "---\ntitle: Harbour district\nstatus: Draft\n...\n\n## Overview\n\nText.\n",
    );
    let o = casebook(&["check", &case.display().to_string()], None);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    assert_has(&text_of(&o), "CB001");
    assert_has(&text_of(&o), "`...`");
}

// Finding 6: comments and spacing.

#[test]
fn comments_and_spacing_are_kept() {
    let t = tmp();
    let index = "---\ntitle : Harbour district\ndescription: | # one or two sentences\n  A district.\ntags: # the atlas's themes\n  # the main one first\n  - Mobility\n  - Energy\n---\n";
    let case = case_with(t.path(), index);
    for a in [
        "title=Harbour",
        "description=Two\nlines.",
        "tags=[Food, Energy]",
    ] {
        let o = set(&case, a);
        assert_eq!(o.status.code(), Some(0), "{a}: {}", text_of(&o));
    }
    assert_eq!(
        read(&case),
        "---\ntitle : Harbour\ndescription: |- # one or two sentences\n  Two\n  lines.\ntags: # the atlas's themes\n  # the main one first\n  - Food\n  - Energy\n---\n"
    );
}

#[test]
fn equal_values_leave_the_file_untouched() {
    let t = tmp();
    let case = case_with(t.path(), CASE);
    for a in [
        "year_start=2019",
        "year_start=2019.0",
        "tags=[Mobility, Energy]",
        "centroid=[39.4561165, -0.3545661]",
        "centroid=[39.45611650, -0.35456610]",
    ] {
        let o = set(&case, a);
        assert_eq!(o.status.code(), Some(0), "{a}: {}", text_of(&o));
        assert!(text_of(&o).contains("unchanged"), "{a}: {}", text_of(&o));
        assert_eq!(read(&case), CASE, "{a}");
    }
    // A changed centroid is rounded.
    let o = set(&case, "centroid=[39.1234567, -0.1234567]");
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    assert!(read(&case).contains("centroid: [39.123457, -0.123457]\n"));
}

// Finding 7: centroid style.

#[test]
fn centroid_own_full_precision_value_is_not_rewritten() {
    let Some(corpus) = std::env::var_os("CASEBOOK_CORPUS").map(PathBuf::from) else {
        eprintln!("CASEBOOK_CORPUS is not set: corpus centroid test skipped");
        return;
    };
    let t = tmp();
    let (mut tried, mut precise) = (0, 0);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus.join("cases"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("index.md").is_file())
        .collect();
    entries.sort();
    for dir in entries {
        let text = std::fs::read_to_string(dir.join("index.md")).unwrap_or_default();
        let Some(line) = text.lines().find(|l| l.starts_with("centroid:")) else {
            continue;
        };
        let raw = line["centroid:".len()..].trim();
        if !raw.starts_with('[') {
            continue;
        }
        tried += 1;
        if raw
            .split([',', '[', ']'])
            .any(|n| n.trim().split('.').nth(1).is_some_and(|d| d.len() > 6))
        {
            precise += 1;
        }
        let case = case_with(t.path(), &text);
        let o = set(&case, &format!("centroid={raw}"));
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            dir.display(),
            text_of(&o)
        );
        assert_eq!(read(&case), text, "{}: rewritten", dir.display());
    }
    eprintln!("{tried} corpus centroids set to themselves, {precise} with more than 6 decimals");
    assert!(tried >= 40 && precise >= 1, "{tried} / {precise}");
}

#[test]
fn new_case_centroid_is_flow() {
    let t = tmp();
    let index = new_case(t.path(), "Valencia", "Harbour");
    let case = index.parent().map(Path::to_path_buf).unwrap_or_default();
    let o = set(&case, "centroid=[39.4561, -0.3545]");
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let o = set(&case, "tags=[Mobility, Energy]");
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let text = read(&case);
    assert_has(&text, "\ncentroid: [39.4561, -0.3545]\n");
    // Tags follow the template (a block list), not the `[]` the new case starts with.
    assert_has(&text, "\ntags:\n  - Mobility\n  - Energy\n");
}
