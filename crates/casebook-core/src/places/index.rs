//! The search index: every folded name and alternate name, and every later word of them,
//! sorted, so that a prefix is one binary search away.
//!
//! Built once, on the first search, from the decoded gazetteer (checks look names up
//! without it).

use std::sync::OnceLock;

use super::data::{Gazetteer, PlacesDataError, gazetteer};
use super::fold::{fold, fold_into};

/// One searchable key: a folded name (or the rest of it from a word on), and its place.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// Byte offset of the key in [`Index::arena`].
    at: u32,
    /// Byte length of the key.
    len: u16,
    /// 0: the place's name; k: its k-th alternate name.
    pub alt: u8,
    /// Whether the key starts at a later word of the name ("york" in "new york city").
    pub word: bool,
    /// The place's number in the gazetteer.
    pub place: u32,
}

/// The sorted keys.
pub(super) struct Index {
    /// Every folded name, one after the other.
    arena: String,
    /// Sorted by key, then place.
    entries: Vec<Entry>,
}

impl Index {
    fn key(&self, e: &Entry) -> &str {
        let start = e.at as usize;
        self.arena
            .get(start..start + usize::from(e.len))
            .unwrap_or_default()
    }

    /// Entries whose key starts with `q` (folded).
    pub fn with_prefix(&self, q: &str) -> &[Entry] {
        let lo = self.entries.partition_point(|e| self.key(e) < q);
        let rest = self.entries.get(lo..).unwrap_or_default();
        let n = rest.partition_point(|e| self.key(e).starts_with(q));
        rest.get(..n).unwrap_or_default()
    }

    /// Entries whose key is `q` (folded).
    pub fn exactly(&self, q: &str) -> &[Entry] {
        let lo = self.entries.partition_point(|e| self.key(e) < q);
        let rest = self.entries.get(lo..).unwrap_or_default();
        let n = rest.partition_point(|e| self.key(e) == q);
        rest.get(..n).unwrap_or_default()
    }

    /// Bytes of heap the index holds.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity() + self.entries.capacity() * std::mem::size_of::<Entry>()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the keys are in order (for tests).
    #[cfg(test)]
    pub fn is_sorted(&self) -> bool {
        self.entries
            .windows(2)
            .all(|w| self.key(&w[0]) <= self.key(&w[1]))
    }
}

pub(super) fn build(g: &Gazetteer) -> Index {
    let mut arena = String::with_capacity(4 << 20);
    let mut entries = Vec::with_capacity(g.places.len() * 3 / 2);
    let mut add = |arena: &mut String, name: &str, place: u32, alt: u8| {
        let at = arena.len();
        fold_into(&g.fold, name, arena);
        let end = arena.len();
        let (Ok(at32), Ok(len)) = (u32::try_from(at), u16::try_from(end - at)) else {
            arena.truncate(at);
            return;
        };
        if len == 0 {
            return;
        }
        entries.push(Entry {
            at: at32,
            len,
            alt,
            word: false,
            place,
        });
        let words = arena
            .get(at..end)
            .unwrap_or_default()
            .match_indices(' ')
            .map(|(i, _)| at + i + 1);
        for start in words {
            if let (Ok(w), Ok(len)) = (u32::try_from(start), u16::try_from(end - start)) {
                entries.push(Entry {
                    at: w,
                    len,
                    alt,
                    word: true,
                    place,
                });
            }
        }
    };
    for (i, rec) in g.places.iter().enumerate() {
        let Ok(place) = u32::try_from(i) else {
            break;
        };
        add(&mut arena, g.name(rec), place, 0);
        for (k, alt) in g.alternates(rec).enumerate() {
            add(
                &mut arena,
                alt,
                place,
                u8::try_from(k + 1).unwrap_or(u8::MAX),
            );
        }
    }
    sort_entries(&arena, &mut entries);
    arena.shrink_to_fit();
    entries.shrink_to_fit();
    Index { arena, entries }
}

