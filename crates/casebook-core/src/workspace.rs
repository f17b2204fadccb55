//! Workspace: finding cases in a folder, summarising them, making new ones.
//!
//! A workspace root can be an atlas checkout (with `cases/`), a `cases/` folder, one case
//! folder, or a single `index.md`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::checks::{self, Counts, Diagnostic};
use crate::fields::{self, Field};
use crate::save::CaseLock;
use crate::template::{self, Template, TemplateSet};

/// Folders never searched for cases.
pub(crate) const NOT_CASES: [&str; 6] = [
    "templates",
    "target",
    "node_modules",
    ".git",
    "_site",
    "public",
];

/// What a search for cases found: the case documents, and the paths that could not be read
/// (a folder without permission, a link that leads nowhere or to itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Every case's `index.md`, sorted.
    pub cases: Vec<PathBuf>,
    /// Paths that could not be read, with the system's reason, sorted.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Every case document under `root`, sorted: an `index.md` given directly, a case folder, or
/// the case folders of a checkout (`cases/*`, also `retired/*` and `_incoming/**`).
pub fn find_cases(root: &Path) -> Vec<PathBuf> {
    find_cases_reporting(root).cases
}

/// [`find_cases`], also naming every path that could not be read (so that a check can say
/// it could not check everything).
pub fn find_cases_reporting(root: &Path) -> Found {
    let mut found = Found::default();
    match fs::metadata(root) {
        Ok(m) if !m.is_dir() => {
            found.cases.push(root.to_path_buf());
            return found;
        }
        Ok(_) => {}
        Err(e) => {
            found.unreadable.push((root.to_path_buf(), e.to_string()));
            return found;
        }
    }
    let own = root.join("index.md");
    match fs::symlink_metadata(&own) {
        Ok(_) => {
            found.cases.push(own);
            return found;
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            found.unreadable.push((root.to_path_buf(), e.to_string()));
            return found;
        }
        Err(_) => {}
    }
    walk(root, 0, &mut found);
    found.cases.sort();
    found.unreadable.sort();
    found
}

fn walk(dir: &Path, depth: usize, found: &mut Found) {
    if depth > 4 {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found.unreadable.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    for e in entries {
        let e = match e {
            Ok(e) => e,
            Err(err) => {
                found.unreadable.push((dir.to_path_buf(), err.to_string()));
                continue;
            }
        };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if NOT_CASES.contains(&name.as_ref()) || name.starts_with('.') {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() => dirs.push(e.path()),
            // A linked folder is followed (the depth limit stops loops through folders); a
            // link that cannot be followed is reported.
            Ok(t) if t.is_symlink() => match fs::metadata(e.path()) {
                Ok(m) if m.is_dir() => dirs.push(e.path()),
                Ok(_) => {}
                Err(err) => found.unreadable.push((e.path(), err.to_string())),
            },
            Ok(_) => {}
            Err(err) => found.unreadable.push((e.path(), err.to_string())),
        }
    }
    dirs.sort();
    for d in dirs {
        let index = d.join("index.md");
        match fs::symlink_metadata(&index) {
            Ok(_) => found.cases.push(index),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => walk(&d, depth + 1, found),
            Err(e) => found.unreadable.push((d, e.to_string())),
        }
    }
}

/// A one-line summary of a case for lists.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CaseSummary {
    /// The `index.md` (serialized as text, bytes that are not UTF-8 escaped as `\xNN`).
    #[serde(serialize_with = "crate::escape::serialize_path")]
    pub path: PathBuf,
    /// The folder name.
    pub folder: String,
    /// `title`, or the folder name.
    pub title: String,
    /// `status`.
    pub status: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `country_code`.
    pub country_code: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// Tags as read.
    pub tags: Vec<String>,
    /// The template the case was checked against (when it was checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Problem counts.
    pub counts: Counts,
    /// Why the case could not be opened, if it could not.
    pub error: Option<String>,
    /// Files of the case that could not be read, so were not checked (with why).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
    /// Warnings about the case's files themselves (a link out of the folder, hard links).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_warnings: Vec<String>,
}

impl CaseSummary {
    /// The summary of a path that could not be read at all.
    pub fn unreadable(path: &Path, error: String) -> CaseSummary {
        let folder = path
            .file_name()
            .map(crate::escape::os_text)
            .unwrap_or_default();
        CaseSummary {
            path: path.to_path_buf(),
            title: folder.clone(),
            folder,
            status: None,
            kind: None,
            country_code: None,
            city: None,
            tags: Vec::new(),
            template: None,
            counts: Counts::default(),
            error: Some(error),
            unreadable: Vec::new(),
            file_warnings: Vec::new(),
        }
    }

    /// Whether something of the case could not be read (so it was not fully checked).
    pub fn incomplete(&self) -> bool {
        self.error.is_some() || !self.unreadable.is_empty()
    }
}

