//! [`Session`]: a case being edited, with its template, its undo history and its findings.
//!
//! Every change, from the editor's form, text and map as from `casebook set` and `fix`, goes
//! through [`Session::apply`], which applies an [`Edit`] to the case and records its inverse;
//! undo and redo apply those inverses through [`Case::apply`] as one batch (rolled back
//! whole if any part fails). Checks are re-run lazily when the case changes.

use std::time::{Duration, Instant};

use crate::case::Case;
use crate::checks::{self, Diagnostic, fixes};
use crate::edit::{Edit, EditError};
use crate::fields::Field;
use crate::history::History;
use crate::template::{Template, TemplateSet};

/// How long after the last change checks wait before running again (typing stays smooth).
pub const CHECK_DEBOUNCE: Duration = Duration::from_millis(250);

/// The open case and everything that belongs to it.
pub struct Session {
    /// The case.
    pub case: Case,
    /// Undo/redo.
    pub history: History,
    /// The template the case follows.
    pub template: Template,
    /// Where the template comes from when the case's `template:` changes (by an edit, undo or
    /// redo); `None` keeps [`Session::template`] whatever the case says.
    templates: Option<TemplateSet>,
    /// The `template:` value the template was chosen for.
    template_field: Option<String>,
    diagnostics: Vec<Diagnostic>,
    checked_revision: Option<u64>,
    last_change: Instant,
    /// A counter bumped by every change, undo and redo (history revisions repeat after undo).
    change_counter: u64,
}

impl Session {
    /// Starts editing `case` following `template`: its key order and list styles are used for
    /// keys new to the file. Checks have not run yet ([`Session::run_checks`]).
    pub fn new(mut case: Case, template: Template) -> Session {
        case.set_key_order(template.key_order.clone());
        case.set_list_styles_from(&template.document);
        Session {
            template_field: case.doc().text_of(Field::Template),
            case,
            history: History::new(),
            template,
            templates: None,
            diagnostics: Vec::new(),
            checked_revision: None,
            last_change: Instant::now(),
            change_counter: 0,
        }
    }

    /// Starts editing `case` following its template in `templates` ([`TemplateSet::for_document`]),
    /// and another one from the set whenever its `template:` changes.
    pub fn with_templates(case: Case, templates: TemplateSet) -> Session {
        let template = templates.for_document(case.doc()).clone();
        let mut session = Session::new(case, template);
        session.templates = Some(templates);
        session
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

    /// Applies the automatic fixes of the findings `wanted` accepts, in rounds until none is
    /// left ([`fixes::apply_where`]), as one undo step called `label`. Returns what was
    /// applied (nothing recorded when nothing changed).
    pub fn fix_where(
        &mut self,
        label: &str,
        wanted: impl Fn(&Diagnostic) -> bool,
    ) -> Vec<fixes::Applied> {
        let done = fixes::apply_where(&mut self.case, &self.template, wanted);
        if !done.inverses.is_empty() {
            // Undo applies a step's edits in order: the last fix's inverse first.
            let mut inverses = done.inverses;
            inverses.reverse();
            self.history.record(Edit::Batch(inverses), label, None);
            self.changed();
        }
        done.applied
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
        let field = self.case.doc().text_of(Field::Template);
        if field != self.template_field {
            self.template_field = field;
            if let Some(set) = &self.templates {
                // The case now follows another template: its key order, list styles and
                // checks (which re-run as after any change).
                let template = set.for_document(self.case.doc()).clone();
                self.case.set_key_order(template.key_order.clone());
                self.case.set_list_styles_from(&template.document);
                self.template = template;
            }
        }
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

    /// [`Session::refresh_diagnostics`], unless `hold` (the author is in the middle of a click:
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
    use crate::template::TemplateSource;

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
        let mut ed = Session::new(case, template);
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

    /// Setting `template:` makes the session follow that template (its checks and key order),
    /// and undo brings the former one back; a session made with one template keeps it.
    #[test]
    fn the_template_follows_the_template_field_through_undo_and_redo() {
        let text = "---\ntitle: X\ntemplate: case-study\n---\n\n## Overview\n\nText.\n";
        let case = Case::from_text(std::path::Path::new("/nonexistent/usa-x"), text);
        let mut s = Session::with_templates(case, TemplateSet::bundled());
        let full = s.template.name.clone();
        assert!(!s.template.is_stub(), "{full}");
        let edit = Edit::SetField {
            key: "template".into(),
            value: "stub".into(),
        };
        assert_eq!(s.apply(&edit, "Template", None), Ok(true));
        assert!(s.template.is_stub(), "{}", s.template.name);
        assert!(s.checks_pending());
        assert!(s.undo().is_some());
        assert_eq!(s.template.name, full);
        assert!(s.redo().is_some());
        assert!(s.template.is_stub());

        let case = Case::from_text(std::path::Path::new("/nonexistent/usa-x"), text);
        let template = TemplateSet::bundled().for_document(case.doc()).clone();
        let mut fixed = Session::new(case, template);
        assert_eq!(fixed.apply(&edit, "Template", None), Ok(true));
        assert_eq!(fixed.template.name, full, "no set: the template stays");
    }

    /// Fixes go through the session as one undo step: undo puts back every byte of both
    /// files, redo makes the same fixes again.
    #[test]
    fn fixes_are_one_undo_step() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let clockwise = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[114.2, 22.3], [114.2, 22.31], [114.21, 22.31], [114.21, 22.3], [114.2, 22.3]]]}}]}\n";
        std::fs::write(tmp.path().join("b.geojson"), clockwise)?;
        let index = "---\r\ntitle: Kowloon East # the district\r\ncountry_code: HK\r\nstatus: complete\r\ngeography: ./b.geojson\r\n---\r\n## Overview\r\n\r\nText.\r\n";
        std::fs::write(tmp.path().join("index.md"), index)?;
        let mut s = Session::with_templates(Case::open(tmp.path())?, TemplateSet::bundled());
        let geo_before = s.case.geometry().ok_or("geometry")?.to_file_text();
        let applied = s.fix_where("Fix all", |_| true);
        let codes: Vec<&str> = applied.iter().map(|a| a.code).collect();
        for code in ["CB004", "CB005", "CB018"] {
            assert!(codes.contains(&code), "{code} not in {codes:?}");
        }
        let text = String::from_utf8(s.case.index_bytes())?;
        assert!(
            text.contains("country_code: HKG\r\nstatus: Complete\r\n"),
            "{text:?}"
        );
        assert_ne!(
            s.case.geometry().ok_or("geometry")?.to_file_text(),
            geo_before
        );
        assert!(s.is_dirty());
        assert_eq!(s.history.undo_len(), 1);
        assert!(s.fix_where("Fix all", |_| true).is_empty(), "nothing left");
        assert_eq!(s.history.undo_len(), 1, "no empty step");
        assert_eq!(s.undo().as_deref(), Some("Fix all"));
        assert_eq!(String::from_utf8(s.case.index_bytes())?, index);
        assert_eq!(
            s.case.geometry().ok_or("geometry")?.to_file_text(),
            geo_before
        );
        assert!(!s.is_dirty());
        assert!(s.redo().is_some());
        assert_eq!(String::from_utf8(s.case.index_bytes())?, text);
        Ok(())
    }
}
