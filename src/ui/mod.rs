//! The views, one file each. A view is a `*_ui(ui, state, cx) -> Vec<Intent>` function: it
//! draws from the case it is given and returns what the user asked for; the app applies the
//! intents after the frame. Widget-only state (a draft string, an open popup) lives in the
//! view's state struct.

use std::path::PathBuf;

use casebook_core::case::Case;
use casebook_core::checks::Diagnostic;
use casebook_core::edit::Edit;
use casebook_core::template::Template;

use self::command::Command;

pub mod a11y;
pub mod bulk;
pub mod changes;
pub mod command;
pub mod dialogs;
pub mod diff;
pub mod focus;
pub mod form;
pub mod highlight;
pub mod map;
pub mod preview;
pub mod problems;
pub mod purpose;
pub mod sections;
pub mod spelling;
pub mod tags;
#[cfg(test)]
pub(crate) mod test_support;
pub mod tokens;
pub mod widgets;
pub mod workspace;

/// Something a view asks the app to do.
#[derive(Debug, Clone)]
pub enum Intent {
    /// Apply an edit to the open case and record it for undo.
    Edit {
        /// The edit.
        edit: Edit,
        /// What it does, for the Undo menu ("Title").
        label: String,
        /// Edits with the same key in quick succession form one undo step (typing).
        merge: Option<String>,
    },
    /// Run a global command.
    Command(Command),
    /// Show and focus something (a field, a section, the map).
    Focus(Focus),
    /// Open a case or folder.
    Open(PathBuf),
    /// Copy a file into the case folder, then apply the edit made from its new relative path.
    ImportFile {
        /// The file to copy.
        from: PathBuf,
        /// What the copied file is for.
        purpose: ImportPurpose,
    },
    /// Ask for a file or folder (native dialog, or the in-app path field).
    Pick(purpose::Purpose),
    /// Show a message in the status bar.
    Status(String),
    /// Preview a bulk edit over the cases of the open folder (nothing is written yet).
    Bulk(casebook_core::bulk::plan::BulkOp),
    /// Write a case deleted since the reference back from it, and open it (its folder from
    /// the repository's top).
    RestoreCase(String),
    /// Make this the atlas's spelling language.
    SpellingLanguage(String),
    /// Copy this Hunspell dictionary (`.aff`, its `.dic` beside it) into the atlas and use it.
    AddDictionary(PathBuf),
    /// Switch to the map with its centroid tool ("Pick on map" on the form).
    PickCentroidOnMap,
    /// Remember this basemap, and whether online tiles may load (chosen on the map).
    SetBasemap {
        /// The basemap.
        basemap: map::Basemap,
        /// Whether online tiles may load.
        online: bool,
    },
}

impl Intent {
    /// An edit intent.
    pub fn edit(edit: Edit, label: impl Into<String>, merge: Option<String>) -> Intent {
        Intent::Edit {
            edit,
            label: label.into(),
            merge,
        }
    }
}

/// Why a file is being copied into the case folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportPurpose {
    /// It becomes `featured_image`.
    FeaturedImage,
    /// It is inserted as an image into section `section` at byte `at` of its text.
    SectionImage {
        /// Index of the section.
        section: usize,
        /// Char position in the section's text where the image goes.
        at: usize,
    },
    /// It is imported as boundary geometry.
    Geometry,
}

/// What to show and focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Focus {
    /// A front-matter key on the Details form.
    Field(String),
    /// A section by index on the Sections view.
    Section(usize),
    /// A template section the case lacks ("Add section" button).
    MissingSection(String),
    /// The map.
    Geometry,
}

/// What every view reads: the case and what is known about it.
pub struct ViewCtx<'a> {
    /// The open case.
    pub case: &'a Case,
    /// Its template.
    pub template: &'a Template,
    /// Current findings.
    pub diagnostics: &'a [Diagnostic],
    /// The history revision (changes whenever the case changes).
    pub revision: u64,
    /// Something to bring into view and focus this frame.
    pub focus: Option<&'a Focus>,
}
