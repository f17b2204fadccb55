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
use casebook_core::geometry::{LonLat, Severity};
use egui::{Rect, RichText};

use super::tokens::{self, Tokens};
use super::{Focus, Intent, ViewCtx};
pub use choice::{Basemap, MapSettings};

mod analysis;
mod area;
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
mod state;
pub mod tiles;
mod tools;
mod vertex_table;
mod view;

use side::side_ui;

pub use edit::{Selection, Tool};
pub use ghost::{Legend, Reference};
pub use tiles::{TileSourceSpec, TileStats};

use edit::Editing;
use geo2d::Xform;

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
        state.simplify = state.simplify.is_none().then(Default::default);
    }
    if act.toggle_paste {
        state.paste = state.paste.is_none().then(Default::default);
    }

    // The panel and the map share what is visible of the view: a wide row in the panel (a
    // ring's point table) must not widen the view past the window and slide the panel out
    // of it, or over the map.
    let bounds = ui.available_rect_before_wrap().intersect(ui.clip_rect());
    let mut view = ui.new_child(egui::UiBuilder::new().max_rect(bounds));
    view.set_clip_rect(bounds);
    let ui = &mut view;
    // A third of the view by default, and never much more (also after the window shrinks),
    // so a small window keeps a usable map.
    let w = bounds.width();
    let side = egui::Panel::right("map-side")
        .resizable(true)
        .default_size((w * 0.33).clamp(220.0, 310.0))
        .min_size(200.0)
        .max_size((w * 0.4).max(200.0))
        .show(ui, |ui| {
            side_ui(ui, state, cx, &mut out);
            // Where the panel really starts: when its content grew it wider than it was, the
            // rect the panel reports (and leaves to the map) is shifted right by the growth.
            ui.clip_rect().min.x
        });
    let mut rect = ui.available_rect_before_wrap();
    rect.max.x = rect.max.x.min(side.response.rect.min.x).min(side.inner);
    if rect.width() < 50.0 || rect.height() < 50.0 {
        return out;
    }
    state.place_view(cx, rect.size());
    state.ed.keys(ui, cx, &mut out);
    area::map_area_ui(ui, rect, state, cx, data_dir, &mut out);
    out
}
