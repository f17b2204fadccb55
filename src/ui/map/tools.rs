//! The map's toolbar and its two panels: simplification with a tolerance slider, and pasting
//! coordinates (GeoJSON, WKT or "lat, lon" lines) with a preview of what was read.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use casebook_core::geometry::{
    BoundingBox, GeoDocument, GeometryEdit, Imported, LonLat, PasteFormat, Pasted, Polygon,
    Simplified, add_polygons_edit, bounding_box, parse_pasted,
};

use super::analysis::group;
use super::edit::{Editing, Tool, centroid_intent, editable, geo_intent};
use crate::ui::purpose::Purpose;
use crate::ui::tokens::{self, Tokens};
use crate::ui::{Intent, ViewCtx};

/// Metres per degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// Simplifications of bigger geometries run on a background thread.
const BACKGROUND_ABOVE: usize = 20_000;

/// What the toolbar asks of the map itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ToolbarActions {
    /// Fit the view to the boundary.
    pub fit: bool,
    /// Open or close the simplify panel.
    pub toggle_simplify: bool,
    /// Open or close the paste panel.
    pub toggle_paste: bool,
}

/// The toolbar: tools, centroid, simplify, import, paste, fit.
pub fn toolbar_ui(
    ui: &mut egui::Ui,
    ed: &mut Editing,
    cx: &ViewCtx<'_>,
    centroid: Option<LonLat>,
    panels_open: (bool, bool),
    out: &mut Vec<Intent>,
) -> ToolbarActions {
    let mut act = ToolbarActions::default();
    let can_edit = editable(cx);
    let has_polygons = cx
        .case
        .geometry()
        .is_some_and(|d| d.all_polygons().next().is_some());
    let mut first = None;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let ok = can_edit.is_ok();
        first = Some(ui.next_auto_id());
        tools_ui(ui, ed, &can_edit, has_polygons);
        let from = ui
            .add_enabled(ok && centroid.is_some(), egui::Button::new("From boundary"))
            .accessible_name("Centroid from boundary")
            .on_hover_text("Set the centroid to the centre of the boundary's area");
        if from.clicked()
            && let Some(c) = centroid
        {
            out.push(centroid_intent(cx, c));
        }
        ui.separator();
        panel_buttons_ui(ui, ok && has_polygons, ok, panels_open, &mut act, out);
        ui.separator();
        if ui
            .button("Fit")
            .accessible_name("Fit to boundary")
            .on_hover_text("Zoom to the whole boundary")
            .clicked()
        {
            act.fit = true;
        }
    });
    ed.toolbar_first = first;
    act
}

/// What a tool needs to be enabled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Nothing.
    Nothing,
    /// An editable geometry.
    Editable,
    /// An editable geometry with a polygon.
    Polygons,
}

/// The tool buttons: label, tooltip, what each needs.
const TOOLS: [(Tool, &str, &str, Needs); 5] = [
    (
        Tool::Select,
        "Select",
        "Select a polygon; drag its points and midpoints (Esc)",
        Needs::Nothing,
    ),
    (
        Tool::DrawPolygon,
        "Draw polygon",
        "Click points on the map; click the first point or press Enter to finish",
        Needs::Editable,
    ),
    (
        Tool::DrawHole,
        "Draw hole",
        "Click inside a polygon, then click the points of the hole",
        Needs::Polygons,
    ),
    (
        Tool::DeletePolygon,
        "Delete polygon",
        "Click a polygon to delete it",
        Needs::Polygons,
    ),
    (
        Tool::SetCentroid,
        "Set centroid",
        "Click the map where the centroid goes (writes centroid: [lat, lon])",
        Needs::Editable,
    ),
];

/// The tool buttons (a separator before the centroid's); clicking the active tool again goes
/// back to Select.
fn tools_ui(
    ui: &mut egui::Ui,
    ed: &mut Editing,
    can_edit: &Result<(), String>,
    has_polygons: bool,
) {
    for (t, label, tip, needs) in TOOLS {
        if t == Tool::SetCentroid {
            ui.separator();
        }
        let enabled = match needs {
            Needs::Nothing => true,
            Needs::Editable => can_edit.is_ok(),
            Needs::Polygons => can_edit.is_ok() && has_polygons,
        };
        let r = ui
            .add_enabled(enabled, egui::Button::new(label).selected(ed.tool == t))
            .on_hover_text(tip)
            .on_disabled_hover_text(can_edit.as_ref().err().map_or(tip, String::as_str));
        if r.clicked() {
            ed.set_tool(if ed.tool == t && t != Tool::Select {
                Tool::Select
            } else {
                t
            });
            ed.confirm = None;
        }
    }
}

