//! The real app driven by egui_kittest, finding controls by their accessible labels, and
//! asserting on the files written.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

mod common;
#[path = "../crates/casebook-core/tests/support/root.rs"]
mod root;

use std::path::Path;

use casebook::app::{CasebookApp, View};
use common::{
    app, app_on_no_cases, assert_has, click_then, editor_text, hangzhou, key, select_all_in, tmp,
};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use root::is_root;

fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    casebook::core::text::line_diff(before, after)
        .into_iter()
        .filter_map(|l| match l {
            casebook::core::text::DiffLine::Removed(t) => {
                Some(("-".to_string(), t.trim_end().to_string()))
            }
            casebook::core::text::DiffLine::Added(t) => {
                Some(("+".to_string(), t.trim_end().to_string()))
            }
            casebook::core::text::DiffLine::Same(_) => None,
        })
        .collect()
}

#[test]
fn edit_title_status_tags_section_undo_redo_save() {
    let t = tmp();
    let (case, index) = hangzhou(t.path());
    let original = std::fs::read_to_string(&index).unwrap_or_default();
    let mut h = app(Some(&case), &t.path().join("data"));
    assert_eq!(h.state().view, View::Details);
    assert!(h.state().editor.is_some(), "the case opened");

    // Title: select all, type a new one.
    select_all_in(&mut h, "Title");
    h.get_by_label("Title").type_text("An edited title");
    h.run_steps(3);

    // Status: the drop-down of allowed values.
    let status_before = h
        .state()
        .editor
        .as_ref()
        .and_then(|e| e.case.doc().text_of(casebook::core::fields::Field::Status))
        .unwrap_or_default();
    let status = if status_before.trim() == "Review" {
        "Complete"
    } else {
        "Review"
    };
    click_then(&mut h, "Status", 2);
    h.get_by_label(status).click();
    h.run_steps(3);

    // Tags: tick one more from the taxonomy.
    let tags_before: Vec<String> = casebook::core::fields::tags_of(
        h.state()
            .editor
            .as_ref()
            .and_then(|e| e.case.doc().value("tags")),
    )
    .0;
    let pick = ["Energy", "Food", "CivicTech"]
        .into_iter()
        .find(|t| !tags_before.iter().any(|x| x == t))
        .unwrap_or("Energy");
    if tags_before.len() < 3 {
        h.get_by_label(pick).scroll_to_me();
        h.run_steps(3);
        h.get_by_label(pick).click();
        h.run_steps(3);
    }

    // A section: Ctrl+2, type at the end of Overview.
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    assert_eq!(h.state().view, View::Sections);
    click_then(&mut h, "Overview", 2);
    key(&mut h, Modifiers::CTRL | Modifiers::COMMAND, Key::End);
    h.get_by_label("Overview").type_text(" One more sentence.");
    h.run_steps(3);
    assert!(editor_text(&h).contains("One more sentence."));

    // Undo removes the typing, redo brings it back (one step for the whole word run).
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(!editor_text(&h).contains("One more sentence."), "undo");
    assert!(
        editor_text(&h).contains("title: An edited title"),
        "undo only undid the section"
    );
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert!(editor_text(&h).contains("One more sentence."), "redo");
    assert!(h.state().editor.as_ref().is_some_and(|e| e.is_dirty()));

    // Save.
    key(&mut h, Modifiers::COMMAND, Key::S);
    assert!(
        h.state().editor.as_ref().is_some_and(|e| !e.is_dirty()),
        "saved"
    );
    let saved = std::fs::read_to_string(&index).unwrap_or_default();
    let changes = changed_lines(&original, &saved);
    let removed: Vec<&str> = changes
        .iter()
        .filter(|(s, _)| s == "-")
        .map(|(_, l)| l.as_str())
        .collect();
    let added: Vec<&str> = changes
        .iter()
        .filter(|(s, _)| s == "+")
        .map(|(_, l)| l.as_str())
        .collect();
    // Title: one line; status: one line; tag: one line added; the section: its paragraph.
    assert!(added.contains(&"title: An edited title"), "{changes:?}");
    assert!(
        added.contains(&format!("status: {status}").as_str()),
        "{changes:?}"
    );
    assert!(removed.iter().any(|l| l.starts_with("title:")));
    assert!(removed.iter().any(|l| l.starts_with("status:")));
    if tags_before.len() < 3 {
        assert!(
            added
                .iter()
                .any(|l| l.trim_start().trim_start_matches("- ") == pick),
            "{changes:?}"
        );
    }
    assert!(
        added.iter().any(|l| l.ends_with("One more sentence.")),
        "{changes:?}"
    );
    let expected_changed = 2 + usize::from(tags_before.len() < 3) + 1;
    assert_eq!(
        added.len(),
        expected_changed,
        "only the edited lines changed: {changes:?}"
    );
    assert_eq!(
        removed.len(),
        expected_changed - usize::from(tags_before.len() < 3),
        "{changes:?}"
    );
}

