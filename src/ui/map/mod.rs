//! The map view: the case's boundary on a walkers map, drawn and edited with the mouse or
//! the keyboard, over an offline basemap that always works and optional raster tiles.
//!
//! Layout: a toolbar (tools, centroid, simplify, import, paste, fit), a side panel (area,
//! validity, centroid, the selected ring's points) and the map (basemap chooser, zoom
//! buttons, scale bar, attribution and a hint for the active tool float over it).
//!
//! Every change leaves as an [`Intent::Edit`] built with `Case::geometry_edit` (which also
//! writes `geography:` when the case has none), applied by the app after the frame.
//!
//! Files: [`geo2d`] (projection, simplification, clipping, triangulation), [`render`]
//! (geometry caches), `basemap` (offline world), [`tiles`] (online and local tiles),
//! `edit` (tools and pointer), `tools` (toolbar, simplify, paste), `vertex_table`,
//! `overlay`, `analysis` (area, issues).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casebook_core::case::GeoState;
use casebook_core::countries;
use casebook_core::fields::Field;
use casebook_core::geometry::{IssueKind, LonLat, Severity};
use egui::{DragPanButtons, Rect, RichText, Shape, UiBuilder};

use super::tokens::{self, Tokens};
use super::{Focus, Intent, ViewCtx};
use crate::ui::purpose::Purpose;
pub use choice::{Basemap, MapSettings};
use keyboard::map_keyboard;

mod analysis;
mod basemap;
mod choice;
mod edit;
pub mod geo2d;
mod ghost;
mod keyboard;
mod labels;
mod overlay;
mod probe;
pub mod render;
pub mod search;
mod side;
pub mod tiles;
mod tools;
mod vertex_table;

use side::side_ui;

pub use edit::{Selection, Tool};
pub use ghost::{Legend, Reference};
pub use tiles::{TileSourceSpec, TileStats};

use edit::Editing;
use geo2d::{WRect, Xform};

/// The deepest zoom the map allows (about 15 cm per pixel).
pub const MAX_ZOOM: f64 = 22.0;
/// The widest zoom the map allows.
pub const MIN_ZOOM: f64 = 1.0;

/// Widget state of the map view: the map's position, caches, tool and selection.
///
/// It also keeps its own copy of the basemap choice, taken from the settings and replaced
/// whenever they change: a view cannot change settings, so a basemap picked on the map lasts
/// until the settings say otherwise and is not remembered between runs.
pub struct MapState {
    memory: walkers::MapMemory,
    tiles: tiles::TileState,
    basemap: basemap::BasemapCache,
    ed: Editing,
    render: render::RenderCache,
    analysis: analysis::AnalysisCache,
    table: vertex_table::TableState,
    simplify: Option<tools::SimplifyState>,
    paste: Option<tools::PasteState>,
    /// (revision, document address, vertex count): when it changes, the render caches look
    /// for what changed and the fingerprint is recomputed.
    geo_sig: Option<(u64, usize, usize)>,
    key: u64,
    fitted: bool,
    awaiting_geometry: bool,
    pending_fit: bool,
    go_to: Option<(LonLat, Option<f64>)>,
    basemap_choice: Basemap,
    online_tiles: bool,
    local_tiles: Option<PathBuf>,
    seen_settings: Option<(Basemap, bool, Option<PathBuf>)>,
    tile_override: Option<TileSourceSpec>,
    inside: Option<(u64, (u64, u64), bool)>,
    /// A file read for import, waiting for the author's choice.
    import: Option<tools::ImportState>,
    /// A box to bring into view next frame (what was just pasted or imported).
    fit_box: Option<casebook_core::geometry::BoundingBox>,
    /// The place search over the map.
    search: search::SearchState,
    /// Where the pointer is, or last was, over the map.
    pointer: Option<LonLat>,
    /// The repository reference the boundary is compared with (none outside git).
    reference: Option<Reference>,
    /// The boundary at that reference, drawn dashed under the current one.
    ghost: ghost::GhostState,
}

