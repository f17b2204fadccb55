//! CB005 country-code: `country_code` is an ISO 3166-1 alpha-3 code in capitals.
//!
//! `ES`, `HK` (alpha-2), `usa` (lower case), `UK`, `Spain` are errors; the suggestion is the
//! code [`countries::suggest`] finds, with the country's name in the fix.

use super::util;
use super::{Context, Diagnostic, Finding};
use crate::countries;

rule! {
    Rule005, "CB005", "country-code", "country_code is an ISO 3166-1 alpha-3 code in capitals (ESP, HKG, USA)." => finding
}

const KEY: &str = "country_code";

fn finding(ctx: &Context<'_>) -> Option<Diagnostic> {
    let doc = ctx.case.doc();
    let value = util::text_value(doc, KEY)?;
    if countries::by_iso3(&value).is_some() {
        return None;
    }
    let line = util::key_line(doc, KEY);
    let guess = countries::suggest(&value);
    let what = if value.len() == 2 && value.chars().all(|c| c.is_ascii_alphabetic()) {
        "a two-letter code; the atlas uses three-letter ISO 3166-1 alpha-3 codes".to_string()
    } else if value.len() == 3
        && value.chars().all(|c| c.is_ascii_alphabetic())
        && countries::by_iso3(&value.to_ascii_uppercase()).is_some()
    {
        "in lower case; codes are written in capitals".to_string()
    } else if value.chars().all(|c| c.is_ascii_digit()) {
        "a numeric code; the atlas uses three-letter ISO 3166-1 alpha-3 codes".to_string()
    } else {
        "not an ISO 3166-1 alpha-3 code".to_string()
    };
    let message = format!("`{KEY}` is `{value}`, {what}");
    let d = Finding::field(CODE, KEY, line).error(message);
    Some(match guess {
        Some(c) => d
            .with_fix(format!("Use `{}` ({}).", c.iso3, c.name))
            .with_suggestion(c.iso3),
        None => d.with_fix(
            "Use the country's three-letter ISO 3166-1 alpha-3 code in capitals, e.g. ESP for Spain, HKG for Hong Kong, USA for the United States.",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_fix, assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    fn one(value: &str) -> Vec<Diagnostic> {
        check(&Rule005, &format!("title: T\ncountry_code: {value}"), "")
    }

    #[test]
    fn valid_codes_are_quiet() {
        for code in ["ESP", "HKG", ""] {
            assert_quiet(&one(code), code);
        }
    }

    #[test]
    fn alpha2_lowercase_and_names() {
        let d = one("HK");
        assert_eq!(places(&d), [(Severity::Error, Some(3))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("HKG"));
        assert_says(&d[0], &["two-letter"]);
        assert_fix(&d[0], "Hong Kong");
        let d = one("usa");
        assert_eq!(d[0].suggestion.as_deref(), Some("USA"));
        assert_says(&d[0], &["lower case"]);
        assert_eq!(one("ES")[0].suggestion.as_deref(), Some("ESP"));
        let d = one("Spain");
        assert_eq!(places(&d), [(Severity::Error, Some(3))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("ESP"));
    }

    #[test]
    fn nonsense_has_no_suggestion() {
        let d = one("QQQQ");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].suggestion, None);
        assert!(d[0].fix.is_some());
    }
}
