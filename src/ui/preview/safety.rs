//! Where the preview may go: which links open and which images are read.

use std::path::Path;

use casebook_core::save::confine;

use super::{ImageSrc, Link};

/// Whether a link opens from the preview, and why not.
pub fn classify_link(url: &str) -> Link {
    let raw = url.trim();
    let inert = |why: &str| Link::Inert {
        url: raw.to_string(),
        why: why.to_string(),
    };
    if raw.chars().any(char::is_control) {
        return inert("This address contains control characters; the preview does not open it.");
    }
    let lower = raw.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && raw.len() > lower.find("//").map_or(0, |i| i + 2)
    {
        return Link::Open(raw.to_string());
    }
    if lower.starts_with("mailto:") && raw.len() > 7 {
        return Link::Open(raw.to_string());
    }
    if raw.starts_with('#') {
        return inert("A link to a place in the page; the preview does not follow it.");
    }
    match scheme_of(&lower) {
        Some(s) if matches!(s, "javascript" | "vbscript" | "data" | "file") => inert(&format!(
            "{s}: links are never opened: only web (https://) and mail (mailto:) links open from the preview."
        )),
        Some(s) => inert(&format!(
            "{s}: links are not opened: only web (https://) and mail (mailto:) links open from the preview."
        )),
        None => inert("A link to a file; the preview only opens web and mail links."),
    }
}

/// The scheme of a lower-cased address, if it has one (`javascript` of `javascript:alert(1)`).
fn scheme_of(lower: &str) -> Option<&str> {
    let colon = lower.find(':')?;
    let scheme = &lower[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic());
    valid.then_some(scheme)
}

/// Where an image is: inside the case folder, remote (never fetched), or refused.
pub fn image_src(src: &str, case_dir: &Path) -> ImageSrc {
    let raw = src.trim();
    let lower = raw.to_ascii_lowercase();
    let remote = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"));
    if let Some(rest) = remote {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = if host_port.starts_with('[') {
            host_port.split_inclusive(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        };
        return ImageSrc::Remote {
            host: if host.is_empty() {
                "an unnamed host".to_string()
            } else {
                host.to_string()
            },
        };
    }
    let decoded = percent_decode(raw);
    match confine(case_dir, &decoded) {
        Ok(path) => ImageSrc::Local(path),
        Err(e) => ImageSrc::Refused(e.to_string()),
    }
}

use casebook_core::facts::percent_decode;
