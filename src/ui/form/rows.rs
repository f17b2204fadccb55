//! The rows of the known fields: text, drop-downs, country, centroid, years.

use casebook_core::countries;
use casebook_core::fields::{self, Centroid, Field, YearValue};
use casebook_core::geometry;
use serde_yaml::Value;

use super::{Form, pending, under_row, year_as_number};
use crate::ui::spelling;
use crate::ui::widgets::{self, field_row};
use crate::ui::{Focus, Intent};

/// The most characters a description should have (it becomes the meta description).
pub const DESCRIPTION_MAX: usize = 160;

/// The fields whose words are spell-checked (prose; names come from the others).
const SPELLED_FIELDS: [Field; 4] = [
    Field::Title,
    Field::Description,
    Field::FeaturedAlt,
    Field::GeographyCaption,
];

/// What kind of text a text row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line.
    Line,
    /// The description: wrapped, one paragraph, with a character count.
    Description,
    /// A caption: wrapped over as many lines as it needs, one paragraph.
    Paragraph,
}

impl Form<'_> {
    /// Scrolls to and focuses `response` when its key is the one to focus.
    pub(super) fn maybe_focus(&self, keys: &[&str], response: &egui::Response) {
        if self.wants_focus(keys) {
            response.request_focus();
            response.scroll_to_me(Some(egui::Align::Center));
        }
    }

    /// Offers "Remove" on the row label's context menu (right-click) when the key is present.
    pub(super) fn removable_label(&mut self, label: &egui::Response, key: &str) {
        if !self.editable || self.fm().and_then(|fm| fm.entry(key)).is_none() {
            return;
        }
        let mut remove = false;
        label.context_menu(|ui| {
            if ui
                .button(format!("Remove {key} from the front matter"))
                .clicked()
            {
                remove = true;
                ui.close();
            }
        });
        if remove {
            self.remove(key);
        }
    }

    /// A text field.
    pub(super) fn text_row(&mut self, ui: &mut egui::Ui, field: Field, kind: TextKind) {
        let key = self.key(field);
        let Some(doc_text) = self.text_or_raw_row(ui, field, key, field.label()) else {
            return;
        };
        let id = self.id(key);
        let mut buffer = self.state.draft(key, &doc_text).buffer.clone();
        let (label, output) = field_row(ui, field.label(), field.help(), |ui| {
            let edit = match kind {
                TextKind::Line => egui::TextEdit::singleline(&mut buffer),
                TextKind::Description | TextKind::Paragraph => {
                    egui::TextEdit::multiline(&mut buffer)
                        .desired_rows(2)
                        .return_key(None)
                }
            };
            edit.id(id).desired_width(f32::INFINITY).show(ui)
        });
        let response = output.response.response.clone().labelled_by(label.id);
        let corrected = self.spelling_ui(ui, field, key, &mut buffer, &output, &response);
        self.maybe_focus(&[key], &response);
        self.removable_label(&label, key);
        if kind != TextKind::Line && buffer.contains(['\n', '\r']) {
            // One paragraph: a pasted line break becomes a space.
            buffer = buffer.replace("\r\n", " ").replace(['\n', '\r'], " ");
        }
        if kind == TextKind::Description {
            let n = buffer.chars().count();
            let color = if n > DESCRIPTION_MAX {
                self.t.warning
            } else {
                self.t.muted
            };
            under_row(ui, |ui| {
                let text = if n > DESCRIPTION_MAX {
                    format!("{n} / {DESCRIPTION_MAX} characters: search engines cut the rest")
                } else {
                    format!("{n} / {DESCRIPTION_MAX} characters")
                };
                ui.label(egui::RichText::new(text).small().color(color));
            });
        }
        if let Some(d) = self.state.drafts.get_mut(key) {
            d.buffer = buffer.clone();
        }
        if (response.changed() || corrected) && self.editable {
            let value = if buffer.is_empty() {
                Value::Null
            } else {
                Value::String(buffer.clone())
            };
            self.state.synced_to(key, buffer);
            if corrected {
                // A correction chosen from the menu is an undo step of its own.
                let label = format!("Spelling correction in {}", field.label());
                self.set(key, value, &label, false);
            } else {
                self.set(key, value, field.label(), true);
            }
        }
        let keys: &[&str] = if field == Field::FeaturedAlt {
            &["featured_alt", fields::LEGACY_ALT_KEY]
        } else {
            &[key]
        };
        self.diagnostics(ui, keys, Some(field));
    }

    /// Underlines the misspelled words of a prose field (title, description, alt text,
    /// captions) and offers corrections on right-click. Returns whether `buffer` was
    /// corrected.
    fn spelling_ui(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        key: &str,
        buffer: &mut String,
        output: &egui::text_edit::TextEditOutput,
        response: &egui::Response,
    ) -> bool {
        if !SPELLED_FIELDS.contains(&field) {
            return false;
        }
        let checker = self.checker.as_ref();
        let marks = self.state.spell.entry(key.to_string()).or_default();
        marks.refresh_plain(buffer, checker);
        let shown = spelling::Placed::from(output);
        // TextEdit lays the galley out again after an edit: it matches the text.
        spelling::paint(ui, &shown, marks);
        match spelling::menu_ui(response, &shown, marks, checker) {
            Some(spelling::Action::Replace { bytes, word, with }) => {
                match spelling::replaced(buffer, &bytes, &word, &with) {
                    Some(text) => {
                        *buffer = text;
                        response.request_focus();
                        true
                    }
                    None => false,
                }
            }
            Some(spelling::Action::Accept(word, to)) => {
                self.out.push(spelling::accept(ui.ctx(), &word, to));
                false
            }
            None => false,
        }
    }

    /// A drop-down of the template's allowed values. A value outside the list is shown as
    /// such and kept until the author picks another.
    pub(super) fn choice_row(&mut self, ui: &mut egui::Ui, field: Field, allowed: &[String]) {
        let key = self.key(field);
        let Some(current) = self.text_or_raw_row(ui, field, key, field.label()) else {
            return;
        };
        let t = self.t;
        let trimmed = current.trim();
        let selected = if trimmed.is_empty() {
            egui::RichText::new("Not set").color(t.muted)
        } else if field == Field::Status && allowed.iter().any(|a| a == trimmed) {
            egui::RichText::new(trimmed).color(t.status_color(Some(trimmed)))
        } else if allowed.iter().any(|a| a == trimmed) {
            egui::RichText::new(trimmed)
        } else {
            egui::RichText::new(format!("{current} (not in the template's list)")).color(t.warning)
        };
        let mut picked: Option<String> = None;
        let (label, response) = field_row(ui, field.label(), field.help(), |ui| {
            egui::ComboBox::from_id_salt(("form-choice", key))
                .selected_text(selected)
                .width(220.0)
                .show_ui(ui, |ui| {
                    for v in allowed {
                        if ui.selectable_label(v == trimmed, v.as_str()).clicked() {
                            picked = Some(v.clone());
                            // Chosen with Enter as well as with a click: the list closes.
                            ui.close();
                        }
                    }
                })
                .response
        });
        let response = response.labelled_by(label.id).on_hover_text(field.help());
        self.maybe_focus(&[key], &response);
        self.removable_label(&label, key);
        self.write_picked(ui, field, key, &current, picked);
    }

    /// The country: a searchable picker that writes the ISO-3 code.
    pub(super) fn country_row(&mut self, ui: &mut egui::Ui) {
        let field = Field::CountryCode;
        let key = field.key();
        let Some(current) = self.text_or_raw_row(ui, field, key, field.label()) else {
            return;
        };
        let mut query = std::mem::take(&mut self.state.country_query);
        let (label, (button_id, picked)) = field_row(ui, field.label(), field.help(), |ui| {
            // The picker's button is the next widget; its id names it in the accessibility tree.
            let id = ui.next_auto_id();
            let picked = widgets::country_picker(ui, "form-country", &current, &mut query);
            (id, picked)
        });
        self.state.country_query = query;
        // Name the picker's button "Country" and give the chosen country as its value.
        let shown = match countries::by_iso3(current.trim()) {
            Some(c) => format!("{} — {}", c.iso3, c.name),
            None if current.trim().is_empty() => "Not set".to_string(),
            None => format!("{current} (not an ISO code)"),
        };
        let label_id = label.id;
        ui.ctx().accesskit_node_builder(button_id, |node| {
            node.clear_label();
            node.push_labelled_by(label_id.accesskit_id());
            node.set_value(shown);
        });
        if self.wants_focus(&[key]) {
            ui.memory_mut(|m| m.request_focus(button_id));
            ui.scroll_to_rect(label.rect, Some(egui::Align::Center));
        }
        self.removable_label(&label, key);
        self.write_picked(ui, field, key, &current, picked);
    }

    /// The centroid as latitude and longitude, with "Pick on map" and "From boundary".
    pub(super) fn centroid_rows(&mut self, ui: &mut egui::Ui) {
        let field = Field::Centroid;
        let key = field.key();
        let value = self.value(key);
        let (lat_text, lon_text) = if let Some(c) = value.and_then(Centroid::from_value) {
            (c.lat.to_string(), c.lon.to_string())
        } else if !self.is_unreadable(key) && matches!(value, None | Some(Value::Null)) {
            (String::new(), String::new())
        } else {
            let why = "This is not [latitude, longitude]; edit it as written.".to_string();
            self.raw_row(ui, field.label(), field.help(), key, Some(why));
            self.centroid_buttons(ui);
            self.diagnostics(ui, &[key], Some(field));
            return;
        };
        for (slot, name, doc_text) in [
            (pending::LAT, "Latitude", &lat_text),
            (pending::LON, "Longitude", &lon_text),
        ] {
            let id = self.id(slot);
            let mut buffer = self.state.draft(slot, doc_text).buffer.clone();
            self.state
                .writes_on_commit(slot, key, "Centroid", super::Commit::Centroid);
            let help = if name == "Latitude" {
                "Degrees north (negative: south), from -90 to 90. The front matter writes the centroid as [latitude, longitude]. Enter or leaving the field writes it."
            } else {
                "Degrees east (negative: west), from -180 to 180. The front matter writes the centroid as [latitude, longitude]. Enter or leaving the field writes it."
            };
            let (label, response) = field_row(ui, name, help, |ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut buffer)
                        .id(id)
                        .desired_width(160.0)
                        .hint_text(widgets::example_hint(
                            ui,
                            if name == "Latitude" {
                                "41.4009"
                            } else {
                                "2.1986"
                            },
                        )),
                )
            });
            let response = response.labelled_by(label.id);
            let focus_keys = [key];
            let focus_keys: &[&str] = if name == "Latitude" { &focus_keys } else { &[] };
            self.maybe_focus(focus_keys, &response);
            self.removable_label(&label, key);
            if let Some(d) = self.state.drafts.get_mut(slot) {
                d.buffer = buffer;
            }
            self.commit_on_purpose(ui, slot, &response, false);
        }
        self.commit_note(ui, pending::LAT, false);
        self.centroid_buttons(ui);
        self.diagnostics(ui, &[key], Some(field));
    }

    /// Whether `key` is present but its lines cannot be read.
    fn is_unreadable(&self, key: &str) -> bool {
        self.fm()
            .and_then(|fm| fm.entry(key))
            .is_some_and(|e| e.value.is_none())
    }

    /// Writes the centroid (the fields then follow the document).
    fn write_centroid(&mut self, c: Centroid, label: &str) {
        if self.editable {
            self.out
                .push(Intent::edit(c.edit_in(self.fm()), label, None));
        }
    }

    /// "Pick on map" and "From boundary".
    fn centroid_buttons(&mut self, ui: &mut egui::Ui) {
        let from_boundary = self.boundary_centroid();
        let t = self.t;
        let mut pick = false;
        let mut compute = None;
        under_row(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Pick on map")
                    .on_hover_text("Shows the map; click where the pin should go.")
                    .clicked()
                {
                    pick = true;
                }
                match &from_boundary {
                    Ok(c) => {
                        if ui
                            .button("From boundary")
                            .on_hover_text(format!(
                                "Use the middle of the boundary: [{:.6}, {:.6}]",
                                c.lat, c.lon
                            ))
                            .clicked()
                        {
                            compute = Some(*c);
                        }
                    }
                    Err(why) => {
                        ui.add_enabled(false, egui::Button::new("From boundary"))
                            .on_disabled_hover_text(why.as_str());
                        ui.label(egui::RichText::new(why.as_str()).small().color(t.muted));
                    }
                }
            });
        });
        if pick && self.editable {
            self.out.push(Intent::PickCentroidOnMap);
            self.out.push(Intent::Focus(Focus::Geometry));
            self.out.push(Intent::Status(
                "Click on the map where the centroid should go (Esc to cancel).".to_string(),
            ));
        }
        if let Some(c) = compute {
            self.write_centroid(c, "Centroid from boundary");
        }
    }

    /// The centroid of the boundary, or why there is none.
    fn boundary_centroid(&self) -> Result<Centroid, String> {
        use casebook_core::case::GeoState;
        let geo = self.cx.case.geo();
        let doc = match geo {
            GeoState::Loaded { doc, .. } => doc,
            GeoState::None => {
                return Err(
                    "No boundary yet: draw one on the map or set a geography file.".to_string(),
                );
            }
            GeoState::Pending { .. } => return Err("The boundary is still loading.".to_string()),
            GeoState::Missing { rel, .. } => {
                return Err(format!(
                    "The boundary file {rel} is not in the case folder."
                ));
            }
            GeoState::Failed { rel, .. } => {
                return Err(format!("The boundary file {rel} could not be read."));
            }
            GeoState::Refused { rel, .. } => return Err(format!("Casebook does not read {rel}.")),
        };
        if doc.all_polygons().next().is_none() {
            return Err("The boundary has no polygons yet.".to_string());
        }
        geometry::centroid(doc.all_polygons())
            .map(Centroid::from_lon_lat)
            .ok_or_else(|| {
                "The boundary's centre cannot be computed (its coordinates are out of range)."
                    .to_string()
            })
    }

    /// A year: a number, or text such as "Ongoing".
    pub(super) fn year_row(&mut self, ui: &mut egui::Ui, field: Field) {
        let key = field.key();
        let Some(doc_text) = self.text_or_raw_row(ui, field, key, field.label()) else {
            return;
        };
        let as_number = year_as_number(self.value(key));
        let id = self.id(key);
        let mut buffer = self.state.draft(key, &doc_text).buffer.clone();
        let ongoing = field == Field::YearCompleted;
        let (label, (response, ongoing_clicked)) =
            field_row(ui, field.label(), field.help(), |ui| {
                let r = ui.add(
                    egui::TextEdit::singleline(&mut buffer)
                        .id(id)
                        .desired_width(200.0)
                        .hint_text(widgets::example_hint(
                            ui,
                            if ongoing { "2030, or Ongoing" } else { "2015" },
                        )),
                );
                let clicked = ongoing
                    && ui
                        .button("Ongoing")
                        .on_hover_text("The project has no end year yet.")
                        .clicked();
                (r, clicked)
            });
        let response = response.labelled_by(label.id);
        self.maybe_focus(&[key], &response);
        self.removable_label(&label, key);
        let value = if ongoing_clicked {
            buffer = "Ongoing".to_string();
            Some(Value::String(buffer.clone()))
        } else if response.changed() {
            Some(match YearValue::parse(&buffer) {
                Some(y) => y.to_value(as_number),
                None => Value::Null,
            })
        } else {
            None
        };
        if let Some(d) = self.state.drafts.get_mut(key) {
            d.buffer = buffer;
        }
        if let Some(v) = value
            && self.editable
        {
            let expected = fields::as_text(&v).unwrap_or_default();
            self.state.synced_to(key, expected);
            self.set(key, v, field.label(), !ongoing_clicked);
        }
        self.diagnostics(ui, &[key], Some(field));
    }
}

/// A number of degrees as typed (a comma is accepted as decimal separator).
pub(super) fn parse_degrees(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".");
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}
