//! Checks: one rule per file, each with a stable code, run over a case and its template.
//!
//! Rules return [`Diagnostic`]s that say what is wrong, where (field or section, with line)
//! and how to fix it. The app's problems panel and the command line render the same data;
//! [`run`] sorts them so output is deterministic.
//!
//! Shared conventions of the rules:
//! - **Stage.** `status: Draft` asks little (the title; problems mostly info or warnings);
//!   Review, Complete and any other status ask everything.
//! - **One finding per problem.** A missing or empty field is reported by CB003 alone; the
//!   rules about a field's content (centroid, image, alt text, geography) stay silent then.
//! - **Located.** Every diagnostic has a 1-based line in `index.md` (for a missing key, the
//!   line where it would be added), except geometry diagnostics, whose line is unknown.
//! - **Fixable.** Every diagnostic has a fix hint; `suggestion` is a whole value for the field
//!   when there is an obvious one (`HKG`, `[40.4168, -3.7038]`, `[Mobility, CivicTech]`), and
//!   `auto` an automatic fix that is not a field value (CB018 reverses rings). [`fixes`] turns
//!   either into the edit that the app's one-click fix and `casebook fix` apply.
//! - **Confined.** Files are only looked at through [`crate::save::confine`]; a path it refuses
//!   is reported with its reason and never read.

use std::path::Path;

use serde::Serialize;

use crate::case::Case;
use crate::template::Template;

/// Declares a rule: its type (documented as `CODE name: description`), and `const CODE` for
/// the rule's file. The file then gives the function the rule runs: `findings(ctx, out)`,
/// which adds any number of findings, or with `=> finding` last, `finding(ctx)`, which gives
/// at most one (`?` skips what the rule cannot judge).
macro_rules! rule {
    ($ty:ident, $code:literal, $name:literal, $description:literal) => {
        rule!(@declare $ty, $code, $name, $description, |ctx, out| findings(ctx, out));
    };
    ($ty:ident, $code:literal, $name:literal, $description:literal => finding) => {
        rule!(@declare $ty, $code, $name, $description, |ctx, out| out.extend(finding(ctx)));
    };
    (@declare $ty:ident, $code:literal, $name:literal, $description:literal,
        |$ctx:ident, $out:ident| $run:expr) => {
        #[doc = concat!("`", $code, "` ", $name, ": ", $description)]
        pub struct $ty;

        /// The rule's stable code.
        const CODE: &str = $code;

        impl $crate::checks::Rule for $ty {
            fn code(&self) -> &'static str {
                CODE
            }

            fn name(&self) -> &'static str {
                $name
            }

            fn description(&self) -> &'static str {
                $description
            }

            fn check(
                &self,
                $ctx: &$crate::checks::Context<'_>,
                $out: &mut Vec<$crate::checks::Diagnostic>,
            ) {
                $run
            }
        }
    };
}

mod cb001_front_matter;
mod cb002_duplicate_keys;
mod cb003_required_fields;
mod cb004_allowed_values;
mod cb005_country_code;
mod cb006_folder_name;
mod cb007_centroid_format;
mod cb008_centroid_in_country;
mod cb009_centroid_near_geography;
mod cb010_years;
mod cb011_tags_taxonomy;
mod cb012_tags_count;
mod cb013_tags_list;
mod cb014_featured_image;
mod cb015_featured_alt;
mod cb016_body_images;
mod cb017_geography_file;
mod cb018_geometry_validity;
mod cb019_missing_sections;
mod cb020_empty_sections;
mod cb021_word_targets;
mod cb022_placeholders;
mod cb023_value_oddities;
mod cb024_description_length;
mod cb025_item_counts;
mod cb026_control_characters;
mod cb027_antimeridian;
mod cb028_hole_outside;
mod cb029_overlapping_parts;
mod cb030_bbox;
mod cb031_unsafe_html;
mod cb032_centroid_near_city;
mod cb033_spelling;
pub mod fixes;
mod util;

pub use fixes::Fix;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before the case can be published.
    Error,
    /// Should be fixed.
    Warning,
    /// Worth knowing.
    Info,
    /// A gentle suggestion (e.g. a possibly misspelled word): never fails a check run, shown
    /// by the command line only with `--verbose`.
    Hint,
}

