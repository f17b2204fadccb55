//! `casebook set PATH... key=value...`: format-preserving field edits, in one case or many.
//!
//! Each case is handled on its own by the same rules (its lock, the refusals, the safe save):
//! one that cannot be changed is reported and left as it was, the others are still done.
//! Exit codes: 0 = done, 2 = some case could not be read, changed or saved. `--dry-run`
//! prints one combined diff on stdout (notes go to stderr) and writes nothing.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use casebook_core::bulk::{self, FileDiff};
use casebook_core::edit::Edit;
use casebook_core::escape;
use casebook_core::fields::{self, Centroid, Field};
use casebook_core::session::Session;
use casebook_core::template::TemplateSet;
use casebook_core::yaml_write;
use serde_yaml::Value;

/// Splits the command line after `set` into the cases (the leading arguments) and the
/// `key=value` assignments (from the first argument that looks like one: a key without a
/// path separator, `=`, and no file or folder of that name).
pub fn split_args(args: &[OsString]) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let is_assignment = |a: &OsString| {
        a.to_str().is_some_and(|s| {
            s.split_once('=')
                .is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(['/', '\\']))
                && std::fs::symlink_metadata(s).is_err()
        })
    };
    let first = args.iter().position(is_assignment);
    let Some(first) = first else {
        return Err("no key=value given (casebook set PATH... KEY=VALUE...)".to_string());
    };
    if first == 0 {
        return Err(
            "no case given before the assignments (casebook set PATH... KEY=VALUE...)".to_string(),
        );
    }
    let paths = args[..first].iter().map(PathBuf::from).collect();
    let mut assignments = Vec::new();
    for a in &args[first..] {
        match a.to_str() {
            Some(s) if s.contains('=') => assignments.push(s.to_string()),
            _ => {
                return Err(format!(
                    "`{}` is not key=value (cases come first, then the assignments)",
                    escape::os_text(a)
                ));
            }
        }
    }
    Ok((paths, assignments))
}

/// Applies the assignments to every case under `paths` (case folders, `index.md` files or
/// folders of cases) and saves each (or prints the combined diff); returns the exit code.
pub fn run(
    paths: &[PathBuf],
    assignments: &[String],
    dry_run: bool,
    templates: Option<&Path>,
) -> u8 {
    for a in assignments {
        if a.split_once('=').is_none() {
            eprintln!("casebook: `{a}` is not key=value");
            return 2;
        }
    }
    let (indexes, mut failed) = super::tags::case_indexes(paths);
    let mut diffs = Vec::new();
    for index in &indexes {
        match one(index, assignments, dry_run, templates) {
            Ok(Some(diff)) => diffs.push(diff),
            Ok(None) => {}
            Err(_) => failed = true,
        }
    }
    if dry_run {
        print!("{}", bulk::combined_diff(&diffs));
        if indexes.len() > 1 {
            eprintln!(
                "{} of {} cases would change; nothing was written (dry run).",
                diffs.len(),
                indexes.len()
            );
        }
    }
    if failed { 2 } else { 0 }
}

/// Applies the assignments to one case: saves it, or with `dry_run` returns its diff.
/// On failure the message is printed and the case left as it was.
fn one(
    path: &Path,
    assignments: &[String],
    dry_run: bool,
    templates: Option<&Path>,
) -> Result<Option<FileDiff>, u8> {
    let case = super::open_case_to_write(path, dry_run)?;
    // The case's own template gives the key order and list styles for keys new to the file
    // (the bundled templates when the atlas's cannot be read), as in the editor.
    let set =
        super::load_templates(templates, Some(path)).unwrap_or_else(|_| TemplateSet::bundled());
    let mut session = Session::with_templates(case, set);
    let before = String::from_utf8_lossy(&session.case.index_bytes()).into_owned();
    for a in assignments {
        let Some((key, raw)) = a.split_once('=') else {
            eprintln!("casebook: `{a}` is not key=value");
            return Err(2);
        };
        let key = key.trim();
        let key = if Field::from_key(key) == Some(Field::FeaturedAlt) {
            session.case.key_for(Field::FeaturedAlt).to_string()
        } else {
            key.to_string()
        };
        let key = key.as_str();
        let value = match parse_value(key, raw, session.case.doc().value(key)) {
            Ok(v) => v,
            Err(e) => {
                eprintln!(
                    "casebook: {}: {key}: {e} (nothing was changed)",
                    session.case.index_path().display()
                );
                return Err(2);
            }
        };
        let edit = Edit::SetField {
            key: key.to_string(),
            value,
        };
        if let Err(e) = session.apply(&edit, key, None) {
            eprintln!(
                "casebook: {}: {key}: {e} (nothing was changed)",
                session.case.index_path().display()
            );
            return Err(2);
        }
    }
    let after = String::from_utf8_lossy(&session.case.index_bytes()).into_owned();
    let name = session.case.index_path().display().to_string();
    if before == after {
        let note = format!("{name}: unchanged (the fields already have these values)");
        if dry_run {
            eprintln!("{note}");
        } else {
            println!("{note}");
        }
        return Ok(None);
    }
    if dry_run {
        return Ok(Some(FileDiff {
            path: session.case.index_path().to_path_buf(),
            before,
            after,
        }));
    }
    match session.case.save(false) {
        Ok(_) => {
            let changed = super::tags::lines_changed(&before, &after);
            println!(
                "{name}: saved ({changed} line{} changed)",
                if changed == 1 { "" } else { "s" }
            );
            Ok(None)
        }
        Err(e) => {
            eprintln!("casebook: {e}");
            Err(2)
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
