//! File dialogs that never freeze the window.
//!
//! Native dialogs (rfd: the desktop portal or zenity) run on a thread and report through a
//! channel. Where none can open (no portal, no zenity, or the user prefers it), an in-app
//! path field with completion takes over ([`crate::ui::dialogs::PathPrompt`]).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

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
    rx: Receiver<Option<PathBuf>>,
}

impl Pending {
    /// Starts a native dialog for `purpose` in `start_dir`; `ctx` is woken when it answers.
    pub fn start(purpose: Purpose, start_dir: Option<PathBuf>, ctx: egui::Context) -> Pending {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut d = rfd::FileDialog::new().set_title(purpose.title());
            if let Some(dir) = start_dir {
                d = d.set_directory(dir);
            }
            for (name, exts) in purpose.filters() {
                d = d.add_filter(name, exts);
            }
            let picked = if purpose.wants_folder() {
                d.pick_folder()
            } else {
                d.pick_file()
            };
            let _ = tx.send(picked);
            ctx.request_repaint();
        });
        Pending { purpose, rx }
    }

    /// The answer, once there is one: `Some(None)` means cancelled.
    pub fn poll(&self) -> Option<Option<PathBuf>> {
        match self.rx.try_recv() {
            Ok(answer) => Some(answer),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(None),
        }
    }
}
