//! Every Markdown document of the real corpus (at `CASEBOOK_CORPUS`) opens, saves back byte
//! for byte, and takes a one-field change as a one-line change.

#[path = "support/corpus.rs"]
mod corpus_support;

use casebook_core::document::{Document, FrontState};
use casebook_core::edit::Edit;
use corpus_support::{at_least, corpus, documents};
use serde_yaml::{Mapping, Value};

fn front_mapping(doc: &Document) -> Mapping {
    let Some(fm) = doc.front_matter() else {
        return Mapping::new();
    };
    let text = &doc.text()[fm.delimiters.content.clone()];
    serde_yaml::from_str::<Mapping>(text).unwrap_or_default()
}

#[test]
fn every_document_round_trips_and_takes_a_one_line_change() {
    let Some(dir) = corpus("corpus test") else {
        return;
    };
    let docs = at_least(documents(&dir), 60, &dir);
    let mut with_front_matter = 0;
    for path in &docs {
        let Ok(bytes) = std::fs::read(path) else {
            panic!("cannot read {}", path.display())
        };
        let mut doc = Document::from_bytes(&bytes);
        assert_eq!(
            doc.to_bytes(),
            bytes,
            "{}: open + save changed bytes",
            path.display()
        );
        let FrontState::Present(fm) = doc.front_state() else {
            continue;
        };
        with_front_matter += 1;
        assert!(
            fm.problems.is_empty(),
            "{}: {:?}",
            path.display(),
            fm.problems
        );
        let before = front_mapping(&doc);
        let had_status = before.contains_key("status");
        let edit = Edit::set("status", "Review");
        let Ok(change) = doc.change_for(&edit) else {
            panic!("{}: set status failed", path.display())
        };
        if let Some(change) = change {
            let Ok(_) = doc.apply_change(&change) else {
                panic!("apply failed")
            };
        }
        let after = String::from_utf8_lossy(&doc.to_bytes()).into_owned();
        let old = String::from_utf8_lossy(&bytes).into_owned();
        let old_lines: Vec<&str> = old.split('\n').collect();
        let new_lines: Vec<&str> = after.split('\n').collect();
        if had_status && before.get("status") == Some(&Value::String("Review".into())) {
            assert_eq!(
                old,
                after,
                "{}: same value must not change the file",
                path.display()
            );
        } else if had_status {
            assert_eq!(old_lines.len(), new_lines.len(), "{}", path.display());
            let diff = old_lines
                .iter()
                .zip(&new_lines)
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(diff, 1, "{}: more than one line changed", path.display());
        } else {
            assert_eq!(
                old_lines.len() + 1,
                new_lines.len(),
                "{}: one line added",
                path.display()
            );
        }
        let mut expected = before.clone();
        expected.insert("status".into(), "Review".into());
        let got = front_mapping(&doc);
        // Same keys and values (order aside).
        assert_eq!(got.len(), expected.len(), "{}", path.display());
        for (k, v) in &expected {
            assert_eq!(got.get(k), Some(v), "{}: key {k:?}", path.display());
        }
    }
    assert!(
        with_front_matter >= 60,
        "only {with_front_matter} documents had front matter"
    );
}
