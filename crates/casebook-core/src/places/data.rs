//! Decoding of `assets/world/places.bin`, once, on first use.
//!
//! The layout is documented in `assets/tools/build_places.py`, which writes it. Names stay in
//! the embedded bytes (`&'static str` slices); only the numbers are decoded into records.
//! Nothing here panics on bad bytes; a damaged file gives a [`PlacesDataError`].

use std::sync::OnceLock;

use crate::bindata::{DataError, DataFile, Reader, Result};

use super::initials::Initials;

/// The generated gazetteer, embedded in the binary.
static PLACES_BIN: &[u8] = include_bytes!("../../../../assets/world/places.bin");

const MAGIC: &[u8; 7] = b"CBPLACE";
const VERSION: u8 = 1;

/// The embedded data could not be read: a build-time problem, not a user-data one.
pub type PlacesDataError = DataError;

const FILE: &str = "assets/world/places.bin";

/// The section with this tag of `bytes` (the embedded file, or a damaged copy in tests).
fn section(bytes: &'static [u8], tag: &'static str) -> Result<&'static [u8]> {
    DataFile::new(FILE, MAGIC, VERSION, bytes).section(tag)
}

/// One place as stored: numbers decoded, names left in the file (28 bytes).
#[derive(Debug, Clone, Copy)]
pub(super) struct Rec {
    /// Where the name's UTF-8 bytes start in the `PLCE` section.
    name_at: u32,
    /// Where the alternate-name count starts in the `PLCE` section.
    pub alts_at: u32,
    pub population: u32,
    /// Latitude and longitude in 1e-4 degrees.
    pub lat_e4: i32,
    pub lon_e4: i32,
    /// The name's length in bytes.
    name_len: u16,
    /// Index + 1 into [`Gazetteer::divisions`]; 0: none.
    pub division: u16,
    /// Index into [`Gazetteer::countries`].
    pub country: u8,
    /// How many alternate names it has (most have none: no need to look).
    pub alt_count: u8,
}

/// A first-level division: `(country index, GeoNames code, English name)`.
pub(super) type Division = (u8, &'static str, &'static str);

/// The decoded gazetteer: places by country, most populous first in each.
pub(super) struct Gazetteer {
    /// `(character, what it folds to)`, by character; see [`super::fold`].
    pub fold: Vec<(char, Fold)>,
    /// ISO alpha-3 codes, by code.
    pub countries: Vec<&'static str>,
    pub divisions: Vec<Division>,
    pub places: Vec<Rec>,
    /// Per country index: its places, a range of `places`.
    country_ranges: Vec<std::ops::Range<u32>>,
    /// Place numbers, most populous first across countries; sorted on first use.
    by_population: OnceLock<Vec<u32>>,
    /// The `PLCE` section, for reading alternate names on demand.
    plce: &'static [u8],
    /// Per country index: its places grouped by the start of their folded names, built on its first lookup.
    initials: Vec<OnceLock<Initials>>,
}

/// What one character folds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fold {
    /// Itself (a letter with no case and no accent: `東`, `क`).
    Same,
    /// This text (empty: dropped; `" "`: a word separator).
    To(&'static str),
}

