//! The file's own layout, learned from its text, so that what Casebook adds looks like the rest.
//!
//! GeoJSON files in the atlas come in several styles: minified, `", "`-separated on one line,
//! 2-space pretty with every number on its own line, 4-space with one position per line, and
//! GDAL's one-feature-per-line with `{ "type": ... }` spacing. [`Style::learn`] looks at the
//! first container of each kind (features, feature, geometry, each coordinate level) and
//! records whether its items sit on lines of their own ([`Layout::Block`], with the indent
//! unit) or on the container's line ([`Layout::Inline`], with the exact separators). The
//! writer uses it only for text that did not exist before (a new ring, polygon or feature);
//! everything else keeps its bytes.

use super::model::LonLat;
use super::spans::{self, Node, Object, line_indent};

/// How the items of one kind of container are laid out.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Layout {
    /// Each item on a line of its own, `unit` deeper than the line the container opens on; the
    /// closing bracket on a line of its own.
    Block {
        /// One level of indentation (`"  "`, `"    "`, `"\t"`, or `""`).
        unit: String,
    },
    /// Items on the container's line: `[` + `open` + item + `sep` + item + `close` + `]`.
    Inline {
        /// After the opening bracket.
        open: String,
        /// Between items (comma included).
        sep: String,
        /// Before the closing bracket.
        close: String,
    },
}

/// What was seen of one container: `None` fields were not learned.
#[derive(Debug, Clone)]
struct Seen {
    block_unit: Option<String>,
    open: String,
    sep: Option<String>,
    close: String,
}

/// The layout of a file, one [`Layout`] per kind of container.
#[derive(Debug, Clone)]
pub(super) struct Style {
    /// The line break (`"\n"` or `"\r\n"`).
    pub(super) nl: &'static str,
    /// Between a key and its value (`": "`, `":"`).
    pub(super) colon: String,
    /// The top-level object.
    pub(super) root: Layout,
    /// The `features` list.
    pub(super) features: Layout,
    /// A feature object.
    pub(super) feature: Layout,
    /// A geometry object.
    pub(super) geometry: Layout,
    /// A GeometryCollection's `geometries` list.
    pub(super) geometries: Layout,
    /// Coordinate lists, innermost first: position, ring, polygon (rings), multipolygon.
    pub(super) coords: [Layout; 4],
}

/// The coordinate levels of [`Style::coords`].
pub(super) const POSITION: usize = 0;
/// A ring: a list of positions.
pub(super) const RING: usize = 1;
/// A polygon: a list of rings.
pub(super) const POLYGON: usize = 2;
/// A multipolygon: a list of polygons.
pub(super) const MULTI: usize = 3;

/// Where a [`Learner`] keeps what it saw of one kind of container.
type Slot<'a> = for<'l> fn(&'l mut Learner<'a>) -> &'l mut Option<Seen>;

#[derive(Default)]
struct Learner<'a> {
    text: &'a str,
    colon: Option<String>,
    root: Option<Seen>,
    features: Option<Seen>,
    feature: Option<Seen>,
    geometry: Option<Seen>,
    geometries: Option<Seen>,
    coords: [Option<Seen>; 4],
}

/// What a container looks like, from the positions of its brackets and items.
fn seen(text: &str, open: usize, close: usize, items: &[std::ops::Range<usize>]) -> Option<Seen> {
    let (first, last) = (items.first()?, items.last()?);
    let head = text.get(open + 1..first.start)?;
    let sep = items
        .get(1)
        .and_then(|second| text.get(first.end..second.start))
        .map(str::to_string);
    let close_ws = text.get(last.end..close)?.to_string();
    let block_unit = head.contains('\n').then(|| {
        let outer = line_indent(text, open);
        let inner = line_indent(text, first.start);
        inner.strip_prefix(outer).unwrap_or(inner).to_string()
    });
    Some(Seen {
        block_unit,
        open: head.to_string(),
        sep,
        close: close_ws,
    })
}

impl<'a> Learner<'a> {
    fn done(&self) -> bool {
        self.features.is_some()
            && self.feature.is_some()
            && self.geometry.is_some()
            && self.coords.iter().all(Option::is_some)
    }

    fn object(&self, o: &Object) -> Option<Seen> {
        seen(
            self.text,
            o.span.start,
            o.span.end.saturating_sub(1),
            &o.item_spans(),
        )
    }

    fn array(&self, node: &Node) -> Option<Seen> {
        let a = node.as_array()?;
        seen(
            self.text,
            a.span.start,
            a.span.end.saturating_sub(1),
            &a.item_spans(),
        )
    }

