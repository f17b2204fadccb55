//! Bulk edits in the editor: the Tags window's rename (and merge) and "Fix in all cases", each
//! through the preview window (every affected file's diff, nothing written), Apply (each file
//! saved safely, one line changed, the others byte-identical) and one Undo that puts every
//! byte back. The cases are my own, in temporary folders.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../crates/casebook-core/tests/support/diff.rs"]
mod diff;
#[path = "support/git.rs"]
mod git_support;

use std::path::{Path, PathBuf};

use casebook::app::CasebookApp;
use casebook_core::edit::Edit;
use common::{app, app_settled, assert_has, key, tmp, type_keys, write};
use diff::changed_lines;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn settle(h: &mut Harness<'_, CasebookApp>) {
    h.run_steps(2);
    h.state_mut().wait_for_bulk();
    h.state_mut().workspace.wait();
    h.run_steps(3);
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// The `index.md` of the case open in the editor.
fn open_index(h: &Harness<'_, CasebookApp>) -> PathBuf {
    h.state()
        .editor
        .as_ref()
        .map(|e| e.case.index_path().to_path_buf())
        .unwrap_or_default()
}

fn count(h: &Harness<'_, CasebookApp>, label: &str) -> usize {
    h.query_all_by_label(label).count()
}

/// Three cases of my own: two with the misspelt tag `Enviroment` (a flow list; a block list
/// with CRLF line ends and a byte-order mark), one without it.
fn tag_cases(root: &Path) -> [PathBuf; 3] {
    let a = root.join("cases/gbr-canal-steps/index.md");
    let b = root.join("cases/gbr-mill-roofs/index.md");
    let c = root.join("cases/gbr-tram-loop/index.md");
    write(
        &a,
        "---\ntitle: Canal steps\nstatus: Draft\ntype: district\ncity: Leeds\ncountry_code: GBR\ntags: [Mobility, Enviroment] # two themes\n---\n\n## Overview\n\n<!-- Sum up the case. -->\n\nSteps down to the towpath were widened.\n",
    );
    write(
        &b,
        "\u{feff}---\r\ntitle: Mill roofs\r\nstatus: Review\r\ntype: district\r\ncity: Bradford\r\ncountry_code: GBR\r\ntags:\r\n  - Enviroment\r\n  - Energy\r\n---\r\n\r\n## Overview\r\n\r\nThe roofs of two mills carry panels.\r\n",
    );
    write(
        &c,
        "---\ntitle: Tram loop\nstatus: Draft\ntype: plan\ncity: Sheffield\ncountry_code: GBR\ntags:\n  - Mobility\n---\n\n## Overview\n\nA loop joins two lines.\n",
    );
    [a, b, c]
}

/// The app open on the three `tag_cases` in a new folder: the folder and the data folder
/// (removed when dropped), the cases' `index.md` files, their bytes before, and the app.
fn open_tag_cases() -> (
    tempfile::TempDir,
    tempfile::TempDir,
    [PathBuf; 3],
    Vec<Vec<u8>>,
    Harness<'static, CasebookApp>,
) {
    let dir = tmp();
    let files = tag_cases(dir.path());
    let before: Vec<Vec<u8>> = files.iter().map(|p| bytes(p)).collect();
    let data = tmp();
    let mut h = app(Some(&dir.path().join("cases")), data.path());
    settle(&mut h);
    (dir, data, files, before, h)
}

#[test]
fn tags_window_renames_a_tag_with_a_preview_and_one_undo() {
    let (_dir, _data, files, before, mut h) = open_tag_cases();
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    settle(&mut h);
    // Each tag with its count; the one outside the atlas's list is marked.
    assert_eq!(count(&h, "Mobility (2 cases)"), 1);
    assert_eq!(count(&h, "Energy (1 case)"), 1);
    h.get_by_label("Enviroment (2 cases, not in the atlas's list)")
        .click();
    h.run_steps(2);
    h.get_by_label("Rename `Enviroment` to").click();
    h.run_steps(1);
    key(&mut h, Modifiers::COMMAND, Key::A);
    type_keys(&mut h, "Environment");
    h.get_by_label("Preview rename…").click();
    settle(&mut h);
    // Escape closes the preview without writing; preview again.
    assert!(h.state().bulk_preview().is_some());
    common::press(&mut h, Key::Escape);
    assert!(h.state().bulk_preview().is_none());
    h.get_by_label("Preview rename…").click();
    settle(&mut h);
    // The preview: each affected file's diff, nothing written.
    assert!(h.state().bulk_preview().is_some());
    assert_eq!(count(&h, "- tags: [Mobility, Enviroment] # two themes"), 1);
    assert_eq!(count(&h, "+ tags: [Mobility, Environment] # two themes"), 1);
    assert_eq!(count(&h, "-   - Enviroment"), 1);
    assert_eq!(count(&h, "+   - Environment"), 1);
    assert!(h.query_by_label_contains("gbr-tram-loop").is_none());
    for (p, b) in files.iter().zip(&before) {
        assert_eq!(&bytes(p), b, "the preview wrote nothing");
    }
    h.get_by_label("Apply to 2 cases").click();
    settle(&mut h);
    assert!(h.state().bulk_preview().is_none());
    // Each touched file changed by exactly one line; the other is byte-identical.
    for (p, b) in files[..2].iter().zip(&before) {
        assert_eq!(changed_lines(b, &bytes(p)), (1, 1), "{}", p.display());
    }
    assert!(bytes(&files[1]).starts_with("\u{feff}---\r\n".as_bytes()));
    assert!(
        String::from_utf8_lossy(&bytes(&files[1])).contains("  - Environment\r\n  - Energy\r\n")
    );
    assert_eq!(bytes(&files[2]), before[2]);
    // The open case (the first, unchanged in the editor) was read again.
    assert!(common::editor_text(&h).contains("[Mobility, Environment]"));
    // One Undo puts every byte back.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    for (p, b) in files.iter().zip(&before) {
        assert_eq!(&bytes(p), b, "{} restored", p.display());
    }
    assert!(common::editor_text(&h).contains("[Mobility, Enviroment]"));
}

