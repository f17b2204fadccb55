//! Spell checking: a Hunspell dictionary (through `spellbook`, helix's checker), the atlas's
//! word list, and the names each case already uses.
//!
//! - [`dictionary`]: the bundled en-US dictionary and others given as folders.
//! - [`atlas`]: `.casebook/` beside `cases/`: the language setting, the atlas word list
//!   (`words.txt`), per-case ignore lists; [`atlas::for_case`] loads and caches them.
//! - [`tokenize`]: which words of Markdown or a field value are checked.
//! - [`case_words`]: names the case uses (title, city, author, credits, captions, bold item
//!   names) and its ignored words.
//! - [`incremental`]: a cache for the editor, so typing re-checks only the edited block.
//!
//! Checking a word costs about a microsecond; suggestions cost far more (up to tens of
//! milliseconds for a word the dictionary has nothing close to), so they are computed only
//! when asked for, per word, and remembered ([`Speller::suggest`]).

pub mod atlas;
pub mod case_words;
pub mod dictionary;
pub mod incremental;
pub mod tokenize;
pub mod words;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub use case_words::CaseWords;
pub use dictionary::Dictionary;
pub use words::WordSet;

/// Why spelling could not be set up or a word list not written. Messages name the file.
#[derive(Debug, thiserror::Error)]
pub enum SpellError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A dictionary or word file could not be parsed.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `config.toml` has a line Casebook cannot read.
    #[error("{path}, line {line}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// No dictionary for the atlas's language.
    #[error(
        "no Hunspell dictionary for {language} (set in {config}); put {underscored}.aff and {underscored}.dic in {folders}",
        config = .config.display(),
        underscored = .language.replace('-', "_"),
        folders = .looked_in.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" or ")
    )]
    NoDictionary {
        /// The language asked for.
        language: String,
        /// The folders searched.
        looked_in: Vec<PathBuf>,
        /// The settings file that asked for it.
        config: PathBuf,
    },
    /// Not a word that can go in a word list.
    #[error("`{0}` cannot go in a word list: one word a line, without spaces")]
    BadWord(String),
    /// The case is not in an atlas checkout (no `cases/` or `.casebook/` above it).
    #[error(
        "this case is not inside an atlas checkout (a folder with cases/ or .casebook/), so there is no atlas word list to write"
    )]
    NoAtlas,
    /// Writing a word list failed.
    #[error(transparent)]
    Save(#[from] crate::save::SaveError),
}

/// A word the checker does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelling {
    /// Byte range in the text checked.
    pub range: Range<usize>,
    /// The word as written.
    pub word: String,
}

/// Genuine domain words of urban technology that the general dictionary lacks (bundled,
/// reviewed like code; never misspellings). Atlas-specific names go in `.casebook/words.txt`.
static VOCABULARY: &str = include_str!("../../../../assets/dict/atlas-vocabulary.txt");

/// The bundled atlas vocabulary.
pub fn bundled_vocabulary() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| WordSet::from_text(VOCABULARY))
}

/// Remembered suggestions, and whether the n-gram search was allowed for them.
type Suggestions = (Arc<[String]>, bool);

/// How many suggestions are kept per word.
pub const MAX_SUGGESTIONS: usize = 8;

/// A spell checker: a dictionary plus extra known words (bundled vocabulary, atlas list).
/// Immutable: a changed word list makes a new `Speller` (with a new [`Speller::id`]).
pub struct Speller {
    id: u64,
    language: String,
    dict: Arc<Dictionary>,
    extra: WordSet,
    /// Word → (suggestions, whether the n-gram search was allowed).
    suggestions: Mutex<HashMap<String, Suggestions>>,
}

impl std::fmt::Debug for Speller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speller")
            .field("id", &self.id)
            .field("language", &self.language)
            .field("extra_words", &self.extra.len())
            .finish_non_exhaustive()
    }
}

impl Speller {
    /// A checker from a dictionary and extra words.
    pub fn new(language: &str, dict: Arc<Dictionary>, extra: WordSet) -> Speller {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Speller {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            language: language.to_string(),
            dict,
            extra,
            suggestions: Mutex::new(HashMap::new()),
        }
    }

    /// The bundled en-US dictionary with the bundled vocabulary.
    pub fn bundled() -> Result<Speller, SpellError> {
        Ok(Speller::new(
            dictionary::BUNDLED_LANGUAGE,
            dictionary::bundled()?,
            bundled_vocabulary().clone(),
        ))
    }

