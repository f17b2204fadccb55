//! Finding a country from what someone typed: ranked search for a picker, and a best guess
//! for a value that is not a valid code.

use std::sync::OnceLock;

use super::{Country, all, by_iso2, by_iso3};

/// A country's names, normalized once for matching.
struct Keys {
    name: String,
    alts: Vec<String>,
}

fn keys() -> &'static [Keys] {
    static KEYS: OnceLock<Vec<Keys>> = OnceLock::new();
    KEYS.get_or_init(|| {
        all()
            .iter()
            .map(|c| Keys {
                name: normalize(c.name),
                alts: c.alt_names.iter().map(|a| normalize(a)).collect(),
            })
            .collect()
    })
}

/// Lowercase ASCII-ish form for matching: accents folded, `.` and apostrophes dropped, any
/// other run of non-alphanumerics one space. "U.S.A." → "usa", "Côte d'Ivoire" → "cote divoire".
pub(super) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if matches!(c, '.' | '\'' | '’' | 'ʻ' | '`') {
            continue;
        }
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        match fold(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

/// The unaccented spelling of a lowercase Latin letter, if it has accents.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

// How well a country matches a query; higher is better.
const CODE_EXACT: u8 = 100;
const NAME_EXACT: u8 = 90;
const ALT_EXACT: u8 = 85;
const NAME_PREFIX: u8 = 70;
const ALT_PREFIX: u8 = 65;
const CODE_PREFIX: u8 = 60;
const NAME_WORD: u8 = 50;
const ALT_WORD: u8 = 45;
const NAME_PART: u8 = 30;
const ALT_PART: u8 = 25;

fn text_score(key: &str, q: &str, exact: u8, prefix: u8, word: u8, part: u8) -> u8 {
    if key == q {
        exact
    } else if key.starts_with(q) {
        prefix
    } else if key.split(' ').any(|w| w.starts_with(q)) {
        word
    } else if key.contains(q) {
        part
    } else {
        0
    }
}

/// The best score of one country for a normalized query (`code` is it uppercased, no spaces).
fn score(country: &Country, keys: &Keys, q: &str, code: &str) -> u8 {
    let mut best = 0;
    if country.iso3 == code || country.iso2 == code || country.alt_codes.contains(&code) {
        best = CODE_EXACT;
    } else if code.len() <= 3 && country.iso3.starts_with(code) {
        best = CODE_PREFIX;
    }
    best = best.max(text_score(
        &keys.name,
        q,
        NAME_EXACT,
        NAME_PREFIX,
        NAME_WORD,
        NAME_PART,
    ));
    for alt in &keys.alts {
        best = best.max(text_score(
            alt, q, ALT_EXACT, ALT_PREFIX, ALT_WORD, ALT_PART,
        ));
    }
    best
}

/// Scored matches for a query, best first (ties in name order).
fn ranked(query: &str) -> Vec<(u8, &'static Country)> {
    let q = normalize(query);
    if q.is_empty() {
        return Vec::new();
    }
    let code: String = q
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_uppercase();
    let mut hits: Vec<_> = all()
        .iter()
        .zip(keys())
        .filter_map(|(c, k)| {
            let s = score(c, k, &q, &code);
            (s > 0).then_some((s, c))
        })
        .collect();
    // Stable: equal scores keep the table's name order.
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    hits
}

/// See [`super::search`].
pub(super) fn search(query: &str, limit: usize) -> Vec<&'static Country> {
    if normalize(query).is_empty() {
        return all().iter().take(limit).collect();
    }
    ranked(query)
        .into_iter()
        .take(limit)
        .map(|(_, c)| c)
        .collect()
}

/// See [`super::suggest`].
pub(super) fn suggest(input: &str) -> Option<&'static Country> {
    if let Some(c) = suggest_one(input) {
        return Some(c);
    }
    // "Hong Kong, China", "Spain (ESP)": try each part.
    let parts: Vec<&str> = input.split([',', '(', ')', '/', ';', '|']).collect();
    if parts.len() > 1 {
        return parts.into_iter().find_map(suggest_one);
    }
    None
}

fn suggest_one(input: &str) -> Option<&'static Country> {
    let q = normalize(input);
    if q.is_empty() {
        return None;
    }
    let code: String = q
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_uppercase();

    // A code in the wrong case, with dots or spaces: "usa", "U.K.", " chn ", "724".
    let by_code = match code.len() {
        3 if code.bytes().all(|b| b.is_ascii_digit()) => code
            .parse()
            .ok()
            .and_then(|n: u16| all().iter().find(|c| c.numeric == n)),
        3 => by_iso3(&code),
        2 => by_iso2(&code),
        _ => None,
    };
    if let Some(c) = by_code.or_else(|| all().iter().find(|c| c.alt_codes.contains(&code.as_str())))
    {
        return Some(c);
    }

    // A name: exact, then a unique best match, then a near miss in spelling.
    let hits = ranked(input);
    if let Some(&(top, c)) = hits.first() {
        if top >= ALT_EXACT {
            // Two countries both called "Congo": the shorter official name is the usual sense.
            let exact = hits.iter().take_while(|(s, _)| *s == top);
            return exact.min_by_key(|(_, c)| c.name.len()).map(|&(_, c)| c);
        }
        // Two or three letters that are no code ("EN", "SPA") are too short to guess from.
        let second = hits.get(1).map_or(0, |h| h.0);
        if q.chars().count() > 3 && top >= ALT_WORD && top > second {
            return Some(c);
        }
    }
    near_miss(&q)
}

/// The one country whose name or alternative is within a small edit distance of `q`.
fn near_miss(q: &str) -> Option<&'static Country> {
    let len = q.chars().count();
    let max = match len {
        0..=3 => return None,
        4..=5 => 1,
        6..=9 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'static Country)> = None;
    let mut tie = false;
    for (c, k) in all().iter().zip(keys()) {
        let d = std::iter::once(&k.name)
            .chain(&k.alts)
            .map(|key| levenshtein(q, key))
            .min()
            .unwrap_or(usize::MAX);
        if d > max {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, c)| c) }
}

/// Edit distance in chars (insert, delete, substitute).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_accents_dots_and_spaces() {
        assert_eq!(normalize("  U.S.A. "), "usa");
        assert_eq!(normalize("Côte d'Ivoire"), "cote divoire");
        assert_eq!(normalize("Korea, Republic of"), "korea republic of");
        assert_eq!(normalize("Åland--Islands"), "aland islands");
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("spian", "spain"), 2);
        assert_eq!(levenshtein("germny", "germany"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
    }
}
