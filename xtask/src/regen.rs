//! `cargo xtask regen`: the `genauth` crate's generated files from the spec.

use std::path::{Path, PathBuf};
use std::time::Instant;

use genauth_codegen::{Config, write};

pub use genauth_codegen::write::Mode;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "specs/genauth-v3.yaml";
/// Where the generated files live, relative to the workspace root.
pub const OUTPUT: &str = "generated-client/src/generated";
/// What marks a file as generated; `regen` only ever removes such files.
const MARKER: &str = "@generated";

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// How the generated code reaches the hand-written part of `genauth`.
pub fn config() -> Config {
    Config {
        client_path: "crate::AuthenticationClient".to_owned(),
        runtime_path: "crate::runtime".to_owned(),
        reserved_method_names: [
            "builder",
            "send",
            "send_empty",
            "set_access_token",
            "access_token",
        ]
        .map(str::to_owned)
        .to_vec(),
        preamble: format!("{MARKER} by `cargo xtask regen` from {SPEC}. Do not edit."),
        attach_credentials: false,
        envelope: true,
        features_by_tag: false,
    }
}

/// Regenerates (or checks) the generated files and prints a one-line summary.
pub fn run(mode: Mode) -> Result<(), String> {
    let started = Instant::now();
    // Paths relative to the workspace root keep messages and diffs short.
    let root = workspace_root();
    std::env::set_current_dir(&root)
        .map_err(|e| format!("cannot enter {}: {e}", root.display()))?;
    let text = std::fs::read_to_string(SPEC).map_err(|e| format!("cannot read {SPEC}: {e}"))?;
    let generated =
        genauth_codegen::generate(&text, &config()).map_err(|e| format!("{SPEC}: {e}"))?;
    for warning in &generated.warnings {
        eprintln!("{SPEC}: {warning}");
    }
    let report = write::sync(Path::new(OUTPUT), &generated.files, MARKER, mode)
        .map_err(|e| format!("cannot update {OUTPUT}: {e}"))?;
    let millis = started.elapsed().as_millis();
    match mode {
        Mode::Check if !report.is_up_to_date() => Err(format!(
            "{}\n{} generated file(s) are stale: run `cargo xtask regen` and commit",
            report.diff.trim_end(),
            report.changed.len() + report.removed.len()
        )),
        Mode::Check => {
            println!(
                "regen --check: {} operations, {} types, {} files up to date ({millis} ms)",
                generated.operations, generated.types, report.unchanged
            );
            Ok(())
        }
        Mode::Write => {
            println!(
                "regen: {} operations, {} types, {} files written, {} removed, {} unchanged ({millis} ms)",
                generated.operations,
                generated.types,
                report.changed.len(),
                report.removed.len(),
                report.unchanged
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when someone edits the spec or the generator and
    /// forgets to regenerate.
    #[test]
    fn generated_files_are_up_to_date() {
        if let Err(message) = super::run(super::Mode::Check) {
            panic!("{message}");
        }
    }
}
