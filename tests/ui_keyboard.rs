//! Keyboard, focus, accessibility and "write only what is shown" flows of issue 16, driving the
//! real app by accessible labels and asserting on the files written.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

mod common;

use casebook::app::View;
use casebook::app::files::Purpose;
use casebook::core::geometry::{LonLat, RingRef};
use casebook::ui::focus::Pane;
use casebook::ui::map::Selection;
use common::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

/// Runs frames for a while (checks wait for a pause in typing).
fn run_for(h: &mut egui_kittest::Harness<'_, casebook::app::CasebookApp>, ms: u64) {
    let end = std::time::Instant::now() + std::time::Duration::from_millis(ms);
    while std::time::Instant::now() < end {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    h.run_steps(2);
}

#[test]
fn tabs_from_launch_to_title() {
    let t = tmp();
    let case = case_copy(t.path(), "chn-hangzhou");
    let mut h = app(Some(&case), &t.path().join("data"));
    let n = tabs_until(&mut h, "Title", 150);
    println!("Tabs from launch to Title: {n:?}");
    assert!(
        n.is_some_and(|n| n <= 2),
        "Tabs from launch to Title: {n:?}"
    );
}

#[test]
fn a_raw_yaml_draft_that_does_not_parse_is_never_written() {
    let t = tmp();
    let dir = harbour_lanes(t.path(), "funding:\n  city: 2\n");
    let index = dir.join("index.md");
    let original = read(&index);
    let mut h = app(Some(&dir), &t.path().join("data"));
    h.get_by_label("funding").scroll_to_me();
    h.run_steps(4);
    select_all_in(&mut h, "funding");
    // Typed one character per frame, as a fast typist would.
    for c in "City grant: phase #2".chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.run_steps(1);
    }
    h.run_steps(2);
    let text = editor_text(&h);
    assert!(
        text.contains("funding:\n  city: 2\n"),
        "the document keeps the committed value:\n{text}"
    );
    assert!(!text.contains("City gra"), "{text}");
    assert!(
        h.query_by_label_contains("Not written").is_some(),
        "field: {:?} focused: {:?}",
        h.get_by_label("funding").value(),
        focused_name(&h)
    );
    // Save says so and asks; the file keeps the committed value.
    key(&mut h, Modifiers::COMMAND, Key::S);
    assert!(
        h.query_by_label("Write as text").is_some(),
        "Save asks what to do with the draft"
    );
    assert_eq!(read(&index), original, "nothing written yet");
}

#[test]
fn escape_closes_a_popup_and_keeps_focus_on_its_field() {
    let (_t, _, mut h) = open_harbour_lanes("");
    click_then(&mut h, "Title", 2);
    press(&mut h, Key::Tab);
    press(&mut h, Key::Tab);
    assert!(focused(&h, "Status"), "{:?}", focused_name(&h));
    press(&mut h, Key::Enter);
    assert!(h.query_by_label("Draft").is_some(), "the list is open");
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Draft").is_none(), "Escape closed it");
    assert!(focused(&h, "Status"), "focus stays: {:?}", focused_name(&h));
    // The next Tab goes on from Status (not back to the menu).
    press(&mut h, Key::Tab);
    assert!(focused(&h, "Type"), "{:?}", focused_name(&h));
    // Choosing with the keyboard keeps the focus too.
    press(&mut h, Key::Enter);
    assert!(h.query_by_label("plan").is_some(), "the list is open");
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowDown);
    assert!(focused(&h, "plan"), "arrows go through the list");
    press(&mut h, Key::Enter);
    h.run_steps(4);
    assert!(h.query_by_label("district").is_none(), "chosen and closed");
    assert!(
        focused(&h, "Type"),
        "after choosing: {:?}",
        focused_name(&h)
    );
    assert_has(&editor_text(&h), "type: plan\n");
    // The country picker's search: Escape closes it, the focus stays on Country.
    assert!(tabs_until(&mut h, "Country", 6).is_some());
    press(&mut h, Key::Enter);
    assert!(focused(&h, "Search countries"), "{:?}", focused_name(&h));
    press(&mut h, Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Search countries").is_none());
    assert!(focused(&h, "Country"), "{:?}", focused_name(&h));
}

