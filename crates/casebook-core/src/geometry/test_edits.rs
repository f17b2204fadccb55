//! Test helpers for geometry edits (core tests only; `test_styles` is shared with the benches
//! and stays free of the core's types).

use super::edit::GeometryEdit;
use super::model::{LonLat, VertexRef};

/// Moving the vertex `at` to `(lon, lat)`: the edit most tests make.
pub(super) fn move_to(at: VertexRef, lon: f64, lat: f64) -> GeometryEdit {
    GeometryEdit::MoveVertex {
        at,
        to: LonLat::new(lon, lat),
    }
}

/// A collection with `bbox` members at every level (collection, features, a geometry), the
/// first feature a unit triangle and the second a line whose box is stale.
pub(super) const BBOX_FIXTURE: &str = r#"{"type":"FeatureCollection","bbox":[0,0,11,11],"features":[
          {"type":"Feature","bbox":[0,0,1,1],"properties":{},"geometry":{"type":"Polygon","bbox":[0,0,1,1],"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
          {"type":"Feature","bbox":[9,9,9,9],"properties":{},"geometry":{"type":"LineString","coordinates":[[10,10],[11,11]]}}]}"#;
