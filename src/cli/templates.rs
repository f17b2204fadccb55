//! `casebook templates`: list the templates available.

use std::path::Path;

/// Prints one line per template; returns the exit code.
pub fn run(dir: Option<&Path>) -> u8 {
    let set = match super::load_templates(dir, None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("casebook: {e}");
            return 2;
        }
    };
    for t in set.all() {
        let headings: Vec<&str> = t.sections.iter().map(|s| s.heading.as_str()).collect();
        println!(
            "{:<18} {:<10} {}",
            t.name,
            t.source.label(),
            headings.join(" · ")
        );
    }
    0
}
