//! What changed in the workspace's git repository: the M/A/R badges and the "Changes" filter
//! of the case list, and the Changes window of the open case (a unified diff of `index.md`
//! against HEAD or a branch, words highlighted inside changed lines, a summary per front-matter
//! field, and "Restore this file").
//!
//! Git is optional: outside a repository nothing here shows and nothing is reported. The
//! repository is read on a [`Job`] (the core's `vcs`, read-only), never on the UI thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use casebook_core::document::Document;
use casebook_core::edit::Edit;
use casebook_core::job::{Job, Poll};
use casebook_core::text::Change;
use casebook_core::vcs::{self, CaseChange, Changes, Status};

use super::command::Command;
use super::tokens::{self, Tokens};
use super::{Intent, ViewCtx};

/// The reference compared with when none is chosen.
pub const HEAD: &str = "HEAD";

/// What one reading of the repository found.
#[derive(Default)]
struct Reading {
    /// The changes (`None`: no repository, or it could not be read).
    changes: Option<Changes>,
    /// Why the repository could not be compared (a branch without a merge base …).
    error: Option<String>,
    /// Local and remote branches.
    branches: Vec<String>,
}

/// The text of the open case's `index.md` at the reference.
struct BaseText {
    /// The case's `index.md` this was read for.
    index: PathBuf,
    /// The commit it was read at (`None`: no commit yet).
    commit: Option<String>,
    /// The file there: `Ok(None)` when it is not in that commit.
    text: Result<Option<String>, String>,
}

/// The repository's changes for the workspace, and the Changes window's state.
pub struct VcsState {
    root: Option<PathBuf>,
    /// The reference compared with: `HEAD` or a branch (its merge base with HEAD).
    pub reference: String,
    /// Branches to choose from.
    pub branches: Vec<String>,
    /// The case list shows only changed cases.
    pub only_changed: bool,
    /// Whether the Changes window is open.
    pub view_open: bool,
    changes: Option<Changes>,
    /// Case folder (from the repository's top) → its change.
    by_case: HashMap<String, CaseChange>,
    error: Option<String>,
    reading: Option<Job<Reading>>,
    base: Option<BaseText>,
    base_job: Option<Job<BaseText>>,
}

impl Default for VcsState {
    fn default() -> Self {
        VcsState {
            root: None,
            reference: HEAD.to_string(),
            branches: Vec::new(),
            only_changed: false,
            view_open: false,
            changes: None,
            by_case: HashMap::new(),
            error: None,
            reading: None,
            base: None,
            base_job: None,
        }
    }
}

impl VcsState {
    /// Reads the repository around `root` again (on a job), against the chosen reference.
    pub fn refresh(&mut self, root: &Path) {
        self.root = Some(root.to_path_buf());
        let root = root.to_path_buf();
        let reference = self.reference.clone();
        self.base = None;
        self.reading = Some(Job::spawn(
            || {},
            move |_| {
                let Ok(Some(_)) = vcs::discover(&root) else {
                    return Reading::default();
                };
                let branches = vcs::branches(&root)
                    .map(|b| b.local.into_iter().chain(b.remote).collect())
                    .unwrap_or_default();
                let since = (reference != HEAD).then_some(reference.as_str());
                match vcs::changes(&root, since) {
                    Ok(c) => Reading {
                        changes: Some(c),
                        error: None,
                        branches,
                    },
                    Err(e) => Reading {
                        changes: None,
                        error: Some(e.to_string()),
                        branches,
                    },
                }
            },
        ));
    }

    /// Waits for the reading and the base text (tests).
    pub fn wait(&mut self) {
        if let Some(job) = self.reading.take()
            && let Some(r) = job.wait()
        {
            self.take(r);
        }
        if let Some(job) = self.base_job.take() {
            self.base = job.wait();
        }
    }

    /// Whether the repository is being read.
    pub fn busy(&self) -> bool {
        self.reading.is_some() || self.base_job.is_some()
    }

    fn take(&mut self, r: Reading) {
        self.by_case = r
            .changes
            .iter()
            .flat_map(|c| c.cases.iter())
            .map(|c| (c.path.clone(), c.clone()))
            .collect();
        self.changes = r.changes;
        self.error = r.error;
        self.branches = r.branches;
    }

