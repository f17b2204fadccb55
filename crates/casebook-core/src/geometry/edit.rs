//! [`GeometryEdit`]: the only way a [`GeoDocument`]'s geometry changes, each with an exact inverse.
//!
//! Positions set by an edit are rounded to 6 decimals and rings it sets must have 3 distinct
//! vertices; the inverse returned by [`GeoDocument::apply`] is wrapped in
//! [`GeometryEdit::Verbatim`], which skips both, so undo restores the old values bit for bit even
//! when they were degenerate or had 15 decimals. Out-of-range addresses and non-finite numbers
//! are errors, never panics, and a failed edit changes nothing.
//!
//! Winding: an edited ring keeps its orientation (a file that winds every ring clockwise stays
//! that way after a vertex is dragged or a ring is replaced); new rings (a new shape, polygon
//! or hole) are wound as RFC 7946 asks, exteriors counter-clockwise and holes clockwise. Only
//! [`GeometryEdit::ReverseRing`] turns a ring around.

use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue, JsonObject};

use super::document::{GeoDocument, Shape, ShapeKind, ShapeLocation};
use super::error::GeoError;
use super::model::{
    LonLat, Polygon, Ring, RingRef, VertexRef, has_distinct, open_ring, reverse_ring,
    ring_is_clockwise, wind_ring,
};
use super::read;

/// One change of a document's geometry. Apply with [`GeoDocument::apply`].
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryEdit {
    /// Moves one vertex.
    MoveVertex {
        /// The vertex.
        at: VertexRef,
        /// Its new position.
        to: LonLat,
    },
    /// Inserts a vertex before `at.vertex` (`at.vertex == ring length` appends).
    InsertVertex {
        /// Where the new vertex goes.
        at: VertexRef,
        /// Its position.
        pos: LonLat,
    },
    /// Removes a vertex; refused if the ring would keep fewer than 3 distinct vertices.
    RemoveVertex {
        /// The vertex.
        at: VertexRef,
    },
    /// Replaces a whole ring (vertex table, paste). A closing position repeating the first is
    /// dropped (rings are stored open); the ring keeps the orientation of the ring it replaces.
    SetRing {
        /// The ring.
        at: RingRef,
        /// Its new vertices.
        vertices: Ring,
    },
    /// Sets whether the shape's rings that are not closed in the file get their closing
    /// position when written (CB018's fix for unclosed rings; `close: false` undoes it).
    CloseRings {
        /// The shape.
        shape: usize,
        /// Close them (or leave them as the file has them).
        close: bool,
    },
    /// Reverses a ring's direction exactly: the first vertex stays first and the others come in
    /// reverse order, so the file holds the same position texts in reverse (CB018's fix).
    ReverseRing {
        /// The ring.
        at: RingRef,
    },
    /// Inserts a hole before `at.ring` (which must be ≥ 1: ring 0 is the exterior).
    InsertRing {
        /// Where the hole goes.
        at: RingRef,
        /// Its vertices.
        vertices: Ring,
    },
    /// Removes a hole (`at.ring` ≥ 1; remove the polygon to drop its exterior).
    RemoveRing {
        /// The hole.
        at: RingRef,
    },
    /// Inserts a polygon into a shape before `index` (several polygons make a MultiPolygon).
    InsertPolygon {
        /// The shape.
        shape: usize,
        /// Where the polygon goes.
        index: usize,
        /// The polygon.
        polygon: Polygon,
    },
    /// Removes a polygon from a shape; refused for its last polygon (remove the shape instead).
    RemovePolygon {
        /// The shape.
        shape: usize,
        /// The polygon.
        index: usize,
    },
    /// Replaces one polygon of a shape.
    SetPolygon {
        /// The shape.
        shape: usize,
        /// The polygon.
        index: usize,
        /// Its new value.
        polygon: Polygon,
    },
    /// Moves a whole polygon by a longitude/latitude offset in degrees.
    TranslatePolygon {
        /// The shape.
        shape: usize,
        /// The polygon.
        polygon: usize,
        /// Longitude offset in degrees.
        dlon: f64,
        /// Latitude offset in degrees.
        dlat: f64,
    },
    /// Replaces all polygons of one shape (simplification, import into an existing shape).
    SetPolygons {
        /// The shape.
        shape: usize,
        /// Its new polygons (at least one).
        polygons: Vec<Polygon>,
    },
    /// Adds a new shape at the end of the file: a new Feature with a (Multi)Polygon in a
    /// FeatureCollection; the geometry of a Feature without one; otherwise the polygon joins a
    /// GeometryCollection (the existing geometry is wrapped in one if needed).
    AddShape {
        /// Its polygons (one makes a Polygon, several a MultiPolygon).
        polygons: Vec<Polygon>,
    },
    /// Adds a new shape like [`GeometryEdit::AddShape`], with the `properties` of its Feature
    /// (import keeps each imported feature's properties). Where the file has no
    /// FeatureCollection at its top there is no Feature to hold them, and only the polygons are
    /// added: [`GeoDocument::keeps_feature_properties`] says which.
    AddFeature {
        /// Its polygons (one makes a Polygon, several a MultiPolygon).
        polygons: Vec<Polygon>,
        /// The Feature's `properties`.
        properties: JsonObject,
    },
    /// Removes a shape: its whole Feature in a FeatureCollection, its member of a
    /// GeometryCollection, the geometry of a single Feature (set to null), or a bare root
    /// geometry (the file becomes an empty FeatureCollection).
    RemoveShape {
        /// The shape.
        shape: usize,
    },
    /// Makes `polygons` the file's only editable geometry (import): shape 0 gets them and the
    /// other shapes are removed, or a shape is added if there is none.
    ReplaceAll {
        /// The new polygons (at least one).
        polygons: Vec<Polygon>,
    },
    /// Several edits as one: all are applied or none.
    Batch(Vec<GeometryEdit>),
    /// Applies the inner edit exactly: no rounding, no refusal of degenerate rings (indices and
    /// numbers are still checked). Inverses are built this way so undo restores bit for bit.
    Verbatim(Box<GeometryEdit>),
    /// Puts back a part of the file's structure (the inverse of adding or removing a shape);
    /// only built by [`GeoDocument::apply`].
    Restructure(Restructure),
}

impl GeometryEdit {
    /// A short sentence-case label for undo menus, e.g. "Move vertex".
    pub fn label(&self) -> &'static str {
        match self {
            GeometryEdit::MoveVertex { .. } => "Move vertex",
            GeometryEdit::InsertVertex { .. } => "Insert vertex",
            GeometryEdit::RemoveVertex { .. } => "Remove vertex",
            GeometryEdit::SetRing { .. } => "Set ring",
            GeometryEdit::ReverseRing { .. } => "Reverse ring",
            GeometryEdit::CloseRings { .. } => "Close rings",
            GeometryEdit::InsertRing { .. } => "Add hole",
            GeometryEdit::RemoveRing { .. } => "Remove hole",
            GeometryEdit::InsertPolygon { .. } => "Add polygon",
            GeometryEdit::RemovePolygon { .. } => "Remove polygon",
            GeometryEdit::SetPolygon { .. } => "Set polygon",
            GeometryEdit::TranslatePolygon { .. } => "Move polygon",
            GeometryEdit::SetPolygons { .. } => "Replace shape",
            GeometryEdit::AddShape { .. } => "Add shape",
            GeometryEdit::AddFeature { .. } => "Add feature",
            GeometryEdit::RemoveShape { .. } => "Remove shape",
            GeometryEdit::ReplaceAll { .. } => "Replace boundary",
            GeometryEdit::Batch(_) => "Edit geometry",
            GeometryEdit::Verbatim(inner) => inner.label(),
            GeometryEdit::Restructure(_) => "Restore structure",
        }
    }
}

