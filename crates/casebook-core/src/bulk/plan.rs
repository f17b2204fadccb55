//! A bulk edit over many cases in three steps, as the editor's preview shows them: [`plan`]
//! (the diff of every file that would change, nothing written), [`apply`] (each case saved
//! through the safe save under its lock, and only when it still holds what was previewed) and
//! [`undo`] (each case put back the same way, and only when it still holds what was applied).
//!
//! The edits are the ones the command line makes: [`super::rename_tag`] for a tag (as
//! `casebook tags rename`) and [`fixes::apply_where`] for a finding's fix (as `casebook fix`,
//! whose [`fixes::apply_all`] is the same code for every finding).

use std::path::{Path, PathBuf};

use super::{FileDiff, rename_tag};
use crate::case::Case;
use crate::checks::{Target, fixes};
use crate::edit::Edit;
use crate::template::TemplateSet;

/// What a bulk edit does to each case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkOp {
    /// Rename tag `old` to `new` (a merge where the case has `new` already).
    RenameTag {
        /// The tag as written.
        old: String,
        /// Its new name.
        new: String,
    },
    /// Apply the automatic fix of every finding of rule `code` about `target`.
    Fix {
        /// The rule's code (`CB005`).
        code: String,
        /// What the finding is about (the field `country_code`, the geometry).
        target: Target,
    },
}

impl BulkOp {
    /// What it does, in a few words, for the preview's title and the Undo step.
    pub fn describe(&self) -> String {
        match self {
            BulkOp::RenameTag { old, new } => format!("Rename tag `{old}` to `{new}`"),
            BulkOp::Fix { code, target } => match target {
                Target::Field { key } => format!("Fix {code} on `{key}` in all cases"),
                Target::Geometry => format!("Fix {code} on the boundary in all cases"),
                Target::Section { heading, .. } => {
                    format!("Fix {code} in section `{heading}` in all cases")
                }
                Target::Document => format!("Fix {code} in all cases"),
            },
        }
    }

    /// Makes the edit in `case` (in memory): what it did and the inverses, or `None` when the
    /// case has nothing to change.
    fn run(&self, case: &mut Case, templates: &TemplateSet) -> Result<Option<Ran>, String> {
        match self {
            BulkOp::RenameTag { old, new } => {
                let Some(r) = rename_tag(case, old, new).map_err(|e| e.to_string())? else {
                    return Ok(None);
                };
                let inverse = case.apply(&r.edit).map_err(|e| e.to_string())?;
                let label = if r.merged {
                    format!("merged `{old}` into `{new}`")
                } else {
                    format!("renamed `{old}` to `{new}`")
                };
                Ok(Some(Ran {
                    labels: vec![label],
                    inverses: inverse.into_iter().collect(),
                }))
            }
            BulkOp::Fix { code, target } => {
                // As `casebook fix` does: the case follows its template's key order and styles.
                let template = templates.for_document(case.doc()).clone();
                case.set_key_order(template.key_order.clone());
                case.set_list_styles_from(&template.document);
                let done =
                    fixes::apply_where(case, &template, |d| d.code == code && d.target == *target);
                if done.applied.is_empty() {
                    return Ok(None);
                }
                Ok(Some(Ran {
                    labels: done.applied.into_iter().map(|a| a.label).collect(),
                    inverses: done.inverses,
                }))
            }
        }
    }
}

/// What [`BulkOp::run`] did to one case.
struct Ran {
    labels: Vec<String>,
    inverses: Vec<Edit>,
}

/// One case a bulk edit changes, as previewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePlan {
    /// The case's `index.md`.
    pub index: PathBuf,
    /// Each file that changes (`index.md` first, then the boundary file), before and after.
    pub files: Vec<FileDiff>,
    /// What is done to it (`renamed `A` to `B``, `country_code: use HKG`).
    pub labels: Vec<String>,
}

/// A case left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The case's `index.md`.
    pub index: PathBuf,
    /// Why (names the line when it is about one).
    pub why: String,
}

