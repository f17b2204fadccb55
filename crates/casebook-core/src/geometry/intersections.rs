//! Fast self-intersection search for one polygon: a uniform grid over its segments.
//!
//! Boundaries have 50k–1M vertices, so testing all segment pairs (O(n²)) is out. Each segment is
//! registered in the grid cells it passes through (about n cells in total, stored flat), and only
//! segments sharing a cell are tested, with `geo`'s robust segment intersection. Typical
//! boundaries cost O(n); a pathological polygon with many long segments crossing the same cells
//! degrades towards O(n²) but never fails.

use std::collections::HashSet;

use geo::{Line, LineIntersection, line_intersection::line_intersection};

use super::model::{LonLat, Polygon};

/// One segment of a ring, between consecutive distinct vertices.
#[derive(Debug, Clone, Copy)]
struct Segment {
    ring: u32,
    /// Index of the segment in its ring.
    index: u32,
    /// Number of segments in its ring (for adjacency: first and last are neighbors).
    ring_len: u32,
    a: LonLat,
    b: LonLat,
}

impl Segment {
    fn line(&self) -> Line<f64> {
        Line::new(self.a.to_coord(), self.b.to_coord())
    }

    fn adjacent(&self, other: &Segment) -> bool {
        if self.ring != other.ring {
            return false;
        }
        let (i, j) = (self.index.min(other.index), self.index.max(other.index));
        j - i == 1 || (i == 0 && j + 1 == self.ring_len)
    }
}

/// The segments of a polygon's rings, skipping repeated consecutive vertices and rings with
/// fewer than 3 distinct consecutive vertices (reported as too small elsewhere).
fn segments(polygon: &Polygon) -> Vec<Segment> {
    let mut out = Vec::with_capacity(polygon.vertex_count());
    for (r, ring) in polygon.rings.iter().enumerate() {
        let mut verts: Vec<LonLat> = Vec::with_capacity(ring.len());
        for p in ring {
            if verts.last() != Some(p) {
                verts.push(*p);
            }
        }
        while verts.len() > 1 && verts.first() == verts.last() {
            verts.pop();
        }
        if verts.len() < 3 {
            continue;
        }
        let n = verts.len();
        for i in 0..n {
            out.push(Segment {
                ring: r as u32,
                index: i as u32,
                ring_len: n as u32,
                a: verts[i],
                b: verts[(i + 1) % n],
            });
        }
    }
    out
}

/// The grid: cell `(cx, cy)` holds segment indices `items[starts[c]..starts[c + 1]]`.
struct Grid {
    min: LonLat,
    cell_w: f64,
    cell_h: f64,
    nx: usize,
    ny: usize,
}

impl Grid {
    fn new(segs: &[Segment]) -> Option<Grid> {
        let mut min = LonLat::new(f64::INFINITY, f64::INFINITY);
        let mut max = LonLat::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
        for s in segs {
            for p in [s.a, s.b] {
                min = LonLat::new(min.lon.min(p.lon), min.lat.min(p.lat));
                max = LonLat::new(max.lon.max(p.lon), max.lat.max(p.lat));
            }
        }
        if !(min.is_finite() && max.is_finite()) {
            return None;
        }
        let w = (max.lon - min.lon).max(f64::MIN_POSITIVE);
        let h = (max.lat - min.lat).max(f64::MIN_POSITIVE);
        // About one cell per segment, shaped like the polygon's box.
        let n = segs.len().max(1) as f64;
        let nx = ((n * w / h).sqrt().ceil()).clamp(1.0, 4096.0) as usize;
        let ny = ((n / nx as f64).ceil()).clamp(1.0, 4096.0) as usize;
        // Pad a little so points on the far edge fall inside the last cell.
        Some(Grid {
            min,
            cell_w: w * (1.0 + 1e-9) / nx as f64,
            cell_h: h * (1.0 + 1e-9) / ny as f64,
            nx,
            ny,
        })
    }

    /// Cell index range along one axis for a coordinate range, padded by a hair so that
    /// intersections on a cell border are seen from both sides.
    fn span(lo: f64, hi: f64, origin: f64, size: f64, n: usize) -> (usize, usize) {
        let pad = 1e-7;
        let a = ((lo - origin) / size - pad).floor().max(0.0) as usize;
        let b = ((hi - origin) / size + pad).floor().max(0.0) as usize;
        (a.min(n - 1), b.min(n - 1))
    }

