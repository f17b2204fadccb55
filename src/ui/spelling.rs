//! Spelling in the editors: flagged words get a wavy underline, and right-clicking one offers
//! corrections, "Add to atlas word list" and "Ignore in this case".
//!
//! - [`Spelling`]: the atlas's dictionary and word lists for the open case, loaded off the UI
//!   thread (parsing a dictionary takes tens of milliseconds), re-read in the background every
//!   few seconds so a `git pull` that changes `.casebook/words.txt` is noticed. Until they are
//!   ready nothing is underlined. One is shared by the views through egui's temp data.
//! - [`Marks`]: the flagged words of one text editor, re-checked only when its text or the
//!   word lists changed; Markdown goes through the core's [`SpellCache`], so typing re-checks
//!   only the edited paragraph.
//! - [`paint`] draws the underlines under the galley's rows, [`menu_ui`] the right-click menu;
//!   the caller applies the returned [`Action`] (a correction is one undoable edit).
//!
//! Words added or ignored here are hidden at once (before the lists are read again).

use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use casebook_core::case::Case;
use casebook_core::spell::atlas::{self, AtlasSpelling};
use casebook_core::spell::incremental::SpellCache;
use casebook_core::spell::{CaseWords, Speller, WordSet};
use egui::text::CharIndex;
use egui::{Color32, Galley, Pos2, Rect, Shape};

use super::tokens;

/// How often the word lists are looked at again (in the background) for changes on disk.
const POLL_SECONDS: f64 = 3.0;
/// How long after a change the case's own names are collected again.
const CASE_WORDS_DELAY_SECONDS: f64 = 0.3;
/// How many corrections the right-click menu offers.
pub const MENU_SUGGESTIONS: usize = 5;

/// What a background load of the word lists gives: the setup and the case's ignored words.
type Loaded = Result<(Arc<AtlasSpelling>, WordSet), String>;

/// The spelling setup of the open case, shared by the views.
#[derive(Default)]
pub struct Spelling {
    /// The case folder it is for.
    case_dir: Option<PathBuf>,
    /// The case folder's name (its ignore list's name).
    folder: String,
    /// The dictionary and atlas word list, once loaded.
    setup: Option<Arc<AtlasSpelling>>,
    /// The words ignored in this case (`.casebook/ignore/<case>.txt`).
    ignored: WordSet,
    /// A load in progress and when it started (ui time).
    loading: Option<(Receiver<Loaded>, f64)>,
    /// Why the lists could not be loaded.
    error: Option<String>,
    /// The case's own names and ignored words.
    case_words: Option<Arc<CaseWords>>,
    /// The revision `case_words` was collected at.
    words_revision: Option<u64>,
    /// The last revision seen and when it was first seen.
    seen_revision: Option<(u64, f64)>,
    /// Words added or ignored since the last load that began after the write.
    accepted: Arc<WordSet>,
    /// When a word was last written to a list (ui time).
    written_at: f64,
    /// When the lists were last loaded or looked at.
    last_poll: f64,
    /// Bumped whenever what counts as known changes (marks compare it).
    generation: u64,
}

/// Everything needed to check a text this frame (cheap to clone).
#[derive(Clone)]
pub struct Checker {
    /// The dictionary with the bundled vocabulary and the atlas word list.
    pub speller: Arc<Speller>,
    /// The case's names and ignored words.
    pub case: Arc<CaseWords>,
    /// Words added or ignored this session, not yet in `speller` or `case`.
    pub accepted: Arc<WordSet>,
    /// Changes whenever one of the above does.
    pub generation: u64,
}

/// Which list "known from now on" goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// The atlas word list, `.casebook/words.txt`.
    Atlas,
    /// The case's ignore list, `.casebook/ignore/<case>.txt`.
    Case,
}

impl Spelling {
    /// The setup shared by the views of `ctx`.
    pub fn shared(ctx: &egui::Context) -> Arc<Mutex<Spelling>> {
        ctx.data_mut(|d| {
            d.get_temp_mut_or_default::<Arc<Mutex<Spelling>>>(egui::Id::unique("casebook-spelling"))
                .clone()
        })
    }

