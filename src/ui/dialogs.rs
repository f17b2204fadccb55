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
    /// The new-case wizard for the cases folder `dir` (empty: not chosen yet), with the
    /// templates of that folder's workspace.
    pub fn new_case(templates: &TemplateSet, dir: PathBuf) -> Dialog {
        let mut form = NewCaseForm {
            dir: PathBuf::new(),
            ..Default::default()
        };
        form.set_dir(dir, templates.clone());
        Dialog::NewCase(form)
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

    /// The dialog's title (its heading, and its name for assistive technology).
    pub fn title(&self) -> &'static str {
        match self {
            Dialog::Unsaved { .. } => "Save your changes?",
            Dialog::ConfirmRevert => "Revert to the saved files?",
            Dialog::ChangedOnDisk { .. } => "The file changed on disk",
            Dialog::SaveFailed { .. } => "Not saved",
            Dialog::NewCase(_) => "New case",
            Dialog::PathPrompt(p) => p.purpose.title(),
            Dialog::Recover { .. } => "Recover unsaved changes?",
            Dialog::OpenElsewhere { .. } => "Open in another Casebook",
        }
    }

    /// Whether the dialog shows the diff kept in [`Dialogs::diff`].
    fn shows_diff(&self) -> bool {
        matches!(self, Dialog::ChangedOnDisk { .. } | Dialog::Recover { .. })
    }
}

/// A case already in the wizard's folder: its folder name and title.
#[derive(Debug, Clone, Default)]
pub struct ExistingCase {
    /// Folder name (`prt-lisbon`).
    pub folder: String,
    /// Its `title`, trimmed.
    pub title: String,
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
    /// The folder that holds the case folders (empty: not chosen yet).
    pub dir: PathBuf,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The templates of the folder's workspace (an atlas's own, else the bundled ones).
    pub templates: TemplateSet,
    /// The cases already in `dir`.
    pub existing: Vec<ExistingCase>,
}

impl NewCaseForm {
    /// Sets the folder, its workspace's templates and the cases already there. The chosen
    /// template is kept when the new set has one of that name, else the set's current one.
    pub fn set_dir(&mut self, dir: PathBuf, templates: TemplateSet) {
        self.existing = existing_cases(&dir);
        self.dir = dir;
        if templates.get(&self.template).is_none() {
            self.template = templates.current().name.clone();
        }
        self.templates = templates;
        self.error = None;
    }

    /// The folder the case gets (`prt-lisbon`), once country and name allow one.
    pub fn folder_name(&self) -> Option<String> {
        let slug = slugify(if self.title.trim().is_empty() {
            &self.city
        } else {
            &self.title
        });
        let country = countries::by_iso3(&self.country)?;
        (!slug.is_empty()).then(|| format!("{}-{slug}", country.iso3.to_lowercase()))
    }

    /// Whether a case folder of that name is already in the folder.
    pub fn folder_taken(&self) -> bool {
        self.folder_name().is_some_and(|f| {
            self.existing.iter().any(|e| e.folder == f) || self.dir.join(&f).exists()
        })
    }

    /// The case folders in `dir` whose title is the one typed.
    pub fn same_title(&self) -> Vec<&ExistingCase> {
        let t = self.title.trim();
        if t.is_empty() {
            return Vec::new();
        }
        self.existing
            .iter()
            .filter(|e| e.title.eq_ignore_ascii_case(t))
            .collect()
    }

    /// Whether Create case can run.
    pub fn can_create(&self) -> bool {
        !self.dir.as_os_str().is_empty()
            && self.folder_name().is_some()
            && self.templates.get(&self.template).is_some()
            && !self.folder_taken()
    }

    fn create(&self) -> DialogOutcome {
        DialogOutcome::CreateCase {
            template: self.template.clone(),
            dir: self.dir.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
            title: self.title.clone(),
        }
    }
}

