//! `casebook fix PATH... [--only CODE]... [--dry-run]`: applies the automatic fixes the editor
//! offers as one click (country code, geography name, ring winding, allowed values, ...) to
//! every case found, and saves each case safely; `--dry-run` prints the unified diff of every
//! file instead and changes nothing.
//!
//! CB014's fix resizes an oversize featured image (over 1 MB): a new JPEG of at most 1 MB,
//! long side 1920–2400 px, EXIF orientation applied, is written beside the original (which is
//! kept: `photo.jpg` → `photo-2400.jpg`) and only the `featured_image` line of `index.md`
//! changes (see `casebook_core::images`). Oversize body images (`![alt](photo.jpg)`, reported
//! by CB016) get the same resize with `--only CB014` or `--only CB016`: only the path inside
//! that image's Markdown changes. `--dry-run` says which image would be resized and
//! writes nothing; the new file's name and size are known only once it is made. Cropping a
//! portrait image needs a person and is not done here.
//!
//! Exit codes as for `check`: 0 when no errors remain, 1 when errors remain (that no automatic
//! fix could mend), 2 when it could not run (bad arguments, unreadable cases, a failed save).

use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::atomic::AtomicBool;

use casebook_core::case::Case;
use casebook_core::checks::{self, Counts, fixes};
use casebook_core::fields::Field;
use casebook_core::images::{self, ImageRef, Job};
use casebook_core::session::Session;
use casebook_core::text::unified_diff;
use casebook_core::workspace;

/// The rule whose fix resizes the featured image.
const IMAGE_CODE: &str = "CB014";
/// The rule that reports oversize body images (their resize also runs with `--only CB014`,
/// the resize fix).
const BODY_IMAGE_CODE: &str = "CB016";

/// The fix for oversize body images: each one over 1 MB is resized into a new JPEG beside it
/// and only its path in the body changes (last image first, so earlier offsets stay valid).
/// With `dry_run`, only says which would be.
fn resize_body(session: &mut Session, dry_run: bool) -> (Vec<fixes::Applied>, Vec<String>) {
    let (mut applied, mut errors) = (Vec::new(), Vec::new());
    for which in images::oversize_body_last_first(&session.case) {
        let case = &session.case;
        let ImageRef::Body { offset } = which else {
            continue;
        };
        let line_no = case
            .doc()
            .text()
            .get(..offset)
            .map_or(0, |before| before.matches('\n').count())
            + 1;
        let line = Some(line_no);
        if dry_run {
            applied.push(fixes::Applied {
                code: BODY_IMAGE_CODE,
                line,
                label: "body image would be resized to a JPEG of at most 1 MB, written beside it (the original is kept)".to_string(),
            });
            continue;
        }
        let cancel = AtomicBool::new(false);
        let mut progress = |_: f32| {};
        let mut job = Job::new(&mut progress, &cancel);
        let fix = match images::fix_image(case, &which, None, &mut job) {
            Ok(f) => f,
            Err(e) => {
                errors.push(format!(
                    "line {line_no}: the body image was not resized: {e}"
                ));
                continue;
            }
        };
        if let Err(e) = session.apply(&fix.edit, "Resize body image", None) {
            errors.push(format!(
                "{} was written but the image reference could not be changed to it: {e}",
                fix.written.display()
            ));
            continue;
        }
        let original = fix
            .original
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        applied.push(fixes::Applied {
            code: BODY_IMAGE_CODE,
            line,
            label: format!(
                "body image: use {} ({} × {} px, {}, JPEG quality {}); the original {original} is kept",
                fix.new_ref,
                fix.width,
                fix.height,
                format_size(fix.bytes),
                fix.quality
            ),
        });
    }
    // Listed in reading order.
    applied.reverse();
    (applied, errors)
}

