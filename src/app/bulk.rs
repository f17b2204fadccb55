//! Bulk edits in the editor: the Tags window and "Fix in all cases" open a preview of every
//! file's diff ([`bulk::plan::plan`]); Apply writes each case through the safe save
//! ([`bulk::plan::apply`], the code `casebook tags rename` and `casebook fix` share), and the
//! whole edit is one Undo step that puts every file back the same way.
//!
//! The open case: with unsaved changes it is left out of the preview (its edits are kept, and
//! the preview says so); without, it is written like the others and read again.
//!
//! Previewing and applying read (and, for a fix, check) every case: they run on a [`Job`],
//! with a progress window, so the editor does not freeze on a large atlas.

use std::path::{Path, PathBuf};

use casebook_core::bulk::plan::{self as bulk, BulkOp, DoneCase, Outcome, Plan, Skipped};
use casebook_core::job::{Job, Poll};

use super::CasebookApp;
use crate::ui::bulk::{PreviewAnswer, bulk_preview_ui, shown_path};
use crate::ui::{Intent, problems::count_of};

/// Files written by restoring a deleted case: its folder, and each file with its bytes.
type Restored = (PathBuf, Vec<(PathBuf, Vec<u8>)>);

/// A bulk edit that was applied: one Undo step.
pub struct BulkUndo {
    /// What it did (`Rename tag `A` to `B``).
    pub label: String,
    /// The cases written, with what undoes them.
    done: Vec<DoneCase>,
    /// A deleted case written back from the reference: its folder and each file written
    /// with its bytes (Undo removes them again while they still hold those bytes).
    restored: Option<Restored>,
    /// The open case and its change counter just after applying: Undo takes the bulk edit
    /// back when the open case has no newer change of its own.
    mark: Option<(PathBuf, u64)>,
}

/// A bulk edit being previewed or applied on a thread.
pub enum BulkWork {
    /// Reading the cases and making the preview.
    Planning {
        /// What is previewed.
        label: String,
        /// The work.
        job: Job<Plan>,
    },
    /// Writing the previewed changes.
    Applying {
        /// What is applied.
        label: String,
        /// Cases left out when Apply was pressed.
        left_out: Vec<Skipped>,
        /// The work.
        job: Job<Outcome>,
    },
}

