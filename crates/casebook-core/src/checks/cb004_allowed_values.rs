//! CB004 allowed-values: `status`, `type` and `template` take one of the template's values.
//!
//! The suggestion is the allowed value meant: the same ignoring case (`complete` →
//! `Complete`), a near miss (`distrct` → `district`), or, for a value that lists several
//! (`district, plan`, `[district, plan]`), the first allowed one. A value with nothing close
//! (`type: case`, `status: Ongoing`) gets no suggestion; the fix lists the choices. A value
//! that is allowed once an HTML comment is removed (`type: district <!-- district | plan -->`)
//! is left to CB023. Missing values are CB003's.

use serde_yaml::Value;

use super::util::{self, closest, list_values};
use super::{Context, Diagnostic, Finding};
use crate::fields::{self, Field};
use crate::sections::strip_comments;

rule! {
    Rule004, "CB004", "allowed-values", "status, type and template take one of the template's allowed values."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let allowed = &ctx.template.allowed;
    for (field, options) in [
        (Field::Status, &allowed.statuses),
        (Field::Type, &allowed.types),
        (Field::Template, &allowed.templates),
    ] {
        if options.is_empty() {
            continue;
        }
        check_field(ctx, field, options, out);
    }
}

fn check_field(ctx: &Context<'_>, field: Field, options: &[String], out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let key = field.key();
    let Some(value) = doc.value(key) else {
        return;
    };
    let line = util::key_line(doc, key);
    let choices = list_values(options);
    // Several values given: a list, or `a, b` / `a | b` / `a or b`.
    let parts: Vec<String> = match value {
        Value::Sequence(items) => items.iter().filter_map(fields::as_text).collect(),
        v => match fields::as_text(v) {
            Some(s) => split_choices(&strip_comments(&s)),
            None => return,
        },
    };
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let shown = match value {
        Value::Sequence(_) => format!("[{}]", parts.join(", ")),
        v => fields::as_text(v).unwrap_or_default().trim().to_string(),
    };
    match parts.len() {
        0 => {}
        1 => {
            let v = &parts[0];
            if options.iter().any(|o| o == v) {
                return;
            }
            let near = closest(v, options);
            let message = match near {
                Some(n) if n.eq_ignore_ascii_case(v) => {
                    format!("`{key}` is `{shown}`; the allowed value is written `{n}`")
                }
                Some(n) => format!(
                    "`{key}` is `{shown}`, which is not an allowed value; did you mean `{n}`?"
                ),
                None => format!("`{key}` is `{shown}`, which is not an allowed value ({choices})"),
            };
            let mut d = Finding::field(CODE, key, line)
                .error(message)
                .with_fix(match near {
                    Some(n) => format!("Set {} to `{n}`.", field.label()),
                    None => format!("Choose one of {choices}. {}", field.help()),
                });
            if let Some(n) = near {
                d = d.with_suggestion(n);
            }
            out.push(d);
        }
        _ => {
            let first = parts.iter().find_map(|p| {
                options
                    .iter()
                    .find(|o| *o == p)
                    .or_else(|| closest(p, options).and_then(|c| options.iter().find(|o| *o == c)))
            });
            let mut d = Finding::field(CODE, key, line)
                .error(format!(
                    "`{key}` lists several values (`{shown}`); it takes exactly one of {choices}"
                ))
                .with_fix(format!(
                    "Keep the one value that fits best. {}",
                    field.help()
                ));
            if let Some(f) = first {
                d = d.with_suggestion(f.clone());
            }
            out.push(d);
        }
    }
}

/// `a, b`, `a | b`, `a / b` and `a or b` split into their parts (one part otherwise).
fn split_choices(s: &str) -> Vec<String> {
    let s = s.replace(" or ", ",");
    s.split([',', '|', '/', ';'])
        .map(|p| p.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{doc, messages, run};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn allowed_values_are_quiet() {
        let d = run(
            &Rule004,
            &doc("status: Review\ntype: district\ntemplate: case-study", ""),
        );
        assert!(d.is_empty(), "{:?}", messages(&d));
    }

    #[test]
    fn case_mismatch_suggests_the_spelling() {
        let d = run(&Rule004, &doc("title: T\nstatus: complete", ""));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].suggestion.as_deref(), Some("Complete"));
        assert_eq!(d[0].line, Some(3));
        assert_eq!(d[0].severity, Severity::Error);
    }

    #[test]
    fn several_values_pick_one() {
        let d = run(&Rule004, &doc("type: district, plan", ""));
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("several"), "{}", d[0].message);
        assert_eq!(d[0].suggestion.as_deref(), Some("district"));
        let d = run(&Rule004, &doc("type: [plan, district]", ""));
        assert_eq!(d[0].suggestion.as_deref(), Some("plan"));
        let d = run(&Rule004, &doc("type: district | plan", ""));
        assert_eq!(d[0].suggestion.as_deref(), Some("district"));
    }

    #[test]
    fn unknown_values_list_choices() {
        let d = run(
            &Rule004,
            &doc("type: case\nstatus: Ongoing\ntemplate: stubb", ""),
        );
        let m = messages(&d);
        assert_eq!(d.len(), 3, "{m:?}");
        let ty = d.iter().find(|x| x.message.contains("`type`"));
        assert_eq!(ty.and_then(|x| x.suggestion.clone()), None);
        assert!(
            ty.and_then(|x| x.fix.clone())
                .is_some_and(|f| f.contains("`district` or `plan`")),
            "{m:?}"
        );
        let st = d.iter().find(|x| x.message.contains("`status`"));
        assert_eq!(st.and_then(|x| x.suggestion.clone()), None);
        let tp = d.iter().find(|x| x.message.contains("`template`"));
        assert_eq!(
            tp.and_then(|x| x.suggestion.clone()).as_deref(),
            Some("stub")
        );
    }

    #[test]
    fn comment_after_an_allowed_value_is_left_to_cb023() {
        assert!(
            run(
                &Rule004,
                &doc("type: district <!-- district | plan -->", "")
            )
            .is_empty()
        );
        assert!(run(&Rule004, &doc("type:\nstatus: ", "")).is_empty());
    }
}
