//! The [`Edit`] enum: the only way a case changes.
//!
//! The app, the command line and the tests describe what the author asked for as an `Edit`;
//! [`crate::case::Case::apply`] applies it and returns the edit that undoes it (usually a plain
//! text change or a geometry edit), so one undo history covers form, sections and map.

use serde_yaml::Value;

use crate::geometry::GeometryEdit;
use crate::text::Change;

/// One change to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replace bytes of `index.md` (what inverses are made of).
    Text(Change),
    /// Set a front-matter key to a value, written in the style already used.
    SetField {
        /// The YAML key.
        key: String,
        /// The new value.
        value: Value,
    },
    /// Replace the raw YAML after `key:` (for keys without a widget of their own).
    SetRawField {
        /// The YAML key.
        key: String,
        /// What follows `key:`, e.g. ` Canada` or `\n  - a\n  - b`.
        raw: String,
    },
    /// Remove a key and its lines.
    RemoveField {
        /// The YAML key.
        key: String,
    },
    /// Replace a section's content (given with `\n` line breaks).
    SetSectionText {
        /// Index among the `## ` sections.
        section: usize,
        /// The new content.
        text: String,
    },
    /// Change a section's heading text.
    RenameSection {
        /// Index among the `## ` sections.
        section: usize,
        /// The new heading (without `## `).
        heading: String,
    },
    /// Insert a new section before section `before` (at the end when `None`).
    InsertSection {
        /// Index of the section it goes before.
        before: Option<usize>,
        /// Its heading.
        heading: String,
        /// Guidance to put in a comment under the heading.
        guidance: Option<String>,
        /// Initial content.
        text: String,
    },
    /// Remove a section (heading, guidance and content).
    RemoveSection {
        /// Index among the `## ` sections.
        section: usize,
    },
    /// A change to the case's geometry.
    Geometry(GeometryEdit),
    /// Several edits applied in order as one step.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Sets a key to a string.
    pub fn set(key: &str, value: impl Into<String>) -> Edit {
        Edit::SetField {
            key: key.to_string(),
            value: Value::String(value.into()),
        }
    }

    /// Whether the edit changes the geometry (part of it, for a batch).
    pub fn touches_geometry(&self) -> bool {
        match self {
            Edit::Geometry(_) => true,
            Edit::Batch(b) => b.iter().any(Edit::touches_geometry),
            _ => false,
        }
    }
}

/// Why an edit could not be applied (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// Setting a front-matter field failed.
    #[error(transparent)]
    Field(#[from] crate::front_matter::SetError),
    /// There is no such section.
    #[error("there is no section number {0}")]
    NoSection(usize),
    /// A text change that does not fit the document.
    #[error("the change does not fit the document (it changed meanwhile)")]
    Stale,
    /// A heading that would not read back as one heading.
    #[error("a heading must be one line of text")]
    BadHeading,
    /// The case has no geometry to change.
    #[error("this case has no geometry loaded")]
    NoGeometry,
    /// A geometry edit failed.
    #[error("{0}")]
    Geometry(String),
}
