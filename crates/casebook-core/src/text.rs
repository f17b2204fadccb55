//! Text primitives: a [`Change`] over a source string, line endings, line/column lookup.
//!
//! Every edit of a case's `index.md` is lowered to changes of its text, so that applying the
//! inverse change gives back the original bytes exactly.

use std::ops::Range;

/// One replacement of a byte range of a text by new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The byte range replaced (on `char` boundaries of the text it applies to).
    pub range: Range<usize>,
    /// The text put in its place.
    pub replacement: String,
}

impl Change {
    /// A change replacing `range` with `replacement`.
    pub fn new(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Self {
            range,
            replacement: replacement.into(),
        }
    }

    /// Whether the range is valid for `text` (in bounds, ordered, on char boundaries).
    pub fn fits(&self, text: &str) -> bool {
        self.range.start <= self.range.end
            && self.range.end <= text.len()
            && text.is_char_boundary(self.range.start)
            && text.is_char_boundary(self.range.end)
    }

    /// Applies the change to `text` and returns the change that undoes it, or `None` when the
    /// range does not fit the text (nothing is changed then).
    pub fn apply(&self, text: &mut String) -> Option<Change> {
        if !self.fits(text) {
            return None;
        }
        let old = text[self.range.clone()].to_string();
        text.replace_range(self.range.clone(), &self.replacement);
        Some(Change {
            range: self.range.start..self.range.start + self.replacement.len(),
            replacement: old,
        })
    }

    /// Whether applying the change would leave the text as it is.
    pub fn is_noop(&self, text: &str) -> bool {
        self.fits(text) && text[self.range.clone()] == self.replacement
    }
}

/// The line-ending style of a file, kept as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// `\n`
    #[default]
    Lf,
    /// `\r\n`
    CrLf,
}

impl LineEnding {
    /// The style used by most line breaks of `text` (LF when there are none).
    pub fn detect(text: &str) -> Self {
        // The first 64 KiB tell (a 50 MB file need not be scanned twice).
        let head = &text[..floor_char_boundary(text, 64 * 1024)];
        let lf = head.matches('\n').count();
        let crlf = head.matches("\r\n").count();
        if crlf > 0 && crlf * 2 >= lf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }

    /// The characters of one line break.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    /// `text` (with any line endings) converted to this style.
    pub fn apply_to(self, text: &str) -> String {
        let lf = normalize_newlines(text);
        match self {
            LineEnding::Lf => lf,
            LineEnding::CrLf => lf.replace('\n', "\r\n"),
        }
    }
}

/// `text` with every `\r\n` (and lone `\r`) turned into `\n`.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A line of a text: its byte range without and with its line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Start of the line.
    pub start: usize,
    /// End of the line's content (before `\r\n` or `\n`).
    pub content_end: usize,
    /// End of the line including its break (equals `content_end` on a last line without one).
    pub end: usize,
}

impl Line {
    /// The line's content (without its break) in `text`.
    pub fn content<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.content_end]
    }
}

/// Iterates over the lines of `text[from..to]`, with absolute byte offsets.
pub fn lines_in(text: &str, from: usize, to: usize) -> impl Iterator<Item = Line> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= to {
            return None;
        }
        let start = pos;
        let rest = &text[start..to];
        let (content_end, end) = match rest.find('\n') {
            Some(i) => {
                let nl = start + i;
                let content_end = if nl > start && text.as_bytes()[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (content_end, nl + 1)
            }
            None => (to, to),
        };
        pos = end;
        Some(Line {
            start,
            content_end,
            end,
        })
    })
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    line_col(text, offset).0
}

/// The largest char boundary of `text` at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Counts words the way a reader would: runs of letters/digits (with inner `'`, `-`, `.`).
///
/// Markdown punctuation (`**`, `#`, `[`, `](url)`) does not count; link targets are not words.
pub fn word_count(text: &str) -> usize {
    text.split(char::is_whitespace)
        .filter(|w| is_word(w))
        .count()
}

/// Whether `text` has a word [`word_count`] counts (stops at the first).
pub fn has_word(text: &str) -> bool {
    text.split(char::is_whitespace).any(is_word)
}