/// The cases directly in `dir` (folder name and title), read once when the folder is set.
fn existing_cases(dir: &Path) -> Vec<ExistingCase> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<ExistingCase> = entries
        .flatten()
        .filter(|e| e.path().join("index.md").is_file())
        .map(|e| {
            let folder = e.file_name().to_string_lossy().into_owned();
            let title = std::fs::read(e.path().join("index.md"))
                .ok()
                .map(|b| casebook_core::document::Document::from_bytes(&b))
                .and_then(|d| {
                    d.text_of(casebook_core::fields::Field::Title)
                        .map(|t| t.trim().to_string())
                })
                .unwrap_or_default();
            ExistingCase { folder, title }
        })
        .collect();
    out.sort_by(|a, b| a.folder.cmp(&b.folder));
    out
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

/// Enter and Escape taken for the dialog on top (before any view sees them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DialogKeys {
    /// Enter: run the primary action.
    pub enter: bool,
    /// Escape: cancel.
    pub escape: bool,
}

/// Open dialogs, as a stack: the one on top is shown and answers keys; closing it shows the
/// one below again with everything typed there (the wizard under its folder prompt).
#[derive(Debug, Default)]
pub struct Dialogs {
    stack: Vec<Dialog>,
    /// The dialog shown last frame (depth, title): a new one takes the keyboard focus.
    shown: Option<(usize, &'static str)>,
    /// For the changed-on-disk and recovery dialogs: the diff to show, computed when opened.
    pub diff: Option<String>,
}

/// How far below the top of the window dialogs sit (they grow downwards, never move).
const DIALOG_TOP: f32 = 72.0;
/// The width of dialogs.
const DIALOG_WIDTH: f32 = 580.0;

impl Dialogs {
    /// Opens a dialog on top of any open one.
    pub fn open(&mut self, d: Dialog) {
        self.stack.push(d);
    }

    /// Closes the dialog on top.
    pub fn close(&mut self) {
        if self.stack.pop().is_some_and(|d| d.shows_diff()) {
            self.diff = None;
        }
    }

    /// Closes every dialog.
    pub fn close_all(&mut self) {
        self.stack.clear();
        self.diff = None;
    }

    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        !self.stack.is_empty()
    }

    /// The dialog on top.
    pub fn current(&self) -> Option<&Dialog> {
        self.stack.last()
    }

    /// How many dialogs are open.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Sets the new-case folder (chosen in a file dialog) in the wizard, wherever it is in the
    /// stack, with that folder's templates.
    pub fn set_new_case_folder(&mut self, dir: PathBuf, templates: TemplateSet) {
        for d in self.stack.iter_mut().rev() {
            if let Dialog::NewCase(f) = d {
                f.set_dir(dir, templates);
                return;
            }
        }
    }

    /// Shows why the action of the dialog on top failed.
    pub fn set_error(&mut self, e: String) {
        match self.stack.last_mut() {
            Some(Dialog::NewCase(f)) => f.error = Some(e),
            Some(Dialog::PathPrompt(p)) => p.error = Some(e),
            _ => {}
        }
    }

    /// Takes Enter and Escape for the dialog on top, before the views see them. Not while a
    /// list or menu is open in the dialog: that list answers them (Enter picks, Escape closes).
    pub fn take_keys(&self, ctx: &egui::Context) -> DialogKeys {
        if self.stack.is_empty() || egui::Popup::is_any_open(ctx) {
            return DialogKeys::default();
        }
        // Enter runs the primary action from a text field or when nothing has the focus; a
        // focused button, drop-down or check box keeps Enter to itself (it presses it), so
        // the dialog can be used from the keyboard alone.
        let enter_is_ours = ctx.memory(|m| m.focused()).is_none() || ctx.text_edit_focused();
        ctx.input_mut(|i| DialogKeys {
            enter: enter_is_ours && i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            escape: i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
        })
    }

