//! Keystrokes and clicks never share a frame.
//!
//! egui hands a frame's events to widgets in drawing order, and a click moves focus while
//! widgets are drawn: a field that loses focus to a click surrenders it before it reads the
//! frame's text, and a field drawn after the one clicked sees the text after focus moved. So
//! a letter typed just before a click (one frame: ~100 ms with software rendering) was lost
//! or went to the field clicked. [`InputOrder`] holds back the rest of a frame's events from
//! the first pointer button event that follows typing (or the first typing that follows a
//! pointer button) and hands them to the next frame, in order: each keystroke reaches the
//! widget that had focus when it was typed.

use egui::{Event, RawInput};

/// What an event does, for ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Typing: text, a key press, paste, cut, copy, IME.
    Keys,
    /// A pointer button pressed or released.
    Button,
}

fn kind(e: &Event) -> Option<Kind> {
    match e {
        Event::Text(_)
        | Event::Paste(_)
        | Event::Copy
        | Event::Cut
        | Event::Ime(_)
        | Event::Key { pressed: true, .. } => Some(Kind::Keys),
        Event::PointerButton { .. } => Some(Kind::Button),
        _ => None,
    }
}

/// Where a frame's events must be cut so that typing and pointer buttons are not mixed:
/// the index of the first event of the other kind.
fn cut(events: &[Event]) -> Option<usize> {
    let mut first = None;
    for (i, e) in events.iter().enumerate() {
        match (first, kind(e)) {
            (None, Some(k)) => first = Some(k),
            (Some(f), Some(k)) if k != f => return Some(i),
            _ => {}
        }
    }
    None
}

/// The egui plugin that keeps typing and clicks in separate frames.
#[derive(Default)]
pub struct InputOrder {
    held: Vec<Event>,
}

impl InputOrder {
    /// Splits `input`'s events (after any held from the last frame); keeps the rest.
    /// Returns whether events were held back.
    fn order(&mut self, input: &mut RawInput) -> bool {
        let mut events = std::mem::take(&mut self.held);
        events.append(&mut input.events);
        if let Some(i) = cut(&events) {
            self.held = events.split_off(i);
        }
        input.events = events;
        !self.held.is_empty()
    }
}

impl egui::Plugin for InputOrder {
    fn debug_name(&self) -> &'static str {
        "casebook-input-order"
    }

    fn input_hook(&mut self, ctx: &egui::Context, input: &mut RawInput) {
        if self.order(input) {
            ctx.request_repaint();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(pressed: bool) -> Event {
        Event::PointerButton {
            pos: egui::pos2(1.0, 1.0),
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        }
    }

    fn frame(o: &mut InputOrder, events: Vec<Event>) -> Vec<Event> {
        let mut input = RawInput {
            events,
            ..Default::default()
        };
        o.order(&mut input);
        input.events
    }

    #[test]
    fn typing_and_clicks_get_frames_of_their_own() {
        let mut o = InputOrder::default();
        let moved = Event::PointerMoved(egui::pos2(1.0, 1.0));
        let first = frame(
            &mut o,
            vec![
                Event::Text("Z".into()),
                moved.clone(),
                press(true),
                press(false),
                Event::Text("!".into()),
            ],
        );
        assert_eq!(first, vec![Event::Text("Z".into()), moved]);
        assert_eq!(frame(&mut o, vec![]), vec![press(true), press(false)]);
        // What arrives meanwhile waits behind what was held.
        assert_eq!(
            frame(&mut o, vec![Event::Text("?".into())]),
            vec![Event::Text("!".into()), Event::Text("?".into())]
        );
        assert!(o.held.is_empty());
        // Nothing to split: untouched.
        let plain = vec![Event::Text("ab".into()), Event::Text("c".into())];
        assert_eq!(frame(&mut o, plain.clone()), plain);
        assert_eq!(frame(&mut o, vec![press(true)]), vec![press(true)]);
    }
}
