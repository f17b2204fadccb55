//! Undo history: revisions made of edit groups and their inverses.
//!
//! Each step stores the inverse of what was applied. Undo applies it and keeps the inverse of
//! the inverse for redo. Every step has a revision number that never changes, so "unsaved"
//! is simply "the current revision is not the saved one", whatever undo and redo did since.

use std::time::{Duration, Instant};

use crate::case::Case;
use crate::edit::{Edit, EditError};

/// Typing in the same place within this time joins the previous undo step.
pub const MERGE_WINDOW: Duration = Duration::from_millis(1200);

/// One undoable step.
#[derive(Debug, Clone)]
pub struct Step {
    /// The edits that undo (or, on the redo stack, redo) this step, applied in order.
    pub edits: Vec<Edit>,
    /// What the step did, for menus ("Undo Title").
    pub label: String,
    /// Steps with the same key made in quick succession are merged (typing).
    pub merge_key: Option<String>,
    /// The revision this step produced.
    pub revision: u64,
    at: Instant,
}

/// The undo and redo stacks of one case.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_revision: u64,
    saved_revision: u64,
}

impl History {
    /// An empty history at the saved state.
    pub fn new() -> Self {
        Self {
            next_revision: 1,
            ..Default::default()
        }
    }

    /// The current revision (0 = as opened).
    pub fn revision(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.revision)
    }

    /// Whether the case differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.revision() != self.saved_revision
    }

    /// Marks the current revision as saved.
    pub fn mark_saved(&mut self) {
        self.saved_revision = self.revision();
    }

    /// Records an applied edit by its inverse. With a `merge_key` equal to the previous
    /// step's, made within [`MERGE_WINDOW`] and when that step is not the saved state, the
    /// inverse joins that step (so typing a word is one undo).
    pub fn record(&mut self, inverse: Edit, label: &str, merge_key: Option<&str>) {
        self.record_at(inverse, label, merge_key, Instant::now());
    }

    /// [`History::record`] with an explicit time (for tests).
    pub fn record_at(&mut self, inverse: Edit, label: &str, merge_key: Option<&str>, at: Instant) {
        self.redo.clear();
        if let (Some(key), Some(last)) = (merge_key, self.undo.last_mut())
            && last.merge_key.as_deref() == Some(key)
            && at.saturating_duration_since(last.at) <= MERGE_WINDOW
            && last.revision != self.saved_revision
        {
            // Undo applies edits in order: the newest inverse goes first.
            last.edits.insert(0, inverse);
            last.at = at;
            return;
        }
        let revision = self.next_revision;
        self.next_revision += 1;
        self.undo.push(Step {
            edits: vec![inverse],
            label: label.to_string(),
            merge_key: merge_key.map(str::to_string),
            revision,
            at,
        });
    }

    /// Ends merging: the next edit starts a new step even with the same key.
    pub fn break_merge(&mut self) {
        if let Some(last) = self.undo.last_mut() {
            last.merge_key = None;
        }
    }

    /// Label of the step undo would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// Label of the step redo would re-apply.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last step on `case`: its edits are applied as one [`Edit::Batch`], which
    /// [`Case::apply`] rolls back as a whole if any part fails (then the step stays where it
    /// was and `None` is returned). Returns the step's label.
    pub fn undo(&mut self, case: &mut Case) -> Option<String> {
        step_across(&mut self.undo, &mut self.redo, case)
    }

    /// Redoes the last undone step on `case` (as [`History::undo`]). Returns its label.
    pub fn redo(&mut self, case: &mut Case) -> Option<String> {
        step_across(&mut self.redo, &mut self.undo, case)
    }

    /// Forgets everything (after reloading from disk); the new state counts as saved.
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.saved_revision = 0;
    }

    /// Number of undo steps.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

/// Applies a step's edits in order as one batch; the inverses, in the order that undoes it.
/// Applies the last step of `from` to `case` and moves it, as its inverse, onto `to`; returns
/// its label. A step that fails stays on `from` (the case is rolled back by [`Case::apply`]).
fn step_across(from: &mut Vec<Step>, to: &mut Vec<Step>, case: &mut Case) -> Option<String> {
    let step = from.pop()?;
    match apply_step(case, &step) {
        Ok(inverses) => {
            let label = step.label.clone();
            to.push(Step {
                edits: inverses,
                merge_key: None,
                ..step
            });
            Some(label)
        }
        Err(_) => {
            from.push(step);
            None
        }
    }
}

