//! Drawing and editing on the map: tools, selection, drags, the polygon being drawn, and the
//! edits they produce.
//!
//! Pointer handling is done here rather than with one egui widget per vertex, so that a
//! 1,000,000-vertex boundary costs nothing while its vertices are too dense to show: vertex
//! handles exist only when at most [`MAX_HANDLES`] vertices are in view. A press on a handle
//! (or Shift+press inside a polygon, or on the centroid marker) starts a drag, and while a
//! drag runs the map does not pan. Every change leaves as one [`Intent::Edit`] when the
//! pointer is released, so one drag is one undo step.

use casebook_core::case::GeoState;
use casebook_core::fields::Centroid;
use casebook_core::geometry::{
    GeoDocument, GeometryEdit, LonLat, Polygon, RingRef, VertexRef, distinct_count,
};
use egui::{Color32, Key, Modifiers, Pos2, Shape, Stroke, Vec2};

use super::geo2d::{self, Xform};
use super::render::{GeomStyle, RenderCache};
use crate::ui::tokens::{self, Tokens};
use crate::ui::{Intent, ViewCtx};

/// The most vertices in view for which handles are drawn and can be dragged.
pub const MAX_HANDLES: usize = 1500;

/// With at most this many vertices in view, every ring shows its handles (otherwise only the
/// selected ring does).
pub const FEW_HANDLES: usize = 300;

/// How close (points) a dragged or drawn point must come to a vertex to snap to it.
pub const SNAP: f32 = 10.0;

/// The modifier that turns snapping off while held.
pub const NO_SNAP_HINT: &str = "hold Alt to place freely";

/// What a click on the map does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    /// Select rings, drag vertices and midpoints, Shift+drag polygons.
    #[default]
    Select,
    /// Click to add the vertices of a new polygon.
    DrawPolygon,
    /// Click inside a polygon, then add the vertices of a hole.
    DrawHole,
    /// Click a polygon to delete it.
    DeletePolygon,
    /// Click where the centroid goes.
    SetCentroid,
}

/// The selected ring and possibly one of its vertices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// The ring.
    pub ring: RingRef,
    /// A vertex of it.
    pub vertex: Option<usize>,
}

/// What is being drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    /// A new polygon.
    Polygon,
    /// A hole in polygon `polygon` of shape `shape`.
    Hole {
        /// The shape.
        shape: usize,
        /// The polygon.
        polygon: usize,
    },
}

/// The polygon or hole being drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Polygon or hole.
    pub kind: DraftKind,
    /// The points placed so far.
    pub points: Vec<LonLat>,
}

/// A drag in progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drag {
    /// Moving a vertex.
    Vertex {
        /// The vertex.
        at: VertexRef,
        /// Where it would go.
        to: LonLat,
        /// Whether the pointer moved far enough to count as a drag.
        moved: bool,
    },
    /// Pulling a midpoint: inserts a vertex at `index` of `ring`.
    Midpoint {
        /// The ring.
        ring: RingRef,
        /// Where the new vertex goes.
        index: usize,
        /// Where it would go.
        to: LonLat,
        /// Whether the pointer moved.
        moved: bool,
    },
    /// Moving a whole polygon.
    Polygon {
        /// The shape.
        shape: usize,
        /// The polygon.
        polygon: usize,
        /// Where the drag started (screen).
        from: Pos2,
        /// Where the pointer is.
        to: Pos2,
        /// Whether the pointer moved.
        moved: bool,
    },
    /// Moving the centroid marker.
    Centroid {
        /// Where it would go.
        to: LonLat,
        /// Whether the pointer moved.
        moved: bool,
    },
}

/// A removal that needs a yes first (a vertex could not go without breaking its ring).
#[allow(clippy::enum_variant_names)] // "Remove …" is what each one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Remove this hole.
    RemoveHole(RingRef),
    /// Remove this polygon (one of several in its shape).
    RemovePolygon {
        /// The shape.
        shape: usize,
        /// The polygon.
        polygon: usize,
    },
    /// Remove this shape (its only polygon).
    RemoveShape {
        /// The shape.
        shape: usize,
    },
}

