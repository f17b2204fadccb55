//! Harness helpers shared by the kittest flows: temporary case folders, the real app in a
//! harness, key presses, and what the files hold.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test
#![allow(dead_code)]

#[path = "../support/cli.rs"]
mod cli_support;
pub mod harness;
#[path = "../../crates/casebook-core/tests/support/photos.rs"]
pub mod photos;

use std::path::{Path, PathBuf};

use casebook::app::CasebookApp;
pub use cli_support::copy_case as copy_dir;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
#[allow(unused_imports)] // each flow file uses some of them
pub use harness::{
    Start, assert_has, button, click_then, editor_text, key, one_frame, read, select_all_in,
    settle, tmp, write,
};
#[allow(unused_imports)] // each flow file uses some of them
pub use photos::jpeg;

/// A case to edit: a corpus case when `CASEBOOK_CORPUS` is set, else the bundled sample.
pub fn case_copy(root: &Path, corpus_case: &str) -> PathBuf {
    let from = match std::env::var_os("CASEBOOK_CORPUS") {
        Some(c) if Path::new(&c).join("cases").join(corpus_case).is_dir() => {
            Path::new(&c).join("cases").join(corpus_case)
        }
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/gbr-kings-cross"),
    };
    let cases = root.join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    copy_dir(&from, &cases)
}

/// A copy of the corpus's Hangzhou case (see `case_copy`) under `root`: its folder and its
/// `index.md`.
pub fn hangzhou(root: &Path) -> (PathBuf, PathBuf) {
    let case = case_copy(root, "chn-hangzhou");
    let index = case.join("index.md");
    (case, index)
}

/// The real app in a harness of `size`, opened on `path` (kittest's default dark theme).
pub fn app_sized(
    path: Option<&Path>,
    data: &Path,
    size: egui::Vec2,
) -> Harness<'static, CasebookApp> {
    harness::app(Start {
        size,
        theme: egui::Theme::Dark,
        ..Start::new(path, data)
    })
}

/// The real app at 1280×800, opened on `path`.
pub fn app(path: Option<&Path>, data: &Path) -> Harness<'static, CasebookApp> {
    app_sized(path, data, egui::vec2(1280.0, 800.0))
}

/// Presses a key without modifiers.
pub fn press(h: &mut Harness<'_, CasebookApp>, k: Key) {
    key(h, Modifiers::NONE, k);
}

/// Types text into whatever has the keyboard focus (no pointer involved).
pub fn type_keys(h: &mut Harness<'_, CasebookApp>, text: &str) {
    h.event(egui::Event::Text(text.to_string()));
    h.run_steps(2);
}

/// Whether the node labelled `label` has the keyboard focus.
pub fn focused(h: &Harness<'_, CasebookApp>, label: &str) -> bool {
    h.query_all_by_label(label).any(|n| n.is_focused())
}

/// The label (or value, for plain labels) of the focused node, if any.
pub fn focused_name(h: &Harness<'_, CasebookApp>) -> Option<String> {
    let root = h.root();
    let found = root
        .children_recursive()
        .find(|n| n.accesskit_node().is_focused())?;
    let node = found.accesskit_node();
    node.label().or_else(|| node.value()).map(|s| s.to_string())
}

/// The screen rectangle of the focused node, if any.
pub fn focused_rect(h: &Harness<'_, CasebookApp>) -> Option<egui::Rect> {
    let root = h.root();
    let found = root
        .children_recursive()
        .find(|n| n.accesskit_node().is_focused())?;
    Some(found.rect())
}

/// Presses Tab until `label` has focus (at most `max` times); the number of presses.
pub fn tabs_until(h: &mut Harness<'_, CasebookApp>, label: &str, max: usize) -> Option<usize> {
    for n in 1..=max {
        press(h, Key::Tab);
        if focused(h, label) {
            return Some(n);
        }
    }
    None
}

/// A case of my own (not from the corpus): `index.md` and optionally its boundary.
pub fn write_case(
    root: &Path,
    folder: &str,
    index: &str,
    geojson: Option<(&str, &str)>,
) -> PathBuf {
    let dir = root.join("cases").join(folder);
    write(&dir.join("index.md"), index);
    if let Some((name, text)) = geojson {
        write(&dir.join(name), text);
    }
    dir
}

