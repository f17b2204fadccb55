//! The whole-file writer, the fallback of the in-place writer (`write.rs`): readable and
//! lossless in meaning, but not in layout.
//!
//! The in-place writer rewrites only the bytes of what changed; it falls back to this writer
//! only if the text and the tree disagree, which would be a bug (tests over the corpus in five
//! styles assert that it never does).
//!
//! Layout: 2-space indent, one member per line, every position inline as `[lon, lat]` (one per
//! line inside a ring), arrays of plain numbers inline. Numbers are formatted by `serde_json`
//! (shortest round-trip form), so untouched values re-parse to the same bits. Rings keep the
//! model's orientation; every ring is closed. Members are written as `type`, (`id`), `bbox`,
//! `properties`, foreign members, then the geometry / `coordinates` / `features` (the `geojson`
//! tree does not record the original order of the standard members; foreign members and
//! properties keep theirs).

use geojson::feature::Id;
use geojson::{Bbox, Feature, GeoJson, Geometry, GeometryValue, JsonObject, JsonValue, Position};
use serde_json::ser::{CompactFormatter, Formatter};

use super::document::{GeoDocument, Shape, ShapeKind};
use super::model::{BoundingBox, LonLat, Polygon};

/// Writes a (modified) document as pretty GeoJSON text.
pub(super) fn write_document(doc: &GeoDocument) -> String {
    let mut w = Writer {
        out: Vec::with_capacity(doc.source.len() + doc.vertex_count() * 28 + 64),
        nl: if doc.crlf { "\r\n" } else { "\n" },
        depth: 0,
        first: Vec::new(),
        shapes: &doc.shapes,
        next_shape: 0,
    };
    if doc.bom {
        w.raw("\u{feff}");
    }
    match &doc.tree {
        GeoJson::FeatureCollection(fc) => {
            w.open(b'{');
            w.key("type");
            w.string("FeatureCollection");
            w.foreign(fc.foreign_members.as_ref());
            let leaves: Vec<&Geometry> = fc
                .features
                .iter()
                .filter_map(|f| f.geometry.as_ref())
                .flat_map(leaves)
                .collect();
            w.bbox(fc.bbox.as_ref(), &leaves);
            w.key("features");
            w.open(b'[');
            for f in &fc.features {
                w.item();
                w.feature(f);
            }
            w.close(b']');
            w.close(b'}');
        }
        GeoJson::Feature(f) => w.feature(f),
        GeoJson::Geometry(g) => w.geometry(g),
    }
    w.raw(w.nl);
    match String::from_utf8(w.out) {
        Ok(s) => s,
        // Cannot happen (only UTF-8 is written); never panic anyway.
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The non-collection geometries inside `g`, in file order.
fn leaves(g: &Geometry) -> Vec<&Geometry> {
    let mut out = Vec::new();
    fn go<'a>(g: &'a Geometry, out: &mut Vec<&'a Geometry>) {
        match &g.value {
            GeometryValue::GeometryCollection { geometries } => {
                for m in geometries {
                    go(m, out);
                }
            }
            _ => out.push(g),
        }
    }
    go(g, &mut out);
    out
}

fn is_shape(g: &Geometry) -> bool {
    matches!(
        g.value,
        GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. }
    )
}

/// All positions of a point/line geometry (empty for others).
fn other_positions(g: &Geometry) -> Vec<&Position> {
    match &g.value {
        GeometryValue::Point { coordinates } => vec![coordinates],
        GeometryValue::MultiPoint { coordinates } | GeometryValue::LineString { coordinates } => {
            coordinates.iter().collect()
        }
        GeometryValue::MultiLineString { coordinates } => coordinates.iter().flatten().collect(),
        _ => Vec::new(),
    }
}

struct Writer<'a> {
    out: Vec<u8>,
    nl: &'static str,
    depth: usize,
    /// Per open container: no item written yet.
    first: Vec<bool>,
    shapes: &'a [Shape],
    /// The shape the next Polygon/MultiPolygon placeholder stands for (file order).
    next_shape: usize,
}