#[test]
fn tabbing_scrolls_the_focused_field_into_view() {
    let t = tmp();
    let dir = harbour_lanes(t.path(), "");
    let mut h = app_sized(
        Some(&dir),
        &t.path().join("data"),
        egui::vec2(1100.0, 620.0),
    );
    let top = h.get_by_label("File").rect().bottom();
    let bottom = h.get_by_label("Problems").rect().top();
    click_then(&mut h, "Title", 2);
    let mut seen = Vec::new();
    for _ in 0..24 {
        press(&mut h, Key::Tab);
        h.run_steps(3);
        let name = focused_name(&h).unwrap_or_default();
        let Some(r) = focused_rect(&h) else {
            panic!("focus lost after {seen:?}")
        };
        assert!(
            r.top() >= top - 1.0 && r.bottom() <= bottom + 1.0,
            "{name} at {r:?} is outside the visible area ({top}..{bottom}) after {seen:?}"
        );
        seen.push(name);
    }
    // Problem links below the panel's fold scroll into view too.
    let panel_top = h.get_by_label("Problems").rect().top() - 4.0;
    let window_bottom = h.get_by_label("Saved").rect().top();
    for _ in 0..5 {
        if pane_of_focus(&h) == Some(Pane::Problems) {
            break;
        }
        press(&mut h, Key::F6);
        h.run_steps(2);
    }
    assert_eq!(pane_of_focus(&h), Some(Pane::Problems));
    for _ in 0..12 {
        press(&mut h, Key::Tab);
        h.run_steps(3);
        let name = focused_name(&h).unwrap_or_default();
        let Some(r) = focused_rect(&h) else {
            panic!("focus lost")
        };
        assert!(
            r.top() >= panel_top - 1.0 && r.bottom() <= window_bottom + 1.0,
            "{name} at {r:?} is outside the problems panel ({panel_top}..{window_bottom})"
        );
    }
}

fn pane_of_focus(h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>) -> Option<Pane> {
    h.state().focused_pane(&h.ctx)
}

#[test]
fn the_vertex_table_keeps_the_text_of_untouched_axes() {
    let t = tmp();
    let dir = harbour_lanes(t.path(), "");
    let geo = dir.join("usa-harbour-lanes.geojson");
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.state_mut().map.select(Some(Selection {
        ring: RingRef::new(0, 0, 0),
        vertex: None,
    }));
    h.run_steps(3);
    select_all_in(&mut h, "Latitude 1");
    h.get_by_label("Latitude 1").type_text("40.70021234567");
    h.run_steps(2);
    press(&mut h, Key::Enter);
    key(&mut h, Modifiers::COMMAND, Key::S);
    let text = read(&geo);
    assert_eq!(
        text.matches("-74.05261850864912").count(),
        3,
        "the longitudes nobody typed keep every digit:\n{text}"
    );
    assert!(
        text.contains("40.700212"),
        "what was typed is rounded to 6 decimals:\n{text}"
    );
    assert!(!text.contains("40.70021234567"), "{text}");
}

const TWO_FEATURES: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"North","ward":7},"geometry":{"type":"Polygon","coordinates":[[[-74.03,40.72],[-74.02,40.72],[-74.02,40.73],[-74.03,40.72]]]}},
{"type":"Feature","properties":{"name":"South","ward":8},"geometry":{"type":"Polygon","coordinates":[[[-74.03,40.69],[-74.02,40.69],[-74.02,40.70],[-74.03,40.69]]]}}
]}"#;

