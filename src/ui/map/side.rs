//! The side panel beside the map: boundary summary, validity, centroid, and the selected
//! ring's tools.

use super::*;

/// The side panel: what the boundary is, its problems, the centroid, the open tool panels
/// and the selected ring's points.
pub(super) fn side_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    cx: &ViewCtx<'_>,
    out: &mut Vec<Intent>,
) {
    let t = Tokens::of(ui);
    let key = state.key;
    let top_max = (ui.available_height() * 0.55).max(160.0);
    egui::ScrollArea::vertical()
        .id_salt("map-side-top")
        .max_height(if state.ed.selection.is_some() {
            top_max
        } else {
            f32::INFINITY
        })
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.add_space(tokens::GAP_SMALL);
            if let Some(imp) = &state.import {
                let a = tools::import_ui(ui, imp, cx, out);
                if a.close {
                    state.import = None;
                }
                if a.applied.is_some() {
                    state.fit_box = a.applied;
                }
                ui.separator();
            }
            if let Some(s) = &mut state.simplify {
                if tools::simplify_ui(ui, s, cx, key, out) {
                    state.simplify = None;
                }
                ui.separator();
            }
            if let Some(p) = &mut state.paste {
                let a = tools::paste_ui(ui, p, &state.ed, cx, out);
                if a.zoom
                    && let Some(b) = p.preview_bbox()
                {
                    state.go_to = Some((b.center(), None));
                }
                if a.close {
                    state.paste = None;
                }
                if a.applied.is_some() {
                    state.fit_box = a.applied;
                }
                ui.separator();
            }
            boundary_summary_ui(ui, state, cx, &t);
            ui.add_space(tokens::GAP_SMALL);
            centroid_ui(ui, state, cx, &t);
        });
    ui.separator();
    let act = vertex_table::vertex_table_ui(ui, &mut state.table, &mut state.ed, cx, key, out);
    if let Some(p) = act.go_to {
        state.go_to = Some((p, None));
    }
}

/// The boundary: its file (or why there is none), counts and area, and its problems with
/// links to show each.
pub(super) fn boundary_summary_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    cx: &ViewCtx<'_>,
    t: &Tokens,
) {
    ui.heading("Boundary");
    if !geo_state_ui(ui, cx, t) {
        return;
    }
    let stale = state.analysis.is_stale(state.key);
    let Some(a) = state.analysis.current().cloned() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Measuring…");
        });
        return;
    };
    if a.polygons == 0 {
        ui.label("The file has no polygon yet. Draw one, import or paste.");
    } else {
        ui.label(format!(
            "{} polygon{} · {} hole{} · {} points",
            a.polygons,
            if a.polygons == 1 { "" } else { "s" },
            a.holes,
            if a.holes == 1 { "" } else { "s" },
            analysis::group(a.vertices as f64, 0)
        ));
        if let Some(area) = a.area {
            ui.label(format!("Area: {}", analysis::format_area(area)));
        }
    }
    if stale {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Checking the new shape…");
        });
        return;
    }
    if let Some(p) = problems_ui(ui, &a, t) {
        state.go_to = Some((p, Some(15.0)));
    }
}

/// The boundary file's name, or what stands in for it (none yet, missing, loading, failed);
/// true when it is loaded.
fn geo_state_ui(ui: &mut egui::Ui, cx: &ViewCtx<'_>, t: &Tokens) -> bool {
    match cx.case.geo() {
        GeoState::None => {
            ui.label(format!(
                "No boundary yet. Draw a polygon, import a GeoJSON file or paste coordinates; it will be saved as {}.",
                cx.case.default_geometry_rel()
            ));
        }
        GeoState::Missing { rel, .. } => {
            ui.label(format!(
                "{rel} does not exist yet. Draw or import a boundary; saving creates the file."
            ));
        }
        GeoState::Pending { rel, .. } => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Loading {rel}…"));
            });
        }
        GeoState::Failed { rel, error, .. } => {
            ui.colored_label(t.error, format!("{rel} could not be read: {error}"));
        }
        GeoState::Refused { rel, error } => {
            ui.colored_label(t.error, format!("geography: {rel} cannot be used: {error}"));
        }
        GeoState::Loaded { rel, .. } => {
            ui.label(RichText::new(rel.as_str()).monospace());
            return true;
        }
    }
    false
}

/// "Valid", or the shape's problems (at most 12) with a Show link each; the point to show
/// when one was clicked.
fn problems_ui(ui: &mut egui::Ui, a: &analysis::Analysis, t: &Tokens) -> Option<LonLat> {
    let shown: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.kind.severity() != Severity::Info)
        .collect();
    if shown.is_empty() {
        if a.polygons > 0 {
            ui.colored_label(t.ok, "Valid: no crossings, open or degenerate rings.");
        }
        return None;
    }
    ui.colored_label(
        t.warning,
        format!(
            "{} problem{} with the shape:",
            shown.len(),
            if shown.len() == 1 { "" } else { "s" }
        ),
    );
    let mut go_to = None;
    for (n, i) in shown.iter().take(12).enumerate() {
        ui.horizontal_wrapped(|ui| {
            let c = if i.kind.severity() == Severity::Error {
                t.error
            } else {
                t.warning
            };
            crate::ui::widgets::message_label(ui, &i.message, Some(c));
            if let Some(p) = i.points.first()
                && ui
                    .link("Show")
                    .accessible_name(format!("Show problem {}", n + 1))
                    .clicked()
            {
                go_to = Some(*p);
            }
        });
    }
    if shown.len() > 12 {
        ui.colored_label(
            t.muted,
            format!("…and {} more (see the Problems panel).", shown.len() - 12),
        );
    }
    go_to
}

pub(super) fn centroid_ui(ui: &mut egui::Ui, state: &mut MapState, cx: &ViewCtx<'_>, t: &Tokens) {
    ui.strong("Centroid");
    let Some(c) = edit::front_matter_centroid(cx) else {
        ui.colored_label(
            t.muted,
            "No centroid yet: use Set centroid to click it on the map, or From boundary.",
        );
        return;
    };
    // Wrapped: in a narrow panel "Show" goes under the numbers instead of past the edge.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{:.6}, {:.6}", c.lat, c.lon)).monospace());
        ui.colored_label(t.muted, "(lat, lon)");
        if ui.link("Show").accessible_name("Show centroid").clicked() {
            state.go_to = Some((c, None));
        }
    });
    let Some(doc) = cx
        .case
        .geometry()
        .filter(|d| d.all_polygons().next().is_some())
    else {
        return;
    };
    let bits = (c.lon.to_bits(), c.lat.to_bits());
    let inside = match state.inside {
        Some((k, b, v)) if k == state.key && b == bits => v,
        _ => {
            let v = doc.contains(c);
            state.inside = Some((state.key, bits, v));
            v
        }
    };
    if !inside {
        ui.colored_label(
            t.warning,
            "The centroid lies outside the boundary. Drag its marker inside, or use From boundary.",
        );
    }
}
