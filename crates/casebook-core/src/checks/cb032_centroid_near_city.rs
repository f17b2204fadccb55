//! CB032 centroid-near-city: the centroid is near the case's `city`, when the offline
//! gazetteer ([`crate::places`]) knows that city in the country of `country_code`.
//!
//! "Near" is within the city's reach: about 50 km, more for cities of over a million people
//! ([`Place::reach_km`]: Tianjin, 91 km). Farther is a warning that proposes the city's
//! coordinates; when the centroid with latitude and longitude exchanged is near the city,
//! the warning says they look swapped and proposes the exchange instead.
//!
//! Conservative, as a gazetteer is no authority on what a case means by its `city`:
//! - **Ambiguous names.** When several places of the country bear the name, the centroid
//!   may be near any of them (Cambridge, Massachusetts or Cambridge, Ohio). When it is
//!   near none, the warning proposes the most populous only if it is at least eight times
//!   as populous as the next (Cambridge, Massachusetts; not Suzhou, Jiangsu over Suzhou,
//!   Anhui); otherwise it lists them and proposes nothing.
//! - **Districts and parts.** A `city` with several parts ("Yongsan, Seoul",
//!   "Ōtautahi-Christchurch") is near when it is near a place named by any part.
//! - **Small namesakes.** A name known only for places under 10,000 people (or of unknown
//!   population) never warns: it is as likely a district or a project of the same name
//!   as the place the gazetteer knows ("Yongsan" is a village in the gazetteer, and a
//!   district of Seoul in the corpus).
//! - **Silence** when the city is unknown (typos, projects, regions: "Tabuk Province"),
//!   when the centroid or code is unusable (CB007 and CB005 report those), and when CB007
//!   already reports the axes as exchanged (the country holds the swapped point).
//!
//! Names are matched folded (case, accents, punctuation: "Montreal" is Montréal) and by
//! the gazetteer's alternate names ("Bombay", "苏州"). The country code may be alpha-3 or
//! alpha-2 ("HK"; CB005 reports the latter).

use super::util::{self, format_centroid};
use super::{Context, Diagnostic, Rule, Severity};
use crate::geometry::LonLat;
use crate::places::{self, Place};

/// CB032.
pub struct Rule032;

const CODE: &str = "CB032";
const KEY: &str = "centroid";
/// Places smaller than this (or of unknown population) never cause a warning.
const MIN_POPULATION: u32 = 10_000;
/// How many times as populous as the next namesake a place must be to be proposed.
const DOMINANCE: u32 = 8;

impl Rule for Rule032 {
    fn code(&self) -> &'static str {
        CODE
    }

    fn name(&self) -> &'static str {
        "centroid-near-city"
    }

    fn description(&self) -> &'static str {
        "The centroid lies within about 50 km of the city (more for large cities), when the offline gazetteer knows the city."
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let doc = ctx.case.doc();
        let Some(c) = util::centroid(doc) else {
            return;
        };
        if c.lat == 0.0 && c.lon == 0.0 {
            return;
        }
        let Some(city) = util::text_value(doc, "city").filter(|v| !util::is_filler(v)) else {
            return;
        };
        let Some(iso3) = util::text_value(doc, "country_code")
            .as_deref()
            .and_then(places::resolve_country)
        else {
            return;
        };
        let line = util::key_line(doc, KEY);
        let Some(finding) = assess(&city, iso3, LonLat::new(c.lon, c.lat)) else {
            return;
        };
        let country = places::common_country_name(iso3);
        let written = format_centroid(c.lat, c.lon);
        let d = match finding {
            Finding::Swapped { place, km } => {
                if util::swapped_in_country(doc, c) {
                    // CB007 reports it, with the same fix.
                    return;
                }
                let swapped = format_centroid(c.lon, c.lat);
                Diagnostic::field(
                    CODE,
                    Severity::Warning,
                    KEY,
                    line,
                    format!(
                        "`{KEY}` {written}: latitude and longitude look swapped; {swapped} is {} from {}, the case's `city`",
                        km_text(km),
                        place.label()
                    ),
                )
                .with_fix(format!(
                    "Write the centroid as [latitude, longitude]: {swapped}."
                ))
                .with_suggestion(swapped)
            }
            Finding::Far { place, km, others } if others.is_empty() => {
                let there = format_centroid(place.position.lat, place.position.lon);
                Diagnostic::field(
                    CODE,
                    Severity::Warning,
                    KEY,
                    line,
                    format!(
                        "`{KEY}` {written} is about {} from {}, the case's `city`",
                        km_text(km),
                        place.label()
                    ),
                )
                .with_fix(format!(
                    "If the case is in {}, set the centroid to the city's coordinates, {there}, or to the project's own; if it is elsewhere, correct `city`.",
                    place.name
                ))
                .with_suggestion(there)
            }
            Finding::Far { place, km, others } => {
                let mut list: Vec<String> = std::iter::once(&place)
                    .chain(others.iter())
                    .take(4)
                    .map(|p| {
                        format!(
                            "{} {}",
                            p.label(),
                            format_centroid(p.position.lat, p.position.lon)
                        )
                    })
                    .collect();
                if others.len() > 3 {
                    list.push(format!("{} more", others.len() - 3));
                }
                Diagnostic::field(
                    CODE,
                    Severity::Warning,
                    KEY,
                    line,
                    format!(
                        "`{KEY}` {written} is about {} from the nearest of the {} places called {city} in {country} ({})",
                        km_text(km),
                        others.len() + 1,
                        place.label()
                    ),
                )
                .with_fix(format!(
                    "Set the centroid to the project's [latitude, longitude], or make `city` name the place; the gazetteer knows {}.",
                    list.join("; ")
                ))
            }
        };
        out.push(d);
    }
}

