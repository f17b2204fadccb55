//! Walking the `geojson` tree: finding geometries in file order, moving polygon coordinates into
//! the model, and collecting the read-only points and lines.
//!
//! File order is the contract between the tree and the shape list: the k-th Polygon/MultiPolygon
//! met by [`visit`] is `shapes[k]`. The writer and structural edits rely on it.

use geojson::{GeoJson, Geometry, GeometryValue, Position};

use super::document::{
    OtherGeometry, OtherKind, Shape, ShapeKind, ShapeLocation, ring_from_positions,
};
use super::error::GeoError;
use super::model::{LonLat, Polygon};

/// Calls `f` for every geometry that is not a GeometryCollection, in file order, with its
/// location (GeometryCollections are descended into).
pub(super) fn visit<'a>(tree: &'a GeoJson, f: &mut dyn FnMut(&'a Geometry, &ShapeLocation)) {
    let mut location = ShapeLocation::default();
    match tree {
        GeoJson::FeatureCollection(fc) => {
            for (i, feature) in fc.features.iter().enumerate() {
                location.feature = Some(i);
                if let Some(g) = &feature.geometry {
                    visit_geometry(g, &mut location, f);
                }
            }
        }
        GeoJson::Feature(feature) => {
            if let Some(g) = &feature.geometry {
                visit_geometry(g, &mut location, f);
            }
        }
        GeoJson::Geometry(g) => visit_geometry(g, &mut location, f),
    }
}

/// Recursion of [`visit`]; the depth is bounded by the JSON nesting limit (128).
fn visit_geometry<'a>(
    g: &'a Geometry,
    location: &mut ShapeLocation,
    f: &mut dyn FnMut(&'a Geometry, &ShapeLocation),
) {
    if let GeometryValue::GeometryCollection { geometries } = &g.value {
        for (i, member) in geometries.iter().enumerate() {
            location.collection_path.push(i);
            visit_geometry(member, location, f);
            location.collection_path.pop();
        }
    } else {
        f(g, location);
    }
}

/// Like [`visit`] with mutable access, stopping at the first error.
fn visit_mut(
    tree: &mut GeoJson,
    f: &mut dyn FnMut(&mut Geometry, &ShapeLocation) -> Result<(), GeoError>,
) -> Result<(), GeoError> {
    let mut location = ShapeLocation::default();
    match tree {
        GeoJson::FeatureCollection(fc) => {
            for (i, feature) in fc.features.iter_mut().enumerate() {
                location.feature = Some(i);
                if let Some(g) = &mut feature.geometry {
                    visit_geometry_mut(g, &mut location, f)?;
                }
            }
            Ok(())
        }
        GeoJson::Feature(feature) => match &mut feature.geometry {
            Some(g) => visit_geometry_mut(g, &mut location, f),
            None => Ok(()),
        },
        GeoJson::Geometry(g) => visit_geometry_mut(g, &mut location, f),
    }
}

fn visit_geometry_mut(
    g: &mut Geometry,
    location: &mut ShapeLocation,
    f: &mut dyn FnMut(&mut Geometry, &ShapeLocation) -> Result<(), GeoError>,
) -> Result<(), GeoError> {
    if let GeometryValue::GeometryCollection { geometries } = &mut g.value {
        for (i, member) in geometries.iter_mut().enumerate() {
            location.collection_path.push(i);
            visit_geometry_mut(member, location, f)?;
            location.collection_path.pop();
        }
        Ok(())
    } else {
        f(g, location)
    }
}

/// The geometry directly at `location` (the feature's or root geometry, then collection
/// members), if it exists.
pub(super) fn geometry_at_mut<'a>(
    tree: &'a mut GeoJson,
    location: &ShapeLocation,
) -> Option<&'a mut Geometry> {
    let mut g = match (tree, location.feature) {
        (GeoJson::FeatureCollection(fc), Some(i)) => fc.features.get_mut(i)?.geometry.as_mut()?,
        (GeoJson::Feature(f), None) => f.geometry.as_mut()?,
        (GeoJson::Geometry(g), None) => g,
        _ => return None,
    };
    for i in &location.collection_path {
        let GeometryValue::GeometryCollection { geometries } = &mut g.value else {
            return None;
        };
        g = geometries.get_mut(*i)?;
    }
    Some(g)
}

