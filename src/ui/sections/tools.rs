//! Inserting links and images into a section: the link form, the cursor, dropped files.

use super::*;

/// "Insert image…" and "Insert link…" (with the link form when open).
pub(super) fn tools_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    i: usize,
    heading: &str,
    editor_id: egui::Id,
    out: &mut Vec<Intent>,
) {
    let cursor = cursor_of(ui.ctx(), editor_id);
    ui.horizontal(|ui| {
        let end = state.buffers.get(i).map_or(0, |b| b.text.chars().count());
        if ui
            .small_button("Insert image…")
            .on_hover_text("Choose an image: it is copied into the case folder and inserted at the cursor. You can also drop an image file onto the text.")
            .clicked()
        {
            let at = cursor.map_or(end, |(at, _)| at.min(end));
            out.push(Intent::Pick(Purpose::SectionImage { section: i, at }));
        }
        let open = state.link_form.as_ref().is_some_and(|f| f.section == i);
        if ui
            .add(egui::Button::new("Insert link…").small().selected(open))
            .on_hover_text("Insert a link at the cursor")
            .clicked()
        {
            if open {
                state.link_form = None;
            } else {
                let (at, selected) = cursor.map_or((end, 0), |(at, n)| (at.min(end), n));
                let text = state
                    .buffers
                    .get(i)
                    .map(|b| b.text.chars().skip(at).take(selected).collect())
                    .unwrap_or_default();
                state.link_form = Some(LinkForm {
                    section: i,
                    at,
                    selected,
                    text,
                    url: String::new(),
                });
            }
        }
    });
    if state.link_form.as_ref().is_some_and(|f| f.section == i) {
        link_form_ui(ui, state, i, heading, editor_id, out);
    }
}

/// The cursor of an editor: (char index of the selection start, chars selected).
pub(super) fn cursor_of(ctx: &egui::Context, editor_id: egui::Id) -> Option<(usize, usize)> {
    let range = egui::TextEdit::load_state(ctx, editor_id)?
        .cursor
        .char_range()?;
    let [a, b] = range.sorted_cursors();
    Some((a.index.0, b.index.0 - a.index.0))
}

