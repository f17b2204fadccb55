//! Small shared widgets and helpers: style, the country picker, copying files into a case.

use std::path::Path;

use casebook_core::countries;

use super::tokens::{self, Tokens};

/// Sets the app's text styles (slightly larger body text for long-form writing).
pub fn install_fonts_and_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        for (text_style, size, family) in [
            (TextStyle::Body, 14.0, FontFamily::Proportional),
            (TextStyle::Button, 14.0, FontFamily::Proportional),
            (TextStyle::Heading, 20.0, FontFamily::Proportional),
            (TextStyle::Monospace, 13.0, FontFamily::Monospace),
            (TextStyle::Small, 11.5, FontFamily::Proportional),
        ] {
            style
                .text_styles
                .insert(text_style, FontId::new(size, family));
        }
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

/// A country picker: shows the chosen country's name, and a popup that searches names and
/// codes. Returns the ISO-3 code the user picked, if they picked one this frame.
pub fn country_picker(
    ui: &mut egui::Ui,
    id_salt: &str,
    current: &str,
    query: &mut String,
) -> Option<String> {
    country_picker_labelled(ui, id_salt, current, query, None)
}

/// [`country_picker`] whose button is named by the label `label` (for accessibility).
pub fn country_picker_labelled(
    ui: &mut egui::Ui,
    id_salt: &str,
    current: &str,
    query: &mut String,
    label: Option<egui::Id>,
) -> Option<String> {
    let t = Tokens::of(ui);
    let shown = match countries::by_iso3(current.trim()) {
        Some(c) => format!("{} — {}", c.iso3, c.name),
        None if current.trim().is_empty() => "Choose a country…".to_string(),
        None => format!("{current} (not an ISO code)"),
    };
    let mut picked = None;
    let button = egui::Button::new(shown).min_size(egui::vec2(260.0, 0.0));
    let mut response = ui
        .add(button)
        .on_hover_text("Search by name or code; writes the ISO 3166-1 alpha-3 code");
    if let Some(l) = label {
        response = response.labelled_by(l);
    }
    egui::Popup::from_toggle_button_response(&response)
        .id(ui.make_persistent_id(id_salt))
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            ui.set_min_width(300.0);
            let search_label = ui.label("Search countries");
            ui.label(
                egui::RichText::new("Enter chooses the first country found.")
                    .small()
                    .color(t.muted),
            );
            let edit = ui
                .add(
                    egui::TextEdit::singleline(query)
                        .hint_text(example_hint(ui, "Portugal, or PRT"))
                        .desired_width(280.0),
                )
                .labelled_by(search_label.id);
            edit.request_focus();
            let results = if query.trim().is_empty() {
                countries::search(current, 12)
            } else {
                countries::search(query, 12)
            };
            // Enter picks the first match (shown highlighted) once something is typed.
            let first = (!query.trim().is_empty())
                .then(|| results.first().map(|c| c.iso3))
                .flatten();
            if let Some(code) = first
                && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
            {
                picked = Some(code.to_string());
                query.clear();
                ui.close();
            }
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    if results.is_empty() {
                        ui.colored_label(t.muted, "No country matches.");
                    }
                    for c in results {
                        let r = ui.selectable_label(
                            c.iso3 == current,
                            format!("{} — {}", c.iso3, c.name),
                        );
                        let r = if Some(c.iso3) == first {
                            r.highlight().on_hover_text("Enter picks this one")
                        } else {
                            r
                        };
                        if r.clicked() {
                            picked = Some(c.iso3.to_string());
                            query.clear();
                            ui.close();
                        }
                    }
                });
        });
    picked
}

