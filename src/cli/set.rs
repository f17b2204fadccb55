//! `casebook set PATH key=value...`: format-preserving field edits.

use std::path::Path;

use casebook_core::edit::Edit;
use casebook_core::fields::{self, Centroid, Field};
use casebook_core::text::unified_diff;
use casebook_core::yaml_write;
use serde_yaml::Value;

/// Applies the assignments and saves (or prints the diff); returns the exit code.
pub fn run(path: &Path, assignments: &[String], dry_run: bool, templates: Option<&Path>) -> u8 {
    let mut case = match super::open_case_to_write(path, dry_run) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Ok(set) = super::load_templates(templates, Some(path)) {
        let template = set.for_document(case.doc());
        case.set_key_order(template.key_order.clone());
        case.set_list_styles_from(&template.document);
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
        let value = match parse_value(key, raw, case.doc().value(key)) {
            Ok(v) => v,
            Err(e) => {
                eprintln!(
                    "casebook: {}: {key}: {e} (nothing was changed)",
                    case.index_path().display()
                );
                return 2;
            }
        };
        let edit = Edit::SetField {
            key: key.to_string(),
            value,
        };
        if let Err(e) = case.apply(&edit) {
            eprintln!(
                "casebook: {}: {key}: {e} (nothing was changed)",
                case.index_path().display()
            );
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

/// The value for `key` from what was typed after `=`; `current` is the key's value now.
///
/// - `key=` , `key=null` and `key=~` empty the field (null).
/// - A quoted YAML scalar means its text: `year_completed="'2030'"` is the text `2030`,
///   `title='"null"'` the text `null`.
/// - Text fields take the text as typed (`title=12:30` is the text `12:30`; Casebook writes it
///   so that the site reads that text too).
/// - `tags` takes a YAML list of texts (`[Mobility, Energy]`, `["12:30", 2024-01-01]`) or a
///   comma list; nested lists, `key: value` pairs and aliases are refused.
/// - `centroid` takes `[lat, lon]`: two finite numbers within ±90 and ±180, rounded to 6
///   decimals unless it is the place the field already holds (then nothing changes).
/// - `year_start` / `year_completed` take a year (a number), a year with a note, `~2030` or
///   `Ongoing` ([`fields::year_problem`]).
/// - Other keys: the YAML value typed (a list, a number, true/false), else the text.
pub fn parse_value(key: &str, raw: &str, current: Option<&Value>) -> Result<Value, String> {
    let raw = raw.trim();
    if raw.is_empty() || matches!(raw, "null" | "Null" | "NULL" | "~") {
        return Ok(Value::Null);
    }
    let field = Field::from_key(key);
    let quoted = quoted_scalar(raw);
    let value = match field {
        Some(Field::Centroid) => centroid_value(raw, current)?,
        Some(Field::Tags) => match &quoted {
            Some(text) => fields::tags_value(&[text.trim().to_string()]),
            None => tags_value(raw)?,
        },
        Some(f @ (Field::YearStart | Field::YearCompleted)) => {
            let v = match quoted {
                Some(text) => Value::String(text),
                // A whole number is a year (`2019.0` too, written `2019`).
                None => match serde_yaml::from_str::<Value>(raw) {
                    Ok(Value::Number(n)) => match n.as_f64() {
                        Some(y) if n.as_i64().is_none() && y.fract() == 0.0 && y.abs() < 1e9 => {
                            Value::Number((y as i64).into())
                        }
                        _ => Value::Number(n),
                    },
                    _ => Value::String(raw.to_string()),
                },
            };
            if let Some(problem) = fields::year_problem(f, &v) {
                return Err(problem);
            }
            v
        }
        Some(_) => Value::String(quoted.unwrap_or_else(|| raw.to_string())),
        None => match quoted {
            Some(text) => Value::String(text),
            None => match serde_yaml::from_str::<Value>(raw) {
                Ok(v @ (Value::Sequence(_) | Value::Number(_) | Value::Bool(_))) => v,
                _ => Value::String(raw.to_string()),
            },
        },
    };
    Ok(value)
}

/// The text of `raw` when it is one quoted YAML scalar (`'2030'`, `"a: b"`).
fn quoted_scalar(raw: &str) -> Option<String> {
    if !raw.starts_with(['\'', '"']) {
        return None;
    }
    match serde_yaml::from_str::<Value>(raw) {
        Ok(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Tags from a YAML list or a comma list; refuses what is not a flat list of texts.
fn tags_value(raw: &str) -> Result<Value, String> {
    let looks_like_list = raw.starts_with('[') || raw.starts_with("- ") || raw == "-";
    if raw.contains('*') && looks_like_list {
        let scan = casebook_core::yaml_lex::scan(raw, 0..raw.len());
        if let Some(a) = scan.aliases.first() {
            return Err(format!(
                "`*{}` is an alias, and tags must be plain texts (quote it to mean the text: ['*{}'])",
                a.name, a.name
            ));
        }
    }
    if !looks_like_list {
        return Ok(fields::tags_value(
            &fields::tags_of(Some(&Value::String(raw.to_string()))).0,
        ));
    }
    let items = match serde_yaml::from_str::<Value>(raw) {
        Ok(Value::Sequence(items)) => items,
        Ok(other) => {
            return Err(format!(
                "expected a list of tags such as [Mobility, Energy], got {}",
                yaml_write::describe(&other)
            ));
        }
        Err(e) => {
            return Err(format!(
                "`{raw}` is not a list of tags such as [Mobility, Energy]: {}",
                e.to_string()
                    .split(" at line")
                    .next()
                    .unwrap_or("not valid YAML")
            ));
        }
    };
    let mut tags = Vec::with_capacity(items.len());
    for item in &items {
        let tag = match item {
            Value::String(s) => s.trim().to_string(),
            Value::Number(_) | Value::Bool(_) => fields::as_text(item).unwrap_or_default(),
            Value::Mapping(m) => {
                let pair = m
                    .iter()
                    .next()
                    .map(|(k, v)| {
                        format!(
                            "{}: {}",
                            fields::as_text(k).unwrap_or_default(),
                            fields::as_text(v).unwrap_or_default()
                        )
                    })
                    .unwrap_or_default();
                return Err(format!(
                    "`{pair}` reads as a `key: value` pair, not a tag (quote it to mean the text: ['{pair}'])"
                ));
            }
            Value::Sequence(_) => {
                return Err(
                    "a tag is a list itself: tags must be one flat list of texts, e.g. [Mobility, Energy]"
                        .to_string(),
                );
            }
            Value::Null => continue,
            Value::Tagged(_) => {
                return Err("a tag has a YAML tag (`!name`): tags must be plain texts".to_string());
            }
        };
        if !tag.is_empty() {
            tags.push(tag);
        }
    }
    Ok(fields::tags_value(&tags))
}

/// `[lat, lon]`: two finite numbers in range; the current value when it is the same place.
fn centroid_value(raw: &str, current: Option<&Value>) -> Result<Value, String> {
    const FORMAT: &str =
        "expected [lat, lon]: two numbers in decimal degrees, e.g. [40.712778, -74.006111]";
    let v: Value = serde_yaml::from_str(raw).map_err(|_| FORMAT.to_string())?;
    let Value::Sequence(items) = &v else {
        return Err(FORMAT.to_string());
    };
    if items.len() != 2 {
        return Err(format!("{FORMAT}; got {} items", items.len()));
    }
    let mut nums = [0.0f64; 2];
    for (i, item) in items.iter().enumerate() {
        let n = match item {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let what = if i == 0 { "latitude" } else { "longitude" };
        match n {
            Some(n) if n.is_finite() => nums[i] = n,
            Some(_) => return Err(format!("the {what} is not a finite number")),
            None => return Err(format!("the {what} is not a number; {FORMAT}")),
        }
    }
    let c = Centroid {
        lat: nums[0],
        lon: nums[1],
    };
    if !c.in_range() {
        return Err(format!(
            "[{}, {}] is out of range: latitude must be within ±90 and longitude within ±180",
            nums[0], nums[1]
        ));
    }
    Ok(c.value_for(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(key: &str, raw: &str) -> Result<Value, String> {
        parse_value(key, raw, None)
    }

    #[test]
    fn values_by_field() {
        assert_eq!(
            parse("status", "Review"),
            Ok(Value::String("Review".into()))
        );
        assert_eq!(parse("title", "2024"), Ok(Value::String("2024".into())));
        assert_eq!(parse("title", "12:30"), Ok(Value::String("12:30".into())));
        let tags = parse("tags", "[Mobility, Energy]");
        assert_eq!(
            tags,
            Ok(Value::Sequence(vec!["Mobility".into(), "Energy".into()]))
        );
        let tags = parse("tags", "Mobility, Energy");
        assert_eq!(
            tags,
            Ok(Value::Sequence(vec!["Mobility".into(), "Energy".into()]))
        );
        let tags = parse("tags", r#"["12:30", 2024-01-01]"#);
        assert_eq!(
            tags,
            Ok(Value::Sequence(vec!["12:30".into(), "2024-01-01".into()]))
        );
        assert!(parse("centroid", "[1, x]").is_err());
        assert_eq!(parse("year_start", "2017"), Ok(Value::Number(2017.into())));
        assert_eq!(parse("city", ""), Ok(Value::Null));
    }

    /// Finding 4: coercions.
    #[test]
    fn quoted_null_and_ill_formed_values() {
        assert_eq!(
            parse("year_completed", "'2030'"),
            Ok(Value::String("2030".into()))
        );
        assert_eq!(parse("year_end", "null"), Ok(Value::Null));
        assert_eq!(parse("year_end", "~"), Ok(Value::Null));
        assert_eq!(
            parse("title", "'\"null\"'"),
            Ok(Value::String("\"null\"".into()))
        );
        assert_eq!(parse("title", "\"null\""), Ok(Value::String("null".into())));
        for raw in ["[a: b]", "[[a], b]", "[*x]", "[a, {b: c}]", "[a, b"] {
            assert!(parse("tags", raw).is_err(), "{raw}");
        }
        for raw in [
            "[1e303, 1]",
            "[.inf, 1]",
            "[91, 0]",
            "[0, 181]",
            "[1, 2, 3]",
        ] {
            assert!(parse("centroid", raw).is_err(), "{raw}");
        }
        for raw in ["12:30", "soon", "20300", "99"] {
            assert!(parse("year_start", raw).is_err(), "{raw}");
        }
        assert!(parse("year_completed", "Ongoing").is_ok());
        assert!(parse("year_completed", "2030 (Anticipated)").is_ok());
    }
}
