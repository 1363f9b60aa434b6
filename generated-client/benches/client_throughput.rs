//! How fast the client calls a server, beside the same request written by
//! hand with reqwest and serde_json:
//!
//! ```text
//! cargo bench -p genauth --bench client_throughput
//! ```
//!
//! A loopback server (127.0.0.1, this process, release build) answers
//! `sign_in_by_push` (POST, JSON body) and `check_push_code_status` (GET,
//! query) with fixed envelopes. Each case makes its calls at concurrency 1
//! and 64, through `genauth` and through the hand-written call, in rounds
//! that take turns; it prints calls per second (median of the rounds),
//! latency percentiles, and the ratio genauth / hand-written (the median of
//! the ratios of rounds run back to back). The client
//! is built with tracing and a hook, as applications use it; both callers
//! bound each call by the same 10 s timeout.
//!
//! With `--probe CASE CALLER CALLS CONCURRENCY` it makes only those calls:
//! `cargo xtask bench instructions` counts their instructions under
//! callgrind, a measure the machine's noise does not move.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::{get, post};
use genauth::{AttemptOutcome, AuthenticationClient, Hook, RetryPolicy};
use serde::Deserialize;
use tokio::net::TcpListener;

const CALLS: usize = 20_000;
const ROUNDS: usize = 15;
const APP_ID: &str = "bench-app";

const PUSH: &str = r#"{"statusCode":200,"message":"Success","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c","data":{"pushCodeId":"gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX","expireTime":120}}"#;
const STATUS: &str = r#"{"statusCode":200,"message":"Success","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c","data":{"status":"PUSHED"}}"#;

/// A hook that does what a light metrics hook does: count.
struct Counting(std::sync::atomic::AtomicU64);

