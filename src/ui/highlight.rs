//! Light Markdown highlighting for the section editors.
//!
//! [`spans`] reads a section's text into styled byte ranges (headings, emphasis markers, links,
//! images, inline code, code fences, HTML comments); [`highlight`] turns them into a
//! [`LayoutJob`] for a `TextEdit` layouter and memoizes it by text, like egui's EasyMark editor:
//! a frame whose text did not change costs a hash, not a parse. It is deliberately a line
//! scanner, not a CommonMark parser: it only colours, so being wrong about an edge case costs a
//! colour, never text.

use std::ops::Range;

use egui::text::{LayoutJob, LayoutSection, TextFormat};
use egui::{Color32, FontId, Stroke, TextStyle};

use super::tokens::Tokens;

/// What a span of text is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Ordinary text.
    Plain,
    /// A `#` heading line (markers and text).
    Heading,
    /// Emphasis and list markers (`**`, `_`, `- `, `1. `, `> `).
    Marker,
    /// Text between `**` markers.
    Strong,
    /// Text between `*` or `_` markers.
    Emphasis,
    /// Text between `**` and `*` markers both.
    StrongEmphasis,
    /// A link: `[text](url)`.
    Link,
    /// An image: `![alt](src "title")`.
    Image,
    /// Inline code between backticks.
    Code,
    /// A fenced code block line.
    CodeBlock,
    /// An HTML comment `<!-- … -->` (guidance).
    Comment,
}

/// The fonts and colours of highlighted text. Hashable, so it is part of the cache key: a
/// theme switch highlights again.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct HighlightStyle {
    /// Body font.
    pub font: FontId,
    /// Code font.
    pub mono: FontId,
    /// Ordinary text colour.
    pub text: Color32,
    /// Bold text colour.
    pub strong: Color32,
    /// Headings.
    pub heading: Color32,
    /// Links and images.
    pub link: Color32,
    /// Comments.
    pub comment: Color32,
    /// Markers.
    pub marker: Color32,
    /// Code background.
    pub code_bg: Color32,
}

impl HighlightStyle {
    /// The style for the given egui style and colour tokens.
    pub fn new(style: &egui::Style, tokens: &Tokens) -> HighlightStyle {
        let font = TextStyle::Body.resolve(style);
        let mono = TextStyle::Monospace.resolve(style);
        HighlightStyle {
            font,
            mono,
            text: style.visuals.text_color(),
            strong: style.visuals.strong_text_color(),
            heading: tokens.md_heading,
            link: tokens.md_link,
            comment: tokens.md_comment,
            marker: tokens.md_marker,
            code_bg: style.visuals.code_bg_color,
        }
    }

    /// The style of the ui's current theme.
    pub fn of(ui: &egui::Ui) -> HighlightStyle {
        HighlightStyle::new(ui.style(), &Tokens::of(ui))
    }

    /// The text format of a kind of span.
    pub fn format(&self, kind: Kind) -> TextFormat {
        let plain = TextFormat::simple(self.font.clone(), self.text);
        match kind {
            Kind::Plain => plain,
            Kind::Heading => TextFormat {
                color: self.heading,
                ..plain
            },
            Kind::Marker => TextFormat {
                color: self.marker,
                ..plain
            },
            Kind::Strong => TextFormat {
                color: self.strong,
                ..plain
            },
            Kind::Emphasis => TextFormat {
                italics: true,
                ..plain
            },
            Kind::StrongEmphasis => TextFormat {
                color: self.strong,
                italics: true,
                ..plain
            },
            Kind::Link => TextFormat {
                color: self.link,
                underline: Stroke::new(1.0, self.link),
                ..plain
            },
            Kind::Image => TextFormat {
                color: self.link,
                italics: true,
                ..plain
            },
            Kind::Code | Kind::CodeBlock => TextFormat {
                font_id: self.mono.clone(),
                background: self.code_bg,
                ..plain
            },
            Kind::Comment => TextFormat {
                color: self.comment,
                italics: true,
                ..plain
            },
        }
    }
}

/// The highlighted layout of `text` (wrap width unset: the layouter sets it), from egui's
/// frame cache when the same text and style were highlighted last frame.
pub fn highlight(ctx: &egui::Context, style: &HighlightStyle, text: &str) -> LayoutJob {
    ctx.memory_mut(|m| {
        m.caches
            .cache::<egui::cache::FrameCache<LayoutJob, Highlighter>>()
            .get((style, text))
            .clone()
    })
}

/// Computes layouts for the frame cache.
#[derive(Default)]
pub struct Highlighter;

