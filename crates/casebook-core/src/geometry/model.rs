//! The editable model: [`LonLat`] positions, open [`Ring`]s and [`Polygon`]s, and addresses into them.
//!
//! The model is deliberately plain (vectors of `f64` pairs) so that edits, undo and analysis stay
//! simple and cheap; it is converted to `geo` types only where an algorithm needs them.

/// One position in degrees, longitude first (the GeoJSON order on disk).
///
/// Named fields instead of a tuple so that `lat, lon` mix-ups (the front matter's centroid is
/// `[lat, lon]`) are visible in code.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LonLat {
    /// Longitude in degrees (east positive).
    pub lon: f64,
    /// Latitude in degrees (north positive).
    pub lat: f64,
}

impl LonLat {
    /// A position from longitude and latitude in degrees.
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }

    /// The position with both axes rounded to 6 decimals (about 0.1 m).
    ///
    /// Edited positions are stored rounded so that written files stay short and readable; values
    /// too large to round (beyond ±1e300) are returned unchanged rather than becoming infinite.
    pub fn rounded6(self) -> Self {
        Self {
            lon: round6(self.lon),
            lat: round6(self.lat),
        }
    }

    /// Whether both axes are finite numbers.
    pub fn is_finite(self) -> bool {
        self.lon.is_finite() && self.lat.is_finite()
    }

    /// Whether both axes are finite and within ±[`SANE_LIMIT`] degrees.
    ///
    /// `geo` algorithms overflow (and some assert) on values like `1e300`; files can hold them,
    /// so algorithms skip such geometry instead of feeding it to `geo`.
    pub fn is_sane(self) -> bool {
        self.lon.abs() <= SANE_LIMIT && self.lat.abs() <= SANE_LIMIT
    }

    /// Whether longitude is within [-180, 180] and latitude within [-90, 90].
    pub fn is_in_range(self) -> bool {
        (-180.0..=180.0).contains(&self.lon) && (-90.0..=90.0).contains(&self.lat)
    }

    /// The position as a `geo` coordinate (x = lon, y = lat).
    pub fn to_coord(self) -> geo::Coord<f64> {
        geo::Coord {
            x: self.lon,
            y: self.lat,
        }
    }

    /// The position from a `geo` coordinate (x = lon, y = lat).
    pub fn from_coord(c: geo::Coord<f64>) -> Self {
        Self::new(c.x, c.y)
    }

    /// Whether two positions are the same bit for bit (so `-0.0` differs from `0.0`).
    ///
    /// Used where "unchanged" must mean exactly unchanged, like the closing position of a ring.
    pub(crate) fn same_bits(self, other: LonLat) -> bool {
        self.lon.to_bits() == other.lon.to_bits() && self.lat.to_bits() == other.lat.to_bits()
    }
}

/// The largest coordinate magnitude (degrees) that analysis algorithms accept; far beyond any
/// real position, small enough that products of coordinates cannot overflow.
pub const SANE_LIMIT: f64 = 1e6;

/// Rounds to 6 decimals, leaving values whose scaling would overflow as they are.
fn round6(x: f64) -> f64 {
    let scaled = x * 1e6;
    if !scaled.is_finite() {
        return x;
    }
    let r = scaled.round() / 1e6;
    // Keep the sign of zero out of written files: `-0.0` would print as `-0.0`.
    if r == 0.0 { 0.0 } else { r }
}

/// A ring of positions, stored OPEN: the closing position (equal to the first) is not repeated.
///
/// Keeping rings open means every vertex has one index, so moving vertex 0 cannot leave a ring
/// "unclosed"; the writer adds the closing position.
pub type Ring = Vec<LonLat>;

/// A polygon: `rings[0]` is the exterior ring, the others are holes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Polygon {
    /// Exterior ring first, then holes; each ring is open (see [`Ring`]).
    pub rings: Vec<Ring>,
}

impl Polygon {
    /// A polygon with the given exterior ring and no holes.
    pub fn from_exterior(exterior: Ring) -> Self {
        Self {
            rings: vec![exterior],
        }
    }

    /// The exterior ring, if the polygon has one.
    pub fn exterior(&self) -> Option<&Ring> {
        self.rings.first()
    }

