//! Form flows driven through the accessibility tree: controls are found by their labels, the
//! returned edits are applied to a case, and the bytes of `index.md` are checked.

use casebook_core::case::Case;
use casebook_core::checks::Diagnostic;
use casebook_core::template::{Template, TemplateSet};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use super::{FormState, form_ui};
use crate::ui::test_support::{assert_has, click};
use crate::ui::{Focus, Intent, ViewCtx};

const CASE: &str = "---
title: Masdar City
description: A low-carbon city in the desert.
template: case-study
status: Draft
author: Yichao Cui
type: district
city: Abu Dhabi
country: United Arab Emirates
country_code: ARE
centroid: [24.4666, 54.3666]
year_start: 2008
year_completed: 2030
featured_image: ./masdar.jpg
featured_alt:
featured_credit: Raphael Martins
tags:
  - Buildings
geography_caption: Masdar City, UAE
---

## Overview

Text.
";

struct World {
    case: Case,
    template: Template,
    form: FormState,
    diagnostics: Vec<Diagnostic>,
    focus: Option<Focus>,
    /// Intents other than edits, in order.
    others: Vec<Intent>,
    /// Labels of the edits applied.
    labels: Vec<String>,
    _dir: tempfile::TempDir,
}

fn world(text: &str) -> World {
    let dir = tempfile::tempdir().unwrap();
    let case = Case::from_text(dir.path(), text);
    let template = TemplateSet::bundled()
        .get("case-study")
        .cloned()
        .unwrap_or_else(|| panic!("no case-study template"));
    World {
        case,
        template,
        form: FormState::default(),
        diagnostics: Vec::new(),
        focus: None,
        others: Vec::new(),
        labels: Vec::new(),
        _dir: dir,
    }
}

/// Background loads (the spelling lists, read again every few seconds) wake the UI at any
/// moment, so `run` may need a few more frames than the default four.
fn harness(w: World) -> Harness<'static, World> {
    Harness::builder()
        .with_max_steps(32)
        .with_size(egui::vec2(1280.0, 1600.0))
        .build_ui_state(
            |ui, w: &mut World| {
                let intents = {
                    let cx = ViewCtx {
                        case: &w.case,
                        template: &w.template,
                        diagnostics: &w.diagnostics,
                        revision: 0,
                        focus: w.focus.as_ref(),
                    };
                    form_ui(ui, &mut w.form, &cx)
                };
                w.focus = None;
                for i in intents {
                    match i {
                        Intent::Edit { edit, label, .. } => {
                            w.case.apply(&edit).unwrap();
                            w.labels.push(label);
                        }
                        other => w.others.push(other),
                    }
                }
            },
            w,
        )
}

fn text_of(h: &Harness<'_, World>) -> String {
    String::from_utf8(h.state().case.index_bytes()).unwrap()
}

/// The form on a case of `text`, after its first frames.
fn opened(text: &str) -> Harness<'static, World> {
    let mut h = harness(world(text));
    h.run();
    h
}

/// Clicks the field labelled `label` and selects all of its text (Ctrl/Cmd+A).
fn select_all(h: &mut Harness<'_, World>, label: &str) {
    click(h, label);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
}

/// Clicks the field labelled `label`, moves to its end and types `text`.
fn type_at_end(h: &mut Harness<'_, World>, label: &str, text: &str) {
    click(h, label);
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Asserts that the case's text differs from `before` in exactly one line, `old` → `new`.
#[track_caller]
fn assert_one_change(h: &Harness<'_, World>, before: &str, old: &str, new: &str) {
    assert_eq!(
        changed_lines(before, &text_of(h)),
        vec![(old.to_string(), new.to_string())]
    );
}

/// Asserts that a control's label contains `part`.
#[track_caller]
fn assert_shown(h: &Harness<'_, World>, part: &str) {
    assert!(
        h.query_by_label_contains(part).is_some(),
        "nothing labelled with {part:?}"
    );
}

/// The lines that differ between `a` and `b` (same line count expected).
fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
    assert_eq!(
        a.lines().count(),
        b.lines().count(),
        "line count changed:\n{b}"
    );
    a.lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect()
}

