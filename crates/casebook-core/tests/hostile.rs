//! Hostile input: every case opens without panic, reports what is wrong with a line, keeps
//! the body editable, and never reads or writes outside the case folder.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use casebook_core::case::{Case, GeoState};
use casebook_core::checks::{self, Diagnostic};
use casebook_core::document::Document;
use casebook_core::edit::Edit;
use casebook_core::geometry::GeoDocument;
use casebook_core::template::TemplateSet;

/// Generous bound that only catches hangs; precise timings are in `benches/`.
const HANG_GUARD: Duration = Duration::from_secs(5);

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Opens `bytes` as a case's index.md, runs the checks, and proves the body is editable.
fn open_hostile(bytes: &[u8]) -> (Case, Vec<Diagnostic>) {
    let t = tmp();
    let dir = t.path().join("usa-hostile");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("index.md"), bytes).unwrap();
    let start = Instant::now();
    let Ok(mut case) = Case::open(&dir) else {
        panic!("a hostile file must still open")
    };
    let set = TemplateSet::bundled();
    let diags = checks::run(&case, set.for_document(case.doc()));
    let took = start.elapsed();
    assert!(took < HANG_GUARD, "took {took:?}");
    // The body stays editable: add a section at the end and read it back.
    let before = case.doc().body().sections.len();
    let r = case.apply(&Edit::InsertSection {
        before: None,
        heading: "Added".into(),
        guidance: None,
        text: "Still editable.".into(),
    });
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(case.doc().body().sections.len(), before + 1);
    let _ = t.keep();
    (case, diags)
}

/// A case folder `usa-paths` under `root` whose `link.geojson` is a link to
/// `root/outside.geojson` (written with `outside_text`), out of the case folder.
fn case_linking_out(root: &Path, outside_text: &str) -> std::path::PathBuf {
    fs::write(root.join("outside.geojson"), outside_text).unwrap();
    let dir = root.join("usa-paths");
    fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(root.join("outside.geojson"), dir.join("link.geojson")).unwrap();
    dir
}

/// Writes `text` as the `index.md` of the case folder `dir` and opens the case.
fn open_case(dir: &Path, text: &str) -> Case {
    fs::write(dir.join("index.md"), text).unwrap();
    match Case::open(dir) {
        Ok(case) => case,
        Err(e) => panic!("open {}: {e}", dir.display()),
    }
}

/// The CB001 finding, which must carry a line.
fn cb001(diags: &[Diagnostic]) -> &Diagnostic {
    let Some(d) = diags.iter().find(|d| d.code == "CB001") else {
        panic!(
            "no CB001 in {:?}",
            diags.iter().map(|d| d.code).collect::<Vec<_>>()
        )
    };
    assert!(d.line.is_some(), "CB001 without a line: {}", d.message);
    d
}

#[test]
fn alias_bomb_is_refused() {
    let mut y = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        y.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    y.push_str("title: ok\n---\n## Overview\n\nText.\n");
    let (_, d) = open_hostile(y.as_bytes());
    let m = &cb001(&d).message;
    assert!(m.contains("repetition limit") || m.contains("alias"), "{m}");
}

#[test]
fn deep_flow_nesting_is_refused_quickly() {
    for (opener, n) in [("[", 20_000), ("{\"\":[", 10_000)] {
        let y = format!(
            "---\ntitle: x\nbad: {}\n---\n## Overview\n\nText.\n",
            opener.repeat(n)
        );
        let (case, d) = open_hostile(y.as_bytes());
        let m = &cb001(&d).message;
        assert!(m.contains("nested"), "{m}");
        // The readable part is not lost: the text is kept verbatim.
        assert!(case.doc().text().contains("title: x"));
    }
}

#[test]
fn recursive_alias_duplicate_keys_tabs_quotes() {
    let (_, d) = open_hostile(b"---\na: &a [*a]\ntitle: T\n---\n## Overview\n\nx\n");
    cb001(&d);
    let (case, d) = open_hostile(b"---\ntitle: A\ntitle: B\n---\n## Overview\n\nx\n");
    assert!(d.iter().any(|x| x.code == "CB002" && x.line == Some(3)));
    assert_eq!(
        case.doc()
            .text_of(casebook_core::fields::Field::Title)
            .as_deref(),
        Some("A")
    );
    let (_, d) = open_hostile(b"---\ntitle: A\n\tstatus: Draft\n---\n## Overview\n\nx\n");
    cb001(&d);
    let (case, d) =
        open_hostile(b"---\ntitle: \"unterminated\ncity: Oslo\n---\n## Overview\n\nx\n");
    cb001(&d);
    assert_eq!(
        case.doc()
            .text_of(casebook_core::fields::Field::City)
            .as_deref(),
        Some("Oslo")
    );
}

