//! The Web Mercator plane a map draws on ("world" coordinates normalized to 0..1, x east,
//! y south, the plane walkers projects onto), and the plane geometry a map's level of detail
//! needs there: boxes, simplification (a radial pass, then Ramer–Douglas–Peucker) and
//! clipping.
//!
//! Pure geometry, no UI types: the map view adds the screen transform and triangulation.
//! Unlike `geometry::simplify` (which simplifies the boundary itself, in degrees, and keeps
//! rings from crossing), this only decides what is drawn at a zoom.

use super::model::LonLat;

/// The largest latitude Web Mercator shows (the world is square).
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// Pixels of the whole world at zoom 0 (one 256 px tile).
pub const TILE: f64 = 256.0;

/// A point in world coordinates (Web Mercator normalized to 0..1).
pub type W = [f64; 2];

/// The world point of a longitude/latitude.
pub fn to_world(lon: f64, lat: f64) -> W {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// The world point of a [`LonLat`].
pub fn ll_to_world(p: LonLat) -> W {
    to_world(p.lon, p.lat)
}

/// The longitude/latitude of a world point.
pub fn from_world(w: W) -> LonLat {
    let lon = w[0] * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * w[1]))
        .sinh()
        .atan()
        .to_degrees();
    LonLat::new(lon, lat)
}

/// The pixel scale of the whole world at `zoom`.
pub fn scale_at(zoom: f64) -> f64 {
    TILE * zoom.exp2()
}

/// An axis-aligned box in world coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WRect {
    /// Smallest x and y.
    pub min: W,
    /// Largest x and y.
    pub max: W,
}

impl WRect {
    /// The empty box (grows with [`WRect::add`]).
    pub const EMPTY: WRect = WRect {
        min: [f64::INFINITY, f64::INFINITY],
        max: [f64::NEG_INFINITY, f64::NEG_INFINITY],
    };

    /// The box around points.
    pub fn of(points: &[W]) -> WRect {
        let mut r = WRect::EMPTY;
        for p in points {
            r.add(*p);
        }
        r
    }

    /// Grows the box to hold `p`.
    pub fn add(&mut self, p: W) {
        self.min[0] = self.min[0].min(p[0]);
        self.min[1] = self.min[1].min(p[1]);
        self.max[0] = self.max[0].max(p[0]);
        self.max[1] = self.max[1].max(p[1]);
    }

    /// The union of two boxes.
    pub fn union(self, o: WRect) -> WRect {
        WRect {
            min: [self.min[0].min(o.min[0]), self.min[1].min(o.min[1])],
            max: [self.max[0].max(o.max[0]), self.max[1].max(o.max[1])],
        }
    }

    /// Whether the box holds nothing.
    pub fn is_empty(&self) -> bool {
        !(self.min[0] <= self.max[0] && self.min[1] <= self.max[1])
    }

    /// Whether the boxes overlap (touching counts).
    pub fn intersects(&self, o: &WRect) -> bool {
        self.min[0] <= o.max[0]
            && o.min[0] <= self.max[0]
            && self.min[1] <= o.max[1]
            && o.min[1] <= self.max[1]
    }

    /// Whether `o` lies inside this box.
    pub fn contains_rect(&self, o: &WRect) -> bool {
        self.min[0] <= o.min[0]
            && self.min[1] <= o.min[1]
            && o.max[0] <= self.max[0]
            && o.max[1] <= self.max[1]
    }

    /// Whether `p` lies inside this box.
    pub fn contains(&self, p: W) -> bool {
        self.min[0] <= p[0] && p[0] <= self.max[0] && self.min[1] <= p[1] && p[1] <= self.max[1]
    }

    /// Width and height.
    pub fn size(&self) -> [f64; 2] {
        [self.max[0] - self.min[0], self.max[1] - self.min[1]]
    }

    /// The centre.
    pub fn center(&self) -> W {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    /// The box grown by `dx`, `dy` on every side.
    pub fn expand(&self, dx: f64, dy: f64) -> WRect {
        WRect {
            min: [self.min[0] - dx, self.min[1] - dy],
            max: [self.max[0] + dx, self.max[1] + dy],
        }
    }
}

/// Squared distance from `p` to the segment `a`–`b`.
pub fn dist2_to_segment(p: W, a: W, b: W) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    qx * qx + qy * qy
}

