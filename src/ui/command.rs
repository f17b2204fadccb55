//! Every global action of the app: one enum with its label, tooltip and shortcut.
//!
//! Menus, the command palette-like menus and the keyboard all go through [`Command`];
//! shortcuts are consumed once per frame before any text field sees them (so the app's undo
//! is the only undo), and commands run after the panels are drawn.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Declares [`Command`] and [`Command::ALL`] from one list, so no command can be left out of
/// the menus, the shortcut handling or the tests.
macro_rules! commands {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A global action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $($(#[$doc])* $name,)*
        }

        impl Command {
            /// Every command, in menu order (the order of declaration).
            pub const ALL: &'static [Command] = &[$(Command::$name,)*];
        }
    };
}

commands! {
    /// Start the new-case wizard.
    NewCase,
    /// Open a case (file dialog).
    OpenCase,
    /// Open a folder of cases (file dialog).
    OpenFolder,
    /// Save the open case.
    Save,
    /// Save the open case into another folder.
    SaveAs,
    /// Drop unsaved changes and re-read from disk.
    Revert,
    /// Close the open case.
    CloseCase,
    /// Quit Casebook.
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Show the front-matter form.
    ViewDetails,
    /// Show the section editors.
    ViewSections,
    /// Show the boundary map.
    ViewMap,
    /// Show the rendered preview.
    ViewPreview,
    /// Show or hide the problems panel.
    ToggleProblems,
    /// Show what changed in the open case against HEAD or a branch (git).
    ShowChanges,
    /// Switch between light and dark.
    ToggleTheme,
    /// Add the full case-study sections to a stub.
    UpgradeToCaseStudy,
    /// Re-scan the workspace folder.
    RefreshWorkspace,
    /// Show the tags of the open folder, to rename or merge one in every case.
    Tags,
    /// Move the keyboard focus to the next pane.
    NextPane,
    /// Move the keyboard focus to the previous pane.
    PreviousPane,
    /// Move the keyboard focus to the menu bar.
    FocusMenu,
    /// Show the keys.
    KeyboardHelp,
    /// Show the map and move the keyboard focus to its place search.
    FindPlace,
    /// Show the version, the licence and the bundled data's sources and licences.
    About,
}

impl Command {
    /// The menu label (sentence case, `…` when it opens a dialog).
    pub fn label(self) -> &'static str {
        match self {
            Command::NewCase => "New case…",
            Command::OpenCase => "Open case…",
            Command::OpenFolder => "Open folder…",
            Command::Save => "Save",
            Command::SaveAs => "Save as…",
            Command::Revert => "Revert to saved",
            Command::CloseCase => "Close case",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::ViewDetails => "Details",
            Command::ViewSections => "Sections",
            Command::ViewMap => "Map",
            Command::ViewPreview => "Preview",
            Command::ToggleProblems => "Problems panel",
            Command::ShowChanges => "Changes…",
            Command::ToggleTheme => "Switch light/dark theme",
            Command::UpgradeToCaseStudy => "Upgrade stub to full case study",
            Command::RefreshWorkspace => "Refresh case list",
            Command::Tags => "Tags…",
            Command::NextPane => "Next pane",
            Command::PreviousPane => "Previous pane",
            Command::FocusMenu => "Menu bar",
            Command::KeyboardHelp => "Keyboard",
            Command::About => "About Casebook…",
            Command::FindPlace => "Find a place on the map",
        }
    }

    /// A sentence saying what it does.
    pub fn tooltip(self) -> &'static str {
        match self {
            Command::NewCase => "Make a new case folder from a template",
            Command::OpenCase => "Open a case folder or its index.md",
            Command::OpenFolder => {
                "Open a folder of cases (an atlas checkout or its cases/ folder)"
            }
            Command::Save => "Save index.md (and the boundary file if the map changed)",
            Command::SaveAs => "Write this case into another folder and keep editing it there",
            Command::Revert => "Forget unsaved changes and read the files again",
            Command::CloseCase => "Close the open case",
            Command::Quit => "Quit Casebook",
            Command::Undo => "Undo the last change (form, sections or map)",
            Command::Redo => "Redo the last undone change",
            Command::ViewDetails => "The front-matter form",
            Command::ViewSections => "One editor per section, with the template's guidance",
            Command::ViewMap => "The boundary map",
            Command::ViewPreview => "The case as readers will see it",
            Command::ToggleProblems => "Show or hide the list of problems",
            Command::ShowChanges => {
                "Compare the open case with HEAD or a branch of its git repository"
            }
            Command::ToggleTheme => "Switch between the light and dark theme",
            Command::UpgradeToCaseStudy => {
                "Add the missing case-study sections with their guidance and set template: case-study"
            }
            Command::RefreshWorkspace => "Scan the folder for cases again",
            Command::Tags => {
                "Every tag of the open folder with its number of cases: rename or merge one in all cases, with a preview"
            }
            Command::NextPane => {
                "Move the keyboard focus to the next pane: case list, outline, editor, problems"
            }
            Command::PreviousPane => "Move the keyboard focus to the previous pane",
            Command::FocusMenu => "Move the keyboard focus to the menu bar",
            Command::KeyboardHelp => "Every key of Casebook: panes, fields, the map",
            Command::About => "Casebook's version and licence, and the data it carries with theirs",
            Command::FindPlace => {
                "Search the offline list of cities and towns and move the map there"
            }
        }
    }

    /// The keyboard shortcut, if any.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = |k| Some(KeyboardShortcut::new(Modifiers::COMMAND, k));
        let cmd_shift = |k| {
            Some(KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                k,
            ))
        };
        match self {
            Command::NewCase => cmd(Key::N),
            Command::OpenCase => cmd(Key::O),
            Command::OpenFolder => cmd_shift(Key::O),
            Command::Save => cmd(Key::S),
            Command::SaveAs => cmd_shift(Key::S),
            Command::CloseCase => cmd(Key::W),
            Command::Quit => cmd(Key::Q),
            Command::Undo => cmd(Key::Z),
            Command::Redo => cmd_shift(Key::Z),
            Command::ViewDetails => cmd(Key::Num1),
            Command::ViewSections => cmd(Key::Num2),
            Command::ViewMap => cmd(Key::Num3),
            Command::ViewPreview => cmd(Key::Num4),
            Command::ToggleProblems => cmd_shift(Key::M),
            Command::ShowChanges => cmd_shift(Key::D),
            Command::Revert | Command::ToggleTheme | Command::UpgradeToCaseStudy => None,
            Command::RefreshWorkspace => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F5)),
            Command::Tags => cmd_shift(Key::T),
            Command::NextPane => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F6)),
            Command::PreviousPane => Some(KeyboardShortcut::new(Modifiers::SHIFT, Key::F6)),
            Command::FocusMenu => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F10)),
            Command::KeyboardHelp => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F1)),
            Command::About => None,
            Command::FindPlace => cmd(Key::K),
        }
    }

    /// Extra shortcuts that do the same (Ctrl+Y for redo).
    pub fn alternate_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            Command::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)),
            _ => None,
        }
    }

    /// Whether the command needs an open case.
    pub fn needs_case(self) -> bool {
        !matches!(
            self,
            Command::NewCase
                | Command::OpenCase
                | Command::OpenFolder
                | Command::Quit
                | Command::ToggleTheme
                | Command::ToggleProblems
                | Command::RefreshWorkspace
                | Command::Tags
                | Command::NextPane
                | Command::PreviousPane
                | Command::FocusMenu
                | Command::KeyboardHelp
                | Command::About
        )
    }
}

