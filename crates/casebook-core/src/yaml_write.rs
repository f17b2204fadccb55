//! Writing YAML values in the style a front matter already uses, proven by reading them back.
//!
//! Each candidate writing of a value is read back with serde_yaml; the first one that means
//! exactly the intended value is used. Plain scalars are preferred, quotes are added only
//! where YAML needs them, and lists keep their flow (`[a, b]`) or block (`- a`) form.

use serde_yaml::{Mapping, Value};

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
        if first.trim().is_empty() {
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

    fn is_inline(&self) -> bool {
        matches!(
            self,
            ValueStyle::Empty
                | ValueStyle::Plain
                | ValueStyle::SingleQuoted
                | ValueStyle::DoubleQuoted
                | ValueStyle::FlowSeq
                | ValueStyle::FlowMap
        )
    }
}

/// The separator between `:` and an inline value as written (`" "` when there is none yet).
pub fn separator_of(after_colon: &str) -> &str {
    let first = after_colon.split('\n').next().unwrap_or("");
    let rest = first.trim_start_matches([' ', '\t']);
    let ws = &first[..first.len() - rest.len()];
    if rest.trim().is_empty() || ws.is_empty() {
        " "
    } else {
        ws
    }
}

/// A `# comment` at the end of a one-line inline value, to keep when the value changes.
pub fn trailing_comment(raw: &str, style: &ValueStyle) -> Option<String> {
    if !style.is_inline() || raw.contains('\n') {
        return None;
    }
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in raw.char_indices() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => {
                if (c == '"' || c == '\'') && (prev == ' ' || prev == '[' || prev == ',') {
                    quote = Some(c);
                } else if c == '#' && (prev == ' ' || prev == '\t') && i > 0 {
                    return Some(raw[i..].trim_end().to_string());
                }
            }
        }
        prev = c;
    }
    None
}

/// A key written so that YAML reads it back (plain when it can be).
pub fn render_key(key: &str) -> String {
    let simple = !key.is_empty()
        && !key.starts_with('-')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
    if simple {
        key.to_string()
    } else {
        double_quoted(key)
    }
}

/// Writes `key: value` (with `sep`, the style and a kept comment), read back to prove it.
///
/// Returns the entry text in `eol` style, with a final line break when `ends_with_break`.
#[allow(clippy::too_many_arguments)]
pub fn render_entry(
    key_text: &str,
    key: &str,
    sep: &str,
    value: &Value,
    style: &ValueStyle,
    comment: Option<&str>,
    eol: &str,
    ends_with_break: bool,
) -> Option<String> {
    for rest in candidates(value, style, sep) {
        let mut entry = format!("{key_text}:{rest}");
        if let Some(c) = comment
            && !rest.contains('\n')
            && !rest.trim().is_empty()
        {
            entry.push(' ');
            entry.push_str(c);
        }
        if ends_with_break || rest.contains('\n') {
            entry.push('\n');
        }
        if reads_back(&entry, key, value) {
            if !ends_with_break {
                entry.pop();
            }
            return Some(if eol == "\n" {
                entry
            } else {
                entry.replace('\n', eol)
            });
        }
    }
    None
}

/// Whether `entry` reads as exactly `{key: value}`.
fn reads_back(entry: &str, key: &str, value: &Value) -> bool {
    match serde_yaml::from_str::<Mapping>(entry) {
        Ok(map) => map.len() == 1 && map.get(Value::String(key.to_string())) == Some(value),
        Err(_) => false,
    }
}

