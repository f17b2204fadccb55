//! Writing YAML values in the style a front matter already uses, so that both readers read
//! them back as the value meant.
//!
//! Two readers judge every value Casebook writes: serde_yaml (YAML 1.2, Casebook's own) and the
//! atlas site's gray-matter 4 / js-yaml 3 (YAML 1.1). Each candidate writing of a value is
//! read back with serde_yaml, and every plain scalar in it must mean the same to both readers
//! ([`crate::yaml11`]); quoted scalars, block literals and flow brackets read the same in both.
//! The first candidate that passes is used. Plain scalars are preferred, quotes are added only
//! where a reader needs them (`'12:30'`, `'2024-01-01'`, `'yes'`, `'010'`), quotes the author
//! chose are kept, lists keep their flow (`[a, b]`) or block (`- a`) form, and comments in the
//! lines replaced are kept ([`KeptComments`]).

use std::ops::Range;

use serde_yaml::{Mapping, Value};

use crate::yaml_lex::{self, Scan};
use crate::yaml11;

/// How a value is written after its key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ValueStyle {
    /// Nothing after `key:`.
    Empty,
    /// A plain scalar (or an unquoted comma list such as `a, b`).
    #[default]
    Plain,
    /// `'text'`
    SingleQuoted,
    /// `"text"`
    DoubleQuoted,
    /// `[a, b]`
    FlowSeq,
    /// `- a` lines, with the indent before the dash.
    BlockSeq {
        /// Spaces before each `-`.
        indent: String,
    },
    /// `|` or `>` block scalar.
    BlockScalar {
        /// The header, e.g. `|`, `>-`.
        header: String,
        /// Indent of the content lines.
        indent: String,
    },
    /// `{a: b}`
    FlowMap,
    /// An indented mapping or anything else spread over lines.
    Block {
        /// Indent of the first content line.
        indent: String,
    },
}

impl ValueStyle {
    /// The style of a raw value text (what follows `key:`, maybe over several lines).
    pub fn detect(raw: &str) -> ValueStyle {
        let mut lines = raw.split('\n');
        let first = lines.next().unwrap_or("").trim_start_matches([' ', '\t']);
        let first = first.trim_end_matches('\r');
        // `key: # comment` with the value on the next lines.
        if first.trim().is_empty() || first.starts_with('#') {
            for line in lines {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.trim_start().starts_with('#') {
                    continue;
                }
                let body = line.trim_start_matches(' ');
                let indent = line[..line.len() - body.len()].to_string();
                if body == "-" || body.starts_with("- ") {
                    return ValueStyle::BlockSeq { indent };
                }
                return ValueStyle::Block { indent };
            }
            return ValueStyle::Empty;
        }
        match first.chars().next() {
            Some('[') => ValueStyle::FlowSeq,
            Some('{') => ValueStyle::FlowMap,
            Some('"') => ValueStyle::DoubleQuoted,
            Some('\'') => ValueStyle::SingleQuoted,
            Some('|') | Some('>') => {
                let header = first.split_whitespace().next().unwrap_or("|").to_string();
                let indent = lines
                    .find(|l| !l.trim().is_empty())
                    .map(|l| {
                        let body = l.trim_start_matches(' ');
                        l[..l.len() - body.len()].to_string()
                    })
                    .unwrap_or_else(|| "  ".to_string());
                ValueStyle::BlockScalar { header, indent }
            }
            _ => ValueStyle::Plain,
        }
    }
}

impl ValueStyle {
    /// Whether this is a list style (flow or block).
    pub fn is_list(&self) -> bool {
        matches!(self, ValueStyle::FlowSeq | ValueStyle::BlockSeq { .. })
    }
}

/// The separator between `:` and an inline value as written (`" "` when there is none yet).
pub fn separator_of(after_colon: &str) -> &str {
    let first = after_colon.split('\n').next().unwrap_or("");
    let first = first.trim_end_matches('\r');
    let rest = first.trim_start_matches([' ', '\t']);
    let ws = &first[..first.len() - rest.len()];
    if rest.trim().is_empty() || ws.is_empty() || rest.starts_with('#') {
        " "
    } else {
        ws
    }
}

