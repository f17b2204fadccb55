//! Image fixes: an oversize image becomes an atlas-ready JPEG; a portrait one is cropped.
//!
//! The atlas wants images under 1 MB ([`MAX_BYTES`]). [`fix_image`] writes a JPEG whose long
//! side is at most 2400 px ([`LONG_SIDE_MAX`]; 1920–2400 for anything larger, smaller images
//! are never enlarged), aspect ratio kept, EXIF orientation applied (the pixels are turned; no
//! orientation tag is written), colours converted to sRGB when the file carries another ICC
//! profile, and JPEG quality 85, or lower down to 50 to fit in 1 MB (aiming at 95% of it; if
//! even 50 is too big, the long side steps down, below 1920 px only as a last resort).
//!
//! **The original is never lost.** The new image is a new file beside it (`photo.jpg` →
//! `photo-2400.jpg`, `-2`, `-3` … when taken), and the only change to the case is an [`Edit`]
//! of the reference — the `featured_image` value, or the path inside one body image link —
//! for the caller to apply (so it is one undo step). The original stays in the folder; moving
//! it to the trash is left to the person (the app may offer it).
//!
//! Work is reported through a progress callback (0.0–1.0) and can be cancelled between steps
//! (decoding, resizing, each JPEG encoding attempt) with an [`AtomicBool`]; run it off the UI
//! thread. Cropping ([`CropRect`]) takes a rectangle in the upright image (after orientation),
//! typically a 3:2 frame ([`CropRect::centered`]), and writes the crop under the same rules.
//!
//! For `casebook fix --only CB014`, [`fix_featured_if_oversize`] is the entry point, and
//! [`oversize_body_last_first`] lists the body images to fix (CB016 reports them).
//!
//! [`decode_for_display`] decodes an image at the size it is shown (thumbnails, the preview,
//! the crop window); [`CropFrame`] is the 3:2 frame the crop window moves and resizes.

use std::io::Cursor;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::case::Case;
use crate::edit::Edit;
use crate::fields::Field;
use crate::save;
use crate::text::Change;

/// The largest image the atlas wants, in bytes (as CB014 checks).
pub const MAX_BYTES: u64 = 1_000_000;
/// The long side of a resized image, at most.
pub const LONG_SIDE_MAX: u32 = 2400;
/// The long side a resized image keeps at least (when the original is that large and the
/// size allows).
pub const LONG_SIDE_MIN: u32 = 1920;
/// The JPEG quality tried first, and the lowest used.
const QUALITY_START: u8 = 85;
const QUALITY_MIN: u8 = 50;
/// The size aimed at when the first quality is too big (95% of the limit).
const TARGET_BYTES: f64 = MAX_BYTES as f64 * 0.95;

/// Why an image was not fixed. Messages name the file.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The case has no such image reference.
    #[error("{0}")]
    NoImage(String),
    /// The reference names a path Casebook will not use.
    #[error("`{rel}` is not used: {error}")]
    Refused {
        /// As written.
        rel: String,
        /// Why.
        error: save::PathError,
    },
    /// Reading failed.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Not an image Casebook can read.
    #[error("{path}: cannot be read as an image: {message}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        message: String,
    },
    /// Encoding failed.
    #[error("{path}: the JPEG could not be made: {message}")]
    Encode {
        /// The file being made.
        path: PathBuf,
        /// What the encoder said.
        message: String,
    },
    /// The crop rectangle does not fit the image.
    #[error("the crop {rect:?} does not fit the image ({width} × {height} px)")]
    BadCrop {
        /// The rectangle asked for.
        rect: CropRect,
        /// Upright image width.
        width: u32,
        /// Upright image height.
        height: u32,
    },
    /// Cancelled by the person; nothing was written.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// Writing the new file failed.
    #[error(transparent)]
    Save(#[from] save::SaveError),
}

/// Which image of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// The `featured_image`.
    Featured,
    /// A body image `![alt](src)`, by the byte offset of its `!` in `index.md`.
    Body {
        /// Byte offset of the image in the document text.
        offset: usize,
    },
}

