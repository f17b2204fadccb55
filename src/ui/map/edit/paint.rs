//! Painting the editing overlays: handles, drag previews, the outline being drawn, the
//! centroid marker.

use super::*;

impl Editing {
    /// Paints handles, drag previews, the outline being drawn and the centroid marker.
    pub(super) fn paint_overlays(
        &self,
        painter: &egui::Painter,
        scene: &Scene<'_, '_>,
        t: &Tokens,
        pointer: Option<Pos2>,
        hovered: bool,
    ) {
        if matches!(self.tool, Tool::Select | Tool::DrawHole | Tool::DrawPolygon) {
            self.paint_handles(painter, scene, t);
        }
        self.paint_drag(painter, scene, t);
        if let Some(d) = &self.draft {
            paint_draft(painter, scene, t, d, pointer.filter(|_| hovered), pointer);
        }
        let shown_centroid = match self.drag {
            Some(Drag::Centroid { to, moved: true }) => Some(to),
            _ => scene.centroid,
        };
        if let Some(c) = shown_centroid {
            centroid_marker(painter, &scene.xf, t, c);
        }
    }

    /// The vertex handles (not the one being dragged) and the midpoints.
    fn paint_handles(&self, painter: &egui::Painter, scene: &Scene<'_, '_>, t: &Tokens) {
        let sel_ring = scene.selected_ring;
        let dragged_vertex = match self.drag {
            Some(Drag::Vertex {
                at, moved: true, ..
            }) => scene
                .projected
                .ring_index(at.ring_ref())
                .map(|r| (r, at.vertex)),
            _ => None,
        };
        for h in &scene.handles.vertices {
            if Some((h.ring, h.vertex)) == dragged_vertex {
                continue;
            }
            let is_sel = Some(h.ring) == sel_ring;
            let chosen = is_sel && self.selection.and_then(|s| s.vertex) == Some(h.vertex);
            let (r, fill) = if chosen {
                (tokens::HANDLE_RADIUS + 1.5, t.selection)
            } else if is_sel {
                (tokens::HANDLE_RADIUS, Color32::WHITE)
            } else {
                (tokens::HANDLE_RADIUS - 1.5, Color32::WHITE)
            };
            let stroke = Stroke::new(
                1.5,
                if is_sel {
                    t.selection
                } else {
                    t.boundary_stroke
                },
            );
            painter.circle(h.pos, r, fill, stroke);
        }
        for m in &scene.handles.mids {
            painter.circle(
                m.pos,
                tokens::MIDPOINT_RADIUS,
                t.selection.gamma_multiply(0.55),
                Stroke::new(1.0, Color32::WHITE),
            );
        }
    }

    /// Where the dragged vertex, midpoint or polygon would go.
    fn paint_drag(&self, painter: &egui::Painter, scene: &Scene<'_, '_>, t: &Tokens) {
        let xf = &scene.xf;
        let doc = scene.doc;
        match self.drag {
            Some(Drag::Vertex {
                at,
                to,
                moved: true,
            }) => {
                if let Some(ring) = doc.and_then(|d| d.ring(at.ring_ref())) {
                    let n = ring.len();
                    let p = xf.ll_to_screen(to);
                    if n >= 2 {
                        let prev = xf.ll_to_screen(ring[(at.vertex + n - 1) % n]);
                        let next = xf.ll_to_screen(ring[(at.vertex + 1) % n]);
                        painter.line(vec![prev, p, next], Stroke::new(2.0, t.selection));
                    }
                    moved_point(painter, t, p);
                }
            }
            Some(Drag::Midpoint {
                ring,
                index,
                to,
                moved: true,
            }) => {
                if let Some(r) = doc.and_then(|d| d.ring(ring)) {
                    let n = r.len();
                    if n >= 2 {
                        let prev = xf.ll_to_screen(r[(index + n - 1) % n]);
                        let next = xf.ll_to_screen(r[index % n]);
                        let p = xf.ll_to_screen(to);
                        painter.line(vec![prev, p, next], Stroke::new(2.0, t.selection));
                        moved_point(painter, t, p);
                    }
                }
            }
            Some(Drag::Polygon {
                shape,
                polygon,
                from,
                to,
                moved: true,
            }) => {
                if let Some(poly) = doc.and_then(|d| d.shape(shape)?.polygons.get(polygon)) {
                    moved_polygon(painter, xf, t, poly, to - from);
                }
            }
            _ => {}
        }
    }
}

