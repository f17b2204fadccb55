//! The selected ring's points as a table of latitude/longitude fields, editable with the
//! keyboard alone: Tab moves between fields, Enter (or leaving a field) moves the point,
//! Escape drops what was typed.
//!
//! The fields show the file's numbers as they are (every digit). Committing a field changes
//! only the axis typed, rounded to the 6 decimals positions are written with (about 0.1 m,
//! see `casebook_core::geometry`); the other axis keeps its exact value and text.

use std::collections::HashMap;

use casebook_core::geometry::{GeoDocument, GeometryEdit, LonLat, RingRef};
use egui::{Key, RichText};

use super::edit::{Editing, Selection, geo_intent};
use crate::ui::tokens::Tokens;
use crate::ui::{Intent, ViewCtx};

/// Which coordinate a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Axis {
    Lat,
    Lon,
}

/// Text being typed into the table, per (ring, vertex, axis).
#[derive(Default)]
pub struct TableState {
    drafts: HashMap<(RingRef, usize, Axis), String>,
    error: Option<String>,
    geometry_key: u64,
}

/// What the table asks of the map.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TableActions {
    /// Centre the map on this point.
    pub go_to: Option<LonLat>,
}

/// A coordinate as shown: six decimals, so a column of them lines up. Only what is typed is
/// written (see `round6`); an axis nobody typed keeps its exact value and text in the file.
fn fmt(x: f64) -> String {
    crate::ui::widgets::degrees(x)
}

/// A typed coordinate rounded to the written precision (6 decimals).
fn round6(x: f64) -> f64 {
    LonLat::new(x, 0.0).rounded6().lon
}

fn parse(s: &str, axis: Axis) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| {
        format!(
            "\"{}\" is not a number (use a point for decimals: 51.53)",
            s.trim()
        )
    })?;
    let (name, limit) = match axis {
        Axis::Lat => ("Latitude", 90.0),
        Axis::Lon => ("Longitude", 180.0),
    };
    if !x.is_finite() || x.abs() > limit {
        return Err(format!("{name} must be between -{limit} and {limit}."));
    }
    Ok(x)
}

/// The vertex table of the selected ring.
pub fn vertex_table_ui(
    ui: &mut egui::Ui,
    st: &mut TableState,
    ed: &mut Editing,
    cx: &ViewCtx<'_>,
    key: u64,
    out: &mut Vec<Intent>,
) -> TableActions {
    let t = Tokens::of(ui);
    let mut act = TableActions::default();
    if st.geometry_key != key && !ui.ctx().text_edit_focused() {
        st.drafts.clear();
        st.geometry_key = key;
    }
    let doc = cx.case.geometry();
    let Some(sel) = ed.selection else {
        ui.colored_label(
            t.muted,
            "Select a polygon on the map to list and edit its points here.",
        );
        return act;
    };
    let Some(doc) = doc else { return act };
    let Some(ring) = doc.ring(sel.ring) else {
        return act;
    };
    let mut table = Table {
        st,
        ed,
        cx,
        doc,
        sel,
        // Borrowed, never copied: the ring may hold a million points.
        ring,
        t,
        escape: ui.input(|i| i.key_pressed(Key::Escape)),
        field_width: 92.0,
        out,
    };
    let n = ring.len();
    let what = super::edit::ring_title(doc, sel.ring);
    // Wrapped, and the fields sized to the panel: the panel never grows past its width.
    ui.horizontal_wrapped(|ui| {
        ui.strong(what);
        ui.colored_label(t.muted, format!("{n} points"));
    });
    ui.horizontal_wrapped(|ui| table.buttons_ui(ui));
    // The point's number, two fields and the remove button, with the grid's spacing.
    let number = 8.0 * (n.max(1).ilog10() as f32 + 1.0) + 12.0;
    table.field_width = ((ui.available_width() - number - 56.0) / 2.0).clamp(60.0, 92.0);
    if let Some(e) = &table.st.error {
        ui.colored_label(t.error, e);
    }
    let row_h = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt("vertex-table")
        .auto_shrink([false, true])
        .show_rows(ui, row_h, n, |ui, rows| {
            egui::Grid::new("vertex-grid")
                .num_columns(4)
                .spacing([6.0, 4.0])
                .show(ui, |ui| {
                    for i in rows {
                        if let Some(p) = table.row_ui(ui, i) {
                            act.go_to = Some(p);
                        }
                    }
                });
        });
    act
}

/// One frame of the table of a ring: what its rows and buttons work with.
struct Table<'a, 'c> {
    st: &'a mut TableState,
    ed: &'a mut Editing,
    cx: &'a ViewCtx<'c>,
    doc: &'a GeoDocument,
    sel: Selection,
    ring: &'a [LonLat],
    t: Tokens,
    /// Escape was pressed this frame.
    escape: bool,
    /// The width of a coordinate field (narrower in a narrow panel).
    field_width: f32,
    out: &'a mut Vec<Intent>,
}

