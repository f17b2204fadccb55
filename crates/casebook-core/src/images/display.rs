//! Decoding an image for display at the size it is shown, not at its full size.
//!
//! A 4000 × 3000 phone photo is 48 MB as RGBA; shown in a 240-point thumbnail or an
//! 820-point preview column it needs a texture of at most that many pixels (times the
//! screen's pixels per point). [`decode_for_display`] decodes the file (on the caller's
//! thread: run it off the UI thread), scales it down to fit `max_w` × `max_h` pixels, and
//! turns it upright (EXIF orientation), so only the small image is kept.
//!
//! JPEG files (phone photos) are decoded *scaled* by `jpeg-decoder` (IDCT scaling to 1/2, 1/4
//! or 1/8, the smallest that still covers the box), so a 4000 × 3000 photo shown 820 px wide
//! never exists at full size in memory: it is decoded at 1000 × 750 (2 MB instead of 36 MB),
//! then resampled to the exact size. Other formats, and JPEGs that decoder cannot give as
//! 8-bit RGB or grey (CMYK, 16-bit), are decoded at full size with `image` on the worker
//! thread and dropped before returning.

use std::io::{BufRead, BufReader, Cursor, Seek, SeekFrom};
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbaImage};

use super::ImageError;

/// An image decoded for display.
#[derive(Debug, Clone)]
pub struct Displayed {
    /// The pixels, upright, at most the size asked for.
    pub rgba: RgbaImage,
    /// The upright image's full width in pixels (what the file holds).
    pub width: u32,
    /// The upright image's full height.
    pub height: u32,
}

/// Decodes `bytes` (the file at `path`, named in errors) upright and scaled down to fit in
/// `max_w` × `max_h` pixels (never enlarged; aspect kept).
pub fn decode_for_display(
    bytes: &[u8],
    path: &Path,
    max_w: u32,
    max_h: u32,
) -> Result<Displayed, ImageError> {
    decode_from(Cursor::new(bytes), path, max_w, max_h)
}

