//! CB001 front-matter: the front matter can be read, by Casebook and by the atlas site.
//!
//! Reports, as errors with line and column: bytes that are not UTF-8, a missing or unclosed
//! front matter block, YAML syntax errors, a block refused for its size or depth, a block that
//! is not a mapping, and lines that belong to no key. Duplicate keys are CB002's.
//!
//! The atlas site's reader (gray-matter 4 / js-yaml 3, YAML 1.1) is the judge, so these are
//! errors too: a block closed by `...` (gray-matter only closes at `---`), a line inside the
//! block that starts with `---` (gray-matter closes there), a tag js-yaml does not know, and a
//! value of a known field that the site reads differently from Casebook (`title: 12:30` is the
//! number 750 for the site, `2024-01-01` a date, `010` the number 8), or a merge key `<<`. The
//! same difference in a key Casebook does not know is a warning (a date may be meant there).

use super::{Context, Diagnostic, Finding, Severity};
use crate::document::Document;
use crate::front_matter::{FrontMatter, YamlProblemKind};
use crate::text::line_of;

rule! {
    Rule001, "CB001", "front-matter", "The front matter is present, closed, valid YAML key: value lines, and the file is UTF-8."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    if let Some(p) = doc.decode_problem() {
        out.push(
            Finding::document(CODE, Some(p.line))
                .error(format!(
                    "index.md is not valid UTF-8 text: an invalid byte at column {} ({} shown as �); saving would replace {}",
                    p.column,
                    super::util::plural(p.count, "sequence"),
                    if p.count == 1 { "it" } else { "them" }
                ))
                .with_fix("Re-save the file as UTF-8 in a text editor, then check the characters marked �."),
        );
    }
    match doc.front_state() {
        crate::document::FrontState::Missing => out.push(
            Finding::document(CODE, Some(1))
                .error("index.md has no front matter: the file must start with a `---` line, then `key: value` lines, then `---`")
                .with_fix("Add the front matter at the top of the file (filling in any field in the form adds it)."),
        ),
        crate::document::FrontState::Unclosed { line } => out.push(
            Finding::document(CODE, Some(*line))
                .error(format!(
                    "the front matter opened with `---` on line {line} is never closed, so the whole file reads as front matter"
                ))
                .with_fix("Add a line with just `---` after the last `key: value` line."),
        ),
        crate::document::FrontState::Present(fm) => problems(doc, fm, out),
    }
}

/// The key whose lines include `line`, if any.
fn key_at(doc: &Document, fm: &FrontMatter, line: usize) -> Option<String> {
    fm.entries
        .iter()
        .find(|e| {
            let last = line_of(doc.text(), e.span.end.saturating_sub(1).max(e.span.start));
            e.line <= line && line <= last
        })
        .map(|e| e.key.clone())
}

