//! What floats over the map: the place search, the scale bar, the pointer's coordinates,
//! the attribution, the tool hint, notes, the basemap chooser, zoom buttons and the
//! "remove the whole ring?" question.

use egui::{
    Align, CornerRadius, Frame, Layout, Margin, Pos2, Rect, RichText, Stroke, UiBuilder, Vec2,
};

use casebook_core::geometry::LonLat;
use casebook_core::places::Place;

use super::Basemap;
use super::geo2d::Xform;
use super::search::{self, SearchState};
use crate::ui::tokens::Tokens;

/// What the overlays show.
pub struct OverlayInfo<'a> {
    /// Attribution text (without ©) and its link.
    pub attribution: (&'a str, &'a str),
    /// The hint for the active tool.
    pub hint: &'a str,
    /// A passing message.
    pub note: Option<&'a str>,
    /// A lasting status (tiles unavailable, loading…).
    pub status: Option<&'a str>,
    /// Whether the status can be closed (the tile failure note).
    pub status_closable: bool,
    /// Where the pointer is (or last was) on the map.
    pub pointer: Option<LonLat>,
    /// The basemap chosen.
    pub basemap: Basemap,
    /// Online tiles allowed.
    pub online: bool,
    /// A local tile file, if any.
    pub local: Option<&'a std::path::Path>,
    /// A question to answer before removing a ring.
    pub confirm: Option<(&'a str, &'a str)>,
    /// The reference boundary's legend, whether there is a ghost to show or hide, and
    /// whether it is shown.
    pub reference: Option<(String, bool, bool)>,
}

/// What the user did with the overlays.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverlayActions {
    /// Zoom by this many levels.
    pub zoom_by: f64,
    /// A basemap was chosen.
    pub basemap: Option<Basemap>,
    /// Online tiles were switched on or off.
    pub online: Option<bool>,
    /// Choose a local tile file.
    pub pick_local: bool,
    /// The answer to the question (true: remove).
    pub confirm: Option<bool>,
    /// The status note was closed.
    pub close_status: bool,
    /// The reference boundary was shown or hidden.
    pub show_reference: Option<bool>,
    /// Fly to a place found by the search.
    pub fly_to: Option<Place>,
    /// The rects the overlays cover (the map ignores clicks there).
    pub covered: Vec<Rect>,
}

/// "31.29870, 120.58530": a position as the front matter's centroid writes it, lat first,
/// five decimals (about a metre); never `-0.00000`.
pub fn lat_lon_text(p: LonLat) -> String {
    let f = |x: f64| {
        let s = format!("{x:.5}");
        if s.trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            s.trim_start_matches('-').to_string()
        } else {
            s
        }
    };
    format!("{}, {}", f(p.lat), f(p.lon))
}

fn chip(ui: &egui::Ui) -> Frame {
    Frame::new()
        .fill(ui.visuals().window_fill.gamma_multiply(0.92))
        .stroke(Stroke::new(
            1.0,
            ui.visuals().widgets.noninteractive.bg_stroke.color,
        ))
        .corner_radius(CornerRadius::same(4))
        .inner_margin(Margin::symmetric(8, 5))
}

/// A "nice" length (1, 2 or 5 × 10ⁿ metres) of at most `max` metres.
pub fn nice_length(max: f64) -> f64 {
    if !(max > 0.0 && max.is_finite()) {
        return 0.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [5.0, 2.0, 1.0] {
        if m * p <= max {
            return m * p;
        }
    }
    p
}

/// "500 m", "2 km", "1,000 km".
pub fn format_length(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", super::analysis::group(m / 1000.0, 0))
    } else if m >= 1.0 {
        format!("{m:.0} m")
    } else {
        format!("{:.0} cm", m * 100.0)
    }
}

/// Room kept at the top right for the basemap chip.
const BASEMAP_CHIP_ROOM: f32 = 290.0;
/// Narrowest the hint is set beside the basemap chip.
const MIN_HINT_WIDTH: f32 = 180.0;

