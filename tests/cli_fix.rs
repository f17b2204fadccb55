//! `casebook fix`, run as a built binary on our own fixtures and on copies of corpus cases.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn casebook(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("could not run casebook: {e}"),
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) {
    fs::write(p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("CASEBOOK_CORPUS") {
        Some(p) if Path::new(&p).is_dir() => Some(PathBuf::from(p)),
        _ => {
            eprintln!("CASEBOOK_CORPUS is not set: corpus fix tests skipped");
            None
        }
    }
}

/// Copies a case folder (its files) into `to`, writable.
fn copy_case(from: &Path, to: &Path) -> PathBuf {
    let dest = to.join(from.file_name().unwrap_or_default());
    fs::create_dir_all(&dest).unwrap_or_else(|e| panic!("{e}"));
    for e in fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        if e.path().is_file() {
            let target = dest.join(e.file_name());
            fs::copy(e.path(), &target).unwrap_or_else(|e| panic!("{e}"));
            let mut perms = fs::metadata(&target)
                .unwrap_or_else(|e| panic!("{e}"))
                .permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            fs::set_permissions(&target, perms).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dest
}

/// A boundary whose one ring runs clockwise, 2-space pretty, 26 lines.
const CLOCKWISE: &str = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    {\n      \"type\": \"Feature\",\n      \"properties\": {},\n      \"geometry\": {\n        \"type\": \"Polygon\",\n        \"coordinates\": [\n          [\n            [114.2, 22.3],\n            [114.2, 22.31],\n            [114.21, 22.31],\n            [114.21, 22.3],\n            [114.2, 22.3]\n          ]\n        ]\n      }\n    }\n  ]\n}\n";

/// A draft case in Kowloon with a two-letter country code, a lower-case status and that
/// boundary.
fn fixture(dir: &Path, geography: &str) -> PathBuf {
    let case = dir.join("hkg-kowloon-test");
    fs::create_dir_all(&case).unwrap_or_else(|e| panic!("{e}"));
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
    assert!(out.contains("would fix CB005"), "{out}");
    assert!(
        out.contains("would fix CB018           Reverse 1 ring"),
        "{out}"
    );
    assert!(
        out.contains("-country_code: HK\n+country_code: HKG\n"),
        "{out}"
    );
    assert!(out.contains("-status: draft\n+status: Draft\n"), "{out}");
    assert!(out.contains("boundary.geojson\n"), "{out}");
    assert!(out.contains("-            [114.2, 22.31],\n"), "{out}");
    assert!(out.contains("+            [114.2, 22.31],\n"), "{out}");
    assert!(out.contains("dry run: nothing written"), "{out}");
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
    assert!(
        index.contains("status: Draft\ncity: Hong Kong\ncountry_code: HKG\n"),
        "{index}"
    );
    // The ring is reversed in place: same bytes per position, same size and lines.
    let geo = read(&case.join("boundary.geojson"));
    assert_eq!(geo.len(), CLOCKWISE.len());
    assert_eq!(geo.lines().count(), CLOCKWISE.lines().count());
    assert!(geo.contains("[114.2, 22.3],\n            [114.21, 22.3],\n            [114.21, 22.31],\n            [114.2, 22.31],\n            [114.2, 22.3]\n"), "{geo}");
    // The exit code is the one `check` gives now.
    let check = casebook(&["check", &path]);
    assert_eq!(code(&o), code(&check), "{}", stdout(&check));
    // Nothing is left to fix.
    let again = casebook(&["fix", &path]);
    assert!(
        stdout(&again).contains(": 0 fixes applied"),
        "{}",
        stdout(&again)
    );
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
    fs::rename(case.join("boundary.geojson"), case.join(nfc)).unwrap_or_else(|e| panic!("{e}"));
    let path = case.display().to_string();
    let check = casebook(&["check", &path]);
    assert!(
        stdout(&check).contains("differ only in Unicode normalization"),
        "{}",
        stdout(&check)
    );
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
    let Some(corpus) = corpus() else {
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
    assert!(
        stdout(&dry).contains("+country_code: HKG"),
        "{}",
        stdout(&dry)
    );
    assert_eq!(read(&philadelphia), phl);
    let o = casebook(&["fix", &root]);
    let out = stdout(&o);
    assert!(out.contains("CB005"), "{out}");
    assert!(out.contains("Reverse 158 rings"), "{out}");
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
    use image::ImageEncoder;
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
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap_or_else(|e| panic!("{e}"));
    // An EXIF APP1 segment with Orientation = 6, right after the SOI marker.
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&6u16.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A case of our own whose featured image is `photo.jpg`.
fn photo_case(dir: &Path, photo: &[u8]) -> PathBuf {
    let case = dir.join("cases/gbr-harbour-photo");
    fs::create_dir_all(&case).unwrap_or_else(|e| panic!("{e}"));
    fs::write(case.join("photo.jpg"), photo).unwrap_or_else(|e| panic!("{e}"));
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
    let o = casebook(&[
        "fix",
        case.to_str().unwrap_or_default(),
        "--only",
        "CB014",
        "--dry-run",
    ]);
    assert_ne!(code(&o), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).contains("would fix CB014"), "{}", stdout(&o));
    assert_eq!(read(&index), before);
    assert_eq!(fs::read_dir(&case).map(|d| d.count()).unwrap_or(0), 2);

    let o = casebook(&["fix", case.to_str().unwrap_or_default(), "--only", "CB014"]);
    assert_ne!(code(&o), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("fixed     CB014 line 8"), "{out}");
    assert!(out.contains("the original photo.jpg is kept"), "{out}");

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
    let (w, h) = image::image_dimensions(&new).unwrap_or_else(|e| panic!("{e}"));
    assert!((1920..=2400).contains(&w.max(h)), "{w} × {h}");
    assert!(w > h, "not turned upright: {w} × {h}");
    assert_eq!(w * 3, h * 4, "aspect ratio kept: {w} × {h}");
    // The original is kept as it was.
    assert_eq!(fs::read(case.join("photo.jpg")).unwrap_or_default(), photo);

    // Nothing left to do the second time.
    let o = casebook(&["fix", case.to_str().unwrap_or_default(), "--only", "CB014"]);
    assert!(stdout(&o).contains("0 fixes applied"), "{}", stdout(&o));
    assert_eq!(read(&index), after);
}

#[test]
fn fix_resizes_an_oversize_body_image_and_changes_only_its_reference() {
    let t = tmp();
    let photo = sideways_photo();
    let case = t.path().join("cases/gbr-dock-body");
    fs::create_dir_all(case.join("img")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(case.join("img/dock.jpg"), &photo).unwrap_or_else(|e| panic!("{e}"));
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

    let o = casebook(&[
        "fix",
        case.to_str().unwrap_or_default(),
        "--only",
        "CB014",
        "--dry-run",
    ]);
    assert!(
        stdout(&o).contains("would fix CB016 line 11"),
        "{}",
        stdout(&o)
    );
    assert_eq!(read(&index), before);

    let o = casebook(&["fix", case.to_str().unwrap_or_default(), "--only", "CB014"]);
    assert_ne!(code(&o), Some(2), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("fixed     CB016 line 11"),
        "{}",
        stdout(&o)
    );
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
