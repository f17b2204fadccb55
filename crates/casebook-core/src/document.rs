//! [`Document`]: the text of a case's `index.md` and what is derived from it.
//!
//! The text (without its BOM) is the source of truth; the front matter and sections are
//! re-derived after each change. Edits are lowered to [`Change`]s so that the inverse of any
//! edit is a text change that gives back the original bytes.

use serde_yaml::Value;

use crate::edit::{Edit, EditError};
use crate::fields::{self, Field};
use crate::front_matter::{self, FrontMatter, Readability};
use crate::sections::{self, Body};
use crate::text::{Change, LineEnding, line_col, normalize_newlines};
use crate::yaml_write::ValueStyle;

const BOM: &str = "\u{feff}";

/// What the document's opening looks like.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontState {
    /// No front matter: the whole text is body.
    Missing,
    /// A `---` line that is never closed (the whole text is treated as body, kept as is).
    Unclosed {
        /// 1-based line of the opening `---`.
        line: usize,
    },
    /// Front matter found (it may still have problems).
    Present(FrontMatter),
}

/// A problem decoding the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeProblem {
    /// 1-based line of the first invalid byte.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// How many invalid sequences were replaced by U+FFFD.
    pub count: usize,
}

/// The text of an `index.md` with its front matter and sections.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    bom: bool,
    eol: LineEnding,
    front: FrontState,
    body: Body,
    decode: Option<DecodeProblem>,
    key_order: Vec<String>,
    list_styles: Vec<(String, ValueStyle)>,
}

impl Document {
    /// Reads a document from the bytes of a file. Never fails: invalid UTF-8 is replaced
    /// (and reported), bad front matter is kept verbatim (and reported).
    pub fn from_bytes(bytes: &[u8]) -> Document {
        let (text, decode) = match std::str::from_utf8(bytes) {
            Ok(s) => return Document::from_string(s.to_string()),
            Err(e) => {
                let valid = e.valid_up_to();
                let prefix = String::from_utf8_lossy(&bytes[..valid]);
                let (line, column) = line_col(&prefix, prefix.len());
                let text = String::from_utf8_lossy(bytes).into_owned();
                let count = text.matches('\u{fffd}').count();
                (
                    text,
                    Some(DecodeProblem {
                        line,
                        column,
                        count,
                    }),
                )
            }
        };
        let mut doc = Document::from_string(text);
        doc.decode = decode;
        doc
    }

    /// Reads a document from text (a leading BOM is kept aside and written back).
    pub fn from_text(text: &str) -> Document {
        Document::from_string(text.to_string())
    }

    /// [`Document::from_text`] taking the text by value (no copy of a large file).
    pub fn from_string(mut text: String) -> Document {
        let bom = text.starts_with(BOM);
        if bom {
            text.drain(..BOM.len());
        }
        let mut doc = Document {
            eol: LineEnding::detect(&text),
            text,
            bom,
            front: FrontState::Missing,
            body: Body::default(),
            decode: None,
            key_order: fields::KEY_ORDER.iter().map(|s| s.to_string()).collect(),
            list_styles: Vec::new(),
        };
        doc.reparse();
        doc
    }

    /// The bytes to write: BOM (if the file had one) and text.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// The text (without BOM).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the file starts with a UTF-8 byte-order mark.
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The file's line-ending style.
    pub fn line_ending(&self) -> LineEnding {
        self.eol
    }

    /// A problem decoding the bytes, if there was one.
    pub fn decode_problem(&self) -> Option<&DecodeProblem> {
        self.decode.as_ref()
    }

    /// The front-matter state.
    pub fn front_state(&self) -> &FrontState {
        &self.front
    }

    /// The front matter, when present.
    pub fn front_matter(&self) -> Option<&FrontMatter> {
        match &self.front {
            FrontState::Present(fm) => Some(fm),
            _ => None,
        }
    }

    /// The body and its sections.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Uses `order` (a template's key order) to place new keys.
    pub fn set_key_order(&mut self, order: Vec<String>) {
        if !order.is_empty() {
            // Keys the template does not list (e.g. `template`) keep their default place.
            self.key_order = fields::merged_key_order(&order);
        }
    }

    /// Takes the list styles of `template` (a template's document): a list written to a key
    /// whose list style this file does not show (`tags:` empty, `tags: []`, a new key) is
    /// written the way the template writes it.
    pub fn set_list_styles_from(&mut self, template: &Document) {
        self.list_styles = template
            .front_matter()
            .map(|fm| {
                fm.entries
                    .iter()
                    .filter(|e| e.style.is_list())
                    .filter(|e| !matches!(&e.value, Some(Value::Sequence(v)) if v.is_empty()))
                    .map(|e| (e.key.clone(), e.style.clone()))
                    .collect()
            })
            .unwrap_or_default();
    }

