//! Reading a boundary file to import: its features, each with its polygons and properties.
//!
//! Importing asks the author what to do with what was read (replace the boundary, add the
//! features, or merge their polygons into one MultiPolygon); [`Imported`] holds what that
//! question needs, including what merging would drop.

use geojson::JsonObject;

use super::document::GeoDocument;
use super::edit::GeometryEdit;
use super::error::GeoError;
use super::model::Polygon;
use super::paste::{PasteFormat, parse_pasted};

/// One feature of an imported file: its polygons and its `properties`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFeature {
    /// Its polygons (rings open, values as written).
    pub polygons: Vec<Polygon>,
    /// Its `properties` (empty for a bare geometry or WKT).
    pub properties: JsonObject,
    /// A human name from its `name` or `title` property.
    pub name: Option<String>,
}

/// What an imported file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The format read.
    pub format: PasteFormat,
    /// The features with polygons, in file order.
    pub features: Vec<ImportedFeature>,
    /// Points and lines in the file, which are not imported.
    pub skipped: usize,
}

impl Imported {
    /// Every polygon of every feature, in order.
    pub fn polygons(&self) -> Vec<Polygon> {
        self.features
            .iter()
            .flat_map(|f| f.polygons.iter().cloned())
            .collect()
    }

    /// The features whose properties merging into one MultiPolygon would drop, as
    /// `name: key, key` lines (a feature without a name is `feature N`).
    pub fn properties_lost_by_merging(&self) -> Vec<String> {
        self.features
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.properties.is_empty())
            .map(|(i, f)| {
                let name = f
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("feature {}", i + 1));
                let keys: Vec<&str> = f.properties.keys().map(String::as_str).collect();
                format!("{name}: {}", keys.join(", "))
            })
            .collect()
    }

    /// The edit that adds the features, their properties kept: one `AddFeature` each.
    pub fn add_edit(&self) -> GeometryEdit {
        GeometryEdit::Batch(self.add_features())
    }

    /// The edit that replaces the boundary of `doc` with the features (their properties
    /// kept): every shape removed, then the features added.
    pub fn replace_edit(&self, doc: Option<&GeoDocument>) -> GeometryEdit {
        let n = doc.map_or(0, |d| d.shapes().len());
        let mut edits: Vec<GeometryEdit> = (0..n)
            .rev()
            .map(|shape| GeometryEdit::RemoveShape { shape })
            .collect();
        edits.extend(self.add_features());
        GeometryEdit::Batch(edits)
    }

    /// One `AddFeature` per feature.
    fn add_features(&self) -> Vec<GeometryEdit> {
        self.features
            .iter()
            .map(|f| GeometryEdit::AddFeature {
                polygons: f.polygons.clone(),
                properties: f.properties.clone(),
            })
            .collect()
    }
}

/// Reads a file to import: GeoJSON keeps its features and their properties; WKT and
/// "lat, lon" lines give one feature without properties.
pub fn read_import(text: &str) -> Result<Imported, GeoError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let doc = GeoDocument::parse(text)?;
        let features: Vec<ImportedFeature> = doc
            .shapes()
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.polygons.is_empty())
            .map(|(i, s)| ImportedFeature {
                polygons: s.polygons.clone(),
                properties: doc.properties_of(i).cloned().unwrap_or_default(),
                name: doc.name_of(i).map(str::to_string),
            })
            .collect();
        if features.is_empty() {
            // Closed lines drawn as boundaries, as paste reads them.
            let pasted = parse_pasted(text)?;
            return Ok(Imported {
                format: PasteFormat::GeoJson,
                features: vec![ImportedFeature {
                    polygons: pasted.polygons,
                    properties: JsonObject::new(),
                    name: None,
                }],
                skipped: 0,
            });
        }
        return Ok(Imported {
            format: PasteFormat::GeoJson,
            features,
            skipped: doc.others().len(),
        });
    }
    let pasted = parse_pasted(text)?;
    Ok(Imported {
        format: pasted.format,
        features: vec![ImportedFeature {
            polygons: pasted.polygons,
            properties: JsonObject::new(),
            name: None,
        }],
        skipped: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::LonLat;

    const TWO: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"North","ward":7},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[5,5],[6,5],[6,6],[5,5]]],[[[7,7],[8,7],[8,8],[7,7]]]]}},
{"type":"Feature","properties":{"name":"Pin"},"geometry":{"type":"Point","coordinates":[3,3]}}
]}"#;

    #[test]
    fn features_keep_their_properties_and_points_are_counted() -> Result<(), GeoError> {
        let i = read_import(TWO)?;
        assert_eq!(i.features.len(), 2);
        assert_eq!(i.features[0].name.as_deref(), Some("North"));
        assert_eq!(i.features[0].properties.get("ward"), Some(&7.into()));
        assert_eq!(i.features[1].polygons.len(), 2);
        assert_eq!(i.skipped, 1);
        assert_eq!(i.polygons().len(), 3);
        assert_eq!(i.properties_lost_by_merging(), vec!["North: name, ward"]);
        Ok(())
    }

    #[test]
    fn wkt_and_lines_are_one_feature() -> Result<(), GeoError> {
        let i = read_import("POLYGON((1 1, 2 1, 2 2, 1 1))")?;
        assert_eq!(i.features.len(), 1);
        assert!(i.properties_lost_by_merging().is_empty());
        assert!(read_import("{\"type\":").is_err());
        Ok(())
    }

    #[test]
    fn an_added_feature_keeps_its_properties_and_undo_removes_it() -> Result<(), GeoError> {
        let mut doc = GeoDocument::new_empty();
        let before = doc.to_file_text();
        let i = read_import(TWO)?;
        let f = &i.features[0];
        let inverse = doc.apply(GeometryEdit::AddFeature {
            polygons: f.polygons.clone(),
            properties: f.properties.clone(),
        })?;
        assert_eq!(doc.name_of(0), Some("North"));
        let text = doc.to_file_text();
        assert!(text.contains("\"ward\": 7"), "{text}");
        assert_eq!(
            doc.shapes()[0].polygons[0].rings[0][0],
            LonLat::new(1.0, 1.0)
        );
        doc.apply(inverse)?;
        assert_eq!(doc.to_file_text(), before);
        Ok(())
    }

    #[test]
    fn replacing_with_features_removes_every_shape_first() -> Result<(), GeoError> {
        let i = read_import(TWO)?;
        let mut doc = GeoDocument::parse(TWO)?;
        assert_eq!(doc.shapes().len(), 2);
        let before = doc.to_file_text();
        let inverse = doc.apply(i.replace_edit(Some(&doc)))?;
        assert_eq!(doc.shapes().len(), 2);
        assert_eq!(doc.name_of(0), Some("North"));
        assert_eq!(doc.name_of(1), None);
        assert_eq!(doc.shapes()[1].polygons.len(), 2);
        doc.apply(inverse)?;
        assert_eq!(doc.to_file_text(), before);

        let mut empty = GeoDocument::new_empty();
        empty.apply(i.replace_edit(None))?;
        assert_eq!(empty.shapes().len(), 2);
        empty.apply(i.add_edit())?;
        assert_eq!(empty.shapes().len(), 4);
        Ok(())
    }
}
