//! A light lexical scan of a front-matter value: where its quotes and flow brackets close, its
//! comments, anchors (`&a`), aliases (`*a`), tags (`!t`) and plain scalars.
//!
//! serde_yaml gives values but no positions, anchors or comments; Casebook needs those to edit
//! a value in place: to take a value written over several lines as one span, to keep comments
//! when a value is replaced, to know which keys an alias ties together, and to see plain
//! scalars the site (YAML 1.1) reads differently. The scan follows YAML's node structure only as
//! far as that needs: a `&`, `*`, `!` or quote counts only where a node starts (after `key:`,
//! `- `, `[`, `{`, `,`, `? `), so `R&D`, `it's` and `Tom &Jerry` stay text; block scalar content
//! (`|`, `>`) is skipped by its indentation. It never fails: on text that is not YAML it gives
//! its best reading, and callers confirm with serde_yaml where it matters.

use std::ops::Range;

/// An anchor, alias or tag: its name and where it is written (the whole `&name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The name without its indicator.
    pub name: String,
    /// Byte range of the indicator and name.
    pub range: Range<usize>,
}

/// A `# comment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line (without the line break or trailing spaces).
    pub range: Range<usize>,
    /// Whether the comment is alone on its line.
    pub own_line: bool,
}

/// A plain (unquoted) scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainScalar {
    /// From its first to its last non-space character (maybe over several lines).
    pub range: Range<usize>,
    /// Whether it is a mapping key (followed by `:`).
    pub is_key: bool,
    /// Whether it is inside `[ ]` or `{ }`.
    pub in_flow: bool,
}

impl PlainScalar {
    /// The scalar's value: its lines folded into one (YAML's line folding for plain scalars).
    pub fn value(&self, text: &str) -> String {
        fold_plain(&text[self.range.clone()])
    }
}

/// What a scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Anchors (`&name`), in order.
    pub anchors: Vec<Mark>,
    /// Aliases (`*name`), in order.
    pub aliases: Vec<Mark>,
    /// Tags (`!name`, `!!str`), in order.
    pub tags: Vec<Mark>,
    /// Comments, in order.
    pub comments: Vec<Comment>,
    /// Plain scalars, in order.
    pub plains: Vec<PlainScalar>,
    /// Block scalar headers (`|`, `>-`), by range of the indicator.
    pub block_scalars: Vec<Range<usize>>,
    /// Whether the text ends inside a quoted scalar or a flow collection.
    pub open: bool,
    /// Where the scan stopped (the end of the text, or with [`inline_extent`], the end of the
    /// line where the value's quotes and brackets closed).
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

struct Lexer<'a> {
    text: &'a str,
    scan: Scan,
    quote: Quote,
    flow: usize,
    node_start: bool,
    plain: Option<(usize, usize)>,
    /// Indentation of the line on which the open plain scalar started.
    plain_indent: usize,
    block_skip: Option<usize>,
}

/// Scans `text[range]`: a value as it follows `key:` (a node is expected first), with the
/// indentation of `key` being 0.
pub fn scan(text: &str, range: Range<usize>) -> Scan {
    run(text, range, false)
}

/// How far the value starting at `start` reaches when its quotes or flow brackets run over
/// several lines: the end of the line (without its break) on which they close, looking no
/// further than `limit`. `None` when they do not close before `limit`.
pub fn inline_extent(text: &str, start: usize, limit: usize) -> Option<usize> {
    let s = run(text, start..limit, true);
    (!s.open).then_some(s.end)
}

fn run(text: &str, range: Range<usize>, stop_when_closed: bool) -> Scan {
    let mut lx = Lexer {
        text,
        scan: Scan::default(),
        quote: Quote::None,
        flow: 0,
        node_start: true,
        plain: None,
        plain_indent: 0,
        block_skip: None,
    };
    let mut at = range.start;
    let end = range.end.min(text.len());
    let mut first = true;
    lx.scan.end = end;
    while at < end {
        let line_end = text[at..end].find('\n').map_or(end, |i| at + i);
        let content_end = if text[at..line_end].ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        lx.line(at, content_end, first);
        if stop_when_closed && lx.quote == Quote::None && lx.flow == 0 {
            lx.end_plain();
            lx.scan.end = content_end;
            lx.scan.open = false;
            return lx.scan;
        }
        first = false;
        at = line_end + 1;
    }
    lx.end_plain();
    lx.scan.open = lx.quote != Quote::None || lx.flow > 0;
    lx.scan
}

/// The line being scanned: its text, where it starts and ends in the whole text, and its
/// indentation.
struct Line<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    indent: usize,
}