    /// How a list is written to `key` when the file shows no style for it: the template's
    /// style ([`Document::set_list_styles_from`]), else the bundled templates' (tags as a block
    /// list indented by two spaces; every other list flow).
    pub fn list_style(&self, key: &str) -> ValueStyle {
        if let Some((_, s)) = self.list_styles.iter().find(|(k, _)| k == key) {
            return s.clone();
        }
        match fields::Field::from_key(key) {
            Some(fields::Field::Tags) => ValueStyle::BlockSeq {
                indent: "  ".to_string(),
            },
            _ => ValueStyle::FlowSeq,
        }
    }

    /// Why the form should show `key` read-only, if it should: another key uses an anchor
    /// its value holds (see [`FrontMatter::locked_reason`]).
    pub fn locked_reason(&self, key: &str) -> Option<String> {
        self.front_matter().and_then(|fm| fm.locked_reason(key))
    }

    /// The value of a front-matter key.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.front_matter().and_then(|fm| fm.value(key))
    }

    /// A field's value as text (strings, numbers).
    pub fn text_of(&self, field: Field) -> Option<String> {
        let key = fields::key_in(field, self.front_matter());
        self.value(key).and_then(fields::as_text)
    }

    /// The 1-based line of a front-matter key, if present.
    pub fn line_of_key(&self, key: &str) -> Option<usize> {
        self.front_matter()
            .and_then(|fm| fm.entry(key))
            .map(|e| e.line)
    }

    /// A section's content with `\n` line breaks.
    pub fn section_text(&self, index: usize) -> Option<String> {
        let s = self.body.sections.get(index)?;
        Some(normalize_newlines(&self.text[s.content.clone()]))
    }

    /// Section `i` of the body, for an edit that names it.
    fn section(&self, i: usize) -> Result<&sections::Section, EditError> {
        self.body.sections.get(i).ok_or(EditError::NoSection(i))
    }

    /// The text change an edit means, or `None` when it would change nothing.
    /// Geometry edits and batches are not text edits (the [`crate::case::Case`] handles them).
    pub fn change_for(&self, edit: &Edit) -> Result<Option<Change>, EditError> {
        let order: Vec<&str> = self.key_order.iter().map(String::as_str).collect();
        match edit {
            Edit::Text(c) => {
                if !c.fits(&self.text) {
                    return Err(EditError::Stale);
                }
                Ok((!c.is_noop(&self.text)).then(|| c.clone()))
            }
            Edit::SetField { key, value } => match &self.front {
                FrontState::Present(fm) => Ok(fm.set_change_styled(
                    &self.text,
                    key,
                    value,
                    &order,
                    Some(&self.list_style(key)),
                )?),
                FrontState::Missing => Ok(Some(self.new_front_matter(key, value)?)),
                FrontState::Unclosed { .. } => Err(front_matter::SetError::Refused.into()),
            },
            Edit::SetRawField { key, raw } => match &self.front {
                FrontState::Present(fm) => {
                    let c = fm.set_raw_change(&self.text, key, raw)?;
                    Ok((!c.is_noop(&self.text)).then_some(c))
                }
                _ => Err(front_matter::SetError::Refused.into()),
            },
            Edit::RemoveField { key } => match &self.front {
                FrontState::Present(fm) if fm.readability == Readability::Refused => {
                    Err(front_matter::SetError::Refused.into())
                }
                FrontState::Present(fm) => Ok(fm.remove_change(&self.text, key)?),
                _ => Ok(None),
            },
            Edit::SetSectionText { section, text } => {
                let s = self.section(*section)?;
                // The content range excludes surrounding blank lines and trailing
                // whitespace, so the new text is normalised the same way (setting the same
                // text twice is then a no-op).
                let new = self.eol.apply_to(&section_content_of(text));
                let old = &self.text[s.content.clone()];
                if old == new {
                    return Ok(None);
                }
                if s.content.is_empty() {
                    if new.trim().is_empty() {
                        return Ok(None);
                    }
                    let rep = sections::fill_empty(
                        &self.text,
                        s.content.start,
                        s.range.end,
                        &new,
                        self.eol.as_str(),
                    );
                    return Ok(Some(Change::new(s.content.clone(), rep)));
                }
                // Content sharing the guidance comment's line cannot start with spaces
                // (they would read as separators): such text moves to its own line.
                let mid_line = s.content.start > 0 && !self.text[..s.content.start].ends_with('\n');
                if mid_line && new.starts_with([' ', '\t']) {
                    return Ok(Some(Change::new(
                        s.content.clone(),
                        format!("{}{new}", self.eol.as_str()),
                    )));
                }
                Ok(Some(minimal_change(old, &new, s.content.start)))
            }
            Edit::RenameSection { section, heading } => {
                let s = self.section(*section)?;
                let h = heading.trim();
                if h.is_empty() || h.contains(['\n', '\r']) {
                    return Err(EditError::BadHeading);
                }
                let c = Change::new(s.heading_text.clone(), h);
                Ok((!c.is_noop(&self.text)).then_some(c))
            }
            Edit::InsertSection {
                before,
                heading,
                guidance,
                text,
            } => {
                let h = heading.trim();
                if h.is_empty() || h.contains(['\n', '\r']) {
                    return Err(EditError::BadHeading);
                }
                let eol = self.eol.as_str();
                let mut block = format!("## {h}{eol}{eol}");
                if let Some(g) = guidance {
                    block.push_str(&format!("<!-- {} -->{eol}{eol}", g.trim()));
                }
                let t = self.eol.apply_to(text.trim_end_matches(['\n', '\r']));
                if !t.trim().is_empty() {
                    block.push_str(&t);
                    block.push_str(eol);
                    block.push_str(eol);
                }
                match before {
                    Some(i) => {
                        let s = self.section(*i)?;
                        Ok(Some(Change::new(s.range.start..s.range.start, block)))
                    }
                    None => {
                        let end = self.text.len();
                        let mut lead = String::new();
                        if end > self.body.range.start {
                            if !self.text.ends_with('\n') {
                                lead.push_str(eol);
                            }
                            if !self.text.ends_with(&format!("{eol}{eol}")) {
                                lead.push_str(eol);
                            }
                        }
                        // Keep the file's habit of ending (or not) with a line break.
                        let block = block.trim_end_matches(['\n', '\r']).to_string() + eol;
                        Ok(Some(Change::new(end..end, lead + &block)))
                    }
                }
            }
            Edit::RemoveSection { section } => {
                let s = self.section(*section)?;
                Ok(Some(Change::new(s.range.clone(), "")))
            }
            Edit::Geometry(_) | Edit::Batch(_) => {
                Err(EditError::Geometry("not a text edit".to_string()))
            }
        }
    }

    /// A front matter block for a document that has none, holding one key.
    fn new_front_matter(&self, key: &str, value: &Value) -> Result<Change, EditError> {
        let eol = self.eol.as_str();
        let probe = format!("---{eol}---{eol}");
        let Ok(Some(d)) = front_matter::find_delimiters(&probe, 0) else {
            return Err(EditError::Stale);
        };
        let fm = FrontMatter::parse(&probe, d);
        let Some(c) = fm.set_change(&probe, key, value, &[])? else {
            return Err(EditError::Stale);
        };
        let mut block = probe;
        c.apply(&mut block);
        Ok(Change::new(0..0, block))
    }

    /// Applies a text change and returns its inverse; derived state is updated.
    pub fn apply_change(&mut self, change: &Change) -> Result<Change, EditError> {
        let inverse = change.apply(&mut self.text).ok_or(EditError::Stale)?;
        self.reparse();
        Ok(inverse)
    }

    /// Re-derives front matter and sections from the text.
    fn reparse(&mut self) {
        let (front, body_start) = match front_matter::find_delimiters(&self.text, 0) {
            Ok(Some(d)) => {
                let end = d.block.end;
                (FrontState::Present(FrontMatter::parse(&self.text, d)), end)
            }
            Ok(None) => (FrontState::Missing, 0),
            Err(line) => (FrontState::Unclosed { line }, 0),
        };
        self.front = front;
        self.body = sections::split_body(&self.text, body_start);
    }
}

