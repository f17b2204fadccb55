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

use casebook_core::geometry::{
    FINGERPRINT_CHUNK, GeoDocument, LonLat, OtherKind, RingRef, chunk_fingerprint,
};
use egui::{Color32, Mesh, Pos2, Shape, Stroke, emath::TSTransform};

use super::geo2d::{self, Triangulator, W, WRect, Xform};

/// Vertices per chunk of a ring (each chunk has its own bounding box): the document's own
/// fingerprint chunks, so that an edit's chunks are found by comparing fingerprints the
/// document keeps, without hashing the ring.
pub const CHUNK: usize = FINGERPRINT_CHUNK;

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
    /// The document's fingerprint of each [`CHUNK`] of the ring's longitudes/latitudes
    /// ([`casebook_core::geometry::Shape::ring_chunk_fingerprints`]): an edit is found by
    /// comparing them, and only the chunks that changed are projected again.
    pub chunk_keys: Vec<u64>,
}

/// The document's chunk fingerprints of a ring, or (for a ring the document has none for)
/// computed here.
fn chunk_keys_of(doc_keys: Option<&[u64]>, ring: &[LonLat]) -> Vec<u64> {
    match doc_keys {
        Some(k) if k.len() == ring.len().div_ceil(CHUNK) => k.to_vec(),
        _ => ring.chunks(CHUNK).map(chunk_fingerprint).collect(),
    }
}

impl ProjRing {
    fn new(at: RingRef, ring: &[LonLat], doc_keys: Option<&[u64]>) -> ProjRing {
        let pts: Vec<W> = ring.iter().map(|v| geo2d::ll_to_world(*v)).collect();
        let chunks: Vec<WRect> = pts.chunks(CHUNK).map(WRect::of).collect();
        let chunk_keys = chunk_keys_of(doc_keys, ring);
        let bbox = chunks.iter().fold(WRect::EMPTY, |a, b| a.union(*b));
        ProjRing {
            at,
            pts,
            bbox,
            chunks,
            chunk_keys,
        }
    }

    /// Projects again the chunks of `ring` (same length as this ring) whose fingerprint
    /// (the document's, `doc_keys`) changed; returns whether any did. Only fingerprints are
    /// compared: the vertices of unchanged chunks are not read.
    fn refresh(&mut self, ring: &[LonLat], doc_keys: Option<&[u64]>) -> bool {
        let computed;
        let keys = match doc_keys {
            Some(k) if k.len() == self.chunk_keys.len() => k,
            _ => {
                computed = chunk_keys_of(None, ring);
                &computed
            }
        };
        let mut changed = false;
        for (ci, part) in ring.chunks(CHUNK).enumerate() {
            let k = keys[ci];
            if self.chunk_keys[ci] == k {
                continue;
            }
            changed = true;
            self.chunk_keys[ci] = k;
            let start = ci * CHUNK;
            let dst = &mut self.pts[start..start + part.len()];
            for (d, v) in dst.iter_mut().zip(part) {
                *d = geo2d::ll_to_world(*v);
            }
            self.chunks[ci] = WRect::of(dst);
        }
        if changed {
            self.bbox = self.chunks.iter().fold(WRect::EMPTY, |a, b| a.union(*b));
        }
        changed
    }
}

/// What [`Projected::update`] changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// Nothing: the geometry is the same.
    Same,
    /// Only these rings (indices into [`Projected::rings`]) moved some vertices; the rest,
    /// and the structure (shapes, polygons, ring lengths, lines and points), are the same.
    Rings(Vec<usize>),
    /// Everything was projected again.
    All,
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
    /// The document's fingerprint of the polygon when projected: while it is the same, an
    /// update skips the polygon without reading its vertices.
    doc_fingerprint: Option<u64>,
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
    /// The fingerprint of the lines and points.
    others_key: u64,
}

/// A fingerprint of a document's geometry (every coordinate's bits), to tell whether a
/// change of the case touched it.
///
/// Made of the fingerprints the document keeps per chunk of every ring, so that it costs a
/// few thousand steps for a million vertices, not a hash of every coordinate.
pub fn fingerprint(doc: Option<&GeoDocument>) -> u64 {
    let Some(doc) = doc else { return 0 };
    let mut keys = Vec::new();
    for shape in doc.shapes() {
        for (pi, polygon) in shape.polygons.iter().enumerate() {
            for (ri, ring) in polygon.rings.iter().enumerate() {
                keys.extend(chunk_keys_of(shape.ring_chunk_fingerprints(pi, ri), ring));
            }
        }
    }
    combine_keys(doc, keys.into_iter(), others_key(doc))
}

