//! One spec through the generator, in this process: a crate written to disk,
//! its diagnostics counted by kind and kept in full beside it.

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use genauth_codegen::standalone::{CrateOptions, generate_crate};
use genauth_codegen::write::{self, Mode};
use genauth_codegen::{Diagnostic, GeneratedFile, Severity};

use super::categorise;
use super::table::{Kinds, Outcome};

/// Generates the crate `name` from `text` into `dir`, and writes every
/// diagnostic to `log`. A crate that is not generated leaves no directory.
pub fn crate_from(text: &str, name: &str, dir: &Path, log: &Path) -> Outcome {
    let options = CrateOptions::default();
    // The generator must never panic on a spec; when it does, that is a
    // finding for this spec's row, not the end of the run.
    let result = catch_unwind(AssertUnwindSafe(|| generate_crate(text, name, &options)));
    let (outcome, diagnostics) = match result {
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            (Outcome::Panicked(message), Vec::new())
        }
        Ok(Err(error)) => {
            let errors = kinds(&error.diagnostics, Severity::Error);
            let warnings = kinds(&error.diagnostics, Severity::Warning);
            (Outcome::Refused { errors, warnings }, error.diagnostics)
        }
        Ok(Ok(mut generated)) => {
            for file in &mut generated.files {
                if file.path == Path::new("Cargo.toml") {
                    in_workspace(file);
                }
            }
            if let Err(e) = write::sync(dir, &generated.files, "@generated", Mode::Write) {
                let outcome = Outcome::Panicked(format!("cannot write {}: {e}", dir.display()));
                return logged(outcome, &generated.warnings, log);
            }
            let outcome = Outcome::Generated {
                operations: generated.operations,
                types: generated.types,
                warnings: kinds(&generated.warnings, Severity::Warning),
            };
            return logged(outcome, &generated.warnings, log);
        }
    };
    let _ = std::fs::remove_dir_all(dir);
    logged(outcome, &diagnostics, log)
}

/// The diagnostics of `severity`, counted by kind.
fn kinds(diagnostics: &[Diagnostic], severity: Severity) -> Kinds {
    let mut kinds = Kinds::new();
    for diagnostic in diagnostics.iter().filter(|d| d.severity == severity) {
        *kinds
            .entry(categorise::kind(&diagnostic.message))
            .or_default() += 1;
    }
    kinds
}

/// Writes each diagnostic to `log`, with its kind, and passes `outcome` on.
fn logged(outcome: Outcome, diagnostics: &[Diagnostic], log: &Path) -> Outcome {
    let mut text = String::new();
    if let Outcome::Panicked(message) = &outcome {
        let _ = writeln!(text, "panic: {message}");
    }
    for diagnostic in diagnostics {
        let _ = writeln!(
            text,
            "[{}] {diagnostic}",
            categorise::kind(&diagnostic.message)
        );
    }
    let _ = std::fs::write(log, text);
    outcome
}

/// A standalone crate's manifest is a workspace of its own; the checked crates
/// of the corpus share one workspace instead, so that their dependencies are
/// resolved and built once.
fn in_workspace(manifest: &mut GeneratedFile) {
    let kept: Vec<&str> = manifest
        .contents
        .lines()
        .filter(|line| line.trim() != "[workspace]")
        .collect();
    manifest.contents = kept.join("\n") + "\n";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("corpus-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn a_generated_crate_joins_the_corpus_workspace() {
        let dir = scratch("generated");
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";
        let outcome = crate_from(spec, "tiny", &dir.join("tiny"), &dir.join("tiny.txt"));
        assert!(
            matches!(outcome, Outcome::Generated { operations: 1, .. }),
            "{outcome:?}"
        );
        let manifest = std::fs::read_to_string(dir.join("tiny/Cargo.toml")).unwrap_or_default();
        assert!(manifest.contains("name = \"tiny\""), "{manifest}");
        assert!(!manifest.contains("[workspace]"), "{manifest}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_refused_spec_is_counted_and_logged_and_leaves_no_crate() {
        let dir = scratch("refused");
        let crate_dir = dir.join("old");
        let _ = std::fs::create_dir_all(&crate_dir);
        let spec = "[]";
        let outcome = crate_from(spec, "old", &crate_dir, &dir.join("old.txt"));
        assert_eq!(
            outcome,
            Outcome::Refused {
                errors: Kinds::from([("invalid document", 1)]),
                warnings: Kinds::new()
            }
        );
        assert!(!crate_dir.exists());
        let log = std::fs::read_to_string(dir.join("old.txt")).unwrap_or_default();
        assert!(
            log.starts_with("[invalid document] error at the document root"),
            "{log}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn warnings_are_counted_by_kind() {
        let at = genauth_codegen::Pointer::root();
        let diagnostics = [
            Diagnostic::warning(
                at.clone(),
                "cookie parameters are not supported; this optional one is left out",
            ),
            Diagnostic::warning(
                at.clone(),
                "cookie parameters are not supported; this optional one is left out",
            ),
            Diagnostic::warning(
                at.clone(),
                "only the `form` query style is supported; the parameter is sent as `form`",
            ),
            Diagnostic::error(
                at,
                "these references form a loop and never reach a definition",
            ),
        ];
        assert_eq!(
            kinds(&diagnostics, Severity::Warning),
            Kinds::from([("cookie parameter", 2), ("query style", 1)])
        );
    }
}
