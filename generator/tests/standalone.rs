//! Standalone crates generated from specs must build without a warning:
//! the fixture specs always, and the vendor's real authentication
//! (107 operations) and management (425 operations) specs when
//! `../shared/upstream/` is present. Each crate is checked with
//! `cargo clippy -- -D warnings`, which fails on any compiler or clippy
//! warning.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use genauth_codegen::standalone::generate_crate;
use genauth_codegen::write::{Mode, sync};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates the crate `name` from `spec` and runs clippy on it; returns
/// the number of operations generated.
fn generate_and_check(spec: &Path, name: &str) -> usize {
    let text = std::fs::read_to_string(spec).expect("read the spec");
    let generated = match generate_crate(&text, name) {
        Ok(generated) => generated,
        Err(e) => panic!("{}: {e}", spec.display()),
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("standalone")
        .join(name);
    sync(&dir, &generated.files, "@generated", Mode::Write).expect("write the crate");
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--", "-D", "warnings"])
        .current_dir(&dir)
        // One target directory for every generated crate, so dependencies build once.
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/standalone"),
        )
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "the crate generated from {} does not build cleanly:\n{}",
        spec.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    generated.operations
}

#[test]
fn fixture_crates_build_without_warnings() {
    assert_eq!(
        generate_and_check(&common::fixture_path("schemas.yaml"), "fixture-schemas"),
        1
    );
    assert_eq!(
        generate_and_check(
            &common::fixture_path("operations.yaml"),
            "fixture-operations"
        ),
        8
    );
}

#[test]
fn upstream_crates_build_without_warnings() {
    let upstream = workspace_root().join("../shared/upstream");
    if !upstream.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent, so the vendor's specs cannot be generated and built",
            upstream.display()
        );
        return;
    }
    let authentication = generate_and_check(
        &upstream.join("authing-v3-authentication-openapi.json"),
        "authing-authentication",
    );
    assert_eq!(authentication, 107);
    let management = generate_and_check(
        &upstream.join("authing-v3-management-openapi.json"),
        "authing-management",
    );
    assert_eq!(management, 425);
}
