//! Workspace: finding cases in a folder, summarising them, making new ones.
//!
//! A workspace root can be an atlas checkout (with `cases/`), a `cases/` folder, one case
//! folder, or a single `index.md`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::checks::{self, Counts, Diagnostic};
use crate::fields::{self, Field};
use crate::template::{self, Template, TemplateSet};

/// Folders never searched for cases.
const SKIP: [&str; 6] = [
    "templates",
    "target",
    "node_modules",
    ".git",
    "_site",
    "public",
];

/// Every case document under `root`, sorted: an `index.md` given directly, a case folder, or
/// the case folders of a checkout (`cases/*`, also `retired/*` and `_incoming/**`).
pub fn find_cases(root: &Path) -> Vec<PathBuf> {
    if root.is_file() {
        return vec![root.to_path_buf()];
    }
    let own = root.join("index.md");
    if own.is_file() {
        return vec![own];
    }
    let mut out = Vec::new();
    walk(root, 0, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 4 {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        let name = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if SKIP.contains(&name.as_str()) || (name.starts_with('.') && name != ".") {
            continue;
        }
        let index = d.join("index.md");
        if index.is_file() {
            out.push(index);
        } else {
            walk(&d, depth + 1, out);
        }
    }
}

/// A one-line summary of a case for lists.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CaseSummary {
    /// The `index.md`.
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
}

/// Opens and checks one case. Never fails: an unreadable case gets `error` set.
pub fn summarize(index: &Path, templates: &TemplateSet) -> (CaseSummary, Vec<Diagnostic>) {
    let folder = index
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match Case::open(index) {
        Ok(case) => {
            let template = templates.for_document(case.doc());
            let diags = checks::run(&case, template);
            let mut summary = summary_of(&case, &diags);
            summary.template = Some(template.name.clone());
            (summary, diags)
        }
        Err(e) => (
            CaseSummary {
                path: index.to_path_buf(),
                title: folder.clone(),
                folder,
                status: None,
                kind: None,
                country_code: None,
                city: None,
                tags: Vec::new(),
                template: None,
                counts: Counts::default(),
                error: Some(e.to_string()),
            },
            Vec::new(),
        ),
    }
}

/// The summary of an open case with its diagnostics.
pub fn summary_of(case: &Case, diags: &[Diagnostic]) -> CaseSummary {
    let doc = case.doc();
    let text = |f: Field| {
        doc.text_of(f)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let folder = case.folder_name();
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
    #[error("a title or city is needed to name the case folder")]
    NoName,
    /// Writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
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
    let code = country_code.trim().to_ascii_uppercase();
    if crate::countries::by_iso3(&code).is_none() {
        return Err(NewCaseError::BadCountry(country_code.to_string()));
    }
    let base = if title.trim().is_empty() { city } else { title };
    let slug = slugify(base);
    if slug.is_empty() {
        return Err(NewCaseError::NoName);
    }
    let folder = format!("{}-{slug}", code.to_ascii_lowercase());
    let dir = cases_dir.join(&folder);
    if dir.exists() {
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
    Ok(index)
}

/// The text of an empty boundary file.
pub const EMPTY_COLLECTION: &str = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": []\n}\n";

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// A folder-name slug: lower case ASCII letters and digits joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = fold_accent(c);
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

/// Common Latin letters with accents folded to ASCII.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Nuevo Norte, Madrid!"), "nuevo-norte-madrid");
        assert_eq!(slugify("São Paulo — Centro"), "sao-paulo-centro");
        assert_eq!(slugify("  "), "");
    }
}
