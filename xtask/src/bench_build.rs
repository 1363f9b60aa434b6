//! `cargo xtask bench build [--runs N] [--baseline REV]…`: how long the
//! generated crates take to compile, ours beside progenitor's, and the
//! `genauth` crate itself, without and with its `management` feature
//! (beside its version at each `REV` given).
//!
//! Each crate is built alone — its dependencies built beforehand in a
//! target directory of the bench's own — in debug and in release, `N` times,
//! the crates taking turns so that a slow moment of the machine touches
//! them all. A build is timed from a touch of the crate's `lib.rs` to the
//! end of `cargo build`; its peak memory is the largest resident set of the
//! processes it ran (cargo and rustc), measured by a child of this command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use genauth_codegen::standalone::{CrateOptions, generate_crate};
use genauth_codegen::write::{Mode, sync};

use crate::regen::workspace_root;

/// The vendor's two specs, by the name the table gives them.
const SPECS: &[(&str, &str)] = &[
    (
        "auth",
        "../shared/upstream/authing-v3-authentication-openapi.json",
    ),
    (
        "mgmt",
        "../shared/upstream/authing-v3-management-openapi.json",
    ),
];

/// A crate the bench builds.
struct Subject {
    label: String,
    /// The directory to run cargo in.
    dir: PathBuf,
    /// Arguments that pick the crate, for a workspace member.
    package: Option<&'static str>,
    /// The crate's features to build with.
    features: Option<&'static str>,
    /// The file touched before each build.
    lib: PathBuf,
    /// A target directory of its own, for a checkout whose path crates
    /// share names with this workspace's (cargo would mix their artifacts).
    own_target: Option<PathBuf>,
}

/// The times and peak memory of one crate in one profile.
#[derive(Default)]
struct Samples {
    times: Vec<Duration>,
    peaks_kb: Vec<u64>,
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let mut runs = 5;
    let mut baselines = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("`{arg}` needs a value"))?;
        match *arg {
            "--runs" => runs = value.parse().map_err(|_| format!("bad --runs `{value}`"))?,
            "--baseline" => baselines.push((*value).to_owned()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    let root = workspace_root();
    let work = root.join("target/bench-build");
    let target = work.join("target");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;

    let mut subjects = Vec::new();
    let progenitor = has_progenitor();
    if !progenitor {
        eprintln!(
            "note: `cargo progenitor` is not installed (`cargo install cargo-progenitor`), so only our crates are built"
        );
    }
    for (name, spec) in SPECS {
        let spec = root.join(spec);
        let Ok(text) = std::fs::read_to_string(&spec) else {
            eprintln!(
                "note: {} is absent; skipping the {name} spec",
                spec.display()
            );
            continue;
        };
        subjects.push(ours(&work, name, &text)?);
        if progenitor {
            match theirs(&work, name, &spec) {
                Ok(subject) => subjects.push(subject),
                Err(e) => eprintln!("note: progenitor could not generate the {name} spec: {e}"),
            }
        }
    }
    subjects.push(Subject {
        label: "genauth".to_owned(),
        dir: root.clone(),
        package: Some("genauth"),
        features: None,
        lib: root.join("generated-client/src/lib.rs"),
        own_target: None,
    });
    subjects.push(Subject {
        label: "genauth + management".to_owned(),
        dir: root.clone(),
        package: Some("genauth"),
        features: Some("management"),
        lib: root.join("generated-client/src/lib.rs"),
        own_target: None,
    });
    for rev in &baselines {
        subjects.push(at_revision(&root, &work, rev)?);
    }

    eprintln!("building dependencies once …");
    for subject in &subjects {
        for release in [false, true] {
            build(subject, &target, release)?;
        }
    }
    let mut samples: Vec<[Samples; 2]> = subjects.iter().map(|_| Default::default()).collect();
    for run in 1..=runs {
        eprintln!("run {run} of {runs} …");
        for (subject, samples) in subjects.iter().zip(&mut samples) {
            for (profile, release) in [false, true].into_iter().enumerate() {
                touch(&subject.lib)?;
                let (time, peak) = build(subject, &target, release)?;
                samples[profile].times.push(time);
                samples[profile].peaks_kb.extend(peak);
            }
        }
    }

    println!(
        "crate-only build, median of {runs} runs (min – max), dependencies built; peak memory is the median"
    );
    println!("| crate | debug (s) | debug peak (MB) | release (s) | release peak (MB) |");
    println!("|---|---|---|---|---|");
    for (subject, samples) in subjects.iter().zip(&mut samples) {
        println!(
            "| {} | {} | {} | {} | {} |",
            subject.label,
            seconds(&mut samples[0].times),
            megabytes(&mut samples[0].peaks_kb),
            seconds(&mut samples[1].times),
            megabytes(&mut samples[1].peaks_kb),
        );
    }
    let median = |label: &str, profile: usize| {
        subjects
            .iter()
            .zip(&samples)
            .find(|(s, _)| s.label == label)
            .and_then(|(_, samples)| median(&samples[profile].times))
    };
    for (name, _) in SPECS {
        for (profile, label) in [(0, "debug"), (1, "release")] {
            let ours = median(&format!("ours {name}"), profile);
            let theirs = median(&format!("progenitor {name}"), profile);
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                println!(
                    "ours / progenitor, {name}, {label}: {:.2}",
                    ours.as_secs_f64() / theirs.as_secs_f64()
                );
            }
        }
    }
    for rev in &baselines {
        for (profile, label) in [(0, "debug"), (1, "release")] {
            if let (Some(now), Some(then)) = (
                median("genauth", profile),
                median(&format!("genauth at {rev}"), profile),
            ) {
                println!(
                    "genauth at {rev} / now, {label}: {:.2}x faster now",
                    then.as_secs_f64() / now.as_secs_f64()
                );
            }
        }
    }
    Ok(())
}