/// Simplifies a closed ring (stored open) so that no dropped point lies farther than `tol`
/// from the result; appends the result to `out`. Returns nothing when the whole ring is
/// smaller than `tol` (it would not show).
///
/// A radial pass first drops points within `tol` of the last kept one (linear time, and it
/// removes most points of a detailed ring seen from afar), then Ramer–Douglas–Peucker runs on
/// what is left.
pub fn simplify_ring(ring: &[W], tol: f64, out: &mut Vec<W>) {
    let start = out.len();
    if ring.len() <= 4 || tol <= 0.0 {
        out.extend_from_slice(ring);
        return;
    }
    let tol2 = tol * tol;
    let mut radial: Vec<W> = Vec::with_capacity(ring.len().min(4096));
    let mut last = ring[0];
    radial.push(last);
    for &p in &ring[1..] {
        let (dx, dy) = (p[0] - last[0], p[1] - last[1]);
        if dx * dx + dy * dy > tol2 {
            radial.push(p);
            last = p;
        }
    }
    if radial.len() < 3 {
        return;
    }
    // Close the sequence so RDP sees the last edge too.
    radial.push(radial[0]);
    let n = radial.len();
    let keep = rdp_keep(&radial, tol2);
    for (i, p) in radial.iter().enumerate().take(n - 1) {
        if keep[i] {
            out.push(*p);
        }
    }
    if out.len() - start < 3 {
        out.truncate(start);
    }
}

/// Ramer–Douglas–Peucker over `points` (both ends kept): which points to keep so that no
/// dropped point lies farther than `sqrt(tol2)` from the kept outline.
fn rdp_keep(points: &[W], tol2: f64) -> Vec<bool> {
    let n = points.len();
    let mut keep = vec![false; n];
    if n == 0 {
        return keep;
    }
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (pa, pb) = (points[a], points[b]);
        let mut best = 0.0;
        let mut best_i = a;
        for (i, p) in points.iter().enumerate().take(b).skip(a + 1) {
            let d = dist2_to_segment(*p, pa, pb);
            if d > best {
                best = d;
                best_i = i;
            }
        }
        if best > tol2 {
            keep[best_i] = true;
            stack.push((a, best_i));
            stack.push((best_i, b));
        }
    }
    keep
}

/// Simplifies an open run of a ring like [`simplify_ring`] (a radial pass, then
/// Ramer–Douglas–Peucker), keeping both ends; appends the result to `out`.
pub fn simplify_open(line: &[W], tol: f64, out: &mut Vec<W>) {
    if line.len() <= 2 || tol <= 0.0 {
        out.extend_from_slice(line);
        return;
    }
    let tol2 = tol * tol;
    let last_i = line.len() - 1;
    let mut radial: Vec<W> = Vec::with_capacity(line.len().min(4096));
    let mut last = line[0];
    radial.push(last);
    for &p in &line[1..last_i] {
        let (dx, dy) = (p[0] - last[0], p[1] - last[1]);
        if dx * dx + dy * dy > tol2 {
            radial.push(p);
            last = p;
        }
    }
    radial.push(line[last_i]);
    let keep = rdp_keep(&radial, tol2);
    out.extend(
        radial
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| *p),
    );
}

/// Simplifies an open line the same way as [`simplify_ring`] (both ends kept).
pub fn simplify_line(line: &[W], tol: f64, out: &mut Vec<W>) {
    if line.len() <= 2 || tol <= 0.0 {
        out.extend_from_slice(line);
        return;
    }
    let keep = rdp_keep(line, tol * tol);
    out.extend(line.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| *p));
}