impl Severity {
    /// The word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// What a diagnostic is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    /// A front-matter key.
    Field {
        /// The key.
        key: String,
    },
    /// A `## ` section (by heading; index among the document's sections when present).
    Section {
        /// The heading.
        heading: String,
        /// Index among the document's sections (None for a missing one).
        index: Option<usize>,
    },
    /// The geometry.
    Geometry,
    /// The document as a whole.
    Document,
}

/// One problem found in a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `CB005`.
    pub code: &'static str,
    /// How serious.
    pub severity: Severity,
    /// What it is about.
    pub target: Target,
    /// 1-based line in `index.md` (or in the geometry file for geometry problems), if known.
    pub line: Option<usize>,
    /// What is wrong, naming the field or section.
    pub message: String,
    /// How to fix it.
    pub fix: Option<String>,
    /// A value that fixes it (a field value to set), when there is an obvious one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// A geometry location to mark (lon, lat), e.g. where a ring crosses itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<[f64; 2]>,
    /// For a possibly misspelled word: the word and corrections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spelling: Option<Spelling>,
    /// An automatic fix that is not a field value (see [`fixes::fix_for`]).
    #[serde(skip)]
    pub auto: Option<Fix>,
    /// A file of the case could not be read to check it (permissions, not a regular file):
    /// the case was not checked completely (`check` exits 2).
    #[serde(skip)]
    pub unread: bool,
}

/// The word a spelling diagnostic is about, with suggested corrections (best first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spelling {
    /// The word as written.
    pub word: String,
    /// Corrections, best first (may be empty).
    pub suggestions: Vec<String>,
}

/// A diagnostic being built: which rule, what it is about and where. A severity and a message
/// finish it (`Finding::key(CODE, doc, KEY).warning(message).with_fix(…)`).
#[derive(Debug, Clone)]
#[must_use]
pub struct Finding {
    code: &'static str,
    target: Target,
    line: Option<usize>,
}

impl Finding {
    /// About `target`, at `line`.
    pub fn new(code: &'static str, target: Target, line: Option<usize>) -> Finding {
        Finding { code, target, line }
    }

    /// About the front-matter key `key`, at `line`.
    pub fn field(code: &'static str, key: &str, line: Option<usize>) -> Finding {
        let key = key.to_string();
        Finding::new(code, Target::Field { key }, line)
    }

    /// About the front-matter key `key`, on its line in `doc`.
    pub fn key(code: &'static str, doc: &crate::document::Document, key: &str) -> Finding {
        Finding::field(code, key, doc.line_of_key(key))
    }

    /// About a section (`index` among the document's sections; `None` for a missing one).
    pub fn section(
        code: &'static str,
        heading: &str,
        index: Option<usize>,
        line: Option<usize>,
    ) -> Finding {
        let heading = heading.to_string();
        Finding::new(code, Target::Section { heading, index }, line)
    }

    /// About the document as a whole, at `line`.
    pub fn document(code: &'static str, line: Option<usize>) -> Finding {
        Finding::new(code, Target::Document, line)
    }

    /// About the geometry (whose line is unknown).
    pub fn geometry(code: &'static str) -> Finding {
        Finding::new(code, Target::Geometry, None)
    }

    /// The diagnostic, at `severity`, saying `message`.
    pub fn report(self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            severity,
            target: self.target,
            line: self.line,
            message: message.into(),
            fix: None,
            suggestion: None,
            at: None,
            spelling: None,
            auto: None,
            unread: false,
        }
    }

    /// An error saying `message`.
    pub fn error(self, message: impl Into<String>) -> Diagnostic {
        self.report(Severity::Error, message)
    }

    /// A warning saying `message`.
    pub fn warning(self, message: impl Into<String>) -> Diagnostic {
        self.report(Severity::Warning, message)
    }

    /// An info saying `message`.
    pub fn info(self, message: impl Into<String>) -> Diagnostic {
        self.report(Severity::Info, message)
    }

    /// A hint saying `message`.
    pub fn hint(self, message: impl Into<String>) -> Diagnostic {
        self.report(Severity::Hint, message)
    }
}

