//! Guidance parsed into targets: word ranges and item counts.

use super::*;

// ---------------------------------------------------------------------------------------------
// Targets.

/// A token of guidance text.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A number (digits, or a number word such as `one`).
    Num(usize),
    /// A lowercased word (hyphenated words stay one word).
    Word(String),
    /// Any other character (dashes normalized to `-`).
    Punct(char),
}

/// Number words the parser understands (only used with a qualifier or in a range).
const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

fn tokenize(text: &str) -> Vec<Tok> {
    let text = text.replace("(s)", "s").replace("(S)", "S");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            match s.parse::<usize>() {
                Ok(n) => out.push(Tok::Num(n)),
                Err(_) => out.push(Tok::Word(s)),
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() {
                let ch = chars[i];
                let inner = matches!(ch, '-' | '\'' | '’')
                    && i > start
                    && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
                if ch.is_alphanumeric() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            let w: String = chars[start..i].iter().collect::<String>().to_lowercase();
            match NUMBER_WORDS.iter().position(|n| *n == w) {
                Some(n) => out.push(Tok::Num(n)),
                None => out.push(Tok::Word(w)),
            }
        } else {
            let p = match c {
                '–' | '—' | '‑' | '−' => '-',
                other => other,
            };
            out.push(Tok::Punct(p));
            i += 1;
        }
    }
    out
}

fn word_at(toks: &[Tok], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

fn num_at(toks: &[Tok], i: usize) -> Option<usize> {
    match toks.get(i) {
        Some(Tok::Num(n)) => Some(*n),
        _ => None,
    }
}

/// A bound word before or after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    None,
    Around,
    AtMost,
    AtLeast,
}

/// The qualifier written just before token `i` ("about", "no more than", "at least", …).
fn qualifier_before(toks: &[Tok], i: usize) -> Qualifier {
    let w = |back: usize| {
        i.checked_sub(back)
            .and_then(|j| word_at(toks, j))
            .unwrap_or("")
    };
    let (w1, w2, w3) = (w(1), w(2), w(3));
    if i >= 1 && toks.get(i - 1) == Some(&Tok::Punct('~')) {
        return Qualifier::Around;
    }
    match (w3, w2, w1) {
        (_, "at", "most") | (_, "up", "to") | (_, "maximum", "of") => Qualifier::AtMost,
        ("no" | "not", "fewer" | "less", "than") => Qualifier::AtLeast,
        ("no" | "not", "more" | "greater", "than") | (_, "fewer" | "less", "than") => {
            Qualifier::AtMost
        }
        (_, _, "maximum" | "max" | "under" | "within") => Qualifier::AtMost,
        (_, "at", "least") | (_, "minimum", "of") => Qualifier::AtLeast,
        (_, _, "minimum" | "min") => Qualifier::AtLeast,
        (_, _, "about" | "around" | "roughly" | "approximately" | "approx" | "circa" | "some") => {
            Qualifier::Around
        }
        _ => Qualifier::None,
    }
}

/// The qualifier written after token `i`, up to the end of the clause ("or less", "… is
/// minimum").
fn qualifier_after(toks: &[Tok], i: usize) -> Qualifier {
    let mut j = i;
    let mut seen = 0;
    while j < toks.len() && seen < 6 {
        match &toks[j] {
            Tok::Punct(_) | Tok::Num(_) => break,
            Tok::Word(w) => {
                let next = word_at(toks, j + 1).unwrap_or("");
                match (w.as_str(), next) {
                    ("or", "less" | "fewer" | "under" | "below") => return Qualifier::AtMost,
                    ("or", "more" | "longer" | "above") => return Qualifier::AtLeast,
                    ("at", "most") | ("maximum" | "max", _) => return Qualifier::AtMost,
                    ("at", "least") | ("minimum" | "min", _) => return Qualifier::AtLeast,
                    _ => {}
                }
            }
        }
        j += 1;
        seen += 1;
    }
    Qualifier::None
}

/// Words that end the name of what is counted ("3-5 high-level goals *that* define …").
const STOP_WORDS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "being", "is", "are", "was", "were", "from", "for",
    "to", "in", "on", "at", "with", "by", "of", "the", "this", "these", "those", "you", "your",
    "per", "used", "should", "can", "could", "must", "will", "would", "may", "each", "and", "e",
    "etc", "such", "as", "into", "about", "describe", "explain",
];

/// The name of what is counted after a number range ending before token `i`.
fn what_after(toks: &[Tok], mut i: usize) -> String {
    // "3-5 of the key characteristics" counts key characteristics.
    if word_at(toks, i) == Some("of") {
        i += 1;
        if word_at(toks, i) == Some("the") {
            i += 1;
        }
    }
    let mut words: Vec<&str> = Vec::new();
    while i < toks.len() && words.len() < 6 {
        match &toks[i] {
            Tok::Punct('(') | Tok::Punct(')') => {}
            Tok::Word(w) if !STOP_WORDS.contains(&w.as_str()) => words.push(w),
            _ => break,
        }
        i += 1;
    }
    while words.last().is_some_and(|w| *w == "or" || *w == "and") {
        words.pop();
    }
    words.join(" ")
}