    /// A number unique to this checker (for caches).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The language (`en-US`).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Whether `word` (one token from [`tokenize`]) is spelled right: known to the dictionary,
    /// the extra words or the case, also as the possessive of a known word.
    pub fn is_correct(&self, word: &str, case: &CaseWords) -> bool {
        let w = words::normalize(word);
        let known = |w: &str| self.dict.check(w) || self.extra.contains(w) || case.contains(w);
        if known(&w) {
            return true;
        }
        let stem = tokenize::strip_possessive(&w);
        if stem != w && known(stem) {
            return true;
        }
        // The bundled word list has its accents stripped (`cafe`, `Montreal`): `café` and
        // `Montréal` are read without theirs.
        if !w.is_ascii()
            && let Some(plain) = strip_accents(&w)
        {
            return known(&plain) || known(tokenize::strip_possessive(&plain));
        }
        false
    }

    /// The words of Markdown `text` that are not known.
    pub fn check_markdown(&self, text: &str, case: &CaseWords) -> Vec<Misspelling> {
        self.unknown(text, tokenize::markdown_words(text), case)
    }

    /// The unknown words of one block of Markdown `text` (see [`tokenize::blocks`]).
    pub fn check_block(
        &self,
        text: &str,
        block: Range<usize>,
        case: &CaseWords,
    ) -> Vec<Misspelling> {
        let mut words = Vec::new();
        tokenize::block_words(text, block, &mut words);
        self.unknown(text, words, case)
    }

    /// The unknown words of Markdown `text` inside byte `range` (the blocks it touches are
    /// read whole, so the answer matches a check of the whole text).
    pub fn check_range(
        &self,
        text: &str,
        range: Range<usize>,
        case: &CaseWords,
    ) -> Vec<Misspelling> {
        let mut out = Vec::new();
        for b in tokenize::blocks(text) {
            if b.end < range.start || b.start > range.end {
                continue;
            }
            out.extend(
                self.check_block(text, b, case)
                    .into_iter()
                    .filter(|m| m.range.start < range.end && m.range.end > range.start),
            );
        }
        out
    }

    /// The unknown words of a plain value (title, description, caption, alt text).
    pub fn check_plain(&self, text: &str, case: &CaseWords) -> Vec<Misspelling> {
        self.unknown(text, tokenize::plain_words(text), case)
    }

    /// [`Speller::check_block`] remembering each word's answer in `memo` (for the editor,
    /// which checks the paragraph being typed again at every keystroke). `memo` must be
    /// emptied when the checker or `case` changes.
    pub fn check_block_memo(
        &self,
        text: &str,
        block: Range<usize>,
        case: &CaseWords,
        memo: &mut HashMap<String, bool>,
    ) -> Vec<Misspelling> {
        let mut words = Vec::new();
        tokenize::block_words(text, block, &mut words);
        self.unknown_with(text, words, &mut |w| match memo.get(w) {
            Some(known) => *known,
            None => {
                let known = self.is_correct(w, case);
                memo.insert(w.to_string(), known);
                known
            }
        })
    }

    fn unknown(&self, text: &str, words: Vec<Range<usize>>, case: &CaseWords) -> Vec<Misspelling> {
        self.unknown_with(text, words, &mut |w| self.is_correct(w, case))
    }

    fn unknown_with(
        &self,
        text: &str,
        words: Vec<Range<usize>>,
        is_correct: &mut dyn FnMut(&str) -> bool,
    ) -> Vec<Misspelling> {
        let mut out = Vec::new();
        for r in words {
            let Some(w) = text.get(r.clone()) else {
                continue;
            };
            if !w.contains(tokenize::is_hyphen) {
                if tokenize::wants_check(w) && !is_correct(w) {
                    out.push(Misspelling {
                        range: r,
                        word: w.to_string(),
                    });
                }
                continue;
            }
            // A hyphenated word: right as a whole (`Wi-Fi`), or part by part.
            if is_correct(w) {
                continue;
            }
            let all: Vec<Range<usize>> = tokenize::parts(w).collect();
            for (i, p) in all.iter().enumerate() {
                let part = &w[p.clone()];
                let prefix = i + 1 < all.len()
                    && tokenize::HYPHEN_PREFIXES.contains(&part.to_lowercase().as_str());
                if !prefix && tokenize::wants_check(part) && !is_correct(part) {
                    out.push(Misspelling {
                        range: r.start + p.start..r.start + p.end,
                        word: part.to_string(),
                    });
                }
            }
        }
        out
    }