impl Diagnostic {
    /// Adds a fix hint.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Diagnostic {
        self.fix = Some(fix.into());
        self
    }

    /// Adds a value that fixes the field.
    pub fn with_suggestion(mut self, value: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(value.into());
        self
    }

    /// Marks the finding as "a file could not be read" (the `unread` field).
    pub fn unread(mut self) -> Diagnostic {
        self.unread = true;
        self
    }

    /// Adds an automatic fix.
    pub fn with_auto(mut self, fix: Fix) -> Diagnostic {
        self.auto = Some(fix);
        self
    }

    /// Adds a map location.
    pub fn at(mut self, lon: f64, lat: f64) -> Diagnostic {
        self.at = Some([lon, lat]);
        self
    }

    /// `line 7: message` (or just the message).
    pub fn located_message(&self) -> String {
        match self.line {
            Some(l) => format!("line {l}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// What the rules look at.
pub struct Context<'a> {
    /// The case.
    pub case: &'a Case,
    /// The template it follows.
    pub template: &'a Template,
    /// What to compute beyond the findings.
    pub options: Options,
}

/// What a run of the checks computes beyond the findings themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Suggestions for possible misspellings (CB033). They are most of the time a whole-atlas
    /// check takes, so a report that does not show them (`check` without `--verbose`, the
    /// workspace list) leaves them out; the findings themselves are the same.
    pub spelling_suggestions: bool,
    /// The spelling check at all (CB033, hints). A report that shows no hints (`check`
    /// without `--verbose`) leaves it out and does not load the dictionary.
    pub spelling: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spelling_suggestions: true,
            spelling: true,
        }
    }
}

impl Context<'_> {
    /// The case folder.
    pub fn dir(&self) -> &Path {
        self.case.dir()
    }
}

/// A check rule.
pub trait Rule: Sync {
    /// The stable code (`CB012`).
    fn code(&self) -> &'static str;
    /// A short name (`tags-taxonomy`).
    fn name(&self) -> &'static str;
    /// What the rule checks, in a sentence.
    fn description(&self) -> &'static str;
    /// Adds the rule's findings to `out`.
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, in code order.
pub fn rules() -> &'static [&'static dyn Rule] {
    &[
        &cb001_front_matter::Rule001,
        &cb002_duplicate_keys::Rule002,
        &cb003_required_fields::Rule003,
        &cb004_allowed_values::Rule004,
        &cb005_country_code::Rule005,
        &cb006_folder_name::Rule006,
        &cb007_centroid_format::Rule007,
        &cb008_centroid_in_country::Rule008,
        &cb009_centroid_near_geography::Rule009,
        &cb010_years::Rule010,
        &cb011_tags_taxonomy::Rule011,
        &cb012_tags_count::Rule012,
        &cb013_tags_list::Rule013,
        &cb014_featured_image::Rule014,
        &cb015_featured_alt::Rule015,
        &cb016_body_images::Rule016,
        &cb017_geography_file::Rule017,
        &cb018_geometry_validity::Rule018,
        &cb019_missing_sections::Rule019,
        &cb020_empty_sections::Rule020,
        &cb021_word_targets::Rule021,
        &cb022_placeholders::Rule022,
        &cb023_value_oddities::Rule023,
        &cb024_description_length::Rule024,
        &cb025_item_counts::Rule025,
        &cb026_control_characters::Rule026,
        &cb027_antimeridian::Rule027,
        &cb028_hole_outside::Rule028,
        &cb029_overlapping_parts::Rule029,
        &cb030_bbox::Rule030,
        &cb031_unsafe_html::Rule031,
        &cb032_centroid_near_city::Rule032,
        &cb033_spelling::Rule033,
    ]
}

/// Starts decoding the embedded data the rules look things up in (the gazetteer for CB032,
/// the 1:10m country outlines for CB007/CB008), each on a thread of its own, so that a run
/// over many cases does not wait for them one after the other. Lookups decode lazily
/// anyway: this only moves the work earlier, alongside reading the cases.
pub fn warm_up() {
    let _ = std::thread::Builder::new()
        .name("casebook-warm-places".into())
        .spawn(|| drop(crate::places::named("", "USA")));
    let _ = std::thread::Builder::new()
        .name("casebook-warm-world".into())
        .spawn(|| {
            if let Some(c) = crate::countries::by_iso3("USA") {
                let _ = c.contains(0.0, 0.0);
            }
        });
}

/// Runs every rule; results sorted by line (unknown last), then code, then message.
pub fn run(case: &Case, template: &Template) -> Vec<Diagnostic> {
    run_with(case, template, Options::default())
}