/// Where the scan of a line goes after a byte.
enum Flow {
    /// On at this offset in the line.
    At(usize),
    /// Nothing more to read on the line (a comment, or a block scalar's header).
    Stop,
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl Lexer<'_> {
    /// One line: `start..end` without the line break; `first` is the line of the key (its
    /// indentation counts as 0 and the scan starts after `key:`).
    fn line(&mut self, start: usize, end: usize, first: bool) {
        let text = &self.text[start..end];
        let indent = if first {
            0
        } else {
            text.len() - text.trim_start_matches(' ').len()
        };
        let line = Line {
            text,
            start,
            end,
            indent,
        };
        if !self.begin_line(&line, first) {
            return;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut prev_space = true;
        while i < bytes.len() {
            let c = bytes[i];
            let next = bytes.get(i + 1).copied();
            if self.quote != Quote::None {
                i += self.in_quotes(c, next);
                prev_space = false;
                continue;
            }
            let space = c == b' ' || c == b'\t';
            let flow = if self.plain.is_some() {
                self.in_plain(&line, i, next, space, prev_space)
            } else {
                None
            };
            let flow = match flow {
                Some(flow) => {
                    prev_space = space;
                    flow
                }
                None if space => {
                    prev_space = true;
                    Flow::At(i + 1)
                }
                None if c == b'#' && prev_space => {
                    self.comment(start, start + i, end);
                    Flow::Stop
                }
                None => {
                    prev_space = false;
                    self.outside_scalars(&line, i, next)
                }
            };
            match flow {
                Flow::At(n) => i = n,
                Flow::Stop => return,
            }
        }
    }

    /// Before a line's bytes: skips the lines of a block scalar, and outside quotes and flow
    /// collections ends an open plain scalar unless the line continues it (more indented).
    /// `false` when the line is to be skipped.
    fn begin_line(&mut self, line: &Line<'_>, first: bool) -> bool {
        if let Some(parent) = self.block_skip {
            if line.text.trim().is_empty() || line.indent > parent {
                return false;
            }
            self.block_skip = None;
        }
        if !first && self.quote == Quote::None && self.flow == 0 {
            let body = line.text.trim_start_matches([' ', '\t']);
            let comment_line = body.starts_with('#');
            if self.plain.is_some()
                && !comment_line
                && !body.is_empty()
                && line.indent > self.plain_indent
            {
                // A plain scalar continued on this line: keep reading it.
            } else if !body.is_empty() && !comment_line {
                self.end_plain();
                self.node_start = true;
            }
        }
        true
    }

    /// A byte inside quotes: how many bytes it takes (2 for an escape or a doubled single
    /// quote); the closing quote ends the scalar.
    fn in_quotes(&mut self, c: u8, next: Option<u8>) -> usize {
        match self.quote {
            Quote::Double if c == b'\\' => return 2,
            Quote::Double if c == b'"' => {}
            Quote::Single if c == b'\'' && next == Some(b'\'') => return 2,
            Quote::Single if c == b'\'' => {}
            _ => return 1,
        }
        self.quote = Quote::None;
        self.node_start = false;
        1
    }

    /// Byte `i` of `line` while a plain scalar is open: a comment ends it, so does `: ` (it
    /// was a key), and in a flow collection so does an indicator (`None`: read as
    /// punctuation by the caller); anything else extends it.
    fn in_plain(
        &mut self,
        line: &Line<'_>,
        i: usize,
        next: Option<u8>,
        space: bool,
        prev_space: bool,
    ) -> Option<Flow> {
        let c = line.text.as_bytes()[i];
        let at = line.start + i;
        let next_ends = next.is_none_or(|n| n == b' ' || n == b'\t');
        if c == b'#' && prev_space {
            self.end_plain();
            self.comment(line.start, at, line.end);
            return Some(Flow::Stop);
        }
        if c == b':' && (next_ends || (self.flow > 0 && next.is_some_and(is_flow_indicator))) {
            self.end_plain_as(true);
            self.node_start = true;
            return Some(Flow::At(i + 1));
        }
        if self.flow > 0 && is_flow_indicator(c) {
            self.end_plain();
            return None;
        }
        if !space && let Some((_, last)) = self.plain.as_mut() {
            *last = at + 1;
            // Keep multi-byte characters whole.
            while !self.text.is_char_boundary(*last) {
                *last += 1;
            }
        }
        Some(Flow::At(i + 1))
    }

    /// Byte `i` of `line` (not a space, not in a scalar): flow punctuation, the `:` after a
    /// node, or the start of a node.
    fn outside_scalars(&mut self, line: &Line<'_>, i: usize, next: Option<u8>) -> Flow {
        let c = line.text.as_bytes()[i];
        if self.flow > 0 {
            match c {
                b',' => {
                    self.node_start = true;
                    return Flow::At(i + 1);
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.node_start = false;
                    return Flow::At(i + 1);
                }
                _ => {}
            }
        }
        if !self.node_start {
            // After a quoted scalar, an alias or a closed collection: only `:` matters.
            if c == b':' {
                self.node_start = true;
            }
            return Flow::At(i + 1);
        }
        self.node(line, i, next)
    }

    /// Byte `i` of `line` where a node may start: a property or alias, a quote, a flow
    /// collection, a block scalar's indicator, an indicator (`- `, `? `, `: `), or a plain
    /// scalar.
    fn node(&mut self, line: &Line<'_>, i: usize, next: Option<u8>) -> Flow {
        let c = line.text.as_bytes()[i];
        let at = line.start + i;
        let next_ends = next.is_none_or(|n| n == b' ' || n == b'\t');
        match c {
            b'&' | b'*' | b'!' => {
                let name_end = self.name_end(line.text, i + 1);
                let mark = Mark {
                    name: line.text[i + 1..name_end].to_string(),
                    range: at..line.start + name_end,
                };
                match c {
                    b'&' => self.scan.anchors.push(mark),
                    b'*' => {
                        self.scan.aliases.push(mark);
                        self.node_start = false;
                    }
                    _ => self.scan.tags.push(mark),
                }
                return Flow::At(name_end);
            }
            b'"' => self.quote = Quote::Double,
            b'\'' => self.quote = Quote::Single,
            b'[' | b'{' => self.flow += 1,
            b'|' | b'>' if self.flow == 0 => {
                self.scan.block_scalars.push(at..at + 1);
                self.block_skip = Some(line.indent);
                self.node_start = false;
                // The rest of the line is the header and maybe a comment.
                let rest = &line.text[i..];
                if let Some(h) = rest.find(" #").or_else(|| rest.find("\t#")) {
                    self.comment(line.start, at + h + 1, line.end);
                }
                return Flow::Stop;
            }
            b'-' | b'?' | b':' if next_ends && (self.flow == 0 || c == b':') => {}
            _ => {
                let mut last = at + 1;
                while !self.text.is_char_boundary(last) {
                    last += 1;
                }
                self.plain = Some((at, last));
                self.plain_indent = line.indent;
                self.node_start = false;
            }
        }
        Flow::At(i + 1)
    }

    /// End of an anchor, alias or tag name starting at `from` in `line`.
    fn name_end(&self, line: &str, from: usize) -> usize {
        let in_flow = self.flow > 0;
        line[from..]
            .find(|c: char| c == ' ' || c == '\t' || (in_flow && matches!(c, ',' | ']' | '}')))
            .map_or(line.len(), |n| from + n)
    }

    fn comment(&mut self, line_start: usize, at: usize, line_end: usize) {
        let real_start = self.text[..at].rfind('\n').map_or(0, |n| n + 1);
        let own_line = self.text[real_start..at].trim().is_empty();
        let end = line_start + self.text[line_start..line_end].trim_end().len();
        self.scan.comments.push(Comment {
            range: at..end.max(at + 1),
            own_line,
        });
    }

    /// Records the plain scalar being read, if any (`is_key`: it turned out to be a key).
    fn end_plain_as(&mut self, is_key: bool) {
        if let Some((s, e)) = self.plain.take() {
            self.scan.plains.push(PlainScalar {
                range: s..e,
                is_key,
                in_flow: self.flow > 0,
            });
        }
    }

    fn end_plain(&mut self) {
        self.end_plain_as(false);
    }
}

/// A multi-line plain scalar's value: lines trimmed and joined by spaces; an empty line is a
/// line break.
pub fn fold_plain(raw: &str) -> String {
    let lines: Vec<&str> = raw
        .split('\n')
        .map(|l| l.trim_matches([' ', '\t', '\r']))
        .collect();
    if lines.len() == 1 {
        return lines[0].to_string();
    }
    let mut out = String::new();
    let mut pending_breaks = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() {
            pending_breaks += 1;
            continue;
        }
        if i > 0 {
            if pending_breaks > 0 {
                out.push_str(&"\n".repeat(pending_breaks));
            } else {
                out.push(' ');
            }
        }
        pending_breaks = 0;
        out.push_str(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(marks: &[Mark]) -> Vec<&str> {
        marks.iter().map(|m| m.name.as_str()).collect()
    }

    fn plains<'a>(text: &'a str, s: &Scan) -> Vec<&'a str> {
        s.plains
            .iter()
            .filter(|p| !p.is_key)
            .map(|p| &text[p.range.clone()])
            .collect()
    }

