//! Plane geometry for the map: the world-to-screen transform and triangulation, over the
//! core's Web Mercator "world" plane (`casebook_core::geometry::plane`: projection, boxes,
//! simplification, clipping; re-exported here) and its point-in-ring test.
//!
//! World coordinates are Web Mercator normalized to 0..1 (x east, y south), the same plane
//! walkers projects onto: a position's screen point is `rect.center + (world - center) * scale`
//! with `scale = 256 * 2^zoom`. Working in this plane lets every cache store coordinates once
//! and move them on screen with one multiply-add per point.

use casebook_core::geometry::LonLat;
pub use casebook_core::geometry::plane::{
    MAX_LAT, TILE, W, WRect, clip_line, clip_ring, dist2_to_segment, from_world, ll_to_world,
    scale_at, simplify_line, simplify_open, simplify_ring, to_local, to_world,
};
pub use casebook_core::geometry::point_in_ring;
use egui::{Pos2, Rect, Vec2, emath::TSTransform, pos2};

/// From world coordinates to screen points for one frame: `screen = origin + (w - center) * scale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Xform {
    /// The world point at the centre of the map.
    pub center: W,
    /// Pixels per world unit (`256 * 2^zoom`).
    pub scale: f64,
    /// The zoom level.
    pub zoom: f64,
    /// The map's rectangle on screen.
    pub rect: Rect,
}

impl Xform {
    /// The transform for a map of `rect` centred on `center` at `zoom`.
    pub fn new(rect: Rect, center: LonLat, zoom: f64) -> Xform {
        Xform {
            center: ll_to_world(center),
            scale: scale_at(zoom),
            zoom,
            rect,
        }
    }

    /// The screen point of a world point.
    pub fn to_screen(&self, w: W) -> Pos2 {
        let o = self.rect.center();
        pos2(
            (f64::from(o.x) + (w[0] - self.center[0]) * self.scale) as f32,
            (f64::from(o.y) + (w[1] - self.center[1]) * self.scale) as f32,
        )
    }

    /// The screen point of a longitude/latitude.
    pub fn ll_to_screen(&self, p: LonLat) -> Pos2 {
        self.to_screen(ll_to_world(p))
    }

    /// The world point under a screen point.
    pub fn to_world(&self, p: Pos2) -> W {
        let o = self.rect.center();
        [
            self.center[0] + f64::from(p.x - o.x) / self.scale,
            self.center[1] + f64::from(p.y - o.y) / self.scale,
        ]
    }

    /// The longitude/latitude under a screen point.
    pub fn to_lonlat(&self, p: Pos2) -> LonLat {
        from_world(self.to_world(p))
    }

    /// The world box the map shows.
    pub fn view(&self) -> WRect {
        let a = self.to_world(self.rect.min);
        let b = self.to_world(self.rect.max);
        WRect { min: a, max: b }
    }

    /// The transform that puts coordinates stored as `(w - origin) * stored_scale` on screen.
    pub fn local_to_screen(&self, origin: W, stored_scale: f64) -> TSTransform {
        let o = self.rect.center();
        let k = self.scale / stored_scale;
        TSTransform {
            scaling: k as f32,
            translation: Vec2::new(
                (f64::from(o.x) + (origin[0] - self.center[0]) * self.scale) as f32,
                (f64::from(o.y) + (origin[1] - self.center[1]) * self.scale) as f32,
            ),
        }
    }

    /// Metres per screen point at the map's centre.
    pub fn metres_per_point(&self) -> f64 {
        const EARTH_CIRCUMFERENCE: f64 = 40_075_016.686;
        let lat = from_world(self.center).lat.to_radians();
        EARTH_CIRCUMFERENCE * lat.cos() / self.scale
    }
}

/// The zoom at which `bbox` fits into a map of `size` points with `margin` points on each side.
pub fn zoom_to_fit(bbox: WRect, size: Vec2, margin: f32) -> f64 {
    let [w, h] = bbox.size();
    let avail_w = f64::from((size.x - 2.0 * margin).max(40.0));
    let avail_h = f64::from((size.y - 2.0 * margin).max(40.0));
    let zx = if w > 0.0 {
        (avail_w / (w * TILE)).log2()
    } else {
        f64::INFINITY
    };
    let zy = if h > 0.0 {
        (avail_h / (h * TILE)).log2()
    } else {
        f64::INFINITY
    };
    zx.min(zy)
}