impl egui::cache::ComputerMut<(&HighlightStyle, &str), LayoutJob> for Highlighter {
    fn compute(&mut self, (style, text): (&HighlightStyle, &str)) -> LayoutJob {
        highlight_uncached(style, text)
    }
}

/// The highlighted layout of `text`, computed now.
pub fn highlight_uncached(style: &HighlightStyle, text: &str) -> LayoutJob {
    let spans = spans(text);
    let mut job = LayoutJob {
        text: text.to_owned(),
        // Like egui's own editor: trailing spaces stay visible while typing.
        keep_trailing_whitespace: true,
        ..Default::default()
    };
    job.sections.reserve(spans.len());
    for (range, kind) in spans {
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: range.start.into()..range.end.into(),
            format: style.format(kind),
        });
    }
    if job.sections.is_empty() {
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: 0.into()..text.len().into(),
            format: style.format(Kind::Plain),
        });
    }
    job
}

/// `text` as consecutive, non-overlapping byte ranges covering all of it, each with its kind;
/// neighbouring ranges of the same kind are merged.
pub fn spans(text: &str) -> Vec<(Range<usize>, Kind)> {
    let mut out = Spans::default();
    let mut in_comment = false;
    let mut fence: Option<(u8, usize)> = None;
    let mut emphasis = Emph::default();
    let mut pos = 0;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..end];
        let content = line.trim_end_matches(['\n', '\r']);
        if in_comment {
            match line.find("-->") {
                Some(i) => {
                    out.push(pos..pos + i + 3, Kind::Comment);
                    in_comment = false;
                    inline(
                        text,
                        pos + i + 3,
                        end,
                        &mut out,
                        &mut in_comment,
                        &mut emphasis,
                    );
                }
                None => out.push(pos..end, Kind::Comment),
            }
            pos = end;
            continue;
        }
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        if let Some((ch, n)) = fence {
            out.push(pos..end, Kind::CodeBlock);
            if indent <= 3
                && run_of(trimmed, ch) >= n
                && trimmed.trim_end().bytes().all(|b| b == ch)
            {
                fence = None;
            }
            pos = end;
            continue;
        }
        if content.trim().is_empty() {
            // A blank line ends a paragraph, and any emphasis left open in it.
            emphasis = Emph::default();
            out.push(pos..end, Kind::Plain);
            pos = end;
            continue;
        }
        if indent <= 3 {
            let fence_char = [b'`', b'~'].into_iter().find(|&c| run_of(trimmed, c) >= 3);
            if let Some(ch) = fence_char {
                fence = Some((ch, run_of(trimmed, ch)));
                out.push(pos..end, Kind::CodeBlock);
                pos = end;
                continue;
            }
            let hashes = run_of(trimmed, b'#');
            if (1..=6).contains(&hashes) && empty_or_spaced(&trimmed[hashes..]) {
                out.push(pos..end, Kind::Heading);
                emphasis = Emph::default();
                pos = end;
                continue;
            }
        }
        // Block markers: quotes and list bullets.
        let mut at = pos + indent;
        out.push(pos..at, Kind::Plain);
        loop {
            let rest = &text[at..end];
            let n = if rest.starts_with('>') {
                1
            } else if let Some(n) = list_marker(rest) {
                n
            } else {
                break;
            };
            out.push(at..at + n, Kind::Marker);
            at += n;
            let spaces = text[at..end].len() - text[at..end].trim_start_matches([' ', '\t']).len();
            out.push(at..at + spaces, Kind::Plain);
            at += spaces;
        }
        inline(text, at, end, &mut out, &mut in_comment, &mut emphasis);
        pos = end;
    }
    out.0
}

/// Emphasis open at this point of a paragraph.
#[derive(Debug, Clone, Copy, Default)]
struct Emph {
    strong: Option<u8>,
    em: Option<u8>,
}

impl Emph {
    fn kind(self) -> Kind {
        match (self.strong.is_some(), self.em.is_some()) {
            (true, true) => Kind::StrongEmphasis,
            (true, false) => Kind::Strong,
            (false, true) => Kind::Emphasis,
            (false, false) => Kind::Plain,
        }
    }
}

/// Styled ranges being collected (merging neighbours of one kind, dropping empty ones).
#[derive(Default)]
struct Spans(Vec<(Range<usize>, Kind)>);

impl Spans {
    fn push(&mut self, range: Range<usize>, kind: Kind) {
        if range.is_empty() {
            return;
        }
        if let Some((last, k)) = self.0.last_mut()
            && *k == kind
            && last.end == range.start
        {
            last.end = range.end;
            return;
        }
        self.0.push((range, kind));
    }
}

