//! Helpers shared by the views' kittest tests (`form`, `sections`): any view state `S`.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// Clicks the control labelled `label` and runs the frames that follow.
pub(crate) fn click<S>(h: &mut Harness<'_, S>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Asserts that `text` holds `part`, showing the whole text when it does not.
#[track_caller]
pub(crate) fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in:\n{text}");
}
