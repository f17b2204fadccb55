//! Edits over many cases at once: renaming (or merging) a tag in place, and the combined diff
//! a preview shows before anything is written.
//!
//! A bulk edit is an ordinary [`Edit`] per case, so each case is saved through the safe save and
//! undone like any other edit; the command line (`casebook tags rename`) and the app's Tags
//! panel share this code.
//!
//! **One line per case.** Renaming a tag replaces only the bytes of that list item: in a flow
//! list (`tags: [a, b]`) that one line changes, in a block list only the `- a` line, and the
//! item keeps its place. Merging (the new name is already in the list) removes the old item:
//! its `- a` line, or `a, ` inside the brackets. The new item is written plain when both readers
//! (serde_yaml and the site's YAML 1.1) read it back as the text, else quoted
//! ([`yaml_write::list_item`]); quotes the author put on the old item are kept when they still
//! read right. Every change is checked like a form edit before it is made
//! ([`FrontMatter::verify_value_change`]): the block still reads, no other key changes, and the
//! list reads as meant.

use std::ops::Range;
use std::path::PathBuf;

pub mod plan;

use serde_yaml::Value;

use crate::case::Case;
use crate::document::Document;
use crate::edit::Edit;
use crate::fields::{self, Field};
use crate::front_matter::{Entry, FrontMatter, SetError};
use crate::text::{Change, unified_diff};
use crate::yaml_write::{self, ValueStyle, same_value};

/// Why a tag could not be renamed in a case (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulkError {
    /// The old or new tag is empty or more than one line.
    #[error("a tag must be one line of text (got `{0}`)")]
    BadTag(String),
    /// The list is written in a form whose items Casebook cannot find one by one.
    #[error(
        "`tags` (line {line}) is written in a form Casebook cannot change one item of in place ({why}); edit it as text"
    )]
    Unlocatable {
        /// 1-based line of the key.
        line: usize,
        /// What was in the way.
        why: String,
    },
    /// The `tags` lines cannot be read, and they mention the tag.
    #[error("`tags` (line {line}) cannot be read, so the tag was not renamed; fix its YAML first")]
    Unreadable {
        /// 1-based line of the key.
        line: usize,
    },
    /// The new tag has no writing both readers read back as that text.
    #[error(
        "`{0}` cannot be written as a tag that both Casebook and the atlas site read back the same"
    )]
    Unwritable(String),
    /// The change was refused by the front-matter checks.
    #[error(transparent)]
    Field(#[from] SetError),
}

/// What renaming a tag does to one case.
#[derive(Debug, Clone, PartialEq)]
pub struct TagRename {
    /// The edit to apply (a text change inside the `tags` value).
    pub edit: Edit,
    /// Whether the new tag was already there, so the old one was removed (a merge).
    pub merged: bool,
}

/// Renames tag `old` to `new` in the case's front matter, in place (see the module docs).
///
/// `Ok(None)` when the case does not have the tag (or `old == new`): the case stays
/// byte-identical. Tags compare as written, after trimming.
pub fn rename_tag(case: &Case, old: &str, new: &str) -> Result<Option<TagRename>, BulkError> {
    rename_tag_in(case.doc(), old, new)
}