/// An exact change of the file's structure and shape list (opaque; see
/// [`GeometryEdit::Restructure`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Restructure {
    tree: TreeOp,
    shapes: ShapeOp,
}

/// One change of the `geojson` tree.
#[derive(Debug, Clone, PartialEq)]
enum TreeOp {
    InsertFeature {
        index: usize,
        feature: Box<Feature>,
    },
    RemoveFeature {
        index: usize,
    },
    InsertMember {
        collection: ShapeLocation,
        index: usize,
        geometry: Box<Geometry>,
    },
    RemoveMember {
        collection: ShapeLocation,
        index: usize,
    },
    /// The geometry of the root Feature.
    SetFeatureGeometry {
        geometry: Option<Box<Geometry>>,
    },
    SetRoot(Box<GeoJson>),
}

/// One change of the shape list.
#[derive(Debug, Clone, PartialEq)]
enum ShapeOp {
    Insert { index: usize, shape: Box<Shape> },
    Remove { index: usize },
}

fn no_shape(shape: usize, count: usize) -> GeoError {
    GeoError::NoSuchTarget(format!("shape {shape} (the file has {count})"))
}

/// Refuses non-finite positions (NaN, infinity).
/// A position to write: refused when not finite, rounded to 6 decimals unless `verbatim`.
fn position(p: LonLat, verbatim: bool) -> Result<LonLat, GeoError> {
    check_finite(p)?;
    Ok(if verbatim { p } else { p.rounded6() })
}

fn check_finite(p: LonLat) -> Result<(), GeoError> {
    if p.is_finite() {
        Ok(())
    } else {
        Err(GeoError::Refused(format!(
            "position ({}, {}) is not a finite number",
            p.lon, p.lat
        )))
    }
}

/// Checks and (unless verbatim) normalizes a ring given by an edit: closing position dropped,
/// rounded to 6 decimals, at least 3 distinct vertices, wound clockwise when `clockwise` says
/// so (and counter-clockwise when it says not).
fn prepare_ring(mut ring: Ring, verbatim: bool, clockwise: bool) -> Result<Ring, GeoError> {
    for p in &ring {
        check_finite(*p)?;
    }
    if verbatim {
        return Ok(ring);
    }
    open_ring(&mut ring);
    for p in &mut ring {
        *p = p.rounded6();
    }
    if !has_distinct(&ring, 3) {
        return Err(GeoError::Refused(
            "a ring needs at least 3 distinct vertices".to_string(),
        ));
    }
    wind_ring(&mut ring, clockwise);
    Ok(ring)
}

/// The orientation (clockwise or not) a ring set at index `ring` of a polygon gets: that of the
/// ring it replaces (`like`, the orientations of the old polygon's rings) when it had one,
/// else RFC 7946's (exterior counter-clockwise, holes clockwise).
fn target_clockwise(like: Option<&[Option<bool>]>, ring: usize) -> bool {
    like.and_then(|l| l.get(ring).copied().flatten())
        .unwrap_or(ring > 0)
}

/// The orientations of a polygon's rings (`None` for rings without area).
fn orientations(polygon: &Polygon) -> Vec<Option<bool>> {
    polygon.rings.iter().map(|r| ring_is_clockwise(r)).collect()
}

/// Checks and normalizes a polygon given by an edit (at least an exterior ring), wound like
/// the polygon it replaces (`like`) or, for a new polygon, as RFC 7946 asks.
fn prepare_polygon(
    polygon: Polygon,
    verbatim: bool,
    like: Option<&[Option<bool>]>,
) -> Result<Polygon, GeoError> {
    if !verbatim && polygon.rings.is_empty() {
        return Err(GeoError::Refused(
            "a polygon needs an exterior ring".to_string(),
        ));
    }
    Ok(Polygon {
        rings: polygon
            .rings
            .into_iter()
            .enumerate()
            .map(|(i, r)| prepare_ring(r, verbatim, target_clockwise(like, i)))
            .collect::<Result<_, _>>()?,
    })
}

/// Checks and normalizes the polygons of a shape given by an edit (at least one), each wound
/// like the polygon at its index in `like` (see [`prepare_polygon`]).
fn prepare_polygons(
    polygons: Vec<Polygon>,
    verbatim: bool,
    like: &[Vec<Option<bool>>],
) -> Result<Vec<Polygon>, GeoError> {
    if !verbatim && polygons.is_empty() {
        return Err(GeoError::Refused(
            "a shape needs at least one polygon".to_string(),
        ));
    }
    polygons
        .into_iter()
        .enumerate()
        .map(|(i, p)| prepare_polygon(p, verbatim, like.get(i).map(Vec::as_slice)))
        .collect()
}

impl GeoDocument {
    /// Applies an edit and returns its inverse: applying the inverse restores the model
    /// exactly. On error nothing is changed.
    pub fn apply(&mut self, edit: GeometryEdit) -> Result<GeometryEdit, GeoError> {
        let inverse = self.apply_inner(edit, false)?;
        self.issues_cache = std::sync::OnceLock::new();
        Ok(match inverse {
            GeometryEdit::Restructure(_) => inverse,
            other => GeometryEdit::Verbatim(Box::new(other)),
        })
    }

    /// Applies an edit; returns the raw inverse (meant to be applied verbatim).
    ///
    /// `verbatim` edits are applied as given (undo, and edits that set what a file holds);
    /// others are checked and normalized first (rounded to 6 decimals, wound as RFC 7946
    /// asks, refused when they would break a ring or leave nothing).
    fn apply_inner(
        &mut self,
        edit: GeometryEdit,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        match edit {
            GeometryEdit::MoveVertex { at, to } => self.apply_move_vertex(at, to, verbatim),
            GeometryEdit::InsertVertex { at, pos } => self.apply_insert_vertex(at, pos, verbatim),
            GeometryEdit::RemoveVertex { at } => self.apply_remove_vertex(at, verbatim),
            GeometryEdit::SetRing { at, vertices } => self.apply_set_ring(at, vertices, verbatim),
            GeometryEdit::CloseRings { shape, close } => {
                let count = self.shapes.len();
                let s = self
                    .shapes
                    .get_mut(shape)
                    .ok_or_else(|| no_shape(shape, count))?;
                let old = std::mem::replace(&mut s.close_rings, close);
                Ok(GeometryEdit::CloseRings { shape, close: old })
            }
            GeometryEdit::ReverseRing { at } => self.with_ring(at, |ring| {
                reverse_ring(ring);
                Ok(GeometryEdit::ReverseRing { at })
            }),
            GeometryEdit::InsertRing { at, vertices } => {
                self.apply_insert_ring(at, vertices, verbatim)
            }
            GeometryEdit::RemoveRing { at } => self.apply_remove_ring(at, verbatim),
            GeometryEdit::InsertPolygon {
                shape,
                index,
                polygon,
            } => self.apply_insert_polygon(shape, index, polygon, verbatim),
            GeometryEdit::RemovePolygon { shape, index } => {
                self.apply_remove_polygon(shape, index, verbatim)
            }
            GeometryEdit::SetPolygon {
                shape,
                index,
                polygon,
            } => self.apply_set_polygon(shape, index, polygon, verbatim),
            GeometryEdit::TranslatePolygon {
                shape,
                polygon,
                dlon,
                dlat,
            } => self.apply_translate_polygon(shape, polygon, (dlon, dlat), verbatim),
            GeometryEdit::SetPolygons { shape, polygons } => {
                self.apply_set_polygons(shape, polygons, verbatim)
            }
            GeometryEdit::AddShape { polygons } => {
                let polygons = prepare_polygons(polygons, verbatim, &[])?;
                let restructure = self.add_shape_change(Shape::created(polygons), None);
                self.restructure(restructure).map(GeometryEdit::Restructure)
            }
            GeometryEdit::AddFeature {
                polygons,
                properties,
            } => {
                let polygons = prepare_polygons(polygons, verbatim, &[])?;
                let restructure = self.add_shape_change(Shape::created(polygons), Some(properties));
                self.restructure(restructure).map(GeometryEdit::Restructure)
            }
            GeometryEdit::RemoveShape { shape } => {
                let restructure = self.remove_shape_change(shape)?;
                self.restructure(restructure).map(GeometryEdit::Restructure)
            }
            GeometryEdit::ReplaceAll { polygons } => self.apply_replace_all(polygons, verbatim),
            GeometryEdit::Batch(edits) => self.apply_batch(edits, verbatim),
            GeometryEdit::Verbatim(inner) => self.apply_inner(*inner, true),
            GeometryEdit::Restructure(r) => self.restructure(r).map(GeometryEdit::Restructure),
        }
    }

