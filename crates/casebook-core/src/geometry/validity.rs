//! Validity issues of polygons: what a map should mark and the problems panel should list.
//!
//! Each [`IssueKind`] has a stable code and a severity; issues carry the positions to mark.
//! The checks module turns them into diagnostics; this module only finds them.

use super::document::GeoDocument;
use super::inside::{Side, side_of};
use super::intersections::self_intersections;
use super::model::{LonLat, Polygon, distinct_count, ring_is_clockwise};

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The geometry is wrong and other tools may reject or misdraw it.
    Error,
    /// Worth fixing; saving fixes some of these by itself.
    Warning,
    /// For information (the writer normalizes it on save).
    Info,
}

/// The kinds of geometry issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueKind {
    /// A shape without any polygon (`"coordinates": []`).
    EmptyShape,
    /// A polygon without any ring.
    EmptyPolygon,
    /// A ring with fewer than 4 positions (3 once open).
    TooFewPositions,
    /// A ring with fewer than 3 distinct positions.
    TooFewDistinct,
    /// A ring whose last position did not repeat the first in the file (closed on save).
    RingNotClosed,
    /// Rings cross or touch themselves or each other.
    SelfIntersection,
    /// Longitude outside [-180, 180].
    LonOutOfRange,
    /// Latitude outside [-90, 90].
    LatOutOfRange,
    /// Latitudes beyond ±90 whose longitudes would be valid latitudes: probably `[lat, lon]`.
    SuspectedSwappedAxes,
    /// An exterior ring wound clockwise (RFC 7946 wants counter-clockwise; CB018's fix
    /// reverses it).
    ExteriorClockwise,
    /// A hole wound counter-clockwise (RFC 7946 wants clockwise; CB018's fix reverses it).
    HoleCounterClockwise,
}

impl IssueKind {
    /// A stable code for reports and tests, e.g. `geometry/self-intersection`.
    pub fn code(self) -> &'static str {
        match self {
            IssueKind::EmptyShape => "geometry/empty-shape",
            IssueKind::EmptyPolygon => "geometry/empty-polygon",
            IssueKind::TooFewPositions => "geometry/too-few-positions",
            IssueKind::TooFewDistinct => "geometry/too-few-distinct",
            IssueKind::RingNotClosed => "geometry/ring-not-closed",
            IssueKind::SelfIntersection => "geometry/self-intersection",
            IssueKind::LonOutOfRange => "geometry/lon-out-of-range",
            IssueKind::LatOutOfRange => "geometry/lat-out-of-range",
            IssueKind::SuspectedSwappedAxes => "geometry/swapped-axes",
            IssueKind::ExteriorClockwise => "geometry/exterior-clockwise",
            IssueKind::HoleCounterClockwise => "geometry/hole-counter-clockwise",
        }
    }

    /// How bad it is.
    pub fn severity(self) -> Severity {
        match self {
            IssueKind::EmptyShape | IssueKind::RingNotClosed => Severity::Warning,
            IssueKind::ExteriorClockwise | IssueKind::HoleCounterClockwise => Severity::Info,
            _ => Severity::Error,
        }
    }
}

/// One issue, with where it is and the positions to mark on a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// What kind of issue.
    pub kind: IssueKind,
    /// The shape (0 for [`check_polygons`] results).
    pub shape: usize,
    /// The polygon in the shape, when the issue is about one.
    pub polygon: Option<usize>,
    /// The ring in the polygon, when the issue is about one.
    pub ring: Option<usize>,
    /// Positions to mark (crossing points, out-of-range vertices...), at most
    /// [`MAX_MARKED_POINTS`].
    pub points: Vec<LonLat>,
    /// A sentence saying what is wrong and what to do.
    pub message: String,
}

/// The most positions an issue carries, so that a file of swapped axes does not flood the map.
pub const MAX_MARKED_POINTS: usize = 1000;

