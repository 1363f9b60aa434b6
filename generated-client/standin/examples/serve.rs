//! Runs a stand-in until interrupted, for trying the flows by hand:
//!
//! ```sh
//! cargo run -p genauth-standin --example serve
//! ```
//!
//! It prints its address, app ID and OIDC issuer; act as the user with
//! `curl -X POST $URL/_control/push/$ID/approve` and the like, or point an
//! OIDC client at the issuer with the app ID and secret as client
//! credentials.

use genauth_standin::{Config, StandIn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let standin = StandIn::start(Config::default()).await?;
    println!(
        "stand-in at {} (app ID {}, app secret {}, OIDC issuer {})",
        standin.url(),
        standin.app_id(),
        standin.app_secret(),
        standin.issuer()
    );
    // Serve until the process is stopped; the StandIn must stay alive.
    std::future::pending::<()>().await;
    drop(standin);
    Ok(())
}
