//! Fast authentication, end to end:
//!
//! ```text
//! cargo run -p genauth --example fastpass_qr
//! ```
//!
//! Creates a fast-authentication QR code for a signed-in user, draws it in
//! the terminal for the GenAuth authenticator app to scan, and follows its
//! status until the app has signed in. With `GENAUTH_APP_ID`,
//! `GENAUTH_APP_HOST` and `GENAUTH_ACCESS_TOKEN` set it talks to that
//! application; without them it runs against a local stand-in, which plays
//! the phone: it scans the code and signs in after a few seconds.

mod support;

use std::process::ExitCode;
use std::time::Duration;

use genauth::WaitOptions;
use serde_json::json;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fastpass_qr: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let connection = support::connect(true, Duration::from_secs(6)).await?;
    let client = &connection.client;

    let qr = client.gene_fastpass_qrcode_info().await?.data;
    // What the authenticator app needs to find this code and its application.
    let contents = json!({
        "scene": qr.scene,
        "qrcodeId": qr.qrcode_id,
        "apiHost": qr.api_host,
        "appId": qr.app_id,
    })
    .to_string();
    println!("{}", support::terminal_qr::render(&contents)?);
    println!(
        "Scan this code with the GenAuth authenticator app to sign in as {}.\n",
        qr.user.display_name
    );

    let options = WaitOptions::default()
        .interval(Duration::from_secs(1))
        .deadline(Duration::from_secs(120))
        .on_status(|change| match change.status {
            "PENDING" => println!("Waiting for the code to be scanned…"),
            "SCANNED" => {
                let who = change
                    .scanned_by
                    .map(|u| u.display_name.as_str())
                    .unwrap_or("someone");
                println!("Scanned by {who}: confirm on the phone.");
            }
            "AUTHORIZED" => println!("Confirmed."),
            other => println!("Status: {other}"),
        });
    let done = client
        .wait_for_app_login_qrcode(&qr.qrcode_id, options)
        .await?;
    println!(
        "The authenticator app is signed in (status {}).",
        done.status
    );
    Ok(())
}