#[test]
fn typing_in_title_changes_only_the_title_line() {
    let mut h = opened(CASE);
    click(&mut h, "Title");
    h.get_by_label("Title").type_text("X");
    h.run();
    let after = text_of(&h);
    let changed = changed_lines(CASE, &after);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.starts_with("title: "), "{changed:?}");
    assert!(changed[0].1.contains('X'));
    assert_eq!(changed[0].1.len(), changed[0].0.len() + 1);
    assert_eq!(h.state().labels, vec!["Title".to_string()]);
}

/// A field whose anchor other keys use cannot be changed from the form: it is shown as
/// written, read-only, with the reason, and typing into it writes nothing.
#[test]
fn a_field_holding_an_anchor_is_read_only_with_the_reason() {
    let text = CASE
        .replace("title: Masdar City\n", "title: &name Masdar City\n")
        .replace(
            "geography_caption: Masdar City, UAE\n",
            "geography_caption: *name\n",
        );
    let mut h = opened(&text);
    assert!(h.get_by_label("Title").accesskit_node().is_disabled());
    assert_shown(
        &h,
        "Read-only here: `title` (line 2) holds the anchor &name",
    );
    click(&mut h, "Title");
    h.get_by_label("Title").type_text("X");
    h.run();
    assert_eq!(text_of(&h), text);
    // Other fields are still edited as usual.
    assert!(!h.get_by_label("City").accesskit_node().is_disabled());
}

#[test]
fn picking_a_status_changes_one_line() {
    let mut h = opened(CASE);
    click(&mut h, "Status");
    click(&mut h, "Review");
    assert_one_change(&h, CASE, "status: Draft", "status: Review");
}

#[test]
fn ticking_a_tag_keeps_the_block_list() {
    let mut h = opened(CASE);
    click(&mut h, "Mobility");
    let after = text_of(&h);
    assert_has(&after, "tags:\n  - Buildings\n  - Mobility\n");
    assert_eq!(after.replace("  - Mobility\n", ""), CASE);
}

#[test]
fn the_fourth_tag_is_disabled_with_the_reason_shown() {
    let text = CASE.replace("  - Buildings\n", "  - Buildings\n  - Energy\n  - Food\n");
    let mut h = opened(&text);
    assert!(h.get_by_label("Mobility").accesskit_node().is_disabled());
    assert!(!h.get_by_label("Energy").accesskit_node().is_disabled());
    assert_shown(&h, "the most a case may have");
    click(&mut h, "Mobility");
    assert_eq!(text_of(&h), text);
    // Unticking one is allowed.
    click(&mut h, "Energy");
    assert!(text_of(&h).contains("tags:\n  - Buildings\n  - Food\n"));
}

#[test]
fn tags_outside_the_taxonomy_are_kept_and_removable() {
    let text = CASE.replace("  - Buildings\n", "  - Buildings\n  - Robots\n");
    let mut h = opened(&text);
    assert_shown(&h, "not in the atlas's tag list");
    click(&mut h, "Mobility");
    assert!(text_of(&h).contains("  - Buildings\n  - Robots\n  - Mobility\n"));
    click(&mut h, "Remove tag Robots");
    assert!(text_of(&h).contains("tags:\n  - Buildings\n  - Mobility\n"));
}

#[test]
fn unknown_text_keys_are_written_as_typed_and_quoted_as_needed() {
    let mut h = opened(CASE);
    let field = h.get_by_label("country");
    assert_eq!(field.value().as_deref(), Some("United Arab Emirates"));
    field.click();
    h.run();
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label("country").type_text("!");
    h.run();
    let changed = changed_lines(CASE, &text_of(&h));
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].1, "country: United Arab Emirates!");
    // Text YAML would read otherwise is written as text: quoted.
    h.get_by_label("country").type_text(": phase #2");
    h.run();
    let changed = changed_lines(CASE, &text_of(&h));
    assert_eq!(changed.len(), 1, "{changed:?}");
    let value: serde_yaml::Mapping = serde_yaml::from_str(&changed[0].1).unwrap();
    assert_eq!(
        value.get("country"),
        Some(&serde_yaml::Value::String(
            "United Arab Emirates!: phase #2".into()
        ))
    );
    assert!(h.query_by_label_contains("Not written").is_none());
    // Removing the key removes its line.
    click(&mut h, "Remove country");
    assert!(!text_of(&h).contains("country:"));
    assert_eq!(text_of(&h).lines().count(), CASE.lines().count() - 1);
}

