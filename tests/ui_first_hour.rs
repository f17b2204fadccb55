//! The editor as a new user meets it in the first hour (issue 10): each flow drives the real
//! app by accessible labels, the way an author clicks and types, and checks what they see
//! and what lands on disk.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

mod common;
#[path = "support/sample.rs"]
mod sample;

use std::path::{Path, PathBuf};

use casebook::app::{CasebookApp, View};
use casebook::ui::dialogs::Dialog;
use common::harness::*;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

type H = Harness<'static, CasebookApp>;

/// The sample case copied to `root/cases/gbr-kings-cross`.
fn sample(root: &Path) -> PathBuf {
    sample::copy_sample(&root.join("cases")).unwrap()
}

/// The open dialog whose heading is `name`.
fn dialog<'t>(h: &'t H, name: &'t str) -> egui_kittest::Node<'t> {
    h.get_all_by_role(Role::Dialog)
        .find(|d| {
            d.query_all_by_label(name)
                .any(|n| n.accesskit_node().role() == Role::Label)
        })
        .unwrap_or_else(|| panic!("no dialog headed {name}"))
}

/// The wizard's form, if the wizard is the dialog on top.
fn wizard_form(h: &H) -> Option<casebook::ui::dialogs::NewCaseForm> {
    match h.state().dialogs.current() {
        Some(Dialog::NewCase(f)) => Some(f.clone()),
        _ => None,
    }
}

/// The control named `label` inside `node` (not the text label that names it).
fn control<'t>(node: &egui_kittest::Node<'t>, label: &'t str) -> egui_kittest::Node<'t> {
    let mut found: Vec<egui_kittest::Node<'t>> = node
        .get_all_by_label(label)
        .filter(|n| n.accesskit_node().role() != Role::Label)
        .collect();
    assert_eq!(found.len(), 1, "one control named {label}");
    found.remove(0)
}

/// Clicks a node and runs two frames.
fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// A quick click: press and release in one frame, as a real click is at 8 frames a second
/// (software rendering) or from a fast hand.
fn quick_click(h: &mut H, at: egui::Pos2) {
    one_frame(
        h,
        vec![
            egui::Event::PointerMoved(at),
            button(at, true),
            button(at, false),
        ],
    );
    h.run_steps(2);
}

/// In the wizard: opens the country list, searches, clicks the result for `code`.
fn wizard_country(h: &mut H, query: &str, code: &str) {
    let at = dialog(h, "New case")
        .get_by_label("Country")
        .rect()
        .center();
    quick_click(h, at);
    h.get_by_label("Search countries").type_text(query);
    h.run_steps(2);
    let at = h
        .get_by_label_contains(&format!("{code} — "))
        .rect()
        .center();
    quick_click(h, at);
}

/// In the wizard: clicks a text field and types.
fn wizard_type(h: &mut H, field: &str, text: &str) {
    let at = dialog(h, "New case").get_by_label(field).rect().center();
    quick_click(h, at);
    dialog(h, "New case").get_by_label(field).type_text(text);
    h.run_steps(2);
}

/// The path field of the path dialog on top (the text field that has the keyboard).
fn path_field(h: &H) -> egui_kittest::Node<'_> {
    h.get_all_by_role(Role::TextInput)
        .find(|n| n.is_focused())
        .unwrap_or_else(|| panic!("no path field has the keyboard"))
}

/// Types `path` into the path dialog on top, replacing what is there.
fn type_path(h: &mut H, path: &str) {
    key(h, Modifiers::COMMAND, Key::A);
    path_field(h).type_text(path);
    h.run_steps(2);
}

/// Problem counts and template of the open case: (template, errors, warnings).
fn judged(h: &H) -> (String, usize, usize) {
    let ed = h
        .state()
        .editor
        .as_ref()
        .unwrap_or_else(|| panic!("no case open"));
    let c = casebook::core::checks::Counts::of(ed.last_diagnostics());
    (ed.template.name.clone(), c.errors, c.warnings)
}

// ---------------------------------------------------------------------------------------------
// 1. The wizard's lists open above the dialog, whatever state was saved.