impl Default for MapState {
    fn default() -> Self {
        MapState {
            memory: walkers::MapMemory::default(),
            tiles: Default::default(),
            basemap: Default::default(),
            ed: Default::default(),
            render: Default::default(),
            analysis: Default::default(),
            table: Default::default(),
            simplify: None,
            paste: None,
            geo_sig: None,
            key: 0,
            fitted: false,
            awaiting_geometry: false,
            pending_fit: false,
            go_to: None,
            basemap_choice: Basemap::Offline,
            online_tiles: true,
            local_tiles: None,
            seen_settings: None,
            tile_override: None,
            inside: None,
            import: None,
            fit_box: None,
            search: Default::default(),
            pointer: None,
            reference: None,
            ghost: Default::default(),
        }
    }
}

/// The tile URL from [`tiles::TILE_URL_ENV`], read once.
fn env_tile_source() -> Option<&'static TileSourceSpec> {
    static SPEC: OnceLock<Option<TileSourceSpec>> = OnceLock::new();
    SPEC.get_or_init(|| {
        std::env::var(tiles::TILE_URL_ENV)
            .ok()
            .filter(|u| !u.trim().is_empty())
            .map(|u| TileSourceSpec::custom(u.trim()))
    })
    .as_ref()
}

impl MapState {
    /// Centres the map on `center` at `zoom` (and stops it from fitting itself).
    pub fn set_view(&mut self, center: LonLat, zoom: f64) {
        self.memory
            .center_at(walkers::lon_lat(center.lon, center.lat));
        let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
        self.fitted = true;
        self.awaiting_geometry = false;
        self.pending_fit = false;
    }

    /// The map's transform in the last frame (where it was on screen, centre and zoom).
    pub fn xform(&self) -> Option<Xform> {
        self.ed.last_xf
    }

    /// Where a position was on screen in the last frame.
    pub fn screen_pos(&self, p: LonLat) -> Option<egui::Pos2> {
        self.ed.last_xf.map(|x| x.ll_to_screen(p))
    }

    /// The position under a screen point in the last frame.
    pub fn lonlat_at(&self, p: egui::Pos2) -> Option<LonLat> {
        self.ed.last_xf.map(|x| x.to_lonlat(p))
    }

    /// Uses this tile server for the online basemaps instead of OpenStreetMap or CARTO
    /// (tests, mirrors); `None` goes back to the real ones.
    pub fn set_tile_source(&mut self, spec: Option<TileSourceSpec>) {
        self.tile_override = spec;
    }

    /// Chooses the basemap (until the settings change).
    pub fn set_basemap(&mut self, basemap: Basemap, online: bool) {
        self.basemap_choice = basemap;
        self.online_tiles = online;
    }

    /// The basemap chosen on the map and whether online tiles are allowed (the app saves
    /// them in the settings); `None` until the map has been shown and read the settings.
    pub fn basemap_choice(&self) -> Option<(Basemap, bool)> {
        self.seen_settings.as_ref()?;
        Some((self.basemap_choice, self.online_tiles))
    }

    /// What is known about the tiles.
    pub fn tile_stats(&self) -> &TileStats {
        &self.tiles.stats
    }

    /// Asks how to import what was read from `file` (shown beside the map).
    pub fn offer_import(&mut self, file: String, imported: casebook_core::geometry::Imported) {
        self.import = Some(tools::ImportState { file, imported });
    }

    /// Whether an import waits for the author's choice.
    pub fn import_pending(&self) -> bool {
        self.import.is_some()
    }

    /// The polygon the keyboard is on (shape, polygon), if the map has been used with Tab.
    pub fn keyboard_polygon(&self) -> Option<(usize, usize)> {
        self.ed.kb_polygon
    }

    /// The active tool.
    pub fn tool(&self) -> Tool {
        self.ed.tool
    }

    /// Switches tool.
    pub fn set_tool(&mut self, tool: Tool) {
        self.ed.set_tool(tool);
    }

    /// The points placed so far of the polygon or hole being drawn.
    pub fn draft_points(&self) -> &[LonLat] {
        self.ed.draft.as_ref().map_or(&[], |d| d.points.as_slice())
    }

    /// The selected ring and vertex.
    pub fn selection(&self) -> Option<Selection> {
        self.ed.selection
    }

    /// Selects a ring (and vertex).
    pub fn select(&mut self, selection: Option<Selection>) {
        self.ed.selection = selection;
    }

    /// Vertices of the geometry, and how many of them the current level of detail draws.
    pub fn drawn_points(&self) -> (usize, usize) {
        (
            self.render.projected.vertex_count,
            self.render.drawn_points(),
        )
    }

