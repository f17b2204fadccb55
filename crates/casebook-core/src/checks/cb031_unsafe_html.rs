//! CB031 unsafe-html: no HTML that runs code, in the body or in front-matter text.
//!
//! The atlas site renders Markdown with raw HTML allowed, and puts front-matter text into its
//! pages, so a `<script>` in a contribution runs for every reader. Casebook's preview shows
//! such HTML inert; this rule is what stops an editor from publishing it.
//!
//! Errors, on the line where the HTML is: the elements `<script>`, `<iframe>`, `<frame>`,
//! `<frameset>`, `<object>`, `<embed>`, `<applet>`, `<style>`, `<link>`, `<meta>` and `<base>`;
//! event-handler attributes (`onclick=`, `onerror=` … any `on…=`); `javascript:` and
//! `vbscript:` URLs anywhere (links, images, attributes); `data:` URLs in links and attributes
//! (a `data:image/…` picture in `<img>` or `![](…)` is left to CB016). Entities are decoded
//! and blanks dropped before a URL's scheme is read (`&#106;avascript:` is `javascript:`).
//!
//! Info, at most one per line: harmless inline HTML such as `<br>` or `<sup>` (it shows as
//! HTML on the site and runs nothing). HTML comments, code spans and code blocks are not HTML
//! and are not read. One diagnostic per distinct finding and line.

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_yaml::Value;

use super::util;
use super::{Context, Diagnostic, Severity, Target};
use crate::document::Document;
use crate::text::line_of;

rule! {
    Rule031, "CB031", "unsafe-html", "No HTML that runs code (scripts, frames, event handlers, javascript: links) in the text or the front matter."
}

/// Elements that run code or load content into the page.
const RUNNING_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
    "base",
];

/// Attributes whose value is a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
];

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let mut found: Vec<Diagnostic> = Vec::new();
    front_matter(doc, &mut found);
    body(doc, &mut found);
    // One diagnostic per finding and line; a line with HTML that runs gets no hint.
    let mut seen: Vec<(Option<usize>, String)> = Vec::new();
    let error_lines: Vec<Option<usize>> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.line)
        .collect();
    for d in found {
        if d.severity == Severity::Info && error_lines.contains(&d.line) {
            continue;
        }
        let key = (d.line, d.message.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(d);
    }
}

/// What a piece of HTML or a URL does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finding {
    /// It runs code or loads content; the text says what (`a \`<script>\` element`).
    Runs(String),
    /// A harmless tag (its name).
    Harmless(String),
}

/// The findings of an HTML fragment: (byte offset in `s`, finding). Comments are skipped.
pub(crate) fn scan_html(s: &str) -> Vec<(usize, Finding)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            i = match s[i + 4..].find("-->") {
                Some(j) => i + 4 + j + 3,
                None => b.len(),
            };
            continue;
        }
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        let mut k = i + 1;
        let closing = b.get(k) == Some(&b'/');
        if closing {
            k += 1;
        }
        let name_start = k;
        if !b.get(k).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        while b
            .get(k)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b':')
        {
            k += 1;
        }
        let name = s[name_start..k].to_ascii_lowercase();
        let (attrs, end) = attributes(s, k);
        i = end;
        if closing {
            continue;
        }
        let before = out.len();
        let local = name.rsplit(':').next().unwrap_or(&name).to_string();
        if RUNNING_TAGS.contains(&local.as_str()) {
            out.push((start, Finding::Runs(format!("a `<{name}>` element"))));
        }
        for a in &attrs {
            if let Some(f) = attribute_finding(&local, a) {
                out.push((a.offset, f));
            }
        }
        if out.len() == before {
            out.push((start, Finding::Harmless(name)));
        }
    }
    out
}

/// One attribute of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attr {
    name: String,
    value: String,
    offset: usize,
}

