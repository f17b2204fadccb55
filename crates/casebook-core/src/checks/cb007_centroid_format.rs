//! CB007 centroid-format: `centroid` is `[latitude, longitude]`: two numbers, in range, not
//! exchanged.
//!
//! Errors: not a list (a `"40.7, -74.0"` string gets the list as suggestion), not exactly two
//! items, items that are not numbers, out of range (with the exchanged pair suggested when
//! that is in range), `[0, 0]`, and a suspected exchange of the axes: the country of
//! `country_code` does not hold the point as written but holds it with latitude and longitude
//! exchanged. Numbers written as quoted text are a warning (the site expects floats). A
//! missing centroid is CB003's.

use serde_yaml::Value;

use super::util::{self, format_centroid};
use super::{Context, Diagnostic, Finding};
use crate::countries;
use crate::fields::{self, Centroid};

rule! {
    Rule007, "CB007", "centroid-format", "centroid is [latitude, longitude]: two numbers, within range, not exchanged."
}

const KEY: &str = "centroid";
const FORMAT_FIX: &str =
    "Write the centroid as [latitude, longitude] in decimal degrees, e.g. [40.712778, -74.006111].";

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let Some(value) = doc.value(KEY) else {
        return;
    };
    let line = util::key_line(doc, KEY);
    let err = |message: String| Finding::field(CODE, KEY, line).error(message);
    let items = match value {
        Value::Null => return,
        Value::Sequence(items) => items,
        Value::String(s) if s.trim().is_empty() => return,
        other => {
            let text = fields::as_text(other).unwrap_or_default();
            let nums = numbers_in(&text);
            let mut d = err(format!(
                "`{KEY}` is `{}`, not a [latitude, longitude] list",
                text.trim()
            ))
            .with_fix(FORMAT_FIX);
            if let [lat, lon] = nums[..] {
                let c = Centroid { lat, lon };
                if c.in_range() {
                    d = d
                        .with_fix(format!(
                            "Put the two numbers in square brackets: {}.",
                            format_centroid(lat, lon)
                        ))
                        .with_suggestion(format_centroid(lat, lon));
                }
            }
            out.push(d);
            return;
        }
    };
    if items.len() != 2 {
        out.push(
            err(format!(
                "`{KEY}` has {} where it needs exactly two numbers, [latitude, longitude]",
                util::plural(items.len(), "item")
            ))
            .with_fix(FORMAT_FIX),
        );
        return;
    }
    let mut quoted = false;
    let mut nums = [0.0f64; 2];
    for (i, item) in items.iter().enumerate() {
        let n = match item {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => {
                quoted = true;
                s.trim().parse::<f64>().ok()
            }
            _ => None,
        };
        let Some(n) = n.filter(|n| n.is_finite()) else {
            out.push(
                err(format!(
                    "`{KEY}`'s {} is `{}`, not a number",
                    if i == 0 {
                        "latitude (first item)"
                    } else {
                        "longitude (second item)"
                    },
                    fields::as_text(item).unwrap_or_else(|| "a list or map".to_string())
                ))
                .with_fix(FORMAT_FIX),
            );
            return;
        };
        nums[i] = n;
    }
    let [lat, lon] = nums;
    let c = Centroid { lat, lon };
    if !c.in_range() {
        let swapped = Centroid { lat: lon, lon: lat };
        let mut d = err(format!(
            "`{KEY}` {} is out of range: latitude must be within ±90 and longitude within ±180",
            format_centroid(lat, lon)
        ));
        d = if swapped.in_range() {
            d.with_fix(format!(
                "The numbers look exchanged: the front matter wants [latitude, longitude], so write {}.",
                format_centroid(lon, lat)
            ))
            .with_suggestion(format_centroid(lon, lat))
        } else {
            d.with_fix(FORMAT_FIX)
        };
        out.push(d);
        return;
    }
    if lat == 0.0 && lon == 0.0 {
        out.push(
            err(format!(
                "`{KEY}` is [0, 0], a point in the Atlantic Ocean; it looks like a placeholder"
            ))
            .with_fix(FORMAT_FIX),
        );
        return;
    }
    if util::swapped_in_country(doc, c) {
        let country = util::text_value(doc, "country_code")
            .and_then(|code| countries::by_iso3(&code))
            .map_or("the country", |c| c.name);
        out.push(
            err(format!(
                "`{KEY}` {} lies outside {country}, but {} (latitude and longitude exchanged) lies inside: the numbers look swapped",
                format_centroid(lat, lon),
                format_centroid(lon, lat)
            ))
            .with_fix(format!(
                "Write the centroid as [latitude, longitude]: {}.",
                format_centroid(lon, lat)
            ))
            .with_suggestion(format_centroid(lon, lat)),
        );
        return;
    }
    if quoted {
        out.push(
            Finding::field(CODE, KEY, line)
                .warning(format!(
                    "`{KEY}` has its numbers in quotes, so the atlas reads text, not numbers"
                ))
                .with_fix(format!("Remove the quotes: {}.", format_centroid(lat, lon)))
                .with_suggestion(format_centroid(lat, lon)),
        );
    }
}

