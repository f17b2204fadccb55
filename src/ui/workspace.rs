//! The left panel: the cases of the opened folder (search, filters) and the outline of the
//! open case (Details, each section, Map, with problem counts).

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks::{Diagnostic, Severity, Target};
use casebook_core::job::{Job, Poll};
use casebook_core::template::TemplateSet;
use casebook_core::workspace::{self, CaseSummary};

use super::tokens::{self, Tokens};
use super::{Focus, Intent, ViewCtx};

/// The case list and its filters.
#[derive(Default)]
pub struct WorkspaceState {
    /// The folder scanned.
    pub root: Option<PathBuf>,
    /// One summary per case found.
    pub cases: Vec<CaseSummary>,
    /// Search text (title, city, country, folder).
    pub search: String,
    /// Only this status.
    pub status: Option<String>,
    /// Only this type.
    pub kind: Option<String>,
    /// Only cases with this tag.
    pub tag: Option<String>,
    scanning: Option<Job<Vec<CaseSummary>>>,
    /// What changed in the folder's git repository (nothing outside one).
    pub vcs: super::changes::VcsState,
}

impl WorkspaceState {
    /// Scans `root` for cases on a background thread.
    pub fn scan(&mut self, root: &Path, templates: &TemplateSet) {
        self.root = Some(root.to_path_buf());
        self.vcs.refresh(root);
        let root = root.to_path_buf();
        let templates = templates.clone();
        self.scanning = Some(Job::spawn(
            || {},
            move |_| {
                let found: Vec<CaseSummary> = workspace::summarize_all(
                    &workspace::find_cases(&root),
                    &templates,
                    // The list shows error and warning counts: no spelling pass (hints).
                    casebook_core::checks::Options {
                        spelling_suggestions: false,
                        spelling: false,
                    },
                )
                .into_iter()
                .map(|(summary, _)| summary)
                .collect();
                found
            },
        ));
    }

    /// Waits for a scan (and the reading of the repository) to finish (tests).
    pub fn wait(&mut self) {
        if let Some(job) = self.scanning.take()
            && let Some(cases) = job.wait()
        {
            self.cases = cases;
        }
        self.vcs.wait();
    }

    fn poll(&mut self) {
        self.vcs.poll();
        let Some(job) = &self.scanning else {
            return;
        };
        match job.poll() {
            Poll::Done(cases) => {
                self.cases = cases;
                self.scanning = None;
            }
            Poll::Pending => {}
            Poll::Lost => self.scanning = None,
        }
    }

    /// Updates one case's line after it was saved.
    pub fn refresh_one(
        &mut self,
        _templates: &TemplateSet,
        index: &Path,
        case: &Case,
        diags: &[Diagnostic],
    ) {
        let summary = workspace::summary_of(case, diags);
        // A saved case may have changed against the repository.
        if let Some(root) = self.root.clone() {
            self.vcs.refresh(&root);
        }
        match self.cases.iter_mut().find(|c| c.path == index) {
            Some(c) => *c = summary,
            None => {
                if self.root.as_ref().is_some_and(|r| index.starts_with(r)) {
                    self.cases.push(summary);
                    self.cases.sort_by(|a, b| a.path.cmp(&b.path));
                }
            }
        }
    }

    fn matches(&self, c: &CaseSummary) -> bool {
        let q = self.search.trim().to_lowercase();
        let text_ok = q.is_empty()
            || [
                Some(&c.title),
                Some(&c.folder),
                c.city.as_ref(),
                c.country_code.as_ref(),
            ]
            .into_iter()
            .flatten()
            .any(|s| s.to_lowercase().contains(&q));
        let eq = |want: &Option<String>, got: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| got.as_ref().is_some_and(|g| g.eq_ignore_ascii_case(w)))
        };
        text_ok
            && (!self.vcs.only_changed
                || !self.vcs.available()
                || self.vcs.case_change(&c.path).is_some())
            && eq(&self.status, &c.status)
            && eq(&self.kind, &c.kind)
            && self
                .tag
                .as_ref()
                .is_none_or(|t| c.tags.iter().any(|x| x == t))
    }
}

/// The most of the panel's height the outline takes before it scrolls.
const OUTLINE_SHARE: f32 = 0.35;
/// The most rows the outline shows before it scrolls (a full case: Details, 12 sections, Map).
const OUTLINE_MAX_ROWS: f32 = 14.0;
/// About the height of one outline row.
const OUTLINE_ROW_HEIGHT: f32 = 26.0;
/// The window's height outside the side panel: menu bar, status bar, a problems panel.
const WINDOW_CHROME: f32 = 260.0;
/// About the height of one case in the list (title and the line under it).
const CASE_ROW_HEIGHT: f32 = 44.0;
/// About the height of the list's heading, search and filters.
const CASE_LIST_CHROME: f32 = 140.0;

