//! Other programs working on a case at the same time, special files, links, hostile names:
//! the `casebook` binary never loses an update, never changes anything on a read-only
//! command, never hangs, never panics.
//!
//! Every child runs under a time guard (a hang is a failure, not a stuck suite). The
//! concurrency tests print what they counted (`eprintln!`); run with `--nocapture` to see the
//! figures. `CASEBOOK_BIN` runs the tests against another build (used to measure the code
//! before the fixes).

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test

#[path = "../crates/casebook-core/tests/support/root.rs"]
mod root;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Only catches hangs; timings are in `benches/`.
const HANG_GUARD: Duration = Duration::from_secs(20);

const MESSAGE_CHANGED: &str = "changed by another program since it was read";

fn bin() -> PathBuf {
    match std::env::var_os("CASEBOOK_BIN") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_BIN_EXE_casebook")),
    }
}

/// A finished run: exit code (None: killed by a signal or the hang guard), stdout, stderr.
struct Run {
    code: Option<i32>,
    out: String,
    err: String,
    hung: bool,
}

impl Run {
    fn all(&self) -> String {
        format!(
            "exit {:?}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.out, self.err
        )
    }
}

fn spawn(args: &[&str]) -> Child {
    Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not run casebook: {e}"))
}

/// Waits for `child` (killing it after the hang guard) and collects its output.
fn finish(mut child: Child) -> Run {
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    let mut hung = false;
    let status: Option<ExitStatus> = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() > HANG_GUARD => {
                hung = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    Run {
        code: status.and_then(|s| s.code()),
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
        hung,
    }
}

fn casebook(args: &[&str]) -> Run {
    finish(spawn(args))
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A small case written for these tests.
const FIXTURE: &str = "---\ntitle: Harbour lights\nstatus: Draft\ncity: Porto\ncountry_code: PRT\ngeography: ./prt-harbour-lights.geojson\n---\n\n## Overview\n\nA short case written for the safety tests.\n";

const SQUARE: &str = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-8.62,41.14],[-8.60,41.14],[-8.60,41.15],[-8.62,41.15],[-8.62,41.14]]]}}]}\n";

fn write_case(root: &Path) -> PathBuf {
    let dir = root.join("prt-harbour-lights");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("index.md"), FIXTURE).unwrap();
    fs::write(dir.join("prt-harbour-lights.geojson"), SQUARE).unwrap();
    dir
}

/// The value of a top-level front-matter key, as written.
fn field(text: &str, key: &str) -> Option<String> {
    let prefix = format!("{key}: ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
}

/// What a `set` run did.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Exit 0, "saved".
    Saved,
    /// Exit 2 with the changed-on-disk message.
    Refused,
    /// Anything else (the output, for the failure message).
    Failed(String),
}

fn outcome(r: &Run) -> Outcome {
    match r.code {
        Some(0) if !r.hung && r.out.contains("saved") => Outcome::Saved,
        Some(2) if !r.hung && r.err.contains(MESSAGE_CHANGED) => Outcome::Refused,
        _ => Outcome::Failed(r.all()),
    }
}

#[test]
fn two_writers_lose_no_update() {
    let t = tmp();
    let case = write_case(t.path());
    let index = case.join("index.md");
    let rounds = 100;
    let (mut lost, mut both_saved, mut refused) = (0, 0, 0);
    let mut failed = Vec::new();
    for i in 0..rounds {
        let title = format!("title=A{i}");
        let city = format!("city=B{i}");
        let a = spawn(&["set", &s(&case), &title]);
        let b = spawn(&["set", &s(&case), &city]);
        let (ra, rb) = (finish(a), finish(b));
        let text = fs::read_to_string(&index).unwrap_or_default();
        let (oa, ob) = (outcome(&ra), outcome(&rb));
        let (sa, sb) = (oa == Outcome::Saved, ob == Outcome::Saved);
        if sa && field(&text, "title") != Some(format!("A{i}")) {
            lost += 1;
        }
        if sb && field(&text, "city") != Some(format!("B{i}")) {
            lost += 1;
        }
        both_saved += usize::from(sa && sb);
        refused += usize::from(oa == Outcome::Refused) + usize::from(ob == Outcome::Refused);
        for o in [oa, ob] {
            if let Outcome::Failed(f) = o {
                failed.push(f);
            }
        }
    }
    eprintln!(
        "two writers x {rounds} rounds: {lost} lost updates; both saved in {both_saved} rounds; {refused} runs refused; {} runs failed",
        failed.len()
    );
    assert_eq!(lost, 0, "an edit reported as saved is missing");
    assert!(failed.is_empty(), "{}", failed.join("\n---\n"));
}

