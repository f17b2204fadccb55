//! [`GeoDocument`]: a `.geojson` file as read, its editable [`Shape`]s and its read-only others.
//!
//! The document keeps the original text, so an unedited file is written back byte for byte, and
//! the `geojson` tree with everything that is not an editable polygon (properties, foreign
//! members, lines, points). The coordinates of each Polygon/MultiPolygon are moved out of the
//! tree into the model (the tree keeps an empty placeholder of the same type in the same place),
//! so big boundaries are held once, as plain `f64` pairs.

use geojson::{Feature, GeoJson, GeometryValue, JsonObject, Position};

use super::edit::GeometryEdit;
use super::error::GeoError;
use super::model::{
    BoundingBox, FINGERPRINT_CHUNK, Fingerprint, LonLat, Polygon, Ring, RingRef, open_ring,
};
use super::validity::IssueKind;
use super::{read, write};

/// Whether an editable geometry was a GeoJSON `Polygon` or `MultiPolygon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShapeKind {
    /// A single polygon (`"type": "Polygon"`).
    Polygon,
    /// Any number of polygons (`"type": "MultiPolygon"`).
    MultiPolygon,
}

/// The kind of a read-only geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtherKind {
    /// One position.
    Point,
    /// Several unconnected positions.
    MultiPoint,
    /// One line.
    LineString,
    /// Several lines.
    MultiLineString,
}

/// What the top level of the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RootKind {
    /// `"type": "FeatureCollection"` (what new cases get).
    FeatureCollection,
    /// A single `"type": "Feature"`.
    Feature,
    /// A bare geometry, possibly a GeometryCollection.
    Geometry,
}

/// Where a geometry lives in the file: which feature, then which member of nested
/// GeometryCollections.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ShapeLocation {
    /// Index into the FeatureCollection's `features`; `None` when the root is a single Feature
    /// or a bare geometry.
    pub feature: Option<usize>,
    /// Member indices through nested GeometryCollections, outermost first (empty when the
    /// geometry is the feature's or the root's geometry itself).
    pub collection_path: Vec<usize>,
}

impl ShapeLocation {
    /// The location as a JSON path, e.g. `features[2].geometry.geometries[1]` (for messages).
    pub fn json_path(&self) -> String {
        let mut path = match self.feature {
            Some(i) => format!("features[{i}].geometry"),
            None => String::new(),
        };
        for i in &self.collection_path {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&format!("geometries[{i}]"));
        }
        path
    }
}

/// One editable Polygon/MultiPolygon geometry of the file, with its polygons in the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The polygons; one for a `Polygon` (unless edited into several), any number for a
    /// `MultiPolygon`.
    pub polygons: Vec<Polygon>,
    pub(super) kind: ShapeKind,
    pub(super) location: ShapeLocation,
    /// `(polygon, ring)` of rings whose last position did not repeat the first, as read.
    pub(super) unclosed_as_read: Vec<(usize, usize)>,
    /// Fingerprint of the polygons as read; `None` for shapes created by an edit.
    pub(super) original_fingerprint: Option<u64>,
    /// One fingerprint per polygon, kept current by every edit.
    pub(super) polygon_fingerprints: Vec<u64>,
    /// Per polygon, per ring, the fingerprints of its chunks of [`FINGERPRINT_CHUNK`]
    /// vertices (what [`Self::polygon_fingerprints`] are made of), kept current by every edit.
    pub(super) chunk_fingerprints: Vec<Vec<Vec<u64>>>,
    /// The tree still holds this shape's coordinates (positions with altitude), used to write
    /// it unchanged while it is not edited.
    pub(super) tree_keeps_coordinates: bool,
    /// Which polygon geometry of the source text (in file order) this shape was read from;
    /// `None` for shapes created by an edit. The in-place writer matches shapes with the text
    /// they came from by it.
    pub(super) origin: Option<usize>,
    /// [`Self::polygon_fingerprints`] as read: tells which polygons of the text are unchanged.
    pub(super) original_polygon_fingerprints: Vec<u64>,
    /// Whether rings not closed in the file get their closing position when written (set by
    /// [`super::GeometryEdit::CloseRings`], CB018's fix). Otherwise a ring keeps its closing
    /// (or its lack of one) even when edited: only what the author changed changes.
    pub(super) close_rings: bool,
}

