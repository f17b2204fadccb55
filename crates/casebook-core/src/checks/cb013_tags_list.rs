//! CB013 tags-list: `tags` is written as a YAML list.
//!
//! The site expects a list of strings; `tags: Mobility, Energy` is one string (Casebook reads
//! it leniently, the site does not), so it is a warning. A number or a map is a warning too.
//! No tags at all is CB003's. The suggestion is the tags as a list (`[Mobility, Energy]`).

use serde_yaml::Value;

use super::util;
use super::{Context, Diagnostic, Rule, Severity};
use crate::fields::{self, TagsForm};

/// CB013.
pub struct Rule013;

const CODE: &str = "CB013";
const KEY: &str = "tags";

impl Rule for Rule013 {
    fn code(&self) -> &'static str {
        CODE
    }

    fn name(&self) -> &'static str {
        "tags-list"
    }

    fn description(&self) -> &'static str {
        "tags is a YAML list (one `- Tag` per line), not a comma-separated string."
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = ctx.case.doc();
        let value = doc.value(KEY);
        let (tags, form) = fields::tags_of(value);
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
            Diagnostic::field(
                CODE,
                Severity::Warning,
                KEY,
                util::key_line(doc, KEY),
                message,
            )
            .with_fix(if tags.is_empty() {
                "Write each tag on its own line under `tags:`, as `  - Mobility`.".to_string()
            } else {
                format!("Write each tag on its own line under `tags:`:{lines}")
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{doc, run};
    use super::*;

    #[test]
    fn lists_are_quiet() {
        assert!(run(&Rule013, &doc("tags:\n- Mobility", "")).is_empty());
        assert!(run(&Rule013, &doc("tags: [Mobility, Energy]", "")).is_empty());
        assert!(run(&Rule013, &doc("tags:", "")).is_empty());
        assert!(run(&Rule013, &doc("title: T", "")).is_empty());
    }

    #[test]
    fn comma_string_is_a_warning() {
        let d = run(
            &Rule013,
            &doc("title: T\ntags: Environment, Energy, Mobility", ""),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(3));
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].fix
                .as_deref()
                .is_some_and(|f| f.contains("  - Energy"))
        );
        let d = run(&Rule013, &doc("tags: Mobility", ""));
        assert_eq!(d.len(), 1);
        let d = run(&Rule013, &doc("tags:\n  a: b", ""));
        assert!(d[0].message.contains("a map"));
    }
}