    /// Moves the keyboard focus to the place search (Ctrl+K) when the map is next drawn.
    pub fn focus_search(&mut self) {
        self.search.focus_next = true;
    }

    /// The places the search lists now ("Suzhou, Jiangsu, China"), empty when the list is
    /// closed.
    pub fn place_candidates(&self) -> Vec<String> {
        self.search.candidates()
    }

    /// The city names the offline basemap drew in the last frame, with their places'
    /// positions and the names' screen rects.
    pub fn city_labels(&self) -> &[(String, LonLat, Rect)] {
        &self.basemap.cities.placed
    }

    /// Where the pointer is, or last was, over the map (the coordinates shown).
    pub fn pointer_position(&self) -> Option<LonLat> {
        self.pointer
    }

    /// The note about tiles that could not be loaded, as shown (None when none is).
    pub fn tile_failure_note(&self) -> Option<String> {
        self.tiles.failure_note()
    }

    /// Sets the repository reference the boundary is compared with (`None` outside a
    /// repository): the app passes what the Changes window chose, every frame; the file is
    /// read at the reference again only when it changes.
    pub fn set_reference(&mut self, reference: Option<Reference>) {
        self.reference = reference;
    }

    /// What the reference boundary's legend says now (`None`: nothing, e.g. unchanged).
    pub fn reference_legend(&self) -> Option<Legend> {
        let now = self.analysis.current().map(|a| a.as_ref());
        self.ghost.legend(self.key, now)
    }

    /// Whether the reference boundary is shown (the "Reference boundary" toggle).
    pub fn reference_shown(&self) -> bool {
        self.ghost.show
    }

    /// How many times the boundary was read at the reference (tests).
    pub fn reference_reads(&self) -> u64 {
        self.ghost.reads
    }

    /// Waits for the boundary to be read at the reference (tests).
    pub fn wait_for_reference(&mut self) {
        self.ghost.wait();
    }

    /// Waits for a background analysis of a big geometry (tests, benchmarks).
    pub fn wait_for_analysis(&mut self) {
        self.analysis.wait();
    }

    /// Adopts the settings when they changed since last seen (the map may change its own
    /// copy of the basemap choice meanwhile; see the module docs).
    fn sync_settings(&mut self, settings: &MapSettings) {
        let seen = (
            settings.basemap,
            settings.online_tiles,
            settings.local_tiles.clone(),
        );
        if self.seen_settings.as_ref() != Some(&seen) {
            self.basemap_choice = seen.0;
            self.online_tiles = seen.1;
            self.local_tiles = seen.2.clone();
            self.seen_settings = Some(seen);
        }
    }

    /// Brings the caches up to date with the case's geometry.
    fn refresh_geometry(&mut self, cx: &ViewCtx<'_>, ctx: &egui::Context) {
        let doc = cx.case.geometry();
        let sig = (
            cx.revision,
            doc.map_or(0, |d| std::ptr::from_ref(d) as usize),
            doc.map_or(0, |d| d.vertex_count()),
        );
        if self.geo_sig != Some(sig) {
            // Finds what changed (chunks of vertices) and updates only that.
            self.key = self.render.update(doc);
            self.geo_sig = Some(sig);
        }
        self.analysis.update(doc, self.key, ctx);
    }

    fn tile_choice(&self) -> tiles::TileChoice {
        use tiles::TileChoice;
        match self.basemap_choice {
            Basemap::Offline => TileChoice::Offline,
            Basemap::OpenStreetMap | Basemap::CartoPositron if !self.online_tiles => {
                TileChoice::Offline
            }
            Basemap::OpenStreetMap | Basemap::CartoPositron => {
                let spec = self
                    .tile_override
                    .clone()
                    .or_else(|| env_tile_source().cloned())
                    .unwrap_or_else(|| {
                        if self.basemap_choice == Basemap::OpenStreetMap {
                            TileSourceSpec::openstreetmap()
                        } else {
                            TileSourceSpec::carto_positron()
                        }
                    });
                TileChoice::Online(spec)
            }
            Basemap::Local => match &self.local_tiles {
                Some(p) => TileChoice::Local(p.clone()),
                None => TileChoice::Offline,
            },
        }
    }

