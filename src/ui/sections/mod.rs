//! The sections view: one editor per `## ` section, in document order.
//!
//! Each section shows its heading (rename, delete), the template's guidance with a word meter
//! against its target, its findings, and a Markdown editor with light highlighting. Template
//! sections the case lacks appear as "Add section …" buttons where the template puts them.
//!
//! Each editor edits a buffer kept here; typing sends the buffer as an
//! [`Edit::SetSectionText`]. The buffer is replaced from the document only when the document's
//! text for the section changed behind it (undo, redo, reload, an inserted image), so typing is
//! never lost. Costs stay proportional to what changed: the highlighting is memoized by text,
//! word counts are taken when a buffer changes, and large editors scrolled out of view are not
//! laid out at all.

use std::path::{Path, PathBuf};

use casebook_core::checks::{Diagnostic, Severity, Target as DiagTarget};
use casebook_core::document::Document;
use casebook_core::edit::Edit;
use casebook_core::sections::{self, same_heading};
use casebook_core::template::{self, Target, TemplateSection};
use casebook_core::text::normalize_newlines;
use egui::text::{CCursor, CCursorRange};
use egui::{Align, Color32, Key, RichText, Sense, Stroke};

use super::highlight::{self, HighlightStyle};
use super::spelling::{self, Action, Checker, Marks, Spelling};
use super::tokens::{self, Tokens};
use super::{Focus, ImportPurpose, Intent, ViewCtx};
use crate::ui::command::Command;
use crate::ui::purpose::Purpose;

/// Editors holding more text than this are skipped while scrolled out of view.
const CULL_MIN_BYTES: usize = 8 * 1024;
/// Above this size, word counts are refreshed at most every [`RECOUNT_SECONDS`] while typing.
const DEFER_COUNT_BYTES: usize = 32 * 1024;
/// How often a large section's word count is refreshed while typing.
const RECOUNT_SECONDS: f64 = 0.4;
/// How long a focused "Add section" button stays highlighted.
const FLASH_SECONDS: f64 = 2.5;
/// How much of a section's text the delete confirmation shows.
const CONFIRM_PREVIEW_CHARS: usize = 1200;
/// Image files that can be dropped onto an editor.
const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "webp", "gif", "svg"];

/// Widget state of the sections view.
#[derive(Default)]
pub struct SectionsState {
    /// One buffer per document section, by index.
    buffers: Vec<Buffer>,
    /// The case the buffers belong to.
    case_path: Option<PathBuf>,
    /// A heading being renamed.
    renaming: Option<Rename>,
    /// The section whose deletion waits for confirmation.
    confirm_delete: Option<usize>,
    /// The name typed for a new custom section (`Some` while the prompt is open).
    new_section: Option<NewSection>,
    /// The open link form.
    link_form: Option<LinkForm>,
    /// A missing section's heading to highlight, until a time.
    flash: Option<(String, f64)>,
    /// A section editor to focus once it exists (after adding a section).
    focus_next: Option<usize>,
    /// The editor the pointer was last over (drop target when the pointer position is unknown).
    last_hovered: Option<usize>,
}

/// One section's editor buffer.
struct Buffer {
    /// What the editor shows and edits.
    text: String,
    /// The document's text for the section when last reconciled (`\n` line breaks).
    synced: String,
    /// Words in `text` as last counted.
    words: usize,
    /// Items in `text` as last counted.
    items: usize,
    /// Whether the counts are stale.
    count_stale: bool,
    /// When the counts were last taken (ui time).
    counted_at: f64,
    /// The editor's size last time it was laid out (for skipping it out of view).
    size: Option<egui::Vec2>,
    /// Its misspelled words (underlined) and their right-click menu.
    spell: Marks,
}

impl Buffer {
    fn new(text: String) -> Buffer {
        let mut b = Buffer {
            synced: text.clone(),
            text,
            words: 0,
            items: 0,
            count_stale: true,
            counted_at: f64::NEG_INFINITY,
            size: None,
            spell: Marks::default(),
        };
        b.spell.touch();
        b.recount(0.0);
        b
    }

