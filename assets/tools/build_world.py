#!/usr/bin/env python3
"""Build Casebook's offline country data: assets/world/world.bin and countries.tsv.

Inputs (npm packages, unpacked; see assets/world/README.md):
  --world-atlas DIR     world-atlas@2.0.2   (Natural Earth admin-0 as TopoJSON, 110m/50m/10m)
  --iso-countries DIR   i18n-iso-countries@7.14.0 (codes.json, langs/en.json)

Output (deterministic: the same inputs give the same bytes):
  world.bin      compact binary read by crates/casebook-core/src/countries/
  countries.tsv  the country table as text, for review in diffs (not read by the app)

Python 3 standard library only.

Binary layout (little-endian; "varint" = unsigned LEB128; "zz" = zigzag varint;
"str" = varint byte length + UTF-8):

  header   b"CBWORLD" + version u8 (= 1), u32 section count,
           then per section: tag [4]u8, offset u32 (from file start), length u32
  "CTRY"   varint country count; per country:
             iso2 [2]u8, iso3 [3]u8, varint numeric,
             str name, varint n + str alt names, varint n + str alt codes,
             u8 flags (bit 0: has a boundary at 10m),
             if bit 0: zz label lon, zz label lat, zz west, zz south, zz east, zz north
                       (all in micro-degrees; west > east when the box crosses 180°)
  "L110", "L050", "L010"   one level of detail each (Natural Earth 1:110m, 1:50m, 1:10m):
             f64 scale_x, scale_y, translate_x, translate_y   (lon = x * scale_x + translate_x)
             varint arc count; per arc: varint point count, then per point zz dx, zz dy
               (deltas from the previous point; the cursor runs on across arcs, from (0, 0))
             varint country entry count; per entry: varint country index, polygons
             land: polygons
             borders: varint count, then varint arc-index deltas (ascending)
           polygons = varint polygon count; per polygon: varint ring count (exterior first,
             then holes); per ring: varint arc-ref count, then zz arc refs
             (ref >= 0: arc in order; ref < 0: arc ~ref reversed, as in TopoJSON).
           A ring is its arcs' points joined (each arc after the first drops its first
           point, which repeats the previous arc's last one), without the closing point.
           Exterior rings run counter-clockwise, holes clockwise (RFC 7946).
"""

import hashlib
import heapq
import json
import math
import os
import struct
import sys
import unicodedata

from binfile import arguments, container, string, varint, zz

LEVELS = [("110m", b"L110"), ("50m", b"L050"), ("10m", b"L010")]
VERSION = 1