    /// Shows the dialog on top; returns the answer once there is one.
    ///
    /// The dialog sits at a fixed place near the top of the window with a fixed width, so it
    /// does not move as its content grows. Lists and menus opened from it are drawn above
    /// it whatever layer order was saved: each frame they are made sublayers of the dialog.
    pub fn show(&mut self, ctx: &egui::Context, keys: DialogKeys) -> Option<DialogOutcome> {
        let depth = self.stack.len();
        let Some(current) = self.stack.last_mut() else {
            self.shown = None;
            return None;
        };
        let title = current.title();
        if self.shown != Some((depth, title)) {
            // A field behind the dialog must not keep the keyboard.
            ctx.memory_mut(|m| m.stop_text_input());
            self.shown = Some((depth, title));
        }
        let mut outcome = None;
        let mut close = false;
        let id = egui::Id::unique(("casebook-dialog", depth));
        let area = egui::Modal::default_area(id)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, DIALOG_TOP));
        let diff = self.diff.as_deref();
        let modal = egui::Modal::new(id).area(area).show(ctx, |ui| {
            ui.set_width(DIALOG_WIDTH.min(ctx.content_rect().width() - 48.0));
            ui.heading(title);
            let (o, c) = dialog_body(ui, current, diff, keys.enter);
            outcome = o;
            close = c;
        });
        // Lists and menus open in this frame belong to the dialog: keep them above it.
        let layer = modal.response.layer_id;
        let popups: Vec<egui::LayerId> = ctx.memory(|m| {
            m.areas()
                .visible_layer_ids()
                .into_iter()
                .filter(|l| l.order == egui::Order::Foreground && l.id != layer.id)
                .collect()
        });
        for p in popups {
            ctx.set_sublayer(layer, p);
        }
        if keys.escape || (modal.backdrop_response.clicked() && outcome.is_none()) {
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

/// A button that runs the dialog's primary action (also run by Enter).
fn primary_button(ui: &mut egui::Ui, label: &str, enabled: bool) -> egui::Response {
    ui.add_enabled(
        enabled,
        egui::Button::new(egui::RichText::new(label).strong()),
    )
    .on_hover_text("Enter")
}

/// The content of a dialog under its heading: (outcome, close).
fn dialog_body(
    ui: &mut egui::Ui,
    current: &mut Dialog,
    diff: Option<&str>,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    let mut outcome = None;
    let mut close = false;
    match current {
        Dialog::Unsaved { after } => {
            ui.label(
                "This case has changes that are not saved yet. If you discard them, they are lost.",
            );
            ui.add_space(tokens::GAP);
            ui.horizontal(|ui| {
                if primary_button(ui, "Save", true).clicked() || enter {
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
            ui.label("Your unsaved changes will be lost.");
            ui.horizontal(|ui| {
                if primary_button(ui, "Revert", true).clicked() || enter {
                    outcome = Some(DialogOutcome::Revert);
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        }
        Dialog::ChangedOnDisk { path, on_save } => {
            ui.label(format!(
                "{} was changed by another program while you have unsaved changes here.{}",
                path.display(),
                if *on_save { " Nothing was saved." } else { "" }
            ));
            diff_ui(ui, diff, "Lines starting with − are on disk, + are yours:");
            ui.add_space(tokens::GAP);
            ui.horizontal(|ui| {
                if primary_button(ui, "Keep mine", true)
                    .on_hover_text("Keep editing your version; saving replaces the file on disk")
                    .clicked()
                    || enter
                {
                    outcome = Some(DialogOutcome::KeepMine);
                    close = true;
                }
                if ui
                    .button("Load theirs")
                    .on_hover_text("Drop your changes and read the file from disk")
                    .clicked()
                {
                    outcome = Some(DialogOutcome::Revert);
                    close = true;
                }
                if ui
                    .button("Save as…")
                    .on_hover_text("Write your version into another folder")
                    .clicked()
                {
                    outcome = Some(DialogOutcome::SaveAs);
                    close = true;
                }
            });
        }
        Dialog::SaveFailed { message } => {
            ui.label(message.as_str());
            ui.label("Your changes are still here and still unsaved.");
            ui.horizontal(|ui| {
                if ui.button("Save as…").clicked() {
                    outcome = Some(DialogOutcome::SaveAs);
                    close = true;
                }
                if primary_button(ui, "OK", true).clicked() || enter {
                    close = true;
                }
            });
        }
        Dialog::Recover { age, disk_changed } => {
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
            diff_ui(
                ui,
                diff,
                "Lines starting with − are on disk, + are in the copy:",
            );
            ui.add_space(tokens::GAP);
            ui.horizontal(|ui| {
                let label = if *disk_changed {
                    "Restore anyway"
                } else {
                    "Restore"
                };
                // Enter restores only when that overwrites nothing new on disk.
                let r = if *disk_changed {
                    ui.button(label)
                } else {
                    primary_button(ui, label, true)
                };
                if r.on_hover_text("Put the copy's text into the editor (unsaved; undo works)")
                    .clicked()
                    || (enter && !*disk_changed)
                {
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
            ui.label(format!(
                "This case is also open in another Casebook window (process {pid}). If both save, one overwrites the other; Casebook will warn you before it does."
            ));
            if primary_button(ui, "OK", true).clicked() || enter {
                close = true;
            }
        }
        Dialog::NewCase(form) => {
            let (o, c) = new_case_ui(ui, form, enter);
            outcome = o;
            close = c;
        }
        Dialog::PathPrompt(p) => {
            let (o, c) = path_prompt_ui(ui, p, enter);
            outcome = o;
            close = c;
        }
    }
    (outcome, close)
}

/// A diff in a scroll area of fixed height.
fn diff_ui(ui: &mut egui::Ui, diff: Option<&str>, lead: &str) {
    if let Some(diff) = diff {
        ui.label(lead);
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                ui.add(egui::Label::new(egui::RichText::new(diff).monospace()).wrap());
            });
    }
}

/// Lines of text the wizard keeps for its messages, so they never move the buttons.
const WIZARD_MESSAGE_LINES: f32 = 3.0;

/// The new-case wizard: template, country, city, title → folder.
fn new_case_ui(
    ui: &mut egui::Ui,
    f: &mut NewCaseForm,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    let t = Tokens::of(ui);
    let mut outcome = None;
    let mut close = false;
    ui.label(
        "Casebook makes the case folder, its index.md from the template, and an empty boundary file.",
    );
    ui.add_space(tokens::GAP_SMALL);
    egui::Grid::new("new-case")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("Template");
            template_combo(ui, f);
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
            ui.add(
                egui::TextEdit::singleline(&mut f.city)
                    .hint_text(super::widgets::example_hint(ui, "Lisbon")),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Title");
            ui.add(
                egui::TextEdit::singleline(&mut f.title)
                    .hint_text(super::widgets::example_hint(ui, "Parque das Nações")),
            )
            .labelled_by(l.id);
            ui.end_row();
            ui.label("In folder");
            ui.horizontal(|ui| {
                if f.dir.as_os_str().is_empty() {
                    ui.colored_label(t.warning, "Not chosen yet");
                } else {
                    ui.add(egui::Label::new(f.dir.display().to_string()).truncate())
                        .on_hover_text(f.dir.display().to_string());
                }
                if ui
                    .button("Change…")
                    .on_hover_text("Choose the folder that holds the case folders")
                    .clicked()
                {
                    outcome = Some(DialogOutcome::BrowseNewCaseFolder);
                }
            });
            ui.end_row();
        });
    ui.add_space(tokens::GAP_SMALL);
    let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let folder = f.folder_name();
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), line * WIZARD_MESSAGE_LINES),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_height(line * WIZARD_MESSAGE_LINES);
            if f.dir.as_os_str().is_empty() {
                ui.colored_label(
                    t.warning,
                    "Choose the folder for the new case with Change… (an atlas checkout's cases/ folder, or one of your own).",
                );
            } else if let Some(name) = &folder {
                ui.colored_label(t.muted, format!("Creates {}", f.dir.join(name).display()));
            } else {
                ui.colored_label(
                    t.muted,
                    "Choose a country and type a title to name the folder.",
                );
            }
            if f.folder_taken()
                && let Some(name) = &folder
            {
                ui.colored_label(
                    t.error,
                    format!("A case folder {name} already exists here: change the title."),
                );
            } else if let Some(e) = f.same_title().first() {
                ui.colored_label(
                    t.warning,
                    format!(
                        "A case with the same title is already here ({}): you can still create this one.",
                        e.folder
                    ),
                );
            }
            if let Some(e) = &f.error {
                ui.colored_label(t.error, e.as_str());
            }
        },
    );
    ui.add_space(tokens::GAP_SMALL);
    ui.horizontal(|ui| {
        let can = f.can_create();
        if primary_button(ui, "Create case", can).clicked() || (enter && can) {
            outcome = Some(f.create());
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    (outcome, close)
}

/// The template drop-down: each template with one line saying when to use it.
fn template_combo(ui: &mut egui::Ui, f: &mut NewCaseForm) {
    let t = Tokens::of(ui);
    let r = egui::ComboBox::from_id_salt("new-case-template")
        .selected_text(f.template.clone())
        .width(300.0)
        .show_ui(ui, |ui| {
            ui.set_min_width(420.0);
            for tpl in f.templates.all() {
                let mut job = egui::text::LayoutJob::default();
                let body = egui::TextStyle::Body.resolve(ui.style());
                let small = egui::TextStyle::Small.resolve(ui.style());
                job.append(
                    &tpl.name,
                    0.0,
                    egui::TextFormat::simple(body, ui.visuals().strong_text_color()),
                );
                job.append(
                    &format!(" — {}", f.templates.when_to_use(tpl)),
                    0.0,
                    egui::TextFormat::simple(small, t.muted),
                );
                ui.selectable_value(&mut f.template, tpl.name.clone(), job);
            }
        });
    let selected = f.template.clone();
    ui.ctx().accesskit_node_builder(r.response.id, |node| {
        node.set_label("Template");
        node.set_value(selected);
    });
}

/// Height of the path prompt's list (fixed, so the buttons below never move).
const PATH_LIST_HEIGHT: f32 = 200.0;

/// A path field with completion (Tab completes, the list shows what is there; Enter or OK
/// uses the path).
fn path_prompt_ui(
    ui: &mut egui::Ui,
    p: &mut PathPrompt,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    let t = Tokens::of(ui);
    let mut outcome = None;
    let mut close = false;
    ui.label("Type a path. Tab completes it; the list shows what is there.");
    let id = egui::Id::unique(("path-prompt-field", p.purpose.title()));
    let tab = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Tab));
    let l = ui.label("Path");
    let r = ui
        .add(
            egui::TextEdit::singleline(&mut p.text)
                .id(id)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(l.id);
    r.request_focus();
    if r.changed() {
        p.error = None;
    }
    let candidates = completions_for(&p.text, p.purpose);
    if tab && let Some(done) = complete(&p.text, &candidates) {
        p.text = done;
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
            let end = egui::text::CCursor::new(p.text.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), id);
        }
        r.request_focus();
    }
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .inner_margin(egui::Margin::same(4))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::ScrollArea::vertical()
                .id_salt("path-prompt-list")
                .auto_shrink([false, false])
                .max_height(PATH_LIST_HEIGHT)
                .min_scrolled_height(PATH_LIST_HEIGHT)
                .show(ui, |ui| {
                    if candidates.is_empty() {
                        ui.colored_label(t.muted, "Nothing here matches.");
                    }
                    for c in candidates.iter().take(200) {
                        let name = c.display().to_string();
                        if ui.selectable_label(false, &name).clicked() {
                            p.text = name;
                            if c.is_dir() {
                                p.text.push('/');
                            }
                            p.error = None;
                            r.request_focus();
                        }
                    }
                });
        });
    // The message line keeps its place whether or not there is a message.
    let msg = p.error.clone().unwrap_or_default();
    ui.colored_label(t.error, if msg.is_empty() { " ".to_string() } else { msg });
    ui.horizontal(|ui| {
        if primary_button(ui, "OK", true).clicked() || enter {
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

/// The completions for a purpose: folders always (to walk into), and only the files the
/// purpose can use (images for an image, GeoJSON for a boundary, Markdown for a case).
pub fn completions_for(text: &str, purpose: Purpose) -> Vec<PathBuf> {
    let exts: Vec<&str> = purpose
        .filters()
        .iter()
        .flat_map(|(_, e)| e.iter().copied())
        .collect();
    completions(text, purpose.wants_folder())
        .into_iter()
        .filter(|p| {
            exts.is_empty()
                || p.is_dir()
                || p.extension().is_some_and(|e| {
                    exts.iter()
                        .any(|x| e.to_string_lossy().eq_ignore_ascii_case(x))
                })
        })
        .collect()
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