#[test]
fn importing_a_feature_collection_asks_and_keeps_the_features() {
    let t = tmp();
    let dir = harbour_lanes(t.path(), "");
    let import = t.path().join("two.geojson");
    write(&import, TWO_FEATURES);
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.state_mut()
        .picked(Purpose::ImportGeometry, import.clone());
    h.run_steps(4);
    let shapes = |h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>| {
        h.state()
            .editor
            .as_ref()
            .and_then(|e| e.case.geometry())
            .map(|g| g.shapes().len())
    };
    assert_eq!(
        shapes(&h),
        Some(1),
        "nothing changes before the author chooses"
    );
    assert!(
        h.query_by_label_contains("2 features with 2 polygons")
            .is_some()
    );
    // What merging would lose is shown before it is chosen.
    assert!(
        h.query_by_label("Merging drops the properties of: North: name, ward; South: name, ward.")
            .is_some()
    );
    click_then(&mut h, "Add the features", 3);
    assert_eq!(shapes(&h), Some(3));
    key(&mut h, Modifiers::COMMAND, Key::S);
    let geo = dir.join("usa-harbour-lanes.geojson");
    let text = read(&geo);
    for s in [
        "Harbour Lanes",
        "North",
        "South",
        "\"ward\": 7",
        "\"ward\": 8",
    ] {
        assert!(text.contains(s), "{s} kept:\n{text}");
    }
    // Replace: the imported features, with their properties, are the whole boundary.
    h.state_mut()
        .picked(Purpose::ImportGeometry, import.clone());
    h.run_steps(3);
    click_then(&mut h, "Replace the boundary", 3);
    key(&mut h, Modifiers::COMMAND, Key::S);
    let doc = casebook::core::geometry::GeoDocument::parse(&read(&geo)).unwrap();
    let names: Vec<_> = (0..doc.shapes().len())
        .filter_map(|i| doc.name_of(i))
        .collect();
    assert_eq!(names, vec!["North", "South"]);
    // Merge: one MultiPolygon, as warned.
    h.state_mut().picked(Purpose::ImportGeometry, import);
    h.run_steps(3);
    click_then(&mut h, "Merge into one MultiPolygon", 3);
    assert_eq!(shapes(&h), Some(1));
    assert_eq!(
        h.state()
            .editor
            .as_ref()
            .and_then(|e| e.case.geometry())
            .map(|g| g.all_polygons().count()),
        Some(2)
    );
}

#[test]
fn adding_a_template_section_brings_its_sub_headings_and_guidance() {
    let (_t, _, mut h) = open_harbour_lanes("");
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    h.get_by_label("Add section References").scroll_to_me();
    h.run_steps(4);
    click_then(&mut h, "Add section References", 3);
    let text = editor_text(&h);
    assert_has(&text, "## References\n");
    assert_has(&text, "### Primary Sources");
    assert_has(&text, "### Secondary Sources");
    assert_has(&text, "<!-- 3-5 primary sources");
}

/// An atlas checkout: a full template and a stub template with no sections (as the atlas's is).
fn atlas(root: &std::path::Path) {
    write(
        &root.join("templates/case-2024/index.md"),
        "---\ntitle: Name\ntemplate: case-study\nstatus: Draft\n---\n\n## Overview\n\n<!-- What it is. -->\n\nText.\n\n## References\n\n<!-- Sources. -->\n",
    );
    write(
        &root.join("templates/stub/stub-template.md"),
        "---\ntitle: Stub name\ntemplate: stub\nstatus: Draft\ntags:\n\n---\n",
    );
}

#[test]
fn a_stub_following_a_template_without_sections_is_not_told_otherwise() {
    let t = tmp();
    atlas(t.path());
    let dir = write_case(
        t.path(),
        "usa-small-stub",
        "---\ntitle: Small stub\ntemplate: stub\nstatus: Draft\ncountry_code: USA\n---\n\n## Overview\n\nA line.\n\n## References\n\n- A source.\n",
        None,
    );
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    assert_eq!(h.state().view, View::Sections);
    assert_eq!(
        h.query_all_by_label("not in the template").count(),
        0,
        "template: {:?}",
        h.state().editor.as_ref().map(|e| e.template.name.clone())
    );
    assert!(h.query_by_label_contains("lists no sections").is_some());
}

