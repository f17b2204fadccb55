//! CB016 body-images: every image in the text exists in the case folder and has alt text.
//!
//! Images are the Markdown `![alt](src "title")` of the body, found with pulldown-cmark (so
//! images inside HTML comments and code are not counted; HTML `<img>` tags are not read).
//! Warnings, on the image's line: a path Casebook will not read (with why; the file is never
//! touched), a file that is not there (`%20` escapes are decoded), no alt text, a file over
//! 1 MB (with an automatic fix, [`Fix::ResizeImage`], that the app and `casebook fix` run). A
//! web address or `data:` image is info: it is not fetched.

use super::cb014_featured_image::MAX_IMAGE_BYTES;
use super::fixes::Fix;
use super::util::{self, BodyImage};
use super::{Context, Diagnostic, Finding, Severity, Target};
use crate::save;

rule! {
    Rule016, "CB016", "body-images", "Every image in the text is a file in the case folder and has alt text."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    for img in util::body_images(doc) {
        let (target, place) = match util::section_target(doc, img.offset) {
            Some((target, heading)) => (target, format!("in `## {heading}`")),
            None => (Target::Document, "before the first section".to_string()),
        };
        let diag = |severity: Severity, message: String| {
            Finding::new(CODE, target.clone(), Some(img.line)).report(severity, message)
        };
        let shown = shorten(&img.src);
        if img.alt.is_empty() {
            out.push(
                diag(
                    Severity::Warning,
                    format!("the image `{shown}` {place} has no alt text"),
                )
                .with_fix(
                    "Describe the image between the brackets: ![What the image shows](./file.jpg).",
                ),
            );
        }
        if let Some(d) = file_problem(ctx, &img, &shown, &place, diag) {
            out.push(d);
        }
    }
}

fn file_problem(
    ctx: &Context<'_>,
    img: &BodyImage,
    shown: &str,
    place: &str,
    diag: impl Fn(Severity, String) -> Diagnostic,
) -> Option<Diagnostic> {
    let src = img.src.trim();
    if src.is_empty() {
        return Some(
            diag(Severity::Warning, format!("an image {place} names no file")).with_fix(
                "Write the image's file name in the parentheses: ![Alt text](./file.jpg).",
            ),
        );
    }
    if util::is_remote(src) || src.to_ascii_lowercase().starts_with("data:") {
        return Some(
            diag(
                Severity::Info,
                format!("the image `{shown}` {place} is not in the case folder; Casebook does not fetch it, so it is not checked"),
            )
            .with_fix("Save the image in the case folder and refer to it as ./file.jpg, so the atlas does not depend on another site."),
        );
    }
    // `./a.png#frag` or `./a.png?x`: the file part.
    let file = src.split(['?', '#']).next().unwrap_or(src);
    match save::confine(ctx.dir(), file) {
        Err(e) => Some(
            diag(Severity::Warning, format!("the image {place} is not used: {e}"))
                .with_fix("Put the image in the case folder and refer to it as ./file.jpg."),
        ),
        Ok(path) => match util::existing_file(ctx.dir(), &path, file) {
            Some(found) => {
                let len = std::fs::metadata(&found).map(|m| m.len()).unwrap_or(0);
                (len > MAX_IMAGE_BYTES && found.is_file()).then(|| {
                    diag(
                        Severity::Warning,
                        format!(
                            "the image `{shown}` {place} is {}; the atlas asks for images under 1 MB",
                            util::format_bytes(len)
                        ),
                    )
                    .with_fix("Resize it: Casebook writes a JPEG of at most 1 MB beside it and uses that (the original is kept).")
                    .with_auto(Fix::ResizeImage { offset: img.offset })
                })
            }
            None => Some(
                diag(
                    Severity::Warning,
                    format!("the image `{shown}` {place} is not in the case folder"),
                )
                .with_fix("Add the image file to the case folder, or correct its name (names are case-sensitive on the site)."),
            ),
        },
    }
}

/// A long data URL or address cut to a readable length.
fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::util::testing::{doc, messages, run_in};
    use super::*;

    fn check(dir: &std::path::Path, body: &str) -> Vec<Diagnostic> {
        run_in(&Rule016, dir, &doc("title: T", body), "case-study")
    }

    #[test]
    fn present_images_with_alt_are_quiet() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join("a.png"), "x")?;
        fs::write(tmp.path().join("my chart.png"), "x")?;
        let d = check(
            tmp.path(),
            "## Overview\n\n![A chart](./a.png \"Caption\")\n\n![Chart](./my%20chart.png)\n",
        );
        assert!(d.is_empty(), "{:?}", messages(&d));
        Ok(())
    }

    #[test]
    fn missing_file_and_alt_with_lines() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = check(tmp.path(), "## Overview\n\nText.\n\n![](./gone.png)\n");
        let m = messages(&d);
        assert_eq!(d.len(), 2, "{m:?}");
        assert!(
            d.iter()
                .all(|x| x.line == Some(8) && x.severity == Severity::Warning),
            "{m:?}"
        );
        assert!(m.iter().any(|x| x.contains("no alt text")), "{m:?}");
        assert!(
            m.iter()
                .any(|x| x.contains("`./gone.png` in `## Overview` is not in the case folder")),
            "{m:?}"
        );
        assert_eq!(
            d[0].target,
            Target::Section {
                heading: "Overview".into(),
                index: Some(0)
            }
        );
        Ok(())
    }

    #[test]
    fn oversize_image_is_a_warning_with_a_resize_fix() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join("big.jpg"), vec![0u8; 1_200_000])?;
        fs::write(tmp.path().join("small.jpg"), vec![0u8; 1_000_000])?;
        let body = "## Overview\n\n![Small](./small.jpg)\n\n![Big one](./big.jpg)\n";
        let d = check(tmp.path(), body);
        let m = messages(&d);
        assert_eq!(d.len(), 1, "{m:?}");
        assert!(
            m[0].contains("`./big.jpg` in `## Overview` is 1.2 MB"),
            "{m:?}"
        );
        assert_eq!(d[0].severity, Severity::Warning);
        let text = doc("title: T", body);
        let offset = text.find("![Big").unwrap_or(usize::MAX);
        assert_eq!(d[0].auto, Some(Fix::ResizeImage { offset }));
        Ok(())
    }

    #[test]
    fn remote_refused_and_commented() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = check(
            tmp.path(),
            "![Web](https://example.org/a.png)\n\n## A\n\n![Out](../x.png)\n\n<!-- ![Hidden](./hidden.png) -->\n",
        );
        let m = messages(&d);
        assert_eq!(d.len(), 2, "{m:?}");
        assert_eq!(d[0].severity, Severity::Info);
        assert_eq!(d[0].target, Target::Document);
        assert!(
            d[1].message.contains("leads out of the case folder"),
            "{m:?}"
        );
        Ok(())
    }
}
