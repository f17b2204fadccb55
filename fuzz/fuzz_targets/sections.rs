//! Sections: split and join. The sections tile the body; replacing a section's text reads
//! back (normalised) and its inverse restores the bytes; nothing panics.
#![no_main]

use casebook_core::document::{Document, section_content_of};
use casebook_core::edit::Edit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let (ctl, rest) = data.split_at(1);
    if std::str::from_utf8(rest).is_err() {
        return;
    }
    let mut doc = Document::from_bytes(rest);
    assert_eq!(doc.to_bytes(), rest);
    let body = doc.body().clone();
    // Sections are contiguous and cover the body after the preamble.
    let mut at = body.preamble.end;
    for s in &body.sections {
        assert_eq!(s.range.start, at, "sections must tile the body");
        assert!(s.content.start >= s.heading_line.end || s.content.is_empty());
        assert!(s.content.end <= s.range.end);
        at = s.range.end;
    }
    assert_eq!(at, body.range.end);
    if body.sections.is_empty() {
        return;
    }
    let i = ctl[0] as usize % body.sections.len();
    let text = String::from_utf8_lossy(&rest[rest.len() / 2..]).into_owned();
    let edit = Edit::SetSectionText { section: i, text: text.clone() };
    let Ok(Some(change)) = doc.change_for(&edit) else { return };
    let Ok(inverse) = doc.apply_change(&change) else { panic!("apply") };
    // The edited section reads back, unless the new text itself contains headings that
    // split it.
    let expected = section_content_of(&text.replace("\r\n", "\n").replace('\r', "\n"));
    if !text.contains("##") && !text.contains("```") && !text.contains("~~~") && !text.contains("<!--")
        && !text.contains('\r') && doc.body().sections.len() == body.sections.len()
    {
        assert_eq!(doc.section_text(i).as_deref(), Some(expected.as_str()));
    }
    let Ok(_) = doc.apply_change(&inverse) else { panic!("inverse") };
    assert_eq!(doc.to_bytes(), rest);
});
