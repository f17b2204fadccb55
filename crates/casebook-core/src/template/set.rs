//! Choosing a template for a document among the bundled and loaded ones.

use super::*;

// ---------------------------------------------------------------------------------------------
// Choosing a template for a document.

/// The templates in use: the bundled ones plus any loaded from folders.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    /// Never empty.
    templates: Vec<Template>,
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::bundled()
    }
}

impl TemplateSet {
    /// The bundled templates.
    pub fn bundled() -> TemplateSet {
        TemplateSet {
            templates: bundled().to_vec(),
        }
    }

    /// A set of these templates (the bundled ones when `templates` is empty).
    pub fn new(templates: Vec<Template>) -> TemplateSet {
        if templates.is_empty() {
            TemplateSet::bundled()
        } else {
            TemplateSet { templates }
        }
    }

    /// The bundled templates plus those of `dir` (a template of the same name replaces the
    /// bundled one).
    pub fn with_dir(dir: &Path) -> Result<TemplateSet, TemplateError> {
        let mut set = TemplateSet::bundled();
        set.add(load_dir(dir)?);
        Ok(set)
    }

    /// The templates of the workspace around `near`, plus those of `dir` when given (its
    /// errors are returned).
    ///
    /// One source per workspace: inside an atlas checkout (a folder holding both `templates/`
    /// and `cases/`, at or above `near`) the atlas's own templates only; elsewhere, or when the
    /// atlas's folder holds no template, the bundled ones. So a case is judged by the same
    /// templates however it is reached (its folder, its `index.md`, the `cases/` folder, the
    /// checkout). The atlas's templates also flag the placeholder text of Casebook's bundled
    /// templates, which a case made earlier with Casebook may still carry. `dir` (asked for
    /// explicitly) is added over either, a template of the same name replacing one.
    pub fn load(dir: Option<&Path>, near: Option<&Path>) -> Result<TemplateSet, TemplateError> {
        let atlas = near.and_then(atlas_templates_above);
        let mut set = match atlas.as_deref().and_then(|d| load_dir(d).ok()) {
            Some(found) if !found.is_empty() => TemplateSet::with_bundled_placeholders(found),
            _ => TemplateSet::bundled(),
        };
        if let Some(dir) = dir
            && atlas.as_deref().is_none_or(|a| !same_path(dir, a))
        {
            set.add(load_dir(dir)?);
        }
        Ok(set)
    }

    /// A set of templates read from a folder, each also flagging the bundled templates'
    /// placeholder text (paragraphs, labels, links).
    fn with_bundled_placeholders(mut templates: Vec<Template>) -> TemplateSet {
        for t in &mut templates {
            for b in bundled() {
                t.placeholders.absorb_text(&b.placeholders);
            }
        }
        TemplateSet::new(templates)
    }

    /// The atlas checkout whose templates these are, if any.
    pub fn atlas(&self) -> Option<&Path> {
        self.templates.iter().find_map(|t| match &t.source {
            TemplateSource::Dir(d) => d.parent().and_then(Path::parent),
            TemplateSource::Bundled => None,
        })
    }

    /// One line saying when to use `t`, for lists where authors choose a template.
    pub fn when_to_use(&self, t: &Template) -> String {
        if t.is_stub() {
            return "a short entry (overview and sources) to fill in later".to_string();
        }
        if std::ptr::eq(t, self.current()) || t.name == self.current().name {
            return "the current full case study: use this for a new case".to_string();
        }
        match year_in(&t.name) {
            Some(y) => format!("the older section order of {y}: only to match cases written to it"),
            None => match &t.source {
                TemplateSource::Dir(d) => format!("a full template from {}", d.display()),
                TemplateSource::Bundled => {
                    "an older section order: only to match cases written to it".to_string()
                }
            },
        }
    }

    /// Adds templates; one with the name of a template already in the set replaces it.
    pub fn add(&mut self, templates: Vec<Template>) {
        for t in templates {
            match self
                .templates
                .iter_mut()
                .find(|x| x.name.eq_ignore_ascii_case(&t.name))
            {
                Some(slot) => *slot = t,
                None => self.templates.push(t),
            }
        }
    }

    /// Every template, bundled first.
    pub fn all(&self) -> &[Template] {
        &self.templates
    }

