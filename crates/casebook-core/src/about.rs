//! What Casebook is and what it carries: the application id, and the third-party data bundled in
//! the binary with their licences (shown in Help › About and in `assets/DATA-LICENSES.md`).

/// The reverse-DNS application id: the window's app id (Wayland) / class (X11), the desktop
/// entry's name, the icon's name, and the name of the data and config folders.
pub const APP_ID: &str = "org.atlasofurbantech.Casebook";

/// The licence of Casebook's own code, templates, sample case and icon.
pub const LICENSE: &str = "MIT OR Apache-2.0";

/// One third-party data source bundled in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSource {
    /// What it is, e.g. "Natural Earth".
    pub name: &'static str,
    /// What Casebook uses it for.
    pub used_for: &'static str,
    /// Its licence.
    pub license: &'static str,
    /// Where it comes from.
    pub url: &'static str,
}

/// Every third-party data source bundled in the binary. A test keeps this list and
/// `assets/DATA-LICENSES.md` in step.
pub const DATA_SOURCES: &[DataSource] = &[
    DataSource {
        name: "Natural Earth admin-0 countries 4.1.0",
        used_for: "country outlines of the offline basemap and the country checks",
        license: "public domain",
        url: "https://www.naturalearthdata.com/",
    },
    DataSource {
        name: "world-atlas 2.0.2 (Mike Bostock)",
        used_for: "Natural Earth as TopoJSON, the input of the offline world data",
        license: "ISC",
        url: "https://github.com/topojson/world-atlas",
    },
    DataSource {
        name: "i18n-iso-countries 7.14.0",
        used_for: "ISO 3166-1 codes and English country names",
        license: "MIT",
        url: "https://github.com/michaelwittig/node-i18n-iso-countries",
    },
    DataSource {
        name: "egui default fonts (Ubuntu Light, Hack, Noto Emoji, emoji-icon-font)",
        used_for: "the user interface's fonts",
        license: "Ubuntu Font Licence 1.0; MIT; SIL OFL 1.1; MIT",
        url: "https://github.com/emilk/egui/tree/main/crates/epaint_default_fonts",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The About box and the licence file name the same sources.
    #[test]
    fn every_data_source_is_in_the_licence_file() -> Result<(), String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/DATA-LICENSES.md");
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        for source in DATA_SOURCES {
            // The first word of the name (e.g. "Natural", "world-atlas") appears in the file,
            // with the licence.
            let first = source.name.split_whitespace().next().unwrap_or(source.name);
            if !text.contains(first) {
                return Err(format!("{} is not in assets/DATA-LICENSES.md", source.name));
            }
            let licence = source.license.split(';').next().unwrap_or("").trim();
            if !text.to_lowercase().contains(&licence.to_lowercase()) {
                return Err(format!(
                    "the licence of {} ({licence}) is not in assets/DATA-LICENSES.md",
                    source.name
                ));
            }
        }
        Ok(())
    }
}
