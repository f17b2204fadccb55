//! What one frame of map editing works from: the handles in view, the pointer, and the
//! snapping rule.

use super::*;
use crate::ui::map::render::Projected;

/// A vertex handle on screen: ring index (into the projection), vertex index, position.
#[derive(Debug, Clone, Copy)]
pub(super) struct Handle {
    pub(super) ring: usize,
    pub(super) vertex: usize,
    pub(super) pos: Pos2,
}

/// A midpoint handle: ring index, the index a new vertex would take, position.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mid {
    pub(super) ring: usize,
    pub(super) insert_at: usize,
    pub(super) pos: Pos2,
}

/// The handles of one frame: snapping targets, vertex handles and midpoints.
#[derive(Debug, Default)]
pub(super) struct Handles {
    /// Every vertex in view when few enough (what a moved or drawn point snaps to).
    pub(super) targets: Vec<Handle>,
    /// The vertex handles drawn and grabbed: the selected ring's, and every ring's when very
    /// few are in view.
    pub(super) vertices: Vec<Handle>,
    /// The midpoints of the selected ring's long enough edges (pulling one adds a vertex).
    pub(super) mids: Vec<Mid>,
}

impl Handles {
    /// Every vertex in view when few enough (snapping targets); handles for the selected
    /// ring, and for every ring when very few are in view; midpoints for the selected ring.
    pub(super) fn collect(
        xf: &Xform,
        projected: &Projected,
        selected_ring: Option<usize>,
        tool: Tool,
    ) -> Handles {
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
        let mut vertices: Vec<Handle> = Vec::new();
        if let Some(sel) = selected_ring
            && !projected.vertices_of(sel..sel + 1, &view, MAX_HANDLES, |r, v, w| {
                vertices.push(handle_at(r, v, w))
            })
        {
            vertices.clear();
        }
        if targets.len() <= FEW_HANDLES {
            vertices.extend(targets.iter().filter(|h| Some(h.ring) != selected_ring));
        }
        if targets.is_empty() {
            targets.clone_from(&vertices);
        }
        let mut mids = Vec::new();
        if let Some(sel) = selected_ring
            && !vertices.is_empty()
            && tool == Tool::Select
        {
            mids = midpoints(xf, projected, sel, &vertices);
        }
        Handles {
            targets,
            vertices,
            mids,
        }
    }

    /// Whether no vertex handle is shown (too many vertices in view, or none).
    pub(super) fn none(&self) -> bool {
        self.vertices.is_empty()
    }

    /// Whether a vertex handle or a midpoint is within grabbing distance of `p`.
    pub(super) fn any_near(&self, p: Pos2) -> bool {
        self.vertices.iter().any(|h| near(h.pos, p)) || self.mids.iter().any(|m| near(m.pos, p))
    }
}

/// Whether `a` is within grabbing distance of `b`.
pub(super) fn near(a: Pos2, b: Pos2) -> bool {
    geo2d::dist2(a, b) <= tokens::HANDLE_GRAB * tokens::HANDLE_GRAB
}

/// The midpoints of the edges of ring `sel` that start at a shown handle and are long enough
/// on screen to grab apart from their ends.
fn midpoints(xf: &Xform, projected: &Projected, sel: usize, vertices: &[Handle]) -> Vec<Mid> {
    let Some(ring) = projected.rings.get(sel) else {
        return Vec::new();
    };
    let n = ring.pts.len();
    let mut mids = Vec::new();
    for h in vertices.iter().filter(|h| h.ring == sel) {
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
    mids
}

/// What pointer handling and painting share for one frame.
pub(super) struct Scene<'a, 'c> {
    /// The case.
    pub(super) cx: &'a ViewCtx<'c>,
    /// The transform.
    pub(super) xf: Xform,
    /// The geometry, when loaded.
    pub(super) doc: Option<&'a GeoDocument>,
    /// The geometry in world coordinates.
    pub(super) projected: &'a Projected,
    /// The handles in view.
    pub(super) handles: &'a Handles,
    /// The selected ring (index into the projection).
    pub(super) selected_ring: Option<usize>,
    /// Whether the geometry can be edited now.
    pub(super) can_edit: bool,
    /// The centroid the front matter holds.
    pub(super) centroid: Option<LonLat>,
    /// Alt is held: points are placed freely.
    pub(super) no_snap: bool,
}

impl Scene<'_, '_> {
    /// The nearest vertex in view to `pos` (not `skip`, the one being moved), unless Alt is
    /// held.
    pub(super) fn snap(&self, pos: Pos2, skip: Option<(usize, usize)>) -> Option<LonLat> {
        if self.no_snap {
            return None;
        }
        let best = self
            .handles
            .targets
            .iter()
            .filter(|h| Some((h.ring, h.vertex)) != skip)
            .map(|h| (geo2d::dist2(h.pos, pos), h))
            .filter(|(d, _)| *d <= SNAP * SNAP)
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        let at = self.projected.rings.get(best.1.ring)?.at;
        self.doc
            .and_then(|d| d.ring(at)?.get(best.1.vertex).copied())
    }

    /// Where a point put at `pos` goes: snapped, or under the pointer.
    pub(super) fn place(&self, pos: Pos2, skip: Option<(usize, usize)>) -> LonLat {
        self.snap(pos, skip)
            .unwrap_or_else(|| self.xf.to_lonlat(pos))
    }
}

/// The pointer's state this frame.
pub(super) struct PointerInput {
    /// Where it is.
    pub(super) pos: Option<Pos2>,
    /// It is over an overlay (a click there is not for the map).
    pub(super) over_overlay: bool,
    /// The primary button went down.
    pub(super) pressed: bool,
    /// The primary button went up (or is not down).
    pub(super) released: bool,
}

impl PointerInput {
    /// Reads the pointer; `covered` are the overlays' rects of last frame.
    pub(super) fn read(ui: &egui::Ui, covered: &[egui::Rect]) -> PointerInput {
        let pos = ui.input(|i| i.pointer.latest_pos());
        PointerInput {
            pos,
            over_overlay: pos.is_some_and(|p| covered.iter().any(|r| r.contains(p))),
            pressed: ui.input(|i| i.pointer.primary_pressed()),
            released: ui.input(|i| i.pointer.primary_released() || !i.pointer.primary_down()),
        }
    }
}