/// Whether `s` (the rest of a line) is empty or starts with a space, as after a heading's `#`s.
fn empty_or_spaced(s: &str) -> bool {
    let t = s.trim_end_matches(['\n', '\r']);
    t.is_empty() || t.starts_with([' ', '\t'])
}

/// Length of the run of `ch` at the start of `s`.
fn run_of(s: &str, ch: u8) -> usize {
    s.bytes().take_while(|&b| b == ch).count()
}

/// Length of a list marker (`- `, `* `, `+ `, `12. `, `3) `) at the start of `s`.
fn list_marker(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b.first() {
        Some(b'-' | b'*' | b'+') if matches!(b.get(1), Some(b' ' | b'\t')) => Some(2),
        Some(c) if c.is_ascii_digit() => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            (digits <= 9
                && matches!(b.get(digits), Some(b'.' | b')'))
                && matches!(b.get(digits + 1), Some(b' ' | b'\t')))
            .then_some(digits + 2)
        }
        _ => None,
    }
}

/// Inline spans of `text[from..to]` (one line, with its line break).
fn inline(
    text: &str,
    from: usize,
    to: usize,
    out: &mut Spans,
    in_comment: &mut bool,
    emph: &mut Emph,
) {
    let bytes = text.as_bytes();
    let mut plain_start = from;
    let mut i = from;
    while i < to {
        let b = bytes[i];
        match b {
            b'<' if text[i..to].starts_with("<!--") => {
                out.push(plain_start..i, emph.kind());
                match text[i + 4..to].find("-->") {
                    Some(j) => {
                        out.push(i..i + 4 + j + 3, Kind::Comment);
                        i = i + 4 + j + 3;
                    }
                    None => {
                        out.push(i..to, Kind::Comment);
                        *in_comment = true;
                        return;
                    }
                }
                plain_start = i;
                continue;
            }
            b'`' => {
                let n = run_of(&text[i..to], b'`');
                let close = "`".repeat(n);
                if let Some(j) = text[i + n..to].find(close.as_str()) {
                    out.push(plain_start..i, emph.kind());
                    let end = i + n + j + n;
                    out.push(i..end, Kind::Code);
                    i = end;
                    plain_start = i;
                } else {
                    i += n;
                }
                continue;
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => {
                if let Some(end) = link_end(text, i + 1, to) {
                    out.push(plain_start..i, emph.kind());
                    out.push(i..end, Kind::Image);
                    i = end;
                    plain_start = i;
                    continue;
                }
            }
            b'[' => {
                if let Some(end) = link_end(text, i, to) {
                    out.push(plain_start..i, emph.kind());
                    out.push(i..end, Kind::Link);
                    i = end;
                    plain_start = i;
                    continue;
                }
            }
            b'\\' if i + 1 < to && bytes[i + 1].is_ascii_punctuation() => {
                i += 2;
                continue;
            }
            b'*' | b'_' => {
                let n = run_of(&text[i..to], b).min(3);
                let before = text[..i].chars().next_back();
                let after = text[i + n..to].chars().next();
                let opens = after.is_some_and(|c| !c.is_whitespace());
                let closes = before.is_some_and(|c| !c.is_whitespace());
                // `_` inside a word (snake_case) is not emphasis.
                let intraword = b == b'_'
                    && before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric);
                let mut next = *emph;
                let mut acted = false;
                if !intraword {
                    let mut left = n;
                    if left >= 2 {
                        if next.strong == Some(b) && closes {
                            next.strong = None;
                            left -= 2;
                            acted = true;
                        } else if next.strong.is_none() && opens {
                            next.strong = Some(b);
                            left -= 2;
                            acted = true;
                        }
                    }
                    if left >= 1 {
                        if next.em == Some(b) && closes {
                            next.em = None;
                            acted = true;
                        } else if next.em.is_none() && opens {
                            next.em = Some(b);
                            acted = true;
                        }
                    }
                }
                if acted {
                    out.push(plain_start..i, emph.kind());
                    out.push(i..i + n, Kind::Marker);
                    *emph = next;
                    plain_start = i + n;
                }
                i += n;
                continue;
            }
            _ => {}
        }
        i += utf8_len(b);
    }
    out.push(plain_start..to, emph.kind());
}

/// Byte length of the UTF-8 sequence starting with `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        // A continuation byte: never a start when walking from a boundary; step one.
        _ => 1,
    }
}

/// The end of `[text](target)` starting at `open` (the `[`), within `text[..to]`.
fn link_end(text: &str, open: usize, to: usize) -> Option<usize> {
    let rest = &text[open..to];
    let close = find_closing(rest, b'[', b']')?;
    let after = &rest[close + 1..];
    if !after.starts_with('(') {
        return None;
    }
    let paren = find_closing(after, b'(', b')')?;
    Some(open + close + 1 + paren + 1)
}

