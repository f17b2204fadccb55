//! The atlas's spelling settings and word lists, kept in `.casebook/` beside `cases/`.
//!
//! ```text
//! atlas/
//!   cases/…
//!   .casebook/
//!     config.toml          # optional: [spelling] language = "en-GB", dictionaries = "…"
//!     words.txt            # the atlas word list: one word a line, sorted
//!     ignore/<case>.txt    # words ignored in one case (Ignore in this case), same format
//!     dictionaries/        # optional: more Hunspell dictionaries (en_GB.aff + en_GB.dic …)
//! ```
//!
//! All of these are plain text meant to be committed and reviewed like any file. Ignoring a
//! word in one case writes `.casebook/ignore/<case-folder>.txt` rather than anything in the
//! case's `index.md`: the atlas site never sees it, and the case file stays the author's.
//!
//! `config.toml` holds a small subset of TOML: `[section]` headers and `key = "value"` lines
//! (`#` comments). Casebook reads `[spelling]` `language` (default `en-US`, the bundled
//! dictionary) and `dictionaries` (a folder, relative to the atlas root or absolute, searched
//! before `.casebook/dictionaries/`; see [`super::dictionary::find`] for the file names).
//! Other sections and keys are left for other tools.
//!
//! Everything is re-read when its content changes (by content stamp, so a `git pull` or a
//! checkout is noticed even when modification times do not move).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::dictionary::{self, BUNDLED_LANGUAGE};
use super::words::{self, WordSet};
use super::{SpellError, Speller};
use crate::save::Stamp;

/// The folder of Casebook's atlas files, beside `cases/`.
pub const DIR: &str = ".casebook";
/// The atlas word list, in [`DIR`].
pub const WORDS_FILE: &str = "words.txt";
/// The atlas settings, in [`DIR`].
pub const CONFIG_FILE: &str = "config.toml";
/// The per-case ignore lists' folder, in [`DIR`].
pub const IGNORE_DIR: &str = "ignore";
/// The default folder of extra dictionaries, in [`DIR`].
pub const DICTIONARIES_DIR: &str = "dictionaries";

/// How many folders up from a case the atlas root is looked for.
const MAX_DEPTH: usize = 4;

/// The atlas checkout a case folder belongs to: the nearest folder (the case's own or up to
/// four above it) that holds `.casebook/` or `cases/`.
pub fn atlas_root(case_dir: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(case_dir).unwrap_or_else(|_| case_dir.to_path_buf());
    for dir in abs.ancestors().take(MAX_DEPTH + 1) {
        if dir.join(DIR).is_dir() || dir.join("cases").is_dir() {
            return Some(dir.to_path_buf());
        }
    }
    None
}

/// The spelling settings of `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `[spelling] language` (normalised, e.g. `en-GB`).
    pub language: String,
    /// `[spelling] dictionaries`, as written.
    pub dictionaries: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: BUNDLED_LANGUAGE.to_string(),
            dictionaries: None,
        }
    }
}

impl Config {
    /// Reads the subset of TOML described in the module documentation.
    pub fn parse(text: &str, path: &Path) -> Result<Config, SpellError> {
        let mut config = Config::default();
        let mut section = String::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |message: &str| SpellError::Config {
                path: path.to_path_buf(),
                line: i + 1,
                message: message.to_string(),
            };
            if let Some(name) = line.strip_prefix('[') {
                let Some(name) = name.strip_suffix(']') else {
                    return Err(bad("a section header ends with `]`"));
                };
                section = name.trim().to_string();
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(bad("expected `key = \"value\"`"));
            };
            let key = key.trim();
            let value = parse_value(value.trim())
                .ok_or_else(|| bad("a value is a quoted string, e.g. language = \"en-GB\""))?;
            match (section.as_str(), key) {
                ("spelling", "language") => {
                    if value.trim().is_empty() {
                        return Err(bad("`language` is empty; write e.g. \"en-US\""));
                    }
                    config.language = dictionary::normalize_language(&value);
                }
                ("spelling", "dictionaries") => config.dictionaries = Some(value),
                _ => {}
            }
        }
        Ok(config)
    }
}

