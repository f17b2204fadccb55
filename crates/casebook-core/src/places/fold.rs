//! Folding names for matching: lower case, accents off, punctuation to single spaces.
//!
//! The rules are those of `assets/tools/build_places.py`, which writes the table of
//! non-ASCII characters (section `FOLD`), so that names and queries fold alike:
//! "São Paulo" → "sao paulo", "Zürich" → "zurich", "Łódź" → "lodz", "St. John's" →
//! "st johns", "Ōtautahi-Christchurch" → "otautahi christchurch", "Москва" → "москва".

use super::data::Fold;

/// Words of a fold: emits characters, with one space between words and none at the ends.
struct Words<F> {
    emit: F,
    started: bool,
    gap: bool,
}

impl<F: FnMut(char) -> bool> Words<F> {
    /// Emits `c` (a space marks a word break); false when the receiver wants no more.
    #[inline]
    fn put(&mut self, c: char) -> bool {
        if c == ' ' {
            self.gap = true;
            return true;
        }
        if self.gap && self.started && !(self.emit)(' ') {
            return false;
        }
        self.gap = false;
        self.started = true;
        (self.emit)(c)
    }
}

/// Calls `emit` with each character of the fold of `s` in turn, until it returns false;
/// whether it ran to the end.
pub(super) fn fold_each(table: &[(char, Fold)], s: &str, emit: impl FnMut(char) -> bool) -> bool {
    let mut w = Words {
        emit,
        started: false,
        gap: false,
    };
    for c in s.chars() {
        let more = if c.is_ascii() {
            match c {
                'a'..='z' | '0'..='9' => w.put(c),
                'A'..='Z' => w.put(c.to_ascii_lowercase()),
                '\'' | '.' | '`' => true,
                _ => w.put(' '),
            }
        } else {
            match table.binary_search_by(|(k, _)| k.cmp(&c)) {
                Ok(i) => match table.get(i).map(|&(_, f)| f) {
                    Some(Fold::To(text)) => text.chars().all(|t| w.put(t)),
                    Some(Fold::Same) | None => w.put(c),
                },
                Err(_) if c.is_alphanumeric() => c.to_lowercase().all(|l| w.put(l)),
                Err(_) => w.put(' '),
            }
        };
        if !more {
            return false;
        }
    }
    true
}

/// Appends the fold of `s` to `out` (no space before it: callers separate keys themselves).
pub(super) fn fold_into(table: &[(char, Fold)], s: &str, out: &mut String) {
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
        // Most names: letters, digits and single spaces.
        let start = out.len();
        for word in s.split(' ').filter(|w| !w.is_empty()) {
            if out.len() > start {
                out.push(' ');
            }
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        }
        return;
    }
    fold_each(table, s, |c| {
        out.push(c);
        true
    });
}

/// The fold of `s`.
pub(super) fn fold(table: &[(char, Fold)], s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(table, s, &mut out);
    out
}

/// Whether `s` folds to `folded` exactly; stops at the first difference, allocating nothing.
pub(super) fn folds_to(table: &[(char, Fold)], s: &str, folded: &str) -> bool {
    let mut want = folded.chars();
    fold_each(table, s, |c| want.next() == Some(c)) && want.next().is_none()
}
