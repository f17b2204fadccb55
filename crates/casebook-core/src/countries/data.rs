//! Decoding of `assets/world/world.bin`, once, on first use.
//!
//! The layout is documented in `assets/tools/build_world.py`, which writes it. The country
//! table and each level of detail are separate sections, decoded lazily and independently:
//! looking up a code never pays for 1:10m geometry. Nothing here panics on bad bytes; a
//! damaged file gives a [`WorldDataError`] and empty data.

use std::ops::Range;
use std::sync::OnceLock;

use crate::bindata::{DataError, DataFile, Reader, Result};

use super::{Country, Detail};

/// The generated data file, embedded in the binary.
static WORLD_BIN: &[u8] = include_bytes!("../../../../assets/world/world.bin");

const MAGIC: &[u8; 7] = b"CBWORLD";
const VERSION: u8 = 1;

/// The embedded data could not be read: a build-time problem, not a user-data one.
pub type WorldDataError = DataError;

const FILE: &str = "assets/world/world.bin";

/// The section with this tag of `bytes` (the embedded file, or a damaged copy in tests).
fn section(bytes: &'static [u8], tag: &'static str) -> Result<&'static [u8]> {
    DataFile::new(FILE, MAGIC, VERSION, bytes).section(tag)
}

// ------------------------------------------------------------------------------ country table

/// The decoded country table, in name order, with an index by alpha-3 code.
pub(super) struct Table {
    pub countries: Vec<Country>,
    /// (iso3, index into `countries`), sorted by code.
    by_iso3: Vec<(&'static str, usize)>,
}

impl Table {
    pub fn index_of(&self, iso3: &str) -> Option<usize> {
        self.by_iso3
            .binary_search_by(|(code, _)| (*code).cmp(iso3))
            .ok()
            .and_then(|i| self.by_iso3.get(i))
            .map(|&(_, index)| index)
    }
}

pub(super) fn decode_table(bytes: &'static [u8]) -> Result<Table> {
    let mut r = Reader::new(FILE, section(bytes, "CTRY")?, "CTRY");
    let n = r.count()?;
    let mut countries = Vec::with_capacity(n);
    for index in 0..n {
        let iso2 = r.upper_ascii(2)?;
        let iso3 = r.upper_ascii(3)?;
        let numeric = u16::try_from(r.varint()?).map_err(|_| r.bad("numeric code too large"))?;
        let name = r.str()?;
        let alt_names = (0..r.count()?)
            .map(|_| r.str())
            .collect::<Result<Vec<_>>>()?;
        let alt_codes = (0..r.count()?)
            .map(|_| r.str())
            .collect::<Result<Vec<_>>>()?;
        let flags = r.u8()?;
        let (label_point, bbox) = if flags & 1 == 1 {
            let label = ((r.zigzag()? as f64 / 1e6), (r.zigzag()? as f64 / 1e6));
            let bbox = [
                (r.zigzag()? as f64 / 1e6),
                (r.zigzag()? as f64 / 1e6),
                (r.zigzag()? as f64 / 1e6),
                (r.zigzag()? as f64 / 1e6),
            ];
            (Some(label), Some(bbox))
        } else {
            (None, None)
        };
        countries.push(Country {
            iso2,
            iso3,
            numeric,
            name,
            alt_names,
            alt_codes,
            label_point,
            bbox,
            index,
        });
    }
    let mut by_iso3: Vec<_> = countries.iter().map(|c| (c.iso3, c.index)).collect();
    by_iso3.sort_unstable();
    if by_iso3.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(r.bad("duplicate alpha-3 code"));
    }
    Ok(Table { countries, by_iso3 })
}

static TABLE: OnceLock<std::result::Result<Table, WorldDataError>> = OnceLock::new();

/// The country table, decoded on first use; `Err` only if the embedded file is damaged.
pub(super) fn table() -> std::result::Result<&'static Table, &'static WorldDataError> {
    TABLE.get_or_init(|| decode_table(WORLD_BIN)).as_ref()
}

// ------------------------------------------------------------------------------ geometry

/// A run of points in a level's point buffer, with its bounding box.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub start: u32,
    pub end: u32,
    /// (min_lon, min_lat, max_lon, max_lat).
    pub bbox: [f32; 4],
}

