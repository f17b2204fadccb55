//! Keys Casebook has no field for: an editor for the kind of value each holds (text, number,
//! true/false, a list of items), raw YAML as an expert toggle and for anything else
//! (mappings, nested lists, lines that cannot be read).

use casebook_core::edit::Edit;
use casebook_core::fields;
use serde_yaml::Value;

use super::pending::parse_number;
use super::raw::{check_raw, raw_to_write};
use super::{Commit, Form, under_row};
use crate::ui::Intent;
use crate::ui::widgets::field_row;

/// The hover help of an other key's row.
const HELP: &str = "Casebook has no field for this key; it is kept as written. Its editor follows the kind of value it holds; YAML shows it as written in the file.";

/// What editor an other key's value gets.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Text (absent and empty values too); written as typed, quoted as needed.
    Text(String),
    /// A number; written when committed, and only if it is a number.
    Number(String),
    /// true or false.
    Bool(bool),
    /// A list of plain items.
    List(Vec<Value>),
    /// YAML as written: by choice, or for values the editors above cannot show.
    Raw(Option<String>),
}

/// The editor for a value (`None`: the lines cannot be read).
fn kind_of(value: Option<&Value>, readable: bool) -> Kind {
    if !readable {
        return Kind::Raw(Some(
            "These lines cannot be read as YAML; edit them as written.".to_string(),
        ));
    }
    match value {
        None | Some(Value::Null) => Kind::Text(String::new()),
        Some(Value::String(s)) => Kind::Text(s.clone()),
        Some(Value::Number(n)) => Kind::Number(n.to_string()),
        Some(Value::Bool(b)) => Kind::Bool(*b),
        Some(Value::Sequence(items))
            if items
                .iter()
                .all(|i| matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_))) =>
        {
            Kind::List(items.clone())
        }
        Some(v) => Kind::Raw(Some(format!(
            "This is {}; edit it as YAML.",
            casebook_core::yaml_write::describe(v)
        ))),
    }
}

/// The kind of value of a key being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NewKind {
    /// Text.
    #[default]
    Text,
    /// A number.
    Number,
    /// true or false.
    TrueFalse,
    /// Items separated by commas.
    List,
    /// YAML as written.
    Yaml,
}

impl NewKind {
    /// Every kind, in menu order.
    pub const ALL: [NewKind; 5] = [
        NewKind::Text,
        NewKind::Number,
        NewKind::TrueFalse,
        NewKind::List,
        NewKind::Yaml,
    ];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            NewKind::Text => "Text",
            NewKind::Number => "Number",
            NewKind::TrueFalse => "True/false",
            NewKind::List => "List",
            NewKind::Yaml => "YAML",
        }
    }

    /// The value field's hint.
    pub fn hint(self) -> &'static str {
        match self {
            NewKind::Text => "value",
            NewKind::Number => "12.5",
            NewKind::TrueFalse => "true or false",
            NewKind::List => "a, b, c",
            NewKind::Yaml => "YAML: {a: 1}",
        }
    }

    /// The edit that adds `key` with `value` typed as this kind, or why it cannot.
    pub fn edit(self, key: &str, value: &str) -> Result<Edit, String> {
        let set = |value: Value| Edit::SetField {
            key: key.to_string(),
            value,
        };
        match self {
            NewKind::Text if value.is_empty() => Ok(set(Value::Null)),
            NewKind::Text => Ok(set(Value::String(value.to_string()))),
            NewKind::Number => parse_number(value).map(set),
            NewKind::TrueFalse => match value.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(set(Value::Bool(true))),
                "false" => Ok(set(Value::Bool(false))),
                _ => Err("Type true or false.".to_string()),
            },
            NewKind::List => Ok(set(Value::Sequence(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ))),
            NewKind::Yaml => {
                let raw = raw_to_write(value);
                check_raw(key, &raw).map(|()| Edit::SetRawField {
                    key: key.to_string(),
                    raw,
                })
            }
        }
    }
}

/// A list item as typed, keeping the item's kind when the text still reads as it.
fn item_value(old: Option<&Value>, text: &str) -> Value {
    match old {
        Some(Value::Number(_)) => {
            parse_number(text).unwrap_or_else(|_| Value::String(text.to_string()))
        }
        Some(Value::Bool(_)) if matches!(text, "true" | "false") => Value::Bool(text == "true"),
        _ => Value::String(text.to_string()),
    }
}