fn issue(
    kind: IssueKind,
    polygon: Option<usize>,
    ring: Option<usize>,
    mut points: Vec<LonLat>,
    message: String,
) -> Issue {
    points.truncate(MAX_MARKED_POINTS);
    Issue {
        kind,
        shape: 0,
        polygon,
        ring,
        points,
        message,
    }
}

fn ring_name(p: usize, r: usize) -> String {
    if r == 0 {
        format!("The exterior ring of polygon {}", p + 1)
    } else {
        format!("Hole {r} of polygon {}", p + 1)
    }
}

/// The issues of a set of polygons (one shape), sorted by polygon, ring and kind.
///
/// Self-intersection search is grid-based and fast on 1M vertices; see
/// [`self_intersections`](super::self_intersections).
pub fn check_polygons(polygons: &[Polygon]) -> Vec<Issue> {
    let mut out = Vec::new();
    for (p, polygon) in polygons.iter().enumerate() {
        check_polygon(p, polygon, &mut out);
    }
    out.sort_by_key(|i| (i.polygon, i.ring, i.kind));
    out
}

fn check_polygon(p: usize, polygon: &Polygon, out: &mut Vec<Issue>) {
    if polygon.rings.is_empty() {
        out.push(issue(
            IssueKind::EmptyPolygon,
            Some(p),
            None,
            Vec::new(),
            format!("Polygon {} has no ring; remove it.", p + 1),
        ));
        return;
    }
    let mut rings_ok = true;
    for (r, ring) in polygon.rings.iter().enumerate() {
        if ring.len() < 3 {
            rings_ok = false;
            out.push(issue(
                IssueKind::TooFewPositions,
                Some(p),
                Some(r),
                ring.clone(),
                format!(
                    "{} has {} position(s) (a ring needs at least 4, the last repeating the first).",
                    ring_name(p, r),
                    ring.len() + usize::from(!ring.is_empty())
                ),
            ));
        } else if distinct_count(ring) < 3 {
            rings_ok = false;
            out.push(issue(
                IssueKind::TooFewDistinct,
                Some(p),
                Some(r),
                ring.clone(),
                format!(
                    "{} has fewer than 3 distinct positions: it encloses no area.",
                    ring_name(p, r)
                ),
            ));
        } else {
            let clockwise = ring_is_clockwise(ring);
            if r == 0 && clockwise == Some(true) {
                out.push(issue(
                    IssueKind::ExteriorClockwise,
                    Some(p),
                    Some(r),
                    Vec::new(),
                    format!(
                        "{} is clockwise; RFC 7946 asks for counter-clockwise (reversing it fixes that).",
                        ring_name(p, r)
                    ),
                ));
            } else if r > 0 && clockwise == Some(false) {
                out.push(issue(
                    IssueKind::HoleCounterClockwise,
                    Some(p),
                    Some(r),
                    Vec::new(),
                    format!(
                        "{} is counter-clockwise; RFC 7946 asks for clockwise (reversing it fixes that).",
                        ring_name(p, r)
                    ),
                ));
            }
        }
    }
    check_ranges(p, polygon, out);
    if rings_ok {
        let crossings = self_intersections(polygon);
        if !crossings.is_empty() {
            let n = crossings.len();
            out.push(issue(
                IssueKind::SelfIntersection,
                Some(p),
                None,
                crossings,
                format!(
                    "Polygon {} crosses itself at {n} point{}; move the marked vertices apart.",
                    p + 1,
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
    }
}

/// Out-of-range coordinates, and the swapped-axes suspicion.
fn check_ranges(p: usize, polygon: &Polygon, out: &mut Vec<Issue>) {
    let bad_lon: Vec<LonLat> = polygon
        .vertices()
        .filter(|v| !(-180.0..=180.0).contains(&v.lon))
        .collect();
    let bad_lat: Vec<LonLat> = polygon
        .vertices()
        .filter(|v| !(-90.0..=90.0).contains(&v.lat))
        .collect();
    let swapped = !bad_lat.is_empty() && bad_lat.iter().all(|v| v.lon.abs() <= 90.0);
    if swapped {
        let n = bad_lat.len();
        out.push(issue(
            IssueKind::SuspectedSwappedAxes,
            Some(p),
            None,
            bad_lat,
            format!(
                "Polygon {} has {n} latitude(s) beyond ±90 whose longitudes would be valid latitudes: the file probably stores [lat, lon]; GeoJSON wants [lon, lat].",
                p + 1
            ),
        ));
    } else if !bad_lat.is_empty() {
        let n = bad_lat.len();
        out.push(issue(
            IssueKind::LatOutOfRange,
            Some(p),
            None,
            bad_lat,
            format!("Polygon {} has {n} latitude(s) outside -90..90.", p + 1),
        ));
    }
    if !bad_lon.is_empty() {
        let n = bad_lon.len();
        out.push(issue(
            IssueKind::LonOutOfRange,
            Some(p),
            None,
            bad_lon,
            format!("Polygon {} has {n} longitude(s) outside -180..180.", p + 1),
        ));
    }
}

impl GeoDocument {
    /// All geometry issues of the document, sorted by shape, polygon, ring and kind.
    ///
    /// Includes rings that were not closed in the file (while their shape is unedited).
    pub fn issues(&self) -> Vec<Issue> {
        self.issues_cache
            .get_or_init(|| self.compute_issues())
            .clone()
    }

    /// [`GeoDocument::issues`] without the cache.
    fn compute_issues(&self) -> Vec<Issue> {
        let mut out = Vec::new();
        for (s, shape) in self.shapes().iter().enumerate() {
            let mut issues = check_polygons(&shape.polygons);
            if shape.polygons.is_empty() {
                issues.push(issue(
                    IssueKind::EmptyShape,
                    None,
                    None,
                    Vec::new(),
                    format!("Shape {} has no polygon.", s + 1),
                ));
            }
            for &(p, r) in shape.unclosed_rings_as_read() {
                let first = shape
                    .polygons
                    .get(p)
                    .and_then(|poly| poly.rings.get(r))
                    .and_then(|ring| ring.first().copied());
                issues.push(issue(
                    IssueKind::RingNotClosed,
                    Some(p),
                    Some(r),
                    first.into_iter().collect(),
                    format!(
                        "{} is not closed (its last position does not repeat the first); it will be closed when saved.",
                        ring_name(p, r)
                    ),
                ));
            }
            for i in &mut issues {
                i.shape = s;
            }
            issues.sort_by_key(|i| (i.polygon, i.ring, i.kind));
            out.extend(issues);
        }
        out
    }
}

/// A ring edge that jumps more than 180° of longitude, i.e. a ring drawn across the
/// antimeridian (±180°) the long way round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AntimeridianCrossing {
    /// The polygon.
    pub polygon: usize,
    /// The ring in the polygon.
    pub ring: usize,
    /// The vertex before the jump.
    pub at: LonLat,
    /// Number of jumping edges in that ring.
    pub edges: usize,
}

/// The rings of `polygons` that cross the antimeridian: edges whose ends are more than 180°
/// of longitude apart. GeoJSON (RFC 7946 §3.1.9) asks for such shapes to be cut at ±180°
/// into a MultiPolygon; maps draw them as a band round the whole world.
pub fn antimeridian_crossings(polygons: &[Polygon]) -> Vec<AntimeridianCrossing> {
    let mut out = Vec::new();
    for (p, polygon) in polygons.iter().enumerate() {
        for (r, ring) in polygon.rings.iter().enumerate() {
            let n = ring.len();
            if n < 2 {
                continue;
            }
            let mut first = None;
            let mut edges = 0;
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if a.is_finite() && b.is_finite() && (a.lon - b.lon).abs() > 180.0 {
                    edges += 1;
                    first.get_or_insert(a);
                }
            }
            if let Some(at) = first {
                out.push(AntimeridianCrossing {
                    polygon: p,
                    ring: r,
                    at,
                    edges,
                });
            }
        }
    }
    out
}

/// The side of `ring` that a few vertices of `other` lie on: the first vertex not on the
/// outline decides (outlines that cross are self-intersections, reported by CB018).
fn ring_side(other: &[LonLat], ring: &[LonLat]) -> Side {
    let step = (other.len() / 3).max(1);
    for pt in other.iter().step_by(step).take(4) {
        match side_of(*pt, ring) {
            Side::Boundary => continue,
            side => return side,
        }
    }
    Side::Boundary
}

/// A hole that lies outside its polygon's exterior ring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoleOutside {
    /// The polygon.
    pub polygon: usize,
    /// The hole's ring index (1 = first hole).
    pub ring: usize,
    /// A vertex of the hole.
    pub at: LonLat,
}

/// Holes of `polygons` that lie outside their exterior ring (they cut nothing out; other
/// tools reject the polygon or fill the hole).
pub fn holes_outside(polygons: &[Polygon]) -> Vec<HoleOutside> {
    let mut out = Vec::new();
    for (p, polygon) in polygons.iter().enumerate() {
        let Some(exterior) = polygon.rings.first() else {
            continue;
        };
        if exterior.len() < 3 || !polygon.is_sane() {
            continue;
        }
        let Some(ext_box) = super::model::BoundingBox::of_points(exterior.iter().copied()) else {
            continue;
        };
        for (r, hole) in polygon.rings.iter().enumerate().skip(1) {
            let Some(&at) = hole.first() else { continue };
            if hole.len() < 3 {
                continue;
            }
            let outside_box = hole.iter().any(|v| {
                v.lon < ext_box.min.lon
                    || v.lon > ext_box.max.lon
                    || v.lat < ext_box.min.lat
                    || v.lat > ext_box.max.lat
            });
            if outside_box || ring_side(hole, exterior) == Side::Outside {
                out.push(HoleOutside {
                    polygon: p,
                    ring: r,
                    at,
                });
            }
        }
    }
    out
}

/// Two parts of a MultiPolygon that overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartsOverlap {
    /// The first part (polygon index).
    pub a: usize,
    /// The second part.
    pub b: usize,
    /// A point where they meet or overlap.
    pub at: LonLat,
}

