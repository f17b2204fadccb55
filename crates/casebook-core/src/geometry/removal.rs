//! The edits that remove or add parts of a boundary as an editor's tools make them, and the
//! guard before a vertex is removed: a ring must keep 3 distinct vertices, so removing one
//! more asks to remove the whole hole, polygon or shape instead.

use super::document::GeoDocument;
use super::edit::GeometryEdit;
use super::model::{LonLat, Polygon, Ring, RingRef, VertexRef, distinct_count};

/// A whole part to remove: what removing a vertex turns into when its ring would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// This hole.
    Hole(RingRef),
    /// This polygon (one of several in its shape).
    Polygon {
        /// The shape.
        shape: usize,
        /// The polygon.
        polygon: usize,
    },
    /// This shape (its only polygon).
    Shape {
        /// The shape.
        shape: usize,
    },
}

impl Removal {
    /// The edit that does it.
    pub fn edit(self) -> GeometryEdit {
        match self {
            Removal::Hole(at) => GeometryEdit::RemoveRing { at },
            Removal::Polygon { shape, polygon } => GeometryEdit::RemovePolygon {
                shape,
                index: polygon,
            },
            Removal::Shape { shape } => GeometryEdit::RemoveShape { shape },
        }
    }
}

impl GeoDocument {
    /// The ring at an address.
    pub fn ring(&self, at: RingRef) -> Option<&Ring> {
        self.shape(at.shape)?
            .polygons
            .get(at.polygon)?
            .rings
            .get(at.ring)
    }

    /// The edit that removes vertex `at`, or the whole part to remove instead when its ring
    /// would keep fewer than 3 distinct vertices (the editor asks first).
    pub fn vertex_removal(&self, at: VertexRef) -> Result<GeometryEdit, Removal> {
        let ring = self
            .ring(at.ring_ref())
            .map(|r| r.as_slice())
            .unwrap_or_default();
        let mut rest: Vec<LonLat> = ring.to_vec();
        if at.vertex < rest.len() {
            rest.remove(at.vertex);
        }
        if distinct_count(&rest) >= 3 {
            return Ok(GeometryEdit::RemoveVertex { at });
        }
        Err(self.ring_removal(at.ring_ref()))
    }

    /// What removing a whole ring means: the hole, the polygon, or the shape.
    pub fn ring_removal(&self, at: RingRef) -> Removal {
        if at.ring > 0 {
            return Removal::Hole(at);
        }
        self.polygon_removal(at.shape, at.polygon)
    }

    /// Removing a polygon: the polygon, or the shape when it is the shape's last.
    pub fn polygon_removal(&self, shape: usize, polygon: usize) -> Removal {
        if self.shape(shape).is_some_and(|s| s.polygons.len() > 1) {
            Removal::Polygon { shape, polygon }
        } else {
            Removal::Shape { shape }
        }
    }
}

/// The edit that adds a drawn polygon, and the address its outline gets: into the only shape
/// when there is one (several polygons make a MultiPolygon), as a new shape (a new feature)
/// when there is none or when the file holds several (a file of neighbourhoods gets a new
/// feature, not a piece of one).
pub fn add_polygon_edit(doc: Option<&GeoDocument>, ring: Ring) -> (GeometryEdit, RingRef) {
    let polygon = Polygon::from_exterior(ring);
    match doc.map(|d| (d.shapes().len(), d.shape(0))) {
        Some((1, Some(shape))) => {
            let index = shape.polygons.len();
            (
                GeometryEdit::InsertPolygon {
                    shape: 0,
                    index,
                    polygon,
                },
                RingRef::new(0, index, 0),
            )
        }
        Some((n, _)) => (
            GeometryEdit::AddShape {
                polygons: vec![polygon],
            },
            RingRef::new(n, 0, 0),
        ),
        None => (
            GeometryEdit::AddShape {
                polygons: vec![polygon],
            },
            RingRef::new(0, 0, 0),
        ),
    }
}

