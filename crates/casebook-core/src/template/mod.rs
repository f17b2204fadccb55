//! Templates: the sections a case should have, the targets in their guidance, allowed values.
//!
//! A template is an `index.md` laid out like a case (front matter, an allowed-values comment,
//! `## ` sections each with a guidance comment and placeholder text). Casebook bundles three
//! (`case-study`, `case-study-2023`, `stub`, from the repository's `templates/` folder) and can
//! load an atlas checkout's `templates/` folder too (`case-2024`, `case-2023`, `stub`). The
//! guidance is free text written by people; [`parse_targets`] reads word and item targets out
//! of it as well as such text allows, and says nothing when it finds none.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_yaml::Value;

use crate::document::Document;
use crate::edit::Edit;
use crate::fields;
use crate::sections::{normalize_heading, same_heading, strip_comments};
use crate::text::{lines_in, normalize_newlines};

/// How far "about N words" reaches either side of N, in percent ("around 50 words" → 40–60).
pub const AROUND_TOLERANCE_PERCENT: usize = 20;

/// The atlas's `type` values.
pub const ATLAS_TYPES: &[&str] = &["district", "plan"];
/// The atlas's `status` values.
pub const ATLAS_STATUSES: &[&str] = &["Draft", "Review", "Complete"];
/// The atlas's tag taxonomy.
pub const ATLAS_TAGS: &[&str] = &[
    "Environment",
    "Mobility",
    "Buildings",
    "Energy",
    "InformationSystems",
    "HealthEducation",
    "InnovationSystems",
    "CivicTech",
    "CivicInnovation",
    "Food",
];
/// The atlas's `template` values.
pub const ATLAS_TEMPLATES: &[&str] = &["case-study", "stub"];

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// Compiled into Casebook (the repository's `templates/` folder).
    Bundled,
    /// Read from this folder (or file) at run time, e.g. an atlas checkout's `templates/case-2024`.
    Dir(PathBuf),
}

impl TemplateSource {
    /// A one-word label for lists: `bundled` or `folder`.
    pub fn label(&self) -> &'static str {
        match self {
            TemplateSource::Bundled => "bundled",
            TemplateSource::Dir(_) => "folder",
        }
    }
}

/// A template: its document, sections with guidance and targets, key order, allowed values.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template's name: its folder name (`case-study`, `case-2024`, `stub`).
    pub name: String,
    /// Where it came from.
    pub source: TemplateSource,
    /// The template's `index.md` as a document (new cases are made from its text).
    pub document: Document,
    /// The `## ` sections in template order.
    pub sections: Vec<TemplateSection>,
    /// The front-matter keys in the template's order (used to place new keys).
    pub key_order: Vec<String>,
    /// The values `type`, `status`, `tags` and `template` may take.
    pub allowed: AllowedValues,
    /// The example boundary next to the template: (file name, GeoJSON text).
    pub example_geojson: Option<(String, String)>,
    /// The placeholder text a case should not keep.
    pub placeholders: Placeholders,
}

/// One `## ` section of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSection {
    /// The heading (without `## `).
    pub heading: String,
    /// The guidance comment's text, if any.
    pub guidance: Option<String>,
    /// Targets read from the guidance.
    pub targets: Vec<Target>,
    /// `### ` headings inside the section, with their own guidance.
    pub subsections: Vec<(String, Option<String>)>,
}

