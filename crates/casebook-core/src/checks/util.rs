//! Helpers shared by the rules: the case's stage, lines of keys, closest matches, body images,
//! `### ` subsections, distances.

use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_yaml::Value;

use super::{Context, Severity};
use crate::document::Document;
use crate::fields::{self, Centroid};
use crate::front_matter::{Entry, FrontMatter, Readability};
use crate::text::{line_of, normalize_newlines};

/// How far a case is: Draft asks little, Review and Complete ask everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// `status: Draft`.
    Draft,
    /// `status: Review`, and any status that is not Draft or Complete (missing, `Ongoing`,
    /// `Withheld` ...): a case whose status is unclear is held to the full standard.
    Review,
    /// `status: Complete` (published).
    Complete,
}

/// The stage of a document, from its `status` (case and spacing ignored).
pub(super) fn stage(doc: &Document) -> Stage {
    let status = doc
        .value("status")
        .and_then(fields::as_text)
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default();
    match status.as_str() {
        "draft" => Stage::Draft,
        "complete" => Stage::Complete,
        _ => Stage::Review,
    }
}

/// Whether the case is held to the full standard (anything but Draft).
pub(super) fn strict(ctx: &Context<'_>) -> bool {
    stage(ctx.case.doc()) != Stage::Draft
}

/// `strict` for Review/Complete, `draft` for Draft.
pub(super) fn by_stage(ctx: &Context<'_>, strict_severity: Severity, draft: Severity) -> Severity {
    if strict(ctx) { strict_severity } else { draft }
}

/// The front matter when its values could be read (not refused).
pub(super) fn readable_front(doc: &Document) -> Option<&FrontMatter> {
    doc.front_matter()
        .filter(|fm| fm.readability != Readability::Refused)
}

/// The entry of `key` (the first, when duplicated).
pub(super) fn entry<'a>(doc: &'a Document, key: &str) -> Option<&'a Entry> {
    doc.front_matter().and_then(|fm| fm.entry(key))
}

/// The 1-based line of `key`, if present.
pub(super) fn key_line(doc: &Document, key: &str) -> Option<usize> {
    doc.line_of_key(key)
}

/// The line where `key` would be added: after the nearest key before it in the usual order
/// (the line of the closing `---` when the block is empty); `None` without front matter.
pub(super) fn insertion_line(doc: &Document, key: &str) -> Option<usize> {
    let fm = doc.front_matter()?;
    let at = fm.insertion_point(key, fields::KEY_ORDER);
    Some(line_of(doc.text(), at))
}

/// The line of `key`, or where it would be added.
pub(super) fn key_or_insertion_line(doc: &Document, key: &str) -> Option<usize> {
    key_line(doc, key).or_else(|| insertion_line(doc, key))
}

/// A key's value as trimmed text (strings and numbers); `None` when absent, null, a list or
/// a map, or empty.
pub(super) fn text_value(doc: &Document, key: &str) -> Option<String> {
    let t = doc.value(key).and_then(fields::as_text)?;
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The image alt text's key and value: `featured_alt`, else the older `featured_desc`.
pub(super) fn alt_text(doc: &Document) -> (&'static str, Option<String>) {
    let key = fields::alt_key(doc.front_matter());
    (key, text_value(doc, key))
}

/// Words that authors (or spreadsheet exports) leave where there is no value: `nan`, `None`.
pub(super) fn is_filler(value: &str) -> bool {
    matches!(
        value.trim().to_lowercase().as_str(),
        "nan" | "none" | "null" | "n/a" | "na" | "tbd" | "todo" | "-" | "?"
    )
}

/// Why a value counts as no value, if it does: `"missing"`, `"empty"`, or the filler word.
pub(super) fn absence(doc: &Document, key: &str) -> Option<String> {
    let Some(e) = entry(doc, key) else {
        return Some("missing".to_string());
    };
    let v = match &e.value {
        // Present but unreadable: the front-matter rule reports it.
        None => return None,
        Some(v) => v,
    };
    match v {
        Value::Null => Some("empty".to_string()),
        Value::String(s) if s.trim().is_empty() => Some("empty".to_string()),
        Value::String(s) if is_filler(s) => {
            Some(format!("`{}`, which reads as no value", s.trim()))
        }
        Value::Sequence(items) if items.is_empty() => Some("an empty list".to_string()),
        _ => None,
    }
}

/// Lowercase letters and digits only (`"Civic Tech"` → `"civictech"`).
pub(super) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Edit distance between two short strings; `usize::MAX` when either is long (over 64 chars).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The option `input` most likely meant: the same ignoring case, spaces and punctuation; else
/// the only option it begins or is contained in; else the only nearest near miss in spelling.
/// `None` when nothing stands out (`case` among `district`, `plan`).
pub(super) fn closest<'a>(input: &str, options: &'a [String]) -> Option<&'a str> {
    let n = squash(input);
    if n.is_empty() {
        return None;
    }
    let norms: Vec<String> = options.iter().map(|o| squash(o)).collect();
    if let Some(i) = norms.iter().position(|o| *o == n) {
        return Some(&options[i]);
    }
    if n.chars().count() >= 3 {
        let starts: Vec<usize> = (0..options.len())
            .filter(|&i| norms[i].starts_with(&n))
            .collect();
        if let [i] = starts[..] {
            return Some(&options[i]);
        }
        let within: Vec<usize> = (0..options.len())
            .filter(|&i| norms[i].contains(&n))
            .collect();
        if let [i] = within[..] {
            return Some(&options[i]);
        }
    }
    let mut best: Option<usize> = None;
    let mut best_d = usize::MAX;
    let mut tie = false;
    for (i, o) in norms.iter().enumerate() {
        let d = edit_distance(&n, o);
        if d < best_d {
            best_d = d;
            best = Some(i);
            tie = false;
        } else if d == best_d {
            tie = true;
        }
    }
    let limit = (n.chars().count() / 4).max(1);
    match best {
        Some(i) if best_d <= limit && !tie => Some(&options[i]),
        _ => None,
    }
}

