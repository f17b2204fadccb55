//! How the atlas site (js-yaml 3, YAML 1.1) and Casebook (serde_yaml, YAML 1.2) read a plain
//! scalar, so that Casebook only writes plain text that both read as that text.
//!
//! The atlas site reads front matter with gray-matter 4, whose YAML engine is js-yaml 3's
//! `safeLoad` (the `DEFAULT_SAFE_SCHEMA`). For an untagged plain scalar it tries these implicit
//! types in order and takes the first that matches: null, bool, int, float, timestamp, merge.
//! [`resolve_site`] is a transcription of their `resolve` functions (`lib/js-yaml/type/*.js`
//! in js-yaml 3.14/3.15), and [`site_number`] of the numbers their `construct` functions make:
//!
//! - null: `~`, `null`, `Null`, `NULL` (and the empty scalar);
//! - bool: `true`, `True`, `TRUE`, `false`, `False`, `FALSE` only (js-yaml 3 does *not* take
//!   `yes`/`no`/`on`/`off` for booleans, although YAML 1.1 does);
//! - int: an optional sign, then `0b` binary, `0x` hex, `0`-led octal (`010` is 8), decimal, or
//!   base 60 (`12:30` is 750, `1:2:3` is 3723); `_` may appear between digits (`1_000`) but
//!   not at the end;
//! - float: `1.5`, `1.`, `.5`, `1e3`, `1.5e-3`, base 60 with a fraction (`1:30.5`), `.inf`,
//!   `-.Inf`, `.NaN`, underscores as for ints;
//! - timestamp: `2024-01-01`, or `2024-1-1 10:00:00`, `2024-01-01T10:00:00.5Z`,
//!   `2001-12-14 21:59:43.10 -5` (a JavaScript Date);
//! - merge: `<<`.
//!
//! [`resolve_casebook`] is serde_yaml 0.9's own resolution (`de.rs`), for the YAML 1.2 side.
//!
//! [`plain_is_text`] is the rule Casebook writes by: plain only when both readers read the text
//! itself, and, to be safe with every YAML 1.1 reader (PyYAML, Ruby's Psych, older atlas
//! tooling), never for the YAML 1.1 boolean words `y`, `n`, `yes`, `no`, `on`, `off` (any case),
//! the null words in any case, `=` (YAML 1.1's value key) or `<<`.

/// What a plain scalar means to a reader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plain {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number (js-yaml makes every number a JavaScript double; serde_yaml keeps ints apart,
    /// but the site compares them as doubles, and so does this).
    Number(f64),
    /// A date (js-yaml only).
    Timestamp,
    /// The merge key `<<` (js-yaml only; as a value it still reads as the text `<<`).
    Merge,
    /// The text itself.
    Text,
}

/// How the atlas site (js-yaml 3, `DEFAULT_SAFE_SCHEMA`) reads the plain scalar `s`.
pub fn resolve_site(s: &str) -> Plain {
    if is_site_null(s) {
        return Plain::Null;
    }
    if let Some(b) = site_bool(s) {
        return Plain::Bool(b);
    }
    if is_site_int(s) {
        return Plain::Number(construct_site_int(s));
    }
    if is_site_float(s) {
        return Plain::Number(construct_site_float(s));
    }
    if is_site_timestamp(s) {
        return Plain::Timestamp;
    }
    if s == "<<" {
        return Plain::Merge;
    }
    Plain::Text
}

/// The number the site reads for the plain scalar `s`, when it reads a number.
pub fn site_number(s: &str) -> Option<f64> {
    match resolve_site(s) {
        Plain::Number(n) => Some(n),
        _ => None,
    }
}

