//! Byte spans of a GeoJSON text: where each value, member and position sits in the source.
//!
//! The in-place writer (see `write.rs`) needs to know which bytes hold which geometry so that
//! an edit rewrites only those bytes. [`scan`] maps the structure of the file (objects, arrays,
//! scalars) except the `coordinates` values, which it only delimits ([`Node::Skipped`]): a big
//! boundary is looked into only when one of its geometries changed, with [`list`], [`ring`]
//! and [`polygon`].
//!
//! The text given here was already accepted by `serde_json` (or written by Casebook), so the
//! scanner is lenient: on anything unexpected it returns `None` and the caller falls back.

use std::ops::Range;

/// How deep the scanner follows nesting (the reader already refuses more than 128 levels).
const MAX_DEPTH: usize = 512;

/// A JSON value of the source with its byte span.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// `{ ... }`.
    Object(Object),
    /// `[ ... ]`.
    Array(Array),
    /// A string, number, `true`, `false` or `null`.
    Scalar(Range<usize>),
    /// A value delimited but not looked into (every `coordinates` member's value).
    Skipped(Range<usize>),
}

impl Node {
    /// The bytes of the value.
    pub(super) fn span(&self) -> Range<usize> {
        match self {
            Node::Object(o) => o.span.clone(),
            Node::Array(a) => a.span.clone(),
            Node::Scalar(s) | Node::Skipped(s) => s.clone(),
        }
    }