#[test]
fn merging_a_tag_and_leaving_out_the_open_case_with_unsaved_changes() {
    let (_dir, _data, files, before, mut h) = open_tag_cases();
    // The open case (canal steps) gets an unsaved edit.
    {
        let ed = h.state_mut().editor.as_mut().unwrap();
        assert!(ed.case.index_path().ends_with("gbr-canal-steps/index.md"));
        let edit = Edit::SetField {
            key: "city".into(),
            value: "Leeds centre".into(),
        };
        assert_eq!(ed.apply(&edit, "City", None), Ok(true));
    }
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    settle(&mut h);
    h.get_by_label("Enviroment (2 cases, not in the atlas's list)")
        .click();
    h.run_steps(2);
    h.get_by_label("Merge into").click();
    h.run_steps(2);
    // The list's item, not the form's tag checkbox of the same name.
    h.query_all_by_label("Energy")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .expect("Energy in the Merge into list")
        .click();
    h.run_steps(2);
    h.get_by_label("Preview merge…").click();
    settle(&mut h);
    // The open case is listed as left out, with why; only the other file's diff shows.
    assert_eq!(
        count(
            &h,
            "gbr-canal-steps/index.md: open in the editor with unsaved changes, so it was left out (your edits are kept); save or revert it, then preview again"
        ),
        1
    );
    assert_eq!(count(&h, "-   - Enviroment"), 1);
    assert_eq!(count(&h, "- tags: [Mobility, Enviroment] # two themes"), 0);
    h.get_by_label("Apply to 1 case").click();
    settle(&mut h);
    // The merge removed the old item's line only.
    let merged = String::from_utf8_lossy(&bytes(&files[1])).into_owned();
    assert_has(&merged, "tags:\r\n  - Energy\r\n---");
    assert_eq!(changed_lines(&before[1], &bytes(&files[1])), (1, 0));
    // The open case: not written, its edit kept in the editor.
    assert_eq!(bytes(&files[0]), before[0]);
    assert!(common::editor_text(&h).contains("city: Leeds centre"));
    assert!(h.state().editor.as_ref().unwrap().is_dirty());
    // The merge came last: Undo takes it back first, then the open case's own edit.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(bytes(&files[1]), before[1]);
    assert!(common::editor_text(&h).contains("city: Leeds centre"));
    key(&mut h, Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert!(common::editor_text(&h).contains("city: Leeds\n"));
    assert_eq!(bytes(&files[0]), before[0]);
}

/// A case of my own in Hong Kong whose country code is `code`.
fn quay(n: &str, code: &str, crlf: bool) -> String {
    let t = format!(
        "---\ntitle: Quay {n}\ndescription: A test pier written for the bulk-fix flow.\ntemplate: case-study\nstatus: Draft\ntype: district\ncity: Hong Kong\ncountry_code: {code}\nyear_start: 2019\ntags: [Mobility]\n---\n\n## Overview\n\n<!-- Sum up the case. -->\n\nThe pier {n} got a ferry shelter and a bike rack.\n"
    );
    if crlf { t.replace('\n', "\r\n") } else { t }
}

#[test]
fn fix_in_all_cases_previews_applies_and_undoes_the_same_fix() {
    let dir = tmp();
    let r = dir.path();
    let files = [
        r.join("cases/hkg-quay-one/index.md"),
        r.join("cases/hkg-quay-three/index.md"),
        r.join("cases/hkg-quay-two/index.md"),
    ];
    write(&files[0], &quay("one", "HK", false));
    write(&files[1], &quay("three", "HKG", false));
    write(&files[2], &quay("two", "HK", true));
    let before: Vec<Vec<u8>> = files.iter().map(|p| bytes(p)).collect();
    let data = tmp();
    let mut h = app(Some(&r.join("cases")), data.path());
    settle(&mut h);
    assert!(open_index(&h).ends_with("hkg-quay-one/index.md"));
    // The problems panel offers the fix for this case and in all cases.
    assert_eq!(count(&h, "Fix: country_code: use HKG"), 1);
    h.get_by_label("Fix in all cases…").click();
    settle(&mut h);
    assert_eq!(count(&h, "- country_code: HK"), 2, "both cases' diffs");
    assert_eq!(count(&h, "+ country_code: HKG"), 2);
    for (p, b) in files.iter().zip(&before) {
        assert_eq!(&bytes(p), b, "the preview wrote nothing");
    }
    h.get_by_label("Apply to 2 cases").click();
    settle(&mut h);
    for i in [0, 2] {
        assert_eq!(changed_lines(&before[i], &bytes(&files[i])), (1, 1));
        assert!(String::from_utf8_lossy(&bytes(&files[i])).contains("country_code: HKG"));
    }
    assert!(String::from_utf8_lossy(&bytes(&files[2])).contains("country_code: HKG\r\n"));
    assert_eq!(bytes(&files[1]), before[1]);
    assert!(common::editor_text(&h).contains("country_code: HKG\n"));
    // The finding is gone from the open case.
    assert_eq!(count(&h, "Fix in all cases…"), 0);
    key(&mut h, Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    for (p, b) in files.iter().zip(&before) {
        assert_eq!(&bytes(p), b, "{} restored", p.display());
    }
}

/// Cases deleted since HEAD show under the Changes filter, greyed with a D badge; Restore
/// writes their files back from the commit, byte for byte, and opens the case.
#[test]
fn deleted_cases_are_listed_under_changes_and_can_be_restored() {
    use git_support::git;
    let dir = tmp();
    let r = dir.path();
    let files = tag_cases(r);
    let boundary = r.join("cases/gbr-mill-roofs/gbr-mill-roofs.geojson");
    write(
        &boundary,
        "{\"type\": \"FeatureCollection\", \"features\": []}\n",
    );
    git(r, &["init", "-q"]);
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "three cases"]);
    let committed = (bytes(&files[1]), bytes(&boundary));
    std::fs::remove_dir_all(r.join("cases/gbr-mill-roofs")).unwrap();
    let (_data, mut h) = app_settled(r, settle);
    assert_eq!(
        count(&h, "Restore gbr-mill-roofs"),
        0,
        "only under the filter"
    );
    h.get_by_label("Changes").click();
    settle(&mut h);
    assert_eq!(count(&h, "Changed: deleted"), 1);
    h.get_by_label("Restore gbr-mill-roofs").click();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(bytes(&files[1]), committed.0);
    assert_eq!(bytes(&boundary), committed.1);
    assert!(
        open_index(&h).ends_with("gbr-mill-roofs/index.md"),
        "the restored case is open"
    );
    assert_eq!(count(&h, "Changed: deleted"), 0);
    // Undo takes the restore back: the case is closed and its files removed again.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert!(!files[1].exists() && !boundary.exists());
    assert!(!r.join("cases/gbr-mill-roofs").exists());
    assert!(h.state().editor.is_none());
    assert_eq!(count(&h, "Changed: deleted"), 1);
}
