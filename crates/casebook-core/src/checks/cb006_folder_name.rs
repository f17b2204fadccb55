//! CB006 folder-name: a case folder named `iso3-slug` starts with its own country's code.
//!
//! Only folders that carry a country code are judged: `xxx-…` where `xxx` is a known
//! alpha-3 code, or the retired style `…-xxx`. A folder carrying the lowercased
//! `country_code` at either end is fine (`usa-new-york`, `san-antonio-usa`). Anything else
//! that carries a code is a warning: a folder named for one country holding another's case
//! (`sgp-…` with `country_code: DNK`). Folders without a code are left alone; an invalid
//! `country_code` is CB005's.

use super::util;
use super::{Context, Diagnostic, Finding};
use crate::countries;

rule! {
    Rule006, "CB006", "folder-name", "The case folder's name starts with the country code in lower case (iso3-slug)." => finding
}

const KEY: &str = "country_code";

fn finding(ctx: &Context<'_>) -> Option<Diagnostic> {
    let doc = ctx.case.doc();
    let code = util::text_value(doc, KEY)?;
    let country = countries::by_iso3(&code.to_ascii_uppercase())?;
    let folder = ctx.case.folder_name();
    let lower = folder.to_ascii_lowercase();
    let own = country.iso3.to_ascii_lowercase();
    let prefix = code_at(&lower, true);
    let suffix = code_at(&lower, false);
    if prefix.as_deref() == Some(&own) || suffix.as_deref() == Some(&own) {
        return None;
    }
    // The code the folder carries (start first) and the country it names.
    let named = |code: Option<&str>| {
        let code = code?;
        Some((
            code.to_string(),
            countries::by_iso3(&code.to_ascii_uppercase())?,
        ))
    };
    let (found, other) = named(prefix.as_deref()).or_else(|| named(suffix.as_deref()))?;
    let at_start = prefix.as_deref() == Some(found.as_str());
    let slug = if at_start {
        lower.get(4..).unwrap_or("")
    } else {
        lower.get(..lower.len().saturating_sub(4)).unwrap_or("")
    };
    Some(
        Finding::key(CODE, doc, KEY)
            .warning(format!(
                "the case folder `{folder}` {} `{found}` ({}), but `{KEY}` is `{code}` ({})",
                if at_start { "starts with" } else { "ends with" },
                other.name,
                country.name
            ))
            .with_fix(format!(
                "If the case is about {}, rename the folder to `{own}-{slug}`; if it is about {}, set {KEY} to `{}`.",
                country.name, other.name, other.iso3
            )),
    )
}

/// The three letters at the start (`xxx-…`) or end (`…-xxx`) of a folder name.
fn code_at(folder: &str, start: bool) -> Option<String> {
    let b = folder.as_bytes();
    if b.len() < 5 {
        return None;
    }
    let (letters, dash) = if start {
        (&b[..3], b[3])
    } else {
        (&b[b.len() - 3..], b[b.len() - 4])
    };
    (dash == b'-' && letters.iter().all(u8::is_ascii_alphabetic))
        .then(|| String::from_utf8_lossy(letters).into_owned())
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, doc, places, run_in};
    use super::*;
    use crate::checks::Severity;

    fn in_folder(name: &str, code: &str) -> Vec<Diagnostic> {
        let Ok(tmp) = tempfile::tempdir() else {
            panic!("tmp")
        };
        let dir = tmp.path().join(name);
        if std::fs::create_dir(&dir).is_err() {
            panic!("mkdir");
        }
        let text = doc(&format!("title: T\ncountry_code: {code}"), "");
        run_in(&Rule006, &dir, &text, "case-study")
    }

    #[test]
    fn matching_folders_are_quiet() {
        for (folder, code) in [
            ("usa-new-york", "USA"),
            ("usa-newyork-amazon-hq2-LIC", "USA"),
            ("san-antonio-usa", "usa"),
            ("sample", "ESP"),
            ("new-york", "USA"),
            ("hk-kowloon", "HKG"),
            // An invalid code is CB005's.
            ("sgp-x", "XX"),
        ] {
            assert_quiet(&in_folder(folder, code), folder);
        }
    }

    #[test]
    fn another_countrys_folder() {
        let d = in_folder("sgp-singapore-smart-nation-strategy", "DNK");
        assert_eq!(places(&d), [(Severity::Warning, Some(3))]);
        assert_says(&d[0], &["`sgp`", "Singapore", "Denmark"]);
        assert_fix(&d[0], "dnk-singapore-smart-nation-strategy");
        let d = in_folder("madrid-nuevo-norte-fra", "ESP");
        assert_eq!(d.len(), 1);
        assert_says(&d[0], &["ends with"]);
    }
}