/// CB014's fix: when the featured image is over 1 MB, writes the resized JPEG beside it and
/// changes the case's reference (not saved); with `dry_run`, only says it would.
fn resize_featured(session: &mut Session, dry_run: bool) -> Result<Option<fixes::Applied>, String> {
    let case = &session.case;
    let oversize = images::oversize(case).map_err(|e| e.to_string())?;
    if !oversize.contains(&ImageRef::Featured) {
        return Ok(None);
    }
    let key = case.key_for(Field::FeaturedImage).to_string();
    let line = case
        .doc()
        .front_matter()
        .and_then(|fm| fm.entry(&key))
        .map(|e| e.line);
    let current = case.doc().text_of(Field::FeaturedImage).unwrap_or_default();
    let current = current.trim();
    if dry_run {
        return Ok(Some(fixes::Applied {
            code: IMAGE_CODE,
            line,
            label: format!(
                "{key}: {current} would be resized to a JPEG of at most 1 MB, written beside it (the original is kept)"
            ),
        }));
    }
    let cancel = AtomicBool::new(false);
    let mut progress = |_: f32| {};
    let mut job = Job::new(&mut progress, &cancel);
    let Some(fix) = images::fix_featured_if_oversize(case, &mut job).map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    session
        .apply(&fix.edit, "Resize featured image", None)
        .map_err(|e| {
            format!(
                "{} was written but `{key}` could not be changed to it: {e}",
                fix.written.display()
            )
        })?;
    let original = fix
        .original
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(fixes::Applied {
        code: IMAGE_CODE,
        line,
        label: format!(
            "{key}: use {} ({} × {} px, {}, JPEG quality {}); the original {original} is kept",
            fix.new_ref,
            fix.width,
            fix.height,
            format_size(fix.bytes),
            fix.quality
        ),
    }))
}

/// `812 KB`, `1.2 MB`.
fn format_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// Runs the fixes and prints the report; returns the exit code.
pub fn run(paths: &[PathBuf], only: &[String], dry_run: bool, templates: Option<&Path>) -> u8 {
    let prepared = wanted_codes(only).and_then(|wanted| {
        let indexes = case_indexes(paths)?;
        let set = super::load_templates(templates, paths.first().map(PathBuf::as_path))?;
        Ok((wanted, indexes, set))
    });
    let (wanted, indexes, set) = match prepared {
        Ok(p) => p,
        Err(e) => {
            eprintln!("casebook: {e}");
            return 2;
        }
    };
    let mut run = Run {
        dry_run,
        out: String::new(),
        failed: false,
        fixed: 0,
        remaining: Counts::default(),
    };
    for index in &indexes {
        match Case::open(index) {
            // Fixes go through the same session as the editor's (and `set`'s) edits.
            Ok(case) => run.fix_case(Session::with_templates(case, set.clone()), &wanted),
            Err(e) => {
                eprintln!("casebook: {e}");
                run.failed = true;
            }
        }
    }
    run.summary(indexes.len());
    if std::io::stdout()
        .lock()
        .write_all(run.out.as_bytes())
        .is_err()
    {
        return 2;
    }
    if run.failed {
        2
    } else if run.remaining.errors > 0 {
        1
    } else {
        0
    }
}

/// The rule codes `--only` names (all rules when none), or why one is not a rule.
fn wanted_codes(only: &[String]) -> Result<Vec<&'static str>, String> {
    let codes: Vec<&'static str> = checks::rules().iter().map(|r| r.code()).collect();
    only.iter()
        .map(|o| {
            let upper = o.trim().to_ascii_uppercase();
            codes.iter().find(|c| **c == upper).copied().ok_or_else(|| {
                format!(
                    "--only {o}: no such rule (the codes are {} to {})",
                    codes.first().copied().unwrap_or_default(),
                    codes.last().copied().unwrap_or_default()
                )
            })
        })
        .collect()
}

/// The cases under `paths`, or why a path has none.
fn case_indexes(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut indexes = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(format!("{}: no such file or folder", p.display()));
        }
        let found = workspace::find_cases(p);
        if found.is_empty() {
            return Err(format!(
                "{}: no case found (a case folder holds an index.md)",
                p.display()
            ));
        }
        indexes.extend(found);
    }
    Ok(indexes)
}