    /// [`GeometryEdit::MoveVertex`].
    fn apply_move_vertex(
        &mut self,
        at: VertexRef,
        to: LonLat,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let to = position(to, verbatim)?;
        // Only the moved vertex's chunk is hashed again (a million-vertex polygon).
        self.with_ring_refreshing(
            at.ring_ref(),
            |ring| {
                let v = ring
                    .get_mut(at.vertex)
                    .ok_or_else(|| GeoError::NoSuchTarget(format!("vertex {at:?}")))?;
                let old = std::mem::replace(v, to);
                Ok(GeometryEdit::MoveVertex { at, to: old })
            },
            |s| s.refresh_vertex(at.polygon, at.ring, at.vertex),
        )
    }

    /// [`GeometryEdit::InsertVertex`].
    fn apply_insert_vertex(
        &mut self,
        at: VertexRef,
        pos: LonLat,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let pos = position(pos, verbatim)?;
        self.with_ring(at.ring_ref(), |ring| {
            if at.vertex > ring.len() {
                return Err(GeoError::NoSuchTarget(format!(
                    "vertex position {} in a ring of {}",
                    at.vertex,
                    ring.len()
                )));
            }
            ring.insert(at.vertex, pos);
            Ok(GeometryEdit::RemoveVertex { at })
        })
    }

    /// [`GeometryEdit::RemoveVertex`]: refused (unless verbatim) when the ring would keep
    /// fewer than 3 distinct vertices.
    fn apply_remove_vertex(
        &mut self,
        at: VertexRef,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        self.with_ring(at.ring_ref(), |ring| {
            if at.vertex >= ring.len() {
                return Err(GeoError::NoSuchTarget(format!("vertex {at:?}")));
            }
            let old = ring.remove(at.vertex);
            if !verbatim && !has_distinct(ring, 3) {
                ring.insert(at.vertex, old);
                return Err(GeoError::Refused(
                    "a ring needs at least 3 distinct vertices".to_string(),
                ));
            }
            Ok(GeometryEdit::InsertVertex { at, pos: old })
        })
    }

    /// [`GeometryEdit::SetRing`]: the new ring is wound like the one it replaces.
    fn apply_set_ring(
        &mut self,
        at: RingRef,
        vertices: Ring,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let old = self
            .shapes
            .get(at.shape)
            .and_then(|s| s.polygons.get(at.polygon))
            .map(orientations);
        let clockwise = target_clockwise(old.as_deref(), at.ring);
        let vertices = prepare_ring(vertices, verbatim, clockwise)?;
        self.with_ring(at, |ring| {
            let old = std::mem::replace(ring, vertices);
            Ok(GeometryEdit::SetRing { at, vertices: old })
        })
    }

    /// [`GeometryEdit::InsertRing`]: a hole (unless verbatim, ring 0 is refused when the
    /// polygon has an exterior).
    fn apply_insert_ring(
        &mut self,
        at: RingRef,
        vertices: Ring,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let vertices = prepare_ring(vertices, verbatim, target_clockwise(None, at.ring))?;
        self.with_polygon(at.shape, at.polygon, |polygon| {
            if at.ring > polygon.rings.len() {
                return Err(GeoError::NoSuchTarget(format!("ring position {at:?}")));
            }
            if !verbatim && at.ring == 0 && !polygon.rings.is_empty() {
                return Err(GeoError::Refused(
                    "ring 0 is the exterior; holes go at index 1 or later".to_string(),
                ));
            }
            polygon.rings.insert(at.ring, vertices);
            Ok(GeometryEdit::RemoveRing { at })
        })
    }

    /// [`GeometryEdit::RemoveRing`]: a hole (unless verbatim, the exterior is refused).
    fn apply_remove_ring(&mut self, at: RingRef, verbatim: bool) -> Result<GeometryEdit, GeoError> {
        self.with_polygon(at.shape, at.polygon, |polygon| {
            if at.ring >= polygon.rings.len() {
                return Err(GeoError::NoSuchTarget(format!("ring {at:?}")));
            }
            if !verbatim && at.ring == 0 {
                return Err(GeoError::Refused(
                    "ring 0 is the exterior; remove the polygon instead".to_string(),
                ));
            }
            let old = polygon.rings.remove(at.ring);
            Ok(GeometryEdit::InsertRing { at, vertices: old })
        })
    }

    /// [`GeometryEdit::InsertPolygon`].
    fn apply_insert_polygon(
        &mut self,
        shape: usize,
        index: usize,
        polygon: Polygon,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let polygon = prepare_polygon(polygon, verbatim, None)?;
        let count = self.shapes.len();
        let s = self
            .shapes
            .get_mut(shape)
            .ok_or_else(|| no_shape(shape, count))?;
        if index > s.polygons.len() {
            return Err(GeoError::NoSuchTarget(format!(
                "polygon position {index} in shape {shape} (it has {})",
                s.polygons.len()
            )));
        }
        s.polygons.insert(index, polygon);
        s.polygon_fingerprints.insert(index, 0);
        s.chunk_fingerprints.insert(index, Vec::new());
        s.refresh_polygon(index);
        Ok(GeometryEdit::RemovePolygon { shape, index })
    }

    /// [`GeometryEdit::RemovePolygon`]: unless verbatim, a shape's last polygon is refused.
    fn apply_remove_polygon(
        &mut self,
        shape: usize,
        index: usize,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let count = self.shapes.len();
        let s = self
            .shapes
            .get_mut(shape)
            .ok_or_else(|| no_shape(shape, count))?;
        if index >= s.polygons.len() {
            return Err(GeoError::NoSuchTarget(format!(
                "polygon {index} of shape {shape} (it has {})",
                s.polygons.len()
            )));
        }
        if !verbatim && s.polygons.len() == 1 {
            return Err(GeoError::Refused(
                "this is the shape's last polygon; remove the shape instead".to_string(),
            ));
        }
        let old = s.polygons.remove(index);
        if index < s.polygon_fingerprints.len() {
            s.polygon_fingerprints.remove(index);
        }
        if index < s.chunk_fingerprints.len() {
            s.chunk_fingerprints.remove(index);
        }
        Ok(GeometryEdit::InsertPolygon {
            shape,
            index,
            polygon: old,
        })
    }

