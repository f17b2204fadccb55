//! Tool switching, the keyboard (Enter, Esc, Backspace, Delete), and finishing a drawing.

use super::*;

impl Editing {
    /// Switches tool, dropping what was being drawn or dragged.
    pub fn set_tool(&mut self, tool: Tool) {
        if self.tool != tool {
            self.draft = None;
            self.drag = None;
        }
        self.tool = tool;
    }

    pub(crate) fn say(&mut self, ui: &egui::Ui, msg: impl Into<String>) {
        let now = ui.input(|i| i.time);
        self.note = Some((msg.into(), now));
    }

    /// Drops a selection that no longer exists (after undo, deletion, another file).
    pub fn validate(&mut self, doc: Option<&GeoDocument>) {
        if let Some(sel) = self.selection {
            match doc.and_then(|d| d.ring(sel.ring)) {
                None => self.selection = None,
                Some(r) => {
                    if sel.vertex.is_some_and(|v| v >= r.len()) {
                        self.selection = Some(Selection {
                            vertex: None,
                            ..sel
                        });
                    }
                }
            }
        }
        if let (Some(Removal::Hole(at)), Some(d)) = (self.confirm, doc)
            && d.ring(at).is_none()
        {
            self.confirm = None;
        }
        if let Some(Draft {
            kind: DraftKind::Hole { shape, polygon },
            ..
        }) = &self.draft
            && doc
                .and_then(|d| d.shape(*shape)?.polygons.get(*polygon))
                .is_none()
        {
            self.draft = None;
        }
    }

    /// Keys of the map: Enter, Esc, Backspace, Delete. Not while a text field has focus.
    pub fn keys(&mut self, ui: &egui::Ui, cx: &ViewCtx<'_>, out: &mut Vec<Intent>) {
        if ui.ctx().text_edit_focused() {
            return;
        }
        let consume = |k: Key| ui.ctx().input_mut(|i| i.consume_key(Modifiers::NONE, k));
        if self.draft.is_some() {
            if consume(Key::Enter) {
                self.finish_draft(ui, cx, out);
            } else if consume(Key::Escape) {
                self.draft = None;
                self.say(ui, "Drawing cancelled.");
            } else if consume(Key::Backspace)
                && let Some(d) = &mut self.draft
            {
                d.points.pop();
                if d.points.is_empty() && matches!(d.kind, DraftKind::Hole { .. }) {
                    self.draft = None;
                }
            }
            return;
        }
        if self.drag.is_some() && consume(Key::Escape) {
            self.drag = None;
            return;
        }
        if self.confirm.is_some() && consume(Key::Escape) {
            self.confirm = None;
            return;
        }
        if self.tool != Tool::Select && consume(Key::Escape) {
            self.set_tool(Tool::Select);
            return;
        }
        if self.selection.is_some() && consume(Key::Escape) {
            self.selection = None;
            return;
        }
        let delete = consume(Key::Delete) || consume(Key::Backspace);
        if delete
            && let Some(Selection {
                ring,
                vertex: Some(v),
            }) = self.selection
            && let Some(doc) = cx.case.geometry()
        {
            match doc.vertex_removal(ring.vertex(v)) {
                Ok(g) => {
                    out.push(geo_intent(cx, g, "Remove vertex"));
                    self.selection = Some(Selection { ring, vertex: None });
                }
                Err(c) => self.confirm = Some(c),
            }
        }
    }

    /// Closes the polygon or hole being drawn and emits its edit.
    pub fn finish_draft(&mut self, ui: &egui::Ui, cx: &ViewCtx<'_>, out: &mut Vec<Intent>) {
        let Some(mut draft) = self.draft.take() else {
            return;
        };
        draft
            .points
            .dedup_by(|a, b| (a.lon - b.lon).abs() < 1e-9 && (a.lat - b.lat).abs() < 1e-9);
        if draft.points.len() >= 2 && draft.points.first() == draft.points.last() {
            draft.points.pop();
        }
        if distinct_count(&draft.points) < 3 {
            self.say(
                ui,
                "A polygon needs at least 3 points; keep clicking to add them.",
            );
            self.draft = Some(draft);
            return;
        }
        let doc = cx.case.geometry();
        match draft.kind {
            DraftKind::Polygon => {
                let (g, new_ring) = add_polygon_edit(doc, draft.points);
                out.push(geo_intent(cx, g, "Draw polygon"));
                self.selection = Some(Selection {
                    ring: new_ring,
                    vertex: None,
                });
            }
            DraftKind::Hole { shape, polygon } => {
                let index = doc
                    .and_then(|d| d.shape(shape)?.polygons.get(polygon))
                    .map_or(1, |p| p.rings.len().max(1));
                let at = RingRef::new(shape, polygon, index);
                out.push(geo_intent(
                    cx,
                    GeometryEdit::InsertRing {
                        at,
                        vertices: draft.points,
                    },
                    "Add hole",
                ));
                self.selection = Some(Selection {
                    ring: at,
                    vertex: None,
                });
            }
        }
        self.tool = Tool::Select;
    }
}
