//! Whether the tests run as root: permission bits do not stop root, so tests of read-only
//! files use another way (a read-only mount) there, or say that they are skipped.

#![allow(dead_code)]

/// Whether this process runs as root (`id -u` is 0).
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
