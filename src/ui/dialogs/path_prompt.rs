//! The in-app path field that replaces native file dialogs where none can open, with
//! completion.

use super::*;

/// Height of the path prompt's list (fixed, so the buttons below never move).
const PATH_LIST_HEIGHT: f32 = 200.0;

/// The in-app path field.
#[derive(Debug, Clone)]
pub struct PathPrompt {
    /// What the path is for.
    pub purpose: Purpose,
    /// The path typed so far.
    pub text: String,
    /// Why the path cannot be used.
    pub error: Option<String>,
}

/// A path field with completion (Tab completes, the list shows what is there; Enter or OK
/// uses the path).
pub(super) fn path_prompt_ui(
    ui: &mut egui::Ui,
    p: &mut PathPrompt,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    let t = Tokens::of(ui);
    let mut outcome = None;
    let mut close = false;
    ui.label("Type a path. Tab completes it; the list shows what is there.");
    let id = egui::Id::unique(("path-prompt-field", p.purpose.title()));
    let tab = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Tab));
    let l = ui.label("Path");
    let r = ui
        .add(
            egui::TextEdit::singleline(&mut p.text)
                .id(id)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(l.id);
    r.request_focus();
    if r.changed() {
        p.error = None;
    }
    let candidates = completions_for(&p.text, p.purpose);
    if tab && let Some(done) = complete(&p.text, &candidates) {
        p.text = done;
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
            let end = egui::text::CCursor::new(p.text.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), id);
        }
        r.request_focus();
    }
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .inner_margin(egui::Margin::same(4))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::ScrollArea::vertical()
                .id_salt("path-prompt-list")
                .auto_shrink([false, false])
                .max_height(PATH_LIST_HEIGHT)
                .min_scrolled_height(PATH_LIST_HEIGHT)
                .show(ui, |ui| {
                    if candidates.is_empty() {
                        ui.colored_label(t.muted, "Nothing here matches.");
                    }
                    for c in candidates.iter().take(200) {
                        let name = c.display().to_string();
                        if ui.selectable_label(false, &name).clicked() {
                            p.text = name;
                            if c.is_dir() {
                                p.text.push('/');
                            }
                            p.error = None;
                            r.request_focus();
                        }
                    }
                });
        });
    // The message line keeps its place whether or not there is a message.
    let msg = p.error.clone().unwrap_or_default();
    ui.colored_label(t.error, if msg.is_empty() { " ".to_string() } else { msg });
    ui.horizontal(|ui| {
        if primary_button(ui, "OK", true).clicked() || enter {
            let path = PathBuf::from(p.text.trim());
            if p.purpose == Purpose::SaveAs || path.exists() {
                outcome = Some(DialogOutcome::Picked(p.purpose, path));
                close = true;
            } else {
                p.error = Some(format!("{} does not exist", path.display()));
            }
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    (outcome, close)
}

/// The completions for a purpose: folders always (to walk into), and only the files the
/// purpose can use (images for an image, GeoJSON for a boundary, Markdown for a case).
pub fn completions_for(text: &str, purpose: Purpose) -> Vec<PathBuf> {
    let exts: Vec<&str> = purpose
        .filters()
        .iter()
        .flat_map(|(_, e)| e.iter().copied())
        .collect();
    completions(text, purpose.wants_folder())
        .into_iter()
        .filter(|p| {
            exts.is_empty()
                || p.is_dir()
                || p.extension().is_some_and(|e| {
                    exts.iter()
                        .any(|x| e.to_string_lossy().eq_ignore_ascii_case(x))
                })
        })
        .collect()
}

/// Entries of the typed path's folder that start with its last component.
pub fn completions(text: &str, folders_only: bool) -> Vec<PathBuf> {
    let path = Path::new(text);
    let (dir, prefix) = if text.ends_with('/') || text.is_empty() {
        (path.to_path_buf(), String::new())
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && (!n.starts_with('.') || prefix.starts_with('.'))
        })
        .filter(|e| !folders_only || e.path().is_dir())
        .map(|e| {
            if text.is_empty() {
                PathBuf::from(e.file_name())
            } else {
                dir.join(e.file_name())
            }
        })
        .collect();
    out.sort();
    out
}

/// The longest common completion of `text` among `candidates`.
pub fn complete(text: &str, candidates: &[PathBuf]) -> Option<String> {
    let first = candidates.first()?.display().to_string();
    let mut common = first.clone();
    for c in &candidates[1..] {
        let s = c.display().to_string();
        let n = common
            .chars()
            .zip(s.chars())
            .take_while(|(a, b)| a == b)
            .count();
        common = common.chars().take(n).collect();
    }
    if candidates.len() == 1 && candidates[0].is_dir() {
        common.push('/');
    }
    (common.len() > text.len()).then_some(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_paths() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        std::fs::create_dir(t.path().join("cases"))?;
        std::fs::write(t.path().join("casebook.txt"), "")?;
        let base = format!("{}/ca", t.path().display());
        let c = completions(&base, false);
        assert_eq!(c.len(), 2);
        assert_eq!(
            complete(&base, &c),
            Some(format!("{}/case", t.path().display()))
        );
        let only_dirs = completions(&base, true);
        assert_eq!(
            complete(&base, &only_dirs),
            Some(format!("{}/cases/", t.path().display()))
        );
        Ok(())
    }
}