/// Our standalone crate for a vendor spec.
fn ours(work: &Path, name: &str, text: &str) -> Result<Subject, String> {
    let crate_name = format!("ours-{name}");
    let dir = work.join(&crate_name);
    let options = CrateOptions {
        envelope: true,
        ..CrateOptions::default()
    };
    let generated =
        generate_crate(text, &crate_name, &options).map_err(|e| format!("{name}: {e}"))?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    sync(&dir, &generated.files, "@generated", Mode::Write)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    Ok(Subject {
        label: format!("ours {name}"),
        lib: dir.join("src/lib.rs"),
        dir,
        package: None,
        features: None,
        own_target: None,
    })
}

fn has_progenitor() -> bool {
    Command::new(env!("CARGO"))
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Progenitor's crate for a vendor spec.
fn theirs(work: &Path, name: &str, spec: &Path) -> Result<Subject, String> {
    let crate_name = format!("progenitor-{name}");
    let dir = work.join(&crate_name);
    let output = Command::new(env!("CARGO"))
        .args(["progenitor", "-i"])
        .arg(spec)
        .arg("-o")
        .arg(&dir)
        .args(["-n", &crate_name, "-v", "0.1.0"])
        .output()
        .map_err(|e| format!("cannot run cargo progenitor: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().last().unwrap_or("failed").to_owned());
    }
    // A crate of its own, even inside this workspace's directory tree.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    Ok(Subject {
        label: format!("progenitor {name}"),
        lib: dir.join("src/lib.rs"),
        dir,
        package: None,
        features: None,
        own_target: None,
    })
}

/// The `genauth` crate as it was at `rev`, checked out beside the bench.
fn at_revision(root: &Path, work: &Path, rev: &str) -> Result<Subject, String> {
    let tree = work.join(format!("genauth-at-{}", rev.replace(['/', '\\', '.'], "_")));
    if !tree.exists() {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["worktree", "add", "--detach"])
            .arg(&tree)
            .arg(rev)
            .status()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !status.success() {
            return Err(format!("cannot check out {rev}"));
        }
    }
    Ok(Subject {
        label: format!("genauth at {rev}"),
        lib: tree.join("generated-client/src/lib.rs"),
        own_target: Some(tree.join("target")),
        dir: tree,
        package: Some("genauth"),
        features: None,
    })
}

fn touch(path: &Path) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// Builds `subject` once; its wall time, and its peak memory when the
/// measuring child could read it.
fn build(
    subject: &Subject,
    target: &Path,
    release: bool,
) -> Result<(Duration, Option<u64>), String> {
    measured(
        &format!("{} does not build:\n", subject.label),
        Path::new(env!("CARGO")),
        |command| {
            command
                .args(["build", "--quiet"])
                .current_dir(&subject.dir)
                .env(
                    "CARGO_TARGET_DIR",
                    subject.own_target.as_deref().unwrap_or(target),
                );
            if release {
                command.arg("--release");
            }
            if let Some(package) = subject.package {
                command.args(["-p", package]);
            }
            if let Some(features) = subject.features {
                command.args(["--features", features]);
            }
        },
    )
}

/// Runs `program` (with what `set_up` adds) under a child `xtask
/// measure-build`, so that the peak memory measured is that run's alone:
/// its wall time, and its peak resident set in KB when the child could read
/// it. A failure is an error starting with `failed`, followed by its stderr.
pub(crate) fn measured(
    failed: &str,
    program: &Path,
    set_up: impl FnOnce(&mut Command),
) -> Result<(Duration, Option<u64>), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(&exe);
    command.arg("measure-build").arg(program);
    set_up(&mut command);
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{failed}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // The peak is the last line, after whatever the program printed.
    let peak = String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .and_then(|line| line.trim().parse().ok());
    Ok((elapsed, peak))
}

/// `xtask measure-build CMD ARGS…`: runs the command and prints the peak
/// resident set, in KB, of it and every process it waited for.
pub fn measure(args: &[&str]) -> Result<(), String> {
    let (program, rest) = args.split_first().ok_or("measure-build needs a command")?;
    let status = Command::new(program)
        .args(rest)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !status.success() {
        return Err(format!("{program} failed: {status}"));
    }
    println!("{}", children_peak_kb());
    Ok(())
}

#[cfg(unix)]
fn children_peak_kb() -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    // Linux reports kilobytes.
    getrusage(UsageWho::RUSAGE_CHILDREN)
        .map_or(0, |usage| u64::try_from(usage.max_rss()).unwrap_or(0))
}

#[cfg(not(unix))]
fn children_peak_kb() -> u64 {
    0
}

fn median(times: &[Duration]) -> Option<Duration> {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied()
}

fn seconds(times: &mut [Duration]) -> String {
    times.sort();
    match (times.first(), times.get(times.len() / 2), times.last()) {
        (Some(min), Some(median), Some(max)) => format!(
            "**{:.2}** ({:.2} – {:.2})",
            median.as_secs_f64(),
            min.as_secs_f64(),
            max.as_secs_f64()
        ),
        _ => "–".to_owned(),
    }
}

fn megabytes(peaks: &mut [u64]) -> String {
    peaks.sort_unstable();
    match peaks.get(peaks.len() / 2) {
        Some(kb) if *kb > 0 => format!("{:.0}", *kb as f64 / 1024.0),
        _ => "–".to_owned(),
    }
}
