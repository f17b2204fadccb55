//! CB025 item-counts: sections list as many items as their guidance asks for.
//!
//! Targets come from the template's guidance ("Identify 3-5 high-level goals", "1-3 open
//! questions", "3-5 project plans" under `### Primary Sources`, "5-7 secondary source
//! documents"). Items are counted with [`crate::template::item_count`]: paragraphs opening
//! with a bold lead-in, else top-level list items.
//!
//! Fewer items than asked is a warning in Review/Complete; more than asked, or anything in a
//! Draft, is info. Left alone: sections written as prose (no item can be counted, so the
//! count says nothing), empty sections (CB020's), and sections whose guidance sets several
//! item targets (Stakeholders: organizations and individuals cannot be told apart).

use super::util;
use super::{Context, Diagnostic, Severity};
use crate::sections::{same_heading, words};
use crate::template::{Target, item_count};

rule! {
    Rule025, "CB025", "item-counts", "Sections list as many items (goals, questions, sources) as the template asks for."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    for (i, s) in doc.body().sections.iter().enumerate() {
        let Some(ts) = ctx.template.section(&s.heading) else {
            continue;
        };
        if let (Some(target), Some(content)) = (single_items(&ts.targets), doc.section_text(i)) {
            let n = item_count(&content);
            if let Some(d) = judge(
                ctx,
                target,
                n,
                words(&content),
                &format!("`## {}`", s.heading),
            ) {
                out.push(
                    d.into_section(&s.heading, i, s.line)
                        .with_fix(fix(target, n)),
                );
            }
        }
        let sub_targets = ts.subsection_targets();
        if sub_targets.iter().all(|(_, t)| single_items(t).is_none()) {
            continue;
        }
        for sub in util::subsections(doc, i) {
            let Some(target) = sub_targets
                .iter()
                .find(|(h, _)| same_heading(h, &sub.heading))
                .and_then(|(_, t)| single_items(t))
            else {
                continue;
            };
            let n = item_count(&sub.content);
            let place = format!("`### {}` in `## {}`", sub.heading, s.heading);
            if let Some(d) = judge(ctx, target, n, words(&sub.content), &place) {
                out.push(
                    d.into_section(&s.heading, i, sub.line)
                        .with_fix(fix(target, n)),
                );
            }
        }
    }
}

/// The one item target among `targets`, if there is exactly one.
fn single_items(targets: &[Target]) -> Option<&Target> {
    let mut items = targets.iter().filter(|t| matches!(t, Target::Items { .. }));
    let first = items.next()?;
    items.next().is_none().then_some(first)
}

/// A count that misses its target: how serious, and the message (the place is added by
/// [`Verdict::into_section`]).
struct Verdict {
    severity: Severity,
    message: String,
}

impl Verdict {
    fn into_section(self, heading: &str, index: usize, line: usize) -> Diagnostic {
        super::Finding::section(CODE, heading, Some(index), Some(line))
            .report(self.severity, self.message)
    }
}

fn judge(
    ctx: &Context<'_>,
    target: &Target,
    n: usize,
    word_count: usize,
    place: &str,
) -> Option<Verdict> {
    let Target::Items { min, .. } = target else {
        return None;
    };
    if n == 0 || word_count == 0 || target.accepts(n) {
        return None;
    }
    let fewer = n < *min;
    let severity = if fewer && util::strict(ctx) {
        Severity::Warning
    } else {
        Severity::Info
    };
    Some(Verdict {
        severity,
        message: format!(
            "{place} lists {}; the template asks for {}",
            util::plural(n, "item"),
            target.describe()
        ),
    })
}

fn fix(target: &Target, n: usize) -> String {
    match target {
        Target::Items { min, what, .. } if n < *min => format!(
            "Add {} more {what}, each a paragraph opening with a short bold name (or a list item).",
            min - n
        ),
        Target::Items { max, what, .. } => format!(
            "Keep the {max} most important {what}, or merge related ones (each item is a paragraph opening with a bold name, or a list item)."
        ),
        Target::Words { .. } => {
            "Bring the section to the number of items the template asks for.".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, check, only, places};
    use super::*;

    /// The Goals section with `n` bold-led items, checked at `status`.
    fn goals(status: &str, n: usize) -> Vec<Diagnostic> {
        let items: String = (1..=n)
            .map(|i| format!("**Aim {i}**. Text about it.\n\n"))
            .collect();
        check(
            &Rule025,
            status,
            &format!("## Goals and Aspirations\n\n{items}"),
        )
    }

    #[test]
    fn within_targets_and_prose_are_quiet() {
        assert_quiet(&goals("status: Review", 4), "4 goals");
        let prose = "## Goals and Aspirations\n\nThe project wants many things, told as prose.\n";
        assert_quiet(&check(&Rule025, "status: Review", prose), prose);
    }

    #[test]
    fn fewer_is_a_warning_more_is_info() {
        let d = goals("status: Review", 2);
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_says(&d[0], &["lists 2 items; the template asks for 3–5"]);
        assert_eq!(
            places(&goals("status: Review", 7)),
            [(Severity::Info, Some(4))]
        );
        assert_eq!(
            places(&goals("status: Draft", 1)),
            [(Severity::Info, Some(4))]
        );
    }

    #[test]
    fn source_subsections() {
        let body = "## References\n\n### Primary Sources\n\n<!-- 3-5 -->\n\n- One\n- Two\n\n### Secondary Sources\n\n- A\n- B\n- C\n- D\n- E\n";
        let d = check(&Rule025, "status: Complete", body);
        assert_says(
            only(&d),
            &["`### Primary Sources` in `## References` lists 2 items"],
        );
        assert_eq!(d[0].line, Some(6));
    }
}