/// Simplify…, Import… and Paste…: the panels they open, or the file to pick.
fn panel_buttons_ui(
    ui: &mut egui::Ui,
    can_simplify: bool,
    ok: bool,
    (simplify_open, paste_open): (bool, bool),
    act: &mut ToolbarActions,
    out: &mut Vec<Intent>,
) {
    if ui
        .add_enabled(
            can_simplify,
            egui::Button::new("Simplify…").selected(simplify_open),
        )
        .on_hover_text("Remove points that change the shape by less than a tolerance")
        .clicked()
    {
        act.toggle_simplify = true;
    }
    if ui
        .add_enabled(ok, egui::Button::new("Import…"))
        .accessible_name("Import GeoJSON…")
        .on_hover_text("Replace the boundary with the polygons of a GeoJSON file")
        .clicked()
    {
        out.push(Intent::Pick(Purpose::ImportGeometry));
    }
    if ui
        .add_enabled(ok, egui::Button::new("Paste…").selected(paste_open))
        .accessible_name("Paste coordinates…")
        .on_hover_text("Paste GeoJSON, WKT or \"lat, lon\" lines")
        .clicked()
    {
        act.toggle_paste = true;
    }
}

/// The edit and the totals of a simplification; `None` when nothing would change.
type SimplifyResult = Option<(GeometryEdit, Simplified)>;

/// The simplify panel's state.
pub struct SimplifyState {
    /// The tolerance in metres.
    pub metres: f64,
    result: Option<(u64, f64, SimplifyResult)>,
    job: Option<(u64, f64, Receiver<SimplifyResult>)>,
}

impl Default for SimplifyState {
    fn default() -> Self {
        SimplifyState {
            metres: 5.0,
            result: None,
            job: None,
        }
    }
}

impl SimplifyState {
    /// The simplified rings to outline on the map (when small enough to draw).
    pub fn preview(&self, key: u64) -> Vec<Vec<LonLat>> {
        match &self.result {
            Some((k, _, Some((_, s)))) if *k == key && s.vertices_after <= 20_000 => s
                .polygons
                .iter()
                .flat_map(|p| p.rings.iter().cloned())
                .collect(),
            _ => Vec::new(),
        }
    }

    fn compute(&mut self, doc: &GeoDocument, key: u64, ctx: &egui::Context) {
        let m = self.metres;
        if self
            .result
            .as_ref()
            .is_some_and(|(k, mm, _)| *k == key && *mm == m)
        {
            return;
        }
        if let Some((k, mm, rx)) = &self.job
            && *k == key
            && *mm == m
        {
            match rx.try_recv() {
                Ok(r) => {
                    self.result = Some((key, m, r));
                    self.job = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.job = None,
            }
            return;
        }
        let tol = m / METRES_PER_DEGREE;
        if doc.vertex_count() <= BACKGROUND_ABOVE {
            self.result = Some((key, m, doc.simplify_edit(tol)));
            return;
        }
        let (tx, rx) = channel();
        let doc = doc.clone();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(doc.simplify_edit(tol));
            repaint.request_repaint();
        });
        self.job = Some((key, m, rx));
    }
}

