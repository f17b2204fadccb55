//! CB011 tags-taxonomy: every tag is one of the template's tags.
//!
//! Each unknown tag is an error on its own line naming the tag it most likely meant
//! (`Civic Tech` → `CivicTech`, `Education` → `HealthEducation`, `Enviroment` →
//! `Environment`); the suggestion is the whole tag list with every such tag corrected
//! (`[Mobility, CivicTech, Code]`), the value `tags` takes. Tags written as a comma string are read too (CB013 asks for a list).

use super::util::{self, closest};
use super::{Context, Diagnostic, Finding};
use crate::document::Document;
use crate::fields;
use crate::text::line_of;

rule! {
    Rule011, "CB011", "tags-taxonomy", "Every tag is one of the atlas's tags."
}

const KEY: &str = "tags";

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let options = &ctx.template.allowed.tags;
    if options.is_empty() {
        return;
    }
    let doc = ctx.case.doc();
    let (tags, _) = fields::tags_of(doc.value(KEY));
    let lines = tag_lines(doc, &tags);
    let corrected = corrected(&tags, options);
    for (tag, line) in tags.iter().zip(lines) {
        if options.iter().any(|o| o == tag) {
            continue;
        }
        let near = closest(tag, options);
        let message = match near {
            Some(n) => format!("tag `{tag}` is not in the atlas's list; did you mean `{n}`?"),
            None => format!("tag `{tag}` is not in the atlas's list"),
        };
        let mut d = Finding::field(CODE, KEY, line)
            .error(message)
            .with_fix(match near {
                Some(n) => format!("Replace `{tag}` with `{n}`."),
                None => format!(
                    "Replace `{tag}` with the closest of the atlas's tags: {}.",
                    options.join(", ")
                ),
            });
        if near.is_some() {
            d = d.with_suggestion(util::flow_list(&corrected));
        }
        out.push(d);
    }
}

/// The tags with every unknown tag that has a near match replaced by it (duplicates dropped),
/// so that every finding suggests the same corrected list.
fn corrected(tags: &[String], options: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let fixed = if options.iter().any(|o| o == t) {
            t.clone()
        } else {
            closest(t, options).map_or_else(|| t.clone(), str::to_string)
        };
        if !out.contains(&fixed) {
            out.push(fixed);
        }
    }
    out
}

/// The line of each tag: where its text appears in the `tags` entry (in order), else the
/// key's line.
pub(super) fn tag_lines(doc: &Document, tags: &[String]) -> Vec<Option<usize>> {
    let key_line = util::key_line(doc, KEY);
    let Some(e) = util::entry(doc, KEY) else {
        return vec![key_line; tags.len()];
    };
    let text = doc.text();
    let mut from = e.value_range.start.min(e.span.end);
    let end = e.span.end;
    tags.iter()
        .map(|t| {
            let Some(hay) = text.get(from..end) else {
                return key_line;
            };
            match hay.find(t.as_str()) {
                Some(i) => {
                    let at = from + i;
                    from = at + t.len();
                    Some(line_of(text, at))
                }
                None => key_line,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn atlas_tags_are_quiet() {
        for front in ["tags:\n  - Mobility\n  - CivicTech", "tags:"] {
            assert_quiet(&check(&Rule011, front, ""), front);
        }
    }

    #[test]
    fn unknown_tags_on_their_lines() {
        let front = "title: T\ntags:\n  - Mobility\n  - Civic Tech\n  - Code";
        let d = check(&Rule011, front, "");
        assert_eq!(
            places(&d),
            [(Severity::Error, Some(5)), (Severity::Error, Some(6))]
        );
        assert_says(&d[0], &["did you mean `CivicTech`?"]);
        let corrected = "[Mobility, CivicTech, Code]";
        assert_eq!(d[0].suggestion.as_deref(), Some(corrected));
        assert_eq!(d[1].suggestion, None);
        assert_fix(&d[1], "Environment");
    }

    #[test]
    fn comma_string_and_case() {
        let d = check(&Rule011, "tags: mobility, Energy", "");
        assert_eq!(places(&d), [(Severity::Error, Some(2))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("[Mobility, Energy]"));
        let d = check(&Rule011, "tags:\n- Food\n- food", "");
        assert_eq!(d[0].suggestion.as_deref(), Some("[Food]"));
    }
}
