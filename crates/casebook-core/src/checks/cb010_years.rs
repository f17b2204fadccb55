//! CB010 years: `year_start` is a year, and not after `year_completed`.
//!
//! `year_start` must begin with a four-digit year (`2015`, `2015 (approved)`): an error in
//! Review/Complete, a warning in a Draft. `year_completed` may be text (`Ongoing`,
//! `2030 (Anticipated)`, `~2025`, `Ongoing`); a `year_completed` that is none of these (what
//! `casebook set` refuses, see [`crate::fields::year_problem`]) is a warning. When both begin
//! with a year, a start after the completion is a warning. Missing years are CB003's.

use serde_yaml::Value;

use super::util;
use super::{Context, Diagnostic, Finding, Severity};
use crate::fields::{self, YearValue};

rule! {
    Rule010, "CB010", "years", "year_start is a year, not later than year_completed."
}

fn findings(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.case.doc();
    let start = doc.value("year_start");
    let start_year = match start {
        None | Some(Value::Null) => None,
        Some(v) => match YearValue::from_value(v) {
            None if fields::as_text(v).is_some() => None,
            Some(y) => match four_digits(&y) {
                Some(year) => Some(year),
                None => {
                    out.push(not_a_year(ctx, &y.display()));
                    None
                }
            },
            None => {
                out.push(not_a_year(ctx, "a list or map"));
                None
            }
        },
    };
    if let Some(v) = doc.value("year_completed")
        && let Some(problem) = fields::year_problem(fields::Field::YearCompleted, v)
    {
        out.push(
            Finding::key(CODE, doc, "year_completed")
                .warning(format!("`year_completed`: {problem}"))
                .with_fix("Write the year the project was (or will be) completed, e.g. 2030 or 2030 (Anticipated), or Ongoing."),
        );
    }
    let end_year = doc
        .value("year_completed")
        .and_then(YearValue::from_value)
        .and_then(|y| four_digits(&y));
    if let (Some(s), Some(e)) = (start_year, end_year)
        && s > e
    {
        out.push(
            Finding::key(CODE, doc, "year_start")
                .warning(format!(
                    "`year_start` ({s}) is after `year_completed` ({e}) (line {})",
                    util::key_line(doc, "year_completed").map_or("?".to_string(), |l| l.to_string())
                ))
                .with_fix("Check both years: the project cannot be completed before it starts. Swap them if they were exchanged."),
        );
    }
}

/// The four-digit year a value begins with.
fn four_digits(y: &YearValue) -> Option<i32> {
    y.leading_year().filter(|y| (1000..=9999).contains(y))
}

fn not_a_year(ctx: &Context<'_>, shown: &str) -> Diagnostic {
    let doc = ctx.case.doc();
    Finding::key(CODE, doc, "year_start")
        .report(
            util::by_stage(ctx, Severity::Error, Severity::Warning),
            format!("`year_start` is `{shown}`, which does not begin with a four-digit year"),
        )
        .with_fix(
            "Write the year the project began, e.g. 2015 (a note may follow: 2015 (approved)).",
        )
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{assert_quiet, assert_says, check, places};
    use super::*;

    fn years(front: &str) -> Vec<Diagnostic> {
        check(&Rule010, &format!("title: T\nstatus: Review\n{front}"), "")
    }

    #[test]
    fn good_years_are_quiet() {
        for front in [
            "year_start: 2015\nyear_completed: 2020",
            "year_start: '2015'\nyear_completed: Ongoing",
            "year_start: 2015 (approved)\nyear_completed: 2030 (Anticipated)",
            "year_start:\nyear_completed: ~2025",
            "year_start: 2015\nyear_completed: 2015",
        ] {
            assert_quiet(&years(front), front);
        }
    }

    #[test]
    fn start_after_completion() {
        let d = years("year_start: 2021\nyear_completed: 2018");
        assert_eq!(places(&d), [(Severity::Warning, Some(4))]);
        assert_says(&d[0], &["(2021)", "(2018)", "line 5"]);
    }

    #[test]
    fn start_must_be_a_year() {
        let d = years("year_start: Ongoing");
        assert_eq!(places(&d), [(Severity::Error, Some(4))]);
        assert_says(&d[0], &["`Ongoing`"]);
        let d = check(&Rule010, "status: Draft\nyear_start: soon", "");
        assert_eq!(d[0].severity, Severity::Warning);
        assert_says(&years("year_start: [2015, 2016]")[0], &["list"]);
        assert_eq!(years("year_start: 15").len(), 1);
    }

    #[test]
    fn completion_must_be_a_year_or_ongoing() {
        let d = years("year_start: 2015\nyear_completed: soon");
        assert_eq!(places(&d), [(Severity::Warning, Some(5))]);
        assert_says(&d[0], &["`soon` is not a year"]);
    }
}