impl Shape {
    /// A shape read from the file: geometry number `origin` in file order.
    pub(super) fn read(
        polygons: Vec<Polygon>,
        kind: ShapeKind,
        location: ShapeLocation,
        unclosed_as_read: Vec<(usize, usize)>,
        tree_keeps_coordinates: bool,
        origin: usize,
    ) -> Self {
        let chunk_fingerprints: Vec<Vec<Vec<u64>>> = polygons
            .iter()
            .map(Fingerprint::chunks_of_polygon)
            .collect();
        let polygon_fingerprints: Vec<u64> = polygons
            .iter()
            .zip(&chunk_fingerprints)
            .map(|(p, c)| Fingerprint::of_chunks(p, c))
            .collect();
        let mut shape = Self {
            polygons,
            chunk_fingerprints,
            kind,
            location,
            unclosed_as_read,
            original_fingerprint: None,
            original_polygon_fingerprints: polygon_fingerprints.clone(),
            polygon_fingerprints,
            tree_keeps_coordinates,
            origin: Some(origin),
            close_rings: false,
        };
        shape.original_fingerprint = Some(shape.fingerprint());
        shape
    }

    /// A shape created by an edit (not read from the file).
    pub(super) fn created(polygons: Vec<Polygon>) -> Self {
        let kind = if polygons.len() == 1 {
            ShapeKind::Polygon
        } else {
            ShapeKind::MultiPolygon
        };
        let mut shape = Self {
            polygons,
            chunk_fingerprints: Vec::new(),
            kind,
            location: ShapeLocation::default(),
            unclosed_as_read: Vec::new(),
            original_fingerprint: None,
            polygon_fingerprints: Vec::new(),
            tree_keeps_coordinates: false,
            origin: None,
            original_polygon_fingerprints: Vec::new(),
            close_rings: false,
        };
        shape.refresh_all();
        shape
    }

    /// The shape's type in the file (as read or last saved; as created for a new shape).
    pub fn kind(&self) -> ShapeKind {
        self.kind
    }

    /// The type the writer uses: `Polygon` for at most one polygon that was a `Polygon`,
    /// `MultiPolygon` otherwise.
    pub fn written_kind(&self) -> ShapeKind {
        if self.kind == ShapeKind::Polygon && self.polygons.len() <= 1 {
            ShapeKind::Polygon
        } else {
            ShapeKind::MultiPolygon
        }
    }

    /// Where the geometry lives in the file.
    pub fn location(&self) -> &ShapeLocation {
        &self.location
    }

    /// Whether the polygons differ from what was read (shapes added by an edit always do).
    ///
    /// Compared by fingerprint, so a shape edited and then undone counts as unmodified again.
    pub fn is_modified(&self) -> bool {
        self.original_fingerprint != Some(self.fingerprint())
    }

    /// The number of stored vertices (closing positions not counted).
    pub fn vertex_count(&self) -> usize {
        self.polygons.iter().map(Polygon::vertex_count).sum()
    }

    /// Rings that are not closed in the file, as `(polygon, ring)`, and stay so when written
    /// (see [`super::GeometryEdit::CloseRings`]). Empty once the rings are to be closed, and
    /// while polygons were added or removed (the indices would no longer be right).
    pub fn unclosed_rings_as_read(&self) -> &[(usize, usize)] {
        let same_polygons = self.polygons.len() == self.original_polygon_fingerprints.len();
        if self.close_rings || (self.is_modified() && !same_polygons) {
            &[]
        } else {
            &self.unclosed_as_read
        }
    }

    /// The fingerprint of all polygons (from the per-polygon fingerprints).
    pub(super) fn fingerprint(&self) -> u64 {
        let mut f = Fingerprint::new();
        f.add(u64::from(self.close_rings));
        f.add(self.polygon_fingerprints.len() as u64);
        for p in &self.polygon_fingerprints {
            f.add(*p);
        }
        f.finish()
    }