#[test]
fn the_filter_row_stays_one_row_when_a_status_is_chosen() {
    let t = tmp();
    let a = two_ny_cases(t.path());
    let mut h = app(Some(&a), &t.path().join("data"));
    let row = |h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>| {
        ["Status filter", "Type filter", "Tag filter"].map(|l| h.get_by_label(l).rect())
    };
    // Side by side: each drop-down's middle is level with the others, left to right.
    let one_row = |r: [egui::Rect; 3]| {
        r.iter().all(|x| r[0].y_range().contains(x.center().y))
            && r[0].right() <= r[1].left()
            && r[1].right() <= r[2].left()
    };
    let before = row(&h);
    assert!(one_row(before), "{before:?}");
    click_then(&mut h, "Status filter", 2);
    click_then(&mut h, "Review", 3);
    let after = row(&h);
    assert!(one_row(after), "one row: {after:?} (before {before:?})");
}

#[test]
fn the_open_case_badge_follows_the_live_findings() {
    let t = tmp();
    let a = two_ny_cases(t.path());
    let mut h = app(Some(&a), &t.path().join("data"));
    select_all_in(&mut h, "Title");
    press(&mut h, Key::Backspace);
    select_all_in(&mut h, "Author");
    press(&mut h, Key::Backspace);
    run_for(&mut h, 600);
    let diags = h
        .state()
        .editor
        .as_ref()
        .map(|e| e.last_diagnostics().to_vec())
        .unwrap_or_default();
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    let errors = count(casebook::core::checks::Severity::Error);
    let warnings = count(casebook::core::checks::Severity::Warning);
    assert!(errors > 0);
    // The status bar, the problems panel and the open case's line in the list.
    let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    assert_eq!(
        h.query_all_by_label(&counted(errors, "error")).count(),
        3,
        "{errors} errors everywhere"
    );
    if warnings > 0 {
        assert_eq!(
            h.query_all_by_label(&counted(warnings, "warning")).count(),
            3
        );
    }
}

#[test]
fn paste_brings_the_result_into_view() {
    let (_t, _, mut h) = open_harbour_lanes("");
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    click_then(&mut h, "Paste coordinates…", 2);
    click_then(&mut h, "Coordinates to paste", 1);
    h.get_by_label("Coordinates to paste")
        .type_text("-33.86, 151.20\n-33.87, 151.21\n-33.86, 151.22");
    h.run_steps(2);
    click_then(&mut h, "Add polygons", 6);
    let Some(xf) = h.state().map.xform() else {
        panic!("no map")
    };
    let p = xf.ll_to_screen(LonLat::new(151.21, -33.865));
    assert!(
        xf.rect.contains(p),
        "pasted polygon at {p:?}, map {:?}",
        xf.rect
    );
}

/// The pane that has the keyboard focus.
fn pane(h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>) -> Option<Pane> {
    h.state().focused_pane(&h.ctx)
}

