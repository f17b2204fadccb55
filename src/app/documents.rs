//! Opening, saving, recovering and watching the case's files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::case::Case;
use casebook_core::edit::Edit;
use casebook_core::save::SaveError;
use casebook_core::template::TemplateSet;

use super::editor::Editor;
use super::{AfterPrompt, CasebookApp, files};
use crate::ui::dialogs::Dialog;
use crate::ui::{ImportPurpose, Intent};

impl CasebookApp {
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
            self.templates = self.templates_for(path);
            self.workspace.scan(path, &self.templates);
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
            let dir = if path.is_file() {
                path.parent()
            } else {
                Some(path)
            };
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

    /// The templates of the workspace around `path`: an atlas checkout's own, else the
    /// bundled ones (plus a folder given on the command line). The same however a case is
    /// reached, and the same as `casebook check` uses.
    pub(super) fn templates_for(&self, path: &Path) -> TemplateSet {
        match TemplateSet::load(self.templates_dir.as_deref(), Some(path)) {
            Ok(set) => set,
            Err(_) => TemplateSet::load(None, Some(path)).unwrap_or_default(),
        }
    }

    /// Opens one case, replacing the open one (the caller has dealt with unsaved changes).
    pub fn open_case(&mut self, path: &Path) {
        match Case::open_deferred(path) {
            Ok(case) => {
                self.templates = self.templates_for(case.index_path());
                let template = self.templates.for_document(case.doc()).clone();
                // Read with a warning (a link out of the folder, hard links): say so now.
                if let Some(w) = case.file_warnings().first() {
                    self.set_status(format!("Note: {w}."));
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
    pub(super) fn offer_recovery(&mut self, index: &Path) {
        let Some(r) = self.recovery.find(index) else {
            return;
        };
        let Some(ed) = &self.editor else { return };
        if r.index_text == ed.case.doc().text() && r.geometry.is_none() {
            // Nothing the file does not already hold.
            // A copy still being written must not come back after removal.
            if let Some(h) = self.recovery_writer.take() {
                let _ = h.join();
            }
            self.recovery.remove(index);
            return;
        }
        let disk = String::from_utf8_lossy(&ed.case.index_bytes()).into_owned();
        let disk = disk.strip_prefix('\u{feff}').unwrap_or(&disk).to_string();
        let mut diff =
            casebook_core::text::unified_diff(&disk, &r.index_text, "on disk", "recovery copy");
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
    pub(super) fn restore_recovery(&mut self) {
        let Some(ed) = &mut self.editor else { return };
        let Some(r) = self.recovery.find(ed.case.index_path()) else {
            return;
        };
        let len = ed.case.doc().text().len();
        let mut edits = vec![Edit::Text(casebook_core::text::Change::new(
            0..len,
            r.index_text.clone(),
        ))];
        if let Some((_, text)) = &r.geometry
            && let Ok(g) = casebook_core::geometry::GeoDocument::parse(text)
        {
            let polygons: Vec<_> = g.all_polygons().cloned().collect();
            edits.push(Edit::Geometry(
                casebook_core::geometry::GeometryEdit::ReplaceAll { polygons },
            ));
        }
        match ed.apply(&Edit::Batch(edits), "Restore unsaved changes", None) {
            Ok(_) => self.set_status("Restored the unsaved changes. Save to keep them."),
            Err(e) => self.set_status(format!("Could not restore the copy: {e}")),
        }
    }

    /// Writes a recovery copy while there are unsaved changes (at most every 2 seconds), on
    /// a background thread so a big boundary does not pause typing.
    pub(super) fn keep_recovery_copy(&mut self) {
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
        if self
            .recovery_writer
            .as_ref()
            .is_some_and(|h| !h.is_finished())
        {
            return;
        }
        let copy = self.recovery.snapshot(&ed.case);
        self.recovery_written = Some((counter, Instant::now()));
        self.recovery_writer = Some(std::thread::spawn(move || {
            copy.write().map_err(|e| e.to_string())
        }));
    }

    /// Reports a failed background recovery write.
    pub(super) fn poll_recovery_writer(&mut self) {
        if self
            .recovery_writer
            .as_ref()
            .is_some_and(|h| h.is_finished())
            && let Some(h) = self.recovery_writer.take()
            && let Ok(Err(e)) = h.join()
        {
            self.set_status(format!("Could not write the recovery copy: {e}"));
        }
    }

    /// Waits for a recovery copy being written (tests, and before quitting).
    pub fn finish_recovery_write(&mut self) {
        if let Some(h) = self.recovery_writer.take() {
            let _ = h.join();
        }
    }

    /// Reads the geometry on a thread so a 100 MB file does not freeze the window.
    pub(super) fn start_geometry_load(&mut self, case: &Case) {
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

    pub(super) fn poll_geometry(&mut self) {
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

    pub(super) fn is_dirty(&self) -> bool {
        self.editor.as_ref().is_some_and(Editor::is_dirty)
    }

    /// Runs `after` now, or first asks what to do with text the form cannot write, then
    /// Save / Discard / Cancel when there are unsaved changes.
    pub(super) fn guard_unsaved(&mut self, after: AfterPrompt) {
        if after != AfterPrompt::Revert
            && !self.drafts_ok(super::drafts::DraftThen::Guard(after.clone()))
        {
            return;
        }
        if self.is_dirty() {
            self.dialogs.open(Dialog::Unsaved { after });
        } else {
            self.finish(after);
        }
    }

    pub(super) fn finish(&mut self, after: AfterPrompt) {
        if matches!(
            after,
            AfterPrompt::Close | AfterPrompt::Quit | AfterPrompt::Open(_) | AfterPrompt::NewCase
        ) && let Some(ed) = &self.editor
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
            AfterPrompt::NewCase => {
                let dir = self.cases_dir();
                let templates = match &dir {
                    Some(d) => self.templates_for(d),
                    None => self.templates.clone(),
                };
                self.dialogs
                    .open(Dialog::new_case(&templates, dir.unwrap_or_default()));
            }
            AfterPrompt::Revert => self.revert(),
        }
    }

    pub(super) fn revert(&mut self) {
        let Some(ed) = &self.editor else { return };
        let path = ed.case.index_path().to_path_buf();
        // A copy still being written must not come back after removal.
        if let Some(h) = self.recovery_writer.take() {
            let _ = h.join();
        }
        self.recovery.remove(&path);
        self.editor = None;
        self.open_case(&path);
        self.set_status("Reverted to the saved files.");
    }

    /// Where the wizard puts a new case: the open atlas checkout's `cases/` folder, else the
    /// folder the last new case went into, else the open folder of cases. Never Casebook's
    /// own data folder (where the sample lives): `None` then, and the author chooses.
    pub(super) fn cases_dir(&self) -> Option<PathBuf> {
        let near = self
            .settings
            .workspace_root
            .clone()
            .or_else(|| self.editor.as_ref().map(|e| e.case.dir().to_path_buf()));
        let mine = |p: &Path| !p.starts_with(&self.data_dir);
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if let Some(atlas) = self.templates.atlas()
            && near
                .as_deref()
                .map(canonical)
                .is_some_and(|n| n.starts_with(atlas) || atlas.starts_with(&n))
            && atlas.join("cases").is_dir()
        {
            return Some(atlas.join("cases"));
        }
        if let Some(last) = &self.settings.new_case_dir
            && last.is_dir()
            && mine(last)
        {
            return Some(last.clone());
        }
        let root = near?;
        let c = root.join("cases");
        let dir = if c.is_dir() { c } else { root };
        mine(&dir).then_some(dir)
    }

    /// Saves the open case. Returns whether it was saved.
    pub fn save(&mut self, overwrite: bool) -> bool {
        let Some(ed) = &mut self.editor else {
            return false;
        };
        match ed.case.save(overwrite) {
            Ok(report) => {
                ed.mark_saved();
                // A copy still being written must not come back after removal.
                if let Some(h) = self.recovery_writer.take() {
                    let _ = h.join();
                }
                self.recovery.remove(ed.case.index_path());
                let mut what = Vec::new();
                if report.wrote_index {
                    what.push("index.md".to_string());
                }
                if let Some(g) = &report.wrote_geometry {
                    what.push(
                        g.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                }
                let mut msg = if what.is_empty() {
                    "Nothing to save: the files already hold these changes.".to_string()
                } else {
                    format!("Saved {}.", what.join(" and "))
                };
                if !report.broke_hard_links.is_empty() {
                    msg.push_str(" The file had other hard links; they keep the old text.");
                }
                if report.kept_appended > 0 {
                    msg.push_str(
                        " Another program added to the file while saving; its addition was kept.",
                    );
                }
                if report.cleaned_temps > 0 {
                    msg.push_str(&format!(
                        " Removed {} temporary file(s) left by an interrupted save.",
                        report.cleaned_temps
                    ));
                }
                self.workspace.refresh_one(
                    &self.templates,
                    ed.case.index_path(),
                    &ed.case,
                    ed.last_diagnostics(),
                );
                self.set_status(msg);
                true
            }
            Err(SaveError::ChangedOnDisk(path)) => {
                self.open_changed_on_disk(path, true);
                false
            }
            Err(e @ (SaveError::ReadOnly(_) | SaveError::DiskFull(_))) => {
                self.dialogs.open(Dialog::SaveFailed {
                    message: e.to_string(),
                });
                false
            }
            Err(e) => {
                self.dialogs.open(Dialog::SaveFailed {
                    message: e.to_string(),
                });
                false
            }
        }
    }

    pub(super) fn pick(&mut self, purpose: files::Purpose, ctx: &egui::Context) {
        let start = match purpose {
            // The folder for a new case: start from where the wizard is, else home.
            files::Purpose::NewCaseFolder => match self.dialogs.current() {
                Some(Dialog::NewCase(f)) if !f.dir.as_os_str().is_empty() => Some(f.dir.clone()),
                _ => std::env::var_os("HOME").map(PathBuf::from),
            },
            _ => self
                .editor
                .as_ref()
                .map(|e| e.case.dir().to_path_buf())
                .or_else(|| self.settings.workspace_root.clone()),
        };
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
                    Err(e) => self.dialogs.open(Dialog::SaveFailed {
                        message: e.to_string(),
                    }),
                }
            }
            files::Purpose::NewCaseFolder => {
                let templates = self.templates_for(&path);
                self.dialogs.set_new_case_folder(path, templates);
            }
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
                self.settings.basemap = super::settings::Basemap::Local;
            }
        }
    }

    /// Copies a file into the case folder and makes the edit that uses it.
    pub(super) fn import_file(&mut self, from: &Path, purpose: &ImportPurpose) {
        let Some(ed) = &mut self.editor else { return };
        if *purpose == ImportPurpose::Geometry {
            // Read now (bounded, regular files only); the author chooses beside the map how
            // the features go in.
            match casebook_core::save::read_regular(
                from,
                casebook_core::case::MAX_GEOMETRY_BYTES,
                "boundary file",
            )
            .map_err(|e| e.reason())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()))
            .and_then(|t| casebook_core::geometry::read_import(&t).map_err(|e| e.to_string()))
            {
                Ok(imported) => {
                    let name = from
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| from.display().to_string());
                    let n = imported.features.len();
                    self.map.offer_import(name.clone(), imported);
                    self.view = super::View::Map;
                    self.set_status(format!(
                        "Read {n} feature{} from {name}: choose beside the map how to import {}.",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "it" } else { "them" }
                    ));
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
                let insert = format!(
                    "![Describe the image](./{} \"Caption and credit\")",
                    rel.trim_start_matches("./")
                );
                let at = text.char_indices().nth(*at).map_or(text.len(), |(i, _)| i);
                let mut new = text.clone();
                let lead = if at > 0 && !text[..at].ends_with('\n') {
                    "\n\n"
                } else {
                    ""
                };
                new.insert_str(at, &format!("{lead}{insert}\n\n"));
                Edit::SetSectionText {
                    section: *section,
                    text: new,
                }
            }
            ImportPurpose::Geometry => return,
        };
        match ed.apply(&edit, "Insert image", None) {
            Ok(_) => self.set_status(format!("Copied the image into the case folder as {rel}.")),
            Err(e) => self.set_status(format!("Could not use {rel}: {e}")),
        }
    }

