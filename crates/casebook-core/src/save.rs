//! Safe saving, the case lock, bounded reads, and path confinement.
//!
//! - **One writer at a time.** Every writer (`set`, `fix`, `new`, the app's save) holds the
//!   case's advisory lock ([`CaseLock`]) for its whole read → modify → write. The lock is
//!   taken on the case *folder* itself (`flock` on the directory, through `std::fs::File::lock`):
//!   it leaves no lock file in the folder or anywhere else, survives the renames a save does
//!   (a lock on `index.md` would stay on the replaced file), and is released by the kernel when
//!   the process dies. Programs that are not Casebook can take part with
//!   `flock <case-folder> <command>`. Read-only commands never take it.
//! - **Compare before the rename.** A save writes a temporary file in the same folder, flushes
//!   it to disk, then, just before renaming it over the original, compares the file on disk
//!   with what was read. If another program changed it, nothing is written
//!   ([`SaveError::ChangedOnDisk`]). A program that wrote to the old file between that
//!   comparison and the rename is noticed afterwards: lines it appended are appended to the
//!   new file, any other change of theirs is put back and the save is refused. (Only a write
//!   that starts after that last look, on a file opened before the rename, can still be lost:
//!   a window of microseconds that only the lock closes.)
//! - **Atomic.** The file on disk is always the old or the new version. A symlinked file is
//!   written through to its target (the link stays) when the target is inside the case folder;
//!   a link that leads out of the folder is never written ([`SaveError::LinkOutside`]).
//! - **Temp files** (`.<name>.casebook-tmp-<pid>-<n>`) are cleaned only by a writer holding
//!   the lock, only when their process is gone and they are older than a minute.
//! - **Bounded reads.** [`read_regular`] reads only regular files (a FIFO, device or socket is
//!   refused without blocking) and at most a given size.
//! - Paths named inside a case (`geography`, `featured_image`, body images) are confined to
//!   the case folder ([`confine`]).

use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Marker in the names of Casebook's temporary files.
pub const TEMP_MARKER: &str = ".casebook-tmp-";

/// Temp files younger than this are never removed (a save may still be writing them).
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// How long a writer waits for another writer's lock before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Why a file was not saved. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The disk (or quota) is full.
    #[error("not saved: the disk is full ({0}); free some space or use Save As")]
    DiskFull(PathBuf),
    /// The file or its folder cannot be written.
    #[error("not saved: {0} is read-only; use Save As to write a copy elsewhere")]
    ReadOnly(PathBuf),
    /// The file changed on disk since it was read (or last saved).
    #[error("not saved: {0} was changed by another program since it was read")]
    ChangedOnDisk(PathBuf),
    /// The file held bytes that are not UTF-8: writing over it would drop them.
    #[error(
        "not saved: {0} contains bytes that are not UTF-8 (first on line {1}); Casebook shows them as �, and saving over the file would lose the original bytes. Use Save As to write a copy, or fix the file's encoding first"
    )]
    NotUtf8(PathBuf, usize),
    /// Another writer kept the case's lock longer than [`LOCK_WAIT`].
    #[error(
        "not saved: another program is saving the case in {0} (it holds the case's lock); try again in a moment"
    )]
    Locked(PathBuf),
    /// Only a case's `index.md` is written.
    #[error(
        "{0} is not a case's index.md; Casebook writes only index.md (give the case folder or its index.md)"
    )]
    NotIndex(PathBuf),
    /// The file is a link to a file outside the case folder.
    #[error(
        "not saved: {path} is a link to {target}, outside the case folder; Casebook never writes outside the case folder (replace the link with a copy of the file to edit it here)"
    )]
    LinkOutside {
        /// The link.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// The file on disk is a FIFO, device, socket or folder.
    #[error("not saved: {path} is not a regular file ({kind})")]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
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

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A FIFO, device, socket or folder: never read (it could block or never end).
    #[error("{path}: not a regular file ({kind}); Casebook reads only regular files")]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is (`a FIFO`, `a character device` ...).
        kind: &'static str,
    },
    /// Larger than the limit for this kind of file.
    #[error("{path}: {} is more than the {} a {what} may have", format_size(*len), format_size(*limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (at least this).
        len: u64,
        /// The limit.
        limit: u64,
        /// What kind of file (`case document`, `GeoJSON file`).
        what: &'static str,
    },
    /// The system's error (not found, permission denied ...).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl ReadError {
    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }

    /// The message without the path (for callers that name the file themselves).
    pub fn reason(&self) -> String {
        match self {
            ReadError::NotRegular { kind, .. } => {
                format!("not a regular file ({kind}); Casebook reads only regular files")
            }
            ReadError::TooLarge {
                len, limit, what, ..
            } => format!(
                "{} is more than the {} a {what} may have",
                format_size(*len),
                format_size(*limit)
            ),
            ReadError::Io { source, .. } => source.to_string(),
        }
    }
}

