//! Spelling in the editors, driven through the real app: flagged words are underlined in the
//! section editors and the prose fields; right-click offers corrections (one undoable edit),
//! "Add to atlas word list" and "Ignore in this case"; and a snapshot of the underline.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use casebook::app::{CasebookApp, View};
use casebook::ui::spelling::Spelling;
use common::*;
use egui::{Key, Modifiers, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// A case of our own in an atlas checkout (`<root>/cases/gbr-spell-test`).
fn spell_case(root: &Path) -> PathBuf {
    let dir = root.join("cases/gbr-spell-test");
    write(
        &dir.join("index.md"),
        "---\n\
         title: Riverside test quarter\n\
         description: A made-up quarter whose descripton has one slip.\n\
         template: case-study\n\
         status: Draft\n\
         city: London\n\
         country_code: GBR\n\
         ---\n\
         \n\
         ## Overview\n\
         \n\
         The quarter will recieve new homes along the canal, and the Quaywalk path links them.\n\
         \n\
         ## Goals and Aspirations\n\
         \n\
         Shared streets and a blorptown square come first.\n",
    );
    dir
}

/// Right-clicks at `pos` (press and release of the secondary button).
fn right_click(h: &mut Harness<'_, CasebookApp>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.run_steps(1);
    }
    h.run_steps(1);
}

/// Right-clicks the underlined `word` of section `i` and waits for the menu's corrections.
fn open_menu(h: &mut Harness<'_, CasebookApp>, i: usize, word: &str, wait_label: &str) {
    let rect = h
        .state()
        .sections
        .underline(i, word)
        .unwrap_or_else(|| panic!("`{word}` is not underlined"));
    right_click(h, rect.center());
    wait_for(h, &format!("the menu of `{word}`"), |h| {
        h.query_by_label(wait_label).is_some()
            && h.query_by_label("Looking for corrections…").is_none()
    });
    // The menu has its final layout (corrections found): click where things are.
    h.run_steps(1);
}

fn sections_open(root: &Path) -> Harness<'static, CasebookApp> {
    let case = spell_case(root);
    let mut h = app(Some(&case), &root.join("data"));
    h.state_mut().view = View::Sections;
    h.run_steps(2);
    wait_for(&mut h, "the underlines", |h| {
        h.state().sections.underline(0, "recieve").is_some()
    });
    h
}

#[test]
fn a_misspelled_word_is_underlined_and_a_correction_is_one_undoable_edit() {
    let t = tmp();
    let mut h = sections_open(t.path());
    let flagged = h.state().sections.flagged(0);
    assert_eq!(flagged, ["recieve", "Quaywalk"], "{flagged:?}");
    // Known words and names are not underlined.
    assert!(h.state().sections.underline(0, "canal").is_none());

    open_menu(&mut h, 0, "recieve", "receive");
    assert!(h.query_by_label("Add to atlas word list").is_some());
    assert!(h.query_by_label("Ignore in this case").is_some());
    click_then(&mut h, "receive", 3);
    let text = editor_text(&h);
    assert_has(&text, "The quarter will receive new homes");
    assert!(!text.contains("recieve"));
    wait_for(&mut h, "the underline to go", |h| {
        !h.state()
            .sections
            .flagged(0)
            .contains(&"recieve".to_string())
    });
    // The menu closed with the choice.
    assert!(h.query_by_label("Add to atlas word list").is_none());

    // One undo step brings the word back; redo puts the correction again.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    let text = editor_text(&h);
    assert_has(&text, "The quarter will recieve new homes");
    wait_for(&mut h, "the underline to come back", |h| {
        h.state().sections.underline(0, "recieve").is_some()
    });
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert!(editor_text(&h).contains("will receive new"));
    // Nothing was written to disk.
    assert!(read(&t.path().join("cases/gbr-spell-test/index.md")).contains("recieve"));
}

