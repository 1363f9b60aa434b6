//! `cargo check` of generated crates, one after another, in one workspace
//! with one target directory so that their dependencies are built once.

use std::path::Path;
use std::process::Command;

use super::table::Check;

/// Lists `names` (crates under `crates`) as the members of a workspace in
/// `crates`, so that they share one lock file.
pub fn workspace(crates: &Path, names: &[&str]) -> Result<(), String> {
    let members: Vec<String> = names.iter().map(|n| format!("    \"{n}\",\n")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: the generated crates it checks.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
        members.concat()
    );
    let path = crates.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Checks the crate `name` of the workspace in `crates`, building into
/// `target`, and writes what the compiler said to `log`.
pub fn one(crates: &Path, target: &Path, name: &str, log: &Path) -> Check {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .arg("check")
        .arg("--manifest-path")
        .arg(crates.join("Cargo.toml"))
        .args(["--package", name, "--message-format", "json"])
        .env("CARGO_TARGET_DIR", target)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            let _ = std::fs::write(log, format!("cannot run cargo: {e}"));
            return Check::Checked {
                passed: false,
                warnings: 0,
            };
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let messages = compiler_messages(&stdout, name);
    let warnings = messages.iter().filter(|m| m.warning).count();
    let mut text: String = messages.iter().map(|m| m.rendered.as_str()).collect();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::write(log, text);
    Check::Checked {
        passed: output.status.success(),
        warnings,
    }
}

/// A diagnostic of the compiler about the checked crate.
#[derive(Debug, PartialEq, Eq)]
struct Message {
    warning: bool,
    rendered: String,
}

/// The compiler's messages about the package `name` in cargo's JSON output,
/// less the closing count ("3 warnings emitted"), which is no finding. The
/// package is known by its directory (a path package's id is
/// `path+file:///…/crates/NAME#0.1.0`) and its library's name, so that a
/// dependency of the same name is not taken for it.
fn compiler_messages(json_lines: &str, name: &str) -> Vec<Message> {
    let directory = format!("/{name}#");
    let library = name.replace('-', "_");
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["reason"] == "compiler-message")
        .filter(|v| {
            v["package_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("path+") && id.contains(&directory))
                && v["target"]["name"].as_str() == Some(&library)
        })
        .filter_map(|v| {
            let message = &v["message"];
            let level = message["level"].as_str()?;
            let is_count = message["spans"].as_array().is_some_and(Vec::is_empty)
                && message["children"].as_array().is_some_and(Vec::is_empty)
                && message["message"]
                    .as_str()
                    .is_some_and(|m| m.ends_with(" emitted"));
            (!is_count).then(|| Message {
                warning: level == "warning",
                rendered: message["rendered"].as_str().unwrap_or_default().to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(package: &str, level: &str, message: &str, spans: &str) -> String {
        let target = package.replace('-', "_");
        format!(
            r#"{{"reason":"compiler-message","package_id":"path+file:///x/crates/{package}#0.1.0","target":{{"kind":["lib"],"name":"{target}"}},"message":{{"level":"{level}","message":"{message}","spans":{spans},"children":[],"rendered":"{level}: {message}\n"}}}}"#
        )
    }

    #[test]
    fn counts_the_warnings_of_the_checked_crate_only() {
        let span = r#"[{"file_name":"src/lib.rs"}]"#;
        let output = [
            line("genauth-runtime", "warning", "unused import", span),
            line("stripe", "warning", "from the registry", span).replace(
                "path+file:///x/crates/stripe#0.1.0",
                "registry+https://x/crates.io-index#stripe@1.0.0",
            ),
            line("stripe", "warning", "unused variable: `x`", span),
            line("stripe", "warning", "dead code", span),
            line("stripe", "warning", "2 warnings emitted", "[]"),
            line("stripe", "error", "mismatched types", span),
            r#"{"reason":"compiler-artifact","target":{"name":"stripe"}}"#.to_owned(),
            "not json".to_owned(),
        ]
        .join("\n");
        let messages = compiler_messages(&output, "stripe");
        assert_eq!(messages.iter().filter(|m| m.warning).count(), 2);
        assert_eq!(messages.len(), 3);
        assert_eq!(messages[2].rendered, "error: mismatched types\n");
    }

    #[test]
    fn a_kebab_case_crate_is_matched_by_its_target_name() {
        let output = line(
            "docker-engine",
            "warning",
            "unused",
            r#"[{"file_name":"a"}]"#,
        );
        assert_eq!(compiler_messages(&output, "docker-engine").len(), 1);
    }

    #[test]
    fn the_workspace_lists_the_crates() {
        let dir = std::env::temp_dir().join(format!("corpus-workspace-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        assert_eq!(workspace(&dir, &["a", "b-c"]), Ok(()));
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
        assert!(
            manifest.ends_with(
                "[workspace]\nresolver = \"3\"\nmembers = [\n    \"a\",\n    \"b-c\",\n]\n"
            ),
            "{manifest}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
