//! Settings persisted between runs (eframe storage). Never documents or history.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent cases are remembered.
pub const MAX_RECENT: usize = 12;

/// The storage key.
pub const KEY: &str = "casebook-settings";

/// What the basemap shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Basemap {
    /// Country borders and coasts shipped with Casebook; no network.
    #[default]
    Offline,
    /// OpenStreetMap raster tiles.
    OpenStreetMap,
    /// CARTO Positron (the light basemap the atlas uses).
    CartoPositron,
    /// A local `.pmtiles` file or tile folder.
    Local,
}

/// Settings remembered between runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened cases (index.md paths), newest first.
    pub recent: Vec<PathBuf>,
    /// The folder shown in the workspace panel.
    pub workspace_root: Option<PathBuf>,
    /// Dark theme (None = follow the system).
    pub dark: Option<bool>,
    /// Problems panel visible.
    pub show_problems: bool,
    /// Left panel visible.
    pub show_left: bool,
    /// The basemap.
    pub basemap: Basemap,
    /// Online tiles allowed at all.
    pub online_tiles: bool,
    /// Local tiles (`.pmtiles` or a folder of z/x/y tiles).
    pub local_tiles: Option<PathBuf>,
    /// Use the in-app path field instead of native file dialogs.
    pub in_app_file_dialogs: bool,
    /// The sample case was installed (first run done).
    pub sample_installed: bool,
    /// Height of the problems panel when it lists problems (dragged by the author).
    pub problems_height: f32,
    /// The folder the last new case was made in (the wizard's folder outside an atlas).
    pub new_case_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            workspace_root: None,
            dark: None,
            show_problems: true,
            show_left: true,
            basemap: Basemap::Offline,
            online_tiles: true,
            local_tiles: None,
            in_app_file_dialogs: false,
            sample_installed: false,
            problems_height: crate::ui::tokens::PROBLEMS_HEIGHT,
            new_case_dir: None,
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent list.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }

    /// The most recent case that still exists.
    pub fn last_case(&self) -> Option<&PathBuf> {
        self.recent.iter().find(|p| p.exists())
    }
}