/// A filter drop-down of `width`; `None` is "Any". Shows the value, or "Status" (cut short when it
/// does not fit, so the row never wraps), named "Status filter".
fn filter_combo(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<String>,
    options: &[String],
    width: f32,
) {
    let short = label.trim_end_matches(" filter");
    // The value chosen, or the filter's name while it is "Any" (the full "Status: Review" is
    // the hover text; the accessible name is "Status filter").
    let shown = value.clone().unwrap_or_else(|| short.to_string());
    let hover = format!(
        "{short}: {}",
        value.clone().unwrap_or_else(|| "Any".to_string())
    );
    let r = egui::ComboBox::from_id_salt(label)
        .selected_text(shown)
        .width(width)
        .truncate()
        .show_ui(ui, |ui| {
            // Chosen with Enter as well as with a click: the list closes.
            if ui.selectable_value(value, None, "Any").clicked() {
                ui.close();
            }
            for o in options {
                if ui.selectable_value(value, Some(o.clone()), o).clicked() {
                    ui.close();
                }
            }
        });
    let name = label.to_string();
    let r = r.response.on_hover_text(hover);
    ui.ctx()
        .accesskit_node_builder(r.id, |node| node.set_label(name));
}

/// The panel. `cx` is the open case, if any.
pub fn workspace_ui(
    ui: &mut egui::Ui,
    state: &mut WorkspaceState,
    cx: Option<&ViewCtx<'_>>,
) -> Vec<Intent> {
    state.poll();
    let t = Tokens::of(ui);
    let mut out = Vec::new();
    if let Some(cx) = cx {
        out.extend(this_case_ui(ui, state, cx));
        ui.add_space(tokens::GAP_SMALL);
        ui.separator();
        // The case list is a pane of its own for the keyboard (F6, Tab).
        super::focus::pane(ui, super::focus::Pane::Workspace);
    }
    list_header_ui(ui, state, &t);
    if state.root.is_none() {
        ui.label(egui::RichText::new("Open a folder of cases to list them here.").color(t.muted));
        return out;
    }
    search_and_filters_ui(ui, state);
    let (intents, open_changes) = case_list_ui(ui, state, cx, &t);
    out.extend(intents);
    if open_changes {
        state.vcs.view_open = true;
    }
    out
}

/// "This case": the open case's outline, folding away, scrolling on its own past a share of
/// the panel so that the case list below always keeps room (it takes more when the list
/// needs less). Its height does not depend on the case, so the list stays put from case to
/// case; it is measured on the window, not on what is left of the panel (the problems panel
/// below changes height from case to case).
fn this_case_ui(ui: &mut egui::Ui, state: &WorkspaceState, cx: &ViewCtx<'_>) -> Vec<Intent> {
    let mut out = Vec::new();
    let base = ui.ctx().content_rect().height() - WINDOW_CHROME;
    let shown = state.cases.iter().filter(|c| state.matches(c)).count();
    let list_needs = shown as f32 * CASE_ROW_HEIGHT + CASE_LIST_CHROME;
    let max = (base * OUTLINE_SHARE)
        .max(base - list_needs)
        .min(OUTLINE_MAX_ROWS * OUTLINE_ROW_HEIGHT)
        .min(ui.available_height() - CASE_LIST_CHROME)
        .max(80.0);
    egui::CollapsingHeader::new(egui::RichText::new("This case").strong())
        .id_salt("outline-header")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("outline")
                .max_height(max)
                .min_scrolled_height(max)
                .auto_shrink([false, false])
                .show(ui, |ui| out.extend(outline_ui(ui, cx)));
        });
    out
}

/// "Cases (n of m)", the folder, a spinner while scanning, and in a git repository the
/// "Changes" filter.
fn list_header_ui(ui: &mut egui::Ui, state: &mut WorkspaceState, t: &Tokens) {
    let shown_count = state.cases.iter().filter(|c| state.matches(c)).count();
    ui.horizontal(|ui| {
        ui.strong("Cases");
        let count = if shown_count == state.cases.len() {
            format!("({shown_count})")
        } else {
            format!("({shown_count} of {})", state.cases.len())
        };
        if state.root.is_some() {
            ui.label(egui::RichText::new(count).color(t.muted));
        }
        if let Some(root) = &state.root {
            ui.add(
                egui::Label::new(egui::RichText::new(short_path(root)).color(t.muted)).truncate(),
            )
            .on_hover_text(root.display().to_string());
        }
        if state.scanning.is_some() {
            ui.spinner();
        }
    });
    if state.vcs.available() {
        // Only in a git repository: the cases changed against the reference.
        ui.horizontal(|ui| {
            ui.checkbox(&mut state.vcs.only_changed, "Changes")
                .on_hover_text(format!(
                    "Show only the cases changed since {}",
                    state.vcs.reference
                ));
        });
    }
}

