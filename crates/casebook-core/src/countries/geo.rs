//! Borrowed views of the decoded outlines, point-in-polygon and distance to a boundary.
//!
//! Coordinates are `[lon, lat]` degrees as `f32`: about a metre at 180°, well below the
//! source's own grid (about 400 m east–west at 1:10m). Arithmetic is done in `f64`.

use std::ops::Range;

use super::data::{Level, PolygonRec, Run, Shapes};

/// A closed ring of a polygon: the last point joins the first (it is not repeated).
///
/// Exterior rings run counter-clockwise and holes clockwise (RFC 7946). No ring crosses
/// 180°: Natural Earth cuts shapes there, so Russia and Fiji are drawn in two parts.
#[derive(Debug, Clone, Copy)]
pub struct WorldRing<'a> {
    /// `[lon, lat]` in degrees.
    pub points: &'a [[f32; 2]],
    /// `[min_lon, min_lat, max_lon, max_lat]`, for culling.
    pub bbox: [f32; 4],
}

/// An open polyline: a stretch of border between two countries (no coastlines).
#[derive(Debug, Clone, Copy)]
pub struct WorldLine<'a> {
    /// `[lon, lat]` in degrees.
    pub points: &'a [[f32; 2]],
    /// `[min_lon, min_lat, max_lon, max_lat]`, for culling.
    pub bbox: [f32; 4],
}

/// One polygon: an exterior ring and any holes (Lesotho is a hole in South Africa).
#[derive(Debug, Clone, Copy)]
pub struct WorldPolygon<'a> {
    shapes: &'a Shapes,
    rec: &'a PolygonRec,
}

impl<'a> WorldPolygon<'a> {
    fn ring(&self, run: &Run) -> WorldRing<'a> {
        let shapes = self.shapes;
        WorldRing {
            points: shapes.ring_points.get(run.range()).unwrap_or_default(),
            bbox: run.bbox,
        }
    }

    fn runs(&self) -> &'a [Run] {
        let shapes = self.shapes;
        let start = self.rec.first_ring as usize;
        let end = start + self.rec.ring_count as usize;
        shapes.rings.get(start..end).unwrap_or_default()
    }

    /// The outer boundary.
    pub fn exterior(&self) -> WorldRing<'a> {
        match self.runs().first() {
            Some(run) => self.ring(run),
            None => WorldRing {
                points: &[],
                bbox: self.rec.bbox,
            },
        }
    }

    /// The holes, if any.
    pub fn holes(&self) -> impl Iterator<Item = WorldRing<'a>> + use<'a> {
        let this = *self;
        self.runs().iter().skip(1).map(move |run| this.ring(run))
    }

    /// All rings, exterior first: what a stroke or an even-odd fill needs.
    pub fn rings(&self) -> impl Iterator<Item = WorldRing<'a>> + use<'a> {
        let this = *self;
        self.runs().iter().map(move |run| this.ring(run))
    }

    /// `[min_lon, min_lat, max_lon, max_lat]` of the exterior.
    pub fn bbox(&self) -> [f32; 4] {
        self.rec.bbox
    }

    /// Whether the point lies inside the exterior and outside every hole.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        if !in_bbox(self.rec.bbox, lon, lat) {
            return false;
        }
        let mut runs = self.runs().iter();
        let Some(exterior) = runs.next() else {
            return false;
        };
        ring_contains(&self.ring(exterior), lon, lat)
            && !runs.any(|hole| {
                in_bbox(hole.bbox, lon, lat) && ring_contains(&self.ring(hole), lon, lat)
            })
    }
}

/// A set of polygons: one country's, or all land, at one level of detail.
#[derive(Debug, Clone)]
pub struct WorldPolygons<'a> {
    shapes: &'a Shapes,
    range: Range<u32>,
}

impl<'a> WorldPolygons<'a> {
    pub(super) fn new(shapes: &'a Shapes, range: Range<u32>) -> Self {
        Self { shapes, range }
    }

    fn recs(&self) -> &'a [PolygonRec] {
        let shapes = self.shapes;
        shapes
            .polygons
            .get(self.range.start as usize..self.range.end as usize)
            .unwrap_or_default()
    }

    /// The polygons.
    pub fn iter(&self) -> impl Iterator<Item = WorldPolygon<'a>> + use<'a> {
        let shapes = self.shapes;
        self.recs()
            .iter()
            .map(move |rec| WorldPolygon { shapes, rec })
    }

    /// How many polygons.
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// `[min_lon, min_lat, max_lon, max_lat]` of all polygons, in plain lon/lat: a set that
    /// crosses 180° spans the whole width here (see [`super::bbox`] for a wrapping box).
    pub fn bbox(&self) -> Option<[f32; 4]> {
        let mut recs = self.recs().iter();
        let first = recs.next()?.bbox;
        Some(recs.fold(first, |b, r| {
            [
                b[0].min(r.bbox[0]),
                b[1].min(r.bbox[1]),
                b[2].max(r.bbox[2]),
                b[3].max(r.bbox[3]),
            ]
        }))
    }

    /// Whether any polygon contains the point (longitude already in -180..=180).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.iter().any(|p| p.contains(lon, lat))
    }

    /// Approximate great-circle distance in km from the point to the nearest boundary
    /// point of these polygons (0 inside).
    pub fn distance_km(&self, lon: f64, lat: f64) -> Option<f64> {
        if self.is_empty() {
            return None;
        }
        if self.contains(lon, lat) {
            return Some(0.0);
        }
        let mut nearest = Nearest::new(lon, lat);
        for polygon in self.iter() {
            for ring in polygon.rings() {
                nearest.visit(ring.points, ring.bbox, true);
            }
        }
        nearest.km()
    }
}