    fn type_of(&self, o: &Object) -> Option<&'a str> {
        let span = o.get("type")?.value.span();
        let t = self.text.get(span)?;
        t.strip_prefix('"')?.strip_suffix('"')
    }

    /// Looks at the list `key` of `o` (learned into `list`) and the objects in it (into
    /// `item`), until everything is learned.
    fn list(&mut self, o: &Object, key: &str, list: Slot<'a>, item: Slot<'a>, depth: usize) {
        let Some(member) = o.get(key) else {
            return;
        };
        if list(self).is_none() {
            *list(self) = self.array(&member.value);
        }
        for x in member.value.as_array().map_or(&[][..], |a| &a.items) {
            if let Some(x) = x.as_object() {
                self.child(x, item, depth);
            }
            if self.done() {
                return;
            }
        }
    }

    /// Looks at `o`, an object inside the one at `depth`, learning its layout into `slot`.
    fn child(&mut self, o: &Object, slot: Slot<'a>, depth: usize) {
        if slot(self).is_none() {
            *slot(self) = self.object(o);
        }
        self.visit(o, depth + 1);
    }

    /// Looks at an object that is a root, feature or geometry.
    fn visit(&mut self, o: &Object, depth: usize) {
        if self.done() || depth > 64 {
            return;
        }
        if self.colon.is_none()
            && let Some(m) = o.members.first()
        {
            self.colon = self
                .text
                .get(m.key_span.end..m.value.span().start)
                .map(str::to_string);
        }
        match self.type_of(o) {
            Some(kind @ ("FeatureCollection" | "GeometryCollection")) => {
                // The list and the objects in it.
                let (key, list, item): (&str, Slot<'a>, Slot<'a>) = if kind == "FeatureCollection" {
                    ("features", |l| &mut l.features, |l| &mut l.feature)
                } else {
                    ("geometries", |l| &mut l.geometries, |l| &mut l.geometry)
                };
                self.list(o, key, list, item, depth);
            }
            Some("Feature") => {
                if let Some(g) = o.get("geometry").and_then(|m| m.value.as_object()) {
                    self.child(g, |l| &mut l.geometry, depth);
                }
            }
            Some("Polygon") => self.coordinates(o, POLYGON),
            Some("MultiPolygon") => self.coordinates(o, MULTI),
            Some("LineString" | "MultiPoint") => self.coordinates(o, RING),
            _ => {}
        }
    }

    /// Learns the coordinate levels from `top` down to the position.
    fn coordinates(&mut self, o: &Object, top: usize) {
        if self.coords[..=top].iter().all(Option::is_some) {
            return;
        }
        let Some(c) = o.get("coordinates") else {
            return;
        };
        let mut span = c.value.span();
        let mut level = top;
        loop {
            let Some(list) = spans::list(self.text, span.clone()) else {
                return;
            };
            if self.coords[level].is_none() {
                self.coords[level] = seen(self.text, list.open, list.close, &list.items);
            }
            match (level, list.items.first()) {
                (POSITION, _) | (_, None) => return,
                (_, Some(first)) => {
                    span = first.clone();
                    level -= 1;
                }
            }
        }
    }
}

impl Style {
    /// The style of `text` (whose structure is `root`).
    pub(super) fn learn(text: &str, root: &Node, crlf: bool) -> Style {
        let mut l = Learner {
            text,
            ..Learner::default()
        };
        if let Some(o) = root.as_object() {
            l.root = l.object(o);
            l.visit(o, 0);
        }
        let single_line = !text.trim_end().contains('\n');
        let all = [
            &l.coords[POSITION],
            &l.coords[RING],
            &l.coords[POLYGON],
            &l.coords[MULTI],
            &l.features,
            &l.geometries,
            &l.feature,
            &l.geometry,
            &l.root,
        ];
        let inline_sep = all
            .iter()
            .filter_map(|s| s.as_ref())
            .filter(|s| s.block_unit.is_none())
            .find_map(|s| s.sep.clone().filter(|sep| !sep.contains('\n')))
            .unwrap_or_else(|| if single_line { "," } else { ", " }.to_string());
        let unit = all
            .iter()
            .filter_map(|s| s.as_ref())
            .find_map(|s| s.block_unit.clone())
            .unwrap_or_else(|| "  ".to_string());
        let fallback = if single_line {
            Layout::Inline {
                open: String::new(),
                sep: inline_sep.clone(),
                close: String::new(),
            }
        } else {
            Layout::Block { unit: unit.clone() }
        };
        let finish = |s: &Seen| match &s.block_unit {
            Some(unit) => Layout::Block { unit: unit.clone() },
            None => Layout::Inline {
                open: s.open.clone(),
                sep: s.sep.clone().unwrap_or_else(|| inline_sep.clone()),
                close: s.close.clone(),
            },
        };
        // The first learned of `order`, else `default`.
        let pick = |order: &[&Option<Seen>], default: &Layout| {
            order
                .iter()
                .find_map(|s| s.as_ref())
                .map_or_else(|| default.clone(), finish)
        };
        let position_default = Layout::Inline {
            open: String::new(),
            sep: inline_sep.clone(),
            close: String::new(),
        };
        let root = pick(&[&l.root], &fallback);
        Style {
            nl: if crlf { "\r\n" } else { "\n" },
            colon: l
                .colon
                .clone()
                .filter(|c| c.contains(':'))
                .unwrap_or_else(|| if single_line { ":" } else { ": " }.to_string()),
            features: pick(&[&l.features, &l.geometries], &fallback),
            feature: pick(&[&l.feature, &l.geometry], &root),
            geometry: pick(&[&l.geometry, &l.feature], &root),
            geometries: pick(&[&l.geometries, &l.features], &fallback),
            coords: [
                pick(&[&l.coords[POSITION]], &position_default),
                pick(
                    &[&l.coords[RING], &l.coords[POLYGON], &l.coords[MULTI]],
                    &fallback,
                ),
                pick(
                    &[&l.coords[POLYGON], &l.coords[RING], &l.coords[MULTI]],
                    &fallback,
                ),
                pick(
                    &[&l.coords[MULTI], &l.coords[POLYGON], &l.coords[RING]],
                    &fallback,
                ),
            ],
            root,
        }
    }