#[test]
fn wizard_lists_open_above_the_dialog_even_from_a_saved_state() {
    let t = tmp();
    let data = t.path().join("data");
    let cases = t.path().join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    let saved = t.path().join("app-state.json");
    {
        let mut h = app(Start::new(Some(&cases), &data));
        key(&mut h, Modifiers::COMMAND, Key::N);
        wizard_country(&mut h, "Portugal", "PRT");
        wizard_type(&mut h, "City", "Lisbon");
        wizard_type(&mut h, "Title", "Parque");
        dialog(&h, "New case").get_by_label("Cancel").click();
        h.run_steps(2);
        assert!(wizard_form(&h).is_none(), "cancel closed the wizard");
        key(&mut h, Modifiers::COMMAND, Key::N);
        wizard_country(&mut h, "Spain", "ESP");
        assert_eq!(wizard_form(&h).map(|f| f.country), Some("ESP".into()));
        // A click in a field raises the dialog above the list in egui's saved layer order.
        wizard_type(&mut h, "City", "Madrid");
        save_state(&mut h, &saved);
    }
    // A new run from the state saved on disk.
    let mut h = app(Start::new(Some(&cases), &data).saved(&saved));
    key(&mut h, Modifiers::COMMAND, Key::N);
    wizard_country(&mut h, "Norway", "NOR");
    assert_eq!(
        wizard_form(&h).map(|f| f.country),
        Some("NOR".into()),
        "the country list is above the dialog and takes the click"
    );
    wizard_type(&mut h, "City", "Oslo");
    // The template list too.
    control(&dialog(&h, "New case"), "Template").click();
    h.run_steps(2);
    h.get_by_label_contains("stub").click();
    h.run_steps(2);
    assert_eq!(wizard_form(&h).map(|f| f.template), Some("stub".into()));
    // Escape closes the list on top, not the wizard; a second Escape closes the wizard.
    dialog(&h, "New case").get_by_label("Country").click();
    h.run_steps(2);
    assert!(h.query_by_label("Search countries").is_some());
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.query_by_label("Search countries").is_none(),
        "list closed"
    );
    assert!(wizard_form(&h).is_some(), "the wizard stays");
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        wizard_form(&h).is_none(),
        "the second Escape cancels the wizard"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Change… keeps what was typed; Enter and OK in the path field return to the wizard.

