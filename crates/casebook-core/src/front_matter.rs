//! Front matter: the YAML block between `---` lines, read with serde_yaml and edited in place.
//!
//! The text is the source of truth. Parsing finds the byte span of every top-level key (its line
//! plus continuation lines) so that changing one field replaces only that field's lines, and a
//! file opened and saved untouched comes back byte for byte. Values are read with serde_yaml;
//! when serde_yaml rejects the whole block, each key's lines are read on their own so the keys
//! that can be read are still available, and the bad line is reported.

use std::ops::Range;

use serde_yaml::{Mapping, Value};

use crate::text::{Change, Line, line_col, lines_in};
use crate::yaml_write::{self, ValueStyle};

/// Front matter larger than this is refused (kept verbatim, not parsed).
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
/// Front matter nested deeper than this is refused (serde_yaml is slow on deep flow nesting).
pub const MAX_NESTING: usize = 64;

/// Where the front matter sits in a document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delimiters {
    /// From the start of the opening `---` line to the end of the closing line (with its break).
    pub block: Range<usize>,
    /// The YAML text between the delimiter lines.
    pub content: Range<usize>,
}

/// Finds the front matter at `start` (after any BOM) of `text`.
///
/// Returns `Ok(None)` when the text does not open with `---`, and `Err(line)` with the
/// 1-based line of the opening delimiter when it opens one that is never closed.
pub fn find_delimiters(text: &str, start: usize) -> Result<Option<Delimiters>, usize> {
    let mut lines = lines_in(text, start, text.len());
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if first.content(text).trim_end() != "---" {
        return Ok(None);
    }
    // Only lines starting with `---` or `...` can close: jump between line starts with a
    // byte search instead of walking every line of a huge block.
    let bytes = text.as_bytes();
    let mut at = first.end;
    while at < text.len() {
        if (bytes[at] == b'-' || bytes[at] == b'.')
            && let Some(line) = lines_in(text, at, text.len()).next()
        {
            let c = line.content(text).trim_end();
            if c == "---" || c == "..." {
                return Ok(Some(Delimiters {
                    block: first.start..line.end,
                    content: first.end..line.start,
                }));
            }
        }
        match text[at..].find('\n') {
            Some(i) => at += i + 1,
            None => break,
        }
    }
    drop(lines);
    Err(crate::text::line_of(text, first.start))
}

/// A problem found while reading front matter, with its 1-based line and column in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    /// 1-based line in the whole file.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong, in words.
    pub message: String,
    /// Which kind of problem this is.
    pub kind: YamlProblemKind,
}

/// The kinds of front-matter problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlProblemKind {
    /// serde_yaml rejected the block; the keys outside the bad lines were still read.
    Syntax,
    /// The same key appears twice; the first one is used.
    DuplicateKey,
    /// A line that belongs to no key (it is kept as it is).
    StrayLine,
    /// The block was refused before parsing (too large or too deeply nested).
    Refused,
    /// The block parses but is not a mapping of keys to values.
    NotAMapping,
}

/// One top-level key of the front matter and the lines it owns.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as serde_yaml reads it.
    pub key: String,
    /// The key's line plus its continuation lines, including the last line break.
    pub span: Range<usize>,
    /// Byte range of the key as written (maybe quoted).
    pub key_range: Range<usize>,
    /// Byte range of what follows `key:` on the key line, up to the end of the span
    /// without its final line break (the raw value text, continuation lines included).
    pub value_range: Range<usize>,
    /// 1-based line of the key.
    pub line: usize,
    /// The value as serde_yaml reads it; `None` when this entry's lines cannot be read.
    pub value: Option<Value>,
    /// How the value is written (used to write a new value the same way).
    pub style: ValueStyle,
}

impl Entry {
    /// The raw value text as written after `key:` (leading separator spaces removed).
    pub fn raw_value<'a>(&self, text: &'a str) -> &'a str {
        text[self.value_range.clone()].trim_start_matches([' ', '\t'])
    }
}

/// Whether the front matter could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readability {
    /// serde_yaml read the whole block.
    Parsed,
    /// serde_yaml rejected the block; keys were read one by one where possible.
    Partial,
    /// The block was not parsed at all (too large or too deep); it is kept verbatim.
    Refused,
}

/// The front matter of a document: delimiters, key spans, values, problems.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// Where the block is.
    pub delimiters: Delimiters,
    /// The top-level keys in the order written.
    pub entries: Vec<Entry>,
    /// What could not be read, with lines.
    pub problems: Vec<YamlProblem>,
    /// How far reading got.
    pub readability: Readability,
    /// Line break style of the block.
    pub eol: &'static str,
}