    #[test]
    fn anchors_and_aliases_only_where_nodes_start() {
        let t = " &t Hello";
        let s = scan(t, 0..t.len());
        assert_eq!(names(&s.anchors), ["t"]);
        assert_eq!(plains(t, &s), ["Hello"]);
        let t = " *t";
        assert_eq!(names(&scan(t, 0..t.len()).aliases), ["t"]);
        for t in [
            " R&D and *stars*",
            " Tom &Jerry",
            " 'a *b'",
            " \"&x\"",
            " x # &y",
        ] {
            let s = scan(t, 0..t.len());
            assert!(s.anchors.is_empty() && s.aliases.is_empty(), "{t:?}: {s:?}");
        }
        let t = " [&a x, *b, {k: *c}]";
        let s = scan(t, 0..t.len());
        assert_eq!(names(&s.anchors), ["a"]);
        assert_eq!(names(&s.aliases), ["b", "c"]);
        let t = " &l\n  - a\n  - *m\n  - &n b";
        let s = scan(t, 0..t.len());
        assert_eq!(names(&s.anchors), ["l", "n"]);
        assert_eq!(names(&s.aliases), ["m"]);
        let t = " !!str 2024";
        assert_eq!(names(&scan(t, 0..t.len()).tags), ["!str"]);
    }