#[test]
fn change_folder_returns_to_the_wizard_with_everything_typed() {
    let t = tmp();
    let data = t.path().join("data");
    let cases = t.path().join("cases");
    let other = t.path().join("elsewhere");
    let third = t.path().join("third");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    std::fs::create_dir_all(&third).unwrap();
    let mut h = app(Start::new(Some(&cases), &data));
    key(&mut h, Modifiers::COMMAND, Key::N);
    wizard_country(&mut h, "Portugal", "PRT");
    wizard_type(&mut h, "City", "Lisbon");
    wizard_type(&mut h, "Title", "Parque das Nações");
    // Change… → the path field; Enter picks the folder and returns to the wizard.
    dialog(&h, "New case").get_by_label("Change…").click();
    h.run_steps(3);
    type_path(&mut h, &format!("{}/", other.display()));
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    let f = wizard_form(&h).unwrap_or_else(|| {
        panic!(
            "Enter closed the wizard; dialog now: {:?}",
            h.state().dialogs.current()
        )
    });
    assert_eq!(f.dir, other, "the chosen folder");
    assert_eq!(
        (f.country.as_str(), f.city.as_str(), f.title.as_str()),
        ("PRT", "Lisbon", "Parque das Nações"),
        "nothing typed was lost"
    );
    // The same with the OK button.
    dialog(&h, "New case").get_by_label("Change…").click();
    h.run_steps(3);
    type_path(&mut h, &format!("{}/", third.display()));
    click(&mut h, "OK");
    let f = wizard_form(&h).unwrap_or_else(|| panic!("OK closed the wizard"));
    assert_eq!(f.dir, third);
    assert_eq!(f.title, "Parque das Nações");
    // Escape cancels the path field only; so does its Cancel.
    dialog(&h, "New case").get_by_label("Change…").click();
    h.run_steps(3);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(wizard_form(&h).map(|f| f.dir), Some(third.clone()));
    dialog(&h, "New case").get_by_label("Change…").click();
    h.run_steps(3);
    dialog(&h, "Folder that holds the case folders")
        .get_by_label("Cancel")
        .click();
    h.run_steps(2);
    assert_eq!(wizard_form(&h).map(|f| f.dir), Some(third.clone()));
    dialog(&h, "New case").get_by_label("Create case").click();
    h.run_steps(3);
    assert!(
        third.join("prt-parque-das-nacoes/index.md").is_file(),
        "created in the chosen folder"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. One source of templates: the same template and counts however the case is opened.

#[test]
fn a_case_gets_the_same_template_and_counts_however_it_is_opened() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = atlas(&root);
    let data = t.path().join("data");
    let saved = t.path().join("app-state.json");

    // (a) By path.
    let mut h = app(Start::new(Some(&case), &data));
    let by_path = judged(&h);
    assert_eq!(by_path.0, "case-2031", "the atlas's current template");
    save_state(&mut h, &saved);
    drop(h);

    // (b) Restart without arguments.
    let h = app(Start::new(None, &data).saved(&saved));
    assert_eq!(judged(&h), by_path, "after a restart");
    drop(h);

    // (c) Open folder, then the case from the list.
    let elsewhere = tmp();
    let mut h = app(Start::new(Some(&sample(elsewhere.path())), &data));
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    type_path(&mut h, &format!("{}/", root.display()));
    click(&mut h, "OK");
    settle(&mut h);
    click(&mut h, "Harbour Yards");
    settle(&mut h);
    assert_eq!(judged(&h), by_path, "opened from Open folder");

    // (d) From the recent list (after another case, itself opened from that list).
    click(&mut h, "File");
    click(&mut h, "Open recent");
    h.get_by_label_contains("gbr-kings-cross").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(field(&h, "title"), "King's Cross Central");
    click(&mut h, "File");
    click(&mut h, "Open recent");
    h.get_by_label_contains("nor-harbour-yards").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(judged(&h), by_path, "opened from Open recent");

    // (e) The command line.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", "--format", "json"])
        .arg(&case)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["cases"][0];
    assert_eq!(c["template"], serde_json::json!(by_path.0), "{c}");
    assert_eq!(c["counts"]["errors"], serde_json::json!(by_path.1));
    assert_eq!(c["counts"]["warnings"], serde_json::json!(by_path.2));
}

#[test]
fn the_wizard_offers_the_atlas_templates_only_each_with_when_to_use_it() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = atlas(&root);
    let data = t.path().join("data");
    let mut h = app(Start::new(Some(&case), &data));
    key(&mut h, Modifiers::COMMAND, Key::N);
    let f = wizard_form(&h).unwrap_or_else(|| panic!("no wizard"));
    assert_eq!(f.dir, root.join("cases"), "the atlas's cases/ folder");
    assert_eq!(f.template, "case-2031", "the current template first");
    control(&dialog(&h, "New case"), "Template").click();
    h.run_steps(2);
    let listed: Vec<String> = h
        .query_all_by_role(Role::Button)
        .chain(h.query_all_by_role(Role::ListBoxOption))
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    for name in ["case-2031", "case-2027", "stub"] {
        assert!(
            listed.iter().any(|l| l.starts_with(name)),
            "{name} listed: {listed:?}"
        );
    }
    for bundled in ["case-study", "case-study-2023"] {
        assert!(
            !listed.iter().any(|l| l.starts_with(bundled)),
            "{bundled} is not offered inside an atlas: {listed:?}"
        );
    }
    // Each says when to use it.
    for name in ["case-2031", "case-2027", "stub"] {
        let line = listed
            .iter()
            .find(|l| l.starts_with(name))
            .cloned()
            .unwrap_or_default();
        assert!(
            line.len() > name.len() + 12,
            "{name} explains itself: {line:?}"
        );
    }
    key(&mut h, Modifiers::NONE, Key::Escape);
    // A case made from the atlas's template has its placeholders flagged.
    wizard_country(&mut h, "Denmark", "DNK");
    wizard_type(&mut h, "City", "Aarhus");
    wizard_type(&mut h, "Title", "Light Rail Quarter");
    dialog(&h, "New case").get_by_label("Create case").click();
    h.run_steps(3);
    settle(&mut h);
    let made = root.join("cases/dnk-light-rail-quarter/index.md");
    assert!(made.is_file());
    assert_eq!(judged(&h).0, "case-2031");
    let placeholders: Vec<String> = h
        .state()
        .editor
        .as_ref()
        .map(|e| {
            e.last_diagnostics()
                .iter()
                .filter(|d| d.code == "CB022")
                .map(|d| d.message.clone())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        placeholders.len() >= 8,
        "the template's placeholders are flagged in every section: {placeholders:?}"
    );
}

#[test]
fn casebooks_own_placeholders_are_flagged_under_an_atlas_template() {
    let t = tmp();
    let root = t.path().join("atlas");
    atlas(&root);
    // A case made earlier from Casebook's bundled template, kept in the atlas.
    let bundled = casebook::core::template::TemplateSet::bundled();
    let tpl = bundled
        .get("case-study")
        .unwrap_or_else(|| panic!("bundled case-study"));
    let index = casebook::core::workspace::new_case(
        &root.join("cases"),
        tpl,
        "DEU",
        "Hamburg",
        "Harbour City",
    )
    .unwrap();
    let h = app(Start::new(Some(&index), &t.path().join("data")));
    let ed = h.state().editor.as_ref().unwrap_or_else(|| panic!("open"));
    assert!(
        ed.template.name.starts_with("case-20"),
        "{}",
        ed.template.name
    );
    let financing = ed
        .last_diagnostics()
        .iter()
        .find(|d| d.code == "CB022" && d.message.contains("Financing"));
    assert!(
        financing.is_some(),
        "“Financing mechanism 1” is flagged: {:?}",
        ed.last_diagnostics()
            .iter()
            .map(|d| (d.code, d.message.clone()))
            .collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------
// 4. A keystroke and a click in the same frame.

#[test]
fn a_keystroke_and_a_click_in_the_same_frame_go_where_they_were_meant() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    let author = field(&h, "author");
    let city = field(&h, "city");
    click_then(&mut h, "Author", 2);
    key(&mut h, Modifiers::NONE, Key::End);
    h.get_by_label("Author").type_text(" XY");
    h.run_steps(1);
    // "Z" and a press on City arrive in one frame.
    let at = h.get_by_label("City").rect().center();
    one_frame(
        &mut h,
        vec![
            egui::Event::Text("Z".into()),
            egui::Event::PointerMoved(at),
            button(at, true),
            button(at, false),
        ],
    );
    h.run_steps(3);
    assert_eq!(field(&h, "author"), format!("{author} XYZ"), "Z kept");
    assert_eq!(field(&h, "city"), city, "nothing went to City");
    assert!(h.get_by_label("City").is_focused(), "City has focus");

    // Typing in City, then a press on Author above it with a letter: the letter stays in City.
    key(&mut h, Modifiers::NONE, Key::End);
    let at = h.get_by_label("Author").rect().center();
    one_frame(
        &mut h,
        vec![
            egui::Event::Text("Q".into()),
            egui::Event::PointerMoved(at),
            button(at, true),
            button(at, false),
        ],
    );
    h.run_steps(3);
    assert_eq!(field(&h, "city"), format!("{city}Q"), "Q went to City");
    assert_eq!(
        field(&h, "author"),
        format!("{author} XYZ"),
        "not to Author"
    );

    // A click then a letter in one frame: the letter goes to the field clicked.
    let at = h.get_by_label("Title").rect().right_center() - egui::vec2(4.0, 0.0);
    let title = field(&h, "title");
    one_frame(
        &mut h,
        vec![
            egui::Event::PointerMoved(at),
            button(at, true),
            button(at, false),
            egui::Event::Text("!".into()),
        ],
    );
    h.run_steps(3);
    assert_eq!(field(&h, "title"), format!("{title}!"), "! went to Title");
    assert_eq!(field(&h, "author"), format!("{author} XYZ"));
}

// ---------------------------------------------------------------------------------------------
// 5. A steady layout: what is under the pointer does not move between press and release.

#[test]
fn ongoing_is_clicked_although_the_year_above_changes_its_problems() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    h.get_by_label("Year started").scroll_to_me();
    h.run_steps(6);
    select_all_in(&mut h, "Year started");
    h.get_by_label("Year started").type_text("20");
    h.run_steps(1);
    // The checks run after a pause: a partial year is a problem under the row.
    std::thread::sleep(casebook_core::session::CHECK_DEBOUNCE);
    h.run_steps(3);
    h.get_by_label("Year started").type_text("15");
    h.run_steps(1);
    std::thread::sleep(casebook_core::session::CHECK_DEBOUNCE);
    // Press on Ongoing where it is now; the checks come due in that frame.
    let at = h.get_by_label("Ongoing").rect().center();
    one_frame(
        &mut h,
        vec![egui::Event::PointerMoved(at), button(at, true)],
    );
    one_frame(&mut h, vec![button(at, false)]);
    h.run_steps(3);
    assert_eq!(field(&h, "year_start"), "2015");
    assert_eq!(
        field(&h, "year_completed"),
        "Ongoing",
        "the click landed on Ongoing"
    );
}

#[test]
fn use_suggestion_sets_the_value_and_focuses_nothing_else() {
    let t = tmp();
    let case = sample(t.path());
    let index = case.join("index.md");
    let text = read(&index)
        .replace("country_code: GBR", "country_code: United Kingdom")
        .replace("title: King's Cross Central", "title: ");
    write(&index, &text);
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    // Typing a title mends the problem shown under Title; the checks run after a pause, and
    // the pause ends while the author presses "Use GBR" further down.
    click_then(&mut h, "Title", 1);
    h.get_by_label("Title").type_text("King's Cross");
    h.run_steps(1);
    std::thread::sleep(casebook_core::session::CHECK_DEBOUNCE);
    let at = h.get_by_label("Use GBR").rect().center();
    one_frame(
        &mut h,
        vec![egui::Event::PointerMoved(at), button(at, true)],
    );
    one_frame(&mut h, vec![button(at, false)]);
    h.run_steps(4);
    assert_eq!(field(&h, "country_code"), "GBR");
    assert!(
        !h.get_by_label("City").is_focused(),
        "City did not take the click"
    );
}

#[test]
fn the_path_dialog_stays_put_while_its_list_grows() {
    let t = tmp();
    let case = sample(t.path());
    let many = t.path().join("many");
    for i in 0..30 {
        std::fs::create_dir_all(many.join(format!("case-{i:02}"))).unwrap();
    }
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    type_path(&mut h, "/nonexistent-folder-xyz/");
    h.run_steps(3);
    let ok_before = h.get_by_label("OK").rect();
    let heading = |h: &H| {
        h.get_by_role_and_label(Role::Label, "Open a folder of cases")
            .rect()
    };
    let heading_before = heading(&h);
    type_path(&mut h, &format!("{}/", many.display()));
    h.run_steps(1);
    assert!(
        h.query_by_label_contains("case-29").is_some()
            || h.query_by_label_contains("case-05").is_some()
    );
    assert_eq!(h.get_by_label("OK").rect(), ok_before, "OK did not move");
    assert_eq!(heading(&h), heading_before, "the dialog did not move");
}

// ---------------------------------------------------------------------------------------------
// 6. Enter runs the primary action of the dialog on top.

#[test]
fn enter_opens_in_open_case_and_open_folder_and_picks_a_single_country() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = atlas(&root);
    let data = t.path().join("data");
    let other = tmp();
    let mut h = app(Start::new(Some(&sample(other.path())), &data));
    // Open case + Enter.
    key(&mut h, Modifiers::COMMAND, Key::O);
    type_path(&mut h, &case.display().to_string());
    key(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    assert_eq!(field(&h, "title"), "Harbour Yards", "Enter opened the case");
    assert!(h.state().dialogs.current().is_none());
    // Open folder + Enter.
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    type_path(
        &mut h,
        &format!("{}/", other.path().join("cases").display()),
    );
    key(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    assert!(
        h.state().dialogs.current().is_none(),
        "Enter opened the folder"
    );
    assert_eq!(
        h.state().settings.workspace_root.as_deref(),
        Some(other.path().join("cases").as_path())
    );
    // The country list: a single match is picked by Enter (the wizard stays open).
    key(&mut h, Modifiers::COMMAND, Key::N);
    dialog(&h, "New case").get_by_label("Country").click();
    h.run_steps(2);
    h.get_by_label("Search countries").type_text("Portug");
    h.run_steps(2);
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(wizard_form(&h).map(|f| f.country), Some("PRT".into()));
    assert!(
        h.query_by_label("Search countries").is_none(),
        "list closed"
    );
    // Enter in the wizard, with everything filled in, creates the case.
    wizard_type(&mut h, "Title", "Alfama Steps");
    key(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    assert!(wizard_form(&h).is_none(), "Enter ran Create case");
    assert_eq!(field(&h, "title"), "Alfama Steps");
    // And in the form's country picker.
    h.state_mut().view = View::Details;
    h.run_steps(2);
    click(&mut h, "Country");
    h.get_by_label("Search countries").type_text("Norw");
    h.run_steps(2);
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(field(&h, "country_code"), "NOR");
}

// ---------------------------------------------------------------------------------------------
// 7. A small window.

fn small_atlas(root: &Path) -> PathBuf {
    let case = atlas(root);
    let text = read(&case.join("index.md"));
    for i in 0..9 {
        let dir = root.join(format!("cases/nor-yard-{i}"));
        write(
            &dir.join("index.md"),
            &text.replace("Harbour Yards", &format!("Yard number {i}")),
        );
    }
    case
}

/// The map's area (the largest thing called "Map").
fn map_rect(h: &H) -> egui::Rect {
    h.get_all_by_label("Map")
        .map(|n| n.rect())
        .max_by(|a, b| a.area().total_cmp(&b.area()))
        .unwrap_or(egui::Rect::NOTHING)
}

#[test]
fn at_900_by_600_the_case_list_and_the_map_stay_usable() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = small_atlas(&root);
    let mut h = app(Start::new(Some(&case), &t.path().join("data")).size(900.0, 600.0));
    // The outline has 9 sections; the case list still shows cases without scrolling the outline.
    let visible = |h: &H, label: &str| {
        h.query_by_label(label)
            .is_some_and(|n| n.rect().max.y < 560.0 && n.rect().min.y > 30.0)
    };
    assert!(
        visible(&h, "Yard number 0"),
        "a case of the list is on screen: {:?}",
        h.query_by_label("Yard number 0").map(|n| n.rect())
    );
    // The last case is reached by scrolling the list itself.
    h.get_by_label("Yard number 8").scroll_to_me();
    h.run_steps(6);
    click(&mut h, "Yard number 8");
    settle(&mut h);
    assert_eq!(field(&h, "title"), "Yard number 8");
    // The outline collapses.
    click(&mut h, "This case");
    assert!(
        h.query_by_label("Technology Interventions").is_none(),
        "outline collapsed"
    );
    // The side panel collapses, and comes back.
    click(&mut h, "Hide the side panel");
    assert!(
        h.query_by_label("Yard number 0").is_none(),
        "side panel hidden"
    );
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    let map = map_rect(&h);
    assert!(
        map.width() >= 450.0,
        "the map is usable: {} px wide",
        map.width()
    );
    click(&mut h, "Show the side panel");
    assert!(
        h.query_by_label("Yard number 0").is_some(),
        "side panel back"
    );
    h.run_steps(2);
    let map = map_rect(&h);
    assert!(
        map.width() >= 380.0,
        "with the side panel the map is still usable: {} px",
        map.width()
    );
}

// ---------------------------------------------------------------------------------------------
// 8. The problems panel.

#[test]
fn the_problems_panel_is_one_line_when_empty_and_remembers_its_height() {
    let t = tmp();
    let data = t.path().join("data");
    let clean = sample(t.path());
    let saved = t.path().join("app-state.json");
    let mut h = app(Start::new(Some(&clean), &data));
    let header = h.get_by_label("No problems found.").rect();
    let problems = h.get_by_label("Problems").rect();
    assert!(
        (header.center().y - problems.center().y).abs() < 8.0,
        "one line: {header:?} vs {problems:?}"
    );
    // A case with problems: the panel is resizable; its height is kept across a restart.
    let root = t.path().join("atlas");
    let bad = atlas(&root);
    let index = bad.join("index.md");
    write(
        &index,
        &read(&index).replace("country_code: NOR", "country_code: NO"),
    );
    h.state_mut().open_path(&bad.join("index.md"));
    settle(&mut h);
    let top = h.get_by_label("Problems").rect().top() - 4.0;
    let handle = egui::pos2(600.0, top);
    one_frame(
        &mut h,
        vec![egui::Event::PointerMoved(handle), button(handle, true)],
    );
    for dy in [20.0, 60.0, 120.0] {
        one_frame(
            &mut h,
            vec![egui::Event::PointerMoved(handle - egui::vec2(0.0, dy))],
        );
    }
    one_frame(&mut h, vec![button(handle - egui::vec2(0.0, 120.0), false)]);
    h.run_steps(2);
    let grown = h.get_by_label("Problems").rect().top();
    assert!(grown < top - 60.0, "dragged up: {top} → {grown}");
    save_state(&mut h, &saved);
    drop(h);
    let h = app(Start::new(None, &data).saved(&saved));
    let again = h.get_by_label("Problems").rect().top();
    assert!(
        (again - grown).abs() < 3.0,
        "remembered: {grown} vs {again}"
    );
}

#[test]
fn scroll_position_and_status_belong_to_their_case() {
    let t = tmp();
    let root = t.path().join("atlas");
    atlas(&root);
    let case = sample(&root);
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    // Case A: scroll the form to its end and get a status message.
    h.get_by_label("Map caption").scroll_to_me();
    h.run_steps(3);
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.query_by_label("Nothing to undo.").is_some());
    // Case B.
    click(&mut h, "Harbour Yards");
    settle(&mut h);
    assert_eq!(field(&h, "title"), "Harbour Yards");
    assert!(
        h.query_by_label("Nothing to undo.").is_none(),
        "the status of the other case is not shown"
    );
    let title = h.get_by_label("Title").rect();
    assert!(
        title.top() > 40.0 && title.bottom() < 700.0,
        "case B starts at its top: {title:?}"
    );
    // Back to A: where it was.
    click(&mut h, "King's Cross Central");
    settle(&mut h);
    let caption = h.get_by_label("Map caption").rect();
    assert!(
        caption.bottom() < 700.0 && caption.top() > 40.0,
        "A's place kept: {caption:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Theme.

#[test]
fn theme_choice_shows_which_is_selected() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    click(&mut h, "View");
    let selected = |h: &H, name: &str| {
        h.get_by_role_and_label(Role::RadioButton, name)
            .accesskit_node()
            .toggled()
            == Some(egui::accesskit::Toggled::True)
    };
    assert!(selected(&h, "Follow system"), "the default is shown");
    assert!(!selected(&h, "Dark"));
    h.get_by_role_and_label(Role::RadioButton, "Dark").click();
    h.run_steps(2);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark, "one click: dark");
    click(&mut h, "View");
    assert!(selected(&h, "Dark"), "Dark is shown as selected");
    h.get_by_role_and_label(Role::RadioButton, "Light").click();
    h.run_steps(2);
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
}

// ---------------------------------------------------------------------------------------------
// 10. Where new cases go.

#[test]
fn new_cases_never_go_into_the_data_folder_without_asking() {
    let t = tmp();
    let data = t.path().join("data");
    let saved = t.path().join("app-state.json");
    let mine = t.path().join("my-cases");
    std::fs::create_dir_all(&mine).unwrap();
    // First run: the sample, in the data folder.
    let mut h = app(Start::new(None, &data));
    assert!(h.state().editor.is_some(), "the sample opened");
    key(&mut h, Modifiers::COMMAND, Key::N);
    wizard_country(&mut h, "Portugal", "PRT");
    wizard_type(&mut h, "Title", "Lisbon Riverside");
    let f = wizard_form(&h).unwrap_or_else(|| panic!("wizard"));
    assert!(
        !f.dir.starts_with(&data),
        "not the data folder: {}",
        f.dir.display()
    );
    dialog(&h, "New case").get_by_label("Create case").click();
    h.run_steps(2);
    assert!(
        !data.join("cases/prt-lisbon-riverside").exists(),
        "nothing made in the data folder"
    );
    // Choosing a folder makes it there.
    dialog(&h, "New case").get_by_label("Change…").click();
    h.run_steps(3);
    type_path(&mut h, &format!("{}/", mine.display()));
    key(&mut h, Modifiers::NONE, Key::Enter);
    dialog(&h, "New case").get_by_label("Create case").click();
    h.run_steps(3);
    assert!(mine.join("prt-lisbon-riverside/index.md").is_file());
    save_state(&mut h, &saved);
    drop(h);
    // After a restart the wizard starts in the last folder used.
    let mut h = app(Start::new(None, &data).saved(&saved));
    key(&mut h, Modifiers::COMMAND, Key::N);
    assert_eq!(wizard_form(&h).map(|f| f.dir), Some(mine.clone()));
}

#[test]
fn the_wizard_warns_about_an_existing_title_or_folder() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = atlas(&root);
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    key(&mut h, Modifiers::COMMAND, Key::N);
    wizard_country(&mut h, "Norway", "NOR");
    wizard_type(&mut h, "Title", "Harbour Yards");
    assert!(
        dialog(&h, "New case")
            .query_by_label_contains("already exists")
            .is_some(),
        "warned"
    );
    // Another country: a new folder, but the same title.
    wizard_country(&mut h, "Denmark", "DNK");
    assert!(
        dialog(&h, "New case")
            .query_by_label_contains("same title")
            .is_some(),
        "same title warned"
    );
}