    /// Takes finished results.
    pub fn poll(&mut self) {
        if let Some(job) = &self.reading {
            match job.poll() {
                Poll::Done(r) => {
                    self.take(r);
                    self.reading = None;
                }
                Poll::Pending => {}
                Poll::Lost => self.reading = None,
            }
        }
        if let Some(job) = &self.base_job {
            match job.poll() {
                Poll::Done(b) => {
                    self.base = Some(b);
                    self.base_job = None;
                }
                Poll::Pending => {}
                Poll::Lost => self.base_job = None,
            }
        }
    }

    /// Whether the folder is in a repository that could be compared.
    pub fn available(&self) -> bool {
        self.changes.is_some()
    }

    /// The change of the case whose `index.md` is `index`, if it changed.
    pub fn case_change(&self, index: &Path) -> Option<&CaseChange> {
        let changes = self.changes.as_ref()?;
        let dir = index.parent()?;
        let rel = dir.strip_prefix(self.root.as_ref()?).ok()?;
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        let key = match (changes.scope.is_empty(), rel.is_empty()) {
            (true, _) => rel,
            (false, true) => changes.scope.clone(),
            (false, false) => format!("{}/{rel}", changes.scope),
        };
        self.by_case.get(&key)
    }

    /// The cases deleted since the reference (they are in no folder the list scans).
    pub fn deleted(&self) -> Vec<&CaseChange> {
        self.changes
            .iter()
            .flat_map(|c| c.cases.iter())
            .filter(|c| c.status == Status::Deleted)
            .collect()
    }

    /// The working tree's top folder and the commit compared with, to restore from.
    pub fn restore_source(&self) -> Option<(PathBuf, String)> {
        let c = self.changes.as_ref()?;
        Some((c.workdir.clone(), c.base.commit.clone()?))
    }

    /// The reference the map compares the boundary of the case whose `index.md` is `index`
    /// with (`None` outside a repository): the chosen reference's commit, and the case's
    /// folder there (where it was, if it was renamed).
    pub fn map_reference(&self, index: &Path) -> Option<crate::ui::map::Reference> {
        let changes = self.changes.as_ref()?;
        let case_dir = match self.case_change(index) {
            Some(c) => changes.workdir.join(c.from.as_deref().unwrap_or(&c.path)),
            None => index.parent()?.to_path_buf(),
        };
        Some(crate::ui::map::Reference {
            workdir: changes.workdir.clone(),
            commit: changes.base.commit.clone(),
            // The reading's own reference (the chosen one may not be read yet).
            name: changes.base.rev.clone(),
            case_dir,
        })
    }

    /// What the reference is called in the window ("HEAD", "main (merge base 1a2b3c4)").
    fn reference_name(&self) -> String {
        match self.changes.as_ref().map(|c| &c.base) {
            Some(b) if b.merge_base => match &b.commit {
                Some(c) => format!("{} (merge base {})", self.reference, short(c)),
                None => self.reference.clone(),
            },
            _ => self.reference.clone(),
        }
    }

    /// Starts reading the open case's `index.md` at the base commit, unless it is read.
    fn ensure_base(&mut self, index: &Path, ctx: &egui::Context) {
        let Some(changes) = &self.changes else {
            return;
        };
        let commit = changes.base.commit.clone();
        if self.base_job.is_some()
            || self
                .base
                .as_ref()
                .is_some_and(|b| b.index == index && b.commit == commit)
        {
            return;
        }
        // A renamed case is read where it was.
        let at_base = match self.case_change(index) {
            Some(c) => {
                let folder = c.from.as_deref().unwrap_or(&c.path);
                changes.workdir.join(folder).join("index.md")
            }
            None => index.to_path_buf(),
        };
        let workdir = changes.workdir.clone();
        let index = index.to_path_buf();
        let ctx = ctx.clone();
        self.base_job = Some(Job::spawn(
            move || ctx.request_repaint(),
            move |_| {
                let text = match &commit {
                    None => Ok(None),
                    Some(rev) => vcs::blob_at(&workdir, rev, &at_base)
                        .map(|b| b.map(|b| Document::from_bytes(&b).text().to_string()))
                        .map_err(|e| e.to_string()),
                };
                BaseText {
                    index,
                    commit,
                    text,
                }
            },
        ));
    }
}

