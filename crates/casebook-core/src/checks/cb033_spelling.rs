//! CB033 spelling: words that neither the dictionary, the atlas word list nor the case's own
//! names know.
//!
//! Always a hint (never fails a check run; the command line shows hints with `--verbose`,
//! JSON always has them). Checked: the sections' text and the text before the first section
//! (Markdown, see [`crate::spell::tokenize`] for what is skipped), and the prose fields
//! `description` and the image alt text. Headings are the template's and are not checked.
//! Each finding names the word, its line, and corrections (in JSON: `spelling.word` and
//! `spelling.suggestions`). The dictionary and word lists come from the atlas checkout the
//! case is in ([`crate::spell::atlas`]); when they cannot be read, one hint says why.

use super::{Context, Diagnostic, Finding, Spelling, Target};
use crate::fields;
use crate::spell::{CaseWords, Misspelling, Speller, atlas};

rule! {
    Rule033, "CB033", "spelling", "Words are spelled as the dictionary, the atlas word list or the case's own names have them (a hint)."
}

/// Front-matter fields of prose that are checked (names come from the others).
const PROSE_KEYS: [&str; 1] = ["description"];

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.options.spelling {
        return;
    }
    let doc = ctx.case.doc();
    let setup = match atlas::for_case(ctx.dir()) {
        Ok(s) => s,
        Err(e) => {
            out.push(
                Finding::document(CODE, Some(1)).hint(format!("spelling was not checked: {e}"))
                .with_fix("Fix the file named above (or remove it) so the dictionary and word lists can be read."),
            );
            return;
        }
    };
    let ignored = match setup.ignored(&ctx.case.folder_name()) {
        Ok(i) => i,
        Err(e) => {
            out.push(
                Finding::document(CODE, Some(1))
                    .hint(format!("this case's ignored words were not read: {e}"))
                    .with_fix("Fix or remove the file named above."),
            );
            Default::default()
        }
    };
    let case = CaseWords::of_document(doc, ignored);
    let speller = setup.speller();
    let suggest = ctx.options.spelling_suggestions.then_some(&**speller);
    let text = doc.text();
    let lines = LineIndex::new(text);
    let emit = |out: &mut Vec<Diagnostic>,
                found: Vec<Misspelling>,
                base: usize,
                target: &Target,
                place: &str| {
        for m in found {
            let line = lines.line(base + m.range.start);
            out.push(finding(
                suggest,
                &case,
                &m.word,
                target.clone(),
                line,
                place,
            ));
        }
    };
    // Fields of prose.
    let alt_key = fields::alt_key(doc.front_matter());
    for key in PROSE_KEYS.iter().copied().chain([alt_key]) {
        let Some(entry) = doc.front_matter().and_then(|fm| fm.entry(key)) else {
            continue;
        };
        let Some(value) = entry.value.as_ref().and_then(fields::as_text) else {
            continue;
        };
        let raw = text.get(entry.value_range.clone()).unwrap_or_default();
        for m in speller.check_plain(&value, &case) {
            // The word's own line in a multi-line value, else the key's.
            let line = find_word(raw, &m.word)
                .map_or(entry.line, |i| lines.line(entry.value_range.start + i));
            let target = Target::Field {
                key: key.to_string(),
            };
            out.push(finding(
                suggest,
                &case,
                &m.word,
                target,
                line,
                &format!("`{key}`"),
            ));
        }
    }
    // The body: text before the first section, then each section's content.
    let body = doc.body();
    if let Some(pre) = text.get(body.preamble.clone()) {
        emit(
            out,
            speller.check_markdown(pre, &case),
            body.preamble.start,
            &Target::Document,
            "the text before the first section",
        );
    }
    for (i, s) in body.sections.iter().enumerate() {
        let Some(content) = text.get(s.content.clone()) else {
            continue;
        };
        let target = Target::Section {
            heading: s.heading.clone(),
            index: Some(i),
        };
        emit(
            out,
            speller.check_markdown(content, &case),
            s.content.start,
            &target,
            &format!("`## {}`", s.heading),
        );
    }
}

/// One finding, with suggestions when `speller` is given.
fn finding(
    speller: Option<&Speller>,
    case: &CaseWords,
    word: &str,
    target: Target,
    line: usize,
    place: &str,
) -> Diagnostic {
    let suggestions = speller.map_or_else(Vec::new, |s| s.suggest_in_case(word, case));
    let hint = match suggestions.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        [one, two, ..] => format!("; did you mean `{one}` or `{two}`?"),
    };
    let mut d = Finding::new(CODE, target, Some(line)).hint(format!("`{word}` in {place} may be misspelled{hint}"))
    .with_fix(
        "Correct the word, or if it is right, add it to the atlas word list (.casebook/words.txt, one word a line) or ignore it in this case (.casebook/ignore/<case folder>.txt).",
    );
    d.spelling = Some(Spelling {
        word: word.to_string(),
        suggestions,
    });
    d
}

