//! Standalone crates generated from specs must build without a warning and
//! must carry no doctest: spec text is documentation, never code. Crates are
//! generated from the fixture specs (the hostile ones among them full of
//! injected code blocks and of names Rust or the generated code already
//! uses), from the workspace's own spec and, when `../shared/upstream/` is
//! present, from the vendor's real authentication (107 operations) and
//! management (425 operations) specs. Each crate is checked with
//! `cargo clippy -- -D warnings`, which fails on any compiler or clippy
//! warning, and with `cargo test --doc`, which must find no doctest and run
//! nothing: every snippet injected into the hostile specs writes a marker
//! file, or fails to compile, should it ever become a doctest.

mod common;

use std::path::Path;
use std::process::Command;

use common::crates::{cargo, generate_and_check, workspace_root};

#[test]
fn fixture_crates_build_without_warnings_or_doctests() {
    let fixtures = [
        ("schemas.yaml", "fixture-schemas", 1),
        ("operations.yaml", "fixture-operations", 9),
        ("hostile-names.yaml", "fixture-hostile-names", 28),
        ("hostile-text.yaml", "fixture-hostile-text", 1),
    ];
    for (file, name, operations) in fixtures {
        let generated = generate_and_check(&common::fixture_path(file), name, false);
        assert_eq!(generated, operations, "{file}");
    }
    let own = workspace_root().join("specs/genauth-v3.yaml");
    assert_eq!(generate_and_check(&own, "genauth-v3", true), 86);
}

/// A crate's own tests, from `tests/behaviour/`, run inside it: what its
/// types read and write, and what its calls send and receive on the wire
/// (against wiremock on 127.0.0.1, added as a dev-dependency of the copy).
#[test]
fn generated_crates_behave_as_their_specs_say() {
    let fixtures = [
        ("openapi-3-1.yaml", "fixture-openapi-3-1", "openapi_3_1.rs"),
        ("bodies.yaml", "wire-bodies", "bodies_wire.rs"),
        (
            "query-styles.yaml",
            "wire-query-styles",
            "query_styles_wire.rs",
        ),
    ];
    for (file, name, behaviour) in fixtures {
        let generated = generate_and_check(&common::fixture_path(file), name, false);
        assert!(generated > 0, "{file} generated no operation");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("standalone")
            .join(name);
        let manifest = dir.join("Cargo.toml");
        let mut toml = std::fs::read_to_string(&manifest).expect("read the manifest");
        toml.push_str(
            "\n[dev-dependencies]\nwiremock = \"0.6\"\n\
             tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
        );
        std::fs::write(&manifest, toml).expect("write the manifest");
        let tests = dir.join("tests");
        std::fs::create_dir_all(&tests).expect("create the crate's tests directory");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/behaviour")
            .join(behaviour);
        std::fs::copy(&source, tests.join("behaviour.rs")).expect("copy the behaviour tests");
        let output = cargo(&dir, &["test", "--quiet", "--test", "behaviour"], None);
        assert!(
            output.status.success(),
            "the behaviour tests of the crate generated from {file} fail:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn upstream_crates_build_without_warnings_or_doctests() {
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
        true,
    );
    assert_eq!(authentication, 107);
    let management = generate_and_check(
        &upstream.join("authing-v3-management-openapi.json"),
        "authing-management",
        true,
    );
    assert_eq!(management, 425);
}

/// The `genauth` crate itself: of the doctests `cargo test --doc` lists for
/// the workspace (the hand-written examples), none is in the generated code.
#[test]
fn genauth_has_no_doctests_from_its_spec() {
    // The whole workspace, so that features resolve as in `cargo test
    // --workspace` and nothing is built again.
    let output = Command::new(env!("CARGO"))
        .args(["test", "--doc", "--workspace", "--", "--list"])
        .current_dir(workspace_root())
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cannot list the doctests:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: Vec<&str> = stdout.lines().filter(|l| l.ends_with(": test")).collect();
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("generated-client/src/")),
        "the hand-written examples of `genauth` are not listed, so the listing is not what it seems:\n{stdout}"
    );
    let generated: Vec<&&str> = listed
        .iter()
        .filter(|l| l.starts_with("generated-client/src/generated/"))
        .collect();
    assert!(
        generated.is_empty(),
        "doctests in the generated code: {generated:#?}"
    );
}