/// How Casebook's serde_yaml 0.9 reads the plain scalar `s` (YAML 1.2 core schema as serde_yaml
/// applies it).
pub fn resolve_casebook(s: &str) -> Plain {
    if s.is_empty() || matches!(s, "null" | "Null" | "NULL" | "~") {
        return Plain::Null;
    }
    match s {
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        _ => {}
    }
    if let Some(n) = casebook_int(s) {
        return Plain::Number(n);
    }
    if !digits_but_not_number(s)
        && let Some(f) = casebook_float(s)
    {
        return Plain::Number(f);
    }
    Plain::Text
}

/// Whether `s`, written as a plain scalar, reads as the text `s` for the site and for
/// Casebook, and is none of the YAML 1.1 words some readers take for something else.
///
/// This is about the resolution of the scalar only; whether `s` can be written plain at all
/// (no `: `, no leading indicator) is the writer's business.
pub fn plain_is_text(s: &str) -> bool {
    resolve_site(s) == Plain::Text
        && resolve_casebook(s) == Plain::Text
        && !is_yaml11_word(s)
        && !matches!(s, "=" | "<<")
}

/// Whether the two readers read the plain scalar `s` differently (the site's reading, then
/// Casebook's), e.g. `12:30` (750 for the site, text for Casebook).
pub fn readings_differ(s: &str) -> Option<(Plain, Plain)> {
    let site = match resolve_site(s) {
        // As a value the merge key reads as its text.
        Plain::Merge => Plain::Text,
        p => p,
    };
    let casebook = resolve_casebook(s);
    let same = match (site, casebook) {
        (Plain::Number(a), Plain::Number(b)) => a == b || (a.is_nan() && b.is_nan()),
        (a, b) => a == b,
    };
    (!same).then_some((site, casebook))
}

/// A short description of a reading, for messages (`the number 750`, `a date`).
pub fn describe(p: Plain) -> String {
    match p {
        Plain::Null => "nothing (null)".to_string(),
        Plain::Bool(b) => format!("the boolean {b}"),
        Plain::Number(n) if n.is_nan() => "the number NaN".to_string(),
        Plain::Number(n) if n.is_infinite() => {
            format!("the number {}infinity", if n < 0.0 { "minus " } else { "" })
        }
        Plain::Number(n) => format!("the number {}", js_number(n)),
        Plain::Timestamp => "a date".to_string(),
        Plain::Merge => "a merge key".to_string(),
        Plain::Text => "text".to_string(),
    }
}

/// A number as JavaScript's `String(n)` shows small integers and plain decimals.
fn js_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// `y`, `n`, `yes`, `no`, `on`, `off`, `true`, `false`, `null`, `~` in any case: YAML 1.1's
/// boolean and null words.
fn is_yaml11_word(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    )
}

// ---------------------------------------------------------------------------------------------
// js-yaml 3: lib/js-yaml/type/null.js, bool.js, int.js, float.js, timestamp.js, merge.js.

/// `resolveYamlNull`.
fn is_site_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

/// `resolveYamlBoolean` / `constructYamlBoolean`.
fn site_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `resolveYamlInteger`.
fn is_site_int(s: &str) -> bool {
    let b = s.as_bytes();
    let max = b.len();
    if max == 0 {
        return false;
    }
    let mut i = 0;
    let mut has_digits = false;
    // `ch` mirrors the JavaScript variable: the last character looked at (None past the end).
    let mut ch = b.first().copied();
    if ch == Some(b'-') || ch == Some(b'+') {
        i += 1;
        ch = b.get(i).copied();
    }
    if ch == Some(b'0') {
        if i + 1 == max {
            return true;
        }
        i += 1;
        ch = b.get(i).copied();
        let digits: Option<fn(u8) -> bool> = match ch {
            Some(b'b') => Some(|c| c == b'0' || c == b'1'),
            Some(b'x') => Some(|c: u8| c.is_ascii_hexdigit()),
            _ => None,
        };
        if let Some(is_digit) = digits {
            i += 1;
            while i < max {
                ch = Some(b[i]);
                if b[i] != b'_' {
                    if !is_digit(b[i]) {
                        return false;
                    }
                    has_digits = true;
                }
                i += 1;
            }
            return has_digits && ch != Some(b'_');
        }
        // Base 8: from the character after the leading 0.
        while i < max {
            ch = Some(b[i]);
            if b[i] != b'_' {
                if !(b'0'..=b'7').contains(&b[i]) {
                    return false;
                }
                has_digits = true;
            }
            i += 1;
        }
        return has_digits && ch != Some(b'_');
    }
    // Base 10 (except 0) or base 60.
    if ch == Some(b'_') {
        return false;
    }
    while i < max {
        ch = Some(b[i]);
        if b[i] == b'_' {
            i += 1;
            continue;
        }
        if b[i] == b':' {
            break;
        }
        if !b[i].is_ascii_digit() {
            return false;
        }
        has_digits = true;
        i += 1;
    }
    if !has_digits || ch == Some(b'_') {
        return false;
    }
    if ch != Some(b':') {
        return true;
    }
    // /^(:[0-5]?[0-9])+$/ on the rest.
    base60_tail(&s[i..])
}