/// A rectangle in the upright image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropRect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl CropRect {
    /// The largest frame of aspect `w:h` (e.g. 3:2) centred in a `width` × `height` image.
    pub fn centered(width: u32, height: u32, w: u32, h: u32) -> CropRect {
        let (w, h) = (u64::from(w.max(1)), u64::from(h.max(1)));
        let (iw, ih) = (u64::from(width), u64::from(height));
        let (cw, ch) = if iw * h > ih * w {
            (ih * w / h, ih)
        } else {
            (iw, iw * h / w)
        };
        let cw = u32::try_from(cw).unwrap_or(width).max(1).min(width);
        let ch = u32::try_from(ch).unwrap_or(height).max(1).min(height);
        CropRect {
            x: (width - cw) / 2,
            y: (height - ch) / 2,
            width: cw,
            height: ch,
        }
    }

    fn fits(&self, width: u32, height: u32) -> bool {
        self.width > 0
            && self.height > 0
            && u64::from(self.x) + u64::from(self.width) <= u64::from(width)
            && u64::from(self.y) + u64::from(self.height) <= u64::from(height)
    }
}

/// A JPEG made for the atlas.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// JPEG quality used.
    pub quality: u8,
}

/// What a fix did: the file written and the edit that makes the case use it.
#[derive(Debug, Clone)]
pub struct ImageFix {
    /// The new file (the original is untouched).
    pub written: PathBuf,
    /// The original file.
    pub original: PathBuf,
    /// The new reference as written in `index.md` (`./photo-2400.jpg`).
    pub new_ref: String,
    /// The edit that changes only the reference; apply it to the case (one undo step).
    pub edit: Edit,
    /// Width of the new image.
    pub width: u32,
    /// Height of the new image.
    pub height: u32,
    /// Size of the new file in bytes.
    pub bytes: u64,
    /// JPEG quality used.
    pub quality: u8,
}

/// Reports progress (0.0–1.0) and checks for cancelling.
pub struct Job<'a> {
    progress: &'a mut dyn FnMut(f32),
    cancel: &'a AtomicBool,
}

impl<'a> Job<'a> {
    /// A job reporting to `progress`, cancelled when `cancel` becomes true.
    pub fn new(progress: &'a mut dyn FnMut(f32), cancel: &'a AtomicBool) -> Job<'a> {
        Job { progress, cancel }
    }

    fn step(&mut self, fraction: f32) -> Result<(), ImageError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(ImageError::Cancelled);
        }
        (self.progress)(fraction.clamp(0.0, 1.0));
        Ok(())
    }
}

/// Decodes image bytes upright (EXIF orientation applied) and in sRGB, as 8-bit RGB.
pub fn decode_upright(bytes: &[u8], path: &Path) -> Result<RgbImage, ImageError> {
    let decode_err = |e: image::ImageError| ImageError::Decode {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|source| ImageError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let mut decoder = reader.into_decoder().map_err(decode_err)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_err)?;
    img.apply_orientation(orientation);
    let mut rgb = img.into_rgb8();
    if let Some(icc) = icc {
        to_srgb(&mut rgb, &icc);
    }
    Ok(rgb)
}

/// Converts pixels from an embedded RGB ICC profile to sRGB. Profiles that cannot be read,
/// or are not RGB, leave the pixels as they are (read as sRGB, as browsers would).
fn to_srgb(rgb: &mut RgbImage, icc: &[u8]) {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(src) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if src.color_space != DataColorSpace::Rgb {
        return;
    }
    let dst = ColorProfile::new_srgb();
    let Ok(t) =
        src.create_transform_8bit(Layout::Rgb, &dst, Layout::Rgb, TransformOptions::default())
    else {
        return;
    };
    let mut out = vec![0u8; rgb.as_raw().len()];
    if t.transform(rgb.as_raw(), &mut out).is_ok()
        && let Some(img) = RgbImage::from_raw(rgb.width(), rgb.height(), out)
    {
        *rgb = img;
    }
}