    /// [`GeometryEdit::SetPolygon`]: its rings are wound like those they replace.
    fn apply_set_polygon(
        &mut self,
        shape: usize,
        index: usize,
        polygon: Polygon,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let like = self
            .shapes
            .get(shape)
            .and_then(|s| s.polygons.get(index))
            .map(orientations);
        let polygon = prepare_polygon(polygon, verbatim, like.as_deref())?;
        self.with_polygon(shape, index, |p| {
            let old = std::mem::replace(p, polygon);
            Ok(GeometryEdit::SetPolygon {
                shape,
                index,
                polygon: old,
            })
        })
    }

    /// [`GeometryEdit::TranslatePolygon`] by `(dlon, dlat)`; its inverse sets the polygon
    /// back as it was (so no rounding is undone by a reverse move).
    fn apply_translate_polygon(
        &mut self,
        shape: usize,
        polygon: usize,
        (dlon, dlat): (f64, f64),
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        check_finite(LonLat::new(dlon, dlat))?;
        self.with_polygon(shape, polygon, |p| {
            let mut moved = p.clone();
            for v in moved.rings.iter_mut().flatten() {
                let q = LonLat::new(v.lon + dlon, v.lat + dlat);
                check_finite(q)?;
                *v = if verbatim { q } else { q.rounded6() };
            }
            let old = std::mem::replace(p, moved);
            Ok(GeometryEdit::SetPolygon {
                shape,
                index: polygon,
                polygon: old,
            })
        })
    }

    /// [`GeometryEdit::SetPolygons`]: each new polygon is wound like the one at its index.
    fn apply_set_polygons(
        &mut self,
        shape: usize,
        polygons: Vec<Polygon>,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let like: Vec<Vec<Option<bool>>> = self
            .shapes
            .get(shape)
            .map(|s| s.polygons.iter().map(orientations).collect())
            .unwrap_or_default();
        let polygons = prepare_polygons(polygons, verbatim, &like)?;
        let count = self.shapes.len();
        let s = self
            .shapes
            .get_mut(shape)
            .ok_or_else(|| no_shape(shape, count))?;
        let old = std::mem::replace(&mut s.polygons, polygons);
        s.refresh_all();
        Ok(GeometryEdit::SetPolygons {
            shape,
            polygons: old,
        })
    }

    /// [`GeometryEdit::ReplaceAll`]: the first shape takes the polygons, the others go (or
    /// one shape is added to an empty document).
    fn apply_replace_all(
        &mut self,
        polygons: Vec<Polygon>,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        if !verbatim && polygons.is_empty() {
            return Err(GeoError::Refused(
                "the new boundary has no polygon".to_string(),
            ));
        }
        // New rings: wound as RFC 7946 asks, then set as they are.
        let polygons = prepare_polygons(polygons, verbatim, &[])?;
        let batch = if self.shapes.is_empty() {
            vec![GeometryEdit::AddShape { polygons }]
        } else {
            let mut edits = vec![GeometryEdit::Verbatim(Box::new(
                GeometryEdit::SetPolygons { shape: 0, polygons },
            ))];
            edits.extend(
                (1..self.shapes.len())
                    .rev()
                    .map(|shape| GeometryEdit::RemoveShape { shape }),
            );
            edits
        };
        self.apply_inner(GeometryEdit::Batch(batch), verbatim)
    }

    /// [`GeometryEdit::Batch`]: all or nothing; the inverse undoes newest first.
    fn apply_batch(
        &mut self,
        edits: Vec<GeometryEdit>,
        verbatim: bool,
    ) -> Result<GeometryEdit, GeoError> {
        let mut inverses = Vec::with_capacity(edits.len());
        for edit in edits {
            match self.apply_inner(edit, verbatim) {
                Ok(inverse) => inverses.push(inverse),
                Err(e) => {
                    // All or nothing: undo what was applied, newest first.
                    for inverse in inverses.into_iter().rev() {
                        let _ = self.apply_inner(inverse, true);
                    }
                    return Err(e);
                }
            }
        }
        inverses.reverse();
        Ok(GeometryEdit::Batch(inverses))
    }

    /// Runs `f` on one polygon and refreshes its fingerprint if `f` succeeded.
    fn with_polygon<R>(
        &mut self,
        shape: usize,
        polygon: usize,
        f: impl FnOnce(&mut Polygon) -> Result<R, GeoError>,
    ) -> Result<R, GeoError> {
        self.with_polygon_refreshing(shape, polygon, f, |s| s.refresh_polygon(polygon))
    }

    /// [`Self::with_ring`] with `refresh` bringing the fingerprints up to date instead of
    /// recomputing the polygon's (when the caller knows what changed).
    fn with_ring_refreshing<R>(
        &mut self,
        at: RingRef,
        f: impl FnOnce(&mut Ring) -> Result<R, GeoError>,
        refresh: impl FnOnce(&mut Shape),
    ) -> Result<R, GeoError> {
        self.with_polygon_refreshing(
            at.shape,
            at.polygon,
            |p| {
                let n = p.rings.len();
                let ring = p.rings.get_mut(at.ring).ok_or_else(|| {
                    GeoError::NoSuchTarget(format!("ring {at:?} (the polygon has {n})"))
                })?;
                f(ring)
            },
            refresh,
        )
    }

    /// Runs `f` on one polygon and `refresh` on its shape if `f` succeeded.
    fn with_polygon_refreshing<R>(
        &mut self,
        shape: usize,
        polygon: usize,
        f: impl FnOnce(&mut Polygon) -> Result<R, GeoError>,
        refresh: impl FnOnce(&mut Shape),
    ) -> Result<R, GeoError> {
        let count = self.shapes.len();
        let s = self
            .shapes
            .get_mut(shape)
            .ok_or_else(|| no_shape(shape, count))?;
        let n = s.polygons.len();
        let p = s.polygons.get_mut(polygon).ok_or_else(|| {
            GeoError::NoSuchTarget(format!("polygon {polygon} of shape {shape} (it has {n})"))
        })?;
        let r = f(p)?;
        refresh(s);
        Ok(r)
    }

    /// Runs `f` on one ring and refreshes its polygon's fingerprint if `f` succeeded.
    fn with_ring<R>(
        &mut self,
        at: RingRef,
        f: impl FnOnce(&mut Ring) -> Result<R, GeoError>,
    ) -> Result<R, GeoError> {
        self.with_polygon(at.shape, at.polygon, |p| {
            let n = p.rings.len();
            let ring = p.rings.get_mut(at.ring).ok_or_else(|| {
                GeoError::NoSuchTarget(format!("ring {at:?} (the polygon has {n})"))
            })?;
            f(ring)
        })
    }

