//! A country's places grouped by the first letter of their names, for exact lookups by name
//! ([`super::named`]) before (or without) the search index.
//!
//! A folded name starts with the lower case of its name's first byte when that byte is an
//! ASCII letter or digit; a name starting with anything else (an accent, another script,
//! punctuation) may fold to any start. So the places that can be called a folded `q` are
//! those whose name, or an alternate name, starts with `q`'s first letter in either case,
//! and those with a name starting otherwise: a lookup looks at those two groups only, not
//! at the whole country (the United States has some 30,000 places). Built for a country
//! on its first lookup, in one pass over its places.

use super::data::Gazetteer;

/// Groups: `a`–`z`, `0`–`9`, and anything else.
const GROUPS: usize = 37;
const OTHER: usize = 36;

/// The group of a name (or of a folded query) by its first byte.
pub(super) fn group_of(name: &[u8]) -> usize {
    match name.first() {
        Some(&b @ b'a'..=b'z') => usize::from(b - b'a'),
        Some(&b @ b'A'..=b'Z') => usize::from(b - b'A'),
        Some(&b @ b'0'..=b'9') => 26 + usize::from(b - b'0'),
        _ => OTHER,
    }
}

/// One country's places by group: `(place number, by an alternate name)`.
#[derive(Debug)]
pub(super) struct Initials {
    /// Where each group starts in `entries`; `starts[GROUPS]` is the end.
    starts: [u32; GROUPS + 1],
    /// Entries, by group, then by place number, a place's name before its alternates.
    entries: Vec<(u32, bool)>,
}

impl Initials {
    /// Groups the places of one country (a range of place numbers).
    pub fn build(g: &Gazetteer, places: std::ops::Range<usize>) -> Initials {
        let mut keyed: Vec<(u8, u32, bool)> = Vec::with_capacity(places.len() + places.len() / 8);
        for i in places {
            let (Some(r), Ok(place)) = (g.places.get(i), u32::try_from(i)) else {
                break;
            };
            let name_group = group_of(g.name_bytes(r));
            keyed.push((name_group as u8, place, false));
            if r.alt_count > 0 {
                let mut seen = [false; GROUPS];
                for alt in g.alternate_bytes(r) {
                    let k = group_of(alt);
                    if let Some(s) = seen.get_mut(k)
                        && !*s
                    {
                        *s = true;
                        keyed.push((k as u8, place, true));
                    }
                }
            }
        }
        // Stable: within a group, place order (names before alternates) is kept.
        keyed.sort_by_key(|&(k, _, _)| k);
        let mut starts = [0u32; GROUPS + 1];
        for &(k, _, _) in &keyed {
            if let Some(s) = starts.get_mut(usize::from(k) + 1) {
                *s += 1;
            }
        }
        for k in 1..=GROUPS {
            starts[k] += starts[k - 1];
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

    /// The entries that can be called the folded `q`: its first letter's group and the
    /// group of other starts.
    pub fn candidates(&self, q: &str) -> impl Iterator<Item = (u32, bool)> + '_ {
        let k = group_of(q.as_bytes());
        let own = if k == OTHER { &[][..] } else { self.group(k) };
        own.iter().chain(self.group(OTHER)).copied()
    }

    /// Bytes of heap it holds.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(u32, bool)>()
    }
}
