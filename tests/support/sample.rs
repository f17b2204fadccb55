//! The bundled sample case (`assets/sample/gbr-kings-cross`), copied for a test or a bench.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The bundled sample case's folder.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/gbr-kings-cross")
}

/// Copies the sample case's files into `into/gbr-kings-cross`; that folder.
pub fn copy_sample(into: &Path) -> std::io::Result<PathBuf> {
    let dest = into.join("gbr-kings-cross");
    std::fs::create_dir_all(&dest)?;
    for e in std::fs::read_dir(sample_dir())? {
        let e = e?;
        std::fs::copy(e.path(), dest.join(e.file_name()))?;
    }
    Ok(dest)
}
