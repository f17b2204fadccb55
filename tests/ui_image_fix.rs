//! The featured image's "Resize to under 1 MB", driven through the real app: it runs off the
//! UI thread, writes a new JPEG beside the original (kept), and changes only `featured_image`,
//! as one undo step.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

/// A large grainy 3200 × 2400 JPEG (well over 1 MB).
fn big_photo() -> Vec<u8> {
    let (w, h) = (3200u32, 2400u32);
    let mut seed: u32 = 0x0bad_cafe;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = (seed >> 26) as i32 - 32;
        let v = ((x / 7 + y / 5) % 200) as i32 + 20 + grain;
        image::Rgb([v.clamp(0, 255) as u8, (255 - v).clamp(0, 255) as u8, 128])
    });
    jpeg(&img, 92)
}

#[test]
fn resize_button_writes_a_new_jpeg_keeps_the_original_and_is_one_undo_step() {
    let t = tmp();
    let case = t.path().join("cases/gbr-quay-photo");
    let photo = big_photo();
    assert!(photo.len() > 1_000_000, "{} bytes", photo.len());
    write(
        &case.join("index.md"),
        "---\ntitle: Quay photo test\ntemplate: case-study\nstatus: Draft\ncity: Bristol\ncountry_code: GBR\nfeatured_image: ./quay.jpg\nfeatured_alt: Cranes along a quay\n---\n\n## Overview\n\nOur own short text.\n",
    );
    std::fs::write(case.join("quay.jpg"), &photo).unwrap();
    let mut h = app(Some(&case), &t.path().join("data"));
    wait_for(&mut h, "the resize button", |h| {
        h.query_by_label("Resize to under 1 MB").is_some()
    });
    let before = editor_text(&h);
    // The featured image group is below the fold: bring the button into view first.
    scroll_and_click(&mut h, "Resize to under 1 MB");
    wait_for(&mut h, "the resized image in use", |h| {
        editor_text(h).contains("featured_image: ./quay-2400.jpg")
    });
    let after = editor_text(&h);
    assert_eq!(
        after.replace("./quay-2400.jpg", "./quay.jpg"),
        before,
        "only the reference changed"
    );
    let new = case.join("quay-2400.jpg");
    let size = std::fs::metadata(&new).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0 && size <= 1_000_000, "{size}");
    assert_eq!(image::image_dimensions(&new).unwrap(), (2400, 1800));
    assert_eq!(std::fs::read(case.join("quay.jpg")).unwrap(), photo);
    // Not saved yet; one undo goes back to the original file.
    assert!(read(&case.join("index.md")).contains("./quay.jpg"));
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(editor_text(&h), before);
}

#[test]
fn an_oversize_body_image_is_resized_from_the_problems_panel_one_line_changes() {
    let t = tmp();
    let case = t.path().join("cases/gbr-dock-body");
    let photo = big_photo();
    write(
        &case.join("index.md"),
        "---\ntitle: Dock body test\ntemplate: case-study\nstatus: Draft\ncity: Bristol\ncountry_code: GBR\n---\n\n## Overview\n\nOur own text.\n\n![Cranes along the dock](./img/dock.jpg \"At noon\")\n\nMore of our own text.\n",
    );
    std::fs::create_dir_all(case.join("img")).unwrap();
    std::fs::write(case.join("img/dock.jpg"), &photo).unwrap();
    let mut h = app(Some(&case), &t.path().join("data"));
    wait_for(&mut h, "the finding's resize button", |h| {
        h.query_by_label("Resize to under 1 MB").is_some()
    });
    let before = editor_text(&h);
    h.get_by_label("Resize to under 1 MB").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Resize to under 1 MB").click();
    h.run_steps(2);
    wait_for(&mut h, "the resized body image in use", |h| {
        editor_text(h).contains("./img/dock-2400.jpg")
    });
    assert_eq!(
        editor_text(&h),
        before.replace("./img/dock.jpg", "./img/dock-2400.jpg"),
        "only the image's path changed"
    );
    let new = case.join("img/dock-2400.jpg");
    let size = std::fs::metadata(&new).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0 && size <= 1_000_000, "{size}");
    assert_eq!(image::image_dimensions(&new).unwrap(), (2400, 1800));
    assert_eq!(std::fs::read(case.join("img/dock.jpg")).unwrap(), photo);
    assert!(
        h.query_by_label("Move the original to the trash").is_some(),
        "the success message offers the trash"
    );
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(editor_text(&h), before);
}

#[test]
fn preview_textures_are_the_shown_size_and_dropped_when_the_case_closes() {
    let t = tmp();
    let case = t.path().join("cases/gbr-wide-photo");
    write(
        &case.join("index.md"),
        "---\ntitle: Wide photo test\ntemplate: case-study\nstatus: Draft\ncity: Bristol\ncountry_code: GBR\nfeatured_image: ./wide.jpg\nfeatured_alt: A wide street\n---\n\n## Overview\n\n![A wide street at dusk](./wide.jpg)\n",
    );
    image::RgbImage::from_fn(4000, 3000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 70])
    })
    .save(case.join("wide.jpg"))
    .unwrap();
    let mut h = app(Some(&case), &t.path().join("data"));
    h.state_mut().view = casebook::app::View::Preview;
    wait_for(&mut h, "the preview image", |h| {
        h.query_all_by_label("A wide street").next().is_some()
            && !h.state().preview.images_loading()
    });
    h.run_steps(2);
    // The featured image at the top (the body image, the same file, shares its texture).
    let shown = h
        .query_all_by_label("A wide street")
        .map(|n| n.rect().width())
        .fold(0.0f32, f32::max);
    let ppp = h.ctx.pixels_per_point();
    let sizes = h.state().preview.texture_sizes();
    assert_eq!(sizes.len(), 1, "{sizes:?}");
    assert!(
        sizes[0][0] as f32 <= (shown * ppp).ceil() + 1.0 && sizes[0][0] < 4000,
        "texture {:?} for {shown} pt at {ppp}",
        sizes[0]
    );
    let textures_open = h.ctx.tex_manager().read().num_allocated();
    key(&mut h, Modifiers::COMMAND, Key::W);
    h.run_steps(2);
    assert!(h.state().editor.is_none(), "the case closed");
    assert!(h.state().preview.texture_sizes().is_empty());
    let textures_closed = h.ctx.tex_manager().read().num_allocated();
    assert!(
        textures_closed < textures_open,
        "the case's image textures were freed: {textures_open} -> {textures_closed}"
    );
}
