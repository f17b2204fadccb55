//! CB015 featured-alt: a featured image has alt text that describes it.
//!
//! Alt text is `featured_alt`, or `featured_desc` in older cases. Warnings:
//! - a Draft with an image but no alt text (in Review/Complete CB003 reports the missing field
//!   as an error, so it is not repeated here);
//! - alt text that is a file name (`IMG_1234`, `photo.jpg`) or the literal placeholder
//!   `Alt Text`.

use super::util;
use super::{Context, Diagnostic, Finding, Severity};
use crate::fields::Field;

rule! {
    Rule015, "CB015", "featured-alt", "A featured image has alt text that describes it (featured_alt or featured_desc)."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let Some(image) = util::text_value(doc, "featured_image") else {
        return;
    };
    let (key, alt) = util::alt_text(doc);
    let fix = format!(
        "Describe what the image shows in a short phrase, for people who cannot see it. {}",
        Field::FeaturedAlt.help()
    );
    match alt {
        Some(a) if !util::is_filler(&a) => {
            let file = image.rsplit(['/', '\\']).next().unwrap_or(&image);
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            let bare = util::squash(&a);
            let placeholder = bare == "alttext" || bare == "alt";
            // A file name, not words: `IMG_1234`, `photo.jpg` (a descriptive name such as
            // "Night View of GIFT City" for Night-view-of-GIFT-City.jpeg is fine).
            let is_file_name = looks_like_file(&a)
                || (!a.contains(char::is_whitespace) && bare == util::squash(stem));
            if placeholder || is_file_name {
                out.push(
                    Finding::key(CODE, doc, key)
                        .warning(format!(
                            "`{key}` is `{a}`, which {} rather than describing it",
                            if placeholder {
                                "is a placeholder"
                            } else {
                                "repeats the image's file name"
                            }
                        ))
                        .with_fix(fix),
                );
            }
        }
        _ if util::strict(ctx) => {}
        _ => out.push(
            Finding::field(CODE, key, util::key_or_insertion_line(doc, key))
                .warning(format!(
                    "the featured image `{image}` has no alt text (`{key}`)"
                ))
                .with_fix(fix),
        ),
    }
}

/// Whether text ends like an image file name (`.jpg`, `.png` …).
fn looks_like_file(text: &str) -> bool {
    let l = text.trim().to_ascii_lowercase();
    [
        ".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic",
    ]
    .iter()
    .any(|x| l.ends_with(x))
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{doc, run};
    use super::*;

    #[test]
    fn described_images_are_quiet() {
        assert!(
            run(
                &Rule015,
                &doc(
                    "status: Draft\nfeatured_image: ./a.jpg\nfeatured_alt: Harbour at dusk",
                    ""
                )
            )
            .is_empty()
        );
        assert!(
            run(
                &Rule015,
                &doc(
                    "status: Draft\nfeatured_image: ./a.jpg\nfeatured_desc: Harbour",
                    ""
                )
            )
            .is_empty()
        );
        assert!(run(&Rule015, &doc("status: Draft\nfeatured_alt: x", "")).is_empty());
    }

    #[test]
    fn draft_without_alt() {
        let d = run(
            &Rule015,
            &doc(
                "status: Draft\nfeatured_image: ./a.jpg\nfeatured_credit: Me",
                "",
            ),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].line, Some(4));
        let d = run(
            &Rule015,
            &doc(
                "status: Draft\nfeatured_image: ./a.jpg\nfeatured_desc: nan",
                "",
            ),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(4));
        // Review: CB003 reports it.
        assert!(
            run(
                &Rule015,
                &doc("status: Review\nfeatured_image: ./a.jpg", "")
            )
            .is_empty()
        );
    }

    #[test]
    fn file_name_or_placeholder_as_alt() {
        let d = run(
            &Rule015,
            &doc(
                "status: Review\nfeatured_image: ./IMG_1234.jpg\nfeatured_alt: IMG_1234",
                "",
            ),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("file name"));
        let d = run(
            &Rule015,
            &doc(
                "status: Review\nfeatured_image: ./x/b.png\nfeatured_alt: b.png",
                "",
            ),
        );
        assert_eq!(d.len(), 1);
        // A descriptive file name repeated as alt text is fine.
        let d = run(
            &Rule015,
            &doc(
                "status: Review\nfeatured_image: ./Night-view-of-GIFT-City.jpeg\nfeatured_alt: Night View of GIFT City",
                "",
            ),
        );
        assert!(d.is_empty());
        let d = run(
            &Rule015,
            &doc(
                "status: Review\nfeatured_image: ./a.jpg\nfeatured_alt: Alt Text",
                "",
            ),
        );
        assert!(d[0].message.contains("placeholder"));
    }
}
