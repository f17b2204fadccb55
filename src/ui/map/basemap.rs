//! The offline basemap: sea, land, coasts, country borders and names from the world data
//! shipped in the core (`casebook_core::countries`, Natural Earth). Always available, and
//! drawn under online tiles so that a failed download never leaves the map blank.
//!
//! The land outlines are projected once per level of detail (process-wide), then clipped to
//! a window around the view, simplified to half a pixel and triangulated with earcut; the
//! result is kept until the zoom crosses a whole level or the view leaves the window.

use std::sync::OnceLock;

use casebook_core::countries::{self, Detail};
use egui::{
    Color32, FontId, Mesh, Pos2, Rect, Shape, Stroke, emath::TSTransform, layers::ShapeIdx,
};

use super::geo2d::{self, Triangulator, W, WRect, Xform};
use crate::ui::tokens::Tokens;

/// One land polygon in world coordinates.
struct LandPolygon {
    rings: Vec<Vec<W>>,
    bbox: WRect,
}

/// The world at one level of detail, in world coordinates.
struct World {
    land: Vec<LandPolygon>,
    borders: Vec<(Vec<W>, WRect)>,
}

fn project(points: &[[f32; 2]]) -> Vec<W> {
    points
        .iter()
        .map(|p| geo2d::to_world(f64::from(p[0]), f64::from(p[1])))
        .collect()
}

fn world(detail: Detail) -> &'static World {
    static LEVELS: [OnceLock<World>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = match detail {
        Detail::Low => 0,
        Detail::Medium => 1,
        Detail::High => 2,
    };
    LEVELS[i].get_or_init(|| {
        let land = countries::land(detail)
            .iter()
            .map(|p| {
                let rings: Vec<Vec<W>> = p.rings().map(|r| project(r.points)).collect();
                let bbox = rings.first().map_or(WRect::EMPTY, |r| WRect::of(r));
                LandPolygon { rings, bbox }
            })
            .collect();
        let borders = countries::borders(detail)
            .map(|l| {
                let pts = project(l.points);
                let b = WRect::of(&pts);
                (pts, b)
            })
            .collect();
        World { land, borders }
    })
}

/// The level of detail to draw at `zoom`.
pub fn detail_for_zoom(zoom: f64) -> Detail {
    Detail::for_degrees_per_pixel(360.0 / geo2d::scale_at(zoom))
}

/// What one zoom level draws of one window of the world.
struct BaseLod {
    key: (Detail, i32),
    window: WRect,
    origin: W,
    stored_scale: f64,
    land: Mesh,
    /// Closed coast rings, with their local bounding boxes.
    coasts: Vec<(Vec<Pos2>, Rect)>,
    /// Border lines, with their local bounding boxes.
    borders: Vec<(Vec<Pos2>, Rect)>,
}

impl BaseLod {
    fn build(xf: &Xform) -> BaseLod {
        let detail = detail_for_zoom(xf.zoom);
        let b = super::render::bucket(xf.zoom);
        let view = xf.view();
        let [w, h] = view.size();
        let window = view.expand(w, h);
        let tol = super::render::tolerance(b);
        let stored_scale = geo2d::scale_at(f64::from(b));
        let origin = window.min;
        let world = world(detail);
        let place = Placement {
            window,
            tol,
            origin,
            stored_scale,
        };
        let (land, coasts) = place.land(world);
        let borders = place.borders(world);
        BaseLod {
            key: (detail, b),
            window,
            origin,
            stored_scale,
            land,
            coasts,
            borders,
        }
    }

    fn serves(&self, xf: &Xform) -> bool {
        self.key == (detail_for_zoom(xf.zoom), super::render::bucket(xf.zoom))
            && self.window.contains_rect(&xf.view())
    }
}

/// Where one level of detail's window is, how finely it is drawn, and its local frame.
struct Placement {
    /// The window of the world drawn (the view and a view's size around it).
    window: WRect,
    /// Simplification tolerance (world units).
    tol: f64,
    /// The window's origin: local points are `(w - origin) * stored_scale`.
    origin: W,
    stored_scale: f64,
}

