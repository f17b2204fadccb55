//! The reference boundary on the Map (issue 14): when the case's boundary file differs from
//! HEAD (or the reference chosen in the Changes window), the committed boundary is drawn as a
//! dashed ghost under the current one, with a legend giving the change in vertices and area;
//! "Reference boundary" hides it. Nothing shows when the boundary is unchanged or outside a
//! repository, and a new file says so. Each test builds a real repository with `git` in a
//! temporary folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "support/git.rs"]
mod git_support;
#[path = "support/map_world.rs"]
mod map_world;
#[path = "support/render.rs"]
mod render;

use std::path::Path;

use casebook::app::CasebookApp;
use casebook::ui::map::Reference;
use casebook_core::case::Case;
use casebook_core::geometry::{LonLat, Measures, Polygon};
use common::{app_settled, key, tmp, write};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use git_support::git;
use map_world::MapWorld as World;

const ALPHA: &str = "cases/gbr-alpha-yards";
const GAMMA: &str = "cases/gbr-gamma-mills";

fn index_text(title: &str, slug: &str) -> String {
    format!(
        "---
title: {title}
status: Draft
type: district
city: Leeds
country_code: GBR
geography: ./{slug}.geojson
---

## Overview

A district of my own, for this test.
"
    )
}

/// A square of 0.02° by 0.012° near Leeds (counter-clockwise).
fn square() -> Vec<LonLat> {
    vec![
        LonLat::new(-1.56, 53.79),
        LonLat::new(-1.54, 53.79),
        LonLat::new(-1.54, 53.802),
        LonLat::new(-1.56, 53.802),
    ]
}

/// The square with its north-east corner moved inward and a vertex added on its south edge.
fn edited() -> Vec<LonLat> {
    vec![
        LonLat::new(-1.56, 53.79),
        LonLat::new(-1.55, 53.789),
        LonLat::new(-1.54, 53.79),
        LonLat::new(-1.546, 53.798),
        LonLat::new(-1.56, 53.802),
    ]
}

fn geojson(ring: &[LonLat]) -> String {
    let mut coords: Vec<String> = ring
        .iter()
        .map(|p| format!("[{}, {}]", p.lon, p.lat))
        .collect();
    coords.push(coords[0].clone());
    format!(
        "{{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    {{\n      \"type\": \"Feature\",\n      \"properties\": {{}},\n      \"geometry\": {{\n        \"type\": \"Polygon\",\n        \"coordinates\": [[{}]]\n      }}\n    }}\n  ]\n}}\n",
        coords.join(", ")
    )
}

fn write_case(root: &Path, folder: &str, title: &str, ring: &[LonLat]) {
    let slug = folder.rsplit('/').next().unwrap();
    write(
        &root.join(folder).join("index.md"),
        &index_text(title, slug),
    );
    write(
        &root.join(folder).join(format!("{slug}.geojson")),
        &geojson(ring),
    );
}

/// Alpha committed with the square.
fn repo(r: &Path) {
    git(r, &["init", "-q"]);
    write_case(r, ALPHA, "Alpha yards", &square());
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "alpha"]);
}

/// Alpha committed with the square, then its boundary edited (`edited()`, not committed).
fn repo_then_edited(r: &Path) {
    repo(r);
    write(
        &r.join(ALPHA).join("gbr-alpha-yards.geojson"),
        &geojson(&edited()),
    );
}

fn settle(h: &mut Harness<'_, CasebookApp>) {
    for _ in 0..3 {
        h.run_steps(2);
        h.state_mut().workspace.wait();
        h.state_mut().wait_for_geometry();
        h.state_mut().map.wait_for_reference();
        h.state_mut().map.wait_for_analysis();
    }
    h.run_steps(2);
}

/// Opens the case titled `title` from the list, on the Map.
fn open_on_map(h: &mut Harness<'_, CasebookApp>, title: &str) {
    h.get_by_label(title).click();
    settle(h);
    key(h, Modifiers::COMMAND, Key::Num3);
    settle(h);
}

