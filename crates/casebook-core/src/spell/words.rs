//! Word sets (extra known words) and the plain-text word files they are kept in.
//!
//! A word file has one word a line; blank lines and lines starting with `#` are ignored. It is
//! kept sorted (case-insensitively, then by bytes) so it reads well in a diff: adding a word
//! inserts exactly one line where it belongs and changes nothing else, even in a file someone
//! sorted differently by hand. The file's line endings are kept.

use std::collections::HashSet;
use std::path::Path;

use super::SpellError;
use crate::save;

/// Extra words the dictionary does not know, with Hunspell's case rules: a word written in
/// lower case also matches its Capitalized and ALL-CAPS forms; a word with capitals
/// (`Barangaroo`) matches only as written (and in ALL CAPS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordSet {
    exact: HashSet<String>,
    lower: HashSet<String>,
    caps: HashSet<String>,
}

impl WordSet {
    /// An empty set.
    pub fn new() -> WordSet {
        WordSet::default()
    }

    /// The words of a word file's text.
    pub fn from_text(text: &str) -> WordSet {
        let mut set = WordSet::new();
        for w in file_words(text) {
            set.insert(w);
        }
        set
    }

    /// Adds a word (typographic apostrophes read as `'`).
    pub fn insert(&mut self, word: &str) {
        let w = normalize(word);
        if w.is_empty() {
            return;
        }
        if !w.chars().any(char::is_uppercase) {
            self.lower.insert(w.clone());
        }
        self.caps.insert(w.to_uppercase());
        self.exact.insert(w);
    }

    /// Adds every word of another set.
    pub fn extend(&mut self, other: &WordSet) {
        self.exact.extend(other.exact.iter().cloned());
        self.lower.extend(other.lower.iter().cloned());
        self.caps.extend(other.caps.iter().cloned());
    }

    /// Whether `word` is in the set (see the type's case rules).
    pub fn contains(&self, word: &str) -> bool {
        let w = normalize(word);
        if self.exact.contains(w.as_str()) || self.lower.contains(&w.to_lowercase()) {
            return true;
        }
        // ALL CAPS of any entry: `BARANGAROO`.
        !w.chars().any(char::is_lowercase) && self.caps.contains(&w.to_uppercase())
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// The words, as added.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.exact.iter().map(String::as_str)
    }
}

/// `’` → `'`.
pub fn normalize(word: &str) -> String {
    word.trim().replace('\u{2019}', "'")
}

/// The words of a word file: trimmed lines, without blanks and `#` comments.
pub fn file_words(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The order of a word file: case-insensitive, then by bytes.
fn order_key(word: &str) -> (String, &str) {
    (word.to_lowercase(), word)
}

/// Checks that `word` can go in a word file: one word, no spaces, not a comment.
pub fn validate(word: &str) -> Result<String, SpellError> {
    let w = normalize(word);
    let bad = w.is_empty()
        || w.starts_with('#')
        || w.chars().any(|c| c.is_whitespace() || c.is_control())
        || w.chars().count() > 100;
    if bad {
        return Err(SpellError::BadWord(word.escape_debug().to_string()));
    }
    Ok(w)
}

/// The text of a word file with `word` inserted in order, or `None` when it is already there.
/// Only one line is added; the rest of the text is unchanged.
pub fn with_word(text: &str, word: &str) -> Option<String> {
    if file_words(text).any(|w| w == word) {
        return None;
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let key = order_key(word);
    let mut pos = 0;
    let mut insert_at = None;
    for line in text.split_inclusive('\n') {
        let w = line.trim();
        if !w.is_empty() && !w.starts_with('#') && order_key(w) > key {
            insert_at = Some(pos);
            break;
        }
        pos += line.len();
    }
    let mut out = String::with_capacity(text.len() + word.len() + 2);
    match insert_at {
        Some(at) => {
            out.push_str(&text[..at]);
            out.push_str(word);
            out.push_str(eol);
            out.push_str(&text[at..]);
        }
        None => {
            out.push_str(text);
            if !text.is_empty() && !text.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(word);
            out.push_str(eol);
        }
    }
    Some(out)
}

/// The text of a word file without `word`'s line, or `None` when it is not there.
pub fn without_word(text: &str, word: &str) -> Option<String> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == word {
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..pos]);
            out.push_str(&text[pos + line.len()..]);
            return Some(out);
        }
        pos += line.len();
    }
    None
}

