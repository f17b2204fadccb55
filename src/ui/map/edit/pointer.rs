//! What a finished drag and a click do, per tool.

use super::*;

impl Editing {
    /// Starts a drag on a press: of the centroid marker, a vertex, a midpoint, or (with Shift)
    /// a polygon. Returns whether the press was taken.
    pub(super) fn press(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        scene: &Scene<'_, '_>,
        input: &PointerInput,
    ) -> bool {
        if input.pressed {
            self.press_consumed = false;
        }
        let mut taken = false;
        if input.pressed
            && response.hovered()
            && !input.over_overlay
            && self.drag.is_none()
            && let Some(p) = input.pos
        {
            let on_centroid = scene.centroid.is_some_and(|c| {
                geo2d::dist2(scene.xf.ll_to_screen(c), p) <= (tokens::HANDLE_GRAB + 3.0).powi(2)
            });
            if matches!(self.tool, Tool::Select | Tool::SetCentroid)
                && on_centroid
                && scene.can_edit
            {
                if let Some(c) = scene.centroid {
                    self.drag = Some(Drag::Centroid {
                        to: c,
                        moved: false,
                    });
                    taken = true;
                }
            } else if self.tool == Tool::Select && scene.can_edit {
                taken = self.grab(p, ui.input(|i| i.modifiers.shift), scene);
            }
        }
        if taken {
            self.press_consumed = true;
        }
        taken
    }

