//! Decoding an image for display at the size it is shown, not at its full size.
//!
//! A 4000 × 3000 phone photo is 48 MB as RGBA; shown in a 240-point thumbnail or an
//! 820-point preview column it needs a texture of at most that many pixels (times the
//! screen's pixels per point). [`decode_for_display`] decodes the file (on the caller's
//! thread: run it off the UI thread), scales it down to fit `max_w` × `max_h` pixels, and
//! turns it upright (EXIF orientation), so only the small image is kept. `image` 0.25's JPEG
//! decoder has no scaled decoding, so the full-size pixels exist for a moment on the worker
//! thread, as 8-bit RGB (or the file's own layout), and are dropped before returning.

use std::io::Cursor;
use std::path::Path;

use image::imageops::FilterType;
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
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let img = DynamicImage::from_decoder(decoder).map_err(decode_err)?;
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (raw_w, raw_h) = (img.width(), img.height());
    let (width, height) = if turned {
        (raw_h, raw_w)
    } else {
        (raw_w, raw_h)
    };
    // Fit in the box in the file's own orientation (the box turned with it).
    let (box_w, box_h) = if turned {
        (max_h.max(1), max_w.max(1))
    } else {
        (max_w.max(1), max_h.max(1))
    };
    let (w, h) = fit(raw_w, raw_h, box_w, box_h);
    let mut small = if (w, h) == (raw_w, raw_h) {
        img
    } else {
        img.resize_exact(w, h, FilterType::Triangle)
    };
    small.apply_orientation(orientation);
    Ok(Displayed {
        rgba: small.into_rgba8(),
        width,
        height,
    })
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
    fn fitting() {
        assert_eq!(fit(4000, 3000, 820, 9999), (820, 615));
        assert_eq!(fit(3000, 4000, 480, 270), (203, 270));
        assert_eq!(fit(10, 10, 820, 820), (10, 10));
        assert_eq!(fit(100_000, 1, 100, 100), (100, 1));
    }
}
