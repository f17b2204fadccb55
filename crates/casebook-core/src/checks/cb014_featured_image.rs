//! CB014 featured-image: the featured image is a landscape file under 1 MB in the case folder.
//!
//! - A path Casebook will not read (`../x.jpg`, `/x.jpg`, `C:\x.jpg`, `file:`…) is an error
//!   (warning in a Draft) that says why; the file is never touched.
//! - A web address is info: it is not fetched, so nothing about it is checked.
//! - A file that is not there is an error in Review/Complete (warning in a Draft).
//! - Over 1 MB (1 000 000 bytes), not landscape (width ≤ height), or unreadable as an image:
//!   warnings. Dimensions come from the file header (`imagesize`), never a full decode.
//!
//! A missing `featured_image` is CB003's.

use super::util::{self, format_bytes};
use super::{Context, Diagnostic, Finding, Severity};
use crate::save;

rule! {
    Rule014, "CB014", "featured-image", "The featured image is a landscape image under 1 MB inside the case folder."
}

const KEY: &str = "featured_image";
/// The largest featured image the atlas wants, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 1_000_000;

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let Some(rel) = util::text_value(doc, KEY) else {
        return;
    };
    let line = util::key_line(doc, KEY);
    let field = |severity: Severity, message: String| {
        Finding::field(CODE, KEY, line).report(severity, message)
    };
    if util::is_remote(&rel) {
        out.push(
            field(
                Severity::Info,
                format!("`{KEY}` is a web address (`{rel}`); Casebook does not fetch it, so its size and shape are not checked"),
            )
            .with_fix("Save the image in the case folder and write its name as ./image.jpg, so the atlas does not depend on another site."),
        );
        return;
    }
    let path = match save::confine(ctx.dir(), &rel) {
        Ok(p) => p,
        Err(e) => {
            out.push(
                field(
                    util::by_stage(ctx, Severity::Error, Severity::Warning),
                    format!("`{KEY}` is not used: {e}"),
                )
                .with_fix("Put the image in the case folder and write its name as ./image.jpg."),
            );
            return;
        }
    };
    let Some(path) = util::existing_file(ctx.dir(), &path, &rel) else {
        out.push(
            field(
                util::by_stage(ctx, Severity::Error, Severity::Warning),
                format!("`{KEY}` names `{rel}`, which is not in the case folder"),
            )
            .with_fix("Add the image file to the case folder, or correct the file name (names are case-sensitive on the site)."),
        );
        return;
    };
    // Opened without blocking and checked on the open file: a FIFO or device is a
    // finding, never a hang; only the header is read.
    let (file, meta) = match save::open_regular(&path) {
        Ok(x) => x,
        Err(save::ReadError::NotRegular { kind, .. }) => {
            let what = if kind == "a folder" {
                "a folder".to_string()
            } else {
                format!("not a regular file ({kind})")
            };
            let d = field(
                Severity::Error,
                format!("`{KEY}` names `{rel}`, which is {what}, not an image"),
            )
            .with_fix("Write the image's file name, e.g. ./image.jpg.");
            // A FIFO, device or socket could not be read, as a boundary that is one.
            out.push(if kind == "a folder" { d } else { d.unread() });
            return;
        }
        Err(e) => {
            out.push(
                field(
                    Severity::Error,
                    format!("`{KEY}` `{rel}` could not be read: {}", e.reason()),
                )
                .with_fix("Make the image readable (check its permissions), or choose another one.")
                .unread(),
            );
            return;
        }
    };
    if meta.len() > MAX_IMAGE_BYTES {
        out.push(
            field(
                Severity::Warning,
                format!(
                    "`{KEY}` `{rel}` is {}; the atlas asks for images under 1 MB",
                    format_bytes(meta.len())
                ),
            )
            .with_fix("Resize the image (about 1920 × 1280 px is plenty) or save it as a JPEG with more compression."),
        );
    }
    match imagesize::reader_size(std::io::BufReader::new(file)) {
        Ok(size) if size.width <= size.height => out.push(
            field(
                Severity::Warning,
                format!(
                    "`{KEY}` `{rel}` is {} ({} × {} px); the atlas needs a landscape image, wider than tall",
                    if size.width == size.height { "square" } else { "portrait" },
                    size.width,
                    size.height
                ),
            )
            .with_fix("Crop the image to a landscape shape (about 3:2, e.g. 1920 × 1280 px) or choose another one."),
        ),
        Ok(_) => {}
        Err(e) => out.push(
            field(Severity::Warning, format!("`{KEY}` `{rel}` cannot be read as an image: {e}"))
                .with_fix("Save the image as a JPEG, PNG or WebP file."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::super::util::testing::{
        assert_quiet, assert_says, messages, only, places, run_value,
    };
    use super::*;

    /// A PNG header of the given size (enough for `imagesize`).
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    fn check(dir: &Path, value: &str, status: &str) -> Vec<Diagnostic> {
        run_value(&Rule014, dir, status, KEY, value)
    }

    #[test]
    fn landscape_image_is_quiet() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join("a.png"), png(1920, 1280))?;
        for value in ["./a.png", "a.png"] {
            assert_quiet(&check(tmp.path(), value, "Review"), value);
        }
        Ok(())
    }

    #[test]
    fn missing_by_stage() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = check(tmp.path(), "./gone.jpg", "Complete");
        assert_eq!(places(&d), [(Severity::Error, Some(4))]);
        assert_says(&d[0], &["not in the case folder"]);
        let d = check(tmp.path(), "./gone.jpg", "Draft");
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        Ok(())
    }

    #[test]
    fn refused_paths_say_why() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let case = tmp.path().join("case");
        fs::create_dir(&case)?;
        fs::write(tmp.path().join("outside.png"), png(10, 5))?;
        for (p, why) in [
            ("../outside.png", "out of the case folder"),
            ("/etc/passwd", "absolute"),
            ("file:///x.png", "URL"),
        ] {
            let d = check(&case, p, "Review");
            assert_eq!(places(&d), [(Severity::Error, Some(4))], "{p}");
            assert_says(&d[0], &[why]);
        }
        Ok(())
    }

    #[test]
    fn remote_is_not_checked() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let d = check(tmp.path(), "https://example.org/a.jpg", "Review");
        assert_eq!(places(&d), [(Severity::Info, Some(4))]);
        assert_says(&d[0], &["not checked"]);
        Ok(())
    }

    #[test]
    fn large_portrait_and_broken() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut big = png(800, 1200);
        big.resize(1_200_000, 0);
        fs::write(tmp.path().join("big.png"), big)?;
        let d = check(tmp.path(), "./big.png", "Review");
        let m = messages(&d);
        assert_eq!(d.len(), 2, "{m:?}");
        assert!(m.iter().any(|x| x.contains("1.2 MB")), "{m:?}");
        assert!(
            m.iter().any(|x| x.contains("portrait (800 × 1200 px)")),
            "{m:?}"
        );
        assert!(d.iter().all(|x| x.severity == Severity::Warning));
        fs::write(tmp.path().join("sq.png"), png(500, 500))?;
        fs::write(tmp.path().join("text.jpg"), "not an image")?;
        fs::create_dir(tmp.path().join("dir.jpg"))?;
        for (value, says) in [
            ("./sq.png", "square"),
            ("./text.jpg", "cannot be read"),
            ("./dir.jpg", "folder"),
        ] {
            assert_says(&check(tmp.path(), value, "Review")[0], &[says]);
        }
        Ok(())
    }

    #[test]
    fn percent_encoded_names() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join("my photo.png"), png(30, 20))?;
        let value = "./my%20photo.png";
        assert_quiet(&check(tmp.path(), value, "Review"), value);
        Ok(())
    }

    #[test]
    fn a_fifo_is_a_finding_not_a_hang() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let fifo = tmp.path().join("wait.png");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("mkfifo unavailable: skipped");
            return Ok(());
        }
        let d = check(tmp.path(), "./wait.png", "Review");
        assert_says(only(&d), &["not a regular file (a FIFO)"]);
        Ok(())
    }
}