impl FrontMatter {
    /// Reads the front matter delimited by `delimiters` in `text`.
    pub fn parse(text: &str, delimiters: Delimiters) -> FrontMatter {
        let content = &text[delimiters.content.clone()];
        let eol = if text[delimiters.block.clone()].contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut fm = FrontMatter {
            delimiters,
            entries: Vec::new(),
            problems: Vec::new(),
            readability: Readability::Parsed,
            eol,
        };
        if let Some(message) = refusal(content) {
            let (line, column) = line_col(text, fm.delimiters.content.start);
            fm.problems.push(YamlProblem {
                line,
                column,
                message,
                kind: YamlProblemKind::Refused,
            });
            fm.readability = Readability::Refused;
            return fm;
        }
        fm.scan_entries(text);
        fm.read_values(text);
        fm
    }

    /// Finds the top-level keys and their spans.
    fn scan_entries(&mut self, text: &str) {
        let range = self.delimiters.content.clone();
        let lines: Vec<Line> = lines_in(text, range.start, range.end).collect();
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            let content = line.content(text);
            let Some((key, key_len, colon)) = key_of_line(content) else {
                if !is_ignorable(content) {
                    let (l, c) = line_col(text, line.start);
                    self.problems.push(YamlProblem {
                        line: l,
                        column: c,
                        message: format!(
                            "this line belongs to no key: `{}`",
                            shorten(content.trim())
                        ),
                        kind: YamlProblemKind::StrayLine,
                    });
                }
                i += 1;
                continue;
            };
            // Continuation lines: indented, block-sequence items at column 0, and blank or
            // comment lines that are followed by more continuation lines.
            let mut last = i;
            let mut j = i + 1;
            while j < lines.len() {
                let c = lines[j].content(text);
                let continues = c.starts_with([' ', '\t'])
                    || c == "-"
                    || c.starts_with("- ")
                    || c.starts_with("-\t");
                if continues && !c.trim().is_empty() {
                    last = j;
                    j += 1;
                } else if is_ignorable(c) {
                    j += 1;
                } else {
                    break;
                }
            }
            let start = line.start;
            let span_end = lines[last].end;
            let value_end = lines[last].content_end;
            let value_start = (start + colon + 1).min(value_end);
            let (l, _) = line_col(text, start);
            self.entries.push(Entry {
                key,
                span: start..span_end,
                key_range: start..start + key_len,
                value_range: value_start..value_end,
                line: l,
                value: None,
                style: ValueStyle::detect(&text[value_start..value_end]),
            });
            i = last + 1;
        }
        // Duplicate keys: keep all spans, report every later one.
        for a in 0..self.entries.len() {
            for b in a + 1..self.entries.len() {
                if self.entries[a].key == self.entries[b].key {
                    let (line, column) = line_col(text, self.entries[b].span.start);
                    self.problems.push(YamlProblem {
                        line,
                        column,
                        message: format!(
                            "`{}` is set twice (first on line {}); only the first is used",
                            self.entries[b].key, self.entries[a].line
                        ),
                        kind: YamlProblemKind::DuplicateKey,
                    });
                }
            }
        }
    }

    /// Reads values: the whole block at once, else each entry's lines on their own.
    fn read_values(&mut self, text: &str) {
        let content = &text[self.delimiters.content.clone()];
        let has_duplicates = self
            .problems
            .iter()
            .any(|p| p.kind == YamlProblemKind::DuplicateKey);
        if content.trim().is_empty() {
            return;
        }
        match serde_yaml::from_str::<Value>(content) {
            Ok(Value::Mapping(map)) if !has_duplicates => {
                for e in &mut self.entries {
                    e.value = map.get(Value::String(e.key.clone())).cloned();
                }
                return;
            }
            Ok(Value::Mapping(_)) | Ok(Value::Null) => {}
            Ok(other) => {
                let (line, column) = line_col(text, self.delimiters.content.start);
                self.problems.push(YamlProblem {
                    line,
                    column,
                    message: format!(
                        "front matter should be `key: value` lines, but it reads as {}",
                        yaml_write::describe(&other)
                    ),
                    kind: YamlProblemKind::NotAMapping,
                });
                self.readability = Readability::Partial;
            }
            Err(e) if has_duplicates && e.to_string().contains("duplicate entry") => {}
            Err(e) => {
                let (line, column) = match e.location() {
                    Some(loc) => {
                        let (l0, _) = line_col(text, self.delimiters.content.start);
                        (l0 + loc.line().saturating_sub(1), loc.column())
                    }
                    None => line_col(text, self.delimiters.content.start),
                };
                self.problems.push(YamlProblem {
                    line,
                    column,
                    message: clean_yaml_message(&e.to_string()),
                    kind: YamlProblemKind::Syntax,
                });
                self.readability = Readability::Partial;
            }
        }
        // Read entry by entry; the first of duplicated keys wins.
        let mut seen = std::collections::HashSet::new();
        for e in &mut self.entries {
            if !seen.insert(e.key.clone()) {
                continue;
            }
            e.value = match serde_yaml::from_str::<Mapping>(&text[e.span.clone()]) {
                Ok(map) if map.len() == 1 => map.get(Value::String(e.key.clone())).cloned(),
                _ => None,
            };
        }
    }

    /// The entry for `key` (the first one when a key is duplicated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The value of `key` as read (None when absent or unreadable).
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.entry(key).and_then(|e| e.value.as_ref())
    }

    /// All keys in written order (each once).
    pub fn keys(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.entries {
            if !out.contains(&e.key.as_str()) {
                out.push(&e.key);
            }
        }
        out
    }

    /// The change that sets `key` to `value`, written in the style already used; a new key is
    /// placed after the nearest key that precedes it in `order` (the template's key order).
    ///
    /// Returns `Ok(None)` when the key already has exactly this value (nothing to change).
    pub fn set_change(
        &self,
        text: &str,
        key: &str,
        value: &Value,
        order: &[&str],
    ) -> Result<Option<Change>, SetError> {
        if self.readability == Readability::Refused {
            return Err(SetError::Refused);
        }
        if let Some(e) = self.entry(key) {
            if e.value.as_ref() == Some(value) {
                return Ok(None);
            }
            let key_text = &text[e.key_range.clone()];
            let after_colon =
                &text[e.key_range.end + 1..e.value_range.end.max(e.key_range.end + 1)];
            let sep = yaml_write::separator_of(after_colon);
            let comment = yaml_write::trailing_comment(&text[e.value_range.clone()], &e.style);
            let ends_with_break = text[e.span.clone()].ends_with('\n');
            let style = yaml_write::style_for_new_value(&e.style, e.value.as_ref());
            let new = yaml_write::render_entry(
                key_text,
                key,
                sep,
                value,
                &style,
                comment.as_deref(),
                self.eol,
                ends_with_break,
            )
            .ok_or_else(|| SetError::Unwritable(key.to_string()))?;
            return Ok(Some(Change::new(e.span.clone(), new)));
        }
        let at = self.insertion_point(key, order);
        let key_text = yaml_write::render_key(key);
        let new = yaml_write::render_entry(
            &key_text,
            key,
            " ",
            value,
            &ValueStyle::Plain,
            None,
            self.eol,
            true,
        )
        .ok_or_else(|| SetError::Unwritable(key.to_string()))?;
        Ok(Some(Change::new(at..at, new)))
    }

    /// The change that removes `key`'s lines (None when the key is absent).
    pub fn remove_change(&self, key: &str) -> Option<Change> {
        self.entry(key).map(|e| Change::new(e.span.clone(), ""))
    }

    /// The change that replaces the raw value text of `key` (what follows `key:`), after
    /// checking that the result reads as YAML.
    pub fn set_raw_change(&self, text: &str, key: &str, raw: &str) -> Result<Change, SetError> {
        if self.readability == Readability::Refused {
            return Err(SetError::Refused);
        }
        let raw = crate::text::normalize_newlines(raw);
        let body = raw.trim_end_matches('\n');
        let (range, key_text, ends_with_break) = match self.entry(key) {
            Some(e) => (
                e.span.clone(),
                text[e.key_range.clone()].to_string(),
                text[e.span.clone()].ends_with('\n'),
            ),
            None => {
                let at = self.insertion_point(key, &[]);
                (at..at, yaml_write::render_key(key), true)
            }
        };
        let mut new = key_text;
        new.push(':');
        if !body.is_empty() && !body.starts_with('\n') {
            new.push(' ');
        }
        new.push_str(body);
        if ends_with_break {
            new.push('\n');
        }
        match serde_yaml::from_str::<Mapping>(&new) {
            Ok(map) if map.len() == 1 && map.contains_key(Value::String(key.to_string())) => {}
            Ok(_) => return Err(SetError::NotOneKey(key.to_string())),
            Err(e) => return Err(SetError::Invalid(clean_yaml_message(&e.to_string()))),
        }
        let new = if self.eol == "\r\n" {
            new.replace('\n', "\r\n")
        } else {
            new
        };
        Ok(Change::new(range, new))
    }

    /// Where a new `key` goes: after the nearest key that precedes it in `order` and exists,
    /// else before the nearest one that follows it, else at the end of the block.
    pub fn insertion_point(&self, key: &str, order: &[&str]) -> usize {
        if let Some(pos) = order.iter().position(|k| *k == key) {
            for before in order[..pos].iter().rev() {
                if let Some(e) = self.entry(before) {
                    return e.span.end;
                }
            }
            for after in &order[pos + 1..] {
                if let Some(e) = self.entry(after) {
                    return e.span.start;
                }
            }
        }
        match self.entries.last() {
            Some(e) => e.span.end,
            None => self.delimiters.content.end,
        }
    }
}

