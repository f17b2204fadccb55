//! Geometry of a case: the `.geojson` boundary as an editable model, read and written losslessly.
//!
//! - [`GeoDocument`] reads a FeatureCollection, Feature or bare geometry with the `geojson`
//!   crate. Polygon and MultiPolygon geometries become editable [`Shape`]s; points, lines,
//!   properties and foreign members are kept as they are (points and lines are exposed read-only
//!   as [`OtherGeometry`] for drawing).
//! - An unedited document writes back its original bytes; an edited one is written in place:
//!   only the bytes of what changed are rewritten, in the file's own style (see
//!   [`GeoDocument::to_file_text`]).
//! - Every change is a [`GeometryEdit`] applied by [`GeoDocument::apply`], which returns the
//!   inverse edit.
//! - Analysis (area, centroid, bbox), validity issues, simplification and pasted-text parsing are
//!   free functions over [`Polygon`]s.
//!
//! Axes: the model uses [`LonLat`] everywhere; GeoJSON stores `[lon, lat]`. The only `lat, lon`
//! input is the pasted-lines format of [`parse_pasted`].

mod analysis;
#[cfg(test)]
mod corpus_tests;
mod document;
mod edit;
mod error;
mod import;
mod inside;
mod intersections;
mod model;
mod paste;
pub mod plane;
mod pretty;
mod read;
mod removal;
mod simplify;
mod spans;
mod style;
#[cfg(test)]
mod test_edits;
#[cfg(test)]
mod test_styles;
mod validity;
mod write;

pub use analysis::{
    Area, Measures, MeasuresChange, Summary, bounding_box, centroid, geodesic_area, vertex_count,
};
pub use document::{
    GeoDocument, OtherGeometry, OtherKind, RootKind, Shape, ShapeKind, ShapeLocation,
};
pub use edit::{GeometryEdit, Restructure};
pub use error::GeoError;
pub use import::{Imported, ImportedFeature, read_import};
pub use inside::{PlanePoint, Side, point_in_ring, side_of};
pub use intersections::self_intersections;
pub use model::{
    BoundingBox, FINGERPRINT_CHUNK, LonLat, Polygon, Ring, RingRef, SANE_LIMIT, VertexRef,
    chunk_fingerprint, distinct_count, ring_is_clockwise, ring_signed_area2,
};
pub use paste::{PasteFormat, Pasted, parse_pasted};
pub use read::locate_error;
pub use removal::{Removal, add_polygon_edit, add_polygons_edit};
pub use simplify::{Simplified, simplify};
pub use validity::{
    AntimeridianCrossing, HoleOutside, Issue, IssueKind, MAX_MARKED_POINTS, PartsOverlap, Severity,
    antimeridian_crossings, check_polygons, holes_outside, overlapping_parts,
};
