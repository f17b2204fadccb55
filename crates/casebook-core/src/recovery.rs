//! Crash recovery copies and "open elsewhere" locks, kept in the user's data folder.
//!
//! While a case has unsaved changes, the app writes a recovery copy (atomically, through
//! [`crate::save::safe_write`]) keyed by the case's path. After a crash, opening the case finds
//! the copy; it records what the file on disk held when the copy was taken, so a copy is never
//! restored over a file that changed since without asking. A lock file tells a second
//! Casebook that the case is open elsewhere.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::save::{self, SaveError, Stamp};

/// A recovery copy of a case's unsaved state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The case's `index.md`.
    pub index_path: PathBuf,
    /// Seconds since the epoch when the copy was taken.
    pub taken_at: u64,
    /// The unsaved text of `index.md`.
    pub index_text: String,
    /// Whether the file had a BOM.
    #[serde(default)]
    pub bom: bool,
    /// Size and hash of `index.md` on disk when the copy was taken (None: not on disk).
    pub disk_len: Option<u64>,
    /// See `disk_len`.
    pub disk_hash: Option<u64>,
    /// The unsaved geometry file text and its path, if the geometry had changes.
    pub geometry: Option<(PathBuf, String)>,
}

impl Recovery {
    /// What `index.md` on disk held when the copy was taken.
    pub fn disk_stamp(&self) -> Option<Stamp> {
        match (self.disk_len, self.disk_hash) {
            (Some(len), Some(hash)) => Some(Stamp { len, hash }),
            _ => None,
        }
    }

    /// Whether `index.md` changed on disk after the copy was taken (then restoring must ask).
    pub fn disk_changed_since(&self) -> bool {
        Stamp::of_file(&self.index_path) != self.disk_stamp()
    }
}

/// Where recovery copies and locks live.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
}

/// A stable file name for a case path.
fn key(index_path: &Path) -> String {
    let canonical = fs::canonicalize(index_path).unwrap_or_else(|_| index_path.to_path_buf());
    let s = Stamp::of(canonical.to_string_lossy().as_bytes());
    format!("{:016x}", s.hash)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl RecoveryStore {
    /// A store under `data_dir` (`recovery/` and `locks/` are made when needed).
    pub fn new(data_dir: &Path) -> RecoveryStore {
        RecoveryStore {
            dir: data_dir.to_path_buf(),
        }
    }

    fn copy_path(&self, index_path: &Path) -> PathBuf {
        self.dir
            .join("recovery")
            .join(format!("{}.json", key(index_path)))
    }

    /// The lock file that marks the case as open (its content is the process id).
    pub fn lock_path(&self, index_path: &Path) -> PathBuf {
        self.dir
            .join("locks")
            .join(format!("{}.lock", key(index_path)))
    }

    /// Writes the recovery copy of `case` (atomically).
    pub fn write(&self, case: &crate::case::Case) -> Result<(), SaveError> {
        self.snapshot(case).write()
    }

    /// What a recovery copy of `case` needs, taken quickly (the geometry is cloned, not
    /// written out): [`PendingCopy::write`] can then run on another thread, so a big boundary
    /// does not pause the editor.
    pub fn snapshot(&self, case: &crate::case::Case) -> PendingCopy {
        let doc = case.doc();
        let geometry = match case.geo() {
            crate::case::GeoState::Loaded { path, doc, .. } if doc.is_modified() => {
                Some((path.clone(), (**doc).clone()))
            }
            _ => None,
        };
        PendingCopy {
            store: self.clone(),
            index_path: case.index_path().to_path_buf(),
            index_text: doc.text().to_string(),
            bom: doc.has_bom(),
            geometry,
        }
    }

    /// The recovery copy for a case, if there is a readable one.
    pub fn find(&self, index_path: &Path) -> Option<Recovery> {
        let bytes = fs::read(self.copy_path(index_path)).ok()?;
        let r: Recovery = serde_json::from_slice(&bytes).ok()?;
        Some(r)
    }

    /// Removes a case's recovery copy (after saving or discarding).
    pub fn remove(&self, index_path: &Path) {
        let _ = fs::remove_file(self.copy_path(index_path));
    }

    /// Marks the case as open by this process. Returns the other process's id when another
    /// live Casebook already has it open.
    pub fn lock(&self, index_path: &Path) -> Option<u32> {
        let path = self.lock_path(index_path);
        if let Ok(text) = fs::read_to_string(&path)
            && let Ok(pid) = text.trim().parse::<u32>()
            && pid != std::process::id()
            && process_alive(pid)
        {
            return Some(pid);
        }
        if let Some(parent) = path.parent() {
            let _ = fs::create_dir_all(parent);
        }
        let _ = save::safe_write(&path, std::process::id().to_string().as_bytes());
        None
    }

    /// After the data folder moved from `from` to `to` (this store is the new one): re-files
    /// the recovery copies of cases that were inside the old folder (the sample case) under
    /// their new paths, so they are found when the case is opened from its new place.
    /// Returns how many were re-filed.
    pub fn rebase_copies(&self, from: &Path, to: &Path) -> usize {
        let Ok(entries) = fs::read_dir(self.dir.join("recovery")) else {
            return 0;
        };
        let mut moved = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(bytes) = fs::read(&path) else { continue };
            let Ok(mut r) = serde_json::from_slice::<Recovery>(&bytes) else {
                continue;
            };
            let Ok(rest) = r.index_path.strip_prefix(from) else {
                continue;
            };
            r.index_path = to.join(rest);
            if let Some((geometry, _)) = &mut r.geometry
                && let Ok(rest) = geometry.strip_prefix(from)
            {
                *geometry = to.join(rest);
            }
            let target = self.copy_path(&r.index_path);
            let Ok(json) = serde_json::to_vec(&r) else {
                continue;
            };
            if target != path && save::safe_write(&target, &json).is_ok() {
                let _ = fs::remove_file(&path);
                moved += 1;
            }
        }
        moved
    }

    /// Releases this process's lock on the case.
    pub fn unlock(&self, index_path: &Path) {
        let path = self.lock_path(index_path);
        if fs::read_to_string(&path).is_ok_and(|t| t.trim() == std::process::id().to_string()) {
            let _ = fs::remove_file(path);
        }
    }
}

