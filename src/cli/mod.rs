//! The `casebook` command line: `check`, `set`, `fix`, `new`, `templates`, `changes`, `tags`,
//! or the editor.
//!
//! Exit codes: 0 = done (no errors found), 1 = errors found in the cases checked, 2 = could
//! not run (bad arguments, unreadable paths, a save that failed).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod changes;
mod check;
mod fix;
mod new;
mod set;
mod tags;
mod templates;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "casebook",
    version,
    about = "Edit and check Atlas of Urban Tech case studies.",
    long_about = "Edit and check Atlas of Urban Tech case studies.\n\nWith no command, opens the editor on PATH (a case folder, an index.md, or a folder of cases), on the last case you had open, or on the bundled sample case."
)]
pub struct Args {
    /// A command; without one, the editor opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// What the editor opens: a case folder, its index.md, or a folder of cases.
    pub path: Option<PathBuf>,
    /// A templates folder to use (an atlas checkout's `templates/`) besides the bundled ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check cases against their template; report grouped per case.
    Check {
        /// Cases: a case folder, an index.md, or a folder of cases (an atlas checkout, `cases/`).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also list info- and hint-level findings, such as possible misspellings (text format;
        /// JSON always has them).
        #[arg(long)]
        verbose: bool,
    },
    /// Set front-matter fields in place, in one case or many:
    /// `casebook set cases/* status=Review tags=[Mobility, Energy]`.
    Set {
        /// The cases (case folders, index.md files, or folders of cases), then `key=value`
        /// pairs; values are YAML (`[a, b]` is a list); `key=` empties the field.
        #[arg(required = true, num_args = 2.., value_name = "PATH... KEY=VALUE")]
        args: Vec<std::ffi::OsString>,
        /// Print the diff of every file that would change instead of saving.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the cases changed in the atlas's git repository, against HEAD or, with --since,
    /// against the merge base of HEAD and a branch (to review it). Exit 0 when listed, 2 when
    /// it could not run (PATH in no git repository, an unknown REF).
    Changes {
        /// A folder in the repository: the checkout, its `cases/`, or one case.
        path: PathBuf,
        /// Compare with the merge base of HEAD and this branch, tag or commit.
        #[arg(long, value_name = "REF")]
        since: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Work on tags across cases: `casebook tags rename OLD NEW cases/`.
    Tags {
        /// What to do.
        #[command(subcommand)]
        command: tags::TagsCommand,
    },
    /// Apply the automatic fixes the editor offers as one click (country code, geography
    /// name, ring winding, allowed values, ...) and save: `casebook fix cases/ --only CB018`.
    Fix {
        /// Cases: a case folder, an index.md, or a folder of cases.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Only the fixes of this rule (repeatable), e.g. `--only CB005 --only CB018`.
        #[arg(long, value_name = "CODE")]
        only: Vec<String>,
        /// Print the diff of every file instead of saving.
        #[arg(long)]
        dry_run: bool,
    },
    /// Make a new case folder from a template.
    New {
        /// Template name (see `casebook templates`).
        #[arg(long, default_value = "case-study")]
        template: String,
        /// ISO 3166-1 alpha-3 country code.
        #[arg(long)]
        country: String,
        /// City.
        #[arg(long)]
        city: String,
        /// Title of the case.
        #[arg(long)]
        title: String,
        /// The folder that holds case folders (default: `./cases` if it exists, else `.`).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// List the templates available.
    Templates {
        /// Also load templates from this folder.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// What `main` should do after parsing.
pub enum Outcome {
    /// Exit with this code.
    Exit(ExitCode),
    /// Open the editor on this path (or the default).
    Editor(Option<PathBuf>),
}

/// Runs a command-line invocation (not the editor).
pub fn run(args: Args) -> Outcome {
    let Some(command) = args.command else {
        return Outcome::Editor(args.path);
    };
    install_panic_hook();
    if std::env::var_os("CASEBOOK_DEBUG_PANIC").is_some() {
        // Lets the tests prove that a panic reaches the user as one line and exit 2.
        panic!("CASEBOOK_DEBUG_PANIC is set");
    }
    let code = match command {
        Command::Check {
            paths,
            format,
            verbose,
        } => check::run(&paths, format, verbose, args.templates.as_deref()),
        Command::Set {
            args: words,
            dry_run,
        } => match set::split_args(&words) {
            Ok((paths, assignments)) => {
                set::run(&paths, &assignments, dry_run, args.templates.as_deref())
            }
            Err(e) => {
                eprintln!("casebook: {e}");
                2
            }
        },
        Command::Changes {
            path,
            since,
            format,
        } => changes::run(&path, since.as_deref(), format),
        Command::Tags { command } => tags::run(&command),
        Command::Fix {
            paths,
            only,
            dry_run,
        } => fix::run(&paths, &only, dry_run, args.templates.as_deref()),
        Command::New {
            template,
            country,
            city,
            title,
            dir,
        } => new::run(
            &template,
            &country,
            &city,
            &title,
            dir,
            args.templates.as_deref(),
        ),
        Command::Templates { dir } => templates::run(dir.as_deref().or(args.templates.as_deref())),
    };
    Outcome::Exit(ExitCode::from(code))
}

/// Loads the templates: bundled, plus an explicit folder, plus an atlas checkout's own
/// `templates/` found above `near`.
pub fn load_templates(
    dir: Option<&std::path::Path>,
    near: Option<&std::path::Path>,
) -> Result<casebook_core::template::TemplateSet, String> {
    casebook_core::template::TemplateSet::load(dir, near).map_err(|e| e.to_string())
}

/// Turns any panic of a command into one line on stderr and exit 2 (no backtrace).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_string());
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "casebook: internal error, the command stopped: {}{at}; files already saved are complete, others untouched",
            casebook_core::escape::controls(&what)
        );
        std::process::exit(2);
    }));
}

/// Opens the case `set` (or another writer) is about to change: `path` must be a case folder
/// or its `index.md`. Unless `dry_run`, the case's lock is taken now and held until the
/// process ends, so no other writer comes between reading and saving. Warnings about the
/// file (a link out of the folder, hard links) are printed first. On failure, prints why and
/// returns the exit code (2).
pub fn open_case_to_write(
    path: &std::path::Path,
    dry_run: bool,
) -> Result<casebook_core::case::Case, u8> {
    use casebook_core::case::{self, Case};
    let opened = if dry_run {
        case::index_path_for_update(path).and_then(|p| Case::open(&p))
    } else {
        Case::open_for_update(path)
    };
    let case = match opened {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "casebook: {}",
                casebook_core::escape::controls(&e.to_string())
            );
            return Err(2);
        }
    };
    for w in case.file_warnings() {
        eprintln!(
            "casebook: warning: {}",
            casebook_core::escape::controls(&w.to_string())
        );
    }
    Ok(case)
}
