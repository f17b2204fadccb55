//! Front matter: the YAML block between `---` lines, read with serde_yaml and edited in place.
//!
//! The text is the source of truth. Parsing finds the byte span of every top-level key (its line
//! plus continuation lines, and the lines a quoted scalar or a flow list runs over) so that
//! changing one field replaces only that field's lines, and a file opened and saved untouched
//! comes back byte for byte. Values are read with serde_yaml; when serde_yaml rejects the whole
//! block, each key's lines are read on their own so the keys that can be read are still
//! available, and the bad line is reported.
//!
//! **The site's reader is the judge.** The atlas site reads front matter with gray-matter 4
//! and js-yaml 3 (YAML 1.1); Casebook with serde_yaml (YAML 1.2). Where they differ:
//!
//! - *Plain scalars* such as `12:30`, `010`, `1_000`, `2024-01-01`: written quoted
//!   ([`crate::yaml_write`], [`crate::yaml11`]); in a file, reported by CB001
//!   ([`FrontMatter::site_differences`]).
//! - *The closing line*: gray-matter ends the block at the first line that starts with `---`
//!   and does not know `...`; both are reported ([`YamlProblemKind::SiteSyntax`]).
//! - *Tags*: js-yaml refuses tags it does not know (`!foo`); reported.
//! - *Merge keys* (`<<: *base`): js-yaml merges, serde_yaml reads a key `<<`; reported.
//!
//! **No edit changes another key's meaning.** Every change of a field is checked before it is
//! made: the block must still read (if it read before), every other key must read as before,
//! and the block must stay under [`MAX_FRONT_MATTER_BYTES`]. Anchors and aliases: a key whose
//! value holds an anchor (`title: &t Hello`) that another key uses (`city: *t`) is *locked*:
//! changing or removing it is refused with a message naming both lines
//! ([`FrontMatter::locked_reason`], which the form shows next to the read-only field). Casebook
//! does not expand aliases for the author, because that would rewrite a key the author did not
//! touch; writing the alias's value out in place of `*t` unlocks the key.

use std::ops::Range;

use serde_yaml::{Mapping, Value};

use crate::text::{Change, Line, line_col, line_of, lines_in};
use crate::yaml_lex::{self, Scan};
use crate::yaml_write::{self, EntryWriter, KeptComments, ValueStyle, same_value};
use crate::yaml11::{self, Plain};

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
    /// Casebook reads the block but the atlas site's reader (gray-matter 4 / js-yaml 3) does
    /// not: a block closed by `...`, a line starting with `---` inside it, an unknown tag.
    SiteSyntax,
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
    /// Byte offset of the `:` after the key.
    pub colon: usize,
    /// The value's comments, anchors, aliases, tags and plain scalars.
    pub scan: Scan,
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
    /// Byte offsets of the starts of the block's lines, and the 1-based line of the first.
    line_starts: (Vec<usize>, usize),
    /// Aliases that refer to an anchor held by another entry.
    alias_links: Vec<AliasLink>,
}

/// An alias in one entry that refers to an anchor in another.
#[derive(Debug, Clone, PartialEq)]
struct AliasLink {
    /// Index of the entry holding the anchor.
    holder: usize,
    /// Index of the entry using it.
    user: usize,
    /// 1-based line of the alias.
    line: usize,
    /// The anchor's name.
    name: String,
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
            line_starts: (Vec::new(), 1),
            alias_links: Vec::new(),
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
        fm.line_starts = (
            lines_in(text, fm.delimiters.content.start, fm.delimiters.content.end)
                .map(|l| l.start)
                .collect(),
            line_of(text, fm.delimiters.content.start.min(text.len())),
        );
        fm.scan_entries(text);
        fm.link_aliases();
        fm.read_values(text);
        fm.site_syntax(text);
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
            // A quoted scalar or flow collection that runs over several lines owns them all,
            // whatever their indentation (`title: "a long` / `title here"` at column 0), when
            // those lines read as this one key.
            let mut last = i;
            let value_at = line.start + colon + 1;
            if let Some(end) = yaml_lex::inline_extent(text, value_at, range.end)
                && end > line.content_end
                && let Some(k) = (i + 1..lines.len()).find(|&k| lines[k].content_end >= end)
                && serde_yaml::from_str::<Mapping>(&text[line.start..lines[k].end])
                    .is_ok_and(|m| m.len() == 1)
            {
                last = k;
            }
            // Continuation lines: indented, block-sequence items at column 0, and blank or
            // comment lines that are followed by more continuation lines.
            let mut j = last + 1;
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
                colon: start + colon,
                scan: yaml_lex::scan(text, value_start..value_end),
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

