//! `casebook fix`, run as a built binary on our own fixtures and on copies of corpus cases.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/cli.rs"]
mod cli_support;
#[path = "../crates/casebook-core/tests/support/corpus.rs"]
mod corpus_support;
#[path = "../crates/casebook-core/tests/support/photos.rs"]
mod photos;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use cli_support::{assert_has, casebook, copy_case, stderr, stdout};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) {
    fs::write(p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

/// A boundary whose one ring runs clockwise, 2-space pretty, 26 lines.
const CLOCKWISE: &str = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    {\n      \"type\": \"Feature\",\n      \"properties\": {},\n      \"geometry\": {\n        \"type\": \"Polygon\",\n        \"coordinates\": [\n          [\n            [114.2, 22.3],\n            [114.2, 22.31],\n            [114.21, 22.31],\n            [114.21, 22.3],\n            [114.2, 22.3]\n          ]\n        ]\n      }\n    }\n  ]\n}\n";

/// A draft case in Kowloon with a two-letter country code, a lower-case status and that
/// boundary.
fn fixture(dir: &Path, geography: &str) -> PathBuf {
    let case = dir.join("hkg-kowloon-test");
    fs::create_dir_all(&case).unwrap();
    write(&case.join("boundary.geojson"), CLOCKWISE);
    write(
        &case.join("index.md"),
        &format!(
            "---\ntitle: A test district\nstatus: draft\ncity: Hong Kong\ncountry_code: HK\ncentroid: [22.305, 114.205]\ngeography: {geography}\n---\n## Overview\n\nWords of our own.\n"
        ),
    );
    case
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

#[test]
fn dry_run_prints_every_diff_and_changes_nothing() {
    let t = tmp();
    let case = fixture(t.path(), "./boundary.geojson");
    let index_before = read(&case.join("index.md"));
    let o = casebook(&["fix", "--dry-run", &case.display().to_string()]);
    let out = stdout(&o);
    assert!(matches!(code(&o), Some(0 | 1)), "{out}{}", stderr(&o));
    assert_has(&out, "would fix CB005");
    assert_has(&out, "would fix CB018           Reverse 1 ring");
    assert_has(&out, "-country_code: HK\n+country_code: HKG\n");
    assert_has(&out, "-status: draft\n+status: Draft\n");
    assert_has(&out, "boundary.geojson\n");
    assert_has(&out, "-            [114.2, 22.31],\n");
    assert_has(&out, "+            [114.2, 22.31],\n");
    assert_has(&out, "dry run: nothing written");
    assert_eq!(read(&case.join("index.md")), index_before);
    assert_eq!(read(&case.join("boundary.geojson")), CLOCKWISE);
}

#[test]
fn fix_saves_in_place_and_exits_as_check_does() {
    let t = tmp();
    let case = fixture(t.path(), "./boundary.geojson");
    let path = case.display().to_string();
    let o = casebook(&["fix", &path]);
    let out = stdout(&o);
    assert!(out.contains("fixed     CB005"), "{out}{}", stderr(&o));
    let index = read(&case.join("index.md"));
    assert_has(
        &index,
        "status: Draft\ncity: Hong Kong\ncountry_code: HKG\n",
    );
    // The ring is reversed in place: same bytes per position, same size and lines.
    let geo = read(&case.join("boundary.geojson"));
    assert_eq!(geo.len(), CLOCKWISE.len());
    assert_eq!(geo.lines().count(), CLOCKWISE.lines().count());
    assert_has(
        &geo,
        "[114.2, 22.3],\n            [114.21, 22.3],\n            [114.21, 22.31],\n            [114.2, 22.31],\n            [114.2, 22.3]\n",
    );
    // The exit code is the one `check` gives now.
    let check = casebook(&["check", &path]);
    assert_eq!(code(&o), code(&check), "{}", stdout(&check));
    // Nothing is left to fix.
    let again = casebook(&["fix", &path]);
    assert_has(&stdout(&again), ": 0 fixes applied");
    assert_eq!(read(&case.join("index.md")), index);
}

#[test]
fn only_applies_the_rules_named() {
    let t = tmp();
    let case = fixture(t.path(), "./boundary.geojson");
    let o = casebook(&["fix", "--only", "cb018", &case.display().to_string()]);
    assert!(stdout(&o).contains("1 fix applied"), "{}", stdout(&o));
    assert!(read(&case.join("index.md")).contains("country_code: HK\n"));
    assert_ne!(read(&case.join("boundary.geojson")), CLOCKWISE);
    let o = casebook(&[
        "fix",
        "--only",
        "CB005",
        "--only",
        "CB004",
        &case.display().to_string(),
    ]);
    assert!(stdout(&o).contains("2 fixes applied"), "{}", stdout(&o));
    assert!(read(&case.join("index.md")).contains("country_code: HKG\n"));
}

#[test]
fn geography_in_nfd_is_renamed_to_the_nfc_name_on_disk() {
    let t = tmp();
    let nfc = "kowloon-bay-caf\u{e9}.geojson";
    let nfd = "kowloon-bay-cafe\u{301}.geojson";
    let case = fixture(t.path(), &format!("./{nfd}"));
    fs::rename(case.join("boundary.geojson"), case.join(nfc)).unwrap();
    let path = case.display().to_string();
    let check = casebook(&["check", &path]);
    assert_has(&stdout(&check), "differ only in Unicode normalization");
    let o = casebook(&["fix", "--only", "CB017", &path]);
    assert!(stdout(&o).contains("fixed     CB017"), "{}", stdout(&o));
    let index = read(&case.join("index.md"));
    assert!(index.contains(&format!("geography: ./{nfc}\n")), "{index}");
    assert!(!stdout(&casebook(&["check", &path])).contains("CB017"));
}

#[test]
fn bad_arguments_cannot_run() {
    let t = tmp();
    let case = fixture(t.path(), "./boundary.geojson");
    let o = casebook(&["fix", "--only", "CB999", &case.display().to_string()]);
    assert_eq!(code(&o), Some(2));
    assert!(stderr(&o).contains("CB999"), "{}", stderr(&o));
    let o = casebook(&["fix", "/no/such/place"]);
    assert_eq!(code(&o), Some(2));
    assert!(stderr(&o).contains("/no/such/place"));
    assert_eq!(read(&case.join("boundary.geojson")), CLOCKWISE);
}

#[test]
fn corpus_cases_are_fixed_in_place() {
    let Some(corpus) = corpus_support::corpus("corpus fix tests") else {
        return;
    };
    let t = tmp();
    let names = [
        "hk-energizing-kowloon-east-initiative",
        "usa-philadelphia",
        "can-vancouver",
        "chn-tianjin",
    ];
    let mut cases = Vec::new();
    for n in names {
        let from = corpus.join("cases").join(n);
        if !from.is_dir() {
            eprintln!("corpus case {n} is missing: skipped");
            return;
        }
        cases.push(copy_case(&from, t.path()));
    }
    let philadelphia = cases[1].join("philadelphia.geojson");
    let vancouver = cases[2].join("vancouver-can.geojson");
    let (phl, van) = (read(&philadelphia), read(&vancouver));
    let root = t.path().display().to_string();
    // A dry run changes nothing.
    let dry = casebook(&["fix", "--dry-run", &root]);
    assert_has(&stdout(&dry), "+country_code: HKG");
    assert_eq!(read(&philadelphia), phl);
    let o = casebook(&["fix", &root]);
    let out = stdout(&o);
    assert_has(&out, "CB005");
    assert_has(&out, "Reverse 158 rings");
    assert!(read(&cases[0].join("index.md")).contains("country_code: HKG"));
    // Reversed in place: line count and byte length unchanged, bytes changed.
    for (path, before) in [(&philadelphia, &phl), (&vancouver, &van)] {
        let after = read(path);
        assert_ne!(&after, before);
        assert_eq!(after.len(), before.len(), "{}", path.display());
        assert_eq!(after.lines().count(), before.lines().count());
    }
    let check = casebook(&["check", "--verbose", &root]);
    assert!(
        !stdout(&check).contains("wound against RFC 7946"),
        "{}",
        stdout(&check)
    );
    assert!(!stdout(&check).contains("CB005"));
    assert_eq!(code(&o), code(&check));
}

/// A synthetic phone photo stored on its side: 2400 × 3200 pixels with EXIF orientation 6
/// (turn 90° clockwise to show it), so it is 3200 × 2400 upright; grain makes it large.
fn sideways_photo() -> Vec<u8> {
    let (w, h) = (2400u32, 3200u32);
    let mut seed: u32 = 0x2545_f491;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = (seed >> 26) as i32 - 32;
        let fx = x as f32 / w as f32;
        let fy = y as f32 / h as f32;
        let base = [
            100.0 + 90.0 * (fx * 6.0).sin(),
            120.0 + 70.0 * (fy * 4.0).cos(),
            130.0 + 60.0 * ((fx + fy) * 8.0).sin(),
        ];
        image::Rgb(base.map(|v| (v as i32 + grain).clamp(0, 255) as u8))
    });
    // An EXIF APP1 segment with Orientation = 6, right after the SOI marker.
    photos::with_orientation(&photos::jpeg(&img, 92), 6)
}

/// `casebook fix CASE --only CB014 MORE…` (the image fixes of one rule alone).
fn fix_cb014(case: &Path, more: &[&str]) -> Output {
    let case = case.display().to_string();
    casebook(&[&["fix", case.as_str(), "--only", "CB014"], more].concat())
}

/// A case of our own whose featured image is `photo.jpg`.
fn photo_case(dir: &Path, photo: &[u8]) -> PathBuf {
    let case = dir.join("cases/gbr-harbour-photo");
    fs::create_dir_all(&case).unwrap();
    fs::write(case.join("photo.jpg"), photo).unwrap();
    write(
        &case.join("index.md"),
        "---\ntitle: Harbour photo test\ntemplate: case-study\nstatus: Draft\ncity: Bristol\ncountry_code: GBR\n# The photo came straight from a phone.\nfeatured_image: ./photo.jpg\nfeatured_alt: Boats moored along a quay at dusk\n---\n\n## Overview\n\nA short text of our own.\n",
    );
    case
}

#[test]
fn fix_only_cb014_resizes_an_oversize_featured_image_and_changes_one_line() {
    let t = tmp();
    let photo = sideways_photo();
    assert!(
        photo.len() > 1_000_000,
        "the fixture is {} bytes",
        photo.len()
    );
    let case = photo_case(t.path(), &photo);
    let index = case.join("index.md");
    let before = read(&index);

    // A dry run says what it would do and writes nothing.
    let o = fix_cb014(&case, &["--dry-run"]);
    assert_ne!(code(&o), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).contains("would fix CB014"), "{}", stdout(&o));
    assert_eq!(read(&index), before);
    assert_eq!(fs::read_dir(&case).map(|d| d.count()).unwrap_or(0), 2);

    let o = fix_cb014(&case, &[]);
    assert_ne!(code(&o), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert_has(&out, "fixed     CB014 line 8");
    assert_has(&out, "the original photo.jpg is kept");

    // index.md: exactly the featured_image line changed.
    let after = read(&index);
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(b.len(), a.len(), "{after}");
    let changed: Vec<(&&str, &&str)> = b.iter().zip(&a).filter(|(x, y)| x != y).collect();
    assert_eq!(
        changed,
        [(
            &"featured_image: ./photo.jpg",
            &"featured_image: ./photo-2400.jpg"
        )]
    );

    // The new file: at most 1 MB, long side 1920–2400, upright (orientation applied), 4:3.
    let new = case.join("photo-2400.jpg");
    let size = fs::metadata(&new).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0 && size <= 1_000_000, "{size} bytes");
    let (w, h) = image::image_dimensions(&new).unwrap();
    assert!((1920..=2400).contains(&w.max(h)), "{w} × {h}");
    assert!(w > h, "not turned upright: {w} × {h}");
    assert_eq!(w * 3, h * 4, "aspect ratio kept: {w} × {h}");
    // The original is kept as it was.
    assert_eq!(fs::read(case.join("photo.jpg")).unwrap_or_default(), photo);

    // Nothing left to do the second time.
    let o = fix_cb014(&case, &[]);
    assert!(stdout(&o).contains("0 fixes applied"), "{}", stdout(&o));
    assert_eq!(read(&index), after);
}

#[test]
fn fix_resizes_an_oversize_body_image_and_changes_only_its_reference() {
    let t = tmp();
    let photo = sideways_photo();
    let case = t.path().join("cases/gbr-dock-body");
    fs::create_dir_all(case.join("img")).unwrap();
    fs::write(case.join("img/dock.jpg"), &photo).unwrap();
    // CRLF line ends, a title on the image, other text on its line.
    write(
        &case.join("index.md"),
        "---\r\ntitle: Dock body test\r\ntemplate: case-study\r\nstatus: Draft\r\ncity: Bristol\r\ncountry_code: GBR\r\n---\r\n\r\n## Overview\r\n\r\nSee ![Cranes over the dock](./img/dock.jpg \"The dock at noon\") here.\r\n\r\nMore of our own text.\r\n",
    );
    let index = case.join("index.md");
    let before = read(&index);
    let o = casebook(&["check", case.to_str().unwrap_or_default()]);
    assert!(
        stdout(&o)
            .contains("CB016 line 11   the image `./img/dock.jpg` in `## Overview` is 4.1 MB"),
        "{}",
        stdout(&o)
    );

    let o = fix_cb014(&case, &["--dry-run"]);
    assert_has(&stdout(&o), "would fix CB016 line 11");
    assert_eq!(read(&index), before);

    let o = fix_cb014(&case, &[]);
    assert_ne!(code(&o), Some(2), "{}", stderr(&o));
    assert_has(&stdout(&o), "fixed     CB016 line 11");
    let after = read(&index);
    assert_eq!(
        after,
        before.replace("./img/dock.jpg", "./img/dock-2400.jpg"),
        "only the reference changed"
    );
    let new = case.join("img/dock-2400.jpg");
    let size = fs::metadata(&new).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0 && size <= 1_000_000, "{size} bytes");
    assert_eq!(image::image_dimensions(&new).ok(), Some((2400, 1800)));
    assert_eq!(
        fs::read(case.join("img/dock.jpg")).unwrap_or_default(),
        photo
    );
    // The warning is gone; a second run has nothing to do.
    let o = casebook(&["fix", case.to_str().unwrap_or_default(), "--only", "CB016"]);
    assert!(stdout(&o).contains("0 fixes applied"), "{}", stdout(&o));
}

#[test]
fn only_names_rules_and_a_wrong_code_or_path_changes_nothing() {
    let t = tmp();
    let case = fixture(t.path(), "./boundary.geojson");
    let index_before = read(&case.join("index.md"));
    let path = case.display().to_string();
    let o = casebook(&["fix", "--only", "cb999", &path]);
    assert_eq!(code(&o), Some(2));
    assert_has(
        &stderr(&o),
        "--only cb999: no such rule (the codes are CB001 to CB0",
    );
    let missing = t.path().join("nowhere").display().to_string();
    let o = casebook(&["fix", &missing]);
    assert_eq!(code(&o), Some(2));
    assert_has(&stderr(&o), "nowhere: no such file or folder");
    assert_eq!(read(&case.join("index.md")), index_before);
    // A lower-case code is a rule: only CB005's fix is made.
    let o = casebook(&["fix", "--only", "cb005", &path]);
    let out = stdout(&o);
    assert_has(&out, "fixed     CB005");
    assert!(!out.contains("CB018"), "{out}");
    assert_has(&read(&case.join("index.md")), "country_code: HKG\n");
    assert_has(&read(&case.join("index.md")), "status: draft\n");
}
