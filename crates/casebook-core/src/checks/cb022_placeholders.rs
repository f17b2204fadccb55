//! CB022 placeholders: no template placeholder text is left in the case.
//!
//! Per section: the template's numbered or fill-in lead-ins and link texts (`**Goal 1**`,
//! `[Organization Name](…)`, `**Open questions 3**`), its placeholder link targets, and its
//! dummy paragraphs (by their first words) — see [`crate::template::Placeholders`]. Image
//! alt texts are left out (an author's alt text may repeat the template's example and still
//! be right). One
//! diagnostic per section, on the line of the first placeholder found there. Errors in a
//! Complete case, warnings otherwise.
//!
//! Front matter: a `title` or `description` still equal to the template's is reported the same
//! way; other example values (`featured_image`, `featured_credit`, `geography_caption` …) are
//! info, since a template's value can be a real default; the image's alt text and credit only
//! while `featured_image` is the template's example image too. `author` and `city` are not compared
//! (the atlas stub's `author: Urban Tech Hub` and `city: New York` are often right).

use super::util::{self, Stage};
use super::{Context, Diagnostic, Finding, Severity};
use crate::document::Document;
use crate::text::line_of;

rule! {
    Rule022, "CB022", "placeholders", "No placeholder text from the template is left in the case."
}

/// Front-matter keys whose template value is never the case's own.
const STRONG_KEYS: &[&str] = &["title", "description"];
/// Front-matter keys whose template value is often right.
const SKIPPED_KEYS: &[&str] = &["author", "city"];
/// Keys about the featured image: their example values describe the example image, so they
/// are placeholders only while the image is the template's too.
const IMAGE_KEYS: &[&str] = &[
    "featured_alt",
    "featured_desc",
    "featured_credit",
    "featured_credit_link",
];
/// Placeholders named in one message.
const SHOWN: usize = 3;

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let ph = &ctx.template.placeholders;
    let severity = if util::stage(doc) == Stage::Complete {
        Severity::Error
    } else {
        Severity::Warning
    };
    let matcher = ph.matcher();
    for (i, s) in doc.body().sections.iter().enumerate() {
        let found = matcher.found_in(&without_images(&doc.text()[s.content.clone()]));
        if found.is_empty() {
            continue;
        }
        let line = found
            .iter()
            .find_map(|f| locate(doc, s.content.clone(), f))
            .unwrap_or(s.line);
        let mut shown: Vec<String> = found.iter().take(SHOWN).map(|f| format!("“{f}”")).collect();
        if found.len() > SHOWN {
            shown.push(format!("{} more", found.len() - SHOWN));
        }
        out.push(
            Finding::section(CODE, &s.heading, Some(i), Some(line))
                .report(
                    severity,
                    format!(
                        "`## {}` still has placeholder text from template `{}`: {}",
                        s.heading,
                        ctx.template.name,
                        shown.join(", ")
                    ),
                )
                .with_fix("Replace the placeholder with the case's own text (a short bold name for each item, real organization names and links)."),
        );
    }
    for key in ph.values_found_in(doc) {
        if SKIPPED_KEYS.contains(&key.as_str()) {
            continue;
        }
        let Some(value) = util::text_value(doc, &key) else {
            continue;
        };
        if IMAGE_KEYS.contains(&key.as_str()) && !image_is_template(doc, ph) {
            continue;
        }
        let strong = STRONG_KEYS.contains(&key.as_str());
        out.push(
            Finding::key(CODE, doc, &key)
                .report(
                    if strong { severity } else { Severity::Info },
                    format!("`{key}` is still the template's example value `{value}`"),
                )
                .with_fix(format!(
                    "Replace the example with this case's own {}.",
                    key.replace('_', " ")
                )),
        );
    }
}

/// Whether the case's featured image is still the template's example image.
fn image_is_template(doc: &Document, ph: &crate::template::Placeholders) -> bool {
    let own = util::text_value(doc, "featured_image");
    ph.values
        .iter()
        .any(|(k, v)| k == "featured_image" && own.as_deref() == Some(v.as_str()))
}

/// `text` with Markdown images (`![alt](src)`) blanked out: an image's alt text is the
/// author's description (CB016 checks images), even when it repeats the template's example.
fn without_images(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("![") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after
            .find("](")
            .and_then(|j| after[j..].find(')').map(|k| j + k + 1))
            .filter(|&e| !after[..e].contains("\n\n"));
        match end {
            Some(e) => {
                // Keep line breaks so lines stay where they were.
                out.extend(after[..e].chars().filter(|c| *c == '\n'));
                rest = &after[e..];
            }
            None => {
                out.push_str("![");
                rest = &after[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The line of a placeholder in a section: a label or link found in the text; `None` for
/// paragraph fingerprints (which are words, not text as written).
fn locate(doc: &Document, range: std::ops::Range<usize>, found: &str) -> Option<usize> {
    let text = doc.text();
    util::find_ignoring_case(text, range.clone(), found)
        .or_else(|| util::find_ignoring_case(text, range, &format!("]({found}")))
        .map(|at| line_of(text, at))
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, check, messages, places};
    use super::*;

    #[test]
    fn own_text_is_quiet() {
        let body = "## Goals and Aspirations\n\n**Walkable streets**. A goal of the project.\n";
        assert_quiet(
            &check(&Rule022, "title: Kings Cross\nstatus: Complete", body),
            body,
        );
    }

    #[test]
    fn labels_links_and_paragraphs() {
        let body = "## Overview\n\nReplace this placeholder paragraph with the summary of the case. Say what.\n\n## Stakeholders\n\n**City Council**. Leads it.\n\n**Stakeholder 2**. Replace me. [Organization name](https://example.org)\n";
        let d = check(&Rule022, "title: T\nstatus: Complete", body);
        let m = messages(&d);
        assert_eq!(
            places(&d),
            [(Severity::Error, Some(7)), (Severity::Error, Some(13))]
        );
        assert!(
            d[1].message.contains("“Stakeholder 2”") && d[1].message.contains("Organization name"),
            "{m:?}"
        );
        let d = check(&Rule022, "title: T\nstatus: Review", body);
        assert!(d.iter().all(|x| x.severity == Severity::Warning));
    }

    #[test]
    fn front_matter_examples() {
        let credit = "featured_credit: Photographer or organization (source)";
        let front = format!(
            "title: Case study title\nstatus: Complete\nauthor: Your name\nfeatured_image: ./featured-image.jpg\n{credit}"
        );
        let d = check(&Rule022, &front, "");
        let m = messages(&d);
        assert_eq!(d.len(), 3, "{m:?}");
        let t = d.iter().find(|x| x.message.contains("`title`"));
        assert_eq!(
            t.map(|x| (x.severity, x.line)),
            Some((Severity::Error, Some(2)))
        );
        let c = d.iter().find(|x| x.message.contains("`featured_credit`"));
        assert_eq!(c.map(|x| x.severity), Some(Severity::Info));
        // The example credit with the case's own image is the case's own credit.
        let front = format!("title: T\nfeatured_image: ./mine.jpg\n{credit}");
        assert_quiet(&check(&Rule022, &front, ""), &front);
    }

    #[test]
    fn image_alt_text_is_not_a_placeholder() {
        let body = "## Overview\n\n![Replace this placeholder paragraph with the summary of the case](./a.png)\n\nOwn text.\n";
        assert_quiet(&check(&Rule022, "title: T", body), body);
        assert_eq!(
            without_images("a ![x](y) b ![z\n](w)\nc ![broken"),
            "a  b \n\nc ![broken"
        );
    }
}
