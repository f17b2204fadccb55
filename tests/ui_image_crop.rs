//! Crop to landscape, through the real app: "Crop…" under a portrait featured image opens a
//! window with a 3:2 frame; dragging it and the arrow keys move it; Apply writes a new 3:2
//! JPEG of at most 1 MB off the UI thread and changes only the `featured_image` line (one
//! undo step); "Move the original to the trash" moves the original into the freedesktop
//! trash (here under a temporary XDG_DATA_HOME).
//!
//! One test in its own binary: it sets XDG_DATA_HOME before any harness thread exists.

#![allow(clippy::unwrap_used)]

mod common;

use casebook::app::CasebookApp;
use common::*;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// A portrait 2400 × 3600 JPEG whose grey level grows from top (0) to bottom (255), so where
/// a crop was taken can be read from its pixels.
fn tall_gradient() -> Vec<u8> {
    let (w, h) = (2400u32, 3600u32);
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        let v = (y * 255 / (h - 1)) as u8;
        image::Rgb([v, v, v])
    });
    jpeg(&img, 90)
}

/// Drags the crop frame's bottom-right corner diagonally through `offsets` (in points, from
/// where it is), a frame an event, and releases it at the last one.
fn drag_corner(h: &mut Harness<'_, CasebookApp>, offsets: [f32; 4]) {
    let corner = h
        .get_by_label("Crop frame corner, bottom right")
        .rect()
        .center();
    one_frame(h, vec![egui::Event::PointerMoved(corner)]);
    one_frame(h, vec![button(corner, true)]);
    for d in offsets {
        one_frame(
            h,
            vec![egui::Event::PointerMoved(corner + egui::vec2(d, d))],
        );
    }
    let last = offsets[offsets.len() - 1];
    one_frame(h, vec![button(corner + egui::vec2(last, last), false)]);
    h.run_steps(2);
}

/// What the crop window says of the frame: `2400 × 1600 px from (0, 1000)`.
fn frame_label(h: &Harness<'_, CasebookApp>) -> String {
    let node = h.get_by_label_contains("px from (");
    node.accesskit_node()
        .label()
        .or_else(|| node.accesskit_node().value())
        .unwrap_or_default()
        .to_string()
}

/// The frame's top-left corner in image pixels, as the crop window states it.
fn frame_origin(h: &Harness<'_, CasebookApp>) -> (u32, u32) {
    let label = frame_label(h);
    let inner = label
        .split("from (")
        .nth(1)
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{label}"));
    let (x, y) = inner.split_once(", ").unwrap();
    (x.parse().unwrap(), y.parse().unwrap())
}

