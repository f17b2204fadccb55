//! The in-place writer: an edited document is its source text with only the bytes of what
//! changed rewritten.
//!
//! Like the front matter, a `.geojson` file keeps everything the author did not change: other
//! features, foreign members, key order, whitespace, the text of every number, the final
//! newline (or its absence), CRLF line breaks and a byte-order mark. The writer walks the tree
//! and the source side by side ([`spans`] gives the bytes of each value):
//!
//! - Features and GeometryCollection members are matched with the text they came from (by
//!   content and by the shapes they hold), so removing or adding a shape removes or adds that
//!   feature's text only.
//! - In a changed shape, polygons, rings and positions are matched by value with the source
//!   ([`align`]): equal ones keep their bytes; a moved position gets new number text in its old
//!   place (its altitude and spacing kept); a ring reversed by CB018's fix gets the exact
//!   reverse of its position texts, so line count and byte length stay the same.
//! - New text (a new position, ring, polygon or feature) follows its neighbours' layout when it
//!   has some, otherwise the file's [`Style`], with numbers at the precision the model holds.
//! - A ring of a changed ring list is written closed; rings left as they were keep their text.
//!
//! If the text and the tree ever disagree (a bug), the document is written whole by the
//! fallback in `pretty.rs`, which loses the layout but not the meaning.

use std::cell::OnceCell;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::ops::Range;

use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue, JsonValue};

use super::document::{GeoDocument, Shape, ShapeKind, ShapeLocation};
use super::model::{BoundingBox, Fingerprint, LonLat, Polygon, position_key, ring_key};
use super::spans::{self, Node, Object, PolyText, PosText, RingText, line_indent};
use super::style::{self, Layout, MULTI, POLYGON, RING, Style, json_string};
use super::{pretty, read};

/// Writes a modified document: in place, or whole if the text cannot be followed.
pub(super) fn write_document(doc: &GeoDocument) -> String {
    in_place(doc).unwrap_or_else(|| pretty::write_document(doc))
}

/// The source text with only what changed rewritten; `None` if the text and the tree disagree.
pub(super) fn in_place(doc: &GeoDocument) -> Option<String> {
    let text = doc.source.as_str();
    let root = doc.spans_cache.get_or_init(|| spans::scan(text)).as_ref()?;
    let old_tree = doc.tree_as_read.as_deref().unwrap_or(&doc.tree);
    let mut old_locations = Vec::new();
    read::visit(old_tree, &mut |g, location| {
        if is_shape(g) {
            old_locations.push(location.clone());
        }
    });
    let w = Writer {
        text,
        doc,
        root,
        style: OnceCell::new(),
        old_index: old_locations
            .iter()
            .enumerate()
            .map(|(j, l)| (l.clone(), j))
            .collect(),
        old_locations,
        cur_index: doc
            .shapes
            .iter()
            .enumerate()
            .map(|(k, s)| (s.location.clone(), k))
            .collect(),
    };
    let span = root.span();
    let mut out = String::with_capacity(text.len() + 256);
    if doc.bom {
        out.push('\u{feff}');
    }
    out.push_str(text.get(..span.start)?);
    w.root(&mut out, &doc.tree, old_tree, root)?;
    out.push_str(text.get(span.end..)?);
    Some(out)
}

/// Where each ring of the shape at `location` is not closed in `text` (as `(polygon, ring)`),
/// the way [`read::extract`] reports it; `None` if the text does not hold such a shape.
pub(super) fn unclosed_rings(text: &str, location: &ShapeLocation) -> Option<Vec<(usize, usize)>> {
    let root = spans::scan(text)?;
    let mut node = &root;
    if let Some(i) = location.feature {
        let feature = root
            .as_object()?
            .get("features")?
            .value
            .as_array()?
            .items
            .get(i)?;
        node = &feature.as_object()?.get("geometry")?.value;
    } else if type_of(text, root.as_object()?) == Some("Feature") {
        node = &root.as_object()?.get("geometry")?.value;
    }
    for k in &location.collection_path {
        node = node
            .as_object()?
            .get("geometries")?
            .value
            .as_array()?
            .items
            .get(*k)?;
    }
    let obj = node.as_object()?;
    let span = obj.get("coordinates")?.value.span();
    let polygons = match type_of(text, obj)? {
        "Polygon" => vec![span],
        "MultiPolygon" => spans::list(text, span)?.items,
        _ => return None,
    };
    let mut unclosed = Vec::new();
    for (p, span) in polygons.into_iter().enumerate() {
        let polygon = spans::polygon(text, span)?;
        for (r, ring) in polygon.items.iter().enumerate() {
            let values = ring_values(text, ring)?;
            if values.len() >= 2
                && values.first().map(|f| position_key(*f))
                    != values.last().map(|l| position_key(*l))
            {
                unclosed.push((p, r));
            }
        }
    }
    Some(unclosed)
}

/// Mixed into the key of a ring (or polygon) of the text that is to be closed, so that it
/// differs from the model's and is rewritten.
const TO_CLOSE: u64 = 0x9e37_79b9_7f4a_7c15;

/// How a new item relates to the old ones (see [`align`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pair {
    /// Old item `.0` is new item `.1`, unchanged (for features and geometries: their
    /// counterpart, whose inside may have changed).
    Same(usize, usize),
    /// Old item `.0` changed into new item `.1`.
    Changed(usize, usize),
    /// New item `.0` has no old counterpart.
    Add(usize),
}

impl Pair {
    fn old(self) -> Option<usize> {
        match self {
            Pair::Same(j, _) | Pair::Changed(j, _) => Some(j),
            Pair::Add(_) => None,
        }
    }
}

/// Matches the new items with the old ones by key, in order; old items not matched are gone.
///
/// Equal prefix and suffix are `Same`. In between, lists of equal length pair up slot by slot
/// (a moved vertex, a reversed ring); otherwise equal keys are matched going forward, a new
/// item takes the place of an old one that is gone (`Changed`), and the rest are added.
pub(super) fn align<K: Eq + Hash + Copy>(old: &[K], new: &[K]) -> Vec<Pair> {
    let (n, m) = (old.len(), new.len());
    let mut pre = 0;
    while pre < n && pre < m && old[pre] == new[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < n - pre && suf < m - pre && old[n - 1 - suf] == new[m - 1 - suf] {
        suf += 1;
    }
    let mut pairs = Vec::with_capacity(m);
    pairs.extend((0..pre).map(|k| Pair::Same(k, k)));
    let (old_end, new_end) = (n - suf, m - suf);
    if old_end - pre == new_end - pre {
        for d in 0..new_end - pre {
            let (j, i) = (pre + d, pre + d);
            pairs.push(if old[j] == new[i] {
                Pair::Same(j, i)
            } else {
                Pair::Changed(j, i)
            });
        }
    } else {
        let mut at: HashMap<K, VecDeque<usize>> = HashMap::new();
        for (j, k) in old.iter().enumerate().take(old_end).skip(pre) {
            at.entry(*k).or_default().push_back(j);
        }
        let mut left: HashMap<K, usize> = HashMap::new();
        for k in &new[pre..new_end] {
            *left.entry(*k).or_default() += 1;
        }
        let mut from = pre;
        for (i, key) in new.iter().enumerate().take(new_end).skip(pre) {
            if let Some(c) = left.get_mut(key) {
                *c = c.saturating_sub(1);
            }
            let found = at.get_mut(key).and_then(|q| {
                while q.front().is_some_and(|j| *j < from) {
                    q.pop_front();
                }
                q.pop_front()
            });
            if let Some(j) = found {
                pairs.push(Pair::Same(j, i));
                from = j + 1;
            } else if from < old_end && left.get(&old[from]).copied().unwrap_or(0) == 0 {
                // The old item is not wanted later: the new one takes its place.
                pairs.push(Pair::Changed(from, i));
                from += 1;
            } else {
                pairs.push(Pair::Add(i));
            }
        }
    }
    pairs.extend((0..suf).map(|s| Pair::Same(old_end + s, new_end + s)));
    pairs
}

/// Matches new items with old ones by a predicate, in order (features, collection members).
fn greedy(new_len: usize, old_len: usize, matches: impl Fn(usize, usize) -> bool) -> Vec<Pair> {
    let mut pairs = Vec::with_capacity(new_len);
    let mut from = 0;
    for i in 0..new_len {
        match (from..old_len).find(|&j| matches(i, j)) {
            Some(j) => {
                pairs.push(Pair::Same(j, i));
                from = j + 1;
            }
            None => pairs.push(Pair::Add(i)),
        }
    }
    pairs
}

fn is_shape(g: &Geometry) -> bool {
    matches!(
        g.value,
        GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. }
    )
}

