//! The editor's side of git: change badges and the "Changes" filter in the case list, the
//! Changes window (diff against HEAD or a branch, field summary), choosing the reference, and
//! "Restore this file from REF" through the normal edit and save (undoable). Each test builds
//! a real repository with the `git` binary in a temporary folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "support/git.rs"]
mod git_support;

use std::path::Path;

use casebook::app::CasebookApp;
use common::{app_settled, key, read, tmp, write};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use git_support::git;

/// A small case of my own with `title` and an overview sentence.
fn case_text(title: &str, overview: &str) -> String {
    format!(
        "---
title: {title}
status: Draft
type: district
city: Leeds
country_code: GBR
tags:
  - Mobility
---

## Overview

<!-- Say what the project is. -->

{overview}
"
    )
}

const ALPHA: &str = "cases/gbr-alpha-yards/index.md";
const BETA: &str = "cases/gbr-beta-docks/index.md";
const GAMMA: &str = "cases/gbr-gamma-mills/index.md";

/// Alpha and Beta committed on `main`.
fn repo(r: &Path) {
    git(r, &["init", "-q"]);
    write(
        &r.join(ALPHA),
        &case_text("Alpha yards", "The yards were rebuilt around a tram stop."),
    );
    write(
        &r.join(BETA),
        &case_text("Beta docks", "The docks hold a small market."),
    );
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "two cases"]);
}

fn settle(h: &mut Harness<'_, CasebookApp>) {
    h.run_steps(2);
    h.state_mut().workspace.wait();
    h.run_steps(3);
    h.state_mut().workspace.wait();
    h.run_steps(2);
}

fn count(h: &Harness<'_, CasebookApp>, label: &str) -> usize {
    h.query_all_by_label(label).count()
}

#[test]
fn changed_cases_have_badges_and_a_changes_filter() {
    let dir = tmp();
    let r = dir.path();
    repo(r);
    // Alpha edited, Gamma new (untracked), Beta untouched.
    write(
        &r.join(ALPHA),
        &case_text(
            "Alpha yards",
            "The yards were rebuilt around two tram stops.",
        ),
    );
    write(
        &r.join(GAMMA),
        &case_text("Gamma mills", "The mills became flats."),
    );
    let (_data, mut h) = app_settled(r, settle);
    assert_eq!(count(&h, "Changed: modified"), 1);
    assert_eq!(count(&h, "Changed: added"), 1);
    assert_eq!(count(&h, "Beta docks"), 1, "all three cases are listed");
    h.get_by_label("Changes").click();
    h.run_steps(2);
    assert_eq!(
        count(&h, "Beta docks"),
        0,
        "the unchanged case is filtered out"
    );
    assert_eq!(count(&h, "Gamma mills"), 1);
    assert!(count(&h, "Alpha yards") >= 1);
    h.get_by_label("Changes").click();
    h.run_steps(2);
    assert_eq!(count(&h, "Beta docks"), 1, "the filter turns off again");
}

#[test]
fn without_a_repository_nothing_about_git_shows() {
    let dir = tmp();
    let r = dir.path();
    write(&r.join(ALPHA), &case_text("Alpha yards", "Rebuilt."));
    write(&r.join(BETA), &case_text("Beta docks", "A market."));
    let (_data, h) = app_settled(r, settle);
    assert_eq!(count(&h, "Beta docks"), 1);
    assert_eq!(count(&h, "Changes"), 0, "no Changes filter outside git");
    assert!(h.query_by_label_contains("Changed:").is_none());
}

#[test]
fn changes_window_shows_the_diff_and_restores_the_file_undoably() {
    let dir = tmp();
    let r = dir.path();
    repo(r);
    let committed = read(&r.join(ALPHA));
    let edited = case_text(
        "Alpha quays",
        "The yards were rebuilt around two tram stops.",
    );
    write(&r.join(ALPHA), &edited);
    let (_data, mut h) = app_settled(r, settle);
    h.get_by_label("Changed: modified").click();
    settle(&mut h);
    // The field summary and the unified diff, word by word underneath.
    assert_eq!(count(&h, "title: was Alpha yards, now Alpha quays"), 1);
    assert_eq!(count(&h, "- title: Alpha yards"), 1);
    assert_eq!(count(&h, "+ title: Alpha quays"), 1);
    assert_eq!(count(&h, "- The yards were rebuilt around a tram stop."), 1);
    assert_eq!(
        count(&h, "+ The yards were rebuilt around two tram stops."),
        1
    );
    assert_eq!(
        count(&h, "  <!-- Say what the project is. -->"),
        1,
        "context lines are shown"
    );
    // Restore: an edit, saved through the safe save.
    h.get_by_label("Restore this file from HEAD").click();
    settle(&mut h);
    assert_eq!(
        read(&r.join(ALPHA)),
        committed,
        "the committed text is back on disk"
    );
    assert_eq!(common::editor_text(&h), committed);
    assert_eq!(count(&h, "index.md is the same as in HEAD."), 1);
    // And Undo takes it back in the editor.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(common::editor_text(&h), edited);
    assert_eq!(count(&h, "+ title: Alpha quays"), 1);
}

#[test]
fn the_reference_is_chosen_from_the_branches() {
    let dir = tmp();
    let r = dir.path();
    repo(r);
    git(r, &["checkout", "-q", "-b", "author-revision"]);
    write(
        &r.join(BETA),
        &case_text("Beta docks", "The docks hold a large market."),
    );
    git(r, &["commit", "-q", "-am", "revise beta"]);
    let (_data, mut h) = app_settled(r, settle);
    // Against HEAD the branch is clean.
    assert!(h.query_by_label_contains("Changed:").is_none());
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label_contains("Changes…").click();
    settle(&mut h);
    h.get_by_label("Compare with").click();
    h.run_steps(2);
    h.get_by_label("main").click();
    settle(&mut h);
    // Against main's merge base, the branch's revision of Beta shows.
    assert_eq!(count(&h, "Changed: modified"), 1);
    h.get_by_label("Changed: modified").click();
    settle(&mut h);
    assert_eq!(count(&h, "+ The docks hold a large market."), 1);
    assert!(h.query_by_label_contains("merge base").is_some());
}