/// Squared distance between screen points.
pub fn dist2(a: Pos2, b: Pos2) -> f32 {
    (a - b).length_sq()
}

/// Triangulates polygons (each: exterior ring then holes, in local coordinates) into one mesh
/// of `color`.
pub struct Triangulator {
    earcut: earcut::Earcut<f64>,
    data: Vec<[f64; 2]>,
    holes: Vec<u32>,
    tris: Vec<u32>,
}

impl Default for Triangulator {
    fn default() -> Self {
        Triangulator {
            earcut: earcut::Earcut::new(),
            data: Vec::new(),
            holes: Vec::new(),
            tris: Vec::new(),
        }
    }
}

impl Triangulator {
    /// Adds one polygon (rings as local points; the first is the exterior) to `mesh`.
    pub fn add_polygon<'a>(
        &mut self,
        rings: impl IntoIterator<Item = &'a [[f64; 2]]>,
        color: egui::Color32,
        mesh: &mut egui::Mesh,
    ) {
        self.data.clear();
        self.holes.clear();
        for (i, ring) in rings.into_iter().enumerate() {
            if ring.len() < 3 {
                if i == 0 {
                    return;
                }
                continue;
            }
            if i > 0 {
                self.holes.push(self.data.len() as u32);
            }
            self.data.extend_from_slice(ring);
        }
        if self.data.len() < 3 {
            return;
        }
        self.earcut
            .earcut(self.data.iter().copied(), &self.holes, &mut self.tris);
        if self.tris.is_empty() {
            return;
        }
        let base = mesh.vertices.len() as u32;
        mesh.vertices.reserve(self.data.len());
        for p in &self.data {
            mesh.colored_vertex(pos2(p[0] as f32, p[1] as f32), color);
        }
        mesh.indices.reserve(self.tris.len());
        mesh.indices.extend(self.tris.iter().map(|i| base + i));
    }
}

/// A screen rect around a point.
pub fn rect_around(p: Pos2, r: f32) -> Rect {
    Rect::from_center_size(p, Vec2::splat(2.0 * r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_transform_round_trips() {
        let x = Xform::new(
            Rect::from_min_size(pos2(10.0, 20.0), egui::vec2(800.0, 600.0)),
            LonLat::new(-75.0, 40.0),
            12.0,
        );
        let p = LonLat::new(-75.01, 40.02);
        let s = x.ll_to_screen(p);
        let back = x.to_lonlat(s);
        assert!((back.lon - p.lon).abs() < 1e-5 && (back.lat - p.lat).abs() < 1e-5);
        assert_eq!(x.ll_to_screen(LonLat::new(-75.0, 40.0)), x.rect.center());
        // North is up.
        assert!(x.ll_to_screen(LonLat::new(-75.0, 40.1)).y < x.rect.center().y);
    }

    #[test]
    fn triangulates_with_holes() {
        let outer = vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        let hole = vec![[4.0, 4.0], [4.0, 6.0], [6.0, 6.0], [6.0, 4.0]];
        let mut mesh = egui::Mesh::default();
        let mut t = Triangulator::default();
        t.add_polygon(
            [outer.as_slice(), hole.as_slice()],
            egui::Color32::RED,
            &mut mesh,
        );
        assert_eq!(mesh.vertices.len(), 8);
        assert_eq!(mesh.indices.len(), 8 * 3);
        assert!(mesh.is_valid());
    }

    #[test]
    fn fit_zoom() {
        let b = WRect {
            min: [0.5, 0.5],
            max: [0.5 + 1.0 / 1024.0, 0.5 + 1.0 / 2048.0],
        };
        let z = zoom_to_fit(b, egui::vec2(1024.0, 1024.0), 0.0);
        assert!((z - 12.0).abs() < 1e-9, "{z}");
    }
}
