//! The problems panel: the core's findings, live; clicking one focuses its field or section,
//! and a finding with an automatic fix has a button that applies it (the same fix
//! `casebook fix` applies: [`fixes::fix_for`]). An oversize body image (CB016's
//! [`fixes::Fix::ResizeImage`]) gets "Resize to under 1 MB", run off the UI thread like the
//! featured image's ([`ImageJob`]); only its path in the body changes, as one undo step.

use casebook_core::bulk::plan::BulkOp;
use casebook_core::checks::{Diagnostic, Severity, Target, fixes};

use super::form::resize::{ImageDone, ImageJob};
use super::tokens::Tokens;
use super::{Focus, Intent, ViewCtx};

/// Widget state of the problems panel.
#[derive(Debug, Clone, Default)]
pub struct ProblemsState {
    /// Show info-level findings too.
    pub show_info: bool,
    /// Whether a folder of cases is open, so a fix can be applied in all its cases.
    pub folder_open: bool,
    /// A body image's resize, while it runs.
    image_job: Option<ImageJob>,
    /// The last body image resize's message (with "Move the original to the trash").
    image_done: Option<ImageDone>,
}

impl ProblemsState {
    /// Takes the body image resize's result when it has ended: applies its edit if the text
    /// is still the one it started from.
    fn poll_image_job(&mut self, cx: &ViewCtx<'_>, out: &mut Vec<Intent>) {
        let Some(job) = &self.image_job else { return };
        let Some(result) = job.poll() else { return };
        let unchanged = job.started_from == cx.case.doc().text();
        self.image_job = None;
        match result {
            Ok(fix) if unchanged => {
                out.push(Intent::edit(fix.edit.clone(), "Resize body image", None));
                let done = ImageDone::of(&fix, "Resized");
                out.push(Intent::Status(done.message.clone()));
                self.image_done = Some(done);
            }
            Ok(fix) => out.push(Intent::Status(format!(
                "Wrote {}, but the text changed meanwhile, so it is not used.",
                fix.new_ref
            ))),
            Err(e) => out.push(Intent::Status(format!("The image was not resized: {e}"))),
        }
    }
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
    state.poll_image_job(cx, &mut out);
    if let Some(job) = &state.image_job {
        job.progress_ui(ui, "Making a JPEG of at most 1 MB");
    }
    if let Some(done) = &mut state.image_done
        && !done.ui(ui)
    {
        state.image_done = None;
    }
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
                if let Some(fixes::Fix::ResizeImage { offset }) = &d.auto
                    && state.image_job.is_none()
                {
                    ui.horizontal_wrapped(|ui| {
                        ui.add_space(72.0);
                        if ui
                            .small_button("Resize to under 1 MB")
                            .on_hover_text("Writes a JPEG of at most 1 MB (long side up to 2400 px, turned upright) beside the original, which is kept, and uses it in the text. Undo goes back to the original.")
                            .clicked()
                        {
                            state.image_done = None;
                            state.image_job = Some(ImageJob::start(
                                cx.case.clone(),
                                casebook_core::images::ImageRef::Body { offset: *offset },
                                None,
                                cx.case.doc().text().to_string(),
                                ui.ctx().clone(),
                            ));
                        }
                    });
                }
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