    /// Calls `f(cell)` for every cell the segment passes through (column by column, the rows
    /// the segment spans within that column).
    fn cover(&self, s: &Segment, f: &mut impl FnMut(usize)) {
        let (x0, x1) = (s.a.lon.min(s.b.lon), s.a.lon.max(s.b.lon));
        let (cx0, cx1) = Self::span(x0, x1, self.min.lon, self.cell_w, self.nx);
        let dx = s.b.lon - s.a.lon;
        for cx in cx0..=cx1 {
            let (y0, y1) = if dx == 0.0 || cx0 == cx1 {
                (s.a.lat.min(s.b.lat), s.a.lat.max(s.b.lat))
            } else {
                let sx0 = (self.min.lon + cx as f64 * self.cell_w).max(x0);
                let sx1 = (self.min.lon + (cx + 1) as f64 * self.cell_w).min(x1);
                let t0 = ((sx0 - s.a.lon) / dx).clamp(0.0, 1.0);
                let t1 = ((sx1 - s.a.lon) / dx).clamp(0.0, 1.0);
                let ya = s.a.lat + t0 * (s.b.lat - s.a.lat);
                let yb = s.a.lat + t1 * (s.b.lat - s.a.lat);
                (ya.min(yb), ya.max(yb))
            };
            let (cy0, cy1) = Self::span(y0, y1, self.min.lat, self.cell_h, self.ny);
            for cy in cy0..=cy1 {
                f(cy * self.nx + cx);
            }
        }
    }
}

/// Where the rings of a polygon cross or touch themselves or each other, sorted, without
/// duplicates.
///
/// Within one ring any contact between non-neighbor segments counts (a ring may not touch
/// itself), and neighbor segments count when they overlap (a spike). Between different rings
/// only proper crossings and overlapping edges count: a hole touching the exterior at a single
/// point is allowed.
///
/// Polygons with coordinates beyond ±[`SANE_LIMIT`](super::model::SANE_LIMIT) are skipped (they
/// are reported as out of range, and would overflow the predicates).
pub fn self_intersections(polygon: &Polygon) -> Vec<LonLat> {
    if !polygon.is_sane() {
        return Vec::new();
    }
    let segs = segments(polygon);
    if segs.len() < 2 {
        return Vec::new();
    }
    let Some(grid) = Grid::new(&segs) else {
        return Vec::new();
    };
    // Flat cell lists: count, prefix sums, fill.
    let cells = grid.nx * grid.ny;
    let mut starts = vec![0usize; cells + 1];
    for s in &segs {
        grid.cover(s, &mut |c| starts[c + 1] += 1);
    }
    for c in 0..cells {
        starts[c + 1] += starts[c];
    }
    let mut fill = starts.clone();
    let mut items = vec![0u32; starts[cells]];
    for (i, s) in segs.iter().enumerate() {
        grid.cover(s, &mut |c| {
            items[fill[c]] = i as u32;
            fill[c] += 1;
        });
    }

    let mut seen_pairs: HashSet<(u32, u32)> = HashSet::new();
    let mut points = Vec::new();
    for c in 0..cells {
        let cell = &items[starts[c]..starts[c + 1]];
        for (k, &i) in cell.iter().enumerate() {
            for &j in &cell[k + 1..] {
                let (s, t) = (&segs[i as usize], &segs[j as usize]);
                if let Some(p) = contact(s, t)
                    && seen_pairs.insert((i.min(j), i.max(j)))
                {
                    points.push(p);
                }
            }
        }
    }
    points.sort_by(|a, b| a.lon.total_cmp(&b.lon).then(a.lat.total_cmp(&b.lat)));
    points.dedup();
    points
}