/// Draws the overlays inside the map's `rect`.
pub fn overlays_ui(
    ui: &mut egui::Ui,
    xf: &Xform,
    info: &OverlayInfo<'_>,
    search: &mut SearchState,
) -> OverlayActions {
    let t = Tokens::of(ui);
    let mut act = OverlayActions::default();
    let rect = xf.rect.shrink(8.0);
    let scale = scale_bar(ui, xf, rect);
    act.covered.extend(scale);
    if let Some(p) = info.pointer {
        act.covered.push(pointer_ui(ui, rect, scale, p));
    }
    act.covered.push(attribution_ui(ui, rect, info.attribution));
    hint_column_ui(ui, rect, info, search, &t, &mut act);

    // Basemap and zoom, top right.
    let mut right_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(rect)
            .layout(Layout::top_down(Align::Max)),
    );
    let r = chip(ui)
        .show(&mut right_ui, |ui| basemap_ui(ui, info, &mut act))
        .response;
    act.covered.push(r.rect);
    right_ui.add_space(6.0);
    let r = zoom_ui(ui, &mut right_ui, &mut act);
    act.covered.push(r);

    if let Some(status) = info.status {
        let r = status_ui(ui, rect, status, info.status_closable, &t, &mut act);
        act.covered.push(r);
    }
    if let Some((question, yes)) = info.confirm {
        let r = question_ui(ui, rect, question, yes, &t, &mut act);
        act.covered.push(r);
    }
    act
}

/// The scale bar, bottom left; the rect it covers (none when the scale is not finite).
fn scale_bar(ui: &egui::Ui, xf: &Xform, rect: Rect) -> Option<Rect> {
    let painter = ui.painter().with_clip_rect(xf.rect);
    let mpp = xf.metres_per_point();
    let len = nice_length(mpp * 110.0);
    if len <= 0.0 {
        return None;
    }
    let px = (len / mpp) as f32;
    let label = format_length(len);
    let galley = painter.layout_no_wrap(
        label,
        egui::FontId::proportional(11.5),
        ui.visuals().text_color(),
    );
    let w = px.max(galley.size().x) + 16.0;
    let bg = Rect::from_min_size(
        Pos2::new(rect.left(), rect.bottom() - 30.0),
        Vec2::new(w, 30.0),
    );
    painter.rect_filled(bg, 3.0, ui.visuals().window_fill.gamma_multiply(0.8));
    let y = bg.bottom() - 7.0;
    let x0 = bg.left() + 8.0;
    let stroke = Stroke::new(2.0, ui.visuals().text_color());
    painter.line_segment([Pos2::new(x0, y), Pos2::new(x0 + px, y)], stroke);
    painter.line_segment([Pos2::new(x0, y - 5.0), Pos2::new(x0, y)], stroke);
    painter.line_segment([Pos2::new(x0 + px, y - 5.0), Pos2::new(x0 + px, y)], stroke);
    painter.galley(
        Pos2::new(x0, bg.top() + 2.0),
        galley,
        ui.visuals().text_color(),
    );
    Some(bg)
}

/// The pointer's coordinates, bottom left beside the scale bar (above it in a narrow map,
/// where the attribution needs the room), with a copy button; the rect it covers.
fn pointer_ui(ui: &mut egui::Ui, rect: Rect, scale: Option<Rect>, p: LonLat) -> Rect {
    let beside_scale = scale.filter(|_| rect.width() >= 640.0);
    let area = match beside_scale {
        Some(scale) => Rect::from_min_max(
            Pos2::new(scale.right() + 6.0, rect.top()),
            Pos2::new(rect.right(), scale.bottom() - 3.0),
        ),
        None => Rect::from_min_max(rect.min, Pos2::new(rect.right(), rect.bottom() - 36.0)),
    };
    let mut c_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(area)
            .layout(Layout::bottom_up(Align::Min)),
    );
    let text = lat_lon_text(p);
    chip(ui)
        .inner_margin(Margin::symmetric(6, 2))
        .show(&mut c_ui, |ui| {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                ui.label(RichText::new(&text).small().monospace())
                    .on_hover_text("Latitude, longitude under the pointer");
                if ui
                    .small_button("Copy")
                    .accessible_name("Copy coordinates")
                    .on_hover_text("Copy “lat, lon” (as centroid: takes it)")
                    .clicked()
                {
                    ui.ctx().copy_text(text.clone());
                }
            });
        })
        .response
        .rect
}

/// The attribution, bottom right; the rect it covers.
fn attribution_ui(ui: &mut egui::Ui, rect: Rect, (text, url): (&str, &str)) -> Rect {
    let mut attr_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(rect)
            .layout(Layout::bottom_up(Align::Max)),
    );
    Frame::new()
        .fill(ui.visuals().window_fill.gamma_multiply(0.8))
        .corner_radius(CornerRadius::same(3))
        .inner_margin(Margin::symmetric(6, 2))
        .show(&mut attr_ui, |ui| {
            let rich = RichText::new(format!("© {text}")).small();
            if url.is_empty() {
                ui.label(rich);
            } else {
                ui.hyperlink_to(rich, url);
            }
        })
        .response
        .rect
}