#[test]
fn several_documents_and_missing_or_fenced_delimiters() {
    // A second document marker inside the front matter: the first `---` closes it and the
    // rest is body, kept verbatim.
    let (case, _) = open_hostile(b"---\ntitle: A\n---\nstatus: Draft\n---\n## Overview\n\nx\n");
    assert!(case.doc().text().contains("status: Draft"));
    // No closing `---`.
    let (_, d) = open_hostile(b"---\ntitle: A\n\n## Overview\n\nx\n");
    let m = &cb001(&d).message;
    assert!(
        m.contains("never closed") || m.contains("not closed") || m.contains("closing"),
        "{m}"
    );
    // `---` only inside a code fence: no front matter at all, the fence stays body.
    let (case, _) = open_hostile(b"```\n---\ntitle: A\n---\n```\n\n## Overview\n\nx\n");
    assert!(case.doc().front_matter().is_none());
    assert_eq!(case.doc().body().sections.len(), 2);
}

#[test]
fn fifty_megabyte_front_matter_is_refused() {
    let mut y = String::with_capacity(50 * 1024 * 1024 + 100);
    y.push_str("---\ntitle: big\n");
    let line = "k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n";
    while y.len() < 50 * 1024 * 1024 {
        y.push_str(line);
    }
    y.push_str("---\n## Overview\n\nText.\n");
    let start = Instant::now();
    let doc = Document::from_text(&y);
    eprintln!(
        "50 MB front matter read and refused in {:?}",
        start.elapsed()
    );
    let Some(fm) = doc.front_matter() else {
        panic!("front matter")
    };
    assert_eq!(
        fm.readability,
        casebook_core::front_matter::Readability::Refused
    );
    assert!(fm.problems[0].message.contains("KiB"));
    assert_eq!(doc.body().sections.len(), 1);
}

#[test]
fn custom_tags_invalid_utf8_and_nul_bytes() {
    let (case, _) = open_hostile(
        b"---\ntitle: !!python/object:os.system ls\nx: !custom 1\n---\n## Overview\n\nx\n",
    );
    assert!(case.doc().front_matter().is_some());
    let mut bytes = b"---\ntitle: caf".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\n---\n## Overview\n\nx\n");
    let (mut case, d) = open_hostile(&bytes);
    let m = &cb001(&d);
    assert_eq!(m.line, Some(2));
    // Saving over the file would drop the undecodable bytes: refused, file intact.
    let on_disk = fs::read(case.index_path()).unwrap_or_default();
    let r = case.save(false);
    assert!(
        matches!(r, Err(casebook_core::save::SaveError::NotUtf8(_, 2))),
        "{r:?}"
    );
    assert_eq!(fs::read(case.index_path()).unwrap_or_default(), on_disk);
    let (case, _) = open_hostile(b"---\ntitle: a\0b\n---\n## Overview\n\nx\0y\n");
    assert!(case.doc().text().contains('\0'));
}

#[test]
fn hostile_geojson_gives_errors_not_panics() {
    let deep = format!(
        "{{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}1{}}}",
        "{\"a\":".repeat(200),
        "}".repeat(200)
    );
    let cases: Vec<(&str, String)> = vec![
        ("empty object", "{}".into()),
        ("unknown type", r#"{"type":"Blob","coordinates":[]}"#.into()),
        (
            "one-number position",
            r#"{"type":"Polygon","coordinates":[[[1],[2,3],[4,5],[1]]]}"#.into(),
        ),
        (
            "1e999",
            r#"{"type":"Point","coordinates":[1e999,0]}"#.into(),
        ),
        ("NaN", r#"{"type":"Point","coordinates":[NaN,0]}"#.into()),
        (
            "truncated",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geom"#.into(),
        ),
        ("200 deep properties", deep),
    ];
    for (what, text) in cases {
        let r = GeoDocument::parse(&text);
        let Err(e) = r else {
            panic!("{what}: should be an error")
        };
        assert!(!e.to_string().is_empty(), "{what}");
    }
    // Parses, but the checks flag it.
    for (what, text) in [
        (
            "unclosed ring",
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
        ),
        (
            "lat > 90",
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,95],[0,0]]]}"#,
        ),
    ] {
        let Ok(doc) = GeoDocument::parse(text) else {
            panic!("{what} should parse")
        };
        assert!(!doc.issues().is_empty(), "{what}: no issue reported");
    }
}

