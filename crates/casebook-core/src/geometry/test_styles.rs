//! Test helper: a GeoJSON text re-serialised in each of the five layouts the atlas has.
//!
//! 1. minified (`{"type":"FeatureCollection",...}`), no final newline;
//! 2. `", "`-separated on one line (Python's `json.dumps`), with a final newline;
//! 3. 2-space pretty, every number on its own line (`JSON.stringify(x, null, 2)`);
//! 4. 4-space pretty with one position per line (`[lon, lat]` inline), CRLF line breaks and a
//!    byte-order mark;
//! 5. one feature per line with a `crs` member (GDAL's output: `{ "type": ... }` spacing).
//!
//! Numbers keep the text `serde_json` gives them (integers stay integers).

use serde_json::Value;

/// The five layouts of `text` (which must be JSON), with their names.
pub(super) fn five_styles(text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let minified = serde_json::to_string(&v).map_err(|e| e.to_string())?;
    let mut spaced = String::new();
    comma_space(&v, &mut spaced);
    spaced.push('\n');
    let mut two = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
    two.push('\n');
    let mut four = String::from("\u{feff}");
    four_space(&v, 0, &mut four);
    four.push('\n');
    let four = four.replace('\n', "\r\n");
    Ok(vec![
        ("minified", minified),
        ("comma-space", spaced),
        ("2-space", two),
        ("4-space positions, CRLF, BOM", four),
        ("feature per line with crs", gdal(&v)),
    ])
}

/// A file like the London boundary of issue 8: one minified line, 36 features each holding a
/// clockwise ring of `n` positions with full-precision coordinates (`n = 1200`: ~1.8 MB).
pub(super) fn london_like(n: usize) -> String {
    let mut features = Vec::new();
    for k in 0..36 {
        let ring: Vec<String> = (0..=n)
            .map(|i| {
                let a = -((i % n) as f64) / n as f64 * std::f64::consts::TAU;
                let r = 0.01 * (1.0 + 0.1 * ((i * 7 % 11) as f64 / 11.0));
                format!(
                    "[{},{}]",
                    -0.1275 + k as f64 * 0.021 + r * a.cos() + 1e-15,
                    51.50722 + r * a.sin() + 1e-15
                )
            })
            .collect();
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"name":"area {k}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            ring.join(",")
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Python's `json.dumps` spacing: `{"k": v, "k2": v2}`, `[a, b]`.
fn comma_space(v: &Value, out: &mut String) {
    inline(v, "", out);
}

/// One line with `", "` between items and `": "` after keys; `pad` inside every bracket
/// (`[ ]` when empty).
fn inline(v: &Value, pad: &str, out: &mut String) {
    let (items, brackets): (Vec<(Option<&String>, &Value)>, _) = match v {
        Value::Array(items) => (items.iter().map(|i| (None, i)).collect(), ('[', ']')),
        Value::Object(map) => (map.iter().map(|(k, i)| (Some(k), i)).collect(), ('{', '}')),
        other => return out.push_str(&other.to_string()),
    };
    let empty = items.is_empty();
    out.push(brackets.0);
    out.push_str(pad);
    for (i, (key, item)) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if let Some(k) = key {
            out.push_str(&string(k));
            out.push_str(": ");
        }
        inline(item, pad, out);
    }
    if !empty {
        out.push_str(pad);
    }
    out.push(brackets.1);
}

fn four_space(v: &Value, depth: usize, out: &mut String) {
    let pad = |d: usize| "    ".repeat(d);
    match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_number) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&item.to_string());
            }
            out.push(']');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                out.push_str(&pad(depth + 1));
                four_space(item, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                out.push_str(&pad(depth + 1));
                out.push_str(&string(k));
                out.push_str(": ");
                four_space(item, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&pad(depth));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// GDAL's inline spacing: `{ "k": v, "k2": v2 }`, `[ a, b ]`, `{ }`.
fn gdal_inline(v: &Value, out: &mut String) {
    inline(v, " ", out);
}

/// GDAL's layout: one top-level member per line, a `crs` after `type`, and one feature (or
/// collection member) per line.
fn gdal(v: &Value) -> String {
    let Value::Object(map) = v else {
        let mut out = String::new();
        gdal_inline(v, &mut out);
        return out + "\n";
    };
    let crs = serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}});
    let mut members: Vec<(String, Value)> = Vec::new();
    for (k, item) in map {
        members.push((k.clone(), item.clone()));
        if k == "type" && !map.contains_key("crs") {
            members.push(("crs".to_string(), crs.clone()));
        }
    }
    let mut out = String::from("{\n");
    for (i, (k, item)) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&string(k));
        out.push_str(": ");
        match item {
            Value::Array(items) if (k == "features" || k == "geometries") && !items.is_empty() => {
                out.push_str("[\n");
                for (j, f) in items.iter().enumerate() {
                    if j > 0 {
                        out.push_str(",\n");
                    }
                    gdal_inline(f, &mut out);
                }
                out.push_str("\n]");
            }
            other => gdal_inline(other, &mut out),
        }
    }
    out.push_str("\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_styles_read_back_the_same() -> Result<(), String> {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1.5,0],[1,1],[0,0]]]}}]}"#;
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let styles = five_styles(text)?;
        assert_eq!(styles.len(), 5);
        for (name, s) in &styles {
            let back: Value = serde_json::from_str(s.trim_start_matches('\u{feff}'))
                .map_err(|e| format!("{name}: {e}"))?;
            let mut expected = v.clone();
            if name.contains("crs") {
                expected["crs"] = back["crs"].clone();
            }
            assert_eq!(back, expected, "{name}");
        }
        assert!(
            styles[3]
                .1
                .contains(&format!("\r\n{}[1.5, 0],\r\n", " ".repeat(24)))
        );
        assert!(
            styles[4]
                .1
                .contains("\n{ \"type\": \"Feature\", \"properties\": { \"n\": 1 }")
        );
        Ok(())
    }
}
