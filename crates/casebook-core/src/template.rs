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
// Targets.

/// A token of guidance text.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A number (digits, or a number word such as `one`).
    Num(usize),
    /// A lowercased word (hyphenated words stay one word).
    Word(String),
    /// Any other character (dashes normalized to `-`).
    Punct(char),
}

/// Number words the parser understands (only used with a qualifier or in a range).
const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

fn tokenize(text: &str) -> Vec<Tok> {
    let text = text.replace("(s)", "s").replace("(S)", "S");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            match s.parse::<usize>() {
                Ok(n) => out.push(Tok::Num(n)),
                Err(_) => out.push(Tok::Word(s)),
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() {
                let ch = chars[i];
                let inner = matches!(ch, '-' | '\'' | '’')
                    && i > start
                    && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
                if ch.is_alphanumeric() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            let w: String = chars[start..i].iter().collect::<String>().to_lowercase();
            match NUMBER_WORDS.iter().position(|n| *n == w) {
                Some(n) => out.push(Tok::Num(n)),
                None => out.push(Tok::Word(w)),
            }
        } else {
            let p = match c {
                '–' | '—' | '‑' | '−' => '-',
                other => other,
            };
            out.push(Tok::Punct(p));
            i += 1;
        }
    }
    out
}

fn word_at(toks: &[Tok], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

fn num_at(toks: &[Tok], i: usize) -> Option<usize> {
    match toks.get(i) {
        Some(Tok::Num(n)) => Some(*n),
        _ => None,
    }
}

/// A bound word before or after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    None,
    Around,
    AtMost,
    AtLeast,
}

/// The qualifier written just before token `i` ("about", "no more than", "at least", …).
fn qualifier_before(toks: &[Tok], i: usize) -> Qualifier {
    let w = |back: usize| {
        i.checked_sub(back)
            .and_then(|j| word_at(toks, j))
            .unwrap_or("")
    };
    let (w1, w2, w3) = (w(1), w(2), w(3));
    if i >= 1 && toks.get(i - 1) == Some(&Tok::Punct('~')) {
        return Qualifier::Around;
    }
    match (w3, w2, w1) {
        (_, "at", "most") | (_, "up", "to") | (_, "maximum", "of") => Qualifier::AtMost,
        ("no" | "not", "fewer" | "less", "than") => Qualifier::AtLeast,
        ("no" | "not", "more" | "greater", "than") | (_, "fewer" | "less", "than") => {
            Qualifier::AtMost
        }
        (_, _, "maximum" | "max" | "under" | "within") => Qualifier::AtMost,
        (_, "at", "least") | (_, "minimum", "of") => Qualifier::AtLeast,
        (_, _, "minimum" | "min") => Qualifier::AtLeast,
        (_, _, "about" | "around" | "roughly" | "approximately" | "approx" | "circa" | "some") => {
            Qualifier::Around
        }
        _ => Qualifier::None,
    }
}

/// The qualifier written after token `i`, up to the end of the clause ("or less", "… is
/// minimum").
fn qualifier_after(toks: &[Tok], i: usize) -> Qualifier {
    let mut j = i;
    let mut seen = 0;
    while j < toks.len() && seen < 6 {
        match &toks[j] {
            Tok::Punct(_) | Tok::Num(_) => break,
            Tok::Word(w) => {
                let next = word_at(toks, j + 1).unwrap_or("");
                match (w.as_str(), next) {
                    ("or", "less" | "fewer" | "under" | "below") => return Qualifier::AtMost,
                    ("or", "more" | "longer" | "above") => return Qualifier::AtLeast,
                    ("at", "most") | ("maximum" | "max", _) => return Qualifier::AtMost,
                    ("at", "least") | ("minimum" | "min", _) => return Qualifier::AtLeast,
                    _ => {}
                }
            }
        }
        j += 1;
        seen += 1;
    }
    Qualifier::None
}

/// Words that end the name of what is counted ("3-5 high-level goals *that* define …").
const STOP_WORDS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "being", "is", "are", "was", "were", "from", "for",
    "to", "in", "on", "at", "with", "by", "of", "the", "this", "these", "those", "you", "your",
    "per", "used", "should", "can", "could", "must", "will", "would", "may", "each", "and", "e",
    "etc", "such", "as", "into", "about", "describe", "explain",
];

/// The name of what is counted after a number range ending before token `i`.
fn what_after(toks: &[Tok], mut i: usize) -> String {
    // "3-5 of the key characteristics" counts key characteristics.
    if word_at(toks, i) == Some("of") {
        i += 1;
        if word_at(toks, i) == Some("the") {
            i += 1;
        }
    }
    let mut words: Vec<&str> = Vec::new();
    while i < toks.len() && words.len() < 6 {
        match &toks[i] {
            Tok::Punct('(') | Tok::Punct(')') => {}
            Tok::Word(w) if !STOP_WORDS.contains(&w.as_str()) => words.push(w),
            _ => break,
        }
        i += 1;
    }
    while words.last().is_some_and(|w| *w == "or" || *w == "and") {
        words.pop();
    }
    words.join(" ")
}

/// Items counts this large are not counts (they are years, like "2015").
const MAX_ITEM_COUNT: usize = 100;
/// Word counts this large are not word targets.
const MAX_WORD_COUNT: usize = 100_000;