/// The `type` of an object of the source, without quotes.
fn type_of<'t>(text: &'t str, o: &Object) -> Option<&'t str> {
    let t = text.get(o.get("type")?.value.span())?;
    t.strip_prefix('"')?.strip_suffix('"')
}

fn kind_name(kind: ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Polygon => "Polygon",
        ShapeKind::MultiPolygon => "MultiPolygon",
    }
}

/// The positions of a ring of the source.
fn ring_values(text: &str, ring: &RingText) -> Option<Vec<LonLat>> {
    ring.items
        .iter()
        .map(|p| {
            Some(LonLat::new(
                spans::number(text, p.lon.clone())?,
                spans::number(text, p.lat.clone())?,
            ))
        })
        .collect()
}

/// A ring's positions without the closing one (as the model stores rings).
fn opened(values: &[LonLat]) -> &[LonLat] {
    match (values.first(), values.last()) {
        (Some(f), Some(l)) if values.len() >= 2 && position_key(*f) == position_key(*l) => {
            &values[..values.len() - 1]
        }
        _ => values,
    }
}

/// Whether a location lies within `scope` (same feature, inside its collection path).
fn within(location: &ShapeLocation, scope: &ShapeLocation) -> bool {
    location.feature == scope.feature
        && location.collection_path.starts_with(&scope.collection_path)
}

fn child(location: &ShapeLocation, member: usize) -> ShapeLocation {
    let mut l = location.clone();
    l.collection_path.push(member);
    l
}

struct Writer<'a> {
    text: &'a str,
    doc: &'a GeoDocument,
    root: &'a Node,
    /// Learned on first use (only text that is new needs it).
    style: OnceCell<Style>,
    /// Shape number in the source (file order) by location in the source.
    old_index: HashMap<ShapeLocation, usize>,
    /// Location in the source by shape number in the source.
    old_locations: Vec<ShapeLocation>,
    /// Shape index by current location.
    cur_index: HashMap<ShapeLocation, usize>,
}

