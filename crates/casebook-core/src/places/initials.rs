//! A country's places grouped by the first two letters of their names, for exact lookups
//! by name ([`super::named`]) before (or without) the search index.
//!
//! A folded name starts with the lower case of its name's first bytes while they are ASCII
//! letters or digits; a name starting with anything else (an accent, another script,
//! punctuation) may fold to any start. So the places that can be called a folded `q` are
//! those whose name, or an alternate name, starts with `q`'s first two letters or digits
//! in either case, or with its first one and then something else, and those with a name
//! starting otherwise: a lookup looks at those three groups only, not at the whole country
//! (the United States has some 30,000 places). Built for a country on its first lookup,
//! in one pass over its places.

use super::data::Gazetteer;

/// Classes of a byte: `a`–`z` (either case), `0`–`9`, and anything else.
const CLASSES: usize = 37;
const OTHER: usize = 36;
/// Groups: by the first two bytes' classes when the first is a letter or digit (36 × 37),
/// and one group for names starting otherwise.
const GROUPS: usize = 36 * CLASSES + 1;
const ODD_START: usize = GROUPS - 1;

/// The class of a byte.
fn class(b: Option<&u8>) -> usize {
    match b {
        Some(&b @ b'a'..=b'z') => usize::from(b - b'a'),
        Some(&b @ b'A'..=b'Z') => usize::from(b - b'A'),
        Some(&b @ b'0'..=b'9') => 26 + usize::from(b - b'0'),
        _ => OTHER,
    }
}

/// The group of a name (or of a folded query) by its first two bytes.
///
/// A name whose first bytes are letters or digits folds to them in lower case, so it can
/// only be called a `q` whose first bytes they are: two letters or digits must match `q`'s
/// two; one followed by anything else (`"A Coruña"`, `"U-Tapao"`, `"Y"`) only `q`'s first.
pub(super) fn group_of(name: &[u8]) -> usize {
    match class(name.first()) {
        OTHER => ODD_START,
        first => first * CLASSES + class(name.get(1)),
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
        for i in places {
            let (Some(r), Ok(place)) = (g.places.get(i), u32::try_from(i)) else {
                break;
            };
            let name_group = group_of(g.name_bytes(r));
            keyed.push((group_key(name_group), place, false));
            if r.alt_count > 0 {
                let mut seen: Vec<usize> = Vec::new();
                for alt in g.alternate_bytes(r) {
                    let k = group_of(alt);
                    if !seen.contains(&k) {
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

    /// The entries of a group.
    fn group(&self, k: usize) -> &[(u32, bool)] {
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => self.entries.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The entries that can be called the folded `q`: those of its first two letters, of
    /// its first letter and something else, and of the names starting otherwise.
    pub fn candidates(&self, q: &str) -> impl Iterator<Item = (u32, bool)> + '_ {
        let (two, one) = match group_of(q.as_bytes()) {
            ODD_START => (&[][..], &[][..]),
            k => {
                let one = k - k % CLASSES + OTHER;
                let two = if k == one { &[][..] } else { self.group(k) };
                (two, self.group(one))
            }
        };
        two.iter().chain(one).chain(self.group(ODD_START)).copied()
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