impl TemplateSection {
    /// The targets of each `### ` subsection (read from its guidance), in order.
    pub fn subsection_targets(&self) -> Vec<(String, Vec<Target>)> {
        self.subsections
            .iter()
            .map(|(h, g)| {
                (
                    h.clone(),
                    g.as_deref().map(parse_targets).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The section's word target, if its guidance sets one.
    pub fn word_target(&self) -> Option<&Target> {
        self.targets
            .iter()
            .find(|t| matches!(t, Target::Words { .. }))
    }
}

/// A target read from guidance text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A number of words for the section: "about 100 to 150 words" → 100..=150; "around 50
    /// words" → 40..=60 ([`AROUND_TOLERANCE_PERCENT`]); "no more than 75 words" or "50 words or
    /// less" → a maximum; "at least 50 words" → a minimum.
    Words {
        /// Fewest words, if bounded below.
        min: Option<usize>,
        /// Most words, if bounded above.
        max: Option<usize>,
    },
    /// A number of items: "identify 3-5 high-level goals", "1-3 open question(s)", "at least
    /// one financing mechanism" (then `max` is `usize::MAX`).
    Items {
        /// Fewest items.
        min: usize,
        /// Most items (`usize::MAX` when unbounded).
        max: usize,
        /// What is counted, as the guidance names it ("high-level goals").
        what: String,
    },
}

impl Target {
    /// Whether `n` (words or items) meets the target.
    pub fn accepts(&self, n: usize) -> bool {
        match self {
            Target::Words { min, max } => min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
            Target::Items { min, max, .. } => n >= *min && n <= *max,
        }
    }

    /// The target in words, e.g. "100–150 words", "at most 75 words", "3–5 high-level goals".
    pub fn describe(&self) -> String {
        match self {
            Target::Words { min, max } => match (min, max) {
                (Some(a), Some(b)) if a == b => format!("{a} words"),
                (Some(a), Some(b)) => format!("{a}–{b} words"),
                (Some(a), None) => format!("at least {a} words"),
                (None, Some(b)) => format!("at most {b} words"),
                (None, None) => "any number of words".to_string(),
            },
            Target::Items { min, max, what } => match (*min, *max) {
                (a, usize::MAX) => format!("at least {a} {what}"),
                (0, b) => format!("at most {b} {what}"),
                (a, b) if a == b => format!("{a} {what}"),
                (a, b) => format!("{a}–{b} {what}"),
            },
        }
    }
}

/// The values a template allows for `type`, `status`, `tags` and `template`.
///
/// Read from the HTML comment after the front matter (see [`AllowedValues::parse`]); a list the
/// comment does not give falls back to the atlas's own values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedValues {
    /// `type` values (`district`, `plan`).
    pub types: Vec<String>,
    /// `status` values (`Draft`, `Review`, `Complete`).
    pub statuses: Vec<String>,
    /// The tag taxonomy.
    pub tags: Vec<String>,
    /// `template` values (`case-study`, `stub`).
    pub templates: Vec<String>,
}

impl Default for AllowedValues {
    fn default() -> Self {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        AllowedValues {
            types: own(ATLAS_TYPES),
            statuses: own(ATLAS_STATUSES),
            tags: own(ATLAS_TAGS),
            templates: own(ATLAS_TEMPLATES),
        }
    }
}

/// Which list a `key:` line of an allowed-values comment fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AllowedKey {
    Types,
    Statuses,
    Tags,
    Templates,
}

impl AllowedKey {
    fn of(key: &str) -> Option<AllowedKey> {
        match key.trim().to_lowercase().as_str() {
            "type" | "types" => Some(AllowedKey::Types),
            "status" | "statuses" => Some(AllowedKey::Statuses),
            "tag" | "tags" => Some(AllowedKey::Tags),
            "template" | "templates" => Some(AllowedKey::Templates),
            _ => None,
        }
    }
}

/// Lists found so far while reading allowed values (`None` = not given).
#[derive(Debug, Default)]
struct FoundAllowed {
    types: Option<Vec<String>>,
    statuses: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    templates: Option<Vec<String>>,
}

impl FoundAllowed {
    fn list(&mut self, key: AllowedKey) -> &mut Vec<String> {
        let slot = match key {
            AllowedKey::Types => &mut self.types,
            AllowedKey::Statuses => &mut self.statuses,
            AllowedKey::Tags => &mut self.tags,
            AllowedKey::Templates => &mut self.templates,
        };
        slot.get_or_insert_with(Vec::new)
    }

    fn any(&self) -> bool {
        self.types.is_some()
            || self.statuses.is_some()
            || self.tags.is_some()
            || self.templates.is_some()
    }

