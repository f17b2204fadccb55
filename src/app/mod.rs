//! The eframe app: panels, commands, dialogs, files.
//!
//! Each frame: shortcuts are consumed first (so the app's undo is the only undo), panels are
//! drawn and return [`Intent`]s, then edits are applied and commands run. Documents are saved
//! only on request, through the core's safe save.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::case::{Case, GeoState};
use casebook_core::checks::Severity;
use casebook_core::edit::Edit;
use casebook_core::recovery::RecoveryStore;
use casebook_core::save::SaveError;
use casebook_core::template::{self, TemplateSet};

use crate::ui::dialogs::{Dialog, DialogOutcome, Dialogs};
use crate::ui::{self, Focus, ImportPurpose, Intent, ViewCtx, tokens};

pub mod command;
pub mod editor;
pub mod files;
pub mod sample;
pub mod settings;

use command::Command;
use editor::Editor;
use settings::Settings;

/// The views of the centre area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The front-matter form.
    #[default]
    Details,
    /// The section editors.
    Sections,
    /// The boundary map.
    Map,
    /// The rendered case.
    Preview,
}

impl View {
    /// All views in tab order.
    pub const ALL: [View; 4] = [View::Details, View::Sections, View::Map, View::Preview];

    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            View::Details => "Details",
            View::Sections => "Sections",
            View::Map => "Map",
            View::Preview => "Preview",
        }
    }

    /// The command that shows it.
    pub fn command(self) -> Command {
        match self {
            View::Details => Command::ViewDetails,
            View::Sections => Command::ViewSections,
            View::Map => Command::ViewMap,
            View::Preview => Command::ViewPreview,
        }
    }
}

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

/// How the app starts.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// What to open (a case, an index.md, a folder of cases).
    pub path: Option<PathBuf>,
    /// Where Casebook keeps its own files (sample case, recovery copies, tile cache).
    /// Defaults to the user's data folder.
    pub data_dir: Option<PathBuf>,
    /// An extra templates folder.
    pub templates_dir: Option<PathBuf>,
    /// Settings to start from (tests); otherwise read from eframe storage.
    pub settings: Option<Settings>,
}

/// The Casebook app.
pub struct CasebookApp {
    /// Persisted settings.
    pub settings: Settings,
    /// Templates (bundled and loaded).
    pub templates: TemplateSet,
    /// The open case.
    pub editor: Option<Editor>,
    /// The centre view.
    pub view: View,
    /// The workspace panel.
    pub workspace: ui::workspace::WorkspaceState,
    /// The form's widget state.
    pub form: ui::form::FormState,
    /// The sections' widget state.
    pub sections: ui::sections::SectionsState,
    /// The preview's state.
    pub preview: ui::preview::PreviewState,
    /// The map's state.
    pub map: ui::map::MapState,
    /// The problems panel's state.
    pub problems: ui::problems::ProblemsState,
    /// Open dialogs.
    pub dialogs: Dialogs,
    /// The status line.
    pub status: Option<(String, Instant)>,
    /// Where Casebook keeps its own files.
    pub data_dir: PathBuf,
    pending_dialog: Option<files::Pending>,
    focus: Option<Focus>,
    close_confirmed: bool,
    quit_requested: bool,
    title: String,
    last_disk_check: Instant,
    geometry_loader: Option<std::sync::mpsc::Receiver<GeoState>>,
    intents: Vec<Intent>,
    recovery: RecoveryStore,
    recovery_written: Option<(u64, Instant)>,
}

impl CasebookApp {
    /// Creates the app (called by eframe and by tests).
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> CasebookApp {
        let settings = startup.settings.clone().unwrap_or_else(|| {
            cc.storage
                .and_then(|s| eframe::get_value::<Settings>(s, settings::KEY))
                .unwrap_or_default()
        });
        CasebookApp::with_context(&cc.egui_ctx, settings, startup)
    }