    pub(super) fn poll_file_dialog(&mut self) {
        let Some(p) = &self.pending_dialog else {
            return;
        };
        if let Some(answer) = p.poll() {
            let purpose = p.purpose;
            self.pending_dialog = None;
            if let Some(path) = answer {
                self.picked(purpose, path);
            }
        }
    }

    /// Notices files changed on disk (by content, every 2 s, on a thread): reloads when
    /// there are no unsaved changes, else asks and shows both.
    pub(super) fn check_disk(&mut self) {
        // A check in flight: take its answer when it comes.
        if let Some((watch, rx)) = &self.disk_check {
            let Ok(changes) = rx.try_recv() else { return };
            let watch = watch.clone();
            self.disk_check = None;
            let Some(ed) = &self.editor else { return };
            // Saved or reopened meanwhile: the answer is about files no longer watched.
            if ed.case.disk_watch() != watch || !changes.any() || self.dialogs.is_open() {
                return;
            }
            if ed.is_dirty() {
                let path = if changes.index {
                    ed.case.index_path().to_path_buf()
                } else {
                    ed.case
                        .geo()
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                };
                self.open_changed_on_disk(path, false);
            } else {
                self.revert();
                self.set_status("The files changed on disk; Casebook read them again.");
            }
            return;
        }
        if self.last_disk_check.elapsed() < Duration::from_secs(2) {
            return;
        }
        self.last_disk_check = Instant::now();
        let Some(ed) = &self.editor else { return };
        if self.dialogs.is_open() {
            return;
        }
        // Reading and hashing the files (a boundary can be 100 MB) happens on a thread.
        let watch = ed.case.disk_watch();
        let (tx, rx) = std::sync::mpsc::channel();
        let w = watch.clone();
        std::thread::spawn(move || {
            let _ = tx.send(w.check());
        });
        self.disk_check = Some((watch, rx));
    }

    /// Shows the changed-on-disk dialog with the difference between disk and editor.
    pub(super) fn open_changed_on_disk(&mut self, path: PathBuf, on_save: bool) {
        let Some(ed) = &self.editor else { return };
        let mine = if path == ed.case.index_path() {
            String::from_utf8_lossy(&ed.case.index_bytes()).into_owned()
        } else {
            ed.case
                .geometry()
                .map(|g| g.to_file_text())
                .unwrap_or_default()
        };
        // Bounded and non-blocking: the file may have been replaced by anything.
        let disk = casebook_core::save::read_regular(
            &path,
            casebook_core::case::MAX_GEOMETRY_BYTES,
            "file",
        )
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| format!("(cannot be read: {})", e.reason()));
        let diff = casebook_core::text::unified_diff(&disk, &mine, "on disk", "yours");
        self.dialogs.open(Dialog::ChangedOnDisk { path, on_save });
        self.dialogs.diff = Some(diff);
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        // Only folders and Markdown files open as cases; other files belong to the views.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| {
                    p.is_dir() || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
                })
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.guard_unsaved(AfterPrompt::Open(p));
        }
    }
}