impl Writer<'_> {
    fn style(&self) -> &Style {
        self.style
            .get_or_init(|| Style::learn(self.text, self.root, self.doc.crlf))
    }

    fn copy(&self, out: &mut String, span: Range<usize>) -> Option<()> {
        out.push_str(self.text.get(span)?);
        Some(())
    }

    fn root(&self, out: &mut String, cur: &GeoJson, old: &GeoJson, node: &Node) -> Option<()> {
        let top = ShapeLocation::default();
        match (cur, old) {
            (GeoJson::FeatureCollection(c), GeoJson::FeatureCollection(o)) => {
                self.collection(out, c, o, node.as_object()?)
            }
            (GeoJson::Feature(c), GeoJson::Feature(o)) => {
                self.feature(out, c, o, node.as_object()?, None, None)
            }
            (GeoJson::Geometry(c), GeoJson::Geometry(o)) => {
                self.geometry(out, c, o, node, &top, &top)
            }
            (cur, _) => {
                let indent = line_indent(self.text, node.span().start).to_string();
                match cur {
                    GeoJson::FeatureCollection(c) => self.fresh_collection_root(out, c, &indent),
                    GeoJson::Feature(f) => self.fresh_feature(out, f, None, &indent),
                    GeoJson::Geometry(g) => self.fresh_geometry(out, g, &top, &indent),
                }
            }
        }
    }

    /// Writes object `obj`, letting `value` write the value of each member that counts (see
    /// [`Object::counts`]): it returns `true` when it wrote one, `false` to keep the text.
    fn object_with(
        &self,
        out: &mut String,
        obj: &Object,
        mut value: impl FnMut(&mut String, &spans::Member) -> Option<bool>,
    ) -> Option<()> {
        let mut cursor = obj.span.start;
        for m in &obj.members {
            if !obj.counts(m) {
                continue;
            }
            let span = m.value.span();
            let mark = out.len();
            out.push_str(self.text.get(cursor..span.start)?);
            if value(out, m)? {
                cursor = span.end;
            } else {
                out.truncate(mark);
            }
        }
        self.copy(out, cursor..obj.span.end)
    }

    fn collection(
        &self,
        out: &mut String,
        c: &FeatureCollection,
        o: &FeatureCollection,
        obj: &Object,
    ) -> Option<()> {
        obj.get("features")?;
        self.object_with(out, obj, |out, m| match m.key.as_str() {
            "features" => {
                self.features(out, &c.features, &o.features, m.value.as_array()?)?;
                Some(true)
            }
            "bbox" => self.bbox(out, &m.value, None),
            _ => Some(false),
        })
    }

    /// The `features` list: features matched with their text, new ones added, gone ones
    /// dropped with their separator.
    fn features(
        &self,
        out: &mut String,
        cur: &[Feature],
        old: &[Feature],
        arr: &spans::Array,
    ) -> Option<()> {
        if arr.items.len() != old.len() {
            return None;
        }
        let mut cur_origins: Vec<Vec<Option<usize>>> = vec![Vec::new(); cur.len()];
        for s in &self.doc.shapes {
            if let Some(list) = s.location.feature.and_then(|f| cur_origins.get_mut(f)) {
                list.push(s.origin);
            }
        }
        let mut old_sources: Vec<Vec<Option<usize>>> = vec![Vec::new(); old.len()];
        for (j, l) in self.old_locations.iter().enumerate() {
            if let Some(list) = l.feature.and_then(|f| old_sources.get_mut(f)) {
                list.push(Some(j));
            }
        }
        let pairs = greedy(cur.len(), old.len(), |i, j| {
            cur_origins[i] == old_sources[j] && (std::ptr::eq(&cur[i], &old[j]) || cur[i] == old[j])
        });
        self.json_list(
            out,
            arr,
            &pairs,
            |s| &s.features,
            |out, j, i| {
                let obj = arr.items.get(j)?.as_object()?;
                self.feature(out, cur.get(i)?, old.get(j)?, obj, Some(i), Some(j))
            },
            |out, i, indent| self.fresh_feature(out, cur.get(i)?, Some(i), indent),
        )
    }

    /// A JSON list of the source (features or a collection's geometries) written as `pairs`
    /// say: an item of the source (`j`) now at `i` by `kept`, a new one by `added`.
    fn json_list(
        &self,
        out: &mut String,
        arr: &spans::Array,
        pairs: &[Pair],
        layout: fn(&Style) -> &Layout,
        mut kept: impl FnMut(&mut String, usize, usize) -> Option<()>,
        mut added: impl FnMut(&mut String, usize, &str) -> Option<()>,
    ) -> Option<()> {
        self.list(
            out,
            arr.span.start,
            arr.span.end.saturating_sub(1),
            &arr.item_spans(),
            pairs,
            || layout(self.style()).clone(),
            |out, pair, indent| match pair {
                Pair::Same(j, i) | Pair::Changed(j, i) => kept(out, j, i),
                Pair::Add(i) => added(out, i, indent),
            },
        )
    }

    fn feature(
        &self,
        out: &mut String,
        c: &Feature,
        o: &Feature,
        obj: &Object,
        i: Option<usize>,
        j: Option<usize>,
    ) -> Option<()> {
        let loc_c = ShapeLocation {
            feature: i,
            collection_path: Vec::new(),
        };
        let loc_o = ShapeLocation {
            feature: j,
            collection_path: Vec::new(),
        };
        if c.geometry.is_some() && obj.get("geometry").is_none() {
            return None;
        }
        self.object_with(out, obj, |out, m| match m.key.as_str() {
            "geometry" => match (&c.geometry, &o.geometry) {
                (Some(cg), Some(og)) => {
                    self.geometry(out, cg, og, &m.value, &loc_c, &loc_o)?;
                    Some(true)
                }
                (None, None) => Some(false),
                (None, Some(_)) => {
                    out.push_str("null");
                    Some(true)
                }
                (Some(cg), None) => {
                    let indent = line_indent(self.text, m.key_span.start).to_string();
                    self.fresh_geometry(out, cg, &loc_c, &indent)?;
                    Some(true)
                }
            },
            "bbox" => self.bbox(out, &m.value, Some(&loc_c)),
            _ => Some(false),
        })
    }

    /// Whether geometry `c` (at `loc_c` now) is geometry `o` of the source (at `loc_o`): equal
    /// apart from polygon coordinates, and holding the shapes read from there.
    fn geometry_matches(
        &self,
        c: &Geometry,
        loc_c: &ShapeLocation,
        o: &Geometry,
        loc_o: &ShapeLocation,
    ) -> bool {
        let origins: Vec<Option<usize>> = self
            .doc
            .shapes
            .iter()
            .filter(|s| within(&s.location, loc_c))
            .map(|s| s.origin)
            .collect();
        let sources: Vec<Option<usize>> = self
            .old_locations
            .iter()
            .enumerate()
            .filter(|(_, l)| within(l, loc_o))
            .map(|(j, _)| Some(j))
            .collect();
        origins == sources && c == o
    }

    fn geometry(
        &self,
        out: &mut String,
        c: &Geometry,
        o: &Geometry,
        node: &Node,
        loc_c: &ShapeLocation,
        loc_o: &ShapeLocation,
    ) -> Option<()> {
        let indent = || line_indent(self.text, node.span().start).to_string();
        match (&c.value, &o.value) {
            (
                GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. },
                GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. },
            ) => self.shape_geometry(out, node.as_object()?, loc_c, loc_o),
            (
                GeometryValue::GeometryCollection { geometries: cm },
                GeometryValue::GeometryCollection { geometries: om },
            ) => {
                let obj = node.as_object()?;
                obj.get("geometries")?;
                self.object_with(out, obj, |out, m| match m.key.as_str() {
                    "geometries" => {
                        let arr = m.value.as_array()?;
                        if arr.items.len() != om.len() {
                            return None;
                        }
                        let pairs = greedy(cm.len(), om.len(), |i, j| {
                            self.geometry_matches(
                                &cm[i],
                                &child(loc_c, i),
                                &om[j],
                                &child(loc_o, j),
                            )
                        });
                        self.json_list(
                            out,
                            arr,
                            &pairs,
                            |s| &s.geometries,
                            |out, j, i| {
                                let (here, there) = (child(loc_c, i), child(loc_o, j));
                                let node = arr.items.get(j)?;
                                self.geometry(out, cm.get(i)?, om.get(j)?, node, &here, &there)
                            },
                            |out, i, indent| {
                                self.fresh_geometry(out, cm.get(i)?, &child(loc_c, i), indent)
                            },
                        )?;
                        Some(true)
                    }
                    "bbox" => self.bbox(out, &m.value, Some(loc_c)),
                    _ => Some(false),
                })
            }
            // The geometry was wrapped into a new collection (a shape added next to it).
            (GeometryValue::GeometryCollection { geometries: cm }, _) => {
                self.fresh_collection(out, c, cm, loc_c, Some((o, node, loc_o)), &indent())
            }
            // A collection was taken apart again: keep the text of the member that is left.
            (_, GeometryValue::GeometryCollection { geometries: om }) => {
                let members = &node.as_object()?.get("geometries")?.value.as_array()?.items;
                for (j, og) in om.iter().enumerate() {
                    if self.geometry_matches(c, loc_c, og, &child(loc_o, j)) {
                        return self.geometry(out, c, og, members.get(j)?, loc_c, &child(loc_o, j));
                    }
                }
                self.fresh_geometry(out, c, loc_c, &indent())
            }
            _ if c == o => self.copy(out, node.span()),
            _ => self.fresh_geometry(out, c, loc_c, &indent()),
        }
    }

    /// A Polygon/MultiPolygon geometry object of the source, for the shape now at `loc_c`.
    fn shape_geometry(
        &self,
        out: &mut String,
        obj: &Object,
        loc_c: &ShapeLocation,
        loc_o: &ShapeLocation,
    ) -> Option<()> {
        let shape = self.doc.shapes.get(*self.cur_index.get(loc_c)?)?;
        let source = *self.old_index.get(loc_o)?;
        let old_kind = match type_of(self.text, obj)? {
            "Polygon" => ShapeKind::Polygon,
            "MultiPolygon" => ShapeKind::MultiPolygon,
            _ => return None,
        };
        let new_kind = shape.written_kind();
        if shape.origin == Some(source) && !shape.is_modified() && old_kind == new_kind {
            return self.copy(out, obj.span.clone());
        }
        obj.get("coordinates")?;
        self.object_with(out, obj, |out, m| match m.key.as_str() {
            "type" if old_kind != new_kind => {
                out.push_str(&json_string(kind_name(new_kind)));
                Some(true)
            }
            "coordinates" => {
                self.coordinates(out, shape, source, old_kind, m.value.span())?;
                Some(true)
            }
            "bbox" => self.bbox(out, &m.value, Some(loc_c)),
            _ => Some(false),
        })
    }

    /// The fingerprints of the polygons of the source at `items` (taken from the shape when it
    /// was read from there).
    fn old_polygon_keys(
        &self,
        shape: &Shape,
        source: usize,
        items: &[Range<usize>],
    ) -> Option<Vec<u64>> {
        if shape.origin == Some(source) && shape.original_polygon_fingerprints.len() == items.len()
        {
            let mut keys = shape.original_polygon_fingerprints.clone();
            if shape.close_rings {
                // Polygons with rings to close differ from what the model holds.
                for (p, _) in &shape.unclosed_as_read {
                    if let Some(k) = keys.get_mut(*p) {
                        *k ^= TO_CLOSE;
                    }
                }
            }
            return Some(keys);
        }
        items
            .iter()
            .map(|span| {
                let p = spans::polygon(self.text, span.clone())?;
                let values = p
                    .items
                    .iter()
                    .map(|r| ring_values(self.text, r))
                    .collect::<Option<Vec<_>>>()?;
                let unclosed = values
                    .iter()
                    .any(|v| opened(v).len() == v.len() && v.len() >= 2);
                let rings = values.iter().map(|v| opened(v).to_vec()).collect();
                let key = Fingerprint::of_polygon(&Polygon { rings });
                Some(if shape.close_rings && unclosed {
                    key ^ TO_CLOSE
                } else {
                    key
                })
            })
            .collect()
    }

    /// The `coordinates` of a changed shape.
    fn coordinates(
        &self,
        out: &mut String,
        shape: &Shape,
        source: usize,
        old_kind: ShapeKind,
        span: Range<usize>,
    ) -> Option<()> {
        let text = self.text;
        let new_keys = &shape.polygon_fingerprints;
        // A polygon without rings cannot be read back inside a MultiPolygon (the `geojson`
        // crate rejects `[[]]`) and means nothing there: it is left out.
        let kept: Vec<&Polygon> = shape
            .polygons
            .iter()
            .filter(|p| !p.rings.is_empty())
            .collect();
        let kept_keys: Vec<u64> = shape
            .polygons
            .iter()
            .zip(new_keys)
            .filter(|(p, _)| !p.rings.is_empty())
            .map(|(_, k)| *k)
            .collect();
        match (old_kind, shape.written_kind()) {
            (ShapeKind::Polygon, ShapeKind::Polygon) => {
                let Some(new) = shape.polygons.first() else {
                    out.push_str("[]");
                    return Some(());
                };
                let old_keys = self.old_polygon_keys(shape, source, std::slice::from_ref(&span))?;
                if old_keys.first() == new_keys.first() {
                    return self.copy(out, span);
                }
                self.polygon(out, new, &spans::polygon(text, span)?, shape.close_rings)
            }
            (ShapeKind::MultiPolygon, ShapeKind::MultiPolygon) => {
                let list = spans::list(text, span)?;
                let old_keys = self.old_polygon_keys(shape, source, &list.items)?;
                let pairs = align(&old_keys, &kept_keys);
                let sibling = OnceCell::new();
                let sibling = || {
                    sibling
                        .get_or_init(|| {
                            list.items
                                .first()
                                .and_then(|s| spans::polygon(text, s.clone()))
                        })
                        .as_ref()
                };
                self.coords_list(
                    out,
                    (list.open, list.close, &list.items),
                    &pairs,
                    MULTI,
                    |out, j, i| {
                        let old = spans::polygon(text, list.items.get(j)?.clone())?;
                        self.polygon(out, kept.get(i)?, &old, shape.close_rings)
                    },
                    |out, i, indent| self.fresh_polygon(out, kept.get(i)?, sibling(), indent),
                )
            }
            (ShapeKind::Polygon, ShapeKind::MultiPolygon) => {
                // The polygon becomes the first of a list; it keeps its text.
                let old_keys = self.old_polygon_keys(shape, source, std::slice::from_ref(&span))?;
                let pairs = align(&old_keys, &kept_keys);
                self.list(
                    out,
                    span.start,
                    span.end.saturating_sub(1),
                    &[],
                    &pairs,
                    || self.style().coords[MULTI].clone(),
                    |out, pair, indent| match pair {
                        Pair::Same(..) => self.copy(out, span.clone()),
                        Pair::Changed(_, i) => self.polygon(
                            out,
                            kept.get(i)?,
                            &spans::polygon(text, span.clone())?,
                            shape.close_rings,
                        ),
                        Pair::Add(i) => self.fresh_polygon(out, kept.get(i)?, None, indent),
                    },
                )
            }
            (ShapeKind::MultiPolygon, ShapeKind::Polygon) => {
                let Some(new) = shape.polygons.first() else {
                    out.push_str("[]");
                    return Some(());
                };
                let list = spans::list(text, span.clone())?;
                let old_keys = self.old_polygon_keys(shape, source, &list.items)?;
                match old_keys.iter().position(|k| Some(k) == new_keys.first()) {
                    Some(j) => self.copy(out, list.items.get(j)?.clone()),
                    None => match list.items.first() {
                        Some(first) => self.polygon(
                            out,
                            new,
                            &spans::polygon(text, first.clone())?,
                            shape.close_rings,
                        ),
                        None => {
                            let indent = line_indent(text, span.start).to_string();
                            self.fresh_polygon(out, new, None, &indent)
                        }
                    },
                }
            }
        }
    }

    /// A changed polygon, against its text. Rings not closed in the text stay so unless
    /// `close` (then every ring written is closed).
    fn polygon(&self, out: &mut String, new: &Polygon, old: &PolyText, close: bool) -> Option<()> {
        let old_values = old
            .items
            .iter()
            .map(|r| ring_values(self.text, r))
            .collect::<Option<Vec<_>>>()?;
        let unclosed = |v: &[LonLat]| v.len() >= 2 && opened(v).len() == v.len();
        let old_keys: Vec<u64> = old_values
            .iter()
            .map(|v| {
                let key = ring_key(opened(v));
                if close && unclosed(v) {
                    key ^ TO_CLOSE
                } else {
                    key
                }
            })
            .collect();
        let new_keys: Vec<u64> = new.rings.iter().map(|r| ring_key(r)).collect();
        let pairs = align(&old_keys, &new_keys);
        let spans: Vec<Range<usize>> = old.items.iter().map(RingText::span).collect();
        self.coords_list(
            out,
            (old.open, old.close, &spans),
            &pairs,
            POLYGON,
            |out, j, i| {
                let values = old_values.get(j)?;
                let keep_open = !close && unclosed(values);
                self.ring(out, new.rings.get(i)?, old.items.get(j)?, values, keep_open)
            },
            |out, i, indent| self.fresh_ring(out, new.rings.get(i)?, old.items.first(), indent),
        )
    }

    /// A changed ring, against its text: positions equal by value keep their bytes. Written
    /// closed unless `keep_open` (a ring the file leaves open stays so).
    fn ring(
        &self,
        out: &mut String,
        new: &[LonLat],
        old: &RingText,
        old_values: &[LonLat],
        keep_open: bool,
    ) -> Option<()> {
        // A ring left open whose last position now equals its first would read back one
        // position short: it gets its closing position after all.
        let looks_closed = new.len() >= 2
            && new.first().map(|p| position_key(*p)) == new.last().map(|p| position_key(*p));
        let closing = if keep_open && !looks_closed {
            None
        } else {
            new.first()
        };
        let closed: Vec<LonLat> = new.iter().chain(closing).copied().collect();
        let old_keys: Vec<(u64, u64)> = old_values.iter().map(|p| position_key(*p)).collect();
        let new_keys: Vec<(u64, u64)> = closed.iter().map(|p| position_key(*p)).collect();
        let pairs = align(&old_keys, &new_keys);
        let same_length = old_keys.len() == new_keys.len();
        let by_value: OnceCell<HashMap<(u64, u64), usize>> = OnceCell::new();
        let by_value = || {
            by_value.get_or_init(|| {
                let mut m = HashMap::with_capacity(old_keys.len());
                for (j, k) in old_keys.iter().enumerate() {
                    m.entry(*k).or_insert(j);
                }
                m
            })
        };
        let spans: Vec<Range<usize>> = old.items.iter().map(|p| p.span.clone()).collect();
        self.coords_list(
            out,
            (old.open, old.close, &spans),
            &pairs,
            RING,
            |out, j, i| {
                let want = *new_keys.get(i)?;
                // A reversed ring: the mirror position holds this value (and its text).
                let mirror = old_keys.len().checked_sub(i + 1);
                match mirror.filter(|m| same_length && old_keys.get(*m) == Some(&want)) {
                    Some(m) => self.copy(out, spans.get(m)?.clone()),
                    None => self.rewrite_position(out, old.items.get(j)?, *closed.get(i)?),
                }
            },
            |out, i, indent| match by_value().get(new_keys.get(i)?) {
                Some(k) => self.copy(out, spans.get(*k)?.clone()),
                None => self.fresh_position(out, *closed.get(i)?, old.items.first(), indent),
            },
        )
    }

    /// A coordinate list of the source at nesting `level` (`[` at `open`, `]` at `close`,
    /// items at `items`) written as `pairs` say: an unchanged item keeps its text, a changed
    /// one (source `j`, now `i`) is written by `changed`, a new one by `added`.
    fn coords_list(
        &self,
        out: &mut String,
        (open, close, items): (usize, usize, &[Range<usize>]),
        pairs: &[Pair],
        level: usize,
        mut changed: impl FnMut(&mut String, usize, usize) -> Option<()>,
        mut added: impl FnMut(&mut String, usize, &str) -> Option<()>,
    ) -> Option<()> {
        self.list(
            out,
            open,
            close,
            items,
            pairs,
            || self.style().coords[level].clone(),
            |out, pair, indent| match pair {
                Pair::Same(j, _) => self.copy(out, items.get(j)?.clone()),
                Pair::Changed(j, i) => changed(out, j, i),
                Pair::Add(i) => added(out, i, indent),
            },
        )
    }

    /// A position moved in place: new number text where the value changed, the rest (spacing,
    /// altitude) kept.
    fn rewrite_position(&self, out: &mut String, old: &PosText, p: LonLat) -> Option<()> {
        self.copy(out, old.span.start..old.lon.start)?;
        self.number_at(out, old.lon.clone(), p.lon)?;
        self.copy(out, old.lon.end..old.lat.start)?;
        self.number_at(out, old.lat.clone(), p.lat)?;
        self.copy(out, old.lat.end..old.span.end)
    }

    /// The number text at `span` if it already says `x`, else `x` as new text.
    fn number_at(&self, out: &mut String, span: Range<usize>, x: f64) -> Option<()> {
        if spans::number(self.text, span.clone()) == Some(x) {
            self.copy(out, span)
        } else {
            out.push_str(&style::number(x));
            Some(())
        }
    }

    /// A new position: shaped like `template` (a position of the same ring, without its
    /// altitude) or, without one, in the file's style.
    fn fresh_position(
        &self,
        out: &mut String,
        p: LonLat,
        template: Option<&PosText>,
        indent: &str,
    ) -> Option<()> {
        match template {
            Some(t) => {
                self.copy(out, t.span.start..t.lon.start)?;
                out.push_str(&style::number(p.lon));
                self.copy(out, t.lon.end..t.lat.start)?;
                out.push_str(&style::number(p.lat));
                self.copy(out, t.last..t.span.end)
            }
            None => {
                self.style().position(out, p, indent);
                Some(())
            }
        }
    }

    /// A new ring (closed): shaped like `sibling` (a ring of the same polygon) or, without
    /// one, in the file's style.
    fn fresh_ring(
        &self,
        out: &mut String,
        ring: &[LonLat],
        sibling: Option<&RingText>,
        indent: &str,
    ) -> Option<()> {
        let Some(sib) = sibling.filter(|s| !s.items.is_empty()) else {
            self.style().ring(out, ring, indent);
            return Some(());
        };
        let spans: Vec<Range<usize>> = sib.items.iter().map(|p| p.span.clone()).collect();
        let closed: Vec<LonLat> = ring.iter().chain(ring.first()).copied().collect();
        let template = sib.items.first();
        self.like(out, sib.open, sib.close, &spans, closed.len(), |out, k| {
            self.fresh_position(out, *closed.get(k)?, template, indent)
        })
    }

    /// A new polygon: shaped like `sibling` (a polygon of the same list) or, without one, in
    /// the file's style.
    fn fresh_polygon(
        &self,
        out: &mut String,
        polygon: &Polygon,
        sibling: Option<&PolyText>,
        indent: &str,
    ) -> Option<()> {
        let Some(sib) = sibling.filter(|s| !s.items.is_empty()) else {
            self.style().polygon(out, &polygon.rings, indent);
            return Some(());
        };
        let spans: Vec<Range<usize>> = sib.items.iter().map(RingText::span).collect();
        let ring_indent = spans
            .first()
            .map_or(indent, |s| line_indent(self.text, s.start))
            .to_string();
        self.like(
            out,
            sib.open,
            sib.close,
            &spans,
            polygon.rings.len(),
            |out, k| self.fresh_ring(out, polygon.rings.get(k)?, sib.items.first(), &ring_indent),
        )
    }

    /// A new list of `n` items with the brackets, spacing and separators of the list of the
    /// source at `open`..`close` (which has items).
    fn like(
        &self,
        out: &mut String,
        open: usize,
        close: usize,
        items: &[Range<usize>],
        n: usize,
        mut item: impl FnMut(&mut String, usize) -> Option<()>,
    ) -> Option<()> {
        let (first, last) = (items.first()?, items.last()?);
        let head = self.text.get(open + 1..first.start)?;
        let sep = match items.get(1) {
            Some(second) => self.text.get(first.end..second.start)?.to_string(),
            None => format!(",{head}"),
        };
        if n == 0 {
            out.push_str("[]");
            return Some(());
        }
        out.push('[');
        out.push_str(head);
        for k in 0..n {
            if k > 0 {
                out.push_str(&sep);
            }
            item(out, k)?;
        }
        self.copy(out, last.end..close)?;
        out.push(']');
        Some(())
    }

    /// Writes a list of the source (`[` at `open`, `]` at `close`, items at `old`) as the new
    /// items `pairs` say: kept items keep the separator that was between them, others get
    /// the list's usual one; an empty list of the source is laid out as `layout` says.
    #[allow(clippy::too_many_arguments)]
    fn list(
        &self,
        out: &mut String,
        open: usize,
        close: usize,
        old: &[Range<usize>],
        pairs: &[Pair],
        layout: impl Fn() -> Layout,
        mut item: impl FnMut(&mut String, Pair, &str) -> Option<()>,
    ) -> Option<()> {
        let text = self.text;
        if pairs.is_empty() {
            // An empty list of the source keeps its spacing (`[ ]`).
            let was_empty = text
                .get(open + 1..close)
                .is_some_and(|inner| inner.trim().is_empty());
            if old.is_empty() && was_empty {
                return self.copy(out, open..close + 1);
            }
            out.push_str("[]");
            return Some(());
        }
        let (Some(first), Some(last)) = (old.first(), old.last()) else {
            let indent = line_indent(text, open).to_string();
            let layout = layout();
            let style = self.style();
            out.push('[');
            for (k, pair) in pairs.iter().enumerate() {
                let inner = style.item(out, &layout, &indent, k);
                item(out, *pair, &inner)?;
            }
            style.end(out, &layout, &indent, pairs.len(), ']');
            return Some(());
        };
        let head = text.get(open + 1..first.start)?;
        let typical = match old.get(1) {
            Some(second) => text.get(first.end..second.start)?.to_string(),
            None => format!(",{head}"),
        };
        let indent = line_indent(text, first.start).to_string();
        out.push('[');
        out.push_str(head);
        let mut previous: Option<usize> = None;
        for (k, pair) in pairs.iter().enumerate() {
            let this = pair.old();
            if k > 0 {
                match (previous, this) {
                    (Some(a), Some(b)) if b == a + 1 => {
                        self.copy(out, old.get(a)?.end..old.get(b)?.start)?;
                    }
                    _ => out.push_str(&typical),
                }
            }
            item(out, *pair, &indent)?;
            previous = this;
        }
        self.copy(out, last.end..close)?;
        out.push(']');
        Some(())
    }

    /// A `bbox` member of an object whose shapes (those within `scope`, all for `None`)
    /// changed: its numbers recomputed where they differ. `Some(false)` keeps it as it is.
    fn bbox(&self, out: &mut String, node: &Node, scope: Option<&ShapeLocation>) -> Option<bool> {
        let inside = |l: &ShapeLocation| scope.is_none_or(|s| within(l, s));
        let shapes: Vec<&Shape> = self
            .doc
            .shapes
            .iter()
            .filter(|s| inside(&s.location))
            .collect();
        if !shapes.iter().any(|s| s.is_modified()) {
            return Some(false);
        }
        let polygons = BoundingBox::of_points(
            shapes
                .iter()
                .flat_map(|s| s.polygons.iter())
                .flat_map(Polygon::vertices),
        );
        let others = BoundingBox::of_points(
            self.doc
                .others
                .iter()
                .filter(|o| inside(&o.location))
                .flat_map(|o| o.parts.iter().flatten().copied()),
        );
        let (Some(b), Some(arr)) = (BoundingBox::merge(polygons, others), node.as_array()) else {
            return Some(false);
        };
        if arr.items.len() != 4 {
            return Some(false);
        }
        let mark = out.len();
        let mut changed = false;
        let mut cursor = arr.span.start;
        for (item, x) in arr
            .items
            .iter()
            .zip([b.min.lon, b.min.lat, b.max.lon, b.max.lat])
        {
            let span = item.span();
            self.copy(out, cursor..span.start)?;
            if spans::number(self.text, span.clone()) == Some(x) {
                self.copy(out, span.clone())?;
            } else {
                out.push_str(&style::number(x));
                changed = true;
            }
            cursor = span.end;
        }
        self.copy(out, cursor..arr.span.end)?;
        if !changed {
            out.truncate(mark);
        }
        Some(changed)
    }

    /// A JSON value written compactly with the file's colon and separators (properties and
    /// foreign members of new objects, which are small).
    fn json(&self, out: &mut String, v: &JsonValue) {
        let style = self.style();
        let sep = match &style.coords[0] {
            Layout::Inline { sep, .. } if !sep.contains('\n') => sep.clone(),
            _ => ", ".to_string(),
        };
        match v {
            JsonValue::Array(items) => {
                out.push('[');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(&sep);
                    }
                    self.json(out, item);
                }
                out.push(']');
            }
            JsonValue::Object(map) if map.is_empty() => {
                // `{ }` in files that pad their braces (GDAL's), `{}` elsewhere.
                match &style.feature {
                    Layout::Inline { open, .. } if open == " " => out.push_str("{ }"),
                    _ => out.push_str("{}"),
                }
            }
            JsonValue::Object(map) => {
                out.push('{');
                for (k, (key, item)) in map.iter().enumerate() {
                    if k > 0 {
                        out.push_str(&sep);
                    }
                    out.push_str(&json_string(key));
                    out.push_str(style.colon.trim_end_matches('\n'));
                    self.json(out, item);
                }
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }

    /// Starts a new object laid out as `layout` with its `"type"` member (`kind`, a JSON
    /// string); members follow through [`FreshObject::key`].
    fn fresh_object<'s>(
        &'s self,
        out: &mut String,
        layout: &'s Layout,
        indent: &'s str,
        kind: &str,
    ) -> FreshObject<'s> {
        let mut object = FreshObject {
            style: self.style(),
            layout,
            indent,
            k: 0,
        };
        out.push('{');
        object.key(out, "type");
        out.push_str(kind);
        object
    }

    /// The foreign members of a new object, in order.
    fn fresh_foreign(
        &self,
        out: &mut String,
        object: &mut FreshObject<'_>,
        members: Option<&geojson::JsonObject>,
    ) {
        for (key, v) in members.into_iter().flatten() {
            object.key(out, key);
            self.json(out, v);
        }
    }

    /// A new list laid out as `layout`: `each` writes item `i` at the indent it is given.
    fn fresh_list<T>(
        &self,
        out: &mut String,
        layout: &Layout,
        indent: &str,
        items: &[T],
        mut each: impl FnMut(&mut String, usize, &T, &str) -> Option<()>,
    ) -> Option<()> {
        let style = self.style();
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            let item_indent = style.item(out, layout, indent, i);
            each(out, i, item, &item_indent)?;
        }
        style.end(out, layout, indent, items.len(), ']');
        Some(())
    }

    fn fresh_feature(
        &self,
        out: &mut String,
        f: &Feature,
        i: Option<usize>,
        indent: &str,
    ) -> Option<()> {
        let loc = ShapeLocation {
            feature: i,
            collection_path: Vec::new(),
        };
        let mut object = self.fresh_object(out, &self.style().feature, indent, "\"Feature\"");
        if let Some(id) = &f.id {
            object.key(out, "id");
            out.push_str(&serde_json::to_string(id).ok()?);
        }
        if let Some(b) = &f.bbox {
            object.key(out, "bbox");
            self.json(out, &JsonValue::from(b.clone()));
        }
        object.key(out, "properties");
        match &f.properties {
            Some(p) => self.json(out, &JsonValue::Object(p.clone())),
            None => out.push_str("null"),
        }
        self.fresh_foreign(out, &mut object, f.foreign_members.as_ref());
        let inner = object.key(out, "geometry");
        match &f.geometry {
            Some(g) => self.fresh_geometry(out, g, &loc, &inner)?,
            None => out.push_str("null"),
        }
        object.close(out);
        Some(())
    }

    fn fresh_collection_root(
        &self,
        out: &mut String,
        c: &FeatureCollection,
        indent: &str,
    ) -> Option<()> {
        let style = self.style();
        let mut object = self.fresh_object(out, &style.root, indent, "\"FeatureCollection\"");
        self.fresh_foreign(out, &mut object, c.foreign_members.as_ref());
        let inner = object.key(out, "features");
        self.fresh_list(
            out,
            &style.features,
            &inner,
            &c.features,
            |out, i, f, at| self.fresh_feature(out, f, Some(i), at),
        )?;
        object.close(out);
        Some(())
    }

    /// A geometry that has no text yet, in the file's style.
    fn fresh_geometry(
        &self,
        out: &mut String,
        g: &Geometry,
        loc: &ShapeLocation,
        indent: &str,
    ) -> Option<()> {
        let style = self.style();
        match &g.value {
            GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. } => {
                let shape = self.doc.shapes.get(*self.cur_index.get(loc)?)?;
                let kind = shape.written_kind();
                let kind_text = json_string(kind_name(kind));
                let mut object = self.fresh_object(out, &style.geometry, indent, &kind_text);
                self.fresh_foreign(out, &mut object, g.foreign_members.as_ref());
                let inner = object.key(out, "coordinates");
                match kind {
                    ShapeKind::Polygon => match shape.polygons.first() {
                        Some(p) => style.polygon(out, &p.rings, &inner),
                        None => out.push_str("[]"),
                    },
                    ShapeKind::MultiPolygon => {
                        let kept: Vec<&Polygon> = shape
                            .polygons
                            .iter()
                            .filter(|p| !p.rings.is_empty())
                            .collect();
                        self.fresh_list(
                            out,
                            &style.coords[MULTI],
                            &inner,
                            &kept,
                            |out, _, p, at| {
                                style.polygon(out, &p.rings, at);
                                Some(())
                            },
                        )?;
                    }
                }
                object.close(out);
                Some(())
            }
            GeometryValue::GeometryCollection { geometries } => {
                self.fresh_collection(out, g, geometries, loc, None, indent)
            }
            // Points and lines never change; written compactly if one ever needs new text.
            _ => {
                out.push_str(&serde_json::to_string(g).ok()?);
                Some(())
            }
        }
    }

    /// A new GeometryCollection; a member that is `old` (a geometry of the source, at its node
    /// and location) keeps its text.
    fn fresh_collection(
        &self,
        out: &mut String,
        c: &Geometry,
        members: &[Geometry],
        loc_c: &ShapeLocation,
        old: Option<(&Geometry, &Node, &ShapeLocation)>,
        indent: &str,
    ) -> Option<()> {
        let style = self.style();
        let mut object = self.fresh_object(out, &style.geometry, indent, "\"GeometryCollection\"");
        self.fresh_foreign(out, &mut object, c.foreign_members.as_ref());
        let inner = object.key(out, "geometries");
        let mut old = old;
        self.fresh_list(out, &style.geometries, &inner, members, |out, i, m, at| {
            let here = child(loc_c, i);
            match old {
                Some((og, node, loc_o)) if self.geometry_matches(m, &here, og, loc_o) => {
                    old = None;
                    self.geometry(out, m, og, node, &here, loc_o)
                }
                _ => self.fresh_geometry(out, m, &here, at),
            }
        })?;
        object.close(out);
        Some(())
    }
}

