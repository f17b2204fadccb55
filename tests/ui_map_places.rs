//! Finding places on the map (issue 11), driving the real app by accessible labels: the
//! place search (field and Ctrl+K, Up/Down/Enter and clicks fly there), a case without a
//! boundary opening at its city, the pointer's coordinates and their copy button, city
//! names on the offline basemap, and the note when map tiles cannot be loaded.
//!
//! Every case here is a fixture written for these tests; tiles come from servers on
//! 127.0.0.1 started by the tests (or a port nobody listens on).

#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/tiles.rs"]
mod tiles;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use casebook::app::settings::{Basemap, Settings};
use casebook::app::{CasebookApp, View};
use casebook::core::geometry::LonLat;
use casebook::core::places;
use casebook::ui::map::TileSourceSpec;
use common::*;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tiles::spec_for;

type H = Harness<'static, CasebookApp>;

/// A case in Suzhou Industrial Park with no boundary and no centroid.
fn suzhou_case(root: &Path) -> std::path::PathBuf {
    write_case(
        root,
        "chn-lakeside-park",
        "---
title: Lakeside Science Park
description: A test park by a lake, written for Casebook's map tests.
template: case-study
status: Draft
author: Test Author
type: district
city: Suzhou
country_code: CHN
year_start: 2019
tags:
  - Planning
---

## Overview

<!-- Say what the project is. -->

A park by a lake, used to test where the map opens.
",
        None,
    )
}

/// The app on `case` with `settings` (and in-app path fields), at `size`.
fn app_with(case: &Path, data: &Path, settings: Settings, size: egui::Vec2) -> H {
    harness::app(Start {
        size,
        settings: Settings {
            in_app_file_dialogs: true,
            ..settings
        },
        theme: egui::Theme::Dark,
        ..Start::new(Some(case), data)
    })
}

