//! Hunspell dictionaries: the bundled en-US one, and others found in folders.
//!
//! The bundled dictionary is SCOWL's en_US (size 60) from the npm package `dictionary-en`
//! (see `assets/dict/README.md`; `assets/tools/fetch_dictionary.sh` regenerates it). It is
//! compiled into the program, so the command line checks spelling with nothing installed.
//!
//! Other languages are Hunspell `.aff` + `.dic` pairs in a folder (see [`find`]). Parsed
//! dictionaries are kept for the life of the process: parsing en_US takes tens of
//! milliseconds, checking a word about a microsecond.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::SpellError;
use crate::save::Stamp;

/// A parsed Hunspell dictionary, hashed with a fixed seed: `spellbook`'s suggestions depend
/// on its tables' iteration order, and the command line's output must be the same every run.
pub type Dictionary = spellbook::Dictionary<foldhash::fast::FixedState>;

fn parse(aff: &str, dic: &str) -> Result<Dictionary, spellbook::ParseDictionaryError> {
    Dictionary::new_with_hasher(aff, dic, foldhash::fast::FixedState::default())
}

/// Whether a dictionary's text parses (the message when it does not).
pub fn parse_check(aff: &str, dic: &str) -> Result<(), String> {
    parse(aff, dic).map(|_| ()).map_err(|e| e.to_string())
}

/// The language of the bundled dictionary.
pub const BUNDLED_LANGUAGE: &str = "en-US";

static EN_US_AFF: &str = include_str!("../../../../assets/dict/en_US.aff");
static EN_US_DIC: &str = include_str!("../../../../assets/dict/en_US.dic");