fn format_size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{} MB", n / (1024 * 1024))
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// What a file that is not regular is, in words.
fn kind_of(ft: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a link"
    } else {
        "not a file"
    }
}

/// Opens `path` for reading without ever blocking (O_NONBLOCK: opening a FIFO does not wait
/// for a writer) and checks, on the open file, that it is a regular file.
pub fn open_regular(path: &Path) -> Result<(fs::File, fs::Metadata), ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        // No FIFOs to fear; look before opening all the same.
        let meta = fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(ReadError::NotRegular {
                path: path.to_path_buf(),
                kind: kind_of(meta.file_type()),
            });
        }
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(meta.file_type()),
        });
    }
    Ok((file, meta))
}

/// Reads a regular file of at most `limit` bytes (see [`open_regular`]); `what` names the kind
/// of file in the too-large message.
pub fn read_regular(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    read_open(path, file, meta.len(), limit, what)
}

fn read_open(
    path: &Path,
    file: fs::File,
    len_hint: u64,
    limit: u64,
    what: &'static str,
) -> Result<Vec<u8>, ReadError> {
    let too_large = |len| ReadError::TooLarge {
        path: path.to_path_buf(),
        len,
        limit,
        what,
    };
    if len_hint > limit {
        return Err(too_large(len_hint));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len_hint).unwrap_or(0));
    // One byte more than the limit tells a file that grew past it while being read.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The first `n` bytes of a regular file (image headers), never blocking.
pub fn read_header(path: &Path, n: usize) -> Result<Vec<u8>, ReadError> {
    let (file, _) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(n);
    file.take(n as u64)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(bytes)
}

/// The advisory lock of one case folder, held by a writer for its whole read → modify →
/// write (see the module docs). Released when dropped.
#[derive(Debug)]
pub struct CaseLock {
    /// The open folder, locked; `None` where the file system does not support locks.
    file: Option<fs::File>,
    dir: PathBuf,
}

impl CaseLock {
    /// Takes the lock of `case_dir`, waiting up to [`LOCK_WAIT`] for another writer.
    pub fn acquire(case_dir: &Path) -> Result<CaseLock, SaveError> {
        CaseLock::acquire_within(case_dir, LOCK_WAIT)
    }

    /// Takes the lock, waiting at most `wait`.
    pub fn acquire_within(case_dir: &Path, wait: Duration) -> Result<CaseLock, SaveError> {
        let dir = if case_dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            case_dir
        };
        let file = open_lock_target(dir).map_err(|e| SaveError::from_io(dir, e))?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(CaseLock {
                        file: Some(file),
                        dir: dir.to_path_buf(),
                    });
                }
                Err(fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        return Err(SaveError::Locked(dir.to_path_buf()));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(e)) if lock_unsupported(&e) => {
                    // A file system without locks (some network mounts): the comparison
                    // before the rename still refuses lost updates.
                    return Ok(CaseLock {
                        file: None,
                        dir: dir.to_path_buf(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(SaveError::from_io(dir, e)),
            }
        }
    }

    /// The case folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the lock is really held (false where the file system has no locks).
    pub fn is_held(&self) -> bool {
        self.file.is_some()
    }
}

/// The file the lock is taken on: the folder itself on Unix.
#[cfg(unix)]
fn open_lock_target(dir: &Path) -> std::io::Result<fs::File> {
    fs::File::open(dir)
}

/// Elsewhere a folder cannot be opened as a file: lock its `index.md` (best effort).
#[cfg(not(unix))]
fn open_lock_target(dir: &Path) -> std::io::Result<fs::File> {
    fs::File::open(dir.join("index.md"))
}

fn lock_unsupported(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(libc::ENOLCK | libc::EOPNOTSUPP)) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

/// What a checked write must find on disk just before the rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Anything (overwrite on request).
    Any,
    /// No file yet.
    Absent,
    /// The file as it was read.
    Holds(Stamp),
}