    /// Starts item `k` of a container laid out as `layout` whose line is indented by
    /// `indent`; returns the indent of the item's line.
    pub(super) fn item(&self, out: &mut String, layout: &Layout, indent: &str, k: usize) -> String {
        match layout {
            Layout::Block { unit } => {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(self.nl);
                let inner = format!("{indent}{unit}");
                out.push_str(&inner);
                inner
            }
            Layout::Inline { open, sep, .. } => {
                out.push_str(if k == 0 { open } else { sep });
                indent.to_string()
            }
        }
    }

    /// Ends a container of `n` items with `bracket`.
    pub(super) fn end(
        &self,
        out: &mut String,
        layout: &Layout,
        indent: &str,
        n: usize,
        bracket: char,
    ) {
        if n > 0 {
            match layout {
                Layout::Block { .. } => {
                    out.push_str(self.nl);
                    out.push_str(indent);
                }
                Layout::Inline { close, .. } => out.push_str(close),
            }
        }
        out.push(bracket);
    }

    /// Starts member `k` of an object: separator, indent, `"key"` and colon.
    pub(super) fn member(
        &self,
        out: &mut String,
        layout: &Layout,
        indent: &str,
        k: usize,
        key: &str,
    ) -> String {
        let inner = self.item(out, layout, indent, k);
        out.push_str(&json_string(key));
        out.push_str(&self.colon);
        inner
    }

    /// A position as new text.
    pub(super) fn position(&self, out: &mut String, p: LonLat, indent: &str) {
        let layout = &self.coords[POSITION];
        out.push('[');
        for (k, x) in [p.lon, p.lat].into_iter().enumerate() {
            self.item(out, layout, indent, k);
            out.push_str(&number(x));
        }
        self.end(out, layout, indent, 2, ']');
    }

    /// An open ring as new text, closed.
    pub(super) fn ring(&self, out: &mut String, ring: &[LonLat], indent: &str) {
        let layout = &self.coords[RING];
        out.push('[');
        let closing = ring.first().copied();
        let n = ring.len() + usize::from(closing.is_some());
        for (k, p) in ring.iter().copied().chain(closing).enumerate() {
            let inner = self.item(out, layout, indent, k);
            self.position(out, p, &inner);
        }
        self.end(out, layout, indent, n, ']');
    }

    /// A polygon's rings as new text.
    pub(super) fn polygon(&self, out: &mut String, rings: &[Vec<LonLat>], indent: &str) {
        let layout = &self.coords[POLYGON];
        out.push('[');
        for (k, ring) in rings.iter().enumerate() {
            let inner = self.item(out, layout, indent, k);
            self.ring(out, ring, &inner);
        }
        self.end(out, layout, indent, rings.len(), ']');
    }
}