    /// The box to show when fitting: the geometry, else the centroid, else the case's city
    /// (from the gazetteer), else the country.
    fn fit_target(&self, cx: &ViewCtx<'_>) -> Option<(WRect, Option<f64>)> {
        if let Some(b) = self.render.projected.bbox {
            return Some((b, None));
        }
        if let Some(c) = edit::front_matter_centroid(cx) {
            let w = geo2d::ll_to_world(c);
            return Some((WRect { min: w, max: w }, Some(12.0)));
        }
        let code = cx.case.doc().text_of(Field::CountryCode)?;
        // The city the case names, when the gazetteer knows it in that country (a scan of
        // the country's places: well under a millisecond, no index needed).
        if let Some(city) = cx.case.doc().text_of(Field::City)
            && let Some((at, zoom)) = casebook_core::places::city_view(city.trim(), code.trim())
        {
            let w = geo2d::ll_to_world(at);
            return Some((WRect { min: w, max: w }, Some(zoom)));
        }
        let [w, s, e, n] = countries::bbox(code.trim())?;
        let e = if e < w { e + 360.0 } else { e };
        let a = geo2d::to_world(w, n);
        let b = geo2d::to_world(e, s);
        Some((WRect { min: a, max: b }, None))
    }

    fn fit(&mut self, cx: &ViewCtx<'_>, size: egui::Vec2) {
        let (center, zoom) = match self.fit_target(cx) {
            Some((b, Some(z))) => (b.center(), z),
            Some((b, None)) => (b.center(), geo2d::zoom_to_fit(b, size, 72.0).min(18.0)),
            None => (geo2d::to_world(10.0, 25.0), 2.0),
        };
        let c = geo2d::from_world(center);
        self.memory.center_at(walkers::lon_lat(c.lon, c.lat));
        let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
        self.fitted = true;
    }
}

/// The transform of a walkers projector for a map drawn in `rect`.
pub fn xform_of(projector: &walkers::Projector, rect: Rect) -> Xform {
    let c = projector.unproject(rect.center().to_vec2());
    Xform::new(rect, LonLat::new(c.x(), c.y()), projector.zoom())
}

/// Draws the map view.
pub fn map_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    cx: &ViewCtx<'_>,
    settings: &MapSettings,
    data_dir: &Path,
) -> Vec<Intent> {
    let mut out = Vec::new();
    state.sync_settings(settings);
    state.refresh_geometry(cx, ui.ctx());
    let want = state.reference.clone().and_then(|r| {
        // The boundary file as the case names it, in the case's folder at the reference.
        let path = cx.case.geo().path()?;
        let rel = path.strip_prefix(cx.case.dir()).ok()?;
        let file = r.case_dir.join(rel);
        Some((r, file))
    });
    state.ghost.want(want, ui.ctx());
    state.ed.validate(cx.case.geometry());
    if cx.focus == Some(&Focus::Geometry) {
        state.pending_fit = true;
    }
    let key = state.key;
    let boundary_centroid = state
        .analysis
        .current()
        .filter(|a| a.key == key)
        .and_then(|a| a.centroid);

    let act = tools::toolbar_ui(
        ui,
        &mut state.ed,
        cx,
        boundary_centroid,
        (state.simplify.is_some(), state.paste.is_some()),
        &mut out,
    );
    if act.fit {
        state.pending_fit = true;
    }
    if act.toggle_simplify {
        state.simplify = match state.simplify {
            Some(_) => None,
            None => Some(Default::default()),
        };
    }
    if act.toggle_paste {
        state.paste = match state.paste {
            Some(_) => None,
            None => Some(Default::default()),
        };
    }

    // A third of the view by default, and never much more (also after the window shrinks),
    // so a small window keeps a usable map.
    let w = ui.available_width();
    egui::Panel::right("map-side")
        .resizable(true)
        .default_size((w * 0.33).clamp(220.0, 310.0))
        .min_size(200.0)
        .max_size((w * 0.4).max(200.0))
        .show(ui, |ui| side_ui(ui, state, cx, &mut out));

    let rect = ui.available_rect_before_wrap();
    if rect.width() < 50.0 || rect.height() < 50.0 {
        return out;
    }
    let pending = matches!(cx.case.geo(), GeoState::Pending { .. });
    if !state.fitted || state.pending_fit {
        state.fit(cx, rect.size());
        state.pending_fit = false;
        state.awaiting_geometry = pending;
    } else if state.awaiting_geometry && !pending {
        state.awaiting_geometry = false;
        if state.render.projected.bbox.is_some() {
            state.fit(cx, rect.size());
        }
    }
    if let Some(b) = state.fit_box.take() {
        let a = geo2d::ll_to_world(b.min);
        let c = geo2d::ll_to_world(b.max);
        let w = WRect {
            min: [a[0].min(c[0]), a[1].min(c[1])],
            max: [a[0].max(c[0]), a[1].max(c[1])],
        };
        let zoom = geo2d::zoom_to_fit(w, rect.size(), 72.0).min(18.0);
        let center = geo2d::from_world(w.center());
        state
            .memory
            .center_at(walkers::lon_lat(center.lon, center.lat));
        let _ = state.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
    }
    if let Some((p, zoom)) = state.go_to.take() {
        state.memory.center_at(walkers::lon_lat(p.lon, p.lat));
        if let Some(z) = zoom {
            let _ = state
                .memory
                .set_zoom(z.max(state.memory.zoom()).clamp(MIN_ZOOM, MAX_ZOOM));
        }
    }

    state.ed.keys(ui, cx, &mut out);
    map_area_ui(ui, rect, state, cx, data_dir, &mut out);
    out
}