impl Form<'_> {
    /// One other key: its editor, the YAML toggle and the remove button.
    pub(super) fn other_row(&mut self, ui: &mut egui::Ui, key: &str) {
        let entry = self.fm().and_then(|fm| fm.entry(key));
        let readable = entry.is_some_and(|e| e.value.is_some());
        let value = entry.and_then(|e| e.value.as_ref());
        let natural = kind_of(value, readable);
        let as_yaml = self.state.raw_keys.contains(key);
        let kind = if as_yaml && !matches!(natural, Kind::Raw(_)) {
            Kind::Raw(None)
        } else {
            natural.clone()
        };
        let editable = self.editable;
        let mut toggle = false;
        let mut remove = false;
        let slot_text = format!("other:{key}");
        let slot_raw = format!("raw:{key}");
        let (label_r, responses) = field_row(ui, key, HELP, |ui| {
            ui.vertical(|ui| {
                let width = (ui.available_width() - 110.0).max(120.0);
                ui.horizontal(|ui| {
                    let r = match &kind {
                        Kind::Text(text) => self.other_text(ui, key, text, width),
                        Kind::Number(text) => self.other_number(ui, key, text, width),
                        Kind::Bool(b) => self.other_bool(ui, key, *b),
                        Kind::Raw(_) => self.raw_editor(ui, &slot_raw, key, key, width),
                        Kind::List(items) => {
                            let first = self.other_list(ui, key, items, width);
                            first.unwrap_or_else(|| ui.label(""))
                        }
                    };
                    if !matches!(natural, Kind::Raw(_)) {
                        toggle = ui
                            .selectable_label(as_yaml, "YAML")
                            .accessible_name(format!("Edit {key} as YAML"))
                            .on_hover_text(
                                "Show and edit the value as YAML, as written in the file",
                            )
                            .clicked();
                    }
                    remove = editable
                        && ui
                            .button("×")
                            .accessible_name(format!("Remove {key}"))
                            .on_hover_text(format!("Remove {key} from the front matter"))
                            .clicked();
                    r
                })
                .inner
            })
            .inner
        });
        let response = responses.labelled_by(label_r.id);
        self.maybe_focus(&[key], &response);
        let t = self.t;
        match &kind {
            Kind::Raw(Some(why)) => {
                under_row(ui, |ui| {
                    ui.label(egui::RichText::new(why).small().color(t.muted))
                });
                self.commit_note(ui, &slot_raw, true);
            }
            Kind::Raw(None) => self.commit_note(ui, &slot_raw, true),
            Kind::Number(_) => self.commit_note(ui, &slot_text, false),
            Kind::List(items) => self.list_items(ui, key, items),
            _ => {}
        }
        if toggle {
            if as_yaml {
                self.state.raw_keys.remove(key);
            } else {
                self.state.raw_keys.insert(key.to_string());
            }
        }
        if remove {
            self.remove(key);
        }
    }

    /// Text: written as typed.
    fn other_text(
        &mut self,
        ui: &mut egui::Ui,
        key: &str,
        text: &str,
        width: f32,
    ) -> egui::Response {
        let slot = format!("other:{key}");
        let id = self.id(&slot);
        let mut buffer = self.state.draft(&slot, text).buffer.clone();
        let multiline = buffer.contains('\n');
        let edit = if multiline {
            egui::TextEdit::multiline(&mut buffer).desired_rows(3)
        } else {
            egui::TextEdit::singleline(&mut buffer)
        };
        let r = ui.add(edit.id(id).desired_width(width));
        if let Some(d) = self.state.drafts.get_mut(&slot) {
            d.buffer.clone_from(&buffer);
        }
        if r.changed() && self.editable {
            let value = if buffer.is_empty() {
                Value::Null
            } else {
                Value::String(buffer.clone())
            };
            self.state.synced_to(&slot, buffer);
            self.set(key, value, key, true);
        }
        r
    }

    /// A number: written when committed, and only if it is one.
    fn other_number(
        &mut self,
        ui: &mut egui::Ui,
        key: &str,
        text: &str,
        width: f32,
    ) -> egui::Response {
        let slot = format!("other:{key}");
        let id = self.id(&slot);
        let mut buffer = self.state.draft(&slot, text).buffer.clone();
        self.state.writes_on_commit(&slot, key, key, Commit::Number);
        let r = ui.add(
            egui::TextEdit::singleline(&mut buffer)
                .id(id)
                .desired_width(width.min(200.0)),
        );
        if let Some(d) = self.state.drafts.get_mut(&slot) {
            d.buffer = buffer;
        }
        self.commit_on_purpose(ui, &slot, &r, false);
        r
    }

    /// true or false: a checkbox.
    fn other_bool(&mut self, ui: &mut egui::Ui, key: &str, value: bool) -> egui::Response {
        let mut b = value;
        let r = ui.checkbox(&mut b, if value { "true" } else { "false" });
        if b != value {
            self.set(key, Value::Bool(b), key, false);
        }
        r
    }

    /// The first item of a list (in the row); the others follow under it. Returns the first
    /// item's field.
    fn other_list(
        &mut self,
        ui: &mut egui::Ui,
        key: &str,
        items: &[Value],
        width: f32,
    ) -> Option<egui::Response> {
        if items.is_empty() {
            return None;
        }
        Some(self.list_item(ui, key, items, 0, width))
    }

    /// Items after the first, and the field that adds one.
    fn list_items(&mut self, ui: &mut egui::Ui, key: &str, items: &[Value]) {
        for i in 1..items.len() {
            under_row(ui, |ui| {
                ui.horizontal(|ui| {
                    let width = (ui.available_width() - 110.0).max(120.0);
                    self.list_item(ui, key, items, i, width);
                })
            });
        }
        let mut new = self.state.new_items.remove(key).unwrap_or_default();
        let id = self.id(&format!("new-item:{key}"));
        let (field, add) = under_row(ui, |ui| {
            ui.horizontal(|ui| {
                let f = ui
                    .add(
                        egui::TextEdit::singleline(&mut new)
                            .id(id)
                            .hint_text("new item")
                            .desired_width(180.0),
                    )
                    .accessible_name(format!("New {key} item"));
                let add = ui
                    .add_enabled(
                        self.editable && !new.trim().is_empty(),
                        egui::Button::new("Add item"),
                    )
                    .accessible_name(format!("Add the item to {key}"));
                (f, add)
            })
            .inner
        });
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (add.clicked() || entered) && !new.trim().is_empty() {
            let mut v = items.to_vec();
            v.push(Value::String(new.trim().to_string()));
            self.set(
                key,
                Value::Sequence(v),
                &format!("Add an item to {key}"),
                false,
            );
            new.clear();
        }
        self.state.new_items.insert(key.to_string(), new);
    }

    /// Item `i` of a list with its remove button.
    fn list_item(
        &mut self,
        ui: &mut egui::Ui,
        key: &str,
        items: &[Value],
        i: usize,
        width: f32,
    ) -> egui::Response {
        let slot = format!("item:{key}:{i}");
        let text = items.get(i).and_then(fields::as_text).unwrap_or_default();
        let id = self.id(&slot);
        let mut buffer = self.state.draft(&slot, &text).buffer.clone();
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut buffer)
                    .id(id)
                    .desired_width(width),
            )
            .accessible_name(format!("{key} item {}", i + 1));
        if let Some(d) = self.state.drafts.get_mut(&slot) {
            d.buffer.clone_from(&buffer);
        }
        if r.changed() && self.editable {
            let mut v = items.to_vec();
            if let Some(item) = v.get_mut(i) {
                *item = item_value(items.get(i), &buffer);
            }
            self.state.synced_to(&slot, buffer);
            self.out.push(Intent::edit(
                Edit::SetField {
                    key: key.to_string(),
                    value: Value::Sequence(v),
                },
                key.to_string(),
                Some(format!("field:{key}:{i}")),
            ));
        }
        if self.editable
            && ui
                .small_button("×")
                .accessible_name(format!("Remove {key} item {}", i + 1))
                .on_hover_text("Remove this item")
                .clicked()
        {
            let mut v = items.to_vec();
            if i < v.len() {
                v.remove(i);
            }
            self.set(
                key,
                Value::Sequence(v),
                &format!("Remove an item from {key}"),
                false,
            );
        }
        r
    }
}