    /// The value as an object, if it is one.
    pub(super) fn as_object(&self) -> Option<&Object> {
        match self {
            Node::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The value as an array, if it is one.
    pub(super) fn as_array(&self) -> Option<&Array> {
        match self {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// An object: its span (braces included) and its members in file order.
#[derive(Debug, Clone)]
pub(super) struct Object {
    pub(super) span: Range<usize>,
    pub(super) members: Vec<Member>,
}

impl Object {
    /// The member that counts for `key`: the last one with that name (as `serde_json` reads
    /// duplicate keys).
    pub(super) fn get(&self, key: &str) -> Option<&Member> {
        self.members.iter().rev().find(|m| m.key == key)
    }

    /// Whether `m` is the member that counts for its key (see [`Object::get`]).
    pub(super) fn counts(&self, m: &Member) -> bool {
        self.get(&m.key).is_some_and(|last| std::ptr::eq(last, m))
    }

    /// The spans of the members (key to end of value), for layout detection.
    pub(super) fn item_spans(&self) -> Vec<Range<usize>> {
        self.members
            .iter()
            .map(|m| m.key_span.start..m.value.span().end)
            .collect()
    }
}

/// One `"key": value` member.
#[derive(Debug, Clone)]
pub(super) struct Member {
    /// The key, unescaped.
    pub(super) key: String,
    /// The key with its quotes.
    pub(super) key_span: Range<usize>,
    /// The value.
    pub(super) value: Node,
}

/// An array: its span (brackets included) and its items.
#[derive(Debug, Clone)]
pub(super) struct Array {
    pub(super) span: Range<usize>,
    pub(super) items: Vec<Node>,
}

impl Array {
    /// The spans of the items.
    pub(super) fn item_spans(&self) -> Vec<Range<usize>> {
        self.items.iter().map(Node::span).collect()
    }
}

/// A list of the source: the positions of its brackets and its items.
#[derive(Debug, Clone)]
pub(super) struct List<T> {
    /// Byte index of `[`.
    pub(super) open: usize,
    /// Byte index of `]`.
    pub(super) close: usize,
    /// The items in order.
    pub(super) items: Vec<T>,
}

impl<T> List<T> {
    /// The span of the list, brackets included.
    pub(super) fn span(&self) -> Range<usize> {
        self.open..self.close + 1
    }
}

/// One position `[lon, lat, ...]` of the source.
#[derive(Debug, Clone)]
pub(super) struct PosText {
    /// The whole position, brackets included.
    pub(super) span: Range<usize>,
    /// The longitude's number text.
    pub(super) lon: Range<usize>,
    /// The latitude's number text.
    pub(super) lat: Range<usize>,
    /// Where the last number ends (after an altitude, if any).
    pub(super) last: usize,
}

/// A ring of the source.
pub(super) type RingText = List<PosText>;
/// A polygon of the source (its rings).
pub(super) type PolyText = List<RingText>;

/// Maps the value at the start of `text` (after whitespace); `None` if it is not JSON.
pub(super) fn scan(text: &str) -> Option<Node> {
    let mut s = Scanner {
        b: text.as_bytes(),
        text,
        i: 0,
    };
    s.ws();
    let node = s.value(0, false)?;
    Some(node)
}

/// Reads the list at `span` (which must start, after whitespace, with `[`), leaving its items
/// unread: their spans only.
pub(super) fn list(text: &str, span: Range<usize>) -> Option<List<Range<usize>>> {
    let mut s = Scanner::at(text, span.start);
    s.list(|s| {
        let start = s.i;
        s.skip(0)?;
        Some(start..s.i)
    })
}

/// Reads the ring at `span`: a list of positions.
#[cfg(test)]
pub(super) fn ring(text: &str, span: Range<usize>) -> Option<RingText> {
    let mut s = Scanner::at(text, span.start);
    s.ring()
}

/// Reads the polygon at `span`: a list of rings.
pub(super) fn polygon(text: &str, span: Range<usize>) -> Option<PolyText> {
    let mut s = Scanner::at(text, span.start);
    s.list(Scanner::ring)
}

/// The value of a number of the source (`None` if it is not one).
pub(super) fn number(text: &str, span: Range<usize>) -> Option<f64> {
    text.get(span)?
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// The leading spaces and tabs of the line holding byte `at`.
pub(super) fn line_indent(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..at];
    let end = line
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(line.len());
    &line[..end]
}

struct Scanner<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Scanner<'a> {
    fn at(text: &'a str, i: usize) -> Self {
        let mut s = Scanner {
            b: text.as_bytes(),
            text,
            i,
        };
        s.ws();
        s
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    /// The comma-separated items of a list or object whose opening bracket was just read, up
    /// to and including the `close` bracket; `item` reads one item.
    fn items<T>(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut items = Vec::new();
        self.ws();
        if self.eat(close).is_some() {
            return Some(items);
        }
        loop {
            self.ws();
            items.push(item(self)?);
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Some(items);
                }
                _ => return None,
            }
        }
    }

    /// A value; `skip_value` delimits it without looking in.
    fn value(&mut self, depth: usize, skip_value: bool) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.i;
        if skip_value {
            self.skip(depth)?;
            return Some(Node::Skipped(start..self.i));
        }
        match self.peek()? {
            b'{' => {
                self.i += 1;
                let members = self.items(b'}', |p| {
                    let key_start = p.i;
                    p.string()?;
                    let key_span = key_start..p.i;
                    let raw = p.text.get(key_start + 1..p.i - 1)?;
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(p.text.get(key_span.clone())?).ok()?
                    } else {
                        raw.to_string()
                    };
                    p.ws();
                    p.eat(b':')?;
                    p.ws();
                    let skip = key == "coordinates";
                    let value = p.value(depth + 1, skip)?;
                    Some(Member {
                        key,
                        key_span,
                        value,
                    })
                })?;
                Some(Node::Object(Object {
                    span: start..self.i,
                    members,
                }))
            }
            b'[' => {
                self.i += 1;
                let items = self.items(b']', |p| p.value(depth + 1, false))?;
                Some(Node::Array(Array {
                    span: start..self.i,
                    items,
                }))
            }
            b'"' => {
                self.string()?;
                Some(Node::Scalar(start..self.i))
            }
            _ => {
                self.scalar()?;
                Some(Node::Scalar(start..self.i))
            }
        }
    }

    /// Skips a string (at its opening quote).
    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
    }