/// Pairs of `polygons` (the parts of one MultiPolygon) whose areas overlap: their outlines
/// cross or run along each other, or one lies inside the other. GeoJSON readers count such
/// an area twice or not at all.
pub fn overlapping_parts(polygons: &[Polygon]) -> Vec<PartsOverlap> {
    let boxes: Vec<Option<super::model::BoundingBox>> = polygons
        .iter()
        .map(|p| {
            let ext = p.rings.first()?;
            if ext.len() < 3 || !p.is_sane() {
                return None;
            }
            super::model::BoundingBox::of_points(ext.iter().copied())
        })
        .collect();
    // Sweep by west edge: only parts whose boxes meet are compared.
    let mut order: Vec<usize> = (0..polygons.len())
        .filter(|&i| boxes[i].is_some())
        .collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (boxes[i].map(|b| b.min.lon), boxes[j].map(|b| b.min.lon));
        a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        let Some(bi) = boxes[i] else { continue };
        for &j in &order[k + 1..] {
            let Some(bj) = boxes[j] else { continue };
            if bj.min.lon > bi.max.lon {
                break;
            }
            if bj.min.lat > bi.max.lat || bj.max.lat < bi.min.lat {
                continue;
            }
            let (a, b) = (i.min(j), i.max(j));
            if let Some(at) = parts_overlap(&polygons[a], &polygons[b]) {
                out.push(PartsOverlap { a, b, at });
            }
        }
    }
    out.sort_by_key(|o| (o.a, o.b));
    out
}