/// Opens and checks one case. Never fails: an unreadable case gets `error` set.
pub fn summarize(index: &Path, templates: &TemplateSet) -> (CaseSummary, Vec<Diagnostic>) {
    summarize_with(index, templates, checks::Options::default())
}

/// [`summarize`] computing only what `options` asks for.
pub fn summarize_with(
    index: &Path,
    templates: &TemplateSet,
    options: checks::Options,
) -> (CaseSummary, Vec<Diagnostic>) {
    match Case::open(index) {
        Ok(case) => {
            let template = templates.for_document(case.doc());
            let diags = checks::run_with(&case, template, options);
            let mut summary = summary_of(&case, &diags);
            summary.template = Some(template.name.clone());
            (summary, diags)
        }
        Err(e) => {
            let mut s = CaseSummary::unreadable(index, e.to_string());
            s.folder = index
                .parent()
                .and_then(|p| p.file_name())
                .map(crate::escape::os_text)
                .unwrap_or_default();
            s.title = s.folder.clone();
            (s, Vec::new())
        }
    }
}

/// [`summarize_with`] for many cases at once, on every core; the results in the order of
/// `indexes`.
pub fn summarize_all(
    indexes: &[PathBuf],
    templates: &TemplateSet,
    options: checks::Options,
) -> Vec<(CaseSummary, Vec<Diagnostic>)> {
    use rayon::prelude::*;
    indexes
        .par_iter()
        .map(|index| summarize_with(index, templates, options))
        .collect()
}

/// The summary of an open case with its diagnostics.
pub fn summary_of(case: &Case, diags: &[Diagnostic]) -> CaseSummary {
    let doc = case.doc();
    let text = |f: Field| {
        doc.text_of(f)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let folder = case
        .dir()
        .file_name()
        .map(crate::escape::os_text)
        .unwrap_or_default();
    CaseSummary {
        path: case.index_path().to_path_buf(),
        title: text(Field::Title).unwrap_or_else(|| folder.clone()),
        folder,
        status: text(Field::Status),
        kind: text(Field::Type),
        country_code: text(Field::CountryCode),
        city: text(Field::City),
        tags: fields::tags_of(doc.value("tags")).0,
        template: None,
        counts: Counts::of(diags),
        error: None,
        unreadable: case
            .unreadable_files()
            .iter()
            .map(|(p, why)| format!("{}: {why}", crate::escape::path_text(p)))
            .collect(),
        file_warnings: case.file_warnings().iter().map(|w| w.to_string()).collect(),
    }
}

/// Why a new case could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewCaseError {
    /// The folder exists already.
    #[error("{0} already exists; Casebook never overwrites a case (choose another title)")]
    Exists(PathBuf),
    /// The country code is not ISO 3166-1 alpha-3.
    #[error("`{0}` is not an ISO 3166-1 alpha-3 country code (for example ESP, HKG, USA)")]
    BadCountry(String),
    /// Nothing to make a folder name from.
    #[error(
        "neither the title `{title}` nor the city `{city}` has letters or digits to name the case folder; give a title or city with some"
    )]
    NoName {
        /// The title given (escaped).
        title: String,
        /// The city given (escaped).
        city: String,
    },
    /// Control characters (escape sequences, line breaks ...) in an input.
    #[error("the {what} `{shown}` contains control characters; remove them")]
    ControlChars {
        /// `title` or `city`.
        what: &'static str,
        /// The input, with the control characters escaped.
        shown: String,
    },
    /// Writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// A case made by [`new_case_named`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// Its `index.md`.
    pub index: PathBuf,
    /// Why the folder is not named after the title, when it is named after the city.
    pub note: Option<String>,
}

/// Makes `cases_dir/<iso3>-<slug>/index.md` from `template` with an empty
/// `<folder-name>.geojson` named in `geography:`. Never overwrites. Returns the `index.md`.
pub fn new_case(
    cases_dir: &Path,
    template: &Template,
    country_code: &str,
    city: &str,
    title: &str,
) -> Result<PathBuf, NewCaseError> {
    new_case_named(cases_dir, template, country_code, city, title).map(|c| c.index)
}

/// The folder-name slug for a new case: from the title (transliterated to ASCII), or from
/// the city when the title gives none, with a note saying so.
pub fn new_case_slug(title: &str, city: &str) -> Result<(String, Option<String>), NewCaseError> {
    for (what, value) in [("title", title), ("city", city)] {
        if value.chars().any(char::is_control) {
            return Err(NewCaseError::ControlChars {
                what,
                shown: crate::escape::controls(value.trim()),
            });
        }
    }
    let slug = slugify(title);
    if !slug.is_empty() {
        return Ok((slug, None));
    }
    let slug = slugify(city);
    if slug.is_empty() {
        return Err(NewCaseError::NoName {
            title: title.trim().to_string(),
            city: city.trim().to_string(),
        });
    }
    let note = (!title.trim().is_empty()).then(|| {
        format!(
            "the title `{}` has no letters or digits for a folder name; the folder is named after the city",
            title.trim()
        )
    });
    Ok((slug, note))
}

