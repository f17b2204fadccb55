//! The bulk-edit preview: every file a bulk edit (a tag renamed or merged, one finding fixed
//! in all cases) would change, with its unified diff, and the cases left out and why. Nothing
//! is written until the author presses Apply; the app then saves each case safely and keeps
//! the whole edit as one Undo step.

use std::path::Path;

use casebook_core::bulk::plan::Plan;

use super::tokens::{self, Tokens};

/// What the author answered in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewAnswer {
    /// Write every change shown.
    Apply,
    /// Close it; nothing is written.
    Cancel,
}

/// What the preview says of a case open in the editor with unsaved changes.
pub const OPEN_CASE_POLICY: &str = "A case open in the editor with unsaved changes is left out, and its edits are kept: save or revert it, then preview again. Applying saves every file shown; Edit › Undo then puts them all back.";

/// `path` shown from `root` when it is inside it.
pub fn shown_path(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The preview window for `plan` (paths shown from `root`). Returns the answer, if any.
pub fn bulk_preview_ui(
    ctx: &egui::Context,
    plan: &Plan,
    root: Option<&Path>,
) -> Option<PreviewAnswer> {
    let mut answer = None;
    let mut open = true;
    egui::Window::new(format!("Preview: {}", plan.op.describe()))
        .id(egui::Id::unique("bulk-preview"))
        .open(&mut open)
        .default_size([760.0, 600.0])
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .resizable(true)
        .show(ctx, |ui| answer = body(ui, plan, root));
    // Escape cancels, unless a text field has the keys.
    let typing = ctx.text_edit_focused();
    if !open || (!typing && ctx.input(|i| i.key_pressed(egui::Key::Escape))) {
        answer = Some(PreviewAnswer::Cancel);
    }
    answer
}

fn body(ui: &mut egui::Ui, plan: &Plan, root: Option<&Path>) -> Option<PreviewAnswer> {
    let t = Tokens::of(ui);
    let mut answer = None;
    let n = plan.cases.len();
    let files: usize = plan.cases.iter().map(|c| c.files.len()).sum();
    ui.label(format!(
        "{} would change ({} looked at). Nothing has been written yet.",
        match (n, files) {
            (1, 1) => "1 file of 1 case".to_string(),
            _ => format!(
                "{} of {}",
                super::problems::count_of(files, "file"),
                super::problems::count_of(n, "case")
            ),
        },
        super::problems::count_of(plan.looked_at, "case")
    ));
    ui.label(egui::RichText::new(OPEN_CASE_POLICY).color(t.muted));
    ui.horizontal(|ui| {
        let label = format!("Apply to {}", super::problems::count_of(n, "case"));
        if ui
            .add_enabled(n > 0, egui::Button::new(label))
            .on_hover_text(
                "Save every file shown, each through the safe save; Undo takes it all back",
            )
            .clicked()
        {
            answer = Some(PreviewAnswer::Apply);
        }
        if ui.button("Cancel").clicked() {
            answer = Some(PreviewAnswer::Cancel);
        }
    });
    if !plan.skipped.is_empty() {
        ui.add_space(tokens::GAP_SMALL);
        ui.colored_label(
            t.warning,
            format!(
                "Left as they are ({}):",
                super::problems::count_of(plan.skipped.len(), "case")
            ),
        );
        for s in &plan.skipped {
            ui.label(format!("{}: {}", shown_path(&s.index, root), s.why));
        }
    }
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("bulk-preview-diffs")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for c in &plan.cases {
                ui.strong(shown_path(c.index.parent().unwrap_or(&c.index), root));
                for l in &c.labels {
                    ui.label(egui::RichText::new(l).color(t.muted));
                }
                for f in &c.files {
                    ui.label(
                        egui::RichText::new(shown_path(&f.path, root))
                            .monospace()
                            .color(t.info),
                    );
                    super::diff::diff_ui(ui, &t, &f.before, &f.after);
                }
                ui.add_space(tokens::GAP_SMALL);
            }
        });
    answer
}