/// The bundled en-US dictionary (parsed once).
pub fn bundled() -> Result<Arc<Dictionary>, SpellError> {
    static BUNDLED: OnceLock<Result<Arc<Dictionary>, String>> = OnceLock::new();
    BUNDLED
        .get_or_init(|| {
            parse(EN_US_AFF, EN_US_DIC)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|message| SpellError::Parse {
            path: PathBuf::from("assets/dict/en_US.aff (bundled)"),
            message,
        })
}

/// `en-gb`, `en_GB` → `en-GB`: language subtag lower case, region upper case, `-` between.
pub fn normalize_language(language: &str) -> String {
    let mut parts = language.trim().split(['-', '_']);
    let lang = parts.next().unwrap_or_default().to_lowercase();
    let rest: Vec<String> = parts
        .map(|p| {
            if p.len() == 2 {
                p.to_uppercase()
            } else {
                p.to_string()
            }
        })
        .collect();
    std::iter::once(lang)
        .chain(rest)
        .collect::<Vec<_>>()
        .join("-")
}

/// The `.aff` and `.dic` files for `language` in one of `folders`, tried in order. In each
/// folder, for `en-GB`: `en_GB.aff`/`en_GB.dic`, `en-GB.aff`/`en-GB.dic`, then the folder
/// `en_GB/` or `en-GB/` holding such a pair or `index.aff`/`index.dic` (the layout of the npm
/// `dictionary-*` packages, e.g. `dictionary-en-gb`).
pub fn find(language: &str, folders: &[PathBuf]) -> Option<(PathBuf, PathBuf)> {
    let dashed = normalize_language(language);
    let underscored = dashed.replace('-', "_");
    let names = [underscored.as_str(), dashed.as_str()];
    for folder in folders {
        for name in names {
            let pair = (
                folder.join(format!("{name}.aff")),
                folder.join(format!("{name}.dic")),
            );
            if pair.0.is_file() && pair.1.is_file() {
                return Some(pair);
            }
        }
        for sub in names {
            for name in [underscored.as_str(), dashed.as_str(), "index"] {
                let dir = folder.join(sub);
                let pair = (
                    dir.join(format!("{name}.aff")),
                    dir.join(format!("{name}.dic")),
                );
                if pair.0.is_file() && pair.1.is_file() {
                    return Some(pair);
                }
            }
        }
    }
    None
}

/// The languages that have a dictionary in one of `folders` (the layouts [`find`] reads), with
/// the bundled one, normalised (`en-GB`) and sorted.
pub fn available(folders: &[PathBuf]) -> Vec<String> {
    let mut out = vec![BUNDLED_LANGUAGE.to_string()];
    let pair_in = |dir: &Path, name: &str| {
        dir.join(format!("{name}.aff")).is_file() && dir.join(format!("{name}.dic")).is_file()
    };
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let language = if let Some(stem) = name.strip_suffix(".aff") {
                pair_in(folder, stem).then_some(stem)
            } else if path.is_dir() {
                (pair_in(&path, name) || pair_in(&path, "index")).then_some(name)
            } else {
                None
            };
            if let Some(language) = language.filter(|l| !l.starts_with('.')) {
                out.push(normalize_language(language));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Parses a dictionary from files (kept while the files' content does not change).
pub fn load(aff: &Path, dic: &Path) -> Result<Arc<Dictionary>, SpellError> {
    type Cache = Mutex<HashMap<(PathBuf, PathBuf), (Stamp, Stamp, Arc<Dictionary>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| SpellError::Read {
            path: p.to_path_buf(),
            source,
        })
    };
    let (aff_bytes, dic_bytes) = (read(aff)?, read(dic)?);
    let stamps = (Stamp::of(&aff_bytes), Stamp::of(&dic_bytes));
    let key = (aff.to_path_buf(), dic.to_path_buf());
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(c) = cache.lock()
        && let Some((a, d, dict)) = c.get(&key)
        && (*a, *d) == stamps
    {
        return Ok(dict.clone());
    }
    let text = |p: &Path, bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|e| SpellError::Parse {
            path: p.to_path_buf(),
            message: format!(
                "not UTF-8 (byte {}); convert the dictionary to UTF-8 and write `SET UTF-8` in the .aff",
                e.utf8_error().valid_up_to()
            ),
        })
    };
    let aff_text = text(aff, aff_bytes)?;
    let dic_text = text(dic, dic_bytes)?;
    let dict = parse(&aff_text, &dic_text).map_err(|e| SpellError::Parse {
        path: aff.to_path_buf(),
        message: e.to_string(),
    })?;
    let dict = Arc::new(dict);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, (stamps.0, stamps.1, dict.clone()));
    }
    Ok(dict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_names() {
        for (written, tag) in [("en_gb", "en-GB"), (" EN-us ", "en-US"), ("de", "de")] {
            assert_eq!(normalize_language(written), tag, "{written:?}");
        }
    }

    #[test]
    fn bundled_checks_english() -> Result<(), SpellError> {
        let d = bundled()?;
        assert!(d.check("government"));
        assert!(!d.check("goverment"));
        Ok(())
    }

    #[test]
    fn finds_pairs_in_several_layouts() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let a = t.path().join("a");
        let b = t.path().join("b");
        std::fs::create_dir_all(b.join("en-GB"))?;
        std::fs::create_dir_all(&a)?;
        assert_eq!(find("en-GB", &[a.clone(), b.clone()]), None);
        std::fs::write(b.join("en-GB/index.aff"), "SET UTF-8\n")?;
        std::fs::write(b.join("en-GB/index.dic"), "1\ncolour\n")?;
        let found = find("en_gb", &[a.clone(), b.clone()]);
        assert_eq!(
            found.as_ref().map(|f| f.0.clone()),
            Some(b.join("en-GB/index.aff"))
        );
        std::fs::write(a.join("en_GB.aff"), "SET UTF-8\n")?;
        std::fs::write(a.join("en_GB.dic"), "1\ncolour\n")?;
        assert_eq!(
            find("en-GB", &[a.clone(), b]).map(|f| f.1),
            Some(a.join("en_GB.dic"))
        );
        Ok(())
    }
}
