//! `casebook`: the editor, or a command (`check`, `set`, `new`, `templates`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = casebook::cli::Args::parse();
    #[cfg(feature = "gui")]
    let templates_dir = args.templates.clone();
    match casebook::cli::run(args) {
        casebook::cli::Outcome::Exit(code) => code,
        #[cfg(feature = "gui")]
        casebook::cli::Outcome::Editor(path) => {
            let startup = casebook::app::Startup {
                path,
                templates_dir,
                ..Default::default()
            };
            match casebook::app::run(startup) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("casebook: the editor could not start: {e}");
                    ExitCode::from(2)
                }
            }
        }
        #[cfg(not(feature = "gui"))]
        casebook::cli::Outcome::Editor(_) => {
            eprintln!(
                "casebook: this build has the command line only (built without the `gui` feature); \
                 run `casebook --help` for its commands"
            );
            ExitCode::from(2)
        }
    }
}