    /// The holes (every ring after the first).
    pub fn holes(&self) -> &[Ring] {
        self.rings.get(1..).unwrap_or(&[])
    }

    /// The number of stored vertices over all rings (closing positions are not counted).
    pub fn vertex_count(&self) -> usize {
        self.rings.iter().map(Vec::len).sum()
    }

    /// Whether every vertex is [sane](LonLat::is_sane) (finite, not astronomically large).
    pub fn is_sane(&self) -> bool {
        self.vertices().all(LonLat::is_sane)
    }

    /// Every vertex of every ring, exterior first.
    pub fn vertices(&self) -> impl Iterator<Item = LonLat> + '_ {
        self.rings.iter().flatten().copied()
    }

    /// The polygon as a `geo` polygon (rings closed by `geo`).
    pub fn to_geo(&self) -> geo::Polygon<f64> {
        let mut rings = self.rings.iter().map(|ring| ring_to_geo(ring));
        let exterior = rings
            .next()
            .unwrap_or_else(|| geo::LineString::new(Vec::new()));
        geo::Polygon::new(exterior, rings.collect())
    }

    /// A polygon from a `geo` polygon (closing positions dropped).
    pub fn from_geo(polygon: &geo::Polygon<f64>) -> Self {
        let mut rings = Vec::with_capacity(1 + polygon.interiors().len());
        rings.push(ring_from_geo(polygon.exterior()));
        rings.extend(polygon.interiors().iter().map(ring_from_geo));
        Self { rings }
    }

    /// The polygon with every position rounded to 6 decimals.
    pub fn rounded6(&self) -> Self {
        Self {
            rings: self
                .rings
                .iter()
                .map(|ring| ring.iter().map(|p| p.rounded6()).collect())
                .collect(),
        }
    }
}

/// A ring as a closed `geo` line string.
pub(crate) fn ring_to_geo(ring: &[LonLat]) -> geo::LineString<f64> {
    let mut coords: Vec<geo::Coord<f64>> = Vec::with_capacity(ring.len() + 1);
    coords.extend(ring.iter().map(|p| p.to_coord()));
    if let Some(first) = coords.first().copied() {
        coords.push(first);
    }
    geo::LineString::new(coords)
}

/// A ring from a `geo` line string, dropping its closing position.
pub(crate) fn ring_from_geo(line: &geo::LineString<f64>) -> Ring {
    let mut ring: Ring = line.0.iter().map(|c| LonLat::from_coord(*c)).collect();
    open_ring(&mut ring);
    ring
}

/// Drops the closing position of a ring if it repeats the first; returns whether it did.
///
/// A ring of one position is left alone (it is degenerate either way and keeps its position).
pub(crate) fn open_ring(ring: &mut Ring) -> bool {
    if ring.len() >= 2
        && let (Some(first), Some(last)) = (ring.first(), ring.last())
        && first.same_bits(*last)
    {
        ring.pop();
        return true;
    }
    false
}

/// Twice the signed planar area of an open ring in degrees² (shoelace); positive when
/// counter-clockwise.
///
/// Computed relative to the first vertex so that large longitudes do not cost precision.
pub fn ring_signed_area2(ring: &[LonLat]) -> f64 {
    let Some(origin) = ring.first().copied() else {
        return 0.0;
    };
    let n = ring.len();
    let mut sum = 0.0;
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        let (ax, ay) = (a.lon - origin.lon, a.lat - origin.lat);
        let (bx, by) = (b.lon - origin.lon, b.lat - origin.lat);
        sum += ax * by - bx * ay;
    }
    sum
}

/// Whether an open ring turns clockwise (negative signed area); `None` when it has no area.
pub fn ring_is_clockwise(ring: &[LonLat]) -> Option<bool> {
    let a = ring_signed_area2(ring);
    if a.is_nan() || a == 0.0 {
        None
    } else {
        Some(a < 0.0)
    }
}