    /// With the Select tool, a press at `p` grabs the nearest handle (the selected ring's
    /// first), else the nearest midpoint, else with `shift` the polygon under it.
    fn grab(&mut self, p: Pos2, shift: bool, scene: &Scene<'_, '_>) -> bool {
        let Scene {
            xf,
            doc,
            projected,
            handles,
            selected_ring,
            ..
        } = *scene;
        let near = |pos: Pos2| geo2d::dist2(pos, p);
        let best_vertex = handles
            .vertices
            .iter()
            .filter(|h| scene::near(h.pos, p))
            .min_by(|a, b| {
                let pa = (Some(a.ring) != selected_ring, near(a.pos));
                let pb = (Some(b.ring) != selected_ring, near(b.pos));
                pa.0.cmp(&pb.0).then(pa.1.total_cmp(&pb.1))
            });
        let best_mid = handles
            .mids
            .iter()
            .filter(|m| scene::near(m.pos, p))
            .min_by(|a, b| near(a.pos).total_cmp(&near(b.pos)));
        if let Some(h) = best_vertex
            && let Some(ring) = projected.rings.get(h.ring)
        {
            let at = ring.at.vertex(h.vertex);
            let to = doc
                .and_then(|d| d.ring(ring.at)?.get(h.vertex).copied())
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
            true
        } else if let Some(m) = best_mid
            && let Some(ring) = projected.rings.get(m.ring)
        {
            self.drag = Some(Drag::Midpoint {
                ring: ring.at,
                index: m.insert_at,
                to: xf.to_lonlat(m.pos),
                moved: false,
            });
            true
        } else if shift
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
            true
        } else {
            false
        }
    }

    /// Moves the dragged thing with the pointer, and finishes the drag on release.
    pub(super) fn follow_drag(
        &mut self,
        ui: &egui::Ui,
        scene: &Scene<'_, '_>,
        input: &PointerInput,
        press_taken: bool,
        out: &mut Vec<Intent>,
    ) {
        const DRAG_THRESHOLD: f32 = 3.0;
        let Some(mut drag) = self.drag else { return };
        if input.pressed && !press_taken {
            return;
        }
        let origin = ui.input(|i| i.pointer.press_origin());
        let moved_now = match (origin, input.pos) {
            (Some(o), Some(p)) => geo2d::dist2(o, p) > DRAG_THRESHOLD * DRAG_THRESHOLD,
            _ => false,
        };
        if let Some(p) = input.pos {
            match &mut drag {
                Drag::Vertex { at, to, moved } => {
                    *moved |= moved_now;
                    if *moved {
                        let skip = scene
                            .projected
                            .ring_index(at.ring_ref())
                            .map(|r| (r, at.vertex));
                        *to = scene.place(p, skip);
                    }
                }
                Drag::Midpoint { to, moved, .. } => {
                    *moved |= moved_now;
                    if *moved {
                        *to = scene.place(p, None);
                    }
                }
                Drag::Polygon { to, moved, .. } => {
                    *moved |= moved_now;
                    *to = p;
                }
                Drag::Centroid { to, moved } => {
                    *moved |= moved_now;
                    if *moved {
                        *to = scene.xf.to_lonlat(p);
                    }
                }
            }
        }
        if input.released {
            self.drag = None;
            self.finish_drag(drag, scene.cx, &scene.xf, out);
        } else {
            self.drag = Some(drag);
            ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
        }
    }

    /// A click (not the release of a drag, not on an overlay) uses the tool; a double-click on
    /// the last drawn point finishes the drawing (its second click lands on the point the
    /// first one placed).
    pub(super) fn clicks(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        scene: &Scene<'_, '_>,
        out: &mut Vec<Intent>,
    ) {
        let click_pos = response.interact_pointer_pos();
        let covered = |p: Pos2| self.covered.iter().any(|r| r.contains(p));
        let clicked = response.clicked() && !self.press_consumed && !click_pos.is_some_and(covered);
        if let (true, Some(p)) = (clicked && self.drag.is_none(), click_pos) {
            self.click(ui, p, scene, out);
        }
        let on_last_point = |p: Pos2| {
            self.draft
                .as_ref()
                .and_then(|d| d.points.last())
                .is_some_and(|l| scene::near(scene.xf.ll_to_screen(*l), p))
        };
        if response.double_clicked() && click_pos.is_some_and(on_last_point) {
            self.finish_draft(ui, scene.cx, out);
        }
    }

    /// A right-click on a vertex handle removes the vertex (or asks to remove its ring).
    pub(super) fn secondary_click(
        &mut self,
        response: &egui::Response,
        scene: &Scene<'_, '_>,
        out: &mut Vec<Intent>,
    ) {
        if response.secondary_clicked()
            && self.tool == Tool::Select
            && scene.can_edit
            && let Some(p) = response.interact_pointer_pos()
            && let Some(h) = scene
                .handles
                .vertices
                .iter()
                .filter(|h| scene::near(h.pos, p))
                .min_by(|a, b| geo2d::dist2(a.pos, p).total_cmp(&geo2d::dist2(b.pos, p)))
            && let Some(ring) = scene.projected.rings.get(h.ring)
            && let Some(doc) = scene.doc
        {
            self.selection = Some(Selection {
                ring: ring.at,
                vertex: Some(h.vertex),
            });
            match doc.vertex_removal(ring.at.vertex(h.vertex)) {
                Ok(g) => {
                    out.push(geo_intent(scene.cx, g, "Remove vertex"));
                    self.selection = Some(Selection {
                        ring: ring.at,
                        vertex: None,
                    });
                }
                Err(c) => self.confirm = Some(c),
            }
        }
    }

    /// The cursor over the map: a hand over a handle, a crosshair for the drawing tools.
    pub(super) fn hover_cursor(
        &self,
        ui: &egui::Ui,
        response: &egui::Response,
        scene: &Scene<'_, '_>,
        pointer: Option<Pos2>,
    ) {
        if !response.hovered() || self.drag.is_some() {
            return;
        }
        let Some(p) = pointer else { return };
        if self.tool == Tool::Select && scene.handles.any_near(p) {
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

    /// Turns a finished drag into its edit.
    pub(super) fn finish_drag(
        &mut self,
        drag: Drag,
        cx: &ViewCtx<'_>,
        xf: &Xform,
        out: &mut Vec<Intent>,
    ) {
        match drag {
            Drag::Vertex {
                at,
                to,
                moved: true,
            } => {
                out.push(geo_intent(
                    cx,
                    GeometryEdit::MoveVertex { at, to },
                    "Move vertex",
                ));
            }
            Drag::Vertex { .. } => {}
            Drag::Midpoint {
                ring, index, to, ..
            } => {
                out.push(geo_intent(
                    cx,
                    GeometryEdit::InsertVertex {
                        at: ring.vertex(index),
                        pos: to,
                    },
                    "Insert vertex",
                ));
                self.selection = Some(Selection {
                    ring,
                    vertex: Some(index),
                });
            }
            Drag::Polygon {
                shape,
                polygon,
                from,
                to,
                moved: true,
            } => {
                let a = xf.to_lonlat(from);
                let b = xf.to_lonlat(to);
                out.push(geo_intent(
                    cx,
                    GeometryEdit::TranslatePolygon {
                        shape,
                        polygon,
                        dlon: b.lon - a.lon,
                        dlat: b.lat - a.lat,
                    },
                    "Move polygon",
                ));
            }
            Drag::Polygon { .. } => {}
            Drag::Centroid { to, moved: true } => {
                out.push(centroid_intent(cx, to));
                if self.tool == Tool::SetCentroid {
                    self.tool = Tool::Select;
                }
            }
            Drag::Centroid { .. } => {}
        }
    }

    /// What a click at `p` does with the active tool.
    pub(super) fn click(
        &mut self,
        ui: &egui::Ui,
        p: Pos2,
        scene: &Scene<'_, '_>,
        out: &mut Vec<Intent>,
    ) {
        let w = scene.xf.to_world(p);
        match self.tool {
            Tool::Select => {
                self.confirm = None;
                let projected = scene.projected;
                self.selection = projected.polygon_at(w).and_then(|(pi, hole)| {
                    let poly = projected.polygons.get(pi)?;
                    let ring = hole.map_or(0, |h| h - poly.rings.start);
                    Some(Selection {
                        ring: RingRef::new(poly.shape, poly.polygon, ring),
                        vertex: None,
                    })
                });
            }
            Tool::DrawPolygon | Tool::DrawHole => self.click_draw(ui, p, scene, out),
            Tool::DeletePolygon => self.click_delete(ui, w, scene, out),
            Tool::SetCentroid => {
                if scene.can_edit {
                    out.push(centroid_intent(scene.cx, scene.xf.to_lonlat(p)));
                    self.tool = Tool::Select;
                }
            }
        }
    }

    /// A click with a drawing tool: starts the draft (a hole starts inside a polygon), adds a
    /// point, or closes the outline on its first point.
    fn click_draw(&mut self, ui: &egui::Ui, p: Pos2, scene: &Scene<'_, '_>, out: &mut Vec<Intent>) {
        if !scene.can_edit {
            if let Err(e) = editable(scene.cx) {
                self.say(ui, e);
            }
            return;
        }
        if self.draft.is_none() && !self.start_draft(ui, scene.xf.to_world(p), scene) {
            return;
        }
        let pos = scene.place(p, None);
        let Some(d) = &mut self.draft else { return };
        let hit = d
            .points
            .iter()
            .position(|q| scene::near(scene.xf.ll_to_screen(*q), p));
        match hit {
            // The first point closes the outline once it has three.
            Some(0) if d.points.len() >= 3 => {
                self.finish_draft(ui, scene.cx, out);
                return;
            }
            Some(0) => {
                self.say(
                    ui,
                    "An outline needs at least 3 points before it can be closed.",
                );
                return;
            }
            // A point already in the outline would make it touch itself.
            Some(_) => return,
            None => {}
        }
        d.points.push(pos);
    }

    /// Starts drawing a polygon, or a hole in the polygon at `w`; false when a hole is
    /// started outside every polygon.
    fn start_draft(&mut self, ui: &egui::Ui, w: geo2d::W, scene: &Scene<'_, '_>) -> bool {
        if self.tool == Tool::DrawPolygon {
            self.draft = Some(Draft {
                kind: DraftKind::Polygon,
                points: Vec::new(),
            });
            return true;
        }
        match scene.projected.polygon_at(w) {
            Some((pi, None)) => {
                if let Some(poly) = scene.projected.polygons.get(pi) {
                    self.draft = Some(Draft {
                        kind: DraftKind::Hole {
                            shape: poly.shape,
                            polygon: poly.polygon,
                        },
                        points: Vec::new(),
                    });
                }
                true
            }
            _ => {
                self.say(ui, "Click inside a polygon to start a hole in it.");
                false
            }
        }
    }

    /// A click with the delete tool removes the polygon under it.
    fn click_delete(
        &mut self,
        ui: &egui::Ui,
        w: geo2d::W,
        scene: &Scene<'_, '_>,
        out: &mut Vec<Intent>,
    ) {
        if !scene.can_edit {
            return;
        }
        let Some(doc) = scene.doc else { return };
        let projected = scene.projected;
        match projected
            .polygon_at(w)
            .and_then(|(pi, _)| projected.polygons.get(pi))
        {
            Some(poly) => {
                let c = doc.polygon_removal(poly.shape, poly.polygon);
                out.push(geo_intent(scene.cx, c.edit(), "Delete polygon"));
                self.selection = None;
            }
            None => self.say(ui, "Click inside the polygon to delete."),
        }
    }
}
