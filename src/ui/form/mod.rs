//! The Details view: a form over the front matter, one widget per known field.
//!
//! The form never writes text itself: every change is returned as an [`Intent::Edit`] (typing
//! carries a merge key so one burst of typing is one undo step). Text fields edit a draft kept
//! in [`FormState`]; the draft is replaced from the document only when the document's value
//! changes from elsewhere (undo, redo, reload), so what the author is typing is never lost.
//! Values the widgets cannot show (a list where text belongs, lines serde_yaml cannot read)
//! fall back to a raw YAML editor, so nothing is hidden or thrown away.
//!
//! Fields write only what they show. Text fields write as the author types (any text is a
//! valid value, quoted as needed). Fields whose text may not parse (numbers, years, the
//! centroid, raw YAML) write when the author commits: Enter, leaving the field, or Save; text
//! that does not parse is never written, the field says so and what the file keeps, and Save,
//! switching case and quitting ask what to do with it ([`FormState::unwritten`]).

use std::collections::{HashMap, HashSet};

use casebook_core::checks::fixes::{self, year_as_number};
use casebook_core::checks::{Diagnostic, Target};
use casebook_core::edit::Edit;
use casebook_core::fields::{self, Field};
use casebook_core::front_matter::{FrontMatter, Readability};
use serde_yaml::Value;

use super::tokens::{self, Tokens};
use super::{Focus, Intent, ViewCtx};

mod crop;
mod image;
mod other;
mod pending;
mod raw;
pub(crate) mod resize;
mod rows;
mod tags;

pub use pending::Unwritten;
#[cfg(test)]
mod tests;

/// Widget state of the form view.
#[derive(Default)]
pub struct FormState {
    /// Draft text of the text fields, by slot (a key, `centroid.lat`, `raw:<key>` …).
    drafts: HashMap<String, Draft>,
    /// What is typed in the country picker's search box.
    country_query: String,
    /// The "Add a key" row: name, kind and value.
    new_key: String,
    new_value: String,
    new_kind: other::NewKind,
    /// Why the last "Add key" was refused (shown under the row).
    new_key_error: Option<String>,
    /// The featured image: file facts and thumbnail, cached per path and modification time.
    image: image::ImageCache,
    /// A key to focus on the next frame (a key just added).
    pending_focus: Option<String>,
    /// Keys of other keys edited as raw YAML by choice (the expert toggle).
    raw_keys: HashSet<String>,
    /// The item being typed under a list, by key.
    new_items: HashMap<String, String>,
    /// The featured image's resize or crop, while it runs.
    resize: Option<resize::ImageJob>,
    /// Whether that job is a crop (its progress shows in the crop window).
    resize_is_crop: bool,
    /// The last image fix's message, with "Move the original to the trash".
    image_done: Option<resize::ImageDone>,
    /// The crop window, while open.
    crop: Option<crop::CropState>,
    /// Misspelled words of the prose fields (underlined), by key.
    spell: HashMap<String, crate::ui::spelling::Marks>,
}

/// A text field's draft: what the author sees, and the document value it was last synced to.
#[derive(Debug, Clone, Default)]
struct Draft {
    buffer: String,
    synced: String,
    /// How a field that writes on commit writes its draft (`None`: it writes as typed).
    pending: Option<Pending>,
}

/// How a committed draft is written.
#[derive(Debug, Clone, PartialEq)]
struct Pending {
    /// The front-matter key.
    key: String,
    /// The field's label.
    label: String,
    /// What the text is.
    commit: Commit,
}

/// The kinds of text that are written on commit because they may not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Commit {
    /// YAML after `key:`.
    Raw,
    /// A number.
    Number,
    /// The latitude or longitude of the centroid (written together).
    Centroid,
}

impl FormState {
    /// The draft for `slot`, replaced by `doc_text` when the document changed from elsewhere.
    fn draft(&mut self, slot: &str, doc_text: &str) -> &mut Draft {
        let d = self
            .drafts
            .entry(slot.to_string())
            .or_insert_with(|| Draft {
                buffer: doc_text.to_string(),
                synced: doc_text.to_string(),
                pending: None,
            });
        if d.synced != doc_text {
            d.buffer = doc_text.to_string();
            d.synced = doc_text.to_string();
        }
        d
    }

    /// Records that the document will hold `expected` for `slot` once the emitted edit is
    /// applied (so the next frame does not mistake it for a change from elsewhere).
    fn synced_to(&mut self, slot: &str, expected: String) {
        if let Some(d) = self.drafts.get_mut(slot) {
            d.synced = expected;
        }
    }