/// `text` as a section's content: no leading blank lines, no trailing whitespace.
pub fn section_content_of(text: &str) -> String {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    text[start.min(text.len())..].trim_end().to_string()
}

/// The smallest change turning `old` (at `offset` in the text) into `new`.
fn minimal_change(old: &str, new: &str, offset: usize) -> Change {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    // Back off to a char boundary common to both.
    let mut prefix = prefix.min(old.len()).min(new.len());
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let old_rest = &old[prefix..];
    let new_rest = &new[prefix..];
    let mut suffix = 0;
    for (a, b) in old_rest.chars().rev().zip(new_rest.chars().rev()) {
        if a != b {
            break;
        }
        suffix += a.len_utf8();
    }
    let suffix = suffix.min(old_rest.len()).min(new_rest.len());
    Change::new(
        offset + prefix..offset + old.len() - suffix,
        &new[prefix..new.len() - suffix],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\ntitle: A case\nstatus: Draft\n---\n\n## Overview\n\n<!-- About 100 to 150 word summary. -->\n\nOld text here.\n\n## Goals\n\n";

    fn apply(doc: &mut Document, e: Edit) -> Change {
        let Ok(Some(c)) = doc.change_for(&e) else {
            panic!("edit {e:?} failed")
        };
        let Ok(inv) = doc.apply_change(&c) else {
            panic!("apply failed")
        };
        inv
    }

    #[test]
    fn bytes_round_trip_with_bom_and_crlf() {
        let raw = "\u{feff}---\r\ntitle: X\r\n---\r\nBody\r\n";
        let d = Document::from_bytes(raw.as_bytes());
        assert!(d.has_bom());
        assert_eq!(d.to_bytes(), raw.as_bytes());
        assert_eq!(d.line_ending(), LineEnding::CrLf);
    }

    #[test]
    fn section_edit_touches_only_section_bytes() {
        let mut d = Document::from_text(DOC);
        let inv = apply(
            &mut d,
            Edit::SetSectionText {
                section: 0,
                text: "New text here.".into(),
            },
        );
        assert_eq!(d.text(), DOC.replace("Old text", "New text"));
        d.apply_change(&inv).ok();
        assert_eq!(d.text(), DOC);
    }

    #[test]
    fn empty_section_gets_text() {
        let mut d = Document::from_text(DOC);
        apply(
            &mut d,
            Edit::SetSectionText {
                section: 1,
                text: "Goal one.".into(),
            },
        );
        assert!(
            d.text().ends_with("## Goals\n\nGoal one.\n\n"),
            "{:?}",
            d.text()
        );
        assert_eq!(d.section_text(1).as_deref(), Some("Goal one."));
    }

    #[test]
    fn insert_and_remove_sections() {
        let mut d = Document::from_text(DOC);
        apply(
            &mut d,
            Edit::InsertSection {
                before: Some(1),
                heading: "Key Characteristics".into(),
                guidance: Some("Three to five.".into()),
                text: String::new(),
            },
        );
        let names: Vec<_> = d
            .body()
            .sections
            .iter()
            .map(|s| s.heading.clone())
            .collect();
        assert_eq!(names, ["Overview", "Key Characteristics", "Goals"]);
        assert_eq!(
            d.body().sections[1]
                .guidance
                .as_ref()
                .map(|g| g.text.as_str()),
            Some("Three to five.")
        );
        apply(&mut d, Edit::RemoveSection { section: 1 });
        assert_eq!(d.text(), DOC);
        apply(
            &mut d,
            Edit::InsertSection {
                before: None,
                heading: "References".into(),
                guidance: None,
                text: "- One".into(),
            },
        );
        assert!(
            d.text().ends_with("## Goals\n\n## References\n\n- One\n"),
            "{:?}",
            d.text()
        );
    }

    #[test]
    fn text_after_a_guidance_comment_keeps_leading_spaces() {
        let mut d = Document::from_text("## A\n<!-- g --> First\n");
        assert_eq!(d.section_text(0).as_deref(), Some("First"));
        apply(
            &mut d,
            Edit::SetSectionText {
                section: 0,
                text: "  indented".into(),
            },
        );
        assert_eq!(d.section_text(0).as_deref(), Some("  indented"));
        assert_eq!(d.text(), "## A\n<!-- g --> \n  indented\n");
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let d = Document::from_bytes(b"---\ntitle: a\xffb\n---\n");
        assert_eq!(d.decode_problem().map(|p| p.line), Some(2));
    }

    #[test]
    fn front_matter_added_to_plain_markdown() {
        let mut d = Document::from_text("Just text\n");
        apply(&mut d, Edit::set("title", "T"));
        assert_eq!(d.text(), "---\ntitle: T\n---\nJust text\n");
    }

    #[test]
    fn minimal_change_is_minimal() {
        let c = minimal_change("hello world", "hello brave world", 10);
        assert_eq!(c, Change::new(16..16, "brave "));
        let c = minimal_change("aé", "aè", 0);
        assert_eq!(c, Change::new(1..3, "è"));
    }
}