#[test]
fn yaml_is_written_when_committed_and_only_if_it_parses() {
    let mut h = opened(CASE);
    click(&mut h, "Edit country as YAML");
    select_all(&mut h, "country");
    // Typed fast: every prefix that reads as YAML was never written.
    for c in "City grant: phase #2".chars() {
        h.get_by_label("country").type_text(&c.to_string());
        h.run();
    }
    assert_eq!(text_of(&h), CASE, "nothing written while typing");
    assert_shown(&h, "Not written: mapping values are not allowed");
    assert_shown(&h, "The file keeps “United Arab Emirates”");
    // Leaving the field does not write it either.
    click(&mut h, "Title");
    assert_eq!(text_of(&h), CASE);
    let unwritten = h.state().form.unwritten(&h.state().case);
    assert_eq!(unwritten.len(), 1, "{unwritten:?}");
    assert_eq!(unwritten[0].key, "country");
    assert_eq!(unwritten[0].shown, "City grant: phase #2");
    // Escape in the field puts back what the file holds.
    click(&mut h, "country");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(
        h.get_by_label("country").value().as_deref(),
        Some("United Arab Emirates")
    );
    assert!(h.state().form.unwritten(&h.state().case).is_empty());
    // Valid YAML is written when committed (Ctrl+Enter), as typed.
    select_all(&mut h, "country");
    h.get_by_label("country").type_text("[UAE, Abu Dhabi]");
    h.run();
    assert_eq!(text_of(&h), CASE, "not before it is committed");
    assert_shown(&h, "Not written yet");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    h.run();
    assert_one_change(
        &h,
        CASE,
        "country: United Arab Emirates",
        "country: [UAE, Abu Dhabi]",
    );
}

#[test]
fn unwritten_drafts_are_committed_written_as_text_or_dropped() {
    let mut h = opened(CASE);
    click(&mut h, "Edit country as YAML");
    select_all(&mut h, "country");
    h.get_by_label("country").type_text("City grant: phase #2");
    h.run();
    // A valid centroid typed but not committed is written by Save (commit_pending).
    type_at_end(&mut h, "Latitude", "5");
    let w = h.state_mut();
    let commits = w.form.commit_pending(&w.case);
    assert_eq!(commits.len(), 1, "{commits:?}");
    for i in commits {
        if let Intent::Edit { edit, .. } = i {
            w.case.apply(&edit).unwrap();
        }
    }
    assert!(
        String::from_utf8_lossy(&w.case.index_bytes()).contains("centroid: [24.46665, 54.3666]")
    );
    // The YAML that does not parse: written as text, quoted.
    let edits = w.form.write_unwritten_as_text(&w.case);
    assert_eq!(edits.len(), 1);
    for i in edits {
        if let Intent::Edit { edit, .. } = i {
            w.case.apply(&edit).unwrap();
        }
    }
    assert!(w.form.unwritten(&w.case).is_empty());
    let text = String::from_utf8_lossy(&w.case.index_bytes()).into_owned();
    assert_has(&text, "country: 'City grant: phase #2'\n");
    h.run();
    // Still shown as YAML (the expert toggle is on): as written, quoted.
    assert_eq!(
        h.get_by_label("country").value().as_deref(),
        Some("'City grant: phase #2'")
    );
}

#[test]
fn numbers_true_false_and_lists_have_their_own_editors() {
    let text = CASE.replace(
        "geography_caption: Masdar City, UAE\n",
        "geography_caption: Masdar City, UAE\nbudget: 22\npublic: true\npartners:\n  - Masdar\n  - IRENA\n",
    );
    let mut h = opened(&text);
    // A number: not written until committed; text that is not a number never.
    type_at_end(&mut h, "budget", ".5x");
    assert_eq!(text_of(&h), text);
    assert_shown(&h, "is not a number");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        text_of(&h),
        text,
        "Enter does not write what does not parse"
    );
    click(&mut h, "budget");
    h.key_press(egui::Key::End);
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_one_change(&h, &text, "budget: 22", "budget: 22.5");
    // true/false: a checkbox.
    let before = text_of(&h);
    click(&mut h, "public");
    assert_one_change(&h, &before, "public: true", "public: false");
    // A list: one field per item, remove and add.
    let before = text_of(&h);
    type_at_end(&mut h, "partners item 2", " Agency");
    assert_one_change(&h, &before, "  - IRENA", "  - IRENA Agency");
    click(&mut h, "Remove partners item 1");
    assert_has(&text_of(&h), "partners:\n  - IRENA Agency\n");
    click(&mut h, "New partners item");
    h.get_by_label("New partners item").type_text("City");
    h.run();
    click(&mut h, "Add the item to partners");
    assert_has(&text_of(&h), "partners:\n  - IRENA Agency\n  - City\n");
}