/// The front matter and first section of a small test case in New York; `extra` is added to
/// the front matter (before its closing line).
pub fn ny_case(extra: &str) -> String {
    format!(
        "---
title: Harbour Lanes
description: A test district along a harbour, written for Casebook's keyboard tests.
template: case-study
status: Review
author: Test Author
type: district
city: New York
country_code: USA
centroid: [40.705, -74.046]
year_start: 2016
year_completed: 2027
featured_image: ./lanes.jpg
featured_alt: A row of harbour sheds
featured_credit: Test Photographer
tags:
  - Mobility
geography: ./usa-harbour-lanes.geojson
geography_caption: The test district.
{extra}---

## Overview

<!-- Say what the project is. -->

The district is a test fixture with a short overview.
"
    )
}

/// A boundary in New York whose first longitude has 14 decimals.
pub const NY_GEOJSON: &str = r#"{
  "type": "FeatureCollection",
  "features": [
    {
      "type": "Feature",
      "properties": {"name": "Harbour Lanes"},
      "geometry": {
        "type": "Polygon",
        "coordinates": [
          [
            [-74.05261850864912, 40.70012],
            [-74.04, 40.70012],
            [-74.04, 40.71],
            [-74.05261850864912, 40.71],
            [-74.05261850864912, 40.70012]
          ]
        ]
      }
    }
  ]
}
"#;

/// Runs frames until `done` holds, for at most 30 seconds (image and word-list jobs run on
/// threads); panics naming `what` and the status line.
pub fn wait_for(
    h: &mut Harness<'_, CasebookApp>,
    what: &str,
    done: impl Fn(&Harness<'_, CasebookApp>) -> bool,
) {
    for _ in 0..3000 {
        if done(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run_steps(1);
    }
    panic!(
        "timed out waiting for {what}; status: {:?}",
        h.state().status.as_ref().map(|s| &s.0)
    );
}

/// The New York test case (`ny_case(extra)` beside its boundary `NY_GEOJSON`) written under
/// `root` as `cases/usa-harbour-lanes`; its folder.
pub fn harbour_lanes(root: &Path, extra: &str) -> PathBuf {
    write_case(
        root,
        "usa-harbour-lanes",
        &ny_case(extra),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    )
}

/// The app (1280×800) open on `harbour_lanes(extra)` in a new temporary folder: the folder
/// (removed when dropped), the case's folder and the app.
pub fn open_harbour_lanes(
    extra: &str,
) -> (tempfile::TempDir, PathBuf, Harness<'static, CasebookApp>) {
    let t = tmp();
    let dir = harbour_lanes(t.path(), extra);
    let h = app(Some(&dir), &t.path().join("data"));
    (t, dir, h)
}

/// Scrolls the control labelled `label` into view and clicks it (a few frames each).
pub fn scroll_and_click(h: &mut Harness<'_, CasebookApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_steps(3);
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// Two New York cases under `root`, without boundaries: `usa-harbour-lanes` (in Review) and
/// `usa-second-case` (a Draft); the first one's folder.
pub fn two_ny_cases(root: &Path) -> PathBuf {
    let first = write_case(root, "usa-harbour-lanes", &ny_case(""), None);
    write_case(
        root,
        "usa-second-case",
        &ny_case("").replace("status: Review", "status: Draft"),
        None,
    );
    first
}

/// The app (1280×800) open on an empty `cases` folder in a new temporary folder: the folder
/// (removed when dropped), the `cases` folder and the app.
pub fn app_on_no_cases() -> (tempfile::TempDir, PathBuf, Harness<'static, CasebookApp>) {
    let t = tmp();
    let cases = t.path().join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    let h = app(Some(&cases), &t.path().join("data"));
    (t, cases, h)
}

/// The app (1280×800) open on `path` with its data in a new temporary folder, after `settle`
/// (each flow file waits for what it needs): the data folder (removed when dropped) and the
/// app.
pub fn app_settled(
    path: &Path,
    settle: fn(&mut Harness<'_, CasebookApp>),
) -> (tempfile::TempDir, Harness<'static, CasebookApp>) {
    let data = tmp();
    let mut h = app(Some(path), data.path());
    settle(&mut h);
    (data, h)
}
