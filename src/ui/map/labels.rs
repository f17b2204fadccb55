//! City names on the offline basemap, from the gazetteer (`casebook_core::places`).
//!
//! The most populous places in view come first and each is placed only where its name and
//! dot overlap nothing placed before (country names, other cities, the overlays): greedy
//! placement, right of the dot, else left of it. A population floor that falls as the zoom
//! grows keeps a world view to the metropolises and lets towns in at city zoom, so more
//! names show as you zoom in. Only the places in view are looked at (a spatial query of the
//! gazetteer, microseconds at city zoom), and only when the view changed.

use casebook_core::geometry::LonLat;
use casebook_core::places::{self, Place};
use egui::{Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2};

use super::geo2d::Xform;
use crate::ui::tokens::Tokens;

/// Most names on the map at once.
const MAX_LABELS: usize = 60;
/// Most places looked at per view.
const MAX_CANDIDATES: usize = 300;

/// The least population a place needs to be named at `zoom` (web-map levels); `None` when
/// the map is too wide for city names.
pub fn min_population(zoom: f64) -> Option<u32> {
    let z = zoom.floor();
    Some(match z {
        z if z < 3.0 => return None,
        z if z < 4.0 => 5_000_000,
        z if z < 5.0 => 2_000_000,
        z if z < 6.0 => 1_000_000,
        z if z < 7.0 => 400_000,
        z if z < 8.0 => 150_000,
        z if z < 9.0 => 50_000,
        z if z < 10.0 => 15_000,
        z if z < 11.0 => 5_000,
        _ => 0,
    })
}

/// The view as `[west, south, east, north]` in degrees (`west > east` across 180°).
pub fn view_bbox(xf: &Xform) -> [f64; 4] {
    let r = xf.rect;
    let nw = xf.to_lonlat(r.left_top());
    let se = xf.to_lonlat(r.right_bottom());
    let (south, north) = (se.lat.clamp(-85.0, 85.0), nw.lat.clamp(-85.0, 85.0));
    if f64::from(r.width()) >= xf.scale {
        return [-180.0, south, 180.0, north];
    }
    let wrap = |lon: f64| (lon + 180.0).rem_euclid(360.0) - 180.0;
    [wrap(nw.lon), south, wrap(se.lon), north]
}

/// The city names of the last views (kept in the basemap cache).
#[derive(Default)]
pub struct CityLabels {
    /// The view the candidates were found for.
    key: Option<[i64; 5]>,
    candidates: Vec<Place>,
    /// Names placed in the last frame, with their places' positions and the names' screen
    /// rects (tests).
    pub placed: Vec<(String, LonLat, Rect)>,
}

impl CityLabels {
    /// The shapes of the city names for `xf`, avoiding `taken` (and adding to it).
    pub fn shapes(
        &mut self,
        painter: &egui::Painter,
        xf: &Xform,
        t: &Tokens,
        taken: &mut Vec<Rect>,
    ) -> Vec<Shape> {
        self.placed.clear();
        let Some(floor) = min_population(xf.zoom) else {
            return Vec::new();
        };
        let bbox = view_bbox(xf);
        let key = [
            (xf.zoom * 4.0).round() as i64,
            (bbox[0] * 1e3).round() as i64,
            (bbox[1] * 1e3).round() as i64,
            (bbox[2] * 1e3).round() as i64,
            (bbox[3] * 1e3).round() as i64,
        ];
        if self.key != Some(key) {
            self.candidates = places::largest_in(bbox, MAX_CANDIDATES)
                .into_iter()
                .take_while(|p| p.population >= floor)
                .collect();
            self.key = Some(key);
        }
        let view = xf.rect.shrink(2.0);
        let mut out = Vec::new();
        for p in &self.candidates {
            if self.placed.len() >= MAX_LABELS {
                break;
            }
            let at = xf.ll_to_screen(LonLat::new(p.position.lon, p.position.lat));
            if !view.contains(at) {
                continue;
            }
            let big = p.population >= 1_000_000;
            let font = FontId::proportional(if big { 13.0 } else { 12.0 });
            let galley = painter.layout_no_wrap(p.name.to_string(), font, t.map_city);
            let size = galley.size();
            let dot = Rect::from_center_size(at, Vec2::splat(7.0));
            let right =
                Rect::from_min_size(Pos2::new(at.x + 5.0, at.y - size.y / 2.0), size).expand(2.0);
            let left =
                Rect::from_min_size(Pos2::new(at.x - 5.0 - size.x, at.y - size.y / 2.0), size)
                    .expand(2.0);
            let free = |r: &Rect| view.contains_rect(*r) && !taken.iter().any(|q| q.intersects(*r));
            if !free(&dot) {
                continue;
            }
            let Some(text_rect) = [right, left].into_iter().find(|r| free(r)) else {
                continue;
            };
            taken.push(dot);
            taken.push(text_rect);
            out.push(Shape::circle_filled(
                at,
                if big { 3.2 } else { 2.6 },
                t.map_city,
            ));
            out.push(Shape::circle_stroke(
                at,
                if big { 3.2 } else { 2.6 },
                Stroke::new(1.0, t.map_land),
            ));
            let pos = text_rect.shrink(2.0).min;
            out.extend(halo(pos, &galley, t.map_land));
            out.push(Shape::galley(pos, galley, t.map_city));
            self.placed
                .push((p.name.to_string(), p.position, text_rect));
        }
        out
    }
}

/// A halo in `color` around text (the text drawn shifted a pixel each way), so that names
/// stay readable over coasts, borders and the boundary's fill.
fn halo(pos: Pos2, galley: &std::sync::Arc<egui::Galley>, color: Color32) -> Vec<Shape> {
    [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)]
        .into_iter()
        .map(|(dx, dy)| {
            Shape::galley_with_override_text_color(pos + Vec2::new(dx, dy), galley.clone(), color)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_places_qualify_as_the_zoom_grows() {
        assert_eq!(min_population(2.0), None);
        let floors: Vec<u32> = (3..=12)
            .filter_map(|z| min_population(f64::from(z)))
            .collect();
        assert!(floors.windows(2).all(|w| w[0] >= w[1]), "{floors:?}");
        assert_eq!(min_population(14.0), Some(0));
    }

    #[test]
    fn views_across_180_wrap() {
        let xf = Xform::new(
            Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0)),
            LonLat::new(179.5, -17.0),
            8.0,
        );
        let [w, _, e, _] = view_bbox(&xf);
        assert!(w > 170.0 && e < -170.0, "{w} {e}");
        let world = Xform::new(
            Rect::from_min_size(Pos2::ZERO, egui::vec2(1200.0, 600.0)),
            LonLat::new(0.0, 0.0),
            1.0,
        );
        assert_eq!(view_bbox(&world)[0], -180.0);
    }
}