/// [`run`] computing only what `options` asks for.
pub fn run_with(case: &Case, template: &Template, options: Options) -> Vec<Diagnostic> {
    let ctx = Context {
        case,
        template,
        options,
    };
    let mut out = Vec::new();
    for rule in rules() {
        rule.check(&ctx, &mut out);
    }
    out.sort_by(|a, b| {
        (a.line.unwrap_or(usize::MAX), a.code, &a.message).cmp(&(
            b.line.unwrap_or(usize::MAX),
            b.code,
            &b.message,
        ))
    });
    out
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Hints.
    pub hints: usize,
}

impl Counts {
    /// Counts `diags`.
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
                Severity::Hint => c.hints += 1,
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;
    use crate::template::TemplateSet;

    #[test]
    fn codes_are_stable_and_unique() {
        let codes: Vec<&str> = rules().iter().map(|r| r.code()).collect();
        // Every code from CB001 to the highest is a rule, in order: codes are never reused
        // or skipped.
        let expected: Vec<String> = (1..=codes.len()).map(|i| format!("CB{i:03}")).collect();
        assert_eq!(codes, expected);
        let names: HashSet<&str> = rules().iter().map(|r| r.name()).collect();
        assert_eq!(names.len(), rules().len());
        assert!(rules().iter().all(|r| !r.description().is_empty()));
    }

    /// Runs every rule on `text` with every bundled template; checks every diagnostic.
    fn check_all(text: &str) {
        let Ok(tmp) = tempfile::tempdir() else {
            panic!("no temp dir")
        };
        let case = Case::from_text(tmp.path(), text);
        for t in TemplateSet::bundled().all() {
            let diags = run(&case, t);
            for d in &diags {
                assert!(d.fix.is_some(), "{d:?}");
                if d.target != Target::Geometry {
                    assert!(d.line.is_some(), "{d:?}");
                }
            }
        }
    }

    #[test]
    fn odd_documents_do_not_panic() {
        for text in [
            "",
            "---",
            "---\n",
            "---\n---\n",
            "\u{feff}---\r\ntitle: x\r\n---\r\n## A\r\n",
            "---\ntitle: [\n---\n",
            "---\ncentroid: [1e400, -1e400]\ncountry_code: ESP\n---\n",
            "---\ncentroid: [.nan, .inf]\n---\n",
            "---\ncentroid: [[1, 2], {a: b}]\ntags: {a: 1}\n---\n",
            "---\ntitle: !!binary aGVsbG8=\nyear_start: -99999999999999999999\nyear_completed: 2020\n---\n",
            "---\nfeatured_image: \"\\0\"\ngeography: \"a\\u0007b\"\n---\n",
            "---\nfeatured_image: ./\ngeography: .\n---\n",
            "---\ntags:\n- \n- ~\n- [x]\n---\n## \n## ###\n### \n![](\n![a](<>)\n",
            "## A\n<!-- unclosed\n## B\n```\n## C\n",
            "---\ntype: <!--\nstatus: -->\n---\n",
            "---\ndescription: |\n  a\n  b\n---\n",
        ] {
            check_all(text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Documents made of real and broken fragments never make a rule panic.
        #[test]
        fn fragments_never_panic(parts in proptest::collection::vec(prop_oneof![
            Just("---\n"), Just("title: T\n"), Just("status: Draft\n"), Just("status: Complete\n"),
            Just("centroid: [40.4, -3.7]\n"), Just("centroid: [-3.7, 40.4]\n"), Just("centroid: x\n"),
            Just("country_code: es\n"), Just("country_code: ESP\n"), Just("tags: a, b\n"), Just("tags:\n- Food\n"),
            Just("type: plan <!-- x -->\n"), Just("featured_image: ../x.jpg\n"), Just("geography: ./g.geojson\n"),
            Just("year_start: 2030\nyear_completed: 2010\n"), Just("## Overview\n"), Just("## Goals and Aspirations\n"),
            Just("**Goal 1**. x\n"), Just("![a](./a.png)\n"), Just("<!-- c\n"), Just("-->\n"), Just("### Primary Sources\n"),
            Just("- item\n"), Just("word word word\n"), Just("\n"), Just("é\u{0}\r\n"), Just("  - x\n"), Just(": :\n"),
        ], 0..24)) {
            check_all(&parts.concat());
        }
    }
}
