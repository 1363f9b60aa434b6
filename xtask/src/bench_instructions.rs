//! `cargo xtask bench instructions`: the instructions one call costs,
//! through `genauth` and through the same request written by hand with
//! reqwest and serde_json, counted by callgrind.
//!
//! Throughput on a shared machine moves by several percent from one run to
//! the next; an instruction count does not. The client bench's probe mode
//! (`--probe CASE CALLER CALLS CONCURRENCY`) makes calls against its
//! loopback server, on one thread or on the throughput rounds' two; run
//! with two numbers of calls, the difference of the totals over the
//! difference of the calls is the cost of one call, with start-up, warm-up
//! and the server's set-up taken out. The server's share of a call is in
//! both callers' counts alike. Callgrind runs one thread at a time, so what
//! concurrency costs in contention between cores is not in the count.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::regen::workspace_root;

const CASES: &[(&str, &str)] = &[
    ("push", "sign_in_by_push"),
    ("status", "check_push_code_status"),
];
const CONCURRENCY: &[u64] = &[1, 64];
/// Multiples of every concurrency.
const FEW: u64 = 1_280;
const MANY: u64 = 3_840;

pub fn run(args: &[&str]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("bench instructions takes no arguments".to_owned());
    }
    let has_valgrind = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_valgrind {
        return Err("bench instructions needs valgrind (apt install valgrind)".to_owned());
    }
    let root = workspace_root();
    let bench = build_bench(&root)?;
    let out = root.join("target/bench-instructions");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;

    println!("instructions per call (callgrind; client and loopback server together)");
    println!("| case | concurrency | genauth | hand-written | genauth / hand-written |");
    println!("|---|---|---|---|---|");
    for (case, name) in CASES {
        for &concurrency in CONCURRENCY {
            let per_call = |caller: &str| -> Result<u64, String> {
                let run = |calls| collected(&bench, &out, case, caller, calls, concurrency);
                let spent = run(MANY)?.checked_sub(run(FEW)?).ok_or_else(|| {
                    format!("{case} through {caller}: more calls counted fewer instructions")
                })?;
                Ok(spent / (MANY - FEW))
            };
            let ours = per_call("genauth")?;
            let theirs = per_call("hand-written")?;
            println!(
                "| {name} | {concurrency} | {ours} | {theirs} | {:.3} |",
                ours as f64 / theirs as f64
            );
        }
    }
    Ok(())
}

/// Builds the client bench in its release profile; the path of its binary.
fn build_bench(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "bench",
            "-p",
            "genauth",
            "--bench",
            "client_throughput",
            "--no-run",
            "--message-format=json",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "building the client bench failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "client_throughput")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo built no client_throughput binary".to_owned())
}

/// The instructions callgrind counts for `calls` calls, `concurrency` at a
/// time (plus start-up and warm-up).
fn collected(
    bench: &Path,
    out: &Path,
    case: &str,
    caller: &str,
    calls: u64,
    concurrency: u64,
) -> Result<u64, String> {
    let profile = out.join(format!("{case}-{caller}-{calls}-{concurrency}.out"));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(bench)
        .args(["--probe", case, caller])
        .args([calls.to_string(), concurrency.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "{case} through {caller} failed under callgrind:\n{log}"
        ));
    }
    // `==PID== Collected : 348216466`
    log.lines()
        .find_map(|line| line.split_once("Collected :"))
        .and_then(|(_, count)| count.trim().parse().ok())
        .ok_or_else(|| format!("callgrind printed no count for {case} through {caller}:\n{log}"))
}