/// A recovery copy taken but not yet written (see [`RecoveryStore::snapshot`]).
#[derive(Debug, Clone)]
pub struct PendingCopy {
    store: RecoveryStore,
    index_path: PathBuf,
    index_text: String,
    bom: bool,
    geometry: Option<(PathBuf, crate::geometry::GeoDocument)>,
}

impl PendingCopy {
    /// Writes the copy (atomically), recording what `index.md` on disk holds now.
    pub fn write(self) -> Result<(), SaveError> {
        let disk = Stamp::of_file(&self.index_path);
        let r = Recovery {
            index_path: self.index_path.clone(),
            taken_at: now(),
            index_text: self.index_text,
            bom: self.bom,
            disk_len: disk.map(|s| s.len),
            disk_hash: disk.map(|s| s.hash),
            geometry: self.geometry.map(|(p, g)| (p, g.to_file_text())),
        };
        let path = self.store.copy_path(&self.index_path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| SaveError::from_io(parent, e))?;
        }
        let json = serde_json::to_vec(&r).map_err(|e| SaveError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        save::safe_write(&path, &json)
    }
}

/// Whether a process with this id is running (Linux: `/proc/<pid>` exists).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Elsewhere we cannot tell cheaply: assume it is, the warning is only a warning.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Case;
    use crate::edit::Edit;

    #[test]
    fn copy_round_trips_and_notices_disk_changes() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let case_dir = t.path().join("case");
        fs::create_dir(&case_dir)?;
        fs::write(case_dir.join("index.md"), "---\ntitle: A\n---\nBody\n")?;
        let Ok(mut case) = Case::open(&case_dir) else {
            panic!("open")
        };
        let Ok(_) = case.apply(&Edit::set("title", "B")) else {
            panic!("edit")
        };
        let store = RecoveryStore::new(&t.path().join("data"));
        assert!(store.write(&case).is_ok());
        let Some(r) = store.find(case.index_path()) else {
            panic!("no copy")
        };
        assert!(r.index_text.contains("title: B"));
        assert!(!r.disk_changed_since());
        fs::write(case_dir.join("index.md"), "---\ntitle: C\n---\nBody\n")?;
        assert!(r.disk_changed_since());
        store.remove(case.index_path());
        assert!(store.find(case.index_path()).is_none());
        Ok(())
    }

    #[test]
    fn copies_follow_a_moved_data_folder() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let old = t.path().join("casebook");
        let new = t.path().join("org.atlasofurbantech.casebook");
        // The sample case lives in the data folder; another case lives elsewhere.
        let inside = old.join("sample/cases/a");
        let outside = t.path().join("atlas/cases/b");
        let mut cases = Vec::new();
        for dir in [&inside, &outside] {
            fs::create_dir_all(dir)?;
            fs::write(dir.join("index.md"), "---\ntitle: A\n---\nBody\n")?;
            let Ok(mut case) = Case::open(dir) else {
                panic!("open")
            };
            let Ok(_) = case.apply(&Edit::set("title", "Unsaved")) else {
                panic!("edit")
            };
            assert!(RecoveryStore::new(&old).write(&case).is_ok());
            cases.push(case);
        }
        fs::rename(&old, &new)?;
        let store = RecoveryStore::new(&new);
        let moved_index = new.join("sample/cases/a/index.md");
        assert!(store.find(&moved_index).is_none(), "keyed by the old path");
        assert_eq!(store.rebase_copies(&old, &new), 1);
        let Some(r) = store.find(&moved_index) else {
            panic!("the copy was not re-filed")
        };
        assert_eq!(r.index_path, moved_index);
        assert!(r.index_text.contains("title: Unsaved"));
        assert!(
            store.find(cases[1].index_path()).is_some(),
            "the other copy stays"
        );
        assert_eq!(store.rebase_copies(&old, &new), 0, "nothing left to move");
        Ok(())
    }

    #[test]
    fn lock_warns_about_other_live_processes() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let index = t.path().join("index.md");
        fs::write(&index, "x")?;
        let store = RecoveryStore::new(t.path());
        assert_eq!(store.lock(&index), None);
        // Pretend PID 1 (always alive on Linux) holds it.
        fs::write(store.lock_path(&index), "1")?;
        if cfg!(target_os = "linux") {
            assert_eq!(store.lock(&index), Some(1));
        }
        // A dead process's lock is taken over.
        fs::write(store.lock_path(&index), "4194303")?;
        assert_eq!(store.lock(&index), None);
        store.unlock(&index);
        assert!(!store.lock_path(&index).exists());
        Ok(())
    }
}