/// [`rename_tag`] on a document.
pub fn rename_tag_in(doc: &Document, old: &str, new: &str) -> Result<Option<TagRename>, BulkError> {
    let (old, new) = (old.trim(), new.trim());
    for t in [old, new] {
        if t.is_empty() || t.contains(['\n', '\r']) {
            return Err(BulkError::BadTag(t.to_string()));
        }
    }
    if old == new {
        return Ok(None);
    }
    let Some(fm) = doc.front_matter() else {
        return Ok(None);
    };
    let key = Field::Tags.key();
    let Some(entry) = fm.entry(key) else {
        return Ok(None);
    };
    let text = doc.text();
    let (change, merged, expected) = match &entry.value {
        None => {
            if text[entry.value_range.clone()].contains(old) {
                return Err(BulkError::Unreadable { line: entry.line });
            }
            return Ok(None);
        }
        Some(Value::Sequence(seq)) => match list_change(text, entry, seq, old, new)? {
            Some(c) => c,
            None => return Ok(None),
        },
        Some(Value::String(s)) => match comma_change(fm, text, s, old, new)? {
            Some(c) => c,
            None => return Ok(None),
        },
        Some(_) => return Ok(None),
    };
    fm.verify_value_change(text, &change, key, &expected)?;
    // Also when the block as a whole did not read (the check above then trusts the entry):
    // the document after the change must read the tags as meant.
    let mut after = text.to_string();
    if change.apply(&mut after).is_none() {
        return Err(BulkError::Unlocatable {
            line: entry.line,
            why: "the change does not fit".to_string(),
        });
    }
    let reread = Document::from_string(after);
    if !reread.value(key).is_some_and(|v| same_value(v, &expected)) {
        return Err(BulkError::Unwritable(new.to_string()));
    }
    Ok(Some(TagRename {
        edit: Edit::Text(change),
        merged,
    }))
}

/// The change for a YAML list of tags, the merge flag and the list meant.
fn list_change(
    text: &str,
    entry: &Entry,
    seq: &[Value],
    old: &str,
    new: &str,
) -> Result<Option<(Change, bool, Value)>, BulkError> {
    let as_tag = |v: &Value| fields::as_text(v).map(|s| s.trim().to_string());
    let hits: Vec<usize> = (0..seq.len())
        .filter(|&i| as_tag(&seq[i]).as_deref() == Some(old))
        .collect();
    let Some(&first) = hits.first() else {
        return Ok(None);
    };
    let merged = seq.iter().any(|v| as_tag(v).as_deref() == Some(new));
    let (items, in_flow) = locate_items(text, entry)?;
    if items.len() != seq.len() || items.iter().zip(seq).any(|(it, v)| it.value != *v) {
        return Err(BulkError::Unlocatable {
            line: entry.line,
            why: "its items could not be matched with the list as read".to_string(),
        });
    }
    let (renamed, removed): (Option<usize>, Vec<usize>) = if merged {
        (None, hits.clone())
    } else {
        (Some(first), hits[1..].to_vec())
    };
    let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
    let mut expected: Vec<Value> = Vec::with_capacity(seq.len());
    for (i, v) in seq.iter().enumerate() {
        if Some(i) == renamed {
            let writing = yaml_write::list_item(new, in_flow, &items[i].style)
                .ok_or_else(|| BulkError::Unwritable(new.to_string()))?;
            pieces.push((items[i].range.clone(), writing));
            expected.push(Value::String(new.to_string()));
        } else if !removed.contains(&i) {
            expected.push(v.clone());
        }
    }
    if in_flow {
        // Each run of removed items goes with the separator after it (or, for the last
        // items, the one before), so `[a, b, c]` loses `b, ` and `[a, b]` loses `, b`.
        let mut i = 0;
        while i < items.len() {
            if !removed.contains(&i) {
                i += 1;
                continue;
            }
            let a = i;
            while i + 1 < items.len() && removed.contains(&(i + 1)) {
                i += 1;
            }
            let b = i;
            let range = if let Some(next) = items.get(b + 1) {
                let start = items[a].range.start;
                whole_lines_or(text, start, next.range.start)
            } else if a > 0 {
                items[a - 1].range.end..items[b].range.end
            } else {
                items[a].range.start..items[b].range.end
            };
            pieces.push((range, String::new()));
            i += 1;
        }
    } else {
        for &i in &removed {
            pieces.push((items[i].lines.clone(), String::new()));
        }
    }
    Ok(Some((
        join_pieces(text, pieces),
        merged,
        Value::Sequence(expected),
    )))
}

