//! Text the form shows but cannot write: Save, switching case and quitting say so and offer
//! to fix it, write it as text, or drop it. Also the Help › Keyboard window.

use egui::RichText;

use super::{AfterPrompt, CasebookApp, command::Command, files};
use crate::ui::form::Unwritten;
use crate::ui::{Focus, Intent, tokens};

/// What was about to happen when fields holding unwritten text were found.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftThen {
    /// Save.
    Save,
    /// Save as….
    SaveAs,
    /// Close, quit, open another case… (then the unsaved-changes question as usual).
    Guard(AfterPrompt),
}

/// The question about unwritten text.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftPrompt {
    /// The fields and what they show.
    pub unwritten: Vec<Unwritten>,
    /// What happens after the answer.
    pub then: DraftThen,
}

/// The answer.
enum Answer {
    Fix,
    WriteAsText,
    Drop,
}

/// The keys that are not menu commands, by place: (keys, what they do).
pub const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "Panes",
        &[
            (
                "F6 / Shift+F6",
                "Next / previous pane: case list, outline, editor, problems",
            ),
            (
                "Tab / Shift+Tab",
                "Next / previous control, staying inside the pane",
            ),
            ("F10", "The menu bar"),
            (
                "Escape",
                "Close a list or pop-up; the focus stays on its field",
            ),
        ],
    ),
    (
        "Fields",
        &[
            (
                "Enter / Space",
                "Press the focused button, open the focused list",
            ),
            ("Arrows, then Enter", "Choose in an open list"),
            (
                "Enter (Ctrl+Enter in YAML)",
                "Write a number, coordinate or YAML field; leaving the field writes it too",
            ),
            ("Escape in a field", "Put back what the file holds"),
            (
                "Enter in Search countries",
                "Choose the first country found",
            ),
        ],
    ),
    (
        "Map (when it has the focus)",
        &[
            ("Arrows", "Pan"),
            ("+ / −", "Zoom in / out"),
            ("Tab / Shift+Tab", "Next / previous polygon"),
            (
                "Enter",
                "Select the polygon: its points go to the table beside the map",
            ),
            (
                "Delete",
                "Remove the selected point (asks before a ring would break)",
            ),
            (
                "Enter while drawing",
                "Finish the polygon or hole; Backspace removes the last point",
            ),
            (
                "Escape",
                "Cancel drawing or the tool, clear the selection, then leave the map",
            ),
        ],
    ),
];

impl CasebookApp {
    /// Writes the form's drafts that can be written, then looks for ones that cannot.
    /// Returns whether `then` may go ahead now; otherwise the question is shown.
    pub(super) fn drafts_ok(&mut self, then: DraftThen) -> bool {
        let Some(ed) = &self.editor else { return true };
        let commits = self.form.commit_pending(&ed.case);
        self.apply_edits(commits);
        let Some(ed) = &self.editor else { return true };
        let unwritten = self.form.unwritten(&ed.case);
        if unwritten.is_empty() {
            return true;
        }
        self.draft_prompt = Some(DraftPrompt { unwritten, then });
        false
    }

    /// Applies the edit intents of a list (others are ignored).
    pub(super) fn apply_edits(&mut self, intents: Vec<Intent>) {
        for i in intents {
            if let Intent::Edit { edit, label, merge } = i {
                self.apply_edit(&edit, &label, merge.as_deref());
            }
        }
    }

    /// Goes on with what the question interrupted.
    fn go_on(&mut self, ctx: &egui::Context, then: DraftThen) {
        match then {
            DraftThen::Save => {
                self.save(false);
            }
            DraftThen::SaveAs => self.pick(files::Purpose::SaveAs, ctx),
            DraftThen::Guard(after) => self.guard_unsaved(after),
        }
    }