/// [`decode_for_display`] reading the file at `path` as it decodes, so that the file's bytes
/// (8 MB for a phone photo) are never all in memory at once.
pub fn decode_file_for_display(
    path: &Path,
    max_w: u32,
    max_h: u32,
) -> Result<Displayed, ImageError> {
    let file = std::fs::File::open(path).map_err(|source| ImageError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode_from(BufReader::new(file), path, max_w, max_h)
}

/// [`decode_for_display`] from any seekable reader. A JPEG is decoded by `jpeg-decoder`,
/// which reads the file as it goes (the `image` crate's JPEG decoder first reads the whole
/// file into memory); it is read again from the start by `image` only when that decoder
/// cannot give 8-bit RGB or grey.
fn decode_from<R: BufRead + Seek>(
    mut source: R,
    path: &Path,
    max_w: u32,
    max_h: u32,
) -> Result<Displayed, ImageError> {
    let decode_err = |e: image::ImageError| ImageError::Decode {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let read_err = |source: std::io::Error| ImageError::Read {
        path: path.to_path_buf(),
        source,
    };
    let is_jpeg = source
        .fill_buf()
        .map_err(read_err)?
        .starts_with(&[0xFF, 0xD8]);
    let jpeg = if is_jpeg {
        jpeg_for_display(&mut source, max_w, max_h)
    } else {
        None
    };
    let (img, orientation, (file_w, file_h)) = match jpeg {
        Some(found) => found,
        None => {
            source.seek(SeekFrom::Start(0)).map_err(read_err)?;
            let reader = ImageReader::new(&mut source)
                .with_guessed_format()
                .map_err(read_err)?;
            let mut decoder = reader.into_decoder().map_err(decode_err)?;
            let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
            let dims = decoder.dimensions();
            let img = DynamicImage::from_decoder(decoder).map_err(decode_err)?;
            (img, orientation, dims)
        }
    };
    let turned = is_turned(orientation);
    let (w, h) = fit_upright(file_w, file_h, orientation, max_w, max_h);
    let mut small = shrink(img, w, h);
    small.apply_orientation(orientation);
    let (width, height) = if turned {
        (file_h, file_w)
    } else {
        (file_w, file_h)
    };
    Ok(Displayed {
        rgba: small.into_rgba8(),
        width,
        height,
    })
}

/// Whether `orientation` turns the image a quarter (width and height swap).
fn is_turned(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The size, in the file's own orientation, that a `file_w` × `file_h` image is shown at
/// so that, upright, it fits in `max_w` × `max_h` (the box turned with the image).
fn fit_upright(
    file_w: u32,
    file_h: u32,
    orientation: Orientation,
    max_w: u32,
    max_h: u32,
) -> (u32, u32) {
    let (box_w, box_h) = if is_turned(orientation) {
        (max_h.max(1), max_w.max(1))
    } else {
        (max_w.max(1), max_h.max(1))
    };
    fit(file_w, file_h, box_w, box_h)
}

/// A JPEG decoded for an upright box of `max_w` × `max_h`: at the smallest IDCT scale that
/// still covers the size shown, with its EXIF orientation and its full size in the file's
/// orientation; `None` when `jpeg-decoder` cannot read it or give 8-bit RGB or grey.
fn jpeg_for_display(
    source: impl std::io::Read,
    max_w: u32,
    max_h: u32,
) -> Option<(DynamicImage, Orientation, (u32, u32))> {
    let mut d = jpeg_decoder::Decoder::new(source);
    d.read_info().ok()?;
    let info = d.info()?;
    let (file_w, file_h) = (u32::from(info.width), u32::from(info.height));
    let orientation = d
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let want = fit_upright(file_w, file_h, orientation, max_w, max_h);
    let img = jpeg_decode_scaled(d, want)?;
    Some((img, orientation, (file_w, file_h)))
}

/// The pixels of a JPEG whose header `d` has read, at the smallest IDCT scale that still
/// covers `want` pixels (full size when half would not cover them).
fn jpeg_decode_scaled<R: std::io::Read>(
    mut d: jpeg_decoder::Decoder<R>,
    want: (u32, u32),
) -> Option<DynamicImage> {
    let info = d.info()?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    if worth_scaling(w, h, want) {
        let req_w = u16::try_from(want.0.max(1)).ok()?;
        let req_h = u16::try_from(want.1.max(1)).ok()?;
        d.scale(req_w, req_h).ok()?;
    }
    let pixels = d.decode().ok()?;
    let info = d.info()?;
    let (sw, sh) = (u32::from(info.width), u32::from(info.height));
    match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(sw, sh, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(sw, sh, pixels).map(DynamicImage::ImageLuma8)
        }
        _ => None,
    }
}

/// `img` at exactly `w` × `h` (never larger than it is), each pixel the average of the
/// pixels it covers. Unlike a filtered resize, which goes through a floating-point copy of
/// the image (16 bytes a pixel: 10 MB for a 1000 × 615 step), this reads the source and
/// writes the result only.
fn shrink(img: DynamicImage, w: u32, h: u32) -> DynamicImage {
    if (w, h) == (img.width(), img.height()) {
        img
    } else if w <= img.width() && h <= img.height() {
        img.thumbnail_exact(w, h)
    } else {
        // A scaled JPEG a pixel short on one side (the scale covers the other): rare, small.
        img.resize_exact(w, h, image::imageops::FilterType::Triangle)
    }
}

/// Whether decoding a `file_w` × `file_h` JPEG scaled helps for `want` pixels: when half
/// the size (the first IDCT scale) is enough.
fn worth_scaling(file_w: u32, file_h: u32, want: (u32, u32)) -> bool {
    want.0.saturating_mul(2) <= file_w && want.1.saturating_mul(2) <= file_h
}

/// A JPEG decoded at the smallest IDCT scale that still covers `want` pixels, or `None` when
/// no smaller scale helps or the decoder cannot give 8-bit RGB or grey.
#[cfg(test)]
fn jpeg_scaled(source: impl std::io::Read, want: (u32, u32)) -> Option<DynamicImage> {
    let mut d = jpeg_decoder::Decoder::new(source);
    d.read_info().ok()?;
    let info = d.info()?;
    if !worth_scaling(u32::from(info.width), u32::from(info.height), want) {
        return None;
    }
    jpeg_decode_scaled(d, want)
}

/// The size of a `w` × `h` image scaled down to fit in `max_w` × `max_h` (never enlarged).
pub fn fit(w: u32, h: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    if w <= max_w && h <= max_h {
        return (w, h);
    }
    let f = (f64::from(max_w) / f64::from(w.max(1))).min(f64::from(max_h) / f64::from(h.max(1)));
    let sw = (f64::from(w) * f)
        .round()
        .clamp(1.0, f64::from(max_w.max(1)));
    let sh = (f64::from(h) * f)
        .round()
        .clamp(1.0, f64::from(max_h.max(1)));
    (sw as u32, sh as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::imageops::FilterType;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 100])
        });
        let mut out = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
        img.write_with_encoder(enc).ok();
        out
    }

    #[test]
    fn a_4000_px_photo_is_decoded_at_the_shown_size() -> Result<(), ImageError> {
        let bytes = jpeg(4000, 3000);
        let d = decode_for_display(&bytes, Path::new("big.jpg"), 820, 10_000)?;
        assert_eq!((d.width, d.height), (4000, 3000));
        assert_eq!(d.rgba.dimensions(), (820, 615));
        let small = decode_for_display(&bytes, Path::new("big.jpg"), 480, 270)?;
        assert_eq!(small.rgba.dimensions(), (360, 270));
        Ok(())
    }

    #[test]
    fn small_images_are_not_enlarged_and_junk_names_the_file() {
        let bytes = jpeg(300, 200);
        let d = decode_for_display(&bytes, Path::new("s.jpg"), 820, 820);
        assert!(d.is_ok_and(|d| d.rgba.dimensions() == (300, 200)));
        let e = decode_for_display(b"nope", Path::new("junk.jpg"), 10, 10);
        assert!(e.is_err_and(|e| e.to_string().contains("junk.jpg")));
    }

    #[test]
    fn a_scaled_jpeg_decode_matches_the_full_one() -> Result<(), ImageError> {
        let bytes = jpeg(4000, 3000);
        let scaled = jpeg_scaled(Cursor::new(&bytes), (820, 615));
        // 1/4 of the size: the smallest IDCT scale covering 820 × 615.
        assert_eq!(
            scaled.as_ref().map(|i| (i.width(), i.height())),
            Some((1000, 750))
        );
        assert!(
            jpeg_scaled(Cursor::new(&bytes), (2500, 1875)).is_none(),
            "no scale helps"
        );
        let d = decode_for_display(&bytes, Path::new("big.jpg"), 820, 10_000)?;
        let full = image::load_from_memory(&bytes)
            .map_err(|e| ImageError::Decode {
                path: "big.jpg".into(),
                message: e.to_string(),
            })?
            .resize_exact(820, 615, FilterType::Triangle)
            .into_rgba8();
        let (mut diff, mut n) = (0u64, 0u64);
        for (a, b) in d.rgba.pixels().zip(full.pixels()) {
            for c in 0..3 {
                diff += u64::from(a.0[c].abs_diff(b.0[c]));
                n += 1;
            }
        }
        assert!(diff / n < 12, "mean difference {}", diff / n);
        Ok(())
    }

    #[test]
    fn fitting() {
        assert_eq!(fit(4000, 3000, 820, 9999), (820, 615));
        assert_eq!(fit(3000, 4000, 480, 270), (203, 270));
        assert_eq!(fit(10, 10, 820, 820), (10, 10));
        assert_eq!(fit(100_000, 1, 100, 100), (100, 1));
    }
}
