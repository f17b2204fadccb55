//! Raw YAML values (values a widget cannot show, and the expert toggle of other keys), the
//! "Other keys" group and adding new keys. YAML is written when the author commits it and
//! only if it reads as YAML; until then the field says it is not written.

use casebook_core::checks::Target;
use casebook_core::fields::{self, Field};
use serde_yaml::{Mapping, Value};

use super::{Commit, Form, other, pending, under_row};
use crate::ui::Intent;
use crate::ui::widgets::field_row;

impl Form<'_> {
    /// A row editing the raw YAML after `key:` of a known field whose own widget cannot show
    /// the value; `note` says why.
    pub(super) fn raw_row(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        help: &str,
        key: &str,
        note: Option<String>,
    ) {
        let slot = format!("raw:{key}");
        let locked = self.locked(key).is_some();
        let (label_r, response) = field_row(ui, label, help, |ui| {
            let width = ui.available_width();
            ui.add_enabled_ui(!locked, |ui| self.raw_editor(ui, &slot, key, label, width))
                .inner
        });
        let response = response.labelled_by(label_r.id);
        self.maybe_focus(&[key], &response);
        self.removable_label(&label_r, key);
        let t = self.t;
        if let Some(n) = note {
            under_row(ui, |ui| {
                ui.label(egui::RichText::new(n).small().color(t.muted))
            });
        }
        self.commit_note(ui, &slot, true);
    }

    /// The multi-line YAML editor of `key` in draft `slot`: written when committed (leaving
    /// the field, Ctrl+Enter, Save) and only if it reads as YAML.
    pub(super) fn raw_editor(
        &mut self,
        ui: &mut egui::Ui,
        slot: &str,
        key: &str,
        label: &str,
        width: f32,
    ) -> egui::Response {
        let display = raw_display(&self.raw_of(key));
        let id = self.id(slot);
        let mut buffer = self.state.draft(slot, &display).buffer.clone();
        self.state.writes_on_commit(slot, key, label, Commit::Raw);
        let lines = buffer.lines().count().clamp(1, 8);
        let r = ui.add(
            egui::TextEdit::multiline(&mut buffer)
                .id(id)
                .font(egui::TextStyle::Monospace)
                .desired_rows(lines)
                .desired_width(width.max(120.0)),
        );
        if let Some(d) = self.state.drafts.get_mut(slot) {
            d.buffer = buffer;
        }
        self.commit_on_purpose(ui, slot, &r, true);
        r
    }

    /// Commits the draft of `slot` when the author means it: leaving the field, Enter in a
    /// one-line field (Ctrl+Enter in a multi-line one). Escape puts back what the file holds.
    pub(super) fn commit_on_purpose(
        &mut self,
        ui: &mut egui::Ui,
        slot: &str,
        response: &egui::Response,
        multiline: bool,
    ) {
        // Escape (which takes the focus away unless the app gives it back) drops the draft.
        if (response.has_focus() || response.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Escape))
        {
            self.state.forget(slot);
            return;
        }
        let ctrl_enter = multiline
            && response.has_focus()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        if (response.lost_focus() || ctrl_enter)
            && self.editable
            && let Some(Ok((edit, label))) = self.state.evaluate(slot)
        {
            self.state.mark_written(slot, &edit);
            let edit = pending::flow_centroid(edit, self.fm());
            self.out.push(Intent::edit(edit, label, None));
        }
    }

    /// Under a field that writes on commit: that its text is not written yet, and why.
    pub(super) fn commit_note(&mut self, ui: &mut egui::Ui, slot: &str, multiline: bool) {
        let t = self.t;
        match self.state.evaluate(slot) {
            None => {}
            Some(Ok(_)) => {
                let how = if multiline {
                    "Not written yet: Ctrl+Enter or leaving the field writes it (Esc puts back the file's value)."
                } else {
                    "Not written yet: Enter or leaving the field writes it (Esc puts back the file's value)."
                };
                under_row(ui, |ui| {
                    ui.label(egui::RichText::new(how).small().color(t.muted))
                });
            }
            Some(Err(why)) => {
                let kept = self
                    .state
                    .drafts
                    .get(slot)
                    .map(|d| pending::shorten(&d.synced))
                    .unwrap_or_default();
                let kept = if slot == pending::LAT || slot == pending::LON {
                    let lat = self
                        .state
                        .drafts
                        .get(pending::LAT)
                        .map(|d| d.synced.clone());
                    let lon = self
                        .state
                        .drafts
                        .get(pending::LON)
                        .map(|d| d.synced.clone());
                    match (lat, lon) {
                        (Some(a), Some(o)) if !a.is_empty() || !o.is_empty() => {
                            format!("[{a}, {o}]")
                        }
                        _ => "no value".to_string(),
                    }
                } else {
                    kept
                };
                under_row(ui, |ui| {
                    ui.label(
                        egui::RichText::new(format!(
                            "Not written: {why}. The file keeps {kept}; Esc puts it back."
                        ))
                        .small()
                        .color(t.error),
                    )
                });
            }
        }
    }

    /// Keys Casebook has no widget for, each with an editor for its kind of value (or as
    /// YAML), and a row to add a key.
    pub(super) fn other_keys(&mut self, ui: &mut egui::Ui) {
        let fm = self.fm();
        let alt = fields::alt_key(fm);
        let keys: Vec<String> = fm
            .map(|fm| fm.keys().into_iter().map(str::to_string).collect())
            .unwrap_or_default();
        let others: Vec<String> = keys.into_iter().filter(|k| !has_widget(k, alt)).collect();
        let t = self.t;
        if others.is_empty() {
            ui.label(
                egui::RichText::new("No other keys. Keys Casebook has no field for are listed here and kept as written.")
                    .color(t.muted),
            );
        }
        for key in &others {
            self.other_row(ui, key);
            self.diagnostics(ui, &[key.as_str()], None);
        }
        self.add_key_row(ui);
        // Findings about keys that have no row (a duplicate, a key only checks know about).
        let left: Vec<_> = self
            .cx
            .diagnostics
            .iter()
            .filter(
                |d| matches!(&d.target, Target::Field { key } if !self.shown_keys.contains(key)),
            )
            .collect();
        for d in left {
            self.diagnostic(ui, d, None);
        }
    }

    /// Name + kind + value + "Add key".
    fn add_key_row(&mut self, ui: &mut egui::Ui) {
        ui.add_space(crate::ui::tokens::GAP_SMALL);
        let editable = self.editable;
        let mut name = std::mem::take(&mut self.state.new_key);
        let mut value = std::mem::take(&mut self.state.new_value);
        let mut kind = self.state.new_kind;
        let name_id = self.id("new-key-name");
        let value_id = self.id("new-key-value");
        let kind_salt = self.id("new-key-kind");
        let (_label, (name_r, kind_r, value_r, add)) = field_row(
            ui,
            "Add a key",
            "Adds a key Casebook has no field for: its name, what kind of value it holds, and the value.",
            |ui| {
                let n = ui.add(
                    egui::TextEdit::singleline(&mut name)
                        .id(name_id)
                        .hint_text("key")
                        .desired_width(130.0),
                );
                let k = egui::ComboBox::from_id_salt(kind_salt)
                    .selected_text(kind.label())
                    .width(96.0)
                    .show_ui(ui, |ui| {
                        for option in other::NewKind::ALL {
                            ui.selectable_value(&mut kind, option, option.label());
                        }
                    })
                    .response;
                let v = ui.add(
                    egui::TextEdit::singleline(&mut value)
                        .id(value_id)
                        .hint_text(kind.hint())
                        .font(egui::TextStyle::Monospace)
                        .desired_width(170.0),
                );
                let add = ui.add_enabled(
                    editable && !name.trim().is_empty(),
                    egui::Button::new("Add key"),
                );
                (n, k, v, add)
            },
        );
        let name_r = name_r.accessible_name("New key name");
        let _ = kind_r.accessible_name("New key type");
        let value_r = value_r.accessible_name("New key value");
        let entered = (name_r.lost_focus() || value_r.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if add.clicked() || (entered && !name.trim().is_empty()) {
            let key = name.trim().to_string();
            let exists = self.fm().is_some_and(|fm| fm.entry(&key).is_some());
            let result = if !valid_key(&key) {
                Err("Use letters, digits, _ and - for a key name.".to_string())
            } else if exists {
                Err(format!("{key} is already in the front matter."))
            } else {
                kind.edit(&key, &value)
            };
            match result {
                Ok(edit) => {
                    self.state.new_key_error = None;
                    if self.editable {
                        self.out
                            .push(Intent::edit(edit, format!("Add {key}"), None));
                    }
                    self.state.pending_focus = Some(key);
                    name.clear();
                    value.clear();
                }
                Err(e) => self.state.new_key_error = Some(e),
            }
        }
        self.state.new_key = name;
        self.state.new_value = value;
        self.state.new_kind = kind;
        if let Some(e) = &self.state.new_key_error {
            let t = self.t;
            under_row(ui, |ui| {
                ui.label(egui::RichText::new(e).small().color(t.error))
            });
        }
    }
}

