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
    GeoDocument, GeometryEdit, LonLat, Removal, RingRef, VertexRef, add_polygon_edit,
    distinct_count,
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

/// The question asked before a removal that takes a whole part (a vertex could not go
/// without breaking its ring), and the button that says yes.
pub trait RemovalQuestion {
    /// The question.
    fn question(self) -> &'static str;
    /// The button that says yes.
    fn button(self) -> &'static str;
}

impl RemovalQuestion for Removal {
    fn question(self) -> &'static str {
        match self {
            Removal::Hole(_) => "A hole needs at least 3 points. Remove the whole hole?",
            Removal::Polygon { .. } | Removal::Shape { .. } => {
                "A polygon needs at least 3 points. Remove the whole polygon?"
            }
        }
    }

    fn button(self) -> &'static str {
        match self {
            Removal::Hole(_) => "Remove hole",
            Removal::Polygon { .. } | Removal::Shape { .. } => "Remove polygon",
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
    pub confirm: Option<Removal>,
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
        let projected = &render.projected;

        if response.has_focus() {
            paint::keyboard_focus(&painter, &xf, t, doc, self.kb_polygon);
        }
        paint::pin_if_tiny(&painter, &xf, t, projected.bbox);
        paint::previews(&painter, &xf, t, previews);
        paint::issue_markers(&painter, &xf, t, issue_points);

        let handles = Handles::collect(&xf, projected, selected_ring, self.tool);
        self.handles_hidden =
            handles.none() && self.tool == Tool::Select && projected.vertex_count > 0;
        let scene = Scene {
            cx,
            xf,
            doc,
            projected,
            handles: &handles,
            selected_ring,
            can_edit: editable(cx).is_ok(),
            centroid: front_matter_centroid(cx),
            no_snap: ui.input(|i| i.modifiers.alt),
        };
        let input = PointerInput::read(ui, &self.covered);
        let press_taken = self.press(ui, response, &scene, &input);
        self.follow_drag(ui, &scene, &input, press_taken, out);
        self.clicks(ui, response, &scene, out);
        self.secondary_click(response, &scene, out);
        self.hover_cursor(ui, response, &scene, input.pos);
        self.paint_overlays(&painter, &scene, &t, input.pos, response.hovered());
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
mod scene;

pub use ops::*;
use scene::{Handles, PointerInput, Scene};