/// The number of distinct positions in a ring (by exact value).
pub fn distinct_count(ring: &[LonLat]) -> usize {
    let mut keys: Vec<(u64, u64)> = ring
        .iter()
        .map(|p| (canonical_bits(p.lon), canonical_bits(p.lat)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// Whether a ring has at least `n` distinct positions, stopping early (cheap for big rings).
pub(crate) fn has_distinct(ring: &[LonLat], n: usize) -> bool {
    let mut seen: Vec<LonLat> = Vec::with_capacity(n);
    for p in ring {
        if !seen.iter().any(|s| s == p) {
            seen.push(*p);
            if seen.len() >= n {
                return true;
            }
        }
    }
    seen.len() >= n
}

/// Bits of a float with `-0.0` folded into `0.0`, for equality-by-value keys.
fn canonical_bits(x: f64) -> u64 {
    if x == 0.0 { 0 } else { x.to_bits() }
}

/// A key equal for positions of equal value (`-0` and `0` alike), for matching positions of a
/// file's text with the model.
pub(crate) fn position_key(p: LonLat) -> (u64, u64) {
    (canonical_bits(p.lon), canonical_bits(p.lat))
}

/// A key equal for rings of equal positions (by value), for matching rings of a file's text
/// with the model.
pub(crate) fn ring_key(ring: &[LonLat]) -> u64 {
    let mut f = Fingerprint::new();
    f.add(ring.len() as u64);
    for p in ring {
        let (lon, lat) = position_key(*p);
        f.add(lon);
        f.add(lat);
    }
    f.finish()
}

/// Reverses a ring's direction in place, keeping its first vertex first (the exact reverse of
/// the closed ring as written: `[a, b, c, a]` becomes `[a, c, b, a]`).
pub(crate) fn reverse_ring(ring: &mut Ring) {
    if ring.len() > 2 {
        ring[1..].reverse();
    }
}

/// Winds a ring clockwise or counter-clockwise (by [`reverse_ring`]); rings without area are
/// left alone.
pub(crate) fn wind_ring(ring: &mut Ring, clockwise: bool) {
    if ring_is_clockwise(ring) == Some(!clockwise) {
        reverse_ring(ring);
    }
}

/// An axis-aligned bounding box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// South-west corner (smallest lon and lat).
    pub min: LonLat,
    /// North-east corner (largest lon and lat).
    pub max: LonLat,
}

impl BoundingBox {
    /// The box around a set of positions, `None` when there are none.
    pub fn of_points(points: impl IntoIterator<Item = LonLat>) -> Option<Self> {
        let mut bbox: Option<BoundingBox> = None;
        for p in points {
            bbox = Some(match bbox {
                None => BoundingBox { min: p, max: p },
                Some(b) => b.including(p),
            });
        }
        bbox
    }

    /// The box grown to include `p`.
    pub fn including(self, p: LonLat) -> Self {
        Self {
            min: LonLat::new(self.min.lon.min(p.lon), self.min.lat.min(p.lat)),
            max: LonLat::new(self.max.lon.max(p.lon), self.max.lat.max(p.lat)),
        }
    }

    /// The smallest box holding both boxes.
    pub fn union(self, other: Self) -> Self {
        self.including(other.min).including(other.max)
    }

    /// The union of two optional boxes.
    pub(crate) fn merge(a: Option<Self>, b: Option<Self>) -> Option<Self> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.union(b)),
            (a, None) => a,
            (None, b) => b,
        }
    }

    /// The center of the box.
    pub fn center(self) -> LonLat {
        LonLat::new(
            (self.min.lon + self.max.lon) / 2.0,
            (self.min.lat + self.max.lat) / 2.0,
        )
    }
}

/// The address of one ring: shape index, polygon index in the shape, ring index in the polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RingRef {
    /// Index into [`super::GeoDocument::shapes`].
    pub shape: usize,
    /// Index into [`super::Shape::polygons`].
    pub polygon: usize,
    /// Index into [`Polygon::rings`] (0 = exterior).
    pub ring: usize,
}

impl RingRef {
    /// A ring address.
    pub const fn new(shape: usize, polygon: usize, ring: usize) -> Self {
        Self {
            shape,
            polygon,
            ring,
        }
    }

