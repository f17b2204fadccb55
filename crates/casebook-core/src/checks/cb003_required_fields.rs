//! CB003 required-fields: the fields the atlas needs have values.
//!
//! A Draft needs only a `title` (reported as info). Review and Complete cases (and any case
//! whose status is not Draft) need: `title`, `description`, `status`, `author`, `type`, `city`,
//! `country_code`, `centroid`, `year_start`, `featured_image`, the image's alt text
//! (`featured_alt`, or the older `featured_desc`), `tags` and `geography` (errors).
//!
//! Stubs (cases following a stub template) do not need `year_start`: the atlas's own stub
//! template leaves it empty, and a short entry may not know when a project began.
//!
//! This rule owns absence: an absent key, `key:` with nothing after it, an empty list, or a
//! filler word (`nan`, `None`, `TBD`) all count as missing. The rules about a field's content
//! (CB007 centroid, CB014 image, CB015 alt text, CB017 geography) stay silent when the field is
//! missing, so a missing field is reported once. Without readable front matter this rule says
//! nothing (CB001 reports that), nor for a key whose lines cannot be read.

use super::util::{self, absence};
use super::{Context, Diagnostic, Finding, Severity};
use crate::fields::{self, Field};

rule! {
    Rule003, "CB003", "required-fields", "The fields the atlas needs have values (only the title for a Draft)."
}

/// The fields a Review or Complete case needs, in form order.
const STRICT: [Field; 13] = [
    Field::Title,
    Field::Description,
    Field::Status,
    Field::Author,
    Field::Type,
    Field::City,
    Field::CountryCode,
    Field::Centroid,
    Field::YearStart,
    Field::FeaturedImage,
    Field::FeaturedAlt,
    Field::Tags,
    Field::Geography,
];

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let Some(fm) = util::readable_front(doc) else {
        return;
    };
    let strict = util::strict(ctx);
    let severity = if strict {
        Severity::Error
    } else {
        Severity::Info
    };
    let wanted: Vec<Field> = if strict {
        STRICT
            .into_iter()
            .filter(|f| !(ctx.template.is_stub() && *f == Field::YearStart))
            .collect()
    } else {
        vec![Field::Title]
    };
    for field in wanted {
        let key = fields::key_in(field, Some(fm));
        let Some(why) = absence(doc, key) else {
            continue;
        };
        let line = util::key_or_insertion_line(doc, key);
        let need = if strict {
            "a case in Review or Complete needs it"
        } else {
            "even a Draft needs one"
        };
        let message = if why == "missing" {
            format!("`{key}` ({}) is missing; {need}", field.label())
        } else {
            format!("`{key}` ({}) is {why}; {need}", field.label())
        };
        out.push(
            Finding::field(CODE, key, line)
                .report(severity, message)
                .with_fix(format!("Fill in {}: {}", field.label(), field.help())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{doc, messages, run, run_in};
    use super::*;

    const FULL: &str = "title: T\ndescription: D\nstatus: Review\nauthor: A\ntype: plan\ncity: C\ncountry_code: ESP\ncentroid: [40.4, -3.7]\nyear_start: 2015\nfeatured_image: ./a.jpg\nfeatured_alt: Alt\ntags:\n  - Mobility\ngeography: ./a.geojson";

    #[test]
    fn complete_front_matter_is_quiet() {
        let d = run(&Rule003, &doc(FULL, ""));
        assert!(d.is_empty(), "{:?}", messages(&d));
    }

    #[test]
    fn draft_needs_only_a_title() {
        let d = run(&Rule003, &doc("status: Draft", ""));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Info);
        assert!(d[0].message.contains("`title`"));
        assert!(run(&Rule003, &doc("status: Draft\ntitle: T", "")).is_empty());
    }

    #[test]
    fn review_reports_missing_empty_and_filler() {
        let text = doc(
            &FULL
                .replace("author: A", "author: None")
                .replace("city: C", "city:")
                .replace("featured_alt: Alt\n", ""),
            "",
        );
        let d = run(&Rule003, &text);
        let m = messages(&d);
        assert_eq!(d.len(), 3, "{m:?}");
        assert!(d.iter().all(|x| x.severity == Severity::Error));
        assert!(
            m.iter()
                .any(|x| x.contains("`author`") && x.contains("`None`")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|x| x.contains("`city`") && x.contains("empty")),
            "{m:?}"
        );
        // The missing alt text is placed where it would be added: after featured_image (line 11).
        let alt = d.iter().find(|x| x.message.contains("`featured_alt`"));
        assert_eq!(alt.and_then(|x| x.line), Some(12), "{m:?}");
    }

    #[test]
    fn legacy_alt_key_counts() {
        let text = doc(&FULL.replace("featured_alt: Alt", "featured_desc: Alt"), "");
        assert!(run(&Rule003, &text).is_empty());
        let text = doc(&FULL.replace("featured_alt: Alt", "featured_desc: nan"), "");
        let d = run(&Rule003, &text);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("`featured_desc`"),
            "{:?}",
            messages(&d)
        );
    }

    #[test]
    fn empty_tags_and_unknown_status_are_strict() {
        let text = doc(
            &FULL
                .replace("status: Review", "status: Ongoing")
                .replace("tags:\n  - Mobility", "tags: []"),
            "",
        );
        let d = run(&Rule003, &text);
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert!(d[0].message.contains("empty list"));
    }

    #[test]
    fn stubs_need_no_start_year() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let text = doc(&FULL.replace("year_start: 2015\n", ""), "");
        assert!(run_in(&Rule003, tmp.path(), &text, "stub").is_empty());
        assert_eq!(run_in(&Rule003, tmp.path(), &text, "case-study").len(), 1);
        Ok(())
    }

    #[test]
    fn nothing_without_front_matter() {
        assert!(run(&Rule003, "## Overview\n").is_empty());
    }
}