/// `start..end` (an item and the separator after it, inside brackets), widened to whole lines
/// when the item begins its line and the next item begins the next line, so that removing it
/// removes its line instead of joining two.
fn whole_lines_or(text: &str, start: usize, end: usize) -> Range<usize> {
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let next_line_start = text[..end].rfind('\n').map_or(0, |n| n + 1);
    let only_space_before = text[line_start..start].trim().is_empty();
    let only_space_before_next = text[next_line_start..end].trim().is_empty();
    if only_space_before && only_space_before_next && next_line_start > start {
        line_start..next_line_start
    } else {
        start..end
    }
}

/// One change replacing every piece (non-overlapping ranges) in `text`, spanning from the
/// first piece to the last.
fn join_pieces(text: &str, mut pieces: Vec<(Range<usize>, String)>) -> Change {
    pieces.sort_by_key(|(r, _)| r.start);
    let start = pieces.first().map_or(0, |(r, _)| r.start);
    let end = pieces.iter().map(|(r, _)| r.end).max().unwrap_or(start);
    let mut out = String::new();
    let mut at = start;
    for (r, w) in &pieces {
        out.push_str(&text[at..r.start.max(at)]);
        out.push_str(w);
        at = r.end.max(at);
    }
    out.push_str(&text[at..end]);
    Change::new(start..end, out)
}

/// The change for tags written as one comma-separated text (`tags: Mobility, Energy`): the
/// item is replaced (or removed) inside the text, which is written again in its own style.
fn comma_change(
    fm: &FrontMatter,
    text: &str,
    s: &str,
    old: &str,
    new: &str,
) -> Result<Option<(Change, bool, Value)>, BulkError> {
    if new.contains(',') {
        return Err(BulkError::Unwritable(new.to_string()));
    }
    let parts: Vec<&str> = s.split(',').collect();
    let hits: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].trim() == old)
        .collect();
    let Some(&first) = hits.first() else {
        return Ok(None);
    };
    let merged = parts.iter().any(|p| p.trim() == new);
    let mut kept: Vec<String> = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        if hits.contains(&i) && (merged || i != first) {
            continue;
        }
        if i == first && !merged {
            // Keep the spaces around the item as written.
            let lead = &p[..p.len() - p.trim_start().len()];
            let trail = &p[p.trim_end().len()..];
            kept.push(format!("{lead}{new}{trail}"));
        } else {
            kept.push((*p).to_string());
        }
    }
    let mut joined = kept.join(",");
    // Removing the first item leaves the space that followed its comma.
    if !s.starts_with([' ', '\t']) {
        joined = joined.trim_start().to_string();
    }
    let value = Value::String(joined);
    let change = fm
        .set_change(text, Field::Tags.key(), &value, &[])?
        .ok_or_else(|| BulkError::Unwritable(new.to_string()))?;
    Ok(Some((change, merged, value)))
}

/// One item of a YAML list as written.
#[derive(Debug, Clone, PartialEq)]
struct ListItem {
    /// The item as written (quotes included, a trailing comment not).
    range: Range<usize>,
    /// A block item's lines (the `- ` line and any continuation), with the final line break.
    lines: Range<usize>,
    /// Plain, single- or double-quoted.
    style: ValueStyle,
    /// The item as serde_yaml reads it.
    value: Value,
}

/// The items of the list `entry` holds, and whether it is a flow list.
fn locate_items(text: &str, entry: &Entry) -> Result<(Vec<ListItem>, bool), BulkError> {
    let unlocatable = |why: &str| BulkError::Unlocatable {
        line: entry.line,
        why: why.to_string(),
    };
    let v = entry.value_range.clone();
    let first = text[v.clone()].find(|c: char| c != ' ' && c != '\t');
    match (&entry.style, first) {
        (ValueStyle::BlockSeq { indent }, _) => block_items(text, v, indent)
            .map(|items| (items, false))
            .ok_or_else(|| unlocatable("an item spans lines in a way that is not supported")),
        (ValueStyle::FlowSeq, Some(i)) if text[v.start + i..].starts_with('[') => {
            flow_items(text, v.start + i, v.end)
                .map(|items| (items, true))
                .ok_or_else(|| unlocatable("an item is not a plain or quoted text"))
        }
        _ => Err(unlocatable(
            "it is not a plain `[a, b]` or `- a` list (an anchor, a tag or a nested value)",
        )),
    }
}