impl Placement {
    /// The land in the window, clipped and simplified: one mesh of all polygons, and each
    /// ring's outline (the coasts) with its local box.
    fn land(&self, world: &World) -> (Mesh, Vec<(Vec<Pos2>, Rect)>) {
        let window = self.window;
        let mut land = Mesh::default();
        let mut coasts = Vec::new();
        let mut tri = Triangulator::default();
        let mut rings_local: Vec<Vec<[f64; 2]>> = Vec::new();
        let mut scratch = Vec::new();
        for poly in &world.land {
            if !poly.bbox.intersects(&window) {
                continue;
            }
            rings_local.clear();
            for (i, ring) in poly.rings.iter().enumerate() {
                scratch.clear();
                let rb = WRect::of(ring);
                if rb.intersects(&window) {
                    if window.contains_rect(&rb) {
                        geo2d::simplify_ring(ring, self.tol, &mut scratch);
                    } else {
                        geo2d::simplify_ring(
                            &geo2d::clip_ring(ring, &window),
                            self.tol,
                            &mut scratch,
                        );
                    }
                }
                if i == 0 && scratch.len() < 3 {
                    break;
                }
                let mut local = Vec::new();
                geo2d::to_local(&scratch, self.origin, self.stored_scale, &mut local);
                if local.len() >= 3 {
                    let pts: Vec<Pos2> = local
                        .iter()
                        .map(|p| Pos2::new(p[0] as f32, p[1] as f32))
                        .collect();
                    let r = Rect::from_points(&pts);
                    coasts.push((pts, r));
                }
                rings_local.push(local);
            }
            if rings_local.first().is_some_and(|r| r.len() >= 3) {
                tri.add_polygon(
                    rings_local.iter().map(Vec::as_slice),
                    Color32::WHITE,
                    &mut land,
                );
            }
        }
        (land, coasts)
    }

    /// The border lines in the window, clipped into runs and simplified, with their local
    /// boxes.
    fn borders(&self, world: &World) -> Vec<(Vec<Pos2>, Rect)> {
        let (origin, stored_scale) = (self.origin, self.stored_scale);
        let mut borders = Vec::new();
        let mut runs = Vec::new();
        let mut scratch = Vec::new();
        for (line, lb) in &world.borders {
            if !lb.intersects(&self.window) {
                continue;
            }
            runs.clear();
            geo2d::clip_line(line, &self.window, &mut runs);
            for run in &runs {
                scratch.clear();
                geo2d::simplify_line(run, self.tol, &mut scratch);
                if scratch.len() >= 2 {
                    let pts: Vec<Pos2> = scratch
                        .iter()
                        .map(|p| {
                            Pos2::new(
                                ((p[0] - origin[0]) * stored_scale) as f32,
                                ((p[1] - origin[1]) * stored_scale) as f32,
                            )
                        })
                        .collect();
                    let r = Rect::from_points(&pts);
                    borders.push((pts, r));
                }
            }
        }
        borders
    }
}

/// The offline basemap's cache (kept in the map state between frames).
#[derive(Default)]
pub struct BasemapCache {
    lod: Option<BaseLod>,
    /// City names (from the gazetteer).
    pub cities: super::labels::CityLabels,
    /// How many times the basemap was rebuilt (tests, benchmarks).
    pub builds: u64,
}

impl BasemapCache {
    /// The shapes of the basemap for `xf`: sea, land, coasts, borders and (if `labels`)
    /// country names, and city names when `cities` (the gazetteer is loaded).
    pub fn shapes(
        &mut self,
        painter: &egui::Painter,
        xf: &Xform,
        t: &Tokens,
        labels: bool,
        cities: bool,
        avoid: &[Rect],
    ) -> Vec<Shape> {
        if !self.lod.as_ref().is_some_and(|l| l.serves(xf)) {
            self.lod = Some(BaseLod::build(xf));
            self.builds += 1;
        }
        let mut out = vec![Shape::rect_filled(xf.rect, 0.0, t.map_sea)];
        let Some(lod) = &self.lod else { return out };
        let tr: TSTransform = xf.local_to_screen(lod.origin, lod.stored_scale);
        let clip = xf.rect.expand(2.0);
        if !lod.land.is_empty() {
            out.push(Shape::mesh(super::render::placed_mesh(
                &lod.land, tr, t.map_land,
            )));
        }
        let coast = Stroke::new(0.8, t.map_border);
        for (pts, r) in &lod.coasts {
            if !clip.intersects(tr * *r) {
                continue;
            }
            out.push(Shape::closed_line(
                pts.iter().map(|p| tr * *p).collect(),
                coast,
            ));
        }
        let border = Stroke::new(0.9, t.map_border.gamma_multiply(0.9));
        for (pts, r) in &lod.borders {
            if !clip.intersects(tr * *r) {
                continue;
            }
            out.push(Shape::line(pts.iter().map(|p| tr * *p).collect(), border));
        }
        self.cities.placed.clear();
        if labels {
            let mut taken: Vec<Rect> = avoid.to_vec();
            out.extend(country_labels(painter, xf, t.map_label, &mut taken));
            if cities {
                out.extend(self.cities.shapes(painter, xf, t, &mut taken));
            }
        }
        out
    }
}