/// `/^(:[0-5]?[0-9])+$/`
fn base60_tail(rest: &str) -> bool {
    if rest.is_empty() {
        return false;
    }
    rest.split(':').skip(1).all(|part| {
        let p = part.as_bytes();
        match p.len() {
            1 => p[0].is_ascii_digit(),
            2 => (b'0'..=b'5').contains(&p[0]) && p[1].is_ascii_digit(),
            _ => false,
        }
    }) && rest.starts_with(':')
}

/// `constructYamlInteger` (JavaScript's `parseInt` over the digits, as a double).
fn construct_site_int(s: &str) -> f64 {
    let mut value: String = s.chars().filter(|&c| c != '_').collect();
    let mut sign = 1.0;
    if value.starts_with(['-', '+']) {
        if value.starts_with('-') {
            sign = -1.0;
        }
        value.remove(0);
    }
    if value == "0" {
        return 0.0;
    }
    if let Some(rest) = value.strip_prefix("0b") {
        return sign * parse_radix(rest, 2);
    }
    if let Some(rest) = value.strip_prefix("0x") {
        return sign * parse_radix(rest, 16);
    }
    if value.starts_with('0') {
        return sign * parse_radix(&value, 8);
    }
    if value.contains(':') {
        let mut total = 0.0;
        let mut base = 1.0;
        for part in value.split(':').rev() {
            total += parse_radix(part, 10) * base;
            base *= 60.0;
        }
        return sign * total;
    }
    sign * parse_radix(&value, 10)
}

/// JavaScript's `parseInt(digits, radix)` for digits already checked (as a double).
fn parse_radix(digits: &str, radix: u32) -> f64 {
    let mut n = 0.0f64;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => n = n * radix as f64 + d as f64,
            None => break,
        }
    }
    if radix == 10 {
        // Decimal digits: the nearest double, as parseInt gives it.
        return digits.parse::<f64>().unwrap_or(n);
    }
    n
}

/// `YAML_FLOAT_PATTERN` (and the "not ending with `_`" rule of `resolveYamlFloat`):
///
/// ```text
/// ^(?:[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
///   |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
///   |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
///   |[-+]?\.(?:inf|Inf|INF)
///   |\.(?:nan|NaN|NAN))$
/// ```
fn is_site_float(s: &str) -> bool {
    if s.ends_with('_') {
        return false;
    }
    float_decimal(s) || float_dot_led(s) || float_base60(s) || float_inf(s) || float_nan(s)
}

/// `[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?`
fn float_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(c) if (b'1'..=b'9').contains(c) => {
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    exponent_to_end(b, i)
}