/// Items counts this large are not counts (they are years, like "2015").
const MAX_ITEM_COUNT: usize = 100;
/// Word counts this large are not word targets.
const MAX_WORD_COUNT: usize = 100_000;

/// Reads the word and item targets out of guidance text.
///
/// Understood, in the atlas's wording and in Casebook's own templates':
///
/// - word targets: "About 100 to 150 word summary", "75-125 words", "between 75 and 125 words"
///   (a range); "around/about/roughly 50 words" (±[`AROUND_TOLERANCE_PERCENT`] %); "no more than
///   75 words", "at most 75 words", "50 words or less/fewer" (a maximum); "at least 50 words",
///   "About 50 words … is minimum" (a minimum);
/// - item counts: "Identify 3-5 high-level goals", "1-3 open question(s)", "3-5 of the key
///   characteristics", "5-7 secondary source documents", "three to five goals", "at least one
///   financing mechanism" (no maximum), "up to 3 images" (no minimum).
///
/// Single numbers without a qualifier ("the three activities", "the 2015 paper", "conduct one
/// interview") are not targets. "About 50 words per outcome" is read as a section minimum of
/// 50; per-item word targets are not modelled.
pub fn parse_targets(guidance: &str) -> Vec<Target> {
    let toks = tokenize(guidance);
    let mut out: Vec<Target> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(a) = num_at(&toks, i) else {
            i += 1;
            continue;
        };
        // A range "a-b", "a to b", "a or b", "between a and b"?
        let between = i >= 1 && word_at(&toks, i - 1) == Some("between");
        let sep_ok = match toks.get(i + 1) {
            Some(Tok::Punct('-')) => true,
            Some(Tok::Word(w)) => w == "to" || w == "or" || (between && w == "and"),
            _ => false,
        };
        let range = match num_at(&toks, i + 2) {
            Some(b) if sep_ok && a <= b => Some(b),
            _ => None,
        };
        let next = if range.is_some() { i + 3 } else { i + 1 };
        let before_at = if between { i - 1 } else { i };
        let before = qualifier_before(&toks, before_at);
        // "150 words", or "150-word summary".
        let is_word = |j: usize| matches!(word_at(&toks, j), Some("word" | "words"));
        let words_at = if is_word(next) {
            Some(next)
        } else if toks.get(next) == Some(&Tok::Punct('-')) && is_word(next + 1) {
            Some(next + 1)
        } else {
            None
        };
        let target = match words_at {
            Some(w) => words_target(a, range, before, qualifier_after(&toks, w + 1)),
            None => items_target(&toks, a, range, before, next),
        };
        if let Some(t) = target {
            if !out.contains(&t) {
                out.push(t);
            }
            i = words_at.map_or(next, |w| w + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn words_target(
    a: usize,
    range: Option<usize>,
    before: Qualifier,
    after: Qualifier,
) -> Option<Target> {
    if a == 0 || range.unwrap_or(a) > MAX_WORD_COUNT {
        return None;
    }
    if let Some(b) = range {
        return Some(Target::Words {
            min: Some(a),
            max: Some(b),
        });
    }
    // An explicit bound wins over "about" ("About 50 words per is minimum").
    let q = match (before, after) {
        (_, Qualifier::AtMost) | (Qualifier::AtMost, _) => Qualifier::AtMost,
        (_, Qualifier::AtLeast) | (Qualifier::AtLeast, _) => Qualifier::AtLeast,
        _ => Qualifier::Around,
    };
    Some(match q {
        Qualifier::AtMost => Target::Words {
            min: None,
            max: Some(a),
        },
        Qualifier::AtLeast => Target::Words {
            min: Some(a),
            max: None,
        },
        _ => {
            let d = (a * AROUND_TOLERANCE_PERCENT + 50) / 100;
            Target::Words {
                min: Some(a - d),
                max: Some(a + d),
            }
        }
    })
}

fn items_target(
    toks: &[Tok],
    a: usize,
    range: Option<usize>,
    before: Qualifier,
    next: usize,
) -> Option<Target> {
    if range.unwrap_or(a) > MAX_ITEM_COUNT {
        return None;
    }
    let what = what_after(toks, next);
    if what.is_empty() {
        return None;
    }
    let (min, max) = match (range, before) {
        (Some(b), _) => (a, b),
        (None, Qualifier::AtLeast) => (a, usize::MAX),
        (None, Qualifier::AtMost) => (0, a),
        _ => return None,
    };
    Some(Target::Items { min, max, what })
}
