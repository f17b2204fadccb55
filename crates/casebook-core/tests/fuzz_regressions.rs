//! Inputs the fuzzers (`fuzz/`) found, kept as regression tests. Each replays the same
//! property the fuzz target checks.

use casebook_core::document::{Document, section_content_of};
use casebook_core::edit::Edit;

/// The `sections` fuzz target's property: sections tile the body, a set section reads back
/// (normalised), and the inverse restores the bytes.
fn sections_property(data: &[u8]) {
    let Some((ctl, rest)) = data.split_first() else {
        return;
    };
    if std::str::from_utf8(rest).is_err() {
        return;
    }
    let mut doc = Document::from_bytes(rest);
    assert_eq!(doc.to_bytes(), rest);
    let body = doc.body().clone();
    if body.sections.is_empty() {
        return;
    }
    let i = *ctl as usize % body.sections.len();
    let text = String::from_utf8_lossy(&rest[rest.len() / 2..]).into_owned();
    let Ok(Some(change)) = doc.change_for(&Edit::SetSectionText {
        section: i,
        text: text.clone(),
    }) else {
        return;
    };
    let Ok(inverse) = doc.apply_change(&change) else {
        panic!("apply")
    };
    let expected = section_content_of(&text.replace("\r\n", "\n").replace('\r', "\n"));
    if !text.contains("##")
        && !text.contains("```")
        && !text.contains("~~~")
        && !text.contains("<!--")
        && !text.contains('\r')
        && doc.body().sections.len() == body.sections.len()
    {
        assert_eq!(doc.section_text(i).as_deref(), Some(expected.as_str()));
    }
    let Ok(_) = doc.apply_change(&inverse) else {
        panic!("inverse")
    };
    assert_eq!(doc.to_bytes(), rest);
}

/// Text with leading spaces set into a section whose content shares the guidance comment's
/// line lost the spaces on reading back.
#[test]
fn sections_leading_space_after_guidance() {
    sections_property(include_bytes!("fuzz_regressions/sections-0c7216cd.bin"));
}