fn problems(doc: &Document, fm: &FrontMatter, out: &mut Vec<Diagnostic>) {
    for p in &fm.problems {
        let (what, fix) = match p.kind {
            YamlProblemKind::DuplicateKey => continue,
            YamlProblemKind::Syntax => (
                "is not valid YAML",
                "Fix the line: values with `: ` or starting with `[`, `{`, `*`, `&`, `!`, `%`, `@` or a quote need quotes around the whole value.",
            ),
            YamlProblemKind::StrayLine => (
                "has a line that belongs to no key",
                "Join the line to the value above it (indent it), turn it into `key: value`, or delete it.",
            ),
            YamlProblemKind::Refused => (
                "was not read",
                "Shorten the front matter to the atlas's fields; long text belongs in the sections.",
            ),
            YamlProblemKind::NotAMapping => (
                "is not a list of `key: value` lines",
                "Write one `key: value` pair per line between the `---` lines.",
            ),
            YamlProblemKind::SiteSyntax => (
                "cannot be read by the atlas site",
                if p.message.contains("closed by `...`") {
                    "Replace the `...` line that closes the front matter with `---`."
                } else if p.message.contains("starting with `---`") {
                    "Indent the line under its key, or remove the dashes at its start."
                } else {
                    "Remove the tag (the `!name` before the value), or quote the value if the `!` is part of it."
                },
            ),
        };
        let key = key_at(doc, fm, p.line);
        let message = format!(
            "the front matter {what} (column {}): {}",
            p.column, p.message
        );
        let d = match key {
            Some(k) => Finding::field(CODE, &k, Some(p.line)).error(format!("`{k}`: {message}")),
            None => Finding::document(CODE, Some(p.line)).error(message),
        };
        out.push(d.with_fix(fix));
    }
    for diff in fm.site_differences(doc.text()) {
        let message = if diff.site == crate::yaml11::Plain::Merge {
            format!(
                "`{}`: the merge key `<<` on line {} is applied by the atlas site (YAML 1.1) but not by Casebook, so the two read different keys",
                diff.key, diff.line
            )
        } else {
            format!(
                "`{}`: the atlas site reads `{}` as {} (YAML 1.1), Casebook as {}",
                diff.key,
                diff.text,
                crate::yaml11::describe(diff.site),
                crate::yaml11::describe(diff.casebook)
            )
        };
        // A field Casebook knows is text (or a year, a list of texts): the site showing a
        // number or a date there is an error. Another key may mean the date or number the
        // site reads: a warning.
        let known = crate::fields::Field::from_key(&diff.key).is_some() || diff.key == "<<";
        let fix = if diff.site == crate::yaml11::Plain::Merge {
            "Write the merged keys out in full instead of `<<: *anchor`.".to_string()
        } else if known {
            format!(
                "Put the value in quotes ('{}'), or set it again in the form: Casebook writes it so that both read it the same.",
                diff.text.replace('\'', "''")
            )
        } else {
            format!(
                "If the site should read text, put the value in quotes ('{}'); if it should read {}, leave it (Casebook shows it as text).",
                diff.text.replace('\'', "''"),
                crate::yaml11::describe(diff.site)
            )
        };
        let severity = if known {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(
            Finding::field(CODE, &diff.key, Some(diff.line))
                .report(severity, message)
                .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{
        assert_any, assert_fix, assert_quiet, assert_says, messages, only, places, run,
    };
    use super::*;
    use crate::case::Case;
    use crate::checks::Target;

    #[test]
    fn clean_front_matter_is_quiet() {
        let text = "---\ntitle: A\nstatus: Draft\n---\n## Overview\n";
        assert_quiet(&run(&Rule001, text), text);
    }

    #[test]
    fn missing_and_unclosed() {
        for (text, says) in [
            ("## Overview\n\nText\n", "no front matter"),
            ("---\ntitle: A\n\n## Overview\n", "never closed"),
        ] {
            let d = run(&Rule001, text);
            assert_eq!(places(&d), [(Severity::Error, Some(1))], "{text:?}");
            assert_says(&d[0], &[says]);
        }
    }

    #[test]
    fn syntax_error_has_line_column_and_key() {
        let d = run(&Rule001, "---\ntitle: A\ndescription: Smart: city\n---\n");
        assert_eq!(places(&d), [(Severity::Error, Some(3))]);
        let key = "description".to_string();
        assert_eq!(d[0].target, Target::Field { key });
        assert_says(&d[0], &["column"]);
    }

    #[test]
    fn stray_line() {
        let d = run(
            &Rule001,
            "---\ntitle: A\njust some words\nstatus: Draft\n---\n",
        );
        assert_any(&d, 3, "belongs to no key");
    }

    #[test]
    fn refused_and_not_a_mapping() {
        let deep = format!("---\nx: {}{}\n---\n", "[".repeat(100), "]".repeat(100));
        let d = run(&Rule001, &deep);
        assert!(
            d.iter().any(|x| x.message.contains("was not read")),
            "{:?}",
            messages(&d)
        );
        let d = run(&Rule001, "---\n- a\n- b\n---\n");
        assert!(!d.is_empty(), "{:?}", messages(&d));
    }

    /// Finding 5: gray-matter only closes front matter at `---`.
    #[test]
    fn dots_end_marker_is_cb001() {
        let d = run(&Rule001, "---\ntitle: A\n...\n## Overview\n");
        assert_eq!(places(&d), [(Severity::Error, Some(3))]);
        assert_says(&d[0], &["`...`"]);
        assert_fix(&d[0], "`---`");
        let d = run(
            &Rule001,
            "---\ntitle: A\n--- not the end\nstatus: Draft\n---\n",
        );
        assert_any(&d, 3, "`---`");
        assert_any(&run(&Rule001, "---\ntitle: !local A\n---\n"), 2, "!local");
    }

    /// Finding 3: a value over several lines is one value, not a stray line.
    #[test]
    fn multi_line_value_has_no_false_cb001() {
        for text in [
            "---\ntitle: \"a long\ntitle here\"\nstatus: Draft\n---\n",
            "---\ntags: [Mobility,\nEnergy]\nstatus: Draft\n---\n",
            "---\ntitle: a long\n  title here\nstatus: Draft\n---\n",
        ] {
            assert_quiet(&run(&Rule001, text), text);
        }
    }

    /// Finding 1 in files: a value the site reads as something else.
    #[test]
    fn site_reading_difference_is_cb001() {
        let d = run(
            &Rule001,
            "---\ntitle: 12:30\ncity: '12:30'\nstatus: Draft\n---\n",
        );
        assert_eq!(places(&d), [(Severity::Error, Some(2))]);
        let key = "title".to_string();
        assert_eq!(d[0].target, Target::Field { key });
        assert_says(&d[0], &["the number 750"]);
        let d = run(&Rule001, "---\nupdated: 2024-01-01\n---\n");
        assert_says(&d[0], &["a date"]);
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn duplicate_keys_are_not_reported_here() {
        let text = "---\ntitle: A\ntitle: B\n---\n";
        assert_quiet(&run(&Rule001, text), text);
    }

    #[test]
    fn invalid_utf8() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join("esp-x");
        std::fs::create_dir(&dir)?;
        std::fs::write(dir.join("index.md"), b"---\ntitle: a\xffb\n---\n")?;
        let Ok(case) = Case::open(&dir) else {
            panic!("open")
        };
        let t = super::super::util::testing::template("case-study");
        let d = super::super::util::testing::check_case(&Rule001, &case, &t, Default::default());
        assert_says(only(&d), &["UTF-8"]);
        assert_eq!(d[0].line, Some(2));
        Ok(())
    }
}