impl Confirm {
    /// The question.
    pub fn question(self) -> &'static str {
        match self {
            Confirm::RemoveHole(_) => "A hole needs at least 3 points. Remove the whole hole?",
            Confirm::RemovePolygon { .. } | Confirm::RemoveShape { .. } => {
                "A polygon needs at least 3 points. Remove the whole polygon?"
            }
        }
    }

    /// The button that says yes.
    pub fn button(self) -> &'static str {
        match self {
            Confirm::RemoveHole(_) => "Remove hole",
            Confirm::RemovePolygon { .. } | Confirm::RemoveShape { .. } => "Remove polygon",
        }
    }

    /// The edit that does it.
    pub fn edit(self) -> GeometryEdit {
        match self {
            Confirm::RemoveHole(at) => GeometryEdit::RemoveRing { at },
            Confirm::RemovePolygon { shape, polygon } => GeometryEdit::RemovePolygon {
                shape,
                index: polygon,
            },
            Confirm::RemoveShape { shape } => GeometryEdit::RemoveShape { shape },
        }
    }
}

/// The editing state of the map (kept between frames).
#[derive(Default)]
pub struct Editing {
    /// The active tool.
    pub tool: Tool,
    /// The selected ring.
    pub selection: Option<Selection>,
    /// What is being drawn.
    pub draft: Option<Draft>,
    /// The drag in progress.
    pub drag: Option<Drag>,
    /// A removal waiting for a yes.
    pub confirm: Option<Confirm>,
    /// A short message shown over the map.
    pub note: Option<(String, f64)>,
    /// The transform of the last frame.
    pub last_xf: Option<Xform>,
    /// Whether the map itself was hovered last frame.
    pub hovered: bool,
    /// The current press started a drag (so its release is not also a click).
    press_consumed: bool,
    /// Screen rects covered by overlays last frame (clicks there are not for the map).
    pub covered: Vec<egui::Rect>,
    /// Whether vertex handles were hidden last frame (too many in view).
    pub handles_hidden: bool,
    /// The polygon the keyboard is on (shape, polygon): Tab on the map moves it, Enter
    /// selects it.
    pub kb_polygon: Option<(usize, usize)>,
    /// The first button of the toolbar (where Escape sends the focus from the map).
    pub toolbar_first: Option<egui::Id>,
}

/// A vertex handle on screen: ring index (into the projection), vertex index, position.
#[derive(Debug, Clone, Copy)]
struct Handle {
    ring: usize,
    vertex: usize,
    pos: Pos2,
}

/// A midpoint handle: ring index, the index a new vertex would take, position.
#[derive(Debug, Clone, Copy)]
struct Mid {
    ring: usize,
    insert_at: usize,
    pos: Pos2,
}

/// Everything drawn on the map and done with the pointer, for one frame.
pub struct Frame<'a, 'c> {
    /// The case.
    pub cx: &'a ViewCtx<'c>,
    /// Colours.
    pub t: Tokens,
    /// The transform.
    pub xf: Xform,
    /// The geometry caches.
    pub render: &'a mut RenderCache,
    /// Simplify or paste previews to outline (world rings).
    pub previews: &'a [Vec<LonLat>],
    /// Issue points to mark.
    pub issue_points: &'a [(LonLat, bool)],
    /// Edits and other intents.
    pub out: &'a mut Vec<Intent>,
}

impl Editing {
    /// Draws the geometry, handles, draft and markers, and handles the pointer.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui, response: &egui::Response, f: Frame<'_, '_>) {
        let Frame {
            cx,
            t,
            xf,
            render,
            previews,
            issue_points,
            out,
        } = f;
        self.last_xf = Some(xf);
        self.hovered = response.hovered();
        let painter = ui.painter().with_clip_rect(xf.rect);
        let doc = cx.case.geometry();
        let can_edit = editable(cx).is_ok();

        // The geometry, at this zoom's level of detail.
        let selected_ring = self
            .selection
            .and_then(|s| render.projected.ring_index(s.ring));
        let style = GeomStyle {
            fill: super::render::sane_fill(t.boundary_fill),
            stroke: Stroke::new(1.6, t.boundary_stroke),
            selected_stroke: Stroke::new(2.6, t.selection),
        };
        render.lod(&xf).paint(&painter, &xf, &style, selected_ring);
        let projected = render.projected.clone();

