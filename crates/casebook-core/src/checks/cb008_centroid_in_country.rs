//! CB008 centroid-in-country: the centroid lies in the country of `country_code`.
//!
//! Within 25 km of the country's outline counts as inside (coastal cities, offshore districts,
//! coarse outlines). Farther is a warning that says how far, and which country the point is in
//! when it is in one. Silent when the centroid or code is unusable (CB007, CB005 report that),
//! when the country has no outline, and when CB007 already reports exchanged axes.

use super::util::{self, format_centroid};
use super::{Context, Diagnostic, Finding};
use crate::countries;

rule! {
    Rule008, "CB008", "centroid-in-country", "The centroid lies in (or within 25 km of) the country of country_code." => finding
}

const KEY: &str = "centroid";

fn finding(ctx: &Context<'_>) -> Option<Diagnostic> {
    let doc = ctx.case.doc();
    let c = util::centroid(doc)?;
    let code = util::text_value(doc, "country_code")?;
    let country = countries::by_iso3(&code)?;
    let km = country.distance_km(c.lon, c.lat)?;
    if km <= util::COUNTRY_SLACK_KM
        || util::swapped_in_country(doc, c)
        || (c.lat == 0.0 && c.lon == 0.0)
    {
        return None;
    }
    let there = match countries::country_at(c.lon, c.lat) {
        Some(other) => format!(", in {} ({})", other.name, other.iso3),
        None => String::new(),
    };
    Some(
        Finding::key(CODE, doc, KEY)
            .warning(format!(
                "`{KEY}` {} lies about {} km outside {} ({}){there}",
                format_centroid(c.lat, c.lon),
                km.round(),
                country.name,
                country.iso3
            ))
            .with_fix(format!(
                "Check the centroid ([latitude, longitude] of the project) and `country_code`; one of them is not about {}.",
                country.name
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    fn one(centroid: &str, code: &str) -> Vec<Diagnostic> {
        let front = format!("title: T\ncountry_code: {code}\ncentroid: {centroid}");
        check(&Rule008, &front, "")
    }

    #[test]
    fn inside_and_near_the_coast_are_quiet() {
        for (centroid, code) in [
            ("[40.4168, -3.7038]", "ESP"),
            ("[22.3193, 114.1694]", "HKG"),
            // Just offshore of Barcelona.
            ("[41.37, 2.25]", "ESP"),
            // Exchanged axes are CB007's.
            ("[-3.7038, 40.4168]", "ESP"),
            ("[40.4168, -3.7038]", "HK"),
        ] {
            assert_quiet(&one(centroid, code), centroid);
        }
    }

    #[test]
    fn elsewhere_says_how_far_and_where() {
        // Copenhagen with country_code SGP.
        let d = one("[55.68, 12.55]", "SGP");
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_says(&d[0], &["km outside Singapore", "Denmark"]);
    }
}