impl Run {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A polygon: `rings[first..first + count]`, exterior first, then holes.
#[derive(Debug, Clone, Copy)]
pub(super) struct PolygonRec {
    pub first_ring: u32,
    pub ring_count: u32,
    pub bbox: [f32; 4],
}

/// Polygons with their rings' points, each ring contiguous.
#[derive(Debug, Default)]
pub(super) struct Shapes {
    /// `[lon, lat]` in degrees.
    pub ring_points: Vec<[f32; 2]>,
    pub rings: Vec<Run>,
    pub polygons: Vec<PolygonRec>,
}

/// One decoded level of detail.
///
/// The arcs and borders are decoded at once; each country's polygons only when the country
/// is first asked for (a check looks at one or two countries, not the world): decoding
/// walks the countries' arc references once, to check them and to note where each
/// country's polygons start and the box they cover.
#[derive(Debug, Default)]
pub(super) struct Level {
    /// The TopoJSON arcs' points, `[lon, lat]` in degrees; border lines are runs of it.
    pub arc_points: Vec<[f32; 2]>,
    arcs: Vec<Range<usize>>,
    /// The level's section and tag, for assembling polygons on demand.
    section: &'static [u8],
    tag: &'static str,
    /// Per country index: where its polygon list starts in the section (`None`: none).
    country_at: Vec<Option<usize>>,
    /// Per country index: its polygons, assembled on first use.
    country_shapes: Vec<OnceLock<Result<Shapes>>>,
    /// Per country index: the union of its polygons' boxes (no wrapping at 180°).
    pub country_bbox: Vec<[f32; 4]>,
    /// The borders: arcs shared by two countries.
    pub borders: Vec<Run>,
    /// Where the land polygons start in the level's section: they are assembled
    /// on first use, as only drawing needs them.
    land_at: Option<usize>,
    land: OnceLock<Result<Shapes>>,
}

static NO_SHAPES: Shapes = Shapes {
    ring_points: Vec::new(),
    rings: Vec::new(),
    polygons: Vec::new(),
};

impl Level {
    /// A country's polygons (by its index in the table), assembled on first use; `None`
    /// when it has none at this level.
    pub fn country(&self, index: usize) -> Option<&Shapes> {
        self.country_checked(index)?.ok()
    }

    /// The polygons whose references start at `at` in the level's section, built from its
    /// arcs.
    fn assemble(&self, at: usize) -> std::result::Result<Shapes, WorldDataError> {
        let mut r = Reader::at(FILE, self.section, at, self.tag);
        let mut b = ShapeBuilder {
            arc_points: &self.arc_points,
            arcs: &self.arcs,
            shapes: Shapes::default(),
        };
        b.polygons(&mut r)?;
        Ok(b.shapes)
    }

    /// [`Level::country`], with the error when its polygons cannot be assembled.
    pub fn country_checked(
        &self,
        index: usize,
    ) -> Option<std::result::Result<&Shapes, &WorldDataError>> {
        let at = (*self.country_at.get(index)?)?;
        let slot = self.country_shapes.get(index)?;
        Some(slot.get_or_init(|| self.assemble(at)).as_ref())
    }

    /// How many countries' polygons have been assembled so far.
    #[cfg(test)]
    pub fn assembled(&self) -> usize {
        self.country_shapes
            .iter()
            .filter(|s| s.get().is_some())
            .count()
    }

    /// How many country slots the level has (the table's length).
    pub fn country_count(&self) -> usize {
        self.country_at.len()
    }

    /// The land polygons, assembled on first use.
    pub fn land_checked(&self) -> std::result::Result<&Shapes, &WorldDataError> {
        self.land
            .get_or_init(|| {
                self.land_at
                    .map_or(Ok(Shapes::default()), |at| self.assemble(at))
            })
            .as_ref()
    }

    /// The land polygons; none if they cannot be read (see [`super::verify_data`]).
    pub fn land(&self) -> &Shapes {
        self.land_checked().unwrap_or(&NO_SHAPES)
    }
}

const EMPTY_BBOX: [f32; 4] = [
    f32::INFINITY,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::NEG_INFINITY,
];

fn bbox_of(points: &[[f32; 2]]) -> [f32; 4] {
    points.iter().fold(EMPTY_BBOX, |b, p| {
        [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ]
    })
}

fn bbox_union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

fn u32_len(n: usize, r: &Reader) -> Result<u32> {
    u32::try_from(n).map_err(|_| r.bad("too many points"))
}

/// Assembles polygons from arc references.
struct ShapeBuilder<'a> {
    arc_points: &'a [[f32; 2]],
    arcs: &'a [Range<usize>],
    shapes: Shapes,
}

/// No level repeats its arcs' points more than a few times; a damaged file could ask for
/// far more (a million references to the longest arc), so stop well before that.
fn max_ring_points(arc_points: usize) -> usize {
    arc_points.saturating_mul(4).saturating_add(1 << 16)
}

