//! Measures of polygons: geodesic area, centroid, bounding box, vertex count.
//!
//! Free functions over any iterator of `&Polygon` (a slice, a shape's polygons, or
//! [`GeoDocument::all_polygons`]) so that paste previews and the document use the same code.
//! Planar measures treat lon/lat as x/y; polygons crossing the antimeridian are not handled.

use geo::{Centroid, GeodesicArea};

use super::document::GeoDocument;
use super::model::{BoundingBox, LonLat, Polygon, ring_is_clockwise, ring_to_geo};

/// An area on the ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Area {
    /// Square meters.
    pub square_meters: f64,
}

impl Area {
    /// Square kilometers.
    pub fn km2(self) -> f64 {
        self.square_meters / 1e6
    }

    /// Hectares.
    pub fn hectares(self) -> f64 {
        self.square_meters / 1e4
    }
}

/// A polygon as `geo` with RFC 7946 winding (exterior counter-clockwise, holes clockwise), so
/// algorithms that care about winding give the same answer whatever the file's winding.
pub(crate) fn oriented_geo(polygon: &Polygon) -> geo::Polygon<f64> {
    let ring = |i: usize, r: &[LonLat]| {
        let want_clockwise = i > 0;
        if ring_is_clockwise(r) == Some(!want_clockwise) {
            let mut rev: Vec<LonLat> = r.to_vec();
            rev.reverse();
            ring_to_geo(&rev)
        } else {
            ring_to_geo(r)
        }
    };
    let mut rings = polygon.rings.iter().enumerate().map(|(i, r)| ring(i, r));
    let exterior = rings
        .next()
        .unwrap_or_else(|| geo::LineString::new(Vec::new()));
    geo::Polygon::new(exterior, rings.collect())
}

/// The geodesic (WGS84) area of the polygons, holes subtracted.
///
/// `None` when there is no polygon with at least 3 vertices, or when any position is out of
/// range (the area would be meaningless). Costs about a microsecond per vertex: cache it.
pub fn geodesic_area<'a>(polygons: impl IntoIterator<Item = &'a Polygon>) -> Option<Area> {
    let mut total = 0.0;
    let mut any = false;
    for polygon in polygons {
        if polygon
            .vertices()
            .any(|p| !p.is_finite() || !p.is_in_range())
        {
            return None;
        }
        if polygon.exterior().is_none_or(|r| r.len() < 3) {
            continue;
        }
        any = true;
        let area = oriented_geo(polygon).geodesic_area_unsigned();
        if area.is_finite() {
            total += area;
        }
    }
    any.then_some(Area {
        square_meters: total,
    })
}

/// The planar (lon/lat) area-weighted centroid of the polygons.
///
/// Falls back to the centroid of the outlines, then of the vertices, for degenerate polygons;
/// `None` without vertices or with coordinates beyond ±1e6. Good for placing a label or the front matter's centroid.
pub fn centroid<'a>(polygons: impl IntoIterator<Item = &'a Polygon>) -> Option<LonLat> {
    let polygons: Vec<&Polygon> = polygons.into_iter().collect();
    if !polygons.iter().all(|p| p.is_sane()) {
        return None;
    }
    let multi = geo::MultiPolygon::new(polygons.into_iter().map(oriented_geo).collect());
    let c = multi.centroid()?;
    let p = LonLat::new(c.x(), c.y());
    p.is_finite().then_some(p)
}

/// The box around the polygons' vertices.
pub fn bounding_box<'a>(polygons: impl IntoIterator<Item = &'a Polygon>) -> Option<BoundingBox> {
    BoundingBox::of_points(polygons.into_iter().flat_map(Polygon::vertices))
}

/// The number of stored vertices (closing positions not counted).
pub fn vertex_count<'a>(polygons: impl IntoIterator<Item = &'a Polygon>) -> usize {
    polygons.into_iter().map(Polygon::vertex_count).sum()
}

