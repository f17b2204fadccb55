//! The known front-matter fields: keys, labels, help, template order, typed values.
//!
//! Values are read leniently (real cases write years as numbers or text, tags as lists or a
//! comma string) and written as the atlas expects (`centroid: [lat, lon]`, tags as a list).

use serde_yaml::Value;

use crate::front_matter::FrontMatter;

/// A field Casebook gives its own widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `title`
    Title,
    /// `description`
    Description,
    /// `status`
    Status,
    /// `author`
    Author,
    /// `type`
    Type,
    /// `city`
    City,
    /// `country_code`
    CountryCode,
    /// `centroid`
    Centroid,
    /// `year_start`
    YearStart,
    /// `year_completed`
    YearCompleted,
    /// `featured_image`
    FeaturedImage,
    /// `featured_alt` (older cases: `featured_desc`)
    FeaturedAlt,
    /// `featured_credit`
    FeaturedCredit,
    /// `featured_credit_link`
    FeaturedCreditLink,
    /// `tags`
    Tags,
    /// `geography`
    Geography,
    /// `geography_caption`
    GeographyCaption,
    /// `template`
    Template,
}

impl Field {
    /// Every known field in form order.
    pub const ALL: [Field; 18] = [
        Field::Title,
        Field::Description,
        Field::Status,
        Field::Author,
        Field::Type,
        Field::City,
        Field::CountryCode,
        Field::Centroid,
        Field::YearStart,
        Field::YearCompleted,
        Field::FeaturedImage,
        Field::FeaturedAlt,
        Field::FeaturedCredit,
        Field::FeaturedCreditLink,
        Field::Tags,
        Field::Geography,
        Field::GeographyCaption,
        Field::Template,
    ];

    /// The YAML key (for [`Field::FeaturedAlt`], the new-style key).
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Status => "status",
            Field::Author => "author",
            Field::Type => "type",
            Field::City => "city",
            Field::CountryCode => "country_code",
            Field::Centroid => "centroid",
            Field::YearStart => "year_start",
            Field::YearCompleted => "year_completed",
            Field::FeaturedImage => "featured_image",
            Field::FeaturedAlt => "featured_alt",
            Field::FeaturedCredit => "featured_credit",
            Field::FeaturedCreditLink => "featured_credit_link",
            Field::Tags => "tags",
            Field::Geography => "geography",
            Field::GeographyCaption => "geography_caption",
            Field::Template => "template",
        }
    }

    /// The field for a key (`featured_desc` maps to [`Field::FeaturedAlt`]).
    pub fn from_key(key: &str) -> Option<Field> {
        if key == LEGACY_ALT_KEY {
            return Some(Field::FeaturedAlt);
        }
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// A short label for forms and messages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "Title",
            Field::Description => "Description",
            Field::Status => "Status",
            Field::Author => "Author",
            Field::Type => "Type",
            Field::City => "City",
            Field::CountryCode => "Country",
            Field::Centroid => "Centroid",
            Field::YearStart => "Year started",
            Field::YearCompleted => "Year completed",
            Field::FeaturedImage => "Featured image",
            Field::FeaturedAlt => "Image alt text",
            Field::FeaturedCredit => "Image credit",
            Field::FeaturedCreditLink => "Image credit link",
            Field::Tags => "Tags",
            Field::Geography => "Geography file",
            Field::GeographyCaption => "Map caption",
            Field::Template => "Template",
        }
    }

    /// What the field is for, in a sentence or two (shown as hover help).
    pub fn help(self) -> &'static str {
        match self {
            Field::Title => "The name of the project or plan as readers will search for it.",
            Field::Description => {
                "One or two sentences that say what the project is. It becomes the page's meta description, so keep it under about 160 characters."
            }
            Field::Status => {
                "Draft while you write, Review when it is ready for an editor, Complete when it may be published. Only Complete cases appear on the atlas."
            }
            Field::Author => {
                "Who wrote this case study (your name, or several names separated by commas)."
            }
            Field::Type => {
                "district: a place being built or rebuilt (a campus, a neighbourhood). plan: a strategy or programme for a whole city, region or country."
            }
            Field::City => "The city the project belongs to, in English.",
            Field::CountryCode => {
                "The country as an ISO 3166-1 alpha-3 code in capitals (ESP, HKG, USA). The folder name starts with the same code in lower case."
            }
            Field::Centroid => {
                "Where the atlas puts the pin: [latitude, longitude] in decimal degrees. Use the middle of the district, or of the city for a plan."
            }
            Field::YearStart => "The year the project or plan began.",
            Field::YearCompleted => {
                "The year it was (or is expected to be) finished. Text such as Ongoing or 2030 (Anticipated) is fine."
            }
            Field::FeaturedImage => {
                "The image at the top of the page: a landscape photo in the case folder, under 1 MB, that you are allowed to use."
            }
            Field::FeaturedAlt => "A short description of the image for people who cannot see it.",
            Field::FeaturedCredit => {
                "Who made the image (photographer, agency, and where it came from)."
            }
            Field::FeaturedCreditLink => "A link to the image's source, if there is one.",
            Field::Tags => {
                "Up to three themes from the atlas's list that best describe the project."
            }
            Field::Geography => {
                "The GeoJSON file in the case folder with the project's boundary, drawn on the case's map."
            }
            Field::GeographyCaption => "A caption shown under the map.",
            Field::Template => {
                "The template the case follows: case-study for full cases, stub for short entries."
            }
        }
    }
}