impl ShapeBuilder<'_> {
    /// Reads one ring's arc references and appends its points.
    fn ring(&mut self, r: &mut Reader) -> Result<Run> {
        let points = &mut self.shapes.ring_points;
        let start = points.len();
        let refs = r.count()?;
        for k in 0..refs {
            let arc_ref = r.zigzag()?;
            let (index, reversed) = if arc_ref >= 0 {
                (arc_ref, false)
            } else {
                (!arc_ref, true)
            };
            let Some(range) = usize::try_from(index).ok().and_then(|i| self.arcs.get(i)) else {
                return Err(r.bad("arc index out of range"));
            };
            let Some(arc) = self.arc_points.get(range.clone()) else {
                return Err(r.bad("arc range out of range"));
            };
            // Each arc after the first repeats the previous arc's last point.
            let skip = usize::from(k > 0);
            if reversed {
                points.extend(arc.iter().rev().skip(skip));
            } else {
                points.extend_from_slice(arc.get(skip..).unwrap_or_default());
            }
            if points.len() > max_ring_points(self.arc_points.len()) {
                return Err(r.bad("too many ring points"));
            }
        }
        // Rings are stored closed implicitly: drop the repeated first point.
        if points.len() > start + 1 && points.get(start) == points.last() {
            points.pop();
        }
        let end = points.len();
        Ok(Run {
            start: u32_len(start, r)?,
            end: u32_len(end, r)?,
            bbox: bbox_of(points.get(start..end).unwrap_or_default()),
        })
    }

    /// Reads a list of polygons and returns their range in `polygons`.
    fn polygons(&mut self, r: &mut Reader) -> Result<Range<u32>> {
        let first = u32_len(self.shapes.polygons.len(), r)?;
        for _ in 0..r.count()? {
            let first_ring = u32_len(self.shapes.rings.len(), r)?;
            let ring_count = r.count()?;
            if ring_count == 0 {
                return Err(r.bad("polygon without rings"));
            }
            let mut bbox = EMPTY_BBOX;
            for k in 0..ring_count {
                let ring = self.ring(r)?;
                if k == 0 {
                    bbox = ring.bbox;
                }
                self.shapes.rings.push(ring);
            }
            self.shapes.polygons.push(PolygonRec {
                first_ring,
                ring_count: u32_len(ring_count, r)?,
                bbox,
            });
        }
        Ok(first..u32_len(self.shapes.polygons.len(), r)?)
    }

    /// Skips a list of polygons.
    fn skip_polygons(r: &mut Reader) -> Result<()> {
        for _ in 0..r.count()? {
            for _ in 0..r.count()? {
                for _ in 0..r.count()? {
                    r.zigzag()?;
                }
            }
        }
        Ok(())
    }

    /// Walks a list of polygons without assembling them: checks what [`Self::polygons`]
    /// checks (rings, arc references, ring sizes) and returns the union of the exteriors'
    /// boxes, from the arcs' boxes (a ring's points are its arcs' points).
    fn scan_polygons(
        r: &mut Reader,
        arcs: &[Range<usize>],
        arc_bbox: &[[f32; 4]],
        arc_points: usize,
    ) -> Result<[f32; 4]> {
        let mut bbox = EMPTY_BBOX;
        for _ in 0..r.count()? {
            let ring_count = r.count()?;
            if ring_count == 0 {
                return Err(r.bad("polygon without rings"));
            }
            for k in 0..ring_count {
                let mut points = 0usize;
                for _ in 0..r.count()? {
                    let arc_ref = r.zigzag()?;
                    let index = if arc_ref >= 0 { arc_ref } else { !arc_ref };
                    let Some(i) = usize::try_from(index).ok().filter(|&i| i < arcs.len()) else {
                        return Err(r.bad("arc index out of range"));
                    };
                    let (Some(range), Some(&b)) = (arcs.get(i), arc_bbox.get(i)) else {
                        return Err(r.bad("arc index out of range"));
                    };
                    points = points.saturating_add(range.len());
                    if points > max_ring_points(arc_points) {
                        return Err(r.bad("too many ring points"));
                    }
                    if k == 0 {
                        bbox = bbox_union(bbox, b);
                    }
                }
            }
        }
        Ok(bbox)
    }
}

