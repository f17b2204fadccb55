//! "Resize to under 1 MB" and "Crop…" run the core's image fix
//! ([`casebook_core::images::fix_image`]) on a thread ([`ImageJob`]), with a progress bar and
//! Cancel; the problems panel runs the same job for an oversize body image.
//!
//! The new JPEG is written beside the original (which is kept); once it is written, the only
//! change to the case is the reference's edit (`featured_image`, or the path inside one body
//! image), applied as one undo step. Undo goes back to the original file; the new file stays
//! in the folder. The success message ([`ImageDone`]) offers "Move the original to the trash"
//! (the `trash` crate: the desktop's trash, so it can be restored); where there is no trash
//! (a headless machine) it says so and the original stays.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use casebook_core::case::Case;
use casebook_core::images::{self, CropRect, ImageFix, ImageRef, Job};

use super::{Form, under_row};
use crate::ui::Intent;

/// An image fix running on a thread.
#[derive(Clone)]
pub struct ImageJob {
    /// Which image.
    pub which: ImageRef,
    /// The reference text (`featured_image`) or the whole document text (body images) it
    /// started from: the result is used only if that is unchanged.
    pub started_from: String,
    /// Progress, 0.0–1.0, as `f32` bits.
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    /// The result, once there is one; `finished` is set even when the thread died.
    result: Arc<Mutex<Option<Result<ImageFix, String>>>>,
    finished: Arc<AtomicBool>,
}

impl std::fmt::Debug for ImageJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageJob")
            .field("which", &self.which)
            .field("progress", &self.progress())
            .finish_non_exhaustive()
    }
}

/// Sets `finished` when the worker ends, whether it returned or panicked.
struct Finish(Arc<AtomicBool>, egui::Context);

impl Drop for Finish {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
        self.1.request_repaint();
    }
}

impl ImageJob {
    /// Starts fixing image `which` of `case` (cropped to `crop` if given) on a thread.
    pub fn start(
        case: Case,
        which: ImageRef,
        crop: Option<CropRect>,
        started_from: String,
        ctx: egui::Context,
    ) -> ImageJob {
        let job = ImageJob {
            which: which.clone(),
            started_from,
            progress: Arc::new(AtomicU32::new(0f32.to_bits())),
            cancel: Arc::new(AtomicBool::new(false)),
            result: Arc::new(Mutex::new(None)),
            finished: Arc::new(AtomicBool::new(false)),
        };
        let (p, c, r, f) = (
            job.progress.clone(),
            job.cancel.clone(),
            job.result.clone(),
            job.finished.clone(),
        );
        let ctx2 = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("casebook-image-fix".to_string())
            .spawn(move || {
                let _finish = Finish(f, ctx2.clone());
                let mut report = |x: f32| {
                    p.store(x.to_bits(), Ordering::Relaxed);
                    ctx2.request_repaint();
                };
                let mut job = Job::new(&mut report, &c);
                let result =
                    images::fix_image(&case, &which, crop, &mut job).map_err(|e| e.to_string());
                if let Ok(mut slot) = r.lock() {
                    *slot = Some(result);
                }
            });
        if let Err(e) = spawned {
            if let Ok(mut slot) = job.result.lock() {
                *slot = Some(Err(format!("no thread to work on: {e}")));
            }
            job.finished.store(true, Ordering::Release);
        }
        job
    }

    /// Progress, 0.0–1.0.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Asks the work to stop (nothing is written).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result once the work has ended (`None` while it runs).
    pub fn poll(&self) -> Option<Result<ImageFix, String>> {
        if !self.finished.load(Ordering::Acquire) {
            return None;
        }
        let taken = self.result.lock().ok().and_then(|mut s| s.take());
        Some(taken.unwrap_or_else(|| Err("the image work stopped unexpectedly".to_string())))
    }

    /// A progress bar and Cancel.
    pub fn progress_ui(&self, ui: &mut egui::Ui, what: &str) {
        ui.horizontal(|ui| {
            ui.add(
                egui::ProgressBar::new(self.progress())
                    .desired_width(200.0)
                    .show_percentage(),
            )
            .on_hover_text(what.to_string());
            if ui.button("Cancel").clicked() {
                self.cancel();
            }
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(50));
    }
}

/// What an image fix did, shown until dismissed, with "Move the original to the trash".
#[derive(Debug, Clone)]
pub struct ImageDone {
    /// The original file (kept).
    pub original: PathBuf,
    /// The reference now in use (`./photo-2400.jpg`).
    pub new_ref: String,
    /// What was done, in a sentence.
    pub message: String,
    /// What moving the original to the trash did, once tried.
    pub trashed: Option<Result<(), String>>,
}

impl ImageDone {
    /// The message for `fix`, made by `verb` ("Resized", "Cropped").
    pub fn of(fix: &ImageFix, verb: &str) -> ImageDone {
        let original = file_name(&fix.original);
        ImageDone {
            original: fix.original.clone(),
            new_ref: fix.new_ref.clone(),
            message: format!(
                "{verb}: wrote {} ({} × {} px, {}); the original {original} is kept beside it.",
                fix.new_ref,
                fix.width,
                fix.height,
                super::image::human_size(fix.bytes)
            ),
            trashed: None,
        }
    }

