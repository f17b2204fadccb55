//! The atlas site's reader judges what Casebook writes.
//!
//! A table of awkward values is written into a copy of every corpus document (cases, retired
//! cases, stubs and templates, at `CASEBOOK_CORPUS`) twice: through the core (the same
//! `Edit::SetField` the form uses) and through the built `casebook set` binary. Every written
//! file is then read by the site's own reader, gray-matter 4.0.3 with js-yaml 3 (YAML 1.1),
//! installed from the lockfile in `tests/site-reader/` (`npm ci` there). The test asserts that
//! the site reads exactly the intended value for the key written and every other key as it
//! read it before.
//!
//! Without node or `tests/site-reader/node_modules` the test skips with a loud message, unless
//! `CASEBOOK_REQUIRE_SITE_READER=1` (as in CI), which makes that a failure.

#[path = "../crates/casebook-core/tests/support/corpus.rs"]
mod corpus_support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use casebook_core::document::Document;
use casebook_core::edit::Edit;
use casebook_core::yaml11::{self, Plain};
use corpus_support::{corpus_dir, documents};
use serde_yaml::Value;

/// What the site read: the tagged values `tests/site-reader/read.js` prints.
#[derive(Debug, Clone, PartialEq)]
enum Site {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Date(String),
    Bytes(String),
    List(Vec<Site>),
    Map(Vec<(String, Site)>),
    Other(String),
}

