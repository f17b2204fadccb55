//! Keyboard focus across the window's panes: F6 / Shift+F6 between panes, Tab that stays
//! inside a pane, focus that is never lost to Escape or a closing popup, and focus that is
//! always scrolled into view.
//!
//! egui moves focus with Tab in the order widgets are added, across the whole window. The
//! panes (workspace, outline, editor, problems, and the menu bar) are bounded by *markers*:
//! ids registered as interested in focus right before and right after a pane's widgets.
//! Tab from a pane's last widget lands on its end marker, Shift+Tab from its first widget on
//! its begin marker; the next frame sends focus round to the pane's first or last widget.
//! Entering a pane at its first widget is "focus the begin marker and move on"; at its last
//! widget "focus the end marker and move back". Markers are ids only: no widget, no
//! accessibility node, nothing drawn.
//!
//! Panes are drawn by the app, which calls [`pane`] before each pane's widgets and
//! [`pane_end`] after the last one ([`content_start`] marks where the editor's own content
//! begins, after the view tabs). [`begin_frame`] runs before anything is drawn and
//! [`end_frame`] after everything; the state lives in egui's temporary data, so views can
//! mark a boundary inside them (the left panel holds the outline and the case list).

use egui::{Context, FocusDirection, Id, Key, Modifiers, Rect};

/// A region of the window with its own Tab cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// The menu bar (F10).
    Menu,
    /// The list of cases.
    Workspace,
    /// The open case's outline.
    Outline,
    /// The centre: view tabs and the view (form, sections, map, preview).
    Editor,
    /// The problems panel.
    Problems,
}

impl Pane {
    /// The panes F6 goes through, in order.
    pub const CYCLE: [Pane; 4] = [Pane::Workspace, Pane::Outline, Pane::Editor, Pane::Problems];

    /// The pane's name (status messages).
    pub fn label(self) -> &'static str {
        match self {
            Pane::Menu => "Menu",
            Pane::Workspace => "Case list",
            Pane::Outline => "Outline",
            Pane::Editor => "Editor",
            Pane::Problems => "Problems",
        }
    }

    fn begin_id(self) -> Id {
        Id::unique(("casebook-pane-begin", self))
    }

    fn end_id(self) -> Id {
        Id::unique(("casebook-pane-end", self))
    }

    fn of_marker(id: Id) -> Option<(Pane, bool)> {
        [
            Pane::Menu,
            Pane::Workspace,
            Pane::Outline,
            Pane::Editor,
            Pane::Problems,
        ]
        .into_iter()
        .find_map(|p| {
            if id == p.begin_id() {
                Some((p, true))
            } else if id == p.end_id() {
                Some((p, false))
            } else {
                None
            }
        })
    }
}

/// Where to put the focus this frame, applied when the pane is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enter {
    /// The pane's first widget (the editor: its content's first widget).
    First(Pane),
    /// The pane's first widget, the view tabs included.
    Top(Pane),
    /// The pane's last widget.
    Last(Pane),
}

/// The focus state kept between frames (in egui's temporary data).
#[derive(Debug, Clone, Default)]
struct Nav {
    /// The panes drawn last frame, with the screen area each covered.
    drawn: Vec<(Pane, Rect)>,
    /// The panes drawn so far this frame.
    drawing: Vec<(Pane, Rect)>,
    /// The pane being drawn: it, the top of its area, its left and right.
    open: Option<(Pane, f32)>,
    /// What to focus this frame.
    enter: Option<Enter>,
    /// The focus at the end of last frame (not a marker), and its pane.
    last: Option<(Id, Option<Pane>)>,
    /// The focus at the end of the last frame inside the open modal dialog.
    last_modal: Option<Id>,
    /// The pane being entered (its widget is not placed yet, e.g. scrolled out of view).
    expect: Option<Pane>,
    /// The widget that had focus last in each pane.
    remembered: Vec<(Pane, Id)>,
    /// The pane that had focus last.
    last_pane: Option<Pane>,
    /// A popup was open at the end of the last frame(s) (countdown of frames).
    popup_recent: u8,
    /// Enter was pressed in the last frame(s) (countdown of frames).
    enter_recent: u8,
    /// A widget that just got the focus: scroll it into view for a few frames.
    just_focused: Option<(Id, u8)>,
    /// Whether pane handling is on (off while a modal dialog is open).
    active: bool,
    /// A pane change asked for by a command (F6, Shift+F6, F10), done next frame.
    request: Option<Request>,
}

