//! A country's places grouped by how their folded names start, for exact lookups by name
//! ([`super::named`]) before (or without) the search index.
//!
//! A name can fold to `q` only if its fold starts with `q`'s first character. Each place
//! is filed under the first character of its name's fold, and of each of its alternate
//! names' folds (a letter or digit a group of its own, other characters hashed into a few
//! more), so a lookup looks at one group, not at the whole country (the United States has
//! some 30,000 places), and still compares each name there in full. Built for a country
//! on its first lookup, in one pass over its places; folding is needed only for names
//! that do not start with an ASCII letter or digit.

use super::data::{Fold, Gazetteer};
use super::fold;

/// Groups: `a`–`z`, `0`–`9`, and other first characters hashed into the rest.
const GROUPS: usize = 36 + 61;

/// The group of a folded text's first character.
fn group_of_char(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize),
        _ => 36 + (c as usize) % (GROUPS - 36),
    }
}

/// The group of a folded query.
fn group_of_query(q: &str) -> Option<usize> {
    q.chars().next().map(group_of_char)
}

/// The group of a name (UTF-8 bytes) by the first character of its fold; `None` when it
/// folds to nothing or is not UTF-8 (then it is never called anything).
fn group_of_name(table: &[(char, Fold)], name: &[u8]) -> Option<usize> {
    match name.first() {
        // Most names: an ASCII letter or digit folds to itself in lower case.
        Some(&b) if b.is_ascii_alphanumeric() => {
            Some(group_of_char(char::from(b.to_ascii_lowercase())))
        }
        _ => {
            let name = std::str::from_utf8(name).ok()?;
            let mut first = None;
            fold::fold_each(table, name, |c| {
                first = Some(c);
                false
            });
            first.map(group_of_char)
        }
    }
}

/// One country's places by group: `(place number, by an alternate name)`.
#[derive(Debug)]
pub(super) struct Initials {
    /// Where each group starts in `entries`; `starts[GROUPS]` is the end.
    starts: Vec<u32>,
    /// Entries, by group, then by place number, a place's name before its alternates.
    entries: Vec<(u32, bool)>,
}

impl Initials {
    /// Groups the places of one country (a range of place numbers).
    pub fn build(g: &Gazetteer, places: std::ops::Range<usize>) -> Initials {
        let mut keyed: Vec<(u16, u32, bool)> = Vec::with_capacity(places.len() + places.len() / 8);
        let mut seen: Vec<usize> = Vec::new();
        for i in places {
            let (Some(r), Ok(place)) = (g.places.get(i), u32::try_from(i)) else {
                break;
            };
            if let Some(k) = group_of_name(&g.fold, g.name_bytes(r)) {
                keyed.push((group_key(k), place, false));
            }
            if r.alt_count > 0 {
                seen.clear();
                for alt in g.alternate_bytes(r) {
                    if let Some(k) = group_of_name(&g.fold, alt)
                        && !seen.contains(&k)
                    {
                        seen.push(k);
                        keyed.push((group_key(k), place, true));
                    }
                }
            }
        }
        // Stable: within a group, place order (names before alternates) is kept.
        keyed.sort_by_key(|&(k, _, _)| k);
        let mut starts = vec![0u32; GROUPS + 1];
        for &(k, _, _) in &keyed {
            if let Some(s) = starts.get_mut(usize::from(k) + 1) {
                *s += 1;
            }
        }
        let mut sum = 0;
        for s in &mut starts {
            sum += *s;
            *s = sum;
        }
        Initials {
            starts,
            entries: keyed.into_iter().map(|(_, p, alt)| (p, alt)).collect(),
        }
    }

    /// The entries that can be called the folded `q`: those whose fold starts with `q`'s
    /// first character (and any others of the same group).
    pub fn candidates(&self, q: &str) -> &[(u32, bool)] {
        let Some(k) = group_of_query(q) else {
            return &[];
        };
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => self.entries.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Bytes of heap it holds.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(u32, bool)>()
            + self.starts.capacity() * std::mem::size_of::<u32>()
    }
}

/// A group number as stored (there are fewer than 2^16).
fn group_key(k: usize) -> u16 {
    u16::try_from(k).unwrap_or(u16::MAX)
}