/// The preview of a bulk edit: every case it changes with its diffs; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The edit.
    pub op: BulkOp,
    /// The cases it changes, in the order given.
    pub cases: Vec<CasePlan>,
    /// Cases it would change but cannot (unreadable, a list written in a form it cannot
    /// change in place), or that the caller left out.
    pub skipped: Vec<Skipped>,
    /// How many cases were looked at.
    pub looked_at: usize,
}

/// The text of `index.md` and of the boundary file (when one is loaded) as the case holds them.
fn texts(case: &Case) -> (String, Option<(PathBuf, String)>) {
    let index = String::from_utf8_lossy(&case.index_bytes()).into_owned();
    let geometry = match (case.geo().path(), case.geometry()) {
        (Some(p), Some(g)) => Some((p.to_path_buf(), g.to_file_text())),
        _ => None,
    };
    (index, geometry)
}

/// The files that differ between two [`texts`].
fn diffs(
    index: &Path,
    before: (String, Option<(PathBuf, String)>),
    after: (String, Option<(PathBuf, String)>),
) -> Vec<FileDiff> {
    let mut out = Vec::new();
    if before.0 != after.0 {
        out.push(FileDiff {
            path: index.to_path_buf(),
            before: before.0,
            after: after.0,
        });
    }
    if let (Some((path, b)), Some((_, a))) = (before.1, after.1)
        && b != a
    {
        out.push(FileDiff {
            path,
            before: b,
            after: a,
        });
    }
    out
}

/// Previews `op` over the cases whose `index.md` files are `indexes`: reads each case, makes
/// the edit in memory and keeps the diff. Writes nothing.
pub fn plan(op: &BulkOp, indexes: &[PathBuf], templates: &TemplateSet) -> Plan {
    let mut out = Plan {
        op: op.clone(),
        cases: Vec::new(),
        skipped: Vec::new(),
        looked_at: indexes.len(),
    };
    for index in indexes {
        let mut case = match Case::open(index) {
            Ok(c) => c,
            Err(e) => {
                out.skipped.push(Skipped {
                    index: index.clone(),
                    why: e.to_string(),
                });
                continue;
            }
        };
        let before = texts(&case);
        match op.run(&mut case, templates) {
            Ok(None) => {}
            Ok(Some(ran)) => {
                let files = diffs(index, before, texts(&case));
                if !files.is_empty() {
                    out.cases.push(CasePlan {
                        index: index.clone(),
                        files,
                        labels: ran.labels,
                    });
                }
            }
            Err(why) => out.skipped.push(Skipped {
                index: index.clone(),
                why,
            }),
        }
    }
    out
}

/// One case a bulk edit changed and saved, with what undoes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DoneCase {
    /// The case's `index.md`.
    pub index: PathBuf,
    /// The files as they were and as written.
    pub files: Vec<FileDiff>,
    /// The inverses of the edits made, in the order made.
    inverses: Vec<Edit>,
}

/// What [`apply`] or [`undo`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// The cases written.
    pub done: Vec<DoneCase>,
    /// The cases left as they were, and why.
    pub failed: Vec<Skipped>,
}

/// Whether the case's files hold `files`' `side` texts (`before` when `before`).
fn holds(case: &Case, files: &[FileDiff], before: bool) -> bool {
    let (index, geometry) = texts(case);
    files.iter().all(|f| {
        let want = if before { &f.before } else { &f.after };
        if f.path == case.index_path() {
            index == *want
        } else {
            geometry
                .as_ref()
                .is_some_and(|(p, g)| *p == f.path && g == want)
        }
    })
}