#[test]
fn the_case_list_shows_the_folder_when_two_titles_are_the_same() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = atlas(&root);
    let twin = root.join("cases/nor-harbour-yards-2");
    write(&twin.join("index.md"), &read(&case.join("index.md")));
    let h = app(Start::new(Some(&case), &t.path().join("data")));
    assert_eq!(h.get_all_by_label("Harbour Yards").count(), 2);
    assert!(h.query_by_label_contains("nor-harbour-yards-2").is_some());
    assert!(h.get_all_by_label_contains("nor-harbour-yards").any(|n| {
        n.accesskit_node()
            .label()
            .is_some_and(|l| !l.contains("-2"))
    }));
}

// ---------------------------------------------------------------------------------------------
// 11. Polish.

#[test]
fn counts_are_plural_only_when_more_than_one() {
    let t = tmp();
    let case = sample(t.path());
    let index = case.join("index.md");
    // One error (an unknown country) and nothing else.
    write(
        &index,
        &read(&index).replace("country_code: GBR", "country_code: XXX"),
    );
    let h = app(Start::new(Some(&case), &t.path().join("data")));
    let (_, errors, _) = judged(&h);
    assert_eq!(errors, 1);
    assert_eq!(
        h.query_all_by_label_contains("1 errors").count(),
        0,
        "no “1 errors”"
    );
    assert!(h.query_all_by_label("1 error").count() >= 1);
}