#[test]
fn new_case_wizard_makes_the_folder() {
    let (_t, cases, mut h) = app_on_no_cases();
    assert!(h.state().editor.is_none());
    key(&mut h, Modifiers::COMMAND, Key::N);
    click_then(&mut h, "Country", 2);
    h.get_by_label("Search countries").type_text("Portugal");
    h.run_steps(2);
    h.get_by_label_contains("PRT").click();
    h.run_steps(2);
    h.get_by_label("City").click();
    h.get_by_label("City").type_text("Lisbon");
    h.get_by_label("Title").click();
    h.get_by_label("Title").type_text("Parque das Nações");
    h.run_steps(2);
    click_then(&mut h, "Create case", 3);
    let index = cases.join("prt-parque-das-nacoes/index.md");
    let text = std::fs::read_to_string(&index).unwrap_or_default();
    assert!(
        text.contains("title: Parque das Nações"),
        "{text} / dialog: {:?} / status: {:?}",
        h.state().dialogs.current(),
        h.state().status
    );
    assert!(text.contains("country_code: PRT"));
    assert!(
        cases
            .join("prt-parque-das-nacoes/prt-parque-das-nacoes.geojson")
            .is_file()
    );
    assert_eq!(
        h.state()
            .editor
            .as_ref()
            .map(|e| e.case.index_path().to_path_buf()),
        Some(index),
        "the new case is open"
    );
}

#[test]
fn clicking_a_problem_focuses_its_field() {
    let t = tmp();
    let case = t.path().join("cases/hkg-test");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(
        case.join("index.md"),
        "---\ntitle: Test\nstatus: Draft\ncountry_code: HK\n---\n\n## Overview\n\nText.\n",
    )
    .unwrap();
    let mut h = app(Some(&case), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num2);
    assert_eq!(h.state().view, View::Sections);
    // Code spans show without their backticks.
    h.get_by_label_contains("country_code is HK").click();
    h.run_steps(3);
    assert_eq!(h.state().view, View::Details);
    assert!(
        h.get_by_label("Country").is_focused(),
        "the Country field has focus"
    );
}

#[test]
fn problems_offer_the_fixes_casebook_fix_applies() {
    let t = tmp();
    let case = t.path().join("cases/hkg-test");
    std::fs::create_dir_all(&case).unwrap();
    // One ring, wound clockwise, in a 2-space file.
    let boundary = "{\n  \"type\": \"Polygon\",\n  \"coordinates\": [\n    [\n      [114.2, 22.3],\n      [114.2, 22.31],\n      [114.21, 22.31],\n      [114.2, 22.3]\n    ]\n  ]\n}\n";
    std::fs::write(case.join("b.geojson"), boundary).unwrap();
    std::fs::write(
        case.join("index.md"),
        "---\ntitle: Test\nstatus: Draft\ncountry_code: HK\ngeography: ./b.geojson\n---\n\n## Overview\n\nText.\n",
    )
    .unwrap();
    let mut h = app(Some(&case), &t.path().join("data"));
    click_then(&mut h, "Fix: country_code: use HKG", 3);
    // The winding is a hint: shown with the hints.
    h.get_by_label_contains("hints").click();
    h.run_steps(3);
    // The panel scrolls: bring the button into view first.
    h.get_by_label("Fix: Reverse 1 ring").scroll_to_me();
    h.run_steps(3);
    click_then(&mut h, "Fix: Reverse 1 ring", 3);
    let modified = h
        .state()
        .editor
        .as_ref()
        .and_then(|e| e.case.geometry())
        .is_some_and(|g| g.is_modified());
    assert!(modified, "the ring was reversed: {:?}", h.state().status);
    key(&mut h, Modifiers::COMMAND, Key::S);
    let index = std::fs::read_to_string(case.join("index.md")).unwrap_or_default();
    assert_has(&index, "country_code: HKG\n");
    let written = std::fs::read_to_string(case.join("b.geojson")).unwrap_or_default();
    assert_eq!(
        written,
        boundary.replace(
            "[114.2, 22.31],\n      [114.21, 22.31]",
            "[114.21, 22.31],\n      [114.2, 22.31]"
        )
    );
}