/// Where two polygons overlap, if they do.
fn parts_overlap(a: &Polygon, b: &Polygon) -> Option<LonLat> {
    let (ea, eb) = (a.rings.first()?, b.rings.first()?);
    // Outlines crossing: crossings of the pair beyond each one's own.
    let pair = Polygon {
        rings: vec![ea.clone(), eb.clone()],
    };
    let both = self_intersections(&pair);
    if !both.is_empty() {
        let own_a = self_intersections(&Polygon::from_exterior(ea.clone()));
        let own_b = self_intersections(&Polygon::from_exterior(eb.clone()));
        if let Some(p) = both
            .iter()
            .find(|p| !own_a.contains(p) && !own_b.contains(p))
        {
            return Some(*p);
        }
    }
    // One inside the other (and not in one of its holes).
    let inside = |inner: &[LonLat], outer: &Polygon| {
        let ext = outer.rings.first()?;
        if ring_side(inner, ext) != Side::Inside {
            return None;
        }
        let in_hole = outer
            .rings
            .iter()
            .skip(1)
            .any(|h| h.len() >= 3 && ring_side(inner, h) == Side::Inside);
        (!in_hole).then(|| inner.first().copied()).flatten()
    };
    inside(eb, a).or_else(|| inside(ea, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[(f64, f64)]) -> Vec<LonLat> {
        points.iter().map(|&(x, y)| LonLat::new(x, y)).collect()
    }

    fn kinds(issues: &[Issue]) -> Vec<IssueKind> {
        issues.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn clean_polygon_has_no_issue() {
        let p = Polygon::from_exterior(ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]));
        assert!(check_polygons(&[p]).is_empty());
    }

    #[test]
    fn small_and_degenerate_rings() {
        let p = Polygon {
            rings: vec![
                ring(&[(0.0, 0.0), (1.0, 0.0)]),
                ring(&[(0.0, 0.0), (1.0, 0.0), (0.0, 0.0), (1.0, 0.0)]),
            ],
        };
        let issues = check_polygons(&[p, Polygon::default()]);
        assert_eq!(
            kinds(&issues),
            vec![
                IssueKind::TooFewPositions,
                IssueKind::TooFewDistinct,
                IssueKind::EmptyPolygon
            ]
        );
        assert!(
            issues[0].message.contains("3 position"),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn winding_is_info() {
        let p = Polygon {
            rings: vec![
                ring(&[(0.0, 0.0), (0.0, 4.0), (4.0, 4.0), (4.0, 0.0)]),
                ring(&[(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)]),
            ],
        };
        let issues = check_polygons(&[p]);
        assert_eq!(
            kinds(&issues),
            vec![
                IssueKind::ExteriorClockwise,
                IssueKind::HoleCounterClockwise
            ]
        );
        assert!(issues.iter().all(|i| i.kind.severity() == Severity::Info));
    }

    #[test]
    fn swapped_axes_and_ranges() {
        // New York written as [lat, lon].
        let swapped = Polygon::from_exterior(ring(&[(40.7, -74.0), (40.8, -74.0), (40.8, -73.9)]));
        let issues = check_polygons(&[swapped]);
        assert!(issues.is_empty(), "lat 74 is in range: not detectable");
        let swapped =
            Polygon::from_exterior(ring(&[(-33.8, 151.2), (-33.9, 151.3), (-33.9, 151.2)]));
        let issues = check_polygons(&[swapped]);
        assert_eq!(kinds(&issues), vec![IssueKind::SuspectedSwappedAxes]);
        assert_eq!(issues[0].points.len(), 3);
        let wild = Polygon::from_exterior(ring(&[(200.0, 95.0), (201.0, 95.0), (201.0, 96.0)]));
        let issues = check_polygons(&[wild]);
        assert_eq!(
            kinds(&issues),
            vec![IssueKind::LonOutOfRange, IssueKind::LatOutOfRange]
        );
        assert_eq!(issues[0].kind.code(), "geometry/lon-out-of-range");
    }

    #[test]
    fn self_intersection_marks_points() {
        let bowtie =
            Polygon::from_exterior(ring(&[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]));
        let issues = check_polygons(&[bowtie]);
        let Some(i) = issues
            .iter()
            .find(|i| i.kind == IssueKind::SelfIntersection)
        else {
            panic!("no self-intersection in {issues:?}");
        };
        assert_eq!(i.points, vec![LonLat::new(0.5, 0.5)]);
        assert_eq!(i.kind.severity(), Severity::Error);
    }

    #[test]
    fn document_issues_include_unclosed_rings() -> Result<(), Box<dyn std::error::Error>> {
        let doc = GeoDocument::parse(
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
              {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[]}},
              {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]}"#,
        )?;
        let issues = doc.issues();
        let got: Vec<(usize, IssueKind)> = issues.iter().map(|i| (i.shape, i.kind)).collect();
        assert_eq!(
            got,
            vec![(1, IssueKind::EmptyShape), (2, IssueKind::RingNotClosed)]
        );
        Ok(())
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn ring(points: &[(f64, f64)]) -> Vec<LonLat> {
        points.iter().map(|&(x, y)| LonLat::new(x, y)).collect()
    }

    fn square(x: f64, y: f64, size: f64) -> Vec<LonLat> {
        ring(&[(x, y), (x + size, y), (x + size, y + size), (x, y + size)])
    }

    #[test]
    fn antimeridian_rings_are_found() {
        let fiji = Polygon::from_exterior(ring(&[
            (179.5, -17.0),
            (-179.5, -17.0),
            (-179.5, -16.0),
            (179.5, -16.0),
        ]));
        let found = antimeridian_crossings(&[fiji]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].edges, 2);
        assert_eq!(found[0].at, LonLat::new(179.5, -17.0));
        assert!(
            antimeridian_crossings(&[Polygon::from_exterior(square(170.0, 0.0, 9.0))]).is_empty()
        );
    }

    #[test]
    fn holes_outside_are_found() {
        let inside = Polygon {
            rings: vec![square(0.0, 0.0, 4.0), square(1.0, 1.0, 1.0)],
        };
        assert!(holes_outside(&[inside]).is_empty());
        let outside = Polygon {
            rings: vec![square(0.0, 0.0, 4.0), square(10.0, 10.0, 1.0)],
        };
        assert_eq!(holes_outside(&[outside]).len(), 1);
        // Inside the box but outside an L-shaped exterior.
        let l_shape = ring(&[
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 1.0),
            (1.0, 1.0),
            (1.0, 4.0),
            (0.0, 4.0),
        ]);
        let odd = Polygon {
            rings: vec![l_shape, square(2.0, 2.0, 1.0)],
        };
        let found = holes_outside(&[odd]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].ring, 1);
    }

    #[test]
    fn overlapping_parts_are_found() {
        let a = Polygon::from_exterior(square(0.0, 0.0, 4.0));
        let crossing = Polygon::from_exterior(square(2.0, 2.0, 4.0));
        let inner = Polygon::from_exterior(square(1.0, 1.0, 1.0));
        let apart = Polygon::from_exterior(square(10.0, 0.0, 1.0));
        let found = overlapping_parts(&[a.clone(), crossing, apart.clone()]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].a, found[0].b), (0, 1));
        assert_eq!(
            overlapping_parts(&[apart.clone(), inner.clone(), a.clone()]).len(),
            1
        );
        // An island inside a hole of the other part does not overlap it.
        let with_hole = Polygon {
            rings: vec![square(0.0, 0.0, 4.0), square(1.0, 1.0, 2.0)],
        };
        let island = Polygon::from_exterior(square(1.5, 1.5, 1.0));
        assert!(overlapping_parts(&[with_hole, island, apart]).is_empty());
    }
}