    /// The structural change that appends `shape` (see [`GeometryEdit::AddShape`]); a new
    /// Feature gets `properties` (empty when `None`).
    fn add_shape_change(&self, shape: Shape, properties: Option<JsonObject>) -> Restructure {
        let placeholder = Geometry::new(match shape.kind {
            ShapeKind::Polygon => GeometryValue::Polygon {
                coordinates: Vec::new(),
            },
            ShapeKind::MultiPolygon => GeometryValue::MultiPolygon {
                coordinates: Vec::new(),
            },
        });
        let collection = |members: Vec<Geometry>| {
            Geometry::new(GeometryValue::GeometryCollection {
                geometries: members,
            })
        };
        let tree = match &self.tree {
            GeoJson::FeatureCollection(fc) => TreeOp::InsertFeature {
                index: fc.features.len(),
                feature: Box::new(Feature {
                    bbox: None,
                    geometry: Some(placeholder),
                    id: None,
                    properties: Some(properties.unwrap_or_default()),
                    foreign_members: None,
                }),
            },
            GeoJson::Feature(f) => match &f.geometry {
                None => TreeOp::SetFeatureGeometry {
                    geometry: Some(Box::new(placeholder)),
                },
                Some(g) => match &g.value {
                    GeometryValue::GeometryCollection { geometries } => TreeOp::InsertMember {
                        collection: ShapeLocation::default(),
                        index: geometries.len(),
                        geometry: Box::new(placeholder),
                    },
                    _ => TreeOp::SetFeatureGeometry {
                        geometry: Some(Box::new(collection(vec![g.clone(), placeholder]))),
                    },
                },
            },
            GeoJson::Geometry(g) => match &g.value {
                GeometryValue::GeometryCollection { geometries } => TreeOp::InsertMember {
                    collection: ShapeLocation::default(),
                    index: geometries.len(),
                    geometry: Box::new(placeholder),
                },
                _ => TreeOp::SetRoot(Box::new(GeoJson::Geometry(collection(vec![
                    g.clone(),
                    placeholder,
                ])))),
            },
        };
        Restructure {
            tree,
            shapes: ShapeOp::Insert {
                index: self.shapes.len(),
                shape: Box::new(shape),
            },
        }
    }

    /// The structural change that removes shape `index` (see [`GeometryEdit::RemoveShape`]).
    fn remove_shape_change(&self, index: usize) -> Result<Restructure, GeoError> {
        let shape = self
            .shapes
            .get(index)
            .ok_or_else(|| no_shape(index, self.shapes.len()))?;
        let mut location = shape.location.clone();
        let tree = if let Some(member) = location.collection_path.pop() {
            TreeOp::RemoveMember {
                collection: location,
                index: member,
            }
        } else {
            match (&self.tree, location.feature) {
                (GeoJson::FeatureCollection(_), Some(feature)) => {
                    TreeOp::RemoveFeature { index: feature }
                }
                (GeoJson::Feature(_), None) => TreeOp::SetFeatureGeometry { geometry: None },
                (GeoJson::Geometry(_), None) => {
                    TreeOp::SetRoot(Box::new(GeoJson::FeatureCollection(FeatureCollection {
                        bbox: None,
                        features: Vec::new(),
                        foreign_members: None,
                    })))
                }
                _ => {
                    return Err(GeoError::NoSuchTarget(format!(
                        "the geometry of shape {index} in the file"
                    )));
                }
            }
        };
        Ok(Restructure {
            tree,
            shapes: ShapeOp::Remove { index },
        })
    }

    /// Applies a structural change (tree and shape list together) and returns its inverse;
    /// on error nothing is changed.
    fn restructure(&mut self, change: Restructure) -> Result<Restructure, GeoError> {
        if self.tree_as_read.is_none() {
            self.tree_as_read = Some(Box::new(self.tree.clone()));
        }
        let tree_inverse = self.apply_tree_op(change.tree)?;
        let shapes_inverse = match self.apply_shape_op(change.shapes) {
            Ok(inverse) => inverse,
            Err(e) => {
                let _ = self.apply_tree_op(tree_inverse);
                return Err(e);
            }
        };
        if let Err(e) = self.relocate() {
            let _ = self.apply_shape_op(shapes_inverse);
            let _ = self.apply_tree_op(tree_inverse);
            let _ = self.relocate();
            return Err(e);
        }
        self.tree_changed = self.tree_as_read.as_deref() != Some(&self.tree);
        Ok(Restructure {
            tree: tree_inverse,
            shapes: shapes_inverse,
        })
    }

    fn apply_tree_op(&mut self, op: TreeOp) -> Result<TreeOp, GeoError> {
        let missing = |what: &str| GeoError::NoSuchTarget(what.to_string());
        match op {
            TreeOp::InsertFeature { index, feature } => {
                let GeoJson::FeatureCollection(fc) = &mut self.tree else {
                    return Err(missing("a FeatureCollection at the top of the file"));
                };
                if index > fc.features.len() {
                    return Err(missing(&format!("feature position {index}")));
                }
                fc.features.insert(index, *feature);
                Ok(TreeOp::RemoveFeature { index })
            }
            TreeOp::RemoveFeature { index } => {
                let GeoJson::FeatureCollection(fc) = &mut self.tree else {
                    return Err(missing("a FeatureCollection at the top of the file"));
                };
                if index >= fc.features.len() {
                    return Err(missing(&format!("feature {index}")));
                }
                let feature = Box::new(fc.features.remove(index));
                Ok(TreeOp::InsertFeature { index, feature })
            }
            TreeOp::InsertMember {
                collection,
                index,
                geometry,
            } => {
                let members = collection_mut(&mut self.tree, &collection)?;
                if index > members.len() {
                    return Err(missing(&format!("collection member position {index}")));
                }
                members.insert(index, *geometry);
                Ok(TreeOp::RemoveMember { collection, index })
            }
            TreeOp::RemoveMember { collection, index } => {
                let members = collection_mut(&mut self.tree, &collection)?;
                if index >= members.len() {
                    return Err(missing(&format!("collection member {index}")));
                }
                let geometry = Box::new(members.remove(index));
                Ok(TreeOp::InsertMember {
                    collection,
                    index,
                    geometry,
                })
            }
            TreeOp::SetFeatureGeometry { geometry } => {
                let GeoJson::Feature(f) = &mut self.tree else {
                    return Err(missing("a Feature at the top of the file"));
                };
                let old = std::mem::replace(&mut f.geometry, geometry.map(|g| *g));
                Ok(TreeOp::SetFeatureGeometry {
                    geometry: old.map(Box::new),
                })
            }
            TreeOp::SetRoot(root) => {
                let old = std::mem::replace(&mut self.tree, *root);
                Ok(TreeOp::SetRoot(Box::new(old)))
            }
        }
    }

    fn apply_shape_op(&mut self, op: ShapeOp) -> Result<ShapeOp, GeoError> {
        match op {
            ShapeOp::Insert { index, shape } => {
                if index > self.shapes.len() {
                    return Err(no_shape(index, self.shapes.len()));
                }
                self.shapes.insert(index, *shape);
                Ok(ShapeOp::Remove { index })
            }
            ShapeOp::Remove { index } => {
                if index >= self.shapes.len() {
                    return Err(no_shape(index, self.shapes.len()));
                }
                let shape = Box::new(self.shapes.remove(index));
                Ok(ShapeOp::Insert { index, shape })
            }
        }
    }
}