#[test]
fn add_to_atlas_word_list_and_ignore_in_this_case_write_the_lists_and_hide_the_underline() {
    let t = tmp();
    let mut h = sections_open(t.path());
    let before = editor_text(&h);

    open_menu(&mut h, 0, "Quaywalk", "Add to atlas word list");
    click_then(&mut h, "Add to atlas word list", 2);
    // Gone at once (before the lists are read again).
    assert!(
        !h.state()
            .sections
            .flagged(0)
            .contains(&"Quaywalk".to_string())
    );
    let words = read(&t.path().join(".casebook/words.txt"));
    assert_eq!(words, "Quaywalk\n");

    wait_for(&mut h, "the second section's underline", |h| {
        h.state().sections.underline(1, "blorptown").is_some()
    });
    open_menu(&mut h, 1, "blorptown", "Ignore in this case");
    click_then(&mut h, "Ignore in this case", 2);
    assert!(h.state().sections.flagged(1).is_empty());
    let ignored = read(&t.path().join(".casebook/ignore/gbr-spell-test.txt"));
    assert_eq!(ignored, "blorptown\n");
    // The case's file is untouched; the other misspelling is still flagged.
    assert_eq!(editor_text(&h), before);
    assert_eq!(h.state().sections.flagged(0), ["recieve"]);

    // After the lists are read again (in the background) the words stay known.
    h.state_mut().view = View::Details;
    h.run_steps(2);
    std::thread::sleep(Duration::from_millis(3100));
    h.run_steps(2);
    h.state_mut().view = View::Sections;
    wait_for(&mut h, "the lists read again", |h| {
        h.state().sections.flagged(0) == ["recieve"] && h.state().sections.flagged(1).is_empty()
    });
    // A word list changed on disk (say by `git pull`) is picked up: the name is flagged again.
    write(&t.path().join(".casebook/words.txt"), "Otherword\n");
    wait_for(&mut h, "the changed list", |h| {
        h.state().sections.flagged(0) == ["recieve", "Quaywalk"]
    });
}

#[test]
fn prose_fields_are_underlined_and_corrected_from_the_menu() {
    let t = tmp();
    let case = spell_case(t.path());
    let mut h = app(Some(&case), &t.path().join("data"));
    wait_for(&mut h, "the description's underline", |h| {
        h.state()
            .form
            .underline("description", "descripton")
            .is_some()
    });
    assert_eq!(h.state().form.flagged("description"), ["descripton"]);
    assert!(h.state().form.flagged("title").is_empty());
    let rect = h
        .state()
        .form
        .underline("description", "descripton")
        .unwrap();
    right_click(&mut h, rect.center());
    wait_for(&mut h, "the correction", |h| {
        h.query_by_label("description").is_some()
    });
    click_then(&mut h, "description", 3);
    let text = editor_text(&h);
    assert_has(
        &text,
        "description: A made-up quarter whose description has one slip.",
    );
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(editor_text(&h).contains("whose descripton has"));
}

