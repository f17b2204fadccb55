//! The app's allocator settings (`casebook::app::limit_allocator_growth`): a large buffer
//! freed goes back to the system, even after larger ones were freed before (glibc otherwise
//! raises its `mmap` threshold to the largest freed buffer and keeps such buffers in the heap).
//!
//! Its own test binary with one test: the allocator's counters are process-wide.

#![cfg(all(feature = "gui", target_os = "linux", target_env = "gnu"))]
#![allow(clippy::unwrap_used)]

/// Bytes the allocator holds in `mmap`ed blocks.
fn mmapped() -> usize {
    // SAFETY: `mallinfo2` only reads the allocator's counters.
    unsafe { libc::mallinfo2() }.hblkhd
}

#[test]
fn freed_large_buffers_go_back_to_the_system() {
    assert!(casebook::app::limit_allocator_growth());
    // A 32 MB buffer freed: by default this would raise the threshold to 32 MB.
    let big = vec![1u8; 32 << 20];
    std::hint::black_box(&big);
    drop(big);
    // A 4 MB buffer (a decoded image's size) is still its own mapping: returned when freed.
    let before = mmapped();
    let image = vec![1u8; 4 << 20];
    std::hint::black_box(&image);
    let held = mmapped();
    assert!(
        held >= before + (4 << 20),
        "a 4 MB buffer came from the heap ({before} → {held} bytes mapped)"
    );
    drop(image);
    assert!(
        mmapped() + (4 << 20) <= held,
        "the 4 MB buffer was not returned"
    );
}