#[test]
fn a_key_can_be_added_with_its_kind() {
    let mut h = opened(CASE);
    let add = |h: &mut Harness<'static, World>, name: &str, kind: Option<&str>, value: &str| {
        click(h, "New key name");
        h.get_by_label("New key name").type_text(name);
        h.run();
        if let Some(k) = kind {
            click(h, "New key type");
            click(h, k);
        }
        click(h, "New key value");
        h.get_by_label("New key value").type_text(value);
        h.run();
        click(h, "Add key");
    };
    add(&mut h, "funding", None, "City grant: phase #2");
    let after = text_of(&h);
    assert_has(&after, "funding: 'City grant: phase #2'\n");
    add(&mut h, "partners", Some("YAML"), "[EU, city]");
    let after = text_of(&h);
    assert_has(&after, "partners: [EU, city]\n");
    assert_eq!(after.lines().count(), CASE.lines().count() + 2);
}

#[test]
fn an_invalid_country_code_offers_the_suggestion() {
    let text = CASE.replace("country_code: ARE", "country_code: HK");
    let mut w = world(&text);
    w.diagnostics = casebook_core::checks::run(&w.case, &w.template);
    assert!(
        w.diagnostics
            .iter()
            .any(|d| d.suggestion.as_deref() == Some("HKG")),
        "{:?}",
        w.diagnostics
    );
    let mut h = harness(w);
    h.run();
    assert_eq!(
        h.get_by_label("Country").value().as_deref(),
        Some("HK (not an ISO code)")
    );
    click(&mut h, "Use HKG");
    assert_one_change(&h, &text, "country_code: HK", "country_code: HKG");
}

#[test]
fn focus_scrolls_to_and_focuses_the_field() {
    let mut h = opened(CASE);
    assert!(!h.get_by_label("City").is_focused());
    h.state_mut().focus = Some(Focus::Field("city".to_string()));
    h.run();
    assert!(h.get_by_label("City").is_focused());
}

#[test]
fn ongoing_and_years_keep_their_type() {
    let mut h = opened(CASE);
    click(&mut h, "Ongoing");
    assert_one_change(&h, CASE, "year_completed: 2030", "year_completed: Ongoing");
    // Typing a year writes a number.
    select_all(&mut h, "Year completed");
    h.get_by_label("Year completed").type_text("2031");
    h.run();
    assert_has(&text_of(&h), "year_completed: 2031\n");
}

#[test]
fn drafts_follow_changes_from_elsewhere() {
    let mut h = opened(CASE);
    assert_eq!(h.get_by_label("City").value().as_deref(), Some("Abu Dhabi"));
    // As undo or a reload would.
    let edit = casebook_core::edit::Edit::set("city", "Masdar");
    h.state_mut().case.apply(&edit).unwrap();
    h.run();
    assert_eq!(h.get_by_label("City").value().as_deref(), Some("Masdar"));
}

#[test]
fn the_legacy_alt_key_is_written_where_it_is() {
    let text = CASE.replace("featured_alt:", "featured_desc:");
    let mut h = opened(&text);
    click(&mut h, "Image alt text");
    h.get_by_label("Image alt text").type_text("Towers");
    h.run();
    let changed = changed_lines(&text, &text_of(&h));
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].1, "featured_desc: Towers");
}