/// The search, hint, note and reference legend, top left; in a narrow map, under the basemap
/// chip (beside the zoom buttons) so the two never overlap.
fn hint_column_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    info: &OverlayInfo<'_>,
    search: &mut SearchState,
    t: &Tokens,
    act: &mut OverlayActions,
) {
    let beside = rect.width() - BASEMAP_CHIP_ROOM;
    let hint_rect = if beside >= MIN_HINT_WIDTH {
        Rect::from_min_size(rect.min, Vec2::new(beside, rect.height()))
    } else {
        Rect::from_min_max(
            rect.min + Vec2::new(0.0, 40.0),
            Pos2::new(rect.right() - 44.0, rect.bottom()),
        )
    };
    let mut hint_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(hint_rect)
            .layout(Layout::top_down(Align::Min)),
    );
    let found = search::search_ui(&mut hint_ui, search, hint_rect.width().min(260.0));
    act.fly_to = found.fly_to;
    act.covered.extend(found.covered);
    hint_ui.add_space(4.0);
    let r = chip(ui)
        .show(&mut hint_ui, |ui| {
            ui.label(RichText::new(info.hint).small().color(t.muted));
        })
        .response;
    act.covered.push(r.rect);
    if let Some(note) = info.note {
        let r = chip(ui)
            .fill(ui.visuals().window_fill)
            .show(&mut hint_ui, |ui| {
                ui.label(RichText::new(note).color(t.info));
            })
            .response;
        act.covered.push(r.rect);
    }
    if let Some((text, ghost, shown)) = &info.reference
        && (*shown || !*ghost)
    {
        hint_ui.add_space(4.0);
        let r = chip(ui)
            .show(&mut hint_ui, |ui| reference_legend_ui(ui, text, *ghost, t))
            .response;
        act.covered.push(r.rect);
    }
}

/// The reference boundary's legend: a dashed swatch (when there is a ghost) and the change
/// since.
fn reference_legend_ui(ui: &mut egui::Ui, text: &str, ghost: bool, t: &Tokens) {
    ui.horizontal(|ui| {
        if ghost {
            let (rect, _) = ui.allocate_exact_size(Vec2::new(22.0, 10.0), egui::Sense::hover());
            ui.painter().extend(egui::Shape::dashed_line(
                &[rect.left_center(), rect.right_center()],
                Stroke::new(crate::ui::tokens::GHOST_STROKE_WIDTH, t.boundary_ghost),
                crate::ui::tokens::GHOST_DASH_LENGTH / 2.0,
                crate::ui::tokens::GHOST_GAP_LENGTH / 2.0,
            ));
        }
        ui.label(RichText::new(text).small());
    });
}

/// The basemap chooser, the reference boundary switch, the online switch and the local
/// tile file.
fn basemap_ui(ui: &mut egui::Ui, info: &OverlayInfo<'_>, act: &mut OverlayActions) {
    ui.horizontal(|ui| basemap_combo_ui(ui, info, act));
    if let Some((_, true, shown)) = &info.reference {
        let mut show = *shown;
        if ui
            .checkbox(&mut show, "Reference boundary")
            .on_hover_text(
                "Show the boundary as it is in the reference (dashed, under the current one)",
            )
            .changed()
        {
            act.show_reference = Some(show);
        }
    }
    if matches!(
        info.basemap,
        Basemap::OpenStreetMap | Basemap::CartoPositron
    ) {
        let mut online = info.online;
        if ui
            .checkbox(&mut online, "Download map tiles")
            .on_hover_text("Off: use only the offline basemap (no network)")
            .changed()
        {
            act.online = Some(online);
        }
    }
    if info.basemap == Basemap::Local {
        let name = info
            .local
            .and_then(|p| p.file_name())
            .map_or("none chosen".to_string(), |n| {
                n.to_string_lossy().into_owned()
            });
        ui.horizontal(|ui| {
            ui.label(RichText::new(name).small());
            if ui
                .small_button("Choose…")
                .accessible_name("Choose tile file…")
                .clicked()
            {
                act.pick_local = true;
            }
        });
    }
}

