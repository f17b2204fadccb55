//! Place search on the map: a field ("Find a place", Ctrl+K) over the map's top-left
//! corner, listing the gazetteer's matches with their province and country; Up/Down choose,
//! Enter or a click flies the map there at city zoom.
//!
//! The gazetteer's search index takes about 100 ms to build, so [`places_ready`] builds it
//! on a background thread the first time a map is shown; until then the list says it is
//! loading, and the basemap draws no city names.

use std::sync::atomic::{AtomicU8, Ordering};

use casebook_core::places::{self, Match, Place};
use egui::{Key, Modifiers, Rect, RichText, Vec2};

use crate::ui::tokens::Tokens;

/// Most candidates listed.
const MAX_RESULTS: usize = 8;

const IDLE: u8 = 0;
const LOADING: u8 = 1;
const READY: u8 = 2;
const DAMAGED: u8 = 3;

static STATE: AtomicU8 = AtomicU8::new(IDLE);

/// What is known of the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacesStatus {
    /// Being decoded and indexed on a background thread.
    Loading,
    /// Ready: lookups answer at once.
    Ready,
    /// The embedded data is damaged (lookups find nothing).
    Damaged,
}

/// Whether the gazetteer and its search index are ready. The first call starts building
/// them on a background thread (the map then repaints when they are); later calls only
/// read a flag.
pub fn places_ready(ctx: &egui::Context) -> PlacesStatus {
    match STATE.load(Ordering::Acquire) {
        READY => return PlacesStatus::Ready,
        DAMAGED => return PlacesStatus::Damaged,
        LOADING => return PlacesStatus::Loading,
        _ => {}
    }
    if STATE
        .compare_exchange(IDLE, LOADING, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
    {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let ok = places::verify_data().is_ok();
            // The spatial query's grid and population order, for the map's labels.
            let _ = places::largest_in([0.0, 0.0, 1.0, 1.0], 1);
            STATE.store(if ok { READY } else { DAMAGED }, Ordering::Release);
            ctx.request_repaint();
        });
    }
    PlacesStatus::Loading
}

