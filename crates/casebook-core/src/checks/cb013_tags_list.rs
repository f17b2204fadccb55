//! CB013 tags-list: `tags` is written as a YAML list.
//!
//! The site expects a list of strings; `tags: Mobility, Energy` is one string (Casebook reads
//! it leniently, the site does not), so it is a warning. A number or a map is a warning too,
//! and so is an item of the list that is itself a list or a `key: value` pair (`[[a], b]`,
//! `[a: b]`): Casebook skips it, the site gets an array or an object where a tag should be.
//! No tags at all is CB003's. The suggestion is the tags as a list (`[Mobility, Energy]`).

use serde_yaml::Value;

use super::{Context, Diagnostic, Finding};
use crate::fields::{self, TagsForm};

rule! {
    Rule013, "CB013", "tags-list", "tags is a YAML list (one `- Tag` per line), not a comma-separated string."
}

const KEY: &str = "tags";

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let value = doc.value(KEY);
    let (tags, form) = fields::tags_of(value);
    if let Some(Value::Sequence(items)) = value
        && let Some((i, item)) = items
            .iter()
            .enumerate()
            .find(|(_, v)| matches!(v, Value::Sequence(_) | Value::Mapping(_)))
    {
        out.push(
            Finding::key(CODE, doc, KEY)
                .warning(format!(
                    "`{KEY}` item {} is {}, not a tag",
                    i + 1,
                    if matches!(item, Value::Mapping(_)) {
                        "a `key: value` pair"
                    } else {
                        "a list"
                    }
                ))
                .with_fix("Make each tag one plain text; quote a tag that holds `: ` or brackets ('a: b')."),
        );
        return;
    }
    let message = match (form, value) {
        (TagsForm::List, _) | (_, None) | (_, Some(Value::Null)) => return,
        (TagsForm::CommaString, _) if tags.is_empty() => return,
        (TagsForm::CommaString, _) => format!(
            "`{KEY}` is written as text (`{}`), not as a list; the atlas reads it as one tag",
            tags.join(", ")
        ),
        (TagsForm::Other, Some(v)) => format!(
            "`{KEY}` is {}, not a list of tags",
            match v {
                Value::Mapping(_) => "a map".to_string(),
                other => format!("`{}`", fields::as_text(other).unwrap_or_default()),
            }
        ),
    };
    let lines: String = tags.iter().map(|t| format!("\n  - {t}")).collect();
    out.push(
        Finding::key(CODE, doc, KEY)
            .warning(message)
            .with_fix(if tags.is_empty() {
                "Write each tag on its own line under `tags:`, as `  - Mobility`.".to_string()
            } else {
                format!("Write each tag on its own line under `tags:`:{lines}")
            }),
    );
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn lists_are_quiet() {
        for front in [
            "tags:\n- Mobility",
            "tags: [Mobility, Energy]",
            "tags:",
            "title: T",
        ] {
            assert_quiet(&check(&Rule013, front, ""), front);
        }
    }

    #[test]
    fn comma_string_is_a_warning() {
        let d = check(
            &Rule013,
            "title: T\ntags: Environment, Energy, Mobility",
            "",
        );
        assert_eq!(places(&d), [(Severity::Warning, Some(3))]);
        assert_fix(&d[0], "  - Energy");
        assert_eq!(check(&Rule013, "tags: Mobility", "").len(), 1);
        assert_says(&check(&Rule013, "tags:\n  a: b", "")[0], &["a map"]);
    }

    #[test]
    fn nested_items_are_a_warning() {
        let d = check(&Rule013, "tags: [Mobility, [a], b]", "");
        assert_eq!(d.len(), 1);
        assert_says(&d[0], &["item 2 is a list"]);
        assert_says(
            &check(&Rule013, "tags: [a: b]", "")[0],
            &["`key: value` pair"],
        );
    }
}