#[test]
fn f6_moves_between_panes_and_tab_stays_in_each() {
    let t = tmp();
    // A Review case with one section of a full template: problems to list, an outline.
    let case = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case("").replace("featured_alt: A row of harbour sheds\n", ""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    write_case(
        t.path(),
        "usa-second-case",
        &ny_case("").replace("Harbour Lanes", "Second Case"),
        None,
    );
    let mut h = app(Some(&case), &t.path().join("data"));
    press(&mut h, Key::Tab);
    assert!(focused(&h, "Title"));
    assert_eq!(pane(&h), Some(Pane::Editor));
    // F6 goes round: problems, (wrap) case list, outline, editor.
    let mut order = Vec::new();
    for _ in 0..4 {
        press(&mut h, Key::F6);
        h.run_steps(2);
        order.push(pane(&h));
    }
    assert_eq!(
        order,
        vec![
            Some(Pane::Problems),
            Some(Pane::Workspace),
            Some(Pane::Outline),
            Some(Pane::Editor)
        ]
    );
    assert!(
        focused(&h, "Title"),
        "back where it was: {:?}",
        focused_name(&h)
    );
    key(&mut h, Modifiers::SHIFT, Key::F6);
    h.run_steps(2);
    assert_eq!(pane(&h), Some(Pane::Outline));
    // In every pane, Tab and Shift+Tab go round inside it.
    for p in [Pane::Outline, Pane::Workspace, Pane::Problems, Pane::Editor] {
        for _ in 0..8 {
            if pane(&h) == Some(p) {
                break;
            }
            press(&mut h, Key::F6);
            h.run_steps(2);
        }
        assert_eq!(
            pane(&h),
            Some(p),
            "F6 reaches {p:?}: {:?}",
            focused_name(&h)
        );
        let mut names = std::collections::BTreeSet::new();
        for i in 0..70 {
            let shift = i >= 60;
            key(
                &mut h,
                if shift {
                    Modifiers::SHIFT
                } else {
                    Modifiers::NONE
                },
                Key::Tab,
            );
            h.run_steps(2);
            assert_eq!(
                pane(&h),
                Some(p),
                "Tab {i} left {p:?} for {:?} after {names:?}",
                focused_name(&h)
            );
            names.extend(focused_name(&h));
        }
        assert!(names.len() >= 2, "{p:?}: {names:?}");
    }
}

#[test]
fn the_map_takes_the_focus_and_works_from_the_keyboard() {
    let t = tmp();
    let two = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"West"},"geometry":{"type":"Polygon","coordinates":[[[-74.05,40.70],[-74.04,40.70],[-74.04,40.71],[-74.05,40.71],[-74.05,40.70]]]}},
{"type":"Feature","properties":{"name":"East"},"geometry":{"type":"Polygon","coordinates":[[[-74.03,40.70],[-74.02,40.70],[-74.025,40.71],[-74.03,40.70]]]}}
]}"#;
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", two)),
    );
    let geo = dir.join("usa-harbour-lanes.geojson");
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    press(&mut h, Key::Tab);
    assert!(
        tabs_until(&mut h, "Map", 40).is_some(),
        "the map takes the focus"
    );
    let xf = |h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>| {
        h.state().map.xform().unwrap_or_else(|| panic!("no map"))
    };
    // Arrows pan.
    let before = xf(&h);
    press(&mut h, Key::ArrowRight);
    h.run_steps(2);
    let after = xf(&h);
    assert!(after.center[0] > before.center[0], "{before:?} → {after:?}");
    assert!(focused(&h, "Map"), "arrows stay on the map");
    // + and − zoom.
    let z = xf(&h).zoom;
    press(&mut h, Key::Plus);
    h.run_steps(2);
    assert!(
        (xf(&h).zoom - (z + 1.0).round()).abs() < 0.01,
        "{} → {}",
        z,
        xf(&h).zoom
    );
    press(&mut h, Key::Minus);
    h.run_steps(2);
    assert!(xf(&h).zoom < z + 0.99);
    // Tab goes through the polygons without leaving the map; Enter selects one.
    press(&mut h, Key::Tab);
    assert_eq!(h.state().map.keyboard_polygon(), Some((0, 0)));
    press(&mut h, Key::Tab);
    assert_eq!(h.state().map.keyboard_polygon(), Some((1, 0)));
    key(&mut h, Modifiers::SHIFT, Key::Tab);
    key(&mut h, Modifiers::SHIFT, Key::Tab);
    assert_eq!(h.state().map.keyboard_polygon(), Some((1, 0)), "round");
    assert!(focused(&h, "Map"));
    press(&mut h, Key::Enter);
    assert_eq!(
        h.state().map.selection().map(|s| s.ring),
        Some(RingRef::new(1, 0, 0))
    );
    assert!(
        h.query_by_label("Latitude 3").is_some(),
        "its points are listed"
    );
    // Delete removes the selected point, with the guard for a triangle.
    h.state_mut().map.select(Some(Selection {
        ring: RingRef::new(1, 0, 0),
        vertex: Some(0),
    }));
    h.run_steps(1);
    press(&mut h, Key::Delete);
    assert!(
        h.query_by_label("Remove polygon").is_some(),
        "a triangle's point asks before the polygon goes"
    );
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Remove polygon").is_none());
    // A point of the square goes at once.
    h.state_mut().map.select(Some(Selection {
        ring: RingRef::new(0, 0, 0),
        vertex: Some(1),
    }));
    h.run_steps(1);
    press(&mut h, Key::Delete);
    key(&mut h, Modifiers::COMMAND, Key::S);
    let text = read(&geo);
    assert!(!text.contains("-74.04,\n          40.7\n"), "{text}");
    let doc = casebook::core::geometry::GeoDocument::parse(&text).unwrap();
    assert_eq!(doc.shapes()[0].polygons[0].rings[0].len(), 3, "{text}");
    assert_eq!(doc.shapes()[1].polygons[0].rings[0].len(), 3);
    // Escape with nothing left to cancel leaves the map for its toolbar.
    press(&mut h, Key::Escape);
    press(&mut h, Key::Escape);
    h.run_steps(2);
    assert!(!focused(&h, "Map"), "{:?}", focused_name(&h));
}