/// Reads the word and item targets out of guidance text.
///
/// Understood, in the atlas's wording and in Casebook's own templates':
///
/// - word targets: "About 100 to 150 word summary", "75-125 words", "between 75 and 125 words"
///   (a range); "around/about/roughly 50 words" (±[`AROUND_TOLERANCE_PERCENT`] %); "no more than
///   75 words", "at most 75 words", "50 words or less/fewer" (a maximum); "at least 50 words",
///   "About 50 words … is minimum" (a minimum);
/// - item counts: "Identify 3-5 high-level goals", "1-3 open question(s)", "3-5 of the key
///   characteristics", "5-7 secondary source documents", "three to five goals", "at least one
///   financing mechanism" (no maximum), "up to 3 images" (no minimum).
///
/// Single numbers without a qualifier ("the three activities", "the 2015 paper", "conduct one
/// interview") are not targets. "About 50 words per outcome" is read as a section minimum of
/// 50; per-item word targets are not modelled.
pub fn parse_targets(guidance: &str) -> Vec<Target> {
    let toks = tokenize(guidance);
    let mut out: Vec<Target> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(a) = num_at(&toks, i) else {
            i += 1;
            continue;
        };
        // A range "a-b", "a to b", "a or b", "between a and b"?
        let between = i >= 1 && word_at(&toks, i - 1) == Some("between");
        let sep_ok = match toks.get(i + 1) {
            Some(Tok::Punct('-')) => true,
            Some(Tok::Word(w)) => w == "to" || w == "or" || (between && w == "and"),
            _ => false,
        };
        let range = match num_at(&toks, i + 2) {
            Some(b) if sep_ok && a <= b => Some(b),
            _ => None,
        };
        let next = if range.is_some() { i + 3 } else { i + 1 };
        let before_at = if between { i - 1 } else { i };
        let before = qualifier_before(&toks, before_at);
        // "150 words", or "150-word summary".
        let is_word = |j: usize| matches!(word_at(&toks, j), Some("word" | "words"));
        let words_at = if is_word(next) {
            Some(next)
        } else if toks.get(next) == Some(&Tok::Punct('-')) && is_word(next + 1) {
            Some(next + 1)
        } else {
            None
        };
        let target = match words_at {
            Some(w) => words_target(a, range, before, qualifier_after(&toks, w + 1)),
            None => items_target(&toks, a, range, before, next),
        };
        if let Some(t) = target {
            if !out.contains(&t) {
                out.push(t);
            }
            i = words_at.map_or(next, |w| w + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn words_target(
    a: usize,
    range: Option<usize>,
    before: Qualifier,
    after: Qualifier,
) -> Option<Target> {
    if a == 0 || range.unwrap_or(a) > MAX_WORD_COUNT {
        return None;
    }
    if let Some(b) = range {
        return Some(Target::Words {
            min: Some(a),
            max: Some(b),
        });
    }
    // An explicit bound wins over "about" ("About 50 words per is minimum").
    let q = match (before, after) {
        (_, Qualifier::AtMost) | (Qualifier::AtMost, _) => Qualifier::AtMost,
        (_, Qualifier::AtLeast) | (Qualifier::AtLeast, _) => Qualifier::AtLeast,
        _ => Qualifier::Around,
    };
    Some(match q {
        Qualifier::AtMost => Target::Words {
            min: None,
            max: Some(a),
        },
        Qualifier::AtLeast => Target::Words {
            min: Some(a),
            max: None,
        },
        _ => {
            let d = (a * AROUND_TOLERANCE_PERCENT + 50) / 100;
            Target::Words {
                min: Some(a - d),
                max: Some(a + d),
            }
        }
    })
}

fn items_target(
    toks: &[Tok],
    a: usize,
    range: Option<usize>,
    before: Qualifier,
    next: usize,
) -> Option<Target> {
    if range.unwrap_or(a) > MAX_ITEM_COUNT {
        return None;
    }
    let what = what_after(toks, next);
    if what.is_empty() {
        return None;
    }
    let (min, max) = match (range, before) {
        (Some(b), _) => (a, b),
        (None, Qualifier::AtLeast) => (a, usize::MAX),
        (None, Qualifier::AtMost) => (0, a),
        _ => return None,
    };
    Some(Target::Items { min, max, what })
}

// ---------------------------------------------------------------------------------------------
// Placeholders.

/// The placeholder text of a template, to find what a case still has of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    /// Fingerprints of the dummy paragraphs and list items: their first (up to 8) words,
    /// lowercased, punctuation dropped, single spaces.
    pub paragraphs: Vec<String>,
    /// Placeholder lead-ins and link texts: numbered ones ("Goal 1", "Stakeholder 1") and ones
    /// that ask for a name ("Name of Interviewee", "Organization Name"). Other lead-ins and
    /// link texts ("Financing Scheme", "Link", "LinkedIn") are kept by authors as they are, so
    /// they are not placeholders.
    pub labels: Vec<String>,
    /// Link targets of the template's placeholder links (`https://example.org`).
    pub links: Vec<String>,
    /// Placeholder front-matter values (key, value), e.g. `author: Your name`. A hint, not
    /// proof: some templates carry real defaults (the atlas stub's `author: Urban Tech Hub`).
    pub values: Vec<(String, String)>,
}

/// Words per paragraph fingerprint.
const FINGERPRINT_WORDS: usize = 8;
/// Paragraphs shorter than this are too generic to fingerprint ("Very easy!").
const MIN_FINGERPRINT_WORDS: usize = 3;
/// Front-matter keys whose template values are real choices, not placeholders.
const NOT_PLACEHOLDER_KEYS: &[&str] = &[
    "template",
    "status",
    "type",
    "tags",
    "country_code",
    "centroid",
    "year_start",
    "year_completed",
    "geography",
];

impl Placeholders {
    /// Collects the placeholders of a template document.
    pub fn of(doc: &Document) -> Placeholders {
        let mut p = Placeholders::default();
        let text = doc.text();
        for s in &doc.body().sections {
            let content = strip_comments(&normalize_newlines(&text[s.content.clone()]));
            for para in paragraphs(&content) {
                p.add_paragraph(&para);
            }
        }
        if let Some(fm) = doc.front_matter() {
            for e in &fm.entries {
                if NOT_PLACEHOLDER_KEYS.contains(&e.key.as_str()) {
                    continue;
                }
                if let Some(Value::String(v)) = &e.value
                    && !v.trim().is_empty()
                {
                    p.values.push((e.key.clone(), v.trim().to_string()));
                }
            }
        }
        p
    }

    fn add_paragraph(&mut self, para: &str) {
        let (lead, rest) = split_lead_in(para);
        if let Some(lead) = lead {
            let norm = normalize_label(&lead);
            if is_fill_in(&norm) && !self.has_label(&norm) {
                self.labels
                    .push(lead.trim().trim_end_matches(['.', ':']).to_string());
            }
        }
        for (label, target) in links_in(rest) {
            let norm = normalize_label(&label);
            if is_fill_in(&norm) && !self.has_label(&norm) {
                self.labels.push(label.trim().to_string());
            }
            let t = target.trim().to_string();
            if !t.is_empty() && !t.starts_with("./") && !self.links.contains(&t) {
                self.links.push(t);
            }
        }
        let words = reader_words(rest);
        if words.len() >= MIN_FINGERPRINT_WORDS {
            let fp = words
                .iter()
                .take(FINGERPRINT_WORDS)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            if !self.paragraphs.contains(&fp) {
                self.paragraphs.push(fp);
            }
        }
    }

    fn has_label(&self, norm: &str) -> bool {
        self.labels.iter().any(|l| normalize_label(l) == norm)
    }

    /// Whether there are no placeholders at all.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty() && self.labels.is_empty() && self.links.is_empty()
    }

    /// The placeholders (labels, link targets, paragraph fingerprints) that `text` (a section's
    /// content) still contains, in this order, each once. Comments are ignored.
    pub fn found_in(&self, text: &str) -> Vec<String> {
        let text = strip_comments(&normalize_newlines(text));
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: &str| {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        };
        let mut spans: Vec<String> = bold_spans(&text)
            .iter()
            .map(|b| normalize_label(b))
            .collect();
        spans.extend(links_in(&text).iter().map(|(l, _)| normalize_label(l)));
        for label in &self.labels {
            let n = normalize_label(label);
            if spans.contains(&n) {
                push(label);
            }
        }
        for link in &self.links {
            if text.contains(&format!("]({link}")) {
                push(link);
            }
        }
        let hay = format!(" {} ", reader_words(&text).join(" "));
        for fp in &self.paragraphs {
            if hay.contains(&format!(" {fp} ")) {
                push(fp);
            }
        }
        out
    }

    /// The front-matter keys whose value in `doc` is still the template's placeholder.
    pub fn values_found_in(&self, doc: &Document) -> Vec<String> {
        self.values
            .iter()
            .filter(|(k, v)| {
                doc.value(k)
                    .and_then(fields::as_text)
                    .is_some_and(|d| d.trim() == v)
            })
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// Whether a normalized lead-in or link text is a fill-in placeholder: numbered ("goal 1") or
/// asking for a name ("organization name", "name of interviewee").
fn is_fill_in(norm: &str) -> bool {
    let numbered = norm.chars().last().is_some_and(|c| c.is_ascii_digit());
    let asks_name = norm.split(' ').any(|w| w == "name");
    numbered || asks_name
}

/// Paragraphs (blank-line separated) and list items of a section's text.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.trim().is_empty() {
            out.push(cur.trim().to_string());
        }
        cur.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        let is_item = t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ");
        if t.is_empty() || t.starts_with('#') || t == "---" {
            flush(&mut cur, &mut out);
            if t.starts_with('#') {
                // A `###` heading is not placeholder text.
                continue;
            }
        } else if is_item {
            flush(&mut cur, &mut out);
            cur.push_str(&t[2..]);
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(t);
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// `(**lead-in**, rest)` of a paragraph that opens with a bold lead-in.
fn split_lead_in(para: &str) -> (Option<String>, &str) {
    let t = para.trim_start();
    let Some(after) = t.strip_prefix("**") else {
        return (None, para);
    };
    let Some(end) = after.find("**") else {
        return (None, para);
    };
    let lead = after[..end].to_string();
    let rest = after[end + 2..].trim_start_matches(['.', ':', ' ', '\t']);
    (Some(lead), rest)
}

/// A label reduced for comparison: no enumeration prefix ("1."), no trailing punctuation,
/// lowercased, single spaces.
fn normalize_label(label: &str) -> String {
    let t = label.trim().trim_end_matches(['.', ':', ' ']);
    let t = match t.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    };
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The texts between `**` pairs.
fn bold_spans(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("**") {
        let after = &rest[i + 2..];
        let Some(j) = after.find("**") else { break };
        out.push(after[..j].to_string());
        rest = &after[j + 2..];
    }
    out
}

/// `(text, target)` of the Markdown links `[text](target)` in `text` (images excluded).
fn links_in(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        let is_image = i > 0 && rest[..i].ends_with('!');
        let after = &rest[i + 1..];
        let Some(j) = after.find("](") else { break };
        let label = &after[..j];
        if label.contains('[') {
            // Not the innermost bracket: start again from the next one.
            rest = after;
            continue;
        }
        let tail = &after[j + 2..];
        let Some(k) = tail.find(')') else { break };
        let target = tail[..k].split_whitespace().next().unwrap_or("");
        if !is_image {
            out.push((label.to_string(), target.to_string()));
        }
        rest = &tail[k + 1..];
    }
    out
}

/// The words a reader sees (link targets dropped), lowercased, letters and digits only.
fn reader_words(text: &str) -> Vec<String> {
    // Drop link and image targets: `](...)`.
    let mut visible = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        visible.push_str(&rest[..i]);
        visible.push(' ');
        match rest[i + 2..].find(')') {
            Some(j) => rest = &rest[i + 2 + j + 1..],
            None => rest = "",
        }
    }
    visible.push_str(rest);
    visible
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How many items a section's content lists: paragraphs that open with a bold lead-in, or,
/// when there are none, top-level list items.
pub fn item_count(content: &str) -> usize {
    let text = strip_comments(&normalize_newlines(content));
    let mut leads = 0;
    let mut items = 0;
    let mut prev_blank = true;
    for line in text.lines() {
        let t = line.trim_end();
        if t.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        if prev_blank && t.starts_with("**") && t[2..].contains("**") {
            leads += 1;
        }
        if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || starts_numbered(t) {
            items += 1;
        }
        prev_blank = false;
    }
    if leads > 0 { leads } else { items }
}

/// Whether a line starts an ordered list item (`1. `).
fn starts_numbered(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && t[digits..].starts_with(". ")
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
        include_str!("../../../templates/case-study/index.md"),
        include_str!("../../../templates/case-study/example.geojson"),
    ),
    (
        "case-study-2023",
        include_str!("../../../templates/case-study-2023/index.md"),
        include_str!("../../../templates/case-study-2023/example.geojson"),
    ),
    (
        "stub",
        include_str!("../../../templates/stub/index.md"),
        include_str!("../../../templates/stub/example.geojson"),
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

    /// The bundled templates, plus those of `dir` when given (its errors are returned), plus
    /// those of an atlas checkout found above `near` (a folder with both `templates/` and
    /// `cases/`; errors there are ignored, as the folder was not asked for).
    pub fn load(dir: Option<&Path>, near: Option<&Path>) -> Result<TemplateSet, TemplateError> {
        let mut set = TemplateSet::bundled();
        if let Some(near) = near
            && let Some(found) = atlas_templates_above(near)
            && dir.is_none_or(|d| !same_path(d, &found))
            && let Ok(ts) = load_dir(&found)
        {
            set.add(ts);
        }
        if let Some(dir) = dir {
            set.add(load_dir(dir)?);
        }
        Ok(set)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(min: usize, max: usize) -> Target {
        Target::Words {
            min: Some(min),
            max: Some(max),
        }
    }

    fn items(min: usize, max: usize, what: &str) -> Target {
        Target::Items {
            min,
            max,
            what: what.to_string(),
        }
    }

    #[test]
    fn atlas_word_targets() {
        assert_eq!(
            parse_targets("About 100 to 150 word summary of the case study."),
            [words(100, 150)]
        );
        assert_eq!(
            parse_targets("Replace the placeholder title. The text should be around 50 words."),
            [words(40, 60)]
        );
        assert_eq!(
            parse_targets(
                "Identify 3-5 specific technology-enabled interventions the project employs or proposes. The text should be around 75-125 words. Separate into more than 1 paragraph as needed."
            ),
            [
                items(3, 5, "specific technology-enabled interventions"),
                words(75, 125)
            ]
        );
        assert_eq!(
            parse_targets(
                "Provide a brief biography, no more than 75 words. Identify 3-5 insights or themes from the interview."
            ),
            [
                Target::Words {
                    min: None,
                    max: Some(75)
                },
                items(3, 5, "insights or themes")
            ]
        );
        assert_eq!(
            parse_targets(
                "Identify 1-3 open question(s). What is uncertain? These can be 50 words or less."
            ),
            [
                items(1, 3, "open questions"),
                Target::Words {
                    min: None,
                    max: Some(50)
                }
            ]
        );
        assert_eq!(
            parse_targets(
                "Identify at least one financing scheme being used in this project or plan. About 100 words is probably a good length for this."
            ),
            [items(1, usize::MAX, "financing scheme"), words(80, 120)]
        );
        assert_eq!(
            parse_targets(
                "Identify 3-5 (anticipated) outcomes. What will/has the project achieved? About 50 words per is minimum, but these can be as long as you want/need."
            ),
            [
                items(3, 5, "anticipated outcomes"),
                Target::Words {
                    min: Some(50),
                    max: None
                }
            ]
        );
    }

    #[test]
    fn atlas_item_targets() {
        assert_eq!(
            parse_targets(
                "What is the project trying to achieve? Identify 3-5 high-level goals that define the entire project.Replace the placeholder title with a succinct name for the goal."
            ),
            [items(3, 5, "high-level goals")]
        );
        assert_eq!(
            parse_targets(
                "Identify 3-5 key stakeholder organizations or groups. Identify 3-5 key individuals. These are people who are associated with the project."
            ),
            [
                items(3, 5, "key stakeholder organizations or groups"),
                items(3, 5, "key individuals")
            ]
        );
        assert_eq!(
            parse_targets("3-5 project plans, audits, reports, etc."),
            [items(3, 5, "project plans")]
        );
        assert_eq!(
            parse_targets("5-7 secondary source documents: news reports, blog posts, etc.."),
            [items(5, 7, "secondary source documents")]
        );
        assert_eq!(
            parse_targets("Identify at least one financing mechanism that is being used."),
            [items(1, usize::MAX, "financing mechanism")]
        );
        assert_eq!(
            parse_targets(
                "For plans: How does the plan address each of the three activities in digital master plans (development, engagement, implementation). For districts: How does the district employ 3-5 of the key characteristics of innovation hubs?"
            ),
            [items(3, 5, "key characteristics")]
        );
        // Years, lone numbers and interviews are not targets.
        assert_eq!(
            parse_targets(
                "the three activities (development, engagement, implementation) of the digital masterplanning process described in the 2015 Townsend and Lorimer paper? Conduct one interview with a project leader."
            ),
            []
        );
        assert_eq!(parse_targets(""), []);
    }

    #[test]
    fn casebook_wording_targets() {
        assert_eq!(
            parse_targets("Sum up the whole case in about 100 to 150 words: what the project is."),
            [words(100, 150)]
        );
        assert_eq!(
            parse_targets("Keep the text to roughly 50 words."),
            [words(40, 60)]
        );
        assert_eq!(
            parse_targets("in roughly 75-125 words in all."),
            [words(75, 125)]
        );
        assert_eq!(parse_targets("between 75 and 125 words"), [words(75, 125)]);
        assert_eq!(parse_targets("75–125 words"), [words(75, 125)]);
        assert_eq!(parse_targets("A 100–150-word summary."), [words(100, 150)]);
        assert_eq!(parse_targets("A 75-word biography."), [words(60, 90)]);
        assert_eq!(
            parse_targets(
                "Give a short biography of no more than 75 words, then 3-5 insights or themes from the conversation."
            ),
            [
                Target::Words {
                    min: None,
                    max: Some(75)
                },
                items(3, 5, "insights or themes")
            ]
        );
        assert_eq!(
            parse_targets("Write at least 50 words for each outcome; longer is fine."),
            [Target::Words {
                min: Some(50),
                max: None
            }]
        );
        assert_eq!(
            parse_targets("Keep them to 50 words or fewer."),
            [Target::Words {
                min: None,
                max: Some(50)
            }]
        );
        assert_eq!(
            parse_targets("A short entry of no more than 100 words: what the project is."),
            [Target::Words {
                min: None,
                max: Some(100)
            }]
        );
        assert_eq!(
            parse_targets("Roughly 100 words is usually enough."),
            [words(80, 120)]
        );
        assert_eq!(
            parse_targets("Name three to five goals."),
            [items(3, 5, "goals")]
        );
        assert_eq!(
            parse_targets("Pose 1-3 open questions."),
            [items(1, 3, "open questions")]
        );
        assert_eq!(
            parse_targets("Describe at least one financing mechanism in use."),
            [items(1, usize::MAX, "financing mechanism")]
        );
        assert_eq!(
            parse_targets("Add up to 3 images."),
            [items(0, 3, "images")]
        );
        assert_eq!(
            parse_targets(
                "show how it uses 3-5 of the key characteristics of innovation districts."
            ),
            [items(3, 5, "key characteristics")]
        );
    }

    #[test]
    fn targets_accept_and_describe() {
        assert!(words(100, 150).accepts(100));
        assert!(!words(100, 150).accepts(151));
        assert!(
            Target::Words {
                min: None,
                max: Some(75)
            }
            .accepts(0)
        );
        assert!(items(1, usize::MAX, "x").accepts(40));
        assert_eq!(words(40, 60).describe(), "40–60 words");
        assert_eq!(
            items(1, usize::MAX, "financing mechanism").describe(),
            "at least 1 financing mechanism"
        );
        assert_eq!(
            Target::Words {
                min: None,
                max: Some(75)
            }
            .describe(),
            "at most 75 words"
        );
    }

    #[test]
    fn allowed_values_comma_format() {
        let a = AllowedValues::parse(
            "<!--\nAllowed values:\n\ntype: district, plan\n\ntags: Environment, Mobility, Food\n\n-->",
        );
        let Some(a) = a else {
            panic!("no allowed values")
        };
        assert_eq!(a.types, ["district", "plan"]);
        assert_eq!(a.tags, ["Environment", "Mobility", "Food"]);
        assert_eq!(a.statuses, ["Draft", "Review", "Complete"]);
        assert_eq!(a.templates, ["case-study", "stub"]);
        assert!(a.allows_tag("Food") && !a.allows_tag("Energy"));
    }

    #[test]
    fn allowed_values_dash_format() {
        let text = "Allowed values:\n\ntype: district, plan\n\ntags: \n- Environment\n- Mobility\n- CivicTech\n\nstatus:\n  - Draft\n  - Complete\n";
        let Some(a) = AllowedValues::parse(text) else {
            panic!("no allowed values")
        };
        assert_eq!(a.tags, ["Environment", "Mobility", "CivicTech"]);
        assert_eq!(a.statuses, ["Draft", "Complete"]);
        assert_eq!(a.types, ["district", "plan"]);
        assert_eq!(AllowedValues::parse("just a comment"), None);
    }

    #[test]
    fn allowed_values_from_documents() {
        // The atlas stub's hint inside a front-matter value.
        let doc =
            Document::from_text("---\ntitle: T\ntype: district <!-- district | plan -->\n---\n");
        let a = allowed_of(&doc);
        assert_eq!(a.types, ["district", "plan"]);
        assert_eq!(a.tags.len(), ATLAS_TAGS.len());
        // No comment at all: the atlas defaults.
        let a = allowed_of(&Document::from_text("---\ntitle: T\n---\n## Overview\n"));
        assert_eq!(a, AllowedValues::default());
        // Casebook's own format, as in the bundled templates.
        for t in bundled() {
            assert_eq!(t.allowed.types, ["district", "plan"], "{}", t.name);
            assert_eq!(t.allowed.statuses, ["Draft", "Review", "Complete"]);
            assert_eq!(t.allowed.templates, ["case-study", "stub"]);
            assert_eq!(t.allowed.tags, ATLAS_TAGS);
        }
    }

    fn headings(t: &Template) -> Vec<&str> {
        t.sections.iter().map(|s| s.heading.as_str()).collect()
    }

    fn bundled_named(name: &str) -> &'static Template {
        match bundled().iter().find(|t| t.name == name) {
            Some(t) => t,
            None => panic!("no bundled template {name}"),
        }
    }

    const KEYS: [&str; 17] = [
        "title",
        "description",
        "template",
        "status",
        "author",
        "type",
        "city",
        "country_code",
        "centroid",
        "year_start",
        "year_completed",
        "featured_image",
        "featured_alt",
        "featured_credit",
        "tags",
        "geography",
        "geography_caption",
    ];

    #[test]
    fn bundled_templates_load_in_order() {
        let names: Vec<&str> = bundled().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["case-study", "case-study-2023", "stub"]);
        let cs = bundled_named("case-study");
        assert_eq!(
            headings(cs),
            [
                "Overview",
                "Goals and Aspirations",
                "Key Characteristics",
                "Stakeholders",
                "Technology Interventions",
                "Financing",
                "Outcomes",
                "Open Questions",
                "References"
            ]
        );
        let old = bundled_named("case-study-2023");
        assert_eq!(
            headings(old),
            [
                "Overview",
                "Key Characteristics",
                "Goals and Aspirations",
                "Technology Interventions",
                "Stakeholders",
                "Leadership",
                "Financing",
                "Outcomes",
                "Open Questions",
                "References"
            ]
        );
        assert_eq!(headings(bundled_named("stub")), ["Overview", "References"]);
        for t in bundled() {
            assert_eq!(t.key_order, KEYS, "{}", t.name);
            assert_eq!(t.source, TemplateSource::Bundled);
            assert!(
                t.sections.iter().all(|s| s.guidance.is_some()),
                "{}",
                t.name
            );
            let Some((file, geo)) = &t.example_geojson else {
                panic!("no example")
            };
            assert_eq!(file, "example.geojson");
            let v: serde_json::Value = serde_json::from_str(geo).unwrap_or_default();
            assert_eq!(v["type"], "FeatureCollection");
            assert_eq!(v["features"][0]["geometry"]["type"], "Polygon");
            assert_eq!(
                t.document
                    .value("geography")
                    .and_then(fields::as_text)
                    .as_deref(),
                Some("./example.geojson")
            );
        }
        // Targets read from Casebook's own wording.
        let target =
            |t: &Template, h: &str| t.section(h).map(|s| s.targets.clone()).unwrap_or_default();
        assert_eq!(target(cs, "Overview"), [words(100, 150)]);
        assert_eq!(
            target(cs, "goals and aspirations"),
            [items(3, 5, "high-level goals")]
        );
        assert_eq!(
            target(cs, "Open Questions"),
            [items(1, 3, "open questions")]
        );
        assert_eq!(
            target(cs, "Financing"),
            [items(1, usize::MAX, "financing mechanism")]
        );
        assert_eq!(target(cs, "Stakeholders").len(), 2);
        assert_eq!(
            target(old, "Leadership")[0],
            Target::Words {
                min: None,
                max: Some(75)
            }
        );
        assert_eq!(target(old, "Technology Interventions")[1], words(75, 125));
        assert_eq!(
            target(old, "Open Questions")[1],
            Target::Words {
                min: None,
                max: Some(50)
            }
        );
        let refs = cs
            .section("References")
            .map(|s| s.subsection_targets())
            .unwrap_or_default();
        assert_eq!(
            refs,
            [
                (
                    "Primary Sources".to_string(),
                    vec![items(3, 5, "primary sources")]
                ),
                (
                    "Secondary Sources".to_string(),
                    vec![items(5, 7, "secondary sources")]
                )
            ]
        );
    }

    /// The sample case shipped with Casebook.
    const SAMPLE: &str = include_str!("../../../assets/sample/gbr-kings-cross/index.md");
    const SAMPLE_GEOJSON: &str =
        include_str!("../../../assets/sample/gbr-kings-cross/gbr-kings-cross.geojson");
    const SAMPLE_IMAGE: &[u8] =
        include_bytes!("../../../assets/sample/gbr-kings-cross/kings-cross-illustration.png");

    #[test]
    fn placeholders_found_in_templates_not_in_sample() {
        for t in bundled() {
            let p = &t.placeholders;
            assert!(!p.is_empty(), "{}", t.name);
            for (i, s) in t.document.body().sections.iter().enumerate() {
                let text = t.document.section_text(i).unwrap_or_default();
                assert!(
                    !p.found_in(&text).is_empty(),
                    "{}: {} has no placeholder",
                    t.name,
                    s.heading
                );
            }
            let sample = Document::from_text(SAMPLE);
            for (i, s) in sample.body().sections.iter().enumerate() {
                let text = sample.section_text(i).unwrap_or_default();
                assert_eq!(
                    p.found_in(&text),
                    Vec::<String>::new(),
                    "{}: {}",
                    t.name,
                    s.heading
                );
            }
            assert_eq!(p.values_found_in(&sample), Vec::<String>::new());
            assert!(
                p.values_found_in(&t.document)
                    .contains(&"author".to_string())
            );
        }
        let p = &bundled_named("case-study").placeholders;
        assert!(p.labels.iter().any(|l| l == "Goal 1"));
        assert!(p.labels.iter().any(|l| l == "Organization name"));
        assert!(p.links.iter().any(|l| l == "https://example.org"));
        assert_eq!(p.found_in("**Goal 2:** Something real."), ["Goal 2"]);
        assert_eq!(p.found_in("**2. Goal 2.** Something real."), ["Goal 2"]);
        assert_eq!(
            p.found_in("The plan's goal 1 is real text."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn atlas_placeholders() {
        let atlas = "---\ntitle: T\n---\n## Goals\n\n<!-- g -->\n\n**Goal 1**.  Lores mumps dolor sit mate, nominal id xiv. Dec ore offend it man re.\n\n## Stakeholders\n\n**Stakeholder 1**. Lores mumps dolor sit mate, nominal id xiv. [Organization Name](https://www.markdownguide.org/basic-syntax/)\n\n## Financing\n\n**Financing Scheme**. Lores mumps dolor sit mate, nominal id xiv.\n\n## References\n\n---\n\n### Primary Sources\n\n<!-- 3-5 project plans -->\n\n- Create a list by starting a line with `+`, `-`, or `*`\n- Very easy!\n";
        let t = Template::from_text("case-2024", TemplateSource::Bundled, atlas);
        let p = &t.placeholders;
        assert_eq!(p.labels, ["Goal 1", "Stakeholder 1", "Organization Name"]);
        assert_eq!(
            p.paragraphs,
            [
                "lores mumps dolor sit mate nominal id xiv",
                "create a list by starting a line with"
            ]
        );
        assert_eq!(
            p.found_in("**Financing Scheme**. Real text. Then Lores mumps dolor sit mate, nominal id xiv. Dec."),
            ["lores mumps dolor sit mate nominal id xiv"]
        );
        assert_eq!(
            p.found_in("**1. Name of Interviewee.** x"),
            Vec::<String>::new()
        );
        assert_eq!(
            t.sections[3].subsections,
            [(
                "Primary Sources".to_string(),
                Some("3-5 project plans".to_string())
            )]
        );
    }

    #[test]
    fn item_counts() {
        assert_eq!(item_count("**A**. x\n\n**B**. y\n\nplain\n\n**C**: z"), 3);
        assert_eq!(item_count("- a\n- b\n  - nested\n1. c"), 3);
        assert_eq!(item_count("<!-- **X** -->\nplain"), 0);
    }

    fn doc_with(template: &str, headings: &[&str]) -> Document {
        let mut text = format!("---\ntitle: X\ntemplate: {template}\n---\n");
        for h in headings {
            text.push_str(&format!("\n## {h}\n\nText.\n"));
        }
        Document::from_text(&text)
    }

    #[test]
    fn choosing_a_template() {
        let set = TemplateSet::bundled();
        assert_eq!(set.current().name, "case-study");
        assert_eq!(
            set.for_document(&Document::from_text(SAMPLE)).name,
            "case-study"
        );
        let old = doc_with(
            "case-study",
            &[
                "Overview",
                "Key Characteristics",
                "Goals and Aspirations",
                "Technology Interventions",
                "Stakeholders",
                "Financing",
            ],
        );
        assert_eq!(set.for_document(&old).name, "case-study-2023");
        let lead = doc_with(
            "case-study",
            &["Overview", "Goals and Aspirations", "Leadership"],
        );
        assert_eq!(set.for_document(&lead).name, "case-study-2023");
        let new = doc_with(
            "case-study",
            &["Overview", "Goals and Aspirations", "Key Characteristics"],
        );
        assert_eq!(set.for_document(&new).name, "case-study");
        assert_eq!(
            set.for_document(&doc_with("case-study", &[])).name,
            "case-study"
        );
        assert_eq!(
            set.for_document(&doc_with("stub", &["Overview"])).name,
            "stub"
        );
        assert_eq!(
            set.for_document(&doc_with("case-study-2023", &[])).name,
            "case-study-2023"
        );

        // Atlas names, as loaded from a checkout's templates/ folder.
        let dir = |n: &str| TemplateSource::Dir(PathBuf::from(n));
        let atlas = TemplateSet::new(vec![
            Template::from_text("case-2023", dir("case-2023"), BUNDLED_SOURCES[1].1),
            Template::from_text("case-2024", dir("case-2024"), BUNDLED_SOURCES[0].1),
            Template::from_text("stub", dir("stub"), BUNDLED_SOURCES[2].1),
        ]);
        assert_eq!(atlas.current().name, "case-2024");
        assert_eq!(atlas.for_document(&old).name, "case-2023");
        assert_eq!(atlas.for_document(&new).name, "case-2024");
        assert_eq!(atlas.for_document(&doc_with("stub", &[])).name, "stub");
        // Mixed with the bundled ones, the folder's templates are preferred.
        let mut mixed = TemplateSet::bundled();
        mixed.add(atlas.all().to_vec());
        assert_eq!(mixed.all().len(), 5);
        assert_eq!(mixed.for_document(&new).name, "case-2024");
        assert_eq!(mixed.for_document(&old).name, "case-2023");
        assert!(matches!(
            mixed.for_document(&doc_with("stub", &[])).source,
            TemplateSource::Dir(_)
        ));
        assert_eq!(
            mixed.get("CASE-STUDY").map(|t| t.name.as_str()),
            Some("case-study")
        );
    }

    #[test]
    fn missing_sections_and_insertion() {
        let t = bundled_named("case-study");
        let doc = doc_with(
            "case-study",
            &["Overview", "Stakeholders", "Custom", "References"],
        );
        let missing: Vec<&str> = t
            .missing_sections(&doc)
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(
            missing,
            [
                "Goals and Aspirations",
                "Key Characteristics",
                "Technology Interventions",
                "Financing",
                "Outcomes",
                "Open Questions"
            ]
        );
        assert_eq!(t.insert_before(&doc, "Goals and Aspirations"), Some(1));
        assert_eq!(t.insert_before(&doc, "Open Questions"), Some(3));
        let short = doc_with("case-study", &["Overview"]);
        assert_eq!(t.insert_before(&short, "References"), None);
        assert_eq!(t.insert_before(&short, "Not a section"), None);
        assert_eq!(t.position_of("open questions"), Some(7));
        assert!(t.missing_sections(&Document::from_text(SAMPLE)).is_empty());
    }

    #[test]
    fn new_case_round_trips() {
        for t in bundled() {
            let text = new_case_text(
                t,
                "Harbour: a new quarter",
                "Oslo",
                "nor",
                "./nor-harbour.geojson",
            );
            let doc = Document::from_text(&text);
            assert_eq!(doc.to_bytes(), text.as_bytes());
            let fm = match doc.front_matter() {
                Some(fm) => fm,
                None => panic!("no front matter"),
            };
            assert!(fm.problems.is_empty(), "{:?}", fm.problems);
            let get = |k: &str| doc.value(k).and_then(fields::as_text);
            assert_eq!(get("title").as_deref(), Some("Harbour: a new quarter"));
            assert_eq!(get("city").as_deref(), Some("Oslo"));
            assert_eq!(get("country_code").as_deref(), Some("NOR"));
            assert_eq!(get("status").as_deref(), Some("Draft"));
            assert_eq!(get("geography").as_deref(), Some("./nor-harbour.geojson"));
            let expected = if t.is_stub() { "stub" } else { "case-study" };
            assert_eq!(get("template").as_deref(), Some(expected));
            assert_eq!(doc.value("tags"), Some(&Value::Sequence(vec![])));
            for k in [
                "author",
                "description",
                "centroid",
                "featured_image",
                "year_start",
            ] {
                assert_eq!(doc.value(k), Some(&Value::Null), "{k} in {}", t.name);
                assert!(fm.entry(k).is_some(), "{k} kept as a key");
            }
            let keys: Vec<&str> = fm.keys();
            assert_eq!(keys, KEYS);
            // The body is untouched: guidance, allowed values and placeholders stay.
            assert_eq!(
                doc.text()[doc.body().range.clone()],
                t.document.text()[t.document.body().range.clone()]
            );
            assert_eq!(allowed_of(&doc), t.allowed);
            let set = TemplateSet::bundled();
            assert_eq!(set.for_document(&doc).name, t.name);
            let first = doc.section_text(0).unwrap_or_default();
            assert!(!t.placeholders.found_in(&first).is_empty());
        }
    }

    #[test]
    fn new_case_from_template_without_template_key() {
        let t = Template::from_text(
            "case-2024",
            TemplateSource::Dir(PathBuf::from("case-2024")),
            "---\ntitle: Case Study Template\ndescription: Lorem\nstatus: Draft\ncity:  \ncountry_code: USA\ntags: \ngeography: ./example.geojson\n---\n<!--\nAllowed values:\n\ntype: district, plan\n-->\n\n## Overview\n\n<!-- About 100 to 150 word summary of the case study. -->\n\nText.\n",
        );
        let text = new_case_text(&t, "T", "C", "usa", "./x.geojson");
        assert!(
            text.starts_with(
                "---\ntitle: T\ndescription:\ntemplate: case-study\nstatus: Draft\ncity: C\n"
            ),
            "{text}"
        );
        let bare = Template::from_text("plain", TemplateSource::Bundled, "## Overview\n\nx\n");
        let text = new_case_text(&bare, "T", "C", "usa", "./x.geojson");
        let doc = Document::from_text(&text);
        assert_eq!(
            doc.value("title").and_then(fields::as_text).as_deref(),
            Some("T")
        );
        assert_eq!(doc.body().sections.len(), 1);
    }

    /// Word counts of the sample's sections (printed with `--nocapture`).
    #[test]
    fn sample_case_meets_its_template() {
        let doc = Document::from_text(SAMPLE);
        let set = TemplateSet::bundled();
        let t = set.for_document(&doc);
        assert_eq!(t.name, "case-study");
        let heads: Vec<&str> = doc
            .body()
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(heads, headings(t));
        for (i, s) in doc.body().sections.iter().enumerate() {
            let text = doc.section_text(i).unwrap_or_default();
            let n = crate::sections::words(&text);
            let count = item_count(&text);
            eprintln!("{:<26} {n:>4} words, {count} items", s.heading);
            let Some(ts) = t.section(&s.heading) else {
                panic!("unknown section")
            };
            for target in &ts.targets {
                let got = match target {
                    Target::Words { .. } => n,
                    Target::Items { what, .. } if what == "key individuals" => continue,
                    Target::Items { .. } => count,
                };
                assert!(
                    target.accepts(got),
                    "{}: {got} for {}",
                    s.heading,
                    target.describe()
                );
            }
            // Subsections: count the list items under each `###`.
            for (h, sub_targets) in ts.subsection_targets() {
                let Some(start) = text.find(&format!("### {h}")) else {
                    panic!("no {h}")
                };
                let rest = &text[start + 4 + h.len()..];
                let end = rest.find("\n### ").unwrap_or(rest.len());
                let n = item_count(&rest[..end]);
                eprintln!("  {h:<24} {n} items");
                for target in sub_targets {
                    assert!(target.accepts(n), "{h}: {n} for {}", target.describe());
                }
            }
        }
        // Front matter: complete, allowed values, centroid inside the boundary.
        let get = |k: &str| doc.value(k).and_then(fields::as_text).unwrap_or_default();
        for k in KEYS {
            if k != "tags" && k != "centroid" {
                assert!(!get(k).trim().is_empty(), "{k} is empty");
            }
        }
        assert_eq!(doc.front_matter().map(|f| f.keys()), Some(KEYS.to_vec()));
        assert!(t.allowed.allows_type(&get("type")));
        assert!(["Review", "Complete"].contains(&get("status").as_str()));
        assert!(t.allowed.allows_template(&get("template")));
        let (tags, _) = fields::tags_of(doc.value("tags"));
        assert!((1..=3).contains(&tags.len()));
        assert!(tags.iter().all(|g| t.allowed.allows_tag(g)));
        let Some(c) = doc.value("centroid").and_then(fields::Centroid::from_value) else {
            panic!("no centroid")
        };
        let v: serde_json::Value = serde_json::from_str(SAMPLE_GEOJSON).unwrap_or_default();
        let ring: Vec<(f64, f64)> = v["features"][0]["geometry"]["coordinates"][0]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p[0].as_f64().unwrap_or(f64::NAN),
                            p[1].as_f64().unwrap_or(f64::NAN),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert!((20..=61).contains(&ring.len()), "{} vertices", ring.len());
        assert_eq!(ring.first(), ring.last());
        let signed: f64 = ring
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(signed > 0.0, "ring must be counter-clockwise");
        let mut inside = false;
        for w in ring.windows(2) {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            if (y1 > c.lat) != (y2 > c.lat) && c.lon < x1 + (c.lat - y1) / (y2 - y1) * (x2 - x1) {
                inside = !inside;
            }
        }
        assert!(inside, "centroid outside the boundary");
        assert_eq!(get("geography"), "./gbr-kings-cross.geojson");
        // The featured image: a landscape PNG under 200 KB.
        assert_eq!(get("featured_image"), "./kings-cross-illustration.png");
        assert!(SAMPLE_IMAGE.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(SAMPLE_IMAGE.len() < 200 * 1024);
        let be = |i: usize| {
            u32::from_be_bytes([
                SAMPLE_IMAGE[i],
                SAMPLE_IMAGE[i + 1],
                SAMPLE_IMAGE[i + 2],
                SAMPLE_IMAGE[i + 3],
            ])
        };
        assert_eq!((be(16), be(20)), (1200, 675));
        assert_eq!(get("featured_credit"), "Casebook sample illustration");
    }

    /// The atlas's own templates (at `CASEBOOK_CORPUS`/templates) load and read as expected.
    #[test]
    fn corpus_templates() {
        let Some(root) = std::env::var_os("CASEBOOK_CORPUS").map(PathBuf::from) else {
            eprintln!("CASEBOOK_CORPUS is not set: corpus template test skipped");
            return;
        };
        let dir = root.join("templates");
        let ts = match load_dir(&dir) {
            Ok(ts) => ts,
            Err(e) => panic!("{e}"),
        };
        let names: Vec<&str> = ts.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["case-2023", "case-2024", "stub"]);
        let by = |n: &str| match ts.iter().find(|t| t.name == n) {
            Some(t) => t,
            None => panic!("no {n}"),
        };
        let new = by("case-2024");
        let old = by("case-2023");
        let stub = by("stub");
        assert!(new.example_geojson.is_some() && stub.example_geojson.is_none());
        let target =
            |t: &Template, h: &str| t.section(h).map(|s| s.targets.clone()).unwrap_or_default();
        assert_eq!(target(new, "Overview"), [words(100, 150)]);
        assert_eq!(
            target(new, "Goals and Aspirations"),
            [items(3, 5, "high-level goals")]
        );
        assert_eq!(
            target(new, "Key Characteristics"),
            [items(3, 5, "key characteristics")]
        );
        assert_eq!(
            target(new, "Financing"),
            [items(1, usize::MAX, "financing mechanism")]
        );
        assert_eq!(
            target(new, "Open Questions"),
            [items(1, 3, "open questions")]
        );
        assert_eq!(
            target(new, "Outcomes"),
            [items(3, 5, "anticipated outcomes")]
        );
        assert_eq!(target(old, "Goals and Aspirations"), [words(40, 60)]);
        assert_eq!(
            target(old, "Leadership")[0],
            Target::Words {
                min: None,
                max: Some(75)
            }
        );
        assert_eq!(target(old, "Financing")[1], words(80, 120));
        assert_eq!(
            new.section("References")
                .map(|s| s.subsection_targets())
                .unwrap_or_default(),
            [
                (
                    "Primary Sources".to_string(),
                    vec![items(3, 5, "project plans")]
                ),
                (
                    "Secondary Sources".to_string(),
                    vec![items(5, 7, "secondary source documents")]
                )
            ]
        );
        assert_eq!(new.allowed.tags, ATLAS_TAGS);
        assert_eq!(stub.allowed.types, ["district", "plan"]);
        assert!(new.placeholders.labels.iter().any(|l| l == "Goal 1"));
        assert!(
            !new.placeholders
                .labels
                .iter()
                .any(|l| l == "Financing Scheme")
        );
        assert!(
            new.placeholders
                .paragraphs
                .iter()
                .any(|p| p.starts_with("lores mumps"))
        );
        assert!(
            new.key_order
                .starts_with(&["title".to_string(), "description".to_string()])
        );

        // Every case gets a template; Complete cases keep no "Lores mumps" filler.
        let set = match TemplateSet::with_dir(&dir) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let Ok(entries) = std::fs::read_dir(root.join("cases")) else {
            return;
        };
        let mut chosen = std::collections::BTreeMap::<String, usize>::new();
        for e in entries.flatten() {
            let Ok(bytes) = std::fs::read(e.path().join("index.md")) else {
                continue;
            };
            let doc = Document::from_bytes(&bytes);
            let t = set.for_document(&doc);
            *chosen.entry(t.name.clone()).or_default() += 1;
            let b = doc.body();
            let old_order = matches!(
                (b.find("Key Characteristics"), b.find("Goals and Aspirations")),
                (Some(k), Some(g)) if k < g
            );
            let leadership = b.find("Leadership").is_some();
            if old_order
                && leadership
                && doc.value("template").and_then(fields::as_text).as_deref() != Some("stub")
            {
                assert_eq!(t.name, "case-2023", "{}", e.path().display());
            }
            if e.file_name() == "tha-chonburi-eec" {
                // The current order and guidance, with a Leadership section added.
                assert_eq!(t.name, "case-2024");
            }
            for (i, _) in doc.body().sections.iter().enumerate() {
                let text = doc.section_text(i).unwrap_or_default();
                assert!(
                    !t.placeholders
                        .found_in(&text)
                        .iter()
                        .any(|f| f.starts_with("lores")),
                    "{}",
                    e.path().display()
                );
            }
        }
        eprintln!("templates chosen for the corpus cases: {chosen:?}");
        let atlas = match TemplateSet::load(None, Some(&root.join("cases"))) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert!(atlas.get("case-2024").is_some());
        let err = load_dir(&root.join("no-such-folder")).map(|_| ());
        assert!(matches!(&err, Err(e) if e.to_string().contains("no-such-folder")));
    }

    #[test]
    fn upgrading_a_stub_adds_sections_in_template_order() {
        let set = TemplateSet::bundled();
        let Some(full) = set.get("case-study") else {
            panic!("no case-study template")
        };
        let stub = "---\ntitle: Short\ntemplate: stub\n---\n\n## Overview\n\nA short text.\n\n## References\n\n- A source\n";
        let mut doc = Document::from_text(stub);
        let Edit::Batch(edits) = upgrade_edit(&doc, full) else {
            panic!("not a batch")
        };
        for e in &edits {
            let Ok(Some(c)) = doc.change_for(e) else {
                panic!("edit {e:?} failed")
            };
            let Ok(_) = doc.apply_change(&c) else {
                panic!("apply failed")
            };
        }
        let names: Vec<String> = doc
            .body()
            .sections
            .iter()
            .map(|s| s.heading.clone())
            .collect();
        let want: Vec<String> = full.sections.iter().map(|s| s.heading.clone()).collect();
        assert_eq!(names, want);
        assert_eq!(
            doc.text_of(crate::fields::Field::Template).as_deref(),
            Some("case-study")
        );
        assert!(doc.text().contains("A short text."));
        assert!(
            doc.body()
                .sections
                .iter()
                .filter(|s| s.guidance.is_some())
                .count()
                >= want.len() - 2
        );
    }
}
