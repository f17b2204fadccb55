//! Every check rule on every case of the atlas corpus (at `CASEBOOK_CORPUS`): no panic, every
//! diagnostic located and with a fix, deterministic output, and the corpus's known problems
//! found. Run with `--nocapture` to see the summary table and timings.

#[path = "support/corpus.rs"]
mod corpus_support;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::case::Case;
use casebook_core::checks::{self, Context, Diagnostic, Target};
use casebook_core::template::TemplateSet;
use corpus_support::{at_least, corpus, folders, markdown_in};

/// The case documents: `cases/*`, `retired/*`, `_incoming/stubs/*` (a folder's `index.md`,
/// or its Markdown files when it has none, like the stub template folder).
fn corpus_cases(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in ["cases", "retired", "_incoming/stubs"] {
        let Ok(dirs) = folders(&root.join(group)) else {
            panic!("cannot read {}", root.join(group).display());
        };
        for d in dirs {
            let index = d.join("index.md");
            if index.is_file() {
                out.push(index);
            } else {
                out.extend(markdown_in(&d));
            }
        }
    }
    out
}

/// A case's name in reports: `cases/usa-new-york`.
fn name_of(root: &Path, index: &Path) -> String {
    let p = if index.file_name().is_some_and(|n| n == "index.md") {
        index.parent().unwrap_or(index)
    } else {
        index
    };
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

/// Findings of one template set over the corpus: case name → diagnostics.
struct Run {
    label: &'static str,
    found: BTreeMap<String, Vec<Diagnostic>>,
    check_time: Duration,
    per_rule: BTreeMap<&'static str, Duration>,
}

fn run_set(label: &'static str, set: &TemplateSet, cases: &[(String, Case)]) -> Run {
    let mut found = BTreeMap::new();
    let mut check_time = Duration::ZERO;
    let mut per_rule: BTreeMap<&'static str, Duration> = BTreeMap::new();
    for (name, case) in cases {
        let template = set.for_document(case.doc());
        let ctx = Context {
            case,
            template,
            options: Default::default(),
        };
        let mut diags = Vec::new();
        let start = Instant::now();
        for rule in checks::rules() {
            let mut out = Vec::new();
            let t0 = Instant::now();
            let ok = catch_unwind(AssertUnwindSafe(|| rule.check(&ctx, &mut out)));
            *per_rule.entry(rule.code()).or_default() += t0.elapsed();
            assert!(ok.is_ok(), "{} panicked on {name} ({label})", rule.code());
            for d in &out {
                assert_eq!(d.code, rule.code(), "{name}: {d:?}");
            }
            diags.extend(out);
        }
        check_time += start.elapsed();
        // Same findings through `run`, sorted and deterministic.
        let sorted = checks::run(case, template);
        assert_eq!(sorted.len(), diags.len(), "{name}");
        assert_eq!(
            sorted,
            checks::run(case, template),
            "{name}: not deterministic"
        );
        let lines = case.doc().text().lines().count().max(1) + 1;
        for d in &sorted {
            assert!(
                d.fix.as_deref().is_some_and(|f| !f.trim().is_empty()),
                "{name}: no fix: {d:?}"
            );
            assert!(!d.message.trim().is_empty(), "{name}: {d:?}");
            if d.target != Target::Geometry {
                let Some(l) = d.line else {
                    panic!("{name}: no line: {d:?}")
                };
                assert!(
                    (1..=lines).contains(&l),
                    "{name}: line {l} of {lines}: {d:?}"
                );
            }
        }
        found.insert(name.clone(), sorted);
    }
    Run {
        label,
        found,
        check_time,
        per_rule,
    }
}

impl Run {
    fn of(&self, case: &str) -> &[Diagnostic] {
        match self.found.get(case) {
            Some(d) => d,
            None => panic!("{case} not in the corpus run"),
        }
    }

    fn has(&self, case: &str, code: &str, pred: impl Fn(&Diagnostic) -> bool) -> bool {
        self.of(case).iter().any(|d| d.code == code && pred(d))
    }

    fn all(&self) -> impl Iterator<Item = (&String, &Diagnostic)> {
        self.found
            .iter()
            .flat_map(|(n, ds)| ds.iter().map(move |d| (n, d)))
    }

    fn dump(&self, case: &str) -> String {
        self.of(case)
            .iter()
            .map(|d| {
                format!(
                    "  {} {} {}",
                    d.code,
                    d.severity.label(),
                    d.located_message()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn print_summary(runs: &[&Run], cases: usize) {
    println!("\nChecks over {cases} corpus cases (error/warning/info/hint; cases with a finding):");
    print!("{:<8} {:<24}", "code", "rule");
    for r in runs {
        print!(" {:>26}", r.label);
    }
    println!();
    for rule in checks::rules() {
        print!("{:<8} {:<24}", rule.code(), rule.name());
        for r in runs {
            let mut sev = [0usize; 4];
            let mut with: Vec<&String> = Vec::new();
            for (n, d) in r.all().filter(|(_, d)| d.code == rule.code()) {
                sev[d.severity as usize] += 1;
                if with.last() != Some(&n) {
                    with.push(n);
                }
            }
            print!(
                " {:>18} {:>7}",
                format!("{}/{}/{}/{}", sev[0], sev[1], sev[2], sev[3]),
                format!("({})", with.len())
            );
        }
        println!();
    }
    for r in runs {
        let c = checks::Counts::of(&r.all().map(|(_, d)| d.clone()).collect::<Vec<_>>());
        println!(
            "{}: {} errors, {} warnings, {} infos; all rules on all cases in {:.1} ms",
            r.label,
            c.errors,
            c.warnings,
            c.infos,
            r.check_time.as_secs_f64() * 1000.0
        );
        let mut slow: Vec<(&&str, &Duration)> = r.per_rule.iter().collect();
        slow.sort_by(|a, b| b.1.cmp(a.1));
        let top: Vec<String> = slow
            .iter()
            .take(4)
            .map(|(c, d)| format!("{c} {:.1} ms", d.as_secs_f64() * 1000.0))
            .collect();
        println!("  slowest rules: {}", top.join(", "));
    }
}

#[test]
fn corpus_checks() {
    let Some(root) = corpus("corpus checks") else {
        return;
    };
    let paths = at_least(corpus_cases(&root), 55, &root);
    let start = Instant::now();
    let cases: Vec<(String, Case)> = paths
        .iter()
        .map(|p| match Case::open(p) {
            Ok(c) => (name_of(&root, p), c),
            Err(e) => panic!("{e}"),
        })
        .collect();
    let open_time = start.elapsed();
    let bundled = TemplateSet::bundled();
    let atlas = match TemplateSet::load(Some(&root.join("templates")), None) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    // The first pass pays for decoding the country outlines (CB007-CB008) once.
    let b = run_set("bundled templates", &bundled, &cases);
    let a = run_set("atlas templates", &atlas, &cases);
    print_summary(&[&b, &a], cases.len());
    let warm = run_set("bundled again", &bundled, &cases);
    println!(
        "Warm: all rules on all {} cases in {:.1} ms",
        cases.len(),
        warm.check_time.as_secs_f64() * 1000.0
    );
    println!(
        "Opening the {} cases (index.md + GeoJSON) took {:.1} ms",
        cases.len(),
        open_time.as_secs_f64() * 1000.0
    );
    if std::env::var_os("CASEBOOK_DUMP").is_some() {
        for (name, _) in &cases {
            println!("{name}\n{}", a.dump(name));
        }
    }

    for r in [&b, &a] {
        let label = r.label;
        // A two-letter country code, with HKG suggested.
        let hk = "cases/hk-energizing-kowloon-east-initiative";
        assert!(
            r.has(hk, "CB005", |d| d.suggestion.as_deref() == Some("HKG")
                && d.line == Some(8)),
            "{label}:\n{}",
            r.dump(hk)
        );
        // Lower-case code and a type that is not allowed.
        let sa = "retired/san-antonio-usa";
        assert!(
            r.has(sa, "CB005", |d| d.suggestion.as_deref() == Some("USA")),
            "{label}:\n{}",
            r.dump(sa)
        );
        assert!(
            r.has(sa, "CB004", |d| d.message.contains("`type` is `case`")),
            "{label}:\n{}",
            r.dump(sa)
        );
        // Featured images referenced but absent.
        let missing_images = r
            .all()
            .filter(|(_, d)| d.code == "CB014" && d.message.contains("not in the case folder"))
            .count();
        assert!(
            missing_images > 0,
            "{label}: no missing featured image found"
        );
        assert!(r.has("cases/are-masdar-city", "CB014", |d| {
            d.message.contains("masdarcity.jpg")
        }));
        // Word targets.
        assert!(
            r.all().any(|(_, d)| d.code == "CB021"),
            "{label}: no word-target finding"
        );
        // A folder named for another country, and its missing geography file.
        let sgp = "cases/sgp-singapore-smart-nation-strategy";
        assert!(
            r.has(sgp, "CB006", |d| d.message.contains("Denmark")),
            "{label}:\n{}",
            r.dump(sgp)
        );
        assert!(
            r.has(sgp, "CB017", |d| d
                .message
                .contains("dnk-smart-city-initiative.geojson")),
            "{label}:\n{}",
            r.dump(sgp)
        );
        // Statuses that are not allowed.
        assert!(r.has("cases/can-montreal", "CB004", |d| {
            d.message.contains("Ongoing")
        }));
        // Tags as a comma string.
        assert!(
            r.all().any(|(_, d)| d.code == "CB013"),
            "{label}: no comma-string tags found"
        );
        // Placeholders left in by authors.
        assert!(
            r.all().any(|(_, d)| d.code == "CB022"),
            "{label}: no placeholder found"
        );
    }
    // The atlas's own placeholders, found with the atlas's templates.
    for (case, text) in [
        ("cases/aus-barangaroo-city", "Organization Name"),
        ("cases/tha-chonburi-eec", "Organization Name"),
        ("cases/are-masdar-city", "Name of Interviewee"),
        ("cases/ind-bhopal", "Open questions 3"),
    ] {
        assert!(
            a.has(case, "CB022", |d| d
                .message
                .to_lowercase()
                .contains(&text.to_lowercase())),
            "{case}: {text} not found:\n{}",
            a.dump(case)
        );
    }
}
