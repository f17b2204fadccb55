//! Automatic fixes as data: what the app's one-click fixes and `casebook fix` apply.
//!
//! A diagnostic can be fixed automatically when its rule gave it a `suggestion` that is a whole
//! value for its field (CB004's allowed value, CB005's `HKG`, CB007's `[lat, lon]`, CB017's file
//! name, ...) or an [`Fix`] for what is not a field value (CB018 reverses wrongly wound rings
//! and closes open ones). [`fix_for`] turns either into the [`Edit`] to apply; the form's
//! "Use …" button, the problems panel's "Fix" button and the command line all go through it,
//! so they agree on what a fix does. [`apply_all`] applies every fix of a case until none is
//! left (a fix can make another finding appear or go away).

use std::collections::HashSet;

use serde_yaml::Value;

use super::{Diagnostic, Target};
use crate::case::Case;
use crate::edit::Edit;
use crate::fields::{self, Field};
use crate::geometry::GeometryEdit;
use crate::template::Template;

/// An automatic fix a rule attaches to a diagnostic, for what is not a field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// A change of the boundary geometry.
    Geometry {
        /// The edit.
        edit: GeometryEdit,
        /// What it does, in a few words (`Reverse 3 rings`).
        label: String,
    },
    /// Resize an oversize image of the body (over 1 MB) into a new JPEG beside it and point
    /// its reference at it ([`crate::images::fix_image`]). It writes a file and takes a
    /// moment, so it is not an edit: [`fix_for`] gives none, and the app runs it as a job.
    ResizeImage {
        /// Byte offset of the image's `!` in `index.md` ([`crate::images::ImageRef::Body`]).
        offset: usize,
    },
}

/// A fix ready to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoFix {
    /// The edit (undoable like any other).
    pub edit: Edit,
    /// What it does, in a few words (`country_code: use HKG`), for undo menus and reports.
    pub label: String,
}

/// The automatic fix of `d` in `case`, if it has one.
pub fn fix_for(case: &Case, d: &Diagnostic) -> Option<AutoFix> {
    if let Some(Fix::Geometry { edit, label }) = &d.auto {
        return Some(AutoFix {
            edit: Edit::Geometry(edit.clone()),
            label: label.clone(),
        });
    }
    let Target::Field { key } = &d.target else {
        return None;
    };
    let s = d.suggestion.as_deref()?;
    let value = suggestion_value(Field::from_key(key), case.doc().value(key), s)?;
    Some(AutoFix {
        edit: Edit::SetField {
            key: key.clone(),
            value,
        },
        label: format!("{key}: use {s}"),
    })
}

/// The value a suggestion stands for as the value of `field` (whose current value is
/// `existing`), or `None` when it is not a whole value for it (then no fix is offered).
///
/// Years keep their form (a number stays a number, `'2030'` stays text); a centroid must read
/// as `[lat, lon]`; tags must be a list; other known fields are text; values of unknown keys
/// are read as YAML.
pub fn suggestion_value(field: Option<Field>, existing: Option<&Value>, s: &str) -> Option<Value> {
    match field {
        Some(Field::YearStart | Field::YearCompleted) => {
            let y = fields::YearValue::parse(s)?;
            Some(y.to_value(year_as_number(existing)))
        }
        Some(Field::Centroid) => {
            let v: Value = serde_yaml::from_str(s).ok()?;
            fields::Centroid::from_value(&v).map(fields::Centroid::to_value)
        }
        Some(Field::Tags) => match serde_yaml::from_str::<Value>(s).ok()? {
            v @ Value::Sequence(_) => Some(v),
            _ => None,
        },
        Some(_) => Some(Value::String(s.to_string())),
        None => Some(serde_yaml::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))),
    }
}

/// Whether a year is written as a number: yes unless the case already writes a year as text
/// (`'2030'`); text such as `Ongoing` replaced by a year becomes a number.
pub fn year_as_number(existing: Option<&Value>) -> bool {
    !matches!(existing, Some(Value::String(s)) if s.trim().parse::<i32>().is_ok())
}

/// One fix applied by [`apply_all`].
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The rule's code.
    pub code: &'static str,
    /// The line of the diagnostic in `index.md`, if it has one.
    pub line: Option<usize>,
    /// What the fix did.
    pub label: String,
}

/// The most rounds of fixing [`apply_all`] runs (a fix can bring up another finding; rules
/// that disagree must not make it loop).
const MAX_ROUNDS: usize = 8;

/// Applies every automatic fix of `case` (only those of the rules in `only`, when it is not
/// empty), checking again after each round until no fix is left. Returns what was applied,
/// in order. Nothing is saved.
pub fn apply_all(case: &mut Case, template: &Template, only: &[&str]) -> Vec<Applied> {
    apply_where(case, template, |d| {
        only.is_empty() || only.contains(&d.code)
    })
    .applied
}

/// What [`apply_where`] did: the fixes applied and, for undo, their inverses (in the order
/// they were applied; undo applies them last first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppliedFixes {
    /// The fixes applied, in order.
    pub applied: Vec<Applied>,
    /// The inverse of each edit made, in the order made.
    pub inverses: Vec<Edit>,
}

