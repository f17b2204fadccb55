//! Drawing the case's geometry fast: projection once per geometry, simplification and
//! triangulation once per zoom level and neighbourhood, a multiply-add per point per frame.
//!
//! - [`Projected`] holds every ring in world coordinates (computed when the geometry changes),
//!   with a bounding box per chunk of vertices so that "which vertices are in view" and hit
//!   tests skip most of a 1,000,000-vertex ring.
//! - [`Lod`] is what one zoom level draws of one window (the view grown by a view's size on
//!   every side): rings clipped to the window, simplified to half a pixel, triangulated with
//!   earcut into one mesh, in local coordinates. It is rebuilt only when the geometry changes,
//!   the zoom crosses a whole level, or the view leaves the window. Clipping edges run along
//!   the window, which stays off screen.

use std::sync::Arc;

use casebook_core::geometry::{GeoDocument, OtherKind, RingRef};
use egui::{Color32, Mesh, Pos2, Shape, Stroke, emath::TSTransform};

use super::geo2d::{self, Triangulator, W, WRect, Xform};

/// Vertices per chunk of a ring (each chunk has its own bounding box).
pub const CHUNK: usize = 256;

/// One ring in world coordinates.
#[derive(Debug, Clone)]
pub struct ProjRing {
    /// Where it is in the document.
    pub at: RingRef,
    /// Its vertices (open ring).
    pub pts: Vec<W>,
    /// Its bounding box.
    pub bbox: WRect,
    /// The bounding box of each [`CHUNK`] of vertices.
    pub chunks: Vec<WRect>,
}

impl ProjRing {
    fn new(at: RingRef, pts: Vec<W>) -> ProjRing {
        let chunks: Vec<WRect> = pts.chunks(CHUNK).map(WRect::of).collect();
        let bbox = chunks.iter().fold(WRect::EMPTY, |a, b| a.union(*b));
        ProjRing {
            at,
            pts,
            bbox,
            chunks,
        }
    }
}

/// One polygon: a range of [`Projected::rings`], exterior first.
#[derive(Debug, Clone)]
pub struct ProjPolygon {
    /// The shape index.
    pub shape: usize,
    /// The polygon index in the shape.
    pub polygon: usize,
    /// Indices into [`Projected::rings`].
    pub rings: std::ops::Range<usize>,
    /// The exterior's bounding box.
    pub bbox: WRect,
}

/// A read-only line or point geometry in world coordinates.
#[derive(Debug, Clone)]
pub struct ProjOther {
    /// Points or lines.
    pub kind: OtherKind,
    /// Its parts.
    pub parts: Vec<Vec<W>>,
    /// Its bounding box.
    pub bbox: WRect,
}

/// The whole geometry in world coordinates.
#[derive(Debug, Clone, Default)]
pub struct Projected {
    /// A fingerprint of the geometry it was made from.
    pub key: u64,
    /// Every ring of every polygon of every shape.
    pub rings: Vec<ProjRing>,
    /// Every polygon.
    pub polygons: Vec<ProjPolygon>,
    /// Points and lines.
    pub others: Vec<ProjOther>,
    /// The box around everything.
    pub bbox: Option<WRect>,
    /// Vertices over all rings.
    pub vertex_count: usize,
}

