//! The map itself with everything on it: tiles and the offline basemap, the reference
//! boundary, the geometry and its editing, the overlays, and what the overlays asked for.

use casebook_core::case::GeoState;
use casebook_core::geometry::{IssueKind, LonLat, Severity};
use egui::{DragPanButtons, Rect, Shape, UiBuilder};

use super::edit::{self, Editing, RemovalQuestion};
use super::keyboard::map_keyboard;
use super::overlay::{self, OverlayActions};
use super::{Legend, MAX_ZOOM, MIN_ZOOM, MapState, Tool, basemap, search, xform_of};
use crate::ui::purpose::Purpose;
use crate::ui::tokens::Tokens;
use crate::ui::{Intent, ViewCtx};

/// At most this many issue points are marked on the map.
const MAX_ISSUE_MARKERS: usize = 2000;

/// What the map shows besides the geometry, gathered before it is drawn.
struct AreaInfo {
    /// Whether raster tiles are showing (else the offline basemap labels its cities).
    tiles_showing: bool,
    /// Attribution text (without ©) and its link.
    attribution: (String, String),
    /// Simplify and paste previews (world rings).
    previews: Vec<Vec<LonLat>>,
    /// Geometry problems to mark, and whether each is an error.
    issue_points: Vec<(LonLat, bool)>,
    /// A passing note, while it lasts.
    note: Option<String>,
    /// A lasting status (loading, tiles unavailable).
    status: Option<String>,
    /// Whether the status can be closed (the tile note, not the loading one).
    status_closable: bool,
    /// The reference boundary's legend.
    legend: Option<Legend>,
    /// Whether the gazetteer has loaded (the basemap labels cities).
    cities_ready: bool,
}

impl AreaInfo {
    fn gather(ui: &egui::Ui, state: &MapState, cx: &ViewCtx<'_>) -> AreaInfo {
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
        let mut previews: Vec<Vec<LonLat>> = state
            .simplify
            .as_ref()
            .map(|s| s.preview(state.key))
            .unwrap_or_default();
        if let Some(p) = &state.paste {
            previews.extend(p.preview());
        }
        let now = ui.input(|i| i.time);
        let note = state
            .ed
            .note
            .as_ref()
            .and_then(|(n, at)| (now - at < 6.0).then(|| n.clone()));
        if note.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        let loading = match cx.case.geo() {
            GeoState::Pending { rel, .. } => Some(format!("Loading {rel}…")),
            _ => None,
        };
        AreaInfo {
            tiles_showing,
            attribution,
            previews,
            issue_points: issue_points(state),
            note,
            status_closable: loading.is_none() && online_note.is_some(),
            status: loading.or(online_note),
            legend: state.reference_legend(),
            cities_ready: search::places_ready(ui.ctx()) == search::PlacesStatus::Ready,
        }
    }
}

/// The points of the current analysis's geometry problems that have a place (crossings,
/// unclosed or degenerate rings), and whether each is an error.
fn issue_points(state: &MapState) -> Vec<(LonLat, bool)> {
    let Some(a) = state.analysis.current().filter(|a| a.key == state.key) else {
        return Vec::new();
    };
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
        .take(MAX_ISSUE_MARKERS)
        .collect()
}

/// The map itself with everything on it.
pub(super) fn map_area_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    state: &mut MapState,
    cx: &ViewCtx<'_>,
    data_dir: &std::path::Path,
    out: &mut Vec<Intent>,
) {
    let choice = state.tile_choice();
    state.tiles.set_choice(choice, ui.ctx(), data_dir);
    let info = AreaInfo::gather(ui, state, cx);
    let (map_response, act) = show_map(ui, rect, state, cx, &info, out);
    ui.ctx().accesskit_node_builder(map_response.id, |node| {
        node.set_role(egui::accesskit::Role::Canvas);
        node.set_label("Map");
        node.set_description(
            "Arrows pan, + and − zoom, Tab and Shift+Tab go through the polygons, Enter selects one, Delete removes the selected point",
        );
    });
    let leave = map_keyboard(ui, &map_response, &mut state.memory, &mut state.ed, cx);
    if leave && let Some(id) = state.ed.toolbar_first {
        ui.memory_mut(|m| m.request_focus(id));
    }
    state.apply_overlay_actions(ui, act, cx, out);
    state.tiles.end_frame(ui.ctx());
}