/// A pane change asked for by a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    /// F6 (true) or Shift+F6 (false).
    Cycle(bool),
    /// F10.
    Menu,
}

/// Moves the focus to the next (`forward`) or previous pane on the next frame (F6, Shift+F6).
pub fn cycle(ctx: &Context, forward: bool) {
    with_nav(ctx, |nav| nav.request = Some(Request::Cycle(forward)));
    ctx.request_repaint();
}

/// Moves the focus to the menu bar on the next frame (F10).
pub fn menu(ctx: &Context) {
    with_nav(ctx, |nav| nav.request = Some(Request::Menu));
    ctx.request_repaint();
}

fn nav_id() -> Id {
    Id::unique("casebook-focus-nav")
}

/// Runs `f` on the state (taken out of egui's data first: `f` may use the context).
fn with_nav<R>(ctx: &Context, f: impl FnOnce(&mut Nav) -> R) -> R {
    let mut nav = ctx
        .data_mut(|d| d.remove_temp::<Nav>(nav_id()))
        .unwrap_or_default();
    let r = f(&mut nav);
    ctx.data_mut(|d| d.insert_temp(nav_id(), nav));
    r
}

/// The pane that holds widget `id`, from where it was drawn last frame.
fn pane_of(ctx: &Context, nav: &Nav, id: Id) -> Option<Pane> {
    if let Some((p, _)) = Pane::of_marker(id) {
        return Some(p);
    }
    // Where its visible part is: a widget scrolled out of view has none.
    let placed = ctx.read_response(id).and_then(|r| {
        if !r.interact_rect.is_positive() {
            return None;
        }
        let c = r.interact_rect.center();
        nav.drawn
            .iter()
            .chain(nav.drawing.iter())
            .find(|(_, rect)| rect.contains(c))
            .map(|(p, _)| *p)
    });
    // Out of view, it is in the pane the focus was in: Tab crosses no pane's edge (the
    // markers see to that), and what is clicked is in view.
    placed.or_else(|| nav.last.and_then(|(_, pane)| pane))
}