    fn recount(&mut self, now: f64) {
        self.words = sections::words(&self.text);
        self.items = template::item_count(&self.text);
        self.count_stale = false;
        self.counted_at = now;
    }

    /// Takes a new text from the document.
    fn reset(&mut self, text: String) {
        self.synced.clone_from(&text);
        self.text = text;
        self.count_stale = true;
        self.counted_at = f64::NEG_INFINITY;
        self.spell.touch();
    }
}

/// A heading being renamed.
struct Rename {
    section: usize,
    draft: String,
    focus: bool,
}

/// The name prompt of a new section.
struct NewSection {
    name: String,
    /// Whether the field still has to take the keyboard focus.
    focus: bool,
}

/// The link form of one section.
struct LinkForm {
    section: usize,
    /// Char index in the section's buffer where the link goes.
    at: usize,
    /// Chars selected at `at` (replaced by the link).
    selected: usize,
    text: String,
    url: String,
}

/// What the view knows about one section this frame.
struct SectionInfo<'a> {
    index: usize,
    heading: &'a str,
    template: Option<&'a TemplateSection>,
    guidance: Option<&'a str>,
    targets: Vec<Target>,
    /// The template lists no sections at all (then no section is "not in the template").
    template_has_no_sections: bool,
}

impl SectionsState {
    /// Brings the buffers in line with the document: a buffer is replaced only when the
    /// document's text for its section is neither what was last seen nor what the buffer
    /// would write.
    fn sync(&mut self, doc: &Document, case_path: &Path) {
        if self.case_path.as_deref() != Some(case_path) {
            *self = SectionsState {
                case_path: Some(case_path.to_path_buf()),
                ..SectionsState::default()
            };
        }
        let text = doc.text();
        let sections = &doc.body().sections;
        self.buffers.truncate(sections.len());
        for (i, s) in sections.iter().enumerate() {
            let raw = &text[s.content.clone()];
            match self.buffers.get_mut(i) {
                None => self.buffers.push(Buffer::new(normalize_newlines(raw))),
                Some(b) => {
                    if same_text(raw, &b.synced) {
                        continue;
                    }
                    if same_text(raw, canonical(&b.text)) {
                        // Our own edit came back.
                        b.synced = normalize_newlines(raw);
                    } else {
                        b.reset(normalize_newlines(raw));
                    }
                }
            }
        }
        if self
            .renaming
            .as_ref()
            .is_some_and(|r| r.section >= sections.len())
        {
            self.renaming = None;
        }
        if self.confirm_delete.is_some_and(|i| i >= sections.len()) {
            self.confirm_delete = None;
        }
        if self
            .link_form
            .as_ref()
            .is_some_and(|f| f.section >= sections.len())
        {
            self.link_form = None;
        }
    }
}

impl SectionsState {
    /// The words underlined in section `i`'s editor (as last checked).
    pub fn flagged(&self, i: usize) -> Vec<String> {
        self.buffers
            .get(i)
            .map(|b| b.spell.list().iter().map(|m| m.word.clone()).collect())
            .unwrap_or_default()
    }

    /// Where the underline of `word` in section `i` was painted last frame (screen).
    pub fn underline(&self, i: usize, word: &str) -> Option<egui::Rect> {
        let b = self.buffers.get(i)?;
        b.spell
            .painted()
            .iter()
            .find(|(_, w)| w == word)
            .map(|(r, _)| *r)
    }
}

/// Whether the document's `raw` text (any line breaks) equals `norm` (`\n` line breaks).
fn same_text(raw: &str, norm: &str) -> bool {
    if raw == norm {
        return true;
    }
    raw.contains('\r') && normalize_newlines(raw) == norm
}

/// What the document keeps of an editor's text: without leading blank lines and trailing
/// whitespace (the document's section content never holds them).
pub fn canonical(text: &str) -> &str {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    text[start..].trim_end()
}

/// Lays `add` out in a centred column no wider than [`tokens::TEXT_COLUMN_MAX`].
pub fn column<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let available = ui.available_width();
    let width = available.min(tokens::TEXT_COLUMN_MAX);
    let pad = ((available - width) / 2.0).floor().max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(pad);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
    .inner
}