/// The same file, however its path was written.
/// A job's result once it has finished (`None` when its thread stopped without one), waiting
/// for it when `wait`; the job back while it still runs.
fn finished<T>(job: Job<T>, wait: bool) -> Result<Option<T>, Job<T>> {
    if wait {
        return Ok(job.wait());
    }
    match job.poll() {
        Poll::Done(v) => Ok(Some(v)),
        Poll::Pending => Err(job),
        Poll::Lost => Ok(None),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
}

/// What the preview and the status say of the open case when it is left out.
const UNSAVED_LEFT_OUT: &str = "open in the editor with unsaved changes, so it was left out (your edits are kept); save or revert it, then preview again";

impl CasebookApp {
    /// Previews `op` over the cases of the open folder.
    pub(super) fn preview_bulk(&mut self, op: BulkOp) {
        let Some(root) = self.workspace.root.clone() else {
            self.set_status("Open a folder of cases first: bulk edits work on all its cases.");
            return;
        };
        if self.bulk_work.is_some() {
            self.set_status("A bulk edit is still running; wait for it to finish.");
            return;
        }
        let templates = self.templates.clone();
        let label = op.describe();
        self.bulk_preview = None;
        self.bulk_work = Some(BulkWork::Planning {
            label,
            job: Job::spawn(
                || {},
                move |_| {
                    let indexes = casebook_core::workspace::find_cases(&root);
                    bulk::plan(&op, &indexes, &templates)
                },
            ),
        });
    }

    /// Takes the result of a finished preview or apply (waits for it when `wait`).
    fn poll_bulk(&mut self, wait: bool) {
        let Some(work) = self.bulk_work.take() else {
            return;
        };
        match work {
            BulkWork::Planning { label, job } => {
                let done = match finished(job, wait) {
                    Ok(done) => done,
                    Err(job) => {
                        self.bulk_work = Some(BulkWork::Planning { label, job });
                        return;
                    }
                };
                match done {
                    Some(mut plan) => {
                        self.leave_out_unsaved(&mut plan.cases, &mut plan.skipped);
                        self.bulk_preview = Some(plan);
                    }
                    None => self
                        .set_status(format!("{label}: the preview failed; nothing was changed.")),
                }
            }
            BulkWork::Applying {
                label,
                left_out,
                job,
            } => {
                let done = match finished(job, wait) {
                    Ok(done) => done,
                    Err(job) => {
                        self.bulk_work = Some(BulkWork::Applying {
                            label,
                            left_out,
                            job,
                        });
                        return;
                    }
                };
                match done {
                    Some(outcome) => self.applied_bulk(label, left_out, outcome),
                    None => {
                        self.rescan();
                        self.set_status(format!(
                            "{label}: applying stopped unexpectedly; check the case list before going on."
                        ));
                    }
                }
            }
        }
    }

    /// Waits for a bulk preview or apply to finish (tests).
    pub fn wait_for_bulk(&mut self) {
        self.poll_bulk(true);
    }

    /// Moves the open case out of `cases` when it has unsaved changes.
    fn leave_out_unsaved(&self, cases: &mut Vec<bulk::CasePlan>, skipped: &mut Vec<Skipped>) {
        let Some(ed) = self.editor.as_ref().filter(|e| e.is_dirty()) else {
            return;
        };
        let open = ed.case.index_path();
        if let Some(i) = cases.iter().position(|c| same_file(&c.index, open)) {
            let c = cases.remove(i);
            skipped.push(Skipped {
                index: c.index,
                why: UNSAVED_LEFT_OUT.to_string(),
            });
        }
    }

    /// The Tags window and the bulk preview, with what the author answered.
    pub(super) fn bulk_windows_ui(&mut self, ctx: &egui::Context) -> Vec<Intent> {
        self.poll_bulk(false);
        if let Some(work) = &self.bulk_work {
            let (label, doing) = match work {
                BulkWork::Planning { label, .. } => (label, "Reading the cases for the preview…"),
                BulkWork::Applying { label, .. } => (label, "Saving the cases…"),
            };
            // Its own id: the preview window that follows keeps its own size and place.
            egui::Window::new(format!("Preview: {label}"))
                .id(egui::Id::unique("bulk-progress"))
                .pivot(egui::Align2::CENTER_CENTER)
                .default_pos(ctx.content_rect().center())
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(doing);
                    });
                });
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let taxonomy = self.templates.current().allowed.tags.clone();
        let out =
            crate::ui::tags::tags_window_ui(ctx, &mut self.tags, &self.workspace.cases, &taxonomy);
        let answer = self
            .bulk_preview
            .as_ref()
            .and_then(|p| bulk_preview_ui(ctx, p, self.workspace.root.as_deref()));
        match answer {
            Some(PreviewAnswer::Apply) => self.apply_bulk(),
            Some(PreviewAnswer::Cancel) => {
                self.bulk_preview = None;
                self.set_status("Nothing was changed.");
            }
            None => {}
        }
        out
    }

    /// Writes the previewed bulk edit and keeps it as one Undo step.
    fn apply_bulk(&mut self) {
        let Some(mut plan) = self.bulk_preview.take() else {
            return;
        };
        // Edited since the preview: still left out.
        let mut left_out = Vec::new();
        self.leave_out_unsaved(&mut plan.cases, &mut left_out);
        let templates = self.templates.clone();
        self.bulk_work = Some(BulkWork::Applying {
            label: plan.op.describe(),
            left_out,
            job: Job::spawn(|| {}, move |_| bulk::apply(&plan, &templates)),
        });
    }

    /// After applying: the open case read again, the Undo step kept, the status.
    fn applied_bulk(&mut self, label: String, left_out: Vec<Skipped>, outcome: Outcome) {
        let wrote_open = self.reload_if_written(&outcome.done);
        let root = self.workspace.root.clone();
        let mut msg = format!("{label}: {} saved.", count_of(outcome.done.len(), "case"));
        if !outcome.done.is_empty() {
            msg.push_str(" Edit › Undo puts them all back.");
        }
        let failed: Vec<&Skipped> = left_out.iter().chain(&outcome.failed).collect();
        msg.push_str(&failures(&failed, root.as_deref()));
        if wrote_open {
            msg.push_str(" The open case was read again.");
        }
        if !outcome.done.is_empty() {
            self.bulk_undo = Some(BulkUndo {
                label,
                done: outcome.done,
                restored: None,
                mark: self.undo_mark(),
            });
            // The renamed tag is gone from the list.
            self.tags.selected = None;
            self.tags.merge_into = None;
        }
        self.rescan();
        self.set_status(msg);
    }

    /// The open case and its change counter.
    fn undo_mark(&self) -> Option<(PathBuf, u64)> {
        self.editor
            .as_ref()
            .map(|e| (e.case.index_path().to_path_buf(), e.change_counter()))
    }

    /// Whether Undo now takes back the last bulk edit (the open case has nothing newer to
    /// undo of its own).
    pub(super) fn bulk_undo_is_next(&self) -> bool {
        let Some(step) = &self.bulk_undo else {
            return false;
        };
        match &self.editor {
            None => true,
            Some(ed) => {
                !ed.history.can_undo()
                    || step.mark.as_ref().is_some_and(|(p, n)| {
                        p == ed.case.index_path() && *n == ed.change_counter()
                    })
            }
        }
    }

    /// Undoes the last bulk edit: every case it wrote is put back through the safe save.
    pub(super) fn undo_bulk(&mut self) {
        let Some(step) = self.bulk_undo.take() else {
            return;
        };
        if step.restored.is_some() {
            self.undo_restore(step);
            return;
        }
        if let Some(ed) = self.editor.as_ref().filter(|e| e.is_dirty())
            && step
                .done
                .iter()
                .any(|d| same_file(&d.index, ed.case.index_path()))
        {
            self.set_status(format!(
                "{} also changed the open case, which has unsaved changes: save or revert it, then undo again.",
                step.label
            ));
            self.bulk_undo = Some(step);
            return;
        }
        let outcome = bulk::undo(&step.done);
        let wrote_open = self.reload_if_written(&outcome.done);
        let root = self.workspace.root.clone();
        let mut msg = format!(
            "Undid {}: {} put back.",
            step.label,
            count_of(outcome.done.len(), "case")
        );
        let failed: Vec<&Skipped> = outcome.failed.iter().collect();
        msg.push_str(&failures(&failed, root.as_deref()));
        if wrote_open {
            msg.push_str(" The open case was read again.");
        }
        self.rescan();
        self.set_status(msg);
    }

    /// Reads the open case again when `done` wrote it (it had no unsaved changes). Returns
    /// whether it did.
    fn reload_if_written(&mut self, done: &[DoneCase]) -> bool {
        let Some(ed) = &self.editor else {
            return false;
        };
        if ed.is_dirty()
            || !done
                .iter()
                .any(|d| same_file(&d.index, ed.case.index_path()))
        {
            return false;
        }
        let path = ed.case.index_path().to_path_buf();
        let view = self.view;
        self.editor = None;
        self.open_case(&path);
        self.view = view;
        true
    }

    /// Scans the open folder again (counts, tags, changes).
    fn rescan(&mut self) {
        if let Some(root) = self.workspace.root.clone() {
            self.workspace.scan(&root, &self.templates);
        }
    }

    /// The bulk edit being previewed (tests).
    pub fn bulk_preview(&self) -> Option<&Plan> {
        self.bulk_preview.as_ref()
    }
}