    /// Reads one comment's text (without `<!--`/`-->`) into the lists.
    fn read(&mut self, comment: &str) {
        let mut current: Option<AllowedKey> = None;
        for line in comment.lines() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(item) = t
                .strip_prefix("- ")
                .or_else(|| t.strip_prefix("* "))
                .or_else(|| (t == "-").then_some(""))
            {
                if let Some(k) = current {
                    push_items(self.list(k), item, false);
                }
                continue;
            }
            if let Some((key, rest)) = t.split_once(':')
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == ' ' || c == '-')
            {
                current = AllowedKey::of(key);
                if let Some(k) = current {
                    // Make the list exist even when its values follow on `- ` lines.
                    let list = self.list(k);
                    push_items(list, rest, true);
                }
                continue;
            }
            // A continuation of a comma list.
            if let Some(k) = current {
                push_items(self.list(k), t, true);
            }
        }
    }

    fn finish(self) -> AllowedValues {
        let d = AllowedValues::default();
        let pick = |found: Option<Vec<String>>, default: Vec<String>| match found {
            Some(v) if !v.is_empty() => v,
            _ => default,
        };
        AllowedValues {
            types: pick(self.types, d.types),
            statuses: pick(self.statuses, d.statuses),
            tags: pick(self.tags, d.tags),
            templates: pick(self.templates, d.templates),
        }
    }
}

/// Adds the values of `text` (one value, or a comma/`|` list when `split`) to `list`.
fn push_items(list: &mut Vec<String>, text: &str, split: bool) {
    let parts: Vec<&str> = if split {
        text.split([',', '|']).collect()
    } else {
        vec![text]
    };
    for p in parts {
        let v = p
            .trim()
            .trim_matches(|c: char| c == '`' || c == '"' || c == '\'')
            .trim();
        if !v.is_empty() && !list.iter().any(|x| x == v) {
            list.push(v.to_string());
        }
    }
}

impl AllowedValues {
    /// Reads an allowed-values comment (its text, with or without `<!--`/`-->`).
    ///
    /// The format: `key: a, b, c` lines (commas or `|` between values), or a `key:` line
    /// followed by one `- value` line per value. Keys read: `type`, `status`, `tags`,
    /// `template` (plurals too); other lines (such as `Allowed values:`) are skipped. Returns
    /// `None` when the text names none of these keys; lists it does not give get the atlas's
    /// defaults.
    pub fn parse(comment: &str) -> Option<AllowedValues> {
        let mut found = FoundAllowed::default();
        found.read(&strip_comment_marks(comment));
        found.any().then(|| found.finish())
    }

    /// Whether `value` is an allowed `type`.
    pub fn allows_type(&self, value: &str) -> bool {
        self.types.iter().any(|t| t == value.trim())
    }

    /// Whether `value` is an allowed `status`.
    pub fn allows_status(&self, value: &str) -> bool {
        self.statuses.iter().any(|t| t == value.trim())
    }

    /// Whether `value` is a tag of the taxonomy.
    pub fn allows_tag(&self, value: &str) -> bool {
        self.tags.iter().any(|t| t == value.trim())
    }

    /// Whether `value` is an allowed `template`.
    pub fn allows_template(&self, value: &str) -> bool {
        self.templates.iter().any(|t| t == value.trim())
    }
}

/// `text` without a surrounding `<!--` … `-->`.
fn strip_comment_marks(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t);
    t.to_string()
}

/// Allowed values of a template document: from the comments between the front matter and the
/// first section, and from `key: value <!-- a | b -->` hints inside front-matter values (the
/// atlas's stub template writes `type: district <!-- district | plan -->`).
fn allowed_of(doc: &Document) -> AllowedValues {
    let mut found = FoundAllowed::default();
    let text = doc.text();
    let pre = &text[doc.body().preamble.clone()];
    for c in comments_in(pre) {
        found.read(c);
    }
    if let Some(fm) = doc.front_matter() {
        for e in &fm.entries {
            let Some(key) = AllowedKey::of(&e.key) else {
                continue;
            };
            for c in comments_in(e.raw_value(text)) {
                if found.list(key).is_empty() {
                    push_items(found.list(key), c, true);
                }
            }
        }
    }
    found.finish()
}