/// The size an image of `width` × `height` is scaled to so its long side is at most `long`.
fn scaled(width: u32, height: u32, long: u32) -> (u32, u32) {
    let side = width.max(height);
    if side <= long {
        return (width, height);
    }
    let f = f64::from(long) / f64::from(side);
    let w = (f64::from(width) * f).round().max(1.0) as u32;
    let h = (f64::from(height) * f).round().max(1.0) as u32;
    (w.min(long), h.min(long))
}

/// Encodes an upright sRGB image as an atlas JPEG (see the module documentation). Progress
/// runs from `from` to 1.0.
pub fn encode_for_atlas(
    img: &RgbImage,
    job: &mut Job<'_>,
    from: f32,
    path: &Path,
) -> Result<Encoded, ImageError> {
    let (w0, h0) = img.dimensions();
    let mut long = w0.max(h0).min(LONG_SIDE_MAX);
    let span = 1.0 - from;
    let mut attempt = 0f32;
    loop {
        let (w, h) = scaled(w0, h0, long);
        job.step(from + span * 0.1)?;
        let resized;
        let pixels = if (w, h) == (w0, h0) {
            img
        } else {
            resized = imageops::resize(img, w, h, FilterType::CatmullRom);
            &resized
        };
        job.step(from + span * 0.3)?;
        let encode = |q: u8| -> Result<Vec<u8>, ImageError> {
            let mut buf = Vec::new();
            JpegEncoder::new_with_quality(&mut buf, q)
                .encode_image(pixels)
                .map_err(|e| ImageError::Encode {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
            Ok(buf)
        };
        // Quality 85 first (most photos fit); when too big, aim at 95% of the limit with a
        // secant step on (quality, size), at most four encodings per size.
        let mut tried: Vec<(u8, usize)> = Vec::new();
        let mut found: Option<(u8, Vec<u8>)> = None;
        let mut q = QUALITY_START;
        for _ in 0..4 {
            let bytes = encode(q)?;
            attempt += 1.0;
            job.step(from + span * (0.3 + 0.15 * attempt).min(0.95))?;
            tried.push((q, bytes.len()));
            if bytes.len() as u64 <= MAX_BYTES {
                found = Some((q, bytes));
                break;
            }
            if q == QUALITY_MIN {
                break;
            }
            q = next_quality(&tried);
        }
        if let Some((quality, bytes)) = found {
            return Ok(Encoded {
                bytes,
                width: w,
                height: h,
                quality,
            });
        }
        // Too big even at the lowest quality: a smaller long side.
        let next = if long > LONG_SIDE_MIN {
            LONG_SIDE_MIN
        } else {
            long * 4 / 5
        };
        if next < 64 || next >= long {
            return Err(ImageError::Encode {
                path: path.to_path_buf(),
                message: "the image does not fit in 1 MB even when small".to_string(),
            });
        }
        long = next;
    }
}

/// The next quality to try after the (quality, size) pairs tried, all too big: a secant step
/// toward [`TARGET_BYTES`] (from one point, assuming size halves from 85 down to 50), always
/// lower than every quality tried, never below the minimum.
fn next_quality(tried: &[(u8, usize)]) -> u8 {
    let lowest = tried.iter().map(|t| t.0).min().unwrap_or(QUALITY_START);
    let guess = match tried {
        [.., (q0, s0), (q1, s1)] if s0 != s1 => {
            let (q0, s0, q1, s1) = (f64::from(*q0), *s0 as f64, f64::from(*q1), *s1 as f64);
            q1 + (TARGET_BYTES - s1) * (q1 - q0) / (s1 - s0)
        }
        [.., (q, s)] => {
            let (q, s) = (f64::from(*q), *s as f64);
            // Assume the size falls linearly to half of it at quality 50.
            let half = s * 0.5;
            50.0 + (q - 50.0) * ((TARGET_BYTES - half) / half).clamp(0.0, 1.0)
        }
        [] => f64::from(QUALITY_START),
    };
    let below = f64::from(lowest.saturating_sub(1).max(QUALITY_MIN));
    let guess = guess.floor().max(f64::from(QUALITY_MIN)).min(below);
    (guess as u8).max(QUALITY_MIN)
}

/// Reads `path`, makes it upright sRGB, optionally crops it, and encodes it for the atlas.
pub fn process_file(
    path: &Path,
    crop: Option<CropRect>,
    job: &mut Job<'_>,
) -> Result<Encoded, ImageError> {
    job.step(0.0)?;
    let bytes = std::fs::read(path).map_err(|source| ImageError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    job.step(0.05)?;
    let mut img = decode_upright(&bytes, path)?;
    job.step(0.3)?;
    if let Some(rect) = crop {
        if !rect.fits(img.width(), img.height()) {
            return Err(ImageError::BadCrop {
                rect,
                width: img.width(),
                height: img.height(),
            });
        }
        img = imageops::crop_imm(&img, rect.x, rect.y, rect.width, rect.height).to_image();
    }
    encode_for_atlas(&img, job, 0.35, path)
}

/// Resizes (and with `crop`, crops) image `which` of `case` into a new JPEG beside it, and
/// returns the edit that makes the case use it (not applied). See the module documentation.
pub fn fix_image(
    case: &Case,
    which: &ImageRef,
    crop: Option<CropRect>,
    job: &mut Job<'_>,
) -> Result<ImageFix, ImageError> {
    let (raw, edit_at) = reference(case, which)?;
    let file_part = raw.split(['?', '#']).next().unwrap_or(&raw).to_string();
    let decoded = percent_decode(&file_part);
    let original = save::confine(case.dir(), &decoded).map_err(|error| ImageError::Refused {
        rel: raw.clone(),
        error,
    })?;
    let encoded = process_file(&original, crop, job)?;
    let tag = if crop.is_some() {
        format!("crop-{}", encoded.width.max(encoded.height))
    } else {
        encoded.width.max(encoded.height).to_string()
    };
    // A name not taken yet: `photo-2400.jpg`, `photo-2400-2.jpg` …
    let (mut new_ref, mut written) = (String::new(), PathBuf::new());
    for n in 1..1000 {
        let suffix = if n == 1 {
            tag.clone()
        } else {
            format!("{tag}-{n}")
        };
        let candidate = new_name(&file_part, &suffix);
        let path = save::confine(case.dir(), &percent_decode(&candidate)).map_err(|error| {
            ImageError::Refused {
                rel: candidate.clone(),
                error,
            }
        })?;
        if !path.exists() {
            (new_ref, written) = (candidate, path);
            break;
        }
    }
    if new_ref.is_empty() {
        return Err(ImageError::Encode {
            path: original,
            message: "no free file name for the new image".to_string(),
        });
    }
    job.step(0.97)?;
    save::safe_write(&written, &encoded.bytes)?;
    job.step(1.0).ok();
    let edit = match edit_at {
        None => Edit::set(case.key_for(Field::FeaturedImage), new_ref.clone()),
        Some(range) => Edit::Text(Change::new(range, new_ref.clone())),
    };
    Ok(ImageFix {
        written,
        original,
        new_ref,
        edit,
        width: encoded.width,
        height: encoded.height,
        bytes: encoded.bytes.len() as u64,
        quality: encoded.quality,
    })
}

/// CB014's fix: when the featured image is a file in the case folder over 1 MB, resize it
/// (see [`fix_image`]). `Ok(None)` when there is nothing to do.
pub fn fix_featured_if_oversize(
    case: &Case,
    job: &mut Job<'_>,
) -> Result<Option<ImageFix>, ImageError> {
    if !oversize(case)?.contains(&ImageRef::Featured) {
        return Ok(None);
    }
    fix_image(case, &ImageRef::Featured, None, job).map(Some)
}

/// The images of the case (featured and body) that are files in its folder over 1 MB.
pub fn oversize(case: &Case) -> Result<Vec<ImageRef>, ImageError> {
    let mut out = Vec::new();
    let mut candidates = vec![ImageRef::Featured];
    candidates.extend(
        body_images(case)
            .into_iter()
            .map(|(offset, _, _)| ImageRef::Body { offset }),
    );
    for which in candidates {
        let Ok((raw, _)) = reference(case, &which) else {
            continue;
        };
        let file = percent_decode(raw.split(['?', '#']).next().unwrap_or(&raw));
        if let Ok(path) = save::confine(case.dir(), &file)
            && std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() > MAX_BYTES)
        {
            out.push(which);
        }
    }
    Ok(out)
}

/// The reference as written, and for a body image the byte range of its path in the text.
fn reference(case: &Case, which: &ImageRef) -> Result<(String, Option<Range<usize>>), ImageError> {
    match which {
        ImageRef::Featured => {
            let key = case.key_for(Field::FeaturedImage);
            let value = case
                .doc()
                .text_of(Field::FeaturedImage)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| ImageError::NoImage(format!("`{key}` is not set")))?;
            if is_remote(&value) {
                return Err(ImageError::NoImage(format!(
                    "`{key}` is a web address; Casebook only fixes files in the case folder"
                )));
            }
            Ok((value, None))
        }
        ImageRef::Body { offset } => {
            let (_, raw, range) = body_images(case)
                .into_iter()
                .find(|(o, _, _)| o == offset)
                .ok_or_else(|| {
                    ImageError::NoImage(format!("there is no image at byte {offset} of index.md"))
                })?;
            if is_remote(&raw) {
                return Err(ImageError::NoImage(format!(
                    "`{raw}` is a web address; Casebook only fixes files in the case folder"
                )));
            }
            Ok((raw, Some(range)))
        }
    }
}

fn is_remote(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http:")
        || l.starts_with("https:")
        || l.starts_with("//")
        || l.starts_with("data:")
}

/// The body images: (offset of `!`, path as written, byte range of the path), for those
/// whose path can be found in the source exactly as the Markdown reader read it.
fn body_images(case: &Case) -> Vec<(usize, String, Range<usize>)> {
    let text = case.doc().text();
    let body = case.doc().body().range.clone();
    let Some(src) = text.get(body.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(src, Options::empty()).into_offset_iter() {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        let Some(raw) = src.get(range.clone()) else {
            continue;
        };
        // The destination follows the last `](` of the image (alt text may hold brackets).
        let Some(open) = raw.rfind("](") else {
            continue;
        };
        let after = &raw[open + 2..];
        let lead = after.len() - after.trim_start().len();
        let angle = after[lead..].starts_with('<');
        let start = open + 2 + lead + usize::from(angle);
        let rest = &raw[start..];
        let len = if angle {
            rest.find('>').unwrap_or(rest.len())
        } else {
            rest.find(|c: char| c.is_whitespace() || c == ')')
                .unwrap_or(rest.len())
        };
        let path = &rest[..len];
        if path != &*dest_url || path.is_empty() {
            // Escapes or entities: the bytes differ from what the reader sees; not touched.
            continue;
        }
        let at = body.start + range.start + start;
        out.push((body.start + range.start, path.to_string(), at..at + len));
    }
    out
}

/// `dir/photo.JPG` + `2400` → `dir/photo-2400.jpg` (the reference's own spelling kept).
fn new_name(file_part: &str, suffix: &str) -> String {
    let (dir, name) = match file_part.rfind('/') {
        Some(i) => file_part.split_at(i + 1),
        None => ("", file_part),
    };
    let stem = match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    format!("{dir}{stem}-{suffix}.jpg")
}

/// The oversize body images of the case (files in its folder over 1 MB), last first, so
/// fixing them in this order leaves the offsets of the rest valid.
pub fn oversize_body_last_first(case: &Case) -> Vec<ImageRef> {
    let mut out: Vec<ImageRef> = oversize(case)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| matches!(r, ImageRef::Body { .. }))
        .collect();
    out.sort_by_key(|r| match r {
        ImageRef::Body { offset } => std::cmp::Reverse(*offset),
        ImageRef::Featured => std::cmp::Reverse(usize::MAX),
    });
    out
}

use crate::facts::percent_decode;

mod display;
pub mod frame;

pub use display::{Displayed, decode_file_for_display, decode_for_display, fit};
pub use frame::{Corner, CropFrame};

#[cfg(test)]
mod tests;
