//! Frame CPU time of the map view, headless (egui pass + tessellation, no GPU), at full
//! extent: a 50,000-vertex boundary, a 1,000,000-vertex polygon, and Philadelphia's 158
//! neighbourhoods when the corpus is present. Targets: ≤ 4 ms (50k) and ≤ 8 ms (1M) median.
//!
//! Also measured: panning (the view moves every frame, caches are reused) and the first frame
//! after a zoom level change (the level of detail is rebuilt).

#[path = "../tests/support/map_world.rs"]
mod map_world;

use std::path::{Path, PathBuf};

use casebook::ui::Intent;
use casebook::ui::map::MapState;
use casebook_core::case::Case;
use casebook_core::geometry::{GeometryEdit, LonLat, VertexRef};
use criterion::{Criterion, criterion_group, criterion_main};
use map_world::MapWorld;

/// A ragged closed ring of `n` vertices around (lon, lat): a coast-like outline with detail
/// at every scale, so that simplification keeps a realistic share of it.
fn ragged_ring(n: usize, lon: f64, lat: f64, radius_deg: f64) -> Vec<[f64; 2]> {
    (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let mut r = 1.0;
            let mut amp = 0.08;
            let mut freq = 7.0;
            for k in 0..9 {
                r += amp * (a * freq + k as f64 * 1.7).sin();
                amp *= 0.55;
                freq *= 2.9;
            }
            [
                lon + radius_deg * r * a.cos() / lat.to_radians().cos(),
                lat + radius_deg * r * a.sin(),
            ]
        })
        .collect()
}

fn geojson(polygons: &[Vec<[f64; 2]>]) -> String {
    let mut s = String::from(
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[",
    );
    for (pi, ring) in polygons.iter().enumerate() {
        if pi > 0 {
            s.push(',');
        }
        s.push_str("[[");
        for (i, p) in ring.iter().chain(ring.first()).enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&format!("[{:.6},{:.6}]", p[0], p[1]));
        }
        s.push_str("]]");
    }
    s.push_str("]}}]}");
    s
}

fn write_case(root: &Path, name: &str, polygons: &[Vec<[f64; 2]>]) -> PathBuf {
    let dir = root.join(name);
    let _ = std::fs::create_dir_all(&dir);
    let index = format!(
        "---\ntitle: Benchmark\nstatus: Draft\ntype: plan\ncountry_code: USA\ngeography: ./{name}.geojson\n---\n\n## Overview\n\nText.\n"
    );
    let _ = std::fs::write(dir.join("index.md"), index);
    let _ = std::fs::write(dir.join(format!("{name}.geojson")), geojson(polygons));
    dir
}

/// The map of one case in a headless egui context.
struct Bench {
    ctx: egui::Context,
    world: MapWorld,
    revision: u64,
}

impl Bench {
    fn open(dir: &Path, data: &Path) -> Option<Bench> {
        let case = Case::open(dir).ok()?;
        let mut b = Bench {
            ctx: egui::Context::default(),
            world: MapWorld::new(case, data),
            revision: 0,
        };
        for _ in 0..3 {
            b.frame();
        }
        b.world.map.wait_for_analysis();
        for _ in 0..3 {
            b.frame();
        }
        let (all, drawn) = b.world.map.drawn_points();
        let zoom = b.world.map.xform().map_or(0.0, |x| x.zoom);
        eprintln!(
            "{}: {all} vertices, {drawn} drawn at zoom {zoom:.2}",
            dir.display()
        );
        Some(b)
    }

    /// The first vertex of the first polygon.
    fn first_vertex(&self) -> Option<LonLat> {
        self.world
            .case
            .geometry()
            .and_then(|d| d.shape(0))
            .and_then(|s| s.polygons.first())
            .and_then(|p| p.rings.first())
            .and_then(|r| r.first())
            .copied()
    }

    /// Moves the first vertex a little (as a drag would) and draws the next frame.
    fn edit_and_frame(&mut self, i: u32) {
        let Some(p) = self.first_vertex() else {
            return;
        };
        let to = LonLat::new(
            p.lon + if i.is_multiple_of(2) { 1e-4 } else { -1e-4 },
            p.lat,
        );
        let edit = self.world.case.geometry_edit(GeometryEdit::MoveVertex {
            at: VertexRef::new(0, 0, 0, 0),
            to,
        });
        let _ = self.world.case.apply(&edit);
        self.revision += 1;
        self.frame();
    }

