//! CB012 tags-count: at most three tags.
//!
//! The atlas shows and filters by up to three themes per case; more is a warning on the
//! fourth tag's line.

use super::cb011_tags_taxonomy::tag_lines;
use super::util;
use super::{Context, Diagnostic, Finding};
use crate::fields;

rule! {
    Rule012, "CB012", "tags-count", "A case has at most three tags." => finding
}

const KEY: &str = "tags";
/// The most tags a case has.
pub const MAX_TAGS: usize = 3;

fn finding(ctx: &Context<'_>) -> Option<Diagnostic> {
    let doc = ctx.case.doc();
    let (tags, _) = fields::tags_of(doc.value(KEY));
    if tags.len() <= MAX_TAGS {
        return None;
    }
    let line = tag_lines(doc, &tags)
        .get(MAX_TAGS)
        .copied()
        .flatten()
        .or_else(|| util::key_line(doc, KEY));
    Some(
        Finding::field(CODE, KEY, line)
            .warning(format!(
                "`{KEY}` has {} tags ({}); the atlas uses at most {MAX_TAGS}",
                tags.len(),
                tags.join(", ")
            ))
            .with_fix(format!(
                "Keep the {MAX_TAGS} tags that describe the project best and remove the others."
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn three_is_fine_four_is_not() {
        let three = "tags:\n- Mobility\n- Energy\n- Food";
        assert_quiet(&check(&Rule012, three, ""), three);
        let d = check(&Rule012, &format!("{three}\n- Buildings"), "");
        assert_eq!(places(&d), [(Severity::Warning, Some(6))]);
        assert_says(&d[0], &["4 tags"]);
        let d = check(&Rule012, "tags: A, B, C, D", "");
        assert_eq!(d[0].line, Some(2));
    }
}
