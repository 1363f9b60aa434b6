//! Maintenance commands for this workspace: `cargo xtask <command>`.

mod regen;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check]   regenerate generated-client/src/generated from specs/genauth-v3.yaml;
                    with --check, write nothing and fail if the committed files are stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["regen"] => regen::run(regen::Mode::Write),
        ["regen", "--check"] => regen::run(regen::Mode::Check),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command: {}\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
