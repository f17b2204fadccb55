//! `casebook set PATH key=value...`: format-preserving field edits.

use std::path::Path;

use casebook_core::edit::Edit;
use casebook_core::fields::{self, Centroid, Field};
use casebook_core::text::unified_diff;
use serde_yaml::Value;

/// Applies the assignments and saves (or prints the diff); returns the exit code.
pub fn run(path: &Path, assignments: &[String], dry_run: bool, templates: Option<&Path>) -> u8 {
    let mut case = match super::open_case_to_write(path, dry_run) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Ok(set) = super::load_templates(templates, Some(path)) {
        case.set_key_order(set.for_document(case.doc()).key_order.clone());
    }
    let before = String::from_utf8_lossy(&case.index_bytes()).into_owned();
    for a in assignments {
        let Some((key, raw)) = a.split_once('=') else {
            eprintln!("casebook: `{a}` is not key=value");
            return 2;
        };
        let key = key.trim();
        let key = if Field::from_key(key) == Some(Field::FeaturedAlt) {
            case.key_for(Field::FeaturedAlt)
        } else {
            key
        };
        let value = match parse_value(key, raw) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("casebook: {key}: {e}");
                return 2;
            }
        };
        let edit = Edit::SetField {
            key: key.to_string(),
            value,
        };
        if let Err(e) = case.apply(&edit) {
            eprintln!("casebook: {}: {key}: {e}", case.index_path().display());
            return 2;
        }
    }
    let after = String::from_utf8_lossy(&case.index_bytes()).into_owned();
    let name = case.index_path().display().to_string();
    if before == after {
        println!("{name}: unchanged (the fields already have these values)");
        return 0;
    }
    if dry_run {
        print!(
            "{}",
            unified_diff(&before, &after, &format!("a/{name}"), &format!("b/{name}"))
        );
        return 0;
    }
    match case.save(false) {
        Ok(_) => {
            let changed = casebook_core::text::line_diff(&before, &after)
                .iter()
                .filter(|l| matches!(l, casebook_core::text::DiffLine::Added(_)))
                .count();
            println!(
                "{name}: saved ({changed} line{} changed)",
                if changed == 1 { "" } else { "s" }
            );
            0
        }
        Err(e) => {
            eprintln!("casebook: {e}");
            2
        }
    }
}

/// The value for `key` from what was typed after `=`.
///
/// Values are read as YAML (`[a, b]` is a list, `2017` a number); text fields stay text;
/// `centroid` must be `[lat, lon]` and is rounded to 6 decimals; an empty value empties the
/// field.
pub fn parse_value(key: &str, raw: &str) -> Result<Value, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    let parsed: Option<Value> = serde_yaml::from_str(raw).ok();
    match Field::from_key(key) {
        Some(Field::Centroid) => {
            let v = parsed.ok_or("expected [lat, lon]")?;
            let c = Centroid::from_value(&v).ok_or("expected [lat, lon], two numbers")?;
            Ok(c.to_value())
        }
        Some(Field::Tags) => match parsed {
            Some(Value::Sequence(_)) => Ok(fields::tags_value(&fields::tags_of(parsed.as_ref()).0)),
            _ => Ok(fields::tags_value(
                &fields::tags_of(Some(&Value::String(raw.to_string()))).0,
            )),
        },
        Some(Field::YearStart | Field::YearCompleted) => match parsed {
            Some(Value::Number(n)) => Ok(Value::Number(n)),
            _ => Ok(Value::String(raw.to_string())),
        },
        Some(_) => Ok(Value::String(raw.to_string())),
        None => match parsed {
            Some(
                v @ (Value::Sequence(_) | Value::Number(_) | Value::Bool(_) | Value::String(_)),
            ) => Ok(v),
            _ => Ok(Value::String(raw.to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_by_field() {
        assert_eq!(
            parse_value("status", "Review"),
            Ok(Value::String("Review".into()))
        );
        assert_eq!(
            parse_value("title", "2024"),
            Ok(Value::String("2024".into()))
        );
        let tags = parse_value("tags", "[Mobility, Energy]");
        assert_eq!(
            tags,
            Ok(Value::Sequence(vec!["Mobility".into(), "Energy".into()]))
        );
        let tags = parse_value("tags", "Mobility, Energy");
        assert_eq!(
            tags,
            Ok(Value::Sequence(vec!["Mobility".into(), "Energy".into()]))
        );
        assert!(parse_value("centroid", "[1, x]").is_err());
        assert_eq!(
            parse_value("year_start", "2017"),
            Ok(Value::Number(2017.into()))
        );
        assert_eq!(parse_value("city", ""), Ok(Value::Null));
    }
}