    /// The fingerprint of polygon `index`, kept current by every edit: the same value means
    /// the same rings and coordinates (but for a chance of about 2⁻⁶⁴), so a cache of the
    /// polygon (the map's projection) can skip it without reading its vertices.
    pub fn polygon_fingerprint(&self, index: usize) -> Option<u64> {
        self.polygon_fingerprints.get(index).copied()
    }

    /// The fingerprints of the chunks of [`FINGERPRINT_CHUNK`] vertices of ring `ring` of
    /// polygon `polygon`, kept current by every edit: a cache of the ring compares them with
    /// its own to find the chunks that changed without reading the vertices.
    pub fn ring_chunk_fingerprints(&self, polygon: usize, ring: usize) -> Option<&[u64]> {
        self.chunk_fingerprints
            .get(polygon)
            .and_then(|p| p.get(ring))
            .map(Vec::as_slice)
    }

    /// Recomputes the fingerprint of polygon `index` after it changed.
    pub(super) fn refresh_polygon(&mut self, index: usize) {
        if let (Some(fp), Some(chunks), Some(p)) = (
            self.polygon_fingerprints.get_mut(index),
            self.chunk_fingerprints.get_mut(index),
            self.polygons.get(index),
        ) {
            *chunks = Fingerprint::chunks_of_polygon(p);
            *fp = Fingerprint::of_chunks(p, chunks);
        }
    }

    /// Recomputes the fingerprint of polygon `polygon` after only vertex `vertex` of its ring
    /// `ring` moved: that vertex's chunk is hashed again, not the whole polygon.
    pub(super) fn refresh_vertex(&mut self, polygon: usize, ring: usize, vertex: usize) {
        let (Some(fp), Some(chunks), Some(p)) = (
            self.polygon_fingerprints.get_mut(polygon),
            self.chunk_fingerprints.get_mut(polygon),
            self.polygons.get(polygon),
        ) else {
            return;
        };
        let c = vertex / FINGERPRINT_CHUNK;
        let (Some(r), Some(keys)) = (p.rings.get(ring), chunks.get_mut(ring)) else {
            return self.refresh_polygon(polygon);
        };
        let part = r.chunks(FINGERPRINT_CHUNK).nth(c);
        let (Some(part), true) = (part, keys.len() == r.len().div_ceil(FINGERPRINT_CHUNK)) else {
            return self.refresh_polygon(polygon);
        };
        keys[c] = Fingerprint::of_chunk(part);
        *fp = Fingerprint::of_chunks(p, chunks);
    }

    /// Recomputes every polygon fingerprint after the polygon list changed.
    pub(super) fn refresh_all(&mut self) {
        self.chunk_fingerprints = self
            .polygons
            .iter()
            .map(Fingerprint::chunks_of_polygon)
            .collect();
        self.polygon_fingerprints = self
            .polygons
            .iter()
            .zip(&self.chunk_fingerprints)
            .map(|(p, c)| Fingerprint::of_chunks(p, c))
            .collect();
    }
}

/// A geometry that is kept as it is and only drawn: points and lines.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherGeometry {
    /// Its GeoJSON type.
    pub kind: OtherKind,
    /// Its positions: one part for Point/MultiPoint/LineString, one per line for
    /// MultiLineString.
    pub parts: Vec<Vec<LonLat>>,
    /// Where it lives in the file.
    pub location: ShapeLocation,
}

