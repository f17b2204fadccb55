//! Reading geometry pasted as text: GeoJSON, WKT `POLYGON`/`MULTIPOLYGON`, or "lat, lon" lines.
//!
//! The "lat, lon" format is what people copy from web maps and spreadsheets: one pair per line,
//! LATITUDE FIRST, separated by a comma, semicolon, tab or spaces. It is the only place in the
//! module where the order is lat, lon; the result is [`LonLat`] like everywhere else.

use super::document::{GeoDocument, OtherKind};
use super::error::GeoError;
use super::model::{LonLat, Polygon, Ring, has_distinct, open_ring};

/// Which format pasted text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteFormat {
    /// A GeoJSON geometry, Feature or FeatureCollection.
    GeoJson,
    /// WKT `POLYGON` or `MULTIPOLYGON`.
    Wkt,
    /// One "lat, lon" pair per line.
    LatLonLines,
}

/// Polygons read from pasted text.
#[derive(Debug, Clone, PartialEq)]
pub struct Pasted {
    /// The format recognized.
    pub format: PasteFormat,
    /// The polygons, rings open, values as written (rounding happens when applied as an edit).
    pub polygons: Vec<Polygon>,
}

/// Reads pasted text as polygons, recognizing the format from its first characters.
///
/// Errors name the line (and for GeoJSON the column) and say what format was expected.
pub fn parse_pasted(text: &str) -> Result<Pasted, GeoError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(paste_error(
            1,
            "nothing to read: paste GeoJSON, WKT or \"lat, lon\" lines",
        ));
    }
    if trimmed.starts_with('{') {
        return Ok(Pasted {
            format: PasteFormat::GeoJson,
            polygons: from_geojson(text)?,
        });
    }
    let upper: String = trimmed
        .chars()
        .take(20)
        .collect::<String>()
        .to_ascii_uppercase();
    if upper.starts_with("POLYGON")
        || upper.starts_with("MULTIPOLYGON")
        || upper.starts_with("SRID=")
    {
        return Ok(Pasted {
            format: PasteFormat::Wkt,
            polygons: Wkt::new(text).parse()?,
        });
    }
    Ok(Pasted {
        format: PasteFormat::LatLonLines,
        polygons: vec![from_lat_lon_lines(text)?],
    })
}

fn paste_error(line: usize, message: impl Into<String>) -> GeoError {
    GeoError::Paste {
        line,
        message: message.into(),
    }
}

/// Polygons of a GeoJSON text; closed lines count as rings when there is no polygon.
fn from_geojson(text: &str) -> Result<Vec<Polygon>, GeoError> {
    let doc = GeoDocument::parse(text)?;
    let polygons: Vec<Polygon> = doc.all_polygons().cloned().collect();
    if !polygons.is_empty() {
        return Ok(polygons);
    }
    // Some boundaries are drawn as closed lines; take those as rings.
    let mut rings = Vec::new();
    for other in doc.others() {
        if matches!(
            other.kind,
            OtherKind::LineString | OtherKind::MultiLineString
        ) {
            for part in &other.parts {
                let mut ring: Ring = part.clone();
                if ring.len() >= 4 && open_ring(&mut ring) && has_distinct(&ring, 3) {
                    rings.push(Polygon::from_exterior(ring));
                }
            }
        }
    }
    if rings.is_empty() {
        return Err(paste_error(
            1,
            "the pasted GeoJSON has no Polygon, MultiPolygon or closed line",
        ));
    }
    Ok(rings)
}

