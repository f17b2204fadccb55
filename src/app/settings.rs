//! Settings persisted between runs (eframe storage). Never documents or history.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent cases are remembered.
pub const MAX_RECENT: usize = 12;

/// The storage key.
pub const KEY: &str = "casebook-settings";

pub use crate::ui::map::Basemap;

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
            problems_height: crate::ui::tokens::PROBLEMS_HEIGHT,
            new_case_dir: None,
        }
    }
}

impl Settings {
    /// What the map follows of these settings.
    pub fn map_settings(&self) -> crate::ui::map::MapSettings {
        crate::ui::map::MapSettings {
            basemap: self.basemap,
            online_tiles: self.online_tiles,
            local_tiles: self.local_tiles.clone(),
        }
    }

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

    /// Points every remembered path inside the folder `from` into `to` instead (after the
    /// data folder moved: the sample case's path is in the recent list).
    pub fn rebase(&mut self, from: &Path, to: &Path) {
        let move_one = |p: &mut PathBuf| {
            if let Ok(rest) = p.strip_prefix(from) {
                *p = to.join(rest);
            }
        };
        self.recent.iter_mut().for_each(move_one);
        for p in [
            &mut self.workspace_root,
            &mut self.local_tiles,
            &mut self.new_case_dir,
        ]
        .into_iter()
        .flatten()
        {
            move_one(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebase_moves_only_paths_inside_the_old_folder() {
        let old = Path::new("/home/a/.local/share/casebook");
        let new = Path::new("/home/a/.local/share/org.atlasofurbantech.casebook");
        let sample = old.join("sample/cases/gbr-kings-cross/index.md");
        let mine = PathBuf::from("/home/a/atlas/cases/nor-x/index.md");
        let neighbour = PathBuf::from("/home/a/.local/share/casebook-notes/index.md");
        let mut s = Settings {
            recent: vec![sample, mine.clone(), neighbour.clone()],
            workspace_root: Some(old.join("sample/cases")),
            local_tiles: Some(old.join("tiles/city.pmtiles")),
            new_case_dir: Some(PathBuf::from("/home/a/atlas/cases")),
            ..Settings::default()
        };
        s.rebase(old, new);
        assert_eq!(
            s.recent,
            vec![
                new.join("sample/cases/gbr-kings-cross/index.md"),
                mine,
                neighbour
            ]
        );
        assert_eq!(s.workspace_root, Some(new.join("sample/cases")));
        assert_eq!(s.local_tiles, Some(new.join("tiles/city.pmtiles")));
        assert_eq!(s.new_case_dir, Some(PathBuf::from("/home/a/atlas/cases")));
    }
}