#[test]
fn help_keyboard_lists_the_keys() {
    let t = tmp();
    let dir = write_case(t.path(), "usa-harbour-lanes", &ny_case(""), None);
    let mut h = app(Some(&dir), &t.path().join("data"));
    click_then(&mut h, "Help", 2);
    h.get_by_label_contains("Keyboard").click();
    h.run_steps(3);
    for k in [
        "F6 / Shift+F6",
        "Tab / Shift+Tab",
        "+ / −",
        "Escape",
        "Delete",
        "F10",
    ] {
        assert!(h.query_all_by_label(k).next().is_some(), "{k} documented");
    }
    assert!(
        h.query_by_label_contains("Move the keyboard focus to the next pane")
            .is_some()
    );
    press(&mut h, Key::Escape);
    assert!(!h.state().keyboard_help);
    press(&mut h, Key::F1);
    assert!(h.state().keyboard_help, "F1 opens it too");
}

/// A case whose `funding` field shows YAML that does not parse (typed, not written).
fn with_unwritten_draft(
    t: &std::path::Path,
) -> (
    std::path::PathBuf,
    egui_kittest::Harness<'static, casebook::app::CasebookApp>,
) {
    let dir = harbour_lanes(t, "funding:\n  city: 2\n");
    write_case(
        t,
        "usa-second-case",
        &ny_case("").replace("Harbour Lanes", "Second Case"),
        None,
    );
    let mut h = app(Some(&dir), &t.join("data"));
    h.get_by_label("funding").scroll_to_me();
    h.run_steps(4);
    select_all_in(&mut h, "funding");
    type_keys(&mut h, "City grant: phase #2");
    (dir, h)
}

#[test]
fn save_asks_about_unwritten_text_write_it_as_text_or_drop_it() {
    let t = tmp();
    let (dir, mut h) = with_unwritten_draft(t.path());
    let index = dir.join("index.md");
    let original = read(&index);
    key(&mut h, Modifiers::COMMAND, Key::S);
    assert!(h.query_by_label_contains("not written").is_some());
    assert!(
        h.query_by_label_contains("It cannot be written: mapping values are not allowed")
            .is_some()
    );
    // Fix it: back to the field, nothing written.
    click_then(&mut h, "Fix it", 3);
    assert!(focused(&h, "funding"), "{:?}", focused_name(&h));
    assert_eq!(read(&index), original);
    // Write as text: quoted, then saved.
    key(&mut h, Modifiers::COMMAND, Key::S);
    click_then(&mut h, "Write as text", 3);
    let saved = read(&index);
    assert_has(&saved, "funding: 'City grant: phase #2'\n");
    assert!(h.state().editor.as_ref().is_some_and(|e| !e.is_dirty()));
    // Drop it: the file keeps its value, and saving goes on. (Now text, so as YAML.)
    click_then(&mut h, "Edit funding as YAML", 2);
    select_all_in(&mut h, "funding");
    type_keys(&mut h, "a: [");
    key(&mut h, Modifiers::COMMAND, Key::S);
    click_then(&mut h, "Drop it", 3);
    assert_eq!(read(&index), saved);
    assert_eq!(
        h.get_by_label("funding").value().as_deref(),
        Some("'City grant: phase #2'")
    );
}

