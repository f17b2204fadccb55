//! Modal dialogs: unsaved changes, files changed on disk, failed saves, the new-case wizard,
//! and the in-app path field that replaces native file dialogs where none can open.

use std::path::{Path, PathBuf};

use casebook_core::countries;
use casebook_core::template::TemplateSet;
use casebook_core::workspace::slugify;

use super::tokens::{self, Tokens};
use crate::app::AfterPrompt;
use crate::app::files::Purpose;

/// A dialog waiting for an answer.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// Save / Discard / Cancel before `after`.
    Unsaved {
        /// What happens once answered.
        after: AfterPrompt,
    },
    /// Revert drops unsaved changes: confirm.
    ConfirmRevert,
    /// The files changed on disk while there are unsaved edits.
    ChangedOnDisk {
        /// The file that changed.
        path: PathBuf,
        /// Raised by a save (rather than by the periodic check).
        on_save: bool,
    },
    /// A save failed.
    SaveFailed {
        /// The error, naming the file.
        message: String,
    },
    /// The new-case wizard.
    NewCase(NewCaseForm),
    /// Type a path (no native dialog available, or preferred).
    PathPrompt(PathPrompt),
    /// A recovery copy of unsaved changes was found.
    Recover {
        /// How long ago it was taken, in words.
        age: String,
        /// The file changed on disk after the copy was taken.
        disk_changed: bool,
    },
    /// Another Casebook has this case open.
    OpenElsewhere {
        /// Its process id.
        pid: u32,
    },
}

impl Dialog {
    /// The new-case wizard with defaults.
    pub fn new_case(templates: &TemplateSet, dir: PathBuf) -> Dialog {
        let template = templates
            .get("case-study")
            .map(|t| t.name.clone())
            .or_else(|| templates.all().first().map(|t| t.name.clone()))
            .unwrap_or_default();
        Dialog::NewCase(NewCaseForm {
            template,
            dir,
            ..Default::default()
        })
    }

    /// The path prompt for `purpose`, starting in `start`.
    pub fn path_prompt(purpose: Purpose, start: Option<PathBuf>) -> Dialog {
        let mut text = start.map(|p| p.display().to_string()).unwrap_or_default();
        if !text.is_empty() && !text.ends_with('/') {
            text.push('/');
        }
        Dialog::PathPrompt(PathPrompt {
            purpose,
            text,
            error: None,
        })
    }
}

/// The new-case wizard's fields.
#[derive(Debug, Clone, Default)]
pub struct NewCaseForm {
    /// Template name.
    pub template: String,
    /// ISO-3 code.
    pub country: String,
    /// Search text of the country picker.
    pub country_query: String,
    /// City.
    pub city: String,
    /// Title.
    pub title: String,
    /// The folder that holds the case folders.
    pub dir: PathBuf,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// The in-app path field.
#[derive(Debug, Clone)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: Purpose,
    /// The path typed so far.
    pub text: String,
    /// Why the path cannot be used.
    pub error: Option<String>,
}

/// What the user answered.
#[derive(Debug, Clone)]
pub enum DialogOutcome {
    /// Save, then continue.
    SaveThen(AfterPrompt),
    /// Drop changes, then continue.
    DiscardThen(AfterPrompt),
    /// Re-read from disk.
    Revert,
    /// Save over the changed file.
    Overwrite,
    /// Keep the editor's version (the next save overwrites).
    KeepMine,
    /// Open Save As.
    SaveAs,
    /// A path typed in the path prompt.
    Picked(Purpose, PathBuf),
    /// Browse for the new case's folder.
    BrowseNewCaseFolder,
    /// Restore the recovery copy.
    Restore,
    /// Delete the recovery copy.
    DiscardRecovery,
    /// Make the new case.
    CreateCase {
        /// Template name.
        template: String,
        /// Cases folder.
        dir: PathBuf,
        /// ISO-3.
        country: String,
        /// City.
        city: String,
        /// Title.
        title: String,
    },
}

/// The stack of open dialogs (one at a time is shown).
#[derive(Debug, Default)]
pub struct Dialogs {
    current: Option<Dialog>,
    /// For the changed-on-disk dialog: the diff of disk vs editor, computed when opened.
    pub diff: Option<String>,
}