#[test]
fn hundred_megabyte_geojson_loads() {
    // ~100 MB: one polygon with 3.7 million vertices.
    let n = 3_700_000usize;
    let mut s = String::with_capacity(110 * 1024 * 1024);
    s.push_str("{\"type\":\"Polygon\",\"coordinates\":[[");
    for i in 0..n {
        let a = (i as f64) / (n as f64) * std::f64::consts::TAU;
        s.push_str(&format!(
            "[{:.9},{:.9}],",
            10.0 + a.cos() * 0.123456789,
            50.0 + a.sin() * 0.123456789
        ));
    }
    s.push_str("[10.123456789,50.000000000]]]}");
    assert!(s.len() > 90 * 1024 * 1024, "{} bytes", s.len());
    let start = Instant::now();
    let r = GeoDocument::parse(&s);
    eprintln!(
        "{} MB GeoJSON parsed in {:?}",
        s.len() / (1024 * 1024),
        start.elapsed()
    );
    let Ok(doc) = r else {
        panic!("a big valid file must load")
    };
    assert_eq!(doc.vertex_count(), n);
}

#[test]
fn paths_leading_out_are_never_used() {
    let t = tmp();
    let root = t.path();
    let dir = case_linking_out(root, r#"{"type":"Point","coordinates":[0,0]}"#);
    for (path, why) in [
        ("../outside.geojson", "out of the case folder"),
        ("/etc/passwd", "absolute"),
        ("C:\\x", "absolute"),
        ("\\\\srv\\x", "absolute"),
        ("file:///x", "URL"),
        ("sub/../../x", "out of the case folder"),
        ("a\u{1}b", "control"),
    ] {
        let text = format!(
            "---\ntitle: Paths\nstatus: Review\ngeography: {}\nfeatured_image: {}\n---\n## Overview\n\n![alt]({})\n",
            serde_json::to_string(path).unwrap_or_default(),
            serde_json::to_string(path).unwrap_or_default(),
            path.replace('\\', "/")
        );
        let mut case = open_case(&dir, &text);
        assert!(
            matches!(case.geo(), GeoState::Refused { .. }),
            "{path}: {:?}",
            case.geo()
        );
        let set = TemplateSet::bundled();
        let d = checks::run(&case, set.for_document(case.doc()));
        let geo = d.iter().find(|x| x.code == "CB017");
        let Some(geo) = geo else {
            panic!("{path}: no CB017")
        };
        assert!(
            geo.message.contains(why) || geo.fix.as_deref().unwrap_or("").contains(why),
            "{path}: {}",
            geo.message
        );
        assert!(
            d.iter().any(|x| x.code == "CB014"),
            "{path}: featured image not flagged"
        );
        // Drawing cannot write through a refused path.
        let g = casebook_core::geometry::GeometryEdit::ReplaceAll { polygons: vec![] };
        assert!(case.apply(&Edit::Geometry(g)).is_err());
        assert!(case.save(false).is_ok());
        assert_eq!(
            fs::read_to_string(root.join("outside.geojson")).unwrap_or_default(),
            r#"{"type":"Point","coordinates":[0,0]}"#
        );
    }
    assert!(!Path::new("/x").exists() || fs::metadata("/x").is_ok());
}

/// A boundary that is a link to a file outside the case folder is read, with a warning, and
/// never written: drawing works, the save refuses, the file outside keeps its bytes.
#[test]
fn a_boundary_linking_out_is_read_with_a_warning_and_never_written() {
    let t = tmp();
    let root = t.path();
    let outside_text = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
    let dir = case_linking_out(root, outside_text);
    let text = "---\ntitle: Paths\ngeography: ./link.geojson\n---\n## Overview\n\nText.\n";
    let mut case = open_case(&dir, text);
    assert!(
        matches!(case.geo(), GeoState::Loaded { .. }),
        "{:?}",
        case.geo()
    );
    assert_eq!(case.geometry().map(GeoDocument::vertex_count), Some(3));
    let warnings: Vec<String> = case.file_warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("outside the case folder")),
        "{warnings:?}"
    );
    let g = casebook_core::geometry::GeometryEdit::MoveVertex {
        at: casebook_core::geometry::VertexRef::new(0, 0, 0, 1),
        to: casebook_core::geometry::LonLat::new(0.5, 0.0),
    };
    assert!(matches!(case.apply(&Edit::Geometry(g)), Ok(Some(_))));
    let err = case
        .save(false)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("outside the case folder"), "{err}");
    assert_eq!(
        fs::read_to_string(root.join("outside.geojson")).unwrap_or_default(),
        outside_text
    );
    assert!(
        fs::symlink_metadata(dir.join("link.geojson")).is_ok_and(|m| m.file_type().is_symlink())
    );
}