/// The inner texts of the complete `<!-- … -->` comments in `text`.
fn comments_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        let after = &rest[i + 4..];
        let Some(j) = after.find("-->") else { break };
        out.push(&after[..j]);
        rest = &after[j + 3..];
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Templates.

impl Template {
    /// Reads a template from the text of its `index.md`.
    pub fn from_text(name: impl Into<String>, source: TemplateSource, text: &str) -> Template {
        let document = Document::from_text(text);
        let doc_text = document.text();
        let sections = document
            .body()
            .sections
            .iter()
            .map(|s| {
                let guidance = s.guidance.as_ref().map(|g| g.text.clone());
                TemplateSection {
                    heading: s.heading.clone(),
                    targets: guidance.as_deref().map(parse_targets).unwrap_or_default(),
                    guidance,
                    subsections: subsections_in(doc_text, s.content.clone()),
                }
            })
            .collect();
        let key_order = document
            .front_matter()
            .map(|fm| fm.keys().iter().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        let allowed = allowed_of(&document);
        let placeholders = Placeholders::of(&document);
        Template {
            name: name.into(),
            source,
            document,
            sections,
            key_order,
            allowed,
            example_geojson: None,
            placeholders,
        }
    }

    /// The template section with this heading (compared as [`same_heading`] does).
    pub fn section(&self, heading: &str) -> Option<&TemplateSection> {
        self.sections
            .iter()
            .find(|s| same_heading(&s.heading, heading))
    }

    /// The position of a heading among the template's sections.
    pub fn position_of(&self, heading: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| same_heading(&s.heading, heading))
    }

    /// Where the template section `heading`, missing from `doc`, should be inserted: the index
    /// of the first section of `doc` that comes after it in the template (sections the template
    /// does not know are passed over), or `None` for the end of the document.
    pub fn insert_before(&self, doc: &Document, heading: &str) -> Option<usize> {
        let p = self.position_of(heading)?;
        doc.body()
            .sections
            .iter()
            .position(|s| self.position_of(&s.heading).is_some_and(|q| q > p))
    }

    /// The template's sections that `doc` lacks, in template order.
    pub fn missing_sections(&self, doc: &Document) -> Vec<&TemplateSection> {
        self.sections
            .iter()
            .filter(|t| doc.body().find(&t.heading).is_none())
            .collect()
    }

    /// Whether this is a stub template (its name says so).
    pub fn is_stub(&self) -> bool {
        is_stub_name(&self.name)
    }

    /// The `template:` value a case made from this template gets: the template's own
    /// `template:` value, else `stub` or `case-study` by its name.
    pub fn template_value(&self) -> String {
        match self.document.value("template").and_then(fields::as_text) {
            Some(v) if !v.trim().is_empty() => v.trim().to_string(),
            _ if self.is_stub() => "stub".to_string(),
            _ => "case-study".to_string(),
        }
    }
}

/// The edit that adds a template's missing sections to `doc`, each at its template position
/// with the template's guidance (and sub-headings such as References' sources), and sets
/// `template:` to the template's value. One undo step.
pub fn add_missing_sections_edit(doc: &Document, template: &Template) -> Edit {
    let mut work = doc.clone();
    let mut edits = Vec::new();
    for section in template.missing_sections(doc) {
        let edit = Edit::InsertSection {
            before: template.insert_before(&work, &section.heading),
            heading: section.heading.clone(),
            guidance: section.guidance.clone(),
            text: section.skeleton(),
        };
        if let Ok(Some(change)) = work.change_for(&edit)
            && work.apply_change(&change).is_ok()
        {
            edits.push(edit);
        }
    }
    edits.push(Edit::SetField {
        key: "template".to_string(),
        value: serde_yaml::Value::String(template.template_value()),
    });
    Edit::Batch(edits)
}

/// The upgrade of a stub to `template` (a full case study): see [`add_missing_sections_edit`].
pub fn upgrade_edit(doc: &Document, template: &Template) -> Edit {
    add_missing_sections_edit(doc, template)
}

