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
    use super::super::util::testing::{doc, messages, run, run_in};
    use super::*;
    use crate::checks::Target;

    #[test]
    fn all_sections_present_is_quiet() {
        let t = super::super::util::testing::template("case-study");
        let body: String = t
            .sections
            .iter()
            .map(|s| format!("## {}\n\nText.\n\n", s.heading.to_uppercase()))
            .collect();
        let d = run(&Rule019, &doc("status: Review", &body));
        assert!(d.is_empty(), "{:?}", messages(&d));
    }

    #[test]
    fn missing_sections_by_stage_with_place() {
        let d = run(
            &Rule019,
            &doc(
                "status: Complete",
                "## Overview\n\nText.\n\n## Key Characteristics\n\nText.\n",
            ),
        );
        let m = messages(&d);
        let goals = d
            .iter()
            .find(|x| x.message.contains("`## Goals and Aspirations`"));
        let Some(goals) = goals else { panic!("{m:?}") };
        assert_eq!(goals.severity, Severity::Error);
        assert_eq!(goals.line, Some(8));
        assert_eq!(
            goals.target,
            Target::Section {
                heading: "Goals and Aspirations".into(),
                index: None
            }
        );
        assert!(
            goals
                .fix
                .as_deref()
                .is_some_and(|f| f.contains("Sections view"))
        );
        let d = run(&Rule019, &doc("status: Draft", "## Overview\n"));
        assert!(!d.is_empty() && d.iter().all(|x| x.severity == Severity::Info));
    }

    #[test]
    fn stubs_use_the_stub_template() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = run_in(
            &Rule019,
            tmp.path(),
            &doc("status: Review\ntemplate: stub", "## Overview\n\nText.\n"),
            "stub",
        );
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert!(d[0].message.contains("References"));
        Ok(())
    }
}