#[test]
fn switching_case_and_quitting_ask_about_unwritten_text() {
    let t = tmp();
    let (dir, mut h) = with_unwritten_draft(t.path());
    let index = dir.join("index.md");
    let original = read(&index);
    // Switching case (the case list).
    click_then(&mut h, "Second Case", 3);
    assert!(
        h.query_by_label("Write as text").is_some(),
        "switching asks"
    );
    assert!(
        h.query_by_label_contains("before leaving this case")
            .is_some()
    );
    click_then(&mut h, "Fix it", 2);
    assert_eq!(
        h.state()
            .editor
            .as_ref()
            .map(|e| e.case.index_path().to_path_buf()),
        Some(index.clone()),
        "still on the case"
    );
    // Quitting.
    key(&mut h, Modifiers::COMMAND, Key::Q);
    assert!(h.query_by_label_contains("before quitting").is_some());
    click_then(&mut h, "Drop it", 2);
    assert_eq!(read(&index), original, "nothing written");
    // No unsaved change was left, so nothing else asks.
    assert!(h.query_by_label("Save your changes?").is_none());
}

/// The interactive nodes of the accessibility tree without a role or a name.
fn unnamed(h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>) -> Vec<String> {
    use egui::accesskit::{Action, Role};
    use egui_kittest::kittest::NodeT;
    let mut bad = Vec::new();
    let mut count = 0;
    for n in h.root().children_recursive() {
        let a = n.accesskit_node();
        let data = a.data();
        if !(data.supports_action(Action::Focus) || data.supports_action(Action::Click)) {
            continue;
        }
        count += 1;
        let role = a.role();
        let name = if role == Role::Label {
            a.value()
        } else {
            a.label()
        };
        if matches!(role, Role::Unknown | Role::GenericContainer)
            || name.as_deref().is_none_or(|s| s.trim().is_empty())
        {
            bad.push(format!(
                "{role:?} label={:?} value={:?} at {:?}",
                a.label(),
                a.value(),
                n.rect()
            ));
        }
    }
    assert!(count > 10, "only {count} interactive nodes");
    bad
}

#[test]
fn every_control_of_every_view_has_a_role_and_a_name() {
    let (t, _, mut h) =
        open_harbour_lanes("funding:\n  city: 2\nbudget: 3\npublic: true\npartners: [a, b]\n");
    let mut problems = Vec::new();
    let mut check = |h: &egui_kittest::Harness<'_, casebook::app::CasebookApp>, what: &str| {
        for b in unnamed(h) {
            problems.push(format!("{what}: {b}"));
        }
    };
    check(&h, "Details");
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    check(&h, "Sections");
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.state_mut().map.select(Some(Selection {
        ring: RingRef::new(0, 0, 0),
        vertex: Some(0),
    }));
    h.run_steps(3);
    click_then(&mut h, "Paste coordinates…", 2);
    click_then(&mut h, "Simplify…", 3);
    check(&h, "Map");
    let import = t.path().join("two.geojson");
    write(&import, TWO_FEATURES);
    h.state_mut().picked(Purpose::ImportGeometry, import);
    h.run_steps(3);
    check(&h, "Map import");
    key(&mut h, Modifiers::COMMAND, Key::Num4);
    h.run_steps(3);
    check(&h, "Preview");
    press(&mut h, Key::F1);
    h.run_steps(2);
    check(&h, "Help > Keyboard");
    press(&mut h, Key::Escape);
    key(&mut h, Modifiers::COMMAND, Key::Num1);
    key(&mut h, Modifiers::COMMAND, Key::N);
    h.run_steps(2);
    check(&h, "New case");
    press(&mut h, Key::Escape);
    key(&mut h, Modifiers::COMMAND, Key::W);
    h.run_steps(3);
    check(&h, "No case open");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_problems_panel_and_the_status_bar_are_live_regions() {
    use egui::accesskit::Live;
    use egui_kittest::kittest::NodeT;
    let t = tmp();
    let dir = write_case(t.path(), "usa-harbour-lanes", &ny_case(""), None);
    let h = app(Some(&dir), &t.path().join("data"));
    for name in ["Problems panel", "Status bar"] {
        let n = h.get_by_label(name);
        assert_eq!(n.accesskit_node().live(), Live::Polite, "{name}");
    }
}