#[test]
fn crop_a_portrait_image_to_3_2_then_trash_the_original() {
    let t = tmp();
    let data_home = t.path().join("xdg-data");
    std::fs::create_dir_all(&data_home).unwrap();
    // SAFETY: the only test of this binary, and no other thread runs yet.
    unsafe { std::env::set_var("XDG_DATA_HOME", &data_home) };
    let case = t.path().join("cases/gbr-tall-photo");
    let photo = tall_gradient();
    write(
        &case.join("index.md"),
        "---\ntitle: Tall photo test\ntemplate: case-study\nstatus: Draft\ncity: Bristol\ncountry_code: GBR\nfeatured_image: ./tall.jpg # from a phone\nfeatured_alt: A tower seen from below\n---\n\n## Overview\n\nOur own short text.\n",
    );
    std::fs::write(case.join("tall.jpg"), &photo).unwrap();
    let mut h = app(Some(&case), &t.path().join("data"));
    wait_for(&mut h, "the crop button", |h| {
        h.query_by_label("Crop…").is_some()
    });
    let before = editor_text(&h);
    scroll_and_click(&mut h, "Crop…");
    wait_for(&mut h, "the crop frame", |h| {
        h.query_by_label("Crop frame").is_some()
    });
    h.run_steps(2);
    // The largest 3:2 frame, centred: 2400 × 1600 from y = 1000.
    assert!(
        h.query_by_label_contains("2400 × 1600 px from (0, 1000)")
            .is_some()
    );

    // Drag the frame down.
    let start = h.get_by_label("Crop frame").rect().center();
    one_frame(&mut h, vec![egui::Event::PointerMoved(start)]);
    one_frame(&mut h, vec![button(start, true)]);
    for dy in [10.0, 20.0, 30.0, 40.0, 50.0, 60.0] {
        one_frame(
            &mut h,
            vec![egui::Event::PointerMoved(start + egui::vec2(0.0, dy))],
        );
    }
    let end = start + egui::vec2(0.0, 60.0);
    one_frame(&mut h, vec![button(end, false)]);
    h.run_steps(2);
    let (x, y_dragged) = frame_origin(&h);
    assert_eq!(x, 0);
    assert!(
        y_dragged > 1200,
        "the drag moved the frame down: y = {y_dragged}"
    );
    // The arrow keys move it too (1% of the long side a press: 36 px).
    key(&mut h, Modifiers::NONE, Key::ArrowUp);
    let (_, y_key) = frame_origin(&h);
    assert_eq!(y_key + 36, y_dragged, "ArrowUp moved the frame up by 36 px");

    // Drag the bottom-right corner up and left: a smaller frame, still 3:2, top-left fixed.
    drag_corner(&mut h, [-10.0, -20.0, -30.0, -40.0]);
    let small = frame_label(&h);
    let (w, rest) = small.split_once(" × ").unwrap();
    let hgt = rest.split(' ').next().unwrap();
    let (w, hgt): (u32, u32) = (w.parse().unwrap(), hgt.parse().unwrap());
    assert!(w < 2400 && w > 1600, "narrower: {small}");
    assert_eq!(w * 2, hgt * 3, "still 3:2: {small}");
    assert_eq!(frame_origin(&h), (0, y_key), "the top-left corner stayed");
    // Back to the full width for the rest of the flow.
    drag_corner(&mut h, [10.0, 30.0, 60.0, 90.0]);
    assert!(
        frame_label(&h).starts_with("2400 × 1600 px"),
        "{}",
        frame_label(&h)
    );
    let (_, y_key) = frame_origin(&h);

    h.get_by_label("Apply").click();
    h.run_steps(2);
    wait_for(&mut h, "the cropped image in use", |h| {
        editor_text(h).contains("featured_image: ./tall-crop-2400.jpg")
    });
    // Only the reference changed (its comment kept).
    let after = editor_text(&h);
    assert_eq!(after, before.replace("./tall.jpg", "./tall-crop-2400.jpg"));
    let new = case.join("tall-crop-2400.jpg");
    let size = std::fs::metadata(&new).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0 && size <= 1_000_000, "{size}");
    assert_eq!(image::image_dimensions(&new).unwrap(), (2400, 1600));
    // The part that was chosen: its top row's grey is that of row y_key of the original.
    let out = image::open(&new).unwrap().into_luma8();
    let top = f64::from(out.get_pixel(1200, 2).0[0]);
    let expected = f64::from(y_key) * 255.0 / 3599.0;
    assert!(
        (top - expected).abs() < 8.0,
        "top {top}, expected {expected}"
    );
    assert_eq!(std::fs::read(case.join("tall.jpg")).unwrap(), photo);
    assert!(
        h.query_by_label("Crop frame").is_none(),
        "the window closed"
    );

    // Move the original to the trash: it lands in $XDG_DATA_HOME/Trash/files.
    h.get_by_label("Move the original to the trash")
        .scroll_to_me();
    h.run_steps(8);
    h.get_by_label("Move the original to the trash")
        .click_accesskit();
    h.run_steps(3);
    let said: Vec<String> = h
        .query_all_by_label_contains("trash")
        .filter_map(|n| n.accesskit_node().label().map(|l| l.to_string()))
        .collect();
    assert!(!case.join("tall.jpg").exists(), "{said:?}");
    assert_eq!(
        std::fs::read(data_home.join("Trash/files/tall.jpg")).unwrap(),
        photo
    );
    assert!(
        h.query_by_label("tall.jpg was moved to the trash.")
            .is_some()
    );

    // One undo goes back to the original reference.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(editor_text(&h), before);
}