/// The older key for the featured image's alt text.
pub const LEGACY_ALT_KEY: &str = "featured_desc";

/// Default key order (the full template's order, with `template` after `description`): a new
/// key is inserted after the nearest key before it in this order.
pub const KEY_ORDER: &[&str] = &[
    "title",
    "description",
    "template",
    "status",
    "author",
    "type",
    "city",
    "country",
    "country_code",
    "centroid",
    "year_start",
    "year_completed",
    "featured_image",
    "featured_alt",
    "featured_desc",
    "featured_credit",
    "featured_credit_link",
    "tags",
    "geography",
    "geography_caption",
];

/// A template's key order with the known keys it lacks put where [`KEY_ORDER`] has them
/// (so `template:` lands after `description` even for templates without it).
pub fn merged_key_order(order: &[String]) -> Vec<String> {
    let mut merged: Vec<String> = order.to_vec();
    for (i, k) in KEY_ORDER.iter().enumerate() {
        if merged.iter().any(|m| m == k) {
            continue;
        }
        let after = KEY_ORDER[..i]
            .iter()
            .rev()
            .find_map(|p| merged.iter().position(|m| m == p));
        merged.insert(after.map_or(0, |a| a + 1), k.to_string());
    }
    merged
}

/// The key to write the image alt text to: `featured_desc` in older cases that use it,
/// `featured_alt` otherwise.
pub fn alt_key(fm: Option<&FrontMatter>) -> &'static str {
    match fm {
        Some(fm) if fm.entry("featured_alt").is_none() && fm.entry(LEGACY_ALT_KEY).is_some() => {
            LEGACY_ALT_KEY
        }
        _ => "featured_alt",
    }
}

/// The key a field is written to in this front matter.
pub fn key_in(field: Field, fm: Option<&FrontMatter>) -> &'static str {
    match field {
        Field::FeaturedAlt => alt_key(fm),
        f => f.key(),
    }
}

/// A value as text: strings as they are, numbers and booleans printed; `None` for null,
/// lists and maps.
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => as_text(&t.value),
        _ => None,
    }
}

/// A location as the front matter writes it: `[lat, lon]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Centroid {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

impl Centroid {
    /// Reads `[lat, lon]` (numbers or numeric strings). `None` for anything else.
    pub fn from_value(v: &Value) -> Option<Centroid> {
        let Value::Sequence(items) = v else {
            return None;
        };
        if items.len() != 2 {
            return None;
        }
        let num = |v: &Value| match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let lat = num(&items[0])?;
        let lon = num(&items[1])?;
        (lat.is_finite() && lon.is_finite()).then_some(Centroid { lat, lon })
    }

    /// The value to write for this centroid: `current` itself when it already holds this
    /// place (compared as numbers, so a full-precision value is not rewritten rounded), else
    /// [`Centroid::to_value`].
    pub fn value_for(self, current: Option<&Value>) -> Value {
        match current {
            Some(v)
                if Centroid::from_value(v) == Some(self)
                    && matches!(v, Value::Sequence(items) if items.iter().all(|i| matches!(i, Value::Number(_)))) =>
            {
                v.clone()
            }
            _ => self.to_value(),
        }
    }

    /// The edit that writes this centroid into `fm`'s `centroid`: always the atlas's flow list
    /// `[lat, lon]` (the front-matter writer keeps that form), and the value already there
    /// when it holds this place (see [`Centroid::value_for`]).
    pub fn edit_in(self, fm: Option<&FrontMatter>) -> crate::edit::Edit {
        let key = Field::Centroid.key().to_string();
        let value = self.value_for(fm.and_then(|fm| fm.value(&key)));
        crate::edit::Edit::SetField { key, value }
    }