    fn frame(&mut self) {
        let _ = self.frame_with(Vec::new());
    }

    /// Draws a frame with these input events; applies the edits the map asked for (as the
    /// app does after the frame) and returns how many there were.
    fn frame_with(&mut self, events: Vec<egui::Event>) -> usize {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            events,
            ..Default::default()
        };
        let (world, revision) = (&mut self.world, self.revision);
        let mut intents = Vec::new();
        let out = self.ctx.run_ui(input, |ui| {
            intents = world.frame_at(ui, revision);
        });
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(prims);
        let mut edits = 0;
        for i in intents {
            if let Intent::Edit { edit, .. } = i {
                let _ = self.world.case.apply(&edit);
                self.revision += 1;
                edits += 1;
            }
        }
        edits
    }
}

fn benches(c: &mut Criterion) {
    let Ok(t) = tempfile::tempdir() else { return };
    let data = t.path().join("data");
    let fifty_k: Vec<Vec<[f64; 2]>> = vec![ragged_ring(50_000, -75.16, 39.95, 0.12)];
    let million: Vec<Vec<[f64; 2]>> = vec![ragged_ring(1_000_000, -75.16, 39.95, 0.12)];
    let mut cases = vec![
        ("50k vertices", write_case(t.path(), "bench-50k", &fifty_k)),
        ("1M vertices", write_case(t.path(), "bench-1m", &million)),
    ];
    let philly = Path::new("/work/shared/corpus/cases/usa-philadelphia");
    if philly.join("index.md").is_file() {
        cases.push((
            "Philadelphia (158 polygons, 14.5k vertices)",
            philly.to_path_buf(),
        ));
    }

    let mut g = c.benchmark_group("map frame at full extent");
    for (name, dir) in &cases {
        let Some(mut b) = Bench::open(dir, &data) else {
            continue;
        };
        g.bench_function(*name, |bench| bench.iter(|| b.frame()));
    }
    g.finish();

    let mut i = 0u32;
    view_group(
        c,
        "map frame while panning",
        None,
        &cases,
        &data,
        |map, center, zoom| {
            i = (i + 1) % 200;
            let dx = (f64::from(i) - 100.0) * 0.0002;
            map.set_view(LonLat::new(center.lon + dx, center.lat), zoom);
        },
    );
    let mut flip = false;
    view_group(
        c,
        "map frame after a zoom level change (caches rebuilt)",
        Some(20),
        &cases,
        &data,
        |map, center, zoom| {
            flip = !flip;
            map.set_view(center, zoom.floor() + if flip { 1.2 } else { 0.2 });
        },
    );
}

/// A group that times one frame per case after `move_view` moved the view away from the
/// centre and zoom the case opened at.
fn view_group(
    c: &mut Criterion,
    title: &str,
    sample_size: Option<usize>,
    cases: &[(&str, PathBuf)],
    data: &Path,
    mut move_view: impl FnMut(&mut MapState, LonLat, f64),
) {
    let mut g = c.benchmark_group(title);
    if let Some(n) = sample_size {
        g.sample_size(n);
    }
    for (name, dir) in cases {
        let Some(mut b) = Bench::open(dir, data) else {
            continue;
        };
        let Some(xf) = b.world.map.xform() else {
            continue;
        };
        let center = casebook::ui::map::geo2d::from_world(xf.center);
        g.bench_function(*name, |bench| {
            bench.iter(|| {
                move_view(&mut b.world.map, center, xf.zoom);
                b.frame();
            })
        });
    }
    g.finish();
}