/// " 1 case was left as it was: a/index.md: why." (empty when none).
fn failures(failed: &[&Skipped], root: Option<&Path>) -> String {
    if failed.is_empty() {
        return String::new();
    }
    let list: Vec<String> = failed
        .iter()
        .map(|s| format!("{}: {}", shown_path(&s.index, root), s.why))
        .collect();
    format!(
        " {} left as {}: {}.",
        count_of(failed.len(), "case"),
        if failed.len() == 1 {
            "it was"
        } else {
            "they were"
        },
        list.join("; ")
    )
}

impl CasebookApp {
    /// Writes the case deleted since the reference (`folder` from the repository's top) back
    /// from the reference commit: each deleted file through the checked write (refused if a
    /// file of that name has appeared since), under the case's lock; then opens it.
    pub(super) fn restore_deleted_case(&mut self, folder: &str) {
        use casebook_core::save::{self, CaseLock, Expect};
        use casebook_core::vcs::{self, Status};
        let Some((workdir, commit)) = self.workspace.vcs.restore_source() else {
            self.set_status("The repository could not be read; nothing was restored.");
            return;
        };
        let Some(change) = self
            .workspace
            .vcs
            .deleted()
            .into_iter()
            .find(|c| c.path == folder)
            .cloned()
        else {
            return;
        };
        let dir = workdir.join(folder);
        let mut written: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let result = (|| -> Result<(), String> {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let lock = CaseLock::acquire(&dir).map_err(|e| e.to_string())?;
            for f in change.files.iter().filter(|f| f.status == Status::Deleted) {
                let path = save::confine_lexically(&dir, &f.path).map_err(|e| e.to_string())?;
                let Some(bytes) =
                    vcs::blob_at(&workdir, &commit, &path).map_err(|e| e.to_string())?
                else {
                    continue;
                };
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                save::write_checked(&path, &bytes, Expect::Absent, Some(&dir))
                    .map_err(|e| e.to_string())?;
                written.push((path, bytes));
            }
            drop(lock);
            Ok(())
        })();
        let n = written.len();
        if n > 0 {
            // Also after a failure part way: what was written can be taken back.
            self.bulk_undo = Some(BulkUndo {
                label: format!("Restore {folder}"),
                done: Vec::new(),
                restored: Some((dir.clone(), written)),
                mark: None,
            });
        }
        match result {
            Ok(()) => {
                self.rescan();
                let index = dir.join("index.md");
                if index.is_file() {
                    self.intents.push(Intent::Open(index));
                }
                self.set_status(format!(
                    "Restored {folder} from {} ({}).",
                    self.workspace.vcs.reference,
                    count_of(n, "file")
                ));
            }
            Err(e) => {
                self.rescan();
                self.set_status(format!(
                    "{folder} could not be restored: {e} ({} written; Undo removes them)",
                    count_of(n, "file")
                ));
            }
        }
    }