    #[test]
    fn block_scalars_are_skipped() {
        let t = "k: | # note\n  *not an alias\n  # not a comment\n\n  &x";
        let s = scan(t, 2..t.len());
        assert!(s.aliases.is_empty() && s.anchors.is_empty(), "{s:?}");
        assert_eq!(s.comments.len(), 1);
        assert_eq!(&t[s.comments[0].range.clone()], "# note");
        assert!(!s.comments[0].own_line);
    }

    #[test]
    fn comments() {
        let t = "tags: # after key\n  # own line\n  - a # after item\n  - 'b # not'\n  - c#d";
        let s = scan(t, 5..t.len());
        let c: Vec<(&str, bool)> = s
            .comments
            .iter()
            .map(|c| (&t[c.range.clone()], c.own_line))
            .collect();
        assert_eq!(
            c,
            [
                ("# after key", false),
                ("# own line", true),
                ("# after item", false)
            ]
        );
        assert_eq!(plains(t, &s), ["a", "c#d"]);
    }

    #[test]
    fn multi_line_values_close() {
        let t = "title: \"a long\ntitle here\"\ncity: x\n";
        assert_eq!(inline_extent(t, 6, t.len()), Some(26));
        let t = "tags: [a,\nb]\ncity: x\n";
        assert_eq!(inline_extent(t, 5, t.len()), Some(12));
        let t = "t: 'it''s\n  fine' # c\nx: 1\n";
        assert_eq!(
            inline_extent(t, 2, t.len()),
            Some(t.find("\nx").unwrap_or(0))
        );
        let t = "title: plain\ncity: x\n";
        assert_eq!(inline_extent(t, 6, t.len()), Some(12));
        let t = "title: \"never closed\ncity: x\n";
        assert_eq!(inline_extent(t, 6, t.len()), None);
        let t = "title: it's\ncity: x\n";
        assert_eq!(inline_extent(t, 6, t.len()), Some(11));
    }

    #[test]
    fn plain_scalars_and_folding() {
        let t = " a long\n  title here";
        let s = scan(t, 0..t.len());
        assert_eq!(s.plains.len(), 1);
        assert_eq!(s.plains[0].value(t), "a long title here");
        let t = " [12:30, '1:00', 2024-01-01]";
        let s = scan(t, 0..t.len());
        assert_eq!(plains(t, &s), ["12:30", "2024-01-01"]);
        let t = "\n  a: x\n  b: y\n    z";
        let s = scan(t, 0..t.len());
        assert_eq!(plains(t, &s), ["x", "y\n    z"]);
        let t = " {a: 1, b: x y}";
        let s = scan(t, 0..t.len());
        assert_eq!(plains(t, &s), ["1", "x y"]);
        assert_eq!(fold_plain("a\n\n  b\n  c"), "a\nb c");
        let t = " Montréal é";
        let s = scan(t, 0..t.len());
        assert_eq!(plains(t, &s), ["Montréal é"]);
    }
}