    /// Follows the open case: starts loading its lists, takes a finished load, collects the
    /// case's names again a moment after a change (`revision`).
    pub fn update(&mut self, ctx: &egui::Context, case: &Case, revision: u64) {
        let now = ctx.input(|i| i.time);
        if self.case_dir.as_deref() != Some(case.dir()) {
            *self = Spelling {
                case_dir: Some(case.dir().to_path_buf()),
                folder: case.folder_name(),
                written_at: f64::NEG_INFINITY,
                // Marks computed for the last case never pass for this one's.
                generation: self.generation + 1,
                ..Spelling::default()
            };
            self.start_load(ctx, now);
        }
        if let Some((rx, started)) = &self.loading {
            let started = *started;
            match rx.try_recv() {
                Ok(Ok((setup, ignored))) => {
                    self.loading = None;
                    self.error = None;
                    let same = self.setup.as_ref().is_some_and(|s| Arc::ptr_eq(s, &setup))
                        && ignored == self.ignored;
                    if !same {
                        self.setup = Some(setup);
                        self.ignored = ignored;
                        self.words_revision = None;
                        self.generation += 1;
                    }
                    if started >= self.written_at && !self.accepted.is_empty() {
                        // The lists read include every word written before the load began.
                        self.accepted = Arc::default();
                        self.generation += 1;
                    }
                }
                Ok(Err(e)) => {
                    self.loading = None;
                    self.error = Some(e);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.loading = None,
            }
        } else if now - self.last_poll >= POLL_SECONDS {
            self.start_load(ctx, now);
        }
        match self.seen_revision {
            Some((r, _)) if r == revision => {}
            _ => self.seen_revision = Some((revision, now)),
        }
        if self.setup.is_some() && self.words_revision != Some(revision) {
            let since = self.seen_revision.map_or(0.0, |(_, at)| now - at);
            if self.case_words.is_none()
                || self.words_revision.is_none()
                || since >= CASE_WORDS_DELAY_SECONDS
            {
                let fresh = CaseWords::of_document(case.doc(), self.ignored.clone());
                let same = self.case_words.as_ref().is_some_and(|old| {
                    old.known() == fresh.known() && old.ignored() == fresh.ignored()
                });
                if !same {
                    self.case_words = Some(Arc::new(fresh));
                    self.generation += 1;
                }
                self.words_revision = Some(revision);
            } else {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                    CASE_WORDS_DELAY_SECONDS - since,
                ));
            }
        }
    }

    /// Reads the lists again in the background (`atlas::for_case` re-parses only what
    /// changed on disk).
    fn start_load(&mut self, ctx: &egui::Context, now: f64) {
        let Some(dir) = self.case_dir.clone() else {
            return;
        };
        let folder = self.folder.clone();
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("casebook-spelling".to_string())
            .spawn(move || {
                let loaded = atlas::for_case(&dir)
                    .map(|s| {
                        // A list that cannot be read is reported by the check (CB033).
                        let ignored = s.ignored(&folder).unwrap_or_default();
                        (s, ignored)
                    })
                    .map_err(|e| e.to_string());
                let _ = tx.send(loaded);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.loading = Some((rx, now));
        }
        self.last_poll = now;
    }

    /// What to check with, once the lists are loaded.
    pub fn checker(&self) -> Option<Checker> {
        Some(Checker {
            speller: self.setup.as_ref()?.speller().clone(),
            case: self.case_words.clone()?,
            accepted: self.accepted.clone(),
            generation: self.generation,
        })
    }

    /// Whether the word lists of the open case are loaded and its names collected (tests,
    /// benches: underlines show from the next frame on).
    pub fn ready(ctx: &egui::Context) -> bool {
        Spelling::shared(ctx)
            .lock()
            .is_ok_and(|s| s.checker().is_some())
    }

    /// The language of the loaded dictionary.
    pub fn language(&self) -> Option<String> {
        Some(self.setup.as_ref()?.config().language.clone())
    }

    /// Why spelling is not checked, if the lists could not be loaded.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Makes `language` the atlas's spelling language (one line of `.casebook/config.toml`)
    /// and reads the lists again with its dictionary. Returns what happened, for the status bar.
    pub fn set_language(&mut self, ctx: &egui::Context, language: &str) -> Result<String, String> {
        let Some(setup) = &self.setup else {
            return Err("The word lists are still loading; try again in a moment.".to_string());
        };
        let path = setup
            .config_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match setup.set_language(language) {
            Ok(_) => {
                let now = ctx.input(|i| i.time);
                self.start_load(ctx, now);
                Ok(format!(
                    "Spelling is checked in {language} from now on ({path})."
                ))
            }
            Err(e) => Err(format!("The spelling language was not changed: {e}")),
        }
    }

    /// Copies the Hunspell dictionary `aff` (with its `.dic`) into the atlas and uses it.
    pub fn add_dictionary(
        &mut self,
        ctx: &egui::Context,
        aff: &std::path::Path,
    ) -> Result<String, String> {
        let Some(setup) = &self.setup else {
            return Err("The word lists are still loading; try again in a moment.".to_string());
        };
        let language = setup
            .add_dictionary(aff)
            .map_err(|e| format!("The dictionary was not added: {e}"))?;
        self.set_language(ctx, &language)
            .map(|done| format!("Added the {language} dictionary to the atlas. {done}"))
    }

    /// Writes `word` to a list and stops flagging it at once. Returns what happened, for the
    /// status bar.
    pub fn accept(
        &mut self,
        ctx: &egui::Context,
        word: &str,
        to: Accept,
    ) -> Result<String, String> {
        let Some(setup) = &self.setup else {
            return Err("The word lists are still loading; try again in a moment.".to_string());
        };
        let written = match to {
            Accept::Atlas => setup.add_word(word),
            Accept::Case => setup.ignore_word(&self.folder, word),
        };
        let path = match to {
            Accept::Atlas => setup.words_path(),
            Accept::Case => setup.ignore_path(&self.folder),
        }
        .map(|p| p.display().to_string())
        .unwrap_or_default();
        match written {
            Ok(_) => {
                Arc::make_mut(&mut self.accepted).insert(word);
                self.generation += 1;
                let now = ctx.input(|i| i.time);
                self.written_at = now;
                self.start_load(ctx, now);
                Ok(match to {
                    Accept::Atlas => format!("Added “{word}” to the atlas word list ({path})."),
                    Accept::Case => format!("“{word}” is ignored in this case ({path})."),
                })
            }
            Err(e) => Err(format!("“{word}” was not written: {e}")),
        }
    }
}