/// A `.geojson` file: original text, the `geojson` tree, editable shapes and drawable others.
///
/// Changes go through [`GeoDocument::apply`] only, which returns the inverse edit.
#[derive(Debug, Clone)]
pub struct GeoDocument {
    /// The text as read (without a byte-order mark).
    pub(super) source: String,
    /// Whether the file started with a UTF-8 byte-order mark (kept when writing).
    pub(super) bom: bool,
    /// Whether the file used `\r\n` line endings (kept when writing).
    pub(super) crlf: bool,
    /// The tree, with shape coordinates moved out (see the module docs).
    pub(super) tree: GeoJson,
    pub(super) shapes: Vec<Shape>,
    pub(super) others: Vec<OtherGeometry>,
    /// The tree as read, saved before the first structural edit, to tell "back to as read".
    pub(super) tree_as_read: Option<Box<GeoJson>>,
    /// Whether the tree differs from the tree as read (after structural edits).
    pub(super) tree_changed: bool,
    /// Validity issues, computed once per state (checks ask after every keystroke; at a
    /// million vertices the computation takes over 100 ms). Cleared by every edit.
    pub(super) issues_cache: std::sync::OnceLock<Vec<super::Issue>>,
    /// Where the values of [`Self::source`] sit (mapped on the first in-place write, kept
    /// until the source changes at a save): later writes only rewrite what changed.
    pub(super) spans_cache: std::sync::OnceLock<Option<super::spans::Node>>,
}

/// The text written for a new case's boundary file.
const EMPTY_TEXT: &str = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": []\n}\n";

impl GeoDocument {
    /// Reads a GeoJSON text (FeatureCollection, Feature or bare geometry).
    ///
    /// Errors say what and where: line and column for JSON and GeoJSON structure errors, a JSON
    /// path for unusable values (such as a position with a single number).
    pub fn parse(text: &str) -> Result<GeoDocument, GeoError> {
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut tree: GeoJson = serde_json::from_str(body).map_err(|e| GeoError::from_json(&e))?;
        let (shapes, others) = read::extract(&mut tree)?;
        Ok(GeoDocument {
            source: body.to_string(),
            bom,
            crlf: body.contains("\r\n"),
            tree,
            shapes,
            others,
            tree_as_read: None,
            tree_changed: false,
            issues_cache: std::sync::OnceLock::new(),
            spans_cache: std::sync::OnceLock::new(),
        })
    }

    /// An empty FeatureCollection, the boundary file of a new case.
    pub fn new_empty() -> GeoDocument {
        GeoDocument {
            source: EMPTY_TEXT.to_string(),
            bom: false,
            crlf: false,
            tree: GeoJson::FeatureCollection(geojson::FeatureCollection {
                bbox: None,
                features: Vec::new(),
                foreign_members: None,
            }),
            shapes: Vec::new(),
            others: Vec::new(),
            tree_as_read: None,
            tree_changed: false,
            issues_cache: std::sync::OnceLock::new(),
            spans_cache: std::sync::OnceLock::new(),
        }
    }

    /// The text the document was read from (or last marked saved).
    pub fn source_text(&self) -> &str {
        &self.source
    }

    /// What the top level of the file is.
    pub fn root_kind(&self) -> RootKind {
        match &self.tree {
            GeoJson::FeatureCollection(_) => RootKind::FeatureCollection,
            GeoJson::Feature(_) => RootKind::Feature,
            GeoJson::Geometry(_) => RootKind::Geometry,
        }
    }

    /// The editable Polygon/MultiPolygon geometries, in file order.
    pub fn shapes(&self) -> &[Shape] {
        &self.shapes
    }

    /// One shape, if it exists.
    pub fn shape(&self, index: usize) -> Option<&Shape> {
        self.shapes.get(index)
    }

    /// The read-only geometries (points, lines), in file order, for drawing.
    pub fn others(&self) -> &[OtherGeometry] {
        &self.others
    }

    /// Every polygon of every shape, in file order.
    pub fn all_polygons(&self) -> impl Iterator<Item = &Polygon> {
        self.shapes.iter().flat_map(|s| s.polygons.iter())
    }

    /// Whether the geometry differs from what was read (then [`Self::to_file_text`] rewrites).
    pub fn is_modified(&self) -> bool {
        self.tree_changed || self.shapes.iter().any(Shape::is_modified)
    }

