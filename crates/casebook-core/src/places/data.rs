//! Decoding of `assets/world/places.bin`, once, on first use.
//!
//! The layout is documented in `assets/tools/build_places.py`, which writes it. Names stay in
//! the embedded bytes (`&'static str` slices); only the numbers are decoded into records.
//! Nothing here panics on bad bytes; a damaged file gives a [`PlacesDataError`].

use std::sync::OnceLock;

/// The generated gazetteer, embedded in the binary.
static PLACES_BIN: &[u8] = include_bytes!("../../../../assets/world/places.bin");

const MAGIC: &[u8; 7] = b"CBPLACE";
const VERSION: u8 = 1;

/// The embedded gazetteer could not be read; a build-time problem, not a user-data one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlacesDataError {
    /// The file does not start with the expected magic bytes and version.
    #[error("assets/world/places.bin: not a Casebook gazetteer (version {VERSION} expected)")]
    BadHeader,
    /// A section the reader needs is absent.
    #[error("assets/world/places.bin: section {0} is missing")]
    MissingSection(&'static str),
    /// A section ends before its contents do.
    #[error("assets/world/places.bin: section {0} is truncated")]
    Truncated(&'static str),
    /// A section holds a value that cannot be right (an index out of range, bad UTF-8…).
    #[error("assets/world/places.bin: section {section}: {what}")]
    BadValue {
        /// The section's tag.
        section: &'static str,
        /// What was wrong.
        what: &'static str,
    },
}

type Result<T> = std::result::Result<T, PlacesDataError>;

/// A cursor over one section.
pub(super) struct Reader {
    bytes: &'static [u8],
    pos: usize,
    section: &'static str,
}

impl Reader {
    pub(super) fn new(bytes: &'static [u8], section: &'static str) -> Self {
        Self {
            bytes,
            pos: 0,
            section,
        }
    }

    pub(super) fn at(bytes: &'static [u8], pos: usize, section: &'static str) -> Self {
        Self {
            bytes,
            pos,
            section,
        }
    }

    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    fn bad(&self, what: &'static str) -> PlacesDataError {
        PlacesDataError::BadValue {
            section: self.section,
            what,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'static [u8]> {
        let bytes = self.bytes;
        let Some(out) = self
            .pos
            .checked_add(n)
            .and_then(|end| bytes.get(self.pos..end))
        else {
            return Err(PlacesDataError::Truncated(self.section));
        };
        self.pos += n;
        Ok(out)
    }

    #[inline]
    fn varint(&mut self) -> Result<u64> {
        if let Some(&b) = self.bytes.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        let mut out = 0u64;
        let mut shift = 0;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(PlacesDataError::Truncated(self.section));
            };
            self.pos += 1;
            out |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(out);
            }
            shift += 7;
            if shift > 63 {
                return Err(self.bad("varint too long"));
            }
        }
    }

    fn u32(&mut self) -> Result<u32> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| self.bad("number too large"))
    }

    #[inline]
    fn zigzag_i32(&mut self) -> Result<i32> {
        let v = self.varint()?;
        let n = ((v >> 1) as i64) ^ -((v & 1) as i64);
        i32::try_from(n).map_err(|_| self.bad("coordinate out of range"))
    }

    /// A count of items that each take at least one byte: never more than the bytes left,
    /// so a damaged count cannot ask for a huge allocation.
    fn count(&mut self) -> Result<usize> {
        let n = self.varint()?;
        let left = self.bytes.len().saturating_sub(self.pos);
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(PlacesDataError::Truncated(self.section)),
        }
    }

    fn u32_le(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(super) fn str(&mut self) -> Result<&'static str> {
        let n = self.count()?;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| self.bad("string is not UTF-8"))
    }
}