impl Gazetteer {
    /// The name of a place (checked as UTF-8 when decoded).
    pub fn name(&self, rec: &Rec) -> &'static str {
        std::str::from_utf8(self.name_bytes(rec)).unwrap_or_default()
    }

    /// The name's UTF-8 bytes, unchecked: for quick comparisons.
    pub fn name_bytes(&self, rec: &Rec) -> &'static [u8] {
        let start = rec.name_at as usize;
        self.plce
            .get(start..start + usize::from(rec.name_len))
            .unwrap_or_default()
    }

    /// Bytes of heap the decoded records hold.
    pub fn heap_bytes(&self) -> usize {
        self.fold.capacity() * std::mem::size_of::<(char, Fold)>()
            + self.countries.capacity() * std::mem::size_of::<&str>()
            + self.divisions.capacity() * std::mem::size_of::<Division>()
            + self.places.capacity() * std::mem::size_of::<Rec>()
            + self.country_ranges.capacity() * std::mem::size_of::<std::ops::Range<u32>>()
            + self
                .by_population
                .get()
                .map_or(0, |v| v.capacity() * std::mem::size_of::<u32>())
            + self
                .initials
                .iter()
                .filter_map(OnceLock::get)
                .map(Initials::heap_bytes)
                .sum::<usize>()
    }

    /// The alternate names of a place as bytes, not checked as UTF-8 (for quick comparisons).
    pub fn alternate_bytes(&self, rec: &Rec) -> impl Iterator<Item = &'static [u8]> + use<> {
        let mut r = Reader::at(FILE, self.plce, rec.alts_at as usize, "PLCE");
        let n = if rec.alt_count == 0 {
            0
        } else {
            r.varint().unwrap_or(0)
        };
        (0..n).map_while(move |_| r.str_bytes().ok())
    }

    /// The alternate names of a place, in the file's order.
    pub fn alternates(&self, rec: &Rec) -> impl Iterator<Item = &'static str> + use<> {
        let mut r = Reader::at(FILE, self.plce, rec.alts_at as usize, "PLCE");
        let n = if rec.alt_count == 0 {
            0
        } else {
            r.varint().unwrap_or(0)
        };
        (0..n).map_while(move |_| r.str().ok())
    }

    pub fn country_of(&self, rec: &Rec) -> &'static str {
        self.countries
            .get(usize::from(rec.country))
            .copied()
            .unwrap_or("")
    }

    pub fn division_of(&self, rec: &Rec) -> Option<&'static str> {
        let i = usize::from(rec.division).checked_sub(1)?;
        self.divisions.get(i).map(|d| d.2)
    }

    /// A country's places (most populous first), as a range of `places`.
    pub fn in_country(&self, country: u8) -> std::ops::Range<usize> {
        self.country_ranges
            .get(usize::from(country))
            .map_or(0..0, |r| r.start as usize..r.end as usize)
    }

    /// Every place number, most populous first (ties in file order).
    pub fn by_population(&self) -> &[u32] {
        self.by_population.get_or_init(|| {
            let n = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
            let mut order: Vec<u32> = (0..n).collect();
            order.sort_by_key(|&i| {
                std::cmp::Reverse(self.places.get(i as usize).map_or(0, |r| r.population))
            });
            order
        })
    }

    /// A country's places grouped by the start of their folded names (see [`super::initials`]), built on first use.
    pub fn initials(&self, country: u8) -> Option<&Initials> {
        let slot = self.initials.get(usize::from(country))?;
        Some(slot.get_or_init(|| Initials::build(self, self.in_country(country))))
    }

    /// The index of a country code, if any place is in it.
    pub fn country_index(&self, iso3: &str) -> Option<u8> {
        let i = self.countries.binary_search(&iso3).ok()?;
        u8::try_from(i).ok()
    }
}

fn decode_fold(bytes: &'static [u8]) -> Result<Vec<(char, Fold)>> {
    let mut r = Reader::new(FILE, section(bytes, "FOLD")?, "FOLD");
    let n = r.count()?;
    let mut out = Vec::with_capacity(n);
    let mut cp = 0u32;
    for _ in 0..n {
        let v = r.u32()?;
        cp = cp
            .checked_add(v >> 1)
            .ok_or_else(|| r.bad("code point out of range"))?;
        let c = char::from_u32(cp).ok_or_else(|| r.bad("not a character"))?;
        let fold = if v & 1 == 1 {
            Fold::Same
        } else {
            Fold::To(r.str()?)
        };
        if out.last().is_some_and(|&(prev, _)| prev >= c) {
            return Err(r.bad("characters out of order"));
        }
        out.push((c, fold));
    }
    Ok(out)
}

