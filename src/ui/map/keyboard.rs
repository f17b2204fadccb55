//! The map's own keys while it has the focus (pan, zoom, going through the polygons).

use casebook_core::geometry::LonLat;

use super::edit::{self, Editing, Selection};
use super::geo2d::Xform;
use super::{MAX_ZOOM, MIN_ZOOM};
use crate::ui::ViewCtx;

/// The keyboard on the map while it has the focus: arrows pan, + and − zoom, Tab and
/// Shift+Tab go through the polygons, Enter selects the one the keyboard is on (its points go
/// to the vertex table). Returns true when Escape had nothing left to cancel: the focus then
/// leaves the map. (Enter while drawing, Escape, Delete and Backspace are the editing keys of
/// `Editing::keys`, which run first.)
pub(super) fn map_keyboard(
    ui: &egui::Ui,
    response: &egui::Response,
    memory: &mut walkers::MapMemory,
    ed: &mut Editing,
    cx: &ViewCtx<'_>,
) -> bool {
    use egui::{Key, Modifiers};
    if !response.has_focus() {
        return false;
    }
    // The key that brought the focus here (Tab) is not for the map.
    let just_arrived = response.gained_focus();
    ui.memory_mut(|m| {
        m.set_focus_lock_filter(
            response.id,
            egui::EventFilter {
                tab: true,
                horizontal_arrows: true,
                vertical_arrows: true,
                escape: true,
            },
        );
    });
    let Some(xf) = ed.last_xf else { return false };
    if just_arrived {
        return false;
    }
    pan_and_zoom_keys(ui, memory, &xf);
    tab_through_polygons(ui, memory, ed, cx, &xf);
    let consume = |m: Modifiers, k: Key| ui.ctx().input_mut(|i| i.consume_key(m, k));
    if ed.draft.is_none()
        && let Some((shape, polygon)) = ed.kb_polygon
        && consume(Modifiers::NONE, Key::Enter)
    {
        ed.selection = Some(Selection {
            ring: casebook_core::geometry::RingRef::new(shape, polygon, 0),
            vertex: None,
        });
        ed.say(ui, "Selected: its points are in the table beside the map.");
    }
    consume(Modifiers::NONE, Key::Escape)
}

/// Arrows pan by 80 points; +, = and − zoom by one level about the centre.
fn pan_and_zoom_keys(ui: &egui::Ui, memory: &mut walkers::MapMemory, xf: &Xform) {
    use egui::{Key, Modifiers};
    let consume = |m: Modifiers, k: Key| ui.ctx().input_mut(|i| i.consume_key(m, k));
    let step = 80.0;
    for (k, d) in [
        (Key::ArrowLeft, egui::vec2(-step, 0.0)),
        (Key::ArrowRight, egui::vec2(step, 0.0)),
        (Key::ArrowUp, egui::vec2(0.0, -step)),
        (Key::ArrowDown, egui::vec2(0.0, step)),
    ] {
        if consume(Modifiers::NONE, k) {
            let c = xf.to_lonlat(xf.rect.center() + d);
            memory.center_at(walkers::lon_lat(c.lon, c.lat));
        }
    }
    let zoom_in = consume(Modifiers::NONE, Key::Plus)
        || consume(Modifiers::NONE, Key::Equals)
        || consume(Modifiers::SHIFT, Key::Equals)
        || consume(Modifiers::SHIFT, Key::Plus);
    let zoom_out = consume(Modifiers::NONE, Key::Minus);
    if zoom_in || zoom_out {
        let c = xf.to_lonlat(xf.rect.center());
        memory.center_at(walkers::lon_lat(c.lon, c.lat));
        let dz = if zoom_in { 1.0 } else { -1.0 };
        let _ = memory.set_zoom((memory.zoom() + dz).round().clamp(MIN_ZOOM, MAX_ZOOM));
    }
}

/// Tab and Shift+Tab go through the polygons (bringing each into view and saying which it
/// is).
fn tab_through_polygons(
    ui: &egui::Ui,
    memory: &mut walkers::MapMemory,
    ed: &mut Editing,
    cx: &ViewCtx<'_>,
    xf: &Xform,
) {
    use egui::{Key, Modifiers};
    let consume = |m: Modifiers, k: Key| ui.ctx().input_mut(|i| i.consume_key(m, k));
    let polygons: Vec<(usize, usize)> = cx
        .case
        .geometry()
        .map(|d| {
            d.shapes()
                .iter()
                .enumerate()
                .flat_map(|(s, shape)| (0..shape.polygons.len()).map(move |p| (s, p)))
                .collect()
        })
        .unwrap_or_default();
    let next = consume(Modifiers::NONE, Key::Tab);
    let previous = consume(Modifiers::SHIFT, Key::Tab);
    if (next || previous) && !polygons.is_empty() {
        let n = polygons.len();
        let at = ed
            .kb_polygon
            .and_then(|k| polygons.iter().position(|p| *p == k));
        let i = match (at, next) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => 0,
            (None, false) => n - 1,
        };
        let (shape, polygon) = polygons[i];
        ed.kb_polygon = Some((shape, polygon));
        if let Some(doc) = cx.case.geometry() {
            let ring = casebook_core::geometry::RingRef::new(shape, polygon, 0);
            let title = edit::ring_title(doc, ring);
            if let Some(b) = doc
                .shape(shape)
                .and_then(|s| s.polygons.get(polygon))
                .and_then(|p| casebook_core::geometry::bounding_box(std::slice::from_ref(p)))
            {
                let c = LonLat::new((b.min.lon + b.max.lon) / 2.0, (b.min.lat + b.max.lat) / 2.0);
                if !xf.rect.contains(xf.ll_to_screen(c)) {
                    memory.center_at(walkers::lon_lat(c.lon, c.lat));
                }
            }
            ed.say(
                ui,
                format!("Polygon {} of {n}: {title}. Enter selects it.", i + 1),
            );
        }
    }
}