    /// The file text: the original bytes if unmodified, otherwise the original bytes with only
    /// what changed rewritten (a moved position's numbers, a reversed ring's positions, an
    /// added feature), in the file's own layout (see `write.rs`).
    pub fn to_file_text(&self) -> String {
        if !self.is_modified() {
            let mut text = String::with_capacity(self.source.len() + 3);
            if self.bom {
                text.push('\u{feff}');
            }
            text.push_str(&self.source);
            return text;
        }
        write::write_document(self)
    }

    /// The whole file written anew (2-space pretty), as Casebook wrote edited files before it
    /// wrote them in place; only the in-place writer's fallback uses it. Exposed to compare
    /// the two in benchmarks.
    #[doc(hidden)]
    pub fn to_whole_file_text(&self) -> String {
        super::pretty::write_document(self)
    }

    /// Makes the current state the "as read" state, after [`Self::to_file_text`] was saved.
    ///
    /// Afterwards the document is unmodified and writes the saved text back verbatim. (Parsing
    /// the saved text again works too; this avoids it and keeps vertex indices stable.)
    pub fn mark_saved(&mut self) {
        if self.is_modified() {
            let text = self.to_file_text();
            self.mark_saved_as(text);
        }
    }

    /// [`Self::mark_saved`] with the text that was written (so it is not written out again).
    pub fn mark_saved_as(&mut self, text: String) {
        // Unmodified, the text is the source as it was: nothing to take over.
        if !self.is_modified() {
            return;
        }
        self.issues_cache = std::sync::OnceLock::new();
        self.spans_cache = std::sync::OnceLock::new();
        self.source = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        for (k, shape) in self.shapes.iter_mut().enumerate() {
            if shape.is_modified() {
                // Rings are written closed unless the file left them open (then they stay so
                // until closed by CloseRings): only a shape that had open rings can still have.
                if shape.close_rings {
                    shape.unclosed_as_read.clear();
                } else if !shape.unclosed_as_read.is_empty() {
                    shape.unclosed_as_read =
                        write::unclosed_rings(&self.source, &shape.location).unwrap_or_default();
                }
                let kind = shape.written_kind();
                if (shape.tree_keeps_coordinates || kind != shape.kind)
                    && let Some(g) = read::geometry_at_mut(&mut self.tree, &shape.location)
                {
                    // The tree keeps a placeholder of the type now in the file.
                    g.value = match kind {
                        ShapeKind::Polygon => geojson::GeometryValue::Polygon {
                            coordinates: Vec::new(),
                        },
                        ShapeKind::MultiPolygon => geojson::GeometryValue::MultiPolygon {
                            coordinates: Vec::new(),
                        },
                    };
                }
                shape.kind = kind;
                shape.tree_keeps_coordinates = false;
                shape.close_rings = false;
            }
            shape.original_fingerprint = Some(shape.fingerprint());
            shape.original_polygon_fingerprints = shape.polygon_fingerprints.clone();
            shape.origin = Some(k);
        }
        self.tree_as_read = None;
        self.tree_changed = false;
    }

    /// Whether a shape added now gets a Feature of its own with `properties` (the file is a
    /// FeatureCollection); otherwise properties of added shapes cannot be kept.
    pub fn keeps_feature_properties(&self) -> bool {
        matches!(self.tree, GeoJson::FeatureCollection(_))
    }

