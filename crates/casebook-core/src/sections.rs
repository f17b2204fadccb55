//! The body of a case: an optional preamble, then sections split at `## ` headings.
//!
//! A section's guidance is the HTML comment right after its heading (the template's advice to
//! the author). The section's editable content is the text after the heading and guidance,
//! without the blank lines around it, so editing a section replaces only those bytes.

use std::ops::Range;

use crate::text::{Line, lines_in};

/// The body of a document, split into sections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// The whole body (after the front matter).
    pub range: Range<usize>,
    /// Text before the first `## ` heading.
    pub preamble: Range<usize>,
    /// The `## ` sections in document order.
    pub sections: Vec<Section>,
}

/// One `## ` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading text (after `## `, trimmed).
    pub heading: String,
    /// The heading line, with its line break.
    pub heading_line: Range<usize>,
    /// The heading text as written (to rename it in place).
    pub heading_text: Range<usize>,
    /// 1-based line of the heading in the file.
    pub line: usize,
    /// The guidance comment right after the heading.
    pub guidance: Option<Guidance>,
    /// The editable text: after heading and guidance, without surrounding blank lines. An empty
    /// section has an empty range at the start of the line after its heading (or guidance).
    pub content: Range<usize>,
    /// The whole section, from its heading line to the next heading (or the end).
    pub range: Range<usize>,
}

/// The HTML comment under a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guidance {
    /// From `<!--` to `-->` inclusive.
    pub range: Range<usize>,
    /// The comment's text, trimmed, whitespace runs kept as written.
    pub text: String,
}

impl Body {
    /// Index of the first section whose heading matches `name` (see [`same_heading`]).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| same_heading(&s.heading, name))
    }
}

/// Whether two headings name the same section: case, spacing and a trailing colon ignored.
pub fn same_heading(a: &str, b: &str) -> bool {
    normalize_heading(a) == normalize_heading(b)
}