/// The Edit › Spelling language menu: the atlas's languages (the bundled one and those with a
/// dictionary in its `.casebook/dictionaries/`), the current one checked, and "Add a
/// dictionary…". Returns what the author chose.
pub fn language_menu_ui(ui: &mut egui::Ui) -> Vec<super::Intent> {
    let mut out = Vec::new();
    let shared = Spelling::shared(ui.ctx());
    let Ok(spelling) = shared.lock() else {
        return out;
    };
    if let Some(e) = spelling.error() {
        ui.label(format!("Spelling is off: {e}"));
    }
    let Some(setup) = spelling.setup.clone() else {
        if spelling.error().is_none() {
            ui.label("Loading the word lists…");
        }
        return out;
    };
    drop(spelling);
    let in_atlas = setup.root().is_some();
    let current = setup.config().language.clone();
    for language in setup.languages() {
        let chosen = *language == current;
        let r = ui
            .add_enabled(in_atlas, egui::RadioButton::new(chosen, language.as_str()))
            .on_disabled_hover_text(
                "The language is an atlas setting: open a case inside an atlas folder (one with cases/).",
            );
        if r.clicked() && !chosen {
            out.push(super::Intent::SpellingLanguage(language.clone()));
            ui.close();
        }
    }
    ui.separator();
    if ui
        .add_enabled(in_atlas, egui::Button::new("Add a dictionary…"))
        .on_hover_text(
            "Copy a Hunspell dictionary (xx_YY.aff with its .dic beside it) into the atlas's .casebook/dictionaries/ and use it.",
        )
        .clicked()
    {
        out.push(super::Intent::Pick(super::purpose::Purpose::Dictionary));
        ui.close();
    }
    out
}

