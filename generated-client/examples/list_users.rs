//! Lists the user pool's users as a table, page after page:
//!
//! ```text
//! cargo run -p genauth --features management --example list_users
//! ```
//!
//! With `GENAUTH_ACCESS_KEY_ID` and `GENAUTH_ACCESS_KEY_SECRET` (and
//! `GENAUTH_HOST` for another host than `https://api.genauth.ai`) it lists
//! your user pool's users; without them it starts a local stand-in and
//! creates a few users to list.

use futures_util::TryStreamExt;
use genauth::management::ManagementClient;
use genauth::management::models::{ListUsersOptionsDto, PaginationDto};
use genauth_standin::{Config, StandIn};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    // Kept alive for as long as the client talks to it.
    let mut standin = None;
    let client = match (
        env("GENAUTH_ACCESS_KEY_ID"),
        env("GENAUTH_ACCESS_KEY_SECRET"),
    ) {
        (Some(id), Some(secret)) => {
            let mut builder = ManagementClient::builder()
                .access_key_id(id)
                .access_key_secret(secret);
            if let Some(host) = env("GENAUTH_HOST") {
                builder = builder.host(host);
            }
            builder.build()?
        }
        _ => {
            let local = StandIn::start(Config::default()).await?;
            println!(
                "GENAUTH_ACCESS_KEY_ID and GENAUTH_ACCESS_KEY_SECRET are not set: \
                 using a local stand-in at {}.\n",
                local.url()
            );
            let client = ManagementClient::builder()
                .access_key_id(local.access_key_id())
                .access_key_secret(local.access_key_secret())
                .host(local.url())
                .allow_plain_http(true)
                .build()?;
            for (username, email) in [
                ("ada", "ada@example.com"),
                ("grace", "grace@example.com"),
                ("alan", "alan@example.com"),
                ("barbara", "barbara@example.com"),
                ("edsger", "edsger@example.com"),
            ] {
                client.create_user().username(username).email(email).await?;
            }
            standin = Some(local);
            client
        }
    };

    let options = ListUsersOptionsDto {
        pagination: Some(PaginationDto {
            page: None,
            limit: Some(50),
        }),
        ..Default::default()
    };
    let mut users = client.list_users().options(options).items();
    println!(
        "{:<26} {:<16} {:<28} {:<10}",
        "user ID", "username", "email", "status"
    );
    let mut count = 0;
    while let Some(user) = users.try_next().await? {
        println!(
            "{:<26} {:<16} {:<28} {:<10}",
            user.user_id,
            user.username.as_deref().unwrap_or("-"),
            user.email.as_deref().unwrap_or("-"),
            user.status.as_str(),
        );
        count += 1;
    }
    println!("\n{count} users");
    drop(standin);
    Ok(())
}