    /// Marks `slot` as a field that writes on commit, and how.
    fn writes_on_commit(&mut self, slot: &str, key: &str, label: &str, commit: Commit) {
        if let Some(d) = self.drafts.get_mut(slot) {
            d.pending = Some(Pending {
                key: key.to_string(),
                label: label.to_string(),
                commit,
            });
        }
    }
}

impl FormState {
    /// The words underlined in the field of `key` (as last checked).
    pub fn flagged(&self, key: &str) -> Vec<String> {
        self.spell
            .get(key)
            .map(|m| m.list().iter().map(|m| m.word.clone()).collect())
            .unwrap_or_default()
    }

    /// Where the underline of `word` in the field of `key` was painted last frame (screen).
    pub fn underline(&self, key: &str, word: &str) -> Option<egui::Rect> {
        self.spell
            .get(key)?
            .painted()
            .iter()
            .find(|(_, w)| w == word)
            .map(|(r, _)| *r)
    }
}

/// Draws the form view.
pub fn form_ui(ui: &mut egui::Ui, state: &mut FormState, cx: &ViewCtx<'_>) -> Vec<Intent> {
    let t = Tokens::of(ui);
    let focus_key = match cx.focus {
        Some(Focus::Field(k)) => Some(k.clone()),
        _ => state.pending_focus.take(),
    };
    let base_id = ui.make_persistent_id("casebook-form");
    let checker = match crate::ui::spelling::Spelling::shared(ui.ctx()).lock() {
        Ok(mut s) => {
            s.update(ui.ctx(), cx.case, cx.revision);
            s.checker()
        }
        Err(_) => None,
    };
    let mut form = Form {
        checker,
        cx,
        state,
        out: Vec::new(),
        t,
        editable: true,
        focus_key,
        shown_keys: HashSet::new(),
        base_id,
    };
    egui::ScrollArea::vertical()
        .id_salt("casebook-form-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let avail = ui.available_width();
            let width = avail.min(tokens::TEXT_COLUMN_MAX);
            let pad = ((avail - width) / 2.0).max(0.0);
            ui.horizontal_top(|ui| {
                ui.add_space(pad);
                ui.vertical(|ui| {
                    ui.set_width(width);
                    ui.add_space(tokens::GAP_SMALL);
                    form.body(ui);
                    ui.add_space(tokens::GAP * 2.0);
                });
            });
        });
    form.out
}

/// How a key's value can be shown.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    /// As text (absent and empty values are empty text).
    Text(String),
    /// Only as raw YAML, and why.
    Raw {
        /// Why the field's own widget cannot show it.
        why: String,
    },
}

/// One frame of the form: what it reads and what it has collected.
struct Form<'a> {
    cx: &'a ViewCtx<'a>,
    state: &'a mut FormState,
    out: Vec<Intent>,
    t: Tokens,
    /// False when the front matter cannot be changed (unclosed or refused block).
    editable: bool,
    /// The key to scroll to and focus this frame.
    focus_key: Option<String>,
    /// Keys whose diagnostics were shown next to a widget.
    shown_keys: HashSet<String>,
    /// A stable id to derive widget ids from.
    base_id: egui::Id,
    /// What spelling is checked with (once the word lists are loaded).
    checker: Option<crate::ui::spelling::Checker>,
}

