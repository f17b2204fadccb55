//! Memory of decoding an image for display: a 4000 × 3000 photo shown in an 820-pixel column
//! must never be in memory at full size, nor as the whole file, nor as a floating-point copy.
//!
//! This test binary counts every allocation (a global allocator that keeps the live bytes and
//! their peak), so it holds only this test: other tests running at the same time would count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use casebook_core::images::{decode_file_for_display, decode_for_display};
use image::codecs::jpeg::JpegEncoder;

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is to the system allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::SeqCst) + grow;
                PEAK.fetch_max(now, Ordering::SeqCst);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The most bytes live at once while `f` runs, over what was live before it.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

/// A 4000 × 3000 JPEG with detail everywhere (so that it is several MB, as photos are).
fn photo() -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed & 0x3f) as u8;
        image::Rgb([
            (x % 256) as u8 ^ n,
            (y % 256) as u8 ^ n,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}

#[test]
fn a_photo_is_decoded_for_the_preview_column_in_a_few_megabytes() {
    let bytes = photo();
    assert!(bytes.len() > 4_000_000, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    std::fs::write(&path, &bytes).unwrap();
    let file_len = bytes.len();
    drop(bytes);

    // From the file: read as it is decoded (decoded at 1/4: 1000 × 750 RGB is 2.25 MB; the
    // result, 820 × 615 RGBA, is 2 MB). Full size would be 36 MB (RGB) or 48 MB (RGBA), the
    // whole file is several MB, and a filtered resize's floating-point copy 10 MB.
    let (d, peak) = peak_during(|| decode_file_for_display(&path, 820, 2048));
    let d = d.unwrap();
    assert_eq!(d.rgba.dimensions(), (820, 615));
    assert_eq!((d.width, d.height), (4000, 3000));
    assert!(
        peak < 7_000_000,
        "decoding from the file peaked at {peak} bytes (file: {file_len} bytes)"
    );

    // A thumbnail (decoded at 1/8: 500 × 375).
    let (t, peak) = peak_during(|| decode_file_for_display(&path, 240, 160));
    assert_eq!(t.unwrap().rgba.dimensions(), (213, 160));
    assert!(peak < 5_000_000, "the thumbnail peaked at {peak} bytes");

    // From bytes already in memory, the same pixels, and no more than the file's own
    // copy's worth of extra memory.
    let bytes = std::fs::read(&path).unwrap();
    let (m, peak) = peak_during(|| decode_for_display(&bytes, &path, 820, 2048));
    let m = m.unwrap();
    assert_eq!(m.rgba.as_raw(), d.rgba.as_raw());
    assert!(peak < 7_000_000, "decoding from memory peaked at {peak}");
}
