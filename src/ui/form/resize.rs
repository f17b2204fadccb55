//! "Resize to under 1 MB" for an oversize featured image: the core's image fix
//! ([`casebook_core::images::fix_image`]) run on a thread, with a progress bar and Cancel.
//!
//! The new JPEG is written beside the original (which is kept); once it is written, the only
//! change to the case is the `featured_image` edit, applied as one undo step. Undo goes back
//! to the original file; the new file stays in the folder.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use casebook_core::images::{self, ImageFix, ImageRef, Job};

use super::{Form, under_row};
use crate::ui::Intent;

/// A resize running on a thread.
pub(super) struct ResizeJob {
    /// The `featured_image` value it started from.
    rel: String,
    /// Progress, 0.0–1.0, as `f32` bits.
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Result<ImageFix, String>>,
}

impl Form<'_> {
    /// The resize button under an oversize featured image, or the running job's progress.
    pub(super) fn resize_ui(&mut self, ui: &mut egui::Ui, rel: &str, oversize: bool) {
        if let Some(job) = &self.state.resize {
            match job.rx.try_recv() {
                Ok(result) => {
                    let job_rel = job.rel.clone();
                    self.state.resize = None;
                    self.resize_done(result, &job_rel, rel);
                }
                Err(TryRecvError::Disconnected) => self.state.resize = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some(job) = &self.state.resize {
            let progress = f32::from_bits(job.progress.load(Ordering::Relaxed));
            let cancel = job.cancel.clone();
            under_row(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.add(
                        egui::ProgressBar::new(progress)
                            .desired_width(200.0)
                            .show_percentage(),
                    )
                    .on_hover_text("Making a JPEG of at most 1 MB");
                    if ui.button("Cancel").clicked() {
                        cancel.store(true, Ordering::Relaxed);
                    }
                });
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
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
            self.state.resize = Some(start(self.cx.case.clone(), rel, ui.ctx().clone()));
        }
    }

    fn resize_done(&mut self, result: Result<ImageFix, String>, job_rel: &str, rel: &str) {
        match result {
            Ok(fix) => {
                let original = fix
                    .original
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if job_rel != rel {
                    self.out.push(Intent::Status(format!(
                        "Wrote {}, but the featured image changed meanwhile, so it is not used.",
                        fix.new_ref
                    )));
                    return;
                }
                self.out.push(Intent::edit(
                    fix.edit.clone(),
                    "Resize featured image",
                    None,
                ));
                self.out.push(Intent::Status(format!(
                    "Wrote {} ({} × {} px, {}); the original {original} is kept beside it.",
                    fix.new_ref,
                    fix.width,
                    fix.height,
                    super::image::human_size(fix.bytes)
                )));
            }
            Err(e) => self
                .out
                .push(Intent::Status(format!("The image was not resized: {e}"))),
        }
    }
}

/// Starts the resize of `case`'s featured image on a thread.
fn start(case: casebook_core::case::Case, rel: &str, ctx: egui::Context) -> ResizeJob {
    let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = channel();
    let (p, c) = (progress.clone(), cancel.clone());
    let spawned = std::thread::Builder::new()
        .name("casebook-resize".to_string())
        .spawn(move || {
            let mut report = |f: f32| {
                p.store(f.to_bits(), Ordering::Relaxed);
                ctx.request_repaint();
            };
            let mut job = Job::new(&mut report, &c);
            let result = images::fix_image(&case, &ImageRef::Featured, None, &mut job)
                .map_err(|e| e.to_string());
            let _ = tx.send(result);
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        let (tx2, rx2) = channel();
        let _ = tx2.send(Err(format!("no thread to resize on: {e}")));
        return ResizeJob {
            rel: rel.to_string(),
            progress,
            cancel,
            rx: rx2,
        };
    }
    ResizeJob {
        rel: rel.to_string(),
        progress,
        cancel,
        rx,
    }
}