/// Country names at their label points, biggest countries first, never overlapping.
fn country_labels(
    painter: &egui::Painter,
    xf: &Xform,
    color: Color32,
    taken: &mut Vec<Rect>,
) -> Vec<Shape> {
    if xf.zoom < 2.0 {
        return Vec::new();
    }
    let view = xf.rect.shrink(4.0);
    let mut candidates: Vec<(f64, &countries::Country, Pos2)> = Vec::new();
    for c in countries::all() {
        let (Some((lon, lat)), Some(b)) = (c.label_point, c.bbox) else {
            continue;
        };
        let p = xf.ll_to_screen(casebook_core::geometry::LonLat::new(lon, lat));
        if !view.contains(p) {
            continue;
        }
        let west = b[0];
        let east = if b[2] < b[0] { b[2] + 360.0 } else { b[2] };
        let width_px = (east - west) / 360.0 * xf.scale;
        candidates.push((width_px, c, p));
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let font = FontId::proportional(if xf.zoom >= 5.0 { 12.5 } else { 11.5 });
    let mut placed = 0;
    let mut out = Vec::new();
    for (width_px, c, p) in candidates {
        if placed >= 80 {
            break;
        }
        let name = display_name(c);
        let galley = painter.layout_no_wrap(name.to_string(), font.clone(), color);
        let size = galley.size();
        // Only name a country that is wide enough on screen to hold its name.
        if width_px < f64::from(size.x) * 0.7 {
            continue;
        }
        let r = Rect::from_center_size(p, size).expand(3.0);
        if !view.contains_rect(r) || taken.iter().any(|q| q.intersects(r)) {
            continue;
        }
        taken.push(r);
        placed += 1;
        out.push(Shape::galley(r.shrink(3.0).min, galley, color));
    }
    out
}

/// A short name for labels ("United States of America" is long on a map).
fn display_name(c: &countries::Country) -> &'static str {
    match c.iso3 {
        "USA" => "United States",
        "GBR" => "United Kingdom",
        "RUS" => "Russia",
        "COD" => "DR Congo",
        "CAF" => "Central African Rep.",
        "BIH" => "Bosnia and Herz.",
        "DOM" => "Dominican Rep.",
        "CHN" => "China",
        "PRK" => "North Korea",
        "KOR" => "South Korea",
        "IRN" => "Iran",
        "SYR" => "Syria",
        "LAO" => "Laos",
        "VNM" => "Vietnam",
        "TZA" => "Tanzania",
        "BOL" => "Bolivia",
        "VEN" => "Venezuela",
        "MDA" => "Moldova",
        "TWN" => "Taiwan",
        "SJM" => "Svalbard",
        "ATF" => "French S. Territories",
        _ => c.name,
    }
}

/// The offline basemap as a walkers plugin. It paints into a shape slot reserved before the
/// map widget, so that it lies under any tiles the map draws, and under the case geometry.
pub struct OfflineBasemap<'a> {
    /// The cache.
    pub cache: &'a mut BasemapCache,
    /// The reserved slot (a `Shape::Noop` added before the map).
    pub slot: ShapeIdx,
    /// Colours.
    pub tokens: Tokens,
    /// Whether to draw country and city names (not over online tiles, which have their own).
    pub labels: bool,
    /// Whether the gazetteer is loaded (city names).
    pub cities: bool,
    /// Screen rects to keep names out of (the overlays).
    pub avoid: Vec<Rect>,
}

impl walkers::Plugin for OfflineBasemap<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut egui::Ui,
        response: &egui::Response,
        projector: &walkers::Projector,
        _memory: &walkers::MapMemory,
    ) {
        let xf = super::xform_of(projector, response.rect);
        let painter = ui.painter().with_clip_rect(response.rect);
        let shapes = self.cache.shapes(
            &painter,
            &xf,
            &self.tokens,
            self.labels,
            self.cities,
            &self.avoid,
        );
        painter.set(self.slot, Shape::Vec(shapes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_follow_zoom() {
        assert_eq!(detail_for_zoom(1.0), Detail::Low);
        assert_eq!(detail_for_zoom(4.0), Detail::Medium);
        assert_eq!(detail_for_zoom(11.0), Detail::High);
    }

    #[test]
    fn world_view_has_land() {
        let xf = Xform::new(
            Rect::from_min_size(Pos2::ZERO, egui::vec2(1024.0, 768.0)),
            casebook_core::geometry::LonLat::new(0.0, 20.0),
            2.0,
        );
        let lod = BaseLod::build(&xf);
        assert!(lod.land.indices.len() > 300, "{}", lod.land.indices.len());
        assert!(!lod.coasts.is_empty());
        assert!(!lod.borders.is_empty());
        assert!(lod.serves(&xf));
    }
}
#[cfg(test)]
mod zoom_tests {
    use super::*;

    /// Deep inside a continent the window is all land: the clipped polygon must still fill it.
    #[test]
    fn deep_zoom_inside_land_is_land() {
        for z in [8.0, 12.0, 16.0, 21.0] {
            let xf = Xform::new(
                Rect::from_min_size(Pos2::ZERO, egui::vec2(580.0, 510.0)),
                casebook_core::geometry::LonLat::new(-75.16, 39.99),
                z,
            );
            let lod = BaseLod::build(&xf);
            assert!(lod.land.indices.len() >= 6, "zoom {z}: no land");
            let bounds = lod.land.calc_bounds();
            let tr = xf.local_to_screen(lod.origin, lod.stored_scale);
            assert!(
                (tr * bounds).contains_rect(xf.rect),
                "zoom {z}: land does not cover the view"
            );
        }
    }
}
