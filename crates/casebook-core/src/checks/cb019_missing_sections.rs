//! CB019 missing-sections: every section of the template is in the case.
//!
//! Headings compare ignoring case, spacing and a trailing colon. Stub cases are compared with
//! the stub template (the atlas's has no sections, so nothing is missing). Errors in
//! Review/Complete, info in a Draft; the line is where the section belongs (the heading it
//! would go before, else the end of the file).

use super::util;
use super::{Context, Diagnostic, Finding, Severity};
use crate::text::line_of;

rule! {
    Rule019, "CB019", "missing-sections", "Every section of the template is present."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let severity = util::by_stage(ctx, Severity::Error, Severity::Info);
    for missing in ctx.template.missing_sections(doc) {
        let heading = &missing.heading;
        let before = ctx.template.insert_before(doc, heading);
        let (line, place) = match before.and_then(|i| doc.body().sections.get(i)) {
            Some(s) => (s.line, format!("before `## {}`", s.heading)),
            None => (
                line_of(doc.text(), doc.text().len()),
                "at the end".to_string(),
            ),
        };
        let mut fix = format!(
            "Add it from the Sections view (it goes {place}, with the template's guidance), or write a `## {heading}` heading there."
        );
        if let Some(g) = &missing.guidance {
            fix.push_str(&format!(
                " The template says: {}",
                g.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        out.push(
            Finding::section(CODE, heading, None, Some(line))
                .report(
                    severity,
                    format!(
                        "`## {heading}` is missing (template `{}`)",
                        ctx.template.name
                    ),
                )
                .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{
        assert_fix, assert_quiet, assert_says, check, doc, only, run_in, template,
    };
    use super::*;
    use crate::checks::Target;

    #[test]
    fn all_sections_present_is_quiet() {
        let body: String = template("case-study")
            .sections
            .iter()
            .map(|s| format!("## {}\n\nText.\n\n", s.heading.to_uppercase()))
            .collect();
        assert_quiet(&check(&Rule019, "status: Review", &body), &body);
    }

    #[test]
    fn missing_sections_by_stage_with_place() {
        let body = "## Overview\n\nText.\n\n## Key Characteristics\n\nText.\n";
        let d = check(&Rule019, "status: Complete", body);
        let goals = d
            .iter()
            .find(|x| x.message.contains("`## Goals and Aspirations`"));
        let Some(goals) = goals else { panic!("{d:?}") };
        assert_eq!((goals.severity, goals.line), (Severity::Error, Some(8)));
        let heading = "Goals and Aspirations".to_string();
        assert_eq!(
            goals.target,
            Target::Section {
                heading,
                index: None
            }
        );
        assert_fix(goals, "Sections view");
        let d = check(&Rule019, "status: Draft", "## Overview\n");
        assert!(!d.is_empty() && d.iter().all(|x| x.severity == Severity::Info));
    }

    #[test]
    fn stubs_use_the_stub_template() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let text = doc("status: Review\ntemplate: stub", "## Overview\n\nText.\n");
        let d = run_in(&Rule019, tmp.path(), &text, "stub");
        assert_says(only(&d), &["References"]);
        Ok(())
    }
}