/// One flagged word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Byte range in the text.
    pub bytes: Range<usize>,
    /// Char range in the text (what the galley counts).
    pub chars: Range<usize>,
    /// The word as written.
    pub word: String,
}

/// The flagged words of one editor's text, and its right-click menu.
#[derive(Default)]
pub struct Marks {
    cache: SpellCache,
    /// The checker generation the marks were computed with.
    generation: Option<u64>,
    /// The plain text the marks were computed for (fields; sections use [`Marks::touch`]).
    plain: Option<String>,
    /// Whether the text changed since.
    stale: bool,
    list: Vec<Mark>,
    /// Where each underline was painted last frame (screen), with its word.
    painted: Vec<(Rect, String)>,
    /// The word the open menu is about.
    menu: Option<MenuTarget>,
}

/// The word a right-click menu is about, with its corrections once found.
struct MenuTarget {
    mark: Mark,
    suggestions: Option<Vec<String>>,
    rx: Option<Receiver<Vec<String>>>,
}

/// What the author chose in the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replace `word` at byte range `bytes` with `with`.
    Replace {
        /// Where the word is.
        bytes: Range<usize>,
        /// The word that should be there (checked before replacing).
        word: String,
        /// The correction.
        with: String,
    },
    /// Put the word in a list.
    Accept(String, Accept),
}

impl Marks {
    /// Notes that the text changed (Markdown editors).
    pub fn touch(&mut self) {
        self.stale = true;
    }

    /// The flagged words.
    pub fn list(&self) -> &[Mark] {
        &self.list
    }

    /// Where the underlines were painted last frame (screen), with their words.
    pub fn painted(&self) -> &[(Rect, String)] {
        &self.painted
    }

    /// Re-checks Markdown `text` if it changed ([`Marks::touch`]) or the checker did.
    pub fn refresh_markdown(&mut self, text: &str, checker: Option<&Checker>) {
        let Some(c) = checker else {
            self.list.clear();
            self.generation = None;
            return;
        };
        if !self.stale && self.generation == Some(c.generation) {
            return;
        }
        let found = self.cache.check(text, &c.speller, &c.case);
        self.set(text, found, c);
    }

    /// Re-checks a plain value (a field) if it or the checker changed.
    pub fn refresh_plain(&mut self, text: &str, checker: Option<&Checker>) {
        let Some(c) = checker else {
            self.list.clear();
            self.generation = None;
            return;
        };
        if self.plain.as_deref() == Some(text) && self.generation == Some(c.generation) {
            return;
        }
        let found = c.speller.check_plain(text, &c.case);
        self.plain = Some(text.to_string());
        self.set(text, found, c);
    }

    fn set(&mut self, text: &str, found: Vec<casebook_core::spell::Misspelling>, c: &Checker) {
        self.list.clear();
        let (mut byte, mut char) = (0usize, 0usize);
        for m in found {
            if c.accepted.contains(&m.word) || m.range.start < byte {
                continue;
            }
            let (Some(before), Some(word)) =
                (text.get(byte..m.range.start), text.get(m.range.clone()))
            else {
                continue;
            };
            let start = char + before.chars().count();
            let end = start + word.chars().count();
            self.list.push(Mark {
                bytes: m.range.clone(),
                chars: start..end,
                word: m.word,
            });
            byte = m.range.end;
            char = end;
        }
        self.stale = false;
        self.generation = Some(c.generation);
        if let Some(t) = &self.menu
            && !self.list.contains(&t.mark)
        {
            self.menu = None;
        }
    }
}

/// Where a text editor put its text: what [`paint`] and [`menu_ui`] need of a
/// [`egui::text_edit::TextEditOutput`].
pub struct Placed {
    /// The laid-out text.
    pub galley: Arc<Galley>,
    /// Its top-left corner on screen.
    pub galley_pos: Pos2,
    /// What the text is clipped to.
    pub clip: Rect,
    /// The text cursor (char index) while the editor has the focus and nothing is selected.
    pub cursor: Option<usize>,
}

