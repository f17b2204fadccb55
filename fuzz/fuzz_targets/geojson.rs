//! GeoJSON: read → write → read. An unmodified document writes its original bytes; after
//! moving a vertex, the written text reads back to the same polygons; nothing panics.
#![no_main]

use casebook_core::geometry::{GeoDocument, GeometryEdit, LonLat, VertexRef};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mut doc) = GeoDocument::parse(text) else { return };
    assert_eq!(doc.to_file_text(), text, "unmodified must write the original");
    let Some(shape) = doc.shapes().first() else { return };
    let Some(ring) = shape.polygons.first().and_then(|p| p.rings.first()) else { return };
    if ring.is_empty() {
        return;
    }
    let at = VertexRef::new(0, 0, 0, 0);
    let p = ring[0];
    let to = LonLat::new((p.lon + 0.001).clamp(-180.0, 180.0), (p.lat - 0.001).clamp(-90.0, 90.0));
    let Ok(inverse) = doc.apply(GeometryEdit::MoveVertex { at, to }) else { return };
    let written = doc.to_file_text();
    let Ok(again) = GeoDocument::parse(&written) else { panic!("written GeoJSON must parse: {written}") };
    assert_eq!(again.shapes().len(), doc.shapes().len());
    assert_eq!(again.to_file_text(), written, "re-reading what was written must be stable");
    let Ok(_) = doc.apply(inverse) else { panic!("inverse") };
    assert_eq!(doc.to_file_text(), text, "undo must give back the original bytes");
});