/// The attributes of a tag whose name ends at `k`; returns them and where the tag ends.
fn attributes(s: &str, mut k: usize) -> (Vec<Attr>, usize) {
    let b = s.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while b
            .get(k)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            k += 1;
        }
        match b.get(k) {
            None => return (attrs, k),
            Some(b'>') => return (attrs, k + 1),
            // A new tag starts: this one was never closed.
            Some(b'<') => return (attrs, k),
            _ => {}
        }
        let name_start = k;
        while b
            .get(k)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/' | b'<'))
        {
            k += 1;
        }
        if k == name_start {
            // A lone `=` or similar: step over it.
            k += 1;
            continue;
        }
        let name = s[name_start..k].to_ascii_lowercase();
        let mut j = k;
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            match b.get(j) {
                Some(q @ (b'"' | b'\'')) => {
                    let q = *q as char;
                    let v_start = j + 1;
                    let v_end = s[v_start..].find(q).map_or(b.len(), |e| v_start + e);
                    value = s[v_start..v_end].to_string();
                    k = (v_end + 1).min(b.len());
                }
                _ => {
                    let v_start = j;
                    while b
                        .get(j)
                        .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'<'))
                    {
                        j += 1;
                    }
                    value = s[v_start..j].to_string();
                    k = j;
                }
            }
        }
        attrs.push(Attr {
            name,
            value,
            offset: name_start,
        });
    }
}

/// What an attribute of `<tag>` does, if it runs anything.
fn attribute_finding(tag: &str, a: &Attr) -> Option<Finding> {
    let n = &a.name;
    if n.len() > 2 && n.starts_with("on") && n[2..].chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(Finding::Runs(format!(
            "an `{n}` event handler on `<{tag}>`"
        )));
    }
    if URL_ATTRS.contains(&n.as_str()) {
        let url = normalized_url(&a.value);
        if let Some(scheme) = script_scheme(&url) {
            return Some(Finding::Runs(format!(
                "a `{scheme}` URL in `{n}` of `<{tag}>`"
            )));
        }
        if url.starts_with("data:") {
            let picture = tag == "img" && matches!(n.as_str(), "src" | "srcset");
            if !(picture && url.starts_with("data:image/")) {
                return Some(Finding::Runs(format!(
                    "a `data:` URL in `{n}` of `<{tag}>`"
                )));
            }
        }
    }
    if n == "style" {
        let v = normalized_url(&a.value);
        if v.contains("javascript:") || v.contains("expression(") {
            return Some(Finding::Runs(format!(
                "script in the `style` attribute of `<{tag}>`"
            )));
        }
    }
    None
}

/// `javascript:` or `vbscript:` when the URL uses one of them.
fn script_scheme(url: &str) -> Option<&'static str> {
    ["javascript:", "vbscript:"]
        .into_iter()
        .find(|s| url.starts_with(s))
}