#[test]
fn snapshot_of_the_underline() {
    let t = tmp();
    // A fixed folder: the case list shows it.
    let root = t.path().join("snapshots");
    let case = spell_case(&root);
    let startup = casebook::app::Startup {
        path: Some(case),
        data_dir: Some(root.join("data")),
        templates_dir: None,
        settings: Some(casebook::app::settings::Settings {
            dark: Some(false),
            in_app_file_dialogs: true,
            ..Default::default()
        }),
    };
    let mut h = Harness::builder()
        .with_max_steps(32)
        .with_size(egui::vec2(900.0, 600.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| CasebookApp::new(cc, startup));
    h.state_mut().wait_for_geometry();
    h.state_mut().workspace.wait();
    if let Err(e) = h.render() {
        assert!(
            std::env::var_os("CASEBOOK_REQUIRE_RENDERER").is_none(),
            "no renderer ({e}); install mesa-vulkan-drivers"
        );
        eprintln!("no renderer here ({e}): snapshot skipped");
        return;
    }
    h.state_mut().view = View::Sections;
    wait_for(&mut h, "the underlines", |h| {
        Spelling::ready(&h.ctx) && h.state().sections.underline(0, "recieve").is_some()
    });
    h.run_steps(4);
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(1.5)
        .max_failed_pixels(400);
    h.snapshot_options("spelling_underline", &options);
}

#[test]
fn the_word_being_typed_is_underlined_once_the_cursor_leaves_it() {
    let t = tmp();
    let mut h = sections_open(t.path());
    h.state_mut().focus(casebook::ui::Focus::Section(0));
    h.run_steps(3);
    key(&mut h, Modifiers::COMMAND, Key::End);
    type_keys(&mut h, " Sevral");
    wait_for(&mut h, "the typed word checked", |h| {
        h.state()
            .sections
            .flagged(0)
            .contains(&"Sevral".to_string())
    });
    h.run_steps(1);
    assert!(h.state().sections.underline(0, "Sevral").is_none());
    // Still underlined elsewhere.
    assert!(h.state().sections.underline(0, "recieve").is_some());
    type_keys(&mut h, " ");
    h.run_steps(1);
    assert!(h.state().sections.underline(0, "Sevral").is_some());
    assert!(editor_text(&h).contains("links them. Sevral"));
}

/// Edit › Spelling language lists the atlas's dictionaries; "Add a dictionary…" copies one
/// into the atlas and switches to it (one line of `.casebook/config.toml`), and the word
/// lists are read again with it; choosing the bundled language switches back.
#[test]
fn the_spelling_language_is_chosen_from_the_edit_menu_and_a_dictionary_added() {
    let t = tmp();
    let root = t.path();
    let elsewhere = root.join("downloads");
    write(&elsewhere.join("en_GB.aff"), "SET UTF-8\n");
    write(
        &elsewhere.join("en_GB.dic"),
        "4\nquarter\nharbour\ncolour\nhomes\n",
    );
    let case = spell_case(root);
    let mut h = app(Some(&case), &root.join("data"));
    h.run_steps(2);
    wait_for(&mut h, "the word lists", |h| Spelling::ready(&h.ctx));
    let config = root.join(".casebook/config.toml");

    let open_menu = |h: &mut Harness<'_, CasebookApp>| {
        click_then(h, "Edit", 2);
        h.get_by_label("Spelling language").hover();
        h.run_steps(3);
    };
    open_menu(&mut h);
    assert!(h.query_by_label("en-US").is_some(), "the bundled language");
    assert!(
        h.query_by_label("en-GB").is_none(),
        "no British dictionary yet"
    );
    click_then(&mut h, "Add a dictionary…", 3);
    key(&mut h, Modifiers::COMMAND, Key::A);
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.is_focused())
        .unwrap_or_else(|| panic!("no path field has the keyboard"))
        .type_text(&elsewhere.join("en_GB.aff").display().to_string());
    h.run_steps(2);
    click_then(&mut h, "OK", 3);
    assert!(root.join(".casebook/dictionaries/en_GB.dic").is_file());
    assert_eq!(read(&config), "[spelling]\nlanguage = \"en-GB\"\n");
    assert!(
        h.query_by_label_contains("Spelling is checked in en-GB")
            .is_some(),
        "the status bar says so"
    );
    // The lists are read again with the British dictionary.
    wait_for(&mut h, "the British dictionary", |h| {
        Spelling::shared(&h.ctx)
            .lock()
            .is_ok_and(|s| s.language().as_deref() == Some("en-GB"))
    });

    // Back to the bundled language from the menu: the same line changes.
    open_menu(&mut h);
    assert!(h.query_by_label("en-GB").is_some());
    click_then(&mut h, "en-US", 3);
    assert_eq!(read(&config), "[spelling]\nlanguage = \"en-US\"\n");
    wait_for(&mut h, "the bundled dictionary", |h| {
        Spelling::shared(&h.ctx)
            .lock()
            .is_ok_and(|s| s.language().as_deref() == Some("en-US"))
    });
}
