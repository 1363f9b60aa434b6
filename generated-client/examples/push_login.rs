//! Push login, end to end:
//!
//! ```text
//! cargo run -p genauth --example push_login -- <account>
//! ```
//!
//! Sends a sign-in request to the account's authenticator app and waits for
//! the user to approve it, with a spinner showing the seconds left. With
//! `GENAUTH_APP_ID` and `GENAUTH_APP_HOST` set it talks to that application;
//! without them it runs against a local stand-in, which approves the login
//! after a few seconds.

mod support;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use genauth::WaitOptions;
use genauth::models::SignInByPushOptionsDto;
use indicatif::{ProgressBar, ProgressStyle};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("push_login: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let account = std::env::args()
        .nth(1)
        .ok_or("usage: cargo run -p genauth --example push_login -- <account>")?;
    let connection = support::connect(false, Duration::from_secs(3)).await?;
    let client = &connection.client;

    let push = client
        .sign_in_by_push(account.as_str())
        .options(SignInByPushOptionsDto {
            scope: Some("openid profile".into()),
            ..Default::default()
        })
        .await?;
    let lifetime = Duration::from_secs(push.data.expire_time.max(0) as u64);
    let started = Instant::now();

    let spinner =
        ProgressBar::new_spinner().with_style(ProgressStyle::with_template("{spinner} {msg}")?);
    spinner.enable_steady_tick(Duration::from_millis(100));
    let left = |elapsed: Duration| lifetime.saturating_sub(elapsed).as_secs();
    spinner.set_message(format!(
        "Approve the sign-in on {account}'s authenticator app ({}s left)",
        left(Duration::ZERO)
    ));

    let wait = client.wait_for_push_login(
        &push.data.push_code_id,
        WaitOptions::default().deadline(lifetime),
    );
    tokio::pin!(wait);
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let result = loop {
        tokio::select! {
            result = &mut wait => break result,
            _ = clock.tick() => spinner.set_message(format!(
                "Approve the sign-in on {account}'s authenticator app ({}s left)",
                left(started.elapsed())
            )),
        }
    };
    spinner.finish_and_clear();

    let tokens = result?;
    println!(
        "Signed in as {account}: a {} token that expires in {} seconds.",
        tokens.token_type, tokens.expire_in
    );
    Ok(())
}
