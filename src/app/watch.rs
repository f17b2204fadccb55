//! Loaders and watchers of the open case: the boundary read in the background, and the files
//! checked for changes by other programs (by content, every 2 s, on a thread).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::case::Case;
use casebook_core::job::{Job, Poll};

use super::CasebookApp;
use crate::ui::dialogs::Dialog;

impl CasebookApp {
    /// Reads the geometry on a thread so a 100 MB file does not freeze the window.
    pub(super) fn start_geometry_load(&mut self, case: &Case) {
        let Some((rel, path)) = case.geometry_to_load() else {
            self.geometry_loader = None;
            return;
        };
        self.geometry_loader = Some(Job::spawn(
            || {},
            move |_| casebook_core::case::read_geometry(&rel, &path),
        ));
    }

    pub(super) fn poll_geometry(&mut self) {
        let Some(job) = &self.geometry_loader else {
            return;
        };
        match job.poll() {
            Poll::Done(state) => {
                if let Some(ed) = &mut self.editor {
                    ed.case.set_loaded_geometry(state);
                    ed.run_checks();
                }
                self.geometry_loader = None;
            }
            Poll::Pending => {}
            Poll::Lost => self.geometry_loader = None,
        }
    }

    /// Waits for the geometry to finish loading (tests).
    pub fn wait_for_geometry(&mut self) {
        if let Some(job) = self.geometry_loader.take()
            && let Some(state) = job.wait()
            && let Some(ed) = &mut self.editor
        {
            ed.case.set_loaded_geometry(state);
            ed.run_checks();
        }
    }

    /// Notices files changed on disk (by content, every 2 s, on a thread): reloads when
    /// there are no unsaved changes, else asks and shows both.
    pub(super) fn check_disk(&mut self) {
        // A check in flight: take its answer when it comes.
        if let Some((watch, job)) = &self.disk_check {
            let changes = match job.poll() {
                Poll::Done(changes) => changes,
                Poll::Pending => return,
                // The check died: start a new one at the next interval.
                Poll::Lost => {
                    self.disk_check = None;
                    return;
                }
            };
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
        let w = watch.clone();
        self.disk_check = Some((watch, Job::spawn(|| {}, move |_| w.check())));
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
}