impl From<&egui::text_edit::TextEditOutput> for Placed {
    fn from(o: &egui::text_edit::TextEditOutput) -> Placed {
        Placed {
            galley: o.galley.clone(),
            galley_pos: o.galley_pos,
            clip: o.text_clip_rect,
            cursor: o
                .cursor_range
                .filter(|r| r.is_empty() && o.response.response.has_focus())
                .map(|r| r.primary.index.0),
        }
    }
}

/// Draws a wavy underline under each flagged word that is in view (but the one the cursor
/// ends, which may still be being typed). One pass over the galley's rows, stopping below the
/// view, so a long section with many flagged words costs little.
pub fn paint(ui: &egui::Ui, placed: &Placed, marks: &mut Marks) {
    marks.painted.clear();
    if marks.list.is_empty() {
        return;
    }
    let color = tokens::Tokens::of(ui).error;
    let painter = ui
        .painter()
        .with_clip_rect(placed.clip.intersect(ui.clip_rect()));
    let visible = painter.clip_rect();
    let offset = placed.galley_pos.to_vec2();
    let list = &marks.list;
    // All underlines go in one mesh of thin quads: hundreds of anti-aliased polylines would
    // cost milliseconds to tessellate every frame.
    let mut mesh = egui::Mesh::default();
    // The first mark that does not end before the current row (marks are sorted and apart).
    let mut first = 0usize;
    let mut row_start = 0usize;
    for row in &placed.galley.rows {
        let row_end = row_start + row.char_count_excluding_newline().0;
        let next_start = row_start + row.char_count_including_newline().0;
        let r = row.rect().translate(offset);
        if r.min.y > visible.max.y {
            break;
        }
        while first < list.len() && list[first].chars.end <= row_start {
            first += 1;
        }
        if r.max.y >= visible.min.y {
            for m in list[first..].iter().take_while(|m| m.chars.start < row_end) {
                if placed.cursor == Some(m.chars.end) {
                    // The word being typed is not flagged until the cursor leaves it.
                    continue;
                }
                let a = m.chars.start.max(row_start) - row_start;
                let b = m.chars.end.min(row_end) - row_start;
                let x0 = r.min.x + row.x_offset(CharIndex(a));
                let x1 = r.min.x + row.x_offset(CharIndex(b));
                if x1 - x0 < 1.0 {
                    continue;
                }
                wave(
                    &mut mesh,
                    x0,
                    x1,
                    r.max.y - tokens::SPELL_WAVE_AMPLITUDE,
                    color,
                );
                marks.painted.push((
                    Rect::from_min_max(egui::pos2(x0, r.min.y), egui::pos2(x1, r.max.y)),
                    m.word.clone(),
                ));
            }
        }
        row_start = next_start;
    }
    if !mesh.is_empty() {
        painter.add(Shape::mesh(mesh));
    }
}

/// Adds a zigzag line from `x0` to `x1` around height `y` to `mesh` (one quad a segment).
fn wave(mesh: &mut egui::Mesh, x0: f32, x1: f32, y: f32, color: Color32) {
    let step = tokens::SPELL_WAVE_STEP;
    let amp = tokens::SPELL_WAVE_AMPLITUDE;
    let half = tokens::SPELL_WAVE_WIDTH / 2.0;
    let mut prev = egui::pos2(x0, y + amp);
    let mut x = x0;
    let mut up = true;
    while x < x1 {
        let nx = (x + step).min(x1);
        let next = egui::pos2(nx, if up { y - amp } else { y + amp });
        let n = (next - prev).normalized().rot90() * half;
        let base = mesh.vertices.len() as u32;
        for p in [prev + n, prev - n, next + n, next - n] {
            mesh.colored_vertex(p, color);
        }
        mesh.add_triangle(base, base + 1, base + 2);
        mesh.add_triangle(base + 1, base + 2, base + 3);
        prev = next;
        x = nx;
        up = !up;
    }
}