fn edit_benches(c: &mut Criterion) {
    let Ok(t) = tempfile::tempdir() else { return };
    let data = t.path().join("data");
    let mut g = c.benchmark_group("map frame right after a vertex move (caches rebuilt)");
    g.sample_size(10);
    for (name, n) in [("50k vertices", 50_000), ("1M vertices", 1_000_000)] {
        let dir = write_case(
            t.path(),
            &format!("edit-{n}"),
            &[ragged_ring(n, -75.16, 39.95, 0.12)],
        );
        let Some(mut b) = Bench::open(&dir, &data) else {
            continue;
        };
        let mut i = 0u32;
        g.bench_function(name, |bench| {
            bench.iter(|| {
                i += 1;
                b.edit_and_frame(i);
            })
        });
    }
    g.finish();
}

/// Drags the first vertex of a 1,000,000-vertex polygon with the pointer, zoomed in so that
/// its handles show (as an author would): the frames while the pointer moves, and the frame
/// that draws the moved vertex after the release (the edit applied, the caches brought up to
/// date).
fn drag_benches(c: &mut Criterion) {
    use egui::{Event, PointerButton, Pos2};
    let Ok(t) = tempfile::tempdir() else { return };
    let data = t.path().join("data");
    let dir = write_case(
        t.path(),
        "drag-1m",
        &[ragged_ring(1_000_000, -75.16, 39.95, 0.12)],
    );
    let Some(mut b) = Bench::open(&dir, &data) else {
        return;
    };
    let Some(v0) = b.first_vertex() else {
        return;
    };
    let press = |p: Pos2, pressed: bool| Event::PointerButton {
        pos: p,
        button: PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    // One drag: press on the vertex, `moves` moves of 3 points, release. Returns the time of
    // the move frames, of the release frame, and of the frame after it.
    let drag = |b: &mut Bench, moves: usize| -> Option<[std::time::Duration; 3]> {
        let v = b.first_vertex()?;
        let at = b.world.map.screen_pos(v)?;
        b.frame_with(vec![Event::PointerMoved(at)]);
        b.frame_with(vec![press(at, true)]);
        let mut p = at;
        let step = if b.revision.is_multiple_of(2) {
            3.0
        } else {
            -3.0
        };
        let t0 = std::time::Instant::now();
        for _ in 0..moves {
            p += egui::vec2(step, step * 0.5);
            b.frame_with(vec![Event::PointerMoved(p)]);
        }
        let moving = t0.elapsed();
        let t1 = std::time::Instant::now();
        let edits = b.frame_with(vec![press(p, false)]);
        let release = t1.elapsed();
        let t2 = std::time::Instant::now();
        b.frame_with(vec![Event::PointerMoved(p + egui::vec2(40.0, 40.0))]);
        let after = t2.elapsed();
        (edits == 1).then_some([moving, release, after])
    };
    // The widest zoom at which the vertex has a handle (at most 1,500 vertices in view).
    let mut zoom = None;
    for z in [18.5, 19.5, 20.5, 21.5] {
        b.world.map.set_view(v0, z);
        for _ in 0..3 {
            b.frame();
        }
        if drag(&mut b, 4).is_some() {
            zoom = Some(z);
            break;
        }
    }
    let Some(zoom) = zoom else {
        eprintln!("drag bench: the drag did not move the vertex");
        return;
    };
    let (all, drawn) = b.world.map.drawn_points();
    eprintln!("drag bench: zoom {zoom}, {all} vertices, {drawn} drawn");
    let mut g = c.benchmark_group("drag one vertex of a 1M-vertex polygon");
    g.sample_size(10);
    // The total time of one part of the drags ([moving, release, after]) over `iters`: one
    // moving frame an iteration (drags of up to 8 moves), else one drag of 2 moves.
    let mut timed = |iters: u64, part: usize| {
        let mut total = std::time::Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let n = if part == 0 { left.min(8) } else { 1 };
            let moves = if part == 0 { n as usize } else { 2 };
            if let Some(times) = drag(&mut b, moves) {
                total += times[part];
            }
            left -= n;
        }
        total
    };
    for (name, part) in [
        ("frame while the pointer moves", 0),
        ("release frame (the edit applied after it)", 1),
        ("first frame after the release (caches updated)", 2),
    ] {
        g.bench_function(name, |bench| bench.iter_custom(|iters| timed(iters, part)));
    }
    g.finish();
}

criterion_group!(map, benches, edit_benches, drag_benches);
criterion_main!(map);