impl TemplateSection {
    /// Initial text for a new section: its `### ` sub-headings with their guidance.
    pub fn skeleton(&self) -> String {
        let mut out = String::new();
        for (heading, guidance) in &self.subsections {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str("### ");
            out.push_str(heading);
            if let Some(g) = guidance {
                out.push_str("\n\n<!-- ");
                out.push_str(g.trim());
                out.push_str(" -->");
            }
        }
        out
    }
}

/// `### ` headings in `text[range]` with the guidance comment after each.
fn subsections_in(text: &str, range: std::ops::Range<usize>) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in lines_in(text, range.start, range.end) {
        let content = line.content(text);
        let t = content.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let Some(rest) = t.strip_prefix("###") else {
            continue;
        };
        if !(rest.starts_with([' ', '\t'])) {
            continue;
        }
        let heading = rest.trim().trim_end_matches('#').trim().to_string();
        let after = &text[line.end.min(range.end)..range.end];
        let lead = after.trim_start();
        let guidance = lead
            .strip_prefix("<!--")
            .and_then(|g| g.find("-->").map(|j| g[..j].trim().to_string()));
        out.push((heading, guidance));
    }
    out
}

fn is_stub_name(name: &str) -> bool {
    name.to_lowercase().contains("stub")
}

/// The bundled templates' texts: (name, index.md, example GeoJSON file name and text).
const BUNDLED_SOURCES: [(&str, &str, &str); 3] = [
    (
        "case-study",
        include_str!("../../../../templates/case-study/index.md"),
        include_str!("../../../../templates/case-study/example.geojson"),
    ),
    (
        "case-study-2023",
        include_str!("../../../../templates/case-study-2023/index.md"),
        include_str!("../../../../templates/case-study-2023/example.geojson"),
    ),
    (
        "stub",
        include_str!("../../../../templates/stub/index.md"),
        include_str!("../../../../templates/stub/example.geojson"),
    ),
];

/// The templates compiled into Casebook: `case-study`, `case-study-2023`, `stub` (read once).
pub fn bundled() -> &'static [Template] {
    static BUNDLED: OnceLock<Vec<Template>> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        BUNDLED_SOURCES
            .iter()
            .map(|(name, text, geojson)| {
                let mut t = Template::from_text(*name, TemplateSource::Bundled, text);
                t.example_geojson = Some(("example.geojson".to_string(), geojson.to_string()));
                t
            })
            .collect()
    })
}

/// Why templates could not be loaded. Every message names the path.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A folder or file could not be read.
    #[error("{}: cannot read: {message}", .path.display())]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
    /// A template file is not UTF-8 text.
    #[error("{}: not UTF-8 text, so it cannot be used as a template", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A folder holds no template.
    #[error(
        "{}: no templates found (expected folders that each hold an index.md, like an atlas checkout's templates/)",
        .path.display()
    )]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// Example GeoJSON files larger than this are not read.
const MAX_EXAMPLE_BYTES: u64 = 5 * 1024 * 1024;

/// Loads the templates of a `templates/` folder (an atlas checkout's, or one of your own):
/// each subfolder with an `index.md`, or else a single `.md` file (the atlas's
/// `stub/stub-template.md`), is a template named after the folder. A folder that itself holds
/// an `index.md` is loaded as one template. Subfolders without Markdown are skipped.
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, TemplateError> {
    let io = |path: &Path, e: std::io::Error| TemplateError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    if dir.join("index.md").is_file() {
        return Ok(vec![load_one(dir, &dir.join("index.md"))?]);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    let mut folders: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut out = Vec::new();
    for folder in folders {
        let Some(file) = template_file(&folder).map_err(|e| io(&folder, e))? else {
            continue;
        };
        out.push(load_one(&folder, &file)?);
    }
    if out.is_empty() {
        return Err(TemplateError::Empty {
            path: dir.to_path_buf(),
        });
    }
    Ok(out)
}

/// The Markdown file of a template folder: `index.md`, else its only `.md` file, else the one
/// whose name mentions "template".
fn template_file(folder: &Path) -> Result<Option<PathBuf>, std::io::Error> {
    let index = folder.join("index.md");
    if index.is_file() {
        return Ok(Some(index));
    }
    let mut mds: Vec<PathBuf> = std::fs::read_dir(folder)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("md")))
        .collect();
    mds.sort();
    if mds.len() <= 1 {
        return Ok(mds.pop());
    }
    Ok(mds.into_iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().to_lowercase().contains("template"))
    }))
}

