//! Offline country data: the ISO 3166-1 table, country outlines, land and borders.
//!
//! Everything comes from one embedded file, `assets/world/world.bin`, written by
//! `assets/tools/build_world.py` from Natural Earth (public domain, via the `world-atlas`
//! npm package) and the `i18n-iso-countries` code and name table (see
//! `assets/world/README.md`). Each part is decoded on first use and kept for the life of the
//! process, so lookups need no I/O and never fail at run time.
//!
//! - The **table** has every ISO 3166-1 code (249, plus Kosovo's user-assigned `XK`/`XKK`)
//!   with English names, common alternatives ("UK", "USA", "Korea") and, where Natural Earth
//!   draws the country, a label point and a bounding box.
//! - **Outlines** come at three [`Detail`] levels. Point queries ([`contains`],
//!   [`country_at`], [`distance_km`]) use the finest, 1:10m, whose grid is about 400 m
//!   east–west: points within a few hundred metres of a coast or border can land on either
//!   side, which is why [`distance_km`] exists.
//!
//! Coordinates are `(lon, lat)` in degrees, as in GeoJSON. Longitudes outside -180..=180
//! are wrapped. Natural Earth cuts shapes at 180°, so outlines never cross it (Russia and
//! Fiji come in parts); [`bbox`] is the exception and wraps like RFC 7946 boxes do.
//!
//! Limits, honestly: Natural Earth shows de facto boundaries; its separately drawn areas
//! are joined to the ISO country they belong to (Somaliland to Somalia, Northern Cyprus to
//! Cyprus, Baikonur to Kazakhstan), overseas parts drawn with France, Norway, the
//! Netherlands, New Zealand and Australia are given their own ISO codes (Réunion, Svalbard…),
//! and a few areas belong to no code (Akrotiri and Dhekelia, Siachen Glacier, the Spratly
//! Islands and other disputed reefs). The Holy See is smaller than the 1:10m grid and has no
//! outline.

mod data;
mod geo;
mod search;
#[cfg(test)]
mod tests;

pub use data::WorldDataError;
pub use geo::{WorldLine, WorldPolygon, WorldPolygons, WorldRing};

/// One ISO 3166-1 country or territory.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, uppercase: `"ES"`.
    pub iso2: &'static str,
    /// ISO 3166-1 alpha-3 code, uppercase: `"ESP"`.
    pub iso3: &'static str,
    /// ISO 3166-1 numeric code: `724`.
    pub numeric: u16,
    /// English name: `"Spain"`, `"United States of America"`.
    pub name: &'static str,
    /// Other English names and abbreviations: `["UK", "Great Britain", …]`.
    pub alt_names: Vec<&'static str>,
    /// Other codes people write for it: EU (`"EL"`), IOC (`"GER"`), `"UK"`, `"UAE"`.
    pub alt_codes: Vec<&'static str>,
    /// `(lon, lat)` well inside the largest polygon, for drawing the name; `None` without
    /// an outline.
    pub label_point: Option<(f64, f64)>,
    /// `[west, south, east, north]`; `west > east` when the box crosses 180° (Russia, Fiji,
    /// the United States with the Aleutians). `None` without an outline.
    pub bbox: Option<[f64; 4]>,
    /// Position in [`all`], which is also the index into each level's geometry.
    index: usize,
}

impl Country {
    /// Whether Natural Earth draws this country (at 1:10m).
    pub fn has_boundary(&self) -> bool {
        self.bbox.is_some()
    }

