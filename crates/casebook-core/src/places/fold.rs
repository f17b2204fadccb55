//! Folding names for matching: lower case, accents off, punctuation to single spaces.
//!
//! The rules are those of `assets/tools/build_places.py`, which writes the table of
//! non-ASCII characters (section `FOLD`), so that names and queries fold alike:
//! "São Paulo" → "sao paulo", "Zürich" → "zurich", "Łódź" → "lodz", "St. John's" →
//! "st johns", "Ōtautahi-Christchurch" → "otautahi christchurch", "Москва" → "москва".

use super::data::Fold;

/// Appends the fold of `s` to `out` (no space before it: callers separate keys themselves).
pub(super) fn fold_into(table: &[(char, Fold)], s: &str, out: &mut String) {
    let start = out.len();
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
        // Most names: letters, digits and single spaces.
        for word in s.split(' ').filter(|w| !w.is_empty()) {
            if out.len() > start {
                out.push(' ');
            }
            for b in word.bytes() {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    let mut gap = false;
    let push = |out: &mut String, c: char, gap: &mut bool| {
        if c == ' ' {
            *gap = true;
            return;
        }
        if *gap && out.len() > start {
            out.push(' ');
        }
        *gap = false;
        out.push(c);
    };
    for c in s.chars() {
        if c.is_ascii() {
            match c {
                'a'..='z' | '0'..='9' => push(out, c, &mut gap),
                'A'..='Z' => push(out, c.to_ascii_lowercase(), &mut gap),
                '\'' | '.' | '`' => {}
                _ => gap = true,
            }
            continue;
        }
        match table.binary_search_by(|(k, _)| k.cmp(&c)) {
            Ok(i) => match table.get(i).map(|&(_, f)| f) {
                Some(Fold::To(text)) => {
                    for t in text.chars() {
                        push(out, t, &mut gap);
                    }
                }
                Some(Fold::Same) | None => push(out, c, &mut gap),
            },
            Err(_) if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    push(out, l, &mut gap);
                }
            }
            Err(_) => gap = true,
        }
    }
}

/// The fold of `s`.
pub(super) fn fold(table: &[(char, Fold)], s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(table, s, &mut out);
    out
}
