//! How many lines an edit changed, for tests that promise "one line changes". Included by
//! `#[path]` from the core's and the app's bulk-edit tests.

#![allow(dead_code)]

use casebook_core::text::{DiffLine, line_diff};

/// (lines removed, lines added) between two files' bytes (read as UTF-8, lossily).
pub fn changed_lines(before: &[u8], after: &[u8]) -> (usize, usize) {
    let (a, b) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after),
    );
    let (mut removed, mut added) = (0, 0);
    for l in line_diff(&a, &b) {
        match l {
            DiffLine::Removed(_) => removed += 1,
            DiffLine::Added(_) => added += 1,
            DiffLine::Same(_) => {}
        }
    }
    (removed, added)
}