/// A TOML value: a basic string (`"…"`, with `\"` and `\\`), a literal string (`'…'`), or a
/// bare word; a trailing `# comment` is dropped.
fn parse_value(v: &str) -> Option<String> {
    if let Some(rest) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    other => out.push(other),
                },
                '"' => {
                    let tail = chars.as_str().trim();
                    return (tail.is_empty() || tail.starts_with('#')).then_some(out);
                }
                c => out.push(c),
            }
        }
        return None;
    }
    if let Some(rest) = v.strip_prefix('\'') {
        let (value, tail) = rest.split_once('\'')?;
        let tail = tail.trim();
        return (tail.is_empty() || tail.starts_with('#')).then(|| value.to_string());
    }
    let bare = v.split('#').next().unwrap_or_default().trim();
    (!bare.is_empty() && !bare.contains(char::is_whitespace)).then(|| bare.to_string())
}

/// An atlas's spelling setup: its dictionary and word list, loaded, with what the files held.
#[derive(Debug)]
pub struct AtlasSpelling {
    root: Option<PathBuf>,
    config: Config,
    speller: Arc<Speller>,
    /// The files read and their stamps (None: absent).
    sources: Vec<(PathBuf, Option<Stamp>)>,
}

impl AtlasSpelling {
    /// Loads the setup of the atlas at `root` (`None`: no atlas; bundled en-US and the bundled
    /// vocabulary only).
    pub fn load(root: Option<&Path>) -> Result<AtlasSpelling, SpellError> {
        let Some(root) = root else {
            return Ok(AtlasSpelling {
                root: None,
                config: Config::default(),
                speller: Arc::new(Speller::bundled()?),
                sources: Vec::new(),
            });
        };
        let config_path = root.join(DIR).join(CONFIG_FILE);
        let words_path = root.join(DIR).join(WORDS_FILE);
        let config_text = words::read_file(&config_path)?;
        let config = Config::parse(&config_text, &config_path)?;
        let words_text = words::read_file(&words_path)?;
        let mut sources = vec![
            (config_path.clone(), Stamp::of_file(&config_path)),
            (words_path.clone(), Stamp::of_file(&words_path)),
        ];
        let dict = if let Some((aff, dic)) =
            dictionary::find(&config.language, &dictionary_folders(root, &config))
        {
            sources.push((aff.clone(), Stamp::of_file(&aff)));
            sources.push((dic.clone(), Stamp::of_file(&dic)));
            dictionary::load(&aff, &dic)?
        } else if config.language == BUNDLED_LANGUAGE {
            dictionary::bundled()?
        } else {
            return Err(SpellError::NoDictionary {
                language: config.language.clone(),
                looked_in: dictionary_folders(root, &config),
                config: config_path,
            });
        };
        let mut extra = super::bundled_vocabulary().clone();
        extra.extend(&WordSet::from_text(&words_text));
        Ok(AtlasSpelling {
            root: Some(root.to_path_buf()),
            speller: Arc::new(Speller::new(&config.language, dict, extra)),
            config,
            sources,
        })
    }

    /// The atlas root, if the case is in an atlas.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The settings read.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The checker: dictionary, bundled vocabulary and the atlas word list.
    pub fn speller(&self) -> &Arc<Speller> {
        &self.speller
    }

    /// Whether the files it was loaded from are unchanged (by content).
    pub fn is_current(&self) -> bool {
        self.sources.iter().all(|(p, s)| Stamp::of_file(p) == *s)
    }

    /// The atlas word list's path.
    pub fn words_path(&self) -> Result<PathBuf, SpellError> {
        Ok(self.require_root()?.join(DIR).join(WORDS_FILE))
    }