/// The byte offset of `word` in `hay` as a whole word, if present.
fn find_word(hay: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(word)).map(|i| i + from) {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// Line numbers by binary search over the line starts (one pass over the text).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of byte `offset`.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::util::testing::{check_case, doc, messages, run, run_in};
    use super::*;
    use crate::checks::Severity;

    #[test]
    fn flags_words_with_line_and_suggestions() {
        let d = run(
            &Rule033,
            &doc(
                "title: Zorblat Quarter\ncity: Quxville\ndescription: A plan for the goverment of Quxville.",
                "\n## Overview\n\n<!-- Guidanse that is not checked. -->\n\nThe Zorblat plan is definately new.\n\n```\nnotcheked\n```\n",
            ),
        );
        let m = messages(&d);
        assert_eq!(d.len(), 2, "{m:?}");
        assert!(d.iter().all(|x| x.severity == Severity::Hint));
        let desc = &d[0];
        assert_eq!(desc.line, Some(4));
        assert_eq!(
            desc.target,
            Target::Field {
                key: "description".into()
            }
        );
        let s = desc
            .spelling
            .as_ref()
            .map(|s| (s.word.as_str(), s.suggestions.first().map(String::as_str)));
        assert_eq!(s, Some(("goverment", Some("government"))));
        let body = &d[1];
        assert_eq!(body.line, Some(11));
        assert!(
            body.message.contains(
                "`definately` in `## Overview` may be misspelled; did you mean `definitely`"
            ),
            "{m:?}"
        );
        let json = serde_json::to_value(body).unwrap_or_default();
        assert_eq!(json["severity"], "hint");
        assert_eq!(json["spelling"]["word"], "definately");
        assert_eq!(json["spelling"]["suggestions"][0], "definitely");
    }

    #[test]
    fn without_suggestions_the_findings_are_the_same() -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let text = doc(
            "title: Zorblat Quarter\ndescription: A plan for the goverment.",
            "\n## Overview\n\nThe plan is definately new.\n",
        );
        let case = crate::case::Case::from_text(&t.path().join("usa-zorblat"), &text);
        let t = super::super::util::testing::template("case-study");
        let rule_run = |spelling_suggestions| {
            let options = super::super::Options {
                spelling_suggestions,
                ..Default::default()
            };
            check_case(&Rule033, &case, &t, options)
        };
        let (full, lean) = (rule_run(true), rule_run(false));
        assert_eq!(full.len(), 2);
        let key = |d: &Diagnostic| {
            (
                d.line,
                d.target.clone(),
                d.spelling.as_ref().map(|s| s.word.clone()),
            )
        };
        assert_eq!(
            full.iter().map(key).collect::<Vec<_>>(),
            lean.iter().map(key).collect::<Vec<_>>()
        );
        assert!(full.iter().all(|d| {
            d.spelling
                .as_ref()
                .is_some_and(|s| !s.suggestions.is_empty())
        }));
        assert!(lean.iter().all(|d| {
            d.spelling
                .as_ref()
                .is_some_and(|s| s.suggestions.is_empty())
                && !d.message.contains("did you mean")
        }));
        Ok(())
    }

    /// A case folder `cases/xyz-quux` in a fresh atlas (the temporary folder).
    fn atlas_case() -> std::io::Result<(tempfile::TempDir, std::path::PathBuf)> {
        let t = tempfile::tempdir()?;
        let case = t.path().join("cases/xyz-quux");
        fs::create_dir_all(&case)?;
        Ok((t, case))
    }

    #[test]
    fn atlas_word_list_and_ignore_list_are_used() -> Result<(), Box<dyn std::error::Error>> {
        let (t, case) = atlas_case()?;
        let text = doc(
            "title: T",
            "\n## Overview\n\nThe frobnistic plan and the blorptastic one.\n",
        );
        let words = |d: &[Diagnostic]| -> Vec<String> {
            d.iter()
                .filter_map(|x| x.spelling.as_ref().map(|s| s.word.clone()))
                .collect()
        };
        assert_eq!(
            words(&run_in(&Rule033, &case, &text, "case-study")),
            ["frobnistic", "blorptastic"]
        );
        let setup = atlas::for_case(&case)?;
        assert!(setup.add_word("frobnistic")?);
        assert!(setup.ignore_word("xyz-quux", "blorptastic")?);
        // The files changed: the next check reloads them.
        assert!(run_in(&Rule033, &case, &text, "case-study").is_empty());
        assert_eq!(
            fs::read_to_string(t.path().join(".casebook/words.txt"))?,
            "frobnistic\n"
        );
        assert!(atlas::for_case(&case)?.unignore_word("xyz-quux", "blorptastic")?);
        assert_eq!(
            words(&run_in(&Rule033, &case, &text, "case-study")),
            ["blorptastic"]
        );
        Ok(())
    }

    #[test]
    fn a_missing_dictionary_is_one_hint() -> Result<(), Box<dyn std::error::Error>> {
        let (t, case) = atlas_case()?;
        fs::create_dir_all(t.path().join(".casebook"))?;
        fs::write(
            t.path().join(".casebook/config.toml"),
            "[spelling]\nlanguage = \"en-GB\"\n",
        )?;
        let d = run_in(
            &Rule033,
            &case,
            &doc("title: T", "\n## A\n\nwrold\n"),
            "case-study",
        );
        assert_eq!(d.len(), 1, "{:?}", messages(&d));
        assert_eq!(d[0].severity, Severity::Hint);
        assert!(
            d[0].message.contains("no Hunspell dictionary for en-GB"),
            "{:?}",
            messages(&d)
        );
        assert!(d[0].message.contains("en_GB.aff"), "{:?}", messages(&d));
        Ok(())
    }

    #[test]
    fn word_lookup_in_raw_values() {
        assert_eq!(find_word("a cat category cat", "cat"), Some(2));
        assert_eq!(find_word("category", "cat"), None);
        let l = LineIndex::new("a\nb\n\nc");
        assert_eq!((l.line(0), l.line(2), l.line(4), l.line(5)), (1, 2, 3, 4));
    }
}
