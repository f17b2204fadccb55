//! Whether a point lies inside a ring or a boundary: the one even–odd test that validity
//! checks, the editor's hit tests and "is the centroid inside the boundary" all use.
//!
//! Planar: the ring's coordinates are taken as a plane (longitude/latitude, or a map's
//! projected plane), which is what a map draws and fills.

use super::document::GeoDocument;
use super::model::LonLat;

/// A point in a plane, as `[x, y]`.
pub trait PlanePoint: Copy {
    /// The point as `[x, y]`.
    fn xy(self) -> [f64; 2];
}

impl PlanePoint for LonLat {
    fn xy(self) -> [f64; 2] {
        [self.lon, self.lat]
    }
}

impl PlanePoint for [f64; 2] {
    fn xy(self) -> [f64; 2] {
        self
    }
}

/// Where a point lies relative to a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Inside.
    Inside,
    /// Outside.
    Outside,
    /// On the outline.
    Boundary,
}

/// Even–odd test of `pt` against `ring` (open or closed), with points on an edge reported
/// as [`Side::Boundary`].
pub fn side_of<P: PlanePoint>(pt: P, ring: &[P]) -> Side {
    let [px, py] = pt.xy();
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let ([ax, ay], [bx, by]) = (ring[i].xy(), ring[(i + 1) % n].xy());
        // On the segment?
        let cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        if cross == 0.0
            && px >= ax.min(bx)
            && px <= ax.max(bx)
            && py >= ay.min(by)
            && py <= ay.max(by)
        {
            return Side::Boundary;
        }
        if (ay > py) != (by > py) {
            let x = ax + (py - ay) * (bx - ax) / (by - ay);
            if px < x {
                inside = !inside;
            }
        }
    }
    if inside { Side::Inside } else { Side::Outside }
}

/// Whether `pt` lies strictly inside the ring (stored open or closed): a ring of fewer than
/// 3 points has no inside, and a point on the outline is not inside.
pub fn point_in_ring<P: PlanePoint>(pt: P, ring: &[P]) -> bool {
    ring.len() >= 3 && side_of(pt, ring) == Side::Inside
}

impl GeoDocument {
    /// Whether a point lies inside the document's polygons: in an exterior and in none of its
    /// holes (planar).
    pub fn contains(&self, p: LonLat) -> bool {
        self.all_polygons().any(|poly| {
            let mut rings = poly.rings.iter();
            rings.next().is_some_and(|ext| point_in_ring(p, ext))
                && !rings.any(|hole| point_in_ring(p, hole))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{GeometryEdit, Polygon};

    #[test]
    fn points_in_a_square() {
        let square = vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]];
        assert!(point_in_ring([1.0, 1.0], &square));
        assert!(!point_in_ring([5.0, 1.0], &square));
        assert_eq!(side_of([4.0, 2.0], &square), Side::Boundary);
        assert!(!point_in_ring([4.0, 2.0], &square));
        assert!(!point_in_ring([0.5, 0.5], &square[..2]));
    }

    #[test]
    fn a_boundary_contains_what_its_holes_leave() {
        let ll = |lon, lat| LonLat::new(lon, lat);
        let outline = vec![ll(0.0, 0.0), ll(10.0, 0.0), ll(10.0, 10.0), ll(0.0, 10.0)];
        let hole = vec![ll(4.0, 4.0), ll(4.0, 6.0), ll(6.0, 6.0), ll(6.0, 4.0)];
        let mut doc = GeoDocument::new_empty();
        assert!(!doc.contains(ll(1.0, 1.0)));
        let added = doc.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon {
                rings: vec![outline, hole],
            }],
        });
        assert!(added.is_ok(), "{added:?}");
        assert!(doc.contains(ll(1.0, 1.0)));
        assert!(!doc.contains(ll(5.0, 5.0)));
        assert!(!doc.contains(ll(11.0, 5.0)));
    }
}