/// A new object being written in the file's style: its members are counted so that each
/// gets the right separator and the closing brace the right indent.
struct FreshObject<'s> {
    style: &'s Style,
    layout: &'s Layout,
    indent: &'s str,
    k: usize,
}

impl FreshObject<'_> {
    /// Starts the next member, `"key"` and colon; returns the indent of its line.
    fn key(&mut self, out: &mut String, key: &str) -> String {
        let inner = self
            .style
            .member(out, self.layout, self.indent, self.k, key);
        self.k += 1;
        inner
    }

    /// Closes the object.
    fn close(self, out: &mut String) {
        self.style.end(out, self.layout, self.indent, self.k, '}');
    }
}

#[cfg(test)]
mod tests {
    use super::super::corpus_tests::{diff_region, inside_one_position};
    use super::super::edit::GeometryEdit;
    use super::super::model::{RingRef, VertexRef, ring_is_clockwise};
    use super::super::test_edits::{BBOX_FIXTURE, move_to};
    use super::super::test_styles::five_styles;
    use super::*;
    use serde_json::Value;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn ll(lon: f64, lat: f64) -> LonLat {
        LonLat::new(lon, lat)
    }

    /// Two features: a polygon with a hole, a multipolygon of two; properties, an id and a
    /// foreign member; every exterior counter-clockwise.
    const FIXTURE: &str = r#"{"type":"FeatureCollection","name":"fixture","features":[
        {"type":"Feature","id":7,"properties":{"name":"Park","tags":["a","b"],"n":{"x":1}},"geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,2],[2,2],[2,1],[1,1]]]}},
        {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[10,10],[11,10],[11,11],[10,10]]],[[[20,20],[21.5,20],[21,21.25],[20,20]]]]}}]}"#;

    /// A text with every number replaced by `#` and empty braces normalized: its layout.
    fn layout_of(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut in_number = false;
        for c in text.trim_start_matches('\u{feff}').chars() {
            let number_char = c.is_ascii_digit() || matches!(c, '-' | '.' | 'e' | 'E' | '+');
            if number_char && !in_number {
                out.push('#');
            }
            in_number = number_char;
            if !number_char {
                out.push(c);
            }
        }
        out
    }

    /// Applies `edit` to `text`, checks the result reads back as the edited model and that
    /// undoing gives the text back; returns the written text.
    fn edited(text: &str, edit: GeometryEdit) -> Result<String, Box<dyn std::error::Error>> {
        let mut doc = GeoDocument::parse(text)?;
        let inverse = doc.apply(edit)?;
        let out = in_place(&doc).ok_or("the in-place writer gave up")?;
        let again = GeoDocument::parse(&out)?;
        assert_eq!(again.shapes().len(), doc.shapes().len());
        for (a, b) in again.shapes().iter().zip(doc.shapes()) {
            let kept = |s: &Shape| -> Vec<Polygon> {
                s.polygons
                    .iter()
                    .filter(|p| !p.rings.is_empty())
                    .cloned()
                    .collect()
            };
            assert_eq!(kept(a), kept(b), "{out}");
        }
        // Properties and foreign members are untouched.
        let (before, after): (Value, Value) = (
            serde_json::from_str(text.trim_start_matches('\u{feff}'))?,
            serde_json::from_str(out.trim_start_matches('\u{feff}'))?,
        );
        assert_eq!(before.get("name"), after.get("name"));
        assert_eq!(before.get("crs"), after.get("crs"));
        doc.apply(inverse)?;
        assert_eq!(doc.to_file_text(), text, "undo gives the bytes back");
        Ok(out)
    }

    #[test]
    fn new_text_follows_the_layout_of_every_style() -> TestResult {
        let hole = vec![ll(2.5, 2.5), ll(3.5, 2.5), ll(3.5, 3.5)];
        let edits = [
            GeometryEdit::InsertVertex {
                at: VertexRef::new(0, 0, 0, 2),
                pos: ll(4.5, 2.0),
            },
            GeometryEdit::RemoveVertex {
                at: VertexRef::new(0, 0, 0, 3),
            },
            GeometryEdit::InsertRing {
                at: RingRef::new(0, 0, 2),
                vertices: hole.clone(),
            },
            GeometryEdit::InsertPolygon {
                shape: 1,
                index: 2,
                polygon: Polygon::from_exterior(vec![
                    ll(30.0, 30.0),
                    ll(31.0, 30.0),
                    ll(31.0, 31.0),
                ]),
            },
            GeometryEdit::RemovePolygon { shape: 1, index: 0 },
            GeometryEdit::AddShape {
                polygons: vec![Polygon::from_exterior(vec![
                    ll(5.0, 5.0),
                    ll(6.0, 5.0),
                    ll(6.0, 6.0),
                ])],
            },
            GeometryEdit::AddShape {
                polygons: vec![
                    Polygon::from_exterior(vec![ll(5.0, 5.0), ll(6.0, 5.0), ll(6.0, 6.0)]),
                    Polygon::from_exterior(vec![ll(7.0, 5.0), ll(8.0, 5.0), ll(8.0, 6.0)]),
                ],
            },
            GeometryEdit::RemoveShape { shape: 0 },
            GeometryEdit::RemoveShape { shape: 1 },
            GeometryEdit::SetRing {
                at: RingRef::new(0, 0, 1),
                vertices: vec![ll(1.0, 1.0), ll(1.0, 3.0), ll(3.0, 3.0), ll(3.0, 1.0)],
            },
        ];
        for (style, text) in five_styles(FIXTURE)? {
            for edit in &edits {
                let out = edited(&text, edit.clone())?;
                // Re-serialised in the same style, the file looks the same: what was added
                // follows the file's separators and indentation.
                let (_, restyled) = five_styles(&out)?
                    .into_iter()
                    .find(|(s, _)| *s == style)
                    .ok_or("style")?;
                assert_eq!(
                    layout_of(&out),
                    layout_of(&restyled),
                    "{style}: {edit:?}\n{out}"
                );
                assert_eq!(out.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
                assert_eq!(out.ends_with('\n'), text.ends_with('\n'));
                assert_eq!(out.contains("\r\n"), text.contains("\r\n"));
                assert_eq!(
                    out.replace("\r\n", "").contains('\n'),
                    text.replace("\r\n", "").contains('\n')
                );
            }
        }
        Ok(())
    }

    #[test]
    fn polygon_becoming_multipolygon_keeps_the_old_polygon_text() -> TestResult {
        for (style, text) in five_styles(FIXTURE)? {
            let doc = GeoDocument::parse(&text)?;
            let root = spans::scan(text.trim_start_matches('\u{feff}')).ok_or("scan")?;
            let body = text.trim_start_matches('\u{feff}');
            let first = root
                .as_object()
                .ok_or("root")?
                .get("features")
                .ok_or("features")?
                .value
                .as_array()
                .ok_or("array")?
                .items[0]
                .as_object()
                .ok_or("feature")?
                .get("geometry")
                .ok_or("g")?
                .value
                .as_object()
                .ok_or("geometry")?
                .get("coordinates")
                .ok_or("c")?
                .value
                .span();
            let polygon_text = &body[first];
            let out = edited(
                &text,
                GeometryEdit::InsertPolygon {
                    shape: 0,
                    index: 1,
                    polygon: Polygon::from_exterior(vec![ll(5.0, 5.0), ll(6.0, 5.0), ll(6.0, 6.0)]),
                },
            )?;
            assert!(out.contains(polygon_text), "{style}: {out}");
            assert!(out.contains("\"MultiPolygon\""), "{style}");
            assert_eq!(doc.shapes()[0].kind(), ShapeKind::Polygon);
        }
        Ok(())
    }

    #[test]
    fn finding8_london_like_drag_changes_one_position_and_keeps_the_winding() -> TestResult {
        // One minified line, 36 features of clockwise rings with 15-digit coordinates.
        let text = super::super::test_styles::london_like(1200);
        assert!(text.len() > 1_000_000 && !text.contains('\n'));
        let mut doc = GeoDocument::parse(&text)?;
        assert!(
            doc.shapes()
                .iter()
                .all(|s| ring_is_clockwise(&s.polygons[0].rings[0]) == Some(true))
        );
        let at = VertexRef::new(17, 0, 0, 700);
        let old = doc.shapes()[17].polygons[0].rings[0][700];
        doc.apply(move_to(at, old.lon + 0.0001, old.lat + 0.0001))?;
        let out = doc.to_file_text();
        assert!(!out.contains('\n'));
        let (a, b) = diff_region(&text, &out);
        assert!(inside_one_position(&text, &a) && inside_one_position(&out, &b));
        assert!(
            text.len().abs_diff(out.len()) <= 24,
            "{} -> {}",
            text.len(),
            out.len()
        );
        let again = GeoDocument::parse(&out)?;
        assert!(
            again
                .shapes()
                .iter()
                .all(|s| ring_is_clockwise(&s.polygons[0].rings[0]) == Some(true))
        );
        assert_eq!(again.shapes()[17].polygons, doc.shapes()[17].polygons);
        Ok(())
    }

    #[test]
    fn finding8_two_space_file_keeps_key_order_layout_and_no_final_newline() -> TestResult {
        // Members in an unusual order, positions on one line each, no final newline.
        let text = "{\n  \"features\": [\n    {\n      \"geometry\": {\n        \"coordinates\": [\n          [\n            [0, 0], [4, 0], [4, 4],\n            [0, 0]\n          ]\n        ],\n        \"type\": \"Polygon\"\n      },\n      \"type\": \"Feature\",\n      \"properties\": {\"b\": 1, \"a\": 2}\n    }\n  ],\n  \"type\": \"FeatureCollection\"\n}";
        let out = edited(text, move_to(VertexRef::new(0, 0, 0, 1), 4.25, 0.0))?;
        assert_eq!(out, text.replace("[4, 0]", "[4.25, 0]"));
        let out = edited(
            text,
            GeometryEdit::InsertVertex {
                at: VertexRef::new(0, 0, 0, 2),
                pos: ll(5.0, 2.0),
            },
        )?;
        assert_eq!(
            out,
            text.replace("[4, 0], [4, 4]", "[4, 0], [5, 2], [4, 4]")
        );
        Ok(())
    }

    #[test]
    fn altitudes_and_number_texts_of_untouched_positions_are_kept() -> TestResult {
        let text =
            r#"{"type":"Polygon","coordinates":[[[0,0,12.50],[1.0,0E0,13],[1,1,14],[0,0,12.50]]]}"#;
        let out = edited(text, move_to(VertexRef::new(0, 0, 0, 2), 1.5, 1.0))?;
        assert_eq!(out, text.replace("[1,1,14]", "[1.5,1,14]"));
        Ok(())
    }

    #[test]
    fn a_reversed_ring_is_the_exact_reverse() -> TestResult {
        let text = "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [0, 1.50], [1E0, 1], [1, 0], [0, 0]]]}\n";
        let out = edited(
            text,
            GeometryEdit::ReverseRing {
                at: RingRef::new(0, 0, 0),
            },
        )?;
        assert_eq!(
            out,
            "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1E0, 1], [0, 1.50], [0, 0]]]}\n"
        );
        Ok(())
    }

    #[test]
    fn open_rings_stay_open_until_closed_by_the_fix() -> TestResult {
        let text = r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4]],[[1,1],[1,2],[2,2],[1,1]]]}"#;
        let out = edited(text, move_to(VertexRef::new(0, 0, 0, 1), 5.0, 0.0))?;
        assert_eq!(out, text.replace("[4,0]", "[5,0]"));
        let mut doc = GeoDocument::parse(text)?;
        assert_eq!(doc.shapes()[0].unclosed_rings_as_read(), &[(0, 0)]);
        let fix = doc.closing_fix().ok_or("a fix")?;
        doc.apply(fix)?;
        assert!(doc.is_modified());
        assert_eq!(doc.to_file_text(), text.replace("[0,4]]", "[0,4],[0,0]]"));
        doc.mark_saved();
        assert!(doc.shapes()[0].unclosed_rings_as_read().is_empty());
        assert!(doc.closing_fix().is_none());
        Ok(())
    }

    #[test]
    fn bbox_members_are_recomputed_in_place() -> TestResult {
        // The collection's box spaced unlike the rest: its spacing is kept too.
        let text = BBOX_FIXTURE.replace("[0,0,11,11]", "[0, 0, 11, 11]");
        let out = edited(&text, move_to(VertexRef::new(0, 0, 0, 1), 2.0, -1.0))?;
        let expected = text
            .replace("\"bbox\":[0, 0, 11, 11]", "\"bbox\":[0, -1, 11, 11]")
            .replace("\"bbox\":[0,0,1,1]", "\"bbox\":[0,-1,2,1]")
            .replace("[1,0],[1,1]", "[2,-1],[1,1]");
        assert_eq!(out, expected);
        Ok(())
    }

    #[test]
    fn structure_changes_keep_the_rest_of_the_text() -> TestResult {
        // A bare polygon gets a neighbour: both in a new collection, the old text kept.
        let add_tri = |text| {
            edited(
                text,
                GeometryEdit::AddShape {
                    polygons: vec![Polygon::from_exterior(vec![
                        ll(5.0, 5.0),
                        ll(6.0, 5.0),
                        ll(6.0, 6.0),
                    ])],
                },
            )
        };
        let bare = "{\n  \"type\": \"Polygon\",\n  \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]\n}\n";
        let out = add_tri(bare)?;
        assert!(out.contains("\"GeometryCollection\""), "{out}");
        assert!(out.contains(bare.trim_end()), "{out}");
        assert!(out.ends_with("}\n"));
        // Removing it leaves an empty collection.
        let out = edited(bare, GeometryEdit::RemoveShape { shape: 0 })?;
        assert_eq!(
            GeoDocument::parse(&out)?.root_kind(),
            super::super::RootKind::FeatureCollection
        );
        // A feature without geometry gets one; its properties stay as they were.
        let feature =
            "{\"type\": \"Feature\", \"properties\": {\"z\": [1, 2]}, \"geometry\": null}";
        let out = add_tri(feature)?;
        assert!(out.starts_with("{\"type\": \"Feature\", \"properties\": {\"z\": [1, 2]}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[5, 5], [6, 5], [6, 6], [5, 5]]]}}"), "{out}");
        // Removing the middle feature removes its text and one separator only.
        let three = "[\n{\"type\": \"Feature\", \"properties\": {\"k\": 1}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},\n{\"type\": \"Feature\", \"properties\": {\"k\": 2}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},\n{\"type\": \"Feature\", \"properties\": {\"k\": 3}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}\n]";
        let text = format!("{{\"type\": \"FeatureCollection\", \"features\": {three}}}");
        let out = edited(&text, GeometryEdit::RemoveShape { shape: 1 })?;
        let second = text.lines().nth(2).ok_or("line")?;
        assert_eq!(out, text.replace(&format!("{second}\n"), ""));
        Ok(())
    }

    #[test]
    fn align_pairs() {
        use Pair::*;
        assert_eq!(
            align(&[1, 2, 3], &[1, 9, 3]),
            vec![Same(0, 0), Changed(1, 1), Same(2, 2)]
        );
        assert_eq!(
            align(&[1, 2, 3], &[1, 2, 9, 3]),
            vec![Same(0, 0), Same(1, 1), Add(2), Same(2, 3)]
        );
        assert_eq!(align(&[1, 2, 3], &[1, 3]), vec![Same(0, 0), Same(2, 1)]);
        assert_eq!(
            align(&[1, 2, 3, 4], &[1, 3, 2, 4]),
            vec![Same(0, 0), Changed(1, 1), Changed(2, 2), Same(3, 3)]
        );
        assert_eq!(
            align(&[1, 2, 3, 4, 5, 6], &[1, 3, 5, 6]),
            vec![Same(0, 0), Same(2, 1), Same(4, 2), Same(5, 3)]
        );
        assert_eq!(
            align(&[1, 2, 3], &[7, 8, 9, 10]),
            vec![Changed(0, 0), Changed(1, 1), Changed(2, 2), Add(3)]
        );
        assert_eq!(align::<u8>(&[], &[]), vec![]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any vertex moved in any style of the fixture changes that position's text only.
        #[test]
        fn any_moved_vertex_changes_one_position(style in 0usize..5, shape in 0usize..2, polygon in 0usize..2, ring in 0usize..2, vertex in 0usize..4, dlon in -1.0f64..1.0, dlat in -1.0f64..1.0) {
            let styles = five_styles(FIXTURE).map_err(proptest::test_runner::TestCaseError::fail)?;
            let (_, text) = &styles[style];
            let Ok(mut doc) = GeoDocument::parse(text) else { return Err(proptest::test_runner::TestCaseError::fail("parse")) };
            let Some(r) = doc.shape(shape).and_then(|s| s.polygons.get(polygon)).and_then(|p| p.rings.get(ring)) else { return Ok(()) };
            let Some(old) = r.get(vertex).copied() else { return Ok(()) };
            if vertex == 0 { return Ok(()) }
            let to = ll(old.lon + dlon, old.lat + dlat).rounded6();
            if doc.apply(GeometryEdit::MoveVertex { at: VertexRef::new(shape, polygon, ring, vertex), to }).is_err() { return Ok(()) }
            let out = doc.to_file_text();
            let (a, b) = diff_region(text, &out);
            proptest::prop_assert!(inside_one_position(text, &a) && inside_one_position(&out, &b));
        }
    }
}