/// The simplify panel. Returns whether it should close.
pub fn simplify_ui(
    ui: &mut egui::Ui,
    st: &mut SimplifyState,
    cx: &ViewCtx<'_>,
    key: u64,
    out: &mut Vec<Intent>,
) -> bool {
    let t = Tokens::of(ui);
    let mut close = false;
    let Some(doc) = cx.case.geometry() else {
        ui.label("There is no boundary to simplify.");
        return ui.button("Close").clicked();
    };
    ui.strong("Simplify the boundary");
    ui.label("Points that change the outline by less than the tolerance are removed.");
    let r = ui
        .add(
            egui::Slider::new(&mut st.metres, 0.1..=1000.0)
                .logarithmic(true)
                .suffix(" m")
                .max_decimals(1)
                .text("Tolerance"),
        )
        .accessible_name("Tolerance in metres");
    if !r.dragged() {
        st.compute(doc, key, ui.ctx());
    }
    simplify_counts_ui(ui, st, key, doc.vertex_count(), &t);
    ui.horizontal(|ui| {
        let ready = match &st.result {
            Some((k, m, Some((edit, _)))) if *k == key && *m == st.metres => Some(edit.clone()),
            _ => None,
        };
        if ui
            .add_enabled(ready.is_some(), egui::Button::new("Apply"))
            .on_hover_text("Simplify (Ctrl+Z undoes it)")
            .clicked()
            && let Some(edit) = ready
        {
            out.push(geo_intent(cx, edit, "Simplify boundary"));
            close = true;
        }
        if ui
            .button("Close")
            .accessible_name("Close simplify")
            .clicked()
        {
            close = true;
        }
    });
    close
}

/// The points now and after simplifying at the tolerance (a spinner while counting), and
/// how many polygons kept more points so as not to cross themselves.
fn simplify_counts_ui(ui: &mut egui::Ui, st: &SimplifyState, key: u64, before: usize, t: &Tokens) {
    match &st.result {
        Some((k, m, res)) if *k == key && *m == st.metres => match res {
            Some((_, s)) => {
                ui.label(format!(
                    "Points: {} now, {} after ({}% fewer)",
                    group(before as f64, 0),
                    group(s.vertices_after as f64, 0),
                    group(
                        100.0 * (1.0 - s.vertices_after as f64 / before.max(1) as f64),
                        0
                    )
                ));
                if s.polygons_kept_finer > 0 {
                    ui.colored_label(
                        t.muted,
                        format!(
                            "{} polygon(s) kept more points so that they do not cross themselves.",
                            s.polygons_kept_finer
                        ),
                    );
                }
            }
            None => {
                ui.label(format!(
                    "Points: {} now, {} after (nothing to remove at this tolerance)",
                    group(before as f64, 0),
                    group(before as f64, 0)
                ));
            }
        },
        _ => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!(
                    "Points: {} now, counting…",
                    group(before as f64, 0)
                ));
            });
        }
    }
}

/// The paste panel's state.
pub struct PasteState {
    /// What was pasted.
    pub text: String,
    parsed: Option<(String, Result<Pasted, String>)>,
    /// The field still has to take the keyboard focus (just opened).
    focus: bool,
}

impl Default for PasteState {
    fn default() -> Self {
        PasteState {
            text: String::new(),
            parsed: None,
            focus: true,
        }
    }
}

impl PasteState {
    fn parse(&mut self) -> Option<&Result<Pasted, String>> {
        if self.text.trim().is_empty() {
            self.parsed = None;
            return None;
        }
        if self.parsed.as_ref().is_none_or(|(t, _)| *t != self.text) {
            self.parsed = Some((
                self.text.clone(),
                parse_pasted(&self.text).map_err(|e| e.to_string()),
            ));
        }
        self.parsed.as_ref().map(|(_, r)| r)
    }