fn km2(ring: &[LonLat]) -> f64 {
    let m = Measures::of(&[Polygon::from_exterior(ring.to_vec())]);
    m.area.unwrap().square_meters / 1e6
}

#[test]
fn the_committed_boundary_is_a_ghost_with_the_change_and_can_be_hidden() {
    let dir = tmp();
    let r = dir.path();
    // The author moved a corner and added a vertex since the commit.
    repo_then_edited(r);
    let (_data, mut h) = app_settled(r, settle);
    open_on_map(&mut h, "Alpha yards");

    let before = km2(&square());
    let after = km2(&edited());
    assert!(before > 0.01 && (before - after).abs() > 0.01);
    let expected = format!(
        "HEAD: 4 vertices, {before:.2} km² · now +1 vertices, {}{:.2} km²",
        if after < before { "−" } else { "+" },
        (after - before).abs()
    );
    assert!(
        h.query_by_label(&expected).is_some(),
        "legend {expected:?}; the map says {:?}",
        h.state().map.reference_legend()
    );
    let reads = h.state().map.reference_reads();
    assert_eq!(reads, 1);
    h.run_steps(5);
    assert_eq!(
        h.state().map.reference_reads(),
        reads,
        "read once, not every frame"
    );

    // The toggle hides the ghost and its legend, and brings them back.
    assert!(h.state().map.reference_shown());
    h.get_by_label("Reference boundary").click();
    h.run_steps(2);
    assert!(!h.state().map.reference_shown());
    assert!(
        h.query_by_label(&expected).is_none(),
        "the legend is hidden"
    );
    assert!(h.query_by_label_contains("HEAD:").is_none());
    h.get_by_label("Reference boundary").click();
    h.run_steps(2);
    assert!(h.state().map.reference_shown());
    assert!(h.query_by_label(&expected).is_some());
}

#[test]
fn nothing_when_unchanged_and_new_since_head_for_a_new_file() {
    let dir = tmp();
    let r = dir.path();
    repo(r);
    // Gamma is new (not committed).
    write_case(r, GAMMA, "Gamma mills", &square());
    let (_data, mut h) = app_settled(r, settle);
    open_on_map(&mut h, "Alpha yards");
    assert!(h.query_by_label_contains("HEAD:").is_none());
    assert!(h.query_by_label("Reference boundary").is_none());
    assert_eq!(h.state().map.reference_legend(), None);
    open_on_map(&mut h, "Gamma mills");
    assert!(
        h.query_by_label("Boundary file new since HEAD").is_some(),
        "{:?}",
        h.state().map.reference_legend()
    );
    assert!(
        h.query_by_label("Reference boundary").is_none(),
        "no ghost to hide"
    );
}

#[test]
fn nothing_outside_a_repository() {
    let dir = tmp();
    let r = dir.path();
    write_case(r, ALPHA, "Alpha yards", &edited());
    let (_data, mut h) = app_settled(r, settle);
    open_on_map(&mut h, "Alpha yards");
    assert_eq!(h.state().map.reference_legend(), None);
    assert!(h.query_by_label_contains("HEAD").is_none());
    assert!(h.query_by_label("Reference boundary").is_none());
}