/// The commands whose shortcut was pressed this frame (consumed, so text fields do not see
/// them). Shortcuts with more modifiers are checked first (Ctrl+Shift+Z before Ctrl+Z).
pub fn pressed(ctx: &egui::Context) -> Vec<Command> {
    let mut all: Vec<(KeyboardShortcut, Command)> = Vec::new();
    for &c in Command::ALL {
        if let Some(s) = c.shortcut() {
            all.push((s, c));
        }
        if let Some(s) = c.alternate_shortcut() {
            all.push((s, c));
        }
    }
    all.sort_by_key(|(s, _)| std::cmp::Reverse(modifier_count(s.modifiers)));
    let mut out = Vec::new();
    ctx.input_mut(|i| {
        for (s, c) in &all {
            if i.consume_shortcut(s) && !out.contains(c) {
                out.push(*c);
            }
        }
    });
    out
}

fn modifier_count(m: Modifiers) -> u32 {
    u32::from(m.alt) + u32::from(m.shift) + u32::from(m.ctrl || m.command || m.mac_cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_shortcuts_clash() {
        let mut seen: Vec<(KeyboardShortcut, Command)> = Vec::new();
        for &c in Command::ALL {
            for s in [c.shortcut(), c.alternate_shortcut()].into_iter().flatten() {
                if let Some((_, other)) = seen.iter().find(|(t, _)| *t == s) {
                    panic!("{c:?} and {other:?} share a shortcut");
                }
                seen.push((s, c));
            }
        }
    }

    /// Each shortcut of every command, pressed alone, runs that command and no other (a
    /// shortcut with fewer modifiers must not take one with more: Ctrl+Z is not Ctrl+Shift+Z).
    #[test]
    fn every_shortcut_runs_its_own_command() {
        let ctx = egui::Context::default();
        for &c in Command::ALL {
            for s in [c.shortcut(), c.alternate_shortcut()].into_iter().flatten() {
                let mut got = Vec::new();
                let input = egui::RawInput {
                    events: vec![egui::Event::Key {
                        key: s.logical_key,
                        physical_key: None,
                        pressed: true,
                        repeat: false,
                        modifiers: s.modifiers,
                    }],
                    ..Default::default()
                };
                let mut out = ctx.run_ui(input, |ui| got = pressed(ui.ctx()));
                out.textures_delta.clear();
                assert_eq!(got, vec![c], "{}", ctx.format_shortcut(&s));
            }
        }
    }

    #[test]
    fn every_command_is_listed_once() {
        assert!(!Command::ALL.is_empty());
        for (i, c) in Command::ALL.iter().enumerate() {
            assert!(!Command::ALL[i + 1..].contains(c), "{c:?} listed twice");
            assert!(!c.label().is_empty() && !c.tooltip().is_empty());
        }
    }
}