/// Comments found in the lines of a value that is replaced, to write again with the new value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptComments {
    /// A comment on the key's own line: after an inline value (`city: Oslo # note`), after
    /// `tags:` (`tags: # the atlas's themes`), after a block header (`description: | # note`).
    pub key_line: Option<String>,
    /// Comment lines inside the value (with their indentation), with the index of the block
    /// list item each one precedes (`None`: after the last item, or the value is no block list).
    pub lines: Vec<(String, Option<usize>)>,
    /// Comments at the end of block list item lines: item index, the item's text as read,
    /// the comment.
    pub items: Vec<(usize, Option<String>, String)>,
}

impl KeptComments {
    /// The comments in `text[value]`, the value of an entry written in `style` (`scan` is the
    /// value's lexical scan); `old` is the value as read (to match item comments to items).
    pub fn collect(
        text: &str,
        value: Range<usize>,
        scan: &Scan,
        style: &ValueStyle,
        old: Option<&Value>,
    ) -> KeptComments {
        let mut kept = KeptComments::default();
        let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |n| n + 1);
        let key_line_end = text[value.start..]
            .find('\n')
            .map_or(text.len(), |n| value.start + n);
        // Block list items: the starts of their lines.
        let mut item_lines: Vec<usize> = Vec::new();
        if let ValueStyle::BlockSeq { indent } = style {
            let mut at = key_line_end.saturating_add(1);
            while at < value.end {
                let end = text[at..value.end].find('\n').map_or(value.end, |n| at + n);
                let line = text[at..end].trim_end_matches('\r');
                if let Some(rest) = line.strip_prefix(indent.as_str())
                    && (rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t"))
                {
                    item_lines.push(at);
                }
                at = end + 1;
            }
        }
        let old_items: Vec<Option<String>> = match old {
            Some(Value::Sequence(items)) => items.iter().map(crate::fields::as_text).collect(),
            _ => Vec::new(),
        };
        for c in &scan.comments {
            let comment = text[c.range.clone()].to_string();
            if c.range.start < key_line_end {
                kept.key_line = Some(comment);
                continue;
            }
            let start = line_start(c.range.start);
            if c.own_line {
                let line = text[start..c.range.end].to_string();
                let before = item_lines.iter().position(|&l| l > start);
                let before = if item_lines.is_empty() { None } else { before };
                kept.lines.push((line, before));
                continue;
            }
            match item_lines.iter().rposition(|&l| l <= start) {
                Some(i) if !item_lines.is_empty() => {
                    let old = old_items.get(i).cloned().flatten();
                    kept.items.push((i, old, comment));
                }
                _ => {
                    let indent = match style {
                        ValueStyle::BlockSeq { indent } | ValueStyle::Block { indent } => {
                            indent.clone()
                        }
                        _ => "  ".to_string(),
                    };
                    kept.lines.push((format!("{indent}{comment}"), None));
                }
            }
        }
        kept
    }

    /// Whether there is nothing to keep.
    pub fn is_empty(&self) -> bool {
        self.key_line.is_none() && self.lines.is_empty() && self.items.is_empty()
    }
}

/// How to write one `key: value` entry: the key as written, its separator and style, the
/// comments to keep, the line break style.
#[derive(Debug, Clone)]
pub struct EntryWriter<'a> {
    /// The key as written, with any spaces before the colon (`title `, `"odd key"`).
    pub key_text: &'a str,
    /// The key as read.
    pub key: &'a str,
    /// What goes between `:` and an inline value (usually one space).
    pub sep: &'a str,
    /// The style to write the value in.
    pub style: ValueStyle,
    /// Comments to keep.
    pub comments: KeptComments,
    /// `"\n"` or `"\r\n"`.
    pub eol: &'a str,
    /// Whether the entry ends with a line break.
    pub ends_with_break: bool,
}

