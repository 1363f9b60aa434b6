//! `cargo xtask regen`: the `genauth` crate's generated files from its two
//! specs, the authentication API's and the management API's.

use std::path::{Path, PathBuf};
use std::time::Instant;

use genauth_codegen::{Config, write};

pub use genauth_codegen::write::Mode;

/// The authentication API's spec, relative to the workspace root.
pub const SPEC: &str = "specs/genauth-v3.yaml";
/// Where its generated files live, relative to the workspace root.
pub const OUTPUT: &str = "generated-client/src/generated";
/// The management API's spec, relative to the workspace root.
pub const MANAGEMENT_SPEC: &str = "specs/genauth-v3-management.yaml";
/// Where its generated files live (behind the `management` feature).
pub const MANAGEMENT_OUTPUT: &str = "generated-client/src/management/generated";
/// Where the management contract test finds a call of every operation.
pub const MANAGEMENT_CALLS: &str = "generated-client/tests/contract";
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
        paging: None,
    }
}

/// How the management API's generated code reaches its client.
pub fn management_config() -> Config {
    Config {
        client_path: "crate::management::ManagementClient".to_owned(),
        runtime_path: "crate::runtime".to_owned(),
        reserved_method_names: ["builder", "send", "send_empty"]
            .map(str::to_owned)
            .to_vec(),
        preamble: format!("{MARKER} by `cargo xtask regen` from {MANAGEMENT_SPEC}. Do not edit."),
        attach_credentials: false,
        envelope: true,
        features_by_tag: false,
        paging: Some("crate::management::paging".to_owned()),
    }
}

/// Regenerates (or checks) the generated files of both specs.
pub fn run(mode: Mode) -> Result<(), String> {
    // Paths relative to the workspace root keep messages and diffs short.
    let root = workspace_root();
    std::env::set_current_dir(&root)
        .map_err(|e| format!("cannot enter {}: {e}", root.display()))?;
    let authentication = one(SPEC, OUTPUT, &config(), mode);
    let management = one(
        MANAGEMENT_SPEC,
        MANAGEMENT_OUTPUT,
        &management_config(),
        mode,
    );
    let calls = management_calls(mode);
    authentication.and(management).and(calls)
}

/// The contract test's call of every management operation.
fn management_calls(mode: Mode) -> Result<(), String> {
    let text = std::fs::read_to_string(MANAGEMENT_SPEC)
        .map_err(|e| format!("cannot read {MANAGEMENT_SPEC}: {e}"))?;
    let contents = genauth_codegen::example_calls(
        &text,
        &management_config(),
        "genauth::management::ManagementClient",
        "genauth::management::models",
        "genauth::Error",
    )
    .map_err(|e| format!("{MANAGEMENT_SPEC}: {e}"))?;
    let files = [genauth_codegen::GeneratedFile {
        path: "management_calls.rs".into(),
        contents,
    }];
    let report = write::sync(Path::new(MANAGEMENT_CALLS), &files, MARKER, mode)
        .map_err(|e| format!("cannot update {MANAGEMENT_CALLS}: {e}"))?;
    up_to_date(&report, mode)
}

/// In check mode, files that are not what generation makes are an error,
/// shown as a diff.
fn up_to_date(report: &write::Report, mode: Mode) -> Result<(), String> {
    if mode == Mode::Check && !report.is_up_to_date() {
        return Err(format!(
            "{}\n{} generated file(s) are stale: run `cargo xtask regen` and commit",
            report.diff.trim_end(),
            report.changed.len() + report.removed.len()
        ));
    }
    Ok(())
}

/// Regenerates (or checks) the files of one spec and prints a one-line summary.
fn one(spec: &str, output: &str, config: &Config, mode: Mode) -> Result<(), String> {
    let started = Instant::now();
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {spec}: {e}"))?;
    let generated = genauth_codegen::generate(&text, config).map_err(|e| format!("{spec}: {e}"))?;
    for warning in &generated.warnings {
        eprintln!("{spec}: {warning}");
    }
    let report = write::sync(Path::new(output), &generated.files, MARKER, mode)
        .map_err(|e| format!("cannot update {output}: {e}"))?;
    let millis = started.elapsed().as_millis();
    up_to_date(&report, mode)?;
    match mode {
        Mode::Check => {
            println!(
                "regen --check: {spec}: {} operations, {} types, {} files up to date ({millis} ms)",
                generated.operations, generated.types, report.unchanged
            );
            Ok(())
        }
        Mode::Write => {
            println!(
                "regen: {spec}: {} operations, {} types, {} files written, {} removed, {} unchanged ({millis} ms)",
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