/// Writes what `plan` previewed: each case is opened under its lock, checked to hold what was
/// previewed, changed by the same edit, checked to come out as previewed, and saved through
/// the safe save. A case that changed meanwhile, or cannot be saved, is left as it is and
/// reported; the others are still written.
pub fn apply(plan: &Plan, templates: &TemplateSet) -> Outcome {
    let mut out = Outcome::default();
    for cp in &plan.cases {
        let written = write_one(
            &cp.index,
            &cp.files,
            true,
            "it changed since the preview; preview again to include it",
            "the change came out differently from the preview; preview again",
            |case| match plan.op.run(case, templates) {
                Ok(Some(ran)) => Ok(ran.inverses),
                Ok(None) => Err("it no longer needs this change".to_string()),
                Err(e) => Err(e),
            },
        );
        out.record(
            &cp.index,
            written.map(|inverses| DoneCase {
                index: cp.index.clone(),
                files: cp.files.clone(),
                inverses,
            }),
        );
    }
    out
}

/// Undoes what [`apply`] wrote: each case is opened under its lock, checked to still hold
/// what was written, put back by the inverse edits, checked to hold what it held before, and
/// saved through the safe save. A case changed since is left as it is and reported.
pub fn undo(done: &[DoneCase]) -> Outcome {
    let mut out = Outcome::default();
    for d in done.iter().rev() {
        let written = write_one(
            &d.index,
            &d.files,
            false,
            "it changed since the bulk edit, so it was not put back",
            "it would not come back exactly as it was, so it was not put back",
            |case| {
                for inverse in d.inverses.iter().rev() {
                    case.apply(inverse).map_err(|e| e.to_string())?;
                }
                Ok(())
            },
        );
        out.record(&d.index, written.map(|()| d.clone()));
    }
    out.done.reverse();
    out
}

impl Outcome {
    /// Adds what became of one case: written, or left as it was and why.
    fn record(&mut self, index: &Path, written: Result<DoneCase, String>) {
        match written {
            Ok(done) => self.done.push(done),
            Err(why) => self.failed.push(Skipped {
                index: index.to_path_buf(),
                why,
            }),
        }
    }
}