/// Draws the sections view.
pub fn sections_ui(ui: &mut egui::Ui, state: &mut SectionsState, cx: &ViewCtx<'_>) -> Vec<Intent> {
    let doc = cx.case.doc();
    state.sync(doc, cx.case.index_path());
    let mut out = Vec::new();
    let spelling = Spelling::shared(ui.ctx());
    let checker = match spelling.lock() {
        Ok(mut s) => {
            s.update(ui.ctx(), cx.case, cx.revision);
            s.checker()
        }
        Err(_) => None,
    };
    let now = ui.input(|i| i.time);
    if let Some(Focus::MissingSection(h)) = cx.focus {
        state.flash = Some((h.clone(), now + FLASH_SECONDS));
    }
    if state.flash.as_ref().is_some_and(|(_, until)| *until <= now) {
        state.flash = None;
    }
    let focus_section = match cx.focus {
        Some(Focus::Section(i)) => Some(*i),
        _ => state.focus_next.take(),
    };
    let missing: Vec<(Option<usize>, &TemplateSection)> = cx
        .template
        .missing_sections(doc)
        .into_iter()
        .map(|s| (cx.template.insert_before(doc, &s.heading), s))
        .collect();
    let dropped = dropped_image(ui);
    let hl = HighlightStyle::of(ui);
    let mut placed: Vec<Placed> = Vec::new();

    egui::ScrollArea::vertical()
        .id_salt("sections-view")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            column(ui, |ui| {
                ui.add_space(tokens::GAP_SMALL);
                header_ui(ui, cx, &mut out);
                let count = doc.body().sections.len();
                for i in 0..count {
                    for (_, m) in missing.iter().filter(|(b, _)| *b == Some(i)) {
                        add_button_ui(ui, state, cx, m, Some(i), &mut out);
                    }
                    let s = &doc.body().sections[i];
                    let template = cx.template.section(&s.heading);
                    let guidance = template
                        .and_then(|t| t.guidance.as_deref())
                        .or(s.guidance.as_ref().map(|g| g.text.as_str()));
                    let targets = match template {
                        Some(t) if !t.targets.is_empty() => t.targets.clone(),
                        _ => s
                            .guidance
                            .as_ref()
                            .map(|g| template::parse_targets(&g.text))
                            .unwrap_or_default(),
                    };
                    let info = SectionInfo {
                        index: i,
                        heading: &s.heading,
                        template,
                        guidance,
                        targets,
                        template_has_no_sections: cx.template.sections.is_empty(),
                    };
                    placed.extend(section_ui(
                        ui,
                        state,
                        cx,
                        &info,
                        &hl,
                        checker.as_ref(),
                        focus_section == Some(i),
                        &mut out,
                    ));
                }
                for (_, m) in missing.iter().filter(|(b, _)| b.is_none()) {
                    add_button_ui(ui, state, cx, m, None, &mut out);
                }
                ui.add_space(tokens::GAP);
                custom_section_ui(ui, state, cx, &mut out);
                ui.add_space(tokens::GAP * 2.0);
            });
        });
    if let Some(path) = dropped {
        match drop_intent(ui.ctx(), state, &placed, &path) {
            Some(intent) => out.push(intent),
            None => out.push(Intent::Status(
                "Drop the image onto a section's text to insert it there.".to_string(),
            )),
        }
    }
    if let Some((_, until)) = &state.flash {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64((until - now).max(0.05)));
    }
    if state.buffers.iter().any(|b| b.count_stale) {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(RECOUNT_SECONDS));
    }
    out
}