#[cfg(test)]
mod other_tests {
    use super::*;

    #[test]
    fn kinds_follow_the_value() {
        assert_eq!(kind_of(None, true), Kind::Text(String::new()));
        assert_eq!(
            kind_of(Some(&Value::String("a: b".into())), true),
            Kind::Text("a: b".into())
        );
        assert_eq!(
            kind_of(Some(&Value::Number(12.into())), true),
            Kind::Number("12".into())
        );
        assert_eq!(kind_of(Some(&Value::Bool(true)), true), Kind::Bool(true));
        assert!(matches!(
            kind_of(
                Some(&Value::Sequence(vec![Value::String("a".into())])),
                true
            ),
            Kind::List(_)
        ));
        assert!(matches!(
            kind_of(Some(&Value::Sequence(vec![Value::Sequence(vec![])])), true),
            Kind::Raw(Some(_))
        ));
        assert!(matches!(kind_of(None, false), Kind::Raw(Some(_))));
    }

    #[test]
    fn new_keys_are_typed() {
        let v = |e: Result<Edit, String>| match e {
            Ok(Edit::SetField { value, .. }) => Some(value),
            _ => None,
        };
        assert_eq!(
            v(NewKind::Text.edit("k", "City grant: phase #2")),
            Some(Value::String("City grant: phase #2".into()))
        );
        assert_eq!(
            v(NewKind::Number.edit("k", "12.5")),
            Some(Value::Number(12.5.into()))
        );
        assert!(NewKind::Number.edit("k", "12,5").is_err());
        assert_eq!(
            v(NewKind::TrueFalse.edit("k", "True")),
            Some(Value::Bool(true))
        );
        assert!(NewKind::TrueFalse.edit("k", "yes please").is_err());
        assert_eq!(
            v(NewKind::List.edit("k", "EU, city,")),
            Some(Value::Sequence(vec![
                Value::String("EU".into()),
                Value::String("city".into())
            ]))
        );
        assert!(NewKind::Yaml.edit("k", "a: [").is_err());
        assert_eq!(
            item_value(Some(&Value::Number(1.into())), "2"),
            Value::Number(2.into())
        );
        assert_eq!(
            item_value(Some(&Value::Number(1.into())), "x"),
            Value::String("x".into())
        );
    }
}
