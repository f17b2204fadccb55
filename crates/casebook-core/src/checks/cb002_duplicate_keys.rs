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
            Finding::field(CODE, &later.key, Some(later.line)).warning(format!(
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
    use super::super::util::testing::run;
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn names_both_lines() {
        let d = run(&Rule002, "---\ntitle: A\nstatus: Draft\ntitle: B\n---\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(4));
        assert!(
            d[0].message.contains("line 2") && d[0].message.contains("line 4"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn three_times_gives_two() {
        let d = run(&Rule002, "---\ntags: a\ntags: b\ntags: c\n---\n");
        assert_eq!(d.len(), 2);
        assert!(run(&Rule002, "---\ntitle: A\n---\n").is_empty());
        assert!(run(&Rule002, "no front matter").is_empty());
    }
}