#[test]
fn code_spans_in_messages_are_shown_without_backticks() {
    let t = tmp();
    let case = sample(t.path());
    let index = case.join("index.md");
    write(
        &index,
        &read(&index).replace("country_code: GBR", "country_code: GB"),
    );
    let h = app(Start::new(Some(&case), &t.path().join("data")));
    let msgs: Vec<String> = h
        .get_all_by_role(Role::Link)
        .chain(h.get_all_by_role(Role::Label))
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("country_code is GB")),
        "{msgs:?}"
    );
    assert!(
        !msgs.iter().any(|m| m.contains('`')),
        "no raw backticks: {:?}",
        msgs.iter().filter(|m| m.contains('`')).collect::<Vec<_>>()
    );
}

#[test]
fn a_link_gets_a_space_before_it() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    click_then(&mut h, "Overview", 2);
    key(&mut h, Modifiers::COMMAND, Key::End);
    h.get_by_label("Overview").type_text("See");
    h.run_steps(2);
    h.get_all_by_label("Insert link…")
        .next()
        .unwrap_or_else(|| panic!("Insert link…"))
        .click();
    h.run_steps(2);
    h.get_by_label("Link text").click();
    h.get_by_label("Link text").type_text("the plan");
    h.get_by_label("Link address").click();
    h.get_by_label("Link address")
        .type_text("https://example.org/plan");
    h.run_steps(2);
    click(&mut h, "Insert link");
    h.run_steps(2);
    assert_has(&editor_text(&h), "See [the plan](https://example.org/plan)");
}