impl Site {
    fn from_json(j: &serde_json::Value) -> Site {
        let t = j.get("t").and_then(|t| t.as_str()).unwrap_or("");
        let v = j.get("v");
        let s = || v.and_then(|v| v.as_str()).unwrap_or("").to_string();
        match t {
            "null" => Site::Null,
            "bool" => Site::Bool(v.and_then(|v| v.as_bool()).unwrap_or(false)),
            // JavaScript's String(n): "750", "1e+21", "Infinity", "NaN".
            "num" => Site::Num(s().parse::<f64>().unwrap_or(f64::NAN)),
            "str" => Site::Str(s()),
            "date" => Site::Date(s()),
            "bytes" => Site::Bytes(s()),
            "list" => Site::List(
                v.and_then(|v| v.as_array())
                    .map(|a| a.iter().map(Site::from_json).collect())
                    .unwrap_or_default(),
            ),
            "map" => Site::Map(
                v.and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|kv| {
                                let k = kv.get(0)?.as_str()?.to_string();
                                Some((k, Site::from_json(kv.get(1)?)))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            _ => Site::Other(s()),
        }
    }

    /// What the site should read for a value Casebook means.
    fn from_yaml(v: &Value) -> Site {
        match v {
            Value::Null => Site::Null,
            Value::Bool(b) => Site::Bool(*b),
            Value::Number(n) => Site::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Site::Str(s.clone()),
            Value::Sequence(items) => Site::List(items.iter().map(Site::from_yaml).collect()),
            Value::Mapping(m) => Site::Map(
                m.iter()
                    .map(|(k, v)| {
                        let k = match k {
                            Value::String(s) => s.clone(),
                            other => format!("{other:?}"),
                        };
                        (k, Site::from_yaml(v))
                    })
                    .collect(),
            ),
            Value::Tagged(t) => Site::Other(format!("{t:?}")),
        }
    }

    fn map(&self) -> BTreeMap<String, Site> {
        match self {
            Site::Map(kv) => kv.iter().cloned().collect(),
            _ => BTreeMap::new(),
        }
    }
}

/// One row of the table: a key, the value Casebook means, and how it is typed after `key=`.
struct Row {
    key: &'static str,
    value: Value,
    cli: String,
}

/// How a text value is typed on the command line: as it is, unless the command line would
/// read it otherwise (quotes, null words, surrounding spaces, line breaks), then as a
/// double-quoted YAML scalar.
fn cli_text(s: &str) -> String {
    let needs = s.is_empty()
        || s.starts_with(['\'', '"'])
        || matches!(s, "null" | "Null" | "NULL" | "~")
        || s.trim() != s
        || s.chars().any(char::is_control);
    if !needs {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const TEXT_KEYS: [&str; 6] = [
    "title",
    "city",
    "author",
    "description",
    "featured_credit",
    "geography_caption",
];

/// Text values that YAML 1.1 or YAML 1.2 readers take for something else, or that need
/// quotes for other reasons.
const AWKWARD_TEXT: &[&str] = &[
    "12:30",
    "1:2:3",
    "190:20:30",
    "1:30.5",
    "010",
    "0o17",
    "0x1F",
    "0b101",
    "0b1_0",
    "1_000",
    "-1_000",
    "+12",
    "-0",
    "0",
    "1e3",
    "1e400",
    ".5",
    "1.",
    ".inf",
    "-.Inf",
    ".NaN",
    "2024-01-01",
    "2024-1-1 10:00:00",
    "2024-01-01T10:00:00Z",
    "2001-12-14 21:59:43.10 -5",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "N",
    "true",
    "False",
    "null",
    "~",
    "NULL",
    "<<",
    "=",
    "",
    "a: b",
    "a #b",
    "#hash",
    "- dash",
    "-",
    "---",
    "...",
    "?",
    "? q",
    "[bracket",
    "{brace}",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "@at",
    "`tick",
    "|pipe",
    ">gt",
    "'single'",
    "\"double\"",
    "it's",
    "say \"hi\"",
    "trailing space ",
    " leading space",
    "tab\there",
    "two\nlines",
    "Montréal — Île",
    "東京 2024",
    "a,b",
    "50%",
    "C++ & C#",
    "https://example.org/a?b=c#d",
    "key: value: more",
    "\\backslash",
    "Infinity",
    "NaN",
];

fn table() -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, s) in AWKWARD_TEXT.iter().enumerate() {
        rows.push(Row {
            key: TEXT_KEYS[i % TEXT_KEYS.len()],
            value: Value::String(s.to_string()),
            cli: cli_text(s),
        });
    }
    // The findings' own examples on `title`.
    for s in ["12:30", "2024-01-01", "010", "1_000", "yes"] {
        rows.push(Row {
            key: "title",
            value: Value::String(s.to_string()),
            cli: s.to_string(),
        });
    }
    let list = |items: &[&str]| {
        Value::Sequence(items.iter().map(|s| Value::String(s.to_string())).collect())
    };
    for (items, cli) in [
        (&["12:30", "2024-01-01"][..], r#"["12:30", 2024-01-01]"#),
        (&["yes", "no", "on"][..], "[yes, no, on]"),
        (&["Mobility", "Energy"][..], "[Mobility, Energy]"),
        (&["a, b", "c"][..], r#"["a, b", c]"#),
        (&["010", "1_000", "0x1F"][..], "['010', '1_000', '0x1F']"),
        (&["null", "~"][..], r#"["null", "~"]"#),
        (&[][..], "[]"),
    ] {
        rows.push(Row {
            key: "tags",
            value: list(items),
            cli: cli.to_string(),
        });
    }
    let num = |x: f64| Value::Number(x.into());
    for (lat, lon, cli) in [
        (40.712778, -74.006111, "[40.712778, -74.006111]"),
        (-33.8688, 151.2093, "[-33.8688, 151.2093]"),
        (0.000001, -0.000001, "[0.000001, -0.000001]"),
        (51.507351, -0.127758, "[51.5073509, -0.1277583]"),
    ] {
        rows.push(Row {
            key: "centroid",
            value: Value::Sequence(vec![num(lat), num(lon)]),
            cli: cli.to_string(),
        });
    }
    rows.push(Row {
        key: "year_start",
        value: Value::Number(2017.into()),
        cli: "2017".into(),
    });
    for (v, cli) in [
        ("2030 (Anticipated)", "2030 (Anticipated)"),
        ("Ongoing", "Ongoing"),
        ("2030", "'2030'"),
    ] {
        rows.push(Row {
            key: "year_completed",
            value: Value::String(v.into()),
            cli: cli.into(),
        });
    }
    for cli in ["null", "~"] {
        rows.push(Row {
            key: "year_end",
            value: Value::Null,
            cli: cli.into(),
        });
    }
    rows
}

fn site_reader_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/site-reader")
}

/// Whether the site reader can run here; a message when it cannot.
fn site_reader_missing() -> Option<String> {
    let dir = site_reader_dir();
    if !dir.join("node_modules/gray-matter").is_dir() || !dir.join("node_modules/js-yaml").is_dir()
    {
        return Some(format!(
            "{} has no node_modules (run `npm ci` there)",
            dir.display()
        ));
    }
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => None,
        _ => Some("`node` is not installed".to_string()),
    }
}

/// Reads documents (a name and their text) with the site's reader: for each, the data it
/// read or its error.
fn site_read(docs: &[(String, String)]) -> Vec<Result<Site, String>> {
    let mut child = match Command::new("node")
        .arg(site_reader_dir().join("read.js"))
        .arg("--docs")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("could not run node: {e}"),
    };
    let mut input = String::new();
    for (name, text) in docs {
        input.push_str(&serde_json::json!({ "name": name, "text": text }).to_string());
        input.push('\n');
    }
    // Write from a thread so that a full stdout pipe cannot stall the writer.
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin
            && let Err(e) = stdin.write_all(input.as_bytes())
        {
            panic!("could not write to node: {e}");
        }
    });
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("node failed: {e}"),
    };
    if writer.join().is_err() {
        panic!("writing to node failed");
    }
    assert!(out.status.success(), "the site reader failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        docs.len(),
        "one line per document from the reader"
    );
    lines
        .iter()
        .map(|l| {
            let j: serde_json::Value = match serde_json::from_str(l) {
                Ok(j) => j,
                Err(e) => panic!("bad reader output {l}: {e}"),
            };
            if j.get("ok").and_then(|o| o.as_bool()) == Some(true) {
                Ok(j.get("data").map(Site::from_json).unwrap_or(Site::Null))
            } else {
                Err(j
                    .get("error")
                    .and_then(|e| e.as_str())
                    .unwrap_or("?")
                    .to_string())
            }
        })
        .collect()
}

