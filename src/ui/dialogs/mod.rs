//! Modal dialogs: unsaved changes, files changed on disk, failed saves, the new-case wizard,
//! and the in-app path field that replaces native file dialogs where none can open.

use std::path::{Path, PathBuf};

use casebook_core::countries;
use casebook_core::template::TemplateSet;
use casebook_core::workspace::slugify;

use super::tokens::{self, Tokens};
use crate::ui::purpose::Purpose;

mod new_case;
mod path_prompt;

use new_case::new_case_ui;
pub use new_case::{ExistingCase, NewCaseForm};
use path_prompt::path_prompt_ui;
pub use path_prompt::{PathPrompt, complete, completions, completions_for};

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterPrompt {
    /// Close the case.
    Close,
    /// Quit the app.
    Quit,
    /// Open another case or folder.
    Open(PathBuf),
    /// Start the new-case wizard.
    NewCase,
    /// Re-read from disk.
    Revert,
}

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
    /// Help › About: the version, the licence, the bundled data and their licences.
    About,
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
            Dialog::About => "About Casebook",
        }
    }

    /// Whether the dialog shows the diff kept in [`Dialogs::diff`].
    fn shows_diff(&self) -> bool {
        matches!(self, Dialog::ChangedOnDisk { .. } | Dialog::Recover { .. })
    }
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

/// One button of a dialog: every button closes the dialog, with its outcome if it has one.
struct Choice<'a> {
    label: &'a str,
    hover: Option<&'a str>,
    /// Drawn as the primary button, and chosen by Enter.
    primary: bool,
    outcome: Option<DialogOutcome>,
}