    /// The message and the trash button. Returns false when dismissed.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> bool {
        let t = crate::ui::tokens::Tokens::of(ui);
        let mut keep = true;
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(&self.message).color(t.ok));
            match &self.trashed {
                None => {
                    if ui
                        .button("Move the original to the trash")
                        .on_hover_text("Moves the original file to the desktop's trash, where it can be restored. Undo then points at a file that is in the trash.")
                        .clicked()
                    {
                        self.trashed = Some(move_to_trash(&self.original));
                    }
                }
                Some(Ok(())) => {
                    ui.label(format!(
                        "{} was moved to the trash.",
                        file_name(&self.original)
                    ));
                }
                Some(Err(e)) => {
                    ui.label(egui::RichText::new(e).color(t.warning));
                }
            }
            if ui.small_button("Dismiss").clicked() {
                keep = false;
            }
        });
        keep
    }
}

/// Moves `path` to the desktop's trash; when there is none, says so (the file stays).
pub fn move_to_trash(path: &std::path::Path) -> Result<(), String> {
    trash::delete(path).map_err(|e| {
        format!(
            "The trash is not available here ({e}); {} is kept.",
            file_name(path)
        )
    })
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Form<'_> {
    /// Takes the result of the featured image's job, if it ended: applies its edit when the
    /// `featured_image` value is still the one it started from.
    pub(super) fn poll_image_job(&mut self, rel: &str) {
        let Some(job) = &self.state.resize else {
            return;
        };
        let Some(result) = job.poll() else {
            return;
        };
        let (started_from, cropped) = (job.started_from.clone(), self.state.resize_is_crop);
        self.state.resize = None;
        let (verb, label) = if cropped {
            ("Cropped", "Crop featured image")
        } else {
            ("Resized", "Resize featured image")
        };
        match result {
            Ok(fix) => {
                if started_from != rel {
                    self.out.push(Intent::Status(format!(
                        "Wrote {}, but the featured image changed meanwhile, so it is not used.",
                        fix.new_ref
                    )));
                    return;
                }
                self.out.push(Intent::edit(fix.edit.clone(), label, None));
                let done = ImageDone::of(&fix, verb);
                self.out.push(Intent::Status(done.message.clone()));
                self.state.image_done = Some(done);
                self.state.crop = None;
            }
            Err(e) => {
                let msg = if cropped {
                    format!("The image was not cropped: {e}")
                } else {
                    format!("The image was not resized: {e}")
                };
                if let Some(c) = &mut self.state.crop {
                    c.error = Some(msg.clone());
                }
                self.out.push(Intent::Status(msg));
            }
        }
    }

    /// The resize button under an oversize featured image, the running job's progress, and
    /// the last fix's message.
    pub(super) fn resize_ui(&mut self, ui: &mut egui::Ui, rel: &str, oversize: bool) {
        // The message belongs to the reference it made; after Undo it is gone. (Checked
        // before polling: a fix that ends now has its edit applied after this frame.)
        if self
            .state
            .image_done
            .as_ref()
            .is_some_and(|d| d.new_ref != rel)
        {
            self.state.image_done = None;
        }
        self.poll_image_job(rel);
        if let Some(done) = &mut self.state.image_done {
            let keep = under_row(ui, |ui| done.ui(ui));
            if !keep {
                self.state.image_done = None;
            }
        }
        if let Some(job) = &self.state.resize {
            if !self.state.resize_is_crop {
                under_row(ui, |ui| {
                    job.progress_ui(ui, "Making a JPEG of at most 1 MB")
                });
            }
            return;
        }
        if !oversize || !self.editable {
            return;
        }
        let clicked = under_row(ui, |ui| {
            ui.button("Resize to under 1 MB")
                .on_hover_text(
                    "Writes a JPEG of at most 1 MB (long side up to 2400 px, turned upright) beside the original, which is kept, and uses it here. Undo goes back to the original.",
                )
                .clicked()
        });
        if clicked {
            self.state.image_done = None;
            self.state.resize_is_crop = false;
            self.state.resize = Some(ImageJob::start(
                self.cx.case.clone(),
                ImageRef::Featured,
                None,
                rel.to_string(),
                ui.ctx().clone(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trash_failure_says_so_and_keeps_the_file() {
        let dir = std::env::temp_dir().join("casebook-no-such-folder-for-trash");
        let e = move_to_trash(&dir.join("gone.jpg"));
        assert!(
            e.as_ref()
                .is_err_and(|m| m.contains("The trash is not available here")
                    && m.ends_with("gone.jpg is kept.")),
            "{e:?}"
        );
    }
}