/// The edit that adds polygons to the first shape (as one batch), or as a new shape when
/// there is none.
pub fn add_polygons_edit(doc: Option<&GeoDocument>, polygons: &[Polygon]) -> GeometryEdit {
    match doc.and_then(|d| d.shape(0)) {
        Some(shape) => {
            let start = shape.polygons.len();
            GeometryEdit::Batch(
                polygons
                    .iter()
                    .enumerate()
                    .map(|(i, p)| GeometryEdit::InsertPolygon {
                        shape: 0,
                        index: start + i,
                        polygon: p.clone(),
                    })
                    .collect(),
            )
        }
        None => GeometryEdit::AddShape {
            polygons: polygons.to_vec(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tri() -> Vec<LonLat> {
        vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(1.0, 0.0),
            LonLat::new(0.0, 1.0),
        ]
    }

    #[test]
    fn removing_a_vertex_of_a_triangle_asks_first() {
        let mut doc = GeoDocument::new_empty();
        let _ = doc.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon::from_exterior(tri())],
        });
        assert_eq!(
            doc.vertex_removal(VertexRef::new(0, 0, 0, 1)),
            Err(Removal::Shape { shape: 0 })
        );
        let mut square = tri();
        square.push(LonLat::new(1.0, 1.0));
        let _ = doc.apply(GeometryEdit::InsertPolygon {
            shape: 0,
            index: 1,
            polygon: Polygon::from_exterior(square),
        });
        assert_eq!(
            doc.vertex_removal(VertexRef::new(0, 0, 0, 1)),
            Err(Removal::Polygon {
                shape: 0,
                polygon: 0
            })
        );
        assert_eq!(
            doc.vertex_removal(VertexRef::new(0, 1, 0, 1)),
            Ok(GeometryEdit::RemoveVertex {
                at: VertexRef::new(0, 1, 0, 1)
            })
        );
    }

    #[test]
    fn new_polygons_join_shape_zero_or_start_a_shape() {
        let (g, at) = add_polygon_edit(None, tri());
        assert!(matches!(g, GeometryEdit::AddShape { .. }));
        assert_eq!(at, RingRef::new(0, 0, 0));
        let mut doc = GeoDocument::new_empty();
        let _ = doc.apply(g);
        let (g, at) = add_polygon_edit(Some(&doc), tri());
        assert!(matches!(
            g,
            GeometryEdit::InsertPolygon {
                shape: 0,
                index: 1,
                ..
            }
        ));
        assert_eq!(at, RingRef::new(0, 1, 0));
        let _ = doc.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon::from_exterior(tri())],
        });
        let (g, at) = add_polygon_edit(Some(&doc), tri());
        assert!(matches!(g, GeometryEdit::AddShape { .. }));
        assert_eq!(at, RingRef::new(2, 0, 0));
    }

    #[test]
    fn removing_a_vertex_of_a_small_hole_asks_to_remove_the_hole() {
        let mut doc = GeoDocument::new_empty();
        let outline = vec![
            LonLat::new(-5.0, -5.0),
            LonLat::new(5.0, -5.0),
            LonLat::new(5.0, 5.0),
            LonLat::new(-5.0, 5.0),
        ];
        let _ = doc.apply(GeometryEdit::AddShape {
            polygons: vec![Polygon {
                rings: vec![outline, tri()],
            }],
        });
        let hole = RingRef::new(0, 0, 1);
        assert_eq!(doc.ring(hole).map(Vec::len), Some(3));
        assert_eq!(doc.vertex_removal(hole.vertex(0)), Err(Removal::Hole(hole)));
        assert_eq!(
            Removal::Hole(hole).edit(),
            GeometryEdit::RemoveRing { at: hole }
        );
        assert_eq!(
            doc.polygon_removal(0, 0).edit(),
            GeometryEdit::RemoveShape { shape: 0 }
        );
    }

    #[test]
    fn added_polygons_go_after_shape_zeros_own() {
        let far = |d: f64| {
            Polygon::from_exterior(
                tri()
                    .into_iter()
                    .map(|p| LonLat::new(p.lon + d, p.lat))
                    .collect(),
            )
        };
        assert!(matches!(
            add_polygons_edit(None, &[far(0.0)]),
            GeometryEdit::AddShape { polygons } if polygons.len() == 1
        ));
        let mut doc = GeoDocument::new_empty();
        let _ = doc.apply(add_polygons_edit(Some(&doc), &[far(0.0)]));
        let added = doc.apply(add_polygons_edit(Some(&doc), &[far(5.0), far(10.0)]));
        assert!(added.is_ok(), "{added:?}");
        assert_eq!(doc.shapes().len(), 1);
        let firsts: Vec<f64> = doc.shapes()[0]
            .polygons
            .iter()
            .filter_map(|p| p.rings.first()?.first().map(|v| v.lon))
            .collect();
        assert_eq!(firsts.len(), 3);
        assert!(firsts[0] < firsts[1] && firsts[1] < firsts[2], "{firsts:?}");
    }
}