    /// `[lat, lon]` rounded to 6 decimals (about 0.1 m), the way the atlas writes it.
    pub fn to_value(self) -> Value {
        Value::Sequence(vec![
            Value::Number(round6(self.lat).into()),
            Value::Number(round6(self.lon).into()),
        ])
    }

    /// The same place as a GeoJSON-order point.
    pub fn to_lon_lat(self) -> crate::geometry::LonLat {
        crate::geometry::LonLat::new(self.lon, self.lat)
    }

    /// The centroid of a GeoJSON-order point.
    pub fn from_lon_lat(p: crate::geometry::LonLat) -> Centroid {
        Centroid {
            lat: p.lat,
            lon: p.lon,
        }
    }

    /// Whether latitude and longitude are within their ranges.
    pub fn in_range(self) -> bool {
        (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lon)
    }
}

/// `x` rounded to 6 decimals.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A year field: a year, or text such as `Ongoing` or `2024 (Anticipated)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearValue {
    /// A four-digit year.
    Year(i32),
    /// Anything else.
    Text(String),
}

impl YearValue {
    /// Reads a year field; `None` for null or an empty string.
    pub fn from_value(v: &Value) -> Option<YearValue> {
        let t = as_text(v)?;
        let t = t.trim();
        if t.is_empty() {
            return None;
        }
        Some(match t.parse::<i32>() {
            Ok(y) => YearValue::Year(y),
            Err(_) => YearValue::Text(t.to_string()),
        })
    }

    /// Parses what an author typed.
    pub fn parse(s: &str) -> Option<YearValue> {
        YearValue::from_value(&Value::String(s.to_string()))
    }

    /// The year this value starts with (`2024 (Anticipated)` → 2024), if any.
    pub fn leading_year(&self) -> Option<i32> {
        match self {
            YearValue::Year(y) => Some(*y),
            YearValue::Text(t) => {
                let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
                (digits.len() == 4).then(|| digits.parse().ok()).flatten()
            }
        }
    }

    /// The YAML value: a number for a year when `as_number`, else a string.
    pub fn to_value(&self, as_number: bool) -> Value {
        match self {
            YearValue::Year(y) if as_number => Value::Number((*y as i64).into()),
            YearValue::Year(y) => Value::String(y.to_string()),
            YearValue::Text(t) => Value::String(t.clone()),
        }
    }

    /// As shown in a form.
    pub fn display(&self) -> String {
        match self {
            YearValue::Year(y) => y.to_string(),
            YearValue::Text(t) => t.clone(),
        }
    }
}

/// Words a year field may hold instead of a year (the atlas writes `year_completed: Ongoing`).
pub const YEAR_WORDS: &[&str] = &["Ongoing"];

/// Why `value` is not something the year field `field` takes, if it is not.
///
/// A year field takes a four-digit year (`2015`, as a number or text), a year followed by a
/// note (`2030 (Anticipated)`, `2015 approved`), or nothing; `year_completed` also takes an
/// approximate year (`~2030`) and the words of [`YEAR_WORDS`] (any case). The templates list
/// no other values for years. Other fields: always `None`.
pub fn year_problem(field: Field, value: &Value) -> Option<String> {
    if !matches!(field, Field::YearStart | Field::YearCompleted) {
        return None;
    }
    let ok = match value {
        Value::Null => true,
        Value::Number(n) => n.as_i64().is_some_and(|y| (1000..=9999).contains(&y)),
        Value::String(s) => {
            let t = s.trim();
            let t = match field {
                Field::YearCompleted => t.strip_prefix('~').unwrap_or(t),
                _ => t,
            };
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            let year_led = digits == 4
                && t[4..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == '(' || c == ',');
            t.is_empty()
                || year_led
                || (field == Field::YearCompleted
                    && YEAR_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)))
        }
        _ => false,
    };
    if ok {
        return None;
    }
    let shown = match value {
        Value::String(s) => format!("`{s}`"),
        Value::Number(n) => format!("`{n}`"),
        other => crate::yaml_write::describe(other).to_string(),
    };
    Some(match field {
        Field::YearCompleted => format!(
            "{shown} is not a year: write a four-digit year (2030), a year with a note (2030 (Anticipated)), an approximate year (~2030) or {}",
            YEAR_WORDS.join(", ")
        ),
        _ => format!(
            "{shown} is not a year: write a four-digit year (2015) or a year with a note (2015 (approved))"
        ),
    })
}

/// How the tags are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsForm {
    /// A YAML list (flow or block).
    List,
    /// A comma-separated string (`tags: A, B`), read leniently.
    CommaString,
    /// Nothing, or something that is not tags.
    Other,
}

