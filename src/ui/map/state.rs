//! What the app and the tests ask of the map's state, and tell it.

use casebook_core::geometry::LonLat;
use egui::Rect;

use super::geo2d::Xform;
use super::{
    Basemap, Legend, MAX_ZOOM, MIN_ZOOM, MapState, Reference, Selection, TileSourceSpec, TileStats,
    Tool, tools,
};

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
}
