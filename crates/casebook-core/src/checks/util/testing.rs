//! Helpers for the rules' tests.

use std::path::Path;

use super::super::{Context, Diagnostic, Options, Rule, Severity};
use crate::case::Case;
use crate::template::{Template, TemplateSet};

/// The bundled template of this name.
pub fn template(name: &str) -> Template {
    match TemplateSet::bundled().get(name) {
        Some(t) => t.clone(),
        None => panic!("no bundled template {name}"),
    }
}

/// Runs one rule on a case made of `text` in folder `dir`, with a bundled template.
pub fn run_in(rule: &dyn Rule, dir: &Path, text: &str, template_name: &str) -> Vec<Diagnostic> {
    let case = Case::from_text(dir, text);
    check_case(rule, &case, &template(template_name), Options::default())
}

/// Runs one rule on `case` with `template` and `options`; every finding must carry the
/// rule's code and a fix.
pub fn check_case(
    rule: &dyn Rule,
    case: &Case,
    template: &Template,
    options: Options,
) -> Vec<Diagnostic> {
    let ctx = Context {
        case,
        template,
        options,
    };
    let mut out = Vec::new();
    rule.check(&ctx, &mut out);
    for d in &out {
        assert_eq!(d.code, rule.code());
        assert!(
            d.fix.as_deref().is_some_and(|f| !f.is_empty()),
            "no fix: {d:?}"
        );
    }
    out
}

/// Runs one rule on `text` in a fresh temporary folder named `folder`, with the
/// `case-study` template.
pub fn run(rule: &dyn Rule, text: &str) -> Vec<Diagnostic> {
    let Ok(tmp) = tempfile::tempdir() else {
        panic!("no temp dir")
    };
    let dir = tmp.path().join("esp-test-case");
    if std::fs::create_dir(&dir).is_err() {
        panic!("cannot create {}", dir.display());
    }
    run_in(rule, &dir, text, "case-study")
}

/// Runs one rule in folder `dir` on a case with a title, `status` and `key: value`.
pub fn run_value(
    rule: &dyn Rule,
    dir: &Path,
    status: &str,
    key: &str,
    value: &str,
) -> Vec<Diagnostic> {
    let front = format!("title: T\nstatus: {status}\n{key}: {value}");
    run_in(rule, dir, &doc(&front, ""), "case-study")
}

/// Front matter from `key: value` lines, then `body`.
pub fn doc(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

/// Runs one geometry rule on a case whose boundary file holds `geojson`.
pub fn geo_check(rule: &dyn Rule, geojson: &str) -> Vec<Diagnostic> {
    let Ok(tmp) = tempfile::tempdir() else {
        panic!("no temp dir")
    };
    if std::fs::write(tmp.path().join("b.geojson"), geojson).is_err() {
        panic!("cannot write the boundary");
    }
    run_in(
        rule,
        tmp.path(),
        &doc("title: T\ngeography: ./b.geojson", ""),
        "case-study",
    )
}

/// The messages, for assertion output.
pub fn messages(d: &[Diagnostic]) -> Vec<String> {
    d.iter().map(Diagnostic::located_message).collect()
}

/// Runs one rule on a case whose front matter is `front` (`key: value` lines) and whose
/// body is `body` (see [`run`]).
pub fn check(rule: &dyn Rule, front: &str, body: &str) -> Vec<Diagnostic> {
    run(rule, &doc(front, body))
}

/// The severity and line of each finding, in order: one assertion for how many, how
/// serious and where.
pub fn places(d: &[Diagnostic]) -> Vec<(Severity, Option<usize>)> {
    d.iter().map(|x| (x.severity, x.line)).collect()
}

/// Asserts there are no findings for `input`, showing them if there are.
#[track_caller]
pub fn assert_quiet(d: &[Diagnostic], input: &str) {
    assert!(d.is_empty(), "{input:?}: {:?}", messages(d));
}

/// The one finding, failing (with the messages) when there are none or several.
#[track_caller]
pub fn only(d: &[Diagnostic]) -> &Diagnostic {
    match d {
        [one] => one,
        _ => panic!("expected one finding: {:?}", messages(d)),
    }
}

/// Asserts the message holds every fragment.
#[track_caller]
pub fn assert_says(d: &Diagnostic, fragments: &[&str]) {
    for f in fragments {
        assert!(d.message.contains(f), "{f:?} not in {:?}", d.message);
    }
}

/// Asserts the fix hint holds `fragment`.
#[track_caller]
pub fn assert_fix(d: &Diagnostic, fragment: &str) {
    let fix = d.fix.as_deref().unwrap_or_default();
    assert!(
        fix.contains(fragment),
        "{fragment:?} not in the fix {fix:?}"
    );
}

/// Asserts some finding is on `line` and says `fragment`.
#[track_caller]
pub fn assert_any(d: &[Diagnostic], line: usize, fragment: &str) {
    assert!(
        d.iter()
            .any(|x| x.line == Some(line) && x.message.contains(fragment)),
        "nothing on line {line} says {fragment:?}: {:?}",
        messages(d)
    );
}