    /// The address of vertex `vertex` of this ring.
    pub const fn vertex(self, vertex: usize) -> VertexRef {
        VertexRef {
            shape: self.shape,
            polygon: self.polygon,
            ring: self.ring,
            vertex,
        }
    }
}

/// The address of one vertex: shape, polygon, ring and vertex index (rings are open, so every
/// vertex has exactly one index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VertexRef {
    /// Index into [`super::GeoDocument::shapes`].
    pub shape: usize,
    /// Index into [`super::Shape::polygons`].
    pub polygon: usize,
    /// Index into [`Polygon::rings`] (0 = exterior).
    pub ring: usize,
    /// Index into the ring.
    pub vertex: usize,
}

impl VertexRef {
    /// A vertex address.
    pub const fn new(shape: usize, polygon: usize, ring: usize, vertex: usize) -> Self {
        Self {
            shape,
            polygon,
            ring,
            vertex,
        }
    }

    /// The ring this vertex belongs to.
    pub const fn ring_ref(self) -> RingRef {
        RingRef {
            shape: self.shape,
            polygon: self.polygon,
            ring: self.ring,
        }
    }
}

/// A fast, non-cryptographic fingerprint of polygons, to tell "back to as read" after undo.
///
/// FxHash-style mixing: every step is a bijection of the state, so changing a single value
/// always changes the result; unrelated multi-value changes collide with probability ~2⁻⁶⁴.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fingerprint(u64);

impl Fingerprint {
    const SEED: u64 = 0xcbf2_9ce4_8422_2325;
    const K: u64 = 0x517c_c1b7_2722_0a95;

    pub(crate) fn new() -> Self {
        Self(Self::SEED)
    }

    pub(crate) fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(Self::K);
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }

    /// The fingerprint of one polygon (ring structure and exact coordinate bits): its ring
    /// count, and per ring its length and the fingerprints of its [`FINGERPRINT_CHUNK`]s
    /// ([`Self::of_chunk`]). Kept per chunk, it is brought up to date after one vertex moved
    /// by hashing that vertex's chunk again ([`Self::of_chunks`]), not the whole polygon.
    pub(crate) fn of_polygon(polygon: &Polygon) -> u64 {
        let chunks = Self::chunks_of_polygon(polygon);
        Self::of_chunks(polygon, &chunks)
    }

    /// The fingerprints of every chunk of every ring of `polygon`.
    pub(crate) fn chunks_of_polygon(polygon: &Polygon) -> Vec<Vec<u64>> {
        polygon
            .rings
            .iter()
            .map(|r| r.chunks(FINGERPRINT_CHUNK).map(Self::of_chunk).collect())
            .collect()
    }

    /// [`Self::of_polygon`] from the fingerprints of its rings' chunks.
    pub(crate) fn of_chunks(polygon: &Polygon, chunks: &[Vec<u64>]) -> u64 {
        let mut f = Self::new();
        f.add(polygon.rings.len() as u64);
        for (ring, keys) in polygon.rings.iter().zip(chunks) {
            f.add(ring.len() as u64);
            for k in keys {
                f.add(*k);
            }
        }
        f.finish()
    }

    /// The fingerprint of a run of positions (every coordinate's bits, in order). Four
    /// independent chains (longitudes and latitudes of even and of odd vertices) run side by
    /// side, folded in at the end: every step is still a bijection, so one changed value
    /// still changes the result.
    pub(crate) fn of_chunk(part: &[LonLat]) -> u64 {
        let mut f = Self::new();
        f.add(part.len() as u64);
        let mut lanes = [
            Self::new(),
            Self(Self::K),
            Self(!Self::SEED),
            Self(!Self::K),
        ];
        let mut pairs = part.chunks_exact(2);
        for pair in &mut pairs {
            lanes[0].add(pair[0].lon.to_bits());
            lanes[1].add(pair[0].lat.to_bits());
            lanes[2].add(pair[1].lon.to_bits());
            lanes[3].add(pair[1].lat.to_bits());
        }
        for p in pairs.remainder() {
            lanes[0].add(p.lon.to_bits());
            lanes[1].add(p.lat.to_bits());
        }
        for lane in lanes {
            f.add(lane.finish());
        }
        // Never 0, so that 0 can stand for "not computed" in caches.
        f.finish().max(1)
    }
}

