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

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use genauth_codegen::standalone::{CrateOptions, generate_crate};
use genauth_codegen::write::{Mode, sync};

/// Where injected snippets write their markers, in the hostile specs.
const MARKERS_VARIABLE: &str = "GENAUTH_CODEGEN_MARKERS";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates the crate `name` from `spec` (reading GenAuth's envelope when
/// `envelope`), checks it, and returns the number of operations generated.
fn generate_and_check(spec: &Path, name: &str, envelope: bool) -> usize {
    let text = std::fs::read_to_string(spec).expect("read the spec");
    let options = CrateOptions {
        envelope,
        ..CrateOptions::default()
    };
    let generated = match generate_crate(&text, name, &options) {
        Ok(generated) => generated,
        Err(e) => panic!("{}: {e}", spec.display()),
    };
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("standalone");
    let dir = scratch.join(name);
    // A scratch directory: files an older generator wrote must not linger.
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear the crate's directory");
    }
    sync(&dir, &generated.files, "@generated", Mode::Write).expect("write the crate");
    builds_without_warnings(spec, &dir);
    has_no_doctests(spec, &dir, &scratch.join("markers").join(name));
    generated.operations
}

/// Runs cargo in `dir`, with one target directory for every generated crate
/// so that dependencies build once.
fn cargo(dir: &Path, args: &[&str], markers: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO"));
    command.args(args).current_dir(dir).env(
        "CARGO_TARGET_DIR",
        workspace_root().join("target/standalone"),
    );
    if let Some(markers) = markers {
        command.env(MARKERS_VARIABLE, markers);
    }
    command.output().expect("run cargo")
}

fn builds_without_warnings(spec: &Path, dir: &Path) {
    let output = cargo(dir, &["clippy", "--quiet", "--", "-D", "warnings"], None);
    assert!(
        output.status.success(),
        "the crate generated from {} does not build cleanly:\n{}",
        spec.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs the crate's doctests, which must be none; the generator writes no
/// doctest of its own, so any would come from spec text.
fn has_no_doctests(spec: &Path, dir: &Path, markers: &Path) {
    if markers.exists() {
        std::fs::remove_dir_all(markers).expect("clear the markers");
    }
    std::fs::create_dir_all(markers).expect("create the markers directory");
    let output = cargo(dir, &["test", "--doc"], Some(markers));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ran: Vec<String> = std::fs::read_dir(markers)
        .expect("read the markers")
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .expect("read the markers");
    assert!(
        ran.is_empty(),
        "code from {} ran as doctests: {ran:?}",
        spec.display()
    );
    // `compile_fail` and `ignore` blocks pass or are skipped without
    // running anything, so the doctests are counted as well.
    assert!(
        output.status.success() && stdout.contains("running 0 tests"),
        "the crate generated from {} has doctests:\n{stdout}\n{}",
        spec.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn fixture_crates_build_without_warnings_or_doctests() {
    let fixtures = [
        ("schemas.yaml", "fixture-schemas", 1),
        ("operations.yaml", "fixture-operations", 8),
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
/// types read and write.
#[test]
fn generated_types_behave_as_their_schemas_say() {
    let fixtures = [("openapi-3-1.yaml", "fixture-openapi-3-1", "openapi_3_1.rs")];
    for (file, name, behaviour) in fixtures {
        let generated = generate_and_check(&common::fixture_path(file), name, false);
        assert!(generated > 0, "{file} generated no operation");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("standalone")
            .join(name);
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