        if response.has_focus() {
            paint::keyboard_focus(&painter, &xf, t, doc, self.kb_polygon);
        }
        paint::pin_if_tiny(&painter, &xf, t, projected.bbox);
        paint::previews(&painter, &xf, t, previews);
        paint::issue_markers(&painter, &xf, t, issue_points);

        // Every vertex in view when few enough (snapping targets); handles for the selected
        // ring, and for every ring when very few are in view.
        let view = xf.view().expand(
            2.0 * f64::from(tokens::HANDLE_GRAB) / xf.scale,
            2.0 * f64::from(tokens::HANDLE_GRAB) / xf.scale,
        );
        let handle_at = |ring: usize, vertex: usize, w: geo2d::W| Handle {
            ring,
            vertex,
            pos: xf.to_screen(w),
        };
        let mut targets: Vec<Handle> = Vec::new();
        if !projected.vertices_in(&view, MAX_HANDLES, |r, v, w| {
            targets.push(handle_at(r, v, w))
        }) {
            targets.clear();
        }
        let mut handles: Vec<Handle> = Vec::new();
        if let Some(sel) = selected_ring
            && !projected.vertices_of(sel..sel + 1, &view, MAX_HANDLES, |r, v, w| {
                handles.push(handle_at(r, v, w))
            })
        {
            handles.clear();
        }
        if targets.len() <= FEW_HANDLES {
            handles.extend(targets.iter().filter(|h| Some(h.ring) != selected_ring));
        }
        if targets.is_empty() {
            targets.clone_from(&handles);
        }
        let few = !handles.is_empty();
        self.handles_hidden = !few && self.tool == Tool::Select && projected.vertex_count > 0;
        let mut mids: Vec<Mid> = Vec::new();
        if let Some(sel) = selected_ring
            && few
            && self.tool == Tool::Select
        {
            let ring = &projected.rings[sel];
            let n = ring.pts.len();
            for h in handles.iter().filter(|h| h.ring == sel) {
                let next = (h.vertex + 1) % n;
                let b = xf.to_screen(ring.pts[next]);
                if geo2d::dist2(h.pos, b) > (4.0 * tokens::HANDLE_GRAB).powi(2) {
                    mids.push(Mid {
                        ring: sel,
                        insert_at: h.vertex + 1,
                        pos: h.pos + (b - h.pos) / 2.0,
                    });
                }
            }
        }

        let pointer = ui.input(|i| i.pointer.latest_pos());
        let covered_rects = self.covered.clone();
        let covered = |p: Pos2| covered_rects.iter().any(|r| r.contains(p));
        let over_overlay = pointer.is_some_and(covered);
        let alt = ui.input(|i| i.modifiers.alt);
        let pressed = ui.input(|i| i.pointer.primary_pressed());
        let released = ui.input(|i| i.pointer.primary_released() || !i.pointer.primary_down());
        let drag_threshold = 3.0;
        let centroid = front_matter_centroid(cx);

        // Snapping: the nearest vertex in view (not the one being moved), unless Alt is held.
        let snap = |pos: Pos2, skip: Option<(usize, usize)>| -> Option<LonLat> {
            if alt {
                return None;
            }
            let best = targets
                .iter()
                .filter(|h| Some((h.ring, h.vertex)) != skip)
                .map(|h| (geo2d::dist2(h.pos, pos), h))
                .filter(|(d, _)| *d <= SNAP * SNAP)
                .min_by(|a, b| a.0.total_cmp(&b.0))?;
            let at = projected.rings.get(best.1.ring)?.at;
            doc.and_then(|d| ring_of(d, at)?.get(best.1.vertex).copied())
        };
        let place = |pos: Pos2, skip: Option<(usize, usize)>| {
            snap(pos, skip).unwrap_or_else(|| xf.to_lonlat(pos))
        };

