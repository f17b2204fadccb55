//! Finding the words to spell-check in Markdown and in plain field values.
//!
//! Only prose is checked. Skipped: code spans and code blocks, HTML (comments — the template's
//! guidance — and tags), link targets and image paths (the text of a link and an image's alt
//! text are prose and are checked), autolinks, bare web addresses, e-mail addresses, file and
//! domain names (`plan.pdf`, `data.gov.uk`), HTML entities (`&amp;`), numbers, words with
//! digits (`5G`, `COVID-19`'s `19`), single letters, ALL-CAPS acronyms (also plural or
//! possessive: `APIs`, `NASA's`), and words with a capital inside (`iPhone`, `OpenStreetMap`:
//! product and organisation names).
//!
//! A word is a run of letters (and digits, which then skip it); an apostrophe (`'` or the
//! typographic `’`) between two letters belongs to the word (`don't`, `city’s`); so does a
//! hyphen, and the checker then accepts the whole (`Wi-Fi`) or checks each part ([`parts`]:
//! `data-driven` as `data` and `driven`); curly quotes are punctuation.
//!
//! Markdown is read block by block (runs of lines between blank lines; a fenced code block or
//! an HTML comment with blank lines inside stays one block), so the editor can re-check only
//! the block that changed and get the same answer as a check of the whole text.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// The blocks of a Markdown text: byte ranges of runs of non-blank lines; a fenced code block
/// or an HTML comment spanning blank lines is kept in one block.
pub fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let mut pos = 0;
    while pos < text.len() {
        let line_start = pos;
        let line_end = match text[pos..].find('\n') {
            Some(i) => pos + i + 1,
            None => text.len(),
        };
        pos = line_end;
        let line = &text[line_start..line_end];
        if let Some((ch, n)) = fence {
            if closes_fence(line, ch, n) {
                fence = None;
            }
            continue;
        }
        if in_comment {
            in_comment = comment_open_after(line, line.find("-->").map_or(line.len(), |i| i + 3))
                || !line.contains("-->");
            continue;
        }
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(s..line_start);
            }
            continue;
        }
        if start.is_none() {
            start = Some(line_start);
        }
        if let Some(f) = opens_fence(line) {
            fence = Some(f);
        } else {
            in_comment = comment_open_after(line, 0);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Whether an HTML comment opened in `line[from..]` is still open at the end of the line.
fn comment_open_after(line: &str, from: usize) -> bool {
    let mut i = from.min(line.len());
    loop {
        let Some(rest) = line.get(i..) else {
            return false;
        };
        let Some(open) = rest.find("<!--") else {
            return false;
        };
        let after = i + open + 4;
        match line.get(after..).and_then(|r| r.find("-->")) {
            Some(close) => i = after + close + 3,
            None => return true,
        }
    }
}

/// The fence a line opens (``` or ~~~, indented at most 3 spaces): its character and length.
fn opens_fence(line: &str) -> Option<(u8, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let ch = *t.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == ch).count();
    if n < 3 || (ch == b'`' && t[n..].contains('`')) {
        return None;
    }
    Some((ch, n))
}

/// Whether `line` closes a fence of `n` × `ch`.
fn closes_fence(line: &str, ch: u8, n: usize) -> bool {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return false;
    }
    let run = t.bytes().take_while(|&b| b == ch).count();
    run >= n && t[run..].trim().is_empty()
}

/// The words to check in a Markdown text, as byte ranges (in order).
pub fn markdown_words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for b in blocks(text) {
        block_words(text, b, &mut out);
    }
    out
}

/// Adds the words of one block of `text` (see [`blocks`]) to `out`.
pub fn block_words(text: &str, block: Range<usize>, out: &mut Vec<Range<usize>>) {
    let Some(src) = text.get(block.clone()) else {
        return;
    };
    // A block indented 4+ spaces is a list item's continuation far more often than code in a
    // case study: read it without the indentation (and map offsets back).
    let dedented = Dedented::new(src);
    let md = dedented.text.as_deref().unwrap_or(src);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut code_depth = 0usize;
    let mut autolink_depth = 0usize;
    for (event, range) in Parser::new_ext(md, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => autolink_depth += 1,
            Event::End(TagEnd::Link) if autolink_depth > 0 => autolink_depth -= 1,
            Event::Text(_) if code_depth == 0 && autolink_depth == 0 => match ranges.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => ranges.push(range),
            },
            _ => {}
        }
    }
    for r in ranges {
        let mut words = Vec::new();
        prose_words(md, r, &mut words);
        for w in words {
            let start = dedented.map(w.start);
            let end = start + w.len();
            out.push(block.start + start..block.start + end);
        }
    }
}