impl<'a> Form<'a> {
    fn fm(&self) -> Option<&'a FrontMatter> {
        self.cx.case.doc().front_matter()
    }

    fn text(&self) -> &'a str {
        self.cx.case.doc().text()
    }

    /// The key a field is written to in this document.
    fn key(&self, field: Field) -> &'static str {
        fields::key_in(field, self.fm())
    }

    /// The value of `key` as read.
    fn value(&self, key: &str) -> Option<&'a Value> {
        self.fm().and_then(|fm| fm.value(key))
    }

    /// The raw text after `key:` (empty when absent).
    fn raw_of(&self, key: &str) -> String {
        self.fm()
            .and_then(|fm| fm.entry(key))
            .map(|e| e.raw_value(self.text()).to_string())
            .unwrap_or_default()
    }

    /// How `key` can be shown by a text-like widget.
    fn shown(&self, key: &str) -> Shown {
        let Some(entry) = self.fm().and_then(|fm| fm.entry(key)) else {
            return Shown::Text(String::new());
        };
        // A key other keys refer to through its anchor: shown as written, read-only.
        if let Some(why) = self.locked(key) {
            return Shown::Raw {
                why: format!("Read-only here: {why}"),
            };
        }
        match &entry.value {
            None => Shown::Raw {
                why: format!(
                    "Line {} cannot be read as YAML; edit it as written.",
                    entry.line
                ),
            },
            Some(Value::Null) => Shown::Text(String::new()),
            Some(v) => match fields::as_text(v) {
                Some(s) => Shown::Text(s),
                None => Shown::Raw {
                    why: format!(
                        "This is {}, not text; edit it as written.",
                        casebook_core::yaml_write::describe(v)
                    ),
                },
            },
        }
    }

    /// Why `key` cannot be changed from the form (its anchor is used by other keys), if so.
    fn locked(&self, key: &str) -> Option<String> {
        self.fm().and_then(|fm| fm.locked_reason(key))
    }

    /// Whether `keys` holds the key to focus this frame.
    fn wants_focus(&self, keys: &[&str]) -> bool {
        self.focus_key.as_deref().is_some_and(|k| keys.contains(&k))
    }

    /// A stable widget id for `slot`.
    fn id(&self, slot: &str) -> egui::Id {
        self.base_id.with(slot)
    }

    /// Emits `key: value`.
    /// The field's value as text for its own widget; when only raw YAML can show it, draws
    /// the raw row (under `label`) with the field's findings instead and gives `None`.
    fn text_or_raw_row(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        key: &str,
        label: &str,
    ) -> Option<String> {
        match self.shown(key) {
            Shown::Text(s) => Some(s),
            Shown::Raw { why } => {
                self.raw_row(ui, label, field.help(), key, Some(why));
                self.diagnostics(ui, &[key], Some(field));
                None
            }
        }
    }

    /// Writes the value picked from a list when it differs from `current`, then shows the
    /// field's findings.
    fn write_picked(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        key: &str,
        current: &str,
        picked: Option<String>,
    ) {
        if let Some(v) = picked
            && v != current
        {
            self.set(key, Value::String(v), field.label(), false);
        }
        self.diagnostics(ui, &[key], Some(field));
    }

    fn set(&mut self, key: &str, value: Value, label: &str, merge: bool) {
        if !self.editable {
            return;
        }
        let merge = merge.then(|| format!("field:{key}"));
        self.out.push(Intent::edit(
            Edit::SetField {
                key: key.to_string(),
                value,
            },
            label,
            merge,
        ));
    }

    /// Emits the removal of `key`.
    fn remove(&mut self, key: &str) {
        if !self.editable {
            return;
        }
        self.out.push(Intent::edit(
            Edit::RemoveField {
                key: key.to_string(),
            },
            format!("Remove {key}"),
            None,
        ));
    }

    /// The whole form.
    fn body(&mut self, ui: &mut egui::Ui) {
        self.banner(ui);
        if !self.editable {
            // Nothing was read from the block, so there are no values to show.
            let t = self.t;
            ui.label(
                egui::RichText::new("The fields appear here once the front matter can be read.")
                    .color(t.muted),
            );
            return;
        }
        ui.add_enabled_ui(self.editable, |ui| {
            self.group(ui, "Basics", |f, ui| {
                f.text_row(ui, Field::Title, rows::TextKind::Line);
                f.text_row(ui, Field::Description, rows::TextKind::Description);
                let statuses = f.cx.template.allowed.statuses.clone();
                f.choice_row(ui, Field::Status, &statuses);
                let types = f.cx.template.allowed.types.clone();
                f.choice_row(ui, Field::Type, &types);
                f.text_row(ui, Field::Author, rows::TextKind::Line);
                let templates = f.cx.template.allowed.templates.clone();
                f.choice_row(ui, Field::Template, &templates);
            });
            self.group(ui, "Place", |f, ui| {
                f.country_row(ui);
                f.text_row(ui, Field::City, rows::TextKind::Line);
                f.centroid_rows(ui);
            });
            self.group(ui, "Time", |f, ui| {
                f.year_row(ui, Field::YearStart);
                f.year_row(ui, Field::YearCompleted);
            });
            self.group(ui, "Featured image", |f, ui| f.image_group(ui));
            self.group(ui, "Tags", |f, ui| f.tags_group(ui));
            self.group(ui, "Boundary map", |f, ui| {
                f.text_row(ui, Field::Geography, rows::TextKind::Line);
                f.text_row(ui, Field::GeographyCaption, rows::TextKind::Paragraph);
            });
            self.group(ui, "Other keys", |f, ui| f.other_keys(ui));
        });
    }

    /// A group with a heading.
    fn group(
        &mut self,
        ui: &mut egui::Ui,
        heading: &str,
        add: impl FnOnce(&mut Self, &mut egui::Ui),
    ) {
        ui.add_space(tokens::GAP);
        ui.heading(heading);
        ui.add_space(tokens::GAP_SMALL);
        add(self, ui);
    }

    /// What is wrong with the front matter as a whole, and whether the form may edit it.
    fn banner(&mut self, ui: &mut egui::Ui) {
        let doc = self.cx.case.doc();
        let t = self.t;
        if let Some(d) = doc.decode_problem() {
            banner_frame(ui, t.warning, |ui| {
                ui.label(format!(
                    "index.md is not valid UTF-8 from line {}, column {}: {} character(s) were replaced with �. Saving writes the replacements.",
                    d.line, d.column, d.count
                ));
            });
        }
        match doc.front_state() {
            casebook_core::document::FrontState::Missing => {
                banner_frame(ui, t.info, |ui| {
                    ui.label(
                        "This file has no front matter yet (the fields between `---` lines at the top). Filling in a field below adds it.",
                    );
                });
            }
            casebook_core::document::FrontState::Unclosed { line } => {
                self.editable = false;
                let line = *line;
                banner_frame(ui, t.error, |ui| {
                    ui.label(format!(
                        "The front matter opened by `---` on line {line} is never closed, so its fields cannot be read or edited here."
                    ));
                    ui.label("Add a `---` line after the last field (in a text editor), then reopen the case.");
                });
            }
            casebook_core::document::FrontState::Present(fm) => {
                if fm.problems.is_empty() {
                    return;
                }
                let (color, lead) = match fm.readability {
                    Readability::Parsed => (t.warning, "The front matter has problems:".to_string()),
                    Readability::Partial => (
                        t.error,
                        "The front matter could not be read as a whole. The fields on other lines are shown below and can be edited:"
                            .to_string(),
                    ),
                    Readability::Refused => {
                        self.editable = false;
                        (
                            t.error,
                            "The front matter was not read, so its fields cannot be edited here:".to_string(),
                        )
                    }
                };
                banner_frame(ui, color, |ui| {
                    ui.label(lead);
                    for p in &fm.problems {
                        ui.label(format!("Line {}: {}", p.line, p.message));
                    }
                });
            }
        }
    }

    /// The diagnostics about `keys`, under the row, with a one-click fix when there is one.
    fn diagnostics(&mut self, ui: &mut egui::Ui, keys: &[&str], field: Option<Field>) {
        let found: Vec<&Diagnostic> = self
            .cx
            .diagnostics
            .iter()
            .filter(|d| matches!(&d.target, Target::Field { key } if keys.contains(&key.as_str())))
            .collect();
        for k in keys {
            self.shown_keys.insert((*k).to_string());
        }
        for d in found {
            self.diagnostic(ui, d, field);
        }
    }

    fn diagnostic(&mut self, ui: &mut egui::Ui, d: &Diagnostic, field: Option<Field>) {
        let t = self.t;
        let key = match &d.target {
            Target::Field { key } => key.clone(),
            _ => return,
        };
        let color = t.severity(d.severity);
        let label = match field {
            Some(f) => f.label().to_string(),
            None => key.clone(),
        };
        let fix = d.suggestion.as_deref().and_then(|s| {
            // The same value `casebook fix` sets (the core decides what a fix is).
            let field = field.or_else(|| Field::from_key(&key));
            fixes::suggestion_value(field, self.value(&key), s).map(|v| (s.to_string(), v))
        });
        let mut clicked = None;
        under_row(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let hover = match d.line {
                    Some(l) => format!("{} (line {l})", d.code),
                    None => d.code.to_string(),
                };
                super::widgets::small_message_label(ui, &d.message, color).on_hover_text(hover);
                if let Some(f) = &d.fix {
                    super::widgets::small_message_label(ui, f, t.muted);
                }
                if let Some((s, v)) = &fix
                    && ui
                        .small_button(format!("Use {s}"))
                        .on_hover_text(format!("Set {label} to {s}"))
                        .clicked()
                {
                    clicked = Some((s.clone(), v.clone()));
                }
            });
        });
        if let Some((s, v)) = clicked {
            self.set(&key, v, &format!("{label}: use {s}"), false);
        }
    }
}

/// Adds a line under a field row, indented to the control column.
fn under_row<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.horizontal(|ui| {
        ui.add_space(tokens::LABEL_WIDTH + ui.spacing().item_spacing.x);
        ui.vertical(add).inner
    })
    .inner
}

/// A framed message across the column.
fn banner_frame(ui: &mut egui::Ui, color: egui::Color32, add: impl FnOnce(&mut egui::Ui)) {
    let t = Tokens::of(ui);
    egui::Frame::new()
        .fill(t.guidance_bg)
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(tokens::BADGE_RADIUS)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.style_mut().visuals.override_text_color = Some(color);
            add(ui);
        });
    ui.add_space(tokens::GAP_SMALL);
}
