//! Casebook's data folder: settings (`app.ron`), recovery copies, locks, the sample case and
//! the tile cache. It is named from the application id ([`APP_ID`]), as the window and the
//! desktop entry are; versions before 0.2 named it `casebook`, so the first run of a newer
//! Casebook moves that folder over and the author keeps settings, recent cases and unsaved
//! work.

use std::path::{Path, PathBuf};

use casebook_core::about::APP_ID;

/// The name the data folder had before it was named from the application id.
pub const LEGACY_NAME: &str = "casebook";

/// What happened to the folder of an older Casebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Migration {
    /// There was nothing to move (no old folder, or the new one exists already).
    Nothing,
    /// The old folder was renamed to the new one.
    Moved {
        /// The old folder (gone now).
        from: PathBuf,
    },
    /// The old folder could not be renamed (another disk?) and was copied; it is left as
    /// it was.
    Copied {
        /// The old folder (still there).
        from: PathBuf,
    },
}

/// Where the data folder is, and how it got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The folder to use.
    pub dir: PathBuf,
    /// What was done with an older Casebook's folder.
    pub migration: Migration,
    /// Why the old folder could not be moved or copied (then `dir` is the old folder, so
    /// nothing is lost).
    pub error: Option<String>,
}

/// The data folder, given `storage_dir`, which names an app's folder in the user's data
/// folder (`eframe::storage_dir` in the app; tests pass a temporary base). When the folder
/// named from [`APP_ID`] does not exist and the one named [`LEGACY_NAME`] does, the old one
/// is moved (or copied) to the new name first. `None` when the platform has no data folder.
pub fn resolve(storage_dir: impl Fn(&str) -> Option<PathBuf>) -> Option<Resolved> {
    let new = storage_dir(APP_ID)?;
    let Some(old) = storage_dir(LEGACY_NAME) else {
        return Some(Resolved {
            dir: new,
            migration: Migration::Nothing,
            error: None,
        });
    };
    Some(match migrate(&old, &new) {
        Ok(migration) => Resolved {
            dir: new,
            migration,
            error: None,
        },
        Err(e) => Resolved {
            error: Some(format!(
                "Casebook could not move its data folder {} to {}: {e}. It keeps using the old folder.",
                old.display(),
                new.display()
            )),
            dir: old,
            migration: Migration::Nothing,
        },
    })
}

/// Moves the folder `old` to `new` when `new` does not exist and `old` is a folder. A rename
/// when both are on one disk; otherwise a copy into a temporary sibling of `new`, renamed
/// into place once complete (a half copy never looks like a data folder), the old folder
/// left as it was.
pub fn migrate(old: &Path, new: &Path) -> std::io::Result<Migration> {
    if old == new || new.exists() || !old.is_dir() {
        return Ok(Migration::Nothing);
    }
    if let Some(parent) = new.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::rename(old, new).is_ok() {
        return Ok(Migration::Moved {
            from: old.to_path_buf(),
        });
    }
    let mut partial = new.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    copy_tree(old, &partial)?;
    std::fs::rename(&partial, new)?;
    Ok(Migration::Copied {
        from: old.to_path_buf(),
    })
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// eframe's rule on Linux: `$XDG_DATA_HOME/<app id in lower case>`, here under `base`.
    fn under(base: &Path) -> impl Fn(&str) -> Option<PathBuf> + '_ {
        move |name| Some(base.join(name.to_lowercase()))
    }

    fn write(path: &Path, text: &str) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)
    }

    #[test]
    fn an_old_folder_is_moved_with_everything_in_it() -> std::io::Result<()> {
        let base = tempfile::tempdir()?;
        let old = base.path().join("casebook");
        write(&old.join("app.ron"), "(settings)")?;
        write(&old.join("recovery/0123.json"), "{}")?;
        write(&old.join("sample/cases/gbr-kings-cross/index.md"), "edited")?;
        let r = resolve(under(base.path())).ok_or(std::io::Error::other("no folder"))?;
        let new = base.path().join("org.atlasofurbantech.casebook");
        assert_eq!(r.dir, new);
        assert_eq!(r.migration, Migration::Moved { from: old.clone() });
        assert_eq!(r.error, None);
        assert!(!old.exists());
        assert_eq!(std::fs::read_to_string(new.join("app.ron"))?, "(settings)");
        assert_eq!(
            std::fs::read_to_string(new.join("recovery/0123.json"))?,
            "{}"
        );
        assert_eq!(
            std::fs::read_to_string(new.join("sample/cases/gbr-kings-cross/index.md"))?,
            "edited"
        );
        // The next start finds the new folder and does nothing.
        let again = resolve(under(base.path())).ok_or(std::io::Error::other("no folder"))?;
        assert_eq!((again.dir, again.migration), (new, Migration::Nothing));
        Ok(())
    }

    #[test]
    fn an_existing_new_folder_is_never_overwritten() -> std::io::Result<()> {
        let base = tempfile::tempdir()?;
        let old = base.path().join("casebook");
        let new = base.path().join("org.atlasofurbantech.casebook");
        write(&old.join("app.ron"), "old")?;
        write(&new.join("app.ron"), "new")?;
        let r = resolve(under(base.path())).ok_or(std::io::Error::other("no folder"))?;
        assert_eq!((r.dir, r.migration), (new.clone(), Migration::Nothing));
        assert_eq!(std::fs::read_to_string(new.join("app.ron"))?, "new");
        assert_eq!(std::fs::read_to_string(old.join("app.ron"))?, "old");
        Ok(())
    }

    #[test]
    fn a_first_run_makes_nothing() -> std::io::Result<()> {
        let base = tempfile::tempdir()?;
        let r = resolve(under(base.path())).ok_or(std::io::Error::other("no folder"))?;
        assert_eq!(r.migration, Migration::Nothing);
        assert!(!r.dir.exists() && !base.path().join("casebook").exists());
        Ok(())
    }

    #[test]
    fn the_copy_path_keeps_the_old_folder() -> std::io::Result<()> {
        // `migrate` copies when rename fails; the copy itself is exercised directly.
        let base = tempfile::tempdir()?;
        let old = base.path().join("casebook");
        write(&old.join("locks/a.lock"), "1")?;
        write(&old.join("app.ron"), "x")?;
        let to = base.path().join("copy");
        copy_tree(&old, &to)?;
        assert_eq!(std::fs::read_to_string(to.join("locks/a.lock"))?, "1");
        assert_eq!(std::fs::read_to_string(old.join("app.ron"))?, "x");
        Ok(())
    }

    #[test]
    fn a_folder_that_cannot_move_is_kept_in_use() -> std::io::Result<()> {
        let base = tempfile::tempdir()?;
        let old = base.path().join("casebook");
        write(&old.join("app.ron"), "x")?;
        // The new folder's parent is a file: neither rename nor copy can work.
        write(&base.path().join("blocked"), "")?;
        let r = resolve(|name| {
            Some(if name == LEGACY_NAME {
                old.clone()
            } else {
                base.path().join("blocked").join(name)
            })
        })
        .ok_or(std::io::Error::other("no folder"))?;
        assert_eq!(r.dir, old);
        assert!(
            r.error
                .is_some_and(|e| e.contains("keeps using the old folder"))
        );
        assert_eq!(std::fs::read_to_string(old.join("app.ron"))?, "x");
        Ok(())
    }
}
