//! Property tests: generated front matters and edits round-trip; edit then inverse gives
//! back the original bytes; a set value reads back and other keys keep theirs.

use casebook_core::document::Document;
use casebook_core::edit::Edit;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// A scalar as an author might write it (plain, quoted, odd characters, numbers).
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 ,.'’()-]{0,30}".prop_map(Value::String),
        "[ -~]{0,20}".prop_map(Value::String),
        "\\PC{0,12}".prop_map(Value::String),
        (1900i64..2100).prop_map(|n| Value::Number(n.into())),
        (-90.0f64..90.0).prop_map(|f| Value::Number(((f * 1e6).round() / 1e6).into())),
        Just(Value::String("yes".into())),
        Just(Value::String("2024 (Anticipated)".into())),
        Just(Value::String("a: b # c".into())),
        Just(Value::Null),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => scalar(),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(Value::Sequence),
        1 => "[a-z]{1,8}( [a-z]{1,8}){0,6}\n[a-z]{1,8}".prop_map(Value::String),
    ]
}

/// How a list is laid out in the generated file.
#[derive(Debug, Clone, Copy)]
enum ListStyle {
    Flow,
    Block,
    BlockIndented,
}

/// Writes a front matter the way the atlas's authors do, by hand (not through Casebook).
fn render(entries: &[(String, Value)], style: ListStyle, crlf: bool) -> Option<String> {
    let mut out = String::from("---\n");
    for (k, v) in entries {
        let line = match (v, style) {
            (Value::Sequence(items), ListStyle::Block | ListStyle::BlockIndented)
                if !items.is_empty() =>
            {
                let indent = if matches!(style, ListStyle::BlockIndented) {
                    "  "
                } else {
                    ""
                };
                let mut s = format!("{k}:\n");
                for it in items {
                    let one = serde_yaml::to_string(it).ok()?;
                    s.push_str(&format!("{indent}- {}\n", one.trim_end()));
                }
                s
            }
            _ => {
                let mut m = Mapping::new();
                m.insert(Value::String(k.clone()), v.clone());
                let s = serde_yaml::to_string(&m).ok()?;
                if s.lines().count() > 1 && !matches!(v, Value::String(_)) {
                    // Flow style for lists in "flow" files.
                    let items: Vec<String> = match v {
                        Value::Sequence(items) => items
                            .iter()
                            .map(|i| serde_json::to_string(i).unwrap_or_default())
                            .collect(),
                        _ => return None,
                    };
                    format!("{k}: [{}]\n", items.join(", "))
                } else {
                    s
                }
            }
        };
        out.push_str(&line);
    }
    out.push_str("---\n\n## Overview\n\nSome text.\n");
    let end = out.rfind("---\n\n## Overview")?;
    let parsed: Mapping = serde_yaml::from_str(&out[4..end]).ok()?;
    if parsed.len() != entries.len() {
        return None;
    }
    Some(if crlf { out.replace('\n', "\r\n") } else { out })
}

fn keys() -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(
        vec![
            "title",
            "description",
            "status",
            "city",
            "country_code",
            "centroid",
            "tags",
            "extra",
            "year_start",
        ],
        1..9,
    )
    .prop_map(|v| v.into_iter().map(String::from).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn set_reads_back_keeps_others_and_inverts(
        keys in keys(),
        values in prop::collection::vec(value(), 9),
        style in prop_oneof![Just(ListStyle::Flow), Just(ListStyle::Block), Just(ListStyle::BlockIndented)],
        crlf in any::<bool>(),
        target in 0usize..10,
        new in value(),
    ) {
        let entries: Vec<(String, Value)> = keys.iter().cloned().zip(values).collect();
        let Some(text) = render(&entries, style, crlf) else { return Ok(()) };
        let mut doc = Document::from_text(&text);
        prop_assert_eq!(doc.to_bytes(), text.as_bytes());
        let key = if target < keys.len() { keys[target].clone() } else { "featured_credit".to_string() };
        let Ok(change) = doc.change_for(&Edit::SetField { key: key.clone(), value: new.clone() }) else {
            return Err(TestCaseError::fail(format!("set {key} failed")));
        };
        let Some(change) = change else {
            // Nothing to change: the key already had this value.
            prop_assert_eq!(doc.value(&key), Some(&new));
            return Ok(());
        };
        let Ok(inverse) = doc.apply_change(&change) else { return Err(TestCaseError::fail("apply")) };
        // Only the key's lines changed: the set value reads back, others keep theirs.
        let reread = Document::from_bytes(&doc.to_bytes());
        prop_assert_eq!(reread.value(&key), Some(&new));
        for (k, v) in &entries {
            if *k != key {
                prop_assert_eq!(reread.value(k), Some(v), "key {} changed", k);
            }
        }
        // Line endings kept.
        let has_lone_lf = doc.text().replace("\r\n", "").contains('\n');
        prop_assert_eq!(crlf, !has_lone_lf);
        // Edit then inverse = original bytes.
        let Ok(_) = doc.apply_change(&inverse) else { return Err(TestCaseError::fail("inverse")) };
        prop_assert_eq!(doc.to_bytes(), text.as_bytes());
    }

    #[test]
    fn section_edits_invert_and_are_idempotent(
        text in "[a-zA-Z .,*_\\[\\]()!\n-]{0,200}",
        index in 0usize..3,
    ) {
        let source = "---\ntitle: T\n---\n\n## Overview\n\n<!-- About 100 words. -->\n\nOld.\n\n## Goals\n\n## References\n\n- a\n";
        let mut doc = Document::from_text(source);
        let edit = Edit::SetSectionText { section: index, text: text.clone() };
        let Ok(change) = doc.change_for(&edit) else { return Err(TestCaseError::fail("change")) };
        let Some(change) = change else { return Ok(()) };
        let Ok(inverse) = doc.apply_change(&change) else { return Err(TestCaseError::fail("apply")) };
        prop_assert_eq!(doc.body().sections.len(), 3);
        // Setting the same text again changes nothing.
        prop_assert_eq!(doc.change_for(&edit), Ok(None));
        let Ok(_) = doc.apply_change(&inverse) else { return Err(TestCaseError::fail("inverse")) };
        prop_assert_eq!(doc.text(), source);
    }

    #[test]
    fn any_bytes_open_and_save_back(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let doc = Document::from_bytes(&bytes);
        if std::str::from_utf8(&bytes).is_ok() {
            prop_assert_eq!(doc.to_bytes(), bytes);
        }
    }
}
