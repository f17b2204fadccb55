//! What a file dialog is opened for: views ask for a file with [`Purpose`] (through
//! `Intent::Pick`), the app opens the dialog and routes the answer.

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Open a case (index.md or folder).
    OpenCase,
    /// Open a folder of cases.
    OpenFolder,
    /// Pick the new folder for Save As.
    SaveAs,
    /// Pick the folder for the new case.
    NewCaseFolder,
    /// Choose an image for `featured_image`.
    FeaturedImage,
    /// Choose an image to insert into a section.
    SectionImage {
        /// The section.
        section: usize,
        /// Where in its text.
        at: usize,
    },
    /// Choose a GeoJSON file to import.
    ImportGeometry,
    /// Choose a local tiles file or folder.
    LocalTiles,
    /// Choose a Hunspell dictionary (`.aff`, with its `.dic` beside it) to add to the atlas.
    Dictionary,
}

impl Purpose {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Purpose::OpenCase => "Open a case (its folder or index.md)",
            Purpose::OpenFolder => "Open a folder of cases",
            Purpose::SaveAs => "Save the case into a new folder",
            Purpose::NewCaseFolder => "Folder that holds the case folders",
            Purpose::FeaturedImage => "Choose the featured image",
            Purpose::SectionImage { .. } => "Choose an image to insert",
            Purpose::ImportGeometry => "Import a GeoJSON boundary",
            Purpose::LocalTiles => "Choose a .pmtiles file or a tile folder",
            Purpose::Dictionary => "Add a Hunspell dictionary (.aff, with its .dic beside it)",
        }
    }

    /// Whether the answer is a folder.
    pub fn wants_folder(self) -> bool {
        matches!(
            self,
            Purpose::OpenFolder | Purpose::SaveAs | Purpose::NewCaseFolder | Purpose::LocalTiles
        )
    }

    /// File-name filters (name, extensions).
    pub fn filters(self) -> Vec<(&'static str, &'static [&'static str])> {
        match self {
            Purpose::OpenCase => vec![("Case (index.md)", &["md"])],
            Purpose::FeaturedImage | Purpose::SectionImage { .. } => {
                vec![("Images", &["jpg", "jpeg", "png", "webp", "gif"])]
            }
            Purpose::ImportGeometry => vec![("GeoJSON", &["geojson", "json"])],
            Purpose::Dictionary => vec![("Hunspell dictionary", &["aff"])],
            _ => Vec::new(),
        }
    }
}
