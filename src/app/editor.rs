//! [`Editor`]: the open case with its undo history and current findings.
//!
//! All changes go through [`Editor::apply`], which applies an [`Edit`] to the case and
//! records its inverse; undo and redo replay those inverses. Checks are re-run lazily when
//! the revision changes.

use std::time::{Duration, Instant};

use casebook_core::case::Case;
use casebook_core::checks::{self, Diagnostic};
use casebook_core::edit::{Edit, EditError};
use casebook_core::history::History;
use casebook_core::template::Template;

/// How long after the last change checks wait before running again (typing stays smooth).
pub const CHECK_DEBOUNCE: Duration = Duration::from_millis(250);

/// The open case and everything that belongs to it.
pub struct Editor {
    /// The case.
    pub case: Case,
    /// Undo/redo.
    pub history: History,
    /// The template the case follows.
    pub template: Template,
    diagnostics: Vec<Diagnostic>,
    checked_revision: Option<u64>,
    last_change: Instant,
    /// A counter bumped by every change, undo and redo (history revisions repeat after undo).
    change_counter: u64,
}

impl Editor {
    /// Starts editing `case` following `template`.
    pub fn new(mut case: Case, template: Template) -> Editor {
        case.set_key_order(template.key_order.clone());
        case.set_list_styles_from(&template.document);
        let mut e = Editor {
            case,
            history: History::new(),
            template,
            diagnostics: Vec::new(),
            checked_revision: None,
            last_change: Instant::now(),
            change_counter: 0,
        };
        e.run_checks();
        e
    }

    /// Follows `template` from now on: its key order and list styles for new keys, its checks.
    pub fn follow_template(&mut self, template: Template) {
        self.case.set_key_order(template.key_order.clone());
        self.case.set_list_styles_from(&template.document);
        self.template = template;
        self.run_checks();
    }

    /// Applies an edit and records it for undo. `Ok(false)` when it changed nothing.
    pub fn apply(
        &mut self,
        edit: &Edit,
        label: &str,
        merge: Option<&str>,
    ) -> Result<bool, EditError> {
        match self.case.apply(edit)? {
            Some(inverse) => {
                self.history.record(inverse, label, merge);
                self.changed();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Undoes the last step. Returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let label = self.history.undo(&mut self.case)?;
        self.changed();
        Some(label)
    }

    /// Redoes the last undone step. Returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let label = self.history.redo(&mut self.case)?;
        self.changed();
        Some(label)
    }

    fn changed(&mut self) {
        self.last_change = Instant::now();
        self.change_counter += 1;
    }

    /// A number that changes whenever the case changes (for view caches).
    pub fn change_counter(&self) -> u64 {
        self.change_counter
    }

    /// Whether there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Re-runs the checks when they are stale and the author paused typing.
    pub fn refresh_diagnostics(&mut self) {
        if self.checked_revision != Some(self.change_counter)
            && self.last_change.elapsed() >= CHECK_DEBOUNCE
        {
            self.run_checks();
        }
    }

    /// [`Editor::refresh_diagnostics`], unless `hold` (the author is in the middle of a click:
    /// the findings shown, and so the layout, stay as they are until the button is released).
    pub fn refresh_diagnostics_unless(&mut self, hold: bool) {
        if !hold {
            self.refresh_diagnostics();
        }
    }

    /// Whether checks are waiting to re-run (the app keeps repainting until they have).
    pub fn checks_pending(&self) -> bool {
        self.checked_revision != Some(self.change_counter)
    }

    /// Runs the checks now. Spelling suggestions are left out: they are most of a check run's
    /// time (tens of ms on the UI thread after each pause in typing), and the editor offers
    /// corrections on right-click, computed in the background, instead.
    pub fn run_checks(&mut self) {
        let options = checks::Options {
            spelling_suggestions: false,
            ..Default::default()
        };
        self.diagnostics = checks::run_with(&self.case, &self.template, options);
        self.checked_revision = Some(self.change_counter);
    }

    /// The findings as last computed (without re-running).
    pub fn last_diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// After saving: the current revision is the saved one.
    pub fn mark_saved(&mut self) {
        self.history.mark_saved();
        self.history.break_merge();
    }
}

#[cfg(test)]
mod tests {
    use casebook_core::template::TemplateSource;

    use super::*;

    /// A list written to a key the file shows no style for follows the template's style.
    #[test]
    fn new_lists_follow_the_template_style() {
        let template = Template::from_text(
            "flow-tags",
            TemplateSource::Bundled,
            "---\ntitle:\ntags: [Mobility, Energy]\n---\n\n## Overview\n\n<!-- About it. -->\n",
        );
        let case = Case::from_text(
            std::path::Path::new("/nonexistent/usa-x"),
            "---\ntitle: X\ntags:\n---\n\n## Overview\n\nText.\n",
        );
        let mut ed = Editor::new(case, template);
        let tags = serde_yaml::Value::Sequence(vec!["Mobility".into(), "Food".into()]);
        let edit = Edit::SetField {
            key: "tags".into(),
            value: tags,
        };
        assert_eq!(ed.apply(&edit, "Tags", None), Ok(true));
        assert!(
            ed.case.doc().text().contains("tags: [Mobility, Food]\n"),
            "{}",
            ed.case.doc().text()
        );
    }
}