    /// The edit that winds every ring as RFC 7946 asks, exteriors counter-clockwise and holes
    /// clockwise, by reversing the rings wound the other way ([`GeometryEdit::ReverseRing`]:
    /// the file then holds the same position texts in reverse order, so its line count and
    /// byte length do not change). `None` when every ring is wound right. CB018's fix.
    pub fn winding_fix(&self) -> Option<GeometryEdit> {
        let edits: Vec<GeometryEdit> = self
            .issues()
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    IssueKind::ExteriorClockwise | IssueKind::HoleCounterClockwise
                )
            })
            .filter_map(|i| {
                Some(GeometryEdit::ReverseRing {
                    at: RingRef::new(i.shape, i.polygon?, i.ring?),
                })
            })
            .collect();
        (!edits.is_empty()).then_some(GeometryEdit::Batch(edits))
    }

    /// The edit that closes the rings the file leaves open (the last position not repeating
    /// the first), shape by shape ([`GeometryEdit::CloseRings`]). `None` when all are closed.
    pub fn closing_fix(&self) -> Option<GeometryEdit> {
        let edits: Vec<GeometryEdit> = self
            .shapes
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.unclosed_rings_as_read().is_empty())
            .map(|(shape, _)| GeometryEdit::CloseRings { shape, close: true })
            .collect();
        (!edits.is_empty()).then_some(GeometryEdit::Batch(edits))
    }

    /// The `properties` of the feature holding shape `shape`, if any.
    pub fn properties_of(&self, shape: usize) -> Option<&JsonObject> {
        let location = &self.shapes.get(shape)?.location;
        self.feature_at(location)?.properties.as_ref()
    }

    /// A human name for shape `shape` from its feature's `name` or `title` property.
    pub fn name_of(&self, shape: usize) -> Option<&str> {
        let props = self.properties_of(shape)?;
        ["name", "Name", "NAME", "title"]
            .iter()
            .find_map(|k| props.get(*k).and_then(|v| v.as_str()))
    }

    /// The feature at a location (the root feature for `feature: None` when the root is one).
    fn feature_at(&self, location: &ShapeLocation) -> Option<&Feature> {
        match (&self.tree, location.feature) {
            (GeoJson::FeatureCollection(fc), Some(i)) => fc.features.get(i),
            (GeoJson::Feature(f), None) => Some(f),
            _ => None,
        }
    }

    /// The number of stored vertices of all shapes (closing positions not counted).
    pub fn vertex_count(&self) -> usize {
        self.shapes.iter().map(Shape::vertex_count).sum()
    }

    /// The box around everything drawable: polygons and the read-only points and lines
    /// (so "zoom to boundary" works for files that draw the boundary as a line).
    pub fn bbox(&self) -> Option<BoundingBox> {
        let polygons = BoundingBox::of_points(self.all_polygons().flat_map(Polygon::vertices));
        let others = BoundingBox::of_points(
            self.others
                .iter()
                .flat_map(|o| o.parts.iter().flatten().copied()),
        );
        BoundingBox::merge(polygons, others)
    }

    /// Re-derives shape locations and the read-only list from the tree after a structural edit.
    ///
    /// Errors (leaving nothing changed) if the tree and the shape list disagree, which would be
    /// a bug in a structural edit.
    pub(super) fn relocate(&mut self) -> Result<(), GeoError> {
        let mut locations = Vec::with_capacity(self.shapes.len());
        let mut others = Vec::new();
        let mut failure = None;
        read::visit(
            &self.tree,
            &mut |geometry, location| match &geometry.value {
                GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. } => {
                    locations.push(location.clone());
                }
                _ => match read::other_from_geometry(geometry, location) {
                    Ok(Some(o)) => others.push(o),
                    Ok(None) => {}
                    Err(e) => failure = Some(e),
                },
            },
        );
        if let Some(e) = failure {
            return Err(e);
        }
        if locations.len() != self.shapes.len() {
            return Err(GeoError::Refused(format!(
                "internal mismatch: {} polygon geometries in the file, {} shapes",
                locations.len(),
                self.shapes.len()
            )));
        }
        for (shape, location) in self.shapes.iter_mut().zip(locations) {
            shape.location = location;
        }
        self.others = others;
        Ok(())
    }
}

