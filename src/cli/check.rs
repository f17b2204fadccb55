//! `casebook check PATH...`: check cases, report per case, exit 1 when errors are found.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use casebook_core::checks::{Counts, Diagnostic, Severity};
use casebook_core::escape;
use casebook_core::workspace::{self, CaseSummary};

use super::Format;

/// One case's result.
#[derive(serde::Serialize)]
struct CaseReport {
    #[serde(flatten)]
    summary: CaseSummary,
    diagnostics: Vec<Diagnostic>,
}

/// Runs the check and prints the report; returns the exit code: 2 when anything could not be
/// read (so not everything was checked), else 1 when errors were found, else 0.
///
/// Reads only: creates, deletes and changes nothing.
pub fn run(paths: &[PathBuf], format: Format, verbose: bool, templates: Option<&Path>) -> u8 {
    casebook_core::checks::warm_up();
    let mut indexes = Vec::new();
    let mut unreadable = Vec::new();
    for p in paths {
        if fs::symlink_metadata(p).is_err() {
            eprintln!("casebook: {}: no such file or folder", escape::path_text(p));
            return 2;
        }
        let found = workspace::find_cases_reporting(p);
        if found.cases.is_empty() && found.unreadable.is_empty() {
            eprintln!(
                "casebook: {}: no case found (a case folder holds an index.md)",
                escape::path_text(p)
            );
            return 2;
        }
        indexes.extend(found.cases);
        unreadable.extend(found.unreadable);
    }
    let set = match super::load_templates(templates, paths.first().map(PathBuf::as_path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("casebook: {}", escape::controls(&e));
            return 2;
        }
    };
    let mut reports = Vec::new();
    for (path, why) in unreadable {
        reports.push(CaseReport {
            summary: CaseSummary::unreadable(&path, format!("could not read it: {why}")),
            diagnostics: Vec::new(),
        });
    }
    // Cases are checked in parallel; the report is sorted by path below.
    // Spelling (hints) and its suggestions are most of the work; only the reports that show
    // hints compute them (the text report lists hints with --verbose only).
    let shows_hints = verbose || format == Format::Json;
    let options = casebook_core::checks::Options {
        spelling_suggestions: shows_hints,
        spelling: shows_hints,
    };
    for (summary, diagnostics) in workspace::summarize_all(&indexes, &set, options) {
        reports.push(CaseReport {
            summary,
            diagnostics,
        });
    }
    reports.sort_by(|a, b| a.summary.path.cmp(&b.summary.path));
    // Anything that could not be read (a case, a boundary, an image) means not everything
    // was checked.
    let could_not_check = reports
        .iter()
        .any(|r| r.summary.incomplete() || r.diagnostics.iter().any(|d| d.unread));
    let mut totals = Counts::default();
    for r in &reports {
        let c = Counts::of(&r.diagnostics);
        // A case that could not be opened counts as an error found. (A file of the case that
        // could not be read is already an error of its rule, e.g. CB017 for the boundary.)
        totals.errors += c.errors + usize::from(r.summary.error.is_some());
        totals.warnings += c.warnings + r.summary.file_warnings.len();
        totals.infos += c.infos;
        totals.hints += c.hints;
    }
    let out = match format {
        Format::Json => {
            let doc = serde_json::json!({ "cases": reports, "totals": totals });
            match serde_json::to_string_pretty(&doc) {
                Ok(text) => escape::json_for_terminal(&text) + "\n",
                Err(e) => {
                    eprintln!("casebook: could not write the report as JSON: {e}");
                    return 2;
                }
            }
        }
        Format::Text => text_report(&reports, totals, verbose),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).is_err() {
        return 2;
    }
    if could_not_check {
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
        let path = escape::path_text(&s.path);
        if let Some(e) = &s.error {
            out.push_str(&format!(
                "{path}\n  error   could not open: {}\n\n",
                escape::controls(e)
            ));
            continue;
        }
        let shown: Vec<&Diagnostic> = r
            .diagnostics
            .iter()
            .filter(|d| verbose || d.severity < Severity::Info)
            .collect();
        if shown.is_empty() && s.file_warnings.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{path} — {}{}\n",
            escape::controls(&s.title),
            s.status
                .as_deref()
                .map(|st| format!(" ({})", escape::controls(st)))
                .unwrap_or_default()
        ));
        for w in &s.file_warnings {
            out.push_str(&format!("  warning {}\n", escape::controls(w)));
        }
        for d in shown {
            let line = d.line.map(|l| format!("line {l}")).unwrap_or_default();
            // The message names the field or section itself.
            out.push_str(&format!(
                "  {:<7} {} {:<9} {}\n",
                d.severity.label(),
                d.code,
                line,
                escape::controls(&d.message)
            ));
            if let Some(fix) = &d.fix {
                out.push_str(&format!(
                    "                          fix: {}\n",
                    escape::controls(fix)
                ));
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