/// Reads a word file; a missing file is empty.
pub fn read_file(path: &Path) -> Result<String, SpellError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| SpellError::Parse {
            path: path.to_path_buf(),
            message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(source) => Err(SpellError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Adds `word` to the word file at `path` (created with its folder when missing), read fresh
/// from disk and written with the safe save. Returns whether the file changed.
pub fn add_to_file(path: &Path, word: &str) -> Result<bool, SpellError> {
    let word = validate(word)?;
    let text = read_file(path)?;
    let Some(new) = with_word(&text, &word) else {
        return Ok(false);
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| SpellError::Save(save::SaveError::from_io(dir, e)))?;
    }
    save::safe_write(path, new.as_bytes()).map_err(SpellError::Save)?;
    Ok(true)
}

/// Removes `word` from the word file at `path`. Returns whether the file changed.
pub fn remove_from_file(path: &Path, word: &str) -> Result<bool, SpellError> {
    let word = normalize(word);
    let text = read_file(path)?;
    let Some(new) = without_word(&text, &word) else {
        return Ok(false);
    };
    save::safe_write(path, new.as_bytes()).map_err(SpellError::Save)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules() {
        let set = WordSet::from_text("walkability\nBarangaroo\n# comment\n\n  geospatial  \n");
        assert_eq!(set.len(), 3);
        for ok in [
            "walkability",
            "Walkability",
            "WALKABILITY",
            "Barangaroo",
            "BARANGAROO",
            "geospatial",
        ] {
            assert!(set.contains(ok), "{ok}");
        }
        for no in ["barangaroo", "walkabilty", "comment", "# comment"] {
            assert!(!set.contains(no), "{no}");
        }
        let mut s = WordSet::new();
        s.insert("Smith’s");
        assert!(s.contains("Smith's") && s.contains("Smith’s"));
    }

    #[test]
    fn insertion_is_one_line_in_order() {
        assert_eq!(with_word("", "b").as_deref(), Some("b\n"));
        assert_eq!(with_word("a\nc\n", "b").as_deref(), Some("a\nb\nc\n"));
        assert_eq!(with_word("a\nc\n", "D").as_deref(), Some("a\nc\nD\n"));
        assert_eq!(
            with_word("Alpha\nbeta\n", "Beta").as_deref(),
            Some("Alpha\nBeta\nbeta\n")
        );
        assert_eq!(
            with_word("a\r\nc\r\n", "b").as_deref(),
            Some("a\r\nb\r\nc\r\n")
        );
        assert_eq!(with_word("a\nc", "d").as_deref(), Some("a\nc\nd\n"));
        assert_eq!(
            with_word("# header\nz\n", "m").as_deref(),
            Some("# header\nm\nz\n")
        );
        assert_eq!(with_word("a\nb\n", "b"), None);
        // A hand-sorted file is not re-sorted: the word goes before the first greater line.
        assert_eq!(
            with_word("zeta\nalpha\n", "beta").as_deref(),
            Some("beta\nzeta\nalpha\n")
        );
        assert_eq!(without_word("a\nb\nc\n", "b").as_deref(), Some("a\nc\n"));
        assert_eq!(without_word("a\n", "x"), None);
    }

    #[test]
    fn bad_words_are_refused() {
        for w in ["", "  ", "two words", "#x", "a\nb"] {
            assert!(validate(w).is_err(), "{w:?}");
        }
        assert_eq!(validate(" city’s ").ok().as_deref(), Some("city's"));
    }
}