/// What the rule found about a centroid and a city.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Finding {
    /// The centroid with its axes exchanged is near the city.
    Swapped {
        /// The place it is near.
        place: Place,
        /// How far the exchanged point is from it.
        km: f64,
    },
    /// The centroid is far from every place of that name.
    Far {
        /// The one to propose (the dominant namesake), or the nearest when none dominates
        /// (then `others` holds the rest).
        place: Place,
        /// How far the centroid is from `place`.
        km: f64,
        /// The other sizeable namesakes, when none dominates; empty otherwise.
        others: Vec<Place>,
    },
}

/// The rule's verdict on a centroid (`at`, lon/lat) for a `city` in a country (alpha-3);
/// `None` when there is nothing to say.
pub(crate) fn assess(city: &str, iso3: &str, at: LonLat) -> Option<Finding> {
    let candidates = places::city_candidates(city, iso3);
    let near = |p: &Place, point: LonLat| p.distance_km(point) <= p.reach_km();
    if candidates.is_empty() || candidates.iter().any(|p| near(p, at)) {
        return None;
    }
    if (-90.0..=90.0).contains(&at.lon) {
        let swapped = LonLat::new(at.lat, at.lon);
        if let Some(place) = candidates
            .iter()
            .filter(|p| near(p, swapped))
            .min_by(|a, b| a.distance_km(swapped).total_cmp(&b.distance_km(swapped)))
        {
            return Some(Finding::Swapped {
                place: *place,
                km: place.distance_km(swapped),
            });
        }
    }
    // Most populous first (city_candidates' order).
    let sizeable: Vec<Place> = candidates
        .into_iter()
        .filter(|p| p.population >= MIN_POPULATION)
        .collect();
    let (first, rest) = sizeable.split_first()?;
    let dominant = rest
        .first()
        .is_none_or(|next| next.population.saturating_mul(DOMINANCE) <= first.population);
    if dominant {
        return Some(Finding::Far {
            place: *first,
            km: first.distance_km(at),
            others: Vec::new(),
        });
    }
    let mut by_distance = sizeable;
    by_distance.sort_by(|a, b| a.distance_km(at).total_cmp(&b.distance_km(at)));
    let (nearest, others) = by_distance.split_first()?;
    Some(Finding::Far {
        place: *nearest,
        km: nearest.distance_km(at),
        others: others.to_vec(),
    })
}

