//! The intents the map's tools make (the edits themselves and the delete guard are the
//! core's: `casebook_core::geometry::Removal` and `GeoDocument::vertex_removal`).

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
