//! The pure core of Casebook: case documents, templates, geometry, checks, workspace, safe save.
//!
//! This crate never imports a UI crate (egui, eframe, walkers, rfd); the command line and the
//! desktop app both stand on it. Its invariants:
//!
//! - **Lossless.** A document keeps its source text. Opening and saving without edits gives back
//!   the same bytes; an edit replaces only the bytes it owns (one front-matter field's lines, one
//!   section's text, one geometry).
//! - **Byte offsets.** Every range into a document's text is a byte range on `char` boundaries.
//! - **Axes.** GeoJSON stores `[lon, lat]`; the front matter's `centroid` is `[lat, lon]`. The
//!   conversion happens in one place ([`fields::Centroid`]); everything else uses [`geometry::LonLat`].
//! - **Every change is an [`edit::Edit`]**, applied by [`document::CaseDocument::apply`], which
//!   returns its inverse. Undo history is built on those inverses.
//! - **No panics on user data.** Errors are typed and name the file (and line) they are about.

pub mod about;
pub mod bindata;
pub mod bulk;
pub mod case;
pub mod checks;
pub mod countries;
pub mod document;
pub mod edit;
pub mod escape;
pub mod facts;
pub mod fields;
pub mod front_matter;
pub mod geometry;
pub mod history;
pub mod images;
pub mod job;
pub mod places;
pub mod recovery;
pub mod save;
pub mod sections;
pub mod session;
pub mod spell;
pub mod template;
pub mod text;
pub mod vcs;
pub mod workspace;
pub mod yaml11;
pub mod yaml_lex;
pub mod yaml_write;
