//! CB020 empty-sections: no section is left empty.
//!
//! A section is empty when nothing but HTML comments (the guidance) and blank lines follow
//! its heading. The `### ` subsections a template gives a section (References: Primary and
//! Secondary Sources) are checked the same way. Warnings in Review/Complete, info in a Draft
//! (where empty sections are expected while writing).

use super::util;
use super::{Context, Diagnostic, Finding, Severity};
use crate::sections::{has_words, same_heading};

rule! {
    Rule020, "CB020", "empty-sections", "No section (or template subsection) is left without text."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let severity = util::by_stage(ctx, Severity::Warning, Severity::Info);
    for (i, s) in doc.body().sections.iter().enumerate() {
        let Some(content) = doc.section_text(i) else {
            continue;
        };
        if !has_words(&content) && !has_image(&content) {
            out.push(
                Finding::section(CODE, &s.heading, Some(i), Some(s.line))
                    .report(severity, format!("`## {}` is empty", s.heading))
                    .with_fix(fix(ctx, &s.heading)),
            );
            continue;
        }
        let Some(ts) = ctx.template.section(&s.heading) else {
            continue;
        };
        for sub in util::subsections(doc, i) {
            if !ts
                .subsections
                .iter()
                .any(|(h, _)| same_heading(h, &sub.heading))
            {
                continue;
            }
            if !has_words(&sub.content) && !has_image(&sub.content) {
                out.push(
                    Finding::section(CODE, &s.heading, Some(i), Some(sub.line))
                        .report(
                            severity,
                            format!("`### {}` in `## {}` is empty", sub.heading, s.heading),
                        )
                        .with_fix(format!(
                            "Add the {} (one list item each), or remove the heading.",
                            sub.heading.to_lowercase()
                        )),
                );
            }
        }
    }
}

fn has_image(content: &str) -> bool {
    content.contains("![")
}

fn fix(ctx: &Context<'_>, heading: &str) -> String {
    let guidance = ctx
        .template
        .section(heading)
        .and_then(|t| t.guidance.as_deref())
        .map(|g| {
            format!(
                " The template asks: {}",
                g.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .unwrap_or_default();
    format!("Write the section, or remove it if the case does not need it.{guidance}")
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, check, places};
    use super::*;

    #[test]
    fn sections_with_text_are_quiet() {
        let body = "## Overview\n\nSome text.\n\n## Figure\n\n![A map](./m.png)\n";
        assert_quiet(&check(&Rule020, "status: Review", body), body);
    }

    #[test]
    fn guidance_only_is_empty() {
        let body = "## Overview\n\n<!-- About 100 words. -->\n\n## Goals\n\nText.\n\n## Outcomes\n";
        let d = check(&Rule020, "status: Review", body);
        let warning = Severity::Warning;
        assert_eq!(places(&d), [(warning, Some(4)), (warning, Some(12))]);
        assert_says(&d[0], &["`## Overview` is empty"]);
        assert_fix(&d[0], "100 to 150");
        let d = check(&Rule020, "status: Draft", "## Overview\n");
        assert_eq!(d[0].severity, Severity::Info);
    }

    #[test]
    fn empty_template_subsections() {
        let body = "## References\n\n### Primary Sources\n\n<!-- 3-5 -->\n\n### Secondary Sources\n\n- A source\n";
        let d = check(&Rule020, "status: Review", body);
        assert_eq!(places(&d), [(Severity::Warning, Some(6))]);
        assert_says(
            &d[0],
            &["`### Primary Sources` in `## References` is empty"],
        );
    }
}