/// The fingerprint of the lines and points of a document.
fn others_key(doc: &GeoDocument) -> u64 {
    let mut h: u64 = 0x2545_f491_4f6c_dd1d;
    let mut add = |x: u64| h = (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    add(doc.others().len() as u64);
    for o in doc.others() {
        add(o.parts.len() as u64);
        for part in &o.parts {
            add(part.len() as u64);
            for v in part {
                add(v.lon.to_bits() ^ v.lat.to_bits().rotate_left(17));
            }
        }
    }
    h
}

/// The document's fingerprint from its structure, its rings' chunk fingerprints (in order)
/// and its lines' and points' fingerprint.
fn combine_keys(doc: &GeoDocument, chunk_keys: impl Iterator<Item = u64>, others: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |x: u64| h = (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    add(doc.shapes().len() as u64);
    for s in doc.shapes() {
        add(s.polygons.len() as u64);
        for p in &s.polygons {
            add(p.rings.len() as u64);
            for r in &p.rings {
                add(r.len() as u64);
            }
        }
    }
    for k in chunk_keys {
        add(k);
    }
    add(others);
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
                    out.vertex_count += ring.len();
                    let pr = ProjRing::new(
                        RingRef::new(s, p, r),
                        ring,
                        shape.ring_chunk_fingerprints(p, r),
                    );
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
                    doc_fingerprint: shape.polygon_fingerprint(p),
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
        out.others_key = others_key(doc);
        out
    }

    /// The fingerprint [`fingerprint`] gives for the document this was made from.
    fn compute_key(&self, doc: &GeoDocument) -> u64 {
        combine_keys(
            doc,
            self.rings.iter().flat_map(|r| r.chunk_keys.iter().copied()),
            self.others_key,
        )
    }

    /// Whether `doc` has the same shapes, polygons and ring lengths as this projection.
    fn same_structure(&self, doc: &GeoDocument) -> bool {
        let mut i = 0usize;
        for shape in doc.shapes() {
            for polygon in &shape.polygons {
                for ring in &polygon.rings {
                    match self.rings.get(i) {
                        Some(r) if r.pts.len() == ring.len() => i += 1,
                        _ => return false,
                    }
                }
            }
        }
        i == self.rings.len()
            && self.polygons.len() == doc.shapes().iter().map(|s| s.polygons.len()).sum::<usize>()
    }

    /// Brings the projection up to date with `doc`: when only vertices moved (the same
    /// shapes, polygons, ring lengths, lines and points), only the chunks of vertices that
    /// changed are projected again and the bounding boxes of their rings and polygons
    /// recomputed; otherwise everything is built again.
    pub fn update(&mut self, doc: &GeoDocument) -> Refresh {
        if self.key == 0 || !self.same_structure(doc) || self.others_key != others_key(doc) {
            *self = Projected::build(doc, 0);
            self.key = self.compute_key(doc);
            return Refresh::All;
        }
        let mut changed = Vec::new();
        let polygons = doc.shapes().iter().flat_map(|s| {
            s.polygons
                .iter()
                .enumerate()
                .map(move |(i, p)| (s, i, p, s.polygon_fingerprint(i)))
        });
        for (poly, (shape, pi, polygon, fp)) in self.polygons.iter_mut().zip(polygons) {
            // Unchanged polygons (by the document's own fingerprint) are not read at all.
            if fp.is_some() && poly.doc_fingerprint == fp {
                continue;
            }
            poly.doc_fingerprint = fp;
            for (k, (ri, ring)) in poly.rings.clone().zip(&polygon.rings).enumerate() {
                if self.rings[ri].refresh(ring, shape.ring_chunk_fingerprints(pi, k)) {
                    changed.push(ri);
                }
            }
        }
        if changed.is_empty() {
            return Refresh::Same;
        }
        for poly in &mut self.polygons {
            if changed.iter().any(|r| poly.rings.contains(r))
                && let Some(ext) = self.rings.get(poly.rings.start)
            {
                poly.bbox = ext.bbox;
            }
        }
        let mut bbox = WRect::EMPTY;
        for b in self
            .rings
            .iter()
            .map(|r| r.bbox)
            .chain(self.others.iter().map(|o| o.bbox))
        {
            if !b.is_empty() {
                bbox = bbox.union(b);
            }
        }
        self.bbox = (!bbox.is_empty()).then_some(bbox);
        self.key = self.compute_key(doc);
        Refresh::Rings(changed)
    }

    /// The index in [`Self::polygons`] of the polygon holding ring `ri`.
    pub fn polygon_of_ring(&self, ri: usize) -> Option<usize> {
        let i = self.polygons.partition_point(|p| p.rings.end <= ri);
        self.polygons
            .get(i)
            .is_some_and(|p| p.rings.contains(&ri))
            .then_some(i)
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
    /// One entry per polygon of the geometry (empty when it is out of the window), so that an
    /// edit rebuilds only the polygons whose rings changed.
    polys: Vec<PolyLod>,
    /// Per ring, its runs of vertices simplified at this level (see [`simplified_ring`]).
    runs: Vec<Vec<Run>>,
    lines: Vec<Vec<Pos2>>,
    points: Vec<Pos2>,
    /// How many times an edit moved a polygon's fill without triangulating it again.
    fills_moved: u64,
}

/// Chunks of vertices simplified together: a ring is simplified run by run (each run keeps
/// its first vertex), so that an edit simplifies again only the run it touched. 16 chunks
/// (4,096 vertices) keep the points forced by the runs' ends few (245 on a million).
pub const RUN_CHUNKS: usize = 16;

/// One run of a ring, simplified at a level of detail.
#[derive(Default, Clone)]
struct Run {
    /// The fingerprints of the run's chunks and of the chunk after it (its last edge ends
    /// there); 0 while not simplified.
    key: u64,
    /// The run's points kept (world coordinates), its first vertex first.
    pts: Vec<W>,
}

/// Appends the ring simplified to `tol` to `out`: each run of [`RUN_CHUNKS`] chunks is
/// simplified on its own (cached in `runs` by its fingerprint), and a run whose box lies
/// outside `window` comes down to its first and last vertex.
///
/// Such a run lies wholly on the far side of one of the window's edges, and so does the
/// straight segment that replaces it: the region between the two does not reach into the
/// window, and clipping the ring to the window gives the same fill. A 1,000,000-vertex ring
/// seen up close comes down to a few thousand points before it is clipped.
fn simplified_ring(
    ring: &ProjRing,
    window: &WRect,
    tol: f64,
    runs: &mut Vec<Run>,
    out: &mut Vec<W>,
) {
    let n = ring.pts.len();
    let nchunks = ring.chunks.len();
    if n == 0 {
        return;
    }
    let count = nchunks.div_ceil(RUN_CHUNKS);
    runs.resize_with(count, Run::default);
    let mut buf: Vec<W> = Vec::new();
    for (r, run) in runs.iter_mut().enumerate() {
        let c0 = r * RUN_CHUNKS;
        let c1 = (c0 + RUN_CHUNKS).min(nchunks);
        let start = c0 * CHUNK;
        let end = (c1 * CHUNK).min(n);
        let bbox = ring.chunks[c0..c1]
            .iter()
            .fold(WRect::EMPTY, |a, b| a.union(*b));
        if !bbox.intersects(window) {
            out.push(ring.pts[start]);
            if end - 1 > start {
                out.push(ring.pts[end - 1]);
            }
            continue;
        }
        let mut key: u64 = 0x9e37_79b9_7f4a_7c15;
        for k in ring.chunk_keys[c0..c1]
            .iter()
            .chain(ring.chunk_keys.get(c1 % nchunks))
        {
            key = (key.rotate_left(5) ^ k).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        let key = key.max(1);
        if run.key != key {
            buf.clear();
            buf.extend_from_slice(&ring.pts[start..end]);
            buf.push(ring.pts[end % n]);
            run.pts.clear();
            geo2d::simplify_open(&buf, tol, &mut run.pts);
            // The last point is the next run's first.
            run.pts.pop();
            run.key = key;
        }
        out.extend_from_slice(&run.pts);
    }
}

/// What a level of detail draws of one polygon.
#[derive(Default)]
struct PolyLod {
    fill: Mesh,
    /// (ring index, closed outline in local coordinates).
    outlines: Vec<(usize, Vec<Pos2>)>,
    /// The fill's vertex positions when it was triangulated, and the lengths of the rings
    /// it was made of: an edit that moves them less than [`KEEP_TRIANGLES_WITHIN`] keeps
    /// the triangles (see [`PolyLod::move_fill`]).
    triangulated: Vec<Pos2>,
    ring_lens: Vec<usize>,
}

/// How far (in local units: pixels at the level's whole zoom, so half a pixel at most on
/// screen) an edit may move a fill's vertices from where they were triangulated and keep the
/// triangles, each keeping its orientation.
const KEEP_TRIANGLES_WITHIN: f32 = 0.25;

impl PolyLod {
    /// Moves the fill's vertices to `rings` (local points, the first the exterior) without
    /// triangulating again, when the rings have the lengths the fill was made of, every
    /// point is within [`KEEP_TRIANGLES_WITHIN`] of where it was triangulated, and no
    /// triangle turns over or collapses. Returns whether it did; the fill is unchanged if not.
    ///
    /// The outline and the fill's vertices are then exactly what a fresh build gives; only
    /// which vertices the triangles join may differ, and the filled area differs from a
    /// fresh triangulation's by less than the vertices moved (under half a pixel). This is
    /// what makes dragging a vertex of a million-vertex polygon at full extent cheap: the
    /// vertex moves a fraction of a pixel per frame.
    fn move_fill(&mut self, rings: &[Vec<[f64; 2]>]) -> bool {
        let lens = rings.iter().map(Vec::len).filter(|&n| n >= 3);
        if self.fill.indices.is_empty() || !lens.eq(self.ring_lens.iter().copied()) {
            return false;
        }
        let new: Vec<Pos2> = rings
            .iter()
            .filter(|r| r.len() >= 3)
            .flatten()
            .map(|p| Pos2::new(p[0] as f32, p[1] as f32))
            .collect();
        if new.len() != self.triangulated.len() || new.len() != self.fill.vertices.len() {
            return false;
        }
        let mut moved = vec![false; new.len()];
        for (i, (a, b)) in new.iter().zip(&self.triangulated).enumerate() {
            let d = *a - *b;
            if d.x.abs() > KEEP_TRIANGLES_WITHIN || d.y.abs() > KEEP_TRIANGLES_WITHIN {
                return false;
            }
            moved[i] = a != b;
        }
        let area2 = |p: &[Pos2], t: &[u32]| -> Option<f32> {
            let [a, b, c] = [
                *p.get(t[0] as usize)?,
                *p.get(t[1] as usize)?,
                *p.get(t[2] as usize)?,
            ];
            Some((b - a).x * (c - a).y - (b - a).y * (c - a).x)
        };
        for t in self.fill.indices.chunks_exact(3) {
            if !t.iter().any(|&i| moved.get(i as usize) == Some(&true)) {
                continue;
            }
            let (Some(was), Some(now)) = (area2(&self.triangulated, t), area2(&new, t)) else {
                return false;
            };
            if was == 0.0 {
                continue;
            }
            if now == 0.0 || (now > 0.0) != (was > 0.0) {
                return false;
            }
        }
        for (v, p) in self.fill.vertices.iter_mut().zip(new) {
            v.pos = p;
        }
        true
    }
}

/// The zoom bucket (whole zoom level) for a zoom.
pub fn bucket(zoom: f64) -> i32 {
    zoom.floor() as i32
}

/// How far a simplified outline may stray from the true one, in world units: half a pixel
/// at the bucket's own zoom, so at most one pixel at its deepest.
///
/// A finer tolerance draws no different picture (anti-aliased strokes are wider than the
/// difference) but many more points where an outline zigzags within a pixel, as surveyed
/// boundaries do at city scale: on the London-sized test case (48,492 points, seen whole)
/// a quarter pixel keeps about 24,500 points and half a pixel about 13,600. Every point
/// drawn costs vertices, triangles and the software renderer's binning memory each frame.
pub fn tolerance(bucket: i32) -> f64 {
    0.5 / geo2d::scale_at(f64::from(bucket))
}

/// Scratch buffers reused while building a level of detail.
#[derive(Default)]
struct Scratch {
    tri: Triangulator,
    simplified: Vec<Vec<[f64; 2]>>,
    simple: Vec<W>,
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
        let mut lod = Lod {
            key: (geom.key, b),
            window,
            origin,
            stored_scale,
            polys: Vec::with_capacity(geom.polygons.len()),
            runs: Vec::new(),
            lines: Vec::new(),
            points: Vec::new(),
            fills_moved: 0,
        };
        let mut scratch = Scratch::default();
        for pi in 0..geom.polygons.len() {
            let p = lod.build_polygon(geom, pi, &mut scratch, None);
            lod.polys.push(p);
        }
        let mut simple: Vec<W> = Vec::new();
        for o in &geom.others {
            if !o.bbox.intersects(&window) {
                continue;
            }
            match o.kind {
                OtherKind::Point | OtherKind::MultiPoint => {
                    for p in o.parts.iter().flatten() {
                        if window.contains(*p) {
                            lod.points.push(local_pos(*p, origin, stored_scale));
                        }
                    }
                }
                OtherKind::LineString | OtherKind::MultiLineString => {
                    for part in &o.parts {
                        let mut runs = Vec::new();
                        geo2d::clip_line(part, &window, &mut runs);
                        for run in runs {
                            simple.clear();
                            geo2d::simplify_line(&run, tol, &mut simple);
                            lod.lines.push(
                                simple
                                    .iter()
                                    .map(|p| local_pos(*p, origin, stored_scale))
                                    .collect(),
                            );
                        }
                    }
                }
            }
        }
        lod
    }

    /// Clips, simplifies and triangulates polygon `pi` of `geom` for this level's window.
    /// With `old` (what the level drew of the polygon before an edit), its triangles are
    /// kept when the edit moved the fill's vertices less than half a pixel
    /// ([`PolyLod::move_fill`]).
    fn build_polygon(
        &mut self,
        geom: &Projected,
        pi: usize,
        s: &mut Scratch,
        old: Option<PolyLod>,
    ) -> PolyLod {
        let mut out = PolyLod::default();
        let Some(poly) = geom.polygons.get(pi) else {
            return out;
        };
        let window = self.window;
        if !poly.bbox.intersects(&window) {
            return out;
        }
        let tol = tolerance(self.key.1);
        s.simplified.clear();
        for ri in poly.rings.clone() {
            let ring = &geom.rings[ri];
            let mut local = Vec::new();
            let [w, h] = ring.bbox.size();
            // A ring smaller than the tolerance would not show.
            if ring.bbox.intersects(&window) && (w > tol || h > tol) {
                s.simple.clear();
                if self.runs.len() < geom.rings.len() {
                    self.runs.resize_with(geom.rings.len(), Vec::new);
                }
                simplified_ring(ring, &window, tol, &mut self.runs[ri], &mut s.simple);
                if window.contains_rect(&ring.bbox) {
                    geo2d::to_local(&s.simple, self.origin, self.stored_scale, &mut local);
                } else {
                    let clipped = geo2d::clip_ring(&s.simple, &window);
                    geo2d::to_local(&clipped, self.origin, self.stored_scale, &mut local);
                }
            }
            if ri == poly.rings.start && local.len() < 3 {
                break;
            }
            if local.len() >= 3 {
                out.outlines.push((
                    ri,
                    local
                        .iter()
                        .map(|p| Pos2::new(p[0] as f32, p[1] as f32))
                        .collect(),
                ));
            }
            s.simplified.push(local);
        }
        if s.simplified.first().is_some_and(|r| r.len() >= 3) {
            if let Some(mut old) = old
                && old.move_fill(&s.simplified)
            {
                out.fill = old.fill;
                out.triangulated = old.triangulated;
                out.ring_lens = old.ring_lens;
                self.fills_moved += 1;
                return out;
            }
            s.tri.add_polygon(
                s.simplified.iter().map(Vec::as_slice),
                Color32::WHITE,
                &mut out.fill,
            );
            out.triangulated = out.fill.vertices.iter().map(|v| v.pos).collect();
            out.ring_lens = s
                .simplified
                .iter()
                .map(Vec::len)
                .filter(|&n| n >= 3)
                .collect();
        }
        out
    }

    /// Rebuilds only the polygons holding `rings` (after [`Projected::update`] found that
    /// only they changed) and takes the new fingerprint: the rest of the level is kept.
    pub fn refresh_rings(&mut self, geom: &Projected, rings: &[usize]) {
        let mut polys: Vec<usize> = rings
            .iter()
            .filter_map(|&ri| geom.polygon_of_ring(ri))
            .collect();
        polys.dedup();
        let mut scratch = Scratch::default();
        for pi in polys {
            let old = self.polys.get_mut(pi).map(std::mem::take);
            let p = self.build_polygon(geom, pi, &mut scratch, old);
            if let Some(slot) = self.polys.get_mut(pi) {
                *slot = p;
            }
        }
        self.key.0 = geom.key;
    }

    /// The points drawn (fill vertices), for tests and benchmarks.
    pub fn drawn_vertices(&self) -> usize {
        self.outlines().map(|(_, o)| o.len()).sum()
    }

    /// Every outline: (ring index, closed outline in local coordinates).
    fn outlines(&self) -> impl Iterator<Item = &(usize, Vec<Pos2>)> {
        self.polys.iter().flat_map(|p| p.outlines.iter())
    }

    fn transform(&self, xf: &Xform) -> TSTransform {
        xf.local_to_screen(self.origin, self.stored_scale)
    }

    /// The outlines of the polygons on screen for `xf` (closed, not repeated at the end).
    pub fn screen_outlines(&self, xf: &Xform) -> Vec<Vec<Pos2>> {
        let t = self.transform(xf);
        self.outlines()
            .map(|(_, o)| o.iter().map(|p| t * *p).collect())
            .collect()
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
        let (nv, ni) = self.polys.iter().fold((0, 0), |(v, i), p| {
            (v + p.fill.vertices.len(), i + p.fill.indices.len())
        });
        if ni > 0 {
            let mut mesh = Mesh::default();
            mesh.vertices.reserve(nv);
            mesh.indices.reserve(ni);
            for p in &self.polys {
                let base = mesh.vertices.len() as u32;
                mesh.indices
                    .extend(p.fill.indices.iter().map(|i| base + *i));
                mesh.vertices
                    .extend(p.fill.vertices.iter().map(|v| egui::epaint::Vertex {
                        pos: t * v.pos,
                        uv: v.uv,
                        color: style.fill,
                    }));
            }
            painter.add(Shape::mesh(mesh));
        }
        let mut selected_outline = None;
        for (ri, outline) in self.outlines() {
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
    /// How many times only some polygons of the level of detail were rebuilt after an edit.
    pub lod_refreshes: u64,
}

impl RenderCache {
    /// Points drawn by the current level of detail.
    pub fn drawn_points(&self) -> usize {
        self.lod.as_ref().map_or(0, Lod::drawn_vertices)
    }

    /// How many times an edit moved a polygon's fill in the current level of detail without
    /// triangulating it again (tests, benchmarks).
    pub fn fills_moved(&self) -> u64 {
        self.lod.as_ref().map_or(0, |l| l.fills_moved)
    }

    /// Makes the projection current for `doc` and returns its fingerprint (see
    /// [`fingerprint`]). When only vertices moved, only their chunks are projected again and
    /// only the polygons holding them are rebuilt in the level of detail.
    pub fn update(&mut self, doc: Option<&GeoDocument>) -> u64 {
        let Some(doc) = doc else {
            if self.projected.key != 0 || !self.projected.rings.is_empty() {
                self.projected = Arc::new(Projected::default());
                self.lod = None;
            }
            return 0;
        };
        // The frame's own copy of the Arc is gone by now: this does not copy.
        let projected = Arc::make_mut(&mut self.projected);
        match projected.update(doc) {
            Refresh::Same => {}
            Refresh::All => self.lod = None,
            Refresh::Rings(rings) => {
                if let Some(lod) = &mut self.lod {
                    lod.refresh_rings(projected, &rings);
                    self.lod_refreshes += 1;
                }
            }
        }
        projected.key
    }

    /// Uses a geometry projected elsewhere (on a job), such as the reference boundary.
    pub fn set_projected(&mut self, projected: Arc<Projected>) {
        self.projected = projected;
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
        assert_eq!(cache.update(Some(&doc)), key);
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
        assert_eq!(cache.update(Some(&doc)), key);
        assert_eq!(before, Arc::as_ptr(&cache.projected));
        assert_eq!(cache.lod_builds, 2);
    }

    /// A ragged ring of `n` vertices around (0.5, 0.5), one degree across.
    fn ragged(n: usize) -> Vec<LonLat> {
        (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                let r = 0.5 + 0.05 * (a * 37.0).sin() + 0.02 * (a * 301.0).sin();
                LonLat::new(0.5 + r * a.cos(), 0.5 + r * a.sin())
            })
            .collect()
    }

    /// The distance from `p` to the closed outline `o`.
    fn distance_to_outline(p: Pos2, o: &[Pos2]) -> f32 {
        (0..o.len())
            .map(|i| {
                let (a, b) = (o[i], o[(i + 1) % o.len()]);
                let ab = b - a;
                let t = ((p - a).dot(ab) / ab.length_sq().max(f32::EPSILON)).clamp(0.0, 1.0);
                (a + t * ab).distance(p)
            })
            .fold(f32::INFINITY, f32::min)
    }

    #[test]
    fn outlines_stay_within_half_a_pixel_at_the_buckets_zoom_and_drop_subpixel_zigzags() {
        // A ring 0.2 degrees across whose vertices zigzag by 0.15 px (at zoom 10) in and out.
        let n = 4_000;
        let px = 1.0 / (256.0 * 1024.0 / 360.0);
        let ring: Vec<LonLat> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                let r = 0.1 + if i % 2 == 0 { 0.15 } else { -0.15 } * px;
                LonLat::new(r * a.cos(), r * a.sin())
            })
            .collect();
        let doc = doc_with(ring.clone());
        let rect = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        for (zoom, within) in [(10.0, 0.5), (10.99, 1.0)] {
            let mut cache = RenderCache::default();
            let _ = cache.update(Some(&doc));
            let xf = Xform::new(rect, LonLat::new(0.0, 0.0), zoom);
            let drawn = cache.lod(&xf).screen_outlines(&xf);
            assert_eq!(drawn.len(), 1);
            let worst = ring
                .iter()
                .map(|v| distance_to_outline(xf.ll_to_screen(*v), &drawn[0]))
                .fold(0.0, f32::max);
            assert!(
                worst <= within + 0.01,
                "zoom {zoom}: a vertex {worst} px from the outline drawn"
            );
            assert!(
                drawn[0].len() < n / 4,
                "zoom {zoom}: {} of {n} points drawn for a zigzag under half a pixel",
                drawn[0].len()
            );
        }
    }

    fn lod_summary(lod: &Lod) -> (Vec<Vec<Pos2>>, Vec<Pos2>, Vec<u32>) {
        let outlines = lod.outlines().map(|(_, o)| o.clone()).collect();
        let fill = lod
            .polys
            .iter()
            .flat_map(|p| p.fill.vertices.iter().map(|v| v.pos))
            .collect();
        let idx = lod
            .polys
            .iter()
            .flat_map(|p| p.fill.indices.iter().copied())
            .collect();
        (outlines, fill, idx)
    }

    #[test]
    fn moving_a_vertex_updates_only_its_chunk_and_polygon_and_matches_a_full_build() {
        let mut doc = doc_with(ragged(5_000));
        let _ = doc.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon::from_exterior(vec![
                LonLat::new(3.0, 3.0),
                LonLat::new(3.2, 3.0),
                LonLat::new(3.2, 3.2),
            ])],
        });
        let rect = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let mut cache = RenderCache::default();
        let k0 = cache.update(Some(&doc));
        // Up close (the ring is clipped to the window) and from afar (it is whole).
        for (center, zoom) in [(LonLat::new(1.0, 0.5), 12.5), (LonLat::new(1.5, 1.5), 7.3)] {
            let xf = Xform::new(rect, center, zoom);
            let _ = cache.lod(&xf);
            let builds = cache.lod_builds;
            let v = doc.shapes()[0].polygons[0].rings[0][1000];
            let _ = doc.apply(GeometryEdit::MoveVertex {
                at: casebook_core::geometry::VertexRef::new(0, 0, 0, 1000),
                to: LonLat::new(v.lon + 0.01, v.lat - 0.02),
            });
            let k1 = cache.update(Some(&doc));
            assert_ne!(k1, k0);
            assert_eq!(k1, fingerprint(Some(&doc)));
            let _ = cache.lod(&xf);
            assert_eq!(
                cache.lod_builds, builds,
                "an edit keeps the level of detail"
            );
            // The same as projecting and building from scratch.
            let fresh = Projected::build(&doc, k1);
            assert_eq!(fresh.rings[0].pts, cache.projected.rings[0].pts);
            assert_eq!(fresh.rings[0].chunks, cache.projected.rings[0].chunks);
            assert_eq!(fresh.rings[0].bbox, cache.projected.rings[0].bbox);
            assert_eq!(fresh.bbox, cache.projected.bbox);
            let full = Lod::build(&fresh, &xf);
            let Some(inc) = cache.lod.as_ref() else {
                panic!("no level of detail");
            };
            assert_eq!(lod_summary(&full), lod_summary(inc));
        }
        assert_eq!(cache.lod_refreshes, 2);
        // Inserting a vertex changes the structure: everything is built again.
        let _ = doc.apply(GeometryEdit::InsertVertex {
            at: casebook_core::geometry::VertexRef::new(0, 0, 0, 10),
            pos: LonLat::new(0.9, 0.4),
        });
        assert_eq!(cache.update(Some(&doc)), fingerprint(Some(&doc)));
        assert_eq!(cache.projected.vertex_count, 5_004);
    }

    /// Twice the filled area of a mesh (signed, summed over its triangles).
    fn mesh_area2(mesh: &Mesh) -> f64 {
        mesh.indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| mesh.vertices[t[k] as usize].pos);
                f64::from((b - a).x) * f64::from((c - a).y)
                    - f64::from((b - a).y) * f64::from((c - a).x)
            })
            .sum()
    }

    #[test]
    fn a_sub_pixel_vertex_move_keeps_the_triangles_and_draws_what_a_full_build_draws() {
        let mut doc = doc_with(ragged(20_000));
        let rect = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let mut cache = RenderCache::default();
        cache.update(Some(&doc));
        // The whole ring in view; its first vertex is always kept by the level of detail.
        let xf = Xform::new(rect, LonLat::new(0.5, 0.5), 9.3);
        let _ = cache.lod(&xf);
        let at = casebook_core::geometry::VertexRef::new(0, 0, 0, 0);
        let v = doc.shapes()[0].polygons[0].rings[0][0];
        // Moves of a tenth of a pixel at this zoom. The first keeps the triangles; the others
        // change which points the level of detail keeps nearby (the same number, another
        // place), so they are triangulated again: either way, what is drawn is a full build's.
        let step = 0.1 / geo2d::scale_at(9.3) * 360.0;
        for (i, to) in [
            LonLat::new(v.lon + step, v.lat),
            LonLat::new(v.lon, v.lat + step),
            v,
        ]
        .into_iter()
        .enumerate()
        {
            let _ = doc.apply(GeometryEdit::MoveVertex { at, to });
            cache.update(Some(&doc));
            let _ = cache.lod(&xf);
            assert_eq!(cache.lod_builds, 1);
            if i == 0 {
                assert_eq!(cache.fills_moved(), 1, "the triangles are kept");
            }
            let fresh = Lod::build(&Projected::build(&doc, 1), &xf);
            let Some(inc) = cache.lod.as_ref() else {
                panic!("no level of detail");
            };
            let (o1, f1, _) = lod_summary(&fresh);
            let (o2, f2, _) = lod_summary(inc);
            assert_eq!(o1, o2, "the outlines are a full build's");
            assert_eq!(f1, f2, "the fill's vertices are a full build's");
            let (a1, a2) = (
                mesh_area2(&fresh.polys[0].fill),
                mesh_area2(&inc.polys[0].fill),
            );
            assert!((a1 - a2).abs() <= a1.abs() * 1e-6, "{a1} vs {a2}");
        }
        // A move of many pixels triangulates again, as a full build does.
        let _ = doc.apply(GeometryEdit::MoveVertex {
            at,
            to: LonLat::new(v.lon + 0.02, v.lat + 0.01),
        });
        let kept = cache.fills_moved();
        cache.update(Some(&doc));
        let _ = cache.lod(&xf);
        assert_eq!(cache.fills_moved(), kept);
        let fresh = Lod::build(&Projected::build(&doc, 1), &xf);
        let Some(inc) = cache.lod.as_ref() else {
            panic!("no level of detail");
        };
        assert_eq!(lod_summary(&fresh), lod_summary(inc));
    }

    #[test]
    fn runs_outside_the_window_are_cut_short_and_keep_the_clipped_fill() {
        let pr = ProjRing::new(RingRef::new(0, 0, 0), &ragged(40_000), None);
        let ring = pr.pts.clone();
        let c = geo2d::to_world(1.0, 0.5);
        let d = 0.0005;
        let window = WRect {
            min: [c[0] - d, c[1] - d],
            max: [c[0] + d, c[1] + d],
        };
        // A tolerance too small to drop anything: only the runs outside are cut short.
        let mut runs = Vec::new();
        let mut reduced = Vec::new();
        simplified_ring(&pr, &window, 1e-15, &mut runs, &mut reduced);
        assert!(reduced.len() < ring.len() / 2, "{}", reduced.len());
        let area = |r: &[W]| {
            let n = r.len();
            (0..n)
                .map(|i| {
                    let (a, b) = (r[i], r[(i + 1) % n]);
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum::<f64>()
                / 2.0
        };
        let full = area(&geo2d::clip_ring(&ring, &window));
        let fast = area(&geo2d::clip_ring(&reduced, &window));
        assert!(full.abs() > 0.0);
        assert!((full - fast).abs() <= full.abs() * 1e-9, "{full} vs {fast}");
        // Whole (a window holding the ring), nothing is cut short.
        let all = pr.bbox.expand(0.1, 0.1);
        let mut runs = Vec::new();
        let mut whole = Vec::new();
        simplified_ring(&pr, &all, 1e-15, &mut runs, &mut whole);
        assert_eq!(whole, ring);
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