        // Start a drag on a press.
        let mut press_taken = false;
        if pressed {
            self.press_consumed = false;
        }
        if pressed
            && response.hovered()
            && !over_overlay
            && self.drag.is_none()
            && let Some(p) = pointer
        {
            let grab2 = tokens::HANDLE_GRAB * tokens::HANDLE_GRAB;
            let on_centroid = centroid.is_some_and(|c| {
                geo2d::dist2(xf.ll_to_screen(c), p) <= (tokens::HANDLE_GRAB + 3.0).powi(2)
            });
            if matches!(self.tool, Tool::Select | Tool::SetCentroid) && on_centroid && can_edit {
                if let Some(c) = centroid {
                    self.drag = Some(Drag::Centroid {
                        to: c,
                        moved: false,
                    });
                    press_taken = true;
                }
            } else if self.tool == Tool::Select && can_edit {
                let near = |pos: Pos2| geo2d::dist2(pos, p);
                let best_vertex = handles
                    .iter()
                    .filter(|h| near(h.pos) <= grab2)
                    .min_by(|a, b| {
                        let pa = (Some(a.ring) != selected_ring, near(a.pos));
                        let pb = (Some(b.ring) != selected_ring, near(b.pos));
                        pa.0.cmp(&pb.0).then(pa.1.total_cmp(&pb.1))
                    });
                let best_mid = mids
                    .iter()
                    .filter(|m| near(m.pos) <= grab2)
                    .min_by(|a, b| near(a.pos).total_cmp(&near(b.pos)));
                if let Some(h) = best_vertex
                    && let Some(ring) = projected.rings.get(h.ring)
                {
                    let at = ring.at.vertex(h.vertex);
                    let to = doc
                        .and_then(|d| ring_of(d, ring.at)?.get(h.vertex).copied())
                        .unwrap_or_else(|| xf.to_lonlat(h.pos));
                    self.drag = Some(Drag::Vertex {
                        at,
                        to,
                        moved: false,
                    });
                    self.selection = Some(Selection {
                        ring: ring.at,
                        vertex: Some(h.vertex),
                    });
                    press_taken = true;
                } else if let Some(m) = best_mid
                    && let Some(ring) = projected.rings.get(m.ring)
                {
                    self.drag = Some(Drag::Midpoint {
                        ring: ring.at,
                        index: m.insert_at,
                        to: xf.to_lonlat(m.pos),
                        moved: false,
                    });
                    press_taken = true;
                } else if ui.input(|i| i.modifiers.shift)
                    && let Some((pi, None)) = projected.polygon_at(xf.to_world(p))
                    && let Some(poly) = projected.polygons.get(pi)
                {
                    self.drag = Some(Drag::Polygon {
                        shape: poly.shape,
                        polygon: poly.polygon,
                        from: p,
                        to: p,
                        moved: false,
                    });
                    self.selection = Some(Selection {
                        ring: RingRef::new(poly.shape, poly.polygon, 0),
                        vertex: None,
                    });
                    press_taken = true;
                }
            }
        }

        if press_taken {
            self.press_consumed = true;
        }

        // Follow and finish a drag.
        if let Some(mut drag) = self.drag
            && (!pressed || press_taken)
        {
            let origin = ui.input(|i| i.pointer.press_origin());
            let moved_now = match (origin, pointer) {
                (Some(o), Some(p)) => geo2d::dist2(o, p) > drag_threshold * drag_threshold,
                _ => false,
            };
            if let Some(p) = pointer {
                match &mut drag {
                    Drag::Vertex { at, to, moved } => {
                        *moved |= moved_now;
                        if *moved {
                            let skip = projected.ring_index(at.ring_ref()).map(|r| (r, at.vertex));
                            *to = place(p, skip);
                        }
                    }
                    Drag::Midpoint { to, moved, .. } => {
                        *moved |= moved_now;
                        if *moved {
                            *to = place(p, None);
                        }
                    }
                    Drag::Polygon { to, moved, .. } => {
                        *moved |= moved_now;
                        *to = p;
                    }
                    Drag::Centroid { to, moved } => {
                        *moved |= moved_now;
                        if *moved {
                            *to = xf.to_lonlat(p);
                        }
                    }
                }
            }
            if released {
                self.drag = None;
                self.finish_drag(drag, cx, &xf, out);
            } else {
                self.drag = Some(drag);
                ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
            }
        }

