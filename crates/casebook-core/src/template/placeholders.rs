//! The template's placeholder text, found again in a case that still carries it.

use std::collections::HashMap;

use super::*;

// ---------------------------------------------------------------------------------------------
// Placeholders.

/// The placeholder text of a template, to find what a case still has of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    /// Fingerprints of the dummy paragraphs and list items: their first (up to 8) words,
    /// lowercased, punctuation dropped, single spaces.
    pub paragraphs: Vec<String>,
    /// Placeholder lead-ins and link texts: numbered ones ("Goal 1", "Stakeholder 1") and ones
    /// that ask for a name ("Name of Interviewee", "Organization Name"). Other lead-ins and
    /// link texts ("Financing Scheme", "Link", "LinkedIn") are kept by authors as they are, so
    /// they are not placeholders.
    pub labels: Vec<String>,
    /// Link targets of the template's placeholder links (`https://example.org`).
    pub links: Vec<String>,
    /// Placeholder front-matter values (key, value), e.g. `author: Your name`. A hint, not
    /// proof: some templates carry real defaults (the atlas stub's `author: Urban Tech Hub`).
    pub values: Vec<(String, String)>,
}

/// Words per paragraph fingerprint.
const FINGERPRINT_WORDS: usize = 8;
/// Paragraphs shorter than this are too generic to fingerprint ("Very easy!").
const MIN_FINGERPRINT_WORDS: usize = 3;
/// Front-matter keys whose template values are real choices, not placeholders.
const NOT_PLACEHOLDER_KEYS: &[&str] = &[
    "template",
    "status",
    "type",
    "tags",
    "country_code",
    "centroid",
    "year_start",
    "year_completed",
    "geography",
];

impl Placeholders {
    /// Collects the placeholders of a template document.
    pub fn of(doc: &Document) -> Placeholders {
        let mut p = Placeholders::default();
        let text = doc.text();
        for s in &doc.body().sections {
            let content = strip_comments(&normalize_newlines(&text[s.content.clone()]));
            for para in paragraphs(&content) {
                p.add_paragraph(&para);
            }
        }
        if let Some(fm) = doc.front_matter() {
            for e in &fm.entries {
                if NOT_PLACEHOLDER_KEYS.contains(&e.key.as_str()) {
                    continue;
                }
                if let Some(Value::String(v)) = &e.value
                    && !v.trim().is_empty()
                {
                    p.values.push((e.key.clone(), v.trim().to_string()));
                }
            }
        }
        p
    }

    fn add_paragraph(&mut self, para: &str) {
        let (lead, rest) = split_lead_in(para);
        if let Some(lead) = lead {
            let norm = normalize_label(&lead);
            if is_fill_in(&norm) && !self.has_label(&norm) {
                self.labels
                    .push(lead.trim().trim_end_matches(['.', ':']).to_string());
            }
        }
        for (label, target) in links_in(rest) {
            let norm = normalize_label(&label);
            if is_fill_in(&norm) && !self.has_label(&norm) {
                self.labels.push(label.trim().to_string());
            }
            let t = target.trim().to_string();
            if !t.is_empty() && !t.starts_with("./") && !self.links.contains(&t) {
                self.links.push(t);
            }
        }
        let words = reader_words(rest);
        if words.len() >= MIN_FINGERPRINT_WORDS {
            let fp = words
                .iter()
                .take(FINGERPRINT_WORDS)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            if !self.paragraphs.contains(&fp) {
                self.paragraphs.push(fp);
            }
        }
    }

    /// Adds the paragraphs, labels and links of `other` (not its front-matter values, which
    /// belong to one template's example).
    pub fn absorb_text(&mut self, other: &Placeholders) {
        for p in &other.paragraphs {
            if !self.paragraphs.contains(p) {
                self.paragraphs.push(p.clone());
            }
        }
        for l in &other.labels {
            if !self.has_label(&normalize_label(l)) {
                self.labels.push(l.clone());
            }
        }
        for l in &other.links {
            if !self.links.contains(l) {
                self.links.push(l.clone());
            }
        }
    }