/// What an editor says about a boundary: its measures, counts, centroid and validity issues
/// (computed together, off the UI thread for a big one).
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Geodesic area (holes subtracted).
    pub area: Option<Area>,
    /// Validity issues, sorted (with the points to mark).
    pub issues: Vec<super::Issue>,
    /// Vertices over all rings.
    pub vertices: usize,
    /// Polygons over all shapes.
    pub polygons: usize,
    /// Holes over all polygons.
    pub holes: usize,
    /// The planar centroid of the polygons (for "centroid from boundary").
    pub centroid: Option<LonLat>,
}

impl GeoDocument {
    /// The area, issues, counts and centroid of the document (see [`Summary`]).
    pub fn summary(&self) -> Summary {
        let polygons: usize = self.shapes().iter().map(|s| s.polygons.len()).sum();
        let holes = self
            .all_polygons()
            .map(|p| p.rings.len().saturating_sub(1))
            .sum();
        Summary {
            area: self.area(),
            issues: self.issues(),
            vertices: self.vertex_count(),
            polygons,
            holes,
            centroid: self.centroid(),
        }
    }

    /// The geodesic area of all polygons (see [`geodesic_area`]).
    pub fn area(&self) -> Option<Area> {
        geodesic_area(self.all_polygons())
    }

    /// The vertex count and area of all polygons (see [`Measures`]).
    pub fn measures(&self) -> Measures {
        Measures {
            vertices: vertex_count(self.all_polygons()),
            area: self.area(),
        }
    }

    /// The centroid of all polygons; for files without polygons, of the read-only lines and
    /// points (some cases draw their boundary as a closed line).
    pub fn centroid(&self) -> Option<LonLat> {
        if self.all_polygons().next().is_some() {
            return centroid(self.all_polygons());
        }
        let mut lines = Vec::new();
        let mut points = Vec::new();
        let parts = || self.others.iter().flat_map(|o| o.parts.iter());
        if !parts().flatten().all(|p| p.is_sane()) {
            return None;
        }
        for part in parts() {
            if part.len() >= 2 {
                lines.push(geo::LineString::new(
                    part.iter().map(|p| p.to_coord()).collect(),
                ));
            } else {
                points.extend(part.iter().map(|p| geo::Point::from(p.to_coord())));
            }
        }
        let c = if lines.is_empty() {
            geo::MultiPoint::new(points).centroid()
        } else {
            geo::MultiLineString::new(lines).centroid()
        }?;
        let p = LonLat::new(c.x(), c.y());
        p.is_finite().then_some(p)
    }
}

/// How big a boundary is: its vertices and its geodesic area (to say how it changed since
/// a reference, such as the last commit).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Measures {
    /// Stored vertices over all polygons (closing positions not counted).
    pub vertices: usize,
    /// Geodesic area (holes subtracted); `None` without a measurable polygon.
    pub area: Option<Area>,
}

/// How a boundary's measures changed: `now - before`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasuresChange {
    /// Vertices added (negative: removed).
    pub vertices: i64,
    /// Square meters added (negative: removed); `None` when either area is unknown.
    pub square_meters: Option<f64>,
}