/// The first seven hex digits of a commit.
fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// The change badge of a case in the list ("M", "A", "R"), named "Changed: modified".
/// Returns whether it was clicked.
pub fn change_badge(ui: &mut egui::Ui, t: &Tokens, change: &CaseChange, reference: &str) -> bool {
    let color = match change.status {
        Status::Added => t.ok,
        Status::Modified => t.warning,
        Status::Deleted => t.error,
        Status::Renamed => t.info,
    };
    let text = egui::RichText::new(change.status.letter().to_string())
        .small()
        .strong()
        .color(color);
    let hover = match &change.from {
        Some(from) => format!(
            "{} since {reference} (was {from}): click to see the changes",
            capitalised(change.status.word())
        ),
        None => format!(
            "{} since {reference}: click to see the changes",
            capitalised(change.status.word())
        ),
    };
    let r = ui
        .add(egui::Button::new(text).frame(false).small())
        .on_hover_text(hover);
    let name = format!("Changed: {}", change.status.word());
    ui.ctx()
        .accesskit_node_builder(r.id, |node| node.set_label(name));
    r.clicked()
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One front-matter field that differs: `key`, its value at the reference and now (`None`:
/// absent), as written (on one line, cut short).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The key.
    pub key: String,
    /// The value at the reference.
    pub before: Option<String>,
    /// The value now.
    pub after: Option<String>,
}

impl FieldChange {
    /// "title: was A, now B", "city: added (Leeds)", "year_start: removed (2016)".
    pub fn summary(&self) -> String {
        match (&self.before, &self.after) {
            // Words, not an arrow: the UI font has no "→".
            (Some(b), Some(a)) => format!("{}: was {b}, now {a}", self.key),
            (None, Some(a)) => format!("{}: added ({a})", self.key),
            (Some(b), None) => format!("{}: removed ({b})", self.key),
            (None, None) => format!("{}: unchanged", self.key),
        }
    }
}

/// The most characters of a value shown in the field summary.
const VALUE_CHARS: usize = 60;

/// The front-matter fields whose written value differs between `before` and `after`, in the
/// order of `after` (then the removed ones).
pub fn field_changes(before: &str, after: &str) -> Vec<FieldChange> {
    let (b, a) = (Document::from_text(before), Document::from_text(after));
    let values = |d: &Document| -> Vec<(String, String)> {
        let Some(fm) = d.front_matter() else {
            return Vec::new();
        };
        fm.keys()
            .into_iter()
            .filter_map(|k| {
                let e = fm.entry(k)?;
                let raw = e.raw_value(d.text());
                let one_line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                let shown = if one_line.chars().count() > VALUE_CHARS {
                    let cut: String = one_line.chars().take(VALUE_CHARS).collect();
                    format!("{cut}…")
                } else {
                    one_line
                };
                Some((k.to_string(), shown))
            })
            .collect()
    };
    let (bv, av) = (values(&b), values(&a));
    let find = |v: &[(String, String)], k: &str| {
        v.iter().find(|(key, _)| key == k).map(|(_, x)| x.clone())
    };
    let mut out = Vec::new();
    for (k, now) in &av {
        let was = find(&bv, k);
        if was.as_deref() != Some(now.as_str()) {
            out.push(FieldChange {
                key: k.clone(),
                before: was,
                after: Some(now.clone()),
            });
        }
    }
    for (k, was) in &bv {
        if find(&av, k).is_none() {
            out.push(FieldChange {
                key: k.clone(),
                before: Some(was.clone()),
                after: None,
            });
        }
    }
    out
}

/// The Changes window for the open case. Returns the restore edit (and a save) when asked.
pub fn changes_window_ui(
    ctx: &egui::Context,
    state: &mut VcsState,
    cx: &ViewCtx<'_>,
) -> Vec<Intent> {
    let mut out = Vec::new();
    if !state.view_open {
        return out;
    }
    state.poll();
    let index = cx.case.index_path().to_path_buf();
    state.ensure_base(&index, ctx);
    let mut open = true;
    egui::Window::new("Changes")
        .open(&mut open)
        .default_size([720.0, 560.0])
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .resizable(true)
        .show(ctx, |ui| out.extend(window_body(ui, state, cx, &index)));
    if !open {
        state.view_open = false;
    }
    if state.busy() {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    out
}

fn window_body(
    ui: &mut egui::Ui,
    state: &mut VcsState,
    cx: &ViewCtx<'_>,
    index: &Path,
) -> Vec<Intent> {
    let t = Tokens::of(ui);
    let mut out = Vec::new();
    if state.root.is_none() || (!state.available() && state.error.is_none() && !state.busy()) {
        ui.label("This folder is not in a git repository, so there is nothing to compare with.");
        return out;
    }
    // The reference, from a list.
    ui.horizontal(|ui| {
        let l = ui.label("Compare with");
        let mut chosen = state.reference.clone();
        let r = egui::ComboBox::from_id_salt("changes-reference")
            .selected_text(&chosen)
            .show_ui(ui, |ui| {
                for name in std::iter::once(HEAD.to_string()).chain(state.branches.clone()) {
                    if ui
                        .selectable_value(&mut chosen, name.clone(), &name)
                        .clicked()
                    {
                        ui.close();
                    }
                }
            });
        r.response.labelled_by(l.id);
        if chosen != state.reference {
            state.reference = chosen;
            if let Some(root) = state.root.clone() {
                state.refresh(&root);
            }
        }
        if state.busy() {
            ui.spinner();
        }
    });
    if let Some(e) = &state.error {
        ui.colored_label(t.error, e);
        return out;
    }
    let Some(base) = state.base.as_ref().filter(|b| b.index == index) else {
        ui.label(egui::RichText::new("Reading the repository…").color(t.muted));
        return out;
    };
    let reference = state.reference_name();
    let old = match &base.text {
        Err(e) => {
            ui.colored_label(t.error, e);
            return out;
        }
        Ok(None) => {
            ui.label(format!(
                "index.md is not in {reference}: the whole file is new."
            ));
            String::new()
        }
        Ok(Some(text)) => text.clone(),
    };
    let new = cx.case.doc().text();
    if old == new {
        ui.label(format!("index.md is the same as in {reference}."));
        return out;
    }
    if base.text.as_ref().is_ok_and(Option::is_some) {
        let button = ui
            .button(format!("Restore this file from {}", state.reference))
            .on_hover_text(
                "Put back index.md as it is in the reference and save it (Undo takes it back)",
            );
        if button.clicked() {
            out.push(Intent::edit(
                Edit::Text(Change::new(0..new.len(), old.clone())),
                format!("Restore from {}", state.reference),
                None,
            ));
            out.push(Intent::Command(Command::Save));
        }
    }
    ui.add_space(tokens::GAP_SMALL);
    let fields = field_changes(&old, new);
    if !fields.is_empty() {
        ui.strong("Fields");
        for f in &fields {
            ui.label(f.summary());
        }
        ui.add_space(tokens::GAP_SMALL);
    }
    ui.strong(format!("index.md against {reference}"));
    egui::ScrollArea::both()
        .id_salt("changes-diff")
        .auto_shrink([false, false])
        .show(ui, |ui| super::diff::diff_ui(ui, &t, &old, new));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_changes_name_changed_added_and_removed_keys() {
        let before = "---\ntitle: Old name\nyear_start: 2016\ntags:\n  - A\n---\nBody\n";
        let after = "---\ntitle: New name\ntags:\n  - A\ncity: Leeds\n---\nBody\n";
        let got: Vec<String> = field_changes(before, after)
            .iter()
            .map(FieldChange::summary)
            .collect();
        assert_eq!(
            got,
            [
                "title: was Old name, now New name",
                "city: added (Leeds)",
                "year_start: removed (2016)"
            ]
        );
    }
}
