//! The real corpus for tests and benches: where it is (`CASEBOOK_CORPUS`) and which of its
//! files a test reads. Included by `#[path]` from the core's and the app's corpus tests, the
//! geometry corpus tests and the benches, so that they all walk the corpus the same way.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The folder `CASEBOOK_CORPUS` names; `None` when it is not set. A value that is not a
/// folder fails the test (a mistyped path must not pass as "skipped").
pub fn corpus_dir() -> Option<PathBuf> {
    let p = std::env::var_os("CASEBOOK_CORPUS")?;
    assert!(
        Path::new(&p).is_dir(),
        "CASEBOOK_CORPUS={} is not a folder",
        Path::new(&p).display()
    );
    Some(PathBuf::from(p))
}

/// The corpus folder, or `None` after printing that `what` is skipped.
pub fn corpus(what: &str) -> Option<PathBuf> {
    let dir = corpus_dir();
    if dir.is_none() {
        eprintln!("CASEBOOK_CORPUS is not set to a folder: {what} skipped");
    }
    dir
}

/// Every file under `dir`, at any depth, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Whether `p` ends in `.ext` (exactly that case).
pub fn has_extension(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|x| x == ext)
}

/// Every `.md` file under `dir` that is a case document (not one of the atlas's READMEs,
/// which lie directly in `dir`), sorted.
pub fn documents(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| has_extension(p, "md") && p.parent() != Some(dir))
        .collect()
}

/// The folders directly in `dir`, sorted.
pub fn folders(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The `.md` files directly in `dir`, sorted (none when it cannot be read).
pub fn markdown_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(files) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut md: Vec<PathBuf> = files
        .flatten()
        .map(|e| e.path())
        .filter(|p| has_extension(p, "md"))
        .collect();
    md.sort();
    md
}

/// `files` found under `root`, after asserting that there are at least `min` of them (so a
/// test never passes on a corpus it did not find).
#[track_caller]
pub fn at_least(files: Vec<PathBuf>, min: usize, root: &Path) -> Vec<PathBuf> {
    assert!(
        files.len() >= min,
        "only {} files under {}, expected the whole corpus",
        files.len(),
        root.display()
    );
    files
}
