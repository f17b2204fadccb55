//! Commands, intents from the views, and dialog answers.

use casebook_core::template;

use super::command::Command;
use super::drafts::DraftThen;
use super::{AfterPrompt, CasebookApp, View, files};
use crate::ui::Intent;
use crate::ui::dialogs::{Dialog, DialogOutcome};

impl CasebookApp {
    /// Runs a command.
    pub fn run_command(&mut self, ctx: &egui::Context, cmd: Command) {
        if cmd == Command::Undo && self.bulk_undo_is_next() {
            self.undo_bulk();
            return;
        }
        if cmd.needs_case() && self.editor.is_none() {
            return;
        }
        match cmd {
            Command::NewCase => self.guard_unsaved(AfterPrompt::NewCase),
            Command::OpenCase => self.pick(files::Purpose::OpenCase, ctx),
            Command::OpenFolder => self.pick(files::Purpose::OpenFolder, ctx),
            Command::Save => {
                if self.drafts_ok(DraftThen::Save) {
                    self.save(false);
                }
            }
            Command::SaveAs => {
                if self.drafts_ok(DraftThen::SaveAs) {
                    self.pick(files::Purpose::SaveAs, ctx);
                }
            }
            Command::Revert => {
                if self.is_dirty() {
                    self.dialogs.open(Dialog::ConfirmRevert);
                } else {
                    self.revert();
                }
            }
            Command::CloseCase => self.guard_unsaved(AfterPrompt::Close),
            Command::Quit => self.guard_unsaved(AfterPrompt::Quit),
            Command::Undo => {
                if let Some(ed) = &mut self.editor {
                    match ed.undo() {
                        Some(label) => self.set_status(format!("Undid {label}.")),
                        None => self.set_status("Nothing to undo."),
                    }
                }
            }
            Command::Redo => {
                if let Some(ed) = &mut self.editor {
                    match ed.redo() {
                        Some(label) => self.set_status(format!("Redid {label}.")),
                        None => self.set_status("Nothing to redo."),
                    }
                }
            }
            Command::ViewDetails => self.view = View::Details,
            Command::ViewSections => self.view = View::Sections,
            Command::ViewMap => self.view = View::Map,
            Command::ViewPreview => self.view = View::Preview,
            Command::ToggleProblems => self.settings.show_problems = !self.settings.show_problems,
            Command::ShowChanges => self.workspace.vcs.view_open = true,
            Command::ToggleTheme => {
                let dark = ctx.theme() == egui::Theme::Dark;
                self.settings.dark = Some(!dark);
                self.apply_theme(ctx);
            }
            Command::UpgradeToCaseStudy => self.upgrade_to_case_study(),
            Command::Tags => {
                if self.workspace.root.is_some() {
                    self.tags.open = true;
                } else {
                    self.set_status(
                        "Open a folder of cases first: the Tags window shows its tags.",
                    );
                }
            }
            Command::RefreshWorkspace => {
                if let Some(root) = self.settings.workspace_root.clone() {
                    self.workspace.scan(&root, &self.templates);
                }
            }
            Command::NextPane => crate::ui::focus::cycle(ctx, true),
            Command::PreviousPane => crate::ui::focus::cycle(ctx, false),
            Command::FocusMenu => crate::ui::focus::menu(ctx),
            Command::KeyboardHelp => self.keyboard_help = true,
            Command::About => self.dialogs.open(Dialog::About),
            Command::FindPlace => {
                self.view = View::Map;
                self.map.focus_search();
                ctx.request_repaint();
            }
        }
    }

    /// Applies one edit to the open case (its session follows a change of `template:`).
    pub(super) fn apply_edit(
        &mut self,
        edit: &casebook_core::edit::Edit,
        label: &str,
        merge: Option<&str>,
    ) {
        let Some(ed) = &mut self.editor else { return };
        if let Err(e) = ed.apply(edit, label, merge) {
            self.set_status(format!("{label}: {e}"));
        }
    }

    pub(super) fn upgrade_to_case_study(&mut self) {
        // The workspace's current full template (an atlas's newest, or the bundled one).
        let full = self.templates.current().clone();
        if full.is_stub() {
            self.set_status("No full case-study template is available here.");
            return;
        }
        let Some(ed) = &mut self.editor else { return };
        let edit = template::upgrade_edit(ed.case.doc(), &full);
        match ed.apply(&edit, "Upgrade to case study", None) {
            Ok(true) => {
                ed.follow_template(full);
                self.view = View::Sections;
                self.set_status("Added the case-study sections with their guidance.");
            }
            Ok(false) => self.set_status("This case already has every case-study section."),
            Err(e) => self.set_status(format!("Could not upgrade: {e}")),
        }
    }

