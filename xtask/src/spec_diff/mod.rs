//! `cargo xtask spec-diff`: what a change to the spec does to the API and to
//! code using the `genauth` crate, and a gate that fails when a breaking
//! change comes without the version bump semver asks for.
//!
//! By default the spec in the working tree is compared with its previous
//! version: the last committed one if the working tree changes it, otherwise
//! the one before the last commit that touched `specs/`. `--spec FILE`
//! compares another spec than the authentication API's, such as
//! `specs/genauth-v3-management.yaml`.

mod changes;
mod report;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

pub use changes::{Category, Change, changes};

use crate::regen::{SPEC, workspace_root};

/// The manifest whose version the gate reads.
const MANIFEST: &str = "generated-client/Cargo.toml";

/// Options of the command.
#[derive(Debug, Default)]
struct Options {
    /// The spec compared: ours of the authentication API unless `--spec` says otherwise.
    spec: Option<String>,
    base: Option<String>,
    base_file: Option<String>,
    head_file: Option<String>,
    base_version: Option<String>,
    head_version: Option<String>,
    json: bool,
}

/// One side of the comparison.
struct Side {
    label: String,
    spec: Value,
    version: Option<Version>,
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let options = parse_args(args)?;
    std::env::set_current_dir(workspace_root())
        .map_err(|e| format!("cannot enter the workspace: {e}"))?;
    let Some((base, head)) = sides(&options)? else {
        return Ok(());
    };
    let changes = changes(&base.spec, &head.spec);
    let verdict = Verdict::new(&changes, base.version, head.version);
    if options.json {
        println!(
            "{}",
            report::json(&base.label, &head.label, &changes, &verdict)
        );
    } else {
        print!(
            "{}",
            report::markdown(&base.label, &head.label, &changes, &verdict)
        );
    }
    if verdict.passes() {
        Ok(())
    } else {
        Err(format!(
            "spec-diff: breaking changes need genauth {} or later (generated-client/Cargo.toml says {})",
            verdict.required.map(|v| v.to_string()).unwrap_or_default(),
            verdict
                .head
                .map(|v| v.to_string())
                .unwrap_or_else(|| "no version".into()),
        ))
    }
}

