//! What the map needs from the app's settings: the basemap and where tiles may come from. The
//! app builds a [`MapSettings`] from its settings each frame; the map never reads the app's
//! settings itself.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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

/// The settings the map follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapSettings {
    /// The basemap.
    pub basemap: Basemap,
    /// Online tiles allowed at all.
    pub online_tiles: bool,
    /// Local tiles (`.pmtiles` or a folder of z/x/y tiles).
    pub local_tiles: Option<PathBuf>,
}