#[test]
fn description_count_and_centroid_fields() {
    let mut h = opened(CASE);
    assert_shown(&h, "/ 160 characters");
    assert_eq!(
        h.get_by_label("Latitude").value().as_deref(),
        Some("24.4666")
    );
    assert_eq!(
        h.get_by_label("Longitude").value().as_deref(),
        Some("54.3666")
    );
    // No boundary: "From boundary" is disabled and says why.
    assert!(
        h.get_by_label("From boundary")
            .accesskit_node()
            .is_disabled()
    );
    assert_shown(&h, "No boundary yet");
    type_at_end(&mut h, "Longitude", "1");
    assert!(
        !text_of(&h).contains("54.36661"),
        "a coordinate is written when committed"
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert_has(&text_of(&h), "centroid: [24.4666, 54.36661]\n");
    click(&mut h, "Pick on map");
    assert!(matches!(
        h.state().others.as_slice(),
        [
            Intent::PickCentroidOnMap,
            Intent::Focus(Focus::Geometry),
            ..
        ]
    ));
}

#[test]
fn unclosed_front_matter_is_explained_and_not_editable() {
    let text = "---\ntitle: Open\nstatus: Draft\n\n## Overview\n\nText.\n";
    let h = opened(text);
    assert_shown(&h, "never closed");
    // Nothing could be read, so no field pretends to be empty.
    assert!(h.query_by_label("Title").is_none());
    assert_eq!(text_of(&h), text);
}

#[test]
fn from_boundary_writes_the_centre_of_the_boundary() {
    let mut w = world(&CASE.replace(
        "geography_caption:",
        "geography: ./b.geojson\ngeography_caption:",
    ));
    let geojson = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[10,20],[12,20],[12,22],[10,22],[10,20]]]}}]}"#;
    std::fs::write(w._dir.path().join("b.geojson"), geojson).unwrap();
    w.case = Case::from_text(
        w._dir.path(),
        &String::from_utf8(w.case.index_bytes()).unwrap(),
    );
    assert!(w.case.geometry().is_some());
    let before = String::from_utf8(w.case.index_bytes()).unwrap();
    let mut h = harness(w);
    h.run();
    assert!(
        !h.get_by_label("From boundary")
            .accesskit_node()
            .is_disabled()
    );
    click(&mut h, "From boundary");
    let changed = changed_lines(&before, &text_of(&h));
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].1, "centroid: [21.0, 11.0]");
    assert_eq!(h.get_by_label("Latitude").value().as_deref(), Some("21"));
}

#[test]
fn unreadable_lines_are_shown_raw_and_the_rest_stays_editable() {
    let text = CASE.replace("city: Abu Dhabi", "city: [Abu Dhabi");
    let mut h = opened(&text);
    assert_shown(&h, "could not be read as a whole");
    assert_eq!(
        h.get_by_label("City").value().as_deref(),
        Some("[Abu Dhabi")
    );
    click(&mut h, "Title");
    h.get_by_label("Title").type_text("X");
    h.run();
    assert_eq!(changed_lines(&text, &text_of(&h)).len(), 1);
}

/// A file dropped onto the window (tests).
#[derive(Debug)]
struct DroppedPath(std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Hovers at `at` and drops the file at `path` there.
fn drop_file_at(h: &mut Harness<'_, World>, at: egui::Pos2, path: &str) {
    h.hover_at(at);
    h.run();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(path.into())));
    h.run();
}

#[test]
fn dropping_an_image_on_the_group_imports_it() {
    let mut h = opened(CASE);
    let over = h.get_by_label("Image credit").rect().center();
    drop_file_at(&mut h, over, "/somewhere/photo.JPG");
    let imports: Vec<_> = h
        .state()
        .others
        .iter()
        .filter_map(|i| match i {
            Intent::ImportFile { from, purpose } => Some((from.clone(), purpose.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        imports,
        vec![(
            std::path::PathBuf::from("/somewhere/photo.JPG"),
            crate::ui::ImportPurpose::FeaturedImage
        )]
    );
    // Dropped elsewhere, the form leaves it to the app.
    let title = h.get_by_label("Title").rect().center();
    drop_file_at(&mut h, title, "/somewhere/other.png");
    let count = h
        .state()
        .others
        .iter()
        .filter(|i| matches!(i, Intent::ImportFile { .. }))
        .count();
    assert_eq!(count, 1);
}

#[test]
fn choose_image_asks_the_app_for_a_file_dialog() {
    let mut h = opened(CASE);
    click(&mut h, "Choose image…");
    assert!(matches!(
        h.state().others.as_slice(),
        [Intent::Pick(crate::ui::purpose::Purpose::FeaturedImage)]
    ));
}

#[test]
fn known_keys_are_removed_from_the_label_menu() {
    let mut h = opened(CASE);
    h.get_by(|n| {
        n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some("Author")
    })
    .click_secondary();
    h.run();
    h.get_by_label("Remove author from the front matter")
        .click();
    h.run();
    let after = text_of(&h);
    assert_eq!(after, CASE.replace("author: Yichao Cui\n", ""));
    assert_eq!(h.state().labels, vec!["Remove author".to_string()]);
}
