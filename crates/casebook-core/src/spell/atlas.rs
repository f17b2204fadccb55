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

/// `config.toml`'s text with `[spelling] language` set to `language`, changing only that line:
/// the `language` line of the `[spelling]` section is replaced (its comment kept), or added
/// right after the section header, or the section is appended. `None` when it already says so.
pub fn config_with_language(text: &str, language: &str) -> Option<String> {
    let language = dictionary::normalize_language(language);
    let line = format!("language = \"{language}\"");
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut section = String::new();
    let mut header_end = None;
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let trimmed = raw.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            section = name.trim().to_string();
            if section == "spelling" && header_end.is_none() {
                header_end = Some(at);
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        if section != "spelling" || key.trim() != "language" {
            continue;
        }
        if parse_value(value.trim()).map(|v| dictionary::normalize_language(&v))
            == Some(language.clone())
        {
            return None;
        }
        // Keep the line's indentation, its comment and its line ending.
        let indent = &raw[..raw.len() - raw.trim_start().len()];
        let comment = value
            .rfind(" #")
            .filter(|&i| parse_value(value[..i].trim()).is_some())
            .map(|i| format!(" {}", value[i..].trim()))
            .unwrap_or_default();
        let ending = &raw[raw.trim_end_matches(['\r', '\n']).len()..];
        return Some(format!(
            "{}{indent}{line}{comment}{ending}{}",
            &text[..start],
            &text[at..]
        ));
    }
    Some(match header_end {
        Some(end) => {
            let before = &text[..end];
            let sep = if before.ends_with('\n') { "" } else { newline };
            format!("{before}{sep}{line}{newline}{}", &text[end..])
        }
        None if text.trim().is_empty() => format!("[spelling]{newline}{line}{newline}"),
        None => {
            let sep = if text.ends_with('\n') { "" } else { newline };
            format!("{text}{sep}{newline}[spelling]{newline}{line}{newline}")
        }
    })
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
    /// The languages with a dictionary, found when loaded (menus ask every frame).
    languages: Vec<String>,
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
                languages: vec![BUNDLED_LANGUAGE.to_string()],
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
            languages: dictionary::available(&dictionary_folders(root, &config)),
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

    /// The languages that can be chosen: the bundled one and those with a dictionary in the
    /// atlas's dictionary folders when it was loaded (a dictionary added since shows once the
    /// lists are read again, which adding one does).
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The atlas settings file's path.
    pub fn config_path(&self) -> Result<PathBuf, SpellError> {
        Ok(self.require_root()?.join(DIR).join(CONFIG_FILE))
    }

    /// Makes `language` the atlas's spelling language: one line of `.casebook/config.toml`
    /// changes (or the file is made). Refused when no dictionary for it can be found, so the
    /// setting never names a language Casebook cannot load. Returns whether the file changed.
    pub fn set_language(&self, language: &str) -> Result<bool, SpellError> {
        let root = self.require_root()?;
        let language = dictionary::normalize_language(language);
        let folders = dictionary_folders(root, &self.config);
        if language != BUNDLED_LANGUAGE && dictionary::find(&language, &folders).is_none() {
            return Err(SpellError::NoDictionary {
                language,
                looked_in: folders,
                config: self.config_path()?,
            });
        }
        let path = self.config_path()?;
        let text = words::read_file(&path)?;
        let Some(new) = config_with_language(&text, &language) else {
            return Ok(false);
        };
        Config::parse(&new, &path)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| SpellError::Save(crate::save::SaveError::from_io(dir, e)))?;
        }
        crate::save::safe_write(&path, new.as_bytes()).map_err(SpellError::Save)?;
        Ok(true)
    }

    /// Copies a Hunspell dictionary (`xx_YY.aff` and the `.dic` beside it) into the atlas's
    /// `.casebook/dictionaries/`, where everyone who checks out the atlas finds it. Returns
    /// its language (from the file name). Existing files of that name are not overwritten.
    pub fn add_dictionary(&self, aff: &Path) -> Result<String, SpellError> {
        let root = self.require_root()?;
        let read_err = |path: &Path, source| SpellError::Read {
            path: path.to_path_buf(),
            source,
        };
        let stem = aff
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty() && !s.starts_with('.'))
            .ok_or_else(|| SpellError::BadWord(format!("dictionary file {}", aff.display())))?;
        let dic = aff.with_extension("dic");
        let aff_text = std::fs::read_to_string(aff).map_err(|e| read_err(aff, e))?;
        let dic_text = std::fs::read_to_string(&dic).map_err(|e| read_err(&dic, e))?;
        // Only a pair that parses is copied.
        dictionary::parse_check(&aff_text, &dic_text).map_err(|message| SpellError::Parse {
            path: aff.to_path_buf(),
            message,
        })?;
        let dir = root.join(DIR).join(DICTIONARIES_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|e| SpellError::Save(crate::save::SaveError::from_io(&dir, e)))?;
        for (name, text) in [
            (format!("{stem}.aff"), &aff_text),
            (format!("{stem}.dic"), &dic_text),
        ] {
            let to = dir.join(name);
            if !to.exists() {
                crate::save::safe_write(&to, text.as_bytes()).map_err(SpellError::Save)?;
            }
        }
        Ok(dictionary::normalize_language(stem))
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

    /// Setting the language changes one line of `config.toml`, whatever its style.
    #[test]
    fn setting_the_language_changes_one_line() {
        let set = |text: &str| config_with_language(text, "en_gb");
        assert_eq!(
            set("").as_deref(),
            Some("[spelling]\nlanguage = \"en-GB\"\n")
        );
        assert_eq!(
            set("[editor]\ntheme = \"dark\"").as_deref(),
            Some("[editor]\ntheme = \"dark\"\n\n[spelling]\nlanguage = \"en-GB\"\n")
        );
        assert_eq!(
            set("[spelling]\ndictionaries = \"d\"\n").as_deref(),
            Some("[spelling]\nlanguage = \"en-GB\"\ndictionaries = \"d\"\n")
        );
        assert_eq!(
            set("# ours\r\n[spelling]\r\n  language = 'en-US' # house style\r\n[other]\r\nlanguage = \"x\"\r\n")
                .as_deref(),
            Some("# ours\r\n[spelling]\r\n  language = \"en-GB\" # house style\r\n[other]\r\nlanguage = \"x\"\r\n")
        );
        assert_eq!(
            set("[spelling]\nlanguage = \"en-GB\"\n"),
            None,
            "already so"
        );
        let p = Path::new("config.toml");
        for text in ["", "[a]\nb = 'c'\n", "[spelling]\nlanguage = en-US # x\n"] {
            let new = set(text).unwrap_or_default();
            let parsed = Config::parse(&new, p).map(|c| c.language).ok();
            assert_eq!(parsed.as_deref(), Some("en-GB"), "{new}");
        }
    }

    /// The language menu lists the dictionaries the atlas has; choosing one writes the
    /// setting, which the next load follows; a language without a dictionary is refused;
    /// a dictionary added from elsewhere is copied into the atlas.
    #[test]
    fn languages_listed_chosen_and_added() -> Result<(), Box<dyn std::error::Error>> {
        let atlas = tempfile::tempdir()?;
        std::fs::create_dir_all(atlas.path().join("cases/usa-x"))?;
        let elsewhere = tempfile::tempdir()?;
        let aff = elsewhere.path().join("en_GB.aff");
        std::fs::write(&aff, "SET UTF-8\n")?;
        std::fs::write(elsewhere.path().join("en_GB.dic"), "2\ncolour\nharbour\n")?;

        let setup = AtlasSpelling::load(Some(atlas.path()))?;
        assert_eq!(setup.languages(), vec!["en-US".to_string()]);
        assert!(matches!(
            setup.set_language("en-GB"),
            Err(SpellError::NoDictionary { .. })
        ));
        assert!(
            !atlas.path().join(DIR).join(CONFIG_FILE).exists(),
            "nothing written"
        );

        assert_eq!(setup.add_dictionary(&aff)?, "en-GB");
        assert!(
            atlas
                .path()
                .join(".casebook/dictionaries/en_GB.dic")
                .is_file()
        );
        let setup = AtlasSpelling::load(Some(atlas.path()))?;
        assert_eq!(
            setup.languages(),
            vec!["en-GB".to_string(), "en-US".to_string()]
        );
        assert!(setup.set_language("en-GB")?);
        assert!(!setup.set_language("en_GB")?, "already the language");
        let again = AtlasSpelling::load(Some(atlas.path()))?;
        assert_eq!(again.config().language, "en-GB");
        let none = super::super::CaseWords::new(WordSet::new(), WordSet::new());
        assert!(again.speller().is_correct("harbour", &none));
        assert!(!again.speller().is_correct("harbor", &none));

        let broken = elsewhere.path().join("xx.aff");
        std::fs::write(&broken, "SET UTF-8\n")?;
        assert!(setup.add_dictionary(&broken).is_err(), "no .dic beside it");
        Ok(())
    }
}
