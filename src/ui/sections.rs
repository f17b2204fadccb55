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
use super::tokens::{self, Tokens};
use super::{Focus, ImportPurpose, Intent, ViewCtx};
use crate::app::command::Command;
use crate::app::files::Purpose;

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
        };
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
                    };
                    placed.extend(section_ui(
                        ui,
                        state,
                        cx,
                        &info,
                        &hl,
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
    let summary = match missing {
        0 => format!("{n} sections, following the {} template.", cx.template.name),
        m => format!(
            "{n} sections; {m} of the {} template's sections are missing.",
            cx.template.name
        ),
    };
    ui.label(RichText::new(summary).color(t.muted));
    ui.add_space(tokens::GAP_SMALL);
}

/// The "Add section …" button of a template section the case lacks.
fn add_button_ui(
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
        out.push(Intent::edit(
            Edit::InsertSection {
                before,
                heading: section.heading.clone(),
                guidance: section.guidance.clone(),
                text: String::new(),
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
fn custom_section_ui(
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
        let (before, heading, guidance) = match from_template {
            Some(ts) => (
                cx.template.insert_before(doc, &ts.heading),
                ts.heading.clone(),
                ts.guidance.clone(),
            ),
            None => (None, trimmed, None),
        };
        state.focus_next = Some(before.unwrap_or(doc.body().sections.len()));
        out.push(Intent::edit(
            Edit::InsertSection {
                before,
                heading: heading.clone(),
                guidance,
                text: String::new(),
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

/// One section: heading row, guidance, meter, findings, tools and editor.
#[allow(clippy::too_many_arguments)]
fn section_ui(
    ui: &mut egui::Ui,
    state: &mut SectionsState,
    cx: &ViewCtx<'_>,
    info: &SectionInfo<'_>,
    hl: &HighlightStyle,
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
            focus_here,
            out,
        )
    })
    .inner
}

/// The heading (or its rename field), the "not in the template" mark, rename and delete.
/// Returns the heading label (what the editor is labelled by).
fn heading_row_ui(
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
                let mut done = false;
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
        if info.template.is_none() {
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
fn confirm_delete_ui(
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

/// The word meter (and item meter) against the guidance's targets.
fn meter_ui(ui: &mut egui::Ui, t: &Tokens, info: &SectionInfo<'_>, b: &Buffer) {
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
    let words = if n == 1 {
        "1 word".to_string()
    } else {
        format!("{n} words")
    };
    let Some(target) = target else {
        return (words, t.muted);
    };
    let (mark, color) = match standing(n, target) {
        Standing::Within => ("within", t.ok),
        Standing::Under => ("under", t.warning),
        Standing::Over => ("over", t.warning),
    };
    (
        format!("{words} · target {} · {mark}", target.describe()),
        color,
    )
}

/// "3 items · target 3–5 high-level goals · within" and its colour.
pub fn item_meter(n: usize, target: &Target, t: &Tokens) -> (String, Color32) {
    let items = if n == 1 {
        "1 item".to_string()
    } else {
        format!("{n} items")
    };
    let (mark, color) = match standing(n, target) {
        Standing::Within => ("within", t.ok),
        Standing::Under => ("too few", t.warning),
        Standing::Over => ("too many", t.warning),
    };
    (
        format!("{items} · target {} · {mark}", target.describe()),
        color,
    )
}

/// One finding under a section.
fn diagnostic_ui(ui: &mut egui::Ui, t: &Tokens, d: &Diagnostic) {
    let color = match d.severity {
        Severity::Error => t.error,
        Severity::Warning => t.warning,
        Severity::Info => t.info,
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(d.severity.label()).small().color(color))
            .on_hover_text(d.code);
        let mut text = d.message.clone();
        if let Some(fix) = &d.fix {
            text.push_str(" — ");
            text.push_str(fix);
        }
        ui.label(RichText::new(text).small());
    });
}

/// "Insert image…" and "Insert link…" (with the link form when open).
fn tools_ui(
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
fn cursor_of(ctx: &egui::Context, editor_id: egui::Id) -> Option<(usize, usize)> {
    let range = egui::TextEdit::load_state(ctx, editor_id)?
        .cursor
        .char_range()?;
    let [a, b] = range.sorted_cursors();
    Some((a.index.0, b.index.0 - a.index.0))
}

/// The link form: text and address, inserted as `[text](url)`.
fn link_form_ui(
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
                            .hint_text("https://…")
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
        let link = link_markdown(&form.text, form.url.trim());
        let (at, selected) = (form.at, form.selected);
        if let Some(b) = state.buffers.get_mut(i) {
            let start = byte_of_char(&b.text, at);
            let end = byte_of_char(&b.text, at + selected);
            b.text.replace_range(start..end, &link);
            b.count_stale = true;
            push_text_edit(out, i, heading, b, false);
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
fn byte_of_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

/// Queues the edit that writes a buffer into its section.
/// Typing (`typed`) merges into one undo step per section; other changes are steps of their own.
fn push_text_edit(out: &mut Vec<Intent>, i: usize, heading: &str, b: &Buffer, typed: bool) {
    let new = canonical(&b.text);
    if new == b.synced {
        return;
    }
    let (label, merge) = if typed {
        (format!("Text of {heading}"), Some(format!("section:{i}")))
    } else {
        (format!("Insert link in {heading}"), None)
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
        .hint_text(format!("Write the {} section here.", info.heading))
        .layouter(&mut layouter)
        .show(ui);
    let mut response = output.response.response;
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
        push_text_edit(out, i, info.heading, b, true);
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

/// Where an editor was drawn this frame.
#[derive(Debug, Clone, Copy)]
struct Placed {
    section: usize,
    id: egui::Id,
    rect: egui::Rect,
    focused: bool,
}

/// The import of an image dropped on the view: into the editor under the pointer, else the
/// focused one, else the one last hovered.
fn drop_intent(
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
fn dropped_image(ui: &egui::Ui) -> Option<PathBuf> {
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
mod tests {
    use super::*;
    use casebook_core::case::Case;
    use casebook_core::template::{Template, TemplateSet};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    const TEXT: &str = "---\ntitle: Test case\ntemplate: case-study\nstatus: Draft\n---\n\n## Overview\n\n<!-- Sum up the whole case in about 100 to 150 words. -->\n\nOld overview text.\n\n## Key Characteristics\n\nSome **text** here.\n\n## Extra Notes\n\nMine, not the template's.\n";

    /// What the test harness holds: the case and what the app would do with intents.
    struct World {
        case: Case,
        template: Template,
        sections: SectionsState,
        revision: u64,
        focus: Option<Focus>,
        other: Vec<Intent>,
        labels: Vec<(String, Option<String>)>,
        _dir: tempfile::TempDir,
    }

    fn world(text: &str, template: &str) -> World {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let template = TemplateSet::bundled()
            .get(template)
            .cloned()
            .unwrap_or_else(|| panic!("no template {template}"));
        World {
            case: Case::from_text(dir.path(), text),
            template,
            sections: SectionsState::default(),
            revision: 0,
            focus: None,
            other: Vec::new(),
            labels: Vec::new(),
            _dir: dir,
        }
    }

    fn frame(ui: &mut egui::Ui, w: &mut World) {
        let cx = ViewCtx {
            case: &w.case,
            template: &w.template,
            diagnostics: &[],
            revision: w.revision,
            focus: w.focus.as_ref(),
        };
        let intents = sections_ui(ui, &mut w.sections, &cx);
        w.focus = None;
        for i in intents {
            match i {
                Intent::Edit { edit, label, merge } => match w.case.apply(&edit) {
                    Ok(Some(_)) => {
                        w.revision += 1;
                        w.labels.push((label, merge));
                    }
                    Ok(None) => {}
                    Err(e) => panic!("edit failed: {e}"),
                },
                other => w.other.push(other),
            }
        }
    }

    fn harness(w: World) -> Harness<'static, World> {
        Harness::builder()
            .with_size(egui::vec2(1280.0, 1600.0))
            .build_ui_state(frame, w)
    }

    fn text_of(h: &Harness<'_, World>) -> String {
        String::from_utf8_lossy(&h.state().case.index_bytes()).into_owned()
    }

    #[test]
    fn typing_changes_only_that_section() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Overview").focus();
        h.run();
        h.key_press(egui::Key::End);
        h.get_by_label("Overview").type_text(" New words.");
        h.run();
        let after = text_of(&h);
        assert_eq!(
            after,
            TEXT.replace("Old overview text.", "Old overview text. New words.")
        );
        assert_eq!(h.state().revision, 1);
        assert_eq!(
            h.state().labels,
            [(
                "Text of Overview".to_string(),
                Some("section:0".to_string())
            )]
        );
        // The cursor moves with what was typed; the buffer keeps it all.
        h.key_press(egui::Key::Home);
        h.get_by_label("Overview").type_text("Intro. ");
        h.run();
        assert_eq!(
            text_of(&h),
            TEXT.replace("Old overview text.", "Intro. Old overview text. New words.")
        );
    }

    #[test]
    fn trailing_space_waits_for_the_next_word() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Overview").focus();
        h.run();
        h.key_press(egui::Key::End);
        h.get_by_label("Overview").type_text(" ");
        h.run();
        assert_eq!(text_of(&h), TEXT, "a trailing space alone changes nothing");
        h.get_by_label("Overview").type_text("Next");
        h.run();
        assert_eq!(
            text_of(&h),
            TEXT.replace("Old overview text.", "Old overview text. Next")
        );
    }

    #[test]
    fn undo_elsewhere_resets_the_buffer() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        let edit = Edit::SetSectionText {
            section: 1,
            text: "Changed behind the editor.".to_string(),
        };
        let w = h.state_mut();
        if !matches!(w.case.apply(&edit), Ok(Some(_))) {
            panic!("edit failed");
        }
        w.revision += 1;
        h.run();
        assert_eq!(
            h.get_by_label("Key Characteristics").value().as_deref(),
            Some("Changed behind the editor.")
        );
    }

    #[test]
    fn add_section_goes_to_its_template_position_with_guidance() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Add section Goals and Aspirations").click();
        h.run();
        let doc = h.state().case.doc().clone();
        let names: Vec<&str> = doc
            .body()
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(
            names[..3],
            ["Overview", "Goals and Aspirations", "Key Characteristics"]
        );
        let g = doc.body().sections[1]
            .guidance
            .as_ref()
            .map(|g| g.text.clone())
            .unwrap_or_default();
        assert!(
            g.starts_with("What does the project set out to achieve?"),
            "{g}"
        );
        let text = text_of(&h);
        assert!(text.contains("Old overview text.\n\n## Goals and Aspirations\n\n<!-- What does"));
        assert!(text.ends_with("Mine, not the template's.\n"));
        // The new section's editor exists and is labelled by its heading.
        assert!(h.query_by_label("Goals and Aspirations").is_some());
    }

    #[test]
    fn rename_commits_on_enter() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Rename Extra Notes").click();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label("Rename Extra Notes")
            .type_text("Field Notes");
        h.key_press(egui::Key::Enter);
        h.run();
        assert_eq!(
            text_of(&h),
            TEXT.replace("## Extra Notes", "## Field Notes")
        );
        assert!(h.query_by_label("Field Notes").is_some());
    }

    #[test]
    fn delete_asks_first_and_shows_the_text() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Delete section Extra Notes").click();
        h.run();
        assert_eq!(text_of(&h), TEXT, "nothing is deleted before confirming");
        assert!(
            h.query_by_label_contains("Mine, not the template's.")
                .is_some()
        );
        h.get_by_label("Delete Extra Notes").click();
        h.run();
        assert_eq!(
            text_of(&h),
            TEXT.replace("## Extra Notes\n\nMine, not the template's.\n", "")
        );
    }

    #[test]
    fn extra_sections_are_marked_and_stub_offers_upgrade() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        assert_eq!(h.query_all_by_label("not in the template").count(), 1);
        assert!(h.query_by_label("Upgrade to full case study").is_none());

        let stub = "---\ntitle: Small\ntemplate: stub\n---\n\n## Overview\n\nShort.\n";
        let mut h = harness(world(stub, "stub"));
        h.run();
        h.get_by_label("Upgrade to full case study").click();
        h.run();
        assert!(
            h.state()
                .other
                .iter()
                .any(|i| matches!(i, Intent::Command(Command::UpgradeToCaseStudy)))
        );
    }

    #[test]
    fn custom_section_is_added_at_the_end() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Add a section…").click();
        h.run();
        h.get_by_label("Name of the new section")
            .type_text("Timeline");
        h.key_press(egui::Key::Enter);
        h.run();
        assert!(
            text_of(&h).ends_with("Mine, not the template's.\n\n## Timeline\n"),
            "{}",
            text_of(&h)
        );
    }

    #[test]
    fn link_form_inserts_at_the_cursor() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.get_by_label("Extra Notes").focus();
        h.run();
        h.key_press(egui::Key::End);
        h.run();
        let buttons: Vec<_> = h.query_all_by_label("Insert link…").collect();
        buttons[2].click();
        h.run();
        h.get_by_label("Link text").focus();
        h.run();
        h.get_by_label("Link text").type_text("the site");
        h.get_by_label("Link address").focus();
        h.run();
        h.get_by_label("Link address")
            .type_text("https://example.org");
        h.run();
        h.get_by_label("Insert link").click();
        h.run();
        assert!(
            text_of(&h).contains("Mine, not the template's.[the site](https://example.org)\n"),
            "{}",
            text_of(&h)
        );
    }

    #[test]
    fn focus_scrolls_and_focuses_a_section() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.state_mut().focus = Some(Focus::Section(1));
        h.run();
        assert!(h.get_by_label("Key Characteristics").is_focused());
    }

    #[test]
    fn focus_on_a_missing_section_focuses_its_add_button() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        h.state_mut().focus = Some(Focus::MissingSection("goals and aspirations".into()));
        h.run();
        assert!(
            h.get_by_label("Add section Goals and Aspirations")
                .is_focused()
        );
    }

    /// A file dropped on the window (what winit reports).
    #[derive(Debug)]
    struct Dropped(PathBuf);

    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &Path {
            &self.0
        }

        fn bytes(&self) -> Result<Vec<u8>, String> {
            Ok(Vec::new())
        }
    }

    #[test]
    fn dropping_an_image_on_an_editor_imports_it_there() {
        let mut h = harness(world(TEXT, "case-study"));
        h.run();
        let rect = h.get_by_label("Key Characteristics").rect();
        h.hover_at(rect.center());
        h.run();
        h.input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(PathBuf::from(
                "/photos/site.JPG",
            ))));
        h.step();
        let imports: Vec<&ImportPurpose> = h
            .state()
            .other
            .iter()
            .filter_map(|i| match i {
                Intent::ImportFile { from, purpose } if from == Path::new("/photos/site.JPG") => {
                    Some(purpose)
                }
                _ => None,
            })
            .collect();
        assert_eq!(imports.len(), 1);
        assert!(matches!(
            imports[0],
            ImportPurpose::SectionImage { section: 1, .. }
        ));
        // Files that are not images are left to the app.
        h.input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(PathBuf::from(
                "/cases/other/index.md",
            ))));
        h.step();
        assert_eq!(
            h.state()
                .other
                .iter()
                .filter(|i| matches!(i, Intent::ImportFile { .. }))
                .count(),
            1
        );
    }

    #[test]
    fn canonical_matches_what_the_document_keeps() {
        assert_eq!(canonical("\n  \nText\n\n"), "Text");
        assert_eq!(canonical("  indented\nx  "), "  indented\nx");
        assert_eq!(canonical(" \n "), "");
    }

    #[test]
    fn meters_say_where_a_count_stands() {
        let t = Tokens::for_visuals(&egui::Visuals::light());
        let words = Target::Words {
            min: Some(100),
            max: Some(150),
        };
        assert_eq!(
            word_meter(132, Some(&words), &t),
            (
                "132 words · target 100–150 words · within".to_string(),
                t.ok
            )
        );
        assert_eq!(word_meter(90, Some(&words), &t).1, t.warning);
        assert_eq!(standing(151, &words), Standing::Over);
        assert_eq!(word_meter(1, None, &t).0, "1 word");
        let items = Target::Items {
            min: 3,
            max: 5,
            what: "high-level goals".into(),
        };
        assert_eq!(
            item_meter(2, &items, &t).0,
            "2 items · target 3–5 high-level goals · too few"
        );
    }

    #[test]
    fn links_are_written_safely() {
        assert_eq!(
            link_markdown("a [b]", "https://x.org/a b"),
            "[a \\[b\\]](<https://x.org/a b>)"
        );
        assert_eq!(
            link_markdown("", "https://x.org"),
            "[https://x.org](https://x.org)"
        );
        assert!(is_unsafe_scheme("javascript:alert(1)"));
        assert!(is_unsafe_scheme("data:text/html,x"));
        assert!(!is_unsafe_scheme("https://x.org"));
        assert!(!is_unsafe_scheme("./file.pdf"));
    }

    /// Frame cost with a 20,000-word section while typing, without the test harness's
    /// accessibility tree (which the app only builds for screen readers). Run with
    /// `cargo test --release --lib ui::sections::tests::frame_cost -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing; run in release"]
    fn frame_cost_with_a_long_section() {
        let mut text = String::from("---\ntitle: Long\n---\n\n## Overview\n\n");
        // Typical formatting: a bold lead-in per paragraph, a link in every second one, an
        // emphasis in every third. `CASEBOOK_HEAVY=1` bolds every seventh word instead.
        let heavy = std::env::var_os("CASEBOOK_HEAVY").is_some();
        let vocab = [
            "urban",
            "technology",
            "district",
            "residents",
            "data",
            "the",
            "of",
            "platform",
        ];
        for p in 0..200 {
            text.push_str(&format!("**Point {p}**. "));
            for w in 0..98 {
                if heavy && w % 7 == 0 {
                    text.push_str("**word** ");
                } else if w == 40 && p % 2 == 0 {
                    text.push_str("[a source](https://example.org/page) ");
                } else if w == 60 && p % 3 == 0 {
                    text.push_str("_stressed_ ");
                } else {
                    text.push_str(vocab[(p * 7 + w) % vocab.len()]);
                    text.push(' ');
                }
            }
            text.push_str("end.\n\n");
        }
        text.push_str("## Goals and Aspirations\n\nShort.\n");
        let mut w = world(&text, "case-study");
        let ctx = egui::Context::default();
        crate::ui::widgets::install_fonts_and_style(&ctx);
        let input = |events: Vec<egui::Event>| egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            events,
            ..Default::default()
        };
        let run = |w: &mut World, events: Vec<egui::Event>| {
            let t0 = std::time::Instant::now();
            let out = ctx.run_ui(input(events), |ui| {
                egui::CentralPanel::default().show(ui, |ui| frame(ui, w));
            });
            let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
            t0.elapsed()
        };
        w.focus = Some(Focus::Section(0));
        let first = run(&mut w, Vec::new());
        for _ in 0..3 {
            run(&mut w, Vec::new());
        }
        let mut typing = Vec::new();
        let mut idle = Vec::new();
        let frames: usize = std::env::var("CASEBOOK_FRAMES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(40);
        for i in 0..frames {
            typing.push(run(
                &mut w,
                vec![egui::Event::Text(if i % 6 == 5 {
                    " ".into()
                } else {
                    "x".into()
                })],
            ));
            idle.push(run(&mut w, Vec::new()));
        }
        typing.sort();
        idle.sort();
        let words = sections::words(&w.case.doc().section_text(0).unwrap_or_default());
        println!(
            "{words} words: first frame {first:?}; typing median {:?}, p90 {:?}; idle median {:?}",
            typing[typing.len() / 2],
            typing[typing.len() * 9 / 10],
            idle[idle.len() / 2]
        );
        let body = w.case.doc().section_text(0).unwrap_or_default();
        let style = HighlightStyle::new(
            &ctx.global_style(),
            &Tokens::for_visuals(&egui::Visuals::dark()),
        );
        let time = |f: &mut dyn FnMut()| {
            let t0 = std::time::Instant::now();
            for _ in 0..10 {
                f();
            }
            t0.elapsed() / 10
        };
        let hl = time(&mut || drop(highlight::highlight_uncached(&style, &body)));
        let wc = time(&mut || {
            std::hint::black_box(sections::words(&body));
        });
        let ic = time(&mut || {
            std::hint::black_box(template::item_count(&body));
        });
        let mut edited = body.clone();
        let mut k = 0;
        let apply = time(&mut || {
            k += 1;
            edited.push(if k % 2 == 0 { 'y' } else { 'z' });
            let e = Edit::SetSectionText {
                section: 0,
                text: edited.clone(),
            };
            let _ = w.case.apply(&e);
        });
        println!("highlight {hl:?}, word count {wc:?}, item count {ic:?}, core apply {apply:?}");
        assert!(
            w.revision >= 30,
            "typing reached the document ({} edits)",
            w.revision
        );
    }
}
