//! The problems panel: the core's findings, live; clicking one focuses its field or section,
//! and a finding with an automatic fix has a button that applies it (the same fix
//! `casebook fix` applies: [`fixes::fix_for`]).

use casebook_core::bulk::plan::BulkOp;
use casebook_core::checks::{Diagnostic, Severity, Target, fixes};

use super::tokens::Tokens;
use super::{Focus, Intent, ViewCtx};

/// Widget state of the problems panel.
#[derive(Debug, Clone, Default)]
pub struct ProblemsState {
    /// Show info-level findings too.
    pub show_info: bool,
    /// Whether a folder of cases is open, so a fix can be applied in all its cases.
    pub folder_open: bool,
}

/// Where clicking a diagnostic leads.
pub fn focus_of(d: &Diagnostic) -> Option<Focus> {
    match &d.target {
        Target::Field { key } => Some(Focus::Field(key.clone())),
        Target::Section { index: Some(i), .. } => Some(Focus::Section(*i)),
        Target::Section {
            heading,
            index: None,
        } => Some(Focus::MissingSection(heading.clone())),
        Target::Geometry => Some(Focus::Geometry),
        Target::Document => None,
    }
}

/// (errors, warnings, infos) among `diagnostics`.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    (errors, warnings, diagnostics.len() - errors - warnings)
}

/// "1 error", "2 errors", "0 errors".
pub fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The panel. Returns a focus intent when a problem is clicked. With nothing to list it is
/// one line: the counts and "No problems found."
pub fn problems_ui(ui: &mut egui::Ui, state: &mut ProblemsState, cx: &ViewCtx<'_>) -> Vec<Intent> {
    let t = Tokens::of(ui);
    let mut out = Vec::new();
    let shown: Vec<&Diagnostic> = cx
        .diagnostics
        .iter()
        .filter(|d| state.show_info || d.severity < Severity::Info)
        .collect();
    ui.horizontal(|ui| {
        ui.strong("Problems");
        let (errors, warnings, infos) = counts(cx.diagnostics);
        ui.colored_label(t.error, count_of(errors, "error"));
        ui.colored_label(t.warning, count_of(warnings, "warning"));
        // No hints, nothing to show: no "Show 0 hints" box.
        if infos > 0 {
            ui.checkbox(
                &mut state.show_info,
                format!("Show {}", count_of(infos, "hint")),
            );
        }
        if shown.is_empty() {
            ui.separator();
            ui.colored_label(t.ok, "No problems found.");
        }
    });
    if shown.is_empty() {
        return out;
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("problems-list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for d in shown {
                let color = t.severity(d.severity);
                let r = ui.horizontal_wrapped(|ui| {
                    ui.colored_label(color, d.severity.label())
                        .on_hover_text(d.code);
                    ui.label(egui::RichText::new(d.code).monospace().color(t.muted));
                    super::widgets::message_link(ui, &d.located_message())
                        .on_hover_text("Show where this is")
                });
                let auto = fixes::fix_for(cx.case, d);
                if d.fix.is_some() || auto.is_some() {
                    ui.horizontal_wrapped(|ui| {
                        ui.add_space(72.0);
                        if let Some(fix) = &d.fix {
                            super::widgets::message_label(ui, fix, Some(t.muted));
                        }
                        if let Some(auto) = auto {
                            if ui
                                .small_button(format!("Fix: {}", auto.label))
                                .on_hover_text("Apply this fix; Undo takes it back")
                                .clicked()
                            {
                                out.push(Intent::edit(auto.edit, auto.label, None));
                            }
                            if state.folder_open
                                && ui
                                    .small_button("Fix in all cases…")
                                    .on_hover_text(format!(
                                        "Preview the fix of every {} finding like this one in the cases of the folder; nothing is written before you apply it",
                                        d.code
                                    ))
                                    .clicked()
                            {
                                out.push(Intent::Bulk(BulkOp::Fix {
                                    code: d.code.to_string(),
                                    target: d.target.clone(),
                                }));
                            }
                        }
                    });
                }
                ui.add_space(2.0);
                if r.inner.clicked()
                    && let Some(f) = focus_of(d)
                {
                    out.push(Intent::Focus(f));
                }
            }
        });
    out
}