    /// Corrections for `word`, best first (at most [`MAX_SUGGESTIONS`]); remembered per word.
    ///
    /// The dictionary's edit-based suggestions come first (fast: under a millisecond); only
    /// when they find nothing is the slow n-gram search over the whole word list run (tens of
    /// milliseconds). Splits into two words (`con census`) go last; very common words move
    /// ahead of rarer ones the same edit away (`wich` → `which` before `witch`). Extra words
    /// one or two edits away (`Barangroo` → `Barangaroo` from the atlas list) follow the
    /// dictionary's first choice.
    pub fn suggest(&self, word: &str) -> Arc<[String]> {
        self.suggest_impl(word, true)
    }

    /// [`Speller::suggest`] without the slow n-gram search for capitalised words (names,
    /// mostly, for which it rarely helps): what a whole-case check uses.
    pub fn suggest_quick(&self, word: &str) -> Arc<[String]> {
        self.suggest_impl(word, false)
    }

    fn suggest_impl(&self, word: &str, full: bool) -> Arc<[String]> {
        let w = words::normalize(word);
        if let Ok(cache) = self.suggestions.lock()
            && let Some((s, was_full)) = cache.get(&w)
            && (*was_full || !full)
        {
            return s.clone();
        }
        let mut out = Vec::new();
        self.dict
            .suggester()
            .with_ngram_suggestions(false)
            .suggest(&w, &mut out);
        let capitalised = w.chars().any(char::is_uppercase);
        let edit_empty = out.is_empty();
        let ngram = edit_empty && (full || !capitalised);
        if ngram {
            self.dict.suggest(&w, &mut out);
        }
        let splits = |s: &String| s.contains([' ', '-']) && !w.contains([' ', '-']);
        let (mut whole, split): (Vec<String>, Vec<String>) =
            out.into_iter().partition(|s| !splits(s));
        promote_common(&w, &mut whole);
        let near = near_words(&w, self.extra.iter());
        let at = whole.len().min(1);
        for (i, n) in near.into_iter().enumerate() {
            if !whole.contains(&n) {
                whole.insert(at + i, n);
            }
        }
        whole.extend(split);
        whole.dedup();
        whole.truncate(MAX_SUGGESTIONS);
        let result: Arc<[String]> = whole.into();
        // A quick answer that did not skip the n-gram search is also the full answer.
        let complete = !edit_empty || ngram;
        if let Ok(mut cache) = self.suggestions.lock() {
            cache.insert(w, (result.clone(), complete));
        }
        result
    }