    /// The path of the ignore list of the case in folder `case_folder` (its name).
    pub fn ignore_path(&self, case_folder: &str) -> Result<PathBuf, SpellError> {
        let name = case_folder.trim();
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(SpellError::BadWord(format!("case folder `{name}`")));
        }
        Ok(self
            .require_root()?
            .join(DIR)
            .join(IGNORE_DIR)
            .join(format!("{name}.txt")))
    }

    /// Adds `word` to the atlas word list (one inserted line). Load again (or use [`for_case`])
    /// to check with it. Returns whether the file changed.
    pub fn add_word(&self, word: &str) -> Result<bool, SpellError> {
        words::add_to_file(&self.words_path()?, word)
    }

    /// Removes `word` from the atlas word list (e.g. to undo an add).
    pub fn remove_word(&self, word: &str) -> Result<bool, SpellError> {
        words::remove_from_file(&self.words_path()?, word)
    }

    /// Adds `word` to the ignore list of one case.
    pub fn ignore_word(&self, case_folder: &str, word: &str) -> Result<bool, SpellError> {
        words::add_to_file(&self.ignore_path(case_folder)?, word)
    }

    /// Removes `word` from the ignore list of one case.
    pub fn unignore_word(&self, case_folder: &str, word: &str) -> Result<bool, SpellError> {
        words::remove_from_file(&self.ignore_path(case_folder)?, word)
    }

    /// The words ignored in one case (empty without an atlas or a list).
    pub fn ignored(&self, case_folder: &str) -> Result<WordSet, SpellError> {
        if self.root.is_none() {
            return Ok(WordSet::new());
        }
        let path = self.ignore_path(case_folder)?;
        Ok(WordSet::from_text(&words::read_file(&path)?))
    }

    fn require_root(&self) -> Result<&Path, SpellError> {
        self.root.as_deref().ok_or(SpellError::NoAtlas)
    }
}

/// Where dictionaries for other languages are looked for.
fn dictionary_folders(root: &Path, config: &Config) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(d) = &config.dictionaries {
        let p = Path::new(d.trim());
        out.push(if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        });
    }
    out.push(root.join(DIR).join(DICTIONARIES_DIR));
    out
}

/// The spelling setup for the case in `case_dir`: loaded once per atlas and re-loaded when one
/// of its files changed. Used by the check rule and the editor alike.
pub fn for_case(case_dir: &Path) -> Result<Arc<AtlasSpelling>, SpellError> {
    type Cache = Mutex<HashMap<Option<PathBuf>, Arc<AtlasSpelling>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let root = atlas_root(case_dir);
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(c) = cache.lock()
        && let Some(s) = c.get(&root)
        && s.is_current()
    {
        return Ok(s.clone());
    }
    let fresh = Arc::new(AtlasSpelling::load(root.as_deref())?);
    if let Ok(mut c) = cache.lock() {
        c.insert(root, fresh.clone());
    }
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_subset() -> Result<(), SpellError> {
        let p = Path::new(".casebook/config.toml");
        let c = Config::parse(
            "# atlas\n[editor]\nlanguage = \"fr\"\n\n[spelling]\nlanguage = \"en_gb\" # British\ndictionaries = 'dicts'\n",
            p,
        )?;
        assert_eq!(c.language, "en-GB");
        assert_eq!(c.dictionaries.as_deref(), Some("dicts"));
        assert_eq!(Config::parse("", p)?, Config::default());
        assert_eq!(
            Config::parse("[spelling]\nlanguage = en-US\n", p)?.language,
            "en-US"
        );
        for (bad, line) in [
            ("[spelling\n", 1),
            ("\n[spelling]\nlanguage \"x\"\n", 3),
            ("[spelling]\nlanguage = \"open\n", 2),
            ("[spelling]\nlanguage = \"\"\n", 2),
        ] {
            match Config::parse(bad, p) {
                Err(SpellError::Config { line: l, .. }) => assert_eq!(l, line, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        Ok(())
    }

    #[test]
    fn root_is_found_above_cases() -> std::io::Result<()> {
        let t = tempfile::tempdir()?;
        let case = t.path().join("cases/abc-x");
        std::fs::create_dir_all(&case)?;
        assert_eq!(atlas_root(&case).as_deref(), Some(t.path()));
        let lone = tempfile::tempdir()?;
        assert_eq!(atlas_root(lone.path()), None);
        Ok(())
    }
}