    /// The country's polygons at a level of detail; `None` when there are none at that
    /// level (small islands are missing from the coarser ones).
    pub fn polygons(&self, detail: Detail) -> Option<WorldPolygons<'static>> {
        let shapes = data::level(detail).ok()?.country(self.index)?;
        let n = u32::try_from(shapes.polygons.len()).ok()?;
        (n > 0).then(|| WorldPolygons::new(shapes, 0..n))
    }

    /// Whether the point is inside the country; `None` without an outline. See [`contains`].
    pub fn contains(&self, lon: f64, lat: f64) -> Option<bool> {
        let polygons = self.polygons(Detail::High)?;
        let Some((lon, lat)) = geo::normalize(lon, lat) else {
            return Some(false);
        };
        let inside = |lon| polygons.contains(lon, lat);
        Some(inside(lon) || geo::other_edge(lon).is_some_and(inside))
    }

    /// Approximate km from the point to the country; 0 inside. See [`distance_km`].
    pub fn distance_km(&self, lon: f64, lat: f64) -> Option<f64> {
        let polygons = self.polygons(Detail::High)?;
        let (lon, lat) = geo::normalize(lon, lat)?;
        polygons.distance_km(lon, lat)
    }
}

/// A level of detail of the outlines: Natural Earth's three scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detail {
    /// 1:110m: about 10 000 points in all; the whole world on one screen. Lacks small
    /// countries (Singapore, most islands).
    Low,
    /// 1:50m: about 100 000 points; continents and large countries.
    Medium,
    /// 1:10m: about 480 000 points; regions and cities. Used for point queries.
    High,
}

impl Detail {
    /// Every level, coarsest first.
    pub const ALL: [Detail; 3] = [Detail::Low, Detail::Medium, Detail::High];

    /// Natural Earth's name for the scale: `"110m"`, `"50m"`, `"10m"`.
    pub fn scale(self) -> &'static str {
        match self {
            Detail::Low => "110m",
            Detail::Medium => "50m",
            Detail::High => "10m",
        }
    }

    /// The level to draw when one screen pixel spans this many degrees of longitude.
    ///
    /// A map scale of 1:110 000 000 is about 0.28° per pixel; each level is used down to
    /// a few times its nominal scale before the next takes over.
    pub fn for_degrees_per_pixel(degrees_per_pixel: f64) -> Detail {
        if degrees_per_pixel >= 0.25 {
            Detail::Low
        } else if degrees_per_pixel >= 0.04 {
            Detail::Medium
        } else {
            Detail::High
        }
    }
}

/// Every country in the table, in English name order (accents ignored). Empty only if the
/// embedded data is damaged (see [`verify_data`]).
pub fn all() -> &'static [Country] {
    match data::table() {
        Ok(table) => &table.countries,
        Err(_) => &[],
    }
}

/// The country with this ISO alpha-3 code: exact and case-sensitive (`"ESP"`, not `"esp"`).
/// Use [`suggest`] for anything looser.
pub fn by_iso3(code: &str) -> Option<&'static Country> {
    let table = data::table().ok()?;
    table.countries.get(table.index_of(code)?)
}

/// The country with this ISO alpha-2 code: exact and case-sensitive (`"ES"`).
pub fn by_iso2(code: &str) -> Option<&'static Country> {
    all().iter().find(|c| c.iso2 == code)
}

/// The best guess for a value that should have been an alpha-3 code.
///
/// Tries, in order: a code in any case or spacing (`" chn "`, `"usa"`, `"ES"`, `"HK"`, `"724"`),
/// a common alternative code (`"UK"`, `"GER"`), an exact name or alternative name (`"Spain"`,
/// `"Korea"`), a match that beats every other (`"Hong"`), a near miss in spelling
/// (`"Germny"`), and then each part of `"Hong Kong, China"`. `None` when nothing stands out
/// (`"United"`).
pub fn suggest(input: &str) -> Option<&'static Country> {
    search::suggest(input)
}

/// Countries matching what was typed into a picker, best first, at most `limit`.
///
/// Matches codes, names and alternative names, ignoring case and accents: exact codes,
/// then exact names, then names that start with the query, codes that start with it, names
/// with a word that starts with it, and names that contain it. An empty query lists the
/// first `limit` countries by name.
pub fn search(query: &str, limit: usize) -> Vec<&'static Country> {
    search::search(query, limit)
}