/// Why a field could not be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// The front matter was refused (too large or deep), so it is not edited.
    #[error("the front matter could not be read, so fields cannot be changed from the form")]
    Refused,
    /// No way of writing the value read back as the same value.
    #[error("`{0}` cannot be written so that it reads back the same")]
    Unwritable(String),
    /// Raw YAML that does not parse.
    #[error("not valid YAML: {0}")]
    Invalid(String),
    /// Raw YAML that defines other keys.
    #[error("the text must define only `{0}`")]
    NotOneKey(String),
}

/// Reason to refuse parsing `content`, if any: too large or too deeply nested.
pub fn refusal(content: &str) -> Option<String> {
    if content.len() > MAX_FRONT_MATTER_BYTES {
        return Some(format!(
            "front matter is {} KiB, more than the {} KiB Casebook reads; it is kept as it is",
            content.len() / 1024,
            MAX_FRONT_MATTER_BYTES / 1024
        ));
    }
    let depth = nesting_depth(content);
    if depth > MAX_NESTING {
        return Some(format!(
            "front matter is nested {depth} levels deep, more than the {MAX_NESTING} Casebook reads; it is kept as it is"
        ));
    }
    None
}

/// An upper estimate of the nesting depth of a YAML text: open flow brackets plus indentation
/// levels, ignoring quoted text and comments. Linear time.
pub fn nesting_depth(content: &str) -> usize {
    let mut max = 0usize;
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    for line in content.split('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        if flow == 0 && !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            while indents.last().is_some_and(|&i| i > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
        }
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('"') => {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        quote = None;
                    }
                }
                Some(_) => {
                    if c == '\'' {
                        quote = None;
                    }
                }
                None => match c {
                    '"' | '\'' if prev == ' ' || prev == '[' || prev == '{' || prev == ',' => {
                        quote = Some(c);
                    }
                    '#' if prev == ' ' || prev == '\t' => break,
                    '[' | '{' => {
                        flow += 1;
                        max = max.max(flow + indents.len());
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
        max = max.max(flow + indents.len());
    }
    max
}

