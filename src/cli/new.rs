//! `casebook new`: a new case folder from a template.

use std::path::{Path, PathBuf};

use casebook_core::{escape, workspace};

/// Makes the case and prints its path; returns the exit code.
pub fn run(
    template: &str,
    country: &str,
    city: &str,
    title: &str,
    dir: Option<PathBuf>,
    templates: Option<&Path>,
) -> u8 {
    let cases_dir = dir.unwrap_or_else(|| {
        let c = PathBuf::from("cases");
        if c.is_dir() { c } else { PathBuf::from(".") }
    });
    let set = match super::load_templates(templates, Some(&cases_dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("casebook: {e}");
            return 2;
        }
    };
    let Some(t) = set.get(template) else {
        let names: Vec<&str> = set.all().iter().map(|t| t.name.as_str()).collect();
        eprintln!(
            "casebook: no template named `{template}` (available: {})",
            names.join(", ")
        );
        return 2;
    };
    match workspace::new_case_named(&cases_dir, t, country, city, title) {
        Ok(made) => {
            if let Some(note) = &made.note {
                eprintln!("casebook: note: {}", escape::controls(note));
            }
            println!("{}", escape::path_text(&made.index));
            0
        }
        Err(e) => {
            eprintln!("casebook: {}", escape::controls(&e.to_string()));
            2
        }
    }
}