/// One write to judge.
struct Write1 {
    doc: usize,
    row: usize,
    via: &'static str,
    /// The text written, or why nothing was written.
    result: Result<String, String>,
}

/// Sets the row's value through the core, as the form does; the text written.
fn write_core(src: &[u8], row: &Row) -> Result<String, String> {
    let mut doc = Document::from_bytes(src);
    let edit = Edit::SetField {
        key: row.key.to_string(),
        value: row.value.clone(),
    };
    match doc.change_for(&edit) {
        Ok(Some(c)) => {
            doc.apply_change(&c).map_err(|e| e.to_string())?;
        }
        Ok(None) => {}
        Err(e) => return Err(format!("refused: {e}")),
    }
    Ok(String::from_utf8_lossy(&doc.to_bytes()).into_owned())
}

/// Sets the row's value with `casebook set` on a copy of the document in `dir` (reused from
/// one write to the next); the text written.
fn write_cli(src: &[u8], row: &Row, dir: &Path) -> Result<String, String> {
    let file = dir.join("index.md");
    std::fs::write(&file, src).map_err(|e| e.to_string())?;
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("set")
        .arg(&file)
        .arg(format!("{}={}", row.key, row.cli))
        .output()
        .map_err(|e| format!("could not run casebook: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    std::fs::read(&file)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| e.to_string())
}

#[test]
fn the_site_reads_what_casebook_writes() {
    let required = std::env::var("CASEBOOK_REQUIRE_SITE_READER").is_ok_and(|v| v == "1");
    if let Some(why) = site_reader_missing() {
        assert!(!required, "CASEBOOK_REQUIRE_SITE_READER=1 but {why}");
        eprintln!(
            "\n!!!!!!!! SKIPPED: the site-reader test did not run: {why}. Install node and run \
             `npm ci` in tests/site-reader (CI sets CASEBOOK_REQUIRE_SITE_READER=1). !!!!!!!!\n"
        );
        return;
    }
    let Some(corpus) = corpus_dir() else {
        assert!(
            !required,
            "CASEBOOK_REQUIRE_SITE_READER=1 but CASEBOOK_CORPUS is not set to a folder"
        );
        eprintln!("\n!!!!!!!! SKIPPED: CASEBOOK_CORPUS is not set: site-reader test !!!!!!!!\n");
        return;
    };
    let started = std::time::Instant::now();
    let docs = documents(&corpus);
    assert!(
        docs.len() >= 60,
        "expected the whole corpus, found {}",
        docs.len()
    );
    let rows = table();
    assert!(rows.len() >= 60, "at least 60 awkward values");
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let sources: Vec<Vec<u8>> = docs
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();

    // Core writes (fast), then the command line on a few threads.
    let mut writes: Vec<Write1> = Vec::new();
    for (d, src) in sources.iter().enumerate() {
        for (r, row) in rows.iter().enumerate() {
            writes.push(Write1 {
                doc: d,
                row: r,
                via: "core",
                result: write_core(src, row),
            });
        }
    }
    let t_core = started.elapsed();
    let jobs: Vec<(usize, usize)> = (0..sources.len())
        .flat_map(|d| (0..rows.len()).map(move |r| (d, r)))
        .collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    let chunk = jobs.len().div_ceil(threads);
    let cli_writes: Vec<Write1> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .enumerate()
            .map(|(t, part)| {
                let (sources, rows) = (&sources, &rows);
                let dir = tmp.path().join(format!("cli-{t}/case"));
                s.spawn(move || {
                    if let Err(e) = std::fs::create_dir_all(&dir) {
                        panic!("{}: {e}", dir.display());
                    }
                    part.iter()
                        .map(|&(d, r)| Write1 {
                            doc: d,
                            row: r,
                            via: "casebook set",
                            result: write_cli(&sources[d], &rows[r], &dir),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    writes.extend(cli_writes);
    let t_cli = started.elapsed();

    // One run of the site's reader over the originals and every text written.
    let mut texts: Vec<(String, String)> = docs
        .iter()
        .zip(&sources)
        .map(|(p, b)| {
            (
                p.display().to_string(),
                String::from_utf8_lossy(b).into_owned(),
            )
        })
        .collect();
    let written: Vec<usize> = (0..writes.len())
        .filter(|&i| writes[i].result.is_ok())
        .collect();
    for &i in &written {
        if let Ok(text) = &writes[i].result {
            texts.push((format!("write {i}"), text.clone()));
        }
    }
    let read = site_read(&texts);
    let t_read = started.elapsed();
    let (originals, after) = read.split_at(docs.len());
    let mut after_of: BTreeMap<usize, &Result<Site, String>> = BTreeMap::new();
    for (k, &i) in written.iter().enumerate() {
        after_of.insert(i, &after[k]);
    }

    let mut failures: Vec<String> = Vec::new();
    let mut agree = BTreeMap::<&str, (usize, usize)>::new();
    let mut skipped_docs = 0;
    for orig in originals {
        if orig.is_err() {
            skipped_docs += 1;
        }
    }
    for (i, w) in writes.iter().enumerate() {
        let Ok(orig) = &originals[w.doc] else {
            continue;
        };
        let row = &rows[w.row];
        let entry = agree.entry(w.via).or_default();
        entry.1 += 1;
        let name = docs[w.doc]
            .strip_prefix(&corpus)
            .unwrap_or(&docs[w.doc])
            .display()
            .to_string();
        let what = format!("{} {}={} in {name}", w.via, row.key, row.cli);
        let got = match (&w.result, after_of.get(&i)) {
            (Err(e), _) => {
                failures.push(format!("{what}: not written: {e}"));
                continue;
            }
            (Ok(_), Some(Ok(site))) => site,
            (Ok(_), Some(Err(e))) => {
                failures.push(format!("{what}: the site cannot read the file: {e}"));
                continue;
            }
            (Ok(_), None) => continue,
        };
        let before = orig.map();
        let now = got.map();
        let want = Site::from_yaml(&row.value);
        let mut ok = true;
        match now.get(row.key) {
            Some(v) if *v == want => {}
            // Null written as an absent key is not what Casebook does; report it.
            other => {
                ok = false;
                failures.push(format!("{what}: the site reads {other:?}, not {want:?}"));
            }
        }
        for (k, v) in &before {
            if k != row.key && now.get(k) != Some(v) {
                ok = false;
                failures.push(format!(
                    "{what}: `{k}` changed: {v:?} became {:?}",
                    now.get(k)
                ));
            }
        }
        for k in now.keys() {
            if k != row.key && !before.contains_key(k) {
                ok = false;
                failures.push(format!("{what}: a new key `{k}` appeared"));
            }
        }
        if ok {
            entry.0 += 1;
        }
    }
    let elapsed = started.elapsed();
    let (mut a, mut n) = (0, 0);
    for (via, (ok, total)) in &agree {
        eprintln!(
            "site reader: {via}: {ok}/{total} writes read as intended ({:.1}%)",
            100.0 * *ok as f64 / (*total).max(1) as f64
        );
        a += ok;
        n += total;
    }
    eprintln!(
        "site reader: overall agreement {a}/{n} ({:.2}%) over {} documents ({skipped_docs} the site cannot read before any write) × {} values, in {:.1} s (core writes {:.1} s, casebook set {:.1} s, site reader {:.1} s)",
        100.0 * a as f64 / n.max(1) as f64,
        docs.len(),
        rows.len(),
        elapsed.as_secs_f64(),
        t_core.as_secs_f64(),
        (t_cli - t_core).as_secs_f64(),
        (t_read - t_cli).as_secs_f64(),
    );
    let cleanup = std::time::Instant::now();
    if let Err(e) = tmp.close() {
        eprintln!("could not remove the temporary files: {e}");
    }
    eprintln!(
        "site reader: temporary files removed in {:.1} s",
        cleanup.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        let mut by_value = BTreeMap::<String, usize>::new();
        for f in &failures {
            let head = f.split(" in ").next().unwrap_or(f).to_string();
            *by_value.entry(head).or_default() += 1;
        }
        for (k, c) in &by_value {
            eprintln!("  {c:>4} × {k}");
        }
        for f in failures.iter().take(40) {
            eprintln!("{f}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} writes were not read by the site as intended (see above)",
        failures.len()
    );
}

/// Plain scalars to read with both the site and [`yaml11::resolve_site`]: every string of up to
/// three characters over the characters that matter to YAML 1.1's number, date and null forms,
/// signed and suffixed number shapes, dates and words.
fn scalar_corpus() -> Vec<String> {
    let alphabet: Vec<char> = "0159_:.e-+xbZT~nN".chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut level: Vec<String> = vec![String::new()];
    for _ in 0..3 {
        let mut next = Vec::new();
        for p in &level {
            for c in &alphabet {
                let mut s = p.clone();
                s.push(*c);
                next.push(s);
            }
        }
        out.extend(next.iter().cloned());
        level = next;
    }
    let bodies = [
        "0",
        "7",
        "8",
        "01",
        "09",
        "010",
        "0_7",
        "1_000",
        "1__0",
        "0x1F",
        "0xff",
        "0x_1",
        "0x",
        "0b101",
        "0b1_",
        "0b",
        "0o17",
        "12:30",
        "1:2:3",
        "1:60",
        "190:20:30",
        "1:30.5",
        "12:30:",
        "1e3",
        "1E3",
        "1e+3",
        "1e-2",
        "1.5e3",
        "1.",
        ".5",
        "._5",
        "1_0.5",
        ".inf",
        ".Inf",
        ".INF",
        ".nan",
        ".NaN",
        ".NAN",
        "inf",
        "nan",
        "Infinity",
        "1e400",
    ];
    for sign in ["", "-", "+"] {
        for b in bodies {
            out.push(format!("{sign}{b}"));
            out.push(format!("{sign}{b}_"));
        }
    }
    for t in [
        "2024-01-01",
        "2024-1-1",
        "2024-01-1",
        "2024-1-1 10:00:00",
        "2024-1-1  10:00:00",
        "2024-01-01T10:00:00Z",
        "2024-01-01t10:00:00",
        "2024-01-01T10:00:00.123456Z",
        "2024-01-01T10:00:00.Z",
        "2001-12-14 21:59:43.10 -5",
        "2001-12-14 21:59:43.10 -05:30",
        "2001-12-14 21:59:43.10 +5:3",
        "2001-12-14 21:59:43.10-5",
        "2001-12-14 21:59:43 Z",
        "2024-01-01 10:00",
        "2024-13-45",
        "20240-01-01",
        "2024/01/01",
    ] {
        out.push(t.to_string());
    }
    for w in [
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "False",
        "FALSE",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "on",
        "On",
        "off",
        "OFF",
        "y",
        "Y",
        "n",
        "N",
        "null",
        "Null",
        "NULL",
        "nULL",
        "~",
        "<<",
        "=",
        "Hello",
        "2024 (Anticipated)",
        "~2025",
    ] {
        out.push(w.to_string());
    }
    out.retain(|s| !s.is_empty() && s.trim() == s);
    out.sort();
    out.dedup();
    out
}

/// The YAML 1.1 resolver Casebook writes by agrees with js-yaml 3 itself, scalar by scalar.
#[test]
fn yaml11_resolver_matches_the_site() {
    let required = std::env::var("CASEBOOK_REQUIRE_SITE_READER").is_ok_and(|v| v == "1");
    if let Some(why) = site_reader_missing() {
        assert!(!required, "CASEBOOK_REQUIRE_SITE_READER=1 but {why}");
        eprintln!(
            "\n!!!!!!!! SKIPPED: the YAML 1.1 resolver was not compared with js-yaml: {why} !!!!!!!!\n"
        );
        return;
    }
    let scalars = scalar_corpus();
    let mut child = match Command::new("node")
        .arg(site_reader_dir().join("read.js"))
        .arg("--scalars")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("could not run node: {e}"),
    };
    let input: String = scalars.iter().map(|s| format!("{s}\n")).collect();
    if let Some(mut stdin) = child.stdin.take()
        && let Err(e) = stdin.write_all(input.as_bytes())
    {
        panic!("could not write to node: {e}");
    }
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("node failed: {e}"),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), scalars.len());
    let mut compared = 0;
    let mut wrong = Vec::new();
    for (s, line) in scalars.iter().zip(lines) {
        let j: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        if j.get("ok").and_then(|o| o.as_bool()) != Some(true) {
            continue;
        }
        let site = j.get("data").map(Site::from_json).unwrap_or(Site::Null);
        let ours = yaml11::resolve_site(s);
        let same = match (&site, ours) {
            (Site::Null, Plain::Null) => true,
            (Site::Bool(a), Plain::Bool(b)) => *a == b,
            (Site::Num(a), Plain::Number(b)) => a == &b || (a.is_nan() && b.is_nan()),
            (Site::Date(_), Plain::Timestamp) => true,
            (Site::Str(t), Plain::Text | Plain::Merge) => t == s,
            // Not a plain scalar as a whole (a comment, a list …): nothing to compare.
            (Site::Str(t), _) if t != s => continue,
            (Site::List(_) | Site::Map(_), _) => continue,
            _ => false,
        };
        compared += 1;
        if !same {
            wrong.push(format!("{s:?}: js-yaml {site:?}, resolve_site {ours:?}"));
        }
    }
    eprintln!(
        "yaml11 resolver: {compared} plain scalars compared with js-yaml 3, {} differ",
        wrong.len()
    );
    assert!(compared > 4000, "too few scalars compared: {compared}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What Casebook reads in a document's front matter, as the site would show it, and whether
/// `check` reports the front matter (CB001 problems or differences, CB002 duplicates).
fn casebook_reading(text: &str) -> (Option<Site>, bool) {
    use casebook_core::document::FrontState;
    let doc = Document::from_text(text);
    match doc.front_state() {
        FrontState::Present(fm) => {
            let reported = !fm.problems.is_empty() || !fm.site_differences(doc.text()).is_empty();
            let map = fm
                .keys()
                .into_iter()
                .map(|k| {
                    let v = fm.value(k).map_or(Site::Null, Site::from_yaml);
                    (k.to_string(), v)
                })
                .collect();
            (Some(Site::Map(map)), reported)
        }
        _ => (None, true),
    }
}

/// `check` (CB001/CB002) speaks exactly when the site cannot read a front matter or reads
/// other values than Casebook: on every corpus document and on fixtures of each difference.
#[test]
fn check_reports_what_the_site_reads_otherwise() {
    let required = std::env::var("CASEBOOK_REQUIRE_SITE_READER").is_ok_and(|v| v == "1");
    if let Some(why) = site_reader_missing() {
        assert!(!required, "CASEBOOK_REQUIRE_SITE_READER=1 but {why}");
        eprintln!(
            "\n!!!!!!!! SKIPPED: CB001 was not compared with the site's reader: {why} !!!!!!!!\n"
        );
        return;
    }
    let fixtures: Vec<(&str, &str)> = vec![
        (
            "quoted over two lines",
            "---\ntitle: \"a long\ntitle here\"\nstatus: Draft\n---\n",
        ),
        (
            "flow list over two lines",
            "---\ntags: [Mobility,\nEnergy]\nstatus: Draft\n---\n",
        ),
        ("plain continued", "---\ntitle: a long\n  title here\n---\n"),
        ("anchor and alias", "---\ntitle: &t Hello\ncity: *t\n---\n"),
        (
            "block literal",
            "---\ndescription: |\n  One.\n  # not a comment\n---\n",
        ),
        ("comments", "---\ntags: # themes\n  - A # first\n---\n"),
        ("crlf", "---\r\ntitle: A\r\n---\r\nBody\r\n"),
        ("bom", "\u{feff}---\ntitle: A\n---\n"),
        ("quoted time", "---\ntitle: '12:30'\n---\n"),
        ("tab separator", "---\ntitle:\tTabbed\n---\n"),
        ("known tag", "---\ncity: !!str 12\n---\n"),
        (
            "closed by dots",
            "---\ntitle: A\n...\n## Overview\n\nText.\n",
        ),
        ("four dashes inside", "---\ntitle: A\n----\ncity: B\n---\n"),
        ("unknown tag", "---\ntitle: !local A\n---\n"),
        ("base 60", "---\ntitle: 12:30\n---\n"),
        ("date", "---\nupdated: 2024-01-01\n---\n"),
        ("octal", "---\nn: 010\n---\n"),
        ("underscores", "---\nn: 1_000\n---\n"),
        ("dates in a list", "---\ntags: [2024-01-01, A]\n---\n"),
        ("plain at column 0", "---\ntitle: a long\ntitle here\n---\n"),
        ("unclosed quote", "---\ntitle: \"unclosed\ncity: B\n---\n"),
        ("duplicate key", "---\na: 1\na: 2\n---\n"),
        ("nested merge", "---\nbase: &b {x: 1}\nm:\n  <<: *b\n---\n"),
        ("unclosed flow", "---\nt: [a, b\n---\n"),
        ("a list", "---\n- a\n- b\n---\n"),
    ];
    let mut texts: Vec<(String, String)> = fixtures
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if let Some(corpus) = corpus_dir() {
        for p in documents(&corpus) {
            if let Ok(b) = std::fs::read(&p) {
                texts.push((
                    p.display().to_string(),
                    String::from_utf8_lossy(&b).into_owned(),
                ));
            }
        }
    }
    let read = site_read(&texts);
    let mut wrong = Vec::new();
    for ((name, text), site) in texts.iter().zip(&read) {
        let (ours, reported) = casebook_reading(text);
        let same = match (site, &ours) {
            (Ok(s), Some(o)) => s.map() == o.map() && matches!(s, Site::Map(_)),
            _ => false,
        };
        if same == reported {
            wrong.push(format!(
                "{name}: the site {}, but check {}",
                match (site, same) {
                    (Err(e), _) => format!("cannot read it ({e})"),
                    (Ok(_), true) => "reads what Casebook reads".to_string(),
                    (Ok(s), false) => format!("reads {s:?}, Casebook {ours:?}"),
                },
                if reported { "reports it" } else { "is quiet" }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
