//! `casebook fix PATH... [--only CODE]... [--dry-run]`: applies the automatic fixes the editor
//! offers as one click (country code, geography name, ring winding, allowed values, ...) to
//! every case found, and saves each case safely; `--dry-run` prints the unified diff of every
//! file instead and changes nothing.
//!
//! Exit codes as for `check`: 0 when no errors remain, 1 when errors remain (that no automatic
//! fix could mend), 2 when it could not run (bad arguments, unreadable cases, a failed save).

use std::io::Write;
use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks::{self, Counts, fixes};
use casebook_core::text::unified_diff;
use casebook_core::workspace;

/// Runs the fixes and prints the report; returns the exit code.
pub fn run(paths: &[PathBuf], only: &[String], dry_run: bool, templates: Option<&Path>) -> u8 {
    let codes: Vec<&'static str> = checks::rules().iter().map(|r| r.code()).collect();
    let mut wanted: Vec<&'static str> = Vec::new();
    for o in only {
        let upper = o.trim().to_ascii_uppercase();
        match codes.iter().find(|c| **c == upper) {
            Some(c) => wanted.push(c),
            None => {
                eprintln!(
                    "casebook: --only {o}: no such rule (the codes are {} to {})",
                    codes.first().copied().unwrap_or_default(),
                    codes.last().copied().unwrap_or_default()
                );
                return 2;
            }
        }
    }
    let mut indexes = Vec::new();
    for p in paths {
        if !p.exists() {
            eprintln!("casebook: {}: no such file or folder", p.display());
            return 2;
        }
        let found = workspace::find_cases(p);
        if found.is_empty() {
            eprintln!(
                "casebook: {}: no case found (a case folder holds an index.md)",
                p.display()
            );
            return 2;
        }
        indexes.extend(found);
    }
    let set = match super::load_templates(templates, paths.first().map(PathBuf::as_path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("casebook: {e}");
            return 2;
        }
    };
    let mut out = String::new();
    let mut failed = false;
    let mut fixed_total = 0usize;
    let mut remaining = Counts::default();
    for index in &indexes {
        let mut case = match Case::open(index) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("casebook: {e}");
                failed = true;
                continue;
            }
        };
        let template = set.for_document(case.doc()).clone();
        case.set_key_order(template.key_order.clone());
        case.set_list_styles_from(&template.document);
        let index_before = String::from_utf8_lossy(&case.index_bytes()).into_owned();
        let geometry_before = case.geometry().map(|g| g.to_file_text());
        let applied = fixes::apply_all(&mut case, &template, &wanted);
        let after = checks::run(&case, &template);
        let counts = Counts::of(&after);
        remaining.errors += counts.errors;
        remaining.warnings += counts.warnings;
        remaining.infos += counts.infos;
        if applied.is_empty() {
            continue;
        }
        fixed_total += applied.len();
        out.push_str(&format!("{}\n", case.index_path().display()));
        for a in &applied {
            let line = a.line.map(|l| format!("line {l}")).unwrap_or_default();
            out.push_str(&format!(
                "  {:<9} {} {:<9} {}\n",
                if dry_run { "would fix" } else { "fixed" },
                a.code,
                line,
                a.label
            ));
        }
        if dry_run {
            let index_after = String::from_utf8_lossy(&case.index_bytes()).into_owned();
            let name = case.index_path().display().to_string();
            out.push_str(&unified_diff(
                &index_before,
                &index_after,
                &format!("a/{name}"),
                &format!("b/{name}"),
            ));
            if let (Some(before), Some(doc), Some(path)) =
                (&geometry_before, case.geometry(), case.geo().path())
            {
                let name = path.display().to_string();
                out.push_str(&unified_diff(
                    before,
                    &doc.to_file_text(),
                    &format!("a/{name}"),
                    &format!("b/{name}"),
                ));
            }
        } else if let Err(e) = case.save(false) {
            eprintln!("casebook: {e}");
            failed = true;
            continue;
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{} case{} looked at: {fixed_total} fix{} {}, {} error{} {}.\n",
        indexes.len(),
        if indexes.len() == 1 { "" } else { "s" },
        if fixed_total == 1 { "" } else { "es" },
        if dry_run {
            "to apply (dry run: nothing written)"
        } else {
            "applied"
        },
        remaining.errors,
        if remaining.errors == 1 { "" } else { "s" },
        if dry_run { "would remain" } else { "remain" },
    ));
    if std::io::stdout().lock().write_all(out.as_bytes()).is_err() {
        return 2;
    }
    if failed {
        2
    } else if remaining.errors > 0 {
        1
    } else {
        0
    }
}
