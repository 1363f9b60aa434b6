//! Maintenance commands for this workspace: `cargo xtask <command>`.

mod bench;
mod bench_build;
mod bench_instructions;
mod check_spec;
mod conformance;
mod corpus;
mod gen_crate;
mod npm;
mod regen;
mod spec_diff;
mod spec_facts;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check]   regenerate generated-client/src/generated from specs/genauth-v3.yaml;
                    with --check, write nothing and fail if the committed files are stale
  check-spec FILE   report what the generator finds in any OpenAPI 3.0 file
  bench             time generation of our spec and the vendor's (use `cargo xtask-release bench`)
  bench build [--runs N] [--baseline REV]...
                    time crate-only builds of the crates generated from the vendor's specs,
                    ours beside progenitor's (when `cargo progenitor` is installed), and of
                    the genauth crate without and with management (beside its version at each REV)
  bench instructions
                    count, with callgrind, the instructions of one call of sign_in_by_push
                    and of check_push_code_status, one and 64 at a time, through genauth
                    and through the same request written by hand with reqwest
  corpus [--check N|all]
                    generate a crate from each of 54 real specs fetched from npm, `cargo check`
                    a sample of them (by default a fixed few; N: the first N; all: every one),
                    and print a markdown table of the outcome
  conformance       compare specs/genauth-v3.yaml with the vendor's description
  spec-diff [--spec FILE] [--base REV | --base-file FILE] [--head-file FILE] [--base-version V] [--head-version V] [--format json]
                    report what a spec change does to the API and fail when a breaking
                    change comes without the version bump semver asks for
  gen --spec FILE --out DIR [--name CRATE] [--envelope genauth|none] [--features-by-tag]
                    generate a standalone client crate for any OpenAPI 3.0 file; with
                    --features-by-tag, each tag's operations sit behind a cargo feature";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["regen"] => regen::run(regen::Mode::Write),
        ["regen", "--check"] => regen::run(regen::Mode::Check),
        ["check-spec", file] => check_spec::run(file),
        ["conformance"] => conformance::run(),
        ["corpus", rest @ ..] => corpus::run(rest),
        ["bench"] => bench::run(),
        ["bench", "build", rest @ ..] => bench_build::run(rest),
        ["bench", "instructions", rest @ ..] => bench_instructions::run(rest),
        ["measure-build", rest @ ..] => bench_build::measure(rest),
        ["spec-diff", rest @ ..] => spec_diff::run(rest),
        ["gen", rest @ ..] => gen_crate::run(rest),
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