/// What [`write_checked`] did besides writing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteNotes {
    /// Bytes another program appended to the old file during the rename, appended again to
    /// the new file.
    pub kept_appended: u64,
    /// The file had this many hard links; the save replaced it, so the other names keep
    /// the old text.
    pub broke_hard_links: Option<u64>,
}

/// Writes `bytes` to `path` atomically (temp file, fsync, rename), keeping permissions and
/// writing through a symlink to its target. No comparison: see [`write_checked`].
pub fn safe_write(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_checked(path, bytes, Expect::Any, None).map(|_| ())
}

/// The folder of `target` and a fresh name in it for a temp file that will take its place
/// (hidden, marked with [`TEMP_MARKER`], unique to this process and call).
pub(crate) fn temp_beside(target: &Path) -> (PathBuf, PathBuf) {
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
    (dir, temp)
}

/// Creates `temp` (which must not exist), writes `bytes` and flushes them to disk. The
/// caller removes `temp` if anything fails.
pub(crate) fn write_temp(temp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Writes `bytes` to `path` atomically, comparing the file on disk with `expect` just before
/// the rename. `inside`: the case folder that a symlinked `path` must not lead out of.
pub fn write_checked(
    path: &Path,
    bytes: &[u8],
    expect: Expect,
    inside: Option<&Path>,
) -> Result<WriteNotes, SaveError> {
    let target = resolve_link(path);
    if let Some(root) = inside
        && target != path
        && !is_inside(&target, root)
    {
        return Err(SaveError::LinkOutside {
            path: path.to_path_buf(),
            target,
        });
    }
    let mut notes = WriteNotes::default();
    match fs::symlink_metadata(&target) {
        Ok(m) if !m.is_file() => {
            return Err(SaveError::NotRegular {
                path: path.to_path_buf(),
                kind: kind_of(m.file_type()),
            });
        }
        Ok(m) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                if m.nlink() > 1 {
                    notes.broke_hard_links = Some(m.nlink());
                }
            }
            let _ = m;
        }
        Err(_) => {}
    }
    let (dir, temp) = temp_beside(&target);
    let written = write_temp(&temp, bytes).and_then(|_| match fs::metadata(&target) {
        Ok(meta) => fs::set_permissions(&temp, meta.permissions()),
        Err(_) => Ok(()),
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(SaveError::from_io(path, e));
    }
    // The last look before the rename.
    let seen = match look(&target, expect) {
        Ok(seen) => seen,
        Err(e) => {
            let _ = fs::remove_file(&temp);
            return Err(match e {
                Looked::Changed => SaveError::ChangedOnDisk(path.to_path_buf()),
                Looked::Io(e) => SaveError::from_io(path, e),
            });
        }
    };
    if let Err(e) = fs::rename(&temp, &target) {
        let _ = fs::remove_file(&temp);
        return Err(SaveError::from_io(path, e));
    }
    // Make the rename itself durable.
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    if let Some(seen) = seen {
        notes.kept_appended = after_rename(path, &target, seen)?;
    }
    Ok(notes)
}

