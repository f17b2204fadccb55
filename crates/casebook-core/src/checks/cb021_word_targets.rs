//! CB021 word-targets: sections meet the word counts their template's guidance sets.
//!
//! "About 100 to 150 words" → 100–150, "around 50 words" → 40–60, "no more than 75 words" → at
//! most 75 (see [`crate::template::parse_targets`]). Words are what a reader counts (comments,
//! link targets and Markdown punctuation excluded). Where the template's own placeholder
//! text lists several items (three `**Goal n**` paragraphs under "around 50 words"), the target
//! is read per item and compared with the case's words per item. Warnings in Review/Complete,
//! info in a Draft. Empty sections are CB020's; `### ` subsections with their own word target are
//! checked too.

use super::util;
use super::{Context, Diagnostic, Finding, Severity};
use crate::sections::{same_heading, words};
use crate::template::{Target, item_count};

rule! {
    Rule021, "CB021", "word-targets", "Sections have the number of words the template's guidance asks for."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let severity = util::by_stage(ctx, Severity::Warning, Severity::Info);
    for (i, s) in doc.body().sections.iter().enumerate() {
        let Some(ts) = ctx.template.section(&s.heading) else {
            continue;
        };
        let Some(content) = doc.section_text(i) else {
            continue;
        };
        if let Some(target) = ts.word_target() {
            let n = words(&content);
            let per_item = template_items(ctx, &ts.heading) >= 2;
            if let Some(message) = judge(
                &s.heading,
                target,
                n,
                per_item.then(|| item_count(&content)),
            ) {
                out.push(
                    Finding::section(CODE, &s.heading, Some(i), Some(s.line))
                        .report(severity, message)
                        .with_fix(fix(target, n, per_item)),
                );
            }
        }
        let sub_targets = ts.subsection_targets();
        if sub_targets
            .iter()
            .all(|(_, t)| !t.iter().any(|x| matches!(x, Target::Words { .. })))
        {
            continue;
        }
        for sub in util::subsections(doc, i) {
            let Some((_, targets)) = sub_targets
                .iter()
                .find(|(h, _)| same_heading(h, &sub.heading))
            else {
                continue;
            };
            let Some(target) = targets.iter().find(|t| matches!(t, Target::Words { .. })) else {
                continue;
            };
            let n = words(&sub.content);
            if n > 0 && !target.accepts(n) {
                out.push(
                    Finding::section(CODE, &s.heading, Some(i), Some(sub.line))
                        .report(
                            severity,
                            format!(
                                "`### {}` in `## {}` has {}; the template asks for {}",
                                sub.heading,
                                s.heading,
                                util::plural(n, "word"),
                                target.describe()
                            ),
                        )
                        .with_fix(fix(target, n, false)),
                );
            }
        }
    }
}

/// How many items the template's own placeholder text of a section lists (`**Goal 1**`,
/// `**Goal 2**` … → 3). With two or more, the section's word target is read per item: the
/// atlas's 2023 template asks for "around 50 words" under three 50-word placeholder goals.
fn template_items(ctx: &Context<'_>, heading: &str) -> usize {
    let doc = &ctx.template.document;
    doc.body()
        .find(heading)
        .and_then(|i| doc.section_text(i))
        .map_or(0, |c| item_count(&c))
}

/// The message when `n` words miss the target; per item (with the case's item count) when
/// the target is per item. A per-item section written as prose (no countable items) is only
/// held to the minimum of one item.
fn judge(heading: &str, target: &Target, n: usize, items: Option<usize>) -> Option<String> {
    if n == 0 {
        return None;
    }
    match items {
        None if target.accepts(n) => None,
        None => Some(format!(
            "`## {heading}` has {}; the template asks for {}",
            util::plural(n, "word"),
            target.describe()
        )),
        Some(0) => match target {
            Target::Words { min: Some(min), .. } if n < *min => Some(format!(
                "`## {heading}` has {}; the template asks for {} per item",
                util::plural(n, "word"),
                target.describe()
            )),
            _ => None,
        },
        Some(k) => {
            let avg = (n + k / 2) / k;
            (!target.accepts(avg)).then(|| {
                format!(
                    "`## {heading}` has about {avg} words per item ({} in {}); the template asks for {} per item",
                    util::plural(n, "word"),
                    util::plural(k, "item"),
                    target.describe()
                )
            })
        }
    }
}

fn fix(target: &Target, n: usize, per_item: bool) -> String {
    if per_item {
        return format!(
            "Bring each item (a paragraph opening with a bold name) to {}: shorten long ones, expand short ones, or split an item that covers several points.",
            target.describe()
        );
    }
    match target {
        Target::Words { min: Some(min), .. } if n < *min => {
            format!(
                "Add about {} words: the section is meant to say more.",
                min - n
            )
        }
        Target::Words { max: Some(max), .. } if n > *max => {
            format!(
                "Cut about {} words: keep the essentials and move details to later sections.",
                n - max
            )
        }
        _ => "Bring the section to the length the template asks for.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, check, check_case, doc, places};
    use super::*;

    fn words_text(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    /// The Overview with `n` words after `before`, checked at `status`.
    fn overview(status: &str, before: &str, n: usize) -> Vec<Diagnostic> {
        let body = format!("## Overview\n\n{before}{}\n", words_text(n));
        check(&Rule021, status, &body)
    }

    #[test]
    fn within_target_is_quiet() {
        assert_quiet(
            &overview("status: Review", "<!-- g -->\n\n", 120),
            "120 words",
        );
        // Empty: CB020's.
        assert_quiet(&check(&Rule021, "status: Review", "## Overview\n"), "empty");
    }

    #[test]
    fn over_and_under() {
        let d = overview("status: Review", "", 212);
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_eq!(
            d[0].message,
            "`## Overview` has 212 words; the template asks for 100–150 words"
        );
        assert_fix(&d[0], "Cut about 62");
        let d = overview("status: Draft", "", 20);
        assert_eq!(d[0].severity, Severity::Info);
        assert_fix(&d[0], "Add about 80");
    }

    #[test]
    fn per_item_targets() {
        use crate::template::{Template, TemplateSource};
        let t = Template::from_text(
            "old",
            TemplateSource::Bundled,
            "---\ntitle: x\n---\n## Goals\n\n<!-- Name the goals. The text should be around 50 words. -->\n\n**Goal 1**. Text.\n\n**Goal 2**. Text.\n",
        );
        let check = |body: &str| {
            let Ok(tmp) = tempfile::tempdir() else {
                panic!("tmp")
            };
            let case = crate::case::Case::from_text(tmp.path(), &doc("status: Review", body));
            check_case(&Rule021, &case, &t, Default::default())
        };
        let item = |w: usize| format!("**Aim**. {}\n\n", words_text(w));
        // Three items of about 50 words: fine, though the section has 150.
        assert!(check(&format!("## Goals\n\n{}{}{}", item(49), item(49), item(49))).is_empty());
        let d = check(&format!("## Goals\n\n{}{}", item(119), item(119)));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "`## Goals` has about 120 words per item (240 words in 2 items); the template asks for 40–60 words per item"
        );
        // Prose: only too short is known.
        assert!(check(&format!("## Goals\n\n{}\n", words_text(300))).is_empty());
        assert!(
            check(&format!("## Goals\n\n{}\n", words_text(10)))[0]
                .message
                .contains("per item")
        );
    }
}
