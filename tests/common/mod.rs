//! Harness helpers shared by the kittest flows: temporary case folders, the real app in a
//! harness, key presses, and what the files hold.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use casebook::app::settings::Settings;
use casebook::app::{CasebookApp, Startup};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// A temporary folder (removed when dropped).
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// Writes `text` to `path`, making its folder.
pub fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Reads a file as text (empty when it cannot be read).
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Copies the files of `from` into `to/<name of from>`, writable.
pub fn copy_dir(from: &Path, to: &Path) -> PathBuf {
    let dest = to.join(from.file_name().unwrap_or_default());
    std::fs::create_dir_all(&dest).unwrap_or_else(|e| panic!("{e}"));
    for e in std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        if e.path().is_file() {
            let d = dest.join(e.file_name());
            std::fs::copy(e.path(), &d).unwrap_or_else(|e| panic!("{e}"));
            let mut p = std::fs::metadata(&d)
                .unwrap_or_else(|e| panic!("{e}"))
                .permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            std::fs::set_permissions(&d, p).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dest
}

/// A case to edit: a corpus case when `CASEBOOK_CORPUS` is set, else the bundled sample.
pub fn case_copy(root: &Path, corpus_case: &str) -> PathBuf {
    let from = match std::env::var_os("CASEBOOK_CORPUS") {
        Some(c) if Path::new(&c).join("cases").join(corpus_case).is_dir() => {
            Path::new(&c).join("cases").join(corpus_case)
        }
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/gbr-kings-cross"),
    };
    let cases = root.join("cases");
    std::fs::create_dir_all(&cases).unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&from, &cases)
}

/// The real app in a harness of `size`, opened on `path`.
pub fn app_sized(
    path: Option<&Path>,
    data: &Path,
    size: egui::Vec2,
) -> Harness<'static, CasebookApp> {
    let startup = Startup {
        path: path.map(Path::to_path_buf),
        data_dir: Some(data.to_path_buf()),
        templates_dir: None,
        settings: Some(Settings {
            in_app_file_dialogs: true,
            ..Settings::default()
        }),
    };
    let mut h = Harness::builder()
        .with_max_steps(32)
        .with_size(size)
        .build_eframe(move |cc| CasebookApp::new(cc, startup));
    h.state_mut().wait_for_geometry();
    h.state_mut().workspace.wait();
    h.run_steps(3);
    h
}

/// The real app at 1280×800, opened on `path`.
pub fn app(path: Option<&Path>, data: &Path) -> Harness<'static, CasebookApp> {
    app_sized(path, data, egui::vec2(1280.0, 800.0))
}

/// Presses a key (with modifiers) and lets the app run a few frames.
pub fn key(h: &mut Harness<'_, CasebookApp>, modifiers: Modifiers, k: Key) {
    h.key_press_modifiers(modifiers, k);
    h.run_steps(2);
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

/// The open case's `index.md` as the editor holds it.
pub fn editor_text(h: &Harness<'_, CasebookApp>) -> String {
    h.state()
        .editor
        .as_ref()
        .map(|e| String::from_utf8_lossy(&e.case.index_bytes()).into_owned())
        .unwrap_or_default()
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