/// The link form: text and address, inserted as `[text](url)`.
pub(super) fn link_form_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    i: usize,
    heading: &str,
    editor_id: egui::Id,
    out: &mut Vec<Intent>,
) {
    let t = Tokens::of(ui);
    let Some(form) = state.link_form.as_mut() else {
        return;
    };
    let mut insert = false;
    let mut close = false;
    egui::Frame::new()
        .fill(t.guidance_bg)
        .inner_margin(egui::Margin::same(6))
        .corner_radius(tokens::BADGE_RADIUS)
        .show(ui, |ui| {
            egui::Grid::new("link-form").num_columns(2).show(ui, |ui| {
                let l = ui.label("Link text");
                ui.add(
                    egui::TextEdit::singleline(&mut form.text)
                        .id_salt("link-text")
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Link address");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut form.url)
                            .id_salt("link-url")
                            .hint_text(crate::ui::widgets::example_hint(ui, "https://…"))
                            .desired_width(320.0),
                    )
                    .labelled_by(l.id);
                if r.lost_focus() && ui.input(|inp| inp.key_pressed(Key::Enter)) {
                    insert = true;
                }
                ui.end_row();
            });
            let url = form.url.trim();
            let scheme_ok = !url.is_empty() && !is_unsafe_scheme(url);
            if !url.is_empty() && !scheme_ok {
                ui.colored_label(
                    t.warning,
                    "Use a web or mail address (https://…, mailto:…) or a file in the case folder.",
                );
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(scheme_ok, egui::Button::new("Insert link"))
                    .clicked()
                {
                    insert = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
            insert &= scheme_ok;
        });
    if insert {
        let (at, selected) = (form.at, form.selected);
        if let Some(b) = state.buffers.get_mut(i) {
            let start = byte_of_char(&b.text, at);
            let end = byte_of_char(&b.text, at + selected);
            let link = spaced(
                &b.text[..start],
                &link_markdown(&form.text, form.url.trim()),
                &b.text[end..],
            );
            b.text.replace_range(start..end, &link);
            b.count_stale = true;
            push_text_edit(out, i, heading, b, TextChange::Link);
            let after = at + link.chars().count();
            let mut st = egui::TextEdit::load_state(ui.ctx(), editor_id).unwrap_or_default();
            st.cursor
                .set_char_range(Some(CCursorRange::one(CCursor::new(after))));
            egui::TextEdit::store_state(ui.ctx(), editor_id, st);
            ui.memory_mut(|m| m.request_focus(editor_id));
        }
        close = true;
    }
    if close {
        state.link_form = None;
    }
}

/// `link` with a space before it when it would touch the word before, and after it when it
/// would touch the word after.
pub fn spaced(before: &str, link: &str, after: &str) -> String {
    let touches_before = before
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace() && !"([{\"'“‘/".contains(c));
    let touches_after = after.chars().next().is_some_and(char::is_alphanumeric);
    format!(
        "{}{link}{}",
        if touches_before { " " } else { "" },
        if touches_after { " " } else { "" }
    )
}

/// Whether a link target uses a scheme Casebook will not write (`javascript:`, `data:`, `file:`, …).
pub fn is_unsafe_scheme(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(colon) = lower.find(':') else {
        return false;
    };
    let scheme = &lower[..colon];
    if scheme.contains(['/', '?', '#']) {
        return false;
    }
    !matches!(scheme, "http" | "https" | "mailto")
}

/// `[text](url)`, with `]` in the text escaped and an address with spaces or parentheses
/// written in angle brackets.
pub fn link_markdown(text: &str, url: &str) -> String {
    let text = if text.trim().is_empty() {
        url
    } else {
        text.trim()
    };
    let text = text
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]");
    let url = if url.contains([' ', '(', ')']) {
        format!("<{}>", url.replace(['<', '>'], ""))
    } else {
        url.to_string()
    };
    format!("[{text}]({url})")
}

/// The byte offset of char `n` of `s` (its length when past the end).
pub(super) fn byte_of_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

/// Where an editor was drawn this frame.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub(super) section: usize,
    pub(super) id: egui::Id,
    pub(super) rect: egui::Rect,
    pub(super) focused: bool,
}

/// The import of an image dropped on the view: into the editor under the pointer, else the
/// focused one, else the one last hovered.
pub(super) fn drop_intent(
    ctx: &egui::Context,
    state: &SectionsState,
    placed: &[Placed],
    path: &Path,
) -> Option<Intent> {
    let pointer = ctx.input(|i| i.pointer.latest_pos());
    let section = pointer
        .and_then(|p| placed.iter().find(|e| e.rect.contains(p)))
        .or_else(|| placed.iter().find(|e| e.focused))
        .map(|e| e.section)
        .or(state.last_hovered)?;
    let b = state.buffers.get(section)?;
    let end = b.text.chars().count();
    let at = placed
        .iter()
        .find(|e| e.section == section)
        .and_then(|e| cursor_of(ctx, e.id))
        .map_or(end, |(a, _)| a.min(end));
    Some(Intent::ImportFile {
        from: path.to_path_buf(),
        purpose: ImportPurpose::SectionImage { section, at },
    })
}

/// An image file dropped on the window this frame.
pub(super) fn dropped_image(ui: &egui::Ui) -> Option<PathBuf> {
    ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .find(|p| is_image(p))
    })
}

/// Whether a path names an image file (by extension).
pub fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod spacing_tests {
    use super::spaced;

    #[test]
    fn links_do_not_touch_words() {
        assert_eq!(spaced("See", "[a](b)", ""), " [a](b)");
        assert_eq!(spaced("See ", "[a](b)", "."), "[a](b)");
        assert_eq!(spaced("", "[a](b)", "next"), "[a](b) ");
        assert_eq!(spaced("(", "[a](b)", ")"), "[a](b)");
        assert_eq!(spaced("line\n", "[a](b)", "\n"), "[a](b)");
    }
}
