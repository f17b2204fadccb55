//! The bundled sample case (written for Casebook), installed into the user's data folder on
//! first run so the editor shows something real and the repository is never edited.

use std::path::{Path, PathBuf};

/// The sample's folder name.
pub const FOLDER: &str = "gbr-kings-cross";

/// The sample's files, embedded in the binary.
const FILES: [(&str, &[u8]); 3] = [
    (
        "index.md",
        include_bytes!("../../assets/sample/gbr-kings-cross/index.md"),
    ),
    (
        "gbr-kings-cross.geojson",
        include_bytes!("../../assets/sample/gbr-kings-cross/gbr-kings-cross.geojson"),
    ),
    (
        "kings-cross-illustration.png",
        include_bytes!("../../assets/sample/gbr-kings-cross/kings-cross-illustration.png"),
    ),
];

/// The sample atlas's word list (`.casebook/words.txt` beside `cases/`): the place and
/// people names its text uses, so the spelling check shows how an atlas keeps its own words.
const WORDS: &[u8] = include_bytes!("../../assets/sample/casebook/words.txt");

/// Installs the sample under `data_dir/sample/cases/` (unless it is there already: the
/// user's edits to it are kept) and returns its `index.md`.
pub fn install(data_dir: &Path) -> std::io::Result<PathBuf> {
    let atlas = data_dir.join("sample");
    let dir = atlas.join("cases").join(FOLDER);
    let index = dir.join("index.md");
    let words = atlas.join(".casebook").join("words.txt");
    if !words.exists() {
        std::fs::create_dir_all(atlas.join(".casebook"))?;
        std::fs::write(&words, WORDS)?;
    }
    if index.is_file() {
        return Ok(index);
    }
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(&path, bytes)?;
        }
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_once_and_keeps_edits() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let index = install(t.path())?;
        assert!(index.is_file());
        std::fs::write(&index, "edited")?;
        let again = install(t.path())?;
        assert_eq!(again, index);
        assert_eq!(std::fs::read_to_string(&index)?, "edited");
        Ok(())
    }

    /// The sample shows a clean case: no error, no warning and no spelling hint (its names
    /// are in its atlas word list).
    #[test]
    fn the_sample_has_no_findings() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let index = install(t.path())?;
        let set = casebook_core::template::TemplateSet::bundled();
        let (summary, diags) = casebook_core::workspace::summarize(&index, &set);
        assert!(summary.error.is_none(), "{summary:?}");
        let found: Vec<_> = diags.iter().map(|d| (d.code, &d.message)).collect();
        assert!(found.is_empty(), "{found:#?}");
        Ok(())
    }
}