/// A string as JSON text.
pub(super) fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A coordinate as JSON text: the shortest text that reads back as the same number, without
/// an exponent for ordinary values (`-73.98`, `2`, `0.000001`).
pub(super) fn number(x: f64) -> String {
    if !x.is_finite() {
        // Edits refuse non-finite numbers; never write invalid JSON anyway.
        return "null".to_string();
    }
    if x.abs() >= 1e16 {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style_of(text: &str) -> Result<Style, String> {
        let root = spans::scan(text).ok_or("scan")?;
        Ok(Style::learn(text, &root, text.contains("\r\n")))
    }

    fn inline(open: &str, sep: &str, close: &str) -> Layout {
        Layout::Inline {
            open: open.into(),
            sep: sep.into(),
            close: close.into(),
        }
    }

    /// What a layout is learned from: one of [`Style`]'s fields.
    type Field = fn(&Style) -> &Layout;
    const ROOT: Field = |s| &s.root;
    const FEATURES: Field = |s| &s.features;
    const FEATURE: Field = |s| &s.feature;
    const COORDS: [Field; 4] = [
        |s| &s.coords[POSITION],
        |s| &s.coords[RING],
        |s| &s.coords[POLYGON],
        |s| &s.coords[MULTI],
    ];

    /// The style learned from `text` has `colon` (when given) and each of `layouts`.
    fn assert_style(
        text: &str,
        colon: Option<&str>,
        layouts: &[(&str, Field, Layout)],
    ) -> Result<(), String> {
        let s = style_of(text)?;
        if let Some(colon) = colon {
            assert_eq!(s.colon, colon, "{text}");
        }
        for (name, field, want) in layouts {
            assert_eq!(field(&s), want, "{name} of {text}");
        }
        Ok(())
    }

    #[test]
    fn minified_and_spaced() -> Result<(), String> {
        let tight = inline("", ",", "");
        assert_style(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
            Some(":"),
            &[
                ("position", COORDS[POSITION], tight.clone()),
                ("multipolygon", COORDS[MULTI], tight.clone()),
                ("feature", FEATURE, tight),
            ],
        )?;
        let spaced = inline("", ", ", "");
        assert_style(
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}"#,
            Some(": "),
            &[
                ("ring", COORDS[RING], spaced.clone()),
                ("features", FEATURES, spaced),
            ],
        )
    }

    #[test]
    fn pretty_and_gdal() -> Result<(), String> {
        let block = Layout::Block {
            unit: "    ".into(),
        };
        assert_style(
            "{\n    \"type\": \"FeatureCollection\",\n    \"features\": [\n        {\n            \"type\": \"Feature\",\n            \"geometry\": {\n                \"type\": \"Polygon\",\n                \"coordinates\": [\n                    [\n                        [0, 0],\n                        [1, 0],\n                        [0, 1],\n                        [0, 0]\n                    ]\n                ]\n            }\n        }\n    ]\n}\n",
            None,
            &[
                ("root", ROOT, block.clone()),
                ("ring", COORDS[RING], block.clone()),
                ("position", COORDS[POSITION], inline("", ", ", "")),
                ("multipolygon", COORDS[MULTI], block),
            ],
        )?;
        let padded = inline(" ", ", ", " ");
        assert_style(
            "{\n\"type\": \"FeatureCollection\",\n\"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" } },\n\"features\": [\n{ \"type\": \"Feature\", \"properties\": { }, \"geometry\": { \"type\": \"MultiPolygon\", \"coordinates\": [ [ [ [ 0.0, 0.0 ], [ 1.0, 0.0 ], [ 0.0, 1.0 ], [ 0.0, 0.0 ] ] ] ] } }\n]\n}\n",
            None,
            &[
                ("features", FEATURES, Layout::Block { unit: "".into() }),
                ("feature", FEATURE, padded.clone()),
                ("position", COORDS[POSITION], padded.clone()),
                ("polygon", COORDS[POLYGON], padded),
            ],
        )
    }

    #[test]
    fn fresh_rings_follow_the_layout() -> Result<(), String> {
        let s = style_of(
            "{\n  \"type\": \"Polygon\",\n  \"coordinates\": [\n    [\n      [\n        0,\n        0\n      ],\n      [\n        1,\n        0\n      ],\n      [\n        0,\n        0\n      ]\n    ]\n  ]\n}",
        )?;
        let mut out = String::new();
        s.ring(
            &mut out,
            &[LonLat::new(1.5, 2.0), LonLat::new(3.0, -4.25)],
            "    ",
        );
        assert_eq!(
            out,
            "[\n      [\n        1.5,\n        2\n      ],\n      [\n        3,\n        -4.25\n      ],\n      [\n        1.5,\n        2\n      ]\n    ]"
        );
        Ok(())
    }

    #[test]
    fn numbers() {
        assert_eq!(number(2.0), "2");
        assert_eq!(number(-73.990428), "-73.990428");
        assert_eq!(number(1e-7), "0.0000001");
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(f64::NAN), "null");
        for x in [0.1 + 0.2, 1e-7, 123456.789012, -0.000001, 1e300, 5e-324] {
            assert_eq!(number(x).parse::<f64>(), Ok(x));
        }
    }
}