/// [`apply_all`] for the findings `wanted` accepts (the editor's "Fix in all cases" takes
/// one rule's findings on one field): the same rounds, the same fixes, and the inverses of
/// what it changed.
pub fn apply_where(
    case: &mut Case,
    template: &Template,
    wanted: impl Fn(&Diagnostic) -> bool,
) -> AppliedFixes {
    let mut out = AppliedFixes::default();
    let applied = &mut out.applied;
    let mut done: Vec<(&str, Edit)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let diagnostics = super::run(case, template);
        let mut changed = false;
        // One fix per field per round: the next round sees its result.
        let mut keys: HashSet<String> = HashSet::new();
        let mut edits: Vec<Edit> = Vec::new();
        for d in &diagnostics {
            if !wanted(d) {
                continue;
            }
            let Some(fix) = fix_for(case, d) else {
                continue;
            };
            if let Edit::SetField { key, .. } = &fix.edit
                && !keys.insert(key.clone())
            {
                continue;
            }
            if edits.contains(&fix.edit) {
                continue;
            }
            // The same fix twice means a rule did not accept its own fix: do not loop.
            if done.iter().any(|(c, e)| *c == d.code && *e == fix.edit) {
                continue;
            }
            done.push((d.code, fix.edit.clone()));
            edits.push(fix.edit.clone());
            let before = case.index_bytes();
            let Ok(inverse) = case.apply(&fix.edit) else {
                continue;
            };
            let did = match &fix.edit {
                Edit::Geometry(_) => inverse.is_some(),
                _ => case.index_bytes() != before,
            };
            if let Some(inverse) = inverse {
                out.inverses.push(inverse);
            }
            if did {
                changed = true;
                applied.push(Applied {
                    code: d.code,
                    line: d.line,
                    label: fix.label,
                });
            }
        }
        if !changed {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::checks::Severity;
    use crate::template::TemplateSet;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn suggestions_become_values_of_their_field() {
        let n = |x: i64| Value::Number(x.into());
        assert_eq!(
            suggestion_value(Some(Field::CountryCode), None, "HKG"),
            Some(Value::String("HKG".into()))
        );
        assert_eq!(
            suggestion_value(Some(Field::YearStart), Some(&n(1)), "2030"),
            Some(n(2030))
        );
        assert_eq!(
            suggestion_value(
                Some(Field::YearStart),
                Some(&Value::String("2029".into())),
                "2030"
            ),
            Some(Value::String("2030".into()))
        );
        assert_eq!(
            suggestion_value(Some(Field::Tags), None, "[Mobility, Energy]"),
            Some(Value::Sequence(vec!["Mobility".into(), "Energy".into()]))
        );
        assert_eq!(suggestion_value(Some(Field::Tags), None, "Mobility"), None);
        assert_eq!(
            suggestion_value(Some(Field::Centroid), None, "[1, x]"),
            None
        );
        assert_eq!(suggestion_value(None, None, "3"), Some(n(3)));
    }

    const CLOCKWISE: &str = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[114.2, 22.3], [114.2, 22.31], [114.21, 22.31], [114.21, 22.3], [114.2, 22.3]]]}}]}\n";

    fn case_with(dir: &std::path::Path, front: &str) -> Result<Case, Box<dyn std::error::Error>> {
        fs::write(dir.join("b.geojson"), CLOCKWISE)?;
        fs::write(
            dir.join("index.md"),
            format!(
                "---\ntitle: Kowloon East\n{front}geography: ./b.geojson\n---\n## Overview\n\nText.\n"
            ),
        )?;
        Ok(Case::open(dir)?)
    }

    #[test]
    fn fixes_for_fields_and_geometry() -> TestResult {
        let tmp = tempfile::tempdir()?;
        let case = case_with(tmp.path(), "country_code: HK\n")?;
        let set = TemplateSet::bundled();
        let diags = super::super::run(&case, set.for_document(case.doc()));
        let cb005 = diags.iter().find(|d| d.code == "CB005").ok_or("CB005")?;
        let fix = fix_for(&case, cb005).ok_or("fix")?;
        assert_eq!(fix.edit, Edit::set("country_code", "HKG"));
        let winding = diags
            .iter()
            .find(|d| d.code == "CB018" && d.severity == Severity::Info)
            .ok_or("winding")?;
        let fix = fix_for(&case, winding).ok_or("winding fix")?;
        assert_eq!(fix.label, "Reverse 1 ring");
        assert!(matches!(fix.edit, Edit::Geometry(_)));
        Ok(())
    }

    #[test]
    fn apply_all_fixes_until_nothing_is_left() -> TestResult {
        let tmp = tempfile::tempdir()?;
        let mut case = case_with(tmp.path(), "country_code: HK\nstatus: complete\n")?;
        let set = TemplateSet::bundled();
        let template = set.for_document(case.doc()).clone();
        let geo_before = case.geometry().ok_or("geometry")?.to_file_text();
        let only_winding = apply_all(&mut case, &template, &["CB018"]);
        assert_eq!(only_winding.len(), 1);
        assert_eq!(
            case.doc().value("country_code"),
            Some(&Value::String("HK".into()))
        );
        let geo_after = case.geometry().ok_or("geometry")?.to_file_text();
        assert_eq!(geo_after.len(), geo_before.len());
        assert_ne!(geo_after, geo_before);
        let applied = apply_all(&mut case, &template, &[]);
        let codes: Vec<&str> = applied.iter().map(|a| a.code).collect();
        assert!(
            codes.contains(&"CB005") && codes.contains(&"CB004"),
            "{applied:?}"
        );
        assert_eq!(
            case.doc().value("country_code"),
            Some(&Value::String("HKG".into()))
        );
        assert_eq!(
            case.doc().value("status"),
            Some(&Value::String("Complete".into()))
        );
        let again = apply_all(&mut case, &template, &[]);
        assert!(again.is_empty(), "{again:?}");
        case.save(false)?;
        let text = fs::read_to_string(tmp.path().join("index.md"))?;
        assert!(
            text.contains("country_code: HKG\nstatus: Complete\n"),
            "{text}"
        );
        Ok(())
    }
}