/// `a`, `b` or `c` (values in backticks).
pub(super) fn list_values(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// Tags as a YAML flow list, `[Mobility, CivicTech]` (items quoted when YAML needs it), the
/// form a suggestion for `tags` takes.
pub(super) fn flow_list(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|t| {
            let plain = !t.is_empty()
                && t.trim() == t
                && !t.contains([
                    ',', '[', ']', '{', '}', ':', '#', '"', '\'', '&', '*', '!', '|', '>', '%',
                    '@', '`',
                ])
                && !t.starts_with(['-', '?']);
            if plain {
                t.clone()
            } else {
                format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
            }
        })
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// `1 word`, `2 words`.
pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Whether a path is a web address Casebook does not fetch (`https://`, `http://`, `//`).
pub(super) fn is_remote(path: &str) -> bool {
    let p = path.trim().to_ascii_lowercase();
    p.starts_with("http://") || p.starts_with("https://") || p.starts_with("//")
}

pub(super) use crate::facts::percent_decode;

/// The file a confined path names: as written, else with `%xx` escapes decoded (Markdown
/// links are URLs, so `./Montreal%20timeline.png` means `Montreal timeline.png`). `None` when
/// neither exists. Both candidates were confined by the caller or are confined here.
pub(super) fn existing_file(case_dir: &Path, confined: &Path, rel: &str) -> Option<PathBuf> {
    if confined.exists() {
        return Some(confined.to_path_buf());
    }
    if rel.contains('%') {
        let decoded = percent_decode(rel);
        if let Ok(p) = crate::save::confine(case_dir, &decoded)
            && p.exists()
        {
            return Some(p);
        }
    }
    None
}

/// Formats a size in bytes as `1.4 MB` (1 MB = 1 000 000 bytes) or `820 KB`.
pub(super) fn format_bytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1_000_000.0)
    } else {
        format!("{} KB", n.div_ceil(1000))
    }
}

/// `[lat, lon]` as the front matter writes it (6 decimals at most, always with a decimal
/// point so YAML reads floats).
pub(super) fn format_centroid(lat: f64, lon: f64) -> String {
    format!("[{:?}, {:?}]", fields::round6(lat), fields::round6(lon))
}

/// The centroid when it reads as two finite numbers within range.
pub(super) fn centroid(doc: &Document) -> Option<Centroid> {
    doc.value("centroid")
        .and_then(Centroid::from_value)
        .filter(|c| c.in_range())
}

/// Countries' outlines are trusted to this many km (coastal and border points).
pub(super) const COUNTRY_SLACK_KM: f64 = 25.0;

/// Whether a centroid looks like `[lon, lat]`: the country (a valid alpha-3 code with an
/// outline) does not hold the point as written (beyond [`COUNTRY_SLACK_KM`]), but holds it
/// with the axes exchanged.
pub(super) fn swapped_in_country(doc: &Document, c: Centroid) -> bool {
    let Some(code) = text_value(doc, "country_code") else {
        return false;
    };
    let Some(country) = crate::countries::by_iso3(&code) else {
        return false;
    };
    if !(-90.0..=90.0).contains(&c.lon) || !(-180.0..=180.0).contains(&c.lat) {
        return false;
    }
    let as_written = country.distance_km(c.lon, c.lat);
    let outside = as_written.is_some_and(|d| d > COUNTRY_SLACK_KM);
    outside && country.contains(c.lat, c.lon) == Some(true)
}

