//! CB015 featured-alt: a featured image has alt text that describes it.
//!
//! Alt text is `featured_alt`, or `featured_desc` in older cases. Warnings:
//! - a Draft with an image but no alt text (in Review/Complete CB003 reports the missing field
//!   as an error, so it is not repeated here);
//! - alt text that is a file name (`IMG_1234`, `photo.jpg`) or the literal placeholder
//!   `Alt Text`.

use super::util;
use super::{Context, Diagnostic, Finding};
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
    use super::super::util::testing::{assert_quiet, assert_says, check, places};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn described_images_are_quiet() {
        for front in [
            "status: Draft\nfeatured_image: ./a.jpg\nfeatured_alt: Harbour at dusk",
            "status: Draft\nfeatured_image: ./a.jpg\nfeatured_desc: Harbour",
            "status: Draft\nfeatured_alt: x",
            // Review: CB003 reports the missing alt text.
            "status: Review\nfeatured_image: ./a.jpg",
            // A descriptive file name repeated as alt text is fine.
            "status: Review\nfeatured_image: ./Night-view-of-GIFT-City.jpeg\nfeatured_alt: Night View of GIFT City",
        ] {
            assert_quiet(&check(&Rule015, front, ""), front);
        }
    }

    #[test]
    fn draft_without_alt() {
        for alt in ["featured_credit: Me", "featured_desc: nan"] {
            let front = format!("status: Draft\nfeatured_image: ./a.jpg\n{alt}");
            assert_eq!(
                places(&check(&Rule015, &front, "")),
                [(Severity::Warning, Some(4))]
            );
        }
    }

    #[test]
    fn file_name_or_placeholder_as_alt() {
        for (image, alt, says) in [
            ("./IMG_1234.jpg", "IMG_1234", "file name"),
            ("./x/b.png", "b.png", "file name"),
            ("./a.jpg", "Alt Text", "placeholder"),
        ] {
            let front = format!("status: Review\nfeatured_image: {image}\nfeatured_alt: {alt}");
            let d = check(&Rule015, &front, "");
            assert_eq!(places(&d), [(Severity::Warning, Some(4))], "{alt}");
            assert_says(&d[0], &[says]);
        }
    }
}