/// `(?:[eE][-+]?[0-9]+)?$` from `i`.
fn exponent_to_end(b: &[u8], mut i: usize) -> bool {
    if i == b.len() {
        return true;
    }
    if !matches!(b[i], b'e' | b'E') {
        return false;
    }
    i += 1;
    if matches!(b.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i > start && i == b.len()
}

/// `\.[0-9_]+(?:[eE][-+]?[0-9]+)?`
fn float_dot_led(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() != Some(&b'.') {
        return false;
    }
    let mut i = 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    i > 1 && exponent_to_end(b, i)
}

/// `[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*`
fn float_base60(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let Some(dot) = s[i..].find('.').map(|d| d + i) else {
        return false;
    };
    if !base60_tail(&s[i..dot]) {
        return false;
    }
    s[dot + 1..]
        .bytes()
        .all(|c| c.is_ascii_digit() || c == b'_')
}

/// `[-+]?\.(?:inf|Inf|INF)`
fn float_inf(s: &str) -> bool {
    let u = s.strip_prefix(['-', '+']).unwrap_or(s);
    matches!(u, ".inf" | ".Inf" | ".INF")
}

/// `\.(?:nan|NaN|NAN)`
fn float_nan(s: &str) -> bool {
    matches!(s, ".nan" | ".NaN" | ".NAN")
}

/// `constructYamlFloat`.
fn construct_site_float(s: &str) -> f64 {
    let mut value: String = s.chars().filter(|&c| c != '_').collect();
    value.make_ascii_lowercase();
    let sign = if value.starts_with('-') { -1.0 } else { 1.0 };
    if value.starts_with(['-', '+']) {
        value.remove(0);
    }
    if value == ".inf" {
        return sign * f64::INFINITY;
    }
    if value == ".nan" {
        return f64::NAN;
    }
    if value.contains(':') {
        let mut total = 0.0;
        let mut base = 1.0;
        for part in value.split(':').rev() {
            total += js_parse_float(part) * base;
            base *= 60.0;
        }
        return sign * total;
    }
    sign * js_parse_float(&value)
}

/// JavaScript's `parseFloat` for the texts the float pattern lets through (`1.`, `.5`, `1e3`).
fn js_parse_float(s: &str) -> f64 {
    let t = if s.ends_with('.') {
        format!("{s}0")
    } else if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.to_string()
    };
    t.replace(".e", ".0e").parse::<f64>().unwrap_or(f64::NAN)
}

/// `YAML_DATE_REGEXP` or `YAML_TIMESTAMP_REGEXP`:
///
/// ```text
/// ^([0-9]{4})-([0-9][0-9])-([0-9][0-9])$
/// ^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])
///   (?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$
/// ```
fn is_site_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<usize> {
        let mut n = 0;
        while n < max && b.get(from + n).is_some_and(u8::is_ascii_digit) {
            n += 1;
        }
        (n >= min).then_some(from + n)
    };
    // Date only.
    if b.len() == 10
        && digits(0, 4, 4) == Some(4)
        && b[4] == b'-'
        && digits(5, 2, 2) == Some(7)
        && b[7] == b'-'
        && digits(8, 2, 2) == Some(10)
    {
        return true;
    }
    // Two more numbers of `min` to 2 digits after the one ending at `i`, each after `sep`.
    let two_more = |mut i: usize, sep: u8, min: usize| -> Option<usize> {
        for _ in 0..2 {
            if b.get(i) != Some(&sep) {
                return None;
            }
            i = digits(i + 1, min, 2)?;
        }
        Some(i)
    };
    let Some(mut i) = digits(0, 4, 4).and_then(|i| two_more(i, b'-', 1)) else {
        return false;
    };
    match b.get(i) {
        Some(b'T' | b't') => i += 1,
        Some(b' ' | b'\t') => {
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        _ => return false,
    }
    let Some(j) = digits(i, 1, 2).and_then(|j| two_more(j, b':', 2)) else {
        return false;
    };
    i = j;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if i == b.len() {
        return true;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'-' | b'+') => {
            let Some(j) = digits(i + 1, 1, 2) else {
                return false;
            };
            if j == b.len() {
                return true;
            }
            b.get(j) == Some(&b':') && digits(j + 1, 2, 2) == Some(b.len())
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// serde_yaml 0.9 (de.rs: visit_untagged_scalar, parse_unsigned_int, parse_negative_int,
// parse_f64, digits_but_not_number).

/// serde_yaml's int reading, as a double.
fn casebook_int(s: &str) -> Option<f64> {
    let unpositive = s.strip_prefix('+').unwrap_or(s);
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, unpositive),
    };
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = body.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = u128::from_str_radix(rest, radix) {
                // A plus sign before a minus-prefixed radix int is not read.
                if neg && s.starts_with('+') {
                    return None;
                }
                let n = n as f64;
                return Some(if neg { -n } else { n });
            }
        }
    }
    if digits_but_not_number(s) {
        return None;
    }
    if s.starts_with('+') && unpositive.starts_with(['+', '-']) {
        return None;
    }
    // from_str_radix(.., 10) on `unpositive` (an unsigned parse rejects a sign; a signed one
    // takes a single `-`).
    let ok = !unpositive.is_empty()
        && unpositive
            .strip_prefix('-')
            .unwrap_or(unpositive)
            .bytes()
            .all(|c| c.is_ascii_digit())
        && unpositive.strip_prefix('-').is_none_or(|r| !r.is_empty());
    if !ok {
        return None;
    }
    // Beyond i128/u128 serde_yaml falls through to the float reading (same value).
    unpositive.parse::<f64>().ok()
}