#[test]
fn placeholders_read_as_examples_not_values() {
    let t = tmp();
    let case = sample(t.path());
    let index = case.join("index.md");
    write(&index, &read(&index).replace("year_start: 2006\n", ""));
    let h = app(Start::new(Some(&case), &t.path().join("data")));
    let hint = h
        .get_by_label("Year started")
        .accesskit_node()
        .placeholder()
        .map(str::to_string)
        .unwrap_or_default();
    assert!(hint.starts_with("e.g. "), "{hint:?}");
}

#[test]
fn the_image_picker_lists_only_images() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    h.get_by_label("Choose image…").scroll_to_me();
    h.run_steps(2);
    // Scrolling is animated: let it settle before clicking.
    h.run_steps(6);
    click(&mut h, "Choose image…");
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("kings-cross-illustration.png")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("index.md").is_none(),
        "no Markdown"
    );
    assert!(
        h.query_by_label_contains(".geojson").is_none(),
        "no GeoJSON"
    );
}

#[test]
fn the_map_caption_wraps_over_several_lines() {
    let t = tmp();
    let case = sample(t.path());
    let h = app(Start::new(Some(&case), &t.path().join("data")));
    let caption = h.get_by_label("Map caption");
    assert!(
        caption.accesskit_node().is_multiline(),
        "a multi-line field"
    );
    let title = h.get_by_label("Title").rect();
    assert!(
        caption.rect().height() > title.height() * 1.5,
        "the sample's long caption shows in full: {:?}",
        caption.rect()
    );
}