/// The member list of the GeometryCollection at `location`.
fn collection_mut<'a>(
    tree: &'a mut GeoJson,
    location: &ShapeLocation,
) -> Result<&'a mut Vec<Geometry>, GeoError> {
    match read::geometry_at_mut(tree, location).map(|g| &mut g.value) {
        Some(GeometryValue::GeometryCollection { geometries }) => Ok(geometries),
        _ => Err(GeoError::NoSuchTarget(format!(
            "a GeometryCollection at {}",
            location.json_path()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_edits::move_to;
    use super::*;
    use proptest::prelude::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// Every polygon's fingerprint and chunk fingerprints are what hashing it afresh gives.
    fn assert_fingerprints_fresh(doc: &GeoDocument) {
        use crate::geometry::model::Fingerprint;
        for s in doc.shapes() {
            for (i, p) in s.polygons.iter().enumerate() {
                assert_eq!(s.polygon_fingerprint(i), Some(Fingerprint::of_polygon(p)));
                for (r, ring) in p.rings.iter().enumerate() {
                    let fresh: Vec<u64> = ring
                        .chunks(crate::geometry::FINGERPRINT_CHUNK)
                        .map(Fingerprint::of_chunk)
                        .collect();
                    assert_eq!(s.ring_chunk_fingerprints(i, r), Some(fresh.as_slice()));
                }
            }
        }
    }

    #[test]
    fn moving_a_vertex_rehashes_its_chunk_to_the_fresh_fingerprint() -> TestResult {
        let ring: Vec<LonLat> = (0..1000)
            .map(|i| {
                let a = f64::from(i) / 1000.0 * std::f64::consts::TAU;
                LonLat::new(a.cos(), a.sin())
            })
            .collect();
        let mut doc = GeoDocument::new_empty();
        doc.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon::from_exterior(ring)],
        })?;
        let before = doc.shapes()[0].polygon_fingerprint(0);
        let chunks_before = doc.shapes()[0]
            .ring_chunk_fingerprints(0, 0)
            .map(<[u64]>::to_vec)
            .unwrap_or_default();
        assert_eq!(chunks_before.len(), 4);
        // The first, a middle and the last vertex (the last chunk is short).
        for v in [0, 300, 999] {
            let at = VertexRef::new(0, 0, 0, v);
            let inverse = doc.apply(move_to(at, 0.25, 0.125))?;
            assert_fingerprints_fresh(&doc);
            assert_ne!(doc.shapes()[0].polygon_fingerprint(0), before);
            let chunks = doc.shapes()[0].ring_chunk_fingerprints(0, 0).unwrap_or(&[]);
            let changed: Vec<usize> = (0..4).filter(|&c| chunks[c] != chunks_before[c]).collect();
            assert_eq!(changed, vec![v / crate::geometry::FINGERPRINT_CHUNK]);
            doc.apply(inverse)?;
            assert_fingerprints_fresh(&doc);
            assert_eq!(doc.shapes()[0].polygon_fingerprint(0), before);
        }
        // A vertex that is not there changes nothing.
        assert!(
            doc.apply(move_to(VertexRef::new(0, 0, 0, 1000), 0.0, 0.0))
                .is_err()
        );
        assert_fingerprints_fresh(&doc);
        Ok(())
    }

    const TWO_FEATURES: &str = r#"{
  "type": "FeatureCollection",
  "name": "test",
  "features": [
    {"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": [[[0.123456789, 0], [1, 0], [1, 1], [0, 1], [0.123456789, 0]], [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.2, 0.2]]]}},
    {"type": "Feature", "properties": {"name": "B"}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[10, 10], [11, 10], [11, 11], [10, 10]]], [[[20, 20], [21, 20], [21, 21], [20, 20]]]]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[5, 5], [6, 6]]}}
  ]
}"#;

    fn ll(lon: f64, lat: f64) -> LonLat {
        LonLat::new(lon, lat)
    }

    fn tri(x: f64) -> Polygon {
        Polygon::from_exterior(vec![ll(x, 0.0), ll(x + 1.0, 0.0), ll(x + 1.0, 1.0)])
    }

    /// The whole model, for exact comparisons.
    fn model(doc: &GeoDocument) -> (Vec<Shape>, GeoJson, String) {
        (
            doc.shapes.clone(),
            doc.tree.clone(),
            format!("{:?}", doc.others),
        )
    }

    /// Applies `edit`, then its inverse, and checks the model and file text are back.
    fn round_trip(doc: &mut GeoDocument, edit: GeometryEdit) -> TestResult {
        let before = model(doc);
        let text = doc.to_file_text();
        let inverse = doc.apply(edit)?;
        assert!(doc.is_modified());
        let again = doc.apply(inverse)?;
        assert_eq!(model(doc), before);
        assert!(!doc.is_modified());
        assert_eq!(doc.to_file_text(), text);
        // And redo works too.
        let undo = doc.apply(again)?;
        doc.apply(undo)?;
        assert_eq!(model(doc), before);
        Ok(())
    }

    #[test]
    fn every_edit_has_an_exact_inverse() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        let v = VertexRef::new(0, 0, 0, 0);
        let r = RingRef::new(0, 0, 0);
        let edits = vec![
            move_to(v, 0.5, -0.5),
            GeometryEdit::InsertVertex {
                at: VertexRef::new(0, 0, 0, 4),
                pos: ll(-0.5, 0.5),
            },
            GeometryEdit::RemoveVertex {
                at: VertexRef::new(0, 0, 0, 2),
            },
            GeometryEdit::SetRing {
                at: r,
                vertices: vec![ll(0.0, 0.0), ll(2.0, 0.0), ll(2.0, 2.0), ll(0.0, 0.0)],
            },
            GeometryEdit::InsertRing {
                at: RingRef::new(0, 0, 2),
                vertices: vec![ll(0.6, 0.6), ll(0.6, 0.8), ll(0.8, 0.8)],
            },
            GeometryEdit::RemoveRing {
                at: RingRef::new(0, 0, 1),
            },
            GeometryEdit::InsertPolygon {
                shape: 1,
                index: 1,
                polygon: tri(30.0),
            },
            GeometryEdit::RemovePolygon { shape: 1, index: 0 },
            GeometryEdit::SetPolygon {
                shape: 1,
                index: 1,
                polygon: tri(40.0),
            },
            GeometryEdit::TranslatePolygon {
                shape: 0,
                polygon: 0,
                dlon: 0.1234567,
                dlat: -1.0,
            },
            GeometryEdit::SetPolygons {
                shape: 0,
                polygons: vec![tri(1.0), tri(3.0)],
            },
            GeometryEdit::AddShape {
                polygons: vec![tri(50.0)],
            },
            GeometryEdit::RemoveShape { shape: 0 },
            GeometryEdit::RemoveShape { shape: 1 },
            GeometryEdit::ReplaceAll {
                polygons: vec![tri(60.0)],
            },
            GeometryEdit::Batch(vec![
                move_to(v, 9.0, 9.0),
                GeometryEdit::RemoveShape { shape: 1 },
                GeometryEdit::AddShape {
                    polygons: vec![tri(70.0), tri(80.0)],
                },
            ]),
        ];
        for edit in edits {
            let label = edit.label();
            round_trip(&mut doc, edit).map_err(|e| format!("{label}: {e}"))?;
        }
        Ok(())
    }

    #[test]
    fn positions_are_rounded_but_undo_is_exact() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        let v = VertexRef::new(0, 0, 0, 0);
        let inverse = doc.apply(move_to(v, 0.12345678, 1.00000049))?;
        assert_eq!(doc.shapes()[0].polygons[0].rings[0][0], ll(0.123457, 1.0));
        let GeometryEdit::Verbatim(inner) = &inverse else {
            panic!("inverse should be verbatim: {inverse:?}");
        };
        assert_eq!(**inner, move_to(v, 0.123456789, 0.0));
        doc.apply(inverse)?;
        assert_eq!(
            doc.shapes()[0].polygons[0].rings[0][0],
            ll(0.123456789, 0.0)
        );
        assert!(!doc.is_modified());
        Ok(())
    }

    #[test]
    fn refusals_and_out_of_range_change_nothing() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        let before = model(&doc);
        let mut bad = bad_vertex_and_ring_edits();
        bad.extend(bad_polygon_and_shape_edits());
        for edit in bad {
            let r = doc.apply(edit.clone());
            assert!(r.is_err(), "{edit:?} should fail");
            assert_eq!(model(&doc), before, "{edit:?} changed the model");
            assert!(!doc.is_modified());
        }
        Ok(())
    }

    /// Vertex and ring edits that [`TWO_FEATURES`] refuses: out of range, not finite, or
    /// breaking a ring.
    fn bad_vertex_and_ring_edits() -> Vec<GeometryEdit> {
        let hole = RingRef::new(0, 0, 1);
        vec![
            GeometryEdit::RemoveVertex { at: hole.vertex(0) },
            move_to(VertexRef::new(0, 0, 0, 99), 0.0, 0.0),
            move_to(VertexRef::new(9, 0, 0, 0), 0.0, 0.0),
            move_to(VertexRef::new(0, 0, 0, 0), f64::NAN, 0.0),
            move_to(VertexRef::new(0, 0, 0, 0), 0.0, f64::INFINITY),
            GeometryEdit::InsertVertex {
                at: VertexRef::new(0, 0, 0, 5),
                pos: ll(0.0, 0.0),
            },
            GeometryEdit::SetRing {
                at: hole,
                vertices: vec![ll(0.0, 0.0), ll(1.0, 1.0), ll(0.0, 0.0)],
            },
            GeometryEdit::InsertRing {
                at: RingRef::new(0, 0, 0),
                vertices: vec![ll(0.0, 0.0), ll(1.0, 0.0), ll(1.0, 1.0)],
            },
            GeometryEdit::RemoveRing {
                at: RingRef::new(0, 0, 0),
            },
            GeometryEdit::RemoveRing {
                at: RingRef::new(0, 0, 5),
            },
        ]
    }

    /// Polygon and shape edits that [`TWO_FEATURES`] refuses, and a batch that fails last.
    fn bad_polygon_and_shape_edits() -> Vec<GeometryEdit> {
        vec![
            GeometryEdit::RemovePolygon { shape: 0, index: 0 },
            GeometryEdit::InsertPolygon {
                shape: 1,
                index: 3,
                polygon: tri(0.0),
            },
            GeometryEdit::InsertPolygon {
                shape: 1,
                index: 0,
                polygon: Polygon::default(),
            },
            GeometryEdit::TranslatePolygon {
                shape: 0,
                polygon: 0,
                dlon: f64::INFINITY,
                dlat: 0.0,
            },
            GeometryEdit::SetPolygons {
                shape: 1,
                polygons: Vec::new(),
            },
            GeometryEdit::AddShape {
                polygons: Vec::new(),
            },
            GeometryEdit::RemoveShape { shape: 2 },
            GeometryEdit::ReplaceAll {
                polygons: Vec::new(),
            },
            GeometryEdit::Batch(vec![
                move_to(VertexRef::new(0, 0, 0, 0), 3.0, 3.0),
                GeometryEdit::AddShape {
                    polygons: vec![tri(0.0)],
                },
                GeometryEdit::RemoveShape { shape: 0 },
                GeometryEdit::RemoveShape { shape: 7 },
            ]),
        ]
    }

    #[test]
    fn closing_positions_given_to_edits_are_dropped() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        doc.apply(GeometryEdit::SetRing {
            at: RingRef::new(0, 0, 0),
            vertices: vec![ll(0.0, 0.0), ll(2.0, 0.0), ll(2.0, 2.0), ll(0.0, 0.0)],
        })?;
        assert_eq!(doc.shapes()[0].polygons[0].rings[0].len(), 3);
        Ok(())
    }

    #[test]
    fn add_shape_in_every_kind_of_file() -> TestResult {
        let cases = [
            (r#"{"type":"FeatureCollection","features":[]}"#, None),
            (
                r#"{"type":"Feature","properties":{"a":1},"geometry":null}"#,
                None,
            ),
            (
                r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}"#,
                Some(vec![1]),
            ),
            (
                r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#,
                Some(vec![1]),
            ),
            (
                r#"{"type":"GeometryCollection","geometries":[]}"#,
                Some(vec![0]),
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
                Some(vec![1]),
            ),
        ];
        for (text, path) in cases {
            let mut doc = GeoDocument::parse(text)?;
            let n = doc.shapes().len();
            let inverse = doc.apply(GeometryEdit::AddShape {
                polygons: vec![tri(5.0)],
            })?;
            assert_eq!(doc.shapes().len(), n + 1, "{text}");
            let added = &doc.shapes()[n];
            assert_eq!(added.polygons, vec![tri(5.0)]);
            if let Some(path) = &path {
                assert_eq!(&added.location().collection_path, path, "{text}");
            }
            // The written file holds the new polygon and re-parses to the same shapes.
            let written = doc.to_file_text();
            let reparsed = GeoDocument::parse(&written)?;
            assert_eq!(reparsed.shapes().len(), n + 1, "{written}");
            assert_eq!(reparsed.others().len(), doc.others().len());
            doc.apply(inverse)?;
            assert!(!doc.is_modified(), "{text}");
            assert_eq!(doc.to_file_text(), text);
        }
        Ok(())
    }

    #[test]
    fn remove_shape_in_every_kind_of_file() -> TestResult {
        let poly = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
        let cases = [
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"x":1}},"geometry":{poly}}}]}}"#
            ),
            format!(r#"{{"type":"Feature","properties":{{}},"geometry":{poly}}}"#),
            format!(
                r#"{{"type":"GeometryCollection","geometries":[{{"type":"Point","coordinates":[1,2]}},{poly}]}}"#
            ),
            poly.to_string(),
        ];
        for text in cases {
            let mut doc = GeoDocument::parse(&text)?;
            let inverse = doc.apply(GeometryEdit::RemoveShape { shape: 0 })?;
            assert!(doc.shapes().is_empty());
            let reparsed = GeoDocument::parse(&doc.to_file_text())?;
            assert!(reparsed.shapes().is_empty());
            doc.apply(inverse)?;
            assert_eq!(doc.to_file_text(), text);
            assert_eq!(doc.shapes().len(), 1);
        }
        Ok(())
    }

    #[test]
    fn structural_edits_keep_locations_current() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        doc.apply(GeometryEdit::RemoveShape { shape: 0 })?;
        assert_eq!(doc.shapes()[0].location().feature, Some(0));
        assert_eq!(doc.others()[0].location.feature, Some(1));
        assert_eq!(doc.name_of(0), Some("B"));
        doc.apply(GeometryEdit::AddShape {
            polygons: vec![tri(0.0)],
        })?;
        assert_eq!(doc.shapes()[1].location().feature, Some(2));
        Ok(())
    }

    #[test]
    fn replace_all_leaves_one_shape() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        doc.apply(GeometryEdit::ReplaceAll {
            polygons: vec![tri(1.0), tri(3.0)],
        })?;
        assert_eq!(doc.shapes().len(), 1);
        assert_eq!(doc.shapes()[0].polygons.len(), 2);
        assert_eq!(doc.others().len(), 1);
        let mut empty = GeoDocument::new_empty();
        empty.apply(GeometryEdit::ReplaceAll {
            polygons: vec![tri(1.0)],
        })?;
        assert_eq!(empty.shapes().len(), 1);
        Ok(())
    }

    #[test]
    fn undo_back_to_as_read_is_unmodified() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        let v = VertexRef::new(1, 1, 0, 1);
        let a = doc.apply(move_to(v, 21.5, 20.0))?;
        let b = doc.apply(GeometryEdit::RemoveShape { shape: 0 })?;
        assert!(doc.is_modified());
        doc.apply(b)?;
        assert!(doc.is_modified());
        doc.apply(a)?;
        assert!(!doc.is_modified());
        assert_eq!(doc.to_file_text(), TWO_FEATURES);
        Ok(())
    }

    #[test]
    fn mark_saved_makes_the_written_text_the_original() -> TestResult {
        let mut doc = GeoDocument::parse(TWO_FEATURES)?;
        doc.apply(move_to(VertexRef::new(0, 0, 0, 1), 1.5, 0.0))?;
        let written = doc.to_file_text();
        doc.mark_saved();
        assert!(!doc.is_modified());
        assert_eq!(doc.to_file_text(), written);
        assert_eq!(doc.source_text(), written);
        Ok(())
    }

    #[test]
    fn mark_saved_keeps_altitudes_and_number_texts() -> TestResult {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0,7],[1,0,7],[1,1,7],[0,0,7]]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[5,5,1],[6,5,1],[6,6,1],[5,5,1]]]}}]}"#;
        let mut doc = GeoDocument::parse(text)?;
        doc.apply(move_to(VertexRef::new(1, 0, 0, 1), 6.5, 5.0))?;
        doc.mark_saved();
        doc.apply(move_to(VertexRef::new(1, 0, 0, 2), 6.5, 6.0))?;
        // Only the moved positions' numbers changed; altitudes and number texts stayed.
        let expected = text
            .replace("[6,5,1]", "[6.5,5,1]")
            .replace("[6,6,1]", "[6.5,6,1]");
        assert_eq!(doc.to_file_text(), expected);
        Ok(())
    }

    /// A random edit addressed into `doc` (often valid, sometimes out of range).
    fn arb_edit() -> impl Strategy<Value = GeometryEdit> {
        let idx = || 0usize..4;
        let pos = || (-200.0f64..200.0, -100.0f64..100.0).prop_map(|(a, b)| LonLat::new(a, b));
        let ring = move || proptest::collection::vec(pos(), 0..6);
        let polygon =
            move || proptest::collection::vec(ring(), 0..3).prop_map(|rings| Polygon { rings });
        prop_oneof![
            (idx(), idx(), idx(), idx(), pos()).prop_map(|(s, p, r, v, to)| {
                GeometryEdit::MoveVertex {
                    at: VertexRef::new(s, p, r, v),
                    to,
                }
            }),
            (idx(), idx(), idx(), idx(), pos()).prop_map(|(s, p, r, v, pos)| {
                GeometryEdit::InsertVertex {
                    at: VertexRef::new(s, p, r, v),
                    pos,
                }
            }),
            (idx(), idx(), idx(), idx()).prop_map(|(s, p, r, v)| GeometryEdit::RemoveVertex {
                at: VertexRef::new(s, p, r, v)
            }),
            (idx(), idx(), idx(), ring()).prop_map(|(s, p, r, vertices)| GeometryEdit::SetRing {
                at: RingRef::new(s, p, r),
                vertices
            }),
            (idx(), idx(), idx(), ring()).prop_map(|(s, p, r, vertices)| {
                GeometryEdit::InsertRing {
                    at: RingRef::new(s, p, r),
                    vertices,
                }
            }),
            (idx(), idx(), idx()).prop_map(|(s, p, r)| GeometryEdit::RemoveRing {
                at: RingRef::new(s, p, r)
            }),
            (idx(), idx(), polygon()).prop_map(|(shape, index, polygon)| {
                GeometryEdit::InsertPolygon {
                    shape,
                    index,
                    polygon,
                }
            }),
            (idx(), idx()).prop_map(|(shape, index)| GeometryEdit::RemovePolygon { shape, index }),
            (idx(), idx(), -1.0f64..1.0, -1.0f64..1.0).prop_map(|(shape, polygon, dlon, dlat)| {
                GeometryEdit::TranslatePolygon {
                    shape,
                    polygon,
                    dlon,
                    dlat,
                }
            }),
            (idx(), proptest::collection::vec(polygon(), 0..3))
                .prop_map(|(shape, polygons)| GeometryEdit::SetPolygons { shape, polygons }),
            proptest::collection::vec(polygon(), 0..3)
                .prop_map(|polygons| GeometryEdit::AddShape { polygons }),
            idx().prop_map(|shape| GeometryEdit::RemoveShape { shape }),
            proptest::collection::vec(polygon(), 0..2)
                .prop_map(|polygons| GeometryEdit::ReplaceAll { polygons }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// apply(edit) then apply(inverse) gives back the model, whatever the edit sequence;
        /// a failing edit changes nothing; every written state is written in place (in each
        /// of the five styles) and re-parses to the model; undoing everything gives the bytes
        /// back.
        #[test]
        fn inverse_restores_the_model(edits in proptest::collection::vec(arb_edit(), 1..8), verbatim in any::<bool>(), style in 0usize..6) {
            let styles = super::super::test_styles::five_styles(TWO_FEATURES).map_err(TestCaseError::fail)?;
            let text = match styles.get(style) {
                Some((_, t)) => t.clone(),
                None => TWO_FEATURES.to_string(),
            };
            let mut doc = GeoDocument::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut undo = Vec::new();
            let mut states = vec![model(&doc)];
            for edit in edits {
                let edit = if verbatim { GeometryEdit::Verbatim(Box::new(edit)) } else { edit };
                let before = model(&doc);
                match doc.apply(edit) {
                    Ok(inverse) => {
                        undo.push(inverse);
                        states.push(model(&doc));
                        let written = super::super::write::in_place(&doc);
                        prop_assert!(written.is_some(), "the in-place writer gave up");
                        let written = written.unwrap_or_default();
                        let reparsed = GeoDocument::parse(&written).map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
                        prop_assert_eq!(reparsed.shapes().len(), doc.shapes().len());
                        for (a, b) in reparsed.shapes().iter().zip(doc.shapes()) {
                            // Polygons without rings mean nothing (a MultiPolygon leaves them
                            // out, a Polygon without rings reads back as one).
                            let kept = |s: &Shape| s.polygons.iter().filter(|p| !p.rings.is_empty()).cloned().collect::<Vec<_>>();
                            prop_assert_eq!(kept(a), kept(b), "{}", written);
                        }
                    }
                    Err(_) => prop_assert_eq!(model(&doc), before),
                }
            }
            states.pop();
            while let Some(inverse) = undo.pop() {
                doc.apply(inverse).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let expected = states.pop();
                prop_assert_eq!(Some(model(&doc)), expected);
            }
            prop_assert!(!doc.is_modified());
            prop_assert_eq!(doc.to_file_text(), text);
        }
    }
}
