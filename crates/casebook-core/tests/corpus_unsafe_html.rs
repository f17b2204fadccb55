//! CB031 (HTML that runs) over the atlas corpus at `CASEBOOK_CORPUS`: no case trips it falsely.
//! Every error it reports must point at a line that really holds such HTML (an element that
//! runs, an `on…=` handler, a `javascript:`/`vbscript:`/`data:` address), and hints only at
//! lines with a tag. Run with `--nocapture` for the counts.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "support/corpus.rs"]
mod corpus_support;

use std::path::{Path, PathBuf};

use casebook_core::case::Case;
use casebook_core::checks::{self, Severity};
use casebook_core::template::TemplateSet;
use corpus_support::{at_least, corpus, folders, markdown_in};

/// Every Markdown file of the corpus's case folders (cases, retired, incoming stubs, templates).
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in ["cases", "retired", "_incoming/stubs", "templates"] {
        let Ok(dirs) = folders(&root.join(group)) else {
            continue;
        };
        for d in dirs {
            out.extend(markdown_in(&d));
        }
    }
    out
}

/// Whether a line of text visibly holds HTML or an address that runs.
fn line_really_runs(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    let tags = [
        "<script", "<iframe", "<frame", "<object", "<embed", "<applet", "<style", "<link", "<meta",
        "<base",
    ];
    let handler = l.split(['<', ' ', '\t', '"', '\'']).any(|w| {
        w.starts_with("on")
            && w.find('=')
                .is_some_and(|i| i > 2 && w[2..i].chars().all(|c| c.is_ascii_alphabetic()))
    });
    tags.iter().any(|t| l.contains(t))
        || handler
        || l.contains("javascript")
        || l.contains("vbscript")
        || l.contains("data:")
}

#[test]
fn no_corpus_case_trips_the_unsafe_html_rule_falsely() {
    let Some(root) = corpus("corpus check of CB031") else {
        return;
    };
    let set = TemplateSet::load(Some(&root.join("templates")), None)
        .unwrap_or_else(|_| TemplateSet::bundled());
    let files = at_least(markdown_files(&root), 55, &root);
    let (mut errors, mut hints) = (0, 0);
    for path in files {
        let Ok(case) = Case::open(&path) else {
            continue;
        };
        let text = case.doc().text().to_string();
        let lines: Vec<&str> = text.lines().collect();
        let template = set.for_document(case.doc());
        for d in checks::run(&case, template)
            .into_iter()
            .filter(|d| d.code == "CB031")
        {
            let Some(line) = d.line.and_then(|l| lines.get(l - 1)) else {
                panic!("{}: CB031 without a line: {d:?}", path.display());
            };
            match d.severity {
                Severity::Error => {
                    errors += 1;
                    assert!(
                        line_really_runs(line),
                        "{}:{:?}: {} — but the line is {line:?}",
                        path.display(),
                        d.line,
                        d.message
                    );
                }
                _ => {
                    hints += 1;
                    assert!(line.contains('<'), "{}: {d:?}", path.display());
                }
            }
        }
    }
    println!("CB031 over the corpus: {errors} errors, {hints} hints");
}

#[test]
fn html_that_runs_is_found_in_real_corpus_documents() {
    let Some(root) = corpus("corpus check of CB031") else {
        return;
    };
    let set = TemplateSet::bundled();
    let mut tried = 0;
    for path in markdown_files(&root)
        .into_iter()
        .filter(|p| p.starts_with(root.join("cases")))
    {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // A handler added at the end of the case's first section, as a contributor might.
        let Some(i) = text
            .find("\n## ")
            .and_then(|i| text[i + 4..].find("\n## ").map(|j| i + 4 + j))
        else {
            continue;
        };
        let injected = format!(
            "{}\n\n<img src=\"x.png\" onerror=\"go()\">\n{}",
            &text[..i],
            &text[i..]
        );
        let at = injected.find("<img src=\"x.png\"").unwrap_or(0);
        let line = injected[..at].matches('\n').count() + 1;
        let dir = tempfile::tempdir().unwrap();
        let case = Case::from_text(dir.path(), &injected);
        let found: Vec<_> = checks::run(&case, set.for_document(case.doc()))
            .into_iter()
            .filter(|d| d.code == "CB031" && d.severity == Severity::Error)
            .collect();
        assert!(
            found
                .iter()
                .any(|d| d.line == Some(line) && d.message.contains("`onerror`")),
            "{}: {found:?}",
            path.display()
        );
        tried += 1;
    }
    assert!(tried >= 30, "only {tried} cases had two sections");
}