/// A `fix` run over the cases: the report so far and its totals.
struct Run {
    dry_run: bool,
    out: String,
    failed: bool,
    fixed: usize,
    remaining: Counts,
}

impl Run {
    /// Applies the wanted fixes to one case (and resizes its images), counts what remains,
    /// reports what was fixed and saves (or, in a dry run, prints the diffs).
    fn fix_case(&mut self, mut session: Session, wanted: &[&'static str]) {
        let dry_run = self.dry_run;
        let index_before = String::from_utf8_lossy(&session.case.index_bytes()).into_owned();
        let geometry_before = session.case.geometry().map(|g| g.to_file_text());
        let mut applied =
            session.fix_where("Fix", |d| wanted.is_empty() || wanted.contains(&d.code));
        if wanted.is_empty() || wanted.contains(&IMAGE_CODE) {
            match resize_featured(&mut session, dry_run) {
                Ok(a) => applied.extend(a),
                Err(e) => self.fail(&session, &e),
            }
        }
        if wanted.is_empty() || wanted.contains(&IMAGE_CODE) || wanted.contains(&BODY_IMAGE_CODE) {
            let (done, errors) = resize_body(&mut session, dry_run);
            applied.extend(done);
            for e in errors {
                self.fail(&session, &e);
            }
        }
        let (case, template) = (&mut session.case, &session.template);
        let counts = Counts::of(&checks::run(case, template));
        self.remaining.errors += counts.errors;
        self.remaining.warnings += counts.warnings;
        self.remaining.infos += counts.infos;
        if applied.is_empty() {
            return;
        }
        self.fixed += applied.len();
        self.out
            .push_str(&format!("{}\n", case.index_path().display()));
        for a in &applied {
            let line = a.line.map(|l| format!("line {l}")).unwrap_or_default();
            self.out.push_str(&format!(
                "  {:<9} {} {:<9} {}\n",
                if dry_run { "would fix" } else { "fixed" },
                a.code,
                line,
                a.label
            ));
        }
        if dry_run {
            self.diffs(case, &index_before, geometry_before.as_deref());
        } else if let Err(e) = case.save(false) {
            eprintln!("casebook: {e}");
            self.failed = true;
            return;
        }
        self.out.push('\n');
    }

    fn fail(&mut self, session: &Session, e: &str) {
        eprintln!("casebook: {}: {e}", session.case.index_path().display());
        self.failed = true;
    }

    /// The unified diffs of `index.md` and the boundary file against what they were.
    fn diffs(&mut self, case: &Case, index_before: &str, geometry_before: Option<&str>) {
        let index_after = String::from_utf8_lossy(&case.index_bytes()).into_owned();
        let name = case.index_path().display().to_string();
        self.out.push_str(&unified_diff(
            index_before,
            &index_after,
            &format!("a/{name}"),
            &format!("b/{name}"),
        ));
        if let (Some(before), Some(doc), Some(path)) =
            (geometry_before, case.geometry(), case.geo().path())
        {
            let name = path.display().to_string();
            self.out.push_str(&unified_diff(
                before,
                &doc.to_file_text(),
                &format!("a/{name}"),
                &format!("b/{name}"),
            ));
        }
    }

    /// "3 cases looked at: 2 fixes applied, 0 errors remain."
    fn summary(&mut self, cases: usize) {
        let dry_run = self.dry_run;
        self.out.push_str(&format!(
            "{} case{} looked at: {} fix{} {}, {} error{} {}.\n",
            cases,
            if cases == 1 { "" } else { "s" },
            self.fixed,
            if self.fixed == 1 { "" } else { "es" },
            if dry_run {
                "to apply (dry run: nothing written)"
            } else {
                "applied"
            },
            self.remaining.errors,
            if self.remaining.errors == 1 { "" } else { "s" },
            if dry_run { "would remain" } else { "remain" },
        ));
    }
}
