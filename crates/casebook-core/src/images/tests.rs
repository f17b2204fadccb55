#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/support/photos.rs"]
mod photos;

use std::fs;
use std::sync::atomic::AtomicBool;

use image::{ImageEncoder, Rgb};

use super::*;
use crate::text::{DiffLine, line_diff};
use photos::{photo_jpeg, with_orientation};

/// A `w` × `h` JPEG, left half red and right half blue.
fn red_blue(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&img)
        .unwrap();
    jpeg
}

fn quiet_job<T>(f: impl FnOnce(&mut Job<'_>) -> T) -> T {
    let cancel = AtomicBool::new(false);
    let mut progress = |_: f32| {};
    let mut job = Job::new(&mut progress, &cancel);
    f(&mut job)
}

/// An oversize 2600 × 1950 photo (made once).
fn oversize_photo() -> &'static [u8] {
    static PHOTO: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PHOTO.get_or_init(|| photo_jpeg(2600, 1950, 95))
}

/// A case folder inside an atlas with `index.md` = `text` and an oversize photo at `rel`
/// (2600 × 1950).
fn case_with_photo(text: &str, rel: &str) -> (tempfile::TempDir, Case, Vec<u8>) {
    case_with(text, rel, oversize_photo().to_vec())
}

fn case_with(text: &str, rel: &str, photo: Vec<u8>) -> (tempfile::TempDir, Case, Vec<u8>) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("cases/abc-photo");
    let file = dir.join(rel);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    assert!(photo.len() as u64 > MAX_BYTES, "{} bytes", photo.len());
    fs::write(&file, &photo).unwrap();
    fs::write(dir.join("index.md"), text).unwrap();
    let case = Case::open(&dir).unwrap();
    (t, case, photo)
}

/// Applies the fix's edit and returns the lines that changed (old, new).
fn changed_lines(case: &mut Case, fix: &ImageFix) -> Vec<(String, String)> {
    let before = case.doc().text().to_string();
    case.apply(&fix.edit).unwrap();
    let after = case.doc().text().to_string();
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for d in line_diff(&before, &after) {
        match d {
            DiffLine::Removed(l) => removed.push(l.trim_end_matches(['\r', '\n']).to_string()),
            DiffLine::Added(l) => added.push(l.trim_end_matches(['\r', '\n']).to_string()),
            DiffLine::Same(_) => {}
        }
    }
    assert_eq!(removed.len(), added.len());
    removed.into_iter().zip(added).collect()
}