/// The top of the view: the stub's upgrade button and a summary.
fn header_ui(ui: &mut egui::Ui, cx: &ViewCtx<'_>, out: &mut Vec<Intent>) {
    let t = Tokens::of(ui);
    if cx.template.is_stub() {
        egui::Frame::new()
            .fill(t.guidance_bg)
            .inner_margin(egui::Margin::same(8))
            .corner_radius(tokens::BADGE_RADIUS)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label("This case is a stub: it has only the stub template's sections.");
                    if ui
                        .button("Upgrade to full case study")
                        .on_hover_text(Command::UpgradeToCaseStudy.tooltip())
                        .clicked()
                    {
                        out.push(Intent::Command(Command::UpgradeToCaseStudy));
                    }
                });
            });
        ui.add_space(tokens::GAP_SMALL);
    }
    let n = cx.case.doc().body().sections.len();
    let missing = cx.template.missing_sections(cx.case.doc()).len();
    let sections = crate::ui::problems::count_of(n, "section");
    let summary = match missing {
        _ if cx.template.sections.is_empty() => format!(
            "{sections}. The {} template lists no sections, so the case's own are all it asks for.",
            cx.template.name
        ),
        0 => format!("{sections}, following the {} template.", cx.template.name),
        1 => format!(
            "{sections}; 1 of the {} template's sections is missing.",
            cx.template.name
        ),
        m => format!(
            "{sections}; {m} of the {} template's sections are missing.",
            cx.template.name
        ),
    };
    ui.label(RichText::new(summary).color(t.muted));
    ui.add_space(tokens::GAP_SMALL);
}

/// One section: heading row, guidance, meter, findings, tools and editor.
#[allow(clippy::too_many_arguments)]
fn section_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    cx: &ViewCtx<'_>,
    info: &SectionInfo<'_>,
    hl: &HighlightStyle,
    checker: Option<&Checker>,
    focus_here: bool,
    out: &mut Vec<Intent>,
) -> Option<Placed> {
    let t = Tokens::of(ui);
    let i = info.index;
    let editor_id = ui.make_persistent_id(("section-editor", i));
    ui.push_id(("section", i), |ui| {
        ui.add_space(tokens::GAP_SMALL);
        ui.separator();
        let heading_label = heading_row_ui(ui, state, info, out);
        if focus_here && let Some(label) = &heading_label {
            label.scroll_to_me(Some(Align::TOP));
        }
        if state.confirm_delete == Some(i) {
            confirm_delete_ui(ui, state, info, out);
        }
        if let Some(g) = info.guidance {
            egui::CollapsingHeader::new(RichText::new("Guidance").color(t.muted))
                .id_salt("guidance")
                .default_open(true)
                .show(ui, |ui| {
                    egui::Frame::new()
                        .fill(t.guidance_bg)
                        .inner_margin(egui::Margin::same(6))
                        .corner_radius(tokens::BADGE_RADIUS)
                        .show(ui, |ui| {
                            ui.set_width(ui.available_width());
                            ui.label(RichText::new(g).color(t.muted));
                        });
                });
        }
        let now = ui.input(|inp| inp.time);
        if let Some(b) = state.buffers.get_mut(i)
            && b.count_stale
            && (b.text.len() <= DEFER_COUNT_BYTES || now - b.counted_at >= RECOUNT_SECONDS)
        {
            b.recount(now);
        }
        if let Some(b) = state.buffers.get(i) {
            meter_ui(ui, &t, info, b);
        }
        for d in cx
            .diagnostics
            .iter()
            .filter(|d| matches!(d.target, DiagTarget::Section { index: Some(j), .. } if j == i))
            // Spelling hints are many and belong in the text (underlined), not under the meter.
            .filter(|d| d.severity < Severity::Hint)
        {
            diagnostic_ui(ui, &t, d);
        }
        tools_ui(ui, state, i, info.heading, editor_id, out);
        editor_ui(
            ui,
            state,
            info,
            editor_id,
            heading_label.map(|l| l.id),
            hl,
            checker,
            focus_here,
            out,
        )
    })
    .inner
}

/// Why a section's text changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextChange {
    /// Typing: merges into one undo step per section.
    Typed,
    /// A link inserted: a step of its own.
    Link,
    /// A spelling correction chosen in the right-click menu: a step of its own.
    Spelling,
}

/// Queues the edit that writes a buffer into its section.
fn push_text_edit(out: &mut Vec<Intent>, i: usize, heading: &str, b: &Buffer, why: TextChange) {
    let new = canonical(&b.text);
    if new == b.synced {
        return;
    }
    let (label, merge) = match why {
        TextChange::Typed => (format!("Text of {heading}"), Some(format!("section:{i}"))),
        TextChange::Link => (format!("Insert link in {heading}"), None),
        TextChange::Spelling => (format!("Spelling correction in {heading}"), None),
    };
    out.push(Intent::edit(
        Edit::SetSectionText {
            section: i,
            text: new.to_string(),
        },
        label,
        merge,
    ));
}

