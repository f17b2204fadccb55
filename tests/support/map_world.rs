//! The map view alone, outside the app, for kittest flows and renders: a case, its template,
//! the map's state and the settings it draws with.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use casebook::app::settings::Settings;
use casebook::ui::map::{MapState, map_ui};
use casebook::ui::{Intent, ViewCtx};
use casebook_core::case::Case;
use casebook_core::template::{Template, TemplateSet};

/// A case on the map, with the bundled template it names and default settings.
pub struct MapWorld {
    pub case: Case,
    pub template: Template,
    pub map: MapState,
    pub settings: Settings,
    pub data_dir: PathBuf,
}

impl MapWorld {
    /// `case` on a fresh map, with Casebook's data in `data_dir`.
    pub fn new(case: Case, data_dir: &Path) -> MapWorld {
        let template = TemplateSet::bundled().for_document(case.doc()).clone();
        MapWorld {
            case,
            template,
            map: MapState::default(),
            settings: Settings::default(),
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Draws one frame of the map at `revision`; what the map asked for.
    pub fn frame_at(&mut self, ui: &mut egui::Ui, revision: u64) -> Vec<Intent> {
        let cx = ViewCtx {
            case: &self.case,
            template: &self.template,
            diagnostics: &[],
            revision,
            focus: None,
        };
        map_ui(
            ui,
            &mut self.map,
            &cx,
            &self.settings.map_settings(),
            &self.data_dir,
        )
    }

    /// Draws one frame (revision 0), dropping what the map asked for.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        drop(self.frame_at(ui, 0));
    }
}
