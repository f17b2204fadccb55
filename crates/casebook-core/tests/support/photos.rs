//! Photos made for tests and benches: JPEG encoding, a synthetic photo with grain, and an
//! EXIF orientation added to a JPEG. Included by `#[path]` from the image tests (core and
//! app), the CLI's fix tests and the image benchmark.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, Rgb, RgbImage};

/// `img` encoded as a JPEG of `quality`.
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// A synthetic photo: smooth gradients and some grain (pseudo-random, fixed seed), as JPEG.
pub fn photo_jpeg(width: u32, height: u32, quality: u8) -> Vec<u8> {
    let mut seed: u32 = 0x1234_5678;
    let img = RgbImage::from_fn(width, height, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let grain = (seed >> 27) as i32 - 16;
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let base = [
            120.0 + 100.0 * (fx * 7.0).sin() * fy,
            110.0 + 90.0 * (fy * 5.0 + fx * 3.0).cos(),
            140.0 + 80.0 * ((fx - fy) * 9.0).sin(),
        ];
        Rgb(base.map(|v| (v as i32 + grain).clamp(0, 255) as u8))
    });
    let mut buf = Vec::new();
    JpegEncoder::new_with_quality(&mut buf, quality)
        .encode_image(&img)
        .unwrap();
    buf
}

/// Inserts an EXIF segment with `Orientation = value` after the JPEG's SOI marker.
pub fn with_orientation(jpeg: &[u8], value: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&value.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}