/// Reads tags from a list or a comma string.
pub fn tags_of(v: Option<&Value>) -> (Vec<String>, TagsForm) {
    match v {
        Some(Value::Sequence(items)) => (
            items
                .iter()
                .filter_map(as_text)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            TagsForm::List,
        ),
        Some(Value::String(s)) => (
            s.split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            TagsForm::CommaString,
        ),
        _ => (Vec::new(), TagsForm::Other),
    }
}

/// Tags as the YAML list to write.
pub fn tags_value(tags: &[String]) -> Value {
    Value::Sequence(tags.iter().map(|t| Value::String(t.clone())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroid_is_lat_lon() {
        let v: Value = serde_yaml::from_str("[30.25, 120.166664]").unwrap_or(Value::Null);
        let c = Centroid::from_value(&v);
        assert_eq!(
            c,
            Some(Centroid {
                lat: 30.25,
                lon: 120.166664
            })
        );
        assert_eq!(c.map(|c| c.to_lon_lat().lon), Some(120.166664));
        let w = Centroid {
            lat: 1.23456789,
            lon: -2.0,
        }
        .to_value();
        assert_eq!(
            serde_yaml::to_string(&w).unwrap_or_default(),
            "- 1.234568\n- -2.0\n"
        );
    }

    #[test]
    fn year_values() {
        let ok = |f, v: Value| year_problem(f, &v).is_none();
        assert!(ok(Field::YearStart, Value::Number(2017.into())));
        assert!(ok(Field::YearStart, "2015 (approved)".into()));
        assert!(ok(Field::YearCompleted, "2030 (Anticipated)".into()));
        assert!(ok(Field::YearCompleted, "~2025".into()));
        assert!(ok(Field::YearCompleted, "ongoing".into()));
        assert!(ok(Field::YearCompleted, Value::Null));
        assert!(!ok(Field::YearStart, "Ongoing".into()));
        assert!(!ok(Field::YearStart, "12:30".into()));
        assert!(!ok(Field::YearCompleted, "20300".into()));
        assert!(!ok(Field::YearCompleted, Value::Number(99.into())));
        assert!(!ok(Field::YearCompleted, Value::Number(2030.5.into())));
        assert!(ok(Field::Title, "12:30".into()));
    }

    #[test]
    fn centroid_keeps_its_full_precision_value() {
        let full: Value = serde_yaml::from_str("[51.50735095, -0.12775829]").unwrap_or(Value::Null);
        let c = Centroid::from_value(&full).unwrap_or(Centroid { lat: 0.0, lon: 0.0 });
        assert_eq!(c.value_for(Some(&full)), full);
        let other = Centroid { lat: 1.0, lon: 2.0 };
        assert_eq!(other.value_for(Some(&full)), other.to_value());
    }

    #[test]
    fn years_read_leniently() {
        assert_eq!(
            YearValue::from_value(&Value::Number(2017.into())),
            Some(YearValue::Year(2017))
        );
        let t = YearValue::parse("2024 (Anticipated)");
        assert_eq!(t.as_ref().and_then(YearValue::leading_year), Some(2024));
        assert_eq!(YearValue::parse("  "), None);
    }

    #[test]
    fn tags_from_comma_string() {
        let v = Value::String("Mobility, Energy".into());
        assert_eq!(
            tags_of(Some(&v)),
            (
                vec!["Mobility".into(), "Energy".into()],
                TagsForm::CommaString
            )
        );
    }

    #[test]
    fn a_centroid_is_always_written_as_a_flow_list() {
        let c = Centroid {
            lat: 38.768,
            lon: -9.0906666,
        };
        for (before, after) in [
            ("centroid:\n", "centroid: [38.768, -9.090667]\n"),
            ("centroid: \n", "centroid: [38.768, -9.090667]\n"),
            // The atlas writes centroids `[lat, lon]`: a block list becomes one.
            (
                "centroid:\n  - 1.5\n  - 2.5\n",
                "centroid: [38.768, -9.090667]\n",
            ),
            ("centroid: [1.5, 2.5]\n", "centroid: [38.768, -9.090667]\n"),
        ] {
            let mut doc =
                crate::document::Document::from_text(&format!("---\ntitle: T\n{before}---\n"));
            let edit = c.edit_in(doc.front_matter());
            let Ok(Some(change)) = doc.change_for(&edit) else {
                panic!("no change for {before:?}")
            };
            assert!(doc.apply_change(&change).is_ok());
            assert_eq!(
                doc.text(),
                format!("---\ntitle: T\n{after}---\n"),
                "{before:?}"
            );
        }
    }
}
