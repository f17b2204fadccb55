//! The window around the views: the menu bar, the status bar, the view tabs, the side panel's
//! header, the welcome page, and live regions for screen readers.

use std::time::Duration;

use casebook_core::checks::Severity;

use super::command::Command;
use super::settings::Settings;
use super::{CasebookApp, View};
use crate::ui::{self, Intent, tokens};

impl CasebookApp {
    /// The menu bar; returns the commands chosen.
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut out = Vec::new();
        let has_case = self.editor.is_some();
        egui::MenuBar::new().ui(ui, |ui| {
            let mut item = |ui: &mut egui::Ui, c: Command, enabled: bool| {
                let mut b = egui::Button::new(c.label());
                if let Some(s) = c.shortcut() {
                    b = b.shortcut_text(ui.ctx().format_shortcut(&s));
                }
                if ui
                    .add_enabled(enabled, b)
                    .on_hover_text(c.tooltip())
                    .clicked()
                {
                    out.push(c);
                    ui.close();
                }
            };
            ui.menu_button("File", |ui| {
                item(ui, Command::NewCase, true);
                item(ui, Command::OpenCase, true);
                item(ui, Command::OpenFolder, true);
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label("No recent cases");
                    }
                    for p in self.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.intents.push(Intent::Open(p));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                item(ui, Command::Save, has_case);
                item(ui, Command::SaveAs, has_case);
                item(ui, Command::Revert, has_case);
                ui.separator();
                item(ui, Command::CloseCase, has_case);
                item(ui, Command::Quit, true);
            });
            ui.menu_button("Edit", |ui| {
                let (undo, redo) = match &self.editor {
                    Some(e) => (e.history.can_undo(), e.history.can_redo()),
                    None => (false, false),
                };
                item(ui, Command::Undo, undo || self.bulk_undo_is_next());
                item(ui, Command::Redo, redo);
                ui.separator();
                item(ui, Command::UpgradeToCaseStudy, has_case);
                item(ui, Command::Tags, self.workspace.root.is_some());
                ui.separator();
                ui.add_enabled_ui(has_case, |ui| {
                    ui.menu_button("Spelling language", |ui| {
                        self.intents.extend(ui::spelling::language_menu_ui(ui));
                    })
                });
            });
            ui.menu_button("View", |ui| {
                for v in View::ALL {
                    item(ui, v.command(), has_case);
                }
                item(ui, Command::FindPlace, has_case);
                ui.separator();
                item(ui, Command::ToggleProblems, true);
                item(ui, Command::ShowChanges, self.editor.is_some());
                ui.separator();
                ui.label("Theme");
                let mut theme = self.settings.dark;
                for (value, name) in [
                    (Some(false), "Light"),
                    (Some(true), "Dark"),
                    (None, "Follow system"),
                ] {
                    if ui.radio_value(&mut theme, value, name).clicked() {
                        ui.close();
                    }
                }
                if theme != self.settings.dark {
                    self.settings.dark = theme;
                    self.apply_theme(ui.ctx());
                }
                ui.separator();
                item(
                    ui,
                    Command::RefreshWorkspace,
                    self.settings.workspace_root.is_some(),
                );
                ui.checkbox(&mut self.settings.show_left, "Case list and outline");
                ui.checkbox(
                    &mut self.settings.in_app_file_dialogs,
                    "Type paths instead of file dialogs",
                );
            });
            ui.menu_button("Help", |ui| {
                item(ui, Command::KeyboardHelp, true);
                ui.separator();
                item(ui, Command::About, true);
            });
        });
        out
    }

    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
        let t = tokens::Tokens::of(ui);
        ui.horizontal(|ui| {
            live_region(ui, "Status bar");
            if let Some(ed) = &self.editor {
                let d = ed.last_diagnostics();
                let errors = d.iter().filter(|d| d.severity == Severity::Error).count();
                let warnings = d.iter().filter(|d| d.severity == Severity::Warning).count();
                ui.colored_label(t.error, ui::problems::count_of(errors, "error"));
                ui.colored_label(t.warning, ui::problems::count_of(warnings, "warning"));
                ui.separator();
                ui.label(if ed.is_dirty() {
                    "Unsaved changes"
                } else {
                    "Saved"
                });
                ui.separator();
            }
            let for_this_case = self.status_case == self.open_index();
            if let Some((msg, at)) = &self.status {
                if at.elapsed() >= Duration::from_secs(12) {
                    self.status = None;
                } else if for_this_case {
                    ui::widgets::message_label(ui, msg, None);
                }
            }
        });
    }
}

/// Announces a container's changes to screen readers (an ARIA live region).
pub(super) fn live_region(ui: &egui::Ui, name: &str) {
    let name = name.to_string();
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_live(egui::accesskit::Live::Polite);
        node.set_label(name);
    });
}

/// The side panel's default width: narrower in small windows, so the centre keeps room.
pub(super) fn left_width(ctx: &egui::Context) -> f32 {
    (ctx.content_rect().width() * 0.24)
        .clamp(tokens::LEFT_PANEL_MIN_WIDTH, tokens::LEFT_PANEL_WIDTH)
}

/// The side panel's first row: a button that folds it away. Returns whether it was clicked.
pub(super) fn side_panel_header(ui: &mut egui::Ui) -> bool {
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.small_button("«")
                .accessible_name("Hide the side panel")
                .on_hover_text("Hide the case list and the outline (View › Case list and outline brings them back)")
                .clicked()
        })
        .inner
    })
    .inner
}

/// The Details / Sections / Map / Preview tabs.
pub(super) fn view_tabs_ui(ui: &mut egui::Ui, view: &mut View) {
    ui.horizontal(|ui| {
        for v in View::ALL {
            let shortcut = v
                .command()
                .shortcut()
                .map(|s| ui.ctx().format_shortcut(&s))
                .unwrap_or_default();
            ui.selectable_value(view, v, v.label())
                .on_hover_text(format!("{} ({shortcut})", v.command().tooltip()));
        }
    });
}

/// What shows when no case is open.
pub(super) fn welcome_ui(ui: &mut egui::Ui, settings: &Settings) -> Vec<Intent> {
    let mut out = Vec::new();
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading("Casebook");
        ui.label("Open a case study to edit it, or start a new one.");
        ui.add_space(tokens::GAP);
        if ui.button(Command::NewCase.label()).clicked() {
            out.push(Intent::Command(Command::NewCase));
        }
        if ui.button(Command::OpenCase.label()).clicked() {
            out.push(Intent::Command(Command::OpenCase));
        }
        if ui.button(Command::OpenFolder.label()).clicked() {
            out.push(Intent::Command(Command::OpenFolder));
        }
        if !settings.recent.is_empty() {
            ui.add_space(tokens::GAP);
            ui.label("Recent cases");
            for p in settings.recent.iter().take(6) {
                if ui.link(p.display().to_string()).clicked() {
                    out.push(Intent::Open(p.clone()));
                }
            }
        }
    });
    out
}