#[test]
fn the_point_list_gives_every_coordinate_the_same_decimals() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.state_mut().map.select(Some(casebook::ui::map::Selection {
        ring: casebook::core::geometry::RingRef::new(0, 0, 0),
        vertex: None,
    }));
    h.run_steps(4);
    let values: Vec<String> = h
        .query_all_by_label_contains("itude ")
        .filter(|n| n.accesskit_node().role() == Role::TextInput)
        .filter_map(|n| n.value())
        .collect();
    assert!(values.len() >= 6, "points listed: {values:?}");
    for v in &values {
        let decimals = v.split_once('.').map_or(0, |(_, d)| d.len());
        assert_eq!(decimals, 6, "{v} in {values:?}");
    }
}

#[test]
fn a_stub_in_an_atlas_upgrades_to_the_atlas_template() {
    let t = tmp();
    let root = t.path().join("atlas");
    atlas(&root);
    let stub = root.join("cases/nor-small-pier");
    write(
        &stub.join("index.md"),
        "---\ntitle: Small Pier\ntemplate: stub\nstatus: Draft\ncity: Oslo\ncountry_code: NOR\n---\n\n## Overview\n\nA pier.\n",
    );
    let mut h = app(Start::new(Some(&stub), &t.path().join("data")));
    assert_eq!(judged(&h).0, "stub");
    let ctx = h.ctx.clone();
    h.state_mut()
        .run_command(&ctx, casebook::app::command::Command::UpgradeToCaseStudy);
    h.run_steps(2);
    assert_eq!(judged(&h).0, "case-2031", "the atlas's current template");
    assert_has(&editor_text(&h), "## Open Questions");
}

#[test]
fn the_case_list_stays_put_from_case_to_case() {
    let t = tmp();
    let root = t.path().join("atlas");
    let case = atlas(&root);
    write(
        &root.join("cases/nor-small-pier/index.md"),
        "---\ntitle: Small Pier\ntemplate: stub\nstatus: Draft\ncity: Oslo\ncountry_code: NOR\n---\n\n## Overview\n\nA pier.\n",
    );
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    let before = h.get_by_label("Harbour Yards").rect();
    click(&mut h, "Small Pier");
    settle(&mut h);
    assert_eq!(field(&h, "title"), "Small Pier");
    assert_eq!(
        h.get_by_label("Harbour Yards").rect(),
        before,
        "a shorter outline did not move the list"
    );
}

#[test]
fn after_the_window_shrinks_the_map_keeps_room() {
    let t = tmp();
    let case = sample(t.path());
    let mut h = app(Start::new(Some(&case), &t.path().join("data")));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    h.set_size(egui::vec2(900.0, 600.0));
    h.run_steps(4);
    let map = map_rect(&h);
    assert!(map.width() >= 350.0, "map {} px wide", map.width());
}
