//! Runs a stand-in until interrupted, for trying the flows by hand:
//!
//! ```sh
//! cargo run -p genauth-standin --example serve
//! ```
//!
//! It prints its address and app ID; act as the user with
//! `curl -X POST $URL/_control/push/$ID/approve` and the like.

use genauth_standin::{Config, StandIn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let standin = StandIn::start(Config::default()).await?;
    println!(
        "stand-in at {} (app ID {})",
        standin.url(),
        standin.app_id()
    );
    // Serve until the process is stopped; the StandIn must stay alive.
    std::future::pending::<()>().await;
    drop(standin);
    Ok(())
}