/// serde_yaml's `parse_f64`.
fn casebook_float(s: &str) -> Option<f64> {
    let unpositive = match s.strip_prefix('+') {
        Some(u) if u.starts_with(['+', '-']) => return None,
        Some(u) => u,
        None => s,
    };
    if matches!(unpositive, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(s, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    match unpositive.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

/// serde_yaml's `digits_but_not_number`: a leading zero followed by digits is text in YAML 1.2.
fn digits_but_not_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    s.len() > 1 && s.starts_with('0') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(s: &str) -> Plain {
        resolve_site(s)
    }

    #[test]
    fn site_nulls_and_bools() {
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(site(s), Plain::Null, "{s:?}");
        }
        for s in ["nULL", "none", "None"] {
            assert_eq!(site(s), Plain::Text, "{s:?}");
        }
        for (s, b) in [
            ("true", true),
            ("True", true),
            ("TRUE", true),
            ("false", false),
            ("False", false),
            ("FALSE", false),
        ] {
            assert_eq!(site(s), Plain::Bool(b), "{s:?}");
        }
        // js-yaml 3 reads YAML 1.1's other boolean words as text …
        for s in ["yes", "No", "ON", "off", "y", "N", "tRue"] {
            assert_eq!(site(s), Plain::Text, "{s:?}");
        }
        // … but Casebook still quotes them.
        for s in [
            "yes", "No", "ON", "off", "y", "N", "Y", "NO", "On", "oFF", "nUll",
        ] {
            assert!(!plain_is_text(s), "{s:?}");
        }
    }

    /// The cases of js-yaml 3's `int.js`, as node printed them for `k: <s>`.
    #[test]
    fn site_ints() {
        for (s, n) in [
            ("0", 0.0),
            ("-0", 0.0),
            ("+12", 12.0),
            ("12", 12.0),
            ("1_000", 1000.0),
            ("-1_000", -1000.0),
            ("1__0", 10.0),
            ("010", 8.0),
            ("012", 10.0),
            ("0_7", 7.0),
            ("0x1F", 31.0),
            ("0xff", 255.0),
            ("0x_1", 1.0),
            ("-0x10", -16.0),
            ("0b101", 5.0),
            ("0b_1", 1.0),
            ("0b1_0", 2.0),
            ("12:30", 750.0),
            ("1:2:3", 3723.0),
            ("190:20:30", 190.0 * 3600.0 + 20.0 * 60.0 + 30.0),
            ("-1:00", -60.0),
            ("1:5", 65.0),
        ] {
            assert_eq!(site(s), Plain::Number(n), "{s:?}");
        }
        for s in [
            "09", "0b", "0x", "0b1_", "1_", "_1", "0o17", "0b2", "0xg", "1:60", "1:", ":30",
            "1:2:", "12:3a", "1-2", "+", "-", "1 000",
        ] {
            assert!(
                !matches!(site(s), Plain::Number(_)),
                "{s:?} is not an int: {:?}",
                site(s)
            );
        }
    }

    /// The cases of js-yaml 3's `float.js`.
    #[test]
    fn site_floats() {
        for (s, n) in [
            ("1.5", 1.5),
            ("1.", 1.0),
            ("0.", 0.0),
            (".5", 0.5),
            ("1e3", 1000.0),
            ("1.5e3", 1500.0),
            ("1E-2", 0.01),
            ("-2.5", -2.5),
            ("+.5e1", f64::NAN),
            ("1_0.5", 10.5),
            ("1:30.5", 90.5),
            ("-1:30.5", -90.5),
            ("1e303", 1e303),
        ] {
            if n.is_nan() {
                // `+.5e1` is no float for js-yaml (the dot-led form takes no sign).
                assert_eq!(site(s), Plain::Text, "{s:?}");
            } else {
                assert_eq!(site(s), Plain::Number(n), "{s:?}");
            }
        }
        assert_eq!(site("1e400"), Plain::Number(f64::INFINITY));
        assert_eq!(site(".inf"), Plain::Number(f64::INFINITY));
        assert_eq!(site("-.Inf"), Plain::Number(f64::NEG_INFINITY));
        assert_eq!(site("+.INF"), Plain::Number(f64::INFINITY));
        assert!(matches!(site(".NaN"), Plain::Number(n) if n.is_nan()));
        for s in [
            "1e", "1.5e", ".", "..5", "1.5.5", "-.nan", ".Nan", "1.5_", "Infinity", "NaN",
        ] {
            assert!(!matches!(site(s), Plain::Number(_)), "{s:?}: {:?}", site(s));
        }
    }

    /// The cases of js-yaml 3's `timestamp.js`.
    #[test]
    fn site_timestamps() {
        for s in [
            "2024-01-01",
            "2024-1-1 10:00:00",
            "2024-01-01T10:00:00Z",
            "2024-01-01t10:00:00",
            "2001-12-14 21:59:43.10 -5",
            "2001-12-14\t21:59:43.10-05:30",
            "2001-12-14T21:59:43.10+5",
            "2024-01-01 10:00:00 Z",
        ] {
            assert_eq!(site(s), Plain::Timestamp, "{s:?}");
        }
        for s in [
            "2024-1-1",
            "2024-01-1",
            "24-01-01",
            "2024-01-01 10:00",
            "2024-01-01T10:00:00ZZ",
            "2024-01-01 10:00:00 -5:3",
            "2024/01/01",
        ] {
            assert_ne!(site(s), Plain::Timestamp, "{s:?}");
        }
        assert_eq!(site("<<"), Plain::Merge);
        assert_eq!(site("="), Plain::Text);
        assert!(!plain_is_text("<<") && !plain_is_text("="));
    }

    #[test]
    fn casebook_readings() {
        assert_eq!(resolve_casebook("12:30"), Plain::Text);
        assert_eq!(resolve_casebook("010"), Plain::Text);
        assert_eq!(resolve_casebook("1_000"), Plain::Text);
        assert_eq!(resolve_casebook("0o17"), Plain::Number(15.0));
        assert_eq!(resolve_casebook("0x1F"), Plain::Number(31.0));
        assert_eq!(resolve_casebook("-0x10"), Plain::Number(-16.0));
        assert_eq!(resolve_casebook("2017"), Plain::Number(2017.0));
        assert_eq!(resolve_casebook("+12"), Plain::Number(12.0));
        assert_eq!(resolve_casebook("1e3"), Plain::Number(1000.0));
        assert_eq!(resolve_casebook("1."), Plain::Number(1.0));
        assert_eq!(resolve_casebook("1e400"), Plain::Text);
        assert_eq!(resolve_casebook("Infinity"), Plain::Text);
        assert_eq!(resolve_casebook("inf"), Plain::Text);
        assert_eq!(resolve_casebook("2024-01-01"), Plain::Text);
        assert_eq!(resolve_casebook("~"), Plain::Null);
        assert_eq!(resolve_casebook("yes"), Plain::Text);
    }

    /// The resolution agrees with serde_yaml itself on a spread of scalars.
    #[test]
    fn casebook_reading_matches_serde_yaml() {
        use serde_yaml::Value;
        for s in [
            "12:30",
            "010",
            "1_000",
            "0o17",
            "0x1F",
            "0b11",
            "-0x10",
            "+0x10",
            "2017",
            "-5",
            "+12",
            "1e3",
            "1.",
            ".5",
            "1e400",
            "Infinity",
            "inf",
            "nan",
            ".nan",
            ".inf",
            "-.inf",
            "~",
            "null",
            "true",
            "True",
            "tRue",
            "yes",
            "0",
            "-0",
            "00",
            "+-1",
            "--1",
            "1.5e-3",
            "0.1",
            "99999999999999999999",
            "-99999999999999999999",
            "1 2",
            "x",
        ] {
            let serde = match serde_yaml::from_str::<Value>(s) {
                Ok(Value::Null) => Plain::Null,
                Ok(Value::Bool(b)) => Plain::Bool(b),
                Ok(Value::Number(n)) => Plain::Number(n.as_f64().unwrap_or(f64::NAN)),
                // Ints between 2^64 and 2^128 make serde_yaml fail ("invalid type: integer
                // as u128"); ours calls them numbers, which only makes the writer quote them.
                Err(_) => continue,
                _ => Plain::Text,
            };
            let ours = resolve_casebook(s);
            let same = match (serde, ours) {
                (Plain::Number(a), Plain::Number(b)) => a == b || (a.is_nan() && b.is_nan()),
                (a, b) => a == b,
            };
            assert!(same, "{s:?}: serde_yaml {serde:?}, ours {ours:?}");
        }
    }

    #[test]
    fn the_writing_rule() {
        for s in [
            "12:30",
            "1:2:3",
            "010",
            "1_000",
            "2024-01-01",
            "2024-1-1 10:00:00",
            "0x1F",
            ".inf",
            "1e3",
            "yes",
            "~",
            "null",
            "<<",
            "=",
            "0o17",
            "",
        ] {
            assert!(!plain_is_text(s), "{s:?} must be quoted");
        }
        for s in [
            "Hello",
            "Montréal",
            "2024 (Anticipated)",
            "Ongoing",
            "~2025",
            "12h30",
            "1.2.3",
            "2024-01",
            "N/A",
            "yes please",
            "0x",
            "1e",
        ] {
            assert!(plain_is_text(s), "{s:?} may stay plain");
        }
    }

    #[test]
    fn differences_are_described() {
        let Some((site, casebook)) = readings_differ("12:30") else {
            panic!("12:30 reads differently")
        };
        assert_eq!(describe(site), "the number 750");
        assert_eq!(describe(casebook), "text");
        assert_eq!(
            readings_differ("2024-01-01").map(|d| describe(d.0)),
            Some("a date".to_string())
        );
        assert_eq!(readings_differ("2017"), None);
        assert_eq!(readings_differ("Hello"), None);
        assert_eq!(readings_differ("<<"), None);
        assert!(readings_differ("0o17").is_some());
    }
}