    /// The question about unwritten text, while it is open.
    pub(super) fn draft_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = self.draft_prompt.clone() else {
            return;
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("casebook-unwritten")).show(ctx, |ui| {
            let t = tokens::Tokens::of(ui);
            ui.set_max_width(520.0);
            let n = prompt.unwritten.len();
            ui.heading(if n == 1 {
                "A field shows text that is not written"
            } else {
                "Some fields show text that is not written"
            });
            ui.add_space(tokens::GAP_SMALL);
            for u in &prompt.unwritten {
                ui.label(RichText::new(format!("{}: “{}”", u.label, u.shown)).strong());
                ui.label(RichText::new(format!("It cannot be written: {}.", u.why)).color(t.error));
                ui.label(RichText::new(format!("The file keeps {}.", u.kept)).color(t.muted));
                ui.add_space(tokens::GAP_SMALL);
            }
            ui.label(match &prompt.then {
                DraftThen::Save | DraftThen::SaveAs => "Choose what to do with it before saving:",
                DraftThen::Guard(AfterPrompt::Quit) => "Choose what to do with it before quitting:",
                DraftThen::Guard(_) => "Choose what to do with it before leaving this case:",
            });
            ui.add_space(tokens::GAP_SMALL);
            ui.horizontal(|ui| {
                let fix = ui
                    .button("Fix it")
                    .on_hover_text("Go back to the field and correct it");
                if fix.clicked() {
                    answer = Some(Answer::Fix);
                }
                if ui
                    .button("Write as text")
                    .on_hover_text(
                        "Write what the field shows as text, in quotes where YAML needs them",
                    )
                    .clicked()
                {
                    answer = Some(Answer::WriteAsText);
                }
                if ui
                    .button("Drop it")
                    .on_hover_text("Forget what was typed; the file keeps its value")
                    .clicked()
                {
                    answer = Some(Answer::Drop);
                }
                if !ui.memory(|m| m.focused().is_some()) {
                    fix.request_focus();
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(Answer::Fix);
        }
        let Some(answer) = answer else { return };
        self.draft_prompt = None;
        match answer {
            Answer::Fix => {
                if let Some(u) = prompt.unwritten.first() {
                    self.focus(Focus::Field(u.key.clone()));
                }
            }
            Answer::WriteAsText => {
                if let Some(ed) = &self.editor {
                    let edits = self.form.write_unwritten_as_text(&ed.case);
                    self.apply_edits(edits);
                }
                self.go_on(ctx, prompt.then);
            }
            Answer::Drop => {
                if let Some(ed) = &self.editor {
                    self.form.drop_unwritten(&ed.case);
                }
                self.go_on(ctx, prompt.then);
            }
        }
    }

    /// Help › Keyboard, while open.
    pub(super) fn keyboard_help_ui(&mut self, ctx: &egui::Context) {
        if !self.keyboard_help {
            return;
        }
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("casebook-keyboard")).show(ctx, |ui| {
            let t = tokens::Tokens::of(ui);
            ui.set_max_width(620.0);
            ui.heading("Keyboard");
            ui.label(
                RichText::new("Everything in Casebook can be done without a mouse.").color(t.muted),
            );
            egui::ScrollArea::vertical()
                .max_height(460.0)
                .show(ui, |ui| {
                    for (place, keys) in KEYS {
                        ui.add_space(tokens::GAP_SMALL);
                        ui.strong(*place);
                        egui::Grid::new(("keys", *place))
                            .num_columns(2)
                            .show(ui, |ui| {
                                for (k, what) in *keys {
                                    ui.label(RichText::new(*k).monospace());
                                    ui.label(*what);
                                    ui.end_row();
                                }
                            });
                    }
                    ui.add_space(tokens::GAP_SMALL);
                    ui.strong("Commands");
                    egui::Grid::new("keys-commands")
                        .num_columns(2)
                        .show(ui, |ui| {
                            for c in Command::ALL {
                                let Some(s) = c.shortcut() else { continue };
                                let mut keys = ui.ctx().format_shortcut(&s);
                                if let Some(a) = c.alternate_shortcut() {
                                    keys = format!("{keys} / {}", ui.ctx().format_shortcut(&a));
                                }
                                ui.label(RichText::new(keys).monospace());
                                ui.label(c.tooltip());
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(tokens::GAP_SMALL);
            let r = ui.button("Close").on_hover_text("Close this list (Escape)");
            if r.clicked() {
                close = true;
            }
            if !ui.memory(|m| m.focused().is_some()) {
                r.request_focus();
            }
        });
        if close || modal.should_close() {
            self.keyboard_help = false;
        }
    }
}
