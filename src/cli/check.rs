//! `casebook check PATH...`: check cases, report per case, exit 1 when errors are found.

use std::io::Write;
use std::path::{Path, PathBuf};

use casebook_core::checks::{Counts, Diagnostic, Severity};
use casebook_core::workspace::{self, CaseSummary};

use super::Format;

/// One case's result.
#[derive(serde::Serialize)]
struct CaseReport {
    #[serde(flatten)]
    summary: CaseSummary,
    diagnostics: Vec<Diagnostic>,
}

/// Runs the check and prints the report; returns the exit code.
pub fn run(paths: &[PathBuf], format: Format, verbose: bool, templates: Option<&Path>) -> u8 {
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
    let mut reports = Vec::new();
    let mut could_not_open = false;
    for index in &indexes {
        let (summary, diagnostics) = workspace::summarize(index, &set);
        could_not_open |= summary.error.is_some();
        reports.push(CaseReport {
            summary,
            diagnostics,
        });
    }
    let mut totals = Counts::default();
    for r in &reports {
        let c = Counts::of(&r.diagnostics);
        totals.errors += c.errors;
        totals.warnings += c.warnings;
        totals.infos += c.infos;
        totals.hints += c.hints;
    }
    let out = match format {
        Format::Json => {
            let doc = serde_json::json!({ "cases": reports, "totals": totals });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Text => text_report(&reports, totals, verbose),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).is_err() {
        return 2;
    }
    if could_not_open {
        2
    } else if totals.errors > 0 {
        1
    } else {
        0
    }
}

/// The report for people: one block per case with problems, then totals.
fn text_report(reports: &[CaseReport], totals: Counts, verbose: bool) -> String {
    let mut out = String::new();
    for r in reports {
        let s = &r.summary;
        if let Some(e) = &s.error {
            out.push_str(&format!(
                "{}\n  error   could not open: {e}\n\n",
                s.path.display()
            ));
            continue;
        }
        let shown: Vec<&Diagnostic> = r
            .diagnostics
            .iter()
            .filter(|d| verbose || d.severity < Severity::Info)
            .collect();
        if shown.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{} — {}{}\n",
            s.path.display(),
            s.title,
            s.status
                .as_deref()
                .map(|st| format!(" ({st})"))
                .unwrap_or_default()
        ));
        for d in shown {
            let line = d.line.map(|l| format!("line {l}")).unwrap_or_default();
            // The message names the field or section itself.
            out.push_str(&format!(
                "  {:<7} {} {:<9} {}\n",
                d.severity.label(),
                d.code,
                line,
                d.message
            ));
            if let Some(fix) = &d.fix {
                out.push_str(&format!("                          fix: {fix}\n"));
            }
        }
        out.push('\n');
    }
    let n = reports.len();
    out.push_str(&format!(
        "{n} case{} checked: {} error{}, {} warning{}{}\n",
        if n == 1 { "" } else { "s" },
        totals.errors,
        if totals.errors == 1 { "" } else { "s" },
        totals.warnings,
        if totals.warnings == 1 { "" } else { "s" },
        if verbose {
            format!(", {} info, {} hints", totals.infos, totals.hints)
        } else {
            String::new()
        }
    ));
    out
}