/// Decodes one level section (see the generator for the layout); land is left for
/// [`Level::land`].
pub(super) fn decode_level(
    bytes: &'static [u8],
    tag: &'static str,
    countries: usize,
) -> Result<Level> {
    let section_bytes = section(bytes, tag)?;
    let mut r = Reader::new(FILE, section_bytes, tag);
    let (sx, sy, tx, ty) = (r.f64_le()?, r.f64_le()?, r.f64_le()?, r.f64_le()?);
    if ![sx, sy, tx, ty].iter().all(|v| v.is_finite()) {
        return Err(r.bad("transform is not finite"));
    }

    // Arcs: delta-encoded quantized points, the cursor running on across arcs.
    let arc_count = r.count()?;
    let mut arcs = Vec::with_capacity(arc_count);
    let mut arc_bbox = Vec::with_capacity(arc_count);
    let mut arc_points: Vec<[f32; 2]> = Vec::with_capacity(r.section_len() / 3);
    let (mut x, mut y) = (0i64, 0i64);
    for _ in 0..arc_count {
        let n = r.count()?;
        let start = arc_points.len();
        for _ in 0..n {
            x = x.wrapping_add(r.zigzag()?);
            y = y.wrapping_add(r.zigzag()?);
            let lon = x as f64 * sx + tx;
            let lat = (y as f64 * sy + ty).clamp(-90.0, 90.0);
            arc_points.push([lon as f32, lat as f32]);
        }
        arcs.push(start..arc_points.len());
        arc_bbox.push(bbox_of(arc_points.get(start..).unwrap_or_default()));
    }

    // Countries: noted and checked here, assembled on first use (see [`Level::country`]).
    let mut country_at = vec![None; countries];
    let mut country_bbox = vec![EMPTY_BBOX; countries];
    for _ in 0..r.count()? {
        let index = usize::try_from(r.varint()?).map_err(|_| r.bad("country index"))?;
        let (Some(at), Some(bbox)) = (country_at.get_mut(index), country_bbox.get_mut(index))
        else {
            return Err(r.bad("country index out of range"));
        };
        *at = Some(r.pos());
        *bbox = ShapeBuilder::scan_polygons(&mut r, &arcs, &arc_bbox, arc_points.len())?;
    }
    let land_at = Some(r.pos());
    ShapeBuilder::skip_polygons(&mut r)?;

    let border_count = r.count()?;
    let mut arc_index = 0usize;
    let mut borders = Vec::with_capacity(border_count);
    for _ in 0..border_count {
        let delta = usize::try_from(r.varint()?).map_err(|_| r.bad("border arc index"))?;
        arc_index = arc_index
            .checked_add(delta)
            .ok_or_else(|| r.bad("border arc index"))?;
        let (Some(range), Some(&bbox)) = (arcs.get(arc_index), arc_bbox.get(arc_index)) else {
            return Err(r.bad("border arc index out of range"));
        };
        borders.push(Run {
            start: u32_len(range.start, &r)?,
            end: u32_len(range.end, &r)?,
            bbox,
        });
    }
    Ok(Level {
        arc_points,
        arcs,
        section: section_bytes,
        tag,
        country_at,
        country_shapes: (0..countries).map(|_| OnceLock::new()).collect(),
        country_bbox,
        borders,
        land_at,
        land: OnceLock::new(),
    })
}

static LEVELS: [OnceLock<std::result::Result<Level, WorldDataError>>; 3] =
    [OnceLock::new(), OnceLock::new(), OnceLock::new()];

pub(super) fn level_tag(detail: Detail) -> &'static str {
    match detail {
        Detail::Low => "L110",
        Detail::Medium => "L050",
        Detail::High => "L010",
    }
}

/// One level of detail, decoded on first use.
pub(super) fn level(
    detail: Detail,
) -> std::result::Result<&'static Level, &'static WorldDataError> {
    let slot = match detail {
        Detail::Low => &LEVELS[0],
        Detail::Medium => &LEVELS[1],
        Detail::High => &LEVELS[2],
    };
    slot.get_or_init(|| {
        let countries = table().map_err(Clone::clone)?.countries.len();
        decode_level(WORLD_BIN, level_tag(detail), countries)
    })
    .as_ref()
}

/// The embedded file's bytes, for tests that time a fresh decode.
#[cfg(test)]
pub(super) fn world_bin() -> &'static [u8] {
    WORLD_BIN
}

/// Every country's polygons of a level assembled in one pass over the file, as the level
/// was decoded before countries became lazy: `(shapes, per country index its range of
/// polygons)`. For tests that compare it with [`Level::country`].
#[cfg(test)]
pub(super) fn countries_in_one_pass(
    bytes: &'static [u8],
    tag: &'static str,
    level: &Level,
) -> Result<(Shapes, Vec<Range<u32>>)> {
    let mut r = Reader::new(FILE, section(bytes, tag)?, tag);
    for _ in 0..4 {
        r.f64_le()?;
    }
    for _ in 0..r.count()? {
        for _ in 0..r.count()? {
            r.zigzag()?;
            r.zigzag()?;
        }
    }
    let mut b = ShapeBuilder {
        arc_points: &level.arc_points,
        arcs: &level.arcs,
        shapes: Shapes::default(),
    };
    let mut ranges = vec![0..0; level.country_count()];
    for _ in 0..r.count()? {
        let index = usize::try_from(r.varint()?).map_err(|_| r.bad("country index"))?;
        let range = b.polygons(&mut r)?;
        if let Some(slot) = ranges.get_mut(index) {
            *slot = range;
        }
    }
    Ok((b.shapes, ranges))
}