/// One polygon from "lat, lon" lines.
fn from_lat_lon_lines(text: &str) -> Result<Polygon, GeoError> {
    const HINT: &str = "expected one \"lat, lon\" pair per line, e.g. \"40.7128, -74.0060\"";
    let mut pairs: Vec<(usize, f64, f64)> = Vec::new();
    let mut seen_data = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let fields: Vec<&str> = line
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|f| !f.is_empty())
            .collect();
        let numbers: Vec<Option<f64>> = fields
            .iter()
            .map(|f| f.parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect();
        if !seen_data && numbers.iter().all(Option::is_none) {
            // A header line such as "lat,lon" or "latitude longitude".
            continue;
        }
        seen_data = true;
        match numbers.as_slice() {
            [Some(lat), Some(lon)] => pairs.push((n, *lat, *lon)),
            _ => {
                return Err(paste_error(n, format!("cannot read \"{line}\": {HINT}")));
            }
        }
    }
    if pairs.is_empty() {
        return Err(paste_error(1, format!("no coordinates found: {HINT}")));
    }
    if let Some(&(n, lat, lon)) = pairs
        .iter()
        .find(|(_, lat, lon)| lat.abs() > 90.0 || lon.abs() > 180.0)
    {
        let looks_swapped = pairs
            .iter()
            .all(|(_, lat, lon)| lat.abs() <= 180.0 && lon.abs() <= 90.0);
        let message = if looks_swapped {
            format!(
                "latitude {lat} is out of range: these pairs look like \"lon, lat\"; this format is \"lat, lon\" (swap the columns, or paste GeoJSON)"
            )
        } else {
            format!("\"{lat}, {lon}\" is out of range (latitude -90..90, longitude -180..180)")
        };
        return Err(paste_error(n, message));
    }
    let mut ring: Ring = pairs
        .iter()
        .map(|&(_, lat, lon)| LonLat::new(lon, lat))
        .collect();
    open_ring(&mut ring);
    if !has_distinct(&ring, 3) {
        let last = pairs.last().map_or(1, |p| p.0);
        return Err(paste_error(
            last,
            "a boundary needs at least 3 distinct points",
        ));
    }
    Ok(Polygon::from_exterior(ring))
}

/// A small WKT reader for POLYGON and MULTIPOLYGON (optional `SRID=n;`, `Z`/`M`/`ZM`, `EMPTY`).
struct Wkt<'a> {
    text: &'a str,
    pos: usize,
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Number(f64),
    Open,
    Close,
    Comma,
    End,
}

