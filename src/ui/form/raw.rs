//! Raw YAML values: keys without a widget of their own, values a widget cannot show, and
//! adding new keys. Text is checked live and only written once it reads as YAML.

use casebook_core::checks::Target;
use casebook_core::edit::Edit;
use casebook_core::fields::{self, Field};
use serde_yaml::{Mapping, Value};

use super::{Form, under_row};
use crate::ui::Intent;
use crate::ui::widgets::field_row;

impl Form<'_> {
    /// A row editing the raw YAML after `key:`. `note` says why the field's own widget is not
    /// used; `removable` adds a visible remove button (keys without a widget).
    pub(super) fn raw_row(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        help: &str,
        key: &str,
        note: Option<String>,
        removable: bool,
    ) {
        let slot = format!("raw:{key}");
        let display = raw_display(&self.raw_of(key));
        let id = self.id(&slot);
        let mut buffer = self.state.draft(&slot, &display).buffer.clone();
        let synced = display.clone();
        let editable = self.editable;
        let (label_r, (response, remove)) = field_row(ui, label, help, |ui| {
            let lines = buffer.lines().count().clamp(1, 8);
            let width = if removable {
                ui.available_width() - 36.0
            } else {
                ui.available_width()
            };
            let r = ui.add(
                egui::TextEdit::multiline(&mut buffer)
                    .id(id)
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(lines)
                    .desired_width(width.max(120.0)),
            );
            let remove = removable
                && editable
                && ui
                    .button("×")
                    .accessible_name(format!("Remove {key}"))
                    .on_hover_text(format!("Remove {key} from the front matter"))
                    .clicked();
            (r, remove)
        });
        let response = response.labelled_by(label_r.id);
        self.maybe_focus(&[key], &response);
        if !removable {
            self.removable_label(&label_r, key);
        }
        if let Some(d) = self.state.drafts.get_mut(&slot) {
            d.buffer = buffer.clone();
        }
        let t = self.t;
        if let Some(n) = note {
            under_row(ui, |ui| {
                ui.label(egui::RichText::new(n).small().color(t.muted))
            });
        }
        if buffer != synced {
            let raw = raw_to_write(&buffer);
            match check_raw(key, &raw) {
                Ok(()) => {
                    if response.changed() && self.editable {
                        self.state.synced_to(&slot, raw_display(&raw));
                        self.out.push(Intent::edit(
                            Edit::SetRawField {
                                key: key.to_string(),
                                raw,
                            },
                            format!("Edit {key}"),
                            Some(format!("raw:{key}")),
                        ));
                    }
                }
                Err(e) => {
                    under_row(ui, |ui| {
                        ui.label(
                            egui::RichText::new(format!("Not written yet: {e}"))
                                .small()
                                .color(t.error),
                        )
                    });
                }
            }
        }
        if remove {
            self.remove(key);
        }
    }

    /// Keys Casebook has no widget for, editable as raw YAML, and a row to add a key.
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
            self.raw_row(
                ui,
                key,
                "Casebook has no field for this key. Its YAML value is shown as written; a change is saved once it reads as YAML.",
                key,
                None,
                true,
            );
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

    /// Name + value + "Add key".
    fn add_key_row(&mut self, ui: &mut egui::Ui) {
        ui.add_space(crate::ui::tokens::GAP_SMALL);
        let editable = self.editable;
        let mut name = std::mem::take(&mut self.state.new_key);
        let mut value = std::mem::take(&mut self.state.new_value);
        let name_id = self.id("new-key-name");
        let value_id = self.id("new-key-value");
        let (label, (name_r, value_r, add)) = field_row(
            ui,
            "Add a key",
            "Adds a key Casebook has no field for. The value is YAML: text, a number, [a, b] …",
            |ui| {
                let n = ui.add(
                    egui::TextEdit::singleline(&mut name)
                        .id(name_id)
                        .hint_text("key")
                        .desired_width(160.0),
                );
                let v = ui.add(
                    egui::TextEdit::singleline(&mut value)
                        .id(value_id)
                        .hint_text("value")
                        .font(egui::TextStyle::Monospace)
                        .desired_width(220.0),
                );
                let add = ui.add_enabled(
                    editable && !name.trim().is_empty(),
                    egui::Button::new("Add key"),
                );
                (n, v, add)
            },
        );
        let _ = label;
        let name_r = name_r.accessible_name("New key name");
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
                let raw = raw_to_write(&value);
                check_raw(&key, &raw).map(|()| raw)
            };
            match result {
                Ok(raw) => {
                    self.state.new_key_error = None;
                    if self.editable {
                        self.out.push(Intent::edit(
                            Edit::SetRawField {
                                key: key.clone(),
                                raw,
                            },
                            format!("Add {key}"),
                            None,
                        ));
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
        if let Some(e) = &self.state.new_key_error {
            let t = self.t;
            under_row(ui, |ui| {
                ui.label(egui::RichText::new(e).small().color(t.error))
            });
        }
    }
}

/// Whether a key is shown by one of the known fields' widgets.
fn has_widget(key: &str, alt_key: &str) -> bool {
    if key == fields::LEGACY_ALT_KEY {
        return alt_key == fields::LEGACY_ALT_KEY;
    }
    Field::ALL.iter().any(|f| f.key() == key)
}

/// A key name the form accepts for a new key.
fn valid_key(key: &str) -> bool {
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