/// The search field and the status, type and tag drop-downs.
fn search_and_filters_ui(ui: &mut egui::Ui, state: &mut WorkspaceState) {
    ui.horizontal(|ui| {
        let l = ui.label("Search");
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text(super::widgets::instruction_hint(
                    ui,
                    "title, city, country…",
                ))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    });
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    let statuses = sorted(
        state
            .cases
            .iter()
            .filter_map(|c| c.status.clone())
            .collect(),
    );
    let kinds = sorted(state.cases.iter().filter_map(|c| c.kind.clone()).collect());
    let tags = sorted(state.cases.iter().flat_map(|c| c.tags.clone()).collect());
    ui.horizontal(|ui| {
        // Three equal drop-downs across the panel, their text cut short to fit: one row at
        // any width, whatever is chosen.
        let gap = ui.spacing().item_spacing.x;
        let width = ((ui.available_width() - 2.0 * gap) / 3.0).floor().max(40.0);
        let height =
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
        for (label, value, options) in [
            ("Status filter", &mut state.status, &statuses),
            ("Type filter", &mut state.kind, &kinds),
            ("Tag filter", &mut state.tag, &tags),
        ] {
            ui.allocate_ui_with_layout(
                egui::vec2(width, height),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| filter_combo(ui, label, value, options, width),
            );
        }
    });
}

/// The list of the cases the filters let through (and, under the Changes filter, the
/// deleted ones). Returns the intents and whether a change badge was clicked (the Changes
/// window then opens).
fn case_list_ui(
    ui: &mut egui::Ui,
    state: &WorkspaceState,
    cx: Option<&ViewCtx<'_>>,
    t: &Tokens,
) -> (Vec<Intent>, bool) {
    let mut out = Vec::new();
    let open = cx.map(|c| c.case.index_path().to_path_buf());
    // Titles used by more than one case: those rows name their folder too.
    let mut titles: Vec<String> = state
        .cases
        .iter()
        .map(|c| c.title.trim().to_lowercase())
        .collect();
    titles.sort();
    let twins: Vec<String> = titles
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0].clone())
        .collect();
    let mut open_changes = false;
    egui::ScrollArea::vertical()
        .id_salt("case-list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for c in state.cases.iter().filter(|c| state.matches(c)) {
                let selected = open.as_deref() == Some(c.path.as_path());
                // The open case's counts are the live findings (what the problems panel shows).
                let counts = match cx {
                    Some(cx) if selected => casebook_core::checks::Counts::of(cx.diagnostics),
                    _ => c.counts,
                };
                let twin = twins.contains(&c.title.trim().to_lowercase());
                let (clicked, show_changes) = case_row_ui(ui, t, state, c, selected, counts, twin);
                if show_changes {
                    open_changes = true;
                }
                if (clicked || show_changes) && !selected {
                    out.push(Intent::Open(c.path.clone()));
                }
            }
            if state.vcs.only_changed && state.vcs.available() {
                out.extend(deleted_cases_ui(ui, t, &state.vcs));
            }
        });
    (out, open_changes)
}