impl Dialogs {
    /// Opens a dialog (replacing any other).
    pub fn open(&mut self, d: Dialog) {
        self.current = Some(d);
    }

    /// Closes the dialog.
    pub fn close(&mut self) {
        self.current = None;
        self.diff = None;
    }

    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.current.is_some()
    }

    /// The open dialog.
    pub fn current(&self) -> Option<&Dialog> {
        self.current.as_ref()
    }

    /// Sets the new-case folder chosen in a file dialog.
    pub fn set_new_case_folder(&mut self, dir: PathBuf) {
        if let Some(Dialog::NewCase(f)) = &mut self.current {
            f.dir = dir;
        }
    }

    /// Shows why creating the case failed.
    pub fn set_error(&mut self, e: String) {
        match &mut self.current {
            Some(Dialog::NewCase(f)) => f.error = Some(e),
            Some(Dialog::PathPrompt(p)) => p.error = Some(e),
            _ => {}
        }
    }

    /// Shows the open dialog; returns the answer once there is one.
    pub fn show(&mut self, ctx: &egui::Context, templates: &TemplateSet) -> Option<DialogOutcome> {
        let current = self.current.as_mut()?;
        let mut outcome = None;
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("casebook-dialog")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            match current {
                Dialog::Unsaved { after } => {
                    ui.heading("Save your changes?");
                    ui.label("This case has changes that are not saved yet. If you discard them, they are lost.");
                    ui.add_space(tokens::GAP);
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            outcome = Some(DialogOutcome::SaveThen(after.clone()));
                            close = true;
                        }
                        if ui.button("Discard").clicked() {
                            outcome = Some(DialogOutcome::DiscardThen(after.clone()));
                            close = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
                Dialog::ConfirmRevert => {
                    ui.heading("Revert to the saved files?");
                    ui.label("Your unsaved changes will be lost.");
                    ui.horizontal(|ui| {
                        if ui.button("Revert").clicked() {
                            outcome = Some(DialogOutcome::Revert);
                            close = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
                Dialog::ChangedOnDisk { path, on_save } => {
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by another program while you have unsaved changes here.{}",
                        path.display(),
                        if *on_save { " Nothing was saved." } else { "" }
                    ));
                    if let Some(diff) = &self.diff {
                        ui.label("Lines starting with − are on disk, + are yours:");
                        egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                            ui.add(egui::Label::new(egui::RichText::new(diff.as_str()).monospace()).wrap());
                        });
                    }
                    ui.add_space(tokens::GAP);
                    ui.horizontal(|ui| {
                        if ui.button("Keep mine").on_hover_text("Keep editing your version; saving replaces the file on disk").clicked() {
                            outcome = Some(DialogOutcome::KeepMine);
                            close = true;
                        }
                        if ui.button("Load theirs").on_hover_text("Drop your changes and read the file from disk").clicked() {
                            outcome = Some(DialogOutcome::Revert);
                            close = true;
                        }
                        if ui.button("Save as…").on_hover_text("Write your version into another folder").clicked() {
                            outcome = Some(DialogOutcome::SaveAs);
                            close = true;
                        }
                    });
                }
                Dialog::SaveFailed { message } => {
                    ui.heading("Not saved");
                    ui.label(message.as_str());
                    ui.label("Your changes are still here and still unsaved.");
                    ui.horizontal(|ui| {
                        if ui.button("Save as…").clicked() {
                            outcome = Some(DialogOutcome::SaveAs);
                            close = true;
                        }
                        if ui.button("OK").clicked() {
                            close = true;
                        }
                    });
                }
                Dialog::Recover { age, disk_changed } => {
                    ui.heading("Recover unsaved changes?");
                    ui.label(format!(
                        "Casebook kept a copy of changes to this case that were not saved ({age}), probably because it closed unexpectedly."
                    ));
                    if *disk_changed {
                        let t = Tokens::of(ui);
                        ui.colored_label(
                            t.warning,
                            "The file on disk changed after the copy was taken. Restoring replaces those changes with the copy.",
                        );
                    }
                    if let Some(diff) = &self.diff {
                        ui.label("Lines starting with − are on disk, + are in the copy:");
                        egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                            ui.add(egui::Label::new(egui::RichText::new(diff.as_str()).monospace()).wrap());
                        });
                    }
                    ui.add_space(tokens::GAP);
                    ui.horizontal(|ui| {
                        let label = if *disk_changed { "Restore anyway" } else { "Restore" };
                        if ui.button(label).on_hover_text("Put the copy's text into the editor (unsaved; undo works)").clicked() {
                            outcome = Some(DialogOutcome::Restore);
                            close = true;
                        }
                        if ui.button("Discard the copy").clicked() {
                            outcome = Some(DialogOutcome::DiscardRecovery);
                            close = true;
                        }
                        if ui.button("Decide later").clicked() {
                            close = true;
                        }
                    });
                }
                Dialog::OpenElsewhere { pid } => {
                    ui.heading("Open in another Casebook");
                    ui.label(format!(
                        "This case is also open in another Casebook window (process {pid}). If both save, one overwrites the other; Casebook will warn you before it does."
                    ));
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                }
                Dialog::NewCase(form) => {
                    let (o, c) = new_case_ui(ui, form, templates);
                    outcome = o;
                    close = c;
                }
                Dialog::PathPrompt(p) => {
                    let (o, c) = path_prompt_ui(ui, p);
                    outcome = o;
                    close = c;
                }
            }
        });
        if modal.should_close() && outcome.is_none() {
            close = true;
        }
        let keep_open = matches!(
            outcome,
            Some(DialogOutcome::CreateCase { .. }) | Some(DialogOutcome::BrowseNewCaseFolder)
        );
        if close && !keep_open {
            self.close();
        }
        outcome
    }
}

