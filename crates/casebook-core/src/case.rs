//! [`Case`]: one case folder — its `index.md` document and its boundary geometry.
//!
//! The case applies every [`Edit`] (text edits to the document, geometry edits to the
//! boundary) and returns the inverse; it saves safely and only what changed, and notices when
//! the files changed on disk behind the editor's back (by content, not modification time).

use std::fs;
use std::path::{Path, PathBuf};

use crate::document::Document;
use crate::edit::{Edit, EditError};
use crate::fields::{self, Field};
use crate::geometry::{GeoDocument, GeoError};
use crate::save::{self, PathError, SaveError, Stamp};

/// Files larger than this are not opened as `index.md` (it is a text document).
pub const MAX_INDEX_BYTES: u64 = 64 * 1024 * 1024;

/// Why a case could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No `index.md` where one was expected.
    #[error("{0}: no index.md here (a case folder holds an index.md)")]
    NoIndex(PathBuf),
    /// Reading failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Far too large for a case document.
    #[error("{0}: {1} MB is too large for a case document")]
    TooLarge(PathBuf, u64),
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

/// Reads the geometry file at `path` (no size limit: call from a background thread for big
/// files).
pub fn read_geometry(rel: &str, path: &Path) -> GeoState {
    let rel = rel.to_string();
    match fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => GeoState::Missing {
            rel,
            path: path.to_path_buf(),
        },
        Err(e) => GeoState::Failed {
            rel,
            path: path.to_path_buf(),
            error: e.to_string(),
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
                    error: e.to_string(),
                },
            }
        }
    }
}

/// What a save wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// `index.md` was written.
    pub wrote_index: bool,
    /// The geometry file written, if any.
    pub wrote_geometry: Option<PathBuf>,
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
    /// Temp files of interrupted saves removed when opening.
    pub cleaned_temps: usize,
}

impl Case {
    /// Opens a case: a folder holding `index.md`, or a Markdown file. Reads the geometry too.
    pub fn open(path: &Path) -> Result<Case, OpenError> {
        let mut case = Case::open_deferred(path)?;
        case.load_geometry_now();
        Ok(case)
    }

    /// Opens a case without reading its geometry (see [`Case::geometry_to_load`]).
    pub fn open_deferred(path: &Path) -> Result<Case, OpenError> {
        let index_path = if path.is_dir() {
            let p = path.join("index.md");
            if !p.exists() {
                return Err(OpenError::NoIndex(path.to_path_buf()));
            }
            p
        } else {
            path.to_path_buf()
        };
        let io = |e| OpenError::Io {
            path: index_path.clone(),
            source: e,
        };
        let meta = fs::metadata(&index_path).map_err(io)?;
        if meta.len() > MAX_INDEX_BYTES {
            return Err(OpenError::TooLarge(index_path, meta.len() / (1024 * 1024)));
        }
        let bytes = fs::read(&index_path).map_err(|e| OpenError::Io {
            path: index_path.clone(),
            source: e,
        })?;
        let dir = match index_path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let cleaned_temps = save::clean_stale_temps(&dir);
        let mut case = Case {
            dir,
            index_path,
            index_stamp: Some(Stamp::of(&bytes)),
            doc: Document::from_bytes(&bytes),
            geo: GeoState::None,
            cleaned_temps,
        };
        case.geo = case.resolve_geometry();
        Ok(case)
    }

    /// A case that exists only in memory (tests, previews).
    pub fn from_text(dir: &Path, text: &str) -> Case {
        let mut case = Case {
            dir: dir.to_path_buf(),
            index_path: dir.join("index.md"),
            index_stamp: None,
            doc: Document::from_text(text),
            geo: GeoState::None,
            cleaned_temps: 0,
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
    /// geometry changed. Refuses (unless `overwrite`) when a file changed on disk meanwhile.
    pub fn save(&mut self, overwrite: bool) -> Result<SaveReport, SaveError> {
        let changes = self.disk_changes();
        if !overwrite {
            if changes.index && self.index_changed() {
                return Err(SaveError::ChangedOnDisk(self.index_path.clone()));
            }
            if changes.geometry && self.geometry_changed() {
                let path = self.geo.path().map(Path::to_path_buf).unwrap_or_default();
                return Err(SaveError::ChangedOnDisk(path));
            }
        }
        if let Some(p) = self.doc.decode_problem()
            && self.index_changed()
            && self.index_stamp.is_some()
            && Stamp::of_file(&self.index_path) == self.index_stamp
        {
            // The file on disk still holds the original, undecodable bytes: keep them.
            return Err(SaveError::NotUtf8(self.index_path.clone(), p.line));
        }
        let mut report = SaveReport::default();
        // Geometry first: if it fails, index.md still names the old, intact file.
        let names_geometry = self.geography_names_geometry();
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
                save::safe_write(path, text.as_bytes())?;
                *stamp = Some(new_stamp);
                report.wrote_geometry = Some(path.clone());
            }
            doc.mark_saved_as(text);
        }
        if self.index_changed() || self.index_stamp.is_none() {
            let bytes = self.doc.to_bytes();
            save::safe_write(&self.index_path, &bytes)?;
            self.index_stamp = Some(Stamp::of(&bytes));
            report.wrote_index = true;
        }
        Ok(report)
    }

    /// Whether `geography:` still names the loaded geometry's file (after an undo it may not).
    fn geography_names_geometry(&self) -> bool {
        let Some(rel) = self.doc.text_of(Field::Geography) else {
            return false;
        };
        match (&self.geo, save::confine(&self.dir, rel.trim())) {
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
        if name.to_string_lossy().contains(save::TEMP_MARKER) {
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