/// A heading reduced for comparison.
pub fn normalize_heading(h: &str) -> String {
    h.trim()
        .trim_end_matches(':')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Splits `text[start..]` into preamble and sections.
pub fn split_body(text: &str, start: usize) -> Body {
    let end = text.len();
    let mut headings: Vec<(Line, Range<usize>)> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    for line in lines_in(text, start, end) {
        let content = line.content(text);
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        if let Some((ch, n)) = fence {
            if indent <= 3
                && fence_run(trimmed, ch) >= n
                && trimmed.trim_end().bytes().all(|b| b == ch)
            {
                fence = None;
            }
            continue;
        }
        if in_comment {
            if content.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if indent <= 3 {
            for ch in [b'`', b'~'] {
                let n = fence_run(trimmed, ch);
                if n >= 3 {
                    fence = Some((ch, n));
                }
            }
            if fence.is_some() {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix("##")
                && (rest.is_empty() || rest.starts_with([' ', '\t']))
            {
                let text_start = line.start + indent + 2 + (rest.len() - rest.trim_start().len());
                let mut text_end = line.content_end;
                // A closing run of `#`s is not part of the heading.
                let h = text[text_start..text_end].trim_end();
                let without_hashes = h.trim_end_matches('#');
                if without_hashes.len() < h.len()
                    && (without_hashes.is_empty() || without_hashes.ends_with([' ', '\t']))
                {
                    text_end = text_start + without_hashes.trim_end().len();
                } else {
                    text_end = text_start + h.len();
                }
                headings.push((line.clone(), text_start..text_end.max(text_start)));
                continue;
            }
        }
        if let Some(i) = content.find("<!--")
            && !content[i + 4..].contains("-->")
        {
            in_comment = true;
        }
    }
    let preamble_end = headings.first().map_or(end, |(l, _)| l.start);
    let mut sections = Vec::with_capacity(headings.len());
    for (i, (line, heading_text)) in headings.iter().enumerate() {
        let section_end = headings.get(i + 1).map_or(end, |(l, _)| l.start);
        let (guidance, head_end) = guidance_after(text, line.end, section_end);
        let content = content_range(text, head_end, section_end);
        sections.push(Section {
            heading: text[heading_text.clone()].trim().to_string(),
            heading_line: line.start..line.end,
            heading_text: heading_text.clone(),
            line: crate::text::line_of(text, line.start),
            guidance,
            content,
            range: line.start..section_end,
        });
    }
    Body {
        range: start..end,
        preamble: start..preamble_end,
        sections,
    }
}

/// Length of the run of `ch` at the start of `s`.
fn fence_run(s: &str, ch: u8) -> usize {
    s.bytes().take_while(|&b| b == ch).count()
}

/// The guidance comment starting after blank lines at `from`, and where the head ends.
fn guidance_after(text: &str, from: usize, to: usize) -> (Option<Guidance>, usize) {
    let rest = &text[from..to];
    let lead = rest.len() - rest.trim_start().len();
    let at = from + lead;
    if !text[at..to].starts_with("<!--") {
        return (None, from);
    }
    let Some(close) = text[at + 4..to].find("-->") else {
        return (None, from);
    };
    let end = at + 4 + close + 3;
    let inner = &text[at + 4..at + 4 + close];
    (
        Some(Guidance {
            range: at..end,
            text: inner.trim().to_string(),
        }),
        end,
    )
}

/// The content between `head_end` and `section_end` without the blank lines around it.
fn content_range(text: &str, head_end: usize, section_end: usize) -> Range<usize> {
    let region = &text[head_end..section_end];
    if region.trim().is_empty() {
        // Empty: at the start of the line after the head.
        let at = if head_end == 0 || text[..head_end].ends_with('\n') {
            head_end
        } else {
            region.find('\n').map_or(section_end, |i| head_end + i + 1)
        };
        return at..at;
    }
    let mut start = head_end;
    for line in lines_in(text, head_end, section_end) {
        if line.content(text).trim().is_empty() {
            start = line.end;
        } else {
            break;
        }
    }
    if start == head_end && head_end > 0 && !text[..head_end].ends_with('\n') {
        // Text on the guidance's own line: start after the spaces.
        start += region.len() - region.trim_start_matches([' ', '\t']).len();
    }
    start..head_end + region.trim_end().len()
}

/// The text of `content` with HTML comments removed (what a reader sees, roughly).
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i + 4..].find("-->") {
            Some(j) => rest = &rest[i + 4 + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Words a reader counts in a section's content (comments excluded).
pub fn words(content: &str) -> usize {
    crate::text::word_count(&strip_comments(content))
}

/// Whether a section's content has any word a reader counts ([`words`] > 0, without counting).
pub fn has_words(content: &str) -> bool {
    crate::text::has_word(&strip_comments(content))
}

/// The replacement that puts `new` (already in the document's line-ending style) into an
/// empty content range at `at`, with blank lines around it as a writer would put them.
pub fn fill_empty(text: &str, at: usize, section_end: usize, new: &str, eol: &str) -> String {
    let mut out = String::new();
    if at > 0 && !text[..at].ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(eol);
    out.push_str(new);
    out.push_str(eol);
    let after = &text[at..section_end];
    let more_sections_follow = section_end < text.len();
    if more_sections_follow && !after.contains('\n') {
        out.push_str(eol);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Intro line\n\n## Overview\n\n<!-- About 100 to 150 word summary. -->\n\nFirst para.\n\nSecond.\n\n\n## Goals\n<!-- multi\nline -->\n**Goal 1**. Text\n\n```\n## not a heading\n```\n\n## Empty\n\n## Last ##\nEnd";

    #[test]
    fn splits_sections_with_guidance() {
        let b = split_body(BODY, 0);
        assert_eq!(&BODY[b.preamble.clone()], "Intro line\n\n");
        let names: Vec<_> = b.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(names, ["Overview", "Goals", "Empty", "Last"]);
        let o = &b.sections[0];
        assert_eq!(
            o.guidance.as_ref().map(|g| g.text.as_str()),
            Some("About 100 to 150 word summary.")
        );
        assert_eq!(&BODY[o.content.clone()], "First para.\n\nSecond.");
        let g = &b.sections[1];
        assert_eq!(
            g.guidance.as_ref().map(|g| g.text.as_str()),
            Some("multi\nline")
        );
        assert_eq!(
            &BODY[g.content.clone()],
            "**Goal 1**. Text\n\n```\n## not a heading\n```"
        );
        assert!(b.sections[2].content.is_empty());
        assert_eq!(&BODY[b.sections[3].content.clone()], "End");
        assert_eq!(b.sections[3].line, 23);
    }

    #[test]
    fn comment_blocks_hide_headings() {
        let t = "<!--\n## Hidden\n-->\n## Shown\nx\n";
        let b = split_body(t, 0);
        assert_eq!(b.sections.len(), 1);
        assert_eq!(b.sections[0].heading, "Shown");
    }

    #[test]
    fn filling_an_empty_section() {
        let t = "## A\n\n<!-- g -->\n\n## B\nx\n";
        let b = split_body(t, 0);
        let s = &b.sections[0];
        let mut out = t.to_string();
        let rep = fill_empty(t, s.content.start, s.range.end, "Hello", "\n");
        out.replace_range(s.content.clone(), &rep);
        assert_eq!(out, "## A\n\n<!-- g -->\n\nHello\n\n## B\nx\n");
        let b2 = split_body(&out, 0);
        assert_eq!(&out[b2.sections[0].content.clone()], "Hello");
    }

    #[test]
    fn strips_comments_for_counts() {
        assert_eq!(words("<!-- a b c -->one two"), 2);
        assert_eq!(strip_comments("a<!-- x -->b<!-- open"), "ab");
    }
}
