//! Simplification of polygons (Ramer–Douglas–Peucker from `geo`), for the "simplify" slider and
//! for map level of detail.
//!
//! RDP keeps every kept vertex exactly where it was and bounds the deviation by the tolerance,
//! but can make rings cross. [`simplify`] therefore checks each simplified polygon and, if it
//! now crosses itself where the original did not, retries it with half the tolerance (a few
//! times) before keeping the original.

use geo::Simplify;

use super::document::GeoDocument;
use super::edit::GeometryEdit;
use super::intersections::self_intersections;
use super::model::Polygon;

/// The result of [`simplify`].
#[derive(Debug, Clone, PartialEq)]
pub struct Simplified {
    /// The simplified polygons, in the same order.
    pub polygons: Vec<Polygon>,
    /// Vertices before (closing positions not counted).
    pub vertices_before: usize,
    /// Vertices after.
    pub vertices_after: usize,
    /// Polygons simplified with a smaller tolerance (or not at all) because the requested one
    /// made them cross themselves.
    pub polygons_kept_finer: usize,
}

/// How many times [`simplify`] halves the tolerance for a polygon before giving up on it.
const RETRIES: usize = 6;

/// RDP of one polygon with rings of at least 3 vertices kept (the `geo` minimum); polygons with
/// smaller rings or insane coordinates are left alone.
fn rdp(polygon: &Polygon, tolerance_deg: f64) -> Polygon {
    if !(tolerance_deg > 0.0 && tolerance_deg.is_finite() && polygon.is_sane())
        || polygon.rings.iter().any(|r| r.len() < 3)
    {
        return polygon.clone();
    }
    let simplified = Polygon::from_geo(&polygon.to_geo().simplify(tolerance_deg));
    // `from_geo` always yields an exterior; keep the original's ring count otherwise.
    if simplified.rings.len() == polygon.rings.len() {
        simplified
    } else {
        polygon.clone()
    }
}

/// Simplifies polygons with RDP at `tolerance_deg` (degrees, the largest allowed deviation),
/// without introducing self-intersections. Kept vertices keep their exact values.
pub fn simplify<'a>(
    polygons: impl IntoIterator<Item = &'a Polygon>,
    tolerance_deg: f64,
) -> Simplified {
    let mut out = Simplified {
        polygons: Vec::new(),
        vertices_before: 0,
        vertices_after: 0,
        polygons_kept_finer: 0,
    };
    for polygon in polygons {
        out.vertices_before += polygon.vertex_count();
        let mut result = rdp(polygon, tolerance_deg);
        if result.vertex_count() < polygon.vertex_count()
            && !self_intersections(&result).is_empty()
            && self_intersections(polygon).is_empty()
        {
            out.polygons_kept_finer += 1;
            let mut tolerance = tolerance_deg;
            result = polygon.clone();
            for _ in 0..RETRIES {
                tolerance /= 2.0;
                let attempt = rdp(polygon, tolerance);
                if self_intersections(&attempt).is_empty() {
                    result = attempt;
                    break;
                }
            }
        }
        out.vertices_after += result.vertex_count();
        out.polygons.push(result);
    }
    out
}

impl GeoDocument {
    /// The edit that simplifies every shape at `tolerance_deg`, with totals over all shapes;
    /// `None` when nothing would change.
    ///
    /// The edit sets the simplified polygons verbatim: simplification only drops vertices, so
    /// the kept ones stay exactly as they were (no rounding).
    pub fn simplify_edit(&self, tolerance_deg: f64) -> Option<(GeometryEdit, Simplified)> {
        let mut edits = Vec::new();
        let mut total = Simplified {
            polygons: Vec::new(),
            vertices_before: 0,
            vertices_after: 0,
            polygons_kept_finer: 0,
        };
        for (index, shape) in self.shapes().iter().enumerate() {
            let s = simplify(&shape.polygons, tolerance_deg);
            total.vertices_before += s.vertices_before;
            total.vertices_after += s.vertices_after;
            total.polygons_kept_finer += s.polygons_kept_finer;
            if s.vertices_after < s.vertices_before {
                total.polygons.extend(s.polygons.iter().cloned());
                edits.push(GeometryEdit::SetPolygons {
                    shape: index,
                    polygons: s.polygons,
                });
            } else {
                total.polygons.extend(shape.polygons.iter().cloned());
            }
        }
        if edits.is_empty() {
            return None;
        }
        Some((
            GeometryEdit::Verbatim(Box::new(GeometryEdit::Batch(edits))),
            total,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::LonLat;

    fn wobbly_circle(n: usize) -> Polygon {
        Polygon::from_exterior(
            (0..n)
                .map(|i| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    let r = 1.0 + 0.001 * ((i % 3) as f64);
                    LonLat::new(r * a.cos(), r * a.sin())
                })
                .collect(),
        )
    }

    #[test]
    fn reduces_and_keeps_exact_vertices() {
        let p = wobbly_circle(1000);
        let s = simplify([&p], 0.01);
        assert_eq!(s.vertices_before, 1000);
        assert!(s.vertices_after < 100, "{}", s.vertices_after);
        assert!(s.vertices_after >= 3);
        assert!(
            s.polygons[0].rings[0]
                .iter()
                .all(|v| p.rings[0].contains(v))
        );
        assert!(self_intersections(&s.polygons[0]).is_empty());
    }

    #[test]
    fn zero_or_bad_tolerance_changes_nothing() {
        let p = wobbly_circle(100);
        for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(simplify([&p], t).polygons, vec![p.clone()]);
        }
    }

    #[test]
    fn never_introduces_crossings() {
        // A thin U: simplifying hard would collapse its two arms into crossing lines.
        let mut ring = Vec::new();
        for i in 0..=50 {
            ring.push(LonLat::new(i as f64 * 0.02, 0.0));
        }
        for i in (0..=50).rev() {
            ring.push(LonLat::new(
                i as f64 * 0.02,
                0.001 + 0.0005 * ((i % 2) as f64),
            ));
        }
        let p = Polygon::from_exterior(ring);
        assert!(self_intersections(&p).is_empty());
        for t in [0.0001, 0.0004, 0.001, 0.01, 0.5] {
            let s = simplify([&p], t);
            assert!(
                self_intersections(&s.polygons[0]).is_empty(),
                "tolerance {t}"
            );
        }
    }

    #[test]
    fn document_edit_simplifies_and_undoes() -> Result<(), Box<dyn std::error::Error>> {
        let mut doc = GeoDocument::new_empty();
        doc.apply(GeometryEdit::AddShape {
            polygons: vec![wobbly_circle(500)],
        })?;
        let before = doc.shapes()[0].clone();
        let (edit, report) = doc.simplify_edit(0.01).ok_or("nothing simplified")?;
        assert_eq!(report.vertices_before, 500);
        let inverse = doc.apply(edit)?;
        assert_eq!(doc.vertex_count(), report.vertices_after);
        doc.apply(inverse)?;
        assert_eq!(doc.shapes()[0].polygons, before.polygons);
        assert!(doc.simplify_edit(0.0).is_none());
        Ok(())
    }
}
