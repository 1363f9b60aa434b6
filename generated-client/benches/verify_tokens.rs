//! How many tokens a warm client verifies per second, offline:
//!
//! ```text
//! cargo bench -p genauth --bench verify_tokens
//! ```
//!
//! Verifies the same RS256 access token and ID token against a stand-in's
//! keys, fetched once before timing starts, in rounds; prints the median
//! and the spread of the rounds, and checks that no request reached the
//! server while timing.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use genauth::AuthenticationClient;
use genauth_standin::{Config, StandIn};
use serde_json::json;

const ROUNDS: usize = 9;
const PER_ROUND: usize = 2_000;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let standin = StandIn::start(Config::default()).await?;
    let client = AuthenticationClient::builder()
        .app_id(standin.app_id())
        .app_host(standin.url())
        .allow_plain_http(true)
        .build()?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let claims = json!({ "iss": standin.issuer(), "aud": standin.app_id(), "sub": "u-1",
        "iat": now, "exp": now + 3600, "nonce": "n-1", "name": "Ada", "scope": "openid profile" });
    let token = standin.sign(claims);
    client.parse_access_token(&token).await?;
    let requests_before = standin.requests().len();

    println!(
        "{:<14} {:>16} {:>12} {:>22}",
        "token", "verifications/s", "µs each", "min – max (per s)"
    );
    for kind in ["access token", "ID token"] {
        let mut rates = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let started = Instant::now();
            for _ in 0..PER_ROUND {
                match kind {
                    "access token" => drop(client.parse_access_token(&token).await?),
                    _ => drop(client.parse_id_token(&token, Some("n-1")).await?),
                }
            }
            rates.push(PER_ROUND as f64 / started.elapsed().as_secs_f64());
        }
        rates.sort_by(f64::total_cmp);
        let median = rates[ROUNDS / 2];
        let each = Duration::from_secs_f64(1.0 / median);
        println!(
            "{kind:<14} {median:>16.0} {:>12.1} {:>10.0} – {:<10.0}",
            each.as_secs_f64() * 1e6,
            rates[0],
            rates[ROUNDS - 1]
        );
    }
    let made = standin.requests().len() - requests_before;
    println!("\nrequests to the server while timing: {made}");
    if made != 0 {
        return Err("a warm cache must verify without a network call".into());
    }
    Ok(())
}