fn apply_step(case: &mut Case, step: &Step) -> Result<Vec<Edit>, EditError> {
    Ok(match case.apply(&Edit::Batch(step.edits.clone()))? {
        Some(Edit::Batch(inverses)) => inverses,
        Some(other) => vec![other],
        None => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Change;

    fn e(n: usize) -> Edit {
        Edit::Text(Change::new(n..n, "x"))
    }

    fn case(text: &str) -> Case {
        Case::from_text(std::path::Path::new("/nonexistent/usa-x"), text)
    }

    /// Applies `edit` to `case` and records it, as the editor does.
    fn edit(h: &mut History, case: &mut Case, edit: Edit, label: &str) {
        match case.apply(&edit) {
            Ok(Some(inverse)) => h.record(inverse, label, None),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dirty_follows_revisions() {
        let mut c = case("---\ntitle: A\n---\n");
        let mut h = History::new();
        assert!(!h.is_dirty());
        edit(&mut h, &mut c, Edit::set("title", "B"), "Title");
        assert!(h.is_dirty());
        h.mark_saved();
        assert!(!h.is_dirty());
        assert_eq!(h.undo(&mut c).as_deref(), Some("Title"));
        assert_eq!(c.doc().text(), "---\ntitle: A\n---\n");
        assert!(h.is_dirty());
        assert_eq!(h.redo(&mut c).as_deref(), Some("Title"));
        assert_eq!(c.doc().text(), "---\ntitle: B\n---\n");
        assert!(!h.is_dirty(), "redo returns to the saved revision");
        assert!(h.redo(&mut c).is_none());
    }

    #[test]
    fn a_merged_step_undoes_and_redoes_as_one() {
        let mut c = case("---\ntitle: A\n---\n");
        let mut h = History::new();
        let t0 = Instant::now();
        for (i, v) in ["AB", "ABC"].into_iter().enumerate() {
            let Ok(Some(inv)) = c.apply(&Edit::set("title", v)) else {
                panic!("no change")
            };
            h.record_at(
                inv,
                "Title",
                Some("title"),
                t0 + Duration::from_millis(i as u64),
            );
        }
        assert_eq!(h.undo_len(), 1);
        h.undo(&mut c);
        assert_eq!(c.doc().text(), "---\ntitle: A\n---\n");
        h.redo(&mut c);
        assert_eq!(c.doc().text(), "---\ntitle: ABC\n---\n");
        h.undo(&mut c);
        assert_eq!(c.doc().text(), "---\ntitle: A\n---\n");
    }

    /// A step that cannot be applied any more (the text under it changed behind the
    /// history's back) changes nothing, stays on its stack, and undo says so with `None`.
    #[test]
    fn a_failing_step_is_rolled_back_and_kept() {
        let mut c = case("---\ntitle: A\n---\nbody\n");
        let mut h = History::new();
        edit(&mut h, &mut c, Edit::set("title", "B"), "Title");
        // A second inverse that points past the end of the text: the batch fails there.
        h.record_at(
            Edit::Text(Change::new(10_000..10_001, "")),
            "Broken",
            Some("k"),
            Instant::now(),
        );
        h.record_at(
            Edit::Text(Change::new(0..0, "")),
            "Broken",
            Some("k"),
            Instant::now(),
        );
        let before = c.doc().text().to_string();
        let steps = h.undo_len();
        assert!(h.undo(&mut c).is_none());
        assert_eq!(c.doc().text(), before);
        assert_eq!(h.undo_len(), steps);
    }

    #[test]
    fn typing_merges_within_window() {
        let mut h = History::new();
        let t0 = Instant::now();
        h.record_at(e(0), "Typing", Some("s1"), t0);
        h.record_at(e(1), "Typing", Some("s1"), t0 + Duration::from_millis(300));
        assert_eq!(h.undo_len(), 1);
        h.record_at(e(2), "Typing", Some("s1"), t0 + Duration::from_secs(5));
        assert_eq!(h.undo_len(), 2);
        h.record_at(e(3), "Typing", Some("s2"), t0 + Duration::from_secs(5));
        assert_eq!(h.undo_len(), 3);
        assert_eq!(h.undo.last().map(|s| s.edits.len()), Some(1));
    }
}