/// The map itself with everything on it.
fn map_area_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    state: &mut MapState,
    cx: &ViewCtx<'_>,
    data_dir: &Path,
    out: &mut Vec<Intent>,
) {
    let t = Tokens::of(ui);
    let choice = state.tile_choice();
    state.tiles.set_choice(choice, ui.ctx(), data_dir);
    let online_note = match &state.tiles.error {
        Some(e) => Some(format!(
            "Local tiles unavailable ({e}) — showing the offline basemap"
        )),
        None => state.tiles.failure_note(),
    };
    let tiles_showing = state.tiles.stats.loaded > 0 && !state.tiles.stats.unavailable;
    let attribution = match state.tiles.attribution() {
        Some(a) if tiles_showing => (a.text.to_string(), a.url.to_string()),
        _ => (
            "Natural Earth, GeoNames (offline basemap)".to_string(),
            "https://www.naturalearthdata.com/".to_string(),
        ),
    };
    let dragging = state.ed.drag.is_some();
    let drawing = matches!(
        state.ed.tool,
        Tool::DrawPolygon | Tool::DrawHole | Tool::SetCentroid
    );
    let mut previews: Vec<Vec<LonLat>> = state
        .simplify
        .as_ref()
        .map(|s| s.preview(state.key))
        .unwrap_or_default();
    if let Some(p) = &state.paste {
        previews.extend(p.preview());
    }
    let issue_points: Vec<(LonLat, bool)> = state
        .analysis
        .current()
        .filter(|a| a.key == state.key)
        .map(|a| {
            a.issues
                .iter()
                .filter(|i| {
                    matches!(
                        i.kind,
                        IssueKind::SelfIntersection
                            | IssueKind::RingNotClosed
                            | IssueKind::TooFewDistinct
                            | IssueKind::TooFewPositions
                    )
                })
                .flat_map(|i| {
                    i.points
                        .iter()
                        .map(move |p| (*p, i.kind.severity() == Severity::Error))
                })
                .take(2000)
                .collect()
        })
        .unwrap_or_default();
    let now = ui.input(|i| i.time);
    let note_text = state
        .ed
        .note
        .as_ref()
        .and_then(|(n, at)| (now - at < 6.0).then(|| n.clone()));
    if note_text.is_some() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
    }
    let confirm = state.ed.confirm;
    let loading = match cx.case.geo() {
        GeoState::Pending { rel, .. } => Some(format!("Loading {rel}…")),
        _ => None,
    };
    let status_closable = loading.is_none() && online_note.is_some();
    let legend = state.reference_legend();
    let status = loading.or(online_note);
    let cities_ready = search::places_ready(ui.ctx()) == search::PlacesStatus::Ready;

    // A slot under everything the map draws, filled by the offline basemap plugin.
    let slot = ui.painter().add(Shape::Noop);
    let center = state
        .memory
        .detached()
        .map_or(LonLat::new(0.0, 0.0), |p| LonLat::new(p.x(), p.y()));
    let MapState {
        memory,
        tiles,
        basemap,
        ed,
        render,
        basemap_choice,
        online_tiles,
        local_tiles,
        search,
        pointer,
        ghost,
        key,
        ..
    } = state;
    let mut tracked = tiles.tracked();
    let shown = ui
        .scope_builder(UiBuilder::new().max_rect(rect), |ui| {
            let map = walkers::Map::new(
                tracked.as_mut().map(|t| t as &mut dyn walkers::Tiles),
                memory,
                walkers::lon_lat(center.lon, center.lat),
            )
            .zoom_with_ctrl(false)
            .double_click_to_zoom(!drawing)
            .drag_pan_buttons(if dragging {
                DragPanButtons::MIDDLE
            } else {
                DragPanButtons::PRIMARY | DragPanButtons::MIDDLE
            })
            .with_plugin(basemap::OfflineBasemap {
                cache: basemap,
                slot,
                tokens: t,
                labels: !tiles_showing,
                cities: cities_ready,
                avoid: ed.covered.clone(),
            });
            map.show(ui, |ui, response, projector, _memory| {
                let xf = xform_of(projector, response.rect);
                // The reference boundary first, under the current one.
                ghost.paint(&ui.painter().with_clip_rect(response.rect), &xf, &t, *key);
                ed.frame_ui(
                    ui,
                    response,
                    edit::Frame {
                        cx,
                        t,
                        xf,
                        render,
                        previews: &previews,
                        issue_points: &issue_points,
                        out,
                    },
                );
                let hint = ed.hint(ed.handles_hidden);
                if let Some(p) = ui.input(|i| i.pointer.hover_pos())
                    && response.rect.contains(p)
                    && !ed.covered.iter().any(|r| r.contains(p))
                {
                    *pointer = Some(xf.to_lonlat(p));
                }
                let info = overlay::OverlayInfo {
                    attribution: (&attribution.0, &attribution.1),
                    hint: &hint,
                    note: note_text.as_deref(),
                    status: status.as_deref(),
                    status_closable,
                    pointer: *pointer,
                    basemap: *basemap_choice,
                    online: *online_tiles,
                    local: local_tiles.as_deref(),
                    confirm: confirm.map(|c| (c.question(), c.button())),
                    reference: legend
                        .as_ref()
                        .map(|l| (l.text(), matches!(l, Legend::Changed { .. }), ghost.show)),
                };
                let act = overlay::overlays_ui(ui, &xf, &info, search);
                ed.covered.clone_from(&act.covered);
                act
            })
        })
        .inner;
    let map_response = shown.response;
    ui.ctx().accesskit_node_builder(map_response.id, |node| {
        node.set_role(egui::accesskit::Role::Canvas);
        node.set_label("Map");
        node.set_description(
            "Arrows pan, + and − zoom, Tab and Shift+Tab go through the polygons, Enter selects one, Delete removes the selected point",
        );
    });
    let leave = map_keyboard(ui, &map_response, memory, ed, cx);
    if leave && let Some(id) = ed.toolbar_first {
        ui.memory_mut(|m| m.request_focus(id));
    }
    let act = shown.inner;
    if act.zoom_by != 0.0 {
        let _ = memory.set_zoom(
            (memory.zoom() + act.zoom_by)
                .round()
                .clamp(MIN_ZOOM, MAX_ZOOM),
        );
    }
    let z = memory.zoom();
    if !(MIN_ZOOM..=MAX_ZOOM).contains(&z) {
        let _ = memory.set_zoom(z.clamp(MIN_ZOOM, MAX_ZOOM));
    }
    if let Some(place) = act.fly_to {
        memory.center_at(walkers::lon_lat(place.position.lon, place.position.lat));
        let _ = memory.set_zoom(place.zoom_hint().clamp(MIN_ZOOM, MAX_ZOOM));
        ed.say(ui, format!("Showing {}", place.label()));
    }
    if act.close_status {
        tiles.note_dismissed = true;
    }
    if let Some(b) = act.basemap {
        *basemap_choice = b;
    }
    if let Some(o) = act.online {
        *online_tiles = o;
    }
    if let Some(show) = act.show_reference {
        ghost.show = show;
    }
    if act.pick_local {
        out.push(Intent::Pick(Purpose::LocalTiles));
    }
    match act.confirm {
        Some(true) => {
            if let Some(c) = ed.confirm.take() {
                out.push(edit::geo_intent(cx, c.edit(), c.button()));
                ed.selection = None;
            }
        }
        Some(false) => ed.confirm = None,
        None => {}
    }
    tiles.end_frame(ui.ctx());
}