/// The end (exclusive) of the quoted scalar opening at `start`, searching up to `end`.
fn quoted_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let b = text.as_bytes();
    let q = b[start];
    let mut i = start + 1;
    while i < end {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') && i + 1 < end {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The style of an item written at `start`.
fn item_style(text: &str, start: usize) -> ValueStyle {
    match text.as_bytes().get(start) {
        Some(b'"') => ValueStyle::DoubleQuoted,
        Some(b'\'') => ValueStyle::SingleQuoted,
        _ => ValueStyle::Plain,
    }
}

/// Skips spaces, line breaks and comments (a `#` after a space or at a line's start).
fn skip_blank(text: &str, mut at: usize, end: usize) -> usize {
    let b = text.as_bytes();
    while at < end {
        match b[at] {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' if at == 0 || matches!(b[at - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                at = text[at..end].find('\n').map_or(end, |n| at + n);
            }
            _ => break,
        }
    }
    at
}

/// The items of the flow list whose `[` is at `open`, the value ending at `end`. `None` when
/// an item is not a text written plain or quoted (a nested list or mapping), or the list does
/// not close.
fn flow_items(text: &str, open: usize, end: usize) -> Option<Vec<ListItem>> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    let mut at = open + 1;
    loop {
        at = skip_blank(text, at, end);
        if at >= end {
            return None;
        }
        match b[at] {
            b']' => return Some(items),
            b',' | b'[' | b'{' | b'&' | b'*' | b'!' => return None,
            _ => {}
        }
        let start = at;
        let item_end = match b[at] {
            b'"' | b'\'' => quoted_end(text, at, end)?,
            _ => {
                let mut i = at;
                while i < end {
                    match b[i] {
                        b',' | b']' | b'[' | b'{' | b'}' => break,
                        b'#' if matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => break,
                        _ => i += 1,
                    }
                }
                start + text[start..i].trim_end().len()
            }
        };
        let raw = &text[start..item_end];
        let value = match serde_yaml::from_str::<Value>(&format!("[{raw}]")) {
            Ok(Value::Sequence(mut one)) if one.len() == 1 => one.pop()?,
            _ => return None,
        };
        items.push(ListItem {
            range: start..item_end,
            lines: start..item_end,
            style: item_style(text, start),
            value,
        });
        at = skip_blank(text, item_end, end);
        match b.get(at) {
            Some(b',') if at < end => at += 1,
            Some(b']') if at < end => return Some(items),
            _ => return None,
        }
    }
}