/// [`new_case`], also saying when the folder is named after the city instead of the title.
///
/// The folder is made with `create_dir` (fails if another process made it meanwhile), its
/// files are written while holding its [`CaseLock`], each to a temp file first and then
/// linked into place, so no reader ever sees a half-written file and nothing is overwritten.
pub fn new_case_named(
    cases_dir: &Path,
    template: &Template,
    country_code: &str,
    city: &str,
    title: &str,
) -> Result<NewCase, NewCaseError> {
    let code = country_code.trim().to_ascii_uppercase();
    if crate::countries::by_iso3(&code).is_none() {
        return Err(NewCaseError::BadCountry(crate::escape::controls(
            country_code,
        )));
    }
    let (slug, note) = new_case_slug(title, city)?;
    let folder = format!("{}-{slug}", code.to_ascii_lowercase());
    let dir = cases_dir.join(&folder);
    if fs::symlink_metadata(&dir).is_ok() {
        return Err(NewCaseError::Exists(dir));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| NewCaseError::Io { path, source }
    };
    fs::create_dir_all(cases_dir).map_err(io(cases_dir))?;
    // create_dir (not _all) fails if another process made it meanwhile: never overwrite.
    fs::create_dir(&dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            NewCaseError::Exists(dir.clone())
        } else {
            NewCaseError::Io {
                path: dir.clone(),
                source: e,
            }
        }
    })?;
    let _lock = CaseLock::acquire(&dir).map_err(|e| NewCaseError::Io {
        path: dir.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let geo_name = format!("{folder}.geojson");
    let text = template::new_case_text(
        template,
        title.trim(),
        city.trim(),
        &code,
        &format!("./{geo_name}"),
    );
    let index = dir.join("index.md");
    let geo = dir.join(&geo_name);
    write_new(&geo, EMPTY_COLLECTION.as_bytes()).map_err(io(&geo))?;
    write_new(&index, text.as_bytes()).map_err(io(&index))?;
    Ok(NewCase { index, note })
}

/// The text of an empty boundary file.
pub const EMPTY_COLLECTION: &str = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": []\n}\n";

/// Writes a file that must not exist yet: a temp file, flushed, then hard-linked into place
/// (which fails if the name exists), so the file appears whole or not at all.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (_, temp) = crate::save::temp_beside(path);
    let result = crate::save::write_temp(&temp, bytes).and_then(|()| fs::hard_link(&temp, path));
    let _ = fs::remove_file(&temp);
    result
}

/// A folder-name slug: lower case ASCII letters and digits joined by `-`. Any script is
/// transliterated to ASCII first (`İstanbul` → `istanbul`, `São Paulo` → `sao-paulo`).
pub fn slugify(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    // Keep folder names short.
    let mut cut = out.len().min(60);
    while !out.is_char_boundary(cut) {
        cut -= 1;
    }
    out[..cut].trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (name, slug) in [
            ("Nuevo Norte, Madrid!", "nuevo-norte-madrid"),
            ("São Paulo — Centro", "sao-paulo-centro"),
            ("İstanbul", "istanbul"),
            ("Łódź Fabryczna", "lodz-fabryczna"),
            ("  ", ""),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
        assert!(!slugify("東京ミッドタウン").is_empty());
    }

    #[test]
    fn new_slugs_fall_back_to_the_city_and_say_so() {
        let Ok((slug, note)) = new_case_slug("★ ★", "Tokyo") else {
            panic!("no slug")
        };
        assert_eq!(slug, "tokyo");
        assert!(note.is_some_and(|n| n.contains("★ ★")));
        assert!(matches!(
            new_case_slug("★", "☆"),
            Err(NewCaseError::NoName { .. })
        ));
        let Err(e) = new_case_slug("A\u{1b}[2Jb", "Oslo") else {
            panic!("control characters accepted")
        };
        let msg = e.to_string();
        assert!(
            msg.contains("control characters") && msg.contains("\\u{1b}"),
            "{msg}"
        );
        assert!(!msg.contains('\u{1b}'));
    }

    #[test]
    fn unreadable_paths_are_reported() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let cases = t.path().join("cases");
        fs::create_dir_all(cases.join("esp-a"))?;
        fs::write(cases.join("esp-a").join("index.md"), "---\ntitle: A\n---\n")?;
        std::os::unix::fs::symlink(cases.join("loop"), cases.join("loop"))?;
        std::os::unix::fs::symlink(cases.join("esp-a"), cases.join("esp-b"))?;
        let found = find_cases_reporting(&cases);
        assert_eq!(found.cases.len(), 2, "{found:?}");
        assert_eq!(found.unreadable.len(), 1, "{found:?}");
        assert!(found.unreadable[0].0.ends_with("loop"));
        let gone = find_cases_reporting(&t.path().join("nope"));
        assert_eq!(gone.unreadable.len(), 1);
        Ok(())
    }
}
