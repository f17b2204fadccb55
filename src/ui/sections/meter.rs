//! Word and item meters against the template's targets, and a section's findings.

use super::*;

/// The word meter (and item meter) against the guidance's targets.
pub(super) fn meter_ui(ui: &mut egui::Ui, t: &Tokens, info: &SectionInfo<'_>, b: &Buffer) {
    ui.horizontal_wrapped(|ui| {
        let word_target = info
            .targets
            .iter()
            .find(|x| matches!(x, Target::Words { .. }));
        let (text, color) = word_meter(b.words, word_target, t);
        ui.label(RichText::new(text).small().color(color));
        for target in info
            .targets
            .iter()
            .filter(|x| matches!(x, Target::Items { .. }))
        {
            let (text, color) = item_meter(b.items, target, t);
            ui.label(RichText::new("·").small().color(t.muted));
            ui.label(RichText::new(text).small().color(color))
                .on_hover_text("Counted: paragraphs that open with a bold name, else list items");
        }
    });
}

/// Where a count stands against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Fewer than the target.
    Under,
    /// Within it.
    Within,
    /// More than it.
    Over,
}

/// Where `n` stands against `target`.
pub fn standing(n: usize, target: &Target) -> Standing {
    if target.accepts(n) {
        return Standing::Within;
    }
    let below = match target {
        Target::Words { min, .. } => min.is_some_and(|m| n < m),
        Target::Items { min, .. } => n < *min,
    };
    if below {
        Standing::Under
    } else {
        Standing::Over
    }
}

/// "132 words · target 100–150 words · within" and its colour.
pub fn word_meter(n: usize, target: Option<&Target>, t: &Tokens) -> (String, Color32) {
    let words = counted(n, "word", "words");
    match target {
        Some(target) => meter(words, n, target, ["under", "within", "over"], t),
        None => (words, t.muted),
    }
}

/// "3 items · target 3–5 high-level goals · within" and its colour.
pub fn item_meter(n: usize, target: &Target, t: &Tokens) -> (String, Color32) {
    let items = counted(n, "item", "items");
    meter(items, n, target, ["too few", "within", "too many"], t)
}

/// "1 word", "3 words".
fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "`count` · target … · `mark`", the mark (under, within, over) from `marks`, and its colour.
fn meter(
    count: String,
    n: usize,
    target: &Target,
    marks: [&str; 3],
    t: &Tokens,
) -> (String, Color32) {
    let (mark, color) = match standing(n, target) {
        Standing::Under => (marks[0], t.warning),
        Standing::Within => (marks[1], t.ok),
        Standing::Over => (marks[2], t.warning),
    };
    (
        format!("{count} · target {} · {mark}", target.describe()),
        color,
    )
}

/// One finding under a section.
pub(super) fn diagnostic_ui(ui: &mut egui::Ui, t: &Tokens, d: &Diagnostic) {
    let color = t.severity(d.severity);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(d.severity.label()).small().color(color))
            .on_hover_text(d.code);
        let mut text = d.message.clone();
        if let Some(fix) = &d.fix {
            text.push_str(" — ");
            text.push_str(fix);
        }
        crate::ui::widgets::small_message_label(ui, &text, ui.visuals().text_color());
    });
}
