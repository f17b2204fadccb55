//! The geometry edits the map's tools make, and the checks before them (the delete guard).

use super::*;

/// Whether the case's geometry can be edited now, or why not.
pub fn editable(cx: &ViewCtx<'_>) -> Result<(), String> {
    match cx.case.geo() {
        GeoState::None | GeoState::Missing { .. } | GeoState::Loaded { .. } => Ok(()),
        GeoState::Pending { .. } => Err("The boundary is still loading.".into()),
        GeoState::Failed { path, error, .. } => Err(format!(
            "{} could not be read ({error}). Fix or replace the file to edit the boundary.",
            path.display()
        )),
        GeoState::Refused { rel, error } => {
            Err(format!("geography: {rel} cannot be used ({error})."))
        }
    }
}

/// The intent for a geometry change (also setting `geography:` when the case has none).
pub fn geo_intent(cx: &ViewCtx<'_>, g: GeometryEdit, label: &str) -> Intent {
    Intent::edit(cx.case.geometry_edit(g), label, None)
}

/// The intent that writes `centroid: [lat, lon]` (6 decimals).
pub fn centroid_intent(cx: &ViewCtx<'_>, p: LonLat) -> Intent {
    Intent::edit(
        Centroid::from_lon_lat(p).edit_in(cx.case.doc().front_matter()),
        "Set centroid",
        None,
    )
}

/// The centroid the front matter holds, as a position.
pub fn front_matter_centroid(cx: &ViewCtx<'_>) -> Option<LonLat> {
    let v = cx
        .case
        .doc()
        .value(casebook_core::fields::Field::Centroid.key())?;
    Centroid::from_value(v).map(Centroid::to_lon_lat)
}

/// The ring at an address.
pub fn ring_of(doc: &GeoDocument, at: RingRef) -> Option<&Vec<LonLat>> {
    doc.shape(at.shape)?
        .polygons
        .get(at.polygon)?
        .rings
        .get(at.ring)
}

/// A name for a ring: its feature's name or shape number, polygon number, outline or hole.
pub fn ring_title(doc: &GeoDocument, at: RingRef) -> String {
    let mut parts = Vec::new();
    match doc.name_of(at.shape) {
        Some(name) => parts.push(name.to_string()),
        None if doc.shapes().len() > 1 => parts.push(format!("Shape {}", at.shape + 1)),
        None => {}
    }
    if doc.shape(at.shape).is_some_and(|s| s.polygons.len() > 1) {
        parts.push(format!("polygon {}", at.polygon + 1));
    }
    parts.push(if at.ring == 0 {
        "outline".to_string()
    } else {
        format!("hole {}", at.ring)
    });
    let mut title = parts.join(" · ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + title.get(1..).unwrap_or_default();
    }
    title
}

/// The edit that removes vertex `at`, or the question to ask when the ring would break.
pub fn remove_vertex(doc: &GeoDocument, at: VertexRef) -> Result<GeometryEdit, Confirm> {
    let ring = ring_of(doc, at.ring_ref())
        .map(|r| r.as_slice())
        .unwrap_or_default();
    let mut rest: Vec<LonLat> = ring.to_vec();
    if at.vertex < rest.len() {
        rest.remove(at.vertex);
    }
    if distinct_count(&rest) >= 3 {
        return Ok(GeometryEdit::RemoveVertex { at });
    }
    Err(removal_of_ring(doc, at.ring_ref()))
}

/// What removing a whole ring means: the hole, the polygon, or the shape.
pub fn removal_of_ring(doc: &GeoDocument, at: RingRef) -> Confirm {
    if at.ring > 0 {
        return Confirm::RemoveHole(at);
    }
    removal_of_polygon(doc, at.shape, at.polygon)
}

/// Removing a polygon: `RemovePolygon`, or `RemoveShape` for a shape's last polygon.
pub fn removal_of_polygon(doc: &GeoDocument, shape: usize, polygon: usize) -> Confirm {
    if doc.shape(shape).is_some_and(|s| s.polygons.len() > 1) {
        Confirm::RemovePolygon { shape, polygon }
    } else {
        Confirm::RemoveShape { shape }
    }
}

/// The edit that adds a drawn polygon: into the only shape when there is one (several
/// polygons make a MultiPolygon), as a new shape (a new feature) when there is none or when
/// the file holds several (a file of neighbourhoods gets a new feature, not a piece of one).
pub fn add_polygon_edit(doc: Option<&GeoDocument>, ring: Vec<LonLat>) -> (GeometryEdit, RingRef) {
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
