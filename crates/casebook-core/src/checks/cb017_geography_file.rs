//! CB017 geography-file: `geography` names a GeoJSON file in the case folder that can be read.
//!
//! Errors (warnings in a Draft): a path Casebook will not read (with why; the file is never
//! touched), a file that is not there (the `.geojson` files the folder does hold are named,
//! and suggested when there is one), a file that is not valid GeoJSON (the reader's message,
//! with line and column when it has them). A missing `geography` is CB003's; the geometry's
//! own validity is CB018's.
//!
//! Unicode normalization: a name typed on one system can reach another decomposed (NFD: `e`
//! and a combining accent) while the file is named composed (NFC: `é`), or the other way. The
//! two look identical. macOS finds the file either way; the site (and Linux) look the name up
//! byte for byte and do not. When `geography` and a file in its folder differ only so, the
//! diagnostic says exactly that (whether or not this system found the file) and its
//! suggestion is the name as it is on disk.

use std::fs;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{is_nfc, is_nfd};

use super::util;
use super::{Context, Diagnostic, Finding, Severity};
use crate::case::GeoState;

rule! {
    Rule017, "CB017", "geography-file", "geography names a readable GeoJSON file inside the case folder."
}

const KEY: &str = "geography";

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let line = util::key_line(doc, KEY);
    let severity = util::by_stage(ctx, Severity::Error, Severity::Warning);
    let field = |message: String| Finding::field(CODE, KEY, line).report(severity, message);
    if let Some((rel, path)) = match ctx.case.geo() {
        GeoState::Missing { rel, path } | GeoState::Loaded { rel, path, .. } => Some((rel, path)),
        _ => None,
    } && let Some(on_disk) = normalization_twin(rel, path)
    {
        let suggestion = match rel.rfind('/') {
            Some(i) => format!("{}{on_disk}", &rel[..=i]),
            None => format!("./{on_disk}"),
        };
        out.push(
            field(format!(
                "`{KEY}` names `{rel}` ({}) and the file on disk is `{on_disk}` ({}): the names differ only in Unicode normalization, so this works on macOS but breaks on the site",
                form(rel),
                form(&on_disk)
            ))
            .with_fix(format!(
                "Use the name as it is on disk, `{suggestion}` (the site looks names up byte for byte)."
            ))
            .with_suggestion(suggestion),
        );
        return;
    }
    match ctx.case.geo() {
        GeoState::None | GeoState::Pending { .. } | GeoState::Loaded { .. } => {}
        GeoState::Refused { error, .. } => out.push(
            field(format!("`{KEY}` is not used: {error}"))
                .with_fix("Put the GeoJSON file in the case folder and write its name as ./boundary.geojson."),
        ),
        GeoState::Missing { rel, .. } => {
            let present = geojson_files(ctx);
            let mut d = field(format!("`{KEY}` names `{rel}`, which is not in the case folder"));
            d = match present.as_slice() {
                [] => d.with_fix("Add the boundary file to the case folder (draw one on the map and save), or correct the name."),
                [one] => d
                    .with_fix(format!("The folder holds `{one}`: use it, or add the file named."))
                    .with_suggestion(format!("./{one}")),
                many => d.with_fix(format!(
                    "The folder holds {}; use the right one, or add the file named.",
                    util::list_values(many)
                )),
            };
            out.push(d);
        }
        GeoState::Failed { rel, error, .. } => out.push(
            field(format!("`{KEY}` file `{rel}` cannot be read as GeoJSON: {error}"))
                .with_fix("Fix the file (geojson.io shows where it breaks) or draw the boundary again on the map."),
        ),
    }
}

/// The name of the file in `path`'s folder that differs from the one `rel` names only in
/// Unicode normalization, when there is no file of exactly that name.
fn normalization_twin(rel: &str, path: &Path) -> Option<String> {
    let name = rel.rsplit('/').next().filter(|n| !n.is_empty())?;
    if name.is_ascii() {
        return None;
    }
    let want: String = name.nfc().collect();
    let entries = fs::read_dir(path.parent()?).ok()?;
    let mut twin = None;
    for e in entries.flatten() {
        let Ok(entry) = e.file_name().into_string() else {
            continue;
        };
        if entry == name {
            return None;
        }
        if twin.is_none() && entry.nfc().collect::<String>() == want {
            twin = Some(entry);
        }
    }
    twin
}

/// Which normalization form a name is in, for messages.
fn form(name: &str) -> &'static str {
    match (is_nfc(name), is_nfd(name)) {
        (true, _) => "NFC, composed",
        (false, true) => "NFD, decomposed",
        _ => "mixed normalization",
    }
}

/// The names of the `.geojson` files directly in the case folder, sorted.
fn geojson_files(ctx: &Context<'_>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(ctx.dir()) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && n.to_ascii_lowercase().ends_with(".geojson"))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, only, places, run_value};
    use super::*;

    fn check(dir: &std::path::Path, value: &str, status: &str) -> Vec<Diagnostic> {
        run_value(&Rule017, dir, status, KEY, value)
    }

    const OK: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;

    #[test]
    fn readable_file_is_quiet() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join("b.geojson"), OK)?;
        for value in ["./b.geojson", ""] {
            assert_quiet(&check(tmp.path(), value, "Review"), value);
        }
        Ok(())
    }

    #[test]
    fn missing_suggests_the_file_there() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = check(tmp.path(), "./gone.geojson", "Review");
        assert_eq!(places(&d), [(Severity::Error, Some(4))]);
        assert_eq!(d[0].suggestion, None);
        fs::write(tmp.path().join("b.geojson"), OK)?;
        let d = check(tmp.path(), "gone", "Draft");
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("./b.geojson"));
        Ok(())
    }

    #[test]
    fn finding9_nfd_value_and_nfc_file_differ_only_in_normalization() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let nfc = "ciudad-universitaria-bogot\u{e1}.geojson";
        let nfd = "ciudad-universitaria-bogota\u{301}.geojson";
        fs::write(tmp.path().join(nfc), OK)?;
        fs::write(tmp.path().join("other.geojson"), OK)?;
        let d = check(tmp.path(), &format!("./{nfd}"), "Review");
        assert_says(
            only(&d),
            &[
                "differ only in Unicode normalization, so this works on macOS but breaks on the site",
                "NFD, decomposed",
                "NFC, composed",
            ],
        );
        assert_eq!(d[0].suggestion, Some(format!("./{nfc}")));
        // The other way round, and without `./`.
        fs::remove_file(tmp.path().join(nfc))?;
        fs::write(tmp.path().join(nfd), OK)?;
        let d = check(tmp.path(), nfc, "Review");
        assert_eq!(d[0].suggestion, Some(format!("./{nfd}")));
        // The exact name is quiet.
        assert_quiet(&check(tmp.path(), &format!("./{nfd}"), "Review"), nfd);
        Ok(())
    }

    #[test]
    fn refused_and_broken() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = check(tmp.path(), "../other/b.geojson", "Review");
        assert_says(&d[0], &["leads out of the case folder"]);
        let d = check(tmp.path(), "https://example.org/b.geojson", "Review");
        assert_says(&d[0], &["URL"]);
        fs::write(tmp.path().join("bad.geojson"), "{\"type\": \"Feature\",")?;
        let d = check(tmp.path(), "./bad.geojson", "Complete");
        assert_says(only(&d), &["cannot be read as GeoJSON"]);
        Ok(())
    }
}