/// Sorts entries by key, then place: first by the keys' first eight bytes as one number (a
/// cheap sort of plain integers), then each run of equal beginnings by the whole key.
/// Several times faster than comparing the strings throughout.
fn sort_entries(arena: &str, entries: &mut Vec<Entry>) {
    let key = |e: &Entry| {
        let start = e.at as usize;
        arena
            .as_bytes()
            .get(start..start + usize::from(e.len))
            .unwrap_or_default()
    };
    let head = |e: &Entry| {
        let mut b = [0u8; 8];
        let k = key(e);
        let n = k.len().min(8);
        b[..n].copy_from_slice(&k[..n]);
        u64::from_be_bytes(b)
    };
    let mut order: Vec<(u64, u32, u32)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (head(e), e.place, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    order.sort_unstable();
    let mut sorted: Vec<Entry> = order
        .iter()
        .filter_map(|&(_, _, i)| entries.get(i as usize).copied())
        .collect();
    let mut start = 0;
    while start < order.len() {
        let h = order[start].0;
        let end = start + order[start..].partition_point(|o| o.0 == h);
        // Keys of up to eight bytes with equal beginnings are equal: already by place.
        if end - start > 1 && sorted[start..end].iter().any(|e| e.len > 8) {
            sorted[start..end]
                .sort_unstable_by(|a, b| key(a).cmp(key(b)).then(a.place.cmp(&b.place)));
        }
        start = end;
    }
    *entries = sorted;
}

static INDEX: OnceLock<Index> = OnceLock::new();

/// The gazetteer and its index, built on first use.
pub(super) fn index()
-> std::result::Result<(&'static Gazetteer, &'static Index), &'static PlacesDataError> {
    let g = gazetteer()?;
    Ok((g, INDEX.get_or_init(|| build(g))))
}

/// The index, if built.
pub(super) fn built() -> Option<&'static Index> {
    INDEX.get()
}

/// Folds with the gazetteer's table (plain ASCII folding if the data is damaged).
pub(super) fn fold_query(s: &str) -> String {
    match gazetteer() {
        Ok(g) => fold(&g.fold, s),
        Err(_) => fold(&[], s),
    }
}

/// How much less a match by an alternate name weighs than one by the place's name: a
/// former or foreign name ("Christiania" for Oslo, "Sao Paolo de Loanda" for Luanda)
/// should not push aside places that are called so today, unless it is far larger
/// ("cologne" still finds Köln first: a million people against a village).
const ALTERNATE_WEIGHT: u32 = 100;

/// Ranked places for a prefix: whole-name prefixes first, then later-word prefixes, each
/// by population (divided by [`ALTERNATE_WEIGHT`] for matches by an alternate name); one
/// result per place, at most `limit`, as `(place number, alternate number or 0)`.
/// `country` is an index into the gazetteer's countries.
pub(super) fn ranked(
    index: &Index,
    q: &str,
    country: Option<u8>,
    g: &Gazetteer,
    limit: usize,
) -> Vec<(u32, u8)> {
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut hits: Vec<(bool, std::cmp::Reverse<u32>, u32, u8)> = index
        .with_prefix(q)
        .iter()
        .filter_map(|e| {
            let r = g.places.get(e.place as usize)?;
            if country.is_some_and(|c| r.country != c) {
                return None;
            }
            let weight = if e.alt == 0 {
                r.population
            } else {
                r.population / ALTERNATE_WEIGHT
            };
            Some((e.word, std::cmp::Reverse(weight), e.place, e.alt))
        })
        .collect();
    // Short queries match tens of thousands of keys: rank only the best few first (a place
    // has several keys, so take eight per result), and all only if that was too few.
    let few = limit.saturating_mul(8).max(64);
    if hits.len() > few * 2 {
        hits.select_nth_unstable(few);
        let out = distinct(hits.get(..=few).unwrap_or_default().to_vec(), limit);
        if out.len() == limit {
            return out;
        }
    }
    distinct(hits, limit)
}

/// The first `limit` distinct places of `hits` in ranking order.
fn distinct(
    mut hits: Vec<(bool, std::cmp::Reverse<u32>, u32, u8)>,
    limit: usize,
) -> Vec<(u32, u8)> {
    hits.sort_unstable();
    let mut out: Vec<(u32, u8)> = Vec::with_capacity(limit.min(64));
    for (_, _, place, alt) in hits {
        if out.iter().any(|&(p, _)| p == place) {
            continue;
        }
        out.push((place, alt));
        if out.len() == limit {
            break;
        }
    }
    out
}
