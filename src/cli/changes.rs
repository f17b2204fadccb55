//! `casebook changes PATH [--since REF]`: the cases that changed in the atlas's git repository.
//!
//! Exit codes: 0 = listed (whether or not anything changed), 2 = could not run (PATH is in no
//! git repository, REF names no commit, the repository could not be read). Nothing else in
//! Casebook needs git; this command does.

use std::io::Write;
use std::path::Path;

use casebook_core::escape;
use casebook_core::vcs::{self, Changes, Status};

use super::Format;

/// Lists the changed cases under `path`; returns the exit code.
///
/// Reads only: creates, deletes and changes nothing (not even git's index).
pub fn run(path: &Path, since: Option<&str>, format: Format) -> u8 {
    let changes = match vcs::changes(path, since) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("casebook: {}", escape::controls(&e.to_string()));
            return 2;
        }
    };
    let out = match format {
        Format::Json => {
            let doc = serde_json::json!({
                "workdir": changes.workdir,
                "scope": changes.scope,
                "base": changes.base,
                "cases": changes.cases,
                "other": changes.other,
                "totals": totals(&changes),
            });
            match serde_json::to_string_pretty(&doc) {
                Ok(text) => escape::json_for_terminal(&text) + "\n",
                Err(e) => {
                    eprintln!("casebook: could not write the list as JSON: {e}");
                    return 2;
                }
            }
        }
        Format::Text => text_report(&changes),
    };
    if std::io::stdout().lock().write_all(out.as_bytes()).is_err() {
        return 2;
    }
    0
}

/// The number of cases per status.
fn totals(c: &Changes) -> serde_json::Value {
    let count = |s: Status| c.cases.iter().filter(|x| x.status == s).count();
    serde_json::json!({
        "cases": c.cases.len(),
        "added": count(Status::Added),
        "modified": count(Status::Modified),
        "renamed": count(Status::Renamed),
        "deleted": count(Status::Deleted),
        "other_files": c.other.len(),
    })
}

/// What the files are compared with, in words.
fn against(c: &Changes) -> String {
    let short = |h: &str| h.chars().take(10).collect::<String>();
    match (&c.base.commit, c.base.merge_base) {
        (None, _) => "HEAD (no commit yet)".to_string(),
        (Some(h), false) => format!("HEAD ({})", short(h)),
        (Some(h), true) => format!(
            "{} (merge base {})",
            escape::controls(&c.base.rev),
            short(h)
        ),
    }
}

/// The list for people: one line per case, its files indented under it, then totals.
fn text_report(c: &Changes) -> String {
    let mut out = String::new();
    let top = escape::path_text(&c.workdir);
    let scope = if c.scope.is_empty() {
        top
    } else {
        format!("{top}/{}", escape::controls(&c.scope))
    };
    if c.cases.is_empty() && c.other.is_empty() {
        out.push_str(&format!(
            "No case changed in {scope} against {}.\n",
            against(c)
        ));
        return out;
    }
    out.push_str(&format!("Changes in {scope} against {}:\n", against(c)));
    for case in &c.cases {
        let path = escape::controls(&case.path);
        let path = if path.is_empty() {
            ".".to_string()
        } else {
            path
        };
        match (&case.from, case.similarity) {
            (Some(from), Some(s)) => out.push_str(&format!(
                "{}  {}/ <- {}/ ({s}% alike)\n",
                case.status.letter(),
                path,
                escape::controls(from)
            )),
            _ => out.push_str(&format!("{}  {}/\n", case.status.letter(), path)),
        }
        for f in &case.files {
            match &f.from {
                Some(from) => out.push_str(&format!(
                    "     {}  {} <- {}\n",
                    f.status.letter(),
                    escape::controls(&f.path),
                    escape::controls(from)
                )),
                None => out.push_str(&format!(
                    "     {}  {}\n",
                    f.status.letter(),
                    escape::controls(&f.path)
                )),
            }
        }
    }
    if !c.other.is_empty() {
        out.push_str("Files in no case folder:\n");
        for f in &c.other {
            out.push_str(&format!(
                "     {}  {}\n",
                f.status.letter(),
                escape::controls(&f.path)
            ));
        }
    }
    let n = c.cases.len();
    let parts: Vec<String> = [
        Status::Added,
        Status::Modified,
        Status::Renamed,
        Status::Deleted,
    ]
    .iter()
    .map(|s| {
        format!(
            "{} {}",
            c.cases.iter().filter(|x| x.status == *s).count(),
            s.word()
        )
    })
    .collect();
    out.push_str(&format!(
        "{n} case{} changed: {}\n",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    ));
    out
}