/// The section with this tag, from the file's directory.
fn section(bytes: &'static [u8], tag: &'static str) -> Result<&'static [u8]> {
    let mut r = Reader::new(bytes, "header");
    let magic = r
        .take(MAGIC.len())
        .map_err(|_| PlacesDataError::BadHeader)?;
    let version = r.take(1).map_err(|_| PlacesDataError::BadHeader)?;
    if magic != MAGIC || version != [VERSION] {
        return Err(PlacesDataError::BadHeader);
    }
    let n = r.u32_le().map_err(|_| PlacesDataError::BadHeader)?;
    for _ in 0..n {
        let t = r.take(4).map_err(|_| PlacesDataError::BadHeader)?;
        let offset = r.u32_le().map_err(|_| PlacesDataError::BadHeader)? as usize;
        let len = r.u32_le().map_err(|_| PlacesDataError::BadHeader)? as usize;
        if t == tag.as_bytes() {
            return offset
                .checked_add(len)
                .and_then(|end| bytes.get(offset..end))
                .ok_or(PlacesDataError::Truncated(tag));
        }
    }
    Err(PlacesDataError::MissingSection(tag))
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
    }

    /// The alternate names of a place, in the file's order.
    pub fn alternates(&self, rec: &Rec) -> impl Iterator<Item = &'static str> + use<> {
        let mut r = Reader::at(self.plce, rec.alts_at as usize, "PLCE");
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

    /// The index of a country code, if any place is in it.
    pub fn country_index(&self, iso3: &str) -> Option<u8> {
        let i = self.countries.binary_search(&iso3).ok()?;
        u8::try_from(i).ok()
    }
}

fn decode_fold(bytes: &'static [u8]) -> Result<Vec<(char, Fold)>> {
    let mut r = Reader::new(section(bytes, "FOLD")?, "FOLD");
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

    let mut r = Reader::new(section(bytes, "CTRY")?, "CTRY");
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

    let mut r = Reader::new(section(bytes, "ADM1")?, "ADM1");
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
    let mut r = Reader::new(plce, "PLCE");
    let total = r.count()?;
    let groups = r.count()?;
    let mut places = Vec::with_capacity(total);
    let mut country_ranges = vec![0..0; countries.len()];
    let mut seen = vec![false; countries.len()];
    for _ in 0..groups {
        let country = u8::try_from(r.varint()?)
            .ok()
            .filter(|&c| usize::from(c) < countries.len())
            .ok_or_else(|| r.bad("country index out of range"))?;
        let count = r.count()?;
        let first = u32::try_from(places.len()).map_err(|_| r.bad("too many places"))?;
        let end = u32::try_from(places.len() + count).map_err(|_| r.bad("too many places"))?;
        match (
            country_ranges.get_mut(usize::from(country)),
            seen.get_mut(usize::from(country)),
        ) {
            (Some(range), Some(seen)) if !*seen => {
                *range = first..end;
                *seen = true;
            }
            _ => return Err(r.bad("a country in two groups")),
        }
        for _ in 0..count {
            let name = r.str()?;
            let name_len = u16::try_from(name.len()).map_err(|_| r.bad("name too long"))?;
            let name_at =
                u32::try_from(r.pos() - name.len()).map_err(|_| r.bad("section too long"))?;
            let division = u16::try_from(r.varint()?)
                .ok()
                .filter(|&d| usize::from(d) <= divisions.len())
                .ok_or_else(|| r.bad("division index out of range"))?;
            if division > 0
                && divisions
                    .get(usize::from(division) - 1)
                    .is_none_or(|d| d.0 != country)
            {
                return Err(r.bad("division of another country"));
            }
            let population = r.u32()?;
            let lat_e4 = r.zigzag_i32()?;
            let lon_e4 = r.zigzag_i32()?;
            if lat_e4.abs() > 900_000 || lon_e4.abs() > 1_800_000 {
                return Err(r.bad("coordinate out of range"));
            }
            let alts_at = u32::try_from(r.pos()).map_err(|_| r.bad("section too long"))?;
            let alt_count = u8::try_from(r.varint()?).map_err(|_| r.bad("too many names"))?;
            for _ in 0..alt_count {
                r.str()?;
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
        return Err(r.bad("place count does not match"));
    }
    Ok(Gazetteer {
        fold,
        countries,
        divisions,
        places,
        country_ranges,
        by_population: OnceLock::new(),
        plce,
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