/// The numbers in a text such as `40.7, -74.0` or `(40.7 -74.0)`.
fn numbers_in(text: &str) -> Vec<f64> {
    text.split(|c: char| {
        !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
    })
    .filter(|t| !t.is_empty())
    .filter_map(|t| t.parse::<f64>().ok())
    .filter(|n| n.is_finite())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, check, only, places};
    use super::*;
    use crate::checks::Severity;

    fn one(value: &str, code: &str) -> Vec<Diagnostic> {
        let front = format!("title: T\ncountry_code: {code}\ncentroid: {value}");
        check(&Rule007, &front, "")
    }

    #[test]
    fn good_centroids_are_quiet() {
        for (centroid, code) in [
            ("[40.712778, -74.006111]", "USA"),
            ("[40, -74]", "USA"),
            ("", "USA"),
            // Unknown country: no exchange test.
            ("[40.712778, -74.006111]", "XX"),
            ("[40.4168, -3.7038]", "ESP"),
        ] {
            assert_quiet(&one(centroid, code), centroid);
        }
    }

    #[test]
    fn string_gets_a_list() {
        let d = one("40.712778, -74.006111", "USA");
        assert_eq!(places(&d), [(Severity::Error, Some(4))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("[40.712778, -74.006111]"));
    }

    #[test]
    fn wrong_item_count_and_types() {
        assert_says(&one("[40.7]", "USA")[0], &["1 item"]);
        assert_says(&one("[1, 2, 3]", "USA")[0], &["3 items"]);
        assert_says(&one("[north, -74]", "USA")[0], &["latitude"]);
        let d = one("[\"40.7\", \"-74.0\"]", "USA");
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_eq!(d[0].suggestion.as_deref(), Some("[40.7, -74.0]"));
    }

    #[test]
    fn out_of_range_and_zero() {
        let d = one("[140.712778, -74.006111]", "USA");
        assert_says(&d[0], &["out of range"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("[-74.006111, 140.712778]"));
        assert_eq!(one("[200, 300]", "USA")[0].suggestion, None);
        let d = one("[120.5, 30.2]", "CHN");
        assert_eq!(d[0].suggestion.as_deref(), Some("[30.2, 120.5]"));
        assert_says(&one("[0, 0]", "USA")[0], &["placeholder"]);
    }

    #[test]
    fn swapped_axes_inside_the_country() {
        // Madrid written [lon, lat].
        let d = one("[-3.7038, 40.4168]", "ESP");
        assert_says(only(&d), &["swapped"]);
        assert_eq!(d[0].suggestion.as_deref(), Some("[40.4168, -3.7038]"));
    }
}