    /// Runs `change` on the shared spelling setup and shows what it says in the status bar.
    fn spelling_status(
        &mut self,
        ctx: &egui::Context,
        change: impl FnOnce(&mut crate::ui::spelling::Spelling) -> Result<String, String>,
    ) {
        let done = crate::ui::spelling::Spelling::shared(ctx)
            .lock()
            .map_err(|_| "Spelling is unavailable.".to_string())
            .and_then(|mut s| change(&mut s));
        self.set_status(done.unwrap_or_else(|e| e));
    }

    pub(super) fn handle_intents(&mut self, ctx: &egui::Context, intents: Vec<Intent>) {
        for intent in intents {
            match intent {
                Intent::Edit { edit, label, merge } => {
                    self.apply_edit(&edit, &label, merge.as_deref());
                }
                Intent::Command(c) => self.run_command(ctx, c),
                Intent::Focus(f) => self.focus(f),
                Intent::Open(p) => self.guard_unsaved(AfterPrompt::Open(p)),
                Intent::ImportFile { from, purpose } => self.import_file(&from, &purpose),
                Intent::Pick(purpose) => self.pick(purpose, ctx),
                Intent::Status(s) => self.set_status(s),
                Intent::Bulk(op) => self.preview_bulk(op),
                Intent::RestoreCase(folder) => self.restore_deleted_case(&folder),
                Intent::SpellingLanguage(language) => {
                    self.spelling_status(ctx, |s| s.set_language(ctx, &language));
                }
                Intent::AddDictionary(aff) => {
                    self.spelling_status(ctx, |s| s.add_dictionary(ctx, &aff));
                }
                Intent::PickCentroidOnMap => {
                    self.map.set_tool(crate::ui::map::Tool::SetCentroid);
                    self.view = View::Map;
                }
                Intent::SetBasemap { basemap, online } => {
                    self.settings.basemap = basemap;
                    self.settings.online_tiles = online;
                }
            }
        }
    }

    pub(super) fn handle_dialog_outcome(
        &mut self,
        ctx: &egui::Context,
        outcome: Option<DialogOutcome>,
    ) {
        let Some(outcome) = outcome else { return };
        match outcome {
            DialogOutcome::SaveThen(after) => {
                if self.save(false) {
                    self.finish(after);
                }
            }
            DialogOutcome::DiscardThen(after) => {
                if let Some(ed) = &mut self.editor {
                    // Forget the changes so nothing asks again.
                    ed.history.clear();
                    // A copy still being written must not come back after removal.
                    if let Some(h) = self.recovery_writer.take() {
                        let _ = h.wait();
                    }
                    self.recovery.remove(ed.case.index_path());
                }
                self.finish(after);
            }
            DialogOutcome::Revert => self.revert(),
            DialogOutcome::Restore => self.restore_recovery(),
            DialogOutcome::DiscardRecovery => {
                if let Some(ed) = &self.editor {
                    // A copy still being written must not come back after removal.
                    if let Some(h) = self.recovery_writer.take() {
                        let _ = h.wait();
                    }
                    self.recovery.remove(ed.case.index_path());
                }
            }
            DialogOutcome::Overwrite => {
                self.save(true);
            }
            DialogOutcome::KeepMine => {
                self.set_status("Kept your version; saving will replace the file on disk.");
                if let Some(ed) = &mut self.editor {
                    ed.case.adopt_disk_state();
                }
            }
            DialogOutcome::SaveAs => self.pick(files::Purpose::SaveAs, ctx),
            DialogOutcome::Picked(purpose, path) => self.picked(purpose, path),
            DialogOutcome::BrowseNewCaseFolder => self.pick(files::Purpose::NewCaseFolder, ctx),
            DialogOutcome::CreateCase {
                template,
                dir,
                country,
                city,
                title,
            } => {
                // The templates of the folder's workspace, as the wizard listed them.
                let Some(t) = self.templates_for(&dir).get(&template).cloned() else {
                    self.dialogs
                        .set_error(format!("The template {template} is not available here."));
                    return;
                };
                match casebook_core::workspace::new_case(&dir, &t, &country, &city, &title) {
                    Ok(index) => {
                        self.dialogs.close();
                        self.settings.new_case_dir = Some(dir.clone());
                        self.editor = None;
                        self.open_path(&index);
                        if let Some(root) = self.settings.workspace_root.clone() {
                            self.workspace.scan(&root, &self.templates);
                        }
                        self.set_status(format!("Made {}.", index.display()));
                    }
                    Err(e) => self.dialogs.set_error(e.to_string()),
                }
            }
        }
    }
}
