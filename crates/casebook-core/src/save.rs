//! Safe saving and path confinement.
//!
//! A save writes a temporary file in the same folder, flushes it to disk, then renames it over
//! the original, so the file on disk is always the old or the new version. A symlinked file is
//! written through to its target (the link stays). Paths named inside a case (`geography`,
//! `featured_image`, body images) are confined to the case folder.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Marker in the names of Casebook's temporary files.
pub const TEMP_MARKER: &str = ".casebook-tmp-";

/// Why a file was not saved. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The disk (or quota) is full.
    #[error("not saved: the disk is full ({0}); free some space or use Save As")]
    DiskFull(PathBuf),
    /// The file or its folder cannot be written.
    #[error("not saved: {0} is read-only; use Save As to write a copy elsewhere")]
    ReadOnly(PathBuf),
    /// The file changed on disk since it was opened or last saved.
    #[error("not saved: {0} was changed by another program since you opened it")]
    ChangedOnDisk(PathBuf),
    /// The file held bytes that are not UTF-8: writing over it would drop them.
    #[error(
        "not saved: {0} contains bytes that are not UTF-8 (first on line {1}); Casebook shows them as �, and saving over the file would lose the original bytes. Use Save As to write a copy, or fix the file's encoding first"
    )]
    NotUtf8(PathBuf, usize),
    /// Anything else the system reported.
    #[error("not saved: {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl SaveError {
    /// Classifies an I/O error for `path`.
    pub fn from_io(path: &Path, e: std::io::Error) -> SaveError {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::StorageFull | K::QuotaExceeded => SaveError::DiskFull(path.to_path_buf()),
            K::PermissionDenied | K::ReadOnlyFilesystem => SaveError::ReadOnly(path.to_path_buf()),
            _ if e.raw_os_error() == Some(28) => SaveError::DiskFull(path.to_path_buf()),
            _ => SaveError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        }
    }
}

/// Writes `bytes` to `path` atomically (temp file, fsync, rename), keeping permissions and
/// writing through a symlink to its target.
pub fn safe_write(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let target = resolve_link(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}{TEMP_MARKER}{}-{n}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(&target) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        drop(f);
        fs::rename(&temp, &target)?;
        // Make the rename itself durable.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(SaveError::from_io(path, e))
        }
    }
}

/// The file a path finally names (following symlinks), or the path itself.
pub fn resolve_link(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Removes Casebook temporary files left in `dir` by an interrupted save. Returns how many.
pub fn clean_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(TEMP_MARKER) && fs::remove_file(e.path()).is_ok()
        {
            n += 1;
        }
    }
    n
}

/// What a file held when it was read or written: size and a content hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// 64-bit FNV-1a hash of the bytes.
    pub hash: u64,
}

impl Stamp {
    /// The stamp of some bytes.
    pub fn of(bytes: &[u8]) -> Stamp {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Stamp {
            len: bytes.len() as u64,
            hash: h,
        }
    }

    /// The stamp of a file now (None when it cannot be read).
    pub fn of_file(path: &Path) -> Option<Stamp> {
        fs::read(path).ok().map(|b| Stamp::of(&b))
    }
}

/// Why a path named in a case is not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Empty.
    #[error("the path is empty")]
    Empty,
    /// NUL or other control characters.
    #[error("`{0}` contains control characters")]
    ControlChars(String),
    /// Absolute paths, drive letters, UNC shares.
    #[error("`{0}` is an absolute path; use a path inside the case folder such as ./file.geojson")]
    Absolute(String),
    /// URLs (`file:`, `http:` ...).
    #[error("`{0}` is a URL; Casebook only uses files inside the case folder")]
    Url(String),
    /// `..` leading out of the folder.
    #[error("`{0}` leads out of the case folder")]
    OutsideFolder(String),
    /// A symlink inside the folder that points out of it.
    #[error("`{0}` is a link that points out of the case folder")]
    LinkOutside(String),
}

/// The file that `rel` (as written in a case) names inside `case_dir`, or why it may not be
/// used. Never reads the file; follows symlinks only to check where they lead.
pub fn confine(case_dir: &Path, rel: &str) -> Result<PathBuf, PathError> {
    let raw = rel.trim();
    if raw.is_empty() {
        return Err(PathError::Empty);
    }
    if raw.chars().any(char::is_control) {
        return Err(PathError::ControlChars(raw.escape_debug().to_string()));
    }
    let lower = raw.to_ascii_lowercase();
    if let Some(colon) = lower.find(':') {
        let scheme = &lower[..colon];
        if scheme.len() == 1 && scheme.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(PathError::Absolute(raw.to_string()));
        }
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        {
            return Err(PathError::Url(raw.to_string()));
        }
    }
    if raw.starts_with('/') || raw.starts_with('\\') || raw.starts_with('~') {
        return Err(PathError::Absolute(raw.to_string()));
    }
    let unified = raw.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathError::OutsideFolder(raw.to_string()));
                }
                // Even when it returns inside, `..` hides where a path goes: refuse it.
                return Err(PathError::OutsideFolder(raw.to_string()));
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(PathError::Empty);
    }
    let mut path = case_dir.to_path_buf();
    for p in &parts {
        path.push(p);
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(PathError::OutsideFolder(raw.to_string()));
    }
    // A symlink (the file or a folder on the way) must not lead out of the case folder.
    if fs::symlink_metadata(&path).is_ok() {
        let (Ok(real), Ok(root)) = (fs::canonicalize(&path), fs::canonicalize(case_dir)) else {
            return Err(PathError::LinkOutside(raw.to_string()));
        };
        if !real.starts_with(&root) {
            return Err(PathError::LinkOutside(raw.to_string()));
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_are_refused() {
        let dir = Path::new("/tmp/case");
        for (p, ok) in [
            ("./map.geojson", true),
            ("map.geojson", true),
            ("img/a.jpg", true),
            ("../outside.geojson", false),
            ("/etc/passwd", false),
            ("C:\\x", false),
            ("\\\\srv\\x", false),
            ("file:///x", false),
            ("https://example.org/a.jpg", false),
            ("sub/../../x", false),
            ("a\0b", false),
            ("a\u{7}b", false),
            ("", false),
        ] {
            assert_eq!(confine(dir, p).is_ok(), ok, "{p}");
        }
    }

    #[test]
    fn symlink_out_is_refused() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let case = t.path().join("case");
        fs::create_dir(&case)?;
        fs::write(t.path().join("secret.txt"), "x")?;
        std::os::unix::fs::symlink(t.path().join("secret.txt"), case.join("link.geojson"))?;
        assert!(matches!(
            confine(&case, "./link.geojson"),
            Err(PathError::LinkOutside(_))
        ));
        Ok(())
    }

    #[test]
    fn safe_write_keeps_permissions_and_links() -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir()?;
        let real = t.path().join("real.md");
        fs::write(&real, "old")?;
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640))?;
        let link = t.path().join("index.md");
        std::os::unix::fs::symlink(&real, &link)?;
        assert!(safe_write(&link, b"new").is_ok());
        assert_eq!(fs::read_to_string(&real)?, "new");
        assert!(fs::symlink_metadata(&link)?.file_type().is_symlink());
        assert_eq!(fs::metadata(&real)?.permissions().mode() & 0o777, 0o640);
        assert_eq!(clean_stale_temps(t.path()), 0);
        Ok(())
    }
}