/// Empties the coordinates of a Polygon/MultiPolygon, leaving the typed placeholder.
pub(super) fn clear_coordinates(g: &mut Geometry) {
    match &mut g.value {
        GeometryValue::Polygon { coordinates } => *coordinates = Vec::new(),
        GeometryValue::MultiPolygon { coordinates } => *coordinates = Vec::new(),
        _ => {}
    }
}

/// Joins a JSON path and a member name.
fn join(base: &str, member: &str) -> String {
    if base.is_empty() {
        member.to_string()
    } else {
        format!("{base}.{member}")
    }
}

/// A position as a [`LonLat`], or an error naming `path`.
fn lonlat(p: &Position, path: &dyn Fn() -> String) -> Result<LonLat, GeoError> {
    match p.as_slice() {
        [lon, lat, ..] => Ok(LonLat::new(*lon, *lat)),
        s => Err(GeoError::Invalid {
            path: path(),
            message: format!(
                "a position has {} number(s); it needs longitude and latitude",
                s.len()
            ),
        }),
    }
}

/// The drawable copy of a point or line geometry (`None` for polygons and collections).
pub(super) fn other_from_geometry(
    g: &Geometry,
    location: &ShapeLocation,
) -> Result<Option<OtherGeometry>, GeoError> {
    let base = join(&location.json_path(), "coordinates");
    let line = |positions: &[Position], prefix: &str| -> Result<Vec<LonLat>, GeoError> {
        positions
            .iter()
            .enumerate()
            .map(|(i, p)| lonlat(p, &|| format!("{prefix}[{i}]")))
            .collect()
    };
    let (kind, parts) = match &g.value {
        GeometryValue::Point { coordinates } => (
            OtherKind::Point,
            vec![vec![lonlat(coordinates, &|| base.clone())?]],
        ),
        GeometryValue::MultiPoint { coordinates } => {
            (OtherKind::MultiPoint, vec![line(coordinates, &base)?])
        }
        GeometryValue::LineString { coordinates } => {
            (OtherKind::LineString, vec![line(coordinates, &base)?])
        }
        GeometryValue::MultiLineString { coordinates } => (
            OtherKind::MultiLineString,
            coordinates
                .iter()
                .enumerate()
                .map(|(i, l)| line(l, &format!("{base}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        GeometryValue::Polygon { .. }
        | GeometryValue::MultiPolygon { .. }
        | GeometryValue::GeometryCollection { .. } => return Ok(None),
    };
    Ok(Some(OtherGeometry {
        kind,
        parts,
        location: location.clone(),
    }))
}

/// Converts the rings of one GeoJSON polygon; returns the polygon, its unclosed ring indices
/// and whether any position has an altitude.
fn polygon_from_rings(
    rings: &[Vec<Position>],
    base: &str,
) -> Result<(Polygon, Vec<usize>, bool), GeoError> {
    let mut polygon = Polygon {
        rings: Vec::with_capacity(rings.len()),
    };
    let mut unclosed = Vec::new();
    let mut has_z = false;
    for (r, positions) in rings.iter().enumerate() {
        let (ring, closed, z) = ring_from_positions(positions, &|| format!("{base}[{r}]"))?;
        if !closed {
            unclosed.push(r);
        }
        has_z |= z;
        polygon.rings.push(ring);
    }
    Ok((polygon, unclosed, has_z))
}

/// Moves the coordinates of every Polygon/MultiPolygon out of the tree into [`Shape`]s (the
/// tree keeps them only for shapes with altitudes, to write those unchanged) and collects the
/// read-only geometries.
pub(super) fn extract(tree: &mut GeoJson) -> Result<(Vec<Shape>, Vec<OtherGeometry>), GeoError> {
    let mut shapes = Vec::new();
    let mut others = Vec::new();
    visit_mut(tree, &mut |g, location| {
        let base = join(&location.json_path(), "coordinates");
        let (kind, polygons, unclosed_as_read, has_z) = match &g.value {
            GeometryValue::Polygon { coordinates } => {
                let (polygon, unclosed, z) = polygon_from_rings(coordinates, &base)?;
                let unclosed = unclosed.into_iter().map(|r| (0, r)).collect();
                (ShapeKind::Polygon, vec![polygon], unclosed, z)
            }
            GeometryValue::MultiPolygon { coordinates } => {
                let mut polygons = Vec::with_capacity(coordinates.len());
                let mut unclosed_all = Vec::new();
                let mut has_z = false;
                for (p, rings) in coordinates.iter().enumerate() {
                    let (polygon, unclosed, z) =
                        polygon_from_rings(rings, &format!("{base}[{p}]"))?;
                    unclosed_all.extend(unclosed.into_iter().map(|r| (p, r)));
                    has_z |= z;
                    polygons.push(polygon);
                }
                (ShapeKind::MultiPolygon, polygons, unclosed_all, has_z)
            }
            _ => {
                if let Some(o) = other_from_geometry(g, location)? {
                    others.push(o);
                }
                return Ok(());
            }
        };
        if !has_z {
            clear_coordinates(g);
        }
        let origin = shapes.len();
        shapes.push(Shape::read(
            polygons,
            kind,
            location.clone(),
            unclosed_as_read,
            has_z,
            origin,
        ));
        Ok(())
    })?;
    Ok((shapes, others))
}

/// A step of a JSON path: a member name or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Member(String),
    Index(usize),
}

fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Step::Member(m) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(m);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Gives a GeoJSON structure error the line and column of the value it is about.
///
/// `serde_json` knows where a syntax error is, but an error found after a whole value was read
/// (`"features": null`, a Feature without `geometry`) comes back as line 0, column 0. Such an
/// error is looked for again here, with a JSON path, and the path is found in `text`.
pub fn locate_error(text: &str, err: GeoError) -> GeoError {
    let GeoError::Json { line, column, .. } = err else {
        return err;
    };
    if line != 0 && column != 0 {
        return err;
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return err;
    };
    let mut path = Vec::new();
    let Some((at, message)) = structure_error(&value, &mut path) else {
        return err;
    };
    let Some(offset) = find_path(body, &at) else {
        return err;
    };
    let before = &body[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let shown = if at.is_empty() {
        message
    } else {
        format!("`{}` {message}", path_text(&at))
    };
    GeoError::Json {
        line,
        column,
        message: shown,
    }
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// Where a structure problem is (the path to it) and what it is.
type Problem = (Vec<Step>, String);

/// The first structural problem in a GeoJSON value: the path of the value it is about and
/// what is wrong. `path` is the path of `v`.
fn structure_error(v: &serde_json::Value, path: &mut Vec<Step>) -> Option<Problem> {
    use serde_json::Value;
    let Value::Object(o) = v else {
        return Some((
            path.clone(),
            format!("must be a GeoJSON object (it is {})", kind_of(v)),
        ));
    };
    let member = |path: &Vec<Step>, name: &str| {
        let mut p = path.clone();
        p.push(Step::Member(name.to_string()));
        p
    };
    let Some(t) = o.get("type") else {
        return Some((path.clone(), "has no `type`".to_string()));
    };
    let Some(t) = t.as_str() else {
        return Some((
            member(path, "type"),
            format!("must be text (it is {})", kind_of(t)),
        ));
    };
    match t {
        "FeatureCollection" => match o.get("features") {
            Some(Value::Array(features)) => {
                first_item_error(path, "features", features, feature_error)
            }
            Some(other) => Some((
                member(path, "features"),
                format!("must be a list of features (it is {})", kind_of(other)),
            )),
            None => Some((
                path.clone(),
                "is a FeatureCollection without `features` (a list of features)".to_string(),
            )),
        },
        "Feature" => feature_error(v, path),
        g if GEOMETRY_TYPES.contains(&g) => geometry_error(v, path),
        other => Some((
            member(path, "type"),
            format!("`{other}` is not a GeoJSON type"),
        )),
    }
}

fn feature_error(v: &serde_json::Value, path: &mut Vec<Step>) -> Option<Problem> {
    use serde_json::Value;
    let Value::Object(o) = v else {
        return Some((
            path.clone(),
            format!("must be a Feature object (it is {})", kind_of(v)),
        ));
    };
    if o.get("type").and_then(Value::as_str) != Some("Feature") {
        let mut p = path.clone();
        p.push(Step::Member("type".into()));
        return Some((p, "must be \"Feature\"".to_string()));
    }
    match o.get("geometry") {
        None => Some((
            path.clone(),
            "is a Feature without `geometry` (write \"geometry\": null for none)".to_string(),
        )),
        Some(Value::Null) => None,
        Some(g) => {
            path.push(Step::Member("geometry".into()));
            let found = geometry_error(g, path);
            path.pop();
            found
        }
    }
    .or_else(|| match o.get("properties") {
        None | Some(Value::Null | Value::Object(_)) => None,
        Some(other) => {
            let mut p = path.clone();
            p.push(Step::Member("properties".into()));
            Some((
                p,
                format!("must be an object or null (it is {})", kind_of(other)),
            ))
        }
    })
}

/// The first problem `error` finds in the items of the list `key` (at `path`).
fn first_item_error(
    path: &mut Vec<Step>,
    key: &str,
    items: &[serde_json::Value],
    error: fn(&serde_json::Value, &mut Vec<Step>) -> Option<Problem>,
) -> Option<Problem> {
    for (i, item) in items.iter().enumerate() {
        path.push(Step::Member(key.into()));
        path.push(Step::Index(i));
        let found = error(item, path);
        path.truncate(path.len() - 2);
        if found.is_some() {
            return found;
        }
    }
    None
}

fn geometry_error(v: &serde_json::Value, path: &mut Vec<Step>) -> Option<Problem> {
    use serde_json::Value;
    let Value::Object(o) = v else {
        return Some((
            path.clone(),
            format!("must be a geometry object or null (it is {})", kind_of(v)),
        ));
    };
    let t = o.get("type").and_then(Value::as_str).unwrap_or_default();
    let mut p = path.clone();
    if t == "GeometryCollection" {
        return match o.get("geometries") {
            Some(Value::Array(gs)) => first_item_error(path, "geometries", gs, geometry_error),
            Some(other) => {
                p.push(Step::Member("geometries".into()));
                Some((
                    p,
                    format!("must be a list of geometries (it is {})", kind_of(other)),
                ))
            }
            None => Some((
                p,
                "is a GeometryCollection without `geometries`".to_string(),
            )),
        };
    }
    if !GEOMETRY_TYPES.contains(&t) {
        p.push(Step::Member("type".into()));
        return Some((p, format!("`{t}` is not a geometry type")));
    }
    match o.get("coordinates") {
        Some(Value::Array(_)) => None,
        Some(other) => {
            p.push(Step::Member("coordinates".into()));
            Some((
                p,
                format!("must be a list of positions (it is {})", kind_of(other)),
            ))
        }
        None => Some((p, format!("is a {t} without `coordinates`"))),
    }
}

/// The byte offset where the value at `path` starts in the JSON `text`.
fn find_path(text: &str, path: &[Step]) -> Option<usize> {
    let b = text.as_bytes();
    let mut pos = skip_ws(b, 0);
    for step in path {
        pos = match (b.get(pos)?, step) {
            (b'{', Step::Member(name)) => {
                let mut p = skip_ws(b, pos + 1);
                loop {
                    if *b.get(p)? != b'"' {
                        return None;
                    }
                    let end = skip_string(b, p)?;
                    let key: String = serde_json::from_slice(&b[p..end]).ok()?;
                    p = skip_ws(b, end);
                    if *b.get(p)? != b':' {
                        return None;
                    }
                    p = skip_ws(b, p + 1);
                    if key == *name {
                        break p;
                    }
                    p = skip_ws(b, skip_value(b, p)?);
                    match b.get(p)? {
                        b',' => p = skip_ws(b, p + 1),
                        _ => return None,
                    }
                }
            }
            (b'[', Step::Index(i)) => {
                let mut p = skip_ws(b, pos + 1);
                for _ in 0..*i {
                    p = skip_ws(b, skip_value(b, p)?);
                    match b.get(p)? {
                        b',' => p = skip_ws(b, p + 1),
                        _ => return None,
                    }
                }
                p
            }
            _ => return None,
        };
    }
    Some(pos)
}

fn skip_ws(b: &[u8], mut p: usize) -> usize {
    while b
        .get(p)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        p += 1;
    }
    p
}

/// The offset just after the string starting at `p` (a `"`).
fn skip_string(b: &[u8], p: usize) -> Option<usize> {
    let mut i = p + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The offset just after the value starting at `p`.
fn skip_value(b: &[u8], p: usize) -> Option<usize> {
    match b.get(p)? {
        b'"' => skip_string(b, p),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = p;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let mut i = p;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            Some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::document::{GeoDocument, RootKind};
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const SQUARE: &str = "[[0,0],[1,0],[1,1],[0,1],[0,0]]";

    #[test]
    fn reads_every_container_kind() -> TestResult {
        let fc = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[{SQUARE}]}}}}]}}"#
        );
        let feature = format!(
            r#"{{"type":"Feature","properties":null,"geometry":{{"type":"MultiPolygon","coordinates":[[{SQUARE}],[{SQUARE}]]}}}}"#
        );
        let bare = format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#);
        let gc = format!(
            r#"{{"type":"GeometryCollection","geometries":[{{"type":"Point","coordinates":[5,6]}},{{"type":"GeometryCollection","geometries":[{{"type":"Polygon","coordinates":[{SQUARE}]}}]}}]}}"#
        );
        let d = GeoDocument::parse(&fc)?;
        assert_eq!(d.root_kind(), RootKind::FeatureCollection);
        assert_eq!(d.shapes().len(), 1);
        assert_eq!(d.shapes()[0].location().feature, Some(0));
        assert_eq!(d.shapes()[0].polygons[0].rings[0].len(), 4);
        let d = GeoDocument::parse(&feature)?;
        assert_eq!(d.root_kind(), RootKind::Feature);
        assert_eq!(d.shapes()[0].kind(), ShapeKind::MultiPolygon);
        assert_eq!(d.shapes()[0].polygons.len(), 2);
        let d = GeoDocument::parse(&bare)?;
        assert_eq!(d.root_kind(), RootKind::Geometry);
        assert_eq!(d.vertex_count(), 4);
        let d = GeoDocument::parse(&gc)?;
        assert_eq!(d.shapes().len(), 1);
        assert_eq!(d.shapes()[0].location().collection_path, vec![1, 0]);
        assert_eq!(d.others().len(), 1);
        assert_eq!(d.others()[0].kind, OtherKind::Point);
        assert_eq!(d.others()[0].parts, vec![vec![LonLat::new(5.0, 6.0)]]);
        Ok(())
    }

    #[test]
    fn geometry_collection_inside_a_feature() -> TestResult {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},"geometry":null}},{{"type":"Feature","properties":{{}},"geometry":{{"type":"GeometryCollection","geometries":[{{"type":"LineString","coordinates":[[0,0],[1,1]]}},{{"type":"Polygon","coordinates":[{SQUARE}]}}]}}}}]}}"#
        );
        let d = GeoDocument::parse(&text)?;
        assert_eq!(d.shapes().len(), 1);
        let loc = d.shapes()[0].location();
        assert_eq!(
            (loc.feature, loc.collection_path.clone()),
            (Some(1), vec![1])
        );
        assert_eq!(d.others()[0].kind, OtherKind::LineString);
        let mut tree = d.tree.clone();
        let at = geometry_at_mut(&mut tree, loc).map(|g| &g.value);
        assert!(matches!(at, Some(GeometryValue::Polygon { .. })), "{at:?}");
        Ok(())
    }

    #[test]
    fn unclosed_rings_are_noted() -> TestResult {
        let d = GeoDocument::parse(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}"#)?;
        assert_eq!(d.shapes()[0].unclosed_rings_as_read(), &[(0, 0)]);
        assert_eq!(d.shapes()[0].polygons[0].rings[0].len(), 3);
        Ok(())
    }

    #[test]
    fn short_positions_are_errors_with_a_path() {
        let r = GeoDocument::parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}}]}"#,
        );
        let Err(GeoError::Invalid { path, .. }) = r else {
            panic!("expected an Invalid error, got {r:?}");
        };
        assert_eq!(path, "features[0].geometry.coordinates[0][1]");
        let r = GeoDocument::parse(r#"{"type":"LineString","coordinates":[[0,0],[7]]}"#);
        assert!(matches!(r, Err(GeoError::Invalid { .. })), "{r:?}");
    }

    #[test]
    fn altitudes_stay_in_the_tree() -> TestResult {
        let d = GeoDocument::parse(
            r#"{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}"#,
        )?;
        assert!(d.shapes()[0].tree_keeps_coordinates);
        assert_eq!(d.shapes()[0].polygons[0].rings[0][1], LonLat::new(1.0, 0.0));
        Ok(())
    }
}