/// The new-case wizard: template, country, city, title → folder.
fn new_case_ui(
    ui: &mut egui::Ui,
    f: &mut NewCaseForm,
    templates: &TemplateSet,
) -> (Option<DialogOutcome>, bool) {
    let t = Tokens::of(ui);
    let mut outcome = None;
    let mut close = false;
    ui.heading("New case");
    ui.label("Casebook makes the case folder, its index.md from the template, and an empty boundary file.");
    ui.add_space(tokens::GAP_SMALL);
    egui::Grid::new("new-case")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let l = ui.label("Template");
            egui::ComboBox::from_id_salt("new-case-template")
                .selected_text(f.template.clone())
                .show_ui(ui, |ui| {
                    for tpl in templates.all() {
                        ui.selectable_value(&mut f.template, tpl.name.clone(), &tpl.name);
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Country");
            if let Some(code) = super::widgets::country_picker_labelled(
                ui,
                "new-case-country",
                &f.country,
                &mut f.country_query,
                Some(l.id),
            ) {
                f.country = code;
            }
            ui.end_row();
            let l = ui.label("City");
            ui.add(egui::TextEdit::singleline(&mut f.city).hint_text("e.g. Lisbon"))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Title");
            ui.add(egui::TextEdit::singleline(&mut f.title).hint_text("e.g. Parque das Nações"))
                .labelled_by(l.id);
            ui.end_row();
            ui.label("In folder");
            ui.horizontal(|ui| {
                ui.label(f.dir.display().to_string());
                if ui.button("Change…").clicked() {
                    outcome = Some(DialogOutcome::BrowseNewCaseFolder);
                }
            });
            ui.end_row();
        });
    let slug = slugify(if f.title.trim().is_empty() {
        &f.city
    } else {
        &f.title
    });
    let country_ok = countries::by_iso3(&f.country).is_some();
    if country_ok && !slug.is_empty() {
        ui.colored_label(
            t.muted,
            format!(
                "Creates {}",
                f.dir
                    .join(format!("{}-{slug}", f.country.to_lowercase()))
                    .display()
            ),
        );
    } else {
        ui.colored_label(
            t.muted,
            "Choose a country and type a title to name the folder.",
        );
    }
    if let Some(e) = &f.error {
        ui.colored_label(t.error, e.as_str());
    }
    ui.add_space(tokens::GAP);
    ui.horizontal(|ui| {
        let can = country_ok && !slug.is_empty() && !f.template.is_empty();
        if ui
            .add_enabled(can, egui::Button::new("Create case"))
            .clicked()
        {
            outcome = Some(DialogOutcome::CreateCase {
                template: f.template.clone(),
                dir: f.dir.clone(),
                country: f.country.clone(),
                city: f.city.clone(),
                title: f.title.clone(),
            });
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    (outcome, close)
}

/// A path field with completion (Tab completes, the list shows what is there).
fn path_prompt_ui(ui: &mut egui::Ui, p: &mut PathPrompt) -> (Option<DialogOutcome>, bool) {
    let t = Tokens::of(ui);
    let mut outcome = None;
    let mut close = false;
    ui.heading(p.purpose.title());
    ui.label("Type a path. Tab completes it; the list shows what is there.");
    let id = egui::Id::unique("path-prompt-field");
    let tab = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Tab));
    let r = ui.add(
        egui::TextEdit::singleline(&mut p.text)
            .id(id)
            .desired_width(520.0)
            .font(egui::TextStyle::Monospace),
    );
    r.request_focus();
    let candidates = completions(&p.text, p.purpose.wants_folder());
    if tab && let Some(done) = complete(&p.text, &candidates) {
        p.text = done;
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
            let end = egui::text::CCursor::new(p.text.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), id);
        }
    }
    egui::ScrollArea::vertical()
        .max_height(180.0)
        .show(ui, |ui| {
            for c in candidates.iter().take(50) {
                if ui
                    .selectable_label(false, c.display().to_string())
                    .clicked()
                {
                    p.text = c.display().to_string();
                    if c.is_dir() {
                        p.text.push('/');
                    }
                }
            }
        });
    if let Some(e) = &p.error {
        ui.colored_label(t.error, e.as_str());
    }
    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.horizontal(|ui| {
        if ui.button("OK").clicked() || enter {
            let path = PathBuf::from(p.text.trim());
            if p.purpose == Purpose::SaveAs || path.exists() {
                outcome = Some(DialogOutcome::Picked(p.purpose, path));
                close = true;
            } else {
                p.error = Some(format!("{} does not exist", path.display()));
            }
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    (outcome, close)
}

/// Entries of the typed path's folder that start with its last component.
pub fn completions(text: &str, folders_only: bool) -> Vec<PathBuf> {
    let path = Path::new(text);
    let (dir, prefix) = if text.ends_with('/') || text.is_empty() {
        (path.to_path_buf(), String::new())
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && (!n.starts_with('.') || prefix.starts_with('.'))
        })
        .filter(|e| !folders_only || e.path().is_dir())
        .map(|e| {
            if text.is_empty() {
                PathBuf::from(e.file_name())
            } else {
                dir.join(e.file_name())
            }
        })
        .collect();
    out.sort();
    out
}

/// The longest common completion of `text` among `candidates`.
pub fn complete(text: &str, candidates: &[PathBuf]) -> Option<String> {
    let first = candidates.first()?.display().to_string();
    let mut common = first.clone();
    for c in &candidates[1..] {
        let s = c.display().to_string();
        let n = common
            .chars()
            .zip(s.chars())
            .take_while(|(a, b)| a == b)
            .count();
        common = common.chars().take(n).collect();
    }
    if candidates.len() == 1 && candidates[0].is_dir() {
        common.push('/');
    }
    (common.len() > text.len()).then_some(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_paths() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        std::fs::create_dir(t.path().join("cases"))?;
        std::fs::write(t.path().join("casebook.txt"), "")?;
        let base = format!("{}/ca", t.path().display());
        let c = completions(&base, false);
        assert_eq!(c.len(), 2);
        assert_eq!(
            complete(&base, &c),
            Some(format!("{}/case", t.path().display()))
        );
        let only_dirs = completions(&base, true);
        assert_eq!(
            complete(&base, &only_dirs),
            Some(format!("{}/cases/", t.path().display()))
        );
        Ok(())
    }
}