    fn has_label(&self, norm: &str) -> bool {
        self.labels.iter().any(|l| normalize_label(l) == norm)
    }

    /// Whether there are no placeholders at all.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty() && self.labels.is_empty() && self.links.is_empty()
    }

    /// The placeholders (labels, link targets, paragraph fingerprints) that `text` (a section's
    /// content) still contains, in this order, each once. Comments are ignored.
    ///
    /// For many texts against the same placeholders, make one [`Placeholders::matcher`].
    pub fn found_in(&self, text: &str) -> Vec<String> {
        self.matcher().found_in(text)
    }

    /// A matcher that prepares the lookups once (normalized labels, fingerprints by first
    /// word), for finding the placeholders in many texts.
    pub fn matcher(&self) -> Matcher<'_> {
        let mut by_first: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, fp) in self.paragraphs.iter().enumerate() {
            if let Some(first) = fp.split(' ').next() {
                by_first.entry(first).or_default().push(i);
            }
        }
        let mut first_bytes = [false; 256];
        for first in by_first.keys() {
            if let Some(&b) = first.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        Matcher {
            placeholders: self,
            labels: self.labels.iter().map(|l| normalize_label(l)).collect(),
            by_first,
            first_bytes,
        }
    }

    /// The front-matter keys whose value in `doc` is still the template's placeholder.
    pub fn values_found_in(&self, doc: &Document) -> Vec<String> {
        self.values
            .iter()
            .filter(|(k, v)| {
                doc.value(k)
                    .and_then(fields::as_text)
                    .is_some_and(|d| d.trim() == v)
            })
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// [`Placeholders`] prepared for finding them in many texts; see [`Placeholders::matcher`].
pub struct Matcher<'a> {
    placeholders: &'a Placeholders,
    /// The labels, normalized, in the same order.
    labels: Vec<String>,
    /// Paragraph fingerprints (their index) by their first word.
    by_first: HashMap<&'a str, Vec<usize>>,
    /// Whether some first word starts with this byte (most words are passed over at once).
    first_bytes: [bool; 256],
}

impl Matcher<'_> {
    /// What [`Placeholders::found_in`] says of `text`.
    pub fn found_in(&self, text: &str) -> Vec<String> {
        let ph = self.placeholders;
        let text = strip_comments(&normalize_newlines(text));
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: &str| {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        };
        if !self.labels.is_empty() {
            let mut spans: Vec<String> = bold_spans(&text)
                .iter()
                .map(|b| normalize_label(b))
                .collect();
            spans.extend(links_in(&text).iter().map(|(l, _)| normalize_label(l)));
            for (label, n) in ph.labels.iter().zip(&self.labels) {
                if spans.contains(n) {
                    push(label);
                }
            }
        }
        for link in &ph.links {
            if text.contains(&format!("]({link}")) {
                push(link);
            }
        }
        // A fingerprint is found where its words follow each other in the text: look only
        // where its first word is (one pass over the words, no string searches).
        let lowered = visible_text(&text).to_lowercase();
        let words = split_words(&lowered);
        let mut seen = vec![false; ph.paragraphs.len()];
        for (i, w) in words.iter().enumerate() {
            let starts = w
                .as_bytes()
                .first()
                .map(|&b| self.first_bytes[usize::from(b)]);
            if starts != Some(true) {
                continue;
            }
            for &k in self.by_first.get(w).into_iter().flatten() {
                let (Some(fp), Some(flag)) = (ph.paragraphs.get(k), seen.get_mut(k)) else {
                    continue;
                };
                let mut rest = words[i..].iter();
                if !*flag && fp.split(' ').all(|f| rest.next().is_some_and(|w| *w == f)) {
                    *flag = true;
                }
            }
        }
        for (fp, found) in ph.paragraphs.iter().zip(seen) {
            if found {
                push(fp);
            }
        }
        out
    }
}

/// Whether a normalized lead-in or link text is a fill-in placeholder: numbered ("goal 1") or
/// asking for a name ("organization name", "name of interviewee").
fn is_fill_in(norm: &str) -> bool {
    let numbered = norm.chars().last().is_some_and(|c| c.is_ascii_digit());
    let asks_name = norm.split(' ').any(|w| w == "name");
    numbered || asks_name
}

