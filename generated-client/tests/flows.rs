//! The wait helpers end to end, against the local GenAuth stand-in: each
//! login is approved, cancelled or left to expire, and each survives a rate
//! limit and a gateway failure on the way.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use genauth::models::{AppQrCodeLoginAction, PushCodeAction, QrCodeType};
use genauth::{
    AuthenticationClient, AuthenticationClientBuilder, Error, LoginEnd, RetryPolicy, WaitOptions,
};
use genauth_standin::{Auto, Config, StandIn};

/// A stand-in whose codes live for `expires_in`.
async fn standin(expires_in: Duration) -> StandIn {
    let config = Config {
        push_expires_in: expires_in,
        qrcode_expires_in: expires_in,
        auto: Auto::Nothing,
        ..Config::default()
    };
    StandIn::start(config).await.expect("the stand-in starts")
}

fn builder(standin: &StandIn) -> AuthenticationClientBuilder {
    AuthenticationClient::builder()
        .app_id(standin.app_id())
        .app_host(standin.url())
        .allow_plain_http(true)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50)))
}

fn client(standin: &StandIn) -> AuthenticationClient {
    builder(standin).build().expect("client")
}

/// The authenticator app or mobile app: signed in as some user.
fn phone(standin: &StandIn) -> AuthenticationClient {
    builder(standin)
        .access_token("phone-user-token")
        .build()
        .expect("client")
}

/// Polls fast, and gives up after 5 s so that a broken test cannot hang.
fn quick() -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_millis(20))
        .deadline(Duration::from_secs(5))
}

/// Quick options that also record each status seen.
fn recording() -> (WaitOptions, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let options = quick().on_status(move |change| {
        let who = change
            .scanned_by
            .map(|u| format!(" by {}", u.display_name))
            .unwrap_or_default();
        if let Ok(mut seen) = sink.lock() {
            seen.push(format!("{}{who}", change.status));
        }
    });
    (options, seen)
}

fn seen(log: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    log.lock().map(|l| l.clone()).unwrap_or_default()
}

fn ended<T: std::fmt::Debug>(result: Result<T, Error>) -> LoginEnd {
    match result {
        Err(Error::LoginEnded { reason, .. }) => reason,
        other => panic!("expected the login to end, got {other:?}"),
    }
}

/// Lets the wait start polling before the other side acts.
async fn shortly() {
    tokio::time::sleep(Duration::from_millis(80)).await;
}

fn count(standin: &StandIn, prefix: &str) -> usize {
    standin
        .requests()
        .iter()
        .filter(|r| r.starts_with(prefix))
        .count()
}

// Push login.

async fn start_push(client: &AuthenticationClient) -> String {
    client
        .sign_in_by_push("ada")
        .await
        .expect("push sent")
        .data
        .push_code_id
}

#[tokio::test]
async fn push_login_approved_on_the_phone_returns_the_tokens() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    let (options, log) = recording();
    let phone = phone(&standin);
    let (tokens, approved) = tokio::join!(client.wait_for_push_login(&id, options), async {
        shortly().await;
        phone
            .change_push_code_status(id.as_str(), PushCodeAction::Confirm)
            .await
    });
    approved.expect("the phone approves");
    let tokens = tokens.expect("signed in");
    assert_eq!(tokens.token_type, "Bearer");
    // The token is a real one: it verifies against the application's keys.
    let claims = client
        .parse_access_token(tokens.access_token.as_deref().unwrap_or_default())
        .await
        .expect("the access token verifies");
    assert!(claims.aud.contains(standin.app_id()));
    assert_eq!(seen(&log), ["PUSHED", "AUTHORIZED"]);
}

#[tokio::test]
async fn push_login_cancelled_on_the_phone_ends_as_cancelled() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    let (result, cancelled) = tokio::join!(client.wait_for_push_login(&id, quick()), async {
        shortly().await;
        standin.cancel_push(&id)
    });
    assert!(cancelled);
    assert_eq!(ended(result), LoginEnd::Cancelled);
}