impl<'a> Wkt<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    /// 1-based line of the current position.
    fn line(&self) -> usize {
        self.text
            .get(..self.pos)
            .map_or(1, |s| s.bytes().filter(|b| *b == b'\n').count() + 1)
    }

    fn error(&self, message: impl Into<String>) -> GeoError {
        paste_error(self.line(), format!("WKT: {}", message.into()))
    }

    fn skip_space(&mut self) {
        let rest = self.text.get(self.pos..).unwrap_or("");
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn peek(&mut self) -> Result<Token<'a>, GeoError> {
        let save = self.pos;
        let t = self.next();
        self.pos = save;
        t
    }

    fn next(&mut self) -> Result<Token<'a>, GeoError> {
        self.skip_space();
        let rest = self.text.get(self.pos..).unwrap_or("");
        let Some(c) = rest.chars().next() else {
            return Ok(Token::End);
        };
        let single = match c {
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            ',' => Some(Token::Comma),
            _ => None,
        };
        if let Some(t) = single {
            self.pos += 1;
            return Ok(t);
        }
        if c.is_ascii_alphabetic() {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            self.pos += len;
            return Ok(Token::Word(&rest[..len]));
        }
        if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' {
            let len = rest
                .find(|ch: char| {
                    !(ch.is_ascii_digit() || matches!(ch, '-' | '+' | '.' | 'e' | 'E'))
                })
                .unwrap_or(rest.len());
            let s = &rest[..len];
            return match s.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    self.pos += len;
                    Ok(Token::Number(x))
                }
                _ => Err(self.error(format!("\"{s}\" is not a number"))),
            };
        }
        Err(self.error(format!("unexpected character '{c}'")))
    }

    fn expect(&mut self, want: Token<'static>, what: &str) -> Result<(), GeoError> {
        let got = self.next()?;
        if got == want {
            Ok(())
        } else {
            Err(self.error(format!("expected {what}, found {}", describe(&got))))
        }
    }

    fn parse(mut self) -> Result<Vec<Polygon>, GeoError> {
        let mut keyword = self.next()?;
        if let Token::Word(w) = keyword
            && w.eq_ignore_ascii_case("SRID")
        {
            // SRID=4326;POLYGON(...)
            let rest = self.text.get(self.pos..).unwrap_or("");
            let Some(semi) = rest.find(';') else {
                return Err(self.error("expected ';' after SRID=..."));
            };
            self.pos += semi + 1;
            keyword = self.next()?;
        }
        let multi = match keyword {
            Token::Word(w) if w.eq_ignore_ascii_case("POLYGON") => false,
            Token::Word(w) if w.eq_ignore_ascii_case("MULTIPOLYGON") => true,
            other => {
                return Err(self.error(format!(
                    "expected POLYGON or MULTIPOLYGON, found {}",
                    describe(&other)
                )));
            }
        };
        if let Token::Word(w) = self.peek()? {
            if w.eq_ignore_ascii_case("EMPTY") {
                return Err(self.error("the geometry is EMPTY"));
            }
            if ["Z", "M", "ZM"].iter().any(|d| w.eq_ignore_ascii_case(d)) {
                self.next()?;
            } else {
                return Err(self.error(format!("unexpected word \"{w}\"")));
            }
        }
        let polygons = if multi {
            self.list(|p| p.polygon())?
        } else {
            vec![self.polygon()?]
        };
        match self.next()? {
            Token::End => Ok(polygons),
            other => Err(self.error(format!(
                "unexpected {} after the geometry",
                describe(&other)
            ))),
        }
    }

    /// `( item, item, ... )`
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, GeoError>,
    ) -> Result<Vec<T>, GeoError> {
        self.expect(Token::Open, "'('")?;
        let mut out = vec![item(self)?];
        loop {
            match self.next()? {
                Token::Comma => out.push(item(self)?),
                Token::Close => return Ok(out),
                other => {
                    return Err(
                        self.error(format!("expected ',' or ')', found {}", describe(&other)))
                    );
                }
            }
        }
    }

    fn polygon(&mut self) -> Result<Polygon, GeoError> {
        let line = self.line();
        let rings = self.list(|p| p.ring())?;
        for ring in &rings {
            if !has_distinct(ring, 3) {
                return Err(paste_error(
                    line,
                    "WKT: a ring needs at least 3 distinct points",
                ));
            }
        }
        Ok(Polygon { rings })
    }

    fn ring(&mut self) -> Result<Ring, GeoError> {
        let mut ring = self.list(|p| p.position())?;
        open_ring(&mut ring);
        Ok(ring)
    }

    /// `x y [z [m]]` → lon, lat.
    fn position(&mut self) -> Result<LonLat, GeoError> {
        let mut numbers = Vec::with_capacity(2);
        while let Token::Number(_) = self.peek()? {
            if let Token::Number(x) = self.next()? {
                numbers.push(x);
            }
        }
        match numbers.as_slice() {
            [lon, lat] | [lon, lat, _] | [lon, lat, _, _] => Ok(LonLat::new(*lon, *lat)),
            _ => Err(self.error(format!(
                "a position needs 2 numbers (lon lat), found {}",
                numbers.len()
            ))),
        }
    }
}