fn decode(bytes: &'static [u8]) -> Result<Gazetteer> {
    let fold = decode_fold(bytes)?;

    let mut r = Reader::new(FILE, section(bytes, "CTRY")?, "CTRY");
    let n = r.count()?;
    if n > usize::from(u8::MAX) + 1 {
        return Err(r.bad("too many countries"));
    }
    let mut countries = Vec::with_capacity(n);
    for _ in 0..n {
        let code = r.take(3)?;
        if !code.iter().all(u8::is_ascii_uppercase) {
            return Err(r.bad("country code is not uppercase ASCII"));
        }
        let code = std::str::from_utf8(code).map_err(|_| r.bad("country code is not ASCII"))?;
        countries.push(code);
    }
    if countries.windows(2).any(|w| w[0] >= w[1]) {
        return Err(r.bad("country codes out of order"));
    }

    let mut r = Reader::new(FILE, section(bytes, "ADM1")?, "ADM1");
    let n = r.count()?;
    if n > usize::from(u16::MAX) - 1 {
        return Err(r.bad("too many divisions"));
    }
    let mut divisions = Vec::with_capacity(n);
    for _ in 0..n {
        let country = u8::try_from(r.varint()?)
            .ok()
            .filter(|&c| usize::from(c) < countries.len())
            .ok_or_else(|| r.bad("country index out of range"))?;
        divisions.push((country, r.str()?, r.str()?));
    }

    let plce = section(bytes, "PLCE")?;
    let mut r = Reader::new(FILE, plce, "PLCE");
    let total = r.count()?;
    let groups = r.count()?;
    let mut places = Vec::with_capacity(total);
    let mut country_ranges = vec![0..0; countries.len()];
    let mut seen = vec![false; countries.len()];
    let c = &mut r;
    for _ in 0..groups {
        let country = u8::try_from(c.varint()?)
            .ok()
            .filter(|&i| usize::from(i) < countries.len())
            .ok_or_else(|| c.bad("country index out of range"))?;
        let count = c.count()?;
        let first = u32::try_from(places.len()).map_err(|_| c.bad("too many places"))?;
        let end = u32::try_from(places.len() + count).map_err(|_| c.bad("too many places"))?;
        match (
            country_ranges.get_mut(usize::from(country)),
            seen.get_mut(usize::from(country)),
        ) {
            (Some(range), Some(seen)) if !*seen => {
                *range = first..end;
                *seen = true;
            }
            _ => return Err(c.bad("a country in two groups")),
        }
        for _ in 0..count {
            // Names are checked as UTF-8 where they are read ([`Gazetteer::name`]).
            let name = c.str_bytes()?;
            let name_len = u16::try_from(name.len()).map_err(|_| c.bad("name too long"))?;
            let name_at =
                u32::try_from(c.pos() - name.len()).map_err(|_| c.bad("section too long"))?;
            let division = u16::try_from(c.varint()?)
                .ok()
                .filter(|&d| usize::from(d) <= divisions.len())
                .ok_or_else(|| c.bad("division index out of range"))?;
            if division > 0
                && divisions
                    .get(usize::from(division) - 1)
                    .is_none_or(|d| d.0 != country)
            {
                return Err(c.bad("division of another country"));
            }
            let population = c.u32()?;
            let lat_e4 = c.zigzag_i32()?;
            let lon_e4 = c.zigzag_i32()?;
            if lat_e4.abs() > 900_000 || lon_e4.abs() > 1_800_000 {
                return Err(c.bad("coordinate out of range"));
            }
            let alts_at = u32::try_from(c.pos()).map_err(|_| c.bad("section too long"))?;
            let alt_count = u8::try_from(c.varint()?).map_err(|_| c.bad("too many names"))?;
            for _ in 0..alt_count {
                c.str_bytes()?;
            }
            places.push(Rec {
                name_at,
                name_len,
                alts_at,
                population,
                lat_e4,
                lon_e4,
                division,
                country,
                alt_count,
            });
        }
    }
    if places.len() != total {
        return Err(c.bad("place count does not match"));
    }
    let initials = (0..countries.len()).map(|_| OnceLock::new()).collect();
    Ok(Gazetteer {
        fold,
        countries,
        divisions,
        places,
        country_ranges,
        by_population: OnceLock::new(),
        plce,
        initials,
    })
}

static GAZETTEER: OnceLock<Result<Gazetteer>> = OnceLock::new();

/// The gazetteer, decoded on first use; `Err` only if the embedded file is damaged.
pub(super) fn gazetteer() -> std::result::Result<&'static Gazetteer, &'static PlacesDataError> {
    GAZETTEER.get_or_init(|| decode(PLACES_BIN)).as_ref()
}

/// Decodes the embedded file anew, without keeping it (for measuring the first use).
pub(super) fn decode_embedded() -> Result<Gazetteer> {
    decode(PLACES_BIN)
}

/// Decodes `bytes` as a gazetteer, for tests of damaged files.
#[cfg(test)]
pub(super) fn decode_bytes(bytes: &'static [u8]) -> Result<Gazetteer> {
    decode(bytes)
}

/// The size of the embedded file in bytes.
pub(super) fn embedded_len() -> usize {
    PLACES_BIN.len()
}

/// The embedded file, for tests of damaged copies.
#[cfg(test)]
pub(super) fn embedded() -> &'static [u8] {
    PLACES_BIN
}
