//! The map view driven like a user would: clicks and drags on the map, toolbar buttons found
//! by their accessible labels, edits applied to a real case, files checked on disk. Online
//! tiles come from a tile server started on 127.0.0.1 by the test; nothing reaches the
//! internet.

#[path = "support/map_world.rs"]
mod map_world;
#[path = "support/sample.rs"]
mod sample;
#[path = "support/tiles.rs"]
mod tiles;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use casebook::app::settings::Basemap;
use casebook::ui::Intent;
use casebook::ui::map::{TileSourceSpec, Tool};
use casebook_core::case::Case;
use casebook_core::edit::Edit;
use casebook_core::geometry::LonLat;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use map_world::MapWorld;
use tiles::spec_for;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The map alone (`MapWorld`) and what it asked for: edits are applied, with their inverses
/// kept for undo.
struct World {
    view: MapWorld,
    revision: u64,
    /// Inverses of the applied edits, newest last, with their labels.
    undo: Vec<(Edit, String)>,
    errors: Vec<String>,
    others: Vec<Intent>,
}

impl std::ops::Deref for World {
    type Target = MapWorld;
    fn deref(&self) -> &MapWorld {
        &self.view
    }
}

impl std::ops::DerefMut for World {
    fn deref_mut(&mut self) -> &mut MapWorld {
        &mut self.view
    }
}

impl World {
    fn new(case: Case, data_dir: &Path) -> World {
        World {
            view: MapWorld::new(case, data_dir),
            revision: 0,
            undo: Vec::new(),
            errors: Vec::new(),
            others: Vec::new(),
        }
    }

    fn frame(&mut self, ui: &mut egui::Ui) {
        let intents = self.view.frame_at(ui, self.revision);
        for intent in intents {
            match intent {
                Intent::Edit { edit, label, .. } => match self.view.case.apply(&edit) {
                    Ok(Some(inverse)) => {
                        self.undo.push((inverse, label));
                        self.revision += 1;
                    }
                    Ok(None) => {}
                    Err(e) => self.errors.push(format!("{label}: {e}")),
                },
                other => self.others.push(other),
            }
        }
    }

    fn labels(&self) -> Vec<&str> {
        self.undo.iter().map(|(_, l)| l.as_str()).collect()
    }

    fn undo_last(&mut self) -> Result<(), String> {
        let (inverse, _) = self.undo.pop().ok_or("nothing to undo")?;
        self.case.apply(&inverse).map_err(|e| e.to_string())?;
        self.revision += 1;
        Ok(())
    }

    fn exterior(&self, polygon: usize) -> Vec<LonLat> {
        self.case
            .geometry()
            .and_then(|d| d.shape(0))
            .and_then(|s| s.polygons.get(polygon))
            .and_then(|p| p.rings.first())
            .cloned()
            .unwrap_or_default()
    }
}

const CENTER: LonLat = LonLat::new(-0.1263, 51.5342);
const ZOOM: f64 = 15.0;

/// Web Mercator, inverted here independently of the map's own code.
fn expected_lonlat(screen: Pos2, map_center: Pos2, center: LonLat, zoom: f64) -> LonLat {
    let scale = 256.0 * 2f64.powf(zoom);
    let cx = (center.lon + 180.0) / 360.0;
    let lat = center.lat.to_radians();
    let cy = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    let wx = cx + f64::from(screen.x - map_center.x) / scale;
    let wy = cy + f64::from(screen.y - map_center.y) / scale;
    let lon = wx * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * wy))
        .sinh()
        .atan()
        .to_degrees();
    LonLat::new(lon, lat)
}

fn close(a: LonLat, b: LonLat) -> bool {
    (a.lon - b.lon).abs() < 2e-6 && (a.lat - b.lat).abs() < 2e-6
}

/// A case with no geometry yet, in a temporary folder.
fn empty_case(root: &Path) -> Result<Case, Box<dyn std::error::Error>> {
    let dir = root.join("gbr-test-case");
    std::fs::create_dir_all(&dir)?;
    let text = "---\ntitle: Test case\nstatus: Draft\ntype: district\ncity: London\ncountry_code: GBR\n---\n\n## Overview\n\nText.\n";
    std::fs::write(dir.join("index.md"), text)?;
    Ok(Case::open(&dir)?)
}

fn harness(world: World) -> Harness<'static, World> {
    Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(240)
        .build_ui_state(|ui, w: &mut World| w.frame(ui), world)
}

