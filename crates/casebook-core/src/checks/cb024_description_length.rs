//! CB024 description-length: the description fits in a search result.
//!
//! `description` becomes the page's meta description, which search engines cut at about 160
//! characters; longer is info.

use super::util;
use super::{Context, Diagnostic, Finding};

rule! {
    Rule024, "CB024", "description-length", "The description has at most 160 characters (it becomes the meta description)." => finding
}

const KEY: &str = "description";
/// Characters a search result shows of a meta description.
pub const MAX_DESCRIPTION_CHARS: usize = 160;

fn finding(ctx: &Context<'_>) -> Option<Diagnostic> {
    let doc = ctx.case.doc();
    let text = util::text_value(doc, KEY)?;
    let n = text.chars().count();
    if n <= MAX_DESCRIPTION_CHARS {
        return None;
    }
    Some(
        Finding::key(CODE, doc, KEY)
            .info(format!(
                "`{KEY}` has {n} characters; search results show about {MAX_DESCRIPTION_CHARS} of the page's meta description"
            ))
            .with_fix(format!(
                "Shorten it to one sentence of at most {MAX_DESCRIPTION_CHARS} characters ({} fewer); details belong in the Overview.",
                n - MAX_DESCRIPTION_CHARS
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn short_is_quiet_long_is_info() {
        let ok = format!("description: {}", "é".repeat(160));
        assert_quiet(&check(&Rule024, &ok, ""), &ok);
        let long = "a".repeat(213);
        let d = check(&Rule024, &format!("title: T\ndescription: {long}"), "");
        assert_eq!(places(&d), [(Severity::Info, Some(3))]);
        assert_says(&d[0], &["213 characters"]);
        assert_fix(&d[0], "53 fewer");
    }
}