impl<'a> EntryWriter<'a> {
    /// A writer for a new entry: plain style, one space, no comments, ending with a break.
    pub fn new(key_text: &'a str, key: &'a str, eol: &'a str) -> EntryWriter<'a> {
        EntryWriter {
            key_text,
            key,
            sep: " ",
            style: ValueStyle::Plain,
            comments: KeptComments::default(),
            eol,
            ends_with_break: true,
        }
    }

    /// Writes `key: value`, read back to prove it. `None` when no writing reads back as
    /// `value` for both readers.
    pub fn render(&self, value: &Value) -> Option<String> {
        for candidate in candidates(value, &self.style, self.sep) {
            let mut entry = format!("{}:", self.key_text);
            entry.push_str(&self.compose(&candidate));
            if self.ends_with_break || entry.contains('\n') {
                entry.push('\n');
            }
            if reads_back(&entry, self.key, value) && site_agrees(&entry) {
                if !self.ends_with_break {
                    entry.pop();
                }
                return Some(if self.eol == "\n" {
                    entry
                } else {
                    entry.replace('\n', self.eol)
                });
            }
        }
        None
    }

    /// A candidate writing with the kept comments put back.
    fn compose(&self, candidate: &Candidate) -> String {
        let c = &self.comments;
        let mut out = String::new();
        let mut trailing_lines: Vec<String> = Vec::new();
        match candidate {
            Candidate::Text(s) => {
                let (head, tail) = match s.find('\n') {
                    Some(i) => (&s[..i], &s[i..]),
                    None => (s.as_str(), ""),
                };
                out.push_str(head);
                if let Some(k) = &c.key_line {
                    out.push(' ');
                    out.push_str(k);
                }
                out.push_str(tail);
                trailing_lines.extend(c.lines.iter().map(|(l, _)| l.clone()));
                let indent = "  ";
                trailing_lines.extend(c.items.iter().map(|(_, _, k)| format!("{indent}{k}")));
            }
            Candidate::Block { indent, items } => {
                if let Some(k) = &c.key_line {
                    out.push(' ');
                    out.push_str(k);
                }
                // Item comments: to the item with the same text, else the same place.
                let mut item_comment: Vec<Option<&str>> = vec![None; items.len()];
                let mut unplaced: Vec<&str> = Vec::new();
                let mut left: Vec<&(usize, Option<String>, String)> = Vec::new();
                for ic in &c.items {
                    let same = ic.1.as_ref().and_then(|old| {
                        items.iter().enumerate().position(|(i, (_, text))| {
                            item_comment[i].is_none() && text.as_deref() == Some(old.as_str())
                        })
                    });
                    match same {
                        Some(i) => item_comment[i] = Some(&ic.2),
                        None => left.push(ic),
                    }
                }
                for ic in left {
                    match item_comment.get_mut(ic.0) {
                        Some(slot @ None) => *slot = Some(&ic.2),
                        _ => unplaced.push(&ic.2),
                    }
                }
                for (i, (written, _)) in items.iter().enumerate() {
                    for (line, before) in &c.lines {
                        if *before == Some(i) {
                            out.push('\n');
                            out.push_str(line);
                        }
                    }
                    out.push('\n');
                    out.push_str(indent);
                    out.push_str("- ");
                    out.push_str(written);
                    if let Some(k) = item_comment[i] {
                        out.push(' ');
                        out.push_str(k);
                    }
                }
                for (line, before) in &c.lines {
                    if before.is_none_or(|b| b >= items.len()) {
                        trailing_lines.push(line.clone());
                    }
                }
                trailing_lines.extend(unplaced.iter().map(|k| format!("{indent}{k}")));
            }
        }
        for l in trailing_lines {
            out.push('\n');
            out.push_str(&l);
        }
        out
    }
}

/// A key written so that both readers read it back as text (plain when it can be).
pub fn render_key(key: &str) -> String {
    let simple = !key.is_empty()
        && !key.starts_with('-')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        && yaml11::plain_is_text(key);
    if simple {
        key.to_string()
    } else {
        double_quoted(key)
    }
}

/// Whether `entry` reads as exactly `{key: value}` for serde_yaml.
fn reads_back(entry: &str, key: &str, value: &Value) -> bool {
    match serde_yaml::from_str::<Mapping>(entry) {
        Ok(map) => map.len() == 1 && map.get(Value::String(key.to_string())) == Some(value),
        Err(_) => false,
    }
}

/// Whether every plain scalar of the entry's value means the same to the site (YAML 1.1) as to
/// serde_yaml; with [`reads_back`] this proves the site reads the value meant.
fn site_agrees(entry: &str) -> bool {
    let Some(colon) = entry_colon(entry) else {
        return false;
    };
    let scan = yaml_lex::scan(entry, colon + 1..entry.len());
    scan.aliases.is_empty()
        && scan.anchors.is_empty()
        && scan.tags.is_empty()
        && scan.plains.iter().all(|p| {
            let v = p.value(entry);
            if p.is_key {
                yaml11::plain_is_text(&v)
            } else {
                yaml11::readings_differ(&v).is_none() && !matches!(v.as_str(), "<<" | "=")
            }
        })
}

/// The colon after the (maybe quoted) key at the start of `entry`.
fn entry_colon(entry: &str) -> Option<usize> {
    let first = entry.chars().next()?;
    if first == '"' || first == '\'' {
        let i = crate::front_matter::find_quote_end(entry, first)?;
        return entry[i..].find(':').map(|n| i + n);
    }
    let b = entry.as_bytes();
    (0..b.len())
        .find(|&i| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\n')))
}

/// One way of writing a value after `key:`.
#[derive(Debug, Clone)]
enum Candidate {
    /// Text to put right after the colon (with its separator, or starting with a line break).
    Text(String),
    /// A block list: the indent before each dash and each item's writing with its text value.
    Block {
        indent: String,
        items: Vec<(String, Option<String>)>,
    },
}

/// Writings of `value` after `key:`, best first for `style`.
fn candidates(value: &Value, style: &ValueStyle, sep: &str) -> Vec<Candidate> {
    let inline = |s: String| Candidate::Text(format!("{sep}{s}"));
    match value {
        Value::Null => vec![Candidate::Text(String::new()), inline("null".into())],
        Value::Bool(b) => vec![inline(b.to_string())],
        Value::Number(n) => vec![inline(n.to_string())],
        Value::String(s) => string_candidates(s, style)
            .into_iter()
            .map(|c| {
                if c.starts_with('\n') {
                    Candidate::Text(c)
                } else {
                    inline(c)
                }
            })
            .collect(),
        Value::Sequence(items) => {
            let flow = flow_seq(items);
            let block_indent = match style {
                ValueStyle::BlockSeq { indent } => indent.clone(),
                _ => "  ".to_string(),
            };
            let block = block_seq(items).map(|items| Candidate::Block {
                indent: block_indent,
                items,
            });
            let mut out = Vec::new();
            let prefer_flow = items.is_empty() || !matches!(style, ValueStyle::BlockSeq { .. });
            if prefer_flow {
                out.extend(flow.map(inline));
                out.extend(block);
            } else {
                out.extend(block);
                out.extend(flow.map(inline));
            }
            out
        }
        Value::Mapping(_) => flow_item(value).map(inline).into_iter().collect(),
        // A tag the site may not know: never written.
        Value::Tagged(_) => Vec::new(),
    }
}

/// Writings of a string value, best first for `style`.
fn string_candidates(s: &str, style: &ValueStyle) -> Vec<String> {
    let mut out = Vec::new();
    if s.contains('\n') {
        let indent = match style {
            ValueStyle::BlockScalar { indent, .. } if !indent.is_empty() => indent.clone(),
            _ => "  ".to_string(),
        };
        out.extend(block_literal(s, &indent));
        out.push(double_quoted(s));
        return out;
    }
    let plain = plain_ok(s, false).then(|| s.to_string());
    let single = single_quoted(s);
    let double = double_quoted(s);
    match style {
        ValueStyle::DoubleQuoted => {
            out.push(double);
            out.extend(single);
            out.extend(plain);
        }
        ValueStyle::SingleQuoted => {
            out.extend(single);
            out.push(double);
            out.extend(plain);
        }
        ValueStyle::BlockScalar { header, indent } if header.starts_with('>') => {
            if plain.is_some() {
                out.push(format!(">-\n{indent}{s}"));
            }
            out.extend(plain);
            out.extend(single);
            out.push(double);
        }
        _ => {
            out.extend(plain);
            out.extend(single);
            out.push(double);
        }
    }
    out
}

/// `|`-style block literal candidates for a multi-line string.
fn block_literal(s: &str, indent: &str) -> Vec<String> {
    let (header, body) = if let Some(b) = s.strip_suffix('\n') {
        if b.ends_with('\n') {
            ("|+", b)
        } else {
            ("|", b)
        }
    } else {
        ("|-", s)
    };
    let mut out = header.to_string();
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
    }
    vec![out]
}

/// `[a, b]` when every item can be written inline.
fn flow_seq(items: &[Value]) -> Option<String> {
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        parts.push(flow_item(item)?);
    }
    Some(format!("[{}]", parts.join(", ")))
}

