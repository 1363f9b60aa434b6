//! An OpenID Connect login, end to end:
//!
//! ```text
//! cargo run -p genauth --example oidc_login
//! ```
//!
//! Prints the login URL, receives the redirect on a loopback listener,
//! trades the code (with PKCE), verifies the ID token, and prints who signed
//! in and when their access token expires. With `GENAUTH_APP_ID`,
//! `GENAUTH_APP_HOST` and `GENAUTH_APP_SECRET` set it uses that application
//! (register `http://127.0.0.1:<port>/callback` as a redirect URI, or set
//! `GENAUTH_REDIRECT_PORT` to a registered port) and waits for you to sign in
//! in a browser; without them it runs against a local stand-in, which signs
//! real RS256 tokens, and plays the browser itself.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use genauth::AuthenticationClient;
use genauth::oidc::{AuthorizeOptions, OidcSettings};
use genauth_standin::{Config, StandIn};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long to wait for a person to sign in in a browser.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oidc_login: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let setting = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let port = setting("GENAUTH_REDIRECT_PORT")
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let redirect_uri = format!("http://{}/callback", listener.local_addr()?);

    let real = match (
        setting("GENAUTH_APP_ID"),
        setting("GENAUTH_APP_HOST"),
        setting("GENAUTH_APP_SECRET"),
    ) {
        (Some(id), Some(host), Some(secret)) => Some((id, host, secret)),
        _ => None,
    };
    let standin = match &real {
        Some(_) => None,
        None => {
            let standin = StandIn::start(Config::default()).await?;
            println!(
                "GENAUTH_APP_ID, GENAUTH_APP_HOST and GENAUTH_APP_SECRET are not set: using a \
                 local stand-in at {}, which plays the browser and approves the login.\n",
                standin.url()
            );
            Some(standin)
        }
    };
    let (app_id, app_host, app_secret) = match (&real, &standin) {
        (Some((id, host, secret)), _) => (id.clone(), host.clone(), secret.clone()),
        (None, Some(standin)) => (
            standin.app_id().to_owned(),
            standin.url(),
            standin.app_secret().to_owned(),
        ),
        (None, None) => return Err("no application to sign in to".into()),
    };
    let client = AuthenticationClient::builder()
        .app_id(app_id)
        .app_host(app_host)
        .app_secret(app_secret)
        .allow_plain_http(standin.is_some())
        .oidc(OidcSettings::default().redirect_uri(redirect_uri.as_str()))
        .build()?;

    let login =
        client.build_authorize_url(AuthorizeOptions::default().scope("openid profile email"))?;
    println!("Sign in at:\n\n  {}\n", login.url);
    if standin.is_some() {
        tokio::spawn(play_the_browser(login.url.clone()));
    } else {
        println!("Waiting for the browser to come back to {redirect_uri} …");
    }
    let target = tokio::time::timeout(SIGN_IN_TIMEOUT, receive_callback(&listener))
        .await
        .map_err(|_| "nobody signed in within five minutes")??;
    let callback = format!("{}{target}", redirect_uri.trim_end_matches("/callback"));

    let signed_in = client.handle_redirect_callback(&callback, &login).await?;
    let claims = signed_in
        .id_token_claims
        .ok_or("the login returned no ID token")?;
    let who = claims
        .profile
        .name
        .clone()
        .or(claims.profile.preferred_username.clone())
        .unwrap_or_else(|| claims.sub.clone());
    let expires_in = signed_in
        .tokens
        .expires_at
        .and_then(|at| at.duration_since(SystemTime::now()).ok())
        .map(|left| format!("expires in {} seconds", left.as_secs()))
        .unwrap_or_else(|| "has no stated expiry".to_owned());
    println!(
        "Signed in as {who} ({}): the ID token is verified, and the {} access token {expires_in}.",
        claims.sub, signed_in.tokens.token_type
    );
    Ok(())
}

/// What a browser does: opens the login URL and follows the redirect back.
async fn play_the_browser(url: String) -> Result<(), reqwest::Error> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()?;
    browser.get(url).send().await.map(drop)
}

/// Answers the one request the browser makes to the redirect URI, and
/// returns its target (`/callback?code=…&state=…`).
async fn receive_callback(listener: &TcpListener) -> Result<String, Box<dyn std::error::Error>> {
    let (mut stream, _) = listener.accept().await?;
    let mut request = Vec::new();
    let mut chunk = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        request.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&request);
    let target = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .ok_or("the browser sent no request line")?
        .to_owned();
    let page = "Signed in. You can close this tab.\n";
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    );
    stream.write_all(answer.as_bytes()).await?;
    Ok(target)
}
