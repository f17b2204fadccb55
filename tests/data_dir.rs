//! The data folder named from the application id, with a temporary XDG_DATA_HOME: an older
//! Casebook's `casebook` folder (settings, recovery copies, the sample case) is moved to it by
//! the same call the app makes at start (`data_dir::resolve(eframe::storage_dir)`).
//!
//! One test in this binary: it sets XDG_DATA_HOME for the whole process.

#![cfg(target_os = "linux")]

use std::path::Path;

use casebook::app::data_dir::{self, Migration};

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

#[test]
fn an_older_casebooks_folder_moves_to_the_app_id_folder() -> std::io::Result<()> {
    let home = tempfile::tempdir()?;
    let base = home.path().join(".local/share");
    // SAFETY: the only test of this binary; no other thread reads the environment.
    unsafe {
        std::env::set_var("XDG_DATA_HOME", &base);
    }
    let old = base.join("casebook");
    write(&old.join("app.ron"), "{\"casebook-settings\": \"()\"}")?;
    write(&old.join("recovery/00ff.json"), "{}")?;
    write(
        &old.join("sample/cases/gbr-kings-cross/index.md"),
        "my edits",
    )?;

    let Some(r) = data_dir::resolve(eframe::storage_dir) else {
        panic!("no data folder on Linux")
    };
    // eframe names the folder in lower case on Linux.
    let new = base.join("org.atlasofurbantech.casebook");
    assert_eq!(r.dir, new);
    assert_eq!(r.migration, Migration::Moved { from: old.clone() });
    assert!(!old.exists());
    assert_eq!(
        std::fs::read_to_string(new.join("sample/cases/gbr-kings-cross/index.md"))?,
        "my edits"
    );
    assert!(new.join("app.ron").is_file() && new.join("recovery/00ff.json").is_file());

    // A second start: nothing to do, the same folder.
    let Some(again) = data_dir::resolve(eframe::storage_dir) else {
        panic!("no data folder")
    };
    assert_eq!((again.dir, again.migration), (new, Migration::Nothing));
    Ok(())
}