#[test]
fn oversize_featured_image_is_resized_and_one_line_changes() {
    for (style, text) in [
        (
            "plain",
            "---\ntitle: T\nfeatured_image: ./big.jpg\nfeatured_alt: A view\n---\n\n## Overview\n\nText.\n",
        ),
        (
            "quoted",
            "---\ntitle: T\nfeatured_image: \"./big.jpg\" # the photo\nfeatured_alt: A view\n---\n\n## Overview\n\nText.\n",
        ),
        (
            "crlf",
            "---\r\ntitle: T\r\nfeatured_image: big.jpg\r\nfeatured_alt: A view\r\n---\r\n\r\n## Overview\r\n\r\nText.\r\n",
        ),
        (
            "bom",
            "\u{feff}---\ntitle: T\nfeatured_image: './big.jpg'\n---\n",
        ),
    ] {
        let (_t, mut case, photo) = case_with_photo(text, "big.jpg");
        assert_eq!(
            oversize(&case).unwrap(),
            vec![ImageRef::Featured],
            "{style}"
        );
        let fix = quiet_job(|job| fix_featured_if_oversize(&case, job))
            .unwrap()
            .unwrap();
        // The new file: under 1 MB, long side 1920–2400, 4:3 kept, a real JPEG.
        assert!(fix.bytes <= MAX_BYTES, "{style}: {}", fix.bytes);
        assert_eq!(fs::metadata(&fix.written).unwrap().len(), fix.bytes);
        assert!((LONG_SIDE_MIN..=LONG_SIDE_MAX).contains(&fix.width.max(fix.height)));
        assert_eq!((fix.width, fix.height), (2400, 1800), "{style}");
        let back = image::load_from_memory(&fs::read(&fix.written).unwrap()).unwrap();
        assert_eq!((back.width(), back.height()), (2400, 1800));
        assert_eq!(
            image::guess_format(&fs::read(&fix.written).unwrap()).unwrap(),
            image::ImageFormat::Jpeg
        );
        // The original is untouched.
        assert_eq!(fs::read(&fix.original).unwrap(), photo);
        assert!(fix.written.ends_with("big-2400.jpg"), "{:?}", fix.written);
        // Exactly one line of index.md changes: the reference.
        let crlf = case.doc().text().contains("\r\n");
        let changed = changed_lines(&mut case, &fix);
        assert_eq!(changed.len(), 1, "{style}: {changed:?}");
        assert!(
            changed[0].1.contains("big-2400.jpg"),
            "{style}: {changed:?}"
        );
        assert_eq!(case.doc().text().contains("\r\n"), crlf);
        if style == "quoted" {
            assert_eq!(
                changed[0].1,
                "featured_image: \"./big-2400.jpg\" # the photo"
            );
        }
        // Saving writes index.md with only that change; the check no longer finds it oversize.
        case.save(false).unwrap();
        assert!(
            oversize(&Case::open(case.dir()).unwrap())
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn body_image_reference_is_rewritten_in_place() {
    let text = "---\ntitle: T\n---\n\n## Overview\n\nBefore.\n\n![A street](./photos/big%20one.JPG \"Caption\")\n\nAfter.\n";
    let (_t, mut case, _) = case_with_photo(text, "photos/big one.JPG");
    let found = oversize(&case).unwrap();
    assert_eq!(found.len(), 1);
    let fix = quiet_job(|job| fix_image(&case, &found[0], None, job)).unwrap();
    assert_eq!(fix.new_ref, "./photos/big%20one-2400.jpg");
    assert!(fix.written.ends_with("photos/big one-2400.jpg"));
    let changed = changed_lines(&mut case, &fix);
    assert_eq!(
        changed,
        vec![(
            "![A street](./photos/big%20one.JPG \"Caption\")".to_string(),
            "![A street](./photos/big%20one-2400.jpg \"Caption\")".to_string()
        )]
    );
    // A second resize of the same original does not overwrite the first.
    let mut case2 = Case::open(case.dir()).unwrap();
    let again = quiet_job(|job| fix_image(&case2, &found[0], None, job)).unwrap();
    assert!(
        again.written.ends_with("photos/big one-2400-2.jpg"),
        "{:?}",
        again.written
    );
    assert_eq!(changed_lines(&mut case2, &again).len(), 1);
}

#[test]
fn exif_orientation_is_applied() {
    // 60 × 40: left half red, right half blue; EXIF says "rotate 90° clockwise" (6).
    let jpeg = red_blue(60, 40);
    let rotated = with_orientation(&jpeg, 6);
    let t = tempfile::tempdir().unwrap();
    let path = t.path().join("turned.jpg");
    fs::write(&path, &rotated).unwrap();
    let out = quiet_job(|job| process_file(&path, None, job)).unwrap();
    assert_eq!((out.width, out.height), (40, 60));
    let back = image::load_from_memory(&out.bytes).unwrap().into_rgb8();
    // Turned clockwise, the left (red) half is now on top.
    let top = back.get_pixel(20, 10).0;
    let bottom = back.get_pixel(20, 50).0;
    assert!(top[0] > 150 && top[2] < 100, "{top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "{bottom:?}");
    // The output carries no orientation to apply again.
    let mut d = image::ImageReader::new(Cursor::new(&out.bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(
        d.orientation().unwrap(),
        image::metadata::Orientation::NoTransforms
    );
    // Without the tag, the same file is read as landscape.
    fs::write(&path, &jpeg).unwrap();
    let plain = quiet_job(|job| process_file(&path, None, job)).unwrap();
    assert_eq!((plain.width, plain.height), (60, 40));
}

#[test]
fn colours_are_converted_to_srgb() {
    let img = RgbImage::from_pixel(8, 8, Rgb([100, 150, 200]));
    let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let mut png = Vec::new();
    let mut enc = image::codecs::png::PngEncoder::new(&mut png);
    enc.set_icc_profile(p3).unwrap();
    enc.write_image(img.as_raw(), 8, 8, image::ExtendedColorType::Rgb8)
        .unwrap();
    let converted = decode_upright(&png, Path::new("p3.png")).unwrap();
    let px = converted.get_pixel(4, 4).0;
    let diff = px
        .iter()
        .zip([100u8, 150, 200])
        .map(|(a, b)| a.abs_diff(b))
        .max()
        .unwrap();
    assert!(
        diff >= 5,
        "Display P3 pixels read as sRGB unchanged: {px:?}"
    );
    // Without a profile, pixels are taken as sRGB.
    let mut plain = Vec::new();
    image::codecs::png::PngEncoder::new(&mut plain)
        .write_image(img.as_raw(), 8, 8, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert_eq!(
        decode_upright(&plain, Path::new("p.png"))
            .unwrap()
            .get_pixel(4, 4)
            .0,
        [100, 150, 200]
    );
}

#[test]
fn crop_to_landscape() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("cases/abc-crop");
    fs::create_dir_all(&dir).unwrap();
    // A portrait photo: 1200 × 1800, stripes so the crop's place can be seen.
    let img = RgbImage::from_fn(1200, 1800, |_, y| {
        if y < 500 {
            Rgb([250, 0, 0])
        } else if y < 1300 {
            Rgb([0, 250, 0])
        } else {
            Rgb([0, 0, 250])
        }
    });
    img.save(dir.join("tall.png")).unwrap();
    fs::write(
        dir.join("index.md"),
        "---\ntitle: T\nfeatured_image: ./tall.png\n---\n",
    )
    .unwrap();
    let mut case = Case::open(&dir).unwrap();
    let rect = CropRect::centered(1200, 1800, 3, 2);
    assert_eq!(
        rect,
        CropRect {
            x: 0,
            y: 500,
            width: 1200,
            height: 800
        }
    );
    let fix = quiet_job(|job| fix_image(&case, &ImageRef::Featured, Some(rect), job)).unwrap();
    // Not enlarged: 1200 × 800, landscape, 3:2.
    assert_eq!((fix.width, fix.height), (1200, 800));
    assert!(fix.bytes <= MAX_BYTES);
    assert_eq!(fix.new_ref, "./tall-crop-1200.jpg");
    let back = image::load_from_memory(&fs::read(&fix.written).unwrap())
        .unwrap()
        .into_rgb8();
    // The frame covered exactly the green band.
    for y in [2, 400, 797] {
        let p = back.get_pixel(600, y).0;
        assert!(p[1] > 200 && p[0] < 60 && p[2] < 60, "row {y}: {p:?}");
    }
    assert_eq!(
        changed_lines(&mut case, &fix),
        vec![(
            "featured_image: ./tall.png".into(),
            "featured_image: ./tall-crop-1200.jpg".into()
        )]
    );
    // A frame outside the image is refused, naming the size.
    let bad = CropRect {
        x: 100,
        y: 1500,
        width: 1200,
        height: 800,
    };
    let fresh = Case::open(&dir).unwrap();
    let err = quiet_job(|job| fix_image(&fresh, &ImageRef::Featured, Some(bad), job)).unwrap_err();
    assert!(err.to_string().contains("1200 × 1800"), "{err}");
    // A wide image crops to the full height.
    assert_eq!(
        CropRect::centered(4000, 1000, 3, 2),
        CropRect {
            x: 1250,
            y: 0,
            width: 1500,
            height: 1000
        }
    );
}

#[test]
fn progress_is_reported_and_cancel_writes_nothing() {
    let text = "---\ntitle: T\nfeatured_image: ./big.jpg\n---\n";
    let (_t, case, _) = case_with_photo(text, "big.jpg");
    let mut seen = Vec::new();
    let cancel = AtomicBool::new(false);
    {
        let mut progress = |f: f32| seen.push(f);
        let mut job = Job::new(&mut progress, &cancel);
        let fix = fix_image(&case, &ImageRef::Featured, None, &mut job).unwrap();
        fs::remove_file(fix.written).unwrap();
    }
    assert!(seen.len() >= 5, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last().copied(), Some(1.0));
    // Cancelled from the progress callback on its third report.
    let cancel = AtomicBool::new(false);
    let mut n = 0;
    let mut progress = |_: f32| {
        n += 1;
        if n == 3 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let mut job = Job::new(&mut progress, &cancel);
    let err = fix_image(&case, &ImageRef::Featured, None, &mut job).unwrap_err();
    assert!(matches!(err, ImageError::Cancelled), "{err}");
    let files: Vec<_> = fs::read_dir(case.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
}

#[test]
fn nothing_to_do_and_refusals() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("c");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("small.jpg"), photo_jpeg(300, 200, 80)).unwrap();
    fs::write(
        dir.join("index.md"),
        "---\ntitle: T\nfeatured_image: ./small.jpg\n---\n\n![Web](https://example.org/a.jpg)\n",
    )
    .unwrap();
    let case = Case::open(&dir).unwrap();
    assert!(oversize(&case).unwrap().is_empty());
    assert!(
        quiet_job(|job| fix_featured_if_oversize(&case, job))
            .unwrap()
            .is_none()
    );
    let web = body_images(&case)[0].0;
    assert!(matches!(
        quiet_job(|job| fix_image(&case, &ImageRef::Body { offset: web }, None, job)),
        Err(ImageError::NoImage(_))
    ));
    fs::write(
        dir.join("index.md"),
        "---\ntitle: T\nfeatured_image: ../outside.jpg\n---\n",
    )
    .unwrap();
    let case = Case::open(&dir).unwrap();
    assert!(matches!(
        quiet_job(|job| fix_image(&case, &ImageRef::Featured, None, job)),
        Err(ImageError::Refused { .. })
    ));
    fs::write(
        dir.join("index.md"),
        "---\ntitle: T\nfeatured_image: ./broken.jpg\n---\n",
    )
    .unwrap();
    fs::write(dir.join("broken.jpg"), "not an image").unwrap();
    let case = Case::open(&dir).unwrap();
    let err = quiet_job(|job| fix_image(&case, &ImageRef::Featured, None, job)).unwrap_err();
    assert!(err.to_string().contains("broken.jpg"), "{err}");
}

#[test]
fn quality_steps_down_toward_the_target() {
    // 1.5 MB at 85 (about 0.75 MB expected at 50): aim at 59.
    let q = next_quality(&[(85, 1_500_000)]);
    assert_eq!(q, 59);
    // Twice the limit: straight to the minimum.
    assert_eq!(next_quality(&[(85, 2_000_000)]), 50);
    // A secant step between two sizes, lower than both tried.
    let q2 = next_quality(&[(85, 1_500_000), (q, 1_100_000)]);
    assert!(q2 < q && q2 >= QUALITY_MIN, "{q} {q2}");
    // Never below the minimum, never a quality tried again.
    assert_eq!(next_quality(&[(85, 9_000_000), (51, 8_000_000)]), 50);
    assert_eq!(next_quality(&[(85, 1_000_001)]), 81);
    assert_eq!(next_quality(&[(85, 2_000_000), (50, 1_500_000)]), 50);
}

#[test]
fn names() {
    assert_eq!(new_name("./a.jpeg", "2400"), "./a-2400.jpg");
    assert_eq!(
        new_name("img/My%20Photo.PNG", "crop-1920"),
        "img/My%20Photo-crop-1920.jpg"
    );
    assert_eq!(new_name("noext", "2400"), "noext-2400.jpg");
    assert_eq!(new_name(".hidden", "2400"), ".hidden-2400.jpg");
    assert_eq!(percent_decode("a%20b%zz%2"), "a b%zz%2");
    assert_eq!(scaled(4000, 3000, 2400), (2400, 1800));
    assert_eq!(scaled(3000, 4000, 1920), (1440, 1920));
    assert_eq!(scaled(800, 600, 2400), (800, 600));
}

#[test]
fn display_decoding_turns_the_image_upright_at_the_shown_size() {
    // 600 × 400: left half red, right half blue; EXIF 6 (turn 90° clockwise).
    let turned = with_orientation(&red_blue(600, 400), 6);
    let d = decode_for_display(&turned, std::path::Path::new("t.jpg"), 100, 100).unwrap();
    // Upright it is 400 × 600; fitted in 100 × 100 it is 67 × 100 (not 100 × 67).
    assert_eq!((d.width, d.height), (400, 600));
    assert_eq!(d.rgba.dimensions(), (67, 100));
    let top = d.rgba.get_pixel(33, 10).0;
    let bottom = d.rgba.get_pixel(33, 90).0;
    assert!(top[0] > 150 && top[2] < 100, "{top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "{bottom:?}");
}

#[test]
fn oversize_body_images_are_listed_last_first_and_fix_in_that_order() {
    let text = "---\ntitle: T\n---\n\n## A\n\n![One](./a.jpg)\n\n## B\n\n![Two](./b.jpg)\n";
    let (_t, mut case, photo) = case_with_photo(text, "a.jpg");
    fs::write(case.dir().join("b.jpg"), &photo).unwrap();
    let list = oversize_body_last_first(&case);
    let offsets: Vec<usize> = list
        .iter()
        .map(|r| match r {
            ImageRef::Body { offset } => *offset,
            ImageRef::Featured => usize::MAX,
        })
        .collect();
    assert_eq!(
        offsets,
        vec![text.find("![Two").unwrap(), text.find("![One").unwrap()]
    );
    let before = case.doc().text().to_string();
    for which in &list {
        let fix = quiet_job(|job| fix_image(&case, which, None, job)).unwrap();
        case.apply(&fix.edit).unwrap();
    }
    let after = case.doc().text().to_string();
    assert_eq!(
        after,
        before
            .replace("./a.jpg", "./a-2400.jpg")
            .replace("./b.jpg", "./b-2400.jpg")
    );
    assert!(oversize_body_last_first(&case).is_empty());
}

#[test]
fn a_moved_crop_frame_writes_a_3_2_jpeg_of_that_part() {
    // A portrait 1200 × 1800 image: the top half dark, the bottom half light.
    let img = RgbImage::from_fn(1200, 1800, |_, y| {
        if y < 900 {
            Rgb([30, 30, 30])
        } else {
            Rgb([230, 230, 230])
        }
    });
    let t = tempfile::tempdir().unwrap();
    let path = t.path().join("tall.png");
    img.save(&path).unwrap();
    // The centred 1200 × 800 frame moved to the bottom.
    let frame = CropFrame::centered(1200, 1800).moved(0.0, 10_000.0);
    let rect = frame.to_rect();
    assert_eq!(
        rect,
        CropRect {
            x: 0,
            y: 1000,
            width: 1200,
            height: 800
        }
    );
    let out = quiet_job(|job| process_file(&path, Some(rect), job)).unwrap();
    assert_eq!((out.width, out.height), (1200, 800));
    let back = image::load_from_memory(&out.bytes).unwrap().into_rgb8();
    assert!(back.get_pixel(600, 400).0[0] > 200);
}
