//! Image fix benchmark: a 4000 × 3000 JPEG (a phone photo's size, made here) decoded,
//! resized to 2400 px and encoded under 1 MB; and the same file decoded for display at a
//! preview column's width.

#[path = "../tests/support/photos.rs"]
mod photos;

use std::sync::atomic::AtomicBool;

use casebook_core::images::{self, Job};
use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let bytes = photos::photo_jpeg(4000, 3000, 95);
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