impl Measures {
    /// The measures of polygons (costs about a microsecond per vertex, for the area).
    pub fn of<'a>(polygons: impl IntoIterator<Item = &'a Polygon> + Clone) -> Measures {
        Measures {
            vertices: vertex_count(polygons.clone()),
            area: geodesic_area(polygons),
        }
    }

    /// How `self` differs from `before`.
    pub fn change_from(&self, before: &Measures) -> MeasuresChange {
        let signed = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        MeasuresChange {
            vertices: signed(self.vertices) - signed(before.vertices),
            square_meters: match (self.area, before.area) {
                (Some(a), Some(b)) => Some(a.square_meters - b.square_meters),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_their_change() {
        let before = [Polygon::from_exterior(square(0.0, 0.0, 0.01))];
        let mut ring = square(0.0, 0.0, 0.01);
        ring.insert(1, LonLat::new(0.005, -0.01));
        let after = [Polygon::from_exterior(ring)];
        let b = Measures::of(&before);
        let a = Measures::of(&after);
        assert_eq!(b.vertices, 4);
        assert_eq!(a.vertices, 5);
        let change = a.change_from(&b);
        assert_eq!(change.vertices, 1);
        // The added triangle: half of 0.01° × 0.01°, about 0.62 km² at the equator.
        let added = change.square_meters.unwrap_or_default();
        assert!((added - 0.5 * 1_113.2 * 1_105.7).abs() < 2_000.0, "{added}");
        assert_eq!(b.change_from(&a).vertices, -1);
        let none = Measures::of(&[] as &[Polygon]);
        assert_eq!(none.area, None);
        assert_eq!(a.change_from(&none).square_meters, None);
    }

    fn square(lon: f64, lat: f64, size: f64) -> Vec<LonLat> {
        vec![
            LonLat::new(lon, lat),
            LonLat::new(lon + size, lat),
            LonLat::new(lon + size, lat + size),
            LonLat::new(lon, lat + size),
        ]
    }

    #[test]
    fn area_ignores_winding_and_subtracts_holes() -> Result<(), Box<dyn std::error::Error>> {
        let ccw = Polygon::from_exterior(square(0.0, 0.0, 0.01));
        let mut cw = ccw.clone();
        cw.rings[0].reverse();
        let a = geodesic_area([&ccw]).ok_or("no area")?;
        let b = geodesic_area([&cw]).ok_or("no area")?;
        // 0.01° ≈ 1.113 km at the equator (1.106 km of latitude).
        assert!((a.km2() - 1.2308).abs() < 0.01, "{}", a.km2());
        assert!((a.square_meters - b.square_meters).abs() < 1e-6);
        assert!((a.hectares() - a.km2() * 100.0).abs() < 1e-9);
        let mut holed = ccw.clone();
        holed.rings.push(square(0.0025, 0.0025, 0.005));
        let h = geodesic_area([&holed]).ok_or("no area")?;
        assert!((h.square_meters / a.square_meters - 0.75).abs() < 1e-3);
        Ok(())
    }

    #[test]
    fn area_refuses_out_of_range_and_empty() {
        assert!(geodesic_area([&Polygon::from_exterior(square(0.0, 95.0, 1.0))]).is_none());
        assert!(geodesic_area([&Polygon::default()]).is_none());
        assert!(geodesic_area(&[] as &[Polygon]).is_none());
    }

    #[test]
    fn centroid_bbox_count() -> Result<(), Box<dyn std::error::Error>> {
        let polys = [
            Polygon::from_exterior(square(0.0, 0.0, 2.0)),
            Polygon::from_exterior(square(10.0, 0.0, 2.0)),
        ];
        let c = centroid(&polys).ok_or("no centroid")?;
        assert!(
            (c.lon - 6.0).abs() < 1e-12 && (c.lat - 1.0).abs() < 1e-12,
            "{c:?}"
        );
        let b = bounding_box(&polys).ok_or("no bbox")?;
        assert_eq!(
            (b.min, b.max),
            (LonLat::new(0.0, 0.0), LonLat::new(12.0, 2.0))
        );
        assert_eq!(vertex_count(&polys), 8);
        assert!(centroid(&[] as &[Polygon]).is_none());
        Ok(())
    }

    #[test]
    fn document_centroid_falls_back_to_lines() -> Result<(), Box<dyn std::error::Error>> {
        let doc = GeoDocument::parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[2,0],[2,2],[0,2],[0,0]]}}]}"#,
        )?;
        let c = doc.centroid().ok_or("no centroid")?;
        assert!((c.lon - 1.0).abs() < 1e-12 && (c.lat - 1.0).abs() < 1e-12);
        assert!(doc.area().is_none());
        assert!(doc.bbox().is_some());
        Ok(())
    }
}