/// The section's editor (or, for a large one out of view, the space it takes).
#[allow(clippy::too_many_arguments)]
fn editor_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    info: &SectionInfo<'_>,
    editor_id: egui::Id,
    label: Option<egui::Id>,
    hl: &HighlightStyle,
    checker: Option<&Checker>,
    focus_here: bool,
    out: &mut Vec<Intent>,
) -> Option<Placed> {
    let t = Tokens::of(ui);
    let i = info.index;
    let b = state.buffers.get_mut(i)?;
    let width = ui.available_width();
    let has_focus = ui.memory(|m| m.has_focus(editor_id));
    if b.text.len() > CULL_MIN_BYTES
        && !has_focus
        && !focus_here
        && let Some(size) = b.size
        && (size.x - width).abs() < 0.5
    {
        let predicted = egui::Rect::from_min_size(ui.cursor().min, size);
        if !ui.is_rect_visible(predicted) {
            ui.allocate_exact_size(size, Sense::hover());
            return None;
        }
    }
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = highlight::highlight(ui.ctx(), hl, buf.as_str());
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let output = egui::TextEdit::multiline(&mut b.text)
        .id(editor_id)
        .desired_width(f32::INFINITY)
        .desired_rows(4)
        .hint_text(crate::ui::widgets::instruction_hint(
            ui,
            &format!("Write the {} section here.", info.heading),
        ))
        .layouter(&mut layouter)
        .show(ui);
    let mut response = output.response.response.clone();
    response = match label {
        Some(id) => response.labelled_by(id),
        None => response.accessible_name(info.heading),
    };
    b.size = Some(response.rect.size());
    if focus_here {
        response.request_focus();
        if label.is_none() {
            response.scroll_to_me(Some(Align::TOP));
        }
    }
    if response.changed() {
        if b.text.contains('\r') {
            b.text = normalize_newlines(&b.text);
        }
        b.count_stale = true;
        b.spell.touch();
        push_text_edit(out, i, info.heading, b, TextChange::Typed);
    }
    // Spelling: underline the flagged words (re-checked only where the text changed) and
    // offer corrections on right-click.
    b.spell.refresh_markdown(&b.text, checker);
    let shown = spelling::Placed::from(&output);
    // TextEdit lays the galley out again after an edit: it matches the text.
    spelling::paint(ui, &shown, &mut b.spell);
    match spelling::menu_ui(&response, &shown, &mut b.spell, checker) {
        Some(Action::Replace { bytes, word, with }) => {
            if let Some(text) = spelling::replaced(&b.text, &bytes, &word, &with) {
                b.text = text;
                b.count_stale = true;
                b.spell.touch();
                push_text_edit(out, i, info.heading, b, TextChange::Spelling);
                // Back to writing where the word was.
                response.request_focus();
            }
        }
        Some(Action::Accept(word, to)) => out.push(spelling::accept(ui.ctx(), &word, to)),
        None => {}
    }
    // Image files dragged over the editor.
    let pointer = ui.input(|inp| inp.pointer.latest_pos());
    let over = pointer.is_some_and(|p| response.rect.contains(p));
    if over {
        state.last_hovered = Some(i);
    }
    let hovering_files = ui.input(|inp| {
        inp.raw
            .hovered_files
            .iter()
            .any(|f| f.path.as_deref().is_none_or(is_image))
    });
    if hovering_files && over {
        ui.painter().rect_stroke(
            response.rect.expand(2.0),
            4.0,
            Stroke::new(2.0, t.info),
            egui::StrokeKind::Outside,
        );
    }
    Some(Placed {
        section: i,
        id: editor_id,
        rect: response.rect,
        focused: response.has_focus(),
    })
}

mod meter;
mod structure;
#[cfg(test)]
mod tests;
mod tools;

pub use meter::{Standing, item_meter, standing, word_meter};
use meter::{diagnostic_ui, meter_ui};
use structure::*;
use tools::*;
pub use tools::{is_image, is_unsafe_scheme, link_markdown};