/// Reads one template file; its name is the folder's.
fn load_one(folder: &Path, file: &Path) -> Result<Template, TemplateError> {
    let bytes = std::fs::read(file).map_err(|e| TemplateError::Io {
        path: file.to_path_buf(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| TemplateError::NotUtf8 {
        path: file.to_path_buf(),
    })?;
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "template".to_string());
    let mut t = Template::from_text(name, TemplateSource::Dir(folder.to_path_buf()), &text);
    t.example_geojson = example_geojson(folder, &t.document);
    Ok(t)
}

/// The example boundary of a template folder: the file its `geography:` names, else the first
/// `.geojson` file in the folder. Unreadable or huge files are skipped.
fn example_geojson(folder: &Path, doc: &Document) -> Option<(String, String)> {
    let named = doc
        .value("geography")
        .and_then(fields::as_text)
        .map(|g| g.trim().trim_start_matches("./").to_string())
        .filter(|g| !g.is_empty() && !g.contains("..") && !Path::new(g).is_absolute())
        .map(|g| folder.join(g));
    let mut candidates: Vec<PathBuf> = named.into_iter().collect();
    if let Ok(entries) = std::fs::read_dir(folder) {
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("geojson"))
            })
            .collect();
        found.sort();
        candidates.extend(found);
    }
    candidates.into_iter().find_map(|p| {
        let meta = std::fs::metadata(&p).ok()?;
        if !meta.is_file() || meta.len() > MAX_EXAMPLE_BYTES {
            return None;
        }
        let text = std::fs::read_to_string(&p).ok()?;
        let name = p.file_name()?.to_string_lossy().into_owned();
        Some((name, text))
    })
}

// ---------------------------------------------------------------------------------------------
// New cases.

/// The text of a new case's `index.md`, made from `template` by editing its front matter in
/// place: `title`, `city`, `country_code` (upper-cased), `geography` (a path relative to the
/// case folder, e.g. `./gbr-kings-cross.geojson`), `status: Draft` and `template:` (see
/// [`Template::template_value`]) are set; `tags` becomes an empty list; every other key of the
/// template is emptied. The allowed-values comment, the guidance comments and the placeholder
/// text stay: the author replaces the placeholders, and the checks flag any left.
pub fn new_case_text(
    template: &Template,
    title: &str,
    city: &str,
    country_code: &str,
    geography_rel: &str,
) -> String {
    let s = |v: &str| Value::String(v.trim().to_string());
    let set: Vec<(&str, Value)> = vec![
        ("title", s(title)),
        ("template", s(&template.template_value())),
        ("status", s("Draft")),
        ("city", s(city)),
        ("country_code", s(&country_code.trim().to_uppercase())),
        ("tags", Value::Sequence(Vec::new())),
        ("geography", s(geography_rel)),
    ];
    let mut doc = template.document.clone();
    if doc.front_matter().is_none() {
        // A template without front matter: give it an empty block to fill.
        let eol = doc.line_ending().as_str();
        doc = Document::from_text(&format!("---{eol}---{eol}{}", doc.text()));
    }
    let order = fields::merged_key_order(&template.key_order);
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    let mut plan = set;
    for key in &template.key_order {
        if !plan.iter().any(|(k, _)| k == key) {
            plan.push((key.as_str(), Value::Null));
        }
    }
    for (key, value) in plan {
        let change = match doc.front_matter() {
            Some(fm) => fm
                .set_change(doc.text(), key, &value, &order)
                .ok()
                .flatten(),
            None => None,
        };
        if let Some(c) = change {
            // A change made from the current text always fits it.
            let _ = doc.apply_change(&c);
        }
    }
    doc.text().to_string()
}

mod placeholders;
mod set;
mod targets;
#[cfg(test)]
mod tests;

pub use placeholders::*;
pub use set::*;
pub use targets::*;