    /// [`Speller::suggest_quick`], with the case's names one or two edits away put first.
    pub fn suggest_in_case(&self, word: &str, case: &CaseWords) -> Vec<String> {
        let w = words::normalize(word);
        let mut out = near_words(&w, case.known().iter());
        for s in self.suggest_quick(&w).iter() {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out.truncate(MAX_SUGGESTIONS);
        out
    }
}

/// `word` with Latin accents removed (`Montréal` → `Montreal`), when it had any.
fn strip_accents(word: &str) -> Option<String> {
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěìíîïīįıñńňòóôõöøōőùúûüūůűųýÿžźżśšşřťţłÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮİÑŃŇÒÓÔÕÖØŌŐÙÚÛÜŪŮŰŲÝŸŽŹŻŚŠŞŘŤŢŁ";
    const TO: &str = "aaaaaaaaacccdeeeeeeeeiiiiiiinnnoooooooouuuuuuuuyyzzzsssrttlAAAAAAAAACCCDEEEEEEEEIIIIIIINNNOOOOOOOOUUUUUUUUYYZZZSSSRTTL";
    let mut changed = false;
    let out: String = word
        .chars()
        .map(|c| match FROM.chars().position(|f| f == c) {
            Some(i) => {
                changed = true;
                TO.chars().nth(i).unwrap_or(c)
            }
            None => c,
        })
        .collect();
    changed.then_some(out)
}

/// The most common English words (function words and the commonest verbs and nouns), used
/// only to order suggestions that are equally close.
const COMMON_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "it",
    "that",
    "for",
    "was",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "be",
    "at",
    "one",
    "have",
    "this",
    "from",
    "or",
    "had",
    "by",
    "not",
    "but",
    "what",
    "all",
    "were",
    "when",
    "we",
    "there",
    "can",
    "an",
    "your",
    "which",
    "their",
    "said",
    "if",
    "do",
    "will",
    "each",
    "about",
    "how",
    "up",
    "out",
    "them",
    "then",
    "she",
    "many",
    "some",
    "so",
    "these",
    "would",
    "other",
    "into",
    "has",
    "more",
    "her",
    "two",
    "like",
    "him",
    "see",
    "time",
    "could",
    "no",
    "make",
    "than",
    "first",
    "been",
    "its",
    "who",
    "now",
    "people",
    "my",
    "made",
    "over",
    "did",
    "down",
    "only",
    "way",
    "find",
    "use",
    "may",
    "water",
    "long",
    "little",
    "very",
    "after",
    "words",
    "called",
    "just",
    "where",
    "most",
    "know",
    "get",
    "through",
    "back",
    "much",
    "before",
    "go",
    "good",
    "new",
    "write",
    "our",
    "used",
    "me",
    "man",
    "too",
    "any",
    "day",
    "same",
    "right",
    "look",
    "think",
    "also",
    "around",
    "another",
    "came",
    "come",
    "work",
    "three",
    "word",
    "must",
    "because",
    "does",
    "part",
    "even",
    "place",
    "well",
    "such",
    "here",
    "take",
    "why",
    "things",
    "help",
    "put",
    "years",
    "different",
    "away",
    "again",
    "off",
    "went",
    "old",
    "number",
    "great",
    "tell",
    "men",
    "say",
    "small",
    "every",
    "found",
    "still",
    "between",
    "name",
    "should",
    "home",
    "big",
    "give",
    "air",
    "line",
    "set",
    "own",
    "under",
    "read",
    "last",
    "never",
    "us",
    "left",
    "end",
    "along",
    "while",
    "might",
    "next",
    "sound",
    "below",
    "saw",
    "something",
    "thought",
    "both",
    "few",
    "those",
    "always",
    "looked",
    "show",
    "large",
    "often",
    "together",
    "asked",
    "house",
    "world",
    "going",
    "want",
    "school",
    "important",
    "until",
    "form",
    "food",
    "keep",
    "children",
    "feet",
    "land",
    "side",
    "without",
    "boy",
    "once",
    "animals",
    "life",
    "enough",
    "took",
    "sometimes",
    "four",
    "head",
    "above",
    "kind",
    "began",
    "almost",
    "live",
    "page",
    "got",
    "earth",
    "need",
    "far",
    "hand",
    "high",
    "year",
    "mother",
    "light",
    "parts",
    "country",
    "father",
    "let",
    "night",
    "following",
    "picture",
    "being",
    "study",
    "second",
    "eyes",
    "soon",
    "times",
    "story",
    "boys",
    "since",
    "white",
    "days",
    "paper",
    "hard",
    "near",
    "better",
    "best",
    "across",
    "during",
    "today",
    "others",
    "however",
    "sure",
    "means",
    "knew",
    "try",
    "told",
    "young",
    "miles",
    "sun",
    "ways",
    "thing",
    "whole",
    "hear",
    "example",
    "heard",
    "several",
    "change",
    "answer",
    "room",
    "against",
    "top",
    "turned",
    "learn",
    "point",
    "city",
    "play",
    "toward",
    "five",
    "using",
    "himself",
    "usually",
];

/// Moves very common words ahead of the less common suggestions just before them, keeping
/// the dictionary's order otherwise.
fn promote_common(word: &str, suggestions: &mut [String]) {
    let lower = word.to_lowercase();
    let close = |s: &str| edit_distance(&lower, &s.to_lowercase()) <= 1;
    if let Some(i) = suggestions
        .iter()
        .position(|s| COMMON_WORDS.contains(&s.to_lowercase().as_str()) && close(s))
    {
        let first_close = suggestions.iter().position(|s| close(s)).unwrap_or(i);
        suggestions[first_close..=i].rotate_right(1);
    }
}

/// Words of `candidates` within a small edit distance of `word` (1 for short words, 2 from 6
/// letters), closest first.
fn near_words<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let len = word.chars().count();
    let max = if len >= 6 { 2 } else { 1 };
    if len < 3 {
        return Vec::new();
    }
    let lower = word.to_lowercase();
    let mut near: Vec<(usize, String)> = candidates
        .filter(|c| c.chars().count().abs_diff(len) <= max && *c != word)
        .filter_map(|c| {
            let d = edit_distance(&lower, &c.to_lowercase());
            (d <= max).then(|| (d, c.to_string()))
        })
        .collect();
    near.sort();
    near.into_iter().map(|(_, c)| c).take(3).collect()
}