#[tokio::test]
async fn push_login_left_alone_ends_as_expired() {
    let standin = standin(Duration::from_millis(300)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    assert_eq!(
        ended(client.wait_for_push_login(&id, quick()).await),
        LoginEnd::Expired
    );
}

#[tokio::test]
async fn push_login_survives_a_rate_limit() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    standin.fail_next(429, 2, Some(0));
    let (tokens, approved) = tokio::join!(client.wait_for_push_login(&id, quick()), async {
        shortly().await;
        standin.approve_push(&id)
    });
    assert!(approved);
    tokens.expect("signed in despite the rate limit");
    assert!(
        count(&standin, "GET /api/v3/check-pushcode-status") >= 3,
        "{:?}",
        standin.requests()
    );
}

#[tokio::test]
async fn push_login_survives_a_gateway_failure() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    standin.fail_next(503, 2, None);
    let (tokens, approved) = tokio::join!(client.wait_for_push_login(&id, quick()), async {
        shortly().await;
        standin.approve_push(&id)
    });
    assert!(approved);
    tokens.expect("signed in despite the 503s");
    assert!(
        count(&standin, "GET /api/v3/check-pushcode-status") >= 3,
        "{:?}",
        standin.requests()
    );
}

#[tokio::test]
async fn a_wait_gives_up_at_its_deadline() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    let options = quick().deadline(Duration::from_millis(150));
    assert_eq!(
        ended(client.wait_for_push_login(&id, options).await),
        LoginEnd::DeadlinePassed
    );
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_push(&client).await;
    let waited = tokio::time::timeout(
        Duration::from_millis(150),
        client.wait_for_push_login(&id, quick()),
    )
    .await;
    assert!(waited.is_err(), "still waiting when dropped");
    let polls = count(&standin, "GET /api/v3/check-pushcode-status");
    assert!(polls >= 2);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        count(&standin, "GET /api/v3/check-pushcode-status"),
        polls,
        "no poll after the drop"
    );
}

#[tokio::test]
async fn a_remembering_client_acts_for_the_user_after_the_wait() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = builder(&standin)
        .remember_tokens(true)
        .build()
        .expect("client");
    let id = start_push(&client).await;
    assert!(!client.has_access_token());
    let (tokens, _) = tokio::join!(client.wait_for_push_login(&id, quick()), async {
        shortly().await;
        standin.approve_push(&id)
    });
    tokens.expect("signed in");
    assert!(client.has_access_token());
    // An operation that needs a signed-in user now goes through.
    client
        .gene_fastpass_qrcode_info()
        .await
        .expect("acts for the user");
}

// QR code login.

async fn start_qrcode(client: &AuthenticationClient) -> String {
    client
        .gene_qr_code(QrCodeType::MobileApp)
        .await
        .expect("QR code created")
        .data
        .qrcode_id
}

#[tokio::test]
async fn qrcode_login_reports_the_scan_then_exchanges_the_ticket_for_tokens() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_qrcode(&client).await;
    let (options, log) = recording();
    let phone = phone(&standin);
    let (tokens, acted) = tokio::join!(client.wait_for_qrcode_login(&id, options), async {
        shortly().await;
        phone
            .change_qr_code_status(id.as_str(), genauth::models::QrCodeAction::Scan)
            .await?;
        shortly().await;
        phone
            .change_qr_code_status(id.as_str(), genauth::models::QrCodeAction::Confirm)
            .await
    });
    acted.expect("the phone scans and confirms");
    let tokens = tokens.expect("signed in");
    assert!(tokens.access_token.is_some());
    let log = seen(&log);
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[0], "PENDING");
    assert!(log[1].starts_with("SCANNED by "), "{log:?}");
    assert!(log[2].starts_with("AUTHORIZED"), "{log:?}");
    assert_eq!(
        count(
            &standin,
            "POST /api/v3/exchange-tokenset-with-qrcode-ticket"
        ),
        1
    );
}

#[tokio::test]
async fn qrcode_login_cancelled_ends_as_cancelled() {
    let standin = standin(Duration::from_secs(60)).await;
    let client = client(&standin);
    let id = start_qrcode(&client).await;
    let (result, _) = tokio::join!(client.wait_for_qrcode_login(&id, quick()), async {
        shortly().await;
        standin.scan_qrcode(&id) && standin.cancel_qrcode(&id)
    });
    assert_eq!(ended(result), LoginEnd::Cancelled);
}

