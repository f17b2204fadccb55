//! Undo history: revisions made of edit groups and their inverses.
//!
//! Each step stores the inverse of what was applied. Undo applies it and keeps the inverse of
//! the inverse for redo. Every step has a revision number that never changes, so "unsaved"
//! is simply "the current revision is not the saved one", whatever undo and redo did since.

use std::time::{Duration, Instant};

use crate::edit::Edit;

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

    /// Takes the step to undo; the caller applies its edits in order, collecting their
    /// inverses, and hands them back with [`History::push_redo`].
    pub fn take_undo(&mut self) -> Option<Step> {
        self.undo.pop()
    }

    /// Stores the inverses produced by undoing `step` so it can be redone.
    pub fn push_redo(&mut self, step: Step, redo_edits: Vec<Edit>) {
        self.redo.push(Step {
            edits: redo_edits,
            merge_key: None,
            ..step
        });
    }

    /// Takes the step to redo; the caller applies it and hands back the inverses with
    /// [`History::push_undo`].
    pub fn take_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    /// Stores the inverses produced by redoing `step`.
    pub fn push_undo(&mut self, step: Step, undo_edits: Vec<Edit>) {
        self.undo.push(Step {
            edits: undo_edits,
            merge_key: None,
            ..step
        });
    }

    /// Puts a step back where it was taken from when applying it failed.
    pub fn restore_undo(&mut self, step: Step) {
        self.undo.push(step);
    }

    /// Puts a redo step back when applying it failed.
    pub fn restore_redo(&mut self, step: Step) {
        self.redo.push(step);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Change;

    fn e(n: usize) -> Edit {
        Edit::Text(Change::new(n..n, "x"))
    }

    #[test]
    fn dirty_follows_revisions() {
        let mut h = History::new();
        assert!(!h.is_dirty());
        h.record(e(0), "a", None);
        assert!(h.is_dirty());
        h.mark_saved();
        assert!(!h.is_dirty());
        let Some(s) = h.take_undo() else {
            panic!("nothing to undo")
        };
        h.push_redo(s, vec![e(1)]);
        assert!(h.is_dirty());
        let Some(s) = h.take_redo() else {
            panic!("nothing to redo")
        };
        h.push_undo(s, vec![e(2)]);
        assert!(!h.is_dirty(), "redo returns to the saved revision");
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
        let Some(s) = h.take_undo() else { panic!() };
        assert_eq!(s.edits.len(), 1);
    }
}