/// The first thing of a frame, before any pane is drawn. `modal` is true while a modal dialog
/// is open (egui keeps Tab inside it then).
pub fn begin_frame(ctx: &Context, modal: bool) {
    let focused = ctx.memory(|m| m.focused());
    let key =
        |m: Modifiers, k: Key| ctx.input(|i| i.key_pressed(k) && i.modifiers.matches_exact(m));
    let tab = key(Modifiers::NONE, Key::Tab);
    let shift_tab = key(Modifiers::SHIFT, Key::Tab);
    let escape = key(Modifiers::NONE, Key::Escape);
    let enter_now = key(Modifiers::NONE, Key::Enter);
    let pointer = ctx.input(|i| i.pointer.any_pressed() || i.pointer.any_down());
    with_nav(ctx, |nav| {
        let request = nav.request.take();
        let (f6, shift_f6, f10) = match request {
            Some(Request::Cycle(true)) => (true, false, false),
            Some(Request::Cycle(false)) => (false, true, false),
            Some(Request::Menu) => (false, false, true),
            None => (false, false, false),
        };
        nav.drawing.clear();
        nav.open = None;
        nav.enter = None;
        nav.active = !modal;
        if enter_now {
            nav.enter_recent = 2;
        }
        if modal {
            // Inside a dialog egui keeps Tab in it; focus lost to the keyboard comes back.
            if focused.is_none()
                && !pointer
                && (escape || nav.enter_recent > 0 || nav.popup_recent > 0)
                && let Some(id) = nav.last_modal
                && ctx.read_response(id).is_some()
            {
                ctx.memory_mut(|m| m.request_focus(id));
            }
            return;
        }
        nav.last_modal = None;
        let mut focused = focused;
        // A Tab or Shift+Tab crossed a pane's edge last frame: round to its other end.
        if let Some((p, begin)) = focused.and_then(Pane::of_marker) {
            nav.enter = Some(if begin { Enter::Last(p) } else { Enter::Top(p) });
            focused = None;
        }
        // Focus lost to the keyboard (Escape, Enter in a line field, a popup that closed on
        // a choice): back to where it was.
        if focused.is_none()
            && nav.enter.is_none()
            && !pointer
            && (escape || nav.enter_recent > 0 || nav.popup_recent > 0)
            && let Some((id, _)) = nav.last
            && ctx.read_response(id).is_some()
        {
            ctx.memory_mut(|m| m.request_focus(id));
            focused = Some(id);
        }
        // Tab with nothing focused: into the pane last used (the editor's content at first).
        if focused.is_none() && nav.enter.is_none() && (tab || shift_tab) {
            ctx.memory_mut(|m| m.move_focus(FocusDirection::None));
            let p = nav.last_pane.unwrap_or(Pane::Editor);
            nav.enter = Some(if tab { Enter::First(p) } else { Enter::Last(p) });
        }
        if f10 {
            nav.enter = Some(Enter::First(Pane::Menu));
        }
        if f6 || shift_f6 {
            let current = focused
                .and_then(|id| pane_of(ctx, nav, id))
                .or(nav.last_pane);
            let shown: Vec<Pane> = Pane::CYCLE
                .into_iter()
                .filter(|p| nav.drawn.iter().any(|(q, _)| q == p))
                .collect();
            if !shown.is_empty() {
                let at = current.and_then(|c| shown.iter().position(|p| *p == c));
                let n = shown.len();
                let target = match (at, f6) {
                    (Some(i), true) => shown[(i + 1) % n],
                    (Some(i), false) => shown[(i + n - 1) % n],
                    (None, true) => shown[0],
                    (None, false) => shown[n - 1],
                };
                let back = nav
                    .remembered
                    .iter()
                    .find(|(p, _)| *p == target)
                    .map(|(_, id)| *id)
                    .filter(|id| ctx.read_response(*id).is_some());
                match back {
                    Some(id) => {
                        ctx.memory_mut(|m| m.request_focus(id));
                        nav.expect = Some(target);
                    }
                    None => {
                        ctx.memory_mut(|m| m.move_focus(FocusDirection::None));
                        nav.enter = Some(Enter::First(target));
                    }
                }
            }
        }
        if let Some(Enter::First(p) | Enter::Top(p) | Enter::Last(p)) = nav.enter {
            nav.expect = Some(p);
        }
        // Keep what just got the focus in view (the scroll area that holds it scrolls).
        if let Some((id, n)) = nav.just_focused
            && Some(id) == ctx.memory(|m| m.focused())
            && n > 0
            && !pointer
        {
            nav.just_focused = Some((id, n - 1));
            if let Some(r) = ctx.read_response(id)
                && (r.interact_rect.height() + 0.5 < r.rect.height()
                    || r.interact_rect.width() + 0.5 < r.rect.width()
                    || !r.interact_rect.is_positive())
            {
                ctx.input_mut(|i| {
                    i.events.push(egui::Event::AccessKitActionRequest(
                        egui::accesskit::ActionRequest {
                            action: egui::accesskit::Action::ScrollIntoView,
                            target_tree: egui::accesskit::TreeId::ROOT,
                            target_node: id.accesskit_id(),
                            data: None,
                        },
                    ));
                });
            }
        }
    });
}

/// Marks the start of `pane`'s widgets (ending the pane drawn before it in this panel).
pub fn pane(ui: &mut egui::Ui, pane: Pane) {
    let here = ui.cursor().top();
    close(ui, here);
    let ctx = ui.ctx().clone();
    let layer = ui.layer_id();
    let top = ui.cursor().top();
    let enter = with_nav(&ctx, |nav| {
        nav.open = Some((pane, top));
        nav.active.then_some(nav.enter).flatten()
    });
    if matches!(enter, Some(Enter::Top(p)) if p == pane)
        || matches!(enter, Some(Enter::First(p)) if p == pane && p != Pane::Editor)
    {
        ctx.memory_mut(|m| {
            m.request_focus(pane.begin_id());
            m.move_focus(FocusDirection::Next);
        });
    }
    ctx.memory_mut(|m| m.interested_in_focus(pane.begin_id(), layer));
}

