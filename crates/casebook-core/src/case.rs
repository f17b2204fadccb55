//! [`Case`]: one case folder — its `index.md` document and its boundary geometry.
//!
//! The case applies every [`Edit`] (text edits to the document, geometry edits to the
//! boundary) and returns the inverse; it saves safely and only what changed, and notices when
//! the files changed on disk behind the editor's back (by content, not modification time).
//!
//! Reading is bounded and never blocks: only regular files are read, `index.md` up to
//! [`MAX_INDEX_BYTES`], the geometry up to [`MAX_GEOMETRY_BYTES`]. Opening a case never
//! creates, deletes or changes a file. Writers hold the case's [`CaseLock`] (see
//! [`Case::open_for_update`] and [`Case::save`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::document::Document;
use crate::edit::{Edit, EditError};
use crate::fields::{self, Field};
use crate::geometry::{GeoDocument, GeoError};
use crate::save::{self, CaseLock, Expect, PathError, ReadError, SaveError, Stamp};

/// Files larger than this are not opened as `index.md` (it is a text document; the largest
/// real one is under 100 KB).
pub const MAX_INDEX_BYTES: u64 = 8 * 1024 * 1024;

/// GeoJSON files larger than this are not read.
pub const MAX_GEOMETRY_BYTES: u64 = 256 * 1024 * 1024;

/// Why a case could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No `index.md` where one was expected.
    #[error("{0}: no index.md here (a case folder holds an index.md)")]
    NoIndex(PathBuf),
    /// Reading failed: not there, not a regular file, too large, no permission ...
    #[error("{0}")]
    Read(ReadError),
    /// A writer was given a file that is not a case's `index.md`.
    #[error(
        "{0} is not a case's index.md; Casebook writes only index.md (give the case folder or its index.md)"
    )]
    NotIndex(PathBuf),
    /// The case's lock could not be taken.
    #[error("{0}")]
    Lock(SaveError),
}

/// The state of a case's boundary geometry.
#[derive(Debug, Clone)]
pub enum GeoState {
    /// No `geography:` key.
    None,
    /// `geography:` names a path Casebook will not read (outside the folder, a URL ...).
    Refused {
        /// As written.
        rel: String,
        /// Why.
        error: PathError,
    },
    /// The file named is not there.
    Missing {
        /// As written.
        rel: String,
        /// Where it was looked for.
        path: PathBuf,
    },
    /// Not read yet (the app reads large files in the background).
    Pending {
        /// As written.
        rel: String,
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read as GeoJSON.
    Failed {
        /// As written.
        rel: String,
        /// The file.
        path: PathBuf,
        /// What is wrong (with line and column).
        error: String,
        /// The file itself could not be read (not a regular file, too large, no
        /// permission ...), as opposed to read but not valid GeoJSON: the geometry could not
        /// be checked at all.
        unreadable: bool,
    },
    /// Read and editable.
    Loaded {
        /// As written in `geography:`.
        rel: String,
        /// The file.
        path: PathBuf,
        /// The geometry.
        doc: Box<GeoDocument>,
        /// What the file held when read or last saved (None: not on disk yet).
        stamp: Option<Stamp>,
    },
}

impl GeoState {
    /// The loaded geometry, if any.
    pub fn doc(&self) -> Option<&GeoDocument> {
        match self {
            GeoState::Loaded { doc, .. } => Some(doc),
            _ => None,
        }
    }

