//! Image fix benchmark: a 4000 × 3000 JPEG (a phone photo's size, made here) decoded,
//! resized to 2400 px and encoded under 1 MB; and the same file decoded for display at a
//! preview column's width.

use std::sync::atomic::AtomicBool;

use casebook_core::images::{self, Job};
use criterion::{Criterion, criterion_group, criterion_main};
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// Smooth gradients with grain (fixed seed), as a JPEG at quality 95.
fn photo(width: u32, height: u32) -> Vec<u8> {
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
    if let Err(e) = JpegEncoder::new_with_quality(&mut buf, 95).encode_image(&img) {
        panic!("{e}");
    }
    buf
}

fn benches(c: &mut Criterion) {
    let bytes = photo(4000, 3000);
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temp dir")
    };
    let path = dir.path().join("phone.jpg");
    if let Err(e) = std::fs::write(&path, &bytes) {
        panic!("{e}");
    }
    eprintln!("input: 4000 × 3000 JPEG, {} bytes", bytes.len());
    c.bench_function(
        "resize a 4000x3000 JPEG to an atlas JPEG (<= 1 MB, 2400 px)",
        |b| {
            b.iter(|| {
                let cancel = AtomicBool::new(false);
                let mut progress = |_: f32| {};
                let mut job = Job::new(&mut progress, &cancel);
                match images::process_file(&path, None, &mut job) {
                    Ok(out) => std::hint::black_box(out.bytes.len()),
                    Err(e) => panic!("{e}"),
                }
            })
        },
    );
    c.bench_function(
        "decode a 4000x3000 JPEG for display at 820 px (preview column)",
        |b| {
            b.iter(
                || match images::decode_for_display(&bytes, &path, 820, 2048) {
                    Ok(d) => std::hint::black_box(d.rgba.len()),
                    Err(e) => panic!("{e}"),
                },
            )
        },
    );
}

criterion_group! {
    name = images_bench;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(images_bench);