/// One value inside flow brackets (lists and mappings nest as flow too).
fn flow_item(item: &Value) -> Option<String> {
    match item {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => list_item(s, true, &ValueStyle::Plain),
        Value::Sequence(items) => flow_seq(items),
        Value::Mapping(map) => {
            let mut parts = Vec::with_capacity(map.len());
            for (k, v) in map {
                let Value::String(k) = k else {
                    return None;
                };
                parts.push(format!("{}: {}", render_key(k), flow_item(v)?));
            }
            Some(format!("{{{}}}", parts.join(", ")))
        }
        Value::Tagged(_) => None,
    }
}

/// Each item of a block list: its writing after `- ` and its text as read.
fn block_seq(items: &[Value]) -> Option<Vec<(String, Option<String>)>> {
    if items.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let w = match item {
            Value::String(s) if !s.contains('\n') => list_item(s, false, &ValueStyle::Plain)?,
            other => flow_item(other)?,
        };
        out.push((w, crate::fields::as_text(item)));
    }
    Some(out)
}

/// One text item of a list as written inside `[ ]` (`in_flow`) or after `- `, read back by
/// both readers as `s`: plain when it can be, else quoted. `style` is how the item it
/// replaces was written: quotes the author chose are kept when they still read right.
pub fn list_item(s: &str, in_flow: bool, style: &ValueStyle) -> Option<String> {
    if s.contains('\n') {
        return in_flow.then(|| double_quoted(s));
    }
    let plain = plain_ok(s, in_flow).then(|| s.to_string());
    let single = single_quoted(s);
    let double = double_quoted(s);
    let mut c: Vec<String> = Vec::with_capacity(3);
    match style {
        ValueStyle::DoubleQuoted => {
            c.push(double);
            c.extend(single);
            c.extend(plain);
        }
        ValueStyle::SingleQuoted => {
            c.extend(single);
            c.push(double);
            c.extend(plain);
        }
        _ => {
            c.extend(plain);
            c.extend(single);
            c.push(double);
        }
    }
    let want = Value::Sequence(vec![Value::String(s.to_string())]);
    c.into_iter().find(|w| {
        let probe = if in_flow {
            format!("[{w}]")
        } else {
            format!("- {w}")
        };
        serde_yaml::from_str::<Value>(&probe).is_ok_and(|v| v == want)
    })
}

