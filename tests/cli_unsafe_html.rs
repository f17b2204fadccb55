//! `casebook check` fails a case whose text holds HTML that runs (CB031), naming the line.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

use std::path::Path;
use std::process::Command;

#[test]
fn check_reports_html_that_runs_as_an_error_with_its_line() {
    let t = tempfile::tempdir().unwrap();
    let case = t.path().join("gbr-kings-cross");
    std::fs::create_dir_all(&case).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/gbr-kings-cross");
    for e in std::fs::read_dir(&sample).unwrap().flatten() {
        std::fs::copy(e.path(), case.join(e.file_name())).unwrap();
    }
    let index = case.join("index.md");
    let clean = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", &case.display().to_string()])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&clean.stdout).contains("CB031"),
        "the sample is clean"
    );
    let text = std::fs::read_to_string(&index).unwrap_or_default();
    let with_script =
        format!("{text}\n<script>document.title = 'x'</script>\n\n[Go](javascript:alert(1))\n");
    let script_line = with_script
        .lines()
        .position(|l| l.starts_with("<script>"))
        .unwrap_or(0)
        + 1;
    std::fs::write(&index, &with_script).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", &case.display().to_string()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let cb031: Vec<&str> = stdout.lines().filter(|l| l.contains("CB031")).collect();
    assert!(
        cb031.iter().any(|l| l.contains(&format!(":{script_line}"))
            || l.contains(&format!("line {script_line}"))),
        "line {script_line} named: {stdout}"
    );
    assert!(cb031.iter().any(|l| l.contains("javascript:")), "{stdout}");
}
