//! Tests of the map editing helpers.

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
        remove_vertex(&doc, VertexRef::new(0, 0, 0, 1)),
        Err(Confirm::RemoveShape { shape: 0 })
    );
    let mut square = tri();
    square.push(LonLat::new(1.0, 1.0));
    let _ = doc.apply(GeometryEdit::InsertPolygon {
        shape: 0,
        index: 1,
        polygon: Polygon::from_exterior(square),
    });
    assert_eq!(
        remove_vertex(&doc, VertexRef::new(0, 0, 0, 1)),
        Err(Confirm::RemovePolygon {
            shape: 0,
            polygon: 0
        })
    );
    assert_eq!(
        remove_vertex(&doc, VertexRef::new(0, 1, 0, 1)),
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