pub(super) use crate::facts::distance_km;

/// An image in the body: `![alt](src "title")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BodyImage {
    /// The destination as written.
    pub src: String,
    /// The alt text (inline formatting dropped).
    pub alt: String,
    /// 1-based line in the file.
    pub line: usize,
    /// Byte offset in the document text.
    pub offset: usize,
}

/// The Markdown images of the body (not those inside HTML comments or code). HTML `<img>`
/// tags are not read.
pub(super) fn body_images(doc: &Document) -> Vec<BodyImage> {
    let text = doc.text();
    let body = doc.body().range.clone();
    let Some(body_text) = text.get(body.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for (event, range) in Parser::new_ext(body_text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                current = Some((
                    dest_url.to_string(),
                    body.start + range.start,
                    String::new(),
                ));
            }
            Event::End(TagEnd::Image) => {
                if let Some((src, offset, alt)) = current.take() {
                    out.push(BodyImage {
                        src,
                        alt: alt.trim().to_string(),
                        line: line_of(text, offset),
                        offset,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = current.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, alt)) = current.as_mut() {
                    alt.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// The section (index) holding byte `offset` of the document, if any.
pub(super) fn section_at(doc: &Document, offset: usize) -> Option<usize> {
    doc.body()
        .sections
        .iter()
        .position(|s| s.range.contains(&offset))
}

/// The section holding byte `offset` as a diagnostic target, with its heading; `None` before
/// the first section.
pub(super) fn section_target(doc: &Document, offset: usize) -> Option<(super::Target, String)> {
    let index = section_at(doc, offset)?;
    let heading = doc.body().sections.get(index)?.heading.clone();
    let target = super::Target::Section {
        heading: heading.clone(),
        index: Some(index),
    };
    Some((target, heading))
}

/// A `### ` subsection of a section's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Subsection {
    /// The heading (without `### `).
    pub heading: String,
    /// 1-based line of the heading in the file.
    pub line: usize,
    /// The text after the heading up to the next `### ` (with `\n` line breaks).
    pub content: String,
}

/// The `### ` subsections of section `index` (outside code fences and HTML comments).
pub(super) fn subsections(doc: &Document, index: usize) -> Vec<Subsection> {
    let Some(s) = doc.body().sections.get(index) else {
        return Vec::new();
    };
    let text = doc.text();
    let Some(content) = text.get(s.content.clone()) else {
        return Vec::new();
    };
    let first_line = line_of(text, s.content.start);
    let content = normalize_newlines(content);
    let mut out: Vec<Subsection> = Vec::new();
    let mut fence: Option<char> = None;
    let mut in_comment = false;
    for (i, line) in content.split('\n').enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(&format!("{f}{f}{f}")) {
                fence = None;
            }
        } else if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = t.chars().next();
        } else if let Some(h) = t.strip_prefix("###")
            && (h.starts_with([' ', '\t']) || h.is_empty())
            && line.len() - t.len() <= 3
        {
            out.push(Subsection {
                heading: h.trim().trim_end_matches('#').trim().to_string(),
                line: first_line + i,
                content: String::new(),
            });
            continue;
        } else if let Some(j) = line.find("<!--")
            && !line[j + 4..].contains("-->")
        {
            in_comment = true;
        }
        if let Some(last) = out.last_mut() {
            last.content.push_str(line);
            last.content.push('\n');
        }
    }
    out
}

/// The byte range of `needle` in `text[range]`, ignoring ASCII case.
pub(super) fn find_ignoring_case(text: &str, range: Range<usize>, needle: &str) -> Option<usize> {
    let hay = text.get(range.clone())?.to_lowercase();
    let n = needle.to_lowercase();
    if n.is_empty() {
        return None;
    }
    // Lowercasing can change byte lengths outside ASCII: only trust an exact position.
    let i = hay.find(&n)?;
    if hay.len() == range.len() {
        Some(range.start + i)
    } else {
        None
    }
}

/// ` (features[2].geometry)` when the boundary file has several shapes, for geometry messages.
pub fn shape_label(doc: &crate::geometry::GeoDocument, shape: usize) -> String {
    if doc.shapes().len() < 2 {
        return String::new();
    }
    match doc.shape(shape).map(|s| s.location().json_path()) {
        Some(p) if !p.is_empty() => format!(" ({p})"),
        _ => format!(" (shape {})", shape + 1),
    }
}

/// How a geometry rule reports a place of the boundary: its code, severity and fix.
pub struct ShapeFinding<'a> {
    /// The rule's code.
    pub code: &'static str,
    /// How serious.
    pub severity: Severity,
    /// The fix offered.
    pub fix: &'a str,
}