/// The basemap combo box (choosing local tiles without a file asks for one).
fn basemap_combo_ui(ui: &mut egui::Ui, info: &OverlayInfo<'_>, act: &mut OverlayActions) {
    let names = [
        (Basemap::Offline, "Offline (Natural Earth)"),
        (Basemap::CartoPositron, "CARTO Positron"),
        (Basemap::OpenStreetMap, "OpenStreetMap"),
        (Basemap::Local, "Local tiles"),
    ];
    let current = names
        .iter()
        .find(|(b, _)| *b == info.basemap)
        .map_or("Offline", |(_, n)| *n);
    let mut chosen = info.basemap;
    let combo = egui::ComboBox::from_id_salt("map-basemap")
        .selected_text(format!("Basemap: {current}"))
        .show_ui(ui, |ui| {
            for (b, n) in names {
                ui.selectable_value(&mut chosen, b, n);
            }
        });
    let _ = combo.response.accessible_name("Basemap");
    if chosen != info.basemap {
        act.basemap = Some(chosen);
        if chosen == Basemap::Local && info.local.is_none() {
            act.pick_local = true;
        }
    }
}

/// The zoom buttons, under the basemap chip; the rect they cover.
fn zoom_ui(ui: &egui::Ui, right_ui: &mut egui::Ui, act: &mut OverlayActions) -> Rect {
    chip(ui)
        .inner_margin(Margin::same(3))
        .show(right_ui, |ui| {
            ui.spacing_mut().item_spacing.y = 2.0;
            let size = Vec2::splat(26.0);
            if ui
                .add_sized(size, egui::Button::new(RichText::new("+").size(17.0)))
                .accessible_name("Zoom in")
                .on_hover_text("Zoom in (mouse wheel)")
                .clicked()
            {
                act.zoom_by = 1.0;
            }
            if ui
                .add_sized(size, egui::Button::new(RichText::new("−").size(17.0)))
                .accessible_name("Zoom out")
                .on_hover_text("Zoom out (mouse wheel)")
                .clicked()
            {
                act.zoom_by = -1.0;
            }
        })
        .response
        .rect
}

/// The status, bottom centre (a label, so screen readers and tests can read it), with a close
/// button when it can be closed; the rect it covers.
fn status_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    status: &str,
    closable: bool,
    t: &Tokens,
    act: &mut OverlayActions,
) -> Rect {
    let area = rect.shrink2(Vec2::new(rect.width() * 0.18, 0.0));
    let area = Rect::from_min_max(area.min, Pos2::new(area.max.x, area.max.y - 30.0));
    let mut s_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(area)
            .layout(Layout::bottom_up(Align::Center)),
    );
    chip(ui)
        .show(&mut s_ui, |ui| {
            let close_room = if closable { 30.0 } else { 0.0 };
            let width = (area.width() - 20.0 - close_room).max(80.0);
            ui.horizontal(|ui| {
                ui.allocate_ui(Vec2::new(width, 0.0), |ui| {
                    ui.add(egui::Label::new(RichText::new(status).color(t.muted)).wrap());
                });
                if closable
                    && ui
                        .small_button("×")
                        .accessible_name("Close note")
                        .on_hover_text("Close this note")
                        .clicked()
                {
                    act.close_status = true;
                }
            });
        })
        .response
        .rect
}

/// The "remove the whole ring?" question, top centre; the rect it covers.
fn question_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    question: &str,
    yes: &str,
    t: &Tokens,
    act: &mut OverlayActions,
) -> Rect {
    let width = 360.0f32.min(rect.width());
    let area = Rect::from_min_size(
        Pos2::new(rect.center().x - width / 2.0, rect.top() + 40.0),
        Vec2::new(width, 120.0),
    );
    let mut q_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(area)
            .layout(Layout::top_down(Align::Center)),
    );
    chip(ui)
        .fill(ui.visuals().window_fill)
        .stroke(Stroke::new(1.5, t.warning))
        .inner_margin(Margin::same(10))
        .show(&mut q_ui, |ui| {
            ui.label(question);
            ui.horizontal(|ui| {
                if ui.button(RichText::new(yes).color(t.error)).clicked() {
                    act.confirm = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    act.confirm = Some(false);
                }
            });
        })
        .response
        .rect
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(nice_length(130.0), 100.0);
        assert_eq!(nice_length(260.0), 200.0);
        assert_eq!(nice_length(999.0), 500.0);
        assert_eq!(format_length(2000.0), "2 km");
        assert_eq!(format_length(500.0), "500 m");
        assert_eq!(format_length(1_000_000.0), "1,000 km");
    }

    #[test]
    fn coordinates_read_lat_first() {
        assert_eq!(
            lat_lon_text(LonLat::new(120.585_312, 31.298_71)),
            "31.29871, 120.58531"
        );
        assert_eq!(
            lat_lon_text(LonLat::new(-0.000_001, 51.5)),
            "51.50000, 0.00000"
        );
    }
}