/// The items of the block list in `value` (what follows `tags:`), each a line `{indent}- item`
/// maybe followed by more-indented continuation lines. `None` when a line fits neither.
fn block_items(text: &str, value: Range<usize>, indent: &str) -> Option<Vec<ListItem>> {
    let mut items: Vec<ListItem> = Vec::new();
    // The key line's rest holds nothing but a comment.
    let mut at = text[value.clone()]
        .find('\n')
        .map_or(value.end, |n| value.start + n + 1);
    while at < value.end {
        let line_end = text[at..value.end].find('\n').map_or(value.end, |n| at + n);
        let next = after_break(text, line_end);
        let content = text[at..line_end].trim_end_matches('\r');
        let content_end = at + content.len();
        let body = content.trim_start_matches([' ', '\t']);
        if body.is_empty() || body.starts_with('#') {
            at = next;
            continue;
        }
        let dash = content
            .strip_prefix(indent)
            .filter(|r| *r == "-" || r.starts_with("- ") || r.starts_with("-\t"));
        if let Some(rest) = dash {
            let after_dash = &rest[1..];
            let start = content_end - after_dash.trim_start_matches([' ', '\t']).len();
            let (item_end, lines_end) = match text.as_bytes().get(start) {
                Some(b'"' | b'\'') if start < content_end => {
                    let q_end = quoted_end(text, start, value.end)?;
                    // A quoted item may run over lines; its lines end where it closes.
                    let close = text[q_end..value.end]
                        .find('\n')
                        .map_or(value.end, |n| q_end + n);
                    let after = text[q_end..close].trim();
                    if !(after.is_empty() || after.starts_with('#')) {
                        return None;
                    }
                    (q_end, after_break(text, close))
                }
                _ => {
                    let line = &text[start..content_end];
                    let cut = comment_start(line).unwrap_or(line.len());
                    (start + line[..cut].trim_end().len(), next)
                }
            };
            items.push(ListItem {
                range: start..item_end,
                lines: at..lines_end,
                style: item_style(text, start),
                value: Value::Null,
            });
            at = lines_end;
            continue;
        }
        // A continuation line of the last item: more indented than its dash.
        let item = items.last_mut()?;
        if content.len() - body.len() <= indent.len() {
            return None;
        }
        let cut = comment_start(content).map_or(content_end, |c| at + c);
        item.range.end = at + text[at..cut].trim_end().len();
        item.lines.end = next;
        at = next;
    }
    for item in &mut items {
        item.value = match serde_yaml::from_str::<Value>(&text[item.lines.clone()]) {
            Ok(Value::Sequence(mut one)) if one.len() == 1 => one.pop()?,
            _ => return None,
        };
    }
    Some(items)
}

/// The start of the line after the one ending at `line_end` (past `\n` or `\r\n`).
fn after_break(text: &str, line_end: usize) -> usize {
    let rest = &text[line_end..];
    if rest.starts_with("\r\n") {
        line_end + 2
    } else if rest.starts_with('\n') {
        line_end + 1
    } else {
        line_end
    }
}

/// Where a comment starts in a plain item's line (a `#` after a space).
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    (1..b.len()).find(|&i| b[i] == b'#' && matches!(b[i - 1], b' ' | b'\t'))
}

/// One file of a bulk preview: its path and its text before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    /// The file (as shown in the diff's `---`/`+++` lines).
    pub path: PathBuf,
    /// The text now.
    pub before: String,
    /// The text after the edit.
    pub after: String,
}