/// Whether a run of text between spaces is a word a reader counts: it has a letter or digit,
/// and is not a bare URL or a link target.
fn is_word(w: &str) -> bool {
    !(w.starts_with("http://") || w.starts_with("https://") || w.starts_with("]("))
        && w.chars().any(char::is_alphanumeric)
}

/// One line of a line diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine<'a> {
    /// In both texts.
    Same(&'a str),
    /// Only in the old text.
    Removed(&'a str),
    /// Only in the new text.
    Added(&'a str),
}

/// A line diff of two texts (longest common subsequence over the lines that differ; common
/// leading and trailing lines are matched first so long documents stay cheap).
pub fn line_diff<'a>(old: &'a str, new: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<DiffLine<'a>> = a[..prefix].iter().map(|l| DiffLine::Same(l)).collect();
    if am.len().saturating_mul(bm.len()) > 4_000_000 {
        // Too large to align line by line: show the middle as replaced.
        out.extend(am.iter().map(|l| DiffLine::Removed(l)));
        out.extend(bm.iter().map(|l| DiffLine::Added(l)));
    } else {
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                out.push(DiffLine::Same(am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                out.push(DiffLine::Removed(am[i]));
                i += 1;
            } else {
                out.push(DiffLine::Added(bm[j]));
                j += 1;
            }
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| DiffLine::Same(l)));
    out
}

/// The words of a line for [`word_diff`]: runs of letters and digits, runs of white space,
/// and each other character alone, as byte ranges.
fn words(line: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut last: Option<u8> = None;
    for (i, c) in line.char_indices() {
        let k = class(c);
        match out.last_mut() {
            Some(r) if last == Some(k) && k != 2 => r.end = i + c.len_utf8(),
            _ => out.push(i..i + c.len_utf8()),
        }
        last = Some(k);
    }
    out
}

/// The changed words of a line pair: the byte ranges of `old` and of `new` that are not in
/// their longest common subsequence of words (for highlighting inside a changed line).
/// Adjacent ranges are merged. Lines too long to align are marked changed as a whole.
pub fn word_diff(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (a, b) = (words(old), words(new));
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > 1_000_000 {
        return (
            std::iter::once(0..old.len()).collect(),
            std::iter::once(0..new.len()).collect(),
        );
    }
    let eq = |i: usize, j: usize| old[a[i].clone()] == new[b[j].clone()];
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if eq(i, j) {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let push = |v: &mut Vec<Range<usize>>, r: Range<usize>| match v.last_mut() {
        Some(l) if l.end == r.start => l.end = r.end,
        _ => v.push(r),
    };
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && eq(i, j) {
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            push(&mut removed, a[i].clone());
            i += 1;
        } else {
            push(&mut added, b[j].clone());
            j += 1;
        }
    }
    (removed, added)
}

/// One hunk of a unified diff: the lines of a [`line_diff`] it shows (changes with their
/// context) and its `@@ -old_start,old_len +new_start,new_len @@` numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// Indexes into the line diff.
    pub lines: Range<usize>,
    /// First line in the old text (1-based).
    pub old_start: usize,
    /// Lines of the old text in the hunk.
    pub old_len: usize,
    /// First line in the new text (1-based).
    pub new_start: usize,
    /// Lines of the new text in the hunk.
    pub new_len: usize,
}

impl Hunk {
    /// The `@@ … @@` header.
    pub fn header(&self) -> String {
        format!(
            "@@ -{},{} +{},{} @@",
            self.old_start, self.old_len, self.new_start, self.new_len
        )
    }
}