    /// The parsed rings, to outline on the map.
    pub fn preview(&self) -> Vec<Vec<LonLat>> {
        match &self.parsed {
            // Small enough to outline every frame.
            Some((_, Ok(p))) if casebook_core::geometry::vertex_count(&p.polygons) <= 20_000 => p
                .polygons
                .iter()
                .flat_map(|p| p.rings.iter().cloned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The box around what was parsed.
    pub fn preview_bbox(&self) -> Option<casebook_core::geometry::BoundingBox> {
        match &self.parsed {
            Some((_, Ok(p))) => casebook_core::geometry::bounding_box(&p.polygons),
            _ => None,
        }
    }
}

/// What the paste panel asks for besides edits.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PasteActions {
    /// Close the panel.
    pub close: bool,
    /// Zoom to the pasted geometry.
    pub zoom: bool,
    /// The pasted geometry was applied: bring this box into view.
    pub applied: Option<BoundingBox>,
}

/// The paste panel.
pub fn paste_ui(
    ui: &mut egui::Ui,
    st: &mut PasteState,
    ed: &Editing,
    cx: &ViewCtx<'_>,
    out: &mut Vec<Intent>,
) -> PasteActions {
    let t = Tokens::of(ui);
    let mut act = PasteActions::default();
    ui.strong("Paste coordinates");
    ui.label("GeoJSON, WKT (POLYGON, MULTIPOLYGON) or one \"lat, lon\" pair per line.");
    let field = ui
        .add(
            egui::TextEdit::multiline(&mut st.text)
                .desired_rows(6)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace)
                .hint_text("51.5359, -0.1263\n51.5371, -0.1229\n51.5342, -0.1221"),
        )
        .accessible_name("Coordinates to paste");
    // Opening the panel puts the keyboard in the field.
    if std::mem::take(&mut st.focus) {
        field.request_focus();
    }
    let parsed = st.parse().cloned();
    let selected_ring = ed.selection.map(|s| s.ring);
    let bbox = match &parsed {
        Some(Ok(p)) => bounding_box(&p.polygons),
        _ => None,
    };
    match &parsed {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(t.error, e);
        }
        Some(Ok(p)) => {
            let rings: usize = p.polygons.iter().map(|q| q.rings.len()).sum();
            pasted_summary_ui(ui, p, rings, &t);
            if ui.link("Zoom to it").clicked() {
                act.zoom = true;
            }
            ui.add_space(tokens::GAP_SMALL);
            let one_ring = p.polygons.len() == 1 && rings == 1;
            if paste_buttons_ui(ui, p, one_ring, selected_ring, cx, out) {
                act.close = true;
                act.applied = bbox;
            }
        }
    }
    if ui.button("Close").accessible_name("Close paste").clicked() {
        act.close = true;
    }
    act
}

/// What was read from the pasted text: its format, counts and first point.
fn pasted_summary_ui(ui: &mut egui::Ui, p: &Pasted, rings: usize, t: &Tokens) {
    let points: usize = p.polygons.iter().map(Polygon::vertex_count).sum();
    let format = match p.format {
        PasteFormat::GeoJson => "GeoJSON",
        PasteFormat::Wkt => "WKT",
        PasteFormat::LatLonLines => "\"lat, lon\" lines",
    };
    ui.colored_label(
        t.ok,
        format!(
            "Read as {format}: {} polygon(s), {} ring(s), {} points. The dashed outline on the map shows it.",
            p.polygons.len(),
            rings,
            group(points as f64, 0)
        ),
    );
    if let Some(first) = p
        .polygons
        .first()
        .and_then(|q| q.rings.first())
        .and_then(|r| r.first())
    {
        ui.colored_label(
            t.muted,
            format!("First point: {:.6}, {:.6} (lat, lon)", first.lat, first.lon),
        );
    }
}

/// Replace boundary, Add polygons, and (for one ring with a ring selected) Replace selected
/// ring; true when one was clicked.
fn paste_buttons_ui(
    ui: &mut egui::Ui,
    p: &Pasted,
    one_ring: bool,
    selected_ring: Option<casebook_core::geometry::RingRef>,
    cx: &ViewCtx<'_>,
    out: &mut Vec<Intent>,
) -> bool {
    let mut applied = false;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Replace boundary")
            .on_hover_text("The pasted polygons become the whole boundary")
            .clicked()
        {
            out.push(geo_intent(
                cx,
                GeometryEdit::ReplaceAll {
                    polygons: p.polygons.clone(),
                },
                "Paste boundary",
            ));
            applied = true;
        }
        if ui
            .button("Add polygons")
            .on_hover_text("Add the pasted polygons to the boundary")
            .clicked()
        {
            out.push(geo_intent(
                cx,
                add_polygons_edit(cx.case.geometry(), &p.polygons),
                "Paste polygons",
            ));
            applied = true;
        }
        if let Some(at) = selected_ring
            && one_ring
            && let Some(ring) = p.polygons.first().and_then(|q| q.rings.first())
            && ui
                .button("Replace selected ring")
                .on_hover_text("The pasted points replace the points of the selected ring")
                .clicked()
        {
            out.push(geo_intent(
                cx,
                GeometryEdit::SetRing {
                    at,
                    vertices: ring.clone(),
                },
                "Paste ring",
            ));
            applied = true;
        }
    });
    applied
}

/// A file read for import, waiting for the author's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportState {
    /// The file's name.
    pub file: String,
    /// What it holds.
    pub imported: Imported,
}