#[test]
fn a_new_case_from_title_to_saved_boundary_and_centroid_with_the_keyboard_only() {
    let (_t, cases, mut h) = app_on_no_cases();
    assert!(h.state().editor.is_none());
    // The wizard.
    key(&mut h, Modifiers::COMMAND, Key::N);
    assert!(
        tabs_until(&mut h, "Country", 12).is_some(),
        "{:?}",
        focused_name(&h)
    );
    press(&mut h, Key::Enter);
    type_keys(&mut h, "Portugal");
    press(&mut h, Key::Enter);
    h.run_steps(2);
    assert!(
        tabs_until(&mut h, "City", 12).is_some(),
        "{:?}",
        focused_name(&h)
    );
    type_keys(&mut h, "Lisbon");
    assert!(tabs_until(&mut h, "Title", 4).is_some());
    type_keys(&mut h, "Keyboard Quay");
    assert!(
        tabs_until(&mut h, "Create case", 8).is_some(),
        "{:?}",
        focused_name(&h)
    );
    press(&mut h, Key::Enter);
    h.run_steps(3);
    let dir = cases.join("prt-keyboard-quay");
    let index = dir.join("index.md");
    assert!(index.is_file(), "made: {:?}", h.state().status);
    // From the title on, in the form.
    press(&mut h, Key::Tab);
    assert!(focused(&h, "Title"), "{:?}", focused_name(&h));
    press(&mut h, Key::End);
    type_keys(&mut h, " Lisbon");
    press(&mut h, Key::Tab);
    assert!(focused(&h, "Description"), "{:?}", focused_name(&h));
    key(&mut h, Modifiers::COMMAND, Key::A);
    type_keys(&mut h, "A quay district described with the keyboard alone.");
    // The boundary: pasted on the map.
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(2);
    press(&mut h, Key::Tab);
    assert!(
        tabs_until(&mut h, "Paste coordinates…", 20).is_some(),
        "{:?}",
        focused_name(&h)
    );
    press(&mut h, Key::Enter);
    h.run_steps(2);
    assert!(
        focused(&h, "Coordinates to paste"),
        "{:?}",
        focused_name(&h)
    );
    type_keys(
        &mut h,
        "38.7680, -9.0940\n38.7700, -9.0900\n38.7660, -9.0880",
    );
    assert!(
        tabs_until(&mut h, "Replace boundary", 10).is_some(),
        "{:?}",
        focused_name(&h)
    );
    press(&mut h, Key::Enter);
    h.run_steps(3);
    h.state_mut().map.wait_for_analysis();
    h.run_steps(3);
    // The centroid: from the boundary.
    assert!(
        tabs_until(&mut h, "Centroid from boundary", 20).is_some(),
        "{:?}",
        focused_name(&h)
    );
    press(&mut h, Key::Enter);
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND, Key::S);
    let text = read(&index);
    assert_has(&text, "title: Keyboard Quay Lisbon\n");
    assert_has(
        &text,
        "description: A quay district described with the keyboard alone.\n",
    );
    assert_has(&text, "country_code: PRT\n");
    assert_has(&text, "city: Lisbon\n");
    let centroid = text
        .lines()
        .find_map(|l| l.strip_prefix("centroid: "))
        .unwrap_or_else(|| panic!("no centroid:\n{text}"));
    let c: Vec<f64> = serde_yaml::from_str(centroid).unwrap();
    assert!(
        (c[0] - 38.768).abs() < 0.003 && (c[1] + 9.091).abs() < 0.004,
        "{c:?}"
    );
    let geo_rel = text
        .lines()
        .find_map(|l| l.strip_prefix("geography: "))
        .unwrap_or_else(|| panic!("no geography:\n{text}"));
    let geo = read(&dir.join(geo_rel.trim().trim_start_matches("./")));
    let doc =
        casebook::core::geometry::GeoDocument::parse(&geo).unwrap_or_else(|e| panic!("{e}\n{geo}"));
    let polygons: Vec<_> = doc.all_polygons().collect();
    assert_eq!(polygons.len(), 1, "{geo}");
    assert_eq!(polygons[0].rings[0].len(), 3);
    assert!(
        polygons[0].rings[0].contains(&LonLat::new(-9.094, 38.768)),
        "{geo}"
    );
    assert!(h.state().editor.as_ref().is_some_and(|e| !e.is_dirty()));
}
