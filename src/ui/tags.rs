//! The Tags window: every tag of the open folder with its number of cases, tags outside the
//! atlas's list marked; a selected tag can be renamed or merged into another, which opens the
//! bulk preview (nothing is written before the author applies it there).

use std::collections::BTreeMap;

use casebook_core::bulk::plan::BulkOp;
use casebook_core::workspace::CaseSummary;

use super::Intent;
use super::tokens::{self, Tokens};

/// The Tags window's state.
#[derive(Debug, Clone, Default)]
pub struct TagsState {
    /// Whether the window is open.
    pub open: bool,
    /// The tag chosen in the list.
    pub selected: Option<String>,
    /// The new name typed for it.
    pub new_name: String,
    /// The tag to merge it into.
    pub merge_into: Option<String>,
}

/// One tag of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    /// The tag as written.
    pub tag: String,
    /// How many cases have it.
    pub cases: usize,
    /// Whether it is one of the atlas's tags (the template's list).
    pub in_taxonomy: bool,
}

impl TagCount {
    /// The list row: "Mobility (3 cases)", "Enviroment (1 case, not in the atlas's list)".
    pub fn row_label(&self) -> String {
        let n = super::problems::count_of(self.cases, "case");
        if self.in_taxonomy {
            format!("{} ({n})", self.tag)
        } else {
            format!("{} ({n}, not in the atlas's list)", self.tag)
        }
    }
}

/// The tags of `cases` with their counts, by name. With no `taxonomy` every tag counts as in it.
pub fn tag_counts(cases: &[CaseSummary], taxonomy: &[String]) -> Vec<TagCount> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases {
        let mut seen: Vec<&str> = Vec::new();
        for t in &c.tags {
            let t = t.trim();
            if !t.is_empty() && !seen.contains(&t) {
                seen.push(t);
                *counts.entry(t).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(tag, cases)| TagCount {
            tag: tag.to_string(),
            cases,
            in_taxonomy: taxonomy.is_empty() || taxonomy.iter().any(|t| t == tag),
        })
        .collect()
}

/// The Tags window. Returns the bulk edit asked for (to preview).
pub fn tags_window_ui(
    ctx: &egui::Context,
    state: &mut TagsState,
    cases: &[CaseSummary],
    taxonomy: &[String],
) -> Vec<Intent> {
    let mut out = Vec::new();
    if !state.open {
        return out;
    }
    let mut open = true;
    egui::Window::new("Tags")
        .open(&mut open)
        .default_size([460.0, 520.0])
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .resizable(true)
        .show(ctx, |ui| out.extend(body(ui, state, cases, taxonomy)));
    if !open {
        state.open = false;
    }
    out
}

fn body(
    ui: &mut egui::Ui,
    state: &mut TagsState,
    cases: &[CaseSummary],
    taxonomy: &[String],
) -> Vec<Intent> {
    let t = Tokens::of(ui);
    let mut out = Vec::new();
    let counts = tag_counts(cases, taxonomy);
    if counts.is_empty() {
        ui.label("No case in this folder has tags.");
        return out;
    }
    let outside = counts.iter().filter(|c| !c.in_taxonomy).count();
    ui.label(format!(
        "{} in {}; {} outside the atlas's list.",
        super::problems::count_of(counts.len(), "tag"),
        super::problems::count_of(cases.len(), "case"),
        outside
    ));
    ui.label(
        egui::RichText::new(
            "Choose a tag to rename it, or merge it into another, in every case that has it. A preview shows each file's change before anything is written.",
        )
        .color(t.muted),
    );
    ui.add_space(tokens::GAP_SMALL);
    egui::ScrollArea::vertical()
        .id_salt("tags-list")
        .max_height(ui.available_height() * 0.55)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for c in &counts {
                let selected = state.selected.as_deref() == Some(c.tag.as_str());
                let text = if c.in_taxonomy {
                    egui::RichText::new(c.row_label())
                } else {
                    egui::RichText::new(c.row_label()).color(t.warning)
                };
                if ui.selectable_label(selected, text).clicked() && !selected {
                    state.selected = Some(c.tag.clone());
                    state.new_name = c.tag.clone();
                    state.merge_into = None;
                }
            }
        });
    let Some(tag) = state.selected.clone() else {
        return out;
    };
    ui.separator();
    ui.horizontal(|ui| {
        let l = ui.label(format!("Rename `{tag}` to"));
        ui.add(egui::TextEdit::singleline(&mut state.new_name).desired_width(180.0))
            .labelled_by(l.id);
    });
    let new = state.new_name.trim().to_string();
    let can_rename = !new.is_empty() && new != tag;
    if ui
        .add_enabled(can_rename, egui::Button::new("Preview rename…"))
        .on_hover_text("Show the change of every case that has this tag; nothing is written yet")
        .clicked()
    {
        out.push(Intent::Bulk(BulkOp::RenameTag {
            old: tag.clone(),
            new,
        }));
    }
    ui.add_space(tokens::GAP_SMALL);
    ui.horizontal(|ui| {
        let l = ui.label("Merge into");
        let shown = state
            .merge_into
            .clone()
            .unwrap_or_else(|| "Choose a tag".into());
        egui::ComboBox::from_id_salt("tags-merge-into")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                let mut names: Vec<&str> = counts.iter().map(|c| c.tag.as_str()).collect();
                for t in taxonomy {
                    if !names.contains(&t.as_str()) {
                        names.push(t);
                    }
                }
                for name in names.into_iter().filter(|n| *n != tag) {
                    if ui
                        .selectable_label(state.merge_into.as_deref() == Some(name), name)
                        .clicked()
                    {
                        state.merge_into = Some(name.to_string());
                        ui.close();
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    if ui
        .add_enabled(state.merge_into.is_some(), egui::Button::new("Preview merge…"))
        .on_hover_text(
            "Replace this tag by the other in every case (where a case has both, this one goes); nothing is written yet",
        )
        .clicked()
        && let Some(into) = state.merge_into.clone()
    {
        out.push(Intent::Bulk(BulkOp::RenameTag {
            old: tag,
            new: into,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(tags: &[&str]) -> CaseSummary {
        let mut s = CaseSummary::unreadable(std::path::Path::new("/x/index.md"), String::new());
        s.error = None;
        s.tags = tags.iter().map(|t| t.to_string()).collect();
        s
    }

    #[test]
    fn counts_are_per_case_and_mark_tags_outside_the_list() {
        let cases = [
            summary(&["Mobility", "Enviroment", "Mobility"]),
            summary(&["Mobility"]),
        ];
        let taxonomy = vec!["Mobility".to_string(), "Environment".to_string()];
        let got = tag_counts(&cases, &taxonomy);
        assert_eq!(
            got.iter().map(TagCount::row_label).collect::<Vec<_>>(),
            [
                "Enviroment (1 case, not in the atlas's list)",
                "Mobility (2 cases)"
            ]
        );
    }
}
