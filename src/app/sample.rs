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

/// Installs the sample under `data_dir/sample/cases/` (unless it is there already: the
/// user's edits to it are kept) and returns its `index.md`.
pub fn install(data_dir: &Path) -> std::io::Result<PathBuf> {
    let dir = data_dir.join("sample").join("cases").join(FOLDER);
    let index = dir.join("index.md");
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
}
