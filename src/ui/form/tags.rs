//! Tags: a multi-select of the template's taxonomy, at most three; tags outside the
//! taxonomy are shown as such (never dropped) with a remove button.

use casebook_core::fields::{self, Field, TagsForm};
use serde_yaml::Value;

use super::Form;

/// The most tags a case may have.
pub const MAX_TAGS: usize = 3;

impl Form<'_> {
    /// The Tags group.
    pub(super) fn tags_group(&mut self, ui: &mut egui::Ui) {
        let field = Field::Tags;
        let key = field.key();
        let value = self.value(key);
        let (tags, form) = fields::tags_of(value);
        let unreadable = self
            .fm()
            .and_then(|fm| fm.entry(key))
            .is_some_and(|e| e.value.is_none());
        if unreadable || (form == TagsForm::Other && !matches!(value, None | Some(Value::Null))) {
            let why = "These tags are not a list; edit them as written (one `- Tag` line each)."
                .to_string();
            self.raw_row(ui, field.label(), field.help(), key, Some(why));
            self.diagnostics(ui, &[key], Some(field));
            return;
        }
        let t = self.t;
        let taxonomy = self.cx.template.allowed.tags.clone();
        let full = tags.len() >= MAX_TAGS;
        let mut toggled: Option<(String, bool)> = None;
        let mut removed: Option<String> = None;
        let help = ui
            .label(egui::RichText::new(field.help()).color(t.muted))
            .on_hover_text(field.help());
        if self.wants_focus(&[key]) {
            help.scroll_to_me(Some(egui::Align::Center));
        }
        let mut first: Option<egui::Response> = None;
        ui.horizontal_wrapped(|ui| {
            for tag in &taxonomy {
                let was = tags.iter().any(|x| x == tag);
                let mut checked = was;
                let enabled = was || !full;
                let r = ui
                    .add_enabled(enabled, egui::Checkbox::new(&mut checked, tag.as_str()))
                    .on_disabled_hover_text(format!(
                        "A case has at most {MAX_TAGS} tags: untick one to choose {tag}."
                    ));
                if checked != was {
                    toggled = Some((tag.clone(), checked));
                }
                if first.is_none() {
                    first = Some(r);
                }
            }
        });
        if let Some(r) = &first
            && self.wants_focus(&[key])
        {
            r.request_focus();
        }
        let count_text = if full {
            format!(
                "{} of {MAX_TAGS} tags chosen, the most a case may have: untick one to choose another.",
                tags.len()
            )
        } else {
            format!("{} of {MAX_TAGS} tags chosen.", tags.len())
        };
        let count_color = if tags.len() > MAX_TAGS {
            t.warning
        } else {
            t.muted
        };
        ui.label(egui::RichText::new(count_text).small().color(count_color));
        let outside: Vec<&String> = tags.iter().filter(|x| !taxonomy.contains(x)).collect();
        for tag in outside {
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(tag.as_str()).strong());
                ui.label(egui::RichText::new("is not in the atlas's tag list").color(t.warning));
                if ui
                    .small_button("Remove")
                    .accessible_name(format!("Remove tag {tag}"))
                    .on_hover_text(format!("Remove {tag} from the tags"))
                    .clicked()
                {
                    removed = Some(tag.clone());
                }
            });
        }
        if form == TagsForm::CommaString {
            ui.label(
                egui::RichText::new(
                    "These tags are written as one line of text; changing them writes a list.",
                )
                .small()
                .color(t.muted),
            );
        }
        let new_tags: Option<Vec<String>> = match (toggled, removed) {
            (Some((tag, true)), _) => {
                let mut v = tags.clone();
                v.push(tag);
                Some(v)
            }
            (Some((tag, false)), _) | (None, Some(tag)) => {
                Some(tags.iter().filter(|x| **x != tag).cloned().collect())
            }
            (None, None) => None,
        };
        if let Some(v) = new_tags {
            self.set(key, fields::tags_value(&v), field.label(), false);
        }
        self.diagnostics(ui, &[key], Some(field));
    }
}
