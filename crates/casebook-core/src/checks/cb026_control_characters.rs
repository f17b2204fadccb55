//! CB026 control-characters: front-matter values hold no control characters and no tabs at
//! their ends.
//!
//! Warnings, on the key's line:
//! - a control character in a value (ESC, BEL, CR, BS, NUL, DEL, the C1 range, or a
//!   bidirectional override), usually written as a YAML escape such as `"\e"` or pasted from a
//!   terminal: it reaches the site's pages, feeds and the terminals of whoever checks the case;
//!   line breaks of multi-line values and tabs inside a value are not flagged;
//! - a tab at the start or end of a value (or of a list item): the value keeps it, invisibly.
//!   Spaces at the ends are CB023's.
//!
//! Raw control bytes in the front matter's text (which YAML itself refuses) are reported on
//! their line even when the value could not be read. Messages show the characters escaped
//! (`\u{1b}`); the suggestion is the value without them.

use serde_yaml::Value;

use super::{Context, Diagnostic, Finding};
use crate::escape;

rule! {
    Rule026, "CB026", "control-characters", "Front-matter values hold no control characters (escape sequences, bells, carriage returns) and no tabs at their ends."
}

/// A control character worth flagging inside a value (line breaks and tabs are text).
fn flagged(c: char) -> bool {
    escape::is_unsafe(c) && !matches!(c, '\n' | '\t')
}

/// What is odd about one piece of text, if anything.
fn oddity(s: &str) -> Option<&'static str> {
    if s.chars().any(flagged) {
        Some("control characters")
    } else if s.starts_with('\t') || s.ends_with('\t') {
        Some("a tab at its start or end")
    } else {
        None
    }
}

/// The text of `s` without flagged characters and end tabs.
fn cleaned(s: &str) -> String {
    let kept: String = s.chars().filter(|c| !flagged(*c)).collect();
    kept.trim_matches('\t').to_string()
}

/// Every string inside a value (list items, map values), with the first odd one.
fn first_odd(v: &Value) -> Option<(&str, &'static str)> {
    match v {
        Value::String(s) => oddity(s).map(|why| (s.as_str(), why)),
        Value::Sequence(items) => items.iter().find_map(first_odd),
        Value::Mapping(m) => m
            .iter()
            .find_map(|(k, v)| first_odd(k).or_else(|| first_odd(v))),
        Value::Tagged(t) => first_odd(&t.value),
        _ => None,
    }
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let Some(fm) = doc.front_matter() else {
        return;
    };
    let text = doc.text();
    let mut lines_done: Vec<usize> = Vec::new();
    for e in &fm.entries {
        let Some((s, why)) = e.value.as_ref().and_then(first_odd) else {
            continue;
        };
        lines_done.push(e.line);
        let mut d = Finding::field(CODE, &e.key, Some(e.line))
            .warning(format!(
                "`{}` has {why} in its value (`{}`); they are invisible in the form and reach pages, feeds and terminals as they are",
                escape::controls(&e.key),
                escape::controls(s)
            ))
            .with_fix("Retype the value without them (in YAML, remove escapes such as \\e, \\a, \\r, \\b or \\t).");
        if matches!(e.value, Some(Value::String(_))) {
            d = d.with_suggestion(cleaned(s));
        }
        out.push(d);
    }
    // Raw bytes YAML refuses (the value may not have been read at all).
    let content = &text[fm.delimiters.content.clone()];
    let first_line = text[..fm.delimiters.content.start].matches('\n').count() + 1;
    for (i, line) in content.split('\n').enumerate() {
        let line_text = line.strip_suffix('\r').unwrap_or(line);
        let n = first_line + i;
        if lines_done.contains(&n) || !line_text.chars().any(flagged) {
            continue;
        }
        // The entry whose value runs over this line, if any.
        let key = fm
            .entries
            .iter()
            .filter(|e| e.line <= n)
            .max_by_key(|e| e.line)
            .map(|e| e.key.clone());
        let target = match &key {
            Some(k) => super::Target::Field { key: k.clone() },
            None => super::Target::Document,
        };
        out.push(
            Finding::new(CODE, target, Some(n))
                .warning(format!(
                    "line {n} of the front matter has control characters (`{}`)",
                    escape::controls(line_text.trim())
                ))
                .with_fix(
                    "Delete them: they are invisible in most editors, and YAML refuses them.",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_any, assert_quiet, check, messages, places};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn plain_values_are_quiet() {
        let front =
            "title: \"Tab\tinside is fine\"\ndescription: |\n  Two\n  lines\ntags:\n  - Mobility";
        assert_quiet(&check(&Rule026, front, ""), front);
    }

    #[test]
    fn escapes_and_end_tabs_are_flagged() {
        let front = "title: \"Harbour\\e[31m lights\\a\"\ncity: \"\\tPorto\"\ntags: [Mobility, \"Energy\\r\"]";
        let d = check(&Rule026, front, "");
        let m = messages(&d);
        let warning = Severity::Warning;
        assert_eq!(
            places(&d),
            [(warning, Some(2)), (warning, Some(3)), (warning, Some(4))]
        );
        assert!(m[0].contains("\\u{1b}[31m"), "{m:?}");
        assert!(!m.iter().any(|x| x.contains('\u{1b}')), "{m:?}");
        assert_eq!(d[0].suggestion.as_deref(), Some("Harbour[31m lights"));
        assert!(m[1].contains("a tab at its start or end"), "{m:?}");
        assert_eq!(d[1].suggestion.as_deref(), Some("Porto"));
        assert!(m[2].contains("tags"), "{m:?}");
        assert_eq!(d[2].suggestion, None);
    }

    #[test]
    fn raw_control_bytes_are_flagged_on_their_line() {
        let d = check(&Rule026, "title: A\ncity: Por\u{7}to\nstatus: Draft", "");
        assert_any(&d, 3, "\\u{7}");
    }
}