    /// The file path, when the geography names one Casebook may use.
    pub fn path(&self) -> Option<&Path> {
        match self {
            GeoState::Missing { path, .. }
            | GeoState::Pending { path, .. }
            | GeoState::Failed { path, .. }
            | GeoState::Loaded { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Reads the geometry file at `path` (a regular file of at most [`MAX_GEOMETRY_BYTES`]; call
/// from a background thread for big files).
pub fn read_geometry(rel: &str, path: &Path) -> GeoState {
    let rel = rel.to_string();
    match save::read_regular(path, MAX_GEOMETRY_BYTES, "GeoJSON file") {
        Err(e) if e.is_not_found() => GeoState::Missing {
            rel,
            path: path.to_path_buf(),
        },
        Err(e) => GeoState::Failed {
            rel,
            path: path.to_path_buf(),
            error: e.reason(),
            unreadable: true,
        },
        Ok(bytes) => {
            let stamp = Some(Stamp::of(&bytes));
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    return GeoState::Failed {
                        rel,
                        path: path.to_path_buf(),
                        error: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
                        unreadable: false,
                    };
                }
            };
            match GeoDocument::parse(&text) {
                Ok(doc) => GeoState::Loaded {
                    rel,
                    path: path.to_path_buf(),
                    doc: Box::new(doc),
                    stamp,
                },
                Err(e) => GeoState::Failed {
                    rel,
                    path: path.to_path_buf(),
                    error: crate::geometry::locate_error(&text, e).to_string(),
                    unreadable: false,
                },
            }
        }
    }
}

/// Something about a case's files worth a warning: the file can be read, but saving would
/// not do what the author may expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileWarning {
    /// The file is a link to a file outside the case folder: read, never written.
    LinkOutside {
        /// The link.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// The file has several hard links: a save writes a new file, so the other names keep
    /// the old text.
    HardLinks {
        /// The file.
        path: PathBuf,
        /// How many names it has.
        links: u64,
    },
}

impl std::fmt::Display for FileWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileWarning::LinkOutside { path, target } => write!(
                f,
                "{} is a link to {}, outside the case folder: Casebook reads it but never saves it",
                path.display(),
                target.display()
            ),
            FileWarning::HardLinks { path, links } => write!(
                f,
                "{} has {links} hard links; saving writes a new file, so the other {} keep{} the old text",
                path.display(),
                if *links == 2 { "name" } else { "names" },
                if *links == 2 { "s" } else { "" }
            ),
        }
    }
}

/// The warnings about the file at `path` in the case folder `dir`.
pub fn file_warnings(path: &Path, dir: &Path) -> Vec<FileWarning> {
    let mut out = Vec::new();
    if let Ok(m) = fs::symlink_metadata(path)
        && m.file_type().is_symlink()
    {
        let target = save::resolve_link(path);
        if !save::is_inside(&target, dir) {
            out.push(FileWarning::LinkOutside {
                path: path.to_path_buf(),
                target,
            });
        }
    }
    #[cfg(unix)]
    if let Ok(m) = fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        if m.is_file() && m.nlink() > 1 {
            out.push(FileWarning::HardLinks {
                path: path.to_path_buf(),
                links: m.nlink(),
            });
        }
    }
    out
}

/// What a save wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// `index.md` was written.
    pub wrote_index: bool,
    /// The geometry file written, if any.
    pub wrote_geometry: Option<PathBuf>,
    /// Files written that had other hard links (which now keep the old text).
    pub broke_hard_links: Vec<PathBuf>,
    /// Bytes another program appended while the save renamed the file, kept.
    pub kept_appended: u64,
    /// Temp files of interrupted saves (of gone processes, over a minute old) removed.
    pub cleaned_temps: usize,
}

/// What changed on disk since the case was read or saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiskChanges {
    /// `index.md` differs from what was read.
    pub index: bool,
    /// The geometry file differs from what was read.
    pub geometry: bool,
}

impl DiskChanges {
    /// Whether anything changed.
    pub fn any(self) -> bool {
        self.index || self.geometry
    }
}

/// The files of a case and what they held when read or saved: checked for changes by content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskWatch {
    index: Option<(PathBuf, Stamp)>,
    geometry: Option<(PathBuf, Stamp)>,
}

impl DiskWatch {
    /// Reads the files and compares size and content hash.
    pub fn check(&self) -> DiskChanges {
        let changed = |f: &Option<(PathBuf, Stamp)>| match f {
            Some((path, stamp)) => Stamp::of_file(path) != Some(*stamp),
            None => false,
        };
        DiskChanges {
            index: changed(&self.index),
            geometry: changed(&self.geometry),
        }
    }
}

