//! Changing a case's sections: adding template or custom sections, renaming, deleting.

use super::*;

/// The "Add section …" button of a template section the case lacks.
pub(super) fn add_button_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    cx: &ViewCtx<'_>,
    section: &TemplateSection,
    before: Option<usize>,
    out: &mut Vec<Intent>,
) {
    let t = Tokens::of(ui);
    let flashing = state
        .flash
        .as_ref()
        .is_some_and(|(h, _)| same_heading(h, &section.heading));
    ui.add_space(tokens::GAP_SMALL);
    let mut button = egui::Button::new(format!("Add section {}", section.heading));
    if flashing {
        button = button.stroke(Stroke::new(2.0, t.warning));
    }
    let mut r = ui.add(button);
    if let Some(g) = &section.guidance {
        r = r.on_hover_text(format!(
            "Adds the template's section with its guidance: {g}"
        ));
    }
    if matches!(cx.focus, Some(Focus::MissingSection(h)) if same_heading(h, &section.heading)) {
        r.scroll_to_me(Some(Align::Center));
        r.request_focus();
    }
    for d in cx.diagnostics.iter().filter(|d| {
        matches!(&d.target, DiagTarget::Section { heading, index: None } if same_heading(heading, &section.heading))
    }) {
        diagnostic_ui(ui, &t, d);
    }
    if r.clicked() {
        // The template's whole section: its guidance, sub-headings and their guidance.
        out.push(Intent::edit(
            Edit::InsertSection {
                before,
                heading: section.heading.clone(),
                guidance: section.guidance.clone(),
                text: section.skeleton(),
            },
            format!("Add section {}", section.heading),
            None,
        ));
        state.focus_next = Some(before.unwrap_or(cx.case.doc().body().sections.len()));
        state.flash = None;
    }
    ui.add_space(tokens::GAP_SMALL);
}

/// The "Add a section…" prompt for a section of the author's own.
pub(super) fn custom_section_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    cx: &ViewCtx<'_>,
    out: &mut Vec<Intent>,
) {
    let t = Tokens::of(ui);
    let doc = cx.case.doc();
    let Some(NewSection { name, focus }) = &mut state.new_section else {
        if ui
            .button("Add a section…")
            .on_hover_text("Add a section of your own at the end of the case")
            .clicked()
        {
            state.new_section = Some(NewSection {
                name: String::new(),
                focus: true,
            });
        }
        return;
    };
    let mut close = false;
    let mut add = false;
    ui.horizontal(|ui| {
        let label = ui.label("Name of the new section");
        let r = ui.add(
            egui::TextEdit::singleline(name)
                .id_salt("new-section-name")
                .desired_width(300.0),
        );
        let r = r.labelled_by(label.id);
        if std::mem::take(focus) {
            r.request_focus();
        }
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let valid = !name.trim().is_empty() && doc.body().find(name.trim()).is_none();
        if ui
            .add_enabled(valid, egui::Button::new("Add section"))
            .clicked()
            || (enter && valid)
        {
            add = true;
        }
        if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
            close = true;
        }
    });
    let trimmed = name.trim().to_string();
    if !trimmed.is_empty() && doc.body().find(&trimmed).is_some() {
        ui.colored_label(
            t.warning,
            format!("There is already a section called “{trimmed}”."),
        );
    }
    if add {
        // A template section keeps its template position and guidance.
        let from_template = cx.template.section(&trimmed);
        let (before, heading, guidance, text) = match from_template {
            Some(ts) => (
                cx.template.insert_before(doc, &ts.heading),
                ts.heading.clone(),
                ts.guidance.clone(),
                ts.skeleton(),
            ),
            None => (None, trimmed, None, String::new()),
        };
        state.focus_next = Some(before.unwrap_or(doc.body().sections.len()));
        out.push(Intent::edit(
            Edit::InsertSection {
                before,
                heading: heading.clone(),
                guidance,
                text,
            },
            format!("Add section {heading}"),
            None,
        ));
        close = true;
    }
    if close {
        state.new_section = None;
    }
}

