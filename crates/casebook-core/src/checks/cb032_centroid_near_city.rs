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
use super::{Context, Diagnostic};
use crate::geometry::LonLat;
use crate::places::{self, Place};

rule! {
    Rule032, "CB032", "centroid-near-city", "The centroid lies within about 50 km of the city (more for large cities), when the offline gazetteer knows the city."
}

const KEY: &str = "centroid";
/// Places smaller than this (or of unknown population) never cause a warning.
const MIN_POPULATION: u32 = 10_000;
/// How many times as populous as the next namesake a place must be to be proposed.
const DOMINANCE: u32 = 8;

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
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
            super::Finding::field(CODE, KEY, line)
                .warning(format!(
                    "`{KEY}` {written}: latitude and longitude look swapped; {swapped} is {} from {}, the case's `city`",
                    km_text(km),
                    place.label()
                ))
                .with_fix(format!(
                    "Write the centroid as [latitude, longitude]: {swapped}."
                ))
                .with_suggestion(swapped)
        }
        Finding::Far { place, km, others } if others.is_empty() => {
            let there = format_centroid(place.position.lat, place.position.lon);
            super::Finding::field(CODE, KEY, line)
                .warning(format!(
                    "`{KEY}` {written} is about {} from {}, the case's `city`",
                    km_text(km),
                    place.label()
                ))
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
            super::Finding::field(CODE, KEY, line)
                .warning(format!(
                    "`{KEY}` {written} is about {} from the nearest of the {} places called {city} in {country} ({})",
                    km_text(km),
                    others.len() + 1,
                    place.label()
                ))
                .with_fix(format!(
                    "Set the centroid to the project's [latitude, longitude], or make `city` name the place; the gazetteer knows {}.",
                    list.join("; ")
                ))
        }
    };
    out.push(d);
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out} km")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::util::testing::{
        self, assert_fix, assert_quiet, assert_says, check, messages, only, places,
    };
    use super::*;
    use crate::case::Case;
    use crate::checks::Severity;
    use crate::template::TemplateSet;

    fn one(city: &str, code: &str, centroid: &str) -> Vec<Diagnostic> {
        let front = format!("title: T\ncity: {city}\ncountry_code: {code}\ncentroid: {centroid}");
        check(&Rule032, &front, "")
    }

    /// Asserts that each (city, country code, centroid) gives no finding.
    fn all_quiet(cases: &[(&str, &str, &str)]) {
        for (city, code, centroid) in cases {
            assert_quiet(
                &one(city, code, centroid),
                &format!("{city} {code} {centroid}"),
            );
        }
    }

    #[test]
    fn near_the_city_is_quiet() {
        all_quiet(&[
            ("Madrid", "ESP", "[40.4168, -3.7038]"),
            // 30 km out, within reach.
            ("Madrid", "ESP", "[40.6, -3.5]"),
            // Accents and case.
            ("montreal", "CAN", "[45.52, -73.56]"),
            // 80 km from Tianjin's centre: a city of 11 million reaches that far.
            ("Tianjin", "CHN", "[39.2, 118.1]"),
        ]);
    }

    #[test]
    fn far_proposes_the_city() {
        // Copenhagen named, the middle of Jutland given.
        let d = one("Copenhagen", "DNK", "[56.26, 9.5]");
        assert_eq!(places(&d), [(Severity::Warning, Some(5))]);
        assert_says(
            &d[0],
            &["is about 202 km from Copenhagen, Capital Region, Denmark"],
        );
        assert_eq!(d[0].suggestion.as_deref(), Some("[55.6759, 12.5655]"));
    }

    #[test]
    fn swapped_axes_are_named_as_such() {
        // Cairo written [lon, lat]: the swapped point is in Egypt too (near Alexandria's
        // coast), so CB007 cannot tell, and this rule can.
        let d = one("Cairo", "EGY", "[31.2357, 30.0444]");
        assert_says(only(&d), &["latitude and longitude look swapped"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("[30.0444, 31.2357]"));
        // Madrid swapped: the country does not hold the point, so CB007 reports it.
        all_quiet(&[("Madrid", "ESP", "[-3.7038, 40.4168]")]);
        assert!(matches!(
            assess("Madrid", "ESP", LonLat::new(40.4168, -3.7038)),
            Some(Finding::Swapped { .. })
        ));
    }

    #[test]
    fn namesakes_near_any_are_quiet_and_far_from_all_list_them() {
        // Cambridge, Ohio.
        all_quiet(&[("Cambridge", "USA", "[40.03, -81.59]")]);
        // Cambridge, Massachusetts dominates the other Cambridges of the United States.
        let d = one("Cambridge", "USA", "[29.76, -95.37]");
        assert_says(only(&d), &["Cambridge, Massachusetts"]);
        assert!(d[0].suggestion.is_some());
        // Two Suzhous of like size: far from both lists both and proposes nothing.
        let d = one("Suzhou", "CHN", "[39.9, 116.4]");
        assert_says(only(&d), &["of the 2 places called Suzhou in China"]);
        assert_fix(&d[0], "Suzhou, Jiangsu");
        assert_fix(&d[0], "Suzhou, Anhui");
        assert_eq!(d[0].suggestion, None);
    }

    #[test]
    fn parts_districts_and_small_namesakes() {
        all_quiet(&[
            // Any part near is enough.
            ("Yongsan, Seoul", "KOR", "[37.53, 126.96]"),
            ("Ōtautahi-Christchurch", "NZL", "[-43.53, 172.64]"),
            // A name the gazetteer knows only as a village does not warn.
            ("Yongsan", "KOR", "[37.53, 126.96]"),
            // Unknown names, regions and fillers are not the gazetteer's to judge.
            ("Tabuk Province", "SAU", "[28.0, 35.2]"),
            ("Innisful", "CAN", "[10.0, 10.0]"),
            ("nan", "ESP", "[10.0, 10.0]"),
        ]);
    }

    #[test]
    fn unusable_values_are_other_rules_business() {
        all_quiet(&[
            ("Madrid", "XXX", "[10.0, 10.0]"),
            ("Madrid", "ESP", "[0, 0]"),
            ("Madrid", "ESP", "[100, 10]"),
            ("Madrid", "ESP", "x"),
        ]);
        let no_city = "title: T\ncountry_code: ESP\ncentroid: [1, 1]";
        assert_quiet(&check(&Rule032, no_city, ""), no_city);
        // An alpha-2 code still finds the city (CB005 reports the code).
        let d = one("Madrid", "es", "[41.39, 2.17]");
        assert_eq!(d.len(), 1);
    }

    /// The corpus's case documents: `cases/*`, `retired/*`, `_incoming/stubs/*`
    /// (`index.md`); `None` without `CASEBOOK_CORPUS`.
    fn corpus() -> Option<Vec<std::path::PathBuf>> {
        let Some(root) = std::env::var_os("CASEBOOK_CORPUS").map(std::path::PathBuf::from) else {
            eprintln!("CASEBOOK_CORPUS is not set: CB032 corpus test skipped");
            return None;
        };
        let mut out = Vec::new();
        for group in ["cases", "retired", "_incoming/stubs"] {
            let Ok(entries) = std::fs::read_dir(root.join(group)) else {
                panic!("cannot read {}", root.join(group).display());
            };
            for e in entries.flatten() {
                let index = e.path().join("index.md");
                if index.is_file() {
                    out.push(index);
                }
            }
        }
        out.sort();
        Some(out)
    }

    fn check_case(case: &Case) -> Vec<Diagnostic> {
        let set = TemplateSet::bundled();
        testing::check_case(
            &Rule032,
            case,
            set.for_document(case.doc()),
            Default::default(),
        )
    }

    fn folder_name(index: &std::path::Path) -> String {
        index
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Every corpus case was inspected by hand: the one finding is true (the case names
    /// Copenhagen, and its centroid is the middle of Denmark, 200 km west).
    #[test]
    fn corpus_findings() {
        let Some(paths) = corpus() else {
            return;
        };
        assert!(paths.len() >= 55, "{} cases", paths.len());
        let mut fired = Vec::new();
        for p in &paths {
            let case = Case::open(p).unwrap();
            for d in check_case(&case) {
                eprintln!("{}: {}", folder_name(p), d.located_message());
                fired.push((folder_name(p), d));
            }
        }
        eprintln!(
            "CB032 fires on {} of {} corpus cases",
            fired.len(),
            paths.len()
        );
        assert_eq!(fired.len(), 1, "{fired:?}");
        let (name, d) = &fired[0];
        assert_eq!(name, "sgp-singapore-smart-nation-strategy");
        assert!(
            d.message
                .contains("from Copenhagen, Capital Region, Denmark"),
            "{}",
            d.message
        );
        assert_eq!(d.suggestion.as_deref(), Some("[55.6759, 12.5655]"));
        assert_eq!(d.line, Some(10));
    }

    /// A copy of a corpus case (its `index.md` and GeoJSON files) in a temporary folder,
    /// with `centroid` (and, when given, `country_code`) rewritten.
    fn copy_with(
        name: &str,
        centroid: &str,
        country_code: Option<&str>,
    ) -> Option<(tempfile::TempDir, Case)> {
        let paths = corpus()?;
        let Some(index) = paths.iter().find(|p| folder_name(p) == name) else {
            panic!("no corpus case {name}");
        };
        let src = index.parent().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        for e in std::fs::read_dir(src).unwrap().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "geojson") {
                std::fs::copy(&p, dir.join(e.file_name())).unwrap();
            }
        }
        let text = std::fs::read_to_string(index).unwrap();
        let mut lines: Vec<String> = Vec::new();
        for line in text.lines() {
            if line.starts_with("centroid:") {
                lines.push(format!("centroid: {centroid}"));
            } else if let (true, Some(code)) = (line.starts_with("country_code:"), country_code) {
                lines.push(format!("country_code: {code}"));
            } else {
                lines.push(line.to_string());
            }
        }
        std::fs::write(dir.join("index.md"), lines.join("\n") + "\n").unwrap();
        let case = Case::open(&dir.join("index.md")).unwrap();
        Some((tmp, case))
    }

    fn all_rules(case: &Case) -> Vec<Diagnostic> {
        let set = TemplateSet::bundled();
        crate::checks::run(case, set.for_document(case.doc()))
    }

    #[test]
    fn corpus_case_with_its_centroid_swapped() {
        // Madrid Nuevo Norte, [40.472094, -3.682731] written the other way round.
        let Some((_tmp, case)) =
            copy_with("esp-madrid-nuevo-norte", "[-3.682731, 40.472094]", None)
        else {
            return;
        };
        // Spain does not hold the point as written but holds it swapped: CB007 reports
        // the exchange, and this rule, which sees it too, stays silent.
        assert!(matches!(
            assess("Madrid", "ESP", LonLat::new(40.472094, -3.682731)),
            Some(Finding::Swapped { .. })
        ));
        let d = all_rules(&case);
        let swaps: Vec<&Diagnostic> = d.iter().filter(|d| d.message.contains("swapped")).collect();
        assert_eq!(swaps.len(), 1, "{:?}", messages(&d));
        assert_eq!(swaps[0].code, "CB007");
        assert_eq!(
            swaps[0].suggestion.as_deref(),
            Some("[40.472094, -3.682731]")
        );
        assert!(d.iter().all(|d| d.code != CODE), "{:?}", messages(&d));

        // With the country written "es" (as the Hong Kong case writes "HK"), CB007 cannot
        // place the country; the city tells this rule the axes are swapped.
        let Some((_tmp, case)) = copy_with(
            "esp-madrid-nuevo-norte",
            "[-3.682731, 40.472094]",
            Some("es"),
        ) else {
            return;
        };
        let d = all_rules(&case);
        let swaps: Vec<&Diagnostic> = d.iter().filter(|d| d.message.contains("swapped")).collect();
        assert_eq!(swaps.len(), 1, "{:?}", messages(&d));
        assert_eq!(swaps[0].code, CODE);
        assert!(
            swaps[0]
                .message
                .contains("latitude and longitude look swapped; [40.472094, -3.682731] is"),
            "{}",
            swaps[0].message
        );
        assert!(
            swaps[0].message.contains("from Madrid, Spain"),
            "{}",
            swaps[0].message
        );
        assert_eq!(
            swaps[0].suggestion.as_deref(),
            Some("[40.472094, -3.682731]")
        );
        assert!(d.iter().any(|d| d.code == "CB005"), "{:?}", messages(&d));
    }

    #[test]
    fn corpus_case_with_its_centroid_in_another_city() {
        // Detroit's Michigan Central with Chicago's coordinates.
        let Some((_tmp, case)) =
            copy_with("usa-detroit-michigan-central", "[41.8781, -87.6298]", None)
        else {
            return;
        };
        let d: Vec<Diagnostic> = all_rules(&case)
            .into_iter()
            .filter(|d| d.code == CODE)
            .collect();
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert!(
            d[0].message
                .contains("is about 381 km from Detroit, Michigan, United States"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].suggestion.as_deref(), Some("[42.3314, -83.0458]"));
        // The case as it is: quiet.
        let Some((_tmp, case)) = copy_with(
            "usa-detroit-michigan-central",
            "[42.32871640851587, -83.07776625954314]",
            None,
        ) else {
            return;
        };
        assert!(check_case(&case).is_empty());
    }

    #[test]
    fn km_are_readable() {
        assert_eq!(km_text(7.46), "7.5 km");
        assert_eq!(km_text(190.4), "190 km");
        assert_eq!(km_text(1234.0), "1,234 km");
    }
}