#[test]
fn appending_writer_loses_no_line() {
    let t = tmp();
    let case = write_case(t.path());
    let index = case.join("index.md");
    let stop = Arc::new(AtomicBool::new(false));
    let appender = {
        let stop = Arc::clone(&stop);
        let index = index.clone();
        std::thread::spawn(move || {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                // Another program: opens, appends one line, closes; no lock.
                if let Ok(mut f) = fs::OpenOptions::new().append(true).open(&index) {
                    let _ = f.write_all(format!("appended line {n}\n").as_bytes());
                    n += 1;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            n
        })
    };
    let runs = 40;
    let mut saves = 0;
    let mut failed = Vec::new();
    for i in 0..runs {
        let r = casebook(&["set", &s(&case), &format!("title=T{i}")]);
        match outcome(&r) {
            Outcome::Saved => saves += 1,
            Outcome::Refused => {}
            Outcome::Failed(f) => failed.push(f),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let appended = appender.join().unwrap_or(0);
    let text = fs::read_to_string(&index).unwrap_or_default();
    let lost: Vec<usize> = (0..appended)
        .filter(|n| !text.contains(&format!("appended line {n}\n")))
        .collect();
    eprintln!(
        "appending writer: {appended} lines appended, {} lost; {saves} of {runs} set runs saved, {} failed",
        lost.len(),
        failed.len()
    );
    assert!(appended > 0);
    assert!(failed.is_empty(), "{}", failed.join("\n---\n"));
    assert!(lost.is_empty(), "lost appended lines {lost:?}");
}

#[test]
fn check_alongside_set_never_fails() {
    let t = tmp();
    let case = write_case(t.path());
    let stop = Arc::new(AtomicBool::new(false));
    let checker = {
        let stop = Arc::clone(&stop);
        let case = case.clone();
        std::thread::spawn(move || {
            let mut bad = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let r = casebook(&["check", &s(&case)]);
                n += 1;
                if r.hung || !matches!(r.code, Some(0 | 1)) || r.all().contains("No such file") {
                    bad.push(r.all());
                }
            }
            (n, bad)
        })
    };
    let mut set_failures = Vec::new();
    let runs = 60;
    for i in 0..runs {
        let r = casebook(&["set", &s(&case), &format!("city=C{i}")]);
        if r.code != Some(0) {
            set_failures.push(r.all());
        }
    }
    stop.store(true, Ordering::Relaxed);
    let (checks, bad_checks) = checker.join().unwrap_or((0, vec!["thread".into()]));
    eprintln!(
        "check alongside set: {checks} checks, {} failed; {runs} sets, {} failed",
        bad_checks.len(),
        set_failures.len()
    );
    assert!(bad_checks.is_empty(), "{}", bad_checks.join("\n---\n"));
    assert!(set_failures.is_empty(), "{}", set_failures.join("\n---\n"));
}

/// Names, kinds, sizes, modification times and contents of everything under `root`.
fn snapshot(root: &Path) -> Vec<(PathBuf, String, Option<SystemTime>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(m) = fs::symlink_metadata(&p) else {
                continue;
            };
            let kind = format!("{:?}", m.file_type());
            let bytes = if m.is_file() {
                fs::read(&p).unwrap_or_default()
            } else {
                Vec::new()
            };
            if m.is_dir() {
                stack.push(p.clone());
            }
            out.push((p, kind, m.modified().ok(), bytes));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn read_only_commands_change_nothing() {
    let t = tmp();
    let case = write_case(t.path());
    // A user's own file that looks like a temp file, and the temp file of a save in progress
    // (this process is alive), both old.
    let own = case.join(".notes.casebook-tmp-keep");
    let live = case.join(format!(".index.md.casebook-tmp-{}-0", std::process::id()));
    for p in [&own, &live] {
        fs::write(p, "mine").unwrap();
        age(p, 600);
    }
    let before = snapshot(t.path());
    for args in [
        vec!["check".to_string(), s(&case)],
        vec![
            "check".to_string(),
            "--format".into(),
            "json".into(),
            s(t.path()),
        ],
        vec![
            "set".to_string(),
            s(&case),
            "title=Other".into(),
            "--dry-run".into(),
        ],
        vec!["templates".to_string()],
    ] {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = casebook(&a);
        assert!(matches!(r.code, Some(0 | 1)), "{args:?}: {}", r.all());
        assert_eq!(snapshot(t.path()), before, "{args:?} changed the folder");
    }
}

/// Sets a file's modification time `secs` seconds into the past.
fn age(p: &Path, secs: u64) {
    let when = SystemTime::now() - Duration::from_secs(secs);
    let f = fs::File::options().write(true).open(p).unwrap();
    f.set_modified(when).unwrap();
}

#[test]
fn writer_cleans_only_stale_temps_of_gone_owners() {
    let t = tmp();
    let case = write_case(t.path());
    // A pid that cannot be running (above the kernel's limit).
    let dead = 4_194_304 + 17;
    let stale = case.join(format!(".index.md.casebook-tmp-{dead}-3"));
    let fresh = case.join(format!(".index.md.casebook-tmp-{dead}-4"));
    let alive = case.join(format!(".index.md.casebook-tmp-{}-5", std::process::id()));
    let own = case.join(".index.md.casebook-tmp-notes");
    for p in [&stale, &fresh, &alive, &own] {
        fs::write(p, "x").unwrap();
    }
    for p in [&stale, &alive, &own] {
        age(p, 120);
    }
    let r = casebook(&["set", &s(&case), "title=Cleaned"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(
        !stale.exists(),
        "an old temp file of a gone process is removed"
    );
    assert!(fresh.exists(), "a temp file younger than a minute is kept");
    assert!(alive.exists(), "a temp file of a running process is kept");
    assert!(
        own.exists(),
        "a file not named like Casebook's temp files is kept"
    );
}

fn mkfifo(p: &Path) -> bool {
    Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn fifo_geometry_is_a_finding_not_a_hang() {
    let t = tmp();
    let case = write_case(t.path());
    let geo = case.join("prt-harbour-lights.geojson");
    fs::remove_file(&geo).unwrap();
    if !mkfifo(&geo) {
        eprintln!("mkfifo unavailable: FIFO test skipped");
        return;
    }
    let r = casebook(&["check", &s(&case)]);
    assert!(!r.hung, "check hung on a FIFO");
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.out.contains("not a regular file"), "{}", r.all());
    let r = casebook(&["set", &s(&case), "title=Still works"]);
    assert!(!r.hung, "set hung on a FIFO geometry");
    assert_eq!(r.code, Some(0), "{}", r.all());
    let text = fs::read_to_string(case.join("index.md")).unwrap_or_default();
    assert!(text.contains("title: Still works"));
}

/// A featured image that cannot be read (here a FIFO) means the case was not checked
/// completely: exit 2, as for a boundary that cannot be read.
#[test]
fn unreadable_featured_image_exits_2() {
    let t = tmp();
    let case = write_case(t.path());
    let text = FIXTURE.replace(
        "status: Draft\n",
        "status: Draft\nfeatured_image: ./photo.jpg\n",
    );
    fs::write(case.join("index.md"), text).unwrap();
    if !mkfifo(&case.join("photo.jpg")) {
        eprintln!("mkfifo unavailable: FIFO test skipped");
        return;
    }
    let r = casebook(&["check", &s(&case)]);
    assert!(!r.hung, "check hung on a FIFO image");
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.out.contains("not a regular file"), "{}", r.all());
    // A folder named as the image is a mistake in the case, not a failure to read: exit 1.
    fs::remove_file(case.join("photo.jpg")).unwrap();
    fs::create_dir(case.join("photo.jpg")).unwrap();
    let r = casebook(&["check", &s(&case)]);
    assert_eq!(r.code, Some(1), "{}", r.all());
}

#[test]
fn fifo_index_is_refused_not_a_hang() {
    let t = tmp();
    let case = t.path().join("prt-fifo");
    fs::create_dir(&case).unwrap();
    if !mkfifo(&case.join("index.md")) {
        eprintln!("mkfifo unavailable: FIFO test skipped");
        return;
    }
    let r = casebook(&["set", &s(&case), "title=X"]);
    assert!(!r.hung, "set hung on a FIFO index.md");
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.err.contains("not a regular file"), "{}", r.all());
    let r = casebook(&["check", &s(&case)]);
    assert!(!r.hung, "check hung on a FIFO index.md");
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.out.contains("not a regular file"), "{}", r.all());
}

#[test]
fn dev_zero_geometry_is_not_read_forever() {
    let t = tmp();
    let case = write_case(t.path());
    let geo = case.join("prt-harbour-lights.geojson");
    fs::remove_file(&geo).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &geo).unwrap();
    let r = casebook(&["check", &s(&case)]);
    assert!(!r.hung, "check read /dev/zero forever");
    assert!(matches!(r.code, Some(0..=2)), "{}", r.all());
    assert!(r.out.contains("CB017"), "{}", r.all());
    // The same device inside the folder (a device node, root only).
    fs::remove_file(&geo).unwrap();
    let made = Command::new("mknod")
        .args([&s(&geo), "c", "1", "5"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("mknod not permitted: device-node case skipped");
        return;
    }
    let r = casebook(&["check", &s(&case)]);
    assert!(!r.hung, "check read a device forever");
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.out.contains("not a regular file"), "{}", r.all());
}

#[test]
fn set_writes_only_index_md() {
    let t = tmp();
    let case = write_case(t.path());
    let geo = case.join("prt-harbour-lights.geojson");
    let notes = case.join("notes.md");
    fs::write(&notes, "---\ntitle: Notes\n---\n").unwrap();
    for target in [&geo, &notes] {
        let before = fs::read(target).unwrap_or_default();
        let r = casebook(&["set", &s(target), "title=X"]);
        assert_eq!(r.code, Some(2), "{}", r.all());
        assert!(r.err.contains("index.md"), "{}", r.all());
        assert_eq!(fs::read(target).unwrap_or_default(), before);
    }
    // The case folder and its index.md are both accepted.
    let r = casebook(&["set", &s(&case.join("index.md")), "title=Y"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
}

#[test]
fn index_link_out_of_the_folder_is_never_written() {
    let t = tmp();
    let case = write_case(t.path());
    let outside = t.path().join("elsewhere.md");
    fs::rename(case.join("index.md"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, case.join("index.md")).unwrap();
    let r = casebook(&["set", &s(&case), "title=X"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.err.contains("outside the case folder"), "{}", r.all());
    assert_eq!(fs::read_to_string(&outside).unwrap_or_default(), FIXTURE);
    // Reading it is allowed, with a warning.
    let r = casebook(&["check", &s(&case)]);
    assert!(matches!(r.code, Some(0 | 1)), "{}", r.all());
    assert!(r.out.contains("outside the case folder"), "{}", r.all());
    // A link inside the folder is written through, and stays a link.
    fs::remove_file(case.join("index.md")).unwrap();
    fs::rename(&outside, case.join("real.md")).unwrap();
    std::os::unix::fs::symlink("real.md", case.join("index.md")).unwrap();
    let r = casebook(&["set", &s(&case), "title=Through"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(
        fs::read_to_string(case.join("real.md"))
            .unwrap_or_default()
            .contains("title: Through")
    );
    assert!(fs::symlink_metadata(case.join("index.md")).is_ok_and(|m| m.file_type().is_symlink()));
}

#[test]
fn hard_link_gets_a_warning() {
    let t = tmp();
    let case = write_case(t.path());
    let other = t.path().join("other-name.md");
    fs::hard_link(case.join("index.md"), &other).unwrap();
    let r = casebook(&["set", &s(&case), "title=Linked"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(r.err.contains("hard link"), "{}", r.all());
}

#[test]
fn non_utf8_folder_names_do_not_panic() {
    use std::os::unix::ffi::OsStrExt;
    let t = tmp();
    let odd = t.path().join(std::ffi::OsStr::from_bytes(b"bad\xffname"));
    fs::create_dir(&odd).unwrap();
    let case = write_case(&odd);
    // A finding, so that the text report names the case.
    fs::remove_file(case.join("prt-harbour-lights.geojson")).unwrap();
    for format in ["json", "text"] {
        let r = finish(
            Command::new(bin())
                .args(["check", "--format", format])
                .arg(&odd)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        assert!(matches!(r.code, Some(0 | 1)), "{format}: {}", r.all());
        assert!(!r.err.contains("panicked"), "{}", r.all());
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&r.out)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.out));
            let path = v["cases"][0]["path"].as_str().unwrap_or_default();
            assert!(path.contains("bad\\xffname"), "{path}");
        } else {
            assert!(r.out.contains("bad\\xffname"), "{}", r.all());
        }
    }
}

#[test]
fn a_panic_is_one_line_and_exit_2() {
    let r = finish(
        Command::new(bin())
            .args(["templates"])
            .env("CASEBOOK_DEBUG_PANIC", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert_eq!(r.err.trim_end().lines().count(), 1, "{}", r.all());
    assert!(r.err.contains("internal error"), "{}", r.all());
}

#[test]
fn unreadable_folder_is_an_error() {
    let t = tmp();
    let cases = t.path().join("cases");
    write_case(&cases);
    // A link to itself cannot be read, even by root.
    std::os::unix::fs::symlink(cases.join("usa-loop"), cases.join("usa-loop")).unwrap();
    let r = casebook(&["check", &s(&cases)]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.out.contains("usa-loop"), "{}", r.all());
}

#[test]
fn folder_without_permission_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let t = tmp();
    fs::set_permissions(t.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let cases = t.path().join("cases");
    write_case(&cases);
    let locked = cases.join("esp-locked");
    write_case(&locked);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads everything: run the check as `nobody` then.
    let root = root::is_root();
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin());
        c
    } else {
        Command::new(bin())
    };
    cmd.args(["check", &s(&cases)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let Ok(child) = cmd.spawn() else {
        eprintln!("setpriv unavailable: permission test skipped (the link-loop test covers it)");
        return;
    };
    let r = finish(child);
    let _ = fs::set_permissions(&locked, fs::Permissions::from_mode(0o755));
    if root && r.err.contains("setpriv:") {
        eprintln!(
            "setpriv refused ({}): permission test skipped",
            r.err.trim()
        );
        return;
    }
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.out.contains("esp-locked"), "{}", r.all());
    assert!(!r.out.contains(": 0 errors"), "{}", r.all());
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let t = tmp();
    let case = write_case(t.path());
    let text = FIXTURE.replace(
        "title: Harbour lights",
        "title: \"Harbour\\e]0;owned\\a lights\\r\\b\"\nauthor: \"\\tSomeone\"",
    );
    fs::write(case.join("index.md"), text).unwrap();
    let r = casebook(&["check", "--verbose", &s(&case)]);
    assert!(matches!(r.code, Some(0 | 1)), "{}", r.all());
    for c in ['\u{1b}', '\u{7}', '\r', '\u{8}'] {
        assert!(!r.out.contains(c), "raw {c:?} in output: {:?}", r.out);
    }
    assert!(r.out.contains("CB026"), "{}", r.out);
    assert!(r.out.contains("\\u{1b}"), "escaped: {}", r.out);
    let j = casebook(&["check", "--format", "json", &s(&case)]);
    for c in ['\u{1b}', '\u{7}', '\r', '\u{8}'] {
        assert!(!j.out.contains(c), "raw {c:?} in JSON");
    }
}

fn new_case(dir: &Path, country: &str, city: &str, title: &str) -> Run {
    casebook(&[
        "new",
        "--country",
        country,
        "--city",
        city,
        "--title",
        title,
        "--dir",
        &s(dir),
    ])
}

fn folders(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn new_names_folders_from_any_script() {
    let t = tmp();
    let r = new_case(t.path(), "JPN", "Tokyo", "東京ミッドタウン");
    assert_eq!(r.code, Some(0), "{}", r.all());
    let r = new_case(t.path(), "TUR", "İstanbul", "İstanbul");
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(
        folders(t.path()).contains(&"tur-istanbul".to_string()),
        "{:?}",
        folders(t.path())
    );
    for f in folders(t.path()) {
        assert!(
            f.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{f}"
        );
    }
    let jpn: Vec<String> = folders(t.path())
        .into_iter()
        .filter(|f| f.starts_with("jpn-"))
        .collect();
    assert_eq!(jpn.len(), 1);
    let index = fs::read_to_string(t.path().join(&jpn[0]).join("index.md")).unwrap_or_default();
    assert!(index.contains("東京ミッドタウン"), "{index}");
    // A title with nothing to name a folder after: the city is used, and the output says so.
    let r = new_case(t.path(), "ESP", "Madrid", "★ ★ ★");
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(folders(t.path()).contains(&"esp-madrid".to_string()));
    assert!(
        r.all().contains("★ ★ ★"),
        "the unused title is named: {}",
        r.all()
    );
}

#[test]
fn new_refuses_control_characters() {
    let t = tmp();
    let r = new_case(t.path(), "USA", "Boston", "Evil\u{1b}[31mTitle");
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.err.contains("control character"), "{}", r.all());
    assert!(!r.err.contains('\u{1b}'), "raw ESC echoed: {:?}", r.err);
    assert!(folders(t.path()).is_empty(), "{:?}", folders(t.path()));
}

fn geo_case(t: &Path, geojson: &str) -> PathBuf {
    let case = write_case(t);
    fs::write(case.join("prt-harbour-lights.geojson"), geojson).unwrap();
    case
}

/// The (code, severity, message) of every diagnostic `check --format json` reports.
fn findings(case: &Path) -> Vec<(String, String, String)> {
    let r = casebook(&["check", "--format", "json", &s(case)]);
    let v: serde_json::Value =
        serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.all()));
    v["cases"][0]["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or_default().to_string(),
                        d["severity"].as_str().unwrap_or_default().to_string(),
                        d["message"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has(f: &[(String, String, String)], code: &str, severity: &str) -> bool {
    f.iter().any(|(c, s, _)| c == code && s == severity)
}

fn polygon_fc(coordinates: &str, kind: &str, bbox: &str) -> String {
    format!(
        "{{\"type\":\"FeatureCollection\",{bbox}\"features\":[{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"{kind}\",\"coordinates\":{coordinates}}}}}]}}\n"
    )
}

#[test]
fn geometry_problems_check_used_to_miss() {
    let t = tmp();
    let fiji = polygon_fc(
        "[[[179.5,-17],[-179.5,-17],[-179.5,-16],[179.5,-16],[179.5,-17]]]",
        "Polygon",
        "",
    );
    let f = findings(&geo_case(&t.path().join("a"), &fiji));
    assert!(has(&f, "CB027", "error"), "{f:?}");
    let hole_out = polygon_fc(
        "[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[10,10],[10,11],[11,11],[11,10],[10,10]]]",
        "Polygon",
        "",
    );
    let f = findings(&geo_case(&t.path().join("b"), &hole_out));
    assert!(has(&f, "CB028", "warning"), "{f:?}");
    let overlap = polygon_fc(
        "[[[[0,0],[4,0],[4,4],[0,4],[0,0]]],[[[2,2],[6,2],[6,6],[2,6],[2,2]]]]",
        "MultiPolygon",
        "",
    );
    let f = findings(&geo_case(&t.path().join("c"), &overlap));
    assert!(has(&f, "CB029", "warning"), "{f:?}");
    let stale = polygon_fc(
        "[[[0,0],[4,0],[4,4],[0,4],[0,0]]]",
        "Polygon",
        "\"bbox\":[0,0,9,9],",
    );
    let f = findings(&geo_case(&t.path().join("d"), &stale));
    assert!(has(&f, "CB030", "warning"), "{f:?}");
    let null = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": null\n}\n";
    let f = findings(&geo_case(&t.path().join("e"), null));
    let Some((_, _, m)) = f.iter().find(|(c, _, _)| c == "CB017") else {
        panic!("{f:?}")
    };
    assert!(m.contains("line 3, column 15"), "{m}");
}