/// One case of the list: its status and change badges and title, then its type, country,
/// city (and folder when another case has the same title) and its error and warning counts.
/// Returns whether the title and whether the change badge were clicked.
fn case_row_ui(
    ui: &mut egui::Ui,
    t: &Tokens,
    state: &WorkspaceState,
    c: &CaseSummary,
    selected: bool,
    counts: casebook_core::checks::Counts,
    twin: bool,
) -> (bool, bool) {
    let mut show_changes = false;
    let r = ui.horizontal(|ui| {
        badge(ui, t, c.status.as_deref());
        if let Some(change) = state.vcs.case_change(&c.path) {
            show_changes = super::changes::change_badge(ui, t, change, &state.vcs.reference);
        }
        ui.selectable_label(selected, &c.title)
    });
    let sub = [
        twin.then_some(c.folder.as_str()),
        c.kind.as_deref(),
        c.country_code.as_deref(),
        c.city.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    ui.horizontal(|ui| {
        ui.add_space(18.0);
        ui.label(egui::RichText::new(sub).small().color(t.muted));
        for (n, what, color) in [
            (counts.errors, "error", t.error),
            (counts.warnings, "warning", t.warning),
        ] {
            if n > 0 {
                ui.label(
                    egui::RichText::new(super::problems::count_of(n, what))
                        .small()
                        .color(color),
                );
            }
        }
        if let Some(e) = &c.error {
            ui.label(egui::RichText::new("cannot open").small().color(t.error))
                .on_hover_text(e);
        }
    });
    let clicked = r.inner.clicked();
    r.inner.on_hover_text(c.path.display().to_string());
    (clicked, show_changes)
}

/// The cases deleted since the reference, under the changed ones: greyed, with a D badge and
/// a Restore button (their files written back from the reference).
fn deleted_cases_ui(ui: &mut egui::Ui, t: &Tokens, vcs: &super::changes::VcsState) -> Vec<Intent> {
    let mut out = Vec::new();
    for change in vcs.deleted() {
        let folder = change.path.rsplit('/').next().unwrap_or(&change.path);
        ui.horizontal(|ui| {
            super::changes::change_badge(ui, t, change, &vcs.reference);
            ui.label(egui::RichText::new(folder).color(t.muted).italics())
                .on_hover_text(format!(
                    "{} was deleted since {}",
                    change.path, vcs.reference
                ));
            let b = ui.small_button("Restore").on_hover_text(format!(
                "Write this case's files back as they are in {} and open it",
                vcs.reference
            ));
            let name = format!("Restore {folder}");
            ui.ctx()
                .accesskit_node_builder(b.id, |node| node.set_label(name));
            if b.clicked() {
                out.push(Intent::RestoreCase(change.path.clone()));
            }
        });
    }
    out
}

/// A small coloured status badge.
pub fn badge(ui: &mut egui::Ui, t: &Tokens, status: Option<&str>) {
    let text = status.unwrap_or("—");
    let letter: String = text.chars().take(1).collect();
    let color = t.status_color(status);
    let (rect, r) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, tokens::BADGE_RADIUS, color);
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        letter,
        egui::FontId::proportional(11.0),
        egui::Color32::WHITE,
    );
    r.on_hover_text(format!("Status: {text}"));
}

/// The outline of the open case with problem counts.
pub fn outline_ui(ui: &mut egui::Ui, cx: &ViewCtx<'_>) -> Vec<Intent> {
    let t = Tokens::of(ui);
    let mut out = Vec::new();
    let count = |pred: &dyn Fn(&Diagnostic) -> bool| {
        let e = cx
            .diagnostics
            .iter()
            .filter(|d| pred(d) && d.severity == Severity::Error)
            .count();
        let w = cx
            .diagnostics
            .iter()
            .filter(|d| pred(d) && d.severity == Severity::Warning)
            .count();
        (e, w)
    };
    let row = |ui: &mut egui::Ui,
               out: &mut Vec<Intent>,
               label: &str,
               (e, w): (usize, usize),
               focus: Focus| {
        ui.horizontal(|ui| {
            if ui.link(label).clicked() {
                out.push(Intent::Focus(focus));
            }
            if e > 0 {
                ui.colored_label(t.error, format!("{e}"));
            }
            if w > 0 {
                ui.colored_label(t.warning, format!("{w}"));
            }
        });
    };
    row(
        ui,
        &mut out,
        "Details",
        count(&|d| matches!(d.target, Target::Field { .. } | Target::Document)),
        Focus::Field("title".into()),
    );
    for (i, s) in cx.case.doc().body().sections.iter().enumerate() {
        row(
            ui,
            &mut out,
            &format!("  {}", s.heading),
            count(&|d| matches!(&d.target, Target::Section { index: Some(j), .. } if *j == i)),
            Focus::Section(i),
        );
    }
    for missing in cx.template.missing_sections(cx.case.doc()) {
        ui.horizontal(|ui| {
            if ui
                .link(egui::RichText::new(format!("  + {}", missing.heading)).color(t.muted))
                .on_hover_text("Missing: click to add it")
                .clicked()
            {
                out.push(Intent::Focus(Focus::MissingSection(
                    missing.heading.clone(),
                )));
            }
        });
    }
    row(
        ui,
        &mut out,
        "Map",
        count(&|d| matches!(d.target, Target::Geometry)),
        Focus::Geometry,
    );
    out
}

/// The last two components of a path.
fn short_path(p: &Path) -> String {
    let parts: Vec<String> = p
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}