/// Optimal string alignment distance (insert, delete, substitute, swap neighbours).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn speller() -> Speller {
        Speller::bundled().unwrap()
    }

    fn flagged(s: &Speller, text: &str, case: &CaseWords) -> Vec<String> {
        s.check_markdown(text, case)
            .into_iter()
            .map(|m| m.word)
            .collect()
    }

    #[test]
    fn flags_only_unknown_prose() {
        let s = speller();
        let case = CaseWords::default();
        assert_eq!(
            flagged(
                &s,
                "The goverment's plan for walkability and geospatial data, don't you think? The city’s `mispeled` code.",
                &case
            ),
            ["goverment's"]
        );
    }

    #[test]
    fn case_words_and_possessives() {
        let s = speller();
        let mut known = WordSet::new();
        known.insert("Zorblat");
        let mut ignored = WordSet::new();
        ignored.insert("quxified");
        let case = CaseWords::new(known, ignored);
        assert!(flagged(&s, "Zorblat's quxified Zorblat plan.", &case).is_empty());
        assert_eq!(flagged(&s, "zorblat plan", &case), ["zorblat"]);
    }

    #[test]
    fn suggestions_are_lazy_cached_and_include_near_extra_words() {
        let mut extra = WordSet::new();
        extra.insert("Barangaroo");
        let s = Speller::new("en-US", dictionary::bundled().unwrap(), extra);
        let first = s.suggest("goverment");
        assert_eq!(first.first().map(String::as_str), Some("government"));
        assert!(Arc::ptr_eq(&first, &s.suggest("goverment")));
        assert!(s.suggest("Barangroo").iter().any(|x| x == "Barangaroo"));
        let mut known = WordSet::new();
        known.insert("Quxville");
        let case = CaseWords::new(known, WordSet::new());
        assert_eq!(
            s.suggest_in_case("Quxvile", &case)
                .first()
                .map(String::as_str),
            Some("Quxville")
        );
    }

    #[test]
    fn ranges_match_the_whole_check() {
        let s = speller();
        let case = CaseWords::default();
        let text =
            "First parragraph here.\n\nSecond wrold.\n\n```\nnotcheked\n```\n\nThird speling.";
        let all = s.check_markdown(text, &case);
        assert_eq!(
            all.iter().map(|m| m.word.as_str()).collect::<Vec<_>>(),
            ["parragraph", "wrold", "speling"]
        );
        let at = text.find("Second").unwrap();
        let part = s.check_range(text, at..at + "Second wrold.".len(), &case);
        assert_eq!(part, vec![all[1].clone()]);
        assert!(s.check_range(text, at..at + 3, &case).is_empty());
        assert_eq!(&text[all[2].range.clone()], "speling");
    }

    #[test]
    fn common_words_go_first_among_equals() {
        let mut s: Vec<String> = ["winch", "witch", "which", "wish"]
            .map(String::from)
            .to_vec();
        promote_common("wich", &mut s);
        assert_eq!(s, ["which", "winch", "witch", "wish"]);
        let mut s: Vec<String> = ["government", "governments"].map(String::from).to_vec();
        promote_common("goverment", &mut s);
        assert_eq!(s, ["government", "governments"]);
    }

    #[test]
    fn bundled_vocabulary_is_sorted_and_needed() {
        let words: Vec<&str> = words::file_words(VOCABULARY).collect();
        let mut sorted = words.clone();
        sorted.sort_by_key(|w| (w.to_lowercase(), w.to_string()));
        assert_eq!(words, sorted);
        let d = dictionary::bundled().unwrap();
        for w in words {
            assert!(!d.check(w), "{w} is already in the dictionary");
        }
    }

    #[test]
    fn accents_are_read_as_the_word_list_has_them() {
        let s = speller();
        let case = CaseWords::default();
        assert!(flagged(&s, "A café in Montréal, the Montréal's plan; naïve.", &case).is_empty());
        assert_eq!(flagged(&s, "Université", &case), ["Université"]);
        assert_eq!(strip_accents("Ōhaka").as_deref(), Some("Ohaka"));
        assert_eq!(strip_accents("plain"), None);
        assert_eq!(
            "àáâãäåāăąçćčďèéêëēėęěìíîïīįıñńňòóôõöøōőùúûüūůűųýÿžźżśšşřťţłÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮİÑŃŇÒÓÔÕÖØŌŐÙÚÛÜŪŮŰŲÝŸŽŹŻŚŠŞŘŤŢŁ".chars().count(),
            "aaaaaaaaacccdeeeeeeeeiiiiiiinnnoooooooouuuuuuuuyyzzzsssrttlAAAAAAAAACCCDEEEEEEEEIIIIIIINNNOOOOOOOOUUUUUUUUYYZZZSSSRTTL".len()
        );
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("barangroo", "barangaroo"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
