//! Running the built `casebook` binary in the command-line tests, and copying the cases they
//! run it on.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the built `casebook` with `args` in `cwd` (this process's folder when `None`).
pub fn casebook_in(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_casebook"));
    c.args(args);
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    match c.output() {
        Ok(o) => o,
        Err(e) => panic!("could not run casebook: {e}"),
    }
}

/// Runs the built `casebook` with `args`.
pub fn casebook(args: &[&str]) -> Output {
    casebook_in(args, None)
}

/// What the run printed on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What the run printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies the files of a case folder (one level) into `to/<its name>`, writable.
pub fn copy_case(from: &Path, to: &Path) -> PathBuf {
    let dest = to.join(from.file_name().unwrap_or_default());
    std::fs::create_dir_all(&dest).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            let target = dest.join(e.file_name());
            std::fs::copy(e.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
    dest
}

/// Asserts that `text` holds `part`, showing the whole text when it does not.
#[track_caller]
pub fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in:\n{text}");
}