impl Table<'_, '_> {
    /// "Add point" (halfway to the next one, after the selected point) and "Remove point".
    fn buttons_ui(&mut self, ui: &mut egui::Ui) {
        let (sel, ring, n) = (self.sel, self.ring, self.ring.len());
        let after = sel.vertex.unwrap_or(n.saturating_sub(1));
        if ui
            .button("Add point")
            .on_hover_text("Insert a point halfway to the next one (after the selected point)")
            .clicked()
            && n >= 1
        {
            let a = ring[after % n];
            let b = ring[(after + 1) % n];
            let pos = LonLat::new((a.lon + b.lon) / 2.0, (a.lat + b.lat) / 2.0);
            self.out.push(geo_intent(
                self.cx,
                GeometryEdit::InsertVertex {
                    at: sel.ring.vertex(after + 1),
                    pos,
                },
                "Insert vertex",
            ));
            self.select(after + 1);
        }
        if let Some(v) = sel.vertex
            && ui
                .button("Remove point")
                .on_hover_text("Remove the selected point (Delete)")
                .clicked()
        {
            match self.doc.vertex_removal(sel.ring.vertex(v)) {
                Ok(g) => {
                    self.out.push(geo_intent(self.cx, g, "Remove vertex"));
                    self.ed.selection = Some(Selection {
                        ring: sel.ring,
                        vertex: None,
                    });
                }
                Err(c) => self.ed.confirm = Some(c),
            }
        }
    }

    /// Selects vertex `i` of the ring.
    fn select(&mut self, i: usize) {
        self.ed.selection = Some(Selection {
            ring: self.sel.ring,
            vertex: Some(i),
        });
    }

    /// Row `i`: its number (selects it), latitude, longitude and a remove button; the point
    /// to show on the map when its number was clicked.
    fn row_ui(&mut self, ui: &mut egui::Ui, i: usize) -> Option<LonLat> {
        let p = self.ring[i];
        let mut go_to = None;
        let chosen = self.sel.vertex == Some(i);
        let label = ui
            .selectable_label(chosen, RichText::new(format!("{}", i + 1)).monospace())
            .on_hover_text("Select this point and show it on the map");
        if label.clicked() {
            self.select(i);
            go_to = Some(p);
        }
        for axis in [Axis::Lat, Axis::Lon] {
            self.coordinate_ui(ui, i, p, axis);
        }
        if ui
            .small_button("×")
            .accessible_name(format!("Remove point {}", i + 1))
            .on_hover_text("Remove this point")
            .clicked()
        {
            match self.doc.vertex_removal(self.sel.ring.vertex(i)) {
                Ok(g) => self.out.push(geo_intent(self.cx, g, "Remove vertex")),
                Err(c) => self.ed.confirm = Some(c),
            }
        }
        ui.end_row();
        go_to
    }

    /// The field of one coordinate of point `i` (at `p`): keeps what is typed, and moves the
    /// point when the field is left (Escape drops the text).
    fn coordinate_ui(&mut self, ui: &mut egui::Ui, i: usize, p: LonLat, axis: Axis) {
        let k = (self.sel.ring, i, axis);
        let (value, name) = match axis {
            Axis::Lat => (p.lat, format!("Latitude {}", i + 1)),
            Axis::Lon => (p.lon, format!("Longitude {}", i + 1)),
        };
        let drafts = &mut self.st.drafts;
        let mut text = drafts.get(&k).cloned().unwrap_or_else(|| fmt(value));
        let bad = drafts.get(&k).is_some_and(|d| parse(d, axis).is_err());
        let mut edit = egui::TextEdit::singleline(&mut text)
            .desired_width(self.field_width + 4.0)
            .font(egui::TextStyle::Monospace)
            .align(egui::Align2::RIGHT_CENTER);
        if bad {
            edit = edit.text_color(self.t.error);
        }
        let r = ui
            .add_sized([self.field_width, 20.0], edit)
            .accessible_name(name);
        if r.changed() {
            self.st.drafts.insert(k, text.clone());
        }
        if r.gained_focus() {
            self.select(i);
        }
        if r.has_focus() && self.escape {
            // Escape drops what was typed (the focus stays).
            self.st.drafts.remove(&k);
            self.st.error = None;
            return;
        }
        if r.lost_focus() {
            let Some(draft) = self.st.drafts.remove(&k) else {
                return;
            };
            if self.escape {
                self.st.error = None;
                return;
            }
            self.commit(i, p, axis, draft);
        }
    }

    /// Moves point `i` (at `p`) to the typed coordinate, or keeps the text and says what is
    /// wrong with it.
    fn commit(&mut self, i: usize, p: LonLat, axis: Axis, draft: String) {
        match parse(&draft, axis) {
            Ok(x) => {
                self.st.error = None;
                // Only the axis typed changes, rounded to 6 decimals; the other keeps its
                // exact value (so its text).
                let x = round6(x);
                let (to, same) = match axis {
                    Axis::Lat => (LonLat::new(p.lon, x), x.to_bits() == p.lat.to_bits()),
                    Axis::Lon => (LonLat::new(x, p.lat), x.to_bits() == p.lon.to_bits()),
                };
                if !same {
                    self.out.push(geo_intent(
                        self.cx,
                        GeometryEdit::Verbatim(Box::new(GeometryEdit::MoveVertex {
                            at: self.sel.ring.vertex(i),
                            to,
                        })),
                        "Move vertex",
                    ));
                }
            }
            Err(e) => {
                self.st.error = Some(format!("Point {}: {e}", i + 1));
                self.st.drafts.insert((self.sel.ring, i, axis), draft);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_line_up_and_typed_ones_are_rounded() {
        assert_eq!(fmt(51.5300001), "51.530000");
        assert_eq!(fmt(-0.0000001), "0.000000");
        assert_eq!(fmt(10.0), "10.000000");
        assert_eq!(round6(40.70021234567), 40.700212);
        assert_eq!(round6(40.7), 40.7);
        assert_eq!(parse(" 51.5 ", Axis::Lat), Ok(51.5));
        assert!(parse("95", Axis::Lat).is_err());
        assert!(parse("170", Axis::Lon).is_ok());
        assert!(parse("51,5", Axis::Lat).is_err());
    }
}