/// Converts positions to an open ring; returns the ring, whether it was closed, whether any
/// position had more than two numbers.
pub(super) fn ring_from_positions(
    positions: &[Position],
    path: &dyn Fn() -> String,
) -> Result<(Ring, bool, bool), GeoError> {
    let mut ring: Ring = Vec::with_capacity(positions.len());
    let mut has_z = false;
    for (i, p) in positions.iter().enumerate() {
        let s = p.as_slice();
        let (Some(lon), Some(lat)) = (s.first(), s.get(1)) else {
            return Err(GeoError::Invalid {
                path: format!("{}[{i}]", path()),
                message: format!(
                    "a position has {} number(s); it needs longitude and latitude",
                    s.len()
                ),
            });
        };
        has_z |= s.len() > 2;
        ring.push(LonLat::new(*lon, *lat));
    }
    let closed = open_ring(&mut ring) || ring.len() < 2;
    Ok((ring, closed, has_z))
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn empty_document_is_a_feature_collection() -> TestResult {
        let doc = GeoDocument::new_empty();
        assert_eq!(doc.root_kind(), RootKind::FeatureCollection);
        assert!(doc.shapes().is_empty());
        assert!(!doc.is_modified());
        let reparsed = GeoDocument::parse(&doc.to_file_text())?;
        assert_eq!(reparsed.to_file_text(), doc.to_file_text());
        Ok(())
    }

    #[test]
    fn location_paths() {
        let loc = ShapeLocation {
            feature: Some(2),
            collection_path: vec![1, 0],
        };
        assert_eq!(
            loc.json_path(),
            "features[2].geometry.geometries[1].geometries[0]"
        );
        assert_eq!(ShapeLocation::default().json_path(), "");
    }

    #[test]
    fn names_come_from_properties() -> TestResult {
        let doc = GeoDocument::parse(
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Park"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
        )?;
        assert_eq!(doc.name_of(0), Some("Park"));
        assert_eq!(doc.name_of(1), None);
        assert_eq!(doc.name_of(7), None);
        Ok(())
    }

    fn nested(depth: usize) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"p":{}1{}}},"geometry":null}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    }

    #[test]
    fn hostile_inputs_are_errors_not_panics() {
        let cases: Vec<String> = vec![
            String::new(),
            "{}".into(),
            "[]".into(),
            "null".into(),
            "\"FeatureCollection\"".into(),
            r#"{"type":"Topology","objects":{}}"#.into(),
            r#"{"type":"FeatureCollection"}"#.into(),
            r#"{"type":"FeatureCollection","features":{}}"#.into(),
            r#"{"type":"Polygon"}"#.into(),
            r#"{"type":"Polygon","coordinates":5}"#.into(),
            r#"{"type":"Polygon","coordinates":[[[1],[2],[3],[1]]]}"#.into(),
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,"x"],[0,0]]]}"#.into(),
            r#"{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#.into(),
            r#"{"type":"MultiPolygon","coordinates":[[[[[0,0]]]]]}"#.into(),
            r#"{"type":"Point","coordinates":[NaN,0]}"#.into(),
            r#"{"type":"Point","coordinates":[1e999,0]}"#.into(),
            r#"{"type":"Point","coordinates":[1]}"#.into(),
            r#"{"type":"LineString","coordinates":[[0,0],[1]]}"#.into(),
            r#"{"type":"MultiLineString","coordinates":[[[0,0]],[[1]]]}"#.into(),
            r#"{"type":"GeometryCollection"}"#.into(),
            r#"{"type":"Feature","properties":5,"geometry":null}"#.into(),
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],"#.into(),
            nested(200),
            nested(129),
        ];
        for text in cases {
            let r = GeoDocument::parse(&text);
            assert!(r.is_err(), "{text:?} should be an error, got {r:?}");
        }
    }

    #[test]
    fn too_deep_is_a_clean_error_and_deep_enough_parses() -> TestResult {
        let Err(GeoError::Json { line, message, .. }) = GeoDocument::parse(&nested(200)) else {
            panic!("expected a JSON error");
        };
        assert_eq!(line, 1);
        assert!(message.contains("nested too deeply"), "{message}");
        let doc = GeoDocument::parse(&nested(120))?;
        assert!(doc.shapes().is_empty());
        Ok(())
    }

    #[test]
    fn deeply_nested_geometry_collections_are_read_and_written() -> TestResult {
        let depth = 60;
        let mut text =
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#.to_string();
        for _ in 0..depth {
            text = format!(r#"{{"type":"GeometryCollection","geometries":[{text}]}}"#);
        }
        let mut doc = GeoDocument::parse(&text)?;
        assert_eq!(doc.shapes()[0].location().collection_path.len(), depth);
        doc.apply(crate::geometry::GeometryEdit::MoveVertex {
            at: crate::geometry::VertexRef::new(0, 0, 0, 1),
            to: LonLat::new(2.0, 0.0),
        })?;
        let again = GeoDocument::parse(&doc.to_file_text())?;
        assert_eq!(again.shapes()[0].polygons, doc.shapes()[0].polygons);
        let mut deeper = text;
        for _ in 0..5 {
            deeper = format!(r#"{{"type":"GeometryCollection","geometries":[{deeper}]}}"#);
        }
        assert!(matches!(
            GeoDocument::parse(&deeper),
            Err(GeoError::Json { .. })
        ));
        Ok(())
    }

    #[test]
    fn odd_but_valid_inputs_are_read() -> TestResult {
        for text in [
            r#"{"type":"Polygon","coordinates":[]}"#,
            r#"{"type":"Polygon","coordinates":[[]]}"#,
            r#"{"type":"MultiPolygon","coordinates":[]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}"#,
            r#"{"type":"GeometryCollection","geometries":[]}"#,
            r#"{"type":"Feature","geometry":null}"#,
            r#"{"type":"FeatureCollection","features":[],"bbox":[1,2,3,4]}"#,
            r#"{"type":"Polygon","coordinates":[[[1e300,-1e300],[1,0],[1,1],[1e300,-1e300]]]}"#,
        ] {
            let doc = GeoDocument::parse(text)?;
            assert_eq!(doc.to_file_text(), text);
            // Analysis never panics on what was read.
            let _ = (
                doc.area(),
                doc.centroid(),
                doc.bbox(),
                doc.issues(),
                doc.simplify_edit(0.1),
            );
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        /// Random edits of a valid file's bytes never panic the reader; when what is left is
        /// still GeoJSON, a moved vertex and an added shape are written in place (never by
        /// the fallback) as text that reads back to the model.
        #[test]
        fn mangled_text_never_panics(cuts in proptest::collection::vec((0usize..400, 0usize..6, proptest::sample::select(vec!["", "[", "]", "{", "}", ",", "1", "-", "1e999", "\"", "null", ":", " ", "\n", "\"type\":\"Polygon\",", "\"coordinates\":[],", "\"a]\\\"\":1,"])), 0..6)) {
            let mut text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":[1,{"b":2}]},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}},{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]}}]}"#.to_string();
            for (at, len, insert) in cuts {
                let at = at.min(text.len());
                let end = (at + len).min(text.len());
                text.replace_range(at..end, insert);
            }
            if let Ok(mut doc) = GeoDocument::parse(&text) {
                let _ = (doc.area(), doc.centroid(), doc.bbox(), doc.issues());
                let _ = doc.apply(crate::geometry::GeometryEdit::MoveVertex {
                    at: crate::geometry::VertexRef::new(0, 0, 0, 0),
                    to: LonLat::new(1.0, 1.0),
                });
                let _ = doc.apply(crate::geometry::GeometryEdit::AddShape {
                    polygons: vec![Polygon::from_exterior(vec![
                        LonLat::new(7.0, 7.0),
                        LonLat::new(8.0, 7.0),
                        LonLat::new(8.0, 8.0),
                    ])],
                });
                if doc.is_modified() {
                    let written = write::in_place(&doc);
                    proptest::prop_assert!(written.is_some(), "fell back on {}", text);
                    let written = written.unwrap_or_default();
                    let again = GeoDocument::parse(&written);
                    proptest::prop_assert!(again.is_ok(), "{:?}\n{}\n{}", again.err(), text, written);
                    if let Ok(again) = again {
                        proptest::prop_assert_eq!(again.shapes().len(), doc.shapes().len());
                        proptest::prop_assert_eq!(again.vertex_count(), doc.vertex_count(), "{}\n{}", text, written);
                    }
                }
            }
        }
    }
}
