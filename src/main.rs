//! `casebook`: the editor, or a command (`check`, `set`, `new`, `templates`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = casebook::cli::Args::parse();
    let templates_dir = args.templates.clone();
    match casebook::cli::run(args) {
        casebook::cli::Outcome::Exit(code) => code,
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
    }
}