/// The style to write a new value in: the existing one, except that quotes the old value
/// needed (a trailing space, a `: `, a YAML 1.1 reading such as `12:30`) are not kept once the
/// value no longer needs them. Quotes the author chose for a value that did not need them are
/// kept.
pub fn style_for_new_value(existing: &ValueStyle, old: Option<&Value>) -> ValueStyle {
    match (existing, old) {
        (ValueStyle::SingleQuoted | ValueStyle::DoubleQuoted, Some(Value::String(s)))
            if !plain_reads_back(s) =>
        {
            ValueStyle::Plain
        }
        _ => existing.clone(),
    }
}

/// Whether `s` written plain reads back as the same string for both readers.
fn plain_reads_back(s: &str) -> bool {
    plain_ok(s, false)
        && serde_yaml::from_str::<Value>(s).is_ok_and(|v| v == Value::String(s.to_string()))
}

/// Whether `s` may be written as a plain scalar (the read-back check has the last word).
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.contains('\n') || s.contains('\r') || s.contains('\t') {
        return false;
    }
    if matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // Booleans, nulls, numbers and dates for either reader (YAML 1.1 or 1.2) stay quoted.
    if !yaml11::plain_is_text(s) {
        return false;
    }
    if in_flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    !s.chars().any(char::is_control)
}