fn parse_args(args: &[&str]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || {
            rest.next()
                .map(|v| (*v).to_owned())
                .ok_or_else(|| format!("`{arg}` needs a value"))
        };
        match *arg {
            "--spec" => options.spec = Some(value()?),
            "--base" => options.base = Some(value()?),
            "--base-file" => options.base_file = Some(value()?),
            "--head-file" => options.head_file = Some(value()?),
            "--base-version" => options.base_version = Some(value()?),
            "--head-version" => options.head_version = Some(value()?),
            "--format" => match value()?.as_str() {
                "json" => options.json = true,
                "markdown" => options.json = false,
                other => return Err(format!("unknown format `{other}`: use markdown or json")),
            },
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if options.base.is_some() && options.base_file.is_some() {
        return Err("give either --base or --base-file, not both".to_owned());
    }
    Ok(options)
}

/// The two specs to compare; `None` (after saying why) when there is no
/// earlier version.
fn sides(options: &Options) -> Result<Option<(Side, Side)>, String> {
    let spec = options.spec.as_deref().unwrap_or(SPEC);
    let head_text = match &options.head_file {
        Some(file) => read(file)?,
        None => read(spec)?,
    };
    let working_version = version_in(&read(MANIFEST)?);
    let head = Side {
        label: options
            .head_file
            .clone()
            .unwrap_or_else(|| format!("{spec} (working tree)")),
        spec: parse_spec(&head_text, "the new spec")?,
        version: options
            .head_version
            .as_deref()
            .map(Version::parse)
            .transpose()?
            .or(working_version),
    };
    let (label, base_text, base_version) = match (&options.base_file, &options.base) {
        (Some(file), _) => {
            let version = options
                .base_version
                .as_deref()
                .map(Version::parse)
                .transpose()?
                .or(working_version);
            (file.clone(), read(file)?, version)
        }
        (None, base) => {
            let rev = match base {
                Some(rev) => rev.clone(),
                None => match previous_version(spec)? {
                    Some(rev) => rev,
                    None => {
                        println!(
                            "spec-diff: {spec} has no earlier committed version; nothing to compare"
                        );
                        return Ok(None);
                    }
                },
            };
            let text = git(&["show", &format!("{rev}:{spec}")]).unwrap_or_default();
            let manifest = git(&["show", &format!("{rev}:{MANIFEST}")]).unwrap_or_default();
            let version = options
                .base_version
                .as_deref()
                .map(Version::parse)
                .transpose()?
                .or(version_in(&manifest));
            (format!("{spec} at {rev}"), text, version)
        }
    };
    let base_spec = if base_text.trim().is_empty() {
        Value::Null
    } else {
        parse_spec(&base_text, "the old spec")?
    };
    Ok(Some((
        Side {
            label,
            spec: base_spec,
            version: base_version,
        },
        head,
    )))
}

/// The commit holding the spec's previous version.
fn previous_version(spec: &str) -> Result<Option<String>, String> {
    if git(&["rev-parse", "--git-dir"]).is_none() {
        return Err("not in a git checkout; give --base-file and --head-file".to_owned());
    }
    // Uncommitted changes to the spec: compare with the last commit.
    let dirty = Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", spec])
        .status()
        .map(|s| !s.success())
        .unwrap_or(false);
    if dirty {
        return Ok(Some("HEAD".to_owned()));
    }
    let Some(last) =
        git(&["log", "-n", "1", "--format=%H", "--", "specs/"]).filter(|s| !s.is_empty())
    else {
        return Ok(None);
    };
    let short = last.get(..12).unwrap_or(&last);
    let parent = format!("{short}^");
    Ok(git(&["rev-parse", "--verify", "--quiet", &parent]).map(|_| parent))
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(Path::new(path)).map_err(|e| format!("cannot read {path}: {e}"))
}

fn parse_spec(text: &str, what: &str) -> Result<Value, String> {
    serde_yaml::from_str(text).map_err(|e| format!("{what} is not YAML or JSON: {e}"))
}

/// A crate version, as far as semver compatibility goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(text: &str) -> Result<Self, String> {
        // A pre-release or build suffix does not change what the gate needs.
        let core = text.trim().split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<u64> = core
            .split('.')
            .map(|n| n.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("`{text}` is not a version"))?;
        match numbers.as_slice() {
            [major, minor, patch] => Ok(Self {
                major: *major,
                minor: *minor,
                patch: *patch,
            }),
            _ => Err(format!("`{text}` is not a MAJOR.MINOR.PATCH version")),
        }
    }

    /// The smallest version that may carry breaking changes after this one.
    pub fn next_breaking(self) -> Self {
        if self.major == 0 {
            Self {
                major: 0,
                minor: self.minor + 1,
                patch: 0,
            }
        } else {
            Self {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            }
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The `version` of the `[package]` table of a Cargo manifest.
fn version_in(manifest: &str) -> Option<Version> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        let value = line
            .strip_prefix("version")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='));
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let (true, Some(value)) = (in_package, value) {
            return Version::parse(value.trim().trim_matches('"')).ok();
        }
    }
    None
}

/// Whether the changes may land with the crate's version as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub breaking: usize,
    pub non_breaking: usize,
    pub base: Option<Version>,
    pub head: Option<Version>,
    /// The least version the head must have, when breaking changes demand a bump.
    pub required: Option<Version>,
}

impl Verdict {
    pub fn new(changes: &[Change], base: Option<Version>, head: Option<Version>) -> Self {
        let breaking = changes.iter().filter(|c| c.breaking).count();
        Self {
            breaking,
            non_breaking: changes.len() - breaking,
            base,
            head,
            required: (breaking > 0)
                .then(|| base.map(Version::next_breaking))
                .flatten(),
        }
    }

    pub fn passes(&self) -> bool {
        match (self.required, self.head) {
            (None, _) => true,
            (Some(required), Some(head)) => head >= required,
            (Some(_), None) => false,
        }
    }
}

#[cfg(test)]
mod tests;