/// Writings of `value` after `key:`, best first for `style`.
fn candidates(value: &Value, style: &ValueStyle, sep: &str) -> Vec<String> {
    let inline = |s: String| format!("{sep}{s}");
    match value {
        Value::Null => vec![String::new(), inline("null".into())],
        Value::Bool(b) => vec![inline(b.to_string())],
        Value::Number(n) => vec![inline(n.to_string())],
        Value::String(s) => string_candidates(s, style)
            .into_iter()
            .map(|c| if c.starts_with('\n') { c } else { inline(c) })
            .collect(),
        Value::Sequence(items) => {
            let flow = flow_seq(items);
            let block_indent = match style {
                ValueStyle::BlockSeq { indent } => indent.clone(),
                _ => "  ".to_string(),
            };
            let block = block_seq(items, &block_indent);
            let mut out = Vec::new();
            let prefer_flow = items.is_empty()
                || matches!(
                    style,
                    ValueStyle::FlowSeq
                        | ValueStyle::Plain
                        | ValueStyle::SingleQuoted
                        | ValueStyle::DoubleQuoted
                );
            if prefer_flow {
                out.extend(flow.map(inline));
                out.extend(block);
            } else {
                out.extend(block);
                out.extend(flow.map(inline));
            }
            out.extend(nested_block(value));
            out
        }
        Value::Mapping(_) | Value::Tagged(_) => {
            let mut out = Vec::new();
            if let ValueStyle::FlowMap = style
                && let Ok(s) = serde_json::to_string(&value)
            {
                out.push(inline(s));
            }
            out.extend(nested_block(value));
            out
        }
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
            out.push(format!("{}\n{}{}", ">-", indent, s));
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

/// One item of a flow sequence.
fn flow_item(item: &Value) -> Option<String> {
    match item {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.contains('\n') => Some(double_quoted(s)),
        Value::String(s) => {
            let mut c = Vec::new();
            if plain_ok(s, true) {
                c.push(s.clone());
            }
            c.extend(single_quoted(s));
            c.push(double_quoted(s));
            c.into_iter().find(|w| {
                serde_yaml::from_str::<Value>(&format!("[{w}]"))
                    .is_ok_and(|v| v == Value::Sequence(vec![item.clone()]))
            })
        }
        _ => serde_json::to_string(item).ok(),
    }
}

/// `- a` lines with `indent` before each dash.
fn block_seq(items: &[Value], indent: &str) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut out = String::new();
    for item in items {
        let w = match item {
            Value::String(s) if !s.contains('\n') => {
                let mut c = Vec::new();
                if plain_ok(s, false) {
                    c.push(s.clone());
                }
                c.extend(single_quoted(s));
                c.push(double_quoted(s));
                c.into_iter().find(|w| {
                    serde_yaml::from_str::<Value>(&format!("- {w}"))
                        .is_ok_and(|v| v == Value::Sequence(vec![item.clone()]))
                })?
            }
            other => flow_item(other)?,
        };
        out.push('\n');
        out.push_str(indent);
        out.push_str("- ");
        out.push_str(&w);
    }
    Some(out)
}

/// Any value written by serde_yaml as an indented block under the key.
fn nested_block(value: &Value) -> Option<String> {
    let s = serde_yaml::to_string(value).ok()?;
    let mut out = String::new();
    for line in s.trim_end_matches('\n').split('\n') {
        out.push('\n');
        out.push_str("  ");
        out.push_str(line);
    }
    Some(out)
}

/// The style to write a new value in: the existing one, except that quotes the old value
/// needed (a trailing space, a `: `) are not kept once the value no longer needs them. Quotes
/// the author chose for a value that did not need them are kept.
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

/// Whether `s` written plain reads back as the same string.
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
    // Words that YAML 1.1 readers take for booleans or null stay quoted for their sake.
    const YAML11: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "none", "nan",
    ];
    if YAML11.contains(&s.to_ascii_lowercase().as_str()) {
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
        match render_entry("k", "k", " ", &value, &style, None, "\n", true) {
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
    fn comments_are_kept() {
        let s = render_entry(
            "k",
            "k",
            " ",
            &"new".into(),
            &ValueStyle::Plain,
            Some("# note"),
            "\n",
            true,
        );
        assert_eq!(s.as_deref(), Some("k: new # note\n"));
        assert_eq!(
            trailing_comment(" old # note", &ValueStyle::Plain).as_deref(),
            Some("# note")
        );
        assert_eq!(
            trailing_comment(" 'a # b'", &ValueStyle::SingleQuoted),
            None
        );
    }

    #[test]
    fn forced_quotes_are_not_kept() {
        let was_forced = style_for_new_value(&ValueStyle::SingleQuoted, Some(&"Montreal ".into()));
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
    fn crlf_entries() {
        let s = render_entry(
            "k",
            "k",
            " ",
            &Value::Sequence(vec!["a".into()]),
            &ValueStyle::BlockSeq {
                indent: "  ".into(),
            },
            None,
            "\r\n",
            true,
        );
        assert_eq!(s.as_deref(), Some("k:\r\n  - a\r\n"));
    }
}