/// Lines at one level of detail: the borders between countries.
pub(super) fn lines(level: &Level) -> impl Iterator<Item = WorldLine<'_>> {
    level.borders.iter().map(|run| WorldLine {
        points: level.arc_points.get(run.range()).unwrap_or_default(),
        bbox: run.bbox,
    })
}

/// Longitude into -180..180; `None` for a non-finite or out-of-range point.
pub(super) fn normalize(lon: f64, lat: f64) -> Option<(f64, f64)> {
    if !lon.is_finite() || !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return None;
    }
    let lon = if (-180.0..=180.0).contains(&lon) {
        lon
    } else {
        (lon + 180.0).rem_euclid(360.0) - 180.0
    };
    Some((lon, lat))
}

/// The same point written the other way at 180° (the map's two edges are one meridian).
pub(super) fn other_edge(lon: f64) -> Option<f64> {
    if lon == -180.0 {
        Some(180.0)
    } else if lon == 180.0 {
        Some(-180.0)
    } else {
        None
    }
}

fn in_bbox(b: [f32; 4], lon: f64, lat: f64) -> bool {
    lon >= f64::from(b[0])
        && lon <= f64::from(b[2])
        && lat >= f64::from(b[1])
        && lat <= f64::from(b[3])
}

pub(super) fn bbox_contains(b: [f32; 4], lon: f64, lat: f64) -> bool {
    in_bbox(b, lon, lat)
}

/// Even-odd ray casting (a ray towards +lon).
fn ring_contains(ring: &WorldRing<'_>, lon: f64, lat: f64) -> bool {
    let points = ring.points;
    let Some(&last) = points.last() else {
        return false;
    };
    let mut inside = false;
    let (mut xj, mut yj) = (f64::from(last[0]), f64::from(last[1]));
    for p in points {
        let (xi, yi) = (f64::from(p[0]), f64::from(p[1]));
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        (xj, yj) = (xi, yi);
    }
    inside
}

/// Wraps a longitude difference into -180..=180.
fn wrap_delta(d: f64) -> f64 {
    if d > 180.0 {
        d - 360.0
    } else if d < -180.0 {
        d + 360.0
    } else {
        d
    }
}

/// Great-circle distance in km ([`crate::facts::distance_km`]).
pub(super) use crate::facts::distance_km as haversine_km;

/// Search for the nearest boundary point to a query point.
///
/// Segments are compared in an equirectangular plane centred on the query (exact enough
/// near it, where it matters); the answer is the great-circle distance to the nearest
/// point found. Ring boxes farther than the best so far are skipped.
struct Nearest {
    lon: f64,
    lat: f64,
    /// Degrees of longitude to plane units at the query's latitude.
    k: f64,
    best_d2: f64,
    best: Option<(f64, f64)>,
}

impl Nearest {
    fn new(lon: f64, lat: f64) -> Self {
        let k = lat.to_radians().cos().max(1e-6);
        Self {
            lon,
            lat,
            k,
            best_d2: f64::INFINITY,
            best: None,
        }
    }

    /// Lower bound of the squared plane distance to a box.
    fn bbox_d2(&self, b: [f32; 4]) -> f64 {
        let (w, e) = (f64::from(b[0]), f64::from(b[2]));
        let dx = if self.lon >= w && self.lon <= e {
            0.0
        } else {
            wrap_delta(w - self.lon)
                .abs()
                .min(wrap_delta(e - self.lon).abs())
                * self.k
        };
        let dy = (f64::from(b[1]) - self.lat)
            .max(self.lat - f64::from(b[3]))
            .max(0.0);
        dx * dx + dy * dy
    }

    fn visit(&mut self, points: &[[f32; 2]], bbox: [f32; 4], closed: bool) {
        if self.bbox_d2(bbox) >= self.best_d2 {
            return;
        }
        let plane = |p: &[f32; 2]| {
            (
                wrap_delta(f64::from(p[0]) - self.lon) * self.k,
                f64::from(p[1]) - self.lat,
            )
        };
        let mut segment = |a: (f64, f64), b: (f64, f64)| {
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
            let d2 = cx * cx + cy * cy;
            if d2 < self.best_d2 {
                self.best_d2 = d2;
                self.best = Some((cx, cy));
            }
        };
        let mut iter = points.iter().map(plane);
        let Some(first) = iter.next() else {
            return;
        };
        let mut prev = first;
        segment(first, first);
        for p in iter {
            segment(prev, p);
            prev = p;
        }
        if closed {
            segment(prev, first);
        }
    }

    fn km(&self) -> Option<f64> {
        let (x, y) = self.best?;
        let lon = self.lon + x / self.k;
        let lat = (self.lat + y).clamp(-90.0, 90.0);
        Some(haversine_km(self.lon, self.lat, lon, lat))
    }
}