/// Whether a key is shown by one of the known fields' widgets.
pub(super) fn has_widget(key: &str, alt_key: &str) -> bool {
    if key == fields::LEGACY_ALT_KEY {
        return alt_key == fields::LEGACY_ALT_KEY;
    }
    Field::ALL.iter().any(|f| f.key() == key)
}

/// A key name the form accepts for a new key.
pub(super) fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with('-')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The raw value as shown: `\n` line breaks, without the break that starts a block value.
pub(super) fn raw_display(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let raw = raw.strip_prefix('\n').unwrap_or(&raw);
    raw.trim_end_matches('\n').to_string()
}

/// What to write after `key:` for what the author typed: a block value (a list, indented
/// lines) starts on the next line.
pub(super) fn raw_to_write(buffer: &str) -> String {
    let text = buffer.replace("\r\n", "\n");
    let text = text.trim_end_matches('\n');
    let first = text.lines().next().unwrap_or("");
    let block = text.contains('\n')
        && (first.starts_with([' ', '\t']) || first.starts_with("- ") || first == "-");
    if block {
        format!("\n{text}")
    } else {
        text.to_string()
    }
}

/// Whether `key:` followed by `raw` reads as YAML defining only `key` (as the core checks).
pub(super) fn check_raw(key: &str, raw: &str) -> Result<(), String> {
    let body = raw.trim_end_matches('\n');
    let mut text = casebook_core::yaml_write::render_key(key);
    text.push(':');
    if !body.is_empty() && !body.starts_with('\n') {
        text.push(' ');
    }
    text.push_str(body);
    text.push('\n');
    match serde_yaml::from_str::<Mapping>(&text) {
        Ok(map) if map.len() == 1 && map.contains_key(Value::String(key.to_string())) => Ok(()),
        Ok(_) => Err(format!(
            "the text must define only {key} (indent the lines under it)"
        )),
        Err(e) => Err(yaml_message(&e.to_string())),
    }
}

/// serde_yaml's message without its position in our one-key snippet.
fn yaml_message(m: &str) -> String {
    match m.find(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

#[cfg(test)]
mod raw_tests {
    use super::*;

    #[test]
    fn block_values_start_on_the_next_line() {
        assert_eq!(raw_to_write("- a\n- b"), "\n- a\n- b");
        assert_eq!(raw_to_write("Canada"), "Canada");
        assert_eq!(raw_display("\n  - a\n  - b\n"), "  - a\n  - b");
        assert_eq!(check_raw("tags", &raw_to_write("- a\n- b")), Ok(()));
        assert!(check_raw("country", "Australia: x").is_err());
        assert!(check_raw("country", "[a, b").is_err());
        assert_eq!(check_raw("country", "Australia # note"), Ok(()));
    }

    #[test]
    fn key_names() {
        assert!(valid_key("country"));
        assert!(valid_key("my-key_2"));
        assert!(!valid_key("a b"));
        assert!(!valid_key("-x"));
        assert!(has_widget("title", "featured_alt"));
        assert!(!has_widget("country", "featured_alt"));
        assert!(!has_widget("featured_desc", "featured_alt"));
        assert!(has_widget("featured_desc", "featured_desc"));
    }
}