#[tokio::test]
async fn qrcode_login_left_alone_ends_as_expired() {
    let standin = standin(Duration::from_millis(300)).await;
    let client = client(&standin);
    let id = start_qrcode(&client).await;
    assert_eq!(
        ended(client.wait_for_qrcode_login(&id, quick()).await),
        LoginEnd::Expired
    );
}

#[tokio::test]
async fn qrcode_login_survives_a_rate_limit_and_a_gateway_failure() {
    for (status, retry_after) in [(429, Some(0)), (503, None)] {
        let standin = standin(Duration::from_secs(60)).await;
        let client = client(&standin);
        let id = start_qrcode(&client).await;
        standin.fail_next(status, 2, retry_after);
        let (tokens, _) = tokio::join!(client.wait_for_qrcode_login(&id, quick()), async {
            shortly().await;
            standin.scan_qrcode(&id) && standin.approve_qrcode(&id)
        });
        tokens.unwrap_or_else(|e| panic!("HTTP {status}: {e}"));
        assert!(
            count(&standin, "GET /api/v3/check-qrcode-status") >= 3,
            "HTTP {status}: {:?}",
            standin.requests()
        );
    }
}

// Fast authentication.

async fn start_fastpass(standin: &StandIn) -> (AuthenticationClient, String) {
    let web = builder(standin)
        .access_token("web-user-token")
        .build()
        .expect("client");
    let id = web
        .gene_fastpass_qrcode_info()
        .await
        .expect("QR data")
        .data
        .qrcode_id;
    (web, id)
}

#[tokio::test]
async fn fast_authentication_completes_when_the_app_signs_in() {
    let standin = standin(Duration::from_secs(60)).await;
    let (web, id) = start_fastpass(&standin).await;
    let (options, log) = recording();
    let phone = phone(&standin);
    let (status, signed_in) = tokio::join!(web.wait_for_app_login_qrcode(&id, options), async {
        shortly().await;
        standin.scan_qrcode(&id);
        shortly().await;
        phone
            .qr_code_app_login(id.as_str(), AppQrCodeLoginAction::AppLogin)
            .await
    });
    assert!(
        signed_in
            .expect("the app signs in")
            .data
            .access_token
            .is_some()
    );
    assert_eq!(status.expect("completed").status.as_str(), "AUTHORIZED");
    let log = seen(&log);
    assert_eq!(log.first().map(String::as_str), Some("PENDING"));
    assert!(log.iter().any(|s| s.starts_with("SCANNED")), "{log:?}");
}

#[tokio::test]
async fn fast_authentication_cancelled_ends_as_cancelled() {
    let standin = standin(Duration::from_secs(60)).await;
    let (web, id) = start_fastpass(&standin).await;
    let (result, _) = tokio::join!(web.wait_for_app_login_qrcode(&id, quick()), async {
        shortly().await;
        standin.scan_qrcode(&id) && standin.cancel_qrcode(&id)
    });
    assert_eq!(ended(result), LoginEnd::Cancelled);
}

#[tokio::test]
async fn fast_authentication_left_alone_ends_as_expired() {
    let standin = standin(Duration::from_millis(300)).await;
    let (web, id) = start_fastpass(&standin).await;
    assert_eq!(
        ended(web.wait_for_app_login_qrcode(&id, quick()).await),
        LoginEnd::Expired
    );
}

#[tokio::test]
async fn fast_authentication_survives_a_rate_limit_and_a_gateway_failure() {
    for (status, retry_after) in [(429, Some(0)), (503, None)] {
        let standin = standin(Duration::from_secs(60)).await;
        let (web, id) = start_fastpass(&standin).await;
        standin.fail_next(status, 2, retry_after);
        let (result, _) = tokio::join!(web.wait_for_app_login_qrcode(&id, quick()), async {
            shortly().await;
            standin.scan_qrcode(&id) && standin.approve_qrcode(&id)
        });
        assert_eq!(
            result
                .unwrap_or_else(|e| panic!("HTTP {status}: {e}"))
                .status
                .as_str(),
            "AUTHORIZED"
        );
        assert!(
            count(&standin, "GET /api/v3/get-app-login-qrcode-status") >= 3,
            "HTTP {status}: {:?}",
            standin.requests()
        );
    }
}