/// The contact point of two segments, if it counts as an intersection (see
/// [`self_intersections`]).
fn contact(s: &Segment, t: &Segment) -> Option<LonLat> {
    // Cheap box rejection before the robust test.
    if s.a.lon.max(s.b.lon) < t.a.lon.min(t.b.lon)
        || t.a.lon.max(t.b.lon) < s.a.lon.min(s.b.lon)
        || s.a.lat.max(s.b.lat) < t.a.lat.min(t.b.lat)
        || t.a.lat.max(t.b.lat) < s.a.lat.min(s.b.lat)
    {
        return None;
    }
    let hit = line_intersection(s.line(), t.line())?;
    let same_ring = s.ring == t.ring;
    match hit {
        LineIntersection::Collinear { intersection } => {
            let mid = LonLat::new(
                (intersection.start.x + intersection.end.x) / 2.0,
                (intersection.start.y + intersection.end.y) / 2.0,
            );
            Some(mid)
        }
        LineIntersection::SinglePoint {
            intersection,
            is_proper,
        } => {
            if s.adjacent(t) {
                None
            } else if same_ring || is_proper {
                Some(LonLat::from_coord(intersection))
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[(f64, f64)]) -> Vec<LonLat> {
        points.iter().map(|&(x, y)| LonLat::new(x, y)).collect()
    }

    /// The O(n²) reference: every pair of segments.
    fn brute_force(polygon: &Polygon) -> Vec<LonLat> {
        let segs = segments(polygon);
        let mut points = Vec::new();
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                if let Some(p) = contact(&segs[i], &segs[j]) {
                    points.push(p);
                }
            }
        }
        points.sort_by(|a, b| a.lon.total_cmp(&b.lon).then(a.lat.total_cmp(&b.lat)));
        points.dedup();
        points
    }

    #[test]
    fn simple_square_has_none() {
        let p = Polygon::from_exterior(ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]));
        assert!(self_intersections(&p).is_empty());
    }

    #[test]
    fn bowtie_crosses_in_the_middle() {
        let p = Polygon::from_exterior(ring(&[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]));
        assert_eq!(self_intersections(&p), vec![LonLat::new(0.5, 0.5)]);
    }

    #[test]
    fn repeated_vertices_are_not_crossings() {
        let p = Polygon::from_exterior(ring(&[
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ]));
        assert!(self_intersections(&p).is_empty());
    }

    #[test]
    fn hole_crossing_exterior_but_not_touching() {
        let exterior = ring(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]);
        let crossing = ring(&[(3.0, 1.0), (5.0, 1.0), (5.0, 2.0), (3.0, 2.0)]);
        let touching = ring(&[(4.0, 2.0), (3.0, 3.0), (3.0, 1.5)]);
        let p = Polygon {
            rings: vec![exterior.clone(), crossing],
        };
        assert_eq!(
            self_intersections(&p),
            vec![LonLat::new(4.0, 1.0), LonLat::new(4.0, 2.0)]
        );
        let p = Polygon {
            rings: vec![exterior, touching],
        };
        assert!(self_intersections(&p).is_empty());
    }

    #[test]
    fn spike_is_reported() {
        let p = Polygon::from_exterior(ring(&[(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (1.0, 1.0)]));
        assert!(!self_intersections(&p).is_empty());
    }

    #[test]
    fn ring_touching_itself_is_reported() {
        // A figure eight pinched at (1, 1).
        let p = Polygon::from_exterior(ring(&[
            (0.0, 0.0),
            (1.0, 1.0),
            (2.0, 0.0),
            (2.0, 2.0),
            (1.0, 1.0),
            (0.0, 2.0),
        ]));
        assert_eq!(self_intersections(&p), vec![LonLat::new(1.0, 1.0)]);
    }

    #[test]
    fn grid_agrees_with_brute_force_on_a_zigzag() {
        // A comb whose teeth are crossed by a long diagonal closing edge.
        let mut pts = Vec::new();
        for i in 0..200 {
            let x = i as f64 * 0.01;
            pts.push((x, if i % 2 == 0 { 0.0 } else { 1.0 }));
        }
        pts.push((1.0, -0.5));
        pts.push((0.5, 2.0));
        let p = Polygon::from_exterior(ring(&pts));
        let fast = self_intersections(&p);
        assert!(!fast.is_empty());
        assert_eq!(fast, brute_force(&p));
    }

    #[test]
    fn crossing_on_a_cell_border_is_found() {
        // Many small segments so the grid is fine; the crossing sits exactly on x = 0.5.
        let mut pts: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64 / 100.0, 0.0)).collect();
        pts.push((1.0, 1.0));
        pts.push((0.5, -0.5));
        pts.push((0.5, 0.5));
        pts.push((0.0, 1.0));
        let p = Polygon::from_exterior(ring(&pts));
        assert_eq!(self_intersections(&p), brute_force(&p));
        assert!(!self_intersections(&p).is_empty());
    }

    #[test]
    fn large_circle_is_fast_and_clean() {
        let n = 200_000;
        let circle: Vec<LonLat> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                LonLat::new(10.0 + a.cos(), 50.0 + a.sin())
            })
            .collect();
        let start = std::time::Instant::now();
        let p = Polygon::from_exterior(circle);
        assert!(self_intersections(&p).is_empty());
        // Generous bound for debug builds; O(n²) would take minutes.
        assert!(start.elapsed().as_secs() < 20);
    }
}