#[test]
fn the_ghost_is_drawn_dashed_along_the_old_edges() {
    let dir = tmp();
    let r = dir.path();
    repo_then_edited(r);
    casebook::ui::map::search::wait_for_places();
    let case = Case::open(&r.join(ALPHA)).unwrap();
    let workdir = r.canonicalize().unwrap();
    let head = git(r, &["rev-parse", "HEAD"]);
    let mut world = World::new(case, &dir.path().join("data"));
    world.map.set_reference(Some(Reference {
        workdir: workdir.clone(),
        commit: Some(head),
        name: "HEAD".into(),
        case_dir: workdir.join(ALPHA),
    }));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .wgpu()
        .build_ui_state(|ui, w: &mut World| w.frame(ui), world);
    h.run_steps(3);
    h.state_mut().map.wait_for_reference();
    h.state_mut().map.wait_for_analysis();
    h.run_steps(3);
    let Some(shown) = render::render_or_skip(&mut h, "the rendering test") else {
        return;
    };
    let xf = h.state().map.xform().unwrap();
    h.get_by_label("Reference boundary").click();
    h.run_steps(3);
    let hidden = h.render().unwrap();
    let ppp = shown.width() as f32 / 1000.0;
    // Points along the old north-east corner's two edges, where only the ghost runs (the
    // current boundary cut that corner off), away from both ends.
    let sq = square();
    let mut along = Vec::new();
    for (a, b) in [(sq[1], sq[2]), (sq[2], sq[3])] {
        for i in 8..=32 {
            let t = f64::from(i) / 40.0;
            along.push(LonLat::new(
                a.lon + (b.lon - a.lon) * t,
                a.lat + (b.lat - a.lat) * t,
            ));
        }
    }
    let ghost =
        casebook::ui::tokens::Tokens::for_visuals(&h.ctx.global_style().visuals).boundary_ghost;
    let mut seen = Vec::new();
    let mut differs = 0;
    let mut ghostly = 0;
    for p in &along {
        let s = xf.ll_to_screen(*p);
        let (x, y) = ((s.x * ppp) as i64, (s.y * ppp) as i64);
        let near = (-2..=2).flat_map(|dy| (-2..=2).map(move |dx| (x + dx, y + dy)));
        let mut d = false;
        let mut g = false;
        for (x, y) in near {
            if x < 0 || y < 0 || x >= i64::from(shown.width()) || y >= i64::from(shown.height()) {
                continue;
            }
            let a = shown.get_pixel(x as u32, y as u32).0;
            let b = hidden.get_pixel(x as u32, y as u32).0;
            if (0..3).any(|c| a[c].abs_diff(b[c]) > 30) {
                d = true;
            }
            if d && seen.len() < 6 {
                seen.push(a);
            }
            let [gr, gg, gb, _] = ghost.to_array();
            if a[0].abs_diff(gr) < 40 && a[1].abs_diff(gg) < 40 && a[2].abs_diff(gb) < 40 {
                g = true;
            }
        }
        differs += usize::from(d);
        ghostly += usize::from(g);
    }
    let n = along.len();
    println!(
        "{differs} of {n} points along the old edges drawn, {ghostly} in the ghost's colour {ghost:?}; seen {seen:?}"
    );
    // Dashes of 7 and gaps of 5 points: most samples (within 2 px) touch a dash.
    assert!(differs * 2 > n, "{differs} of {n}");
    assert!(ghostly * 2 > n, "{ghostly} of {n}");
}

#[test]
fn the_ghost_follows_the_reference_chosen_in_the_changes_window() {
    let dir = tmp();
    let r = dir.path();
    repo(r);
    // On a branch the author committed the edited boundary: against HEAD nothing changed.
    git(r, &["checkout", "-q", "-b", "author-revision"]);
    write(
        &r.join(ALPHA).join("gbr-alpha-yards.geojson"),
        &geojson(&edited()),
    );
    git(r, &["commit", "-q", "-am", "revise the boundary"]);
    let (_data, mut h) = app_settled(r, settle);
    open_on_map(&mut h, "Alpha yards");
    assert_eq!(h.state().map.reference_legend(), None, "same as HEAD");
    // Compare with main: its boundary is the square.
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label_contains("Changes…").click();
    settle(&mut h);
    h.get_by_label("Compare with").click();
    h.run_steps(2);
    h.get_by_label("main").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("main: 4 vertices").is_some(),
        "{:?}",
        h.state().map.reference_legend()
    );
    assert!(h.query_by_label_contains("· now +1 vertices").is_some());
    assert_eq!(h.state().map.reference_reads(), 2, "read again for main");
}