impl Writer<'_> {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn newline_indent(&mut self) {
        self.out.extend_from_slice(self.nl.as_bytes());
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"  ");
        }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.first.push(true);
        self.depth += 1;
    }

    /// Starts an element of the current container: comma if needed, new line, indent.
    fn item(&mut self) {
        if let Some(first) = self.first.last_mut() {
            if !*first {
                self.out.push(b',');
            }
            *first = false;
        }
        self.newline_indent();
    }

    fn close(&mut self, bracket: u8) {
        self.depth = self.depth.saturating_sub(1);
        if self.first.pop() == Some(false) {
            self.newline_indent();
        }
        self.out.push(bracket);
    }

    fn key(&mut self, k: &str) {
        self.item();
        self.string(k);
        self.out.extend_from_slice(b": ");
    }

    fn string(&mut self, s: &str) {
        // Writing a string to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.out, s);
    }

    fn f64(&mut self, x: f64) {
        if x.is_finite() {
            let _ = CompactFormatter.write_f64(&mut self.out, x);
        } else {
            // Edits refuse non-finite numbers; never write invalid JSON anyway.
            self.raw("null");
        }
    }

    /// A list with each item on a line of its own: `item` writes each item.
    fn block_list<T>(&mut self, xs: impl IntoIterator<Item = T>, item: impl Fn(&mut Self, T)) {
        self.open(b'[');
        for x in xs {
            self.item();
            item(self, x);
        }
        self.close(b']');
    }

    /// A list on one line, `[a, b]`: `item` writes each item.
    fn inline_list<T>(&mut self, xs: impl IntoIterator<Item = T>, item: impl Fn(&mut Self, T)) {
        self.out.push(b'[');
        for (i, x) in xs.into_iter().enumerate() {
            if i > 0 {
                self.out.extend_from_slice(b", ");
            }
            item(self, x);
        }
        self.out.push(b']');
    }

    fn number_list(&mut self, xs: impl IntoIterator<Item = f64>) {
        self.inline_list(xs, Self::f64);
    }

    fn lonlat(&mut self, p: LonLat) {
        self.number_list([p.lon, p.lat]);
    }

    fn position(&mut self, p: &Position) {
        self.number_list(p.as_slice().iter().copied());
    }

    fn value(&mut self, v: &JsonValue) {
        match v {
            JsonValue::Null => self.raw("null"),
            JsonValue::Bool(b) => self.raw(if *b { "true" } else { "false" }),
            JsonValue::Number(n) => {
                let s = n.to_string();
                self.raw(&s);
            }
            JsonValue::String(s) => self.string(s),
            JsonValue::Array(items)
                if !items.is_empty() && items.iter().all(JsonValue::is_number) =>
            {
                self.inline_list(items, Self::value);
            }
            JsonValue::Array(items) => {
                self.block_list(items, Self::value);
            }
            JsonValue::Object(map) => self.object(map),
        }
    }

    fn object(&mut self, map: &JsonObject) {
        self.open(b'{');
        for (k, v) in map {
            self.key(k);
            self.value(v);
        }
        self.close(b'}');
    }

    fn foreign(&mut self, members: Option<&JsonObject>) {
        for (k, v) in members.into_iter().flatten() {
            self.key(k);
            self.value(v);
        }
    }

    /// Writes a `bbox` member if the object had one: recomputed when a shape under it was
    /// edited, as read otherwise.
    fn bbox(&mut self, bbox: Option<&Bbox>, leaves: &[&Geometry]) {
        let Some(bbox) = bbox else {
            return;
        };
        let count = leaves.iter().filter(|g| is_shape(g)).count();
        let end = (self.next_shape + count).min(self.shapes.len());
        let range = self.shapes.get(self.next_shape..end).unwrap_or(&[]);
        self.key("bbox");
        if !range.iter().any(Shape::is_modified) {
            self.number_list(bbox.iter().copied());
            return;
        }
        let polygons = BoundingBox::of_points(
            range
                .iter()
                .flat_map(|s| s.polygons.iter())
                .flat_map(Polygon::vertices),
        );
        let others =
            BoundingBox::of_points(leaves.iter().flat_map(|g| other_positions(g)).filter_map(
                |p| match p.as_slice() {
                    [lon, lat, ..] => Some(LonLat::new(*lon, *lat)),
                    _ => None,
                },
            ));
        match BoundingBox::merge(polygons, others) {
            Some(b) => self.number_list([b.min.lon, b.min.lat, b.max.lon, b.max.lat]),
            None => self.number_list(bbox.iter().copied()),
        }
    }

    fn feature(&mut self, f: &Feature) {
        self.open(b'{');
        self.key("type");
        self.string("Feature");
        match &f.id {
            Some(Id::String(s)) => {
                self.key("id");
                self.string(s);
            }
            Some(Id::Number(n)) => {
                self.key("id");
                let s = n.to_string();
                self.raw(&s);
            }
            None => {}
        }
        let leaves = f.geometry.as_ref().map(leaves).unwrap_or_default();
        self.bbox(f.bbox.as_ref(), &leaves);
        self.key("properties");
        match &f.properties {
            Some(p) => self.object(p),
            None => self.raw("null"),
        }
        self.foreign(f.foreign_members.as_ref());
        self.key("geometry");
        match &f.geometry {
            Some(g) => self.geometry(g),
            None => self.raw("null"),
        }
        self.close(b'}');
    }

    fn geometry(&mut self, g: &Geometry) {
        self.open(b'{');
        // The shape this placeholder stands for; consumed after the bbox (which looks at the
        // shapes from `next_shape` on).
        let shape = if is_shape(g) {
            self.shapes.get(self.next_shape)
        } else {
            None
        };
        let type_name = match shape.map(Shape::written_kind) {
            Some(ShapeKind::Polygon) => "Polygon",
            Some(ShapeKind::MultiPolygon) => "MultiPolygon",
            None => g.value.type_name(),
        };
        self.key("type");
        self.string(type_name);
        let leaves = leaves(g);
        self.bbox(g.bbox.as_ref(), &leaves);
        self.foreign(g.foreign_members.as_ref());
        if is_shape(g) {
            self.next_shape += 1;
        }
        // Shapes are written from the model, except unedited ones whose tree kept the
        // coordinates (altitudes).
        let from_model = shape.filter(|s| !s.tree_keeps_coordinates || s.is_modified());
        match (&g.value, from_model) {
            (GeometryValue::GeometryCollection { geometries }, _) => {
                self.key("geometries");
                self.block_list(geometries, Self::geometry);
            }
            (GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. }, Some(s)) => {
                self.key("coordinates");
                self.shape(s);
            }
            (GeometryValue::Polygon { coordinates }, None)
            | (GeometryValue::MultiLineString { coordinates }, _) => {
                self.key("coordinates");
                self.lines(coordinates);
            }
            (GeometryValue::MultiPolygon { coordinates }, None) => {
                self.key("coordinates");
                self.block_list(coordinates, |w, p| w.lines(p));
            }
            (GeometryValue::Point { coordinates }, _) => {
                self.key("coordinates");
                self.position(coordinates);
            }
            (
                GeometryValue::MultiPoint { coordinates }
                | GeometryValue::LineString { coordinates },
                _,
            ) => {
                self.key("coordinates");
                self.positions(coordinates);
            }
        }
        self.close(b'}');
    }

    fn positions(&mut self, positions: &[Position]) {
        self.block_list(positions, Self::position);
    }

    fn lines(&mut self, lines: &[Vec<Position>]) {
        self.block_list(lines, |w, l| w.positions(l));
    }

    /// Writes a shape's coordinates from the model: closed rings.
    fn shape(&mut self, s: &Shape) {
        match s.written_kind() {
            ShapeKind::Polygon => match s.polygons.first() {
                Some(p) => self.polygon(p),
                None => self.raw("[]"),
            },
            ShapeKind::MultiPolygon => {
                self.open(b'[');
                // A polygon without rings cannot be read back inside a MultiPolygon (the
                // `geojson` crate rejects `[[]]`), and means nothing: leave it out.
                for p in s.polygons.iter().filter(|p| !p.rings.is_empty()) {
                    self.item();
                    self.polygon(p);
                }
                self.close(b']');
            }
        }
    }

    fn polygon(&mut self, p: &Polygon) {
        self.block_list(&p.rings, |w, r| w.ring(r));
    }

    /// Writes an open ring closed.
    fn ring(&mut self, ring: &[LonLat]) {
        self.open(b'[');
        if let Some(first) = ring.first() {
            for p in ring {
                self.item();
                self.lonlat(*p);
            }
            self.item();
            self.lonlat(*first);
        }
        self.close(b']');
    }
}