    /// Skips a number or literal.
    fn scalar(&mut self) -> Option<()> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.') {
                self.i += 1;
            } else {
                break;
            }
        }
        (self.i > start).then_some(())
    }

    /// Skips any value quickly (bracket counting, strings respected): this is where most of
    /// a big boundary's bytes go by, so it is a tight loop over the bytes.
    fn skip(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' | b'[' => {
                let b = self.b;
                let mut level = 0usize;
                let mut i = self.i;
                while let Some(&c) = b.get(i) {
                    match c {
                        b'{' | b'[' => {
                            level += 1;
                            if depth + level > MAX_DEPTH {
                                return None;
                            }
                        }
                        b'}' | b']' => {
                            level = level.checked_sub(1)?;
                            if level == 0 {
                                self.i = i + 1;
                                return Some(());
                            }
                        }
                        b'"' => {
                            self.i = i;
                            self.string()?;
                            i = self.i;
                            continue;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                None
            }
            b'"' => self.string(),
            _ => self.scalar(),
        }
    }

    /// A list whose items are read by `item` (called at each item's first byte).
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<List<T>> {
        let open = self.i;
        self.eat(b'[')?;
        let items = self.items(b']', |s| item(s))?;
        // `items` stops just past the closing bracket.
        let close = self.i - 1;
        Some(List { open, close, items })
    }

    fn ring(&mut self) -> Option<RingText> {
        self.list(Scanner::position)
    }

    /// A position: a list of at least two numbers.
    fn position(&mut self) -> Option<PosText> {
        let numbers = self.list(|s| {
            let start = s.i;
            s.scalar()?;
            Some(start..s.i)
        })?;
        let (Some(lon), Some(lat), Some(last)) = (
            numbers.items.first(),
            numbers.items.get(1),
            numbers.items.last(),
        ) else {
            return None;
        };
        Some(PosText {
            span: numbers.span(),
            lon: lon.clone(),
            lat: lat.clone(),
            last: last.end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_members_and_skips_coordinates() -> Result<(), String> {
        let text = r#" {"type": "Feature", "a\"b": [1, {"c": null}], "geometry": {"type":"Point","coordinates":[1, 2]}} "#;
        let root = scan(text).ok_or("scan")?;
        let obj = root.as_object().ok_or("object")?;
        assert_eq!(obj.span, 1..text.len() - 1);
        let keys: Vec<&str> = obj.members.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["type", "a\"b", "geometry"]);
        let g = obj.get("geometry").ok_or("geometry")?.value.as_object();
        let coords = &g
            .ok_or("geometry object")?
            .get("coordinates")
            .ok_or("c")?
            .value;
        assert!(matches!(coords, Node::Skipped(_)));
        assert_eq!(&text[coords.span()], "[1, 2]");
        Ok(())
    }

    #[test]
    fn duplicate_keys_count_last() -> Result<(), String> {
        let root = scan(r#"{"a":1,"a":2}"#).ok_or("scan")?;
        let obj = root.as_object().ok_or("object")?;
        let last = obj.get("a").ok_or("a")?;
        assert_eq!(last.value.span(), 11..12);
        assert!(obj.counts(last));
        assert!(!obj.counts(&obj.members[0]));
        Ok(())
    }

    #[test]
    fn rings_and_positions() -> Result<(), String> {
        let text = "[ [ [ 1.5 , -2 , 7 ], [3,4] ],[] ]";
        let p = polygon(text, 0..text.len()).ok_or("polygon")?;
        assert_eq!(p.items.len(), 2);
        let first = &p.items[0].items[0];
        assert_eq!(&text[first.span.clone()], "[ 1.5 , -2 , 7 ]");
        assert_eq!(&text[first.lon.clone()], "1.5");
        assert_eq!(&text[first.lat.clone()], "-2");
        assert_eq!(&text[first.lat.end..first.last], " , 7");
        assert!(p.items[1].items.is_empty());
        assert_eq!(number(text, first.lat.clone()), Some(-2.0));
        let l = list(text, 0..text.len()).ok_or("list")?;
        assert_eq!(&text[l.items[1].clone()], "[]");
        assert!(ring("[[1]]", 0..5).is_none());
        Ok(())
    }

    #[test]
    fn indents() {
        let text = "{\n    \"a\": [\n\t  1]}";
        assert_eq!(line_indent(text, text.find("\"a\"").unwrap_or(0)), "    ");
        assert_eq!(line_indent(text, text.find('1').unwrap_or(0)), "\t  ");
        assert_eq!(line_indent(text, 0), "");
    }

    #[test]
    fn broken_text_is_none() {
        for t in ["", "{", "[1,", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "\"abc"] {
            assert!(scan(t).is_none(), "{t:?}");
        }
    }
}