/// A block's text without a common indentation of 4+ columns, with the offset map back.
struct Dedented {
    /// The dedented text, when the block was indented.
    text: Option<String>,
    /// Per line: start in the dedented text, bytes removed before it (cumulative, inclusive).
    lines: Vec<(usize, usize)>,
}

impl Dedented {
    fn new(src: &str) -> Dedented {
        let indent = src
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0);
        if indent < 4 {
            return Dedented {
                text: None,
                lines: Vec::new(),
            };
        }
        let mut text = String::with_capacity(src.len());
        let mut lines = Vec::new();
        let mut removed = 0;
        for line in src.split_inclusive('\n') {
            let cut = (line.len() - line.trim_start_matches([' ', '\t']).len()).min(indent);
            removed += cut;
            lines.push((text.len(), removed));
            text.push_str(&line[cut..]);
        }
        Dedented {
            text: Some(text),
            lines,
        }
    }

    /// The offset in the original block of `offset` in the dedented text.
    fn map(&self, offset: usize) -> usize {
        if self.text.is_none() {
            return offset;
        }
        let i = self.lines.partition_point(|&(start, _)| start <= offset);
        let removed = i
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or(0, |l| l.1);
        offset + removed
    }
}

/// The words to check in a plain value (a title, a caption): byte ranges, in order.
pub fn plain_words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    prose_words(text, 0..text.len(), &mut out);
    out
}

/// Adds the words of prose `text[range]` to `out`, skipping what is not prose (see the module
/// documentation).
pub fn prose_words(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let Some(src) = text.get(range.clone()) else {
        return;
    };
    let mut chunk_start: Option<usize> = None;
    for (i, c) in src.char_indices().chain(std::iter::once((src.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                chunk_words(text, range.start + s..range.start + i, out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
}

/// Adds the words of one whitespace-free chunk.
fn chunk_words(text: &str, chunk: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[chunk.clone()];
    if is_address(s) {
        return;
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let joins = |j: usize| {
        let c = chars[j].1;
        (is_apostrophe(c) || is_hyphen(c))
            && j > 0
            && chars[j - 1].1.is_alphanumeric()
            && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric())
    };
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (chars[j].1.is_alphanumeric() || joins(j)) {
            j += 1;
        }
        let end = chars.get(j).map_or(s.len(), |n| n.0);
        let before = start.checked_sub(1).and_then(|b| s.as_bytes().get(b));
        let after = s.as_bytes().get(end);
        let entity = matches!(before, Some(b'&' | b'#')) && after == Some(&b';');
        let word = &s[start..end];
        if !entity && parts(word).any(|p| wants_check(&word[p])) {
            out.push(chunk.start + start..chunk.start + end);
        }
        i = j;
    }
}

/// `-` or the Unicode hyphen `‐`.
pub fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}'
}

/// The parts of a hyphenated word (`data-driven` → `data`, `driven`), as ranges in it; a word
/// without hyphens is its own one part.
pub fn parts(word: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match word[start..].char_indices().find(|&(_, c)| is_hyphen(c)) {
            Some((i, c)) => {
                let r = start..start + i;
                start += i + c.len_utf8();
                Some(r)
            }
            None => {
                done = true;
                Some(start..word.len())
            }
        }
    })
}

/// Prefixes written with a hyphen (`pre-existing`, `eco-friendly`, `co-design`): fine as the
/// first part of a hyphenated word even though they are not words on their own.
pub const HYPHEN_PREFIXES: [&str; 31] = [
    "anti", "bi", "co", "counter", "cyber", "e", "eco", "ex", "inter", "intra", "macro", "mega",
    "micro", "mid", "multi", "neo", "non", "post", "pre", "pro", "quasi", "re", "semi", "sub",
    "super", "tele", "trans", "tri", "un", "uni", "vice",
];

/// `'` or the typographic apostrophe `’`.
pub fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Whether a whitespace-free chunk is a web or e-mail address, or a file or domain name.
fn is_address(chunk: &str) -> bool {
    let lower = chunk.to_ascii_lowercase();
    if lower.contains("://") || lower.contains("www.") || lower.starts_with("mailto:") {
        return true;
    }
    let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
    if core.contains('@') {
        return true;
    }
    // A dot between two letters or digits: `plan.pdf`, `data.gov.uk`, `e.g`, `1.5`.
    let b = core.as_bytes();
    b.windows(3).any(|w| {
        w[1] == b'.'
            && (w[0].is_ascii_alphanumeric() || w[0] >= 0x80)
            && (w[2].is_ascii_alphanumeric() || w[2] >= 0x80)
    })
}