#[test]
fn closing_with_unsaved_changes_asks() {
    let t = tmp();
    let (case, index) = hangzhou(t.path());
    let original = std::fs::read(&index).unwrap_or_default();
    let mut h = app(Some(&case), &t.path().join("data"));
    h.get_by_label("City").click();
    h.get_by_label("City").type_text("x");
    h.run_steps(3);
    key(&mut h, Modifiers::COMMAND, Key::W);
    h.get_by_label("Save your changes?");
    click_then(&mut h, "Cancel", 2);
    assert!(h.state().editor.is_some(), "cancel keeps the case open");
    key(&mut h, Modifiers::COMMAND, Key::W);
    click_then(&mut h, "Discard", 2);
    assert!(h.state().editor.is_none(), "discard closes");
    assert_eq!(
        std::fs::read(&index).unwrap_or_default(),
        original,
        "nothing written"
    );
}

#[test]
fn crash_recovery_offers_the_unsaved_changes() {
    let t = tmp();
    let data = t.path().join("data");
    let (case, index) = hangzhou(t.path());
    let original = std::fs::read(&index).unwrap_or_default();
    {
        let mut h = app(Some(&case), &data);
        h.get_by_label("City").click();
        key(&mut h, Modifiers::COMMAND, Key::A);
        h.get_by_label("City").type_text("Recovered City");
        h.run_steps(4);
        // The copy is written in the background; the app "crashes" after it landed:
        // dropped without saving or closing.
        h.state_mut().finish_recovery_write();
        std::mem::forget(h);
    }
    assert_eq!(
        std::fs::read(&index).unwrap_or_default(),
        original,
        "nothing saved"
    );
    let store = casebook::core::recovery::RecoveryStore::new(&data);
    assert!(store.find(&index).is_some(), "a recovery copy was written");
    // Our own (forgotten) process holds the lock: that is not "another Casebook".
    let mut h = app(Some(&case), &data);
    h.get_by_label("Recover unsaved changes?");
    h.get_by_label_contains("Recovered City");
    click_then(&mut h, "Restore", 3);
    let text = editor_text(&h);
    assert!(
        text.contains("city: Recovered City"),
        "restored into the editor"
    );
    assert!(
        h.state().editor.as_ref().is_some_and(|e| e.is_dirty()),
        "restored changes are unsaved"
    );
    key(&mut h, Modifiers::COMMAND, Key::S);
    assert!(store.find(&index).is_none(), "saving removes the copy");
    assert!(
        std::fs::read_to_string(&index)
            .unwrap_or_default()
            .contains("city: Recovered City")
    );
}

#[test]
fn recovery_never_overwrites_a_file_changed_since_without_asking() {
    let t = tmp();
    let data = t.path().join("data");
    let (case, index) = hangzhou(t.path());
    {
        let mut h = app(Some(&case), &data);
        h.get_by_label("City").click();
        h.get_by_label("City").type_text(" edited");
        h.run_steps(4);
        h.state_mut().finish_recovery_write();
        std::mem::forget(h);
    }
    // Another program changes the file after the copy was taken.
    let theirs = std::fs::read_to_string(&index)
        .unwrap_or_default()
        .replace("title:", "title: Theirs -");
    std::fs::write(&index, &theirs).unwrap();
    let mut h = app(Some(&case), &data);
    h.get_by_label_contains("The file on disk changed after the copy was taken");
    // Declining keeps the file as it is on disk.
    click_then(&mut h, "Discard the copy", 2);
    assert_eq!(std::fs::read_to_string(&index).unwrap_or_default(), theirs);
    let store = casebook::core::recovery::RecoveryStore::new(&data);
    assert!(store.find(&index).is_none(), "discarding removes the copy");
}

