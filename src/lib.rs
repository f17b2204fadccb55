//! Casebook: a desktop editor for Atlas of Urban Tech case studies.
//!
//! - [`casebook_core`] (re-exported as [`core`]) is the pure core: documents, templates,
//!   geometry, checks, workspace, safe save. It never imports a UI crate.
//! - [`cli`] is the `casebook` command line (`check`, `set`, `new`, `templates`).
//! - [`app`] is the eframe app; [`ui`] holds its views, one file each.

pub use casebook_core as core;

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
#[cfg(feature = "gui")]
pub mod ui;