    /// The template with this name (case ignored).
    pub fn get(&self, name: &str) -> Option<&Template> {
        let name = name.trim();
        self.templates
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The templates `for_document` chooses among: those loaded from folders when any full
    /// (non-stub) template was, else the bundled ones.
    fn preferred(&self) -> Vec<&Template> {
        let from_dir = self
            .templates
            .iter()
            .any(|t| matches!(t.source, TemplateSource::Dir(_)) && !t.is_stub());
        let group: Vec<&Template> = self
            .templates
            .iter()
            .filter(|t| matches!(t.source, TemplateSource::Dir(_)) == from_dir)
            .collect();
        if group.is_empty() {
            self.templates.iter().collect()
        } else {
            group
        }
    }

    /// The current full case-study template: `case-study` if there is one, else the full
    /// template with the latest year in its name (`case-2024`), else the first full one.
    pub fn current(&self) -> &Template {
        let group = self.preferred();
        let full: Vec<&Template> = group.iter().copied().filter(|t| !t.is_stub()).collect();
        if let Some(t) = full
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case("case-study"))
        {
            return t;
        }
        let dated = full
            .iter()
            .filter_map(|t| year_in(&t.name).map(|y| (y, *t)))
            .max_by_key(|(y, _)| *y)
            .map(|(_, t)| t);
        if let Some(t) = dated {
            return t;
        }
        match full.first().or(group.first()) {
            Some(t) => t,
            // `templates` is never empty (see `new`), so this is the bundled fallback.
            None => &self.templates[0],
        }
    }

    /// The stub template, if the set has one.
    pub fn stub(&self) -> Option<&Template> {
        self.preferred()
            .into_iter()
            .find(|t| t.is_stub())
            .or_else(|| self.templates.iter().find(|t| t.is_stub()))
    }

    /// The template a document follows.
    ///
    /// Its `template:` value decides first: `stub` → the stub template; the exact name of a
    /// template in the set (`case-2023`) → that one. Otherwise (`case-study`, missing,
    /// unknown) the full templates compete, each scoring the length of the longest common
    /// subsequence of its section order and the document's, plus one for every document section
    /// that kept the template's guidance comment word for word; the highest wins, ties going to
    /// the current one. So a `case-study` whose Key Characteristics come before its Goals, or
    /// that follows the older order with a Leadership section, gets the 2023 template, while a
    /// case in the current order that merely added a Leadership section keeps the current one.
    pub fn for_document(&self, doc: &Document) -> &Template {
        let value = doc
            .value("template")
            .and_then(fields::as_text)
            .map(|v| v.trim().to_lowercase())
            .unwrap_or_default();
        if is_stub_name(&value)
            && let Some(t) = self.stub()
        {
            return t;
        }
        if !value.is_empty()
            && value != "case-study"
            && let Some(t) = self.get(&value)
        {
            return t;
        }
        let current = self.current();
        let headings: Vec<String> = doc
            .body()
            .sections
            .iter()
            .map(|s| normalize_heading(&s.heading))
            .collect();
        let guidance: Vec<(String, String)> = doc
            .body()
            .sections
            .iter()
            .filter_map(|s| Some((s.heading.clone(), squash(&s.guidance.as_ref()?.text))))
            .collect();
        let score = |t: &Template| {
            let th: Vec<String> = t
                .sections
                .iter()
                .map(|s| normalize_heading(&s.heading))
                .collect();
            let same_guidance = guidance
                .iter()
                .filter(|(h, g)| {
                    t.section(h)
                        .and_then(|s| s.guidance.as_deref())
                        .is_some_and(|tg| squash(tg) == *g)
                })
                .count();
            lcs(&headings, &th) + same_guidance
        };
        let mut best = current;
        let mut best_score = score(current);
        for t in self.preferred() {
            if t.is_stub() || std::ptr::eq(t, current) {
                continue;
            }
            let s = score(t);
            if s > best_score {
                best = t;
                best_score = s;
            }
        }
        best
    }
}

/// `text` with whitespace runs made single spaces.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A four-digit year in a template name (`case-2024` → 2024).
fn year_in(name: &str) -> Option<u32> {
    name.split(|c: char| !c.is_ascii_digit())
        .filter(|p| p.len() == 4)
        .filter_map(|p| p.parse().ok())
        .max()
}

/// Length of the longest common subsequence of two heading lists.
fn lcs(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut prev = 0;
        for (j, y) in b.iter().enumerate() {
            let keep = row[j + 1];
            row[j + 1] = if x == y {
                prev + 1
            } else {
                row[j + 1].max(row[j])
            };
            prev = keep;
        }
    }
    row[b.len()]
}

/// An atlas checkout's `templates/` folder at or above `near` (a folder holding both
/// `templates/` and `cases/`).
fn atlas_templates_above(near: &Path) -> Option<PathBuf> {
    let start = if near.is_file() { near.parent()? } else { near };
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .find(|d| d.join("templates").is_dir() && d.join("cases").is_dir())
        .map(|d| d.join("templates"))
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
