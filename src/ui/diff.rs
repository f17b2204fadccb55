//! The unified diff of two texts as the editor draws it: hunks with their `@@` line, removed
//! and added lines tinted, the changed words inside them tinted more. The Changes window and
//! the bulk-edit preview both draw diffs with it.

use std::collections::HashMap;

use casebook_core::text::{DiffLine, hunks, line_diff, word_diff};

use super::tokens::{self, Tokens};

/// Lines of context around changed lines.
const CONTEXT: usize = 3;

/// The unified diff of `old` and `new`: hunks with their `@@` line, removed and added lines
/// tinted, the changed words inside them tinted more.
pub fn diff_ui(ui: &mut egui::Ui, t: &Tokens, old: &str, new: &str) {
    let lines = line_diff(old, new);
    // Word highlights: the n-th removed line of a run pairs with the n-th added line after it.
    let mut words: HashMap<usize, Vec<std::ops::Range<usize>>> = HashMap::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && matches!(lines[i], DiffLine::Removed(_)) {
            i += 1;
        }
        let mid = i;
        while i < lines.len() && matches!(lines[i], DiffLine::Added(_)) {
            i += 1;
        }
        for k in 0..(mid - start).min(i - mid) {
            if let (DiffLine::Removed(a), DiffLine::Added(b)) = (&lines[start + k], &lines[mid + k])
            {
                let (ra, rb) = word_diff(trim_eol(a), trim_eol(b));
                words.insert(start + k, ra);
                words.insert(mid + k, rb);
            }
        }
        if i == start {
            i += 1;
        }
    }
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    for hunk in hunks(&lines, CONTEXT) {
        ui.label(egui::RichText::new(hunk.header()).monospace().color(t.info));
        let start = hunk.lines.start;
        for (n, l) in lines[hunk.lines.clone()].iter().enumerate() {
            let (sign, text, tint) = match l {
                DiffLine::Same(s) => (' ', *s, None),
                DiffLine::Removed(s) => ('-', *s, Some(t.error)),
                DiffLine::Added(s) => ('+', *s, Some(t.ok)),
            };
            let text = trim_eol(text);
            let mut job = egui::text::LayoutJob::default();
            let format = |bg: egui::Color32| egui::TextFormat {
                font_id: font.clone(),
                color: text_color,
                background: bg,
                ..Default::default()
            };
            let line_bg = tint.map_or(egui::Color32::TRANSPARENT, |c| {
                c.gamma_multiply(tokens::DIFF_LINE_TINT)
            });
            let word_bg = tint.map_or(egui::Color32::TRANSPARENT, |c| {
                c.gamma_multiply(tokens::DIFF_WORD_TINT)
            });
            job.append(&format!("{sign} "), 0.0, format(line_bg));
            let marks = words.get(&(start + n));
            let mut at = 0;
            for r in marks.into_iter().flatten() {
                if r.start > at {
                    job.append(&text[at..r.start], 0.0, format(line_bg));
                }
                job.append(&text[r.clone()], 0.0, format(word_bg));
                at = r.end;
            }
            job.append(&text[at..], 0.0, format(line_bg));
            ui.add(egui::Label::new(job).extend());
        }
    }
}

/// A line without its line break.
fn trim_eol(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}