    /// Creates the app for a context with the given settings.
    pub fn with_context(ctx: &egui::Context, settings: Settings, startup: Startup) -> CasebookApp {
        let data_dir = startup
            .data_dir
            .clone()
            .or_else(|| std::env::var_os("CASEBOOK_DATA_DIR").map(PathBuf::from))
            .or_else(|| eframe::storage_dir("casebook"))
            .unwrap_or_else(|| std::env::temp_dir().join("casebook"));
        let templates = TemplateSet::load(startup.templates_dir.as_deref(), startup.path.as_deref())
            .unwrap_or_else(|_| TemplateSet::bundled());
        let mut app = CasebookApp {
            settings,
            templates,
            editor: None,
            view: View::Details,
            workspace: Default::default(),
            form: Default::default(),
            sections: Default::default(),
            preview: Default::default(),
            map: Default::default(),
            problems: Default::default(),
            dialogs: Default::default(),
            status: None,
            data_dir: data_dir.clone(),
            pending_dialog: None,
            focus: None,
            close_confirmed: false,
            quit_requested: false,
            title: String::new(),
            last_disk_check: Instant::now(),
            geometry_loader: None,
            intents: Vec::new(),
            recovery: RecoveryStore::new(&data_dir),
            recovery_written: None,
        };
        app.apply_theme(ctx);
        crate::ui::widgets::install_fonts_and_style(ctx);
        egui_extras::install_image_loaders(ctx);
        let target = startup
            .path
            .clone()
            .or_else(|| app.settings.last_case().cloned())
            .or_else(|| {
                match sample::install(&app.data_dir) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        app.set_status(format!("The sample case could not be installed: {e}"));
                        None
                    }
                }
            });
        if let Some(p) = target {
            app.open_path(&p);
        }
        app
    }

    /// Brings something into view and focuses it on the next frame.
    pub fn focus(&mut self, f: Focus) {
        self.view = match &f {
            Focus::Field(_) => View::Details,
            Focus::Section(_) | Focus::MissingSection(_) => View::Sections,
            Focus::Geometry => View::Map,
        };
        self.focus = Some(f);
    }

    /// Shows a message in the status bar.
    pub fn set_status(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), Instant::now()));
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        match self.settings.dark {
            Some(true) => ctx.set_theme(egui::Theme::Dark),
            Some(false) => ctx.set_theme(egui::Theme::Light),
            None => ctx.set_theme(egui::ThemePreference::System),
        }
    }

    /// Opens a case (folder or index.md) or a folder of cases.
    pub fn open_path(&mut self, path: &Path) {
        let cases = casebook_core::workspace::find_cases(path);
        let is_single = path.is_file() || path.join("index.md").is_file();
        if !is_single {
            if !path.is_dir() {
                self.set_status(format!("{}: no such folder", path.display()));
                return;
            }
            if cases.is_empty() {
                self.set_status(format!(
                    "{}: no cases here yet (a case folder holds an index.md); New case makes one here.",
                    path.display()
                ));
            }
            self.settings.workspace_root = Some(path.to_path_buf());
            self.workspace.scan(path, &self.templates);
            self.templates = TemplateSet::load(None, Some(path)).unwrap_or_else(|_| self.templates.clone());
            if self.editor.is_none()
                && let Some(first) = cases.first()
            {
                self.open_case(&first.clone());
            }
            return;
        }
        self.open_case(path);
        if self.settings.workspace_root.is_none()
            || !self
                .settings
                .workspace_root
                .as_ref()
                .is_some_and(|r| path.starts_with(r))
        {
            // Show the case's siblings when it sits in a folder of cases.
            let dir = if path.is_file() { path.parent() } else { Some(path) };
            if let Some(parent) = dir.and_then(Path::parent) {
                self.settings.workspace_root = Some(parent.to_path_buf());
                self.workspace.scan(parent, &self.templates);
            }
        } else if self.workspace.root.is_none()
            && let Some(root) = self.settings.workspace_root.clone()
        {
            self.workspace.scan(&root, &self.templates);
        }
    }

    /// Opens one case, replacing the open one (the caller has dealt with unsaved changes).
    pub fn open_case(&mut self, path: &Path) {
        match Case::open_deferred(path) {
            Ok(case) => {
                let template = self.templates.for_document(case.doc()).clone();
                if case.cleaned_temps > 0 {
                    self.set_status(format!(
                        "Removed {} temporary file(s) left by an interrupted save.",
                        case.cleaned_temps
                    ));
                }
                self.settings.remember(case.index_path());
                self.start_geometry_load(&case);
                if let Some(old) = &self.editor {
                    self.recovery.unlock(old.case.index_path());
                }
                let index = case.index_path().to_path_buf();
                let elsewhere = self.recovery.lock(&index);
                self.editor = Some(Editor::new(case, template));
                self.form = Default::default();
                self.sections = Default::default();
                self.preview = Default::default();
                self.map = Default::default();
                self.problems = Default::default();
                self.recovery_written = None;
                if let Some(pid) = elsewhere {
                    self.dialogs.open(Dialog::OpenElsewhere { pid });
                }
                self.offer_recovery(&index);
            }
            Err(e) => self.set_status(e.to_string()),
        }
    }

    /// Offers a recovery copy of unsaved changes left by a crash, showing what differs.
    fn offer_recovery(&mut self, index: &Path) {
        let Some(r) = self.recovery.find(index) else { return };
        let Some(ed) = &self.editor else { return };
        if r.index_text == ed.case.doc().text() && r.geometry.is_none() {
            // Nothing the file does not already hold.
            self.recovery.remove(index);
            return;
        }
        let disk = String::from_utf8_lossy(&ed.case.index_bytes()).into_owned();
        let disk = disk.strip_prefix('\u{feff}').unwrap_or(&disk).to_string();
        let mut diff = casebook_core::text::unified_diff(&disk, &r.index_text, "on disk", "recovery copy");
        if r.geometry.is_some() {
            diff.push_str("\n(The copy also holds unsaved changes to the boundary.)\n");
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            .saturating_sub(r.taken_at);
        let age = match secs {
            0..=119 => format!("{secs} seconds ago"),
            120..=7199 => format!("{} minutes ago", secs / 60),
            _ => format!("{} hours ago", secs / 3600),
        };
        self.dialogs.open(Dialog::Recover {
            age,
            disk_changed: r.disk_changed_since(),
        });
        self.dialogs.diff = Some(diff);
    }

    /// Puts the recovery copy into the editor as one undoable, unsaved step.
    fn restore_recovery(&mut self) {
        let Some(ed) = &mut self.editor else { return };
        let Some(r) = self.recovery.find(ed.case.index_path()) else { return };
        let len = ed.case.doc().text().len();
        let mut edits = vec![Edit::Text(casebook_core::text::Change::new(0..len, r.index_text.clone()))];
        if let Some((_, text)) = &r.geometry
            && let Ok(g) = casebook_core::geometry::GeoDocument::parse(text)
        {
            let polygons: Vec<_> = g.all_polygons().cloned().collect();
            edits.push(Edit::Geometry(casebook_core::geometry::GeometryEdit::ReplaceAll { polygons }));
        }
        match ed.apply(&Edit::Batch(edits), "Restore unsaved changes", None) {
            Ok(_) => self.set_status("Restored the unsaved changes. Save to keep them."),
            Err(e) => self.set_status(format!("Could not restore the copy: {e}")),
        }
    }

    /// Writes a recovery copy while there are unsaved changes (at most every 2 seconds).
    fn keep_recovery_copy(&mut self) {
        let Some(ed) = &self.editor else { return };
        if !ed.is_dirty() {
            return;
        }
        let counter = ed.change_counter();
        if let Some((written, at)) = self.recovery_written
            && (written == counter || at.elapsed() < Duration::from_secs(2))
        {
            return;
        }
        match self.recovery.write(&ed.case) {
            Ok(()) => self.recovery_written = Some((counter, Instant::now())),
            Err(e) => {
                self.recovery_written = Some((counter, Instant::now()));
                self.set_status(format!("Could not write the recovery copy: {e}"));
            }
        }
    }

    /// Reads the geometry on a thread so a 100 MB file does not freeze the window.
    fn start_geometry_load(&mut self, case: &Case) {
        let Some((rel, path)) = case.geometry_to_load() else {
            self.geometry_loader = None;
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(casebook_core::case::read_geometry(&rel, &path));
        });
        self.geometry_loader = Some(rx);
    }

    fn poll_geometry(&mut self) {
        let Some(rx) = &self.geometry_loader else {
            return;
        };
        match rx.try_recv() {
            Ok(state) => {
                if let Some(ed) = &mut self.editor {
                    ed.case.set_loaded_geometry(state);
                    ed.run_checks();
                }
                self.geometry_loader = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.geometry_loader = None,
        }
    }

    /// Waits for the geometry to finish loading (tests).
    pub fn wait_for_geometry(&mut self) {
        if let Some(rx) = self.geometry_loader.take()
            && let Ok(state) = rx.recv()
            && let Some(ed) = &mut self.editor
        {
            ed.case.set_loaded_geometry(state);
            ed.run_checks();
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.as_ref().is_some_and(Editor::is_dirty)
    }

    /// Runs `after` now, or first asks Save / Discard / Cancel when there are unsaved changes.
    fn guard_unsaved(&mut self, after: AfterPrompt) {
        if self.is_dirty() {
            self.dialogs.open(Dialog::Unsaved { after });
        } else {
            self.finish(after);
        }
    }

    fn finish(&mut self, after: AfterPrompt) {
        if matches!(after, AfterPrompt::Close | AfterPrompt::Quit | AfterPrompt::Open(_) | AfterPrompt::NewCase)
            && let Some(ed) = &self.editor
        {
            self.recovery.unlock(ed.case.index_path());
        }
        match after {
            AfterPrompt::Close => {
                self.editor = None;
            }
            AfterPrompt::Quit => {
                self.close_confirmed = true;
                self.quit_requested = true;
            }
            AfterPrompt::Open(p) => {
                self.editor = None;
                self.open_path(&p);
            }
            AfterPrompt::NewCase => self.dialogs.open(Dialog::new_case(&self.templates, self.cases_dir())),
            AfterPrompt::Revert => self.revert(),
        }
    }

    fn revert(&mut self) {
        let Some(ed) = &self.editor else { return };
        let path = ed.case.index_path().to_path_buf();
        self.recovery.remove(&path);
        self.editor = None;
        self.open_case(&path);
        self.set_status("Reverted to the saved files.");
    }

    /// Where new cases go: the workspace's `cases/` folder, or next to the open case.
    fn cases_dir(&self) -> PathBuf {
        if let Some(root) = &self.settings.workspace_root {
            let c = root.join("cases");
            return if c.is_dir() { c } else { root.clone() };
        }
        if let Some(ed) = &self.editor
            && let Some(parent) = ed.case.dir().parent()
        {
            return parent.to_path_buf();
        }
        self.data_dir.join("cases")
    }

    /// Saves the open case. Returns whether it was saved.
    pub fn save(&mut self, overwrite: bool) -> bool {
        let Some(ed) = &mut self.editor else { return false };
        match ed.case.save(overwrite) {
            Ok(report) => {
                ed.mark_saved();
                self.recovery.remove(ed.case.index_path());
                let mut what = Vec::new();
                if report.wrote_index {
                    what.push("index.md".to_string());
                }
                if let Some(g) = &report.wrote_geometry {
                    what.push(g.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
                }
                let msg = if what.is_empty() {
                    "Nothing to save: the files already hold these changes.".to_string()
                } else {
                    format!("Saved {}.", what.join(" and "))
                };
                self.workspace.refresh_one(&self.templates, ed.case.index_path(), &ed.case, ed.last_diagnostics());
                self.set_status(msg);
                true
            }
            Err(SaveError::ChangedOnDisk(path)) => {
                self.open_changed_on_disk(path, true);
                false
            }
            Err(e @ (SaveError::ReadOnly(_) | SaveError::DiskFull(_))) => {
                self.dialogs.open(Dialog::SaveFailed { message: e.to_string() });
                false
            }
            Err(e) => {
                self.dialogs.open(Dialog::SaveFailed { message: e.to_string() });
                false
            }
        }
    }

    /// Runs a command.
    pub fn run_command(&mut self, ctx: &egui::Context, cmd: Command) {
        if cmd.needs_case() && self.editor.is_none() {
            return;
        }
        match cmd {
            Command::NewCase => self.guard_unsaved(AfterPrompt::NewCase),
            Command::OpenCase => self.pick(files::Purpose::OpenCase, ctx),
            Command::OpenFolder => self.pick(files::Purpose::OpenFolder, ctx),
            Command::Save => {
                self.save(false);
            }
            Command::SaveAs => self.pick(files::Purpose::SaveAs, ctx),
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
            Command::ToggleTheme => {
                let dark = ctx.theme() == egui::Theme::Dark;
                self.settings.dark = Some(!dark);
                self.apply_theme(ctx);
            }
            Command::UpgradeToCaseStudy => self.upgrade_to_case_study(),
            Command::RefreshWorkspace => {
                if let Some(root) = self.settings.workspace_root.clone() {
                    self.workspace.scan(&root, &self.templates);
                }
            }
        }
    }

    fn upgrade_to_case_study(&mut self) {
        let Some(full) = self.templates.get("case-study").cloned() else {
            self.set_status("No case-study template is available.");
            return;
        };
        let Some(ed) = &mut self.editor else { return };
        let edit = template::upgrade_edit(ed.case.doc(), &full);
        match ed.apply(&edit, "Upgrade to case study", None) {
            Ok(true) => {
                ed.template = full;
                ed.case.set_key_order(ed.template.key_order.clone());
                ed.run_checks();
                self.view = View::Sections;
                self.set_status("Added the case-study sections with their guidance.");
            }
            Ok(false) => self.set_status("This case already has every case-study section."),
            Err(e) => self.set_status(format!("Could not upgrade: {e}")),
        }
    }

    fn pick(&mut self, purpose: files::Purpose, ctx: &egui::Context) {
        let start = self
            .editor
            .as_ref()
            .map(|e| e.case.dir().to_path_buf())
            .or_else(|| self.settings.workspace_root.clone());
        if self.settings.in_app_file_dialogs || !files::native_available() {
            self.dialogs.open(Dialog::path_prompt(purpose, start));
        } else {
            self.pending_dialog = Some(files::Pending::start(purpose, start, ctx.clone()));
        }
    }

    /// Acts on a path chosen in a file dialog (native or in-app).
    pub fn picked(&mut self, purpose: files::Purpose, path: PathBuf) {
        match purpose {
            files::Purpose::OpenCase | files::Purpose::OpenFolder => {
                self.guard_unsaved(AfterPrompt::Open(path));
            }
            files::Purpose::SaveAs => {
                let Some(ed) = &mut self.editor else { return };
                match ed.case.save_as(&path) {
                    Ok(_) => {
                        ed.mark_saved();
                        let p = ed.case.index_path().to_path_buf();
                        self.settings.remember(&p);
                        self.set_status(format!("Saved as {}.", p.display()));
                    }
                    Err(e) => self.dialogs.open(Dialog::SaveFailed { message: e.to_string() }),
                }
            }
            files::Purpose::NewCaseFolder => self.dialogs.set_new_case_folder(path),
            files::Purpose::FeaturedImage => self.intents.push(Intent::ImportFile {
                from: path,
                purpose: ImportPurpose::FeaturedImage,
            }),
            files::Purpose::SectionImage { section, at } => self.intents.push(Intent::ImportFile {
                from: path,
                purpose: ImportPurpose::SectionImage { section, at },
            }),
            files::Purpose::ImportGeometry => self.intents.push(Intent::ImportFile {
                from: path,
                purpose: ImportPurpose::Geometry,
            }),
            files::Purpose::LocalTiles => {
                self.settings.local_tiles = Some(path);
                self.settings.basemap = settings::Basemap::Local;
            }
        }
    }

    /// Copies a file into the case folder and makes the edit that uses it.
    fn import_file(&mut self, from: &Path, purpose: &ImportPurpose) {
        let Some(ed) = &mut self.editor else { return };
        if *purpose == ImportPurpose::Geometry {
            match std::fs::read_to_string(from)
                .map_err(|e| e.to_string())
                .and_then(|t| casebook_core::geometry::parse_pasted(&t).map_err(|e| e.to_string()))
            {
                Ok(pasted) => {
                    let g = casebook_core::geometry::GeometryEdit::ReplaceAll { polygons: pasted.polygons };
                    let edit = ed.case.geometry_edit(g);
                    if let Err(e) = ed.apply(&edit, "Import boundary", None) {
                        self.set_status(format!("Could not import {}: {e}", from.display()));
                    } else {
                        self.set_status(format!("Imported the boundary from {}.", from.display()));
                    }
                }
                Err(e) => self.set_status(format!("{}: {e}", from.display())),
            }
            return;
        }
        let rel = match crate::ui::widgets::copy_into_case(ed.case.dir(), from) {
            Ok(rel) => rel,
            Err(e) => {
                self.set_status(e);
                return;
            }
        };
        let edit = match purpose {
            ImportPurpose::FeaturedImage => Edit::set("featured_image", rel.clone()),
            ImportPurpose::SectionImage { section, at } => {
                let text = ed.case.doc().section_text(*section).unwrap_or_default();
                let insert = format!("![Describe the image](./{} \"Caption and credit\")", rel.trim_start_matches("./"));
                let at = text.char_indices().nth(*at).map_or(text.len(), |(i, _)| i);
                let mut new = text.clone();
                let lead = if at > 0 && !text[..at].ends_with('\n') { "\n\n" } else { "" };
                new.insert_str(at, &format!("{lead}{insert}\n\n"));
                Edit::SetSectionText { section: *section, text: new }
            }
            ImportPurpose::Geometry => return,
        };
        match ed.apply(&edit, "Insert image", None) {
            Ok(_) => self.set_status(format!("Copied the image into the case folder as {rel}.")),
            Err(e) => self.set_status(format!("Could not use {rel}: {e}")),
        }
    }

    fn handle_intents(&mut self, ctx: &egui::Context, intents: Vec<Intent>) {
        for intent in intents {
            match intent {
                Intent::Edit { edit, label, merge } => {
                    let Some(ed) = &mut self.editor else { continue };
                    let template_before = ed.case.doc().text_of(casebook_core::fields::Field::Template);
                    if let Err(e) = ed.apply(&edit, &label, merge.as_deref()) {
                        self.set_status(format!("{label}: {e}"));
                    } else if ed.case.doc().text_of(casebook_core::fields::Field::Template) != template_before {
                        // The case now follows another template.
                        ed.template = self.templates.for_document(ed.case.doc()).clone();
                        let order = ed.template.key_order.clone();
                        ed.case.set_key_order(order);
                        ed.run_checks();
                    }
                }
                Intent::Command(c) => self.run_command(ctx, c),
                Intent::Focus(f) => self.focus(f),
                Intent::Open(p) => self.guard_unsaved(AfterPrompt::Open(p)),
                Intent::ImportFile { from, purpose } => self.import_file(&from, &purpose),
                Intent::Pick(purpose) => self.pick(purpose, ctx),
                Intent::Status(s) => self.set_status(s),
            }
        }
    }

    fn poll_file_dialog(&mut self) {
        let Some(p) = &self.pending_dialog else { return };
        if let Some(answer) = p.poll() {
            let purpose = p.purpose;
            self.pending_dialog = None;
            if let Some(path) = answer {
                self.picked(purpose, path);
            }
        }
    }

    fn check_disk(&mut self) {
        if self.last_disk_check.elapsed() < Duration::from_secs(2) {
            return;
        }
        self.last_disk_check = Instant::now();
        let Some(ed) = &self.editor else { return };
        if self.dialogs.is_open() {
            return;
        }
        let changes = ed.case.disk_changes();
        if !changes.any() {
            return;
        }
        if ed.is_dirty() {
            let path = if changes.index {
                ed.case.index_path().to_path_buf()
            } else {
                ed.case.geo().path().map(Path::to_path_buf).unwrap_or_default()
            };
            self.open_changed_on_disk(path, false);
        } else {
            self.revert();
            self.set_status("The files changed on disk; Casebook read them again.");
        }
    }

    /// Shows the changed-on-disk dialog with the difference between disk and editor.
    fn open_changed_on_disk(&mut self, path: PathBuf, on_save: bool) {
        let Some(ed) = &self.editor else { return };
        let mine = if path == ed.case.index_path() {
            String::from_utf8_lossy(&ed.case.index_bytes()).into_owned()
        } else {
            ed.case.geometry().map(|g| g.to_file_text()).unwrap_or_default()
        };
        let disk = std::fs::read(&path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        let diff = casebook_core::text::unified_diff(&disk, &mine, "on disk", "yours");
        self.dialogs.open(Dialog::ChangedOnDisk { path, on_save });
        self.dialogs.diff = Some(diff);
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        // Only folders and Markdown files open as cases; other files belong to the views.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.guard_unsaved(AfterPrompt::Open(p));
        }
    }

    fn window_title(&self) -> String {
        match &self.editor {
            Some(ed) => {
                let title = ed
                    .case
                    .doc()
                    .text_of(casebook_core::fields::Field::Title)
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| ed.case.folder_name());
                format!(
                    "{}{} — {} — Casebook",
                    if ed.is_dirty() { "• " } else { "" },
                    title.trim(),
                    ed.case.index_path().display()
                )
            }
            None => "Casebook".to_string(),
        }
    }

    /// Draws one frame (the app's whole UI).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut commands = command::pressed(&ctx);
        self.poll_file_dialog();
        self.poll_geometry();
        self.check_disk();

        let mut intents: Vec<Intent> = std::mem::take(&mut self.intents);

        egui::Panel::top("menu").show(ui, |ui| {
            commands.extend(self.menu_ui(ui));
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            self.status_ui(ui);
        });

        let focus = self.focus.take();
        if let Some(ed) = &mut self.editor {
            let diagnostics = ed.diagnostics().to_vec();
            if ed.checks_pending() {
                ctx.request_repaint_after(editor::CHECK_DEBOUNCE);
            }
            let cx = ViewCtx {
                case: &ed.case,
                template: &ed.template,
                diagnostics: &diagnostics,
                revision: ed.change_counter(),
                focus: focus.as_ref(),
            };
            if self.settings.show_problems {
                egui::Panel::bottom("problems")
                    .resizable(true)
                    .default_size(tokens::PROBLEMS_HEIGHT)
                    .show(ui, |ui| {
                        intents.extend(ui::problems::problems_ui(ui, &mut self.problems, &cx));
                    });
            }
            if self.settings.show_left {
                egui::Panel::left("left")
                    .resizable(true)
                    .default_size(tokens::LEFT_PANEL_WIDTH)
                    .show(ui, |ui| {
                        intents.extend(ui::workspace::workspace_ui(ui, &mut self.workspace, Some(&cx)));
                    });
            }
            egui::CentralPanel::default().show(ui, |ui| {
                intents.extend(view_tabs_ui(ui, &mut self.view));
                ui.separator();
                let view_intents = match self.view {
                    View::Details => ui::form::form_ui(ui, &mut self.form, &cx),
                    View::Sections => ui::sections::sections_ui(ui, &mut self.sections, &cx),
                    View::Map => ui::map::map_ui(ui, &mut self.map, &cx, &self.settings, &self.data_dir),
                    View::Preview => ui::preview::preview_ui(ui, &mut self.preview, &cx),
                };
                intents.extend(view_intents);
            });
        } else {
            if self.settings.show_left {
                egui::Panel::left("left")
                    .resizable(true)
                    .default_size(tokens::LEFT_PANEL_WIDTH)
                    .show(ui, |ui| {
                        intents.extend(ui::workspace::workspace_ui(ui, &mut self.workspace, None));
                    });
            }
            egui::CentralPanel::default().show(ui, |ui| {
                intents.extend(welcome_ui(ui, &self.settings));
            });
        }

        // Dialogs.
        let outcome = self.dialogs.show(&ctx, &self.templates);
        self.handle_dialog_outcome(&ctx, outcome);

        self.handle_intents(&ctx, intents);
        self.keep_recovery_copy();
        // After the views: a file dropped on a view (an image on the form) was taken there.
        self.handle_dropped_files(&ctx);
        for c in commands {
            self.run_command(&ctx, c);
        }

        // Closing the window with unsaved changes asks first.
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if !self.dialogs.is_open() {
                    self.dialogs.open(Dialog::Unsaved { after: AfterPrompt::Quit });
                }
            } else {
                self.close_confirmed = true;
            }
        }
        if self.quit_requested {
            self.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }

        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn handle_dialog_outcome(&mut self, ctx: &egui::Context, outcome: Option<DialogOutcome>) {
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
                    self.recovery.remove(ed.case.index_path());
                }
                self.finish(after);
            }
            DialogOutcome::Revert => self.revert(),
            DialogOutcome::Restore => self.restore_recovery(),
            DialogOutcome::DiscardRecovery => {
                if let Some(ed) = &self.editor {
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
                let Some(t) = self.templates.get(&template).cloned() else { return };
                match casebook_core::workspace::new_case(&dir, &t, &country, &city, &title) {
                    Ok(index) => {
                        self.dialogs.close();
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

    fn menu_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut out = Vec::new();
        let has_case = self.editor.is_some();
        egui::MenuBar::new().ui(ui, |ui| {
            let mut item = |ui: &mut egui::Ui, c: Command, enabled: bool| {
                let mut b = egui::Button::new(c.label());
                if let Some(s) = c.shortcut() {
                    b = b.shortcut_text(ui.ctx().format_shortcut(&s));
                }
                if ui.add_enabled(enabled, b).on_hover_text(c.tooltip()).clicked() {
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
                item(ui, Command::Undo, undo);
                item(ui, Command::Redo, redo);
                ui.separator();
                item(ui, Command::UpgradeToCaseStudy, has_case);
            });
            ui.menu_button("View", |ui| {
                for v in View::ALL {
                    item(ui, v.command(), has_case);
                }
                ui.separator();
                item(ui, Command::ToggleProblems, true);
                item(ui, Command::ToggleTheme, true);
                item(ui, Command::RefreshWorkspace, self.settings.workspace_root.is_some());
                ui.checkbox(&mut self.settings.show_left, "Case list and outline");
                ui.checkbox(&mut self.settings.in_app_file_dialogs, "Type paths instead of file dialogs");
            });
        });
        out
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        let t = tokens::Tokens::of(ui);
        ui.horizontal(|ui| {
            if let Some(ed) = &self.editor {
                let d = ed.last_diagnostics();
                let errors = d.iter().filter(|d| d.severity == Severity::Error).count();
                let warnings = d.iter().filter(|d| d.severity == Severity::Warning).count();
                ui.colored_label(t.error, format!("{errors} errors"));
                ui.colored_label(t.warning, format!("{warnings} warnings"));
                ui.separator();
                ui.label(if ed.is_dirty() { "Unsaved changes" } else { "Saved" });
                ui.separator();
            }
            if let Some((msg, at)) = &self.status {
                if at.elapsed() < Duration::from_secs(12) {
                    ui.label(msg.as_str());
                } else {
                    self.status = None;
                }
            }
        });
    }
}

/// The Details / Sections / Map / Preview tabs.
fn view_tabs_ui(ui: &mut egui::Ui, view: &mut View) -> Vec<Intent> {
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
    Vec::new()
}

/// What shows when no case is open.
fn welcome_ui(ui: &mut egui::Ui, settings: &Settings) -> Vec<Intent> {
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

impl eframe::App for CasebookApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::KEY, &self.settings);
    }
}

/// Runs the desktop app.
pub fn run(startup: Startup) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Casebook")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "casebook",
        options,
        Box::new(move |cc| Ok(Box::new(CasebookApp::new(cc, startup)))),
    )
}