/// A fingerprint of a document's geometry (every coordinate's bits), to tell whether a
/// change of the case touched it.
pub fn fingerprint(doc: Option<&GeoDocument>) -> u64 {
    let Some(doc) = doc else { return 0 };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |x: u64| h = (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    add(doc.shapes().len() as u64);
    for s in doc.shapes() {
        add(s.polygons.len() as u64);
        for p in &s.polygons {
            add(p.rings.len() as u64);
            for r in &p.rings {
                add(r.len() as u64);
                for v in r {
                    add(v.lon.to_bits());
                    add(v.lat.to_bits());
                }
            }
        }
    }
    add(doc.others().len() as u64);
    for o in doc.others() {
        for part in &o.parts {
            add(part.len() as u64);
            for v in part {
                add(v.lon.to_bits() ^ v.lat.to_bits().rotate_left(17));
            }
        }
    }
    h.max(1)
}

impl Projected {
    /// Projects a document's geometry.
    pub fn build(doc: &GeoDocument, key: u64) -> Projected {
        let mut out = Projected {
            key,
            ..Default::default()
        };
        let mut bbox = WRect::EMPTY;
        for (s, shape) in doc.shapes().iter().enumerate() {
            for (p, polygon) in shape.polygons.iter().enumerate() {
                let first = out.rings.len();
                for (r, ring) in polygon.rings.iter().enumerate() {
                    let pts: Vec<W> = ring.iter().map(|v| geo2d::ll_to_world(*v)).collect();
                    out.vertex_count += pts.len();
                    let pr = ProjRing::new(RingRef::new(s, p, r), pts);
                    if !pr.bbox.is_empty() {
                        bbox = bbox.union(pr.bbox);
                    }
                    out.rings.push(pr);
                }
                let ext_bbox = out.rings.get(first).map_or(WRect::EMPTY, |r| r.bbox);
                out.polygons.push(ProjPolygon {
                    shape: s,
                    polygon: p,
                    rings: first..out.rings.len(),
                    bbox: ext_bbox,
                });
            }
        }
        for o in doc.others() {
            let parts: Vec<Vec<W>> = o
                .parts
                .iter()
                .map(|part| part.iter().map(|v| geo2d::ll_to_world(*v)).collect())
                .collect();
            let b = parts
                .iter()
                .fold(WRect::EMPTY, |a, p| a.union(WRect::of(p)));
            if !b.is_empty() {
                bbox = bbox.union(b);
            }
            out.others.push(ProjOther {
                kind: o.kind,
                parts,
                bbox: b,
            });
        }
        out.bbox = (!bbox.is_empty()).then_some(bbox);
        out
    }

    /// The index in [`Self::rings`] of a ring address.
    pub fn ring_index(&self, at: RingRef) -> Option<usize> {
        let poly = self
            .polygons
            .iter()
            .find(|p| p.shape == at.shape && p.polygon == at.polygon)?;
        let i = poly.rings.start + at.ring;
        (i < poly.rings.end).then_some(i)
    }

    /// Calls `f(ring index, vertex index, point)` for the vertices inside `view`; stops and
    /// returns false once more than `limit` were found.
    pub fn vertices_in(&self, view: &WRect, limit: usize, f: impl FnMut(usize, usize, W)) -> bool {
        self.vertices_of(0..self.rings.len(), view, limit, f)
    }

    /// [`Self::vertices_in`] for some rings only.
    pub fn vertices_of(
        &self,
        rings: std::ops::Range<usize>,
        view: &WRect,
        limit: usize,
        mut f: impl FnMut(usize, usize, W),
    ) -> bool {
        let mut n = 0usize;
        for (ri, ring) in self
            .rings
            .iter()
            .enumerate()
            .take(rings.end)
            .skip(rings.start)
        {
            if !ring.bbox.intersects(view) {
                continue;
            }
            for (ci, chunk) in ring.chunks.iter().enumerate() {
                if !chunk.intersects(view) {
                    continue;
                }
                let start = ci * CHUNK;
                let end = (start + CHUNK).min(ring.pts.len());
                for (vi, p) in ring.pts[start..end].iter().enumerate() {
                    if view.contains(*p) {
                        n += 1;
                        if n > limit {
                            return false;
                        }
                        f(ri, start + vi, *p);
                    }
                }
            }
        }
        true
    }

    /// The polygon (index into [`Self::polygons`]) containing `w` (holes excluded), the last one
    /// drawn first; and the hole of it that contains `w`, if the point is in a hole instead.
    pub fn polygon_at(&self, w: W) -> Option<(usize, Option<usize>)> {
        let mut hole_hit = None;
        for (pi, poly) in self.polygons.iter().enumerate().rev() {
            if !poly.bbox.contains(w) {
                continue;
            }
            let Some(ext) = self.rings.get(poly.rings.start) else {
                continue;
            };
            if !geo2d::point_in_ring(w, &ext.pts) {
                continue;
            }
            let hole = (poly.rings.start + 1..poly.rings.end).find(|&ri| {
                self.rings[ri].bbox.contains(w) && geo2d::point_in_ring(w, &self.rings[ri].pts)
            });
            match hole {
                None => return Some((pi, None)),
                Some(h) => {
                    if hole_hit.is_none() {
                        hole_hit = Some((pi, Some(h)));
                    }
                }
            }
        }
        hole_hit
    }
}

/// What a zoom level draws of one window of the geometry.
pub struct Lod {
    key: (u64, i32),
    window: WRect,
    origin: W,
    stored_scale: f64,
    fill: Mesh,
    /// (ring index, closed outline in local coordinates).
    outlines: Vec<(usize, Vec<Pos2>)>,
    lines: Vec<Vec<Pos2>>,
    points: Vec<Pos2>,
}

/// The zoom bucket (whole zoom level) for a zoom.
pub fn bucket(zoom: f64) -> i32 {
    zoom.floor() as i32
}

/// Half a pixel at the deepest zoom of a bucket, in world units.
pub fn tolerance(bucket: i32) -> f64 {
    0.5 / geo2d::scale_at(f64::from(bucket + 1))
}

impl Lod {
    /// Whether this level of detail still serves `xf` for geometry `key`.
    pub fn serves(&self, key: u64, xf: &Xform) -> bool {
        self.key == (key, bucket(xf.zoom)) && self.window.contains_rect(&xf.view())
    }

    /// Builds the level of detail of `geom` for the view of `xf`.
    pub fn build(geom: &Projected, xf: &Xform) -> Lod {
        let b = bucket(xf.zoom);
        let view = xf.view();
        let [w, h] = view.size();
        let window = view.expand(w, h);
        let tol = tolerance(b);
        let stored_scale = geo2d::scale_at(f64::from(b));
        let origin = window.min;
        let mut fill = Mesh::default();
        let mut outlines = Vec::new();
        let mut tri = Triangulator::default();
        let mut simplified: Vec<Vec<[f64; 2]>> = Vec::new();
        let mut scratch: Vec<W> = Vec::new();
        for poly in &geom.polygons {
            if !poly.bbox.intersects(&window) {
                continue;
            }
            simplified.clear();
            for ri in poly.rings.clone() {
                let ring = &geom.rings[ri];
                let mut local = Vec::new();
                if ring.bbox.intersects(&window) {
                    scratch.clear();
                    if window.contains_rect(&ring.bbox) {
                        geo2d::simplify_ring(&ring.pts, tol, &mut scratch);
                    } else {
                        let clipped = geo2d::clip_ring(&ring.pts, &window);
                        geo2d::simplify_ring(&clipped, tol, &mut scratch);
                    }
                    geo2d::to_local(&scratch, origin, stored_scale, &mut local);
                }
                if ri == poly.rings.start && local.len() < 3 {
                    break;
                }
                if local.len() >= 3 {
                    outlines.push((
                        ri,
                        local
                            .iter()
                            .map(|p| Pos2::new(p[0] as f32, p[1] as f32))
                            .collect(),
                    ));
                }
                simplified.push(local);
            }
            if simplified.first().is_some_and(|r| r.len() >= 3) {
                tri.add_polygon(
                    simplified.iter().map(Vec::as_slice),
                    Color32::WHITE,
                    &mut fill,
                );
            }
        }
        let mut lines = Vec::new();
        let mut points = Vec::new();
        for o in &geom.others {
            if !o.bbox.intersects(&window) {
                continue;
            }
            match o.kind {
                OtherKind::Point | OtherKind::MultiPoint => {
                    for p in o.parts.iter().flatten() {
                        if window.contains(*p) {
                            points.push(local_pos(*p, origin, stored_scale));
                        }
                    }
                }
                OtherKind::LineString | OtherKind::MultiLineString => {
                    for part in &o.parts {
                        let mut runs = Vec::new();
                        geo2d::clip_line(part, &window, &mut runs);
                        for run in runs {
                            scratch.clear();
                            geo2d::simplify_line(&run, tol, &mut scratch);
                            lines.push(
                                scratch
                                    .iter()
                                    .map(|p| local_pos(*p, origin, stored_scale))
                                    .collect(),
                            );
                        }
                    }
                }
            }
        }
        Lod {
            key: (geom.key, b),
            window,
            origin,
            stored_scale,
            fill,
            outlines,
            lines,
            points,
        }
    }

    /// The points drawn (fill vertices), for tests and benchmarks.
    pub fn drawn_vertices(&self) -> usize {
        self.outlines.iter().map(|(_, o)| o.len()).sum()
    }

    fn transform(&self, xf: &Xform) -> TSTransform {
        xf.local_to_screen(self.origin, self.stored_scale)
    }

    /// Paints fills, outlines, lines and points; the ring `selected` gets `selected_stroke`.
    pub fn paint(
        &self,
        painter: &egui::Painter,
        xf: &Xform,
        style: &GeomStyle,
        selected: Option<usize>,
    ) {
        let t = self.transform(xf);
        if !self.fill.is_empty() {
            painter.add(Shape::mesh(placed_mesh(&self.fill, t, style.fill)));
        }
        let mut selected_outline = None;
        for (ri, outline) in &self.outlines {
            let pts: Vec<Pos2> = outline.iter().map(|p| t * *p).collect();
            if Some(*ri) == selected {
                selected_outline = Some(pts);
            } else {
                painter.add(Shape::closed_line(pts, style.stroke));
            }
        }
        for line in &self.lines {
            painter.add(Shape::line(
                line.iter().map(|p| t * *p).collect(),
                style.stroke,
            ));
        }
        for p in &self.points {
            painter.circle(
                t * *p,
                4.0,
                style.stroke.color,
                Stroke::new(1.5, Color32::WHITE),
            );
        }
        if let Some(pts) = selected_outline {
            painter.add(Shape::closed_line(pts, style.selected_stroke));
        }
    }
}

/// Colours and strokes of the case's geometry.
#[derive(Debug, Clone, Copy)]
pub struct GeomStyle {
    /// Polygon fill.
    pub fill: Color32,
    /// Outlines and lines.
    pub stroke: Stroke,
    /// The selected ring's outline.
    pub selected_stroke: Stroke,
}

/// A fill colour that is valid premultiplied alpha: colours written as if premultiplied but
/// brighter than their alpha (which would glow instead of letting the map show through) are
/// read as unmultiplied.
pub fn sane_fill(c: Color32) -> Color32 {
    let [r, g, b, a] = c.to_array();
    if r > a || g > a || b > a {
        Color32::from_rgba_unmultiplied(r, g, b, a)
    } else {
        c
    }
}

/// The geometry caches of the map: projection and level of detail.
#[derive(Default)]
pub struct RenderCache {
    /// The projected geometry (rebuilt when its fingerprint changes).
    pub projected: Arc<Projected>,
    lod: Option<Lod>,
    /// How many times the level of detail was rebuilt (tests, benchmarks).
    pub lod_builds: u64,
}

impl RenderCache {
    /// Points drawn by the current level of detail.
    pub fn drawn_points(&self) -> usize {
        self.lod.as_ref().map_or(0, Lod::drawn_vertices)
    }

    /// Makes the projection current for `doc` (fingerprint `key`).
    pub fn update(&mut self, doc: Option<&GeoDocument>, key: u64) {
        if self.projected.key == key && (key != 0 || self.projected.rings.is_empty()) {
            return;
        }
        self.projected = Arc::new(match doc {
            Some(d) => Projected::build(d, key),
            None => Projected::default(),
        });
        self.lod = None;
    }

    /// The level of detail for `xf`, rebuilt if needed.
    pub fn lod(&mut self, xf: &Xform) -> &Lod {
        let stale = !self
            .lod
            .as_ref()
            .is_some_and(|l| l.serves(self.projected.key, xf));
        if stale {
            self.lod_builds += 1;
            self.lod = None;
        }
        let projected = &self.projected;
        self.lod.get_or_insert_with(|| Lod::build(projected, xf))
    }
}

fn local_pos(p: W, origin: W, scale: f64) -> Pos2 {
    Pos2::new(
        ((p[0] - origin[0]) * scale) as f32,
        ((p[1] - origin[1]) * scale) as f32,
    )
}

/// A copy of a cached mesh moved to the screen by `t` and filled with `color` (meshes are
/// kept in stored coordinates so panning and zooming need no new tessellation).
pub(super) fn placed_mesh(mesh: &Mesh, t: egui::emath::TSTransform, color: egui::Color32) -> Mesh {
    Mesh {
        indices: mesh.indices.clone(),
        vertices: mesh
            .vertices
            .iter()
            .map(|v| egui::epaint::Vertex {
                pos: t * v.pos,
                uv: v.uv,
                color,
            })
            .collect(),
        texture_id: mesh.texture_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_core::geometry::{GeoDocument, GeometryEdit, LonLat, Polygon};

    fn doc_with(ring: Vec<LonLat>) -> GeoDocument {
        let mut d = GeoDocument::new_empty();
        let _ = d.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon::from_exterior(ring)],
        });
        d
    }

    #[test]
    fn lod_is_reused_while_panning_inside_the_window() {
        let ring = vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(1.0, 0.0),
            LonLat::new(1.0, 1.0),
            LonLat::new(0.0, 1.0),
        ];
        let doc = doc_with(ring);
        let key = fingerprint(Some(&doc));
        let mut cache = RenderCache::default();
        cache.update(Some(&doc), key);
        assert_eq!(cache.projected.vertex_count, 4);
        let rect = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let xf = Xform::new(rect, LonLat::new(0.5, 0.5), 8.0);
        let _ = cache.lod(&xf);
        let _ = cache.lod(&Xform::new(rect, LonLat::new(0.51, 0.5), 8.0));
        assert_eq!(cache.lod_builds, 1);
        let _ = cache.lod(&Xform::new(rect, LonLat::new(0.5, 0.5), 9.2));
        assert_eq!(cache.lod_builds, 2);
        // The same geometry keeps its projection.
        let before = Arc::as_ptr(&cache.projected);
        cache.update(Some(&doc), key);
        assert_eq!(before, Arc::as_ptr(&cache.projected));
    }

    #[test]
    fn finds_polygons_and_holes() {
        let mut doc = doc_with(vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(4.0, 0.0),
            LonLat::new(4.0, 4.0),
            LonLat::new(0.0, 4.0),
        ]);
        let _ = doc.apply(GeometryEdit::InsertRing {
            at: RingRef::new(0, 0, 1),
            vertices: vec![
                LonLat::new(1.0, 1.0),
                LonLat::new(1.0, 2.0),
                LonLat::new(2.0, 2.0),
                LonLat::new(2.0, 1.0),
            ],
        });
        let p = Projected::build(&doc, 1);
        assert_eq!(p.polygon_at(geo2d::to_world(3.0, 3.0)), Some((0, None)));
        assert_eq!(p.polygon_at(geo2d::to_world(1.5, 1.5)), Some((0, Some(1))));
        assert_eq!(p.polygon_at(geo2d::to_world(5.0, 5.0)), None);
        let view = WRect::of(&[geo2d::to_world(-1.0, -1.0), geo2d::to_world(5.0, 5.0)]);
        let mut n = 0;
        assert!(p.vertices_in(&view, 100, |_, _, _| n += 1));
        assert_eq!(n, 8);
        assert!(!p.vertices_in(&view, 5, |_, _, _| {}));
    }
}