/// The point being dragged.
fn moved_point(painter: &egui::Painter, t: &Tokens, p: Pos2) {
    painter.circle(
        p,
        tokens::HANDLE_RADIUS + 1.5,
        t.selection,
        Stroke::new(1.5, Color32::WHITE),
    );
}

/// The outline of a polygon being moved by `delta` (at most about 5,000 points a ring).
fn moved_polygon(
    painter: &egui::Painter,
    xf: &Xform,
    t: &Tokens,
    poly: &casebook_core::geometry::Polygon,
    delta: Vec2,
) {
    for ring in &poly.rings {
        let step = (ring.len() / 5000).max(1);
        let pts: Vec<Pos2> = ring
            .iter()
            .step_by(step)
            .map(|p| xf.ll_to_screen(*p) + delta)
            .collect();
        if pts.len() >= 3 {
            painter.add(Shape::closed_line(pts, Stroke::new(2.0, t.selection)));
        }
    }
}

/// The polygon being drawn, with a rubber band to the pointer when the map is hovered
/// (`hovered_pointer`), and its first point grown when the pointer would close it.
fn paint_draft(
    painter: &egui::Painter,
    scene: &Scene<'_, '_>,
    t: &Tokens,
    d: &Draft,
    hovered_pointer: Option<Pos2>,
    pointer: Option<Pos2>,
) {
    let xf = &scene.xf;
    let pts: Vec<Pos2> = d.points.iter().map(|p| xf.ll_to_screen(*p)).collect();
    let stroke = Stroke::new(2.0, t.selection);
    if pts.len() >= 2 {
        painter.line(pts.clone(), stroke);
    }
    if let (Some(last), Some(p)) = (pts.last(), hovered_pointer) {
        let snapped = scene.snap(p, None);
        let target = snapped.map_or(p, |s| xf.ll_to_screen(s));
        painter.extend(Shape::dashed_line(&[*last, target], stroke, 5.0, 4.0));
        if pts.len() >= 2
            && let Some(first) = pts.first()
        {
            painter.extend(Shape::dashed_line(
                &[target, *first],
                Stroke::new(1.0, t.selection.gamma_multiply(0.6)),
                3.0,
                4.0,
            ));
        }
        if snapped.is_some() {
            painter.circle_stroke(target, SNAP * 0.8, Stroke::new(1.5, t.selection));
        }
    }
    for (i, p) in pts.iter().enumerate() {
        let closing = i == 0 && pts.len() >= 3 && pointer.is_some_and(|q| scene::near(*p, q));
        let r = if closing {
            tokens::HANDLE_RADIUS + 3.0
        } else {
            tokens::HANDLE_RADIUS
        };
        painter.circle(
            *p,
            r,
            if i == 0 { t.selection } else { Color32::WHITE },
            Stroke::new(1.5, t.selection),
        );
    }
}

/// The centroid marker: a ringed dot with four ticks, when near the view.
fn centroid_marker(painter: &egui::Painter, xf: &Xform, t: &Tokens, c: LonLat) {
    let p = xf.ll_to_screen(c);
    if !xf.rect.expand(10.0).contains(p) {
        return;
    }
    painter.circle(
        p,
        7.0,
        t.centroid.gamma_multiply(0.25),
        Stroke::new(2.0, t.centroid),
    );
    painter.circle_filled(p, 2.5, t.centroid);
    let stroke = Stroke::new(2.0, t.centroid);
    for dir in [
        Vec2::new(-1.0, 0.0),
        Vec2::new(1.0, 0.0),
        Vec2::new(0.0, -1.0),
        Vec2::new(0.0, 1.0),
    ] {
        painter.line_segment([p + dir * 11.0, p + dir * 7.0], stroke);
    }
}

