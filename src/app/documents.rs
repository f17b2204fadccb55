//! Opening, saving, recovering and watching the case's files.

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::save::SaveError;
use casebook_core::template::TemplateSet;

use super::{AfterPrompt, CasebookApp};
use crate::ui::dialogs::Dialog;
use casebook_core::session::Session;

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
                let mut session = Session::with_templates(case, self.templates.clone());
                session.run_checks();
                self.editor = Some(session);
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

    pub(super) fn is_dirty(&self) -> bool {
        self.editor.as_ref().is_some_and(Session::is_dirty)
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
                // Drop what was held for the case: image textures, the map's caches.
                self.form = Default::default();
                self.sections = Default::default();
                self.preview = Default::default();
                self.map = Default::default();
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
            let _ = h.wait();
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
                    let _ = h.wait();
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
}
