//! Text safe to print: control characters and bytes that are not UTF-8, escaped.
//!
//! Values from case files and file names reach terminals and CI logs. An ESC, OSC, BEL, CR or
//! BS there can recolour, retitle, rewrite or hide output; bidirectional overrides can make
//! text read differently from what it is. [`controls`] escapes all of them the way Rust
//! writes them (`\u{1b}`, `\r`); [`path_text`] also escapes bytes of a file name that are
//! not UTF-8 as `\xNN`, so such a name can be shown and put in JSON without failing.

use std::ffi::OsStr;
use std::path::Path;

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls, DEL, and the
/// bidirectional embedding, override and isolate characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character of [`is_unsafe`] escaped (`\n`, `\t`, `\u{1b}` ...).
pub fn controls(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A file name or path component as safe text (see [`path_text`]).
pub fn os_text(s: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in s.as_bytes().utf8_chunks() {
            out.push_str(&controls(chunk.valid()));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        controls(&s.to_string_lossy())
    }
}

/// A path as safe text: control characters escaped, bytes that are not UTF-8 as `\xNN`.
pub fn path_text(p: &Path) -> String {
    os_text(p.as_os_str())
}

/// Serializes a path as [`path_text`] (serde's own refuses paths that are not UTF-8).
pub fn serialize_path<S: serde::Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path_text(p))
}

/// JSON text with the characters JSON allows raw but terminals act on (DEL, C1 controls,
/// bidirectional controls) written as `\uXXXX` escapes. The result parses to the same value.
pub fn json_for_terminal(json: &str) -> String {
    if !json.chars().any(is_unsafe) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // Inside JSON text, raw C0 controls can only be the whitespace between tokens.
        if is_unsafe(c) && !matches!(c, '\n' | '\r' | '\t') {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(controls("plain é"), "plain é");
        assert_eq!(
            controls("a\u{1b}]0;x\u{7}b\r\u{8}\u{9b}\u{202e}"),
            "a\\u{1b}]0;x\\u{7}b\\r\\u{8}\\u{9b}\\u{202e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(OsStr::from_bytes(b"/cases/bad\xffname\x1b/index.md"));
        assert_eq!(path_text(p), "/cases/bad\\xffname\\u{1b}/index.md");
    }

    #[test]
    fn json_stays_json() -> Result<(), serde_json::Error> {
        let v = serde_json::json!({ "t": "a\u{9b}b\u{202e}c\u{1b}" });
        let text = json_for_terminal(&serde_json::to_string_pretty(&v)?);
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text)?;
        assert_eq!(back, v);
        Ok(())
    }
}
