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
#[cfg(test)]
pub(super) fn geometry_at<'a>(tree: &'a GeoJson, location: &ShapeLocation) -> Option<&'a Geometry> {
    let mut g = match (tree, location.feature) {
        (GeoJson::FeatureCollection(fc), Some(i)) => fc.features.get(i)?.geometry.as_ref()?,
        (GeoJson::Feature(f), None) => f.geometry.as_ref()?,
        (GeoJson::Geometry(g), None) => g,
        _ => return None,
    };
    for i in &location.collection_path {
        let GeometryValue::GeometryCollection { geometries } = &g.value else {
            return None;
        };
        g = geometries.get(*i)?;
    }
    Some(g)
}

/// Mutable [`geometry_at`].
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
        assert!(geometry_at(&d.tree, loc).is_some());
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