#[cfg(test)]
mod locate_tests {
    use super::super::document::GeoDocument;
    use super::*;

    /// Parses `text`, which must fail with a JSON error, and checks the error's line, column
    /// and wording.
    fn assert_located(text: &str, at: (usize, usize), says: &str) {
        let e = match GeoDocument::parse(text) {
            Ok(_) => panic!("{text} parsed"),
            Err(e) => locate_error(text, e),
        };
        let GeoError::Json {
            line,
            column,
            message,
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!((*line, *column), at, "{message}");
        assert!(message.contains(says), "{message}");
    }

    #[test]
    fn null_features_are_located() {
        assert_located(
            "{\n  \"type\": \"FeatureCollection\",\n  \"features\": null\n}\n",
            (3, 15),
            "`features` must be a list",
        );
    }

    #[test]
    fn top_level_problems_are_located() {
        assert_located("[1]\n", (1, 1), "must be a GeoJSON object");
    }

    #[test]
    fn paths_are_found_past_tricky_strings() {
        let text = "{\"type\":\"FeatureCollection\",\"x\":{\"a\":[1,\"]}\\\"\"]},\"features\":[\n {\"type\":\"Feature\"},\n {\"type\":\"Feature\",\"geometry\":  7}]}";
        let path = [
            Step::Member("features".into()),
            Step::Index(1),
            Step::Member("geometry".into()),
        ];
        let Some(at) = find_path(text, &path) else {
            panic!("not found")
        };
        assert_eq!(&text[at..at + 1], "7");
        assert_eq!(find_path(text, &[Step::Member("nope".into())]), None);
    }

    #[test]
    fn located_errors_are_kept() {
        let Err(e) = GeoDocument::parse("{\"type\": \"Polygn\", \"coordinates\": []}") else {
            panic!("parsed")
        };
        let again = locate_error("", e.clone());
        assert_eq!(again, e);
    }
}