# Natural Earth features without an ISO numeric id, by name. ISO 3166-1 counts these areas
# as part of the named country (Kosovo has the user-assigned code XK / XKK).
UNNUMBERED = {
    "Kosovo": "XKK",
    "Somaliland": "SOM",
    "N. Cyprus": "CYP",
    "Cyprus U.N. Buffer Zone": "CYP",
    "Baikonur": "KAZ",
    "USNB Guantanamo Bay": "CUB",
    "Coral Sea Is.": "AUS",
    "Indian Ocean Ter.": "AUS",  # Split into CXR / CCK below.
}
# Kept without a country (disputed, or not in ISO 3166-1): they draw as land, but
# country_at() answers None there.
UNASSIGNED = {
    "Akrotiri",
    "Dhekelia",
    "Siachen Glacier",
    "Spratly Is.",
    "Scarborough Reef",
    "Bajo Nuevo Bank",
    "Serranilla Bank",
    "Clipperton I.",
}
# Natural Earth draws some ISO territories as part of their sovereign state. A polygon
# whose bounding-box centre falls in one of these boxes (west, south, east, north) is
# given to the territory instead.
SPLITS = {
    "FRA": [
        ("GUF", (-55.0, 1.5, -51.0, 6.5)),
        ("GLP", (-62.0, 15.7, -60.9, 16.6)),
        ("MTQ", (-61.4, 14.3, -60.7, 15.0)),
        ("MYT", (44.9, -13.2, 45.4, -12.5)),
        ("REU", (55.0, -21.5, 56.0, -20.7)),
    ],
    "NOR": [
        ("SJM", (-10.0, 70.0, -7.0, 72.0)),  # Jan Mayen
        ("SJM", (0.0, 74.0, 40.0, 82.0)),  # Svalbard
        ("BVT", (3.0, -54.7, 3.7, -54.2)),
    ],
    "NLD": [
        ("BES", (-68.5, 11.9, -68.1, 12.4)),  # Bonaire
        ("BES", (-63.4, 17.4, -62.8, 17.7)),  # Saba, Sint Eustatius
    ],
    "NZL": [("TKL", (-173.0, -10.0, -171.0, -8.0))],
    "AUS": [
        ("CXR", (105.4, -10.7, 105.8, -10.3)),
        ("CCK", (96.7, -12.3, 97.0, -11.7)),
    ],
}
# Common names that the i18n table lacks, so that search and suggestion find them.
EXTRA_NAMES = {
    "GB": ["Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "US": ["America"],
    "KR": ["Korea"],
    "KP": ["Democratic People's Republic of Korea"],
    "NL": ["Holland"],
    "MM": ["Burma"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia"],
    "TL": ["East Timor"],
    "VA": ["Vatican", "Vatican City"],
    "CV": ["Cabo Verde"],
    "LA": ["Laos"],
    "SY": ["Syria"],
    "MD": ["Moldova"],
    "FM": ["Micronesia"],
    "BN": ["Brunei"],
    "MO": ["Macau", "Macao SAR"],
    "HK": ["Hong Kong SAR", "Hongkong"],
    "VN": ["Viet Nam"],
    "CD": ["DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "AE": ["Emirates"],
    "FK": ["Falkland Islands"],
    "RE": ["Réunion"],
    "VI": ["US Virgin Islands"],
    "VG": ["British Virgin Islands"],
    "BS": ["The Bahamas"],
    "BA": ["Bosnia"],
    "BO": ["Plurinational State of Bolivia"],
    "VE": ["Bolivarian Republic of Venezuela"],
    "RU": ["Russian Federation"],
}
# Other codes people write for a country: EU and IOC codes, well-known abbreviations.
ALT_CODES = {
    "GB": ["UK"],
    "GR": ["EL", "GRE"],
    "DE": ["GER"],
    "NL": ["NED"],
    "CH": ["SUI"],
    "PT": ["POR"],
    "DK": ["DEN"],
    "HR": ["CRO"],
    "ZA": ["RSA"],
    "SA": ["KSA"],
    "AE": ["UAE"],
    "CN": ["PRC"],
    "KP": ["DPRK"],
    "CD": ["DRC"],
    "ID": ["INA"],
    "MY": ["MAS"],
    "PH": ["PHI"],
}


def fold(s):
    """Lowercase, without accents: for comparing names."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


# ---------------------------------------------------------------- encoding
# varint, zz, string and the file container are shared with the other builder (binfile.py).


def micro(deg):
    return int(round(deg * 1e6))


# ---------------------------------------------------------------- geometry helpers


def signed_area(pts):
    a = 0
    n = len(pts)
    for i in range(n):
        x1, y1 = pts[i]
        x2, y2 = pts[(i + 1) % n]
        a += x1 * y2 - x2 * y1
    return a / 2


def point_in_ring(x, y, pts):
    inside = False
    n = len(pts)
    j = n - 1
    for i in range(n):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(x, y, rings):
    return sum(point_in_ring(x, y, r) for r in rings) % 2 == 1


def seg_dist2(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    if dx or dy:
        t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
        if t > 1:
            ax, ay = bx, by
        elif t > 0:
            ax += dx * t
            ay += dy * t
    dx, dy = px - ax, py - ay
    return dx * dx + dy * dy


def signed_dist(x, y, rings):
    inside = False
    best = math.inf
    for pts in rings:
        n = len(pts)
        j = n - 1
        for i in range(n):
            ax, ay = pts[i]
            bx, by = pts[j]
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            best = min(best, seg_dist2(x, y, ax, ay, bx, by))
            j = i
    return (1 if inside else -1) * math.sqrt(best)


def polylabel(rings, precision):
    """Pole of inaccessibility (Mapbox's polylabel), in the rings' planar coordinates."""
    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    minx, miny, maxx, maxy = min(xs), min(ys), max(xs), max(ys)
    size = min(maxx - minx, maxy - miny)
    if size == 0:
        return (minx, miny)
    h = size / 2

    def cell(cx, cy, h):
        d = signed_dist(cx, cy, rings)
        return (-(d + h * math.sqrt(2)), cx, cy, h, d)

    heap = []
    x = minx
    while x < maxx:
        y = miny
        while y < maxy:
            heapq.heappush(heap, cell(x + h, y + h, h))
            y += size
        x += size
    # Start from the area centroid, then the box centre.
    a = 0
    cx = cy = 0
    pts = rings[0]
    for i in range(len(pts)):
        x1, y1 = pts[i]
        x2, y2 = pts[i - 1]
        f = x1 * y2 - x2 * y1
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
        a += f * 3
    best = cell(cx / a, cy / a, 0) if a else cell(pts[0][0], pts[0][1], 0)
    box = cell(minx + (maxx - minx) / 2, miny + (maxy - miny) / 2, 0)
    if box[4] > best[4]:
        best = box
    while heap:
        c = heapq.heappop(heap)
        if c[4] > best[4]:
            best = c
        if -c[0] - best[4] <= precision:
            continue
        h = c[3] / 2
        for dx in (-h, h):
            for dy in (-h, h):
                heapq.heappush(heap, cell(c[1] + dx, c[2] + dy, h))
    return (best[1], best[2])


# ---------------------------------------------------------------- topology


class Level:
    """One TopoJSON file: arcs in quantized integers, features as arc-ref rings."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            topo = json.load(f)
        t = topo["transform"]
        self.sx, self.sy = t["scale"]
        self.tx, self.ty = t["translate"]
        self.xmax = round((180 - self.tx) / self.sx)
        if abs(self.xmax * self.sx + self.tx - 180) > 1e-9 or self.tx != -180:
            sys.exit(f"{path}: longitudes are not quantized to exactly -180..180")
        self.arcs = []
        for arc in topo["arcs"]:
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x, y))
            self.arcs.append(pts)
        self.poles = set()
        self.features = topo["objects"]["countries"]["geometries"]
        land = topo["objects"]["land"]
        self.land = []
        for g in land["geometries"] if land["type"] == "GeometryCollection" else [land]:
            self.land += polygons_of(g)
        self.fix_antimeridian()

    def lonlat(self, p):
        return (p[0] * self.sx + self.tx, p[1] * self.sy + self.ty)

    def fix_antimeridian(self):
        """Put vertices on 180° on the side of their arc's other vertices.

        Natural Earth cuts shapes at 180°, but some vertices on the cut carry -180 in a
        ring that lies east of it (Russia, Fiji); in plain lon/lat that draws an edge across
        the whole map. Each such vertex takes the side of the nearest vertex in its arc that
        is not on the cut."""
        for pts in self.arcs:
            off = [i for i, p in enumerate(pts) if p[0] not in (0, self.xmax)]
            if not off:
                continue
            for i, p in enumerate(pts):
                if p[0] not in (0, self.xmax):
                    continue
                near = min(off, key=lambda j: abs(j - i))
                east = pts[near][0] > self.xmax / 2
                pts[i] = (self.xmax if east else 0, p[1])

    def arc_points(self, ref):
        return self.arcs[ref] if ref >= 0 else self.arcs[~ref][::-1]

    def ring_points(self, refs):
        out = []
        for k, ref in enumerate(refs):
            pts = self.arc_points(ref)
            if k and out[-1] != pts[0]:
                raise ValueError(f"arcs do not join: {out[-1]} -> {pts[0]}")
            out += pts if not k else pts[1:]
        if out[0] != out[-1]:
            raise ValueError("ring not closed")
        return out[:-1]

    def jumps(self, pts):
        return any(abs(a[0] - b[0]) > self.xmax / 2 for a, b in zip(pts, pts[1:] + pts[:1]))

    def add_arc(self, pts):
        self.arcs.append(pts)
        return len(self.arcs) - 1

    def pole_y(self, south):
        # Reach the pole after rounding to the grid (readers clamp latitudes to ±90°).
        return math.floor((-90 - self.ty) / self.sy) if south else math.ceil((90 - self.ty) / self.sy)

    def planar(self, refs):
        """One TopoJSON ring as rings that never cross 180° in plain lon/lat.

        Usually the ring as it is. A ring around a pole (Antarctica) is closed along the
        map's edge by an extra arc. A ring that crosses 180° (Fiji and Chukotka at 1:110m)
        is unwrapped, cut at the map's edges into pieces, and each piece becomes a new arc."""
        try:
            if not self.jumps(self.ring_points(refs)):
                return [refs]
        except ValueError:
            pass
        w = self.xmax
        pts = []
        for k, ref in enumerate(refs):
            arc = self.arc_points(ref)
            if k:
                arc = arc[1:]
            for x, y in arc:
                if pts:
                    px = pts[-1][0]
                    x = min((x - w, x, x + w), key=lambda c: abs(c - px))
                pts.append((x, y))
        dup = pts.pop()
        first = pts[0]
        if dup[1] != first[1] or (dup[0] - first[0]) % w != 0:
            raise ValueError(f"open ring {first} .. {dup}")
        if dup[0] != first[0]:
            # Around a pole: close along the pole's edge of the map.
            pole = self.pole_y(self.lonlat(first)[1] < 0)
            self.poles.add(pole)
            if 0 <= min(p[0] for p in pts) and max(p[0] for p in pts) <= w:
                # Already on the map: keep the arcs, add only the edge.
                end = self.arc_points(refs[-1])[-1]
                start = self.arc_points(refs[0])[0]
                edge = self.add_arc([end, (end[0], pole), (start[0], pole), start])
                return [refs + [edge]]
            pts += [dup, (dup[0], pole), (first[0], pole)]
        lo = min(p[0] for p in pts)
        hi = max(p[0] for p in pts)
        out = []
        for k in range(math.floor(lo / w), math.floor(hi / w) + 1):
            piece = clip(pts, k * w, (k + 1) * w)
            piece = [(x - k * w, y) for x, y in piece]
            piece = [p for i, p in enumerate(piece) if p != piece[i - 1]]
            if len(set(piece)) >= 3 and signed_area(piece) != 0:
                out.append([self.add_arc(piece + [piece[0]])])
        return out


def clip(pts, lo, hi):
    """Sutherland-Hodgman: the ring cut to lo <= x <= hi (y rounded to the grid)."""
    for inside, cut in ((lambda p: p[0] >= lo, lo), (lambda p: p[0] <= hi, hi)):
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur) != inside(prev):
                t = (cut - prev[0]) / (cur[0] - prev[0])
                out.append((cut, round(prev[1] + t * (cur[1] - prev[1]))))
            if inside(cur):
                out.append(cur)
        pts = out
        if not pts:
            break
    return pts


def polygons_of(g):
    if g["type"] == "Polygon":
        return [g["arcs"]]
    if g["type"] == "MultiPolygon":
        return list(g["arcs"])
    return []


def reverse_ring(refs):
    return [~r for r in reversed(refs)]


def merge_polygons(level, polys):
    """Dissolve shared arcs between polygons of one country (TopoJSON merge)."""
    uses = {}
    for poly in polys:
        for ring in poly:
            for r in ring:
                uses.setdefault(r if r >= 0 else ~r, []).append(r)
    inner = {a for a, rs in uses.items() if len(rs) == 2 and (rs[0] >= 0) != (rs[1] >= 0)}
    if not inner:
        return polys
    refs = [r for poly in polys for ring in poly for r in ring if (r if r >= 0 else ~r) not in inner]
    by_start = {}
    for r in refs:
        by_start.setdefault(level.arc_points(r)[0], []).append(r)
    rings = []
    left = set(refs)
    for r0 in refs:
        if r0 not in left:
            continue
        ring = [r0]
        left.discard(r0)
        start = level.arc_points(r0)[0]
        end = level.arc_points(r0)[-1]
        while end != start:
            nxt = [r for r in by_start.get(end, []) if r in left]
            if not nxt:
                raise ValueError("cannot stitch merged ring")
            ring.append(nxt[0])
            left.discard(nxt[0])
            end = level.arc_points(nxt[0])[-1]
        rings.append(ring)
    pts = [level.ring_points(r) for r in rings]
    area = [abs(signed_area(p)) for p in pts]

    def inside(i, j):
        votes = sum(point_in_ring(x, y, pts[j]) for x, y in pts[i][:: max(1, len(pts[i]) // 7)][:7])
        return votes * 2 > min(7, len(pts[i]))

    n = len(rings)
    containers = [[j for j in range(n) if j != i and area[j] > area[i] and inside(i, j)] for i in range(n)]
    out = {}
    for i in sorted(range(len(rings)), key=lambda i: -area[i]):
        if len(containers[i]) % 2 == 0:
            out[i] = [rings[i]]
    for i, cs in enumerate(containers):
        if len(cs) % 2 == 1:
            owner = min((j for j in cs if j in out), key=lambda j: area[j])
            out[owner].append(rings[i])
    return [out[i] for i in sorted(out, key=lambda i: -area[i])]


def orient(level, poly):
    """A TopoJSON polygon as planar polygons: exterior counter-clockwise, holes clockwise.

    Rings of fewer than 3 points are dropped; a polygon cut at 180° becomes several."""

    def rings(refs, exterior):
        out = []
        for r in level.planar(refs):
            pts = level.ring_points(r)
            if len(set(pts)) < 3 or signed_area(pts) == 0:
                continue
            edges = zip(pts, pts[1:] + pts[:1])
            jumps = [(a, b) for a, b in edges if abs(a[0] - b[0]) > level.xmax / 2]
            # Only the edge along a pole may run across the map.
            if not all(a[1] == b[1] and a[1] in level.poles for a, b in jumps):
                raise ValueError("ring still jumps across 180°")
            out.append((r if (signed_area(pts) > 0) == exterior else reverse_ring(r), pts))
        return out

    exteriors = rings(poly[0], True)
    holes = [h for refs in poly[1:] for h in rings(refs, False)]
    if len(exteriors) == 1:
        return [[exteriors[0][0]] + [h for h, _ in holes]]
    out = [[e] for e, _ in exteriors]
    for h, pts in holes:
        x, y = pts[0][0] + 0.5, pts[0][1] + 0.5
        owner = [i for i, (_, e) in enumerate(exteriors) if point_in_ring(x, y, e)]
        if len(owner) != 1:
            raise ValueError("cannot place a hole of a polygon cut at 180°")
        out[owner[0]].append(h)
    return out


# ---------------------------------------------------------------- countries


def load_iso(d):
    with open(os.path.join(d, "codes.json"), encoding="utf-8") as f:
        codes = json.load(f)
    with open(os.path.join(d, "langs", "en.json"), encoding="utf-8") as f:
        names = json.load(f)["countries"]
    table = []
    for iso2, iso3, num, _ in codes:
        n = names[iso2]
        n = n if isinstance(n, list) else [n]
        table.append({"iso2": iso2, "iso3": iso3, "numeric": int(num), "name": n[0], "alts": n[1:]})
    return table


def assign(level, iso_by_num, iso3s):
    """country iso3 -> list of polygons (arc-ref rings) for one level; also owners per arc."""
    by_country = {}
    owners = {}
    for g in level.features:
        name = g["properties"]["name"]
        if g.get("id") is not None:
            iso3 = iso_by_num[int(g["id"])]
        elif name in UNNUMBERED:
            iso3 = UNNUMBERED[name]
        elif name in UNASSIGNED:
            iso3 = None
        else:
            sys.exit(f"feature {name!r} has no id and no rule")
        for poly in polygons_of(g):
            target = iso3
            if iso3 in SPLITS:
                pts = level.ring_points(poly[0])
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                lon, lat = level.lonlat(((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
                for sub, (w, s, e, n) in SPLITS[iso3]:
                    if w <= lon <= e and s <= lat <= n:
                        target = sub
            key = target or "~" + name
            for ring in poly:
                for r in ring:
                    owners.setdefault(r if r >= 0 else ~r, set()).add(key)
            if target:
                if target not in iso3s:
                    sys.exit(f"{target} is not an ISO code")
                by_country.setdefault(target, []).append(poly)
    result = {}
    for iso3, polys in by_country.items():
        polys = merge_polygons(level, polys)
        polys = [q for p in polys for q in orient(level, p)]
        if polys:
            result[iso3] = polys
    borders = sorted(a for a, o in owners.items() if len(o) > 1)
    land = [q for p in level.land for q in orient(level, p)]
    return result, land, borders


def wrap_bbox(polys):
    """(west, south, east, north) of lon/lat polygons; west > east across 180°."""
    spans = sorted((min(x for x, _ in p[0]), max(x for x, _ in p[0])) for p in polys)
    south = min(y for p in polys for _, y in p[0])
    north = max(y for p in polys for _, y in p[0])
    merged = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    gap, west, east = merged[0][0] + 360 - merged[-1][1], merged[0][0], merged[-1][1]
    for (_, b), (a, _) in zip(merged, merged[1:]):
        if a - b > gap:
            gap, west, east = a - b, a, b
    return west, max(south, -90.0), east, min(north, 90.0)


def label_point(polys):
    """A point well inside the largest polygon: its pole of inaccessibility."""

    def area_km(p):
        lat = sum(y for _, y in p[0]) / len(p[0])
        return abs(signed_area(p[0])) * math.cos(math.radians(lat))

    poly = max(polys, key=area_km)
    lat0 = sum(y for _, y in poly[0]) / len(poly[0])
    k = math.cos(math.radians(lat0))
    scaled = [[(x * k, y) for x, y in ring] for ring in poly]
    # Search on a thinned copy (fast), then check against the full outline.
    step = max(1, sum(len(r) for r in scaled) // 1500)
    thin = [r[::step] if len(r) // step >= 4 else r for r in scaled]
    xs = [x for x, _ in scaled[0]]
    ys = [y for _, y in scaled[0]]
    precision = max(min(max(xs) - min(xs), max(ys) - min(ys)) / 200, 1e-5)
    for rings in (thin, scaled):
        x, y = polylabel(rings, precision)
        if point_in_polygon(x, y, scaled):
            return (x / k, y)
    # Tiny or odd shapes: any interior point near a vertex will do.
    for x, y in scaled[0]:
        for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            px, py = x + dx * 1e-4, y + dy * 1e-4
            if point_in_polygon(px, py, scaled):
                return (px / k, py)
    return (scaled[0][0][0] / k, scaled[0][0][1])


# ---------------------------------------------------------------- writing


def encode_polygons(polys):
    out = bytearray(varint(len(polys)))
    for poly in polys:
        out += varint(len(poly))
        for ring in poly:
            out += varint(len(ring))
            for r in ring:
                out += zz(r)
    return out


def encode_level(level, country_polys, order, land, borders):
    out = bytearray(struct.pack("<4d", level.sx, level.sy, level.tx, level.ty))
    out += varint(len(level.arcs))
    cx = cy = 0
    for pts in level.arcs:
        out += varint(len(pts))
        for x, y in pts:
            out += zz(x - cx) + zz(y - cy)
            cx, cy = x, y
    entries = [(order[iso3], polys) for iso3, polys in country_polys.items()]
    entries.sort()
    out += varint(len(entries))
    for idx, polys in entries:
        out += varint(idx) + encode_polygons(polys)
    out += encode_polygons(land)
    out += varint(len(borders))
    prev = 0
    for a in borders:
        out += varint(a - prev)
        prev = a
    return out


def main():
    args = arguments(__doc__, [
        ("--world-atlas", "/tmp/npmprobe/world-atlas-2.0.2"),
        ("--iso-countries", "/tmp/npmprobe/i18n-iso-countries-7.14.0"),
    ])

    table = load_iso(args.iso_countries)
    iso_by_num = {c["numeric"]: c["iso3"] for c in table}
    iso3s = {c["iso3"] for c in table}
    codes = {c["iso2"] for c in table} | iso3s
    by2 = {c["iso2"]: c for c in table}
    for iso2, extra in list(EXTRA_NAMES.items()) + list(ALT_CODES.items()):
        if iso2 not in by2:
            sys.exit(f"unknown code {iso2}")
    for iso2, alt in ALT_CODES.items():
        for a in alt:
            if a in codes:
                sys.exit(f"alternative code {a} collides with an ISO code")

    levels = {}
    for res, tag in LEVELS:
        level = Level(os.path.join(args.world_atlas, f"countries-{res}.json"))
        polys, land, borders = assign(level, iso_by_num, iso3s)
        levels[res] = (tag, level, polys, land, borders)
        points = sum(map(len, level.arcs))
        print(
            f"{res}: {len(polys)} countries with polygons, {len(level.arcs)} arcs, "
            f"{points} points, {len(borders)} border arcs",
            file=sys.stderr,
        )

    # Natural Earth names as alternatives when they say something new ("Czechia", "eSwatini").
    ne_names = {}
    for g in levels["10m"][1].features:
        if g.get("id") is not None:
            ne_names[iso_by_num[int(g["id"])]] = g["properties"]["name"]

    _, fine, fine_polys, _, _ = levels["10m"]
    for c in table:
        names = [c["name"]] + c["alts"] + EXTRA_NAMES.get(c["iso2"], [])
        ne = ne_names.get(c["iso3"])
        if ne and "." not in ne:
            names.append(ne)
        seen = set()
        uniq = []
        for n in names:
            if fold(n) not in seen:
                seen.add(fold(n))
                uniq.append(n)
        c["name"], c["alts"] = uniq[0], uniq[1:]
        c["alt_codes"] = ALT_CODES.get(c["iso2"], [])
        polys = fine_polys.get(c["iso3"])
        if polys:
            ll = [[[fine.lonlat(p) for p in fine.ring_points(r)] for r in poly] for poly in polys]
            c["bbox"] = wrap_bbox(ll)
            c["label"] = label_point(ll)

    table.sort(key=lambda c: (fold(c["name"]), c["iso3"]))
    order = {c["iso3"]: i for i, c in enumerate(table)}

    ctry = bytearray(varint(len(table)))
    for c in table:
        ctry += c["iso2"].encode("ascii") + c["iso3"].encode("ascii") + varint(c["numeric"])
        ctry += string(c["name"]) + varint(len(c["alts"])) + b"".join(string(a) for a in c["alts"])
        ctry += varint(len(c["alt_codes"])) + b"".join(string(a) for a in c["alt_codes"])
        if "label" in c:
            ctry += bytes([1])
            ctry += zz(micro(c["label"][0])) + zz(micro(c["label"][1]))
            ctry += b"".join(zz(micro(v)) for v in c["bbox"])
        else:
            ctry += bytes([0])

    sections = [(b"CTRY", bytes(ctry))]
    for res, _ in LEVELS:
        tag, level, polys, land, borders = levels[res]
        sections.append((tag, bytes(encode_level(level, polys, order, land, borders))))

    out = container(b"CBWORLD", VERSION, sections)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "world.bin"), "wb") as f:
        f.write(out)
    with open(os.path.join(args.out, "countries.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by assets/tools/build_world.py; do not edit. ")
        f.write("Label point and box from Natural Earth 1:10m.\n")
        columns = "iso2 iso3 numeric name alt_names alt_codes label_lon label_lat west south east north"
        f.write("\t".join(columns.split()) + "\n")
        for c in table:
            geo = ["%.4f" % v for v in c["label"] + c["bbox"]] if "label" in c else [""] * 6
            codes = [c["iso2"], c["iso3"], "%03d" % c["numeric"]]
            names = [c["name"], "; ".join(c["alts"]), "; ".join(c["alt_codes"])]
            f.write("\t".join(codes + names + geo) + "\n")

    for tag, data in sections:
        print(f"{tag.decode()}: {len(data)} bytes", file=sys.stderr)
    print(f"world.bin: {len(out)} bytes, sha256 {hashlib.sha256(out).hexdigest()}", file=sys.stderr)
    missing = [c["iso3"] for c in table if "label" not in c]
    print(f"codes without a boundary: {' '.join(missing) or 'none'}", file=sys.stderr)


if __name__ == "__main__":
    main()