/// Clips a closed ring (stored open) to a box (Sutherland–Hodgman). The result may run along
/// the box's edges; callers keep the box well outside the view so those edges never show.
pub fn clip_ring(ring: &[W], r: &WRect) -> Vec<W> {
    let mut cur: Vec<W> = ring.to_vec();
    let mut next: Vec<W> = Vec::with_capacity(ring.len());
    // (axis, bound, keep_greater)
    let edges = [
        (0usize, r.min[0], true),
        (0, r.max[0], false),
        (1, r.min[1], true),
        (1, r.max[1], false),
    ];
    for (axis, bound, keep_greater) in edges {
        next.clear();
        let n = cur.len();
        if n == 0 {
            break;
        }
        let inside = |p: &W| {
            if keep_greater {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        for i in 0..n {
            let a = cur[(i + n - 1) % n];
            let b = cur[i];
            let (ia, ib) = (inside(&a), inside(&b));
            if ib {
                if !ia {
                    next.push(intersect_axis(a, b, axis, bound));
                }
                next.push(b);
            } else if ia {
                next.push(intersect_axis(a, b, axis, bound));
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur
}

fn intersect_axis(a: W, b: W, axis: usize, bound: f64) -> W {
    let d = b[axis] - a[axis];
    let t = if d == 0.0 { 0.0 } else { (bound - a[axis]) / d };
    let other = 1 - axis;
    let mut p = [0.0; 2];
    p[axis] = bound;
    p[other] = a[other] + t * (b[other] - a[other]);
    p
}

/// Splits an open line into the runs of consecutive segments that touch the box `r`.
pub fn clip_line(line: &[W], r: &WRect, out: &mut Vec<Vec<W>>) {
    let mut run: Vec<W> = Vec::new();
    for seg in line.windows(2) {
        let (a, b) = (seg[0], seg[1]);
        let sb = WRect {
            min: [a[0].min(b[0]), a[1].min(b[1])],
            max: [a[0].max(b[0]), a[1].max(b[1])],
        };
        if sb.intersects(r) {
            if run.is_empty() {
                run.push(a);
            }
            run.push(b);
        } else if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if run.len() >= 2 {
        out.push(run);
    }
}

/// Converts world points to local points `(w - origin) * scale`.
pub fn to_local(points: &[W], origin: W, scale: f64, out: &mut Vec<[f64; 2]>) {
    out.clear();
    out.extend(
        points
            .iter()
            .map(|p| [(p[0] - origin[0]) * scale, (p[1] - origin[1]) * scale]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trips() {
        for (lon, lat) in [
            (0.0, 0.0),
            (-75.16, 39.95),
            (139.7, 35.7),
            (-179.9, -60.0),
            (12.5, 84.0),
        ] {
            let w = to_world(lon, lat);
            let back = from_world(w);
            assert!((back.lon - lon).abs() < 1e-9, "{lon} {back:?}");
            assert!((back.lat - lat).abs() < 1e-9, "{lat} {back:?}");
        }
        assert_eq!(to_world(0.0, 0.0), [0.5, 0.5]);
    }

    #[test]
    fn simplification_bounds_the_error() {
        // A circle of 10 000 points, radius 1.
        let ring: Vec<W> = (0..10_000)
            .map(|i| {
                let a = i as f64 / 10_000.0 * std::f64::consts::TAU;
                [a.cos(), a.sin()]
            })
            .collect();
        let mut out = Vec::new();
        simplify_ring(&ring, 0.01, &mut out);
        assert!(out.len() < 100 && out.len() > 8, "{}", out.len());
        // Tiny rings vanish.
        let mut none = Vec::new();
        simplify_ring(&ring, 10.0, &mut none);
        assert!(none.is_empty());
        let mut line = Vec::new();
        simplify_line(
            &[[0.0, 0.0], [1.0, 0.001], [2.0, 0.0], [3.0, 5.0]],
            0.01,
            &mut line,
        );
        assert_eq!(line, vec![[0.0, 0.0], [2.0, 0.0], [3.0, 5.0]]);
    }

    #[test]
    fn clipping_keeps_the_inside() {
        let square = vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]];
        let r = WRect {
            min: [1.0, 1.0],
            max: [2.0, 5.0],
        };
        let c = clip_ring(&square, &r);
        let b = WRect::of(&c);
        assert_eq!(
            b,
            WRect {
                min: [1.0, 1.0],
                max: [2.0, 4.0]
            }
        );
        assert!(
            clip_ring(
                &square,
                &WRect {
                    min: [9.0, 9.0],
                    max: [10.0, 10.0]
                }
            )
            .is_empty()
        );
        let mut runs = Vec::new();
        clip_line(
            &[
                [0.0, 0.0],
                [1.0, 0.0],
                [10.0, 10.0],
                [20.0, 20.0],
                [21.0, 20.0],
            ],
            &WRect {
                min: [-1.0, -1.0],
                max: [2.0, 2.0],
            },
            &mut runs,
        );
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].len(), 3);
    }
}