/// Paragraphs (blank-line separated) and list items of a section's text.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.trim().is_empty() {
            out.push(cur.trim().to_string());
        }
        cur.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        let is_item = t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ");
        if t.is_empty() || t.starts_with('#') || t == "---" {
            flush(&mut cur, &mut out);
            if t.starts_with('#') {
                // A `###` heading is not placeholder text.
                continue;
            }
        } else if is_item {
            flush(&mut cur, &mut out);
            cur.push_str(&t[2..]);
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(t);
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// `(**lead-in**, rest)` of a paragraph that opens with a bold lead-in.
fn split_lead_in(para: &str) -> (Option<String>, &str) {
    let t = para.trim_start();
    let Some(after) = t.strip_prefix("**") else {
        return (None, para);
    };
    let Some(end) = after.find("**") else {
        return (None, para);
    };
    let lead = after[..end].to_string();
    let rest = after[end + 2..].trim_start_matches(['.', ':', ' ', '\t']);
    (Some(lead), rest)
}

/// A label reduced for comparison: no enumeration prefix ("1."), no trailing punctuation,
/// lowercased, single spaces.
fn normalize_label(label: &str) -> String {
    let t = label.trim().trim_end_matches(['.', ':', ' ']);
    let t = match t.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    };
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The texts between `**` pairs.
fn bold_spans(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("**") {
        let after = &rest[i + 2..];
        let Some(j) = after.find("**") else { break };
        out.push(after[..j].to_string());
        rest = &after[j + 2..];
    }
    out
}

/// `(text, target)` of the Markdown links `[text](target)` in `text` (images excluded).
fn links_in(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        let is_image = i > 0 && rest[..i].ends_with('!');
        let after = &rest[i + 1..];
        let Some(j) = after.find("](") else { break };
        let label = &after[..j];
        if label.contains('[') {
            // Not the innermost bracket: start again from the next one.
            rest = after;
            continue;
        }
        let tail = &after[j + 2..];
        let Some(k) = tail.find(')') else { break };
        let target = tail[..k].split_whitespace().next().unwrap_or("");
        if !is_image {
            out.push((label.to_string(), target.to_string()));
        }
        rest = &tail[k + 1..];
    }
    out
}

/// The words a reader sees (link targets dropped), lowercased, letters and digits only.
fn reader_words(text: &str) -> Vec<String> {
    let lowered = visible_text(text).to_lowercase();
    split_words(&lowered)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// `text` without its link and image targets (`](...)`), each replaced by a space.
fn visible_text(text: &str) -> String {
    let mut visible = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        visible.push_str(&rest[..i]);
        visible.push(' ');
        match rest[i + 2..].find(')') {
            Some(j) => rest = &rest[i + 2 + j + 1..],
            None => rest = "",
        }
    }
    visible.push_str(rest);
    visible
}

/// The runs of letters and digits of `text`.
fn split_words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII bytes are judged as they are; other characters decoded (most text is ASCII).
        let (letter, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            text.get(i..)
                .and_then(|rest| rest.chars().next())
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
        };
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.extend(text.get(s..i));
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        out.extend(text.get(s..));
    }
    out
}

/// How many items a section's content lists: paragraphs that open with a bold lead-in, or,
/// when there are none, top-level list items.
pub fn item_count(content: &str) -> usize {
    let text = strip_comments(&normalize_newlines(content));
    let mut leads = 0;
    let mut items = 0;
    let mut prev_blank = true;
    for line in text.lines() {
        let t = line.trim_end();
        if t.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        if prev_blank && t.starts_with("**") && t[2..].contains("**") {
            leads += 1;
        }
        if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || starts_numbered(t) {
            items += 1;
        }
        prev_blank = false;
    }
    if leads > 0 { leads } else { items }
}

/// Whether a line starts an ordered list item (`1. `).
fn starts_numbered(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && t[digits..].starts_with(". ")
}