/// Runs frames (in real time) until `done` or `timeout`; whether it was done.
fn step_until(h: &mut H, timeout: Duration, done: impl Fn(&H) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        h.run_steps(1);
        if done(h) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// The centre of the map in the last frame.
fn map_center(h: &H) -> LonLat {
    let xf = h.state().map.xform().unwrap();
    xf.to_lonlat(xf.rect.center())
}

fn place(name: &str, division: &str) -> places::Place {
    places::search(name, Some("CHN"), 10)
        .into_iter()
        .map(|m| m.place)
        .find(|p| p.division == Some(division))
        .unwrap()
}

#[test]
fn ctrl_k_finds_suzhou_and_up_down_enter_fly_there() {
    let (_t, _, mut h) = open_harbour_lanes("");
    assert_ne!(h.state().view, View::Map);

    // Ctrl+K shows the map and puts the keyboard in the search field.
    key(&mut h, Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    assert_eq!(h.state().view, View::Map);
    assert!(focused(&h, "Find a place"), "focus: {:?}", focused_name(&h));
    let before = map_center(&h);
    assert!(
        (before.lat - 40.7).abs() < 0.5,
        "starts in New York: {before:?}"
    );

    type_keys(&mut h, "Suzhou");
    let listed = step_until(&mut h, Duration::from_secs(20), |h| {
        !h.state().map.place_candidates().is_empty()
    });
    assert!(listed, "no candidates listed");
    let candidates = h.state().map.place_candidates();
    println!("Candidates for Suzhou: {candidates:?}");
    assert_eq!(
        candidates.first().map(String::as_str),
        Some("Suzhou, Jiangsu, China")
    );
    assert!(candidates.iter().any(|c| c == "Suzhou, Anhui, China"));
    // The list is in the accessibility tree, one button per candidate.
    assert!(h.query_by_label("Suzhou, Anhui, China").is_some());

    // Down, Down, Up: the second; Enter flies there at city zoom.
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowUp);
    assert!(focused(&h, "Find a place"), "the arrows stay in the field");
    press(&mut h, Key::Enter);
    h.run_steps(3);
    let anhui = place("Suzhou", "Anhui");
    let c = map_center(&h);
    assert!(
        places::distance_km(c, anhui.position) < 1.0,
        "map centre {c:?}, Suzhou (Anhui) at {:?}",
        anhui.position
    );
    let zoom = h.state().map.xform().unwrap().zoom;
    assert!((zoom - anhui.zoom_hint()).abs() < 0.01, "zoom {zoom}");
    assert!(
        h.state().map.place_candidates().is_empty(),
        "the list closes"
    );

    // Ctrl+K again, typing at once (in the next frame): what was there is replaced.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.step();
    h.event(egui::Event::Text("Kunshan".into()));
    h.step();
    h.run_steps(2);
    assert_eq!(
        h.get_by_label("Find a place").value().as_deref(),
        Some("Kunshan")
    );
    assert_eq!(
        h.state().map.place_candidates().first().map(String::as_str),
        Some("Kunshan, Jiangsu, China")
    );
}

#[test]
fn clicking_a_candidate_flies_there() {
    let (_t, _, mut h) = open_harbour_lanes("");
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    click_then(&mut h, "Find a place", 2);
    type_keys(&mut h, "sao pa");
    let sao_paulo = places::search("São Paulo", Some("BRA"), 1)[0].place;
    assert_eq!(sao_paulo.name, "São Paulo");
    let label = sao_paulo.label();
    let listed = step_until(&mut h, Duration::from_secs(20), |h| {
        h.query_by_label(&label).is_some()
    });
    assert!(
        listed,
        "{label} not in {:?}",
        h.state().map.place_candidates()
    );
    h.get_by_label(&label).click();
    h.run_steps(3);
    let c = map_center(&h);
    assert!(
        (c.lat + 23.55).abs() < 0.05 && (c.lon + 46.63).abs() < 0.05,
        "map centre {c:?}"
    );
}

#[test]
fn a_case_without_a_boundary_opens_at_its_city() {
    let t = tmp();
    let dir = suzhou_case(t.path());
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    let jiangsu = place("Suzhou", "Jiangsu");
    let c = map_center(&h);
    assert!(
        places::distance_km(c, jiangsu.position) < 1.0,
        "map centre {c:?}, Suzhou at {:?}",
        jiangsu.position
    );
    let zoom = h.state().map.xform().unwrap().zoom;
    assert!(zoom >= 10.0, "city zoom, not the whole of China: {zoom}");
}

#[test]
fn the_pointer_coordinates_show_and_copy() {
    let (_t, _, mut h) = open_harbour_lanes("");
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(2);
    let xf = h.state().map.xform().unwrap();
    let at = xf.rect.center() + egui::vec2(37.0, -23.0);
    h.hover_at(at);
    h.run_steps(2);
    let under = xf.to_lonlat(at);
    let shown = h.state().map.pointer_position().unwrap();
    assert!(
        (shown.lat - under.lat).abs() < 1e-6 && (shown.lon - under.lon).abs() < 1e-6,
        "{shown:?} vs {under:?}"
    );
    let text = format!("{:.5}, {:.5}", under.lat, under.lon);
    assert!(
        h.query_by_label(&text).is_some(),
        "no readout “{text}” on the map"
    );

    // Going to the copy button does not change what it copies.
    h.get_by_label("Copy coordinates").click();
    let mut copied = None;
    for _ in 0..4 {
        h.step();
        for c in &h.output().platform_output.commands {
            if let egui::OutputCommand::CopyText(s) = c {
                copied = Some(s.clone());
            }
        }
    }
    assert_eq!(copied.as_deref(), Some(text.as_str()));
}

#[test]
fn city_names_show_more_as_the_map_zooms_in_without_overlaps() {
    let t = tmp();
    let dir = suzhou_case(t.path());
    let mut h = app(Some(&dir), &t.path().join("data"));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    let named = step_until(&mut h, Duration::from_secs(20), |h| {
        h.state()
            .map
            .city_labels()
            .iter()
            .any(|(n, _, _)| n == "Suzhou")
    });
    assert!(named, "labels: {:?}", h.state().map.city_labels());
    let search = h.get_by_label("Find a place").rect();
    let zoom_in = h.get_by_label("Zoom in").rect();
    let jiangsu = place("Suzhou", "Jiangsu");
    // A fixed area: the middle of what the map shows around Suzhou at zoom 10 (away from
    // the overlays at the map's edges).
    h.state_mut().map.set_view(jiangsu.position, 10.0);
    h.run_steps(3);
    let xf = h.state().map.xform().unwrap();
    let middle = xf.rect.shrink2(xf.rect.size() / 4.0);
    let (nw, se) = (
        xf.to_lonlat(middle.left_top()),
        xf.to_lonlat(middle.right_bottom()),
    );
    let in_area =
        |p: &LonLat| (se.lat..=nw.lat).contains(&p.lat) && (nw.lon..=se.lon).contains(&p.lon);
    let mut in_area_counts = Vec::new();
    for zoom in [4.0, 6.0, 8.0, 10.0] {
        h.state_mut().map.set_view(jiangsu.position, zoom);
        h.run_steps(3);
        let labels = h.state().map.city_labels().to_vec();
        for (i, (a, _, ra)) in labels.iter().enumerate() {
            for (b, _, rb) in &labels[i + 1..] {
                assert!(!ra.intersects(*rb), "zoom {zoom}: {a} overlaps {b}");
            }
            assert!(
                !ra.intersects(search),
                "zoom {zoom}: {a} under the search field"
            );
            assert!(
                !ra.intersects(zoom_in),
                "zoom {zoom}: {a} under the zoom buttons"
            );
        }
        let around: Vec<&str> = labels
            .iter()
            .filter(|(_, p, _)| in_area(p))
            .map(|(n, _, _)| n.as_str())
            .collect();
        println!(
            "zoom {zoom}: {} names; around Suzhou: {around:?}",
            labels.len()
        );
        assert!(labels.len() <= 60, "a cap on names");
        in_area_counts.push(around.len());
    }
    assert!(
        in_area_counts.windows(2).all(|w| w[0] <= w[1]) && in_area_counts[3] > in_area_counts[0],
        "more names around Suzhou as the map zooms in: {in_area_counts:?}"
    );
}

fn online(basemap: Basemap) -> Settings {
    Settings {
        basemap,
        online_tiles: true,
        ..Settings::default()
    }
}

/// Opens the NY fixture on the map with the online basemap from `spec`; waits for the
/// failure note.
fn map_with_tiles(spec: TileSourceSpec, t: &Path) -> (H, Option<String>) {
    let dir = harbour_lanes(t, "");
    let mut h = app_with(
        &dir,
        &t.join("data"),
        online(Basemap::OpenStreetMap),
        egui::vec2(1280.0, 800.0),
    );
    h.state_mut().map.set_tile_source(Some(spec));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    step_until(&mut h, Duration::from_secs(20), |h| {
        h.state().map.tile_failure_note().is_some()
    });
    h.run_steps(2);
    let note = h.state().map.tile_failure_note();
    (h, note)
}

#[test]
fn unreachable_tiles_say_why_once_and_the_offline_map_stays() {
    let t = tmp();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (mut h, note) = map_with_tiles(spec_for(port), t.path());
    let expected = format!(
        "Map tiles could not be loaded (127.0.0.1:{port} refused the connection); showing the offline basemap"
    );
    assert_eq!(note.as_deref(), Some(expected.as_str()));
    assert!(
        h.query_by_label(&expected).is_some(),
        "the note is on the map"
    );
    assert!(h.query_by_label_contains("Natural Earth").is_some());
    assert_eq!(h.state().map.tile_stats().loaded, 0);
    // The offline basemap keeps drawing, with its city names.
    h.state_mut().map.set_view(LonLat::new(-73.95, 40.72), 11.0);
    assert!(
        step_until(&mut h, Duration::from_secs(20), |h| {
            !h.state().map.city_labels().is_empty()
        }),
        "no city names under failed tiles"
    );

    // Closed, it stays closed.
    click_then(&mut h, "Close note", 3);
    assert!(h.query_by_label(&expected).is_none());
    std::thread::sleep(Duration::from_millis(300));
    h.run_steps(5);
    assert!(h.state().map.tile_failure_note().is_none());
}

#[test]
fn a_tile_server_answering_errors_is_named_in_the_note() {
    let t = tmp();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s = stop.clone();
    let server = std::thread::spawn(move || {
        while !s.load(std::sync::atomic::Ordering::SeqCst) {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut buf = [0u8; 2048];
                    let _ = stream.read(&mut buf);
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    let (h, note) = map_with_tiles(spec_for(port), t.path());
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = server.join();
    assert_eq!(
        note.as_deref(),
        Some(
            "Map tiles could not be loaded (the server answered 404 Not Found); showing the offline basemap"
        )
    );
    assert_eq!(h.state().map.tile_stats().loaded, 0);
}

#[test]
fn the_search_list_is_not_hidden_in_a_small_window() {
    let t = tmp();
    let dir = suzhou_case(t.path());
    let mut h = app_with(
        &dir,
        &t.path().join("data"),
        Settings::default(),
        egui::vec2(900.0, 600.0),
    );
    key(&mut h, Modifiers::COMMAND, Key::K);
    type_keys(&mut h, "Suzhou");
    assert!(step_until(&mut h, Duration::from_secs(20), |h| {
        h.query_by_label("Suzhou, Jiangsu, China").is_some()
    }));
    let item = h.get_by_label("Suzhou, Jiangsu, China").rect();
    let field = h.get_by_label("Find a place").rect();
    let screen = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(900.0, 600.0));
    assert!(screen.contains_rect(item), "{item:?}");
    assert!(
        item.top() >= field.bottom(),
        "the list opens under the field"
    );
    // Clicking a candidate (on top of the map and its overlays) flies there.
    click_then(&mut h, "Suzhou, Anhui, China", 3);
    let c = map_center(&h);
    assert!(places::distance_km(c, place("Suzhou", "Anhui").position) < 1.0);
}

/// Choosing a basemap on the map: the map asks the app (an intent) and the app keeps it in
/// its settings; "Pick on map" on the form switches to the map's centroid tool the same way.
#[test]
fn the_basemap_chosen_on_the_map_and_pick_on_map_reach_the_app() {
    let t = tmp();
    let dir = harbour_lanes(t.path(), "");
    let mut h = app_with(
        &dir,
        &t.path().join("data"),
        Settings {
            online_tiles: false,
            ..Settings::default()
        },
        egui::vec2(1280.0, 800.0),
    );
    h.run_steps(2);
    h.get_by_label("Pick on map").click();
    h.run_steps(3);
    assert_eq!(h.state().view, View::Map);
    assert_eq!(
        h.state().map.tool(),
        casebook::ui::map::Tool::SetCentroid,
        "Pick on map chose the centroid tool"
    );
    assert_eq!(h.state().settings.basemap, Basemap::Offline);
    h.get_by_label("Basemap").click();
    h.run_steps(2);
    h.get_by_label("CARTO Positron").click();
    h.run_steps(3);
    assert_eq!(h.state().settings.basemap, Basemap::CartoPositron);
    assert!(
        !h.state().settings.online_tiles,
        "choosing a basemap does not allow online tiles by itself"
    );
}

/// In a 900 × 600 window the map and the panel beside it share the width: nothing of the
/// panel (its heading, the centroid's "Show") is under the map or past the window's edge.
#[test]
fn the_side_panel_is_beside_the_map_in_a_small_window() {
    let t = tmp();
    let dir = harbour_lanes(t.path(), "");
    let mut h = app_sized(Some(&dir), &t.path().join("data"), egui::vec2(900.0, 600.0));
    key(&mut h, Modifiers::COMMAND, Key::Num3);
    h.run_steps(4);
    let map = map_canvas(&h);
    let heading = h.get_by_label("Boundary").rect();
    let show = h.get_by_label("Show centroid").rect();
    assert!(
        map.right() <= heading.left(),
        "the map ({map:?}) reaches under the panel's heading ({heading:?})"
    );
    assert!(
        show.right() <= 900.0,
        "\"Show\" ends past the window: {show:?}"
    );
    // With a ring selected the panel lists its points: still beside the map.
    h.state_mut().map.select(Some(casebook::ui::map::Selection {
        ring: casebook::core::geometry::RingRef {
            shape: 0,
            polygon: 0,
            ring: 0,
        },
        vertex: None,
    }));
    h.run_steps(4);
    let map = map_canvas(&h);
    let heading = h.get_by_label("Boundary").rect();
    let latitude = h.get_by_label("Latitude 1").rect();
    let remove = h.get_by_label("Remove point 1").rect();
    assert!(
        map.right() <= heading.left().min(latitude.left()),
        "the map {map:?} reaches under the panel: {heading:?} {latitude:?}"
    );
    assert!(
        remove.right() <= 900.0,
        "the point table ends past the window: {remove:?}"
    );
}

/// Where the map canvas is: the largest node named "Map" (not the view tab or the outline's
/// entry of the same name).
fn map_canvas(h: &H) -> egui::Rect {
    h.query_all_by_label("Map")
        .map(|n| n.rect())
        .max_by(|a, b| a.area().total_cmp(&b.area()))
        .unwrap()
}
