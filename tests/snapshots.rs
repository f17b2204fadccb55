//! Image snapshots of the real app on the bundled sample, rendered on the CPU (wgpu with
//! lavapipe: `mesa-vulkan-drivers`). Without a renderer the test says so and skips, unless
//! `CASEBOOK_REQUIRE_RENDERER` is set (CI sets it). Update with `UPDATE_SNAPSHOTS=1`.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/render.rs"]
mod render;
#[path = "support/sample.rs"]
mod sample;

use std::path::Path;

use casebook::app::settings::Settings;
use casebook::app::{CasebookApp, Startup, View};
use egui_kittest::{Harness, SnapshotOptions};

fn copy_sample(to: &Path) -> std::path::PathBuf {
    // A fixed folder name: the case list shows it, and a random one would change the layout.
    sample::copy_sample(&to.join("snapshots/cases")).unwrap()
}

fn harness(data: &Path, case: &Path) -> Harness<'static, CasebookApp> {
    harness_sized(data, case, egui::vec2(1280.0, 800.0), egui::Theme::Light)
}

fn harness_sized(
    data: &Path,
    case: &Path,
    size: egui::Vec2,
    theme: egui::Theme,
) -> Harness<'static, CasebookApp> {
    let startup = Startup {
        path: Some(case.to_path_buf()),
        data_dir: Some(data.to_path_buf()),
        templates_dir: None,
        settings: Some(Settings {
            dark: Some(theme == egui::Theme::Dark),
            in_app_file_dialogs: true,
            ..Settings::default()
        }),
    };
    let mut h = Harness::builder()
        .with_max_steps(32)
        .with_size(size)
        .with_theme(theme)
        .wgpu()
        .build_eframe(move |cc| CasebookApp::new(cc, startup));
    h.state_mut().wait_for_geometry();
    h.state_mut().workspace.wait();
    // City names on the offline basemap come from the gazetteer, loaded on a thread.
    casebook::ui::map::search::wait_for_places();
    h.run_steps(6);
    // The word lists load on a thread: wait, so misspelled words are underlined every time.
    for _ in 0..1000 {
        if casebook::ui::spelling::Spelling::ready(&h.ctx) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run_steps(1);
    }
    h.run_steps(2);
    h
}

/// Whether this machine can render; skips (or fails when required) otherwise.
fn can_render(h: &mut Harness<'_, CasebookApp>) -> bool {
    render::render_or_skip(h, "the snapshots").is_some()
}

#[test]
fn snapshots_of_each_view() {
    let Ok(t) = tempfile::tempdir() else {
        panic!("tempdir")
    };
    let case = copy_sample(t.path());
    let mut h = harness(&t.path().join("data"), &case);
    if !can_render(&mut h) {
        return;
    }
    // Text rendering differs slightly between CPU rasterizers: allow a little.
    let options = SnapshotOptions::new().threshold(1.5).max_failed_pixels(400);
    for (view, name) in [
        (View::Details, "start_details"),
        (View::Sections, "sections"),
        (View::Preview, "preview"),
        (View::Map, "map_offline"),
    ] {
        h.state_mut().view = view;
        h.run_steps(6);
        // Local images are decoded on a thread: wait until they are shown.
        for _ in 0..200 {
            if !h.state().preview.images_loading() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
            h.run_steps(1);
        }
        h.run_steps(2);
        h.snapshot_options(name, &options);
    }
}

/// A small window (900×600): the form, the map, and the new-case wizard.
fn small_window(theme: egui::Theme, suffix: &str) {
    let Ok(t) = tempfile::tempdir() else {
        panic!("tempdir")
    };
    let case = copy_sample(t.path());
    let options = SnapshotOptions::new().threshold(1.5).max_failed_pixels(400);
    let mut h = harness_sized(
        &t.path().join("data"),
        &case,
        egui::vec2(900.0, 600.0),
        theme,
    );
    if !can_render(&mut h) {
        return;
    }
    for (view, name) in [(View::Details, "details"), (View::Map, "map")] {
        h.state_mut().view = view;
        h.run_steps(6);
        h.snapshot_options(format!("small_{name}_{suffix}"), &options);
    }
    h.state_mut().view = View::Details;
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run_steps(2);
    // The wizard names its folder in full: a fixed one keeps the image the same.
    h.state_mut().dialogs.set_new_case_folder(
        std::path::PathBuf::from("/home/author/atlas/cases"),
        casebook::core::template::TemplateSet::bundled(),
    );
    h.run_steps(6);
    h.snapshot_options(format!("small_new_case_{suffix}"), &options);
}

#[test]
fn snapshots_of_a_small_window_light() {
    small_window(egui::Theme::Light, "light");
}

#[test]
fn snapshots_of_a_small_window_dark() {
    small_window(egui::Theme::Dark, "dark");
}
