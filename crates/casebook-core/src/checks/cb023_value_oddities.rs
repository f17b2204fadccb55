//! CB023 value-oddities: front-matter values that read differently from what the author meant.
//!
//! Warnings, on the key's line:
//! - an HTML comment inside a value (`type: district <!-- district | plan -->`): YAML keeps
//!   it as part of the value; the suggestion is the value without it;
//! - spaces or tabs at the start or end of a quoted value (`city: "Madrid "`);
//! - a list or map where text is expected (`title: [A]`, `title:` followed by `- A`);
//! - a `title` that reads as a number or true/false (`title: 2030`);
//! - a `description` with line breaks in its value (a block scalar `|`, or `\n` in quotes):
//!   it becomes the page's one-line meta description.
//!
//! Tabs alone at the ends of a value are CB026's (with control characters).

use serde_yaml::Value;

use super::util;
use super::{Context, Diagnostic, Finding};
use crate::fields;
use crate::sections::strip_comments;

rule! {
    Rule023, "CB023", "value-oddities", "Front-matter values hold no HTML comments, stray spaces in quotes, lists where text is expected, or line breaks in the description."
}

/// Keys whose value is one piece of text.
const TEXT_KEYS: &[&str] = &[
    "title",
    "description",
    "template",
    "status",
    "author",
    "type",
    "city",
    "country",
    "country_code",
    "year_start",
    "year_completed",
    "featured_image",
    "featured_alt",
    "featured_desc",
    "featured_credit",
    "featured_credit_link",
    "geography",
    "geography_caption",
];

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let Some(fm) = doc.front_matter() else {
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    for e in &fm.entries {
        // The first of duplicated keys is the one read.
        if seen.contains(&e.key.as_str()) {
            continue;
        }
        seen.push(&e.key);
        let Some(value) = &e.value else {
            continue;
        };
        let key = e.key.as_str();
        let warn = |message: String| Finding::field(CODE, key, Some(e.line)).warning(message);
        match value {
            Value::String(s) => {
                if s.contains("<!--") {
                    let clean = strip_comments(s).trim().to_string();
                    let mut d = warn(format!(
                        "`{key}` has an HTML comment in its value (`{}`); YAML keeps it as part of the value",
                        s.trim()
                    ))
                    .with_fix("Remove the comment: front matter comments start with `#`, and only where the value is not quoted.");
                    if !clean.is_empty() {
                        d = d.with_suggestion(clean);
                    }
                    out.push(d);
                } else if !s.trim().is_empty()
                    && s.trim() != s.as_str()
                    && !s.trim_end().contains('\n')
                    && !only_tabs_at_ends(s)
                {
                    let where_ = match (
                        s.starts_with(char::is_whitespace),
                        s.ends_with(char::is_whitespace),
                    ) {
                        (true, true) => "at both ends",
                        (true, false) => "at the start",
                        _ => "at the end",
                    };
                    out.push(
                        warn(format!(
                            "`{key}` has {} inside the quotes {where_} (`{}`)",
                            if s.contains('\t') {
                                "a tab or space"
                            } else {
                                "a space"
                            },
                            s.escape_debug()
                        ))
                        .with_fix(
                            "Remove the spaces inside the quotes; they become part of the value.",
                        )
                        .with_suggestion(s.trim()),
                    );
                }
                if key == "description" && s.trim().contains('\n') {
                    out.push(
                        warn(format!(
                            "`{key}` has {}; it becomes the page's one-line meta description",
                            util::plural(s.trim().matches('\n').count(), "line break")
                        ))
                        .with_fix("Write the description as one sentence on one line.")
                        .with_suggestion(s.split_whitespace().collect::<Vec<_>>().join(" ")),
                    );
                }
            }
            Value::Sequence(items) if TEXT_KEYS.contains(&key) => {
                let texts: Vec<String> = items.iter().filter_map(fields::as_text).collect();
                let mut d = warn(format!(
                    "`{key}` is a list of {}; it should be one piece of text",
                    util::plural(items.len(), "item")
                ))
                .with_fix(format!(
                    "Write the value on the `{key}:` line itself, without `-` or brackets."
                ));
                if texts.len() == items.len()
                    && !texts.is_empty()
                    && !matches!(key, "type" | "status" | "template")
                {
                    d = d.with_suggestion(texts.join(", "));
                }
                out.push(d);
            }
            Value::Mapping(_) if TEXT_KEYS.contains(&key) => out.push(
                warn(format!(
                    "`{key}` is a map of keys and values; it should be one piece of text"
                ))
                .with_fix(format!(
                    "Write the value on the `{key}:` line; if it contains `: `, put it in quotes."
                )),
            ),
            Value::Number(_) | Value::Bool(_) if key == "title" => {
                let shown = fields::as_text(value).unwrap_or_default();
                out.push(
                    warn(format!(
                        "`title` reads as {} (`{shown}`), not as text",
                        if matches!(value, Value::Bool(_)) {
                            "true/false"
                        } else {
                            "a number"
                        }
                    ))
                    .with_fix("Put the title in quotes so it reads as text.")
                    .with_suggestion(shown),
                );
            }
            _ => {}
        }
    }
}

/// Whether the white space at the ends of `s` is all tabs (reported by CB026).
fn only_tabs_at_ends(s: &str) -> bool {
    let start = &s[..s.len() - s.trim_start().len()];
    let end = &s[s.trim_end().len()..];
    start.chars().chain(end.chars()).all(|c| c == '\t')
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, check, only, places};
    use super::*;
    use crate::checks::Severity;

    fn front(front: &str) -> Vec<Diagnostic> {
        check(&Rule023, front, "")
    }

    #[test]
    fn ordinary_values_are_quiet() {
        for text in [
            "title: A case\ndescription: One line.\ncity: Madrid \ntags:\n  - Mobility\ncentroid: [1, 2]\nyear_start: 2015",
            // Tabs alone are CB026's.
            "city: \"Madrid\t\"",
            // A plain scalar over two lines folds into one line: fine.
            "description: First line\n  continues here.",
        ] {
            assert_quiet(&front(text), text);
        }
    }

    #[test]
    fn comment_in_value() {
        let d = front("title: T\ntype: district <!-- district | plan -->");
        assert_eq!(places(&d), [(Severity::Warning, Some(3))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("district"));
    }

    #[test]
    fn spaces_inside_quotes() {
        let d = front("city: \"Madrid \t\"\nauthor: ' Ann'");
        assert_eq!(
            places(&d),
            [(Severity::Warning, Some(2)), (Severity::Warning, Some(3))]
        );
        assert_says(&d[0], &["at the end"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("Madrid"));
        assert_says(&d[1], &["at the start"]);
    }

    #[test]
    fn lists_maps_numbers_and_breaks() {
        let d = front("title:\n  - A case");
        assert_eq!(places(&d), [(Severity::Warning, Some(2))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("A case"));
        assert_says(&front("title: 2030")[0], &["a number"]);
        assert_says(&front("author:\n  name: Ann")[0], &["map"]);
        let d = front("title: T\ndescription: |\n  First line.\n  Second line.");
        assert_says(only(&d), &["has 1 line break;"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("First line. Second line."));
    }
}