#[cfg(test)]
mod tests {
    use super::super::edit::GeometryEdit;
    use super::super::model::{RingRef, VertexRef};
    use super::super::test_edits::{BBOX_FIXTURE, move_to};
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn ll(lon: f64, lat: f64) -> LonLat {
        LonLat::new(lon, lat)
    }

    fn moved(text: &str, at: VertexRef, to: LonLat) -> Result<String, Box<dyn std::error::Error>> {
        let mut doc = GeoDocument::parse(text)?;
        doc.apply(GeometryEdit::MoveVertex { at, to })?;
        Ok(write_document(&doc))
    }

    #[test]
    fn layout_is_pretty_with_inline_positions() -> TestResult {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A","tags":["x","y"],"n":[1,2.5],"empty":{},"list":[]},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#;
        let out = moved(text, VertexRef::new(0, 0, 0, 1), ll(2.0, 0.0))?;
        let expected = r#"{
  "type": "FeatureCollection",
  "features": [
    {
      "type": "Feature",
      "properties": {
        "name": "A",
        "tags": [
          "x",
          "y"
        ],
        "n": [1, 2.5],
        "empty": {},
        "list": []
      },
      "geometry": {
        "type": "Polygon",
        "coordinates": [
          [
            [0.0, 0.0],
            [2.0, 0.0],
            [1.0, 1.0],
            [0.0, 0.0]
          ]
        ]
      }
    }
  ]
}
"#;
        assert_eq!(out, expected);
        Ok(())
    }

    #[test]
    fn foreign_members_ids_and_properties_survive_in_order() -> TestResult {
        let text = r#"{"type":"FeatureCollection","name":"boundaries","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
          {"type":"Feature","id":7,"properties":{"z":1,"a":{"deep":[1,{"k":null}]},"big":18446744073709551615,"neg":-3,"f":0.1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"note":"kept"},"extra":true},
          {"type":"Feature","id":"b","properties":null,"geometry":null},
          {"type":"Feature","properties":{"s":"é \" \\ \n"},"geometry":{"type":"Point","coordinates":[1.5,2.25,3]}}]}"#;
        let out = moved(text, VertexRef::new(0, 0, 0, 1), ll(2.0, 0.0))?;
        let before: Value = serde_json::from_str(text)?;
        let after: Value = serde_json::from_str(&out)?;
        assert_eq!(after["name"], before["name"]);
        assert_eq!(after["crs"], before["crs"]);
        let keys: Vec<&String> = after.as_object().ok_or("object")?.keys().collect();
        assert_eq!(keys, ["type", "name", "crs", "features"]);
        let f0 = &after["features"][0];
        assert_eq!(f0["id"], before["features"][0]["id"]);
        assert_eq!(f0["properties"], before["features"][0]["properties"]);
        let prop_keys: Vec<&String> = f0["properties"]
            .as_object()
            .ok_or("object")?
            .keys()
            .collect();
        assert_eq!(prop_keys, ["z", "a", "big", "neg", "f"]);
        assert_eq!(f0["extra"], Value::Bool(true));
        assert_eq!(f0["geometry"]["note"], "kept");
        assert_eq!(after["features"][1], before["features"][1]);
        assert_eq!(
            after["features"][2]["properties"],
            before["features"][2]["properties"]
        );
        assert_eq!(
            after["features"][2]["geometry"]["coordinates"],
            serde_json::json!([1.5, 2.25, 3.0])
        );
        Ok(())
    }

    #[test]
    fn untouched_numbers_round_trip_exactly() -> TestResult {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0.1,0.2],[1,0],[1,1],[0.1,0.2]]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-73.56894226751878,45.60854975956075],[1e-7,5e-324],[179.99999999999997,-89.99999999999999],[-73.56894226751878,45.60854975956075]]]}}]}"#;
        let doc = GeoDocument::parse(text)?;
        let out = moved(text, VertexRef::new(0, 0, 0, 1), ll(2.0, 0.0))?;
        let re = GeoDocument::parse(&out)?;
        assert_eq!(re.shapes()[1].polygons, doc.shapes()[1].polygons);
        Ok(())
    }

    #[test]
    fn polygon_becomes_multipolygon_and_back() -> TestResult {
        let text = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
        let mut doc = GeoDocument::parse(text)?;
        let tri = Polygon::from_exterior(vec![ll(5.0, 5.0), ll(6.0, 5.0), ll(6.0, 6.0)]);
        doc.apply(GeometryEdit::InsertPolygon {
            shape: 0,
            index: 1,
            polygon: tri,
        })?;
        let v: Value = serde_json::from_str(&write_document(&doc))?;
        assert_eq!(v["type"], "MultiPolygon");
        doc.apply(GeometryEdit::RemovePolygon { shape: 0, index: 0 })?;
        let v: Value = serde_json::from_str(&write_document(&doc))?;
        assert_eq!(v["type"], "Polygon");
        // A MultiPolygon stays one even with a single polygon.
        let text = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#;
        let mut doc = GeoDocument::parse(text)?;
        doc.apply(GeometryEdit::RemovePolygon { shape: 0, index: 1 })?;
        let v: Value = serde_json::from_str(&write_document(&doc))?;
        assert_eq!(v["type"], "MultiPolygon");
        Ok(())
    }

    #[test]
    fn bbox_members_are_recomputed_only_over_edits() -> TestResult {
        let out = moved(BBOX_FIXTURE, VertexRef::new(0, 0, 0, 1), ll(2.0, -1.0))?;
        let v: Value = serde_json::from_str(&out)?;
        assert_eq!(v["bbox"], serde_json::json!([0.0, -1.0, 11.0, 11.0]));
        assert_eq!(
            v["features"][0]["bbox"],
            serde_json::json!([0.0, -1.0, 2.0, 1.0])
        );
        assert_eq!(
            v["features"][0]["geometry"]["bbox"],
            serde_json::json!([0.0, -1.0, 2.0, 1.0])
        );
        // Untouched (even if wrong) stays as read.
        assert_eq!(
            v["features"][1]["bbox"],
            serde_json::json!([9.0, 9.0, 9.0, 9.0])
        );
        Ok(())
    }

    #[test]
    fn crlf_bom_and_altitudes_are_kept() -> TestResult {
        let text = "\u{feff}{\r\n\"type\": \"FeatureCollection\", \"features\": [\r\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0,7],[1,0,7],[1,1,7],[0,0,7]]]}},\r\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[5,5],[6,5],[6,6],[5,5]]]}}]}";
        let doc = GeoDocument::parse(text)?;
        assert_eq!(doc.to_file_text(), text);
        let out = moved(text, VertexRef::new(1, 0, 0, 1), ll(6.5, 5.0))?;
        assert!(out.starts_with("\u{feff}{\r\n  \"type\""), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'));
        let v: Value = serde_json::from_str(out.trim_start_matches('\u{feff}'))?;
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"][0][1],
            serde_json::json!([1.0, 0.0, 7.0])
        );
        // Once edited, the altitudes are dropped (the model is 2D).
        let out = moved(text, VertexRef::new(0, 0, 0, 1), ll(2.0, 0.0))?;
        let v: Value = serde_json::from_str(out.trim_start_matches('\u{feff}'))?;
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"][0][1],
            serde_json::json!([2.0, 0.0])
        );
        Ok(())
    }

    #[test]
    fn rings_are_closed_when_written() -> TestResult {
        let text = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]],[[0.2,0.1],[0.8,0.1],[0.8,0.5]]]}"#;
        let mut doc = GeoDocument::parse(text)?;
        doc.apply(move_to(RingRef::new(0, 0, 0).vertex(2), 1.0, 2.0))?;
        let v: Value = serde_json::from_str(&write_document(&doc))?;
        for ring in v["coordinates"].as_array().ok_or("array")? {
            let ring = ring.as_array().ok_or("array")?;
            assert_eq!(ring.first(), ring.last());
            assert_eq!(ring.len(), 4);
        }
        Ok(())
    }

    fn arb_polygon() -> impl Strategy<Value = Polygon> {
        let pos =
            (-180.0f64..180.0, -90.0f64..90.0).prop_map(|(a, b)| LonLat::new(a, b).rounded6());
        let ring = proptest::collection::vec(pos, 3..8);
        proptest::collection::vec(ring, 1..3).prop_map(|rings| Polygon { rings })
    }

    proptest! {
        /// write → parse gives back the model, and writing the re-read document again gives
        /// the very same text.
        #[test]
        fn write_parse_round_trip(shapes in proptest::collection::vec(proptest::collection::vec(arb_polygon(), 1..3), 1..3)) {
            let mut doc = GeoDocument::new_empty();
            for polygons in shapes {
                doc.apply(GeometryEdit::AddShape { polygons }).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            let text = write_document(&doc);
            let once = GeoDocument::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(once.shapes().len(), doc.shapes().len());
            for (a, b) in once.shapes().iter().zip(doc.shapes()) {
                prop_assert_eq!(&a.polygons, &b.polygons);
                prop_assert_eq!(a.kind(), b.written_kind());
            }
            prop_assert_eq!(write_document(&once), text);
        }
    }
}