impl<'a> Choice<'a> {
    /// The button Enter chooses.
    fn primary(label: &'a str, outcome: Option<DialogOutcome>) -> Choice<'a> {
        Choice {
            label,
            hover: None,
            primary: true,
            outcome,
        }
    }

    fn other(label: &'a str, outcome: Option<DialogOutcome>) -> Choice<'a> {
        Choice {
            label,
            hover: None,
            primary: false,
            outcome,
        }
    }

    fn hover(self, hover: &'a str) -> Choice<'a> {
        Choice {
            hover: Some(hover),
            ..self
        }
    }
}

/// A row of buttons: (the outcome of the one clicked, or of the primary one on Enter, and
/// whether the dialog closes).
fn choices<'a>(
    ui: &mut egui::Ui,
    enter: bool,
    row: impl IntoIterator<Item = Choice<'a>>,
) -> (Option<DialogOutcome>, bool) {
    let mut chosen = (None, false);
    ui.horizontal(|ui| {
        for c in row {
            let r = if c.primary {
                primary_button(ui, c.label, true)
            } else {
                ui.button(c.label)
            };
            let r = match c.hover {
                Some(h) => r.on_hover_text(h),
                None => r,
            };
            if r.clicked() || (c.primary && enter) {
                chosen = (c.outcome, true);
            }
        }
    });
    chosen
}

/// The content of a dialog under its heading: (outcome, close).
fn dialog_body(
    ui: &mut egui::Ui,
    current: &mut Dialog,
    diff: Option<&str>,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    match current {
        Dialog::Unsaved { after } => {
            ui.label(
                "This case has changes that are not saved yet. If you discard them, they are lost.",
            );
            ui.add_space(tokens::GAP);
            choices(
                ui,
                enter,
                [
                    Choice::primary("Save", Some(DialogOutcome::SaveThen(after.clone()))),
                    Choice::other("Discard", Some(DialogOutcome::DiscardThen(after.clone()))),
                    Choice::other("Cancel", None),
                ],
            )
        }
        Dialog::ConfirmRevert => {
            ui.label("Your unsaved changes will be lost.");
            choices(
                ui,
                enter,
                [
                    Choice::primary("Revert", Some(DialogOutcome::Revert)),
                    Choice::other("Cancel", None),
                ],
            )
        }
        Dialog::ChangedOnDisk { path, on_save } => {
            changed_on_disk_ui(ui, path, *on_save, diff, enter)
        }
        Dialog::SaveFailed { message } => {
            ui.label(message.as_str());
            ui.label("Your changes are still here and still unsaved.");
            choices(
                ui,
                enter,
                [
                    Choice::other("Save as…", Some(DialogOutcome::SaveAs)),
                    Choice::primary("OK", None),
                ],
            )
        }
        Dialog::Recover { age, disk_changed } => recover_ui(ui, age, *disk_changed, diff, enter),
        Dialog::OpenElsewhere { pid } => {
            ui.label(format!(
                "This case is also open in another Casebook window (process {pid}). If both save, one overwrites the other; Casebook will warn you before it does."
            ));
            choices(ui, enter, [Choice::primary("OK", None)])
        }
        Dialog::About => (None, about_ui(ui, enter)),
        Dialog::NewCase(form) => new_case_ui(ui, form, enter),
        Dialog::PathPrompt(p) => path_prompt_ui(ui, p, enter),
    }
}

/// The file changed on disk while the editor has unsaved changes: keep mine, load theirs or
/// save mine elsewhere.
fn changed_on_disk_ui(
    ui: &mut egui::Ui,
    path: &std::path::Path,
    on_save: bool,
    diff: Option<&str>,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    ui.label(format!(
        "{} was changed by another program while you have unsaved changes here.{}",
        path.display(),
        if on_save { " Nothing was saved." } else { "" }
    ));
    diff_ui(ui, diff, "Lines starting with − are on disk, + are yours:");
    ui.add_space(tokens::GAP);
    choices(
        ui,
        enter,
        [
            Choice::primary("Keep mine", Some(DialogOutcome::KeepMine))
                .hover("Keep editing your version; saving replaces the file on disk"),
            Choice::other("Load theirs", Some(DialogOutcome::Revert))
                .hover("Drop your changes and read the file from disk"),
            Choice::other("Save as…", Some(DialogOutcome::SaveAs))
                .hover("Write your version into another folder"),
        ],
    )
}

/// A recovery copy of unsaved changes: restore it, discard it or decide later. Enter
/// restores only when that overwrites nothing new on disk.
fn recover_ui(
    ui: &mut egui::Ui,
    age: &str,
    disk_changed: bool,
    diff: Option<&str>,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    ui.label(format!(
        "Casebook kept a copy of changes to this case that were not saved ({age}), probably because it closed unexpectedly."
    ));
    if disk_changed {
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
    let restore = if disk_changed {
        Choice::other("Restore anyway", Some(DialogOutcome::Restore))
    } else {
        Choice::primary("Restore", Some(DialogOutcome::Restore))
    };
    choices(
        ui,
        enter,
        [
            restore.hover("Put the copy's text into the editor (unsaved; undo works)"),
            Choice::other("Discard the copy", Some(DialogOutcome::DiscardRecovery)),
            Choice::other("Decide later", None),
        ],
    )
}

/// Help › About: what Casebook is, its version and licence, then every bundled data source
/// with its licence and the credit it asks for, all from [`casebook_core::about`]. Returns
/// whether it was closed.
fn about_ui(ui: &mut egui::Ui, enter: bool) -> bool {
    use casebook_core::about;
    let t = Tokens::of(ui);
    ui.label(egui::RichText::new(format!("Casebook {}", env!("CARGO_PKG_VERSION"))).strong());
    ui.label("A desktop editor for the case studies of the Atlas of Urban Tech.");
    ui.label(format!("Licence: {}", about::LICENSE));
    ui.label(egui::RichText::new(format!("Application id: {}", about::APP_ID)).color(t.muted));
    ui.add_space(tokens::GAP);
    ui.label(egui::RichText::new("Data and fonts bundled with Casebook").strong());
    // Room for the buttons below, whatever the window's height.
    let max_height = (ui.ctx().content_rect().height() - DIALOG_TOP - 300.0).max(160.0);
    egui::ScrollArea::vertical()
        .max_height(max_height)
        // Its full height from the first frame (left to grow, it took a dozen frames and the
        // Close button moved under the pointer).
        .min_scrolled_height(max_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for source in about::DATA_SOURCES {
                ui.add_space(tokens::GAP_SMALL);
                ui.label(egui::RichText::new(source.name).strong());
                ui.label(format!("Licence: {}", source.license));
                ui.label(format!("Used for {}", source.used_for));
                ui.add(egui::Label::new(egui::RichText::new(source.attribution).small()).wrap());
                ui.hyperlink(source.url);
            }
        });
    ui.add_space(tokens::GAP);
    primary_button(ui, "Close", true).clicked() || enter
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