        // Clicks.
        let click_pos = response.interact_pointer_pos();
        let clicked = response.clicked() && !self.press_consumed && !click_pos.is_some_and(covered);
        if let (true, Some(p)) = (clicked && self.drag.is_none(), click_pos) {
            self.click(ui, p, cx, &xf, &projected, &place, can_edit, out);
        }
        // A double-click finishes the drawing (its second click lands on the point the first
        // one placed).
        let on_last_point = |p: Pos2| {
            self.draft
                .as_ref()
                .and_then(|d| d.points.last())
                .is_some_and(|l| {
                    geo2d::dist2(xf.ll_to_screen(*l), p)
                        <= tokens::HANDLE_GRAB * tokens::HANDLE_GRAB
                })
        };
        if response.double_clicked() && click_pos.is_some_and(on_last_point) {
            self.finish_draft(ui, cx, out);
        }
        if response.secondary_clicked()
            && self.tool == Tool::Select
            && can_edit
            && let Some(p) = click_pos
            && let Some(h) = handles
                .iter()
                .filter(|h| geo2d::dist2(h.pos, p) <= tokens::HANDLE_GRAB * tokens::HANDLE_GRAB)
                .min_by(|a, b| geo2d::dist2(a.pos, p).total_cmp(&geo2d::dist2(b.pos, p)))
            && let Some(ring) = projected.rings.get(h.ring)
            && let Some(doc) = doc
        {
            self.selection = Some(Selection {
                ring: ring.at,
                vertex: Some(h.vertex),
            });
            match remove_vertex(doc, ring.at.vertex(h.vertex)) {
                Ok(g) => {
                    out.push(geo_intent(cx, g, "Remove vertex"));
                    self.selection = Some(Selection {
                        ring: ring.at,
                        vertex: None,
                    });
                }
                Err(c) => self.confirm = Some(c),
            }
        }

        // Hover feedback.
        if response.hovered()
            && self.drag.is_none()
            && let Some(p) = pointer
        {
            let over_handle = self.tool == Tool::Select
                && (handles
                    .iter()
                    .any(|h| geo2d::dist2(h.pos, p) <= tokens::HANDLE_GRAB * tokens::HANDLE_GRAB)
                    || mids.iter().any(|m| {
                        geo2d::dist2(m.pos, p) <= tokens::HANDLE_GRAB * tokens::HANDLE_GRAB
                    }));
            if over_handle {
                ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
            } else if matches!(
                self.tool,
                Tool::DrawPolygon | Tool::DrawHole | Tool::SetCentroid
            ) {
                ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
            } else if self.tool == Tool::DeletePolygon {
                ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
            }
        }

        self.paint_overlays(paint::Overlays {
            painter: &painter,
            xf: &xf,
            t: &t,
            doc,
            projected: &projected,
            handles: &handles,
            mids: &mids,
            selected_ring,
            pointer,
            hovered: response.hovered(),
            snap: &snap,
            centroid,
        });
    }

    /// The hint shown over the map for the active tool.
    pub fn hint(&self, handles_hidden: bool) -> String {
        match self.tool {
            Tool::Select => {
                if handles_hidden {
                    "Click a polygon to select it · zoom in to see and move its points".into()
                } else {
                    format!(
                        "Drag points to move them · drag a midpoint to add one · Shift+drag moves a polygon · Delete or right-click removes a point · {NO_SNAP_HINT}"
                    )
                }
            }
            Tool::DrawPolygon => format!(
                "Click to add points · click the first point, double-click or press Enter to finish · Backspace removes the last · Esc cancels · {NO_SNAP_HINT}"
            ),
            Tool::DrawHole => {
                if self.draft.is_none() {
                    "Click inside a polygon to start a hole in it · Esc cancels".into()
                } else {
                    format!(
                        "Click to add points of the hole · Enter or click the first point to finish · Esc cancels · {NO_SNAP_HINT}"
                    )
                }
            }
            Tool::DeletePolygon => {
                "Click a polygon to delete it (Ctrl+Z brings it back) · Esc returns to Select"
                    .into()
            }
            Tool::SetCentroid => {
                "Click where the centroid goes, or drag its marker · Esc cancels".into()
            }
        }
    }
}

mod keys;
mod ops;
mod paint;
mod pointer;
#[cfg(test)]
mod tests;

pub use ops::*;