    /// The 1-based line of byte offset `at` inside the block.
    pub fn line_at(&self, at: usize) -> usize {
        let (starts, first) = &self.line_starts;
        first + starts.partition_point(|&s| s <= at).saturating_sub(1)
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
    /// Returns `Ok(None)` when the key already has this value, compared as values (`10` and
    /// `10.0` are the same) and read the same by the site.
    pub fn set_change(
        &self,
        text: &str,
        key: &str,
        value: &Value,
        order: &[&str],
    ) -> Result<Option<Change>, SetError> {
        self.set_change_styled(text, key, value, order, None)
    }

    /// [`FrontMatter::set_change`] with the style to write a list in when the file shows none
    /// for this key (the template's style for it): a list follows the file's own style for the
    /// key, else `list_hint`, else flow. `centroid` is always written `[lat, lon]`.
    pub fn set_change_styled(
        &self,
        text: &str,
        key: &str,
        value: &Value,
        order: &[&str],
        list_hint: Option<&ValueStyle>,
    ) -> Result<Option<Change>, SetError> {
        if self.readability == Readability::Refused {
            return Err(SetError::Refused);
        }
        let is_list = matches!(value, Value::Sequence(_));
        if let Some(e) = self.entry(key) {
            if e.value.as_ref().is_some_and(|old| same_value(old, value))
                && !self.entry_reads_differently(e, text)
            {
                return Ok(None);
            }
            if let Some(reason) = self.locked_reason(key) {
                return Err(SetError::Locked(reason));
            }
            let mut style = yaml_write::style_for_new_value(&e.style, e.value.as_ref());
            if is_list && key == crate::fields::Field::Centroid.key() {
                style = ValueStyle::FlowSeq;
            } else if is_list && !shows_list_style(&e.style, e.value.as_ref()) {
                style = list_hint.cloned().unwrap_or(ValueStyle::FlowSeq);
            }
            let after_colon = &text[e.colon + 1..e.value_range.end.max(e.colon + 1)];
            let writer = EntryWriter {
                key_text: &text[e.key_range.start..e.colon],
                key,
                sep: yaml_write::separator_of(after_colon),
                style,
                comments: KeptComments::collect(
                    text,
                    e.value_range.clone(),
                    &e.scan,
                    &e.style,
                    e.value.as_ref(),
                ),
                eol: self.eol,
                ends_with_break: text[e.span.clone()].ends_with('\n'),
            };
            let new = writer
                .render(value)
                .ok_or_else(|| SetError::Unwritable(key.to_string()))?;
            let change = Change::new(e.span.clone(), new);
            self.verify(text, &change, Some((key, value)))?;
            return Ok(Some(change));
        }
        let at = self.insertion_point(key, order);
        let key_text = yaml_write::render_key(key);
        let mut writer = EntryWriter::new(&key_text, key, self.eol);
        if is_list {
            writer.style = if key == crate::fields::Field::Centroid.key() {
                ValueStyle::FlowSeq
            } else {
                list_hint.cloned().unwrap_or(ValueStyle::FlowSeq)
            };
        }
        let new = writer
            .render(value)
            .ok_or_else(|| SetError::Unwritable(key.to_string()))?;
        let change = Change::new(at..at, new);
        self.verify(text, &change, Some((key, value)))?;
        Ok(Some(change))
    }

    /// The change that removes `key`'s lines (None when the key is absent). Refused when
    /// another key uses an anchor the key holds.
    pub fn remove_change(&self, text: &str, key: &str) -> Result<Option<Change>, SetError> {
        let Some(e) = self.entry(key) else {
            return Ok(None);
        };
        if let Some(reason) = self.locked_reason(key) {
            return Err(SetError::Locked(reason));
        }
        let change = Change::new(e.span.clone(), "");
        self.verify(text, &change, None)?;
        Ok(Some(change))
    }

    /// The change that replaces the raw value text of `key` (what follows `key:`), after
    /// checking that the result reads as YAML and changes no other key.
    pub fn set_raw_change(&self, text: &str, key: &str, raw: &str) -> Result<Change, SetError> {
        if self.readability == Readability::Refused {
            return Err(SetError::Refused);
        }
        let raw = crate::text::normalize_newlines(raw);
        let body = raw.trim_end_matches('\n');
        let (range, key_text, ends_with_break) = match self.entry(key) {
            Some(e) => (
                e.span.clone(),
                text[e.key_range.start..e.colon].to_string(),
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
        // Aliases to anchors elsewhere in the block are checked with the whole block below.
        let alone = serde_yaml::from_str::<Mapping>(&new);
        match alone {
            Ok(map) if map.len() == 1 && map.contains_key(Value::String(key.to_string())) => {}
            Ok(_) => return Err(SetError::NotOneKey(key.to_string())),
            Err(e) if e.to_string().starts_with("unknown anchor") => {}
            Err(e) => return Err(SetError::Invalid(clean_yaml_message(&e.to_string()))),
        }
        let new = if self.eol == "\r\n" {
            new.replace('\n', "\r\n")
        } else {
            new
        };
        let change = Change::new(range, new);
        if change.is_noop(text) {
            return Ok(change);
        }
        // Raw text may keep an anchor other keys use: the whole-block check decides, and a
        // locked key's reason explains a refusal.
        self.verify(text, &change, None)
            .map_err(|e| match (e, self.locked_reason(key)) {
                (SetError::WouldBreak(_) | SetError::WouldChange { .. }, Some(reason)) => {
                    SetError::Locked(reason)
                }
                (e, _) => e,
            })?;
        Ok(change)
    }

    /// Why `key` cannot be changed from the form, if it cannot: its value holds an anchor
    /// (`&name`) that other keys use (`*name`). The reason names the lines, e.g. "`title`
    /// (line 2) holds the anchor &t that `city` uses on line 5 (*t) …".
    pub fn locked_reason(&self, key: &str) -> Option<String> {
        let holder = self.entry(key)?;
        let users = self.alias_users(holder);
        if users.is_empty() {
            return None;
        }
        let uses: Vec<String> = users
            .iter()
            .map(|(user, line, name)| format!("`{user}` uses it on line {line} (*{name})"))
            .collect();
        let names: Vec<String> = {
            let mut n: Vec<String> = users.iter().map(|u| format!("&{}", u.2)).collect();
            n.dedup();
            n
        };
        Some(format!(
            "`{key}` (line {}) holds the anchor {} and {}; changing `{key}` would change or break {}. Write the value out in place of the alias first (or edit the file as text).",
            holder.line,
            names.join(", "),
            uses.join(", "),
            if users.len() == 1 {
                "that key"
            } else {
                "those keys"
            },
        ))
    }

    /// The keys that use an anchor `holder` defines: (key, line of the alias, anchor name).
    fn alias_users(&self, holder: &Entry) -> Vec<(String, usize, String)> {
        let Some(h) = self.entries.iter().position(|e| std::ptr::eq(e, holder)) else {
            return Vec::new();
        };
        self.alias_links
            .iter()
            .filter(|l| l.holder == h)
            .map(|l| (self.entries[l.user].key.clone(), l.line, l.name.clone()))
            .collect()
    }

    /// Links every alias to the entry holding its anchor (the last anchor of that name before
    /// it), across entries. Linear in anchors and aliases (a hostile block has thousands).
    fn link_aliases(&mut self) {
        let mut anchors: std::collections::HashMap<&str, Vec<(usize, usize)>> =
            std::collections::HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            for a in &e.scan.anchors {
                anchors
                    .entry(a.name.as_str())
                    .or_default()
                    .push((a.range.start, i));
            }
        }
        let mut links = Vec::new();
        for (u, e) in self.entries.iter().enumerate() {
            for alias in &e.scan.aliases {
                let Some(defs) = anchors.get(alias.name.as_str()) else {
                    continue;
                };
                // Anchors are in text order: the last one before the alias.
                let n = defs.partition_point(|(at, _)| *at < alias.range.start);
                if let Some(&(_, holder)) = n.checked_sub(1).and_then(|k| defs.get(k))
                    && holder != u
                {
                    links.push(AliasLink {
                        holder,
                        user: u,
                        line: self.line_at(alias.range.start),
                        name: alias.name.clone(),
                    });
                }
            }
        }
        self.alias_links = links;
    }

    /// Checks a change made by hand inside `key`'s value (a bulk edit that rewrites one list
    /// item in place) the way every field edit is checked: see [`FrontMatter::verify`].
    pub fn verify_value_change(
        &self,
        text: &str,
        change: &Change,
        key: &str,
        value: &Value,
    ) -> Result<(), SetError> {
        if self.readability == Readability::Refused {
            return Err(SetError::Refused);
        }
        if let Some(reason) = self.locked_reason(key) {
            return Err(SetError::Locked(reason));
        }
        self.verify(text, change, Some((key, value)))
    }

    /// Checks a change before it is made: the block stays under the size limit, has no line
    /// the site would take for its end, still reads (if it read before), every other key
    /// reads as before, and `set` (key, value) reads as meant.
    fn verify(
        &self,
        text: &str,
        change: &Change,
        set: Option<(&str, &Value)>,
    ) -> Result<(), SetError> {
        let content = self.delimiters.content.clone();
        if change.range.start < content.start || change.range.end > content.end {
            return Err(SetError::Unwritable(
                set.map_or("the value", |s| s.0).to_string(),
            ));
        }
        let mut new_content = String::with_capacity(content.len() + change.replacement.len());
        new_content.push_str(&text[content.start..change.range.start]);
        new_content.push_str(&change.replacement);
        new_content.push_str(&text[change.range.end..content.end]);
        if new_content.len() > MAX_FRONT_MATTER_BYTES {
            return Err(SetError::TooLarge {
                bytes: new_content.len(),
            });
        }
        let start_line = line_of(text, change.range.start.min(text.len().saturating_sub(1)));
        for (n, line) in change.replacement.split('\n').enumerate() {
            if line.starts_with("---") || line.trim_end() == "..." {
                return Err(SetError::SiteCannotRead(format!(
                    "line {} would start with `{}`, which ends the front matter for the atlas site",
                    start_line + n,
                    &line[..3]
                )));
            }
        }
        // A block serde_yaml cannot read whole (a syntax error, a duplicated key) has nothing
        // to compare with: the entry-by-entry reading and the anchor locks guard it.
        let duplicates = self
            .problems
            .iter()
            .any(|p| p.kind == YamlProblemKind::DuplicateKey);
        if self.readability != Readability::Parsed || duplicates {
            return Ok(());
        }
        let after = match serde_yaml::from_str::<Value>(&new_content) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => Mapping::new(),
            Ok(other) => {
                return Err(SetError::WouldBreak(format!(
                    "the front matter would read as {}",
                    yaml_write::describe(&other)
                )));
            }
            Err(e) => {
                let line = e.location().map(|l| {
                    line_of(text, content.start.min(text.len().saturating_sub(1)))
                        + l.line().saturating_sub(1)
                });
                return Err(SetError::WouldBreak(format!(
                    "{}{}",
                    clean_yaml_message(&e.to_string()),
                    line.map_or(String::new(), |l| format!(" (near line {l})"))
                )));
            }
        };
        for e in &self.entries {
            if set.is_some_and(|(k, _)| k == e.key) {
                continue;
            }
            let was_here = change.range.start <= e.span.start && e.span.end <= change.range.end;
            if was_here && set.is_none() {
                continue; // The key removed.
            }
            let now = after.get(Value::String(e.key.clone()));
            let same = match (&e.value, now) {
                (Some(v), Some(w)) => same_value(v, w),
                (None, None) => true,
                (None, Some(Value::Null)) => true,
                _ => false,
            };
            if !same {
                return Err(SetError::WouldChange {
                    other: e.key.clone(),
                    line: e.line,
                });
            }
        }
        if let Some((key, value)) = set {
            let now = after.get(Value::String(key.to_string()));
            if !now.is_some_and(|w| same_value(w, value)) {
                return Err(SetError::Unwritable(key.to_string()));
            }
        }
        Ok(())
    }

    /// Whether the site reads some plain scalar of the entry's value differently from
    /// Casebook (`12:30`, `2024-01-01`), so that writing the same value again is a change.
    fn entry_reads_differently(&self, e: &Entry, text: &str) -> bool {
        e.scan
            .plains
            .iter()
            .any(|p| !p.is_key && yaml11::readings_differ(&p.value(text)).is_some())
    }

    /// The plain scalars the atlas site reads differently from Casebook, and merge keys
    /// (`<<`), which the site applies and serde_yaml does not.
    pub fn site_differences(&self, text: &str) -> Vec<SiteDifference> {
        let mut out = Vec::new();
        for e in &self.entries {
            for p in &e.scan.plains {
                let v = p.value(text);
                if p.is_key {
                    if v == "<<" {
                        out.push(SiteDifference {
                            key: e.key.clone(),
                            line: line_of(text, p.range.start),
                            text: v,
                            site: Plain::Merge,
                            casebook: Plain::Text,
                        });
                    }
                    continue;
                }
                if let Some((site, casebook)) = yaml11::readings_differ(&v) {
                    out.push(SiteDifference {
                        key: e.key.clone(),
                        line: line_of(text, p.range.start),
                        text: v,
                        site,
                        casebook,
                    });
                }
            }
        }
        if self.entries.iter().any(|e| e.key == "<<") {
            // A merge key at the top: the site's keys are not Casebook's.
            if let Some(e) = self.entry("<<") {
                out.push(SiteDifference {
                    key: e.key.clone(),
                    line: e.line,
                    text: "<<".to_string(),
                    site: Plain::Merge,
                    casebook: Plain::Text,
                });
            }
        }
        out
    }

    /// What the atlas site's reader refuses although serde_yaml reads it: a block closed by
    /// `...`, a line inside it that starts with `---`, a tag js-yaml does not know.
    fn site_syntax(&mut self, text: &str) {
        let d = self.delimiters.clone();
        let mut push = |at: usize, message: String| {
            let (line, column) = line_col(text, at);
            self.problems.push(YamlProblem {
                line,
                column,
                message,
                kind: YamlProblemKind::SiteSyntax,
            });
        };
        if text[d.content.end..d.block.end].trim_end() == "..." {
            push(
                d.content.end,
                "it is closed by `...`, but the atlas site's reader (gray-matter) only ends front matter at a `---` line, so it reads the page's text as YAML".to_string(),
            );
        }
        for line in lines_in(text, d.content.start, d.content.end) {
            if line.content(text).starts_with("---") {
                push(
                    line.start,
                    "a line starting with `---` inside the front matter: the atlas site's reader ends the front matter there".to_string(),
                );
            }
        }
        for e in &self.entries {
            for t in &e.scan.tags {
                if !site_knows_tag(&t.name) {
                    push(
                        t.range.start,
                        format!(
                            "the tag `!{}` is unknown to the atlas site's reader (js-yaml), which then cannot read the file",
                            t.name
                        ),
                    );
                }
            }
        }
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

/// Why a field could not be set (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// The front matter was refused (too large or deep), so it is not edited.
    #[error("the front matter could not be read, so fields cannot be changed from the form")]
    Refused,
    /// No way of writing the value read back as the same value.
    #[error(
        "`{0}` cannot be written so that both Casebook and the atlas site read it back the same"
    )]
    Unwritable(String),
    /// Raw YAML that does not parse.
    #[error("not valid YAML: {0}")]
    Invalid(String),
    /// Raw YAML that defines other keys.
    #[error("the text must define only `{0}`")]
    NotOneKey(String),
    /// The key holds an anchor other keys use (the reason names the lines).
    #[error("{0}")]
    Locked(String),
    /// The front matter would grow past the size Casebook reads.
    #[error(
        "the front matter would be {} KiB, more than the {} KiB Casebook reads; long text belongs in the sections",
        bytes.div_ceil(1024),
        MAX_FRONT_MATTER_BYTES / 1024
    )]
    TooLarge {
        /// The size it would have, in bytes.
        bytes: usize,
    },
    /// The change would make the front matter unreadable.
    #[error("the change would make the front matter unreadable: {0}")]
    WouldBreak(String),
    /// The change would change another key's value.
    #[error("the change would also change `{other}` (line {line}), so it was not made")]
    WouldChange {
        /// The other key.
        other: String,
        /// Its line.
        line: usize,
    },
    /// The change would make the front matter unreadable for the atlas site.
    #[error("the atlas site could not read the front matter after this change: {0}")]
    SiteCannotRead(String),
}

