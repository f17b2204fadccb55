//! Front matter: parse → set a field → save → parse. The set value reads back, every other
//! key keeps its value, applying the inverse gives back the original bytes, nothing panics.
#![no_main]

use casebook_core::document::Document;
use casebook_core::edit::Edit;
use libfuzzer_sys::fuzz_target;
use serde_yaml::Value;

const KEYS: [&str; 6] = ["title", "status", "tags", "centroid", "year_start", "x-custom"];

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (ctl, rest) = data.split_at(2);
    let split = (ctl[1] as usize * rest.len()) / 256;
    let (doc_bytes, value_bytes) = rest.split_at(split.min(rest.len()));
    // Invalid UTF-8 is reported and repaired (and Case::save refuses to overwrite such a
    // file); round trips are checked on text.
    if std::str::from_utf8(doc_bytes).is_err() {
        return;
    }
    let mut doc = Document::from_bytes(doc_bytes);
    assert_eq!(doc.to_bytes(), doc_bytes, "open + save must be byte-identical");
    let key = KEYS[ctl[0] as usize % KEYS.len()];
    let raw = String::from_utf8_lossy(value_bytes);
    let value = match ctl[0] / 8 % 4 {
        0 => Value::String(raw.into_owned()),
        1 => Value::Sequence(raw.split(',').map(|s| Value::String(s.to_string())).collect()),
        2 => Value::Number((raw.len() as i64).into()),
        _ => Value::Sequence(vec![Value::Number(1.5.into()), Value::Number((-2.25).into())]),
    };
    let others: Vec<(String, Option<Value>)> = doc
        .front_matter()
        .map(|fm| {
            fm.entries
                .iter()
                .filter(|e| e.key != key)
                .map(|e| (e.key.clone(), e.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    let edit = Edit::SetField { key: key.to_string(), value: value.clone() };
    let Ok(Some(change)) = doc.change_for(&edit) else { return };
    let Ok(inverse) = doc.apply_change(&change) else { panic!("a computed change must apply") };
    let saved = doc.to_bytes();
    let reread = Document::from_bytes(&saved);
    if reread.front_matter().is_some_and(|fm| fm.problems.is_empty()) {
        assert_eq!(reread.value(key), Some(&value), "the value set must read back");
    }
    for (k, v) in others {
        if let (Some(fm), Some(v)) = (reread.front_matter(), v)
            && fm.problems.is_empty()
        {
            assert_eq!(fm.value(&k), Some(&v), "key {k} changed");
        }
    }
    let Ok(_) = doc.apply_change(&inverse) else { panic!("the inverse must apply") };
    assert_eq!(doc.to_bytes(), doc_bytes, "edit then inverse must give the original bytes");
});