/// The fingerprint of a run of positions (every coordinate's bits, in order; never 0), as
/// kept per [`FINGERPRINT_CHUNK`] of every ring of a document
/// ([`super::Shape::ring_chunk_fingerprints`]).
pub fn chunk_fingerprint(part: &[LonLat]) -> u64 {
    Fingerprint::of_chunk(part)
}

/// Vertices per chunk of a ring for fingerprints: an edit of one vertex hashes its chunk
/// again, and caches of the ring (the map's projection) compare chunk fingerprints to find
/// what changed without reading the vertices.
pub const FINGERPRINT_CHUNK: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Ring {
        vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(1.0, 0.0),
            LonLat::new(1.0, 1.0),
            LonLat::new(0.0, 1.0),
        ]
    }

    #[test]
    fn rounding_is_six_decimals_and_safe() {
        let p = LonLat::new(-73.123_456_789, 45.000_000_49).rounded6();
        assert_eq!(p, LonLat::new(-73.123_457, 45.0));
        assert_eq!(
            LonLat::new(1e305, -1e305).rounded6(),
            LonLat::new(1e305, -1e305)
        );
        assert_eq!(
            LonLat::new(-0.000_000_1, 0.0).rounded6().lon.to_bits(),
            0.0f64.to_bits()
        );
        assert!(LonLat::new(f64::NAN, 0.0).rounded6().lon.is_nan());
    }

    #[test]
    fn orientation_of_open_rings() {
        let ring = square();
        assert_eq!(ring_signed_area2(&ring), 2.0);
        assert_eq!(ring_is_clockwise(&ring), Some(false));
        let rev: Ring = ring.iter().rev().copied().collect();
        assert_eq!(ring_is_clockwise(&rev), Some(true));
        assert_eq!(ring_is_clockwise(&ring[..2]), None);
        assert_eq!(ring_is_clockwise(&[]), None);
    }

    #[test]
    fn distinct_counts() {
        let mut ring = square();
        ring.push(LonLat::new(0.0, 0.0));
        ring.push(LonLat::new(-0.0, 0.0));
        assert_eq!(distinct_count(&ring), 4);
        assert!(has_distinct(&ring, 3));
        assert!(!has_distinct(&ring[..2], 3));
    }

    #[test]
    fn open_ring_drops_only_one_closing_position() {
        let mut ring = square();
        ring.push(ring[0]);
        assert!(open_ring(&mut ring));
        assert_eq!(ring, square());
        assert!(!open_ring(&mut ring));
        let mut single = vec![LonLat::new(1.0, 1.0)];
        assert!(!open_ring(&mut single));
        assert_eq!(single.len(), 1);
    }

    #[test]
    fn geo_conversion_round_trips() {
        let polygon = Polygon {
            rings: vec![
                square(),
                vec![
                    LonLat::new(0.2, 0.2),
                    LonLat::new(0.2, 0.4),
                    LonLat::new(0.4, 0.2),
                ],
            ],
        };
        let g = polygon.to_geo();
        assert_eq!(g.exterior().0.len(), 5);
        assert_eq!(Polygon::from_geo(&g), polygon);
        assert_eq!(Polygon::default().to_geo().exterior().0.len(), 0);
    }

    #[test]
    fn bbox_and_fingerprint() -> Result<(), Box<dyn std::error::Error>> {
        let bbox = BoundingBox::of_points(square()).ok_or("no bbox")?;
        assert_eq!(bbox.min, LonLat::new(0.0, 0.0));
        assert_eq!(bbox.max, LonLat::new(1.0, 1.0));
        assert_eq!(bbox.center(), LonLat::new(0.5, 0.5));
        assert!(BoundingBox::of_points([]).is_none());
        let a = Polygon::from_exterior(square());
        let mut b = a.clone();
        assert_eq!(Fingerprint::of_polygon(&a), Fingerprint::of_polygon(&b));
        b.rings[0][2].lat = 1.000_000_1;
        assert_ne!(Fingerprint::of_polygon(&a), Fingerprint::of_polygon(&b));
        Ok(())
    }
}