impl ShapeFinding<'_> {
    /// Runs `find` on each shape of the case's boundary (when it is loaded) and adds a
    /// diagnostic for each problem it gives: what is wrong, and where to mark it.
    pub fn in_each_shape<I>(
        &self,
        ctx: &Context<'_>,
        out: &mut Vec<super::Diagnostic>,
        find: impl Fn(&crate::geometry::Shape) -> I,
    ) where
        I: IntoIterator<Item = (String, crate::geometry::LonLat)>,
    {
        let crate::case::GeoState::Loaded { rel, doc, .. } = ctx.case.geo() else {
            return;
        };
        for (s, shape) in doc.shapes().iter().enumerate() {
            for (what, at) in find(shape) {
                out.push(self.diagnostic(rel, doc, s, &what, at));
            }
        }
    }

    /// "`{rel}` (its shape): {what}", marked on the map at `at` when it is a real point.
    pub fn diagnostic(
        &self,
        rel: &str,
        doc: &crate::geometry::GeoDocument,
        shape: usize,
        what: &str,
        at: crate::geometry::LonLat,
    ) -> super::Diagnostic {
        let d = super::Finding::geometry(self.code)
            .report(
                self.severity,
                format!("`{rel}`{}: {what}", shape_label(doc, shape)),
            )
            .with_fix(self.fix);
        if at.is_finite() {
            d.at(at.lon, at.lat)
        } else {
            d
        }
    }
}

#[cfg(test)]
pub(super) mod testing;

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn closest_matches() {
        let types = opts(&["district", "plan"]);
        assert_eq!(closest("District", &types), Some("district"));
        assert_eq!(closest("distrct", &types), Some("district"));
        assert_eq!(closest("case", &types), None);
        let tags = opts(crate::template::ATLAS_TAGS);
        assert_eq!(closest("Civic Tech", &tags), Some("CivicTech"));
        assert_eq!(
            closest("information systems", &tags),
            Some("InformationSystems")
        );
        assert_eq!(closest("Education", &tags), Some("HealthEducation"));
        assert_eq!(closest("Innovation", &tags), Some("InnovationSystems"));
        assert_eq!(closest("Enviroment", &tags), Some("Environment"));
        assert_eq!(closest("Code", &tags), None);
        assert_eq!(closest("", &tags), None);
    }

    #[test]
    fn stage_from_status() {
        let d = |s: &str| Document::from_text(&format!("---\nstatus: {s}\n---\n"));
        assert_eq!(stage(&d("Draft")), Stage::Draft);
        assert_eq!(stage(&d(" draft")), Stage::Draft);
        assert_eq!(stage(&d("Complete")), Stage::Complete);
        assert_eq!(stage(&d("Ongoing")), Stage::Review);
        assert_eq!(
            stage(&Document::from_text("no front matter")),
            Stage::Review
        );
    }

    #[test]
    fn percent_decoding() {
        // The rules' re-export is the shared `facts::percent_decode`.
        for (written, file) in [
            ("./a%20b.png", "./a b.png"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
        ] {
            assert_eq!(percent_decode(written), file);
        }
    }

    #[test]
    fn images_and_subsections() {
        let d = Document::from_text(
            "---\ntitle: x\n---\n## A\n\n<!-- ![no](./no.png) -->\n\n![Alt *text*](./a.png \"t\")\n\n```\n![code](./c.png)\n```\n\n## B\n\n### One\n\n- a\n- b\n\n### Two\n<!-- g -->\n- c\n",
        );
        let imgs = body_images(&d);
        assert_eq!(imgs.len(), 1);
        assert_eq!(
            (imgs[0].src.as_str(), imgs[0].alt.as_str(), imgs[0].line),
            ("./a.png", "Alt text", 8)
        );
        let subs = subsections(&d, 1);
        assert_eq!(
            subs.iter()
                .map(|s| (s.heading.as_str(), s.line))
                .collect::<Vec<_>>(),
            [("One", 16), ("Two", 21)]
        );
        assert_eq!(subs[0].content.trim(), "- a\n- b");
    }

    #[test]
    fn flow_lists_read_back() {
        let items = vec![
            "Mobility".to_string(),
            "A, B".to_string(),
            "say \"hi\"".to_string(),
        ];
        let text = flow_list(&items);
        assert_eq!(text, "[Mobility, \"A, B\", \"say \\\"hi\\\"\"]");
        let back: Vec<String> = serde_yaml::from_str(&text).unwrap_or_default();
        assert_eq!(back, items);
    }

    #[test]
    fn distances() {
        let d = distance_km(0.0, 0.0, 0.0, 1.0);
        assert!((d - 111.2).abs() < 0.5, "{d}");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(format_bytes(1_500_000), "1.5 MB");
        assert_eq!(format_bytes(820_100), "821 KB");
    }
}
