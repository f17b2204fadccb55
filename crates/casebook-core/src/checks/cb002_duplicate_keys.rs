//! CB002 duplicate-keys: a front-matter key is set only once.
//!
//! YAML readers disagree on a duplicated key (Casebook uses the first, js-yaml on the site
//! refuses the whole block or takes the last), so each later occurrence is a warning naming
//! both lines.

use super::{Context, Diagnostic, Finding};

rule! {
    Rule002, "CB002", "duplicate-keys", "Each front-matter key appears once."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.case.doc().front_matter() else {
        return;
    };
    for (i, later) in fm.entries.iter().enumerate() {
        let Some(first) = fm.entries[..i].iter().find(|e| e.key == later.key) else {
            continue;
        };
        out.push(
            Finding::field(CODE, &later.key, Some(later.line))
                .warning(format!(
                    "`{}` is set twice, on line {} and on line {}; Casebook uses the first, the atlas site may use the last or refuse the file",
                    later.key, first.line, later.line
                ))
                .with_fix(format!(
                    "Keep the `{}` value you mean and delete the other line (line {} or line {}).",
                    later.key, first.line, later.line
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, places, run};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn names_both_lines() {
        let d = run(&Rule002, "---\ntitle: A\nstatus: Draft\ntitle: B\n---\n");
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_says(&d[0], &["line 2", "line 4"]);
    }

    #[test]
    fn three_times_gives_two() {
        let d = run(&Rule002, "---\ntags: a\ntags: b\ntags: c\n---\n");
        assert_eq!(
            places(&d),
            [(Severity::Warning, Some(3)), (Severity::Warning, Some(4))]
        );
        for text in ["---\ntitle: A\n---\n", "no front matter"] {
            assert_quiet(&run(&Rule002, text), text);
        }
    }
}