/// The hunks of a line diff with `context` unchanged lines around changes (hunks closer than
/// twice that are joined), as `diff -u` makes them.
pub fn hunks(lines: &[DiffLine<'_>], context: usize) -> Vec<Hunk> {
    let changed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, DiffLine::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let count = |range: &[DiffLine<'_>]| {
        let old = range
            .iter()
            .filter(|l| !matches!(l, DiffLine::Added(_)))
            .count();
        let new = range
            .iter()
            .filter(|l| !matches!(l, DiffLine::Removed(_)))
            .count();
        (old, new)
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(context);
        let mut end = (changed[k] + context + 1).min(lines.len());
        while k + 1 < changed.len() && changed[k + 1] <= end + context {
            k += 1;
            end = (changed[k] + context + 1).min(lines.len());
        }
        k += 1;
        let (old_before, new_before) = count(&lines[..start]);
        let (old_len, new_len) = count(&lines[start..end]);
        out.push(Hunk {
            lines: start..end,
            old_start: old_before + 1,
            old_len,
            new_start: new_before + 1,
            new_len,
        });
    }
    out
}

/// A unified diff (`--- a`, `+++ b`, `@@` hunks with 3 lines of context) of two texts.
pub fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let lines = line_diff(old, new);
    if lines.iter().all(|l| matches!(l, DiffLine::Same(_))) {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    for hunk in hunks(&lines, 3) {
        out.push_str(&hunk.header());
        out.push('\n');
        for l in &lines[hunk.lines] {
            let (sign, text) = match l {
                DiffLine::Same(t) => (' ', t),
                DiffLine::Removed(t) => ('-', t),
                DiffLine::Added(t) => ('+', t),
            };
            out.push(sign);
            out.push_str(text.trim_end_matches(['\n', '\r']));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_only_the_changed_words() {
        let (old, new) = ("title: Harbour Lanes", "title: Harbour Quays, renewed");
        let (removed, added) = word_diff(old, new);
        let shown = |t: &str, v: &[Range<usize>]| -> Vec<String> {
            v.iter().map(|r| t[r.clone()].to_string()).collect()
        };
        assert_eq!(shown(old, &removed), ["Lanes"]);
        assert_eq!(shown(new, &added), ["Quays, renewed"]);
        let (r, a) = word_diff("same é words", "same é words");
        assert!(r.is_empty() && a.is_empty());
    }

    #[test]
    fn apply_then_inverse_restores() {
        let mut s = String::from("hello wide world");
        let c = Change::new(6..10, "big");
        let inv = c.apply(&mut s);
        assert_eq!(s, "hello big world");
        let Some(inv) = inv else {
            panic!("change must fit")
        };
        inv.apply(&mut s);
        assert_eq!(s, "hello wide world");
    }

    #[test]
    fn change_outside_text_is_refused() {
        let mut s = String::from("é");
        assert!(Change::new(1..2, "x").apply(&mut s).is_none());
        assert!(Change::new(0..9, "x").apply(&mut s).is_none());
        assert_eq!(s, "é");
    }

    #[test]
    fn lines_keep_crlf_out_of_content() {
        let t = "a\r\nbc\nd";
        let lines: Vec<_> = lines_in(t, 0, t.len()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].content(t), "a");
        assert_eq!(lines[0].end, 3);
        assert_eq!(lines[1].content(t), "bc");
        assert_eq!(lines[2].content(t), "d");
        assert_eq!(lines[2].end, t.len());
    }

    #[test]
    fn line_endings_detected() {
        assert_eq!(LineEnding::detect("a\r\nb\r\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\nb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::CrLf.apply_to("a\nb\r\nc"), "a\r\nb\r\nc");
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn diff_shows_changed_lines() {
        let d = unified_diff("a\nb\nc\n", "a\nB\nc\nd\n", "old", "new");
        assert_eq!(d, "--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n");
        assert_eq!(unified_diff("x\n", "x\n", "a", "b"), "");
    }

    #[test]
    fn words_ignore_markdown_and_urls() {
        assert_eq!(word_count("**Goal 1**. Make it - better"), 5);
        assert_eq!(word_count("[Site](https://x.org) and more"), 3);
        assert_eq!(word_count("  "), 0);
    }

    /// Hunks carry `diff -u`'s numbers; changes closer than twice the context share one.
    #[test]
    fn hunks_number_and_join_like_diff_u() {
        let old: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let new = old
            .replace("l2\n", "two\n")
            .replace("l15\n", "")
            .replace("l17\n", "l17\nextra\n");
        let lines = line_diff(&old, &new);
        let h = hunks(&lines, 3);
        let headers: Vec<String> = h.iter().map(Hunk::header).collect();
        assert_eq!(headers, ["@@ -1,5 +1,5 @@", "@@ -12,9 +12,9 @@"]);
        assert_eq!(
            unified_diff(&old, &new, "a", "b").matches("@@ -").count(),
            2
        );
        assert!(hunks(&line_diff(&old, &old), 3).is_empty());
    }
}
