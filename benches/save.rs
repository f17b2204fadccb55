//! What the safety of a save costs: the case lock alone, a save as it was done before the
//! lock (read and hash the file, then temp file + fsync + rename), and the save now (lock,
//! stale-temp sweep, compare just before the rename, the rename, the look after it).
//!
//! Runs on the bundled sample case (12 KB index.md) copied into a temp folder on the disk
//! the tests use.

#[path = "../tests/support/sample.rs"]
mod sample;

use casebook_core::case::Case;
use casebook_core::edit::Edit;
use casebook_core::save::{self, CaseLock, Stamp};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_save(c: &mut Criterion) {
    let Ok(tmp) = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR").to_string() + "/target") else {
        return;
    };
    let Ok(dir) = sample::copy_sample(tmp.path()) else {
        return;
    };
    let index = dir.join("index.md");

    c.bench_function("save/lock_acquire_release", |b| {
        b.iter(|| {
            let lock = CaseLock::acquire(&dir);
            std::hint::black_box(lock.is_ok())
        })
    });

    let Ok(mut case) = Case::open(&dir) else {
        return;
    };
    let mut n = 0u64;
    c.bench_function("save/before_unlocked_read_hash_write", |b| {
        b.iter(|| {
            n += 1;
            let _ = case.apply(&Edit::set("title", format!("Bench {n}")));
            let bytes = case.index_bytes();
            // What a save did before: compare the file with what was read, then write it.
            let same = Stamp::of_file(&index);
            std::hint::black_box(same);
            let _ = save::safe_write(&index, &bytes);
        })
    });

    let Ok(mut case) = Case::open(&dir) else {
        return;
    };
    c.bench_function("save/now_locked_compare_write", |b| {
        b.iter(|| {
            n += 1;
            let _ = case.apply(&Edit::set("title", format!("Bench {n}")));
            std::hint::black_box(case.save(false).is_ok())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench_save
}
criterion_main!(benches);