/// The right-click menu over a flagged word: up to [`MENU_SUGGESTIONS`] corrections, "Add to
/// atlas word list", "Ignore in this case". Returns what was chosen.
pub fn menu_ui(
    response: &egui::Response,
    placed: &Placed,
    marks: &mut Marks,
    checker: Option<&Checker>,
) -> Option<Action> {
    if response.secondary_clicked() {
        marks.menu = None;
        if let (Some(pos), Some(c)) = (response.interact_pointer_pos(), checker) {
            let at = placed
                .galley
                .cursor_from_pos(pos - placed.galley_pos)
                .index
                .0;
            if let Some(m) = marks
                .list
                .iter()
                .find(|m| m.chars.start <= at && at <= m.chars.end)
            {
                marks.menu = Some(MenuTarget {
                    mark: m.clone(),
                    suggestions: None,
                    rx: Some(find_suggestions(response.ctx.clone(), c, &m.word)),
                });
            }
        }
    }
    let target = marks.menu.as_mut()?;
    if let Some(rx) = &target.rx
        && let Ok(found) = rx.try_recv()
    {
        target.suggestions = Some(found);
        target.rx = None;
    }
    let mut action = None;
    response.context_menu(|ui| {
        let t = tokens::Tokens::of(ui);
        let word = target.mark.word.clone();
        ui.label(egui::RichText::new(format!("Not in the dictionary: {word}")).color(t.muted));
        match &target.suggestions {
            None => {
                ui.label(egui::RichText::new("Looking for corrections…").color(t.muted));
            }
            Some(s) if s.is_empty() => {
                ui.label(egui::RichText::new("No corrections found").color(t.muted));
            }
            Some(s) => {
                for with in s.iter().take(MENU_SUGGESTIONS) {
                    if ui
                        .button(with)
                        .on_hover_text(format!("Replace “{word}” with “{with}”"))
                        .clicked()
                    {
                        action = Some(Action::Replace {
                            bytes: target.mark.bytes.clone(),
                            word: word.clone(),
                            with: with.clone(),
                        });
                        ui.close();
                    }
                }
            }
        }
        ui.separator();
        if ui
            .button("Add to atlas word list")
            .on_hover_text(
                "Known in every case of this atlas from now on (.casebook/words.txt, kept in git)",
            )
            .clicked()
        {
            action = Some(Action::Accept(word.clone(), Accept::Atlas));
            ui.close();
        }
        if ui
            .button("Ignore in this case")
            .on_hover_text("Not flagged in this case (.casebook/ignore/<case>.txt)")
            .clicked()
        {
            action = Some(Action::Accept(word.clone(), Accept::Case));
            ui.close();
        }
    });
    if action.is_some() {
        marks.menu = None;
    }
    action
}

/// Looks for corrections of `word` in the background (the slow search can take tens of
/// milliseconds); the app repaints when they are found.
fn find_suggestions(ctx: egui::Context, c: &Checker, word: &str) -> Receiver<Vec<String>> {
    let (tx, rx) = channel();
    let speller = c.speller.clone();
    let case = c.case.clone();
    let word = word.to_string();
    let spawned = std::thread::Builder::new()
        .name("casebook-suggest".to_string())
        .spawn(move || {
            let _ = tx.send(speller.suggest_in_case(&word, &case));
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        // No thread: an empty list says so rather than waiting forever.
        let (tx, rx2) = channel();
        let _ = tx.send(Vec::new());
        eprintln!("corrections not searched: {e}");
        return rx2;
    }
    rx
}

/// Writes `word` to a list (a small text file, written at once like a setting) and says
/// what happened in the status bar.
pub fn accept(ctx: &egui::Context, word: &str, to: Accept) -> super::Intent {
    let shared = Spelling::shared(ctx);
    let msg = match shared.lock() {
        Ok(mut s) => s.accept(ctx, word, to).unwrap_or_else(|e| e),
        Err(_) => "The word lists are unavailable; restart Casebook.".to_string(),
    };
    super::Intent::Status(msg)
}

/// `text` with the word at `bytes` replaced, if that word is still `word` there.
pub fn replaced(text: &str, bytes: &Range<usize>, word: &str, with: &str) -> Option<String> {
    if text.get(bytes.clone()) != Some(word) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..bytes.start]);
    out.push_str(with);
    out.push_str(&text[bytes.end..]);
    Some(out)
}