impl Hook for Counting {
    fn on_response(&self, _: &AttemptOutcome<'_>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// What the hand-written call decodes, as a user would declare it.
#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded to be fair, not read")]
struct Envelope<T> {
    #[serde(rename = "statusCode")]
    status_code: i64,
    message: String,
    data: T,
}

/// The request body, as a user would declare it.
#[derive(serde::Serialize)]
struct SignInByPush {
    account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded to be fair, not read")]
struct PushCode {
    #[serde(rename = "pushCodeId")]
    push_code_id: String,
    #[serde(rename = "expireTime")]
    expire_time: i64,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded to be fair, not read")]
struct Status {
    status: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Case {
    Push,
    Status,
}

#[derive(Clone, Copy, PartialEq)]
enum Caller {
    Genauth,
    Handwritten,
}

#[derive(Clone)]
struct Callers {
    genauth: AuthenticationClient,
    reqwest: reqwest::Client,
    base: Arc<str>,
}

impl Callers {
    async fn call(&self, caller: Caller, case: Case) -> bool {
        match (caller, case) {
            (Caller::Genauth, Case::Push) => self.genauth.sign_in_by_push("ada").await.is_ok(),
            (Caller::Genauth, Case::Status) => {
                self.genauth.check_push_code_status("pc-1").await.is_ok()
            }
            (Caller::Handwritten, Case::Push) => {
                let body = serde_json::to_vec(&SignInByPush {
                    account: "ada".into(),
                    options: None,
                })
                .unwrap_or_default();
                self.handwritten::<PushCode>(
                    self.reqwest
                        .post(format!("{}/api/v3/signin-by-push", self.base))
                        .header("content-type", "application/json")
                        .body(body),
                )
                .await
            }
            (Caller::Handwritten, Case::Status) => {
                self.handwritten::<Status>(
                    self.reqwest
                        .get(format!("{}/api/v3/check-pushcode-status", self.base))
                        .query(&[("pushCodeId", "pc-1")]),
                )
                .await
            }
        }
    }

    async fn handwritten<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> bool {
        let Ok(response) = request
            .header("x-genauth-app-id", APP_ID)
            .header("x-genauth-sdk-version", "bench")
            .send()
            .await
        else {
            return false;
        };
        let Ok(body) = response.bytes().await else {
            return false;
        };
        serde_json::from_slice::<Envelope<T>>(&body).is_ok_and(|e| e.status_code == 200)
    }
}

/// Makes `calls` calls with `concurrency` at a time; the calls per second
/// and each call's latency.
async fn round(
    callers: &Callers,
    caller: Caller,
    case: Case,
    concurrency: usize,
    calls: usize,
) -> (f64, Vec<Duration>) {
    let per_task = calls / concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let callers = callers.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let begun = Instant::now();
                    assert!(callers.call(caller, case).await, "a call failed");
                    latencies.push(begun.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for task in tasks {
        latencies.extend(task.await.unwrap_or_default());
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    (rate, latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let probe = match args.iter().position(|a| a == "--probe") {
        Some(at) => Some(Probe::parse(args.get(at + 1..).unwrap_or_default())?),
        None => None,
    };
    let runtime = match &probe {
        Some(probe) if probe.concurrency == 1 => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
        _ => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?,
    };
    match probe {
        Some(probe) => runtime.block_on(probe.run()),
        None => runtime.block_on(throughput()),
    }
}

/// One case through one caller, untimed: what `cargo xtask bench
/// instructions` runs under callgrind, twice with different numbers of
/// calls, to count the instructions of one call. One call at a time runs on
/// one thread; more run on the two worker threads the throughput rounds use.
struct Probe {
    case: Case,
    caller: Caller,
    calls: usize,
    concurrency: usize,
}

impl Probe {
    /// `--probe push|status genauth|hand-written CALLS CONCURRENCY`.
    fn parse(args: &[String]) -> Result<Self, String> {
        let usage = "--probe push|status genauth|hand-written CALLS CONCURRENCY";
        let [case, caller, calls, concurrency] = args else {
            return Err(usage.to_owned());
        };
        let case = match case.as_str() {
            "push" => Case::Push,
            "status" => Case::Status,
            _ => return Err(usage.to_owned()),
        };
        let caller = match caller.as_str() {
            "genauth" => Caller::Genauth,
            "hand-written" => Caller::Handwritten,
            _ => return Err(usage.to_owned()),
        };
        let calls = calls.parse().map_err(|_| usage.to_owned())?;
        let concurrency: usize = concurrency.parse().map_err(|_| usage.to_owned())?;
        if concurrency == 0 || calls % concurrency != 0 {
            return Err(format!("{usage}: CALLS must be a multiple of CONCURRENCY"));
        }
        Ok(Self {
            case,
            caller,
            calls,
            concurrency,
        })
    }

    async fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        let callers = callers().await?;
        // Warm the connections and every lazily made part of both stacks.
        round(
            &callers,
            self.caller,
            self.case,
            self.concurrency,
            2 * self.concurrency.max(64),
        )
        .await;
        round(
            &callers,
            self.caller,
            self.case,
            self.concurrency,
            self.calls,
        )
        .await;
        Ok(())
    }
}

/// The loopback server, and both callers of it.
async fn callers() -> Result<Callers, Box<dyn std::error::Error>> {
    let app = Router::new()
        .route(
            "/api/v3/signin-by-push",
            post(|| async { ([("content-type", "application/json")], PUSH) }),
        )
        .route(
            "/api/v3/check-pushcode-status",
            get(|| async { ([("content-type", "application/json")], STATUS) }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base: Arc<str> = format!("http://{}", listener.local_addr()?).into();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let genauth = AuthenticationClient::builder()
        .app_id(APP_ID)
        .app_host(&*base)
        .allow_plain_http(true)
        .retry(RetryPolicy::never())
        .hook(Counting(Default::default()))
        // As the builder's documentation advises for 64 calls at a time;
        // reqwest's own client keeps every idle connection.
        .max_idle_connections(64)
        .build()?;
    let reqwest = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    Ok(Callers {
        genauth,
        reqwest,
        base,
    })
}

async fn throughput() -> Result<(), Box<dyn std::error::Error>> {
    let callers = callers().await?;
    println!("{CALLS} calls a round, median of {ROUNDS} rounds; latency over all rounds");
    println!(
        "| case | concurrency | caller | calls/s | p50 (µs) | p99 (µs) | genauth / hand-written |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (case, name) in [
        (Case::Push, "sign_in_by_push"),
        (Case::Status, "check_push_code_status"),
    ] {
        for concurrency in [1, 64] {
            // Warm both: connections, caches.
            for caller in [Caller::Genauth, Caller::Handwritten] {
                round(&callers, caller, case, concurrency, CALLS).await;
            }
            let mut results = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
            // Each round runs both callers back to back, in turns first, and
            // gives one ratio: a slow moment of the machine touches both
            // halves of a pair, and the median of the pairs' ratios is
            // steadier than the ratio of two medians.
            let mut ratios = Vec::with_capacity(ROUNDS);
            for turn in 0..ROUNDS {
                let mut order = [(0, Caller::Genauth), (1, Caller::Handwritten)];
                if turn % 2 == 1 {
                    order.reverse();
                }
                let mut pair = [0.0; 2];
                for (index, caller) in order {
                    let (rate, latencies) = round(&callers, caller, case, concurrency, CALLS).await;
                    pair[index] = rate;
                    results[index].0.push(rate);
                    results[index].1.extend(latencies);
                }
                ratios.push(pair[0] / pair[1]);
            }
            ratios.sort_by(f64::total_cmp);
            for (index, label) in ["genauth", "hand-written"].into_iter().enumerate() {
                let (rates, latencies) = &mut results[index];
                rates.sort_by(f64::total_cmp);
                latencies.sort();
                let median = rates[ROUNDS / 2];
                let ratio = if index == 0 {
                    String::new()
                } else {
                    format!("{:.2}", ratios[ROUNDS / 2])
                };
                println!(
                    "| {name} | {concurrency} | {label} | {:.0} | {} | {} | {ratio} |",
                    median,
                    percentile(latencies, 0.5).as_micros(),
                    percentile(latencies, 0.99).as_micros(),
                );
            }
        }
    }
    Ok(())
}