#[test]
fn a_second_casebook_is_warned() {
    let t = tmp();
    let data = t.path().join("data");
    let (case, index) = hangzhou(t.path());
    // Another live process holds the case.
    let Ok(mut other) = std::process::Command::new("sleep").arg("30").spawn() else {
        panic!("sleep")
    };
    let store = casebook::core::recovery::RecoveryStore::new(&data);
    let lock = store.lock_path(&index);
    std::fs::create_dir_all(lock.parent().unwrap_or(Path::new("."))).unwrap();
    std::fs::write(&lock, other.id().to_string()).unwrap();
    let h = app(Some(&case), &data);
    h.get_by_label("Open in another Casebook");
    let _ = other.kill();
    let _ = other.wait();
}

#[test]
fn a_failed_save_keeps_the_edits_unsaved_and_offers_save_as() {
    use std::os::unix::fs::PermissionsExt;
    let t = tmp();
    let data = t.path().join("data");
    let (case, index) = hangzhou(t.path());
    let original = std::fs::read(&index).unwrap_or_default();
    let mount = t.path().join("ro");
    let case = if is_root() {
        // A read-only bind mount of the case folder.
        std::fs::create_dir_all(&mount).unwrap();
        let ok = std::process::Command::new("mount")
            .args([
                "--bind",
                &case.display().to_string(),
                &mount.display().to_string(),
            ])
            .status()
            .is_ok_and(|s| s.success())
            && std::process::Command::new("mount")
                .args(["-o", "remount,bind,ro", &mount.display().to_string()])
                .status()
                .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("could not make a read-only mount: test skipped");
            return;
        }
        mount.clone()
    } else {
        let _ = std::fs::set_permissions(&case, std::fs::Permissions::from_mode(0o555));
        let _ = std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o444));
        case
    };
    let mut h = app(Some(&case), &data);
    h.get_by_label("City").click();
    h.get_by_label("City").type_text(" edited");
    h.run_steps(3);
    key(&mut h, Modifiers::COMMAND, Key::S);
    h.get_by_label("Not saved");
    h.get_by_label_contains("read-only");
    h.get_by_label("Save as…");
    assert!(
        h.state().editor.as_ref().is_some_and(|e| e.is_dirty()),
        "still unsaved"
    );
    let text = editor_text(&h);
    assert!(text.contains(" edited"), "the edit is still in the editor");
    assert_eq!(
        std::fs::read(case.join("index.md")).unwrap_or_default(),
        original,
        "file intact"
    );
    drop(h);
    if is_root() {
        let _ = std::process::Command::new("umount").arg(&mount).status();
    }
}

/// Runs frames for a while (the disk check runs every 2 s, on a thread).
fn run_for(h: &mut Harness<'_, CasebookApp>, d: std::time::Duration) {
    let end = std::time::Instant::now() + d;
    while std::time::Instant::now() < end {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn files_changed_on_disk_reload_or_ask() {
    let t = tmp();
    let (case, index) = hangzhou(t.path());
    let mut h = app(Some(&case), &t.path().join("data"));
    // No unsaved changes: another program's edit is read in.
    let theirs = std::fs::read_to_string(&index)
        .unwrap_or_default()
        .replacen("title:", "title: Theirs -", 1);
    std::fs::write(&index, &theirs).unwrap();
    run_for(&mut h, std::time::Duration::from_millis(2600));
    let title = h
        .state()
        .editor
        .as_ref()
        .and_then(|e| e.case.doc().text_of(casebook::core::fields::Field::Title))
        .unwrap_or_default();
    assert!(title.starts_with("Theirs -"), "reloaded: {title}");
    // With unsaved changes: asked, both shown, nothing overwritten.
    h.get_by_label("City").click();
    h.get_by_label("City").type_text(" mine");
    h.run_steps(3);
    let again = theirs.replacen("title: Theirs -", "title: Theirs again -", 1);
    std::fs::write(&index, &again).unwrap();
    run_for(&mut h, std::time::Duration::from_millis(2600));
    h.get_by_label("The file changed on disk");
    h.get_by_label("Keep mine");
    assert_eq!(std::fs::read_to_string(&index).unwrap_or_default(), again);
    assert!(h.state().editor.as_ref().is_some_and(|e| e.is_dirty()));
}
