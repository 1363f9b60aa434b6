//! `cargo xtask-release bench`: how long generation takes, per stage, for our
//! spec and the vendor's two, side by side in one run.

use std::time::{Duration, Instant};

use genauth_codegen::{check, generate, parse::parse};

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
    for (label, path) in specs {
        let Ok(text) = std::fs::read_to_string(&path) else {
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
    Ok(())
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