/// Marks where the editor's own content starts (after the view tabs): entering the editor
/// pane puts the focus on the content's first widget.
pub fn content_start(ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    let enter = with_nav(&ctx, |nav| nav.active.then_some(nav.enter).flatten());
    if enter == Some(Enter::First(Pane::Editor)) {
        let id = Id::unique("casebook-editor-content");
        let layer = ui.layer_id();
        ctx.memory_mut(|m| {
            m.request_focus(id);
            m.move_focus(FocusDirection::Next);
            m.interested_in_focus(id, layer);
        });
    }
}

/// Marks the end of the pane being drawn (the last of its panel: its area reaches the
/// panel's bottom).
pub fn pane_end(ui: &mut egui::Ui) {
    let bottom = ui.max_rect().bottom().max(ui.cursor().top());
    close(ui, bottom);
}

/// Ends the open pane at `bottom`.
fn close(ui: &mut egui::Ui, bottom: f32) {
    let ctx = ui.ctx().clone();
    let layer = ui.layer_id();
    let x = ui.max_rect().x_range();
    let Some((pane, enter)) = with_nav(&ctx, |nav| {
        let (p, top) = nav.open.take()?;
        let rect = Rect::from_x_y_ranges(x, top..=bottom.max(top));
        nav.drawing.push((p, rect));
        Some((p, nav.active.then_some(nav.enter).flatten()))
    }) else {
        return;
    };
    if enter == Some(Enter::Last(pane)) {
        ctx.memory_mut(|m| {
            m.request_focus(pane.end_id());
            m.move_focus(FocusDirection::Previous);
        });
    }
    ctx.memory_mut(|m| m.interested_in_focus(pane.end_id(), layer));
}

/// The last thing of a frame: remembers where the focus is.
pub fn end_frame(ctx: &Context) {
    let focused = ctx.memory(|m| m.focused());
    let popup = egui::Popup::is_any_open(ctx);
    let pointer = ctx.input(|i| i.pointer.any_pressed());
    let top_modal = ctx.memory(|m| m.top_modal_layer());
    with_nav(ctx, |nav| {
        nav.drawn = std::mem::take(&mut nav.drawing);
        nav.enter_recent = nav.enter_recent.saturating_sub(1);
        nav.popup_recent = if popup {
            3
        } else {
            nav.popup_recent.saturating_sub(1)
        };
        let previous = nav.last.map(|(id, _)| id);
        match focused {
            Some(id) if Pane::of_marker(id).is_none() => {
                let pane = pane_of(ctx, nav, id).or(nav.expect);
                nav.expect = None;
                let layer = ctx.read_response(id).map(|r| r.layer_id);
                if layer.is_some() && layer == top_modal {
                    nav.last_modal = Some(id);
                }
                let layer_is_popup = layer.is_some_and(|l| l.order != egui::Order::Background);
                if !layer_is_popup {
                    nav.last = Some((id, pane));
                    if let Some(p) = pane {
                        nav.last_pane = Some(p);
                        nav.remembered.retain(|(q, _)| *q != p);
                        nav.remembered.push((p, id));
                    }
                }
                if previous != Some(id) && !pointer {
                    nav.just_focused = Some((id, 3));
                }
            }
            Some(_) => {}
            None => {
                if pointer {
                    // Clicked away on purpose: nothing to bring back.
                    nav.last = None;
                    nav.last_modal = None;
                }
            }
        }
    });
}

/// The pane that has the keyboard focus (tests, status).
pub fn focused_pane(ctx: &Context) -> Option<Pane> {
    let focused = ctx.memory(|m| m.focused())?;
    with_nav(ctx, |nav| pane_of(ctx, nav, focused))
}
