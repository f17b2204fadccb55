//! Keyboard, focus, accessibility and "write only what is shown" flows of issue 16, driving the
//! real app by accessible labels and asserting on the files written.

mod common;

use casebook::app::View;
use casebook::app::files::Purpose;
use casebook::core::geometry::{LonLat, RingRef};
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
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case("funding:\n  city: 2\n"),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    let index = dir.join("index.md");
    let original = read(&index);
    let mut h = app(Some(&dir), &t.path().join("data"));
    h.get_by_label("funding").scroll_to_me();
    h.run_steps(4);
    h.get_by_label("funding").click();
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND, Key::A);
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
    let t = tmp();
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    let mut h = app(Some(&dir), &t.path().join("data"));
    h.get_by_label("Title").click();
    h.run_steps(2);
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
}

#[test]
fn tabbing_scrolls_the_focused_field_into_view() {
    let t = tmp();
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    let mut h = app_sized(
        Some(&dir),
        &t.path().join("data"),
        egui::vec2(1100.0, 620.0),
    );
    let top = h.get_by_label("File").rect().bottom();
    let bottom = h.get_by_label("Problems").rect().top();
    h.get_by_label("Title").click();
    h.run_steps(2);
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
}

#[test]
fn the_vertex_table_keeps_the_text_of_untouched_axes() {
    let t = tmp();
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    let geo = dir.join("usa-harbour-lanes.geojson");
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.state_mut().map.select(Some(Selection {
        ring: RingRef::new(0, 0, 0),
        vertex: None,
    }));
    h.run_steps(3);
    h.get_by_label("Latitude 1").click();
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND, Key::A);
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
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
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
    h.get_by_label("Add the features").click();
    h.run_steps(3);
    assert_eq!(shapes(&h), Some(3));
    key(&mut h, Modifiers::COMMAND, Key::S);
    let text = read(&dir.join("usa-harbour-lanes.geojson"));
    for s in [
        "Harbour Lanes",
        "North",
        "South",
        "\"ward\": 7",
        "\"ward\": 8",
    ] {
        assert!(text.contains(s), "{s} kept:\n{text}");
    }
}

#[test]
fn adding_a_template_section_brings_its_sub_headings_and_guidance() {
    let t = tmp();
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    h.get_by_label("Add section References").scroll_to_me();
    h.run_steps(4);
    h.get_by_label("Add section References").click();
    h.run_steps(3);
    let text = editor_text(&h);
    assert!(text.contains("## References\n"), "{text}");
    assert!(text.contains("### Primary Sources"), "{text}");
    assert!(text.contains("### Secondary Sources"), "{text}");
    assert!(text.contains("<!-- 3-5 primary sources"), "{text}");
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
    let a = write_case(t.path(), "usa-harbour-lanes", &ny_case(""), None);
    write_case(
        t.path(),
        "usa-second-case",
        &ny_case("").replace("status: Review", "status: Draft"),
        None,
    );
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
    h.get_by_label("Status filter").click();
    h.run_steps(2);
    h.get_by_label("Review").click();
    h.run_steps(3);
    let after = row(&h);
    assert!(one_row(after), "one row: {after:?} (before {before:?})");
}

#[test]
fn the_open_case_badge_follows_the_live_findings() {
    let t = tmp();
    let a = write_case(t.path(), "usa-harbour-lanes", &ny_case(""), None);
    write_case(
        t.path(),
        "usa-second-case",
        &ny_case("").replace("status: Review", "status: Draft"),
        None,
    );
    let mut h = app(Some(&a), &t.path().join("data"));
    h.get_by_label("Title").click();
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND, Key::A);
    press(&mut h, Key::Backspace);
    h.get_by_label("Author").click();
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND, Key::A);
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
    assert_eq!(
        h.query_all_by_label(&format!("{errors} errors")).count(),
        3,
        "{errors} errors everywhere"
    );
    if warnings > 0 {
        assert_eq!(
            h.query_all_by_label(&format!("{warnings} warnings"))
                .count(),
            3
        );
    }
}

#[test]
fn paste_brings_the_result_into_view() {
    let t = tmp();
    let dir = write_case(
        t.path(),
        "usa-harbour-lanes",
        &ny_case(""),
        Some(("usa-harbour-lanes.geojson", NY_GEOJSON)),
    );
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    h.get_by_label("Paste coordinates…").click();
    h.run_steps(2);
    h.get_by_label("Coordinates to paste").click();
    h.run_steps(1);
    h.get_by_label("Coordinates to paste")
        .type_text("-33.86, 151.20\n-33.87, 151.21\n-33.86, 151.22");
    h.run_steps(2);
    h.get_by_label("Add polygons").click();
    h.run_steps(6);
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