/// Index of the bracket closing the one at the start of `s` (nesting counted).
fn find_closing(s: &str, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        if b == b'\\' {
            escaped = true;
        } else if b == open {
            depth += 1;
        } else if b == close {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, Kind)> {
        spans(text)
            .into_iter()
            .map(|(r, k)| (&text[r], k))
            .collect()
    }

    fn covers(text: &str) {
        let s = spans(text);
        let mut at = 0;
        for (r, _) in &s {
            assert_eq!(r.start, at, "gap or overlap in {text:?}: {s:?}");
            assert!(r.end > r.start);
            at = r.end;
        }
        assert_eq!(at, text.len(), "{text:?}: {s:?}");
    }

    #[test]
    fn bold_markers_and_text() {
        let t = "A **bold** word";
        assert_eq!(
            kinds(t),
            [
                ("A ", Kind::Plain),
                ("**", Kind::Marker),
                ("bold", Kind::Strong),
                ("**", Kind::Marker),
                (" word", Kind::Plain)
            ]
        );
        covers(t);
    }

    #[test]
    fn italics_but_not_snake_case() {
        assert_eq!(
            kinds("an _em_ and snake_case_name"),
            [
                ("an ", Kind::Plain),
                ("_", Kind::Marker),
                ("em", Kind::Emphasis),
                ("_", Kind::Marker),
                (" and snake_case_name", Kind::Plain)
            ]
        );
        // A lone star between spaces is text.
        assert_eq!(kinds("2 * 3"), [("2 * 3", Kind::Plain)]);
    }

    #[test]
    fn links_and_images() {
        let t = "See [the site](https://example.org) and ![a map](./map.png \"Map\").";
        assert_eq!(
            kinds(t),
            [
                ("See ", Kind::Plain),
                ("[the site](https://example.org)", Kind::Link),
                (" and ", Kind::Plain),
                ("![a map](./map.png \"Map\")", Kind::Image),
                (".", Kind::Plain)
            ]
        );
        // Not a link without the target.
        assert_eq!(kinds("[just brackets]"), [("[just brackets]", Kind::Plain)]);
    }

    #[test]
    fn comments_single_and_multi_line() {
        let t = "Text <!-- note --> more\n<!-- open\nstill\nend --> after\n";
        let k = kinds(t);
        assert_eq!(k[0], ("Text ", Kind::Plain));
        assert_eq!(k[1], ("<!-- note -->", Kind::Comment));
        assert_eq!(k[2], (" more\n", Kind::Plain));
        assert_eq!(k[3], ("<!-- open\nstill\nend -->", Kind::Comment));
        assert_eq!(k[4], (" after\n", Kind::Plain));
        covers(t);
    }

    #[test]
    fn headings_lists_code() {
        let t = "### Sub\n- item **b**\n1. one\n> quote\n```\n**not bold**\n```\nuse `x*y` here\n#nohash\n";
        let k = kinds(t);
        assert_eq!(k[0], ("### Sub\n", Kind::Heading));
        assert_eq!(k[1], ("- ", Kind::Marker));
        assert!(k.contains(&("1. ", Kind::Marker)));
        assert!(k.contains(&(">", Kind::Marker)));
        assert!(k.contains(&("```\n**not bold**\n```\n", Kind::CodeBlock)));
        assert!(k.contains(&("`x*y`", Kind::Code)));
        let at = t.find("#nohash").unwrap_or_default();
        assert!(
            spans(t)
                .iter()
                .any(|(r, kind)| r.contains(&at) && *kind == Kind::Plain)
        );
        covers(t);
    }

    #[test]
    fn any_text_is_covered_without_panic() {
        for t in [
            "",
            "*",
            "**",
            "***x***",
            "[",
            "![",
            "[a](",
            "<!--",
            "é*ü_ö**",
            "`",
            "``a`",
            "\r\n\r\n",
            "x\\*y",
            "— _ü_ —",
            "> > - x",
        ] {
            covers(t);
        }
    }

    #[test]
    fn job_covers_text() {
        let style = HighlightStyle::new(
            &egui::Style::default(),
            &Tokens::for_visuals(&egui::Visuals::light()),
        );
        let job = highlight_uncached(&style, "a **b** [c](d)");
        assert_eq!(job.text, "a **b** [c](d)");
        assert_eq!(job.sections.len(), 6);
        assert_eq!(job.sections[5].format.color, style.link);
        let empty = highlight_uncached(&style, "");
        assert_eq!(empty.sections.len(), 1);
    }
}