/// While the map has the keyboard focus: a ring round it, and the polygon Tab is on dashed.
pub(super) fn keyboard_focus(
    painter: &egui::Painter,
    xf: &Xform,
    t: Tokens,
    doc: Option<&GeoDocument>,
    kb_polygon: Option<(usize, usize)>,
) {
    painter.rect_stroke(
        xf.rect.shrink(1.5),
        0.0,
        Stroke::new(3.0, t.selection),
        egui::StrokeKind::Inside,
    );
    if let Some((s, p)) = kb_polygon
        && let Some(ring) = doc
            .and_then(|d| d.shape(s))
            .and_then(|shape| shape.polygons.get(p))
            .and_then(|poly| poly.rings.first())
    {
        let mut pts: Vec<Pos2> = ring.iter().map(|q| xf.ll_to_screen(*q)).collect();
        if let Some(first) = pts.first().copied() {
            pts.push(first);
        }
        painter.extend(Shape::dashed_line(
            &pts,
            Stroke::new(3.0, t.selection),
            8.0,
            5.0,
        ));
    }
}

/// A boundary smaller than a few pixels gets a pin so that it can be found.
pub(super) fn pin_if_tiny(
    painter: &egui::Painter,
    xf: &Xform,
    t: Tokens,
    bbox: Option<super::super::geo2d::WRect>,
) {
    let Some(b) = bbox else { return };
    let [w, h] = b.size();
    if w * xf.scale < 6.0 && h * xf.scale < 6.0 {
        let c = xf.to_screen(b.center());
        painter.circle(
            c,
            6.0,
            super::super::render::sane_fill(t.boundary_fill),
            Stroke::new(2.0, t.boundary_stroke),
        );
    }
}

/// Rings previewed before they are applied (paste, import, simplify), dashed.
pub(super) fn previews(painter: &egui::Painter, xf: &Xform, t: Tokens, previews: &[Vec<LonLat>]) {
    for ring in previews {
        let pts: Vec<Pos2> = ring.iter().map(|p| xf.ll_to_screen(*p)).collect();
        if pts.len() >= 2 {
            let mut closed = pts.clone();
            closed.push(pts[0]);
            painter.extend(Shape::dashed_line(
                &closed,
                Stroke::new(2.0, t.info),
                6.0,
                4.0,
            ));
        }
    }
}

/// Geometry problems at their place: a diamond with a cross (not to be mistaken for the round
/// centroid marker), red for errors.
pub(super) fn issue_markers(
    painter: &egui::Painter,
    xf: &Xform,
    t: Tokens,
    issue_points: &[(LonLat, bool)],
) {
    for (p, is_error) in issue_points {
        let s = xf.ll_to_screen(*p);
        if xf.rect.expand(8.0).contains(s) {
            let c = if *is_error { t.error } else { t.warning };
            let r = 8.0;
            let diamond = vec![
                s + Vec2::new(0.0, -r),
                s + Vec2::new(r, 0.0),
                s + Vec2::new(0.0, r),
                s + Vec2::new(-r, 0.0),
            ];
            painter.add(Shape::convex_polygon(
                diamond,
                c.gamma_multiply(0.25),
                Stroke::new(2.0, c),
            ));
            let d = 3.0;
            painter.line_segment(
                [s + Vec2::new(-d, -d), s + Vec2::new(d, d)],
                Stroke::new(2.0, c),
            );
            painter.line_segment(
                [s + Vec2::new(-d, d), s + Vec2::new(d, -d)],
                Stroke::new(2.0, c),
            );
        }
    }
}