/// Loads the gazetteer now (or waits for the background load to finish): for tests and
/// snapshots, whose pictures must not depend on how fast a thread ran.
pub fn wait_for_places() {
    if STATE
        .compare_exchange(IDLE, LOADING, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
    {
        let ok = places::verify_data().is_ok();
        let _ = places::largest_in([0.0, 0.0, 1.0, 1.0], 1);
        STATE.store(if ok { READY } else { DAMAGED }, Ordering::Release);
        return;
    }
    while STATE.load(Ordering::Acquire) == LOADING {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Widget state of the place search.
#[derive(Default)]
pub struct SearchState {
    /// What was typed.
    pub query: String,
    /// The matches of `results_for`.
    results: Vec<Match>,
    results_for: Option<String>,
    /// The highlighted candidate.
    selected: usize,
    /// Whether the list is shown.
    open: bool,
    /// Move the keyboard focus to the field next frame (Ctrl+K).
    pub focus_next: bool,
    /// Where the list was last frame (a click there must not close it first).
    list_rect: Option<Rect>,
}

impl SearchState {
    /// The candidates listed for the current query (tests).
    pub fn candidates(&self) -> Vec<String> {
        if !self.open {
            return Vec::new();
        }
        let q = self.results_for.as_deref().unwrap_or_default();
        self.results.iter().map(|m| candidate_label(m, q)).collect()
    }
}

/// "Suzhou, Jiangsu, China", with the name that matched when the place's own name does not
/// show why it is listed ("Mumbai, Maharashtra, India (Bombay)"; but "New York City, …" for
/// "york", not "(York Berri)").
pub fn candidate_label(m: &Match, query: &str) -> String {
    let label = m.place.label();
    let name = format!(" {}", places::fold(m.place.name));
    let q = places::fold(query);
    if m.matched == m.place.name || q.is_empty() || name.contains(&format!(" {q}")) {
        label
    } else {
        format!("{label} ({})", m.matched)
    }
}

/// "5.3 million", "312,000", "8,400": a place's population for the list.
fn population_text(n: u32) -> String {
    match n {
        0 => String::new(),
        1_000_000.. => format!("{:.1} million", f64::from(n) / 1e6),
        _ => super::analysis::group(f64::from(n), 0),
    }
}

/// What the search asks of the map.
#[derive(Default)]
pub struct SearchOutcome {
    /// Fly to this place.
    pub fly_to: Option<Place>,
    /// Screen rects the field and its list cover.
    pub covered: Vec<Rect>,
}

/// The field's id (the same in every frame and view).
pub fn field_id() -> egui::Id {
    egui::Id::unique("casebook-map-place-search")
}

/// Draws the search field (at the cursor of `ui`, `width` wide) and its list of candidates
/// in a pop-up layer under it.
pub fn search_ui(ui: &mut egui::Ui, state: &mut SearchState, width: f32) -> SearchOutcome {
    let mut out = SearchOutcome::default();
    let id = field_id();
    let status = places_ready(ui.ctx());
    let had_focus = ui.memory(|m| m.has_focus(id));
    // Keys for the list, taken before the field sees them.
    let accept = had_focus && self_open(state) && state.list_keys(ui);
    if state.focus_next {
        state.focus_next = false;
        state.focus_with_all_selected(ui, id);
    }
    let r = state.field_ui(ui, id, width);
    out.covered.push(r.rect);

    // Matches for what was typed.
    let query = state.query.trim().to_string();
    if status == PlacesStatus::Ready && state.results_for.as_deref() != Some(&query) {
        state.results = places::search(&query, None, MAX_RESULTS);
        state.results_for = Some(query.clone());
        state.selected = 0;
    }
    if accept && let Some(m) = state.results.get(state.selected) {
        out.fly_to = Some(m.place);
        state.open = false;
    }

    state.list_rect = None;
    if !state.open || query.is_empty() {
        return out;
    }
    let t = Tokens::of(ui);
    let area = egui::Area::new(id.with("list"))
        .order(egui::Order::Foreground)
        .fixed_pos(r.rect.left_bottom() + Vec2::new(0.0, 2.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_min_width(width.max(240.0));
                ui.set_max_width(width.max(240.0) + 120.0);
                state.list_ui(ui, status, &query, &t)
            })
        });
    if let Some(place) = area.inner.inner {
        out.fly_to = Some(place);
    }
    state.list_rect = Some(area.response.rect);
    out.covered.push(area.response.rect);
    if out.fly_to.is_some() {
        state.open = false;
    }
    out
}

impl SearchState {
    /// Arrows move through the open list; true when Enter accepts the selected place.
    fn list_keys(&mut self, ui: &egui::Ui) -> bool {
        let consume = |k: Key| ui.ctx().input_mut(|i| i.consume_key(Modifiers::NONE, k));
        let n = self.results.len();
        if consume(Key::ArrowDown) && n > 0 {
            self.selected = (self.selected + 1).min(n - 1);
        }
        if consume(Key::ArrowUp) {
            self.selected = self.selected.saturating_sub(1);
        }
        consume(Key::Enter) && n > 0
    }

    /// Ctrl+K: focus before the field is drawn, so that keys typed in this very frame land
    /// in it, with what it held selected (typing replaces it).
    fn focus_with_all_selected(&mut self, ui: &egui::Ui, id: egui::Id) {
        ui.memory_mut(|m| m.request_focus(id));
        let mut te = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
        let all = egui::text::CCursorRange::two(
            egui::text::CCursor::new(0),
            egui::text::CCursor::new(self.query.chars().count()),
        );
        te.cursor.set_char_range(Some(all));
        te.store(ui.ctx(), id);
        self.open = !self.query.trim().is_empty();
    }

    /// The field; the list opens while it has the focus and holds text (or the pointer is on
    /// the list).
    fn field_ui(&mut self, ui: &mut egui::Ui, id: egui::Id, width: f32) -> egui::Response {
        let edit = egui::TextEdit::singleline(&mut self.query)
            .id(id)
            .hint_text("Find a place (Ctrl+K)")
            .desired_width(width);
        let r = ui.add(edit).accessible_name("Find a place").on_hover_text(
            "Cities and towns of the offline gazetteer (GeoNames); Enter flies there",
        );
        if r.changed() {
            self.open = !self.query.trim().is_empty();
            self.selected = 0;
        }
        if r.gained_focus() && !self.query.trim().is_empty() {
            self.open = true;
        }
        let pointer_on_list = self
            .list_rect
            .zip(ui.input(|i| i.pointer.interact_pos()))
            .is_some_and(|(l, p)| l.contains(p));
        if !r.has_focus() && !pointer_on_list {
            self.open = false;
        }
        r
    }

    /// The list of candidates (or why there is none); the place clicked.
    fn list_ui(
        &self,
        ui: &mut egui::Ui,
        status: PlacesStatus,
        query: &str,
        t: &Tokens,
    ) -> Option<Place> {
        match status {
            PlacesStatus::Loading => {
                ui.label(RichText::new("Loading places…").color(t.muted));
            }
            PlacesStatus::Damaged => {
                ui.label(RichText::new("The place list could not be read").color(t.error));
            }
            PlacesStatus::Ready if self.results.is_empty() => {
                ui.label(RichText::new(format!("No place called “{query}”")).color(t.muted));
            }
            PlacesStatus::Ready => {
                let mut clicked = None;
                for (i, m) in self.results.iter().enumerate() {
                    let label = candidate_label(m, query);
                    let pop = population_text(m.place.population);
                    let text = (
                        label.clone(),
                        egui::Atom::grow(),
                        RichText::new(pop).small().color(t.muted),
                    );
                    let b = ui
                        .add(
                            egui::Button::selectable(i == self.selected, text)
                                .min_size(Vec2::new(ui.available_width(), 0.0)),
                        )
                        .accessible_name(label);
                    if i == self.selected {
                        b.scroll_to_me(None);
                    }
                    if b.clicked() {
                        clicked = Some(m.place);
                    }
                }
                return clicked;
            }
        }
        None
    }
}

fn self_open(state: &SearchState) -> bool {
    state.open && !state.query.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternate_names_show_only_when_they_explain_the_match() {
        let label = |q: &str| {
            places::search(q, None, 5)
                .iter()
                .map(|m| candidate_label(m, q))
                .collect::<Vec<_>>()
        };
        assert!(
            label("bombay")
                .iter()
                .any(|l| l.starts_with("Mumbai") && l.ends_with("(Bombay)"))
        );
        let york = label("york");
        assert!(york.iter().all(|l| !l.contains("(York")), "{york:?}");
    }

    #[test]
    fn populations_read_well() {
        assert_eq!(population_text(5_300_000), "5.3 million");
        assert_eq!(population_text(312_000), "312,000");
        assert_eq!(population_text(0), "");
    }
}