fn describe(t: &Token<'_>) -> String {
    match t {
        Token::Word(w) => format!("\"{w}\""),
        Token::Number(x) => format!("the number {x}"),
        Token::Open => "'('".to_string(),
        Token::Close => "')'".to_string(),
        Token::Comma => "','".to_string(),
        Token::End => "the end of the text".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn ring(points: &[(f64, f64)]) -> Ring {
        points.iter().map(|&(x, y)| LonLat::new(x, y)).collect()
    }

    #[test]
    fn lat_lon_lines_in_several_separators() -> TestResult {
        let text = "lat,lon\n40.0, -74.0\n40.1\t-74.0\n\n40.1 -73.9\n40.0;-74.0\n";
        let p = parse_pasted(text)?;
        assert_eq!(p.format, PasteFormat::LatLonLines);
        assert_eq!(
            p.polygons,
            vec![Polygon::from_exterior(ring(&[
                (-74.0, 40.0),
                (-74.0, 40.1),
                (-73.9, 40.1)
            ]))]
        );
        Ok(())
    }

    /// Pastes `text`, which must fail, and checks the line and wording of the error; returns
    /// the message.
    fn assert_paste_error(text: &str, at_line: usize, says: &str) -> String {
        let r = parse_pasted(text);
        let Err(GeoError::Paste { line, message }) = r else {
            panic!("should fail: {r:?}");
        };
        assert_eq!(line, at_line, "{message}");
        assert!(message.contains(says), "{message}");
        message
    }

    #[test]
    fn lat_lon_errors_name_the_line() {
        let _ = assert_paste_error("40.0, -74.0\n40.1, -74.0\nabc\n", 3, "lat, lon");
        // lon, lat pasted by mistake.
        let _ = assert_paste_error(
            "151.2, -33.8\n151.3, -33.8\n151.3, -33.9\n",
            1,
            "look like \"lon, lat\"",
        );
        assert!(matches!(
            parse_pasted("1, 2\n1, 2\n"),
            Err(GeoError::Paste { line: 2, .. })
        ));
        assert!(matches!(parse_pasted("   "), Err(GeoError::Paste { .. })));
        assert!(matches!(
            parse_pasted("1, NaN\n2, 3\n4, 5\n"),
            Err(GeoError::Paste { line: 1, .. })
        ));
    }

    #[test]
    fn wkt_polygon_and_multipolygon() -> TestResult {
        let p = parse_pasted("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 1 1))")?;
        assert_eq!(p.format, PasteFormat::Wkt);
        assert_eq!(p.polygons.len(), 1);
        assert_eq!(p.polygons[0].rings.len(), 2);
        assert_eq!(p.polygons[0].rings[0].len(), 4);
        let p = parse_pasted(
            "SRID=4326;multipolygon Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)),\n ((5 5 0, 6 5 0, 6 6 0)))",
        )?;
        assert_eq!(p.polygons.len(), 2);
        assert_eq!(
            p.polygons[1].rings[0],
            ring(&[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0)])
        );
        Ok(())
    }

    #[test]
    fn wkt_errors_name_the_line() {
        let message = assert_paste_error("POLYGON ((0 0, 4 0,\n 4 4, 0 4 x, 0 0))", 2, "WKT:");
        assert!(message.starts_with("WKT:"), "{message}");
        for bad in [
            "POLYGON EMPTY",
            "POLYGON ((0 0, 1 0, 1 1, 0 0)",
            "POLYGON ((0 0, 1 0, 0 0))",
            "POLYGON ((0 0, 1 0, 1 1, 0 0)) junk",
            "POLYGON ((0 0 0 0 0, 1 0, 1 1))",
            "POLYGON ((1e999 0, 1 0, 1 1))",
        ] {
            let r = parse_pasted(bad);
            assert!(matches!(r, Err(GeoError::Paste { .. })), "{bad}: {r:?}");
        }
    }

    #[test]
    fn geojson_geometry_feature_and_closed_lines() -> TestResult {
        let p = parse_pasted(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#)?;
        assert_eq!(p.format, PasteFormat::GeoJson);
        assert_eq!(p.polygons[0].rings[0].len(), 3);
        let p = parse_pasted(
            r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,0],[1,1],[0,0]]}}"#,
        )?;
        assert_eq!(p.polygons.len(), 1);
        let r = parse_pasted(r#"{"type":"Point","coordinates":[0,0]}"#);
        assert!(matches!(r, Err(GeoError::Paste { .. })), "{r:?}");
        let r = parse_pasted("{\"type\": \"Polygon\",\n \"coordinates\": [[[0,0],[1,0]");
        assert!(matches!(r, Err(GeoError::Json { line: 2, .. })), "{r:?}");
        Ok(())
    }
}