/// The map on a case with no geometry yet, at `CENTER` and `ZOOM`, after its first frames;
/// the temporary folder (removed when dropped) and the harness.
fn empty_map() -> Result<(tempfile::TempDir, Harness<'static, World>), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let mut world = World::new(empty_case(tmp.path())?, tmp.path());
    world.map.set_view(CENTER, ZOOM);
    let mut h = harness(world);
    h.run();
    Ok((tmp, h))
}

/// Whether some control's value starts with `start` (a dialog's summary line).
fn shows_value(h: &Harness<'_, World>, start: &str) -> bool {
    h.query_all_by(|n| n.value().is_some_and(|v| v.starts_with(start)))
        .next()
        .is_some()
}

/// `empty_map` with a triangle drawn in the middle (`draw_triangle`).
fn map_with_a_triangle()
-> Result<(tempfile::TempDir, Harness<'static, World>), Box<dyn std::error::Error>> {
    let (tmp, mut h) = empty_map()?;
    draw_triangle(&mut h, Vec2::ZERO);
    Ok((tmp, h))
}

/// Clicks the control labelled `label` (a toolbar button) and runs the frames that follow.
fn click_label(h: &mut Harness<'_, World>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Asserts that no edit failed and that the edits applied so far are `labels`; the world.
#[track_caller]
fn edits_were<'h>(h: &'h Harness<'_, World>, labels: &[&str]) -> &'h World {
    let w = h.state();
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    assert_eq!(w.labels(), labels);
    w
}

fn map_center(h: &Harness<'_, World>) -> Pos2 {
    h.state()
        .map
        .xform()
        .map_or(Pos2::ZERO, |x| x.rect.center())
}

fn click(h: &mut Harness<'_, World>, p: Pos2) {
    h.hover_at(p);
    h.event(Event::PointerButton {
        pos: p,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(Event::PointerButton {
        pos: p,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    // Let the double-click window pass.
    for _ in 0..25 {
        h.step();
    }
}

fn drag(h: &mut Harness<'_, World>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.drag_at(from);
    for i in 1..=6 {
        h.hover_at(from + (to - from) * (i as f32 / 6.0));
    }
    h.drop_at(to);
    h.run();
}

/// Draws the triangle and returns the screen points clicked (in clicking order) and the map's
/// centre on screen when they were clicked.
fn draw_triangle(h: &mut Harness<'_, World>, offset: Vec2) -> ([Pos2; 3], Pos2) {
    click_label(h, "Draw polygon");
    let mc = map_center(h);
    let c = mc + offset;
    // Clockwise on screen; the file must still come out counter-clockwise.
    let pts = [
        c + vec2(-100.0, 60.0),
        c + vec2(0.0, -90.0),
        c + vec2(100.0, 60.0),
    ];
    for p in pts {
        click(h, p);
    }
    // Clicking the first point closes the polygon.
    click(h, pts[0]);
    (pts, mc)
}

fn saved_geojson(case: &Case) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let path = case.dir().join("gbr-test-case.geojson");
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

fn signed_area(ring: &[serde_json::Value]) -> f64 {
    let pts: Vec<(f64, f64)> = ring
        .iter()
        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect();
    pts.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

#[test]
fn draws_a_triangle_that_is_saved_where_it_was_clicked() -> TestResult {
    let (_tmp, mut h) = empty_map()?;
    let xf = h.state().map.xform().ok_or("no map drawn")?;
    assert!((xf.zoom - ZOOM).abs() < 1e-9);
    let (pts, mc) = draw_triangle(&mut h, Vec2::ZERO);
    let expected: Vec<LonLat> = pts
        .iter()
        .map(|p| expected_lonlat(*p, mc, CENTER, ZOOM))
        .collect();

    let w = edits_were(&h, &["Draw polygon"]);
    let ring = w.exterior(0);
    assert_eq!(ring.len(), 3, "{ring:?}");
    // A new ring is wound as RFC 7946 asks (counter-clockwise), from the first point clicked.
    assert!(close(ring[0], expected[0]), "{ring:?}");
    assert_eq!(
        casebook_core::geometry::ring_is_clockwise(&ring),
        Some(false)
    );
    for want in &expected {
        assert!(
            ring.iter().any(|got| close(*got, *want)),
            "{want:?} not in {ring:?}"
        );
    }
    assert_eq!(
        w.case
            .doc()
            .text_of(casebook_core::fields::Field::Geography)
            .as_deref(),
        Some("./gbr-test-case.geojson")
    );

    // Save and read the file back.
    let w = h.state_mut();
    w.case.save(false)?;
    let json = saved_geojson(&w.case)?;
    let geometry = &json["features"][0]["geometry"];
    assert_eq!(geometry["type"], "Polygon");
    let ring = geometry["coordinates"][0].as_array().ok_or("no ring")?;
    assert_eq!(ring.len(), 4, "closed ring of 3 points");
    assert_eq!(ring[0], ring[3], "the ring is closed");
    assert!(
        signed_area(ring) > 0.0,
        "exterior rings are counter-clockwise"
    );
    for want in &expected {
        let found = ring.iter().any(|p| {
            let (Some(lon), Some(lat)) = (p[0].as_f64(), p[1].as_f64()) else {
                return false;
            };
            close(LonLat::new(lon, lat), *want)
        });
        assert!(found, "{want:?} not in {ring:?}");
    }
    Ok(())
}

#[test]
fn dragging_a_vertex_is_one_undoable_edit() -> TestResult {
    let (_tmp, mut h) = map_with_a_triangle()?;
    let before = h.state().exterior(0);
    let v = before[1];
    let from = h.state().map.screen_pos(v).ok_or("no map")?;
    let to = from + vec2(40.0, -25.0);
    drag(&mut h, from, to);

    let mc = map_center(&h);
    let want = expected_lonlat(to, mc, CENTER, ZOOM);
    let w = h.state_mut();
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    assert_eq!(
        w.labels(),
        vec!["Draw polygon", "Move vertex"],
        "one drag, one edit"
    );
    let after = w.exterior(0);
    assert!(close(after[1], want), "{:?} != {want:?}", after[1]);
    assert_eq!(after[0], before[0]);
    // The map did not pan while the vertex was dragged.
    let xf = w.map.xform().ok_or("no map")?;
    assert!(close(geo_center(&xf), CENTER), "the map moved");

    w.undo_last()?;
    assert_eq!(w.exterior(0), before);
    Ok(())
}

fn geo_center(xf: &casebook::ui::map::geo2d::Xform) -> LonLat {
    casebook::ui::map::geo2d::from_world(xf.center)
}

#[test]
fn removing_a_vertex_of_a_triangle_offers_to_remove_the_polygon() -> TestResult {
    let (_tmp, mut h) = map_with_a_triangle()?;
    let v = h.state().exterior(0)[2];
    let p = h.state().map.screen_pos(v).ok_or("no map")?;
    click(&mut h, p);
    assert_eq!(h.state().map.selection().and_then(|s| s.vertex), Some(2));
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(
        h.state().labels(),
        vec!["Draw polygon"],
        "nothing removed yet"
    );
    assert_eq!(h.state().exterior(0).len(), 3);
    click_label(&mut h, "Remove polygon");
    let w = h.state();
    assert_eq!(w.labels(), vec!["Draw polygon", "Remove polygon"]);
    assert_eq!(w.case.geometry().map(|d| d.shapes().len()), Some(0));
    Ok(())
}

#[test]
fn centroid_from_boundary_writes_lat_lon() -> TestResult {
    let (_tmp, mut h) = map_with_a_triangle()?;
    click_label(&mut h, "Centroid from boundary");
    let w = h.state();
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    assert_eq!(w.labels().last(), Some(&"Set centroid"));
    let ring = w.exterior(0);
    let want_lon = ring.iter().map(|p| p.lon).sum::<f64>() / 3.0;
    let want_lat = ring.iter().map(|p| p.lat).sum::<f64>() / 3.0;
    let value = w.case.doc().value("centroid").ok_or("no centroid")?;
    let c = casebook_core::fields::Centroid::from_value(value).ok_or("bad centroid")?;
    assert!(
        (c.lat - want_lat).abs() < 2e-6 && (c.lon - want_lon).abs() < 2e-6,
        "{c:?}"
    );
    // Written [lat, lon] with 6 decimals.
    let text = String::from_utf8(w.case.index_bytes())?;
    let line = text
        .lines()
        .find(|l| l.starts_with("centroid:"))
        .ok_or("no centroid line")?;
    assert!(line.starts_with("centroid: ["), "{line}");
    let decimals = |x: f64| format!("{x}").split('.').nth(1).map_or(0, str::len);
    assert!(decimals(c.lat) <= 6 && decimals(c.lon) <= 6, "{line}");
    Ok(())
}

#[test]
fn draws_a_hole_and_a_second_polygon() -> TestResult {
    let (_tmp, mut h) = map_with_a_triangle()?;

    // A hole: click inside, add points, press Enter.
    click_label(&mut h, "Draw hole");
    let c = map_center(&h);
    for d in [vec2(-20.0, 30.0), vec2(20.0, 30.0), vec2(0.0, 0.0)] {
        click(&mut h, c + d);
    }
    h.key_press(Key::Enter);
    h.run();
    {
        let w = edits_were(&h, &["Draw polygon", "Add hole"]);
        let polygon = &w.case.geometry().ok_or("no geometry")?.shapes()[0].polygons[0];
        assert_eq!(polygon.rings.len(), 2);
        assert_eq!(polygon.rings[1].len(), 3);
    }

    // A second polygon far to the right, finished with a double-click.
    assert_eq!(h.state().map.tool(), Tool::Select);
    click_label(&mut h, "Draw polygon");
    let c = map_center(&h) + vec2(230.0, 0.0);
    for d in [vec2(-40.0, 40.0), vec2(40.0, 40.0)] {
        click(&mut h, c + d);
    }
    let last = c + vec2(0.0, -40.0);
    h.hover_at(last);
    for _ in 0..2 {
        h.event(Event::PointerButton {
            pos: last,
            button: PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::NONE,
        });
        h.event(Event::PointerButton {
            pos: last,
            button: PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    let w = h.state_mut();
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    assert!(w.map.draft_points().is_empty());
    assert_eq!(w.labels(), vec!["Draw polygon", "Add hole", "Draw polygon"]);
    assert_eq!(w.exterior(1).len(), 3);
    w.case.save(false)?;
    let json = saved_geojson(&w.case)?;
    let geometry = &json["features"][0]["geometry"];
    assert_eq!(geometry["type"], "MultiPolygon");
    assert_eq!(geometry["coordinates"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        geometry["coordinates"][0].as_array().map(Vec::len),
        Some(2),
        "exterior and hole"
    );
    Ok(())
}

#[test]
fn the_vertex_table_moves_a_point_with_the_keyboard() -> TestResult {
    let (_tmp, mut h) = map_with_a_triangle()?;
    let field = h.get_by_label("Latitude 2");
    field.focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Latitude 2").type_text("51.54");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let w = edits_were(&h, &["Draw polygon", "Move vertex"]);
    assert_eq!(w.exterior(0)[1].lat, 51.54);
    Ok(())
}

#[test]
fn the_sample_boundary_shows_with_its_area() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/gbr-kings-cross");
    let dir = tmp.path().join("gbr-kings-cross");
    std::fs::create_dir_all(&dir)?;
    for entry in std::fs::read_dir(&sample)? {
        let entry = entry?;
        std::fs::copy(entry.path(), dir.join(entry.file_name()))?;
    }
    let world = World::new(Case::open(&dir)?, tmp.path());
    let mut h = harness(world);
    h.run();
    h.get_by_label("Map");
    assert!(
        h.query_all_by_value("./gbr-kings-cross.geojson")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by(|n| n.value().is_some_and(|v| v.starts_with("Area: ")))
            .next()
            .is_some(),
        "the area is shown"
    );
    // Fitted: the whole boundary is in view.
    let w = h.state();
    let xf = w.map.xform().ok_or("no map")?;
    for p in w.exterior(0) {
        assert!(xf.rect.contains(xf.ll_to_screen(p)), "{p:?} is off screen");
    }
    Ok(())
}

// ---- Online tiles, from a tile server on 127.0.0.1 ----

/// A tiny HTTP tile server: answers `GET /z/x/y.png` with a PNG, cacheable for a day.
struct TileServer {
    port: u16,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TileServer {
    fn start() -> Result<TileServer, Box<dyn std::error::Error>> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let png = tile_png()?;
        let (r, s) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                        let mut buf = Vec::new();
                        let mut chunk = [0u8; 1024];
                        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                            match stream.read(&mut chunk) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        let request = String::from_utf8_lossy(&buf);
                        if request.starts_with("GET /") {
                            r.fetch_add(1, Ordering::SeqCst);
                            let head = format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nCache-Control: public, max-age=86400\r\nConnection: close\r\n\r\n",
                                png.len()
                            );
                            let _ = stream.write_all(head.as_bytes());
                            let _ = stream.write_all(&png);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Ok(TileServer {
            port,
            requests,
            stop,
            thread: Some(thread),
        })
    }

    fn spec(&self) -> TileSourceSpec {
        spec_for(self.port)
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn tile_png() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([200, 220, 240, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn online_world(
    data_dir: &Path,
    spec: TileSourceSpec,
) -> Result<World, Box<dyn std::error::Error>> {
    let mut world = World::new(empty_case(data_dir)?, data_dir);
    world.settings.basemap = Basemap::OpenStreetMap;
    world.settings.online_tiles = true;
    world.map.set_tile_source(Some(spec));
    world.map.set_view(LonLat::new(0.0, 20.0), 3.0);
    Ok(world)
}

/// Steps (in real time) until `done` or the timeout.
fn step_until(
    h: &mut Harness<'_, World>,
    timeout: Duration,
    done: impl Fn(&World) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        h.step();
        if done(h.state()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn files_in(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            let p = e.path();
            if p.is_dir() { files_in(&p) } else { 1 }
        })
        .sum()
}

#[test]
fn online_tiles_load_are_cached_and_come_back_offline() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut server = TileServer::start()?;

    // First run: tiles are downloaded and drawn.
    let mut h = harness(online_world(tmp.path(), server.spec())?);
    let loaded = step_until(&mut h, Duration::from_secs(20), |w| {
        w.map.tile_stats().loaded >= 4
    });
    assert!(
        loaded,
        "tiles did not load: {:?}",
        h.state().map.tile_stats()
    );
    assert!(server.requests.load(Ordering::SeqCst) >= 4);
    assert!(!h.state().map.tile_stats().unavailable);
    // Let the downloads in flight finish so the cache holds them.
    step_until(&mut h, Duration::from_secs(5), |w| {
        w.map.tile_stats().in_progress == 0
    });
    drop(h);
    let cache = tmp.path().join("tiles").join("test-server");
    assert!(
        files_in(&cache) > 0,
        "nothing cached in {}",
        cache.display()
    );

    // Second run with the server stopped: the tiles come from the disk cache.
    let before = server.requests.load(Ordering::SeqCst);
    server.stop();
    let mut h = harness(online_world(tmp.path(), server.spec())?);
    let loaded = step_until(&mut h, Duration::from_secs(20), |w| {
        w.map.tile_stats().loaded >= 4
    });
    assert!(
        loaded,
        "cached tiles did not load: {:?}",
        h.state().map.tile_stats()
    );
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        before,
        "no request reached the server"
    );
    Ok(())
}

#[test]
fn without_a_tile_server_the_offline_basemap_stays_with_a_note() -> TestResult {
    let tmp = tempfile::tempdir()?;
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut h = harness(online_world(tmp.path(), spec_for(port))?);
    let gave_up = step_until(&mut h, Duration::from_secs(15), |w| {
        w.map.tile_stats().unavailable && w.map.tile_failure_note().is_some()
    });
    assert!(gave_up, "{:?}", h.state().map.tile_stats());
    h.run();
    let note = format!(
        "Map tiles could not be loaded (127.0.0.1:{port} refused the connection); showing the offline basemap"
    );
    assert!(h.query_all_by_value(&note).next().is_some());
    assert!(
        h.query_all_by_label_contains("Natural Earth")
            .next()
            .is_some()
    );
    assert_eq!(h.state().map.tile_stats().loaded, 0);
    Ok(())
}

fn sample_case(root: &Path) -> Result<Case, Box<dyn std::error::Error>> {
    Ok(Case::open(&sample::copy_sample(root)?)?)
}

#[test]
fn every_control_has_its_accessible_name() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut h = harness(World::new(sample_case(tmp.path())?, tmp.path()));
    h.run();
    // Select the polygon so that its points are listed.
    let inside = {
        let w = h.state();
        let ring = w.exterior(0);
        let n = ring.len() as f64;
        let c = LonLat::new(
            ring.iter().map(|p| p.lon).sum::<f64>() / n,
            ring.iter().map(|p| p.lat).sum::<f64>() / n,
        );
        // Between the middle (where the centroid marker is) and the first point.
        let mid = w.map.screen_pos(c).ok_or("no map")?;
        let first = w.map.screen_pos(ring[0]).ok_or("no map")?;
        mid + (first - mid) * 0.4
    };
    click(&mut h, inside);
    assert!(h.state().map.selection().is_some());
    for label in [
        "Select",
        "Draw polygon",
        "Draw hole",
        "Delete polygon",
        "Set centroid",
        "Centroid from boundary",
        "Simplify…",
        "Import GeoJSON…",
        "Paste coordinates…",
        "Fit to boundary",
        "Map",
        "Zoom in",
        "Zoom out",
        "Basemap",
        "Latitude 1",
        "Longitude 1",
        "Remove point 1",
    ] {
        assert!(
            h.query_all_by_label(label).next().is_some(),
            "no control named {label:?}"
        );
    }
    click_label(&mut h, "Import GeoJSON…");
    assert!(h.state().others.iter().any(|i| matches!(
        i,
        Intent::Pick(casebook::app::files::Purpose::ImportGeometry)
    )));
    Ok(())
}

#[test]
fn pasted_lat_lon_lines_replace_the_boundary() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut h = harness(World::new(sample_case(tmp.path())?, tmp.path()));
    h.run();
    click_label(&mut h, "Paste coordinates…");
    h.get_by_label("Coordinates to paste").focus();
    h.run();
    h.get_by_label("Coordinates to paste")
        .type_text("51.5300, -0.1300\n51.5300, -0.1200\n51.5400, -0.1250\n");
    h.run();
    assert!(
        shows_value(&h, "Read as \"lat, lon\" lines: 1 polygon"),
        "the preview says what was read"
    );
    click_label(&mut h, "Replace boundary");
    let w = edits_were(&h, &["Paste boundary"]);
    assert_eq!(
        w.exterior(0),
        vec![
            LonLat::new(-0.13, 51.53),
            LonLat::new(-0.12, 51.53),
            LonLat::new(-0.125, 51.54)
        ]
    );
    Ok(())
}

#[test]
fn simplify_shows_the_counts_and_applies() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut world = World::new(empty_case(tmp.path())?, tmp.path());
    // A circle of 2,000 points, about 1 km across.
    let ring: Vec<LonLat> = (0..2000)
        .map(|i| {
            let a = f64::from(i) / 2000.0 * std::f64::consts::TAU;
            LonLat::new(CENTER.lon + 0.007 * a.cos(), CENTER.lat + 0.0045 * a.sin())
        })
        .collect();
    let edit = world
        .case
        .geometry_edit(casebook_core::geometry::GeometryEdit::AddShape {
            polygons: vec![casebook_core::geometry::Polygon::from_exterior(ring)],
        });
    world.case.apply(&edit)?;
    world.revision += 1;
    let mut h = harness(world);
    h.run();
    click_label(&mut h, "Simplify…");
    assert!(
        shows_value(&h, "Points: 2,000 now, "),
        "before and after counts are shown"
    );
    click_label(&mut h, "Apply");
    let w = edits_were(&h, &["Simplify boundary"]);
    let n = w.exterior(0).len();
    assert!((8..2000).contains(&n), "{n} points left");
    Ok(())
}

#[test]
fn shift_drag_moves_the_whole_polygon() -> TestResult {
    let (_tmp, mut h) = empty_map()?;
    let (pts, _) = draw_triangle(&mut h, Vec2::ZERO);
    let before = h.state().exterior(0);
    // Inside the triangle, away from its points and the centroid marker.
    let inside = pts[0] + (pts[1] - pts[0]) * 0.3 + (pts[2] - pts[0]) * 0.3;
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.hover_at(inside);
    h.event(Event::PointerButton {
        pos: inside,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::SHIFT,
    });
    for i in 1..=5 {
        h.hover_at(inside + vec2(10.0 * i as f32, 0.0));
    }
    h.event(Event::PointerButton {
        pos: inside + vec2(50.0, 0.0),
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::SHIFT,
    });
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
    let w = edits_were(&h, &["Draw polygon", "Move polygon"]);
    let after = w.exterior(0);
    let dlon = 50.0 / (256.0 * 2f64.powf(ZOOM)) * 360.0;
    for (a, b) in before.iter().zip(&after) {
        assert!((b.lon - a.lon - dlon).abs() < 2e-6, "{a:?} -> {b:?}");
        assert!((b.lat - a.lat).abs() < 2e-6);
    }
    Ok(())
}

#[test]
fn clicking_the_first_point_too_early_adds_no_duplicate() -> TestResult {
    let (_tmp, mut h) = empty_map()?;
    click_label(&mut h, "Draw polygon");
    let c = map_center(&h);
    let (a, b, d) = (
        c + vec2(-100.0, 60.0),
        c + vec2(0.0, -90.0),
        c + vec2(100.0, 60.0),
    );
    click(&mut h, a);
    click(&mut h, b);
    // Too early to close: nothing is added (the outline would touch itself).
    click(&mut h, a);
    assert_eq!(h.state().map.draft_points().len(), 2);
    click(&mut h, d);
    click(&mut h, a);
    let ring = h.state().exterior(0);
    assert_eq!(ring.len(), 3, "{ring:?}");
    Ok(())
}