/// The heading (or its rename field), the "not in the template" mark, rename and delete.
/// Returns the heading label (what the editor is labelled by).
pub(super) fn heading_row_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    info: &SectionInfo<'_>,
    out: &mut Vec<Intent>,
) -> Option<egui::Response> {
    let t = Tokens::of(ui);
    let i = info.index;
    ui.horizontal(|ui| {
        let renaming = state.renaming.as_mut().filter(|r| r.section == i);
        let label = match renaming {
            Some(r) => {
                let resp = ui
                    .add(
                        egui::TextEdit::singleline(&mut r.draft)
                            .id_salt("rename")
                            .font(egui::TextStyle::Heading)
                            .desired_width(ui.available_width() * 0.6),
                    )
                    .accessible_name(format!("Rename {}", info.heading));
                if r.focus {
                    resp.request_focus();
                    r.focus = false;
                }
                let escape = ui.input(|inp| inp.key_pressed(Key::Escape));
                // Escape cancels (the app may keep the focus in the field, so no focus is lost).
                let mut done = escape && (resp.has_focus() || resp.lost_focus());
                if resp.lost_focus() {
                    let new = r.draft.trim();
                    if !escape && !new.is_empty() && new != info.heading {
                        out.push(Intent::edit(
                            Edit::RenameSection {
                                section: i,
                                heading: new.to_string(),
                            },
                            format!("Rename section {}", info.heading),
                            None,
                        ));
                    }
                    done = true;
                }
                if done {
                    state.renaming = None;
                }
                None
            }
            None => {
                let label = ui.label(RichText::new(info.heading).heading().strong());
                if ui
                    .small_button("Rename")
                    .accessible_name(format!("Rename {}", info.heading))
                    .on_hover_text("Rename this section")
                    .clicked()
                {
                    state.renaming = Some(Rename {
                        section: i,
                        draft: info.heading.to_string(),
                        focus: true,
                    });
                }
                Some(label)
            }
        };
        // A template that lists no sections (the atlas's stub) has no opinion on them.
        if info.template.is_none() && !info.template_has_no_sections {
            ui.label(RichText::new("not in the template").small().color(t.muted))
                .on_hover_text(
                    "The template has no section with this heading; it is kept as you wrote it.",
                );
        }
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            if ui
                .small_button("Delete…")
                .accessible_name(format!("Delete section {}", info.heading))
                .on_hover_text("Delete this section (asks first; undo brings it back)")
                .clicked()
            {
                state.confirm_delete = Some(i);
            }
        });
        label
    })
    .inner
}

/// The delete confirmation: the section's text and two buttons.
pub(super) fn confirm_delete_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    info: &SectionInfo<'_>,
    out: &mut Vec<Intent>,
) {
    let t = Tokens::of(ui);
    let i = info.index;
    let text = state
        .buffers
        .get(i)
        .map(|b| b.text.as_str())
        .unwrap_or_default();
    egui::Frame::new()
        .stroke(Stroke::new(1.0, t.warning))
        .inner_margin(egui::Margin::same(8))
        .corner_radius(tokens::BADGE_RADIUS)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(format!(
                "Delete the section “{}” with its guidance and text? Undo brings it back.",
                info.heading
            ));
            let shown: String = text.chars().take(CONFIRM_PREVIEW_CHARS).collect();
            let more = text.chars().nth(CONFIRM_PREVIEW_CHARS).is_some();
            if shown.trim().is_empty() {
                ui.label(RichText::new("The section has no text.").color(t.muted));
            } else {
                egui::ScrollArea::vertical()
                    .id_salt("confirm-text")
                    .max_height(140.0)
                    .show(ui, |ui| {
                        ui.label(
                            RichText::new(format!("{shown}{}", if more { "…" } else { "" }))
                                .color(t.muted),
                        );
                    });
            }
            ui.horizontal(|ui| {
                if ui.button(format!("Delete {}", info.heading)).clicked() {
                    out.push(Intent::edit(
                        Edit::RemoveSection { section: i },
                        format!("Delete section {}", info.heading),
                        None,
                    ));
                    state.confirm_delete = None;
                }
                if ui.button("Keep it").clicked() {
                    state.confirm_delete = None;
                }
            });
        });
}