/// The pieces of a message: (text, is a code span). Code spans are written between
/// backticks in messages (`` `country_code` ``); a backtick without its pair stays as it is.
pub fn code_spans(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('`') {
        let Some(j) = rest[i + 1..].find('`') else {
            break;
        };
        if i > 0 {
            out.push((&rest[..i], false));
        }
        let code = &rest[i + 1..i + 1 + j];
        if !code.is_empty() {
            out.push((code, true));
        }
        rest = &rest[i + 2 + j..];
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

/// A message laid out with its code spans in monospace (no backticks).
pub fn message_job(
    ui: &egui::Ui,
    text: &str,
    color: egui::Color32,
    small: bool,
) -> egui::text::LayoutJob {
    let size = if small {
        egui::TextStyle::Small.resolve(ui.style()).size
    } else {
        egui::TextStyle::Body.resolve(ui.style()).size
    };
    let mono = egui::FontId::monospace(
        egui::TextStyle::Monospace
            .resolve(ui.style())
            .size
            .min(size),
    );
    let prop = egui::FontId::proportional(size);
    let code_bg = ui.visuals().code_bg_color;
    let mut job = egui::text::LayoutJob::default();
    for (piece, code) in code_spans(text) {
        let mut format =
            egui::TextFormat::simple(if code { mono.clone() } else { prop.clone() }, color);
        if code {
            format.background = code_bg;
        }
        job.append(piece, 0.0, format);
    }
    job.wrap.max_width = f32::INFINITY;
    job
}

/// A message label (code spans in monospace); `color` defaults to the text colour.
pub fn message_label(
    ui: &mut egui::Ui,
    text: &str,
    color: Option<egui::Color32>,
) -> egui::Response {
    let color = color.unwrap_or_else(|| ui.visuals().text_color());
    let job = message_job(ui, text, color, false);
    ui.add(egui::Label::new(job).wrap())
}

/// A small message label (code spans in monospace).
pub fn small_message_label(ui: &mut egui::Ui, text: &str, color: egui::Color32) -> egui::Response {
    let job = message_job(ui, text, color, true);
    ui.add(egui::Label::new(job).wrap())
}

/// A message as a link (clickable; code spans in monospace).
pub fn message_link(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let job = message_job(ui, text, ui.visuals().hyperlink_color, false);
    ui.add(egui::Link::new(job))
}

/// The hint of an empty field: "e.g. …" in italics and a weak colour, so it never reads as
/// a value.
pub fn example_hint(ui: &egui::Ui, example: &str) -> egui::RichText {
    egui::RichText::new(format!("e.g. {example}"))
        .italics()
        .color(ui.visuals().weak_text_color())
}

/// The hint of an empty field that says what to do (not an example): italics, weak colour.
pub fn instruction_hint(ui: &egui::Ui, text: &str) -> egui::RichText {
    egui::RichText::new(text)
        .italics()
        .color(ui.visuals().weak_text_color())
}

/// Degrees with six decimals (about 10 cm), always six, so a column of them lines up when
/// set right-aligned in monospace; never `-0.000000`.
pub fn degrees(x: f64) -> String {
    let s = format!("{x:.6}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// A labelled row of the form: a fixed-width label (with hover help) and the control.
pub fn field_row<R>(
    ui: &mut egui::Ui,
    label: &str,
    help: &str,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> (egui::Response, R) {
    ui.horizontal(|ui| {
        let l = ui
            .add_sized(
                [tokens::LABEL_WIDTH, 20.0],
                egui::Label::new(label).truncate(),
            )
            .on_hover_text(help);
        let r = add(ui);
        (l, r)
    })
    .inner
}

/// Copies `from` into the case folder (keeping its name, or adding `-2`, `-3` … when a
/// different file has that name). Returns the `./name` to write.
pub fn copy_into_case(case_dir: &Path, from: &Path) -> Result<String, String> {
    let name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{}: not a file", from.display()))?;
    let name = sanitize_file_name(&name);
    if from.parent().is_some_and(|p| same_dir(p, case_dir)) {
        return Ok(format!("./{name}"));
    }
    let bytes = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (name.clone(), String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            name.clone()
        } else {
            format!("{stem}-{n}{ext}")
        };
        let dest = case_dir.join(&candidate);
        match std::fs::read(&dest) {
            Ok(existing) if existing == bytes => return Ok(format!("./{candidate}")),
            Ok(_) => continue,
            Err(_) => {
                casebook_core::save::safe_write(&dest, &bytes).map_err(|e| e.to_string())?;
                return Ok(format!("./{candidate}"));
            }
        }
    }
    Err(format!(
        "{}: too many files with that name in the case folder",
        name
    ))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// A file name safe to write into the front matter: spaces to `-`, no control characters.
fn sanitize_file_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_with_fresh_names() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let case = t.path().join("case");
        std::fs::create_dir(&case)?;
        let a = t.path().join("My photo.jpg");
        std::fs::write(&a, b"one")?;
        assert_eq!(copy_into_case(&case, &a), Ok("./My-photo.jpg".to_string()));
        assert_eq!(copy_into_case(&case, &a), Ok("./My-photo.jpg".to_string()));
        std::fs::write(&a, b"two")?;
        assert_eq!(
            copy_into_case(&case, &a),
            Ok("./My-photo-2.jpg".to_string())
        );
        Ok(())
    }
}