/// Whether `(lon, lat)` is inside the country with this alpha-3 code; `None` when the code
/// is unknown or has no outline. A non-finite point or `|lat| > 90` is inside nothing.
pub fn contains(iso3: &str, lon: f64, lat: f64) -> Option<bool> {
    by_iso3(iso3)?.contains(lon, lat)
}

/// Approximate great-circle distance in km from `(lon, lat)` to the country's nearest
/// boundary point, 0 inside; `None` when the code is unknown, has no outline, or the point
/// is not a valid coordinate.
///
/// Good to a fraction of a km near the country, which is what checks need ("a coastal
/// point 2 km offshore"); far away it is an approximation.
pub fn distance_km(iso3: &str, lon: f64, lat: f64) -> Option<f64> {
    by_iso3(iso3)?.distance_km(lon, lat)
}

/// The country whose outline contains `(lon, lat)`; `None` at sea, in unassigned areas, or
/// for an invalid point.
pub fn country_at(lon: f64, lat: f64) -> Option<&'static Country> {
    let (lon, lat) = geo::normalize(lon, lat)?;
    let level = data::level(Detail::High).ok()?;
    let find = |lon: f64| {
        all().iter().find(|c| {
            // The box first: only the countries around the point are assembled.
            level
                .country_bbox
                .get(c.index)
                .is_some_and(|&bbox| geo::bbox_contains(bbox, lon, lat))
                && c.polygons(Detail::High)
                    .is_some_and(|polygons| polygons.contains(lon, lat))
        })
    };
    find(lon).or_else(|| geo::other_edge(lon).and_then(find))
}

/// The country's `[west, south, east, north]`; `west > east` when it crosses 180°.
pub fn bbox(iso3: &str) -> Option<[f64; 4]> {
    by_iso3(iso3)?.bbox
}

/// `(lon, lat)` for drawing the country's name: well inside its largest polygon.
pub fn label_point(iso3: &str) -> Option<(f64, f64)> {
    by_iso3(iso3)?.label_point
}

/// The country's polygons at a level of detail; `None` for an unknown code or when it has
/// none at that level.
pub fn polygons(iso3: &str, detail: Detail) -> Option<WorldPolygons<'static>> {
    by_iso3(iso3)?.polygons(detail)
}

/// All land (countries merged, coastlines only) at a level of detail, for filling a basemap.
///
/// Assembled on first use, apart from the country outlines that point queries need.
pub fn land(detail: Detail) -> WorldPolygons<'static> {
    let shapes = data::level(detail).unwrap_or_else(|_| empty_level()).land();
    WorldPolygons::new(shapes, 0..u32::try_from(shapes.polygons.len()).unwrap_or(0))
}

/// The borders between countries (not coastlines) at a level of detail, for stroking over
/// [`land`].
pub fn borders(detail: Detail) -> impl Iterator<Item = WorldLine<'static>> {
    geo::lines(data::level(detail).unwrap_or_else(|_| empty_level()))
}

fn empty_level() -> &'static data::Level {
    static EMPTY: std::sync::OnceLock<data::Level> = std::sync::OnceLock::new();
    EMPTY.get_or_init(data::Level::default)
}

/// Decodes every part of the embedded data now (every country's polygons too), reporting
/// the first problem.
///
/// Lookups decode lazily and degrade to "nothing found" on damaged data; call this at start
/// (on a background thread, to have the 1:10m outlines ready) or in a test to know.
pub fn verify_data() -> Result<(), WorldDataError> {
    data::table().map_err(Clone::clone)?;
    for detail in Detail::ALL {
        let level = data::level(detail).map_err(Clone::clone)?;
        for index in 0..level.country_count() {
            if let Some(shapes) = level.country_checked(index) {
                shapes.map_err(Clone::clone)?;
            }
        }
        level.land_checked().map_err(Clone::clone)?;
    }
    Ok(())
}