/// A URL as a browser reads its scheme: entities decoded, blanks and control characters
/// dropped, lower case.
pub(crate) fn normalized_url(s: &str) -> String {
    decode_entities(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Decodes numeric character references and the few named ones that hide a scheme
/// (`&colon;`, `&Tab;`, `&NewLine;`, `&amp;`).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '#')
            .last()
            .map_or(0, |(j, c)| j + c.len_utf8());
        let entity = &after[..end];
        let decoded = if let Some(num) = entity.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match entity.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if !entity.is_empty() => {
                out.push(c);
                let skip = if after[end..].starts_with(';') {
                    end + 1
                } else {
                    end
                };
                rest = &after[skip..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a finding is: the section or the document, and how to name it.
fn place(doc: &Document, offset: usize) -> (Target, String) {
    match util::section_target(doc, offset) {
        Some((target, heading)) => (target, format!("`## {heading}`")),
        None => (
            Target::Document,
            "the text before the first section".to_string(),
        ),
    }
}

/// The diagnostic for a finding at `line` in `place`.
fn diagnostic(target: Target, place: &str, line: usize, f: &Finding) -> Diagnostic {
    match f {
        Finding::Runs(what) => super::Finding::new(CODE, target, Some(line))
            .error(format!("{place} holds HTML that runs on the site: {what}"))
            .with_fix(
                "Remove it: the atlas site renders HTML as written, so it would run for every reader. Link to the content with an https:// address instead.",
            ),
        Finding::Harmless(tag) => super::Finding::new(CODE, target, Some(line))
            .info(format!(
                "{place} has inline HTML `<{tag}>`: it shows as HTML on the site and runs nothing"
            ))
            .with_fix("Nothing to do; plain Markdown usually says the same (a line break is a backslash at the end of a line)."),
    }
}

/// The body: HTML blocks and inline HTML, link and image destinations.
fn body(doc: &Document, out: &mut Vec<Diagnostic>) {
    let text = doc.text();
    let range = doc.body().range.clone();
    let Some(body_text) = text.get(range.clone()) else {
        return;
    };
    let mut block_end = 0;
    let mut push = |offset_in_body: usize, f: &Finding| {
        let offset = range.start + offset_in_body;
        let (target, name) = place(doc, offset);
        out.push(diagnostic(target, &name, line_of(text, offset), f));
    };
    for (event, r) in Parser::new_ext(body_text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                for (o, f) in scan_html(&body_text[r.clone()]) {
                    push(r.start + o, &f);
                }
                block_end = r.end;
            }
            Event::Html(_) | Event::InlineHtml(_) if r.start >= block_end => {
                for (o, f) in scan_html(&body_text[r.clone()]) {
                    push(r.start + o, &f);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = normalized_url(&dest_url);
                if let Some(scheme) = script_scheme(&url) {
                    push(r.start, &Finding::Runs(format!("a `{scheme}` link")));
                } else if url.starts_with("data:") {
                    push(r.start, &Finding::Runs("a `data:` link".to_string()));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let url = normalized_url(&dest_url);
                if let Some(scheme) = script_scheme(&url) {
                    push(
                        r.start,
                        &Finding::Runs(format!("a `{scheme}` image address")),
                    );
                } else if url.starts_with("data:") && !url.starts_with("data:image/") {
                    push(
                        r.start,
                        &Finding::Runs("a `data:` image address that is not a picture".to_string()),
                    );
                }
            }
            _ => {}
        }
    }
}

/// Keys whose plain value the site uses as a link address.
fn is_link_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with("link") || k.ends_with("url") || k.ends_with("href")
}

/// Front-matter text: every string value (in lists and maps too).
fn front_matter(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(fm) = util::readable_front(doc) else {
        return;
    };
    let text = doc.text();
    for e in &fm.entries {
        let Some(value) = &e.value else { continue };
        let mut strings = Vec::new();
        strings_in(value, &mut strings);
        let written = &text[e.value_range.clone()];
        let raw = e.raw_value(text);
        let raw_start = e.value_range.start + (written.len() - raw.len());
        let target = Target::Field { key: e.key.clone() };
        let name = format!("`{}`", e.key);
        for s in strings {
            let mut findings = scan_html(s);
            if is_link_key(&e.key) {
                let url = normalized_url(s);
                if let Some(scheme) = script_scheme(&url) {
                    findings.push((0, Finding::Runs(format!("a `{scheme}` address"))));
                } else if url.starts_with("data:") {
                    findings.push((0, Finding::Runs("a `data:` address".to_string())));
                }
            }
            for (o, f) in findings {
                // The line of the finding when its text is found as written, else the key's.
                let snippet: String = s[o..].chars().take(12).collect();
                let line = raw
                    .find(&snippet)
                    .map_or(e.line, |i| line_of(text, raw_start + i));
                out.push(diagnostic(target.clone(), &name, line, &f));
            }
        }
    }
}

/// The strings of a YAML value, in order.
fn strings_in<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Sequence(items) => items.iter().for_each(|i| strings_in(i, out)),
        Value::Mapping(m) => m.iter().for_each(|(k, v)| {
            strings_in(k, out);
            strings_in(v, out);
        }),
        Value::Tagged(t) => strings_in(&t.value, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_any, check, doc, messages, run};
    use super::*;

    const FRONT: &str = "title: Test\nstatus: Draft";

    fn errors(d: &[Diagnostic]) -> Vec<Diagnostic> {
        d.iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect()
    }

    #[test]
    fn scripts_frames_and_handlers_in_the_body_are_errors_on_their_line() {
        let body = "\n## Overview\n\nA paragraph.\n\n<script>alert(1)</script>\n\nMore <span onclick=\"x()\">text</span>.\n\n<iframe\n  src=\"https://example.org\"></iframe>\n\n## Outcomes\n\n<object data=\"x.swf\"></object> <embed src=\"y\"> <style>p{}</style>\n";
        let d = check(&Rule031, FRONT, body);
        let e = errors(&d);
        let m = messages(&d);
        assert_any(&e, 10, "`<script>` element");
        assert_any(&e, 12, "`onclick` event handler");
        assert_any(&e, 14, "`<iframe>`");
        for tag in ["<object>", "<embed>", "<style>"] {
            assert!(
                e.iter().any(|d| d.line == Some(19)
                    && d.message.contains(tag)
                    && d.message.starts_with("`## Outcomes`")),
                "{tag}: {m:?}"
            );
        }
        assert!(
            e.iter().all(|d| matches!(d.target, Target::Section { .. })),
            "{m:?}"
        );
    }

    #[test]
    fn script_urls_are_errors_however_they_are_written() {
        let body = "\n## Overview\n\n[click](javascript:alert(1)) and [x](JaVaScRiPt:void(0))\n\n<a href=\"&#106;avascript:alert(1)\">y</a>\n\n<a href=\"java\tscript:x\">z</a> <a href='data:text/html,<b>'>d</a>\n\n[data](data:text/html;base64,PHNjcmlwdD4=) ![pic](data:image/png;base64,AAAA)\n\n<img src=\"data:image/png;base64,AAAA\"> <img src=\"x\" onerror=\"y()\">\n";
        let d = check(&Rule031, FRONT, body);
        let e = errors(&d);
        let m = messages(&d);
        for (line, says) in [
            (8, "`javascript:` link"),
            (10, "`javascript:` URL in `href`"),
            (12, "`javascript:` URL in `href`"),
            (12, "`data:` URL in `href`"),
            (14, "`data:` link"),
            (16, "`onerror` event handler on `<img>`"),
        ] {
            assert_any(&e, line, says);
        }
        let on = |line: usize, s: &str| {
            e.iter()
                .any(|d| d.line == Some(line) && d.message.contains(s))
        };
        assert!(!on(14, "image"), "a data: picture is CB016's: {m:?}");
        assert!(
            !e.iter()
                .any(|d| d.line == Some(16) && d.message.contains("data:")),
            "a data: picture in <img> runs nothing: {m:?}"
        );
    }

    #[test]
    fn harmless_inline_html_is_a_hint_and_comments_and_code_are_not_html() {
        let text = doc(
            FRONT,
            "\n## Overview\n\n<!-- Guidance with <script> in it. -->\n\nLine one<br>line two, CO<sub>2</sub> and 10<sup>3</sup>.\n\n`<script>` in code, and\n\n```\n<iframe src=x></iframe>\n```\n\n<https://example.org> and <someone@example.org>\n",
        );
        let d = run(&Rule031, &text);
        assert!(errors(&d).is_empty(), "{:?}", messages(&d));
        let hints: Vec<_> = d.iter().filter(|d| d.severity == Severity::Info).collect();
        assert!(!hints.is_empty(), "{:?}", messages(&d));
        assert!(
            hints.iter().all(|d| d.line == Some(10)),
            "{:?}",
            messages(&d)
        );
        assert!(hints.iter().any(|d| d.message.contains("`<br>`")));
        // Autolinks, emails, comments and code raise nothing else.
        assert!(d.iter().all(|d| d.line == Some(10)), "{:?}", messages(&d));
    }

    #[test]
    fn front_matter_text_is_read_too() {
        let text = doc(
            "title: Test <script>steal()</script>\nstatus: Draft\ndescription: |\n  First line.\n  <img src=x onerror=alert(1)>\nfeatured_credit_link: javascript:alert(1)\ngeography_caption: Area in km<sup>2</sup>",
            "\n## Overview\n\nText.\n",
        );
        let d = run(&Rule031, &text);
        let m = messages(&d);
        let e = errors(&d);
        let at = |key: &str, line: usize, s: &str| {
            e.iter().any(|d| {
                d.target == Target::Field { key: key.into() }
                    && d.line == Some(line)
                    && d.message.contains(s)
            })
        };
        assert!(at("title", 2, "`<script>` element"), "{m:?}");
        assert!(at("description", 6, "`onerror`"), "{m:?}");
        assert!(
            at("featured_credit_link", 7, "`javascript:` address"),
            "{m:?}"
        );
        assert!(
            d.iter().any(|d| d.severity == Severity::Info
                && d.target
                    == Target::Field {
                        key: "geography_caption".into()
                    }),
            "{m:?}"
        );
    }

    #[test]
    fn entities_and_odd_markup_never_panic() {
        for s in [
            "",
            "<",
            "<<",
            "<a",
            "<a href",
            "<a href=",
            "<a href='",
            "&",
            "&#",
            "&#x;",
            "&#99999999;",
            "<a\u{e9} on\u{e9}=x>",
            "</",
            "<!--",
            "<a href=\"&#x6A;avascript&colon;x\">",
            "<svg:script>",
            "é<é>é",
        ] {
            let _ = scan_html(s);
            let _ = normalized_url(s);
        }
        assert_eq!(
            normalized_url("&#x6A;ava&Tab;script&colon;x"),
            "javascript:x"
        );
        assert_eq!(
            scan_html("<a href=\"&#x6A;avascript&colon;x\">"),
            vec![(
                3,
                Finding::Runs("a `javascript:` URL in `href` of `<a>`".to_string())
            )]
        );
    }
}
