//! Standalone crates generated in a scratch directory and checked: they
//! build without a warning and carry no doctest.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use genauth_codegen::standalone::{CrateOptions, generate_crate};
use genauth_codegen::write::{Mode, sync};

/// Where injected snippets write their markers, in the hostile specs.
const MARKERS_VARIABLE: &str = "GENAUTH_CODEGEN_MARKERS";

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates the crate `name` from `spec` (reading GenAuth's envelope when
/// `envelope`), checks it, and returns the number of operations generated.
pub fn generate_and_check(spec: &Path, name: &str, envelope: bool) -> usize {
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
pub fn cargo(dir: &Path, args: &[&str], markers: Option<&Path>) -> Output {
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
