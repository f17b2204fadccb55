//! File dialogs that never freeze the window.
//!
//! Native dialogs (rfd: the desktop portal or zenity) run on a thread and report through a
//! channel. Where none can open (no portal, no zenity, or the user prefers it), an in-app
//! path field with completion takes over ([`crate::ui::dialogs::PathPrompt`]).

use std::path::PathBuf;

use casebook_core::job::{Job, Poll};

pub use crate::ui::purpose::Purpose;

/// Whether a native dialog can be shown here (a desktop portal on the session bus, or
/// zenity on the PATH).
pub fn native_available() -> bool {
    let has_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    let zenity = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths)
            .any(|p| p.join("zenity").is_file() || p.join("kdialog").is_file())
    });
    has_bus || zenity
}

/// A native dialog running on another thread.
pub struct Pending {
    /// What it is for.
    pub purpose: Purpose,
    job: Job<Option<PathBuf>>,
}

impl Pending {
    /// Starts a native dialog for `purpose` in `start_dir`; `ctx` is woken when it answers.
    pub fn start(purpose: Purpose, start_dir: Option<PathBuf>, ctx: egui::Context) -> Pending {
        let job = Job::spawn(
            move || ctx.request_repaint(),
            move |_| {
                let mut d = rfd::FileDialog::new().set_title(purpose.title());
                if let Some(dir) = start_dir {
                    d = d.set_directory(dir);
                }
                for (name, exts) in purpose.filters() {
                    d = d.add_filter(name, exts);
                }
                if purpose.wants_folder() {
                    d.pick_folder()
                } else {
                    d.pick_file()
                }
            },
        );
        Pending { purpose, job }
    }

    /// The answer, once there is one: `Some(None)` means cancelled.
    pub fn poll(&self) -> Option<Option<PathBuf>> {
        match self.job.poll() {
            Poll::Done(answer) => Some(answer),
            Poll::Pending => None,
            Poll::Lost => Some(None),
        }
    }
}