    /// Undoes a restore: closes the case when it is open without unsaved changes, and removes
    /// each file written while it still holds what was written (a file changed since stays).
    fn undo_restore(&mut self, step: BulkUndo) {
        let Some((dir, files)) = &step.restored else {
            return;
        };
        if let Some(ed) = &self.editor
            && ed.case.dir().starts_with(dir)
        {
            if ed.is_dirty() {
                self.set_status(format!(
                    "The restored case has unsaved changes: save or revert it, then undo {} again.",
                    step.label
                ));
                self.bulk_undo = Some(step);
                return;
            }
            self.finish(super::AfterPrompt::Close);
        }
        let mut removed = 0;
        let mut kept = Vec::new();
        for (path, bytes) in files {
            match std::fs::read(path) {
                Ok(now) if now == *bytes => match std::fs::remove_file(path) {
                    Ok(()) => removed += 1,
                    Err(e) => kept.push(format!("{}: {e}", path.display())),
                },
                Ok(_) => kept.push(format!("{} changed since", path.display())),
                Err(_) => {}
            }
        }
        // Folders left empty go too (never one that holds anything).
        for (path, _) in files {
            let mut d = path.parent();
            while let Some(p) = d {
                if !p.starts_with(dir) || std::fs::remove_dir(p).is_err() {
                    break;
                }
                d = p.parent();
            }
        }
        self.rescan();
        let mut msg = format!(
            "Undid {}: {} removed.",
            step.label,
            count_of(removed, "file")
        );
        if !kept.is_empty() {
            msg.push_str(&format!(" Kept: {}.", kept.join("; ")));
        }
        self.set_status(msg);
    }
}