/// The unified diffs of every file that changes, one after the other (`a/` and `b/` names),
/// in the order given: what a preview shows and `--dry-run` prints.
pub fn combined_diff(files: &[FileDiff]) -> String {
    let mut out = String::new();
    for f in files {
        let name = f.path.display().to_string();
        out.push_str(&unified_diff(
            &f.before,
            &f.after,
            &format!("a/{name}"),
            &format!("b/{name}"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{DiffLine, line_diff};

    /// The text after renaming, and whether it was a merge; panics when refused.
    fn rename(text: &str, old: &str, new: &str) -> Option<(String, bool)> {
        let mut doc = Document::from_text(text);
        let r = match rename_tag_in(&doc, old, new) {
            Ok(r) => r?,
            Err(e) => panic!("refused: {e}\n{text}"),
        };
        let Edit::Text(change) = &r.edit else {
            panic!("not a text edit")
        };
        let inverse = match doc.apply_change(change) {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        let after = String::from_utf8_lossy(&doc.to_bytes()).into_owned();
        // The inverse restores the bytes.
        let mut back = doc.clone();
        if let Err(e) = back.apply_change(&inverse) {
            panic!("{e}");
        }
        assert_eq!(String::from_utf8_lossy(&back.to_bytes()), text);
        Some((after, r.merged))
    }

    /// The text after renaming, and whether it was a merge; panics when nothing changes.
    fn renamed(text: &str, old: &str, new: &str) -> (String, bool) {
        match rename(text, old, new) {
            Some(r) => r,
            None => panic!("no change renaming {old} to {new}: {text}"),
        }
    }

    /// (removed lines, added lines) between two texts.
    fn changed_lines(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
        let mut removed = Vec::new();
        let mut added = Vec::new();
        for l in line_diff(a, b) {
            match l {
                DiffLine::Removed(t) => removed.push(t.to_string()),
                DiffLine::Added(t) => added.push(t.to_string()),
                DiffLine::Same(_) => {}
            }
        }
        (removed, added)
    }

    fn tags(text: &str) -> Vec<String> {
        fields::tags_of(Document::from_text(text).value("tags")).0
    }

    #[test]
    fn flow_list_changes_one_line_in_place() {
        let t = "---\ntitle: A\ntags: [Mobility, Energy, Food] # themes\ncity: B\n---\n\n## X\n";
        let (after, merged) = renamed(t, "Energy", "Power");
        assert!(!merged);
        assert_eq!(
            after,
            "---\ntitle: A\ntags: [Mobility, Power, Food] # themes\ncity: B\n---\n\n## X\n"
        );
        assert_eq!(tags(&after), ["Mobility", "Power", "Food"]);
    }

    #[test]
    fn block_list_changes_only_the_dash_line() {
        for (t, line) in [
            (
                "---\ntags:\n  - Mobility\n  - Energy # main\n  - Food\ncity: B\n---\n",
                "  - Power # main\n",
            ),
            (
                "---\ntags: \n- Mobility\n- Energy\n- Food\n\n---\n",
                "- Power\n",
            ),
            (
                "\u{feff}---\r\ntags:\r\n    - Mobility\r\n    - Energy\r\n---\r\nBody\r\n",
                "    - Power\r\n",
            ),
        ] {
            let (after, _) = renamed(t, "Energy", "Power");
            let (removed, added) = changed_lines(t, &after);
            assert_eq!(removed.len(), 1, "{after}");
            assert_eq!(added, [line], "{after}");
            assert_eq!(tags(&after)[1], "Power");
            assert_eq!(after.len() as isize - t.len() as isize, -1);
        }
    }

    #[test]
    fn quotes_are_kept_or_added_as_the_readers_need() {
        let t = "---\ntags: ['Energy', \"Food\", Mobility]\n---\n";
        let (after, _) = renamed(t, "Energy", "Power");
        assert!(
            after.contains("tags: ['Power', \"Food\", Mobility]"),
            "{after}"
        );
        let (after, _) = renamed(t, "Food", "Farm: urban");
        assert!(after.contains("\"Farm: urban\""), "{after}");
        assert_eq!(tags(&after)[1], "Farm: urban");
        // A text YAML 1.1 reads as true, and one with a comma inside brackets.
        let (after, _) = renamed(t, "Mobility", "yes");
        assert!(after.contains(", 'yes']"), "{after}");
        let (after, _) = renamed(t, "Mobility", "a, b");
        assert_eq!(tags(&after)[2], "a, b");
        let b = "---\ntags:\n  - Energy\n  - Mobility\n---\n";
        let (after, _) = renamed(b, "Energy", "2024-01-01");
        assert!(after.contains("  - '2024-01-01'\n"), "{after}");
    }

    #[test]
    fn merge_removes_the_old_item_keeping_the_others_in_place() {
        let flow = "---\ntags: [Mobility, Energy, Power]\n---\n";
        let (after, merged) = renamed(flow, "Energy", "Power");
        assert!(merged);
        assert_eq!(after, "---\ntags: [Mobility, Power]\n---\n");
        let (after, _) = renamed(flow, "Power", "Mobility");
        assert_eq!(after, "---\ntags: [Mobility, Energy]\n---\n");
        let (after, _) = renamed(flow, "Mobility", "Power");
        assert_eq!(after, "---\ntags: [Energy, Power]\n---\n");

        let block = "---\ntags:\n  - Mobility\n  - Energy\n  - Power\ncity: X\n---\n";
        let (after, merged) = renamed(block, "Energy", "Power");
        assert!(merged);
        assert_eq!(after, "---\ntags:\n  - Mobility\n  - Power\ncity: X\n---\n");

        // A flow list over lines loses the old item's line.
        let lines = "---\ntags: [\n  Mobility,\n  Energy,\n  Power\n]\n---\n";
        let (after, _) = renamed(lines, "Energy", "Power");
        assert_eq!(after, "---\ntags: [\n  Mobility,\n  Power\n]\n---\n");
        assert_eq!(tags(&after), ["Mobility", "Power"]);
    }

    #[test]
    fn duplicates_of_the_old_tag_go_once_renamed() {
        let t = "---\ntags: [Energy, Food, Energy]\n---\n";
        let (after, _) = renamed(t, "Energy", "Power");
        assert_eq!(after, "---\ntags: [Power, Food]\n---\n");
    }

    #[test]
    fn comma_text_tags_change_in_their_line() {
        let t = "---\ntitle: A\ntags: Mobility, Energy, Food\ncity: B\n---\n";
        let (after, _) = renamed(t, "Energy", "Power");
        assert_eq!(
            after,
            "---\ntitle: A\ntags: Mobility, Power, Food\ncity: B\n---\n"
        );
        let (after, merged) = renamed(t, "Mobility", "Food");
        assert!(merged);
        assert_eq!(after, "---\ntitle: A\ntags: Energy, Food\ncity: B\n---\n");
    }

    #[test]
    fn cases_without_the_tag_are_untouched() {
        for t in [
            "---\ntags: [Mobility]\n---\n",
            "---\ntags:\n---\n",
            "---\ntitle: no tags\n---\n",
            "no front matter\n",
            "---\ntags: [Mobility]\nnote: Energy\n---\n",
        ] {
            assert!(rename(t, "Energy", "Power").is_none(), "{t}");
        }
        assert!(rename("---\ntags: [Energy]\n---\n", "Energy", "Energy").is_none());
    }

    #[test]
    fn refusals_name_the_line_and_change_nothing() {
        let doc = Document::from_text("---\ntitle: A\ntags: &t [Energy]\nother: *t\n---\n");
        assert!(rename_tag_in(&doc, "Energy", "Power").is_err());
        let doc = Document::from_text("---\ntags: [Energy\n---\n");
        assert!(matches!(
            rename_tag_in(&doc, "Energy", "Power"),
            Err(BulkError::Unreadable { line: 2 })
        ));
        let doc = Document::from_text("---\ntags: [Energy]\n---\n");
        assert!(matches!(
            rename_tag_in(&doc, "Energy", "a\nb"),
            Err(BulkError::BadTag(_))
        ));
        assert!(matches!(
            rename_tag_in(&doc, "", "b"),
            Err(BulkError::BadTag(_))
        ));
        // Nested items are not tags Casebook edits one by one.
        let doc = Document::from_text("---\ntags: [[Energy], Energy]\n---\n");
        assert!(rename_tag_in(&doc, "Energy", "Power").is_err());
    }

    #[test]
    fn combined_diff_lists_each_file() {
        let files = vec![
            FileDiff {
                path: PathBuf::from("x/index.md"),
                before: "a\nb\n".into(),
                after: "a\nc\n".into(),
            },
            FileDiff {
                path: PathBuf::from("y/index.md"),
                before: "s\n".into(),
                after: "s\n".into(),
            },
        ];
        let d = combined_diff(&files);
        assert!(d.starts_with("--- a/x/index.md\n+++ b/x/index.md\n"), "{d}");
        assert!(!d.contains("y/index.md"));
    }
}