/// A plain scalar that the atlas site reads differently from Casebook.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteDifference {
    /// The top-level key it belongs to.
    pub key: String,
    /// 1-based line of the scalar.
    pub line: usize,
    /// The scalar as written.
    pub text: String,
    /// What the site (js-yaml 3) reads.
    pub site: Plain,
    /// What Casebook (serde_yaml) reads.
    pub casebook: Plain,
}

/// Whether a list `style` (with its value as read) shows how the file writes this list: a
/// block list, or a flow list with items (an empty `[]` says nothing).
fn shows_list_style(style: &ValueStyle, old: Option<&Value>) -> bool {
    match style {
        ValueStyle::BlockSeq { .. } => true,
        ValueStyle::FlowSeq => matches!(old, Some(Value::Sequence(items)) if !items.is_empty()),
        _ => false,
    }
}

/// Tags js-yaml 3's safe schema knows (`!!str`, `!!int`, … and the non-specific `!`).
fn site_knows_tag(name: &str) -> bool {
    const KNOWN: [&str; 13] = [
        "null",
        "bool",
        "int",
        "float",
        "timestamp",
        "merge",
        "str",
        "seq",
        "map",
        "binary",
        "omap",
        "pairs",
        "set",
    ];
    if name.is_empty() {
        return true;
    }
    if let Some(short) = name.strip_prefix('!') {
        return KNOWN.contains(&short);
    }
    if let Some(long) = name
        .strip_prefix("<tag:yaml.org,2002:")
        .and_then(|n| n.strip_suffix('>'))
    {
        return KNOWN.contains(&long);
    }
    false
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
pub(crate) fn find_quote_end(line: &str, quote: char) -> Option<usize> {
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
    fn a_block_with_a_duplicated_key_can_still_be_edited() {
        let text = "---\ncity: A\ncity: B\nstatus: Draft\n---\n";
        assert_eq!(
            try_set(text, "status", "Review".into()),
            Ok(text.replace("Draft", "Review"))
        );
        let text = "---\ntitle: \"unterminated\nstatus: Draft\ncity: Oslo\n---\n";
        assert_eq!(
            try_set(text, "city", "Bergen".into()),
            Ok(text.replace("Oslo", "Bergen"))
        );
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

    /// Sets `key` through the front matter alone (no template hints), or the error.
    fn try_set(text: &str, key: &str, value: Value) -> Result<String, SetError> {
        let f = fm(text);
        let mut out = text.to_string();
        if let Some(c) = f.set_change(text, key, &value, crate::fields::KEY_ORDER)? {
            c.apply(&mut out);
        }
        Ok(out)
    }

    fn list(items: &[&str]) -> Value {
        Value::Sequence(items.iter().map(|s| Value::String(s.to_string())).collect())
    }

    // Finding 2: anchors and aliases.

    #[test]
    fn anchor_edit_refused_with_lines() {
        let text = "---\ntitle: &t Hello\nstatus: Draft\ncity: *t\n---\n";
        let f = fm(text);
        let Some(reason) = f.locked_reason("title") else {
            panic!("title holds an anchor city uses")
        };
        assert!(
            reason.contains("line 2") && reason.contains("line 4") && reason.contains("`city`"),
            "{reason}"
        );
        assert_eq!(f.locked_reason("city"), None);
        assert_eq!(f.locked_reason("status"), None);
        assert_eq!(
            try_set(text, "title", "World".into()),
            Err(SetError::Locked(reason.clone()))
        );
        assert_eq!(
            f.remove_change(text, "title"),
            Err(SetError::Locked(reason.clone()))
        );
        assert!(matches!(
            f.set_raw_change(text, "title", " World"),
            Err(SetError::Locked(_))
        ));
        // The alias's user can be changed; then the anchor is free.
        let Ok(freed) = try_set(text, "city", "Oslo".into()) else {
            panic!("city can be set")
        };
        assert_eq!(
            freed,
            "---\ntitle: &t Hello\nstatus: Draft\ncity: Oslo\n---\n"
        );
        assert_eq!(fm(&freed).locked_reason("title"), None);
        assert!(try_set(&freed, "title", "World".into()).is_ok());
    }

    #[test]
    fn anchor_on_a_list_edit_refused() {
        let text = "---\ntags: &themes\n  - Mobility\n  - Energy\nalso: *themes\n---\n";
        assert!(matches!(
            try_set(text, "tags", list(&["Food"])),
            Err(SetError::Locked(m)) if m.contains("line 5") && m.contains("&themes")
        ));
        // An anchor nobody uses locks nothing.
        let text = "---\ntags: &themes [Mobility]\ncity: Oslo\n---\n";
        assert!(try_set(text, "tags", list(&["Food"])).is_ok());
    }

    // Finding 3: multi-line values.

    #[test]
    fn multi_line_values_are_one_span() {
        for (text, key, value) in [
            (
                "---\ntitle: \"a long\ntitle here\"\ncity: Oslo\n---\n",
                "title",
                Value::String("a long title here".into()),
            ),
            (
                "---\ntitle: 'a long\ntitle here'\ncity: Oslo\n---\n",
                "title",
                Value::String("a long title here".into()),
            ),
            (
                "---\ntitle: a long\n  title here\ncity: Oslo\n---\n",
                "title",
                Value::String("a long title here".into()),
            ),
            (
                "---\ntags: [Mobility,\nEnergy]\ncity: Oslo\n---\n",
                "tags",
                list(&["Mobility", "Energy"]),
            ),
            (
                "---\ntags: [Mobility,\n  Energy]\ncity: Oslo\n---\n",
                "tags",
                list(&["Mobility", "Energy"]),
            ),
            (
                "---\ntitle: |\n  line one\n  line two\ncity: Oslo\n---\n",
                "title",
                Value::String("line one\nline two\n".into()),
            ),
        ] {
            let f = fm(text);
            assert!(f.problems.is_empty(), "{text:?}: {:?}", f.problems);
            assert_eq!(f.readability, Readability::Parsed);
            assert_eq!(f.value(key), Some(&value), "{text:?}");
            assert_eq!(f.keys(), [key, "city"], "{text:?}");
            let new = if key == "tags" {
                list(&["Food"])
            } else {
                Value::String("New".into())
            };
            let Ok(out) = try_set(text, key, new) else {
                panic!("{text:?}: set failed")
            };
            // The author's quotes stay; a block literal's `|` is not needed for one line.
            let expected_line = if key == "tags" {
                "tags: [Food]\n"
            } else if text.contains("\"a long") {
                "title: \"New\"\n"
            } else if text.contains("'a long") {
                "title: 'New'\n"
            } else {
                "title: New\n"
            };
            assert_eq!(
                out,
                format!("---\n{expected_line}city: Oslo\n---\n"),
                "{text:?}"
            );
        }
    }

    // Finding 5: what the site's reader cannot read.

    #[test]
    fn dots_end_marker_is_a_site_problem() {
        let text = "---\ntitle: A\n...\n## Overview\n";
        let f = fm(text);
        assert!(
            f.problems
                .iter()
                .any(|p| p.kind == YamlProblemKind::SiteSyntax && p.line == 3),
            "{:?}",
            f.problems
        );
        let text = "---\ntitle: A\n----\nstatus: Draft\n---\n";
        assert!(
            fm(text)
                .problems
                .iter()
                .any(|p| p.kind == YamlProblemKind::SiteSyntax && p.line == 3)
        );
        let text = "---\ntitle: !custom A\ncity: !!str 12\n---\n";
        let p: Vec<_> = fm(text)
            .problems
            .into_iter()
            .filter(|p| p.kind == YamlProblemKind::SiteSyntax)
            .collect();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, 2);
    }

    #[test]
    fn site_differences_are_found() {
        let text =
            "---\ntitle: 12:30\ncity: '12:30'\ntags: [2024-01-01, Energy]\nyear_start: 2017\n---\n";
        let d = fm(text).site_differences(text);
        let found: Vec<(&str, usize, &str)> = d
            .iter()
            .map(|d| (d.key.as_str(), d.line, d.text.as_str()))
            .collect();
        assert_eq!(found, [("title", 2, "12:30"), ("tags", 4, "2024-01-01")]);
    }

    // Finding 6: comments and spacing.

    #[test]
    fn comments_and_key_spacing_are_kept() {
        let text = "---\ntitle : Old\ntags: # the atlas's themes\n  # main one first\n  - Mobility # main\n  # then\n  - Energy\ndescription: | # keep short\n  One.\n  Two.\ncity: Oslo # in English\n---\n";
        let Ok(out) = try_set(text, "title", "New".into()) else {
            panic!("title")
        };
        assert!(out.contains("\ntitle : New\n"), "{out}");
        let Ok(out) = try_set(&out, "tags", list(&["Food", "Mobility", "Buildings"])) else {
            panic!("tags")
        };
        assert!(
            out.contains("tags: # the atlas's themes\n  # main one first\n  - Food\n  # then\n  - Mobility # main\n  - Buildings\ndescription"),
            "{out}"
        );
        let Ok(out) = try_set(&out, "description", "First.\nSecond.".into()) else {
            panic!("description")
        };
        assert!(
            out.contains("description: |- # keep short\n  First.\n  Second.\ncity"),
            "{out}"
        );
        let Ok(out) = try_set(&out, "city", "Bergen".into()) else {
            panic!("city")
        };
        assert!(out.contains("city: Bergen # in English\n"), "{out}");
        let Ok(out) = try_set(&out, "tags", list(&["Energy"])) else {
            panic!("tags")
        };
        // Fewer items: comment lines and the comment of an item that went stay, after the list.
        assert!(
            out.contains("tags: # the atlas's themes\n  # main one first\n  - Energy\n  # then\n  # main\ndescription"),
            "{out}"
        );
    }

    #[test]
    fn comments_are_kept_with_crlf() {
        let text = "---\r\ntags: # themes\r\n  - A # first\r\n  # between\r\n  - B\r\n---\r\n";
        let Ok(out) = try_set(text, "tags", list(&["A", "C"])) else {
            panic!("tags")
        };
        assert_eq!(
            out,
            "---\r\ntags: # themes\r\n  - A # first\r\n  # between\r\n  - C\r\n---\r\n"
        );
    }

    #[test]
    fn equal_values_leave_the_file_untouched() {
        let text = "---\nyear_start: 2017\ncentroid: [40.7128, -74.0060]\ntitle: 'Quoted'\n---\n";
        let f = fm(text);
        let same = [
            ("year_start", Value::Number(2017.0.into())),
            (
                "centroid",
                Value::Sequence(vec![
                    Value::Number(40.7128.into()),
                    Value::Number((-74.006).into()),
                ]),
            ),
            ("title", Value::String("Quoted".into())),
        ];
        for (k, v) in same {
            assert_eq!(f.set_change(text, k, &v, &[]), Ok(None), "{k}");
        }
        // The same value that the site reads otherwise is rewritten so that it reads the same.
        let text = "---\ntitle: 12:30\n---\n";
        assert_eq!(
            try_set(text, "title", "12:30".into()),
            Ok("---\ntitle: '12:30'\n---\n".to_string())
        );
    }

    // Finding 4: the size guard.

    #[test]
    fn size_guard_refuses_the_write() {
        let big = "word ".repeat(14_000);
        assert!(matches!(
            try_set(DOC, "description", Value::String(big)),
            Err(SetError::TooLarge { .. })
        ));
    }

    // Finding 7: centroid and list styles.

    #[test]
    fn centroid_is_written_flow() {
        let c = Value::Sequence(vec![Value::Number(1.5.into()), Value::Number(2.5.into())]);
        for text in [
            "---\ncentroid:\ncity: Oslo\n---\n",
            "---\ncentroid:\n  - 0.0\n  - 0.0\ncity: Oslo\n---\n",
            "---\ncity: Oslo\n---\n",
        ] {
            let Ok(out) = try_set(text, "centroid", c.clone()) else {
                panic!("{text:?}")
            };
            assert!(out.contains("centroid: [1.5, 2.5]\n"), "{out}");
        }
    }

    #[test]
    fn lists_follow_the_file_style_else_the_template() {
        let block = ValueStyle::BlockSeq {
            indent: "  ".into(),
        };
        let set_hinted = |text: &str, hint: &ValueStyle| {
            let f = fm(text);
            let mut out = text.to_string();
            if let Ok(Some(c)) =
                f.set_change_styled(text, "tags", &list(&["A", "B"]), &[], Some(hint))
            {
                c.apply(&mut out);
            }
            out
        };
        // The file's own style wins.
        assert!(set_hinted("---\ntags: [X]\n---\n", &block).contains("tags: [A, B]\n"));
        assert!(
            set_hinted("---\ntags:\n- X\n---\n", &ValueStyle::FlowSeq)
                .contains("tags:\n- A\n- B\n")
        );
        // No style shown (empty, `[]`, missing): the template's.
        for text in [
            "---\ntags:\n---\n",
            "---\ntags: []\n---\n",
            "---\ncity: x\n---\n",
        ] {
            assert!(
                set_hinted(text, &block).contains("tags:\n  - A\n  - B\n"),
                "{text:?}"
            );
        }
    }
}