/// The old file as compared before the rename: kept open to notice writes that land on it
/// during the rename.
struct Seen {
    file: fs::File,
    bytes: Vec<u8>,
    meta: FileTimes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileTimes {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    ctime: (i64, i64),
}

impl FileTimes {
    fn of(m: &fs::Metadata) -> FileTimes {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        FileTimes {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            ctime: (m.ctime(), m.ctime_nsec()),
        }
    }
}

enum Looked {
    Changed,
    Io(std::io::Error),
}

/// Reads the file at `target` and compares it with `expect`.
fn look(target: &Path, expect: Expect) -> Result<Option<Seen>, Looked> {
    if expect == Expect::Any {
        return Ok(None);
    }
    let opened = open_regular(target);
    let (file, before) = match (opened, expect) {
        (Err(e), Expect::Absent) if e.is_not_found() => return Ok(None),
        (Err(e), _) if e.is_not_found() => return Err(Looked::Changed),
        (Err(ReadError::Io { source, .. }), _) => return Err(Looked::Io(source)),
        (Err(_), _) => return Err(Looked::Changed),
        (Ok(_), Expect::Absent) => return Err(Looked::Changed),
        (Ok(x), _) => x,
    };
    if let Expect::Holds(stamp) = expect
        && before.len() != stamp.len
    {
        return Err(Looked::Changed);
    }
    let mut file = file;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(Looked::Io)?;
    let after = file.metadata().map_err(Looked::Io)?;
    let (before, after) = (FileTimes::of(&before), FileTimes::of(&after));
    if before != after || Expect::Holds(Stamp::of(&bytes)) != expect {
        return Err(Looked::Changed);
    }
    Ok(Some(Seen {
        file,
        bytes,
        meta: after,
    }))
}

/// After the rename: if another program wrote to the old file since [`look`], keep what it
/// appended (append it to the new file) or put its version back and refuse.
fn after_rename(path: &Path, target: &Path, mut seen: Seen) -> Result<u64, SaveError> {
    let Ok(now) = seen.file.metadata() else {
        return Ok(0);
    };
    if FileTimes::of(&now) == seen.meta {
        return Ok(0);
    }
    let mut theirs = Vec::new();
    if seen.file.rewind().is_err() || seen.file.read_to_end(&mut theirs).is_err() {
        return Ok(0);
    }
    if theirs == seen.bytes {
        return Ok(0);
    }
    if let Some(tail) = theirs.strip_prefix(seen.bytes.as_slice()) {
        let appended = (|| -> std::io::Result<()> {
            let mut f = fs::OpenOptions::new().append(true).open(target)?;
            f.write_all(tail)?;
            f.sync_all()
        })();
        appended.map_err(|e| SaveError::from_io(path, e))?;
        return Ok(tail.len() as u64);
    }
    // Their change wins: put it back, and say this save did not happen.
    write_checked(target, &theirs, Expect::Any, None)?;
    Err(SaveError::ChangedOnDisk(path.to_path_buf()))
}

/// Whether `path` (resolved) lies inside the folder `root` (resolved).
pub fn is_inside(path: &Path, root: &Path) -> bool {
    let real = fs::canonicalize(path)
        .or_else(|_| {
            // Not there yet: its folder must be inside.
            let parent = path.parent().unwrap_or(Path::new("."));
            fs::canonicalize(parent).map(|p| p.join(path.file_name().unwrap_or_default()))
        })
        .unwrap_or_else(|_| path.to_path_buf());
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    real.starts_with(root)
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

/// The process id and counter in a Casebook temp file name (`.<name>.casebook-tmp-<pid>-<n>`),
/// or `None` for any other name.
pub fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let at = rest.rfind(TEMP_MARKER)?;
    if at == 0 {
        return None;
    }
    let (pid, n) = rest[at + TEMP_MARKER.len()..].split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process with this id is running.
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        if pid <= 0 {
            return true;
        }
        // SAFETY: kill with signal 0 sends nothing; it only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        // Cannot tell cheaply: assume it is, so its files are kept.
        let _ = pid;
        true
    }
}

/// Removes Casebook temp files left in `dir` by interrupted saves: only files named exactly
/// like Casebook's temp files, whose process is gone, older than [`STALE_TEMP_AGE`]. Call it
/// only while holding the folder's [`CaseLock`]. Returns how many were removed.
pub fn clean_stale_temps(dir: &Path, _lock: &CaseLock) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        let Ok(meta) = fs::symlink_metadata(e.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        if meta.is_file() && old && !process_alive(pid) && fs::remove_file(e.path()).is_ok() {
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

    /// The stamp of a file now (None when it cannot be read, is not a regular file, or is
    /// larger than [`crate::case::MAX_GEOMETRY_BYTES`]).
    pub fn of_file(path: &Path) -> Option<Stamp> {
        read_regular(path, crate::case::MAX_GEOMETRY_BYTES, "file")
            .ok()
            .map(|b| Stamp::of(&b))
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
    let path = confine_lexically(case_dir, rel)?;
    // A symlink (the file or a folder on the way) must not lead out of the case folder.
    if fs::symlink_metadata(&path).is_ok() {
        let (Ok(real), Ok(root)) = (fs::canonicalize(&path), fs::canonicalize(case_dir)) else {
            return Err(PathError::LinkOutside(rel.trim().to_string()));
        };
        if !real.starts_with(&root) {
            return Err(PathError::LinkOutside(rel.trim().to_string()));
        }
    }
    Ok(path)
}

/// [`confine`] by the text of the path alone: a relative path without `..`, not a URL, inside
/// `case_dir` as written. Symlinks are not followed: a file read through this path may lead
/// out of the folder (read it with a warning; [`write_checked`] never writes there).
pub fn confine_lexically(case_dir: &Path, rel: &str) -> Result<PathBuf, PathError> {
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
        let Ok(lock) = CaseLock::acquire(t.path()) else {
            panic!("lock")
        };
        assert_eq!(clean_stale_temps(t.path(), &lock), 0);
        Ok(())
    }
}