/// A case folder opened for editing.
#[derive(Debug, Clone)]
pub struct Case {
    dir: PathBuf,
    index_path: PathBuf,
    doc: Document,
    index_stamp: Option<Stamp>,
    geo: GeoState,
    /// The case's lock, held from opening to the end (see [`Case::open_for_update`]).
    lock: Option<Arc<CaseLock>>,
}

/// The `index.md` a writer may write for `path` (a case folder or its `index.md`).
pub fn index_path_for_update(path: &Path) -> Result<PathBuf, OpenError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let p = path.join("index.md");
            if fs::symlink_metadata(&p).is_err() {
                return Err(OpenError::NoIndex(path.to_path_buf()));
            }
            Ok(p)
        }
        // A symlinked folder.
        Ok(m) if m.file_type().is_symlink() && path.is_dir() => {
            let p = path.join("index.md");
            if fs::symlink_metadata(&p).is_err() {
                return Err(OpenError::NoIndex(path.to_path_buf()));
            }
            Ok(p)
        }
        _ if path.file_name() == Some(std::ffi::OsStr::new("index.md")) => Ok(path.to_path_buf()),
        _ => Err(OpenError::NotIndex(path.to_path_buf())),
    }
}

/// The folder of a file path (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Case {
    /// Opens a case: a folder holding `index.md`, or a Markdown file. Reads the geometry too.
    pub fn open(path: &Path) -> Result<Case, OpenError> {
        let mut case = Case::open_deferred(path)?;
        case.load_geometry_now();
        Ok(case)
    }

    /// Opens a case for a command that reads, changes and saves it in one go (`set`, `fix`):
    /// `path` must be a case folder or its `index.md`, and the case's [`CaseLock`] is taken
    /// before reading and held until the case is dropped, so no other writer comes between
    /// the read and the save.
    pub fn open_for_update(path: &Path) -> Result<Case, OpenError> {
        let index_path = index_path_for_update(path)?;
        let dir = parent_dir(&index_path);
        let lock = CaseLock::acquire(&dir).map_err(OpenError::Lock)?;
        let mut case = Case::open(&index_path)?;
        case.lock = Some(Arc::new(lock));
        Ok(case)
    }

    /// Opens a case without reading its geometry (see [`Case::geometry_to_load`]). Reads
    /// only; creates, deletes and changes nothing.
    pub fn open_deferred(path: &Path) -> Result<Case, OpenError> {
        let index_path = if path.is_dir() {
            let p = path.join("index.md");
            if fs::symlink_metadata(&p).is_err() {
                return Err(OpenError::NoIndex(path.to_path_buf()));
            }
            p
        } else {
            path.to_path_buf()
        };
        let bytes = save::read_regular(&index_path, MAX_INDEX_BYTES, "case document")
            .map_err(OpenError::Read)?;
        let dir = parent_dir(&index_path);
        let mut case = Case {
            dir,
            index_path,
            index_stamp: Some(Stamp::of(&bytes)),
            doc: Document::from_bytes(&bytes),
            geo: GeoState::None,
            lock: None,
        };
        case.geo = case.resolve_geometry();
        Ok(case)
    }

    /// Warnings about the case's files (a link out of the folder, hard links): they can be
    /// read, but a save would not write them as the author may expect.
    pub fn file_warnings(&self) -> Vec<FileWarning> {
        let mut out = file_warnings(&self.index_path, &self.dir);
        if let GeoState::Loaded { path, .. } = &self.geo {
            out.extend(file_warnings(path, &self.dir));
        }
        out
    }

    /// Files that could not be read at all (so the case could not be fully checked), with
    /// why.
    pub fn unreadable_files(&self) -> Vec<(PathBuf, String)> {
        match &self.geo {
            GeoState::Failed {
                path,
                error,
                unreadable: true,
                ..
            } => vec![(path.clone(), error.clone())],
            _ => Vec::new(),
        }
    }

    /// A case that exists only in memory (tests, previews).
    pub fn from_text(dir: &Path, text: &str) -> Case {
        let mut case = Case {
            dir: dir.to_path_buf(),
            index_path: dir.join("index.md"),
            index_stamp: None,
            doc: Document::from_text(text),
            geo: GeoState::None,
            lock: None,
        };
        case.geo = case.resolve_geometry();
        case.load_geometry_now();
        case
    }

    /// Where `geography:` points, as a state to load.
    fn resolve_geometry(&self) -> GeoState {
        let Some(rel) = self.doc.text_of(Field::Geography) else {
            return GeoState::None;
        };
        let rel = rel.trim().to_string();
        if rel.is_empty() {
            return GeoState::None;
        }
        match save::confine(&self.dir, &rel) {
            Ok(path) => GeoState::Pending { rel, path },
            // A link out of the folder is read, with a warning ([`Case::file_warnings`]), and
            // never written (the save refuses to write through it).
            Err(save::PathError::LinkOutside(_)) => {
                match save::confine_lexically(&self.dir, &rel) {
                    Ok(path) => GeoState::Pending { rel, path },
                    Err(error) => GeoState::Refused { rel, error },
                }
            }
            Err(error) => GeoState::Refused { rel, error },
        }
    }

    /// The geometry file still to read, if any (for a background loader).
    pub fn geometry_to_load(&self) -> Option<(String, PathBuf)> {
        match &self.geo {
            GeoState::Pending { rel, path } => Some((rel.clone(), path.clone())),
            _ => None,
        }
    }

    /// Reads a pending geometry file now.
    pub fn load_geometry_now(&mut self) {
        if let Some((rel, path)) = self.geometry_to_load() {
            self.geo = read_geometry(&rel, &path);
        }
    }

    /// Installs a geometry read in the background, if it is still the one wanted.
    pub fn set_loaded_geometry(&mut self, state: GeoState) {
        if let (GeoState::Pending { path: want, .. }, Some(got)) = (&self.geo, state.path())
            && want == got
        {
            self.geo = state;
        }
    }

    /// The case folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The `index.md` path.
    pub fn index_path(&self) -> &Path {
        &self.index_path
    }

    /// The case folder's name (`usa-new-york`).
    pub fn folder_name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The document.
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The geometry state.
    pub fn geo(&self) -> &GeoState {
        &self.geo
    }

    /// The loaded geometry, if any.
    pub fn geometry(&self) -> Option<&GeoDocument> {
        self.geo.doc()
    }

    /// Uses a template's key order for new keys.
    pub fn set_key_order(&mut self, order: Vec<String>) {
        self.doc.set_key_order(order);
    }

    /// Writes lists the file shows no style for the way `template` (a template's document)
    /// writes them (see [`Document::set_list_styles_from`]).
    pub fn set_list_styles_from(&mut self, template: &Document) {
        self.doc.set_list_styles_from(template);
    }

    /// Applies an edit. Returns the inverse, or `None` when the edit changed nothing.
    pub fn apply(&mut self, edit: &Edit) -> Result<Option<Edit>, EditError> {
        match edit {
            Edit::Batch(edits) => {
                let mut inverses: Vec<Edit> = Vec::new();
                for e in edits {
                    match self.apply(e) {
                        Ok(Some(inv)) => inverses.push(inv),
                        Ok(None) => {}
                        Err(err) => {
                            for inv in inverses.iter().rev() {
                                let _ = self.apply(inv);
                            }
                            return Err(err);
                        }
                    }
                }
                if inverses.is_empty() {
                    return Ok(None);
                }
                inverses.reverse();
                Ok(Some(Edit::Batch(inverses)))
            }
            Edit::Geometry(g) => {
                if matches!(self.geo, GeoState::None | GeoState::Missing { .. }) {
                    self.start_new_geometry();
                }
                let GeoState::Loaded { doc, .. } = &mut self.geo else {
                    return Err(EditError::NoGeometry);
                };
                let inverse = doc
                    .apply(g.clone())
                    .map_err(|e: GeoError| EditError::Geometry(e.to_string()))?;
                Ok(Some(Edit::Geometry(inverse)))
            }
            other => {
                let Some(change) = self.doc.change_for(other)? else {
                    return Ok(None);
                };
                let before = self.doc.text_of(Field::Geography);
                let inverse = self.doc.apply_change(&change)?;
                if self.doc.text_of(Field::Geography) != before {
                    self.geography_renamed();
                }
                Ok(Some(Edit::Text(inverse)))
            }
        }
    }

    /// After `geography:` changed: follow it, unless the geometry has unsaved changes (then
    /// the edited geometry is kept and will be written to the new name).
    fn geography_renamed(&mut self) {
        let edited = self.geo.doc().is_some_and(GeoDocument::is_modified);
        let next = self.resolve_geometry();
        if edited {
            if let (GeoState::Loaded { rel, path, .. }, GeoState::Pending { rel: r, path: p }) =
                (&mut self.geo, &next)
            {
                *rel = r.clone();
                *path = p.clone();
            }
            return;
        }
        self.geo = next;
        self.load_geometry_now();
    }

    /// An empty geometry for a case that has none yet, written to the file `geography:`
    /// names, or `<folder-name>.geojson`.
    fn start_new_geometry(&mut self) {
        let (rel, path) = match &self.geo {
            GeoState::Missing { rel, path } => (rel.clone(), path.clone()),
            _ => {
                let rel = self.default_geometry_rel();
                (rel.clone(), self.dir.join(rel.trim_start_matches("./")))
            }
        };
        self.geo = GeoState::Loaded {
            rel,
            path,
            doc: Box::new(GeoDocument::new_empty()),
            stamp: None,
        };
    }

    /// `./<folder-name>.geojson`, the name a new boundary file gets.
    pub fn default_geometry_rel(&self) -> String {
        let name = self.folder_name();
        let name = if name.is_empty() {
            "boundary".to_string()
        } else {
            name
        };
        format!("./{name}.geojson")
    }

    /// The edit to apply for a geometry change: when the case has no `geography:` yet, it
    /// also sets `geography: ./<folder-name>.geojson` (one undo step for both).
    pub fn geometry_edit(&self, g: crate::geometry::GeometryEdit) -> Edit {
        match &self.geo {
            GeoState::None => Edit::Batch(vec![
                Edit::set(Field::Geography.key(), self.default_geometry_rel()),
                Edit::Geometry(g),
            ]),
            _ => Edit::Geometry(g),
        }
    }

    /// The bytes `index.md` would be saved with.
    pub fn index_bytes(&self) -> Vec<u8> {
        self.doc.to_bytes()
    }

    /// Whether the document text differs from what is on disk (as last read or saved).
    pub fn index_changed(&self) -> bool {
        Some(Stamp::of(&self.doc.to_bytes())) != self.index_stamp
    }

    /// Whether the geometry has changes not yet written.
    pub fn geometry_changed(&self) -> bool {
        match &self.geo {
            GeoState::Loaded { doc, stamp, .. } => {
                doc.is_modified() && Some(Stamp::of(doc.to_file_text().as_bytes())) != *stamp
            }
            _ => false,
        }
    }

    /// What changed on disk since reading or saving (by size and content hash).
    pub fn disk_changes(&self) -> DiskChanges {
        self.disk_watch().check()
    }

    /// What is needed to check the files on disk later, on another thread (reading and
    /// hashing a big boundary file should not pause the editor).
    pub fn disk_watch(&self) -> DiskWatch {
        let geometry = match &self.geo {
            GeoState::Loaded {
                path,
                stamp: Some(s),
                ..
            } => Some((path.clone(), *s)),
            _ => None,
        };
        DiskWatch {
            index: self.index_stamp.map(|s| (self.index_path.clone(), s)),
            geometry,
        }
    }

    /// Saves what changed: `index.md` when its text changed, the geometry file when the
    /// geometry changed. Refuses (unless `overwrite`) when a file changed on disk since it was
    /// read or last saved, compared just before each rename.
    ///
    /// Holds the case's [`CaseLock`] throughout (the one taken by
    /// [`Case::open_for_update`], or its own). Writes only a file named `index.md`, and
    /// never through a link that leads out of the case folder. While holding the lock it
    /// removes temp files of interrupted saves (of gone processes, over a minute old).
    pub fn save(&mut self, overwrite: bool) -> Result<SaveReport, SaveError> {
        if self.index_path.file_name() != Some(std::ffi::OsStr::new("index.md")) {
            return Err(SaveError::NotIndex(self.index_path.clone()));
        }
        let own_lock;
        let lock: &CaseLock = match &self.lock {
            Some(l) => l,
            None => {
                own_lock = CaseLock::acquire(&self.dir)?;
                &own_lock
            }
        };
        let mut report = SaveReport {
            cleaned_temps: save::clean_stale_temps(&self.dir, lock),
            ..SaveReport::default()
        };
        let write_index = self.index_changed() || self.index_stamp.is_none();
        let names_geometry = self.geography_names_geometry();
        let write_geometry = names_geometry && self.geometry_changed();
        // Nothing is written unless every file to write still holds what was read.
        if !overwrite {
            let watch = self.disk_watch();
            if write_index
                && let Some((path, stamp)) = &watch.index
                && Stamp::of_file(path) != Some(*stamp)
            {
                return Err(SaveError::ChangedOnDisk(self.index_path.clone()));
            }
            if write_geometry
                && let Some((path, stamp)) = &watch.geometry
                && Stamp::of_file(path) != Some(*stamp)
            {
                return Err(SaveError::ChangedOnDisk(path.clone()));
            }
        }
        if let Some(p) = self.doc.decode_problem()
            && write_index
            && self.index_stamp.is_some()
            && Stamp::of_file(&self.index_path) == self.index_stamp
        {
            // The file on disk still holds the original, undecodable bytes: keep them.
            return Err(SaveError::NotUtf8(self.index_path.clone(), p.line));
        }
        // Geometry first: if it fails, index.md still names the old, intact file.
        if names_geometry
            && let GeoState::Loaded {
                path, doc, stamp, ..
            } = &mut self.geo
            && doc.is_modified()
        {
            // Written out once: compared with the file, written, taken as the saved state.
            let text = doc.to_file_text();
            let new_stamp = Stamp::of(text.as_bytes());
            if Some(new_stamp) != *stamp {
                let expect = match (overwrite, *stamp) {
                    (true, _) => Expect::Any,
                    (false, Some(s)) => Expect::Holds(s),
                    (false, None) => Expect::Absent,
                };
                let notes = save::write_checked(path, text.as_bytes(), expect, Some(&self.dir))?;
                if notes.broke_hard_links.is_some() {
                    report.broke_hard_links.push(path.clone());
                }
                report.kept_appended += notes.kept_appended;
                *stamp = Some(new_stamp);
                report.wrote_geometry = Some(path.clone());
            }
            doc.mark_saved_as(text);
        }
        if write_index {
            let bytes = self.doc.to_bytes();
            let expect = match (overwrite, self.index_stamp) {
                (false, Some(s)) => Expect::Holds(s),
                _ => Expect::Any,
            };
            let notes = save::write_checked(&self.index_path, &bytes, expect, Some(&self.dir))?;
            if notes.broke_hard_links.is_some() {
                report.broke_hard_links.push(self.index_path.clone());
            }
            report.kept_appended += notes.kept_appended;
            self.index_stamp = Some(Stamp::of(&bytes));
            report.wrote_index = true;
        }
        Ok(report)
    }

    /// Lets go of the lock taken by [`Case::open_for_update`] (other writers may then save).
    pub fn release_lock(&mut self) {
        self.lock = None;
    }

    /// Whether `geography:` still names the loaded geometry's file (after an undo it may not).
    fn geography_names_geometry(&self) -> bool {
        let Some(rel) = self.doc.text_of(Field::Geography) else {
            return false;
        };
        // A link out of the folder still names the file (it was read): the write then
        // refuses it, so the author hears of it instead of the edit being dropped.
        let named = match save::confine(&self.dir, rel.trim()) {
            Err(save::PathError::LinkOutside(_)) => save::confine_lexically(&self.dir, rel.trim()),
            other => other,
        };
        match (&self.geo, named) {
            (GeoState::Loaded { path, .. }, Ok(p)) => *path == p,
            _ => false,
        }
    }

    /// Writes the case into another folder (Save As / duplicate): the folder's other files
    /// are copied, then `index.md` and the geometry are written there. The case then lives
    /// in the new folder.
    pub fn save_as(&mut self, new_dir: &Path) -> Result<SaveReport, SaveError> {
        let io = |e| SaveError::from_io(new_dir, e);
        if new_dir.exists() && fs::read_dir(new_dir).map_err(io)?.next().is_some() {
            return Err(SaveError::Io {
                path: new_dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the folder is not empty; choose a new or empty folder",
                ),
            });
        }
        fs::create_dir_all(new_dir).map_err(io)?;
        copy_dir_files(&self.dir, new_dir).map_err(io)?;
        let index_name = self
            .index_path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "index.md".into());
        self.index_path = new_dir.join(index_name);
        let old_dir = std::mem::replace(&mut self.dir, new_dir.to_path_buf());
        if let GeoState::Loaded { path, stamp, .. } = &mut self.geo
            && let Ok(rest) = path.strip_prefix(&old_dir)
        {
            *path = new_dir.join(rest);
            *stamp = Stamp::of_file(path);
        }
        self.index_stamp = Stamp::of_file(&self.index_path);
        let mut report = SaveReport::default();
        if let GeoState::Loaded {
            path, doc, stamp, ..
        } = &mut self.geo
            && (doc.is_modified() || stamp.is_none())
        {
            let text = doc.to_file_text();
            save::safe_write(path, text.as_bytes())?;
            *stamp = Some(Stamp::of(text.as_bytes()));
            report.wrote_geometry = Some(path.clone());
        }
        let bytes = self.doc.to_bytes();
        save::safe_write(&self.index_path, &bytes)?;
        self.index_stamp = Some(Stamp::of(&bytes));
        report.wrote_index = true;
        Ok(report)
    }

    /// Accepts the files on disk as the new base (the author chose to keep their version):
    /// the next save overwrites them without asking again.
    pub fn adopt_disk_state(&mut self) {
        self.index_stamp = Stamp::of_file(&self.index_path).or(self.index_stamp);
        if let GeoState::Loaded { path, stamp, .. } = &mut self.geo
            && stamp.is_some()
        {
            *stamp = Stamp::of_file(path).or(*stamp);
        }
    }

    /// Re-reads the case from disk, dropping in-memory changes.
    pub fn reload(&mut self) -> Result<(), OpenError> {
        let fresh = Case::open(&self.index_path)?;
        *self = fresh;
        Ok(())
    }

    /// The field's key in this document (`featured_desc` in older cases).
    pub fn key_for(&self, field: Field) -> &'static str {
        fields::key_in(field, self.doc.front_matter())
    }
}

/// Copies the regular files (and sub-folders) of `from` into `to`, skipping temp files.
fn copy_dir_files(from: &Path, to: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(from)? {
        let e = e?;
        let name = e.file_name();
        if name.to_str().and_then(save::temp_owner).is_some() {
            continue;
        }
        let ft = e.file_type()?;
        let dest = to.join(&name);
        if ft.is_dir() {
            fs::create_dir_all(&dest)?;
            copy_dir_files(&e.path(), &dest)?;
        } else if ft.is_file() {
            fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}