/// Shows the walkers map in `rect` with the offline basemap under it, and on it the reference
/// boundary, the geometry with its editing, and the overlays; the map's response and what
/// the overlays asked for.
fn show_map(
    ui: &mut egui::Ui,
    rect: Rect,
    state: &mut MapState,
    cx: &ViewCtx<'_>,
    info: &AreaInfo,
    out: &mut Vec<Intent>,
) -> (egui::Response, OverlayActions) {
    let t = Tokens::of(ui);
    let dragging = state.ed.drag.is_some();
    let drawing = matches!(
        state.ed.tool,
        Tool::DrawPolygon | Tool::DrawHole | Tool::SetCentroid
    );
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
        ghost,
        search,
        pointer,
        key,
        basemap_choice,
        online_tiles,
        local_tiles,
        ..
    } = state;
    let plugin = basemap::OfflineBasemap {
        cache: basemap,
        slot,
        tokens: t,
        labels: !info.tiles_showing,
        cities: info.cities_ready,
        avoid: ed.covered.clone(),
    };
    let mut tracked = tiles.tracked();
    let mut on_map = OnMap {
        ed,
        render,
        ghost,
        search,
        pointer,
        key: *key,
        settings: (*basemap_choice, *online_tiles, local_tiles.as_deref()),
        cx,
        info,
        t,
        out,
    };
    let shown = ui
        .scope_builder(UiBuilder::new().max_rect(rect), |ui| {
            walkers::Map::new(
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
            .with_plugin(plugin)
            .show(ui, |ui, response, projector, _memory| {
                on_map.ui(ui, response, projector)
            })
        })
        .inner;
    (shown.response, shown.inner)
}

/// What is drawn on the map inside walkers' frame, and what it needs.
struct OnMap<'a, 'c> {
    ed: &'a mut Editing,
    render: &'a mut super::render::RenderCache,
    ghost: &'a mut super::ghost::GhostState,
    search: &'a mut search::SearchState,
    pointer: &'a mut Option<LonLat>,
    key: u64,
    /// The basemap chosen, online tiles allowed, the local tile file.
    settings: (super::Basemap, bool, Option<&'a std::path::Path>),
    cx: &'a ViewCtx<'c>,
    info: &'a AreaInfo,
    t: Tokens,
    out: &'a mut Vec<Intent>,
}

impl OnMap<'_, '_> {
    /// The reference boundary, the geometry with its editing, the pointer's position and the
    /// overlays; what the overlays asked for.
    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        response: &egui::Response,
        projector: &walkers::Projector,
    ) -> OverlayActions {
        let xf = xform_of(projector, response.rect);
        let t = self.t;
        // The reference boundary first, under the current one.
        self.ghost.paint(
            &ui.painter().with_clip_rect(response.rect),
            &xf,
            &t,
            self.key,
        );
        self.ed.frame_ui(
            ui,
            response,
            edit::Frame {
                cx: self.cx,
                t,
                xf,
                render: self.render,
                previews: &self.info.previews,
                issue_points: &self.info.issue_points,
                out: self.out,
            },
        );
        let hint = self.ed.hint(self.ed.handles_hidden);
        if let Some(p) = ui.input(|i| i.pointer.hover_pos())
            && response.rect.contains(p)
            && !self.ed.covered.iter().any(|r| r.contains(p))
        {
            *self.pointer = Some(xf.to_lonlat(p));
        }
        let info = self.info;
        let (basemap, online, local) = self.settings;
        let overlay_info = overlay::OverlayInfo {
            attribution: (&info.attribution.0, &info.attribution.1),
            hint: &hint,
            note: info.note.as_deref(),
            status: info.status.as_deref(),
            status_closable: info.status_closable,
            pointer: *self.pointer,
            basemap,
            online,
            local,
            confirm: self.ed.confirm.map(|c| (c.question(), c.button())),
            reference: info.legend.as_ref().map(|l| {
                (
                    l.text(),
                    matches!(l, Legend::Changed { .. }),
                    self.ghost.show,
                )
            }),
        };
        let act = overlay::overlays_ui(ui, &xf, &overlay_info, self.search);
        self.ed.covered.clone_from(&act.covered);
        act
    }
}

impl MapState {
    /// Does what the overlays asked for: zoom, fly to a place, switch basemap or reference,
    /// pick a tile file, answer the removal question.
    fn apply_overlay_actions(
        &mut self,
        ui: &egui::Ui,
        act: OverlayActions,
        cx: &ViewCtx<'_>,
        out: &mut Vec<Intent>,
    ) {
        let memory = &mut self.memory;
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
            self.ed.say(ui, format!("Showing {}", place.label()));
        }
        if act.close_status {
            self.tiles.note_dismissed = true;
        }
        if act.basemap.is_some() || act.online.is_some() {
            // Shown from this frame on; the app keeps the choice in the settings.
            self.basemap_choice = act.basemap.unwrap_or(self.basemap_choice);
            self.online_tiles = act.online.unwrap_or(self.online_tiles);
            out.push(Intent::SetBasemap {
                basemap: self.basemap_choice,
                online: self.online_tiles,
            });
        }
        if let Some(show) = act.show_reference {
            self.ghost.show = show;
        }
        if act.pick_local {
            out.push(Intent::Pick(Purpose::LocalTiles));
        }
        match act.confirm {
            Some(true) => {
                if let Some(c) = self.ed.confirm.take() {
                    out.push(edit::geo_intent(cx, c.edit(), c.button()));
                    self.ed.selection = None;
                }
            }
            Some(false) => self.ed.confirm = None,
            None => {}
        }
    }
}