/// What the import question asks for besides edits.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ImportActions {
    /// Close the question.
    pub close: bool,
    /// The import was applied: bring this box into view.
    pub applied: Option<BoundingBox>,
}

/// What the file holds (features, polygons, names), what is not imported, and whether the
/// case's file can keep the features' properties.
fn import_summary_ui(
    ui: &mut egui::Ui,
    st: &ImportState,
    polygons: usize,
    doc: Option<&GeoDocument>,
    t: &Tokens,
) {
    let imp = &st.imported;
    let n = imp.features.len();
    ui.strong(format!("Import {}", st.file));
    let names: Vec<String> = imp.features.iter().filter_map(|f| f.name.clone()).collect();
    let mut what = format!(
        "{n} feature{} with {} polygon{}",
        if n == 1 { "" } else { "s" },
        polygons,
        if polygons == 1 { "" } else { "s" }
    );
    if !names.is_empty() {
        what.push_str(&format!(": {}", names.join(", ")));
    }
    ui.label(format!("{what}."));
    if imp.skipped > 0 {
        ui.colored_label(
            t.muted,
            format!(
                "{} point(s) or line(s) in the file are not imported.",
                imp.skipped
            ),
        );
    }
    let keeps = doc.is_none_or(GeoDocument::keeps_feature_properties);
    let has_properties = imp.features.iter().any(|f| !f.properties.is_empty());
    if !keeps && has_properties {
        ui.colored_label(
            t.warning,
            "The case's boundary file is a single Feature, not a FeatureCollection: the imported properties cannot be kept in it.",
        );
    }
}

/// Replace the boundary, Add the features, Merge into one MultiPolygon; true when one was
/// clicked.
fn import_buttons_ui(
    ui: &mut egui::Ui,
    imp: &Imported,
    polygons: Vec<Polygon>,
    cx: &ViewCtx<'_>,
    out: &mut Vec<Intent>,
) -> bool {
    let doc = cx.case.geometry();
    let mut applied = false;
    if ui
        .button("Replace the boundary")
        .on_hover_text("The imported features, with their properties, become the whole boundary")
        .clicked()
    {
        out.push(geo_intent(cx, imp.replace_edit(doc), "Import boundary"));
        applied = true;
    }
    if ui
        .button("Add the features")
        .on_hover_text("Add the imported features, with their properties, to the boundary")
        .clicked()
    {
        out.push(geo_intent(cx, imp.add_edit(), "Import features"));
        applied = true;
    }
    if ui
        .button("Merge into one MultiPolygon")
        .on_hover_text("All imported polygons replace the boundary as one MultiPolygon")
        .clicked()
    {
        out.push(geo_intent(
            cx,
            GeometryEdit::ReplaceAll { polygons },
            "Import as one MultiPolygon",
        ));
        applied = true;
    }
    applied
}

/// The import question: replace the boundary, add the features, or merge them, with what
/// merging would drop shown before it is chosen.
pub fn import_ui(
    ui: &mut egui::Ui,
    st: &ImportState,
    cx: &ViewCtx<'_>,
    out: &mut Vec<Intent>,
) -> ImportActions {
    let t = Tokens::of(ui);
    let mut act = ImportActions::default();
    let imp = &st.imported;
    let polygons = imp.polygons();
    let bbox = bounding_box(&polygons);
    let doc = cx.case.geometry();
    import_summary_ui(ui, st, polygons.len(), doc, &t);
    ui.label("What should they do?");
    ui.add_space(tokens::GAP_SMALL);
    if import_buttons_ui(ui, imp, polygons, cx, out) {
        act.close = true;
        act.applied = bbox;
    }
    let lost = imp.properties_lost_by_merging();
    if lost.is_empty() {
        ui.colored_label(
            t.muted,
            "Merging keeps everything: the features have no properties.",
        );
    } else {
        ui.colored_label(
            t.warning,
            format!("Merging drops the properties of: {}.", lost.join("; ")),
        );
    }
    ui.add_space(tokens::GAP_SMALL);
    if ui
        .button("Cancel")
        .accessible_name("Cancel import")
        .on_hover_text("Import nothing")
        .clicked()
    {
        act.close = true;
    }
    act
}