/// `'text'` when the text has no control characters.
fn single_quoted(s: &str) -> Option<String> {
    if s.chars().any(char::is_control) {
        return None;
    }
    Some(format!("'{}'", s.replace('\'', "''")))
}

/// `"text"` with YAML escapes.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether two values are the same as values: numbers compare as numbers (`10` and `10.0`,
/// `40.7128` and `40.712800`), the rest as serde_yaml compares them.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

/// A short description of a value's kind, for messages.
pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of keys",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(value: Value, style: ValueStyle) -> String {
        let mut w = EntryWriter::new("k", "k", "\n");
        w.style = style;
        match w.render(&value) {
            Some(s) => s,
            None => panic!("could not write {value:?}"),
        }
    }

    #[test]
    fn strings_get_quotes_only_when_needed() {
        assert_eq!(
            entry("Hello world".into(), ValueStyle::Plain),
            "k: Hello world\n"
        );
        assert_eq!(entry("yes".into(), ValueStyle::Plain), "k: 'yes'\n");
        assert_eq!(entry("2017".into(), ValueStyle::Plain), "k: '2017'\n");
        assert_eq!(entry("a: b".into(), ValueStyle::Plain), "k: 'a: b'\n");
        assert_eq!(entry("it's".into(), ValueStyle::Plain), "k: it's\n");
        assert_eq!(entry("- x".into(), ValueStyle::Plain), "k: '- x'\n");
        assert_eq!(
            entry("tab\there".into(), ValueStyle::Plain),
            "k: \"tab\\there\"\n"
        );
        assert_eq!(entry("".into(), ValueStyle::Plain), "k: ''\n");
        assert_eq!(entry("x".into(), ValueStyle::DoubleQuoted), "k: \"x\"\n");
    }

    /// Finding 1: values the site (YAML 1.1) reads as numbers, dates, booleans or null.
    #[test]
    fn yaml11_readings_are_quoted() {
        for s in [
            "12:30",
            "1:2:3",
            "010",
            "1_000",
            "0x1F",
            "0b101",
            "2024-01-01",
            "2024-1-1 10:00:00",
            "2001-12-14T21:59:43.10-05:00",
            ".inf",
            "-.Inf",
            ".NaN",
            "1:30.5",
            "1e3",
            "y",
            "N",
            "On",
            "OFF",
            "~",
            "Null",
            "<<",
            "=",
        ] {
            assert_eq!(
                entry(s.into(), ValueStyle::Plain),
                format!("k: '{s}'\n"),
                "{s:?}"
            );
        }
        let v = Value::Sequence(vec!["12:30".into(), "2024-01-01".into(), "Energy".into()]);
        assert_eq!(
            entry(v.clone(), ValueStyle::FlowSeq),
            "k: ['12:30', '2024-01-01', Energy]\n"
        );
        assert_eq!(
            entry(
                v,
                ValueStyle::BlockSeq {
                    indent: "  ".into()
                }
            ),
            "k:\n  - '12:30'\n  - '2024-01-01'\n  - Energy\n"
        );
        // A key that reads as a number for the site is quoted too.
        assert_eq!(render_key("12:30"), "\"12:30\"");
        assert_eq!(render_key("yes"), "\"yes\"");
        assert_eq!(render_key("year_end"), "year_end");
    }

    #[test]
    fn multi_line_strings_use_block_literals() {
        assert_eq!(entry("a\nb".into(), ValueStyle::Plain), "k: |-\n  a\n  b\n");
        assert_eq!(
            entry("a\n\nb\n".into(), ValueStyle::Plain),
            "k: |\n  a\n\n  b\n"
        );
    }

    #[test]
    fn lists_keep_their_form() {
        let v = Value::Sequence(vec!["A".into(), "b, c".into()]);
        assert_eq!(entry(v.clone(), ValueStyle::FlowSeq), "k: [A, 'b, c']\n");
        assert_eq!(
            entry(
                v,
                ValueStyle::BlockSeq {
                    indent: String::new()
                }
            ),
            "k:\n- A\n- b, c\n"
        );
        assert_eq!(
            entry(
                Value::Sequence(vec![]),
                ValueStyle::BlockSeq {
                    indent: "  ".into()
                }
            ),
            "k: []\n"
        );
        let nums = Value::Sequence(vec![
            Value::Number(40.712778.into()),
            Value::Number((-74.006111).into()),
        ]);
        assert_eq!(
            entry(nums, ValueStyle::FlowSeq),
            "k: [40.712778, -74.006111]\n"
        );
    }

    #[test]
    fn key_line_comments_are_kept() {
        let mut w = EntryWriter::new("k", "k", "\n");
        w.comments.key_line = Some("# note".into());
        assert_eq!(w.render(&"new".into()).as_deref(), Some("k: new # note\n"));
        w.style = ValueStyle::BlockSeq {
            indent: "  ".into(),
        };
        assert_eq!(
            w.render(&Value::Sequence(vec!["a".into()])).as_deref(),
            Some("k: # note\n  - a\n")
        );
        w.style = ValueStyle::BlockScalar {
            header: "|".into(),
            indent: "  ".into(),
        };
        assert_eq!(
            w.render(&"a\nb".into()).as_deref(),
            Some("k: |- # note\n  a\n  b\n")
        );
    }

    #[test]
    fn comments_in_block_lists_stay_with_their_items() {
        let text =
            "tags: # themes\n  # first the main one\n  - Mobility # main\n  - Energy\n  # end\n";
        let value_start = 5;
        let end = text.len() - 1;
        let scan = yaml_lex::scan(text, value_start..end);
        let style = ValueStyle::detect(&text[value_start..end]);
        let old = Value::Sequence(vec!["Mobility".into(), "Energy".into()]);
        let kept = KeptComments::collect(text, value_start..end, &scan, &style, Some(&old));
        assert_eq!(kept.key_line.as_deref(), Some("# themes"));
        assert_eq!(
            kept.lines,
            [
                ("  # first the main one".to_string(), Some(0)),
                ("  # end".to_string(), None)
            ]
        );
        let mut w = EntryWriter::new("tags", "tags", "\n");
        w.style = style;
        w.comments = kept;
        let new = Value::Sequence(vec!["Food".into(), "Mobility".into()]);
        assert_eq!(
            w.render(&new).as_deref(),
            Some(
                "tags: # themes\n  # first the main one\n  - Food\n  - Mobility # main\n  # end\n"
            )
        );
    }

    #[test]
    fn forced_quotes_are_not_kept() {
        let was_forced = style_for_new_value(&ValueStyle::SingleQuoted, Some(&"Montreal ".into()));
        assert_eq!(was_forced, ValueStyle::Plain);
        let was_forced = style_for_new_value(&ValueStyle::SingleQuoted, Some(&"12:30".into()));
        assert_eq!(was_forced, ValueStyle::Plain);
        let chosen = style_for_new_value(&ValueStyle::SingleQuoted, Some(&"Montreal".into()));
        assert_eq!(chosen, ValueStyle::SingleQuoted);
    }

    #[test]
    fn style_detection() {
        assert_eq!(ValueStyle::detect(" [1, 2]"), ValueStyle::FlowSeq);
        assert_eq!(
            ValueStyle::detect("\n  - a\n  - b"),
            ValueStyle::BlockSeq {
                indent: "  ".into()
            }
        );
        assert_eq!(ValueStyle::detect(" "), ValueStyle::Empty);
        assert_eq!(
            ValueStyle::detect(" >-\n    folded"),
            ValueStyle::BlockScalar {
                header: ">-".into(),
                indent: "    ".into()
            }
        );
    }

    #[test]
    fn values_compare_as_values() {
        let a = Value::Sequence(vec![Value::Number(10.into()), Value::Number(1.5.into())]);
        let b = Value::Sequence(vec![Value::Number(10.0.into()), Value::Number(1.5.into())]);
        assert!(same_value(&a, &b));
        assert!(!same_value(&Value::Number(2017.into()), &"2017".into()));
    }

    #[test]
    fn crlf_entries() {
        let mut w = EntryWriter::new("k", "k", "\r\n");
        w.style = ValueStyle::BlockSeq {
            indent: "  ".into(),
        };
        let s = w.render(&Value::Sequence(vec!["a".into()]));
        assert_eq!(s.as_deref(), Some("k:\r\n  - a\r\n"));
    }
}
