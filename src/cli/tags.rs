//! `casebook tags rename OLD NEW PATH... [--dry-run]`: rename (or merge) a tag in every case
//! that has it, in place.
//!
//! Each case is opened with its lock, changed by [`casebook_core::bulk::rename_tag`] (only the
//! line holding the tag changes) and saved through the safe save; cases without the tag are
//! not touched. Each case stands alone: one that cannot be changed is reported and the others
//! are still done. Exit codes: 0 = done, 2 = some case could not be read, changed or saved
//! (the message names it; it was left as it was).

use std::collections::HashSet;
use std::path::PathBuf;

use clap::Subcommand;

use casebook_core::bulk::{self, FileDiff};
use casebook_core::escape;
use casebook_core::session::Session;
use casebook_core::template::TemplateSet;
use casebook_core::text::{DiffLine, line_diff};
use casebook_core::workspace;

/// `casebook tags …` subcommands.
#[derive(Debug, Subcommand)]
pub enum TagsCommand {
    /// Rename a tag in every case that has it; when a case already has NEW, OLD is removed
    /// (a merge). Only the line holding the tag changes.
    Rename {
        /// The tag to rename, as written.
        old: String,
        /// Its new name.
        new: String,
        /// Cases: case folders, index.md files, or folders of cases (an atlas checkout).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the diff of every file that would change instead of saving.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs a `tags` subcommand; returns the exit code.
pub fn run(command: &TagsCommand) -> u8 {
    match command {
        TagsCommand::Rename {
            old,
            new,
            paths,
            dry_run,
        } => rename(old, new, paths, *dry_run),
    }
}

/// The case documents under `paths` (each once), and whether some path could not be read.
pub fn case_indexes(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut failed = false;
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            eprintln!("casebook: {}: no such file or folder", escape::path_text(p));
            failed = true;
            continue;
        }
        let found = workspace::find_cases_reporting(p);
        for (path, why) in &found.unreadable {
            eprintln!(
                "casebook: {}: could not read it: {}",
                escape::path_text(path),
                escape::controls(why)
            );
            failed = true;
        }
        if found.cases.is_empty() && found.unreadable.is_empty() {
            eprintln!(
                "casebook: {}: no case found (a case folder holds an index.md)",
                escape::path_text(p)
            );
            failed = true;
        }
        for c in found.cases {
            let key = c.canonicalize().unwrap_or_else(|_| c.clone());
            if seen.insert(key) {
                out.push(c);
            }
        }
    }
    (out, failed)
}

/// The number of lines that differ between two texts (the larger of removed and added).
pub fn lines_changed(before: &str, after: &str) -> usize {
    let (mut removed, mut added) = (0, 0);
    for l in line_diff(before, after) {
        match l {
            DiffLine::Removed(_) => removed += 1,
            DiffLine::Added(_) => added += 1,
            DiffLine::Same(_) => {}
        }
    }
    removed.max(added)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn rename(old: &str, new: &str, paths: &[PathBuf], dry_run: bool) -> u8 {
    let (indexes, mut failed) = case_indexes(paths);
    let (mut renamed, mut merged, mut without) = (0usize, 0usize, 0usize);
    let mut diffs: Vec<FileDiff> = Vec::new();
    // The atlas's templates when it has readable ones (the session follows the case's).
    let templates = super::load_templates(None, paths.first().map(PathBuf::as_path))
        .unwrap_or_else(|_| TemplateSet::bundled());
    for index in &indexes {
        let case = match super::open_case_to_write(index, dry_run) {
            Ok(c) => c,
            Err(_) => {
                failed = true;
                continue;
            }
        };
        // The edit goes through the same session as the editor's, `set`'s and `fix`'s.
        let mut session = Session::with_templates(case, templates.clone());
        let case = &session.case;
        let name = escape::path_text(case.index_path());
        let change = match bulk::rename_tag(case, old, new) {
            Ok(Some(c)) => c,
            Ok(None) => {
                without += 1;
                continue;
            }
            Err(e) => {
                eprintln!(
                    "casebook: {name}: {} (nothing was changed)",
                    escape::controls(&e.to_string())
                );
                failed = true;
                continue;
            }
        };
        let before = String::from_utf8_lossy(&case.index_bytes()).into_owned();
        if let Err(e) = session.apply(&change.edit, "Rename tag", None) {
            eprintln!(
                "casebook: {name}: {} (nothing was changed)",
                escape::controls(&e.to_string())
            );
            failed = true;
            continue;
        }
        let case = &mut session.case;
        let after = String::from_utf8_lossy(&case.index_bytes()).into_owned();
        if change.merged {
            merged += 1;
        } else {
            renamed += 1;
        }
        if dry_run {
            diffs.push(FileDiff {
                path: case.index_path().to_path_buf(),
                before,
                after,
            });
            continue;
        }
        match case.save(false) {
            Ok(_) => println!(
                "{name}: {} ({} changed)",
                if change.merged {
                    format!("merged `{old}` into `{new}`")
                } else {
                    format!("renamed `{old}` to `{new}`")
                },
                plural(lines_changed(&before, &after), "line", "lines")
            ),
            Err(e) => {
                eprintln!(
                    "casebook: {name}: {} (the file was left as it was)",
                    escape::controls(&e.to_string())
                );
                failed = true;
                if change.merged {
                    merged -= 1;
                } else {
                    renamed -= 1;
                }
            }
        }
    }
    let summary = if renamed + merged == 0 {
        format!(
            "No case {} the tag `{}` ({} looked at).",
            if failed { "changed has" } else { "has" },
            escape::controls(old),
            plural(indexes.len(), "case", "cases")
        )
    } else {
        format!(
            "`{}` -> `{}`: {} {}, {} {}; {} without it left as {}.",
            escape::controls(old),
            escape::controls(new),
            if dry_run {
                "would rename in"
            } else {
                "renamed in"
            },
            plural(renamed, "case", "cases"),
            if dry_run {
                "would merge in"
            } else {
                "merged in"
            },
            plural(merged, "case", "cases"),
            plural(without, "case", "cases"),
            if without == 1 { "it was" } else { "they were" }
        )
    };
    if dry_run {
        // The diff alone on stdout, so it can be piped to `git apply` or `patch`.
        print!("{}", bulk::combined_diff(&diffs));
        eprintln!("{summary} Nothing was written (dry run).");
    } else {
        println!("{summary}");
    }
    if failed { 2 } else { 0 }
}