/// Whether a word (letters, digits, inner apostrophes) is one to check.
pub fn wants_check(word: &str) -> bool {
    let base = strip_possessive(word);
    let mut letters = 0;
    let mut upper = 0;
    let mut inner_capital = false;
    let mut prev_lower = false;
    for c in base.chars() {
        if c.is_numeric() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                inner_capital |= prev_lower;
            }
            prev_lower = c.is_lowercase();
        }
    }
    if letters < 2 || inner_capital {
        return false;
    }
    // ALL-CAPS, also with a plural `s`: `NASA`, `APIs`, `NGOs`.
    let caps_plural = base.ends_with('s') && upper == letters - 1 && upper >= 2;
    !(upper == letters || caps_plural)
}

/// The word without a possessive `'s` / `’s` or a trailing apostrophe.
pub fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return stem;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Vec<&str> {
        markdown_words(text).into_iter().map(|r| &text[r]).collect()
    }

    fn plain(text: &str) -> Vec<&str> {
        plain_words(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn code_is_skipped() {
        assert_eq!(md("Use `cargo buidl` here."), ["Use", "here"]);
        assert_eq!(
            md("Before.\n\n```rust\nlet wrng = 1;\n\nfn mian() {}\n```\n\nAfter."),
            ["Before", "After"]
        );
        assert_eq!(md("~~~\nzxqv\n~~~\nText"), ["Text"]);
        assert_eq!(
            md("Intro:\n\n    indented contnuation of a list\n"),
            ["Intro", "indented", "contnuation", "of", "list"]
        );
    }

    #[test]
    fn links_images_and_addresses_are_skipped() {
        assert_eq!(
            md(
                "See [the plann](https://exmple.org/pathh) and ![A photto](./imgg/phooto.jpg \"Capton\")."
            ),
            ["See", "the", "plann", "and", "photto"]
        );
        assert_eq!(md("Visit <https://exmple.org/zz> now"), ["Visit", "now"]);
        assert_eq!(md("Write to <someone@exmple.org>."), ["Write", "to"]);
        assert_eq!(
            plain("Go to https://exmple.org/xx or www.exmple.com, mail info@exmple.org"),
            ["Go", "to", "or", "mail"]
        );
        assert_eq!(
            plain("Read plann.pdf from data.gov.uk (e.g. this)."),
            ["Read", "from", "this"]
        );
        assert_eq!(md("[ref]: https://exmple.org/zz\n\nBody"), ["Body"]);
    }

    #[test]
    fn html_and_comments_are_skipped() {
        assert_eq!(
            md("<!-- Guidanse for the autor -->\n\nText <span class=\"xx\">inner</span>."),
            ["Text", "inner"]
        );
        assert_eq!(
            md("<!-- Long guidanse\n\nwith a blank line insde -->\n\nProse here."),
            ["Prose", "here"]
        );
        assert_eq!(
            md("Fish &amp; chips &#8212; done"),
            ["Fish", "chips", "done"]
        );
    }

    #[test]
    fn numbers_acronyms_and_names_are_skipped() {
        assert_eq!(
            plain(
                "In 2019 the 5G and COVID-19 work by NASA, NGOs, APIs and NASA's iPhone OpenStreetMap team"
            ),
            ["In", "the", "and", "work", "by", "and", "team"]
        );
        assert_eq!(plain("a b 3.5 1,200 x"), Vec::<&str>::new());
    }

    #[test]
    fn apostrophes_hyphens_and_quotes() {
        assert_eq!(
            plain("don't city’s ‘quoted’ “double” data-driven 'single' students' -dash- a--b"),
            [
                "don't",
                "city’s",
                "quoted",
                "double",
                "data-driven",
                "single",
                "students",
                "dash"
            ]
        );
    }

    #[test]
    fn emphasis_and_headings_are_prose() {
        assert_eq!(
            md("**Bold naame**. *Itallic* and ### Heding\n\n# Titel"),
            ["Bold", "naame", "Itallic", "and", "Heding", "Titel"]
        );
    }

    #[test]
    fn blocks_keep_multi_line_constructs() {
        let t = "a\nb\n\n```\nx\n\ny\n```\n\n<!-- c\n\nd -->\ne\n\nf";
        let b: Vec<&str> = blocks(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            b,
            ["a\nb\n", "```\nx\n\ny\n```\n", "<!-- c\n\nd -->\ne\n", "f"]
        );
        let crlf = "a\r\n\r\nb\r\n";
        let b: Vec<&str> = blocks(crlf).into_iter().map(|r| &crlf[r]).collect();
        assert_eq!(b, ["a\r\n", "b\r\n"]);
    }

    #[test]
    fn offsets_map_back_through_dedent() {
        let t = "Intro\n\n    first linne\n      secnd\n";
        for r in markdown_words(t) {
            assert!(t[r.clone()].chars().all(char::is_alphanumeric), "{r:?}");
        }
        assert_eq!(md(t), ["Intro", "first", "linne", "secnd"]);
    }
}
