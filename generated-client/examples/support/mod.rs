//! What the examples share: a client for the real service when the
//! environment names one, and otherwise for a local stand-in.

#![allow(dead_code, reason = "each example uses a different part")]

pub mod terminal_qr;

use std::time::Duration;

use genauth::AuthenticationClient;
use genauth_standin::{Auto, Config, StandIn};

/// A client, and the stand-in it talks to when no service is configured
/// (kept alive for as long as the client is used).
pub struct Connection {
    pub client: AuthenticationClient,
    pub standin: Option<StandIn>,
}

/// Connects to the application named by `GENAUTH_APP_ID` and
/// `GENAUTH_APP_HOST` (with `GENAUTH_ACCESS_TOKEN`, when `needs_user` asks
/// for a signed-in user); without them, starts a local stand-in that approves
/// logins after `approve_after`, and says so.
pub async fn connect(
    needs_user: bool,
    approve_after: Duration,
) -> Result<Connection, Box<dyn std::error::Error>> {
    let app_id = std::env::var("GENAUTH_APP_ID")
        .ok()
        .filter(|v| !v.is_empty());
    let app_host = std::env::var("GENAUTH_APP_HOST")
        .ok()
        .filter(|v| !v.is_empty());
    let token = std::env::var("GENAUTH_ACCESS_TOKEN")
        .ok()
        .filter(|v| !v.is_empty());
    if let (Some(app_id), Some(app_host)) = (app_id, app_host) {
        let mut builder = AuthenticationClient::builder()
            .app_id(app_id)
            .app_host(app_host);
        match token {
            Some(token) => builder = builder.access_token(token),
            None if needs_user => {
                return Err(
                    "GENAUTH_ACCESS_TOKEN must hold a signed-in user's access token".into(),
                );
            }
            None => {}
        }
        return Ok(Connection {
            client: builder.build()?,
            standin: None,
        });
    }
    let standin = StandIn::start(Config {
        auto: Auto::Approve {
            after: approve_after,
        },
        ..Config::default()
    })
    .await?;
    println!(
        "GENAUTH_APP_ID and GENAUTH_APP_HOST are not set: using a local stand-in at {} \
         that approves the login after {} seconds.\n",
        standin.url(),
        approve_after.as_secs()
    );
    let client = AuthenticationClient::builder()
        .app_id(standin.app_id())
        .app_host(standin.url())
        .allow_plain_http(true)
        .access_token("stand-in-user-token")
        .build()?;
    Ok(Connection {
        client,
        standin: Some(standin),
    })
}
