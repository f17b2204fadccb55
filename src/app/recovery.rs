//! Crash recovery copies of the open case: offered on open, written in the background while
//! there are unsaved changes, restored or discarded.

use std::path::Path;
use std::time::{Duration, Instant};

use casebook_core::edit::Edit;
use casebook_core::job::{Job, Poll};

use super::CasebookApp;
use crate::ui::dialogs::Dialog;

impl CasebookApp {
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
                let _ = h.wait();
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
        if self.recovery_writer.is_some() {
            // One copy at a time; the next frame writes this one once that is done.
            return;
        }
        let copy = self.recovery.snapshot(&ed.case);
        self.recovery_written = Some((counter, Instant::now()));
        self.recovery_writer = Some(Job::spawn(
            || {},
            move |_| copy.write().map_err(|e| e.to_string()),
        ));
    }

    /// Reports a failed background recovery write.
    pub(super) fn poll_recovery_writer(&mut self) {
        let Some(job) = &self.recovery_writer else {
            return;
        };
        match job.poll() {
            Poll::Pending => {}
            Poll::Done(result) => {
                self.recovery_writer = None;
                if let Err(e) = result {
                    self.set_status(format!("Could not write the recovery copy: {e}"));
                }
            }
            Poll::Lost => {
                self.recovery_writer = None;
                self.set_status("Could not write the recovery copy.");
            }
        }
    }

    /// Waits for a recovery copy being written (tests, and before quitting).
    pub fn finish_recovery_write(&mut self) {
        if let Some(h) = self.recovery_writer.take() {
            let _ = h.wait();
        }
    }
}