/// One case of [`apply`] or [`undo`]: opened under its lock, checked to hold the `before`
/// side of `files` (`changed_since` if not), changed by `change`, checked to hold the other
/// side (`came_out_differently` if not) and saved through the safe save. Returns what
/// `change` returned, or why the case was left as it was.
fn write_one<T>(
    index: &Path,
    files: &[FileDiff],
    before: bool,
    changed_since: &str,
    came_out_differently: &str,
    change: impl FnOnce(&mut Case) -> Result<T, String>,
) -> Result<T, String> {
    let mut case = Case::open_for_update(index).map_err(|e| e.to_string())?;
    if !holds(&case, files, before) {
        return Err(changed_since.to_string());
    }
    let made = change(&mut case)?;
    if !holds(&case, files, !before) {
        return Err(came_out_differently.to_string());
    }
    case.save(false)
        .map_err(|e| format!("{e} (the file was left as it was)"))?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::fs;

    use super::*;
    use crate::template::TemplateSet;

    fn case(root: &Path, folder: &str, text: &str) -> PathBuf {
        let dir = root.join(folder);
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("index.md");
        fs::write(&p, text).unwrap();
        p
    }

    fn rename(old: &str, new: &str) -> BulkOp {
        BulkOp::RenameTag {
            old: old.into(),
            new: new.into(),
        }
    }

    #[test]
    fn plan_writes_nothing_apply_writes_the_preview_undo_puts_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = case(
            dir.path(),
            "gbr-a",
            "---\ntitle: A\ntags: [Energy, Food]\n---\n",
        );
        let b = case(
            dir.path(),
            "gbr-b",
            "---\r\ntitle: B\r\ntags:\r\n  - Food\r\n  - Energy\r\n---\r\n",
        );
        let c = case(dir.path(), "gbr-c", "---\ntitle: C\ntags: [Food]\n---\n");
        let before: Vec<Vec<u8>> = [&a, &b, &c].iter().map(|p| fs::read(p).unwrap()).collect();
        let set = TemplateSet::bundled();
        let p = plan(
            &rename("Energy", "Power"),
            &[a.clone(), b.clone(), c.clone()],
            &set,
        );
        assert_eq!(p.cases.len(), 2);
        assert_eq!(p.looked_at, 3);
        assert_eq!(fs::read(&a).unwrap(), before[0], "the plan wrote nothing");
        let done = apply(&p, &set);
        assert!(done.failed.is_empty(), "{:?}", done.failed);
        assert_eq!(
            fs::read_to_string(&a).unwrap(),
            "---\ntitle: A\ntags: [Power, Food]\n---\n"
        );
        assert_eq!(
            fs::read_to_string(&b).unwrap(),
            "---\r\ntitle: B\r\ntags:\r\n  - Food\r\n  - Power\r\n---\r\n"
        );
        assert_eq!(fs::read(&c).unwrap(), before[2]);
        let back = undo(&done.done);
        assert!(back.failed.is_empty(), "{:?}", back.failed);
        for (p, b) in [&a, &b, &c].iter().zip(&before) {
            assert_eq!(&fs::read(p).unwrap(), b);
        }
    }

    #[test]
    fn a_case_changed_after_the_preview_or_the_apply_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let a = case(dir.path(), "gbr-a", "---\ntags: [Energy]\n---\n");
        let b = case(dir.path(), "gbr-b", "---\ntags: [Energy]\n---\n");
        let set = TemplateSet::bundled();
        let p = plan(&rename("Energy", "Power"), &[a.clone(), b.clone()], &set);
        fs::write(&b, "---\ntags: [Energy, Food]\n---\n").unwrap();
        let done = apply(&p, &set);
        assert_eq!(done.done.len(), 1);
        assert_eq!(done.failed.len(), 1);
        assert_eq!(done.failed[0].index, b);
        assert_eq!(
            fs::read_to_string(&b).unwrap(),
            "---\ntags: [Energy, Food]\n---\n"
        );
        // Changed again after the apply: undo leaves it.
        fs::write(&a, "---\ntags: [Power, Mine]\n---\n").unwrap();
        let back = undo(&done.done);
        assert!(back.done.is_empty());
        assert_eq!(back.failed.len(), 1);
        assert_eq!(
            fs::read_to_string(&a).unwrap(),
            "---\ntags: [Power, Mine]\n---\n"
        );
    }

    #[test]
    fn fix_everywhere_applies_the_same_rules_fix_and_undoes_it() {
        let dir = tempfile::tempdir().unwrap();
        let text = |code: &str| {
            format!(
                "---\ntitle: Harbour\nstatus: Draft\ncity: Hong Kong\ncountry_code: {code}\ntags: [Mobility]\n---\n\n## Overview\n\nA quay.\n"
            )
        };
        let a = case(dir.path(), "hkg-a", &text("HK"));
        let b = case(dir.path(), "hkg-b", &text("HK"));
        let c = case(dir.path(), "hkg-c", &text("HKG"));
        let set = TemplateSet::bundled();
        let op = BulkOp::Fix {
            code: "CB005".into(),
            target: Target::Field {
                key: "country_code".into(),
            },
        };
        let p = plan(&op, &[a.clone(), b.clone(), c.clone()], &set);
        assert_eq!(p.cases.len(), 2, "{p:?}");
        let done = apply(&p, &set);
        assert!(done.failed.is_empty(), "{:?}", done.failed);
        assert_eq!(fs::read_to_string(&a).unwrap(), text("HKG"));
        assert_eq!(fs::read_to_string(&b).unwrap(), text("HKG"));
        let back = undo(&done.done);
        assert!(back.failed.is_empty());
        assert_eq!(fs::read_to_string(&a).unwrap(), text("HK"));
        assert_eq!(fs::read_to_string(&c).unwrap(), text("HKG"));
    }

    /// A ring wound clockwise (CB018 offers to reverse it), pretty-printed.
    const CLOCKWISE: &str = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    {\n      \"type\": \"Feature\",\n      \"properties\": {},\n      \"geometry\": {\n        \"type\": \"Polygon\",\n        \"coordinates\": [[[114.2, 22.3], [114.2, 22.31], [114.21, 22.31], [114.21, 22.3], [114.2, 22.3]]]\n      }\n    }\n  ]\n}\n";

    /// A case in Hong Kong whose `geography` is `geography`, with `file` holding the ring.
    fn geo_case(root: &Path, folder: &str, geography: &str, file: &str) -> PathBuf {
        let index = case(
            root,
            folder,
            &format!(
                "---\ntitle: Kowloon pier\nstatus: Draft\ncity: Hong Kong\ncountry_code: HKG\ngeography: {geography}\n---\n\n## Overview\n\nA pier.\n"
            ),
        );
        fs::write(root.join(folder).join(file), CLOCKWISE).unwrap();
        index
    }

    #[test]
    fn a_geometry_fix_previews_writes_and_undoes_the_boundary_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = geo_case(dir.path(), "hkg-a", "./a.geojson", "a.geojson");
        let b = geo_case(dir.path(), "hkg-b", "./b.geojson", "b.geojson");
        let files = [
            a.clone(),
            b.clone(),
            dir.path().join("hkg-a/a.geojson"),
            dir.path().join("hkg-b/b.geojson"),
        ];
        let before: Vec<Vec<u8>> = files.iter().map(|p| fs::read(p).unwrap()).collect();
        let set = TemplateSet::bundled();
        let op = BulkOp::Fix {
            code: "CB018".into(),
            target: Target::Geometry,
        };
        let p = plan(&op, &[a.clone(), b.clone()], &set);
        assert_eq!(p.cases.len(), 2, "{p:?}");
        for c in &p.cases {
            // Only the boundary file changes.
            assert_eq!(c.files.len(), 1);
            assert!(c.files[0].path.extension().is_some_and(|e| e == "geojson"));
        }
        let done = apply(&p, &set);
        assert!(done.failed.is_empty(), "{:?}", done.failed);
        for i in 0..2 {
            assert_eq!(
                fs::read(&files[i]).unwrap(),
                before[i],
                "index.md untouched"
            );
            assert_ne!(fs::read(&files[i + 2]).unwrap(), before[i + 2]);
        }
        let back = undo(&done.done);
        assert!(back.failed.is_empty(), "{:?}", back.failed);
        for (p, b) in files.iter().zip(&before) {
            assert_eq!(&fs::read(p).unwrap(), b, "{}", p.display());
        }
    }

    #[test]
    fn a_geography_name_fix_changes_only_that_line() {
        let dir = tempfile::tempdir().unwrap();
        let a = geo_case(dir.path(), "hkg-a", "./pier.geojson", "hkg-a.geojson");
        let b = geo_case(dir.path(), "hkg-b", "./pier.geojson", "hkg-b.geojson");
        let before = fs::read_to_string(&a).unwrap();
        let set = TemplateSet::bundled();
        let op = BulkOp::Fix {
            code: "CB017".into(),
            target: Target::Field {
                key: "geography".into(),
            },
        };
        let p = plan(&op, &[a.clone(), b.clone()], &set);
        assert_eq!(p.cases.len(), 2, "{p:?}");
        let done = apply(&p, &set);
        assert!(done.failed.is_empty(), "{:?}", done.failed);
        assert_eq!(
            fs::read_to_string(&a).unwrap(),
            before.replace("./pier.geojson", "./hkg-a.geojson")
        );
        assert!(
            fs::read_to_string(&b)
                .unwrap()
                .contains("geography: ./hkg-b.geojson\n")
        );
        undo(&done.done);
        assert_eq!(fs::read_to_string(&a).unwrap(), before);
    }

    #[test]
    fn refusals_are_listed_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let a = case(dir.path(), "gbr-a", "---\ntags: &t [Energy]\nx: *t\n---\n");
        let set = TemplateSet::bundled();
        let p = plan(&rename("Energy", "Power"), std::slice::from_ref(&a), &set);
        assert!(p.cases.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].why.contains("line 2"), "{}", p.skipped[0].why);
    }
}