/// `(key, key_len, colon_index)` when `line` starts a top-level `key:` entry.
fn key_of_line(line: &str) -> Option<(String, usize, usize)> {
    let first = line.chars().next()?;
    if first.is_whitespace()
        || matches!(
            first,
            '#' | '-' | '[' | '{' | '}' | ']' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`'
        )
    {
        if first == '-' && !(line == "-" || line.starts_with("- ") || line.starts_with("-\t")) {
            // `-key:` is a plain key; fall through.
        } else {
            return None;
        }
    }
    if first == '"' || first == '\'' {
        // A quoted key: find its end, then expect `:`.
        let close = find_quote_end(line, first)?;
        let rest = &line[close + 1..];
        let after = rest.trim_start_matches([' ', '\t']);
        if !after.starts_with(':') {
            return None;
        }
        let colon = line.len() - after.len();
        if !colon_ends(line, colon) {
            return None;
        }
        let key: Value = serde_yaml::from_str(&line[..=close]).ok()?;
        let Value::String(key) = key else {
            return None;
        };
        return Some((key, close + 1, colon));
    }
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && colon_ends(line, i) {
            let key = line[..i].trim_end();
            if key.is_empty() {
                return None;
            }
            return Some((key.to_string(), key.len(), i));
        }
        if b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            return None;
        }
    }
    None
}

/// Whether the `:` at `i` ends a key (followed by whitespace or end of line).
fn colon_ends(line: &str, i: usize) -> bool {
    matches!(line.as_bytes().get(i + 1), None | Some(b' ') | Some(b'\t'))
}

/// Index of the closing quote of a quoted scalar opening at 0.
fn find_quote_end(line: &str, quote: char) -> Option<usize> {
    let mut iter = line.char_indices().skip(1).peekable();
    while let Some((i, c)) = iter.next() {
        if quote == '"' && c == '\\' {
            iter.next();
        } else if c == quote {
            if quote == '\'' && iter.peek().is_some_and(|(_, n)| *n == '\'') {
                iter.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}

/// Blank lines, comments and document markers carry no key.
fn is_ignorable(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// serde_yaml messages without the duplicated position suffix.
fn clean_yaml_message(m: &str) -> String {
    match m.find(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

/// At most 60 characters of `s`.
fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(57).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> FrontMatter {
        let Ok(Some(d)) = find_delimiters(text, 0) else {
            panic!("no front matter in test text")
        };
        FrontMatter::parse(text, d)
    }

    fn set(text: &str, key: &str, value: Value) -> String {
        let f = fm(text);
        let mut out = text.to_string();
        if let Ok(Some(c)) = f.set_change(text, key, &value, crate::fields::KEY_ORDER) {
            c.apply(&mut out);
        } else {
            panic!("set failed");
        }
        out
    }

    const DOC: &str = "---\ntitle: Old title\nstatus: Draft\ntags:\n  - Mobility\n  - Energy\ncentroid: [1.5, 2.5]\ncountry: Canada\n---\nBody\n";

    #[test]
    fn finds_entries_and_values() {
        let f = fm(DOC);
        assert_eq!(f.keys(), ["title", "status", "tags", "centroid", "country"]);
        assert_eq!(f.readability, Readability::Parsed);
        assert_eq!(f.value("title"), Some(&Value::String("Old title".into())));
        let tags = f.entry("tags").map(|e| &DOC[e.span.clone()]);
        assert_eq!(tags, Some("tags:\n  - Mobility\n  - Energy\n"));
    }

    #[test]
    fn setting_a_field_changes_one_line() {
        let out = set(DOC, "title", Value::String("New: a title".into()));
        assert_eq!(
            out,
            DOC.replace("title: Old title", "title: 'New: a title'")
        );
        let out = set(DOC, "status", Value::String("Review".into()));
        assert_eq!(out, DOC.replace("Draft", "Review"));
    }

    #[test]
    fn typing_through_a_trailing_space_does_not_leave_quotes() {
        let mut text = DOC.to_string();
        for v in ["Old title ", "Old title x"] {
            let f = fm(&text);
            let Ok(Some(c)) = f.set_change(&text, "title", &Value::String(v.into()), &[]) else {
                panic!("set")
            };
            c.apply(&mut text);
        }
        assert!(text.contains("title: Old title x\n"), "{text}");
        let quoted = DOC.replace("title: Old title", "title: 'Old title'");
        let f = fm(&quoted);
        let Ok(Some(c)) = f.set_change(&quoted, "title", &Value::String("New".into()), &[]) else {
            panic!("set")
        };
        let mut q = quoted.clone();
        c.apply(&mut q);
        assert!(
            q.contains("title: 'New'\n"),
            "quotes the author chose are kept: {q}"
        );
    }

    #[test]
    fn block_list_stays_block() {
        let v = Value::Sequence(vec!["Food".into(), "CivicTech".into()]);
        let out = set(DOC, "tags", v);
        assert!(
            out.contains("tags:\n  - Food\n  - CivicTech\ncentroid"),
            "{out}"
        );
    }

    #[test]
    fn new_key_goes_to_template_position() {
        let out = set(DOC, "description", Value::String("About it".into()));
        assert!(
            out.starts_with("---\ntitle: Old title\ndescription: About it\nstatus"),
            "{out}"
        );
    }

    #[test]
    fn bad_yaml_still_gives_other_keys() {
        let text = "---\ntitle: \"unterminated\nstatus: Draft\ncity: Oslo\n---\n";
        let f = fm(text);
        assert_eq!(f.readability, Readability::Partial);
        assert!(f.problems.iter().any(|p| p.kind == YamlProblemKind::Syntax));
        assert_eq!(f.value("city"), Some(&Value::String("Oslo".into())));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("---\na: {}\n---\n", "[".repeat(20_000));
        let f = fm(&text);
        assert_eq!(f.readability, Readability::Refused);
    }

    #[test]
    fn duplicate_key_reported_first_wins() {
        let text = "---\ncity: A\ncity: B\n---\n";
        let f = fm(text);
        assert!(
            f.problems
                .iter()
                .any(|p| p.kind == YamlProblemKind::DuplicateKey && p.line == 3)
        );
        assert_eq!(f.value("city"), Some(&Value::String("A".into())));
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        assert_eq!(find_delimiters("---\na: 1\n", 0), Err(1));
        assert_eq!(find_delimiters("# Title\n", 0), Ok(None));
    }
}