/// `7.5 km`, `190 km`, `1,234 km`.
fn km_text(km: f64) -> String {
    if km < 10.0 {
        return format!("{km:.1} km");
    }
    let n = km.round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out} km")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::util::testing::{doc, messages, run};
    use super::*;

    fn one(city: &str, code: &str, centroid: &str) -> Vec<Diagnostic> {
        run(
            &Rule032,
            &doc(
                &format!("title: T\ncity: {city}\ncountry_code: {code}\ncentroid: {centroid}"),
                "",
            ),
        )
    }

    #[test]
    fn near_the_city_is_quiet() {
        assert!(one("Madrid", "ESP", "[40.4168, -3.7038]").is_empty());
        // 30 km out, within reach.
        assert!(one("Madrid", "ESP", "[40.6, -3.5]").is_empty());
        // Accents and case.
        assert!(one("montreal", "CAN", "[45.52, -73.56]").is_empty());
        // 80 km from Tianjin's centre: a city of 11 million reaches that far.
        assert!(one("Tianjin", "CHN", "[39.2, 118.1]").is_empty());
    }

    #[test]
    fn far_proposes_the_city() {
        // Copenhagen named, the middle of Jutland given.
        let d = one("Copenhagen", "DNK", "[56.26, 9.5]");
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].line, Some(5));
        assert!(
            d[0].message
                .contains("is about 202 km from Copenhagen, Capital Region, Denmark"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].suggestion.as_deref(), Some("[55.6759, 12.5655]"));
    }

    #[test]
    fn swapped_axes_are_named_as_such() {
        // Cairo written [lon, lat]: the swapped point is in Egypt too (near Alexandria's
        // coast), so CB007 cannot tell, and this rule can.
        let d = one("Cairo", "EGY", "[31.2357, 30.0444]");
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert!(
            d[0].message.contains("latitude and longitude look swapped"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].suggestion.as_deref(), Some("[30.0444, 31.2357]"));
        // Madrid swapped: the country does not hold the point, so CB007 reports it.
        assert!(one("Madrid", "ESP", "[-3.7038, 40.4168]").is_empty());
        assert!(matches!(
            assess("Madrid", "ESP", LonLat::new(40.4168, -3.7038)),
            Some(Finding::Swapped { .. })
        ));
    }

    #[test]
    fn namesakes_near_any_are_quiet_and_far_from_all_list_them() {
        // Cambridge, Ohio.
        assert!(one("Cambridge", "USA", "[40.03, -81.59]").is_empty());
        // Cambridge, Massachusetts dominates the other Cambridges of the United States.
        let d = one("Cambridge", "USA", "[29.76, -95.37]");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("Cambridge, Massachusetts"),
            "{}",
            d[0].message
        );
        assert!(d[0].suggestion.is_some());
        // Two Suzhous of like size: far from both lists both and proposes nothing.
        let d = one("Suzhou", "CHN", "[39.9, 116.4]");
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert!(
            d[0].message
                .contains("of the 2 places called Suzhou in China"),
            "{}",
            d[0].message
        );
        let fix = d[0].fix.as_deref().unwrap_or_default();
        assert!(
            fix.contains("Suzhou, Jiangsu") && fix.contains("Suzhou, Anhui"),
            "{fix}"
        );
        assert_eq!(d[0].suggestion, None);
    }

    #[test]
    fn parts_districts_and_small_namesakes() {
        // Any part near is enough.
        assert!(one("Yongsan, Seoul", "KOR", "[37.53, 126.96]").is_empty());
        assert!(one("Ōtautahi-Christchurch", "NZL", "[-43.53, 172.64]").is_empty());
        // A name the gazetteer knows only as a village does not warn.
        assert!(one("Yongsan", "KOR", "[37.53, 126.96]").is_empty());
        // Unknown names, regions and fillers are not the gazetteer's to judge.
        assert!(one("Tabuk Province", "SAU", "[28.0, 35.2]").is_empty());
        assert!(one("Innisful", "CAN", "[10.0, 10.0]").is_empty());
        assert!(one("nan", "ESP", "[10.0, 10.0]").is_empty());
    }

    #[test]
    fn unusable_values_are_other_rules_business() {
        assert!(one("Madrid", "XXX", "[10.0, 10.0]").is_empty());
        assert!(one("Madrid", "ESP", "[0, 0]").is_empty());
        assert!(one("Madrid", "ESP", "[100, 10]").is_empty());
        assert!(one("Madrid", "ESP", "x").is_empty());
        assert!(
            run(
                &Rule032,
                &doc("title: T\ncountry_code: ESP\ncentroid: [1, 1]", "")
            )
            .is_empty()
        );
        // An alpha-2 code still finds the city (CB005 reports the code).
        let d = one("Madrid", "es", "[41.39, 2.17]");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn km_are_readable() {
        assert_eq!(km_text(7.46), "7.5 km");
        assert_eq!(km_text(190.4), "190 km");
        assert_eq!(km_text(1234.0), "1,234 km");
    }
}
