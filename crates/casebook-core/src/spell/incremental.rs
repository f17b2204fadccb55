//! Spell checking for an editor: only blocks whose text changed are checked again.
//!
//! Each call splits the text into blocks (one cheap pass over the bytes), looks every block's
//! text up in the results of the previous call, and checks only the blocks it has not seen —
//! after a keystroke, the edited paragraph. Results are the same as
//! [`super::Speller::check_markdown`] on the whole text. The cache forgets blocks that are
//! gone, and everything when the checker or the case's words change.

use std::collections::HashMap;
use std::ops::Range;

use super::{CaseWords, Misspelling, Speller, tokenize};

/// Misspellings of the blocks of the last text checked, by block text.
#[derive(Debug, Default)]
pub struct SpellCache {
    /// (speller id, case words id) the results were computed with.
    key: (u64, u64),
    /// Block text → misspellings with ranges relative to the block.
    blocks: HashMap<String, Vec<(Range<usize>, String)>>,
    /// Blocks checked (not found in the cache) by the last call.
    last_checked: usize,
    /// Word → whether it is spelled right (the block being typed is checked again at every
    /// keystroke, its words mostly the same).
    words: HashMap<String, bool>,
}

/// Above this many remembered words the word memo starts again (bounds its memory).
const MAX_WORDS: usize = 50_000;

impl SpellCache {
    /// An empty cache.
    pub fn new() -> SpellCache {
        SpellCache::default()
    }

    /// The misspellings of Markdown `text`, re-checking only blocks not seen last time.
    pub fn check(&mut self, text: &str, speller: &Speller, case: &CaseWords) -> Vec<Misspelling> {
        let key = (speller.id(), case.id());
        if key != self.key {
            self.blocks.clear();
            self.words.clear();
            self.key = key;
        }
        if self.words.len() > MAX_WORDS {
            self.words.clear();
        }
        let mut next: HashMap<String, Vec<(Range<usize>, String)>> =
            HashMap::with_capacity(self.blocks.len() + 1);
        let mut out = Vec::new();
        self.last_checked = 0;
        for b in tokenize::blocks(text) {
            let Some(src) = text.get(b.clone()) else {
                continue;
            };
            let found = match next.get(src) {
                Some(f) => f.clone(),
                None => match self.blocks.remove(src) {
                    Some(f) => f,
                    None => {
                        self.last_checked += 1;
                        speller
                            .check_block_memo(src, 0..src.len(), case, &mut self.words)
                            .into_iter()
                            .map(|m| (m.range, m.word))
                            .collect()
                    }
                },
            };
            out.extend(found.iter().map(|(r, w)| Misspelling {
                range: b.start + r.start..b.start + r.end,
                word: w.clone(),
            }));
            next.entry(src.to_string()).or_insert(found);
        }
        self.blocks = next;
        out
    }

    /// How many blocks the last [`SpellCache::check`] had to check (not cached).
    pub fn last_checked(&self) -> usize {
        self.last_checked
    }

    /// Forgets everything (e.g. after the word lists changed on disk).
    pub fn clear(&mut self) {
        self.blocks.clear();
        self.words.clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_the_edited_block_is_checked_again() {
        let speller = Speller::bundled().unwrap();
        let case = CaseWords::default();
        let mut cache = SpellCache::new();
        let mut text = String::new();
        for i in 0..50 {
            text.push_str(&format!("Paragraph {i} has a wrold in it.\n\n"));
        }
        let first = cache.check(&text, &speller, &case);
        assert_eq!(first.len(), 50);
        assert_eq!(cache.last_checked(), 50);
        // Type a letter in paragraph 10.
        let at = text.find("Paragraph 10 has").unwrap() + "Paragraph 10 has".len();
        text.insert_str(at, " speling");
        let second = cache.check(&text, &speller, &case);
        assert_eq!(cache.last_checked(), 1);
        assert_eq!(second, speller.check_markdown(&text, &case));
        assert_eq!(second.len(), 51);
        // Same text again: nothing to check.
        cache.check(&text, &speller, &case);
        assert_eq!(cache.last_checked(), 0);
        // New case words: everything again.
        let mut known = crate::spell::WordSet::new();
        known.insert("wrold");
        let case2 = CaseWords::new(known, crate::spell::WordSet::new());
        assert_eq!(cache.check(&text, &speller, &case2).len(), 1);
        assert_eq!(cache.last_checked(), 50);
    }
}
