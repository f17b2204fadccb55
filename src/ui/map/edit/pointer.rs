//! What a finished drag and a click do, per tool.

use super::*;

impl Editing {
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

    #[allow(clippy::too_many_arguments)]
    pub(super) fn click(
        &mut self,
        ui: &egui::Ui,
        p: Pos2,
        cx: &ViewCtx<'_>,
        xf: &Xform,
        projected: &crate::ui::map::render::Projected,
        place: &dyn Fn(Pos2, Option<(usize, usize)>) -> LonLat,
        can_edit: bool,
        out: &mut Vec<Intent>,
    ) {
        let doc = cx.case.geometry();
        let w = xf.to_world(p);
        match self.tool {
            Tool::Select => {
                self.confirm = None;
                self.selection = projected.polygon_at(w).and_then(|(pi, hole)| {
                    let poly = projected.polygons.get(pi)?;
                    let ring = hole.map_or(0, |h| h - poly.rings.start);
                    Some(Selection {
                        ring: RingRef::new(poly.shape, poly.polygon, ring),
                        vertex: None,
                    })
                });
            }
            Tool::DrawPolygon | Tool::DrawHole => {
                if !can_edit {
                    if let Err(e) = editable(cx) {
                        self.say(ui, e);
                    }
                    return;
                }
                if self.draft.is_none() {
                    if self.tool == Tool::DrawPolygon {
                        self.draft = Some(Draft {
                            kind: DraftKind::Polygon,
                            points: Vec::new(),
                        });
                    } else {
                        match projected.polygon_at(w) {
                            Some((pi, None)) => {
                                if let Some(poly) = projected.polygons.get(pi) {
                                    self.draft = Some(Draft {
                                        kind: DraftKind::Hole {
                                            shape: poly.shape,
                                            polygon: poly.polygon,
                                        },
                                        points: Vec::new(),
                                    });
                                }
                            }
                            _ => {
                                self.say(ui, "Click inside a polygon to start a hole in it.");
                                return;
                            }
                        }
                    }
                }
                let pos = place(p, None);
                let Some(d) = &mut self.draft else { return };
                let grab2 = tokens::HANDLE_GRAB * tokens::HANDLE_GRAB;
                let hit = d
                    .points
                    .iter()
                    .position(|q| geo2d::dist2(xf.ll_to_screen(*q), p) <= grab2);
                match hit {
                    // The first point closes the outline once it has three.
                    Some(0) if d.points.len() >= 3 => {
                        self.finish_draft(ui, cx, out);
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
            Tool::DeletePolygon => {
                if !can_edit {
                    return;
                }
                let Some(doc) = doc else { return };
                match projected
                    .polygon_at(w)
                    .and_then(|(pi, _)| projected.polygons.get(pi))
                {
                    Some(poly) => {
                        let c = removal_of_polygon(doc, poly.shape, poly.polygon);
                        out.push(geo_intent(cx, c.edit(), "Delete polygon"));
                        self.selection = None;
                    }
                    None => self.say(ui, "Click inside the polygon to delete."),
                }
            }
            Tool::SetCentroid => {
                if can_edit {
                    out.push(centroid_intent(cx, xf.to_lonlat(p)));
                    self.tool = Tool::Select;
                }
            }
        }
    }
}
