//! Small facts every part of Casebook must agree on, kept in one place: how far apart two
//! points on the Earth are, and how a `%20`-style escape in a Markdown link decodes. The checks,
//! the image fixes, the gazetteer and the preview all call these.

/// The Earth's mean radius in km (IUGG), for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km between two points given as (lon, lat) in degrees (haversine;
/// longitudes may be on either side of the antimeridian).
pub fn distance_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// `%20`-style escapes decoded, as a browser decodes a link's path. Invalid escapes (`%zz`, a
/// lone `%`) are kept as written; when the decoded bytes are not UTF-8 the text is returned as
/// written (a file can be named `%FF.jpg`).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_and_bad_ones_stay() {
        for (written, decoded) in [
            ("./a%20b.png", "./a b.png"),
            ("caf%C3%A9.jpg", "café.jpg"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("a%2", "a%2"),
            ("%20", " "),
            // Not UTF-8 once decoded: the name as written.
            ("%FF.jpg", "%FF.jpg"),
        ] {
            assert_eq!(percent_decode(written), decoded, "{written}");
        }
    }

    #[test]
    fn distances_on_the_earth() {
        // One degree of latitude is about 111.2 km.
        let d = distance_km(0.0, 0.0, 0.0, 1.0);
        assert!((d - 111.195).abs() < 0.01, "{d}");
        // Across the antimeridian: 2 degrees of longitude on the equator, not 358.
        let d = distance_km(179.0, 0.0, -179.0, 0.0);
        assert!((d - 222.39).abs() < 0.01, "{d}");
        assert_eq!(distance_km(12.5, 41.9, 12.5, 41.9), 0.0);
        // Symmetric.
        let (a, b) = (
            distance_km(-0.12, 51.5, 2.35, 48.86),
            distance_km(2.35, 48.86, -0.12, 51.5),
        );
        assert_eq!(a, b);
    }
}
