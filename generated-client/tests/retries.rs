//! Retries after rate limits, gateway failures and refused connections; the
//! per-call overrides; and hooks, which see every attempt and may add headers.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use genauth::{AttemptOutcome, Error, Hook, OutgoingRequest, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Retries quickly, so the tests stay fast.
fn quick() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(40))
}

/// A server that answers the first `failures` requests with `failure`, then succeeds.
async fn flaky(failure: ResponseTemplate, failures: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(failure)
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!({ "status": "PENDING" }))))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn attempts(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .map(|r| r.len())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_503_then_success_is_retried_for_a_status_check() {
    let server = flaky(
        ResponseTemplate::new(503).set_body_string("<html>busy</html>"),
        2,
    )
    .await;
    let client = builder(&server).retry(quick()).build().expect("client");
    let resp = client
        .check_qr_code_status("qr-1")
        .await
        .expect("the third attempt succeeds");
    assert_eq!(resp.data.status.as_str(), "PENDING");
    assert_eq!(attempts(&server).await, 3);
}

#[tokio::test]
async fn a_429_waits_as_long_as_the_server_asks() {
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(json!({ "statusCode": 429, "message": "slow down" }));
    let server = flaky(limited, 1).await;
    let client = builder(&server).retry(quick()).build().expect("client");
    let started = std::time::Instant::now();
    client
        .check_push_code_status("pc-1")
        .await
        .expect("the retry succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn a_rate_limit_in_the_envelope_is_retried_too() {
    let server = flaky(
        ResponseTemplate::new(200)
            .set_body_json(json!({ "statusCode": 429, "message": "slow down" })),
        1,
    )
    .await;
    let client = builder(&server).retry(quick()).build().expect("client");
    client
        .check_push_code_status("pc-1")
        .await
        .expect("the retry succeeds");
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn retries_stop_at_the_maximum_and_report_the_last_failure() {
    let server = flaky(ResponseTemplate::new(502), 10).await;
    let client = builder(&server)
        .retry(quick().max_attempts(4))
        .build()
        .expect("client");
    let err = client
        .check_qr_code_status("qr-1")
        .await
        .expect_err("still failing");
    assert!(
        matches!(&err, Error::Decode(d) if d.http_status == 502),
        "{err:?}"
    );
    assert_eq!(attempts(&server).await, 4);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_is_capped_even_when_it_overflows() {
    for asked in ["3600", "99999999999999999999999"] {
        let limited = ResponseTemplate::new(429).insert_header("retry-after", asked);
        let server = flaky(limited, 1).await;
        let cap = Duration::from_millis(300);
        let client = builder(&server)
            .retry(quick().max_retry_after(cap))
            .build()
            .expect("client");
        let started = std::time::Instant::now();
        client
            .check_qr_code_status("qr-1")
            .await
            .expect("retried after the cap");
        // The backoff alone would be 10 ms at most: the cap was waited for.
        assert!(
            started.elapsed() >= cap,
            "{asked}: waited {:?}",
            started.elapsed()
        );
        assert_eq!(attempts(&server).await, 2, "{asked}");
    }
}

#[tokio::test]
async fn a_retry_after_given_as_an_http_date_is_honoured() {
    // Started before the date is made: a date has whole seconds, so it is
    // more than one second after the start even when the clock's fraction
    // is cut off.
    let started = std::time::Instant::now();
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    let limited =
        ResponseTemplate::new(429).insert_header("retry-after", httpdate::fmt_http_date(at));
    let server = flaky(limited, 1).await;
    let client = builder(&server).retry(quick()).build().expect("client");
    client
        .check_qr_code_status("qr-1")
        .await
        .expect("retried at the date");
    // The date has a resolution of one second: at least one second is left.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn operations_that_are_not_safe_to_repeat_are_not_retried_unless_asked() {
    let server = flaky(ResponseTemplate::new(503), 2).await;
    let client = builder(&server).retry(quick()).build().expect("client");
    let err = client
        .sign_in_by_push("test")
        .await
        .expect_err("a sign-in is sent once");
    assert!(
        matches!(&err, Error::Decode(d) if d.http_status == 503),
        "{err:?}"
    );
    assert_eq!(attempts(&server).await, 1);

    // The same call, with a per-call policy that allows it: 503, then success.
    client
        .sign_in_by_push("test")
        .with_retry(quick().retry_unsafe_operations(true))
        .await
        .expect("the retry succeeds");
    assert_eq!(attempts(&server).await, 3);
}

#[tokio::test]
async fn read_only_posts_marked_idempotent_are_retried() {
    let server = flaky(ResponseTemplate::new(503), 1).await;
    let client = builder(&server).retry(quick()).build().expect("client");
    client
        .get_push_login_relation_apps("pc-1", "app-9")
        .await
        .expect("the retry succeeds");
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn a_per_call_policy_overrides_the_clients() {
    let server = flaky(ResponseTemplate::new(503), 1).await;
    let client = builder(&server).retry(quick()).build().expect("client");
    let err = client
        .check_qr_code_status("qr-1")
        .with_retry(RetryPolicy::never())
        .await
        .expect_err("no retry this time");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_clients() {
    let slow = ResponseTemplate::new(200)
        .set_body_json(ok(json!({ "status": "PENDING" })))
        .set_delay(Duration::from_millis(500));
    let server = server(slow).await;
    let client = builder(&server)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let err = client
        .check_qr_code_status("qr-1")
        .with_timeout(Duration::from_millis(100))
        .await
        .expect_err("too slow for this call");
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(100)),
        "{err:?}"
    );
    client
        .check_qr_code_status("qr-1")
        .await
        .expect("the client's own timeout is long enough");
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_safe_operations() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = genauth::AuthenticationClient::builder()
        .app_id(APP_ID)
        .app_host(format!("http://127.0.0.1:{port}"))
        .allow_plain_http(true)
        .retry(quick())
        .hook(Recorder {
            seen: Arc::clone(&seen),
        })
        .build()
        .expect("client");
    let err = client
        .check_qr_code_status("qr-1")
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
    let statuses: Vec<(u32, Option<u16>)> = seen
        .lock()
        .expect("lock")
        .iter()
        .map(|(_, attempt, status)| (*attempt, *status))
        .collect();
    assert_eq!(statuses, [(1, None), (2, None), (3, None)]);
}

/// What a hook saw of one attempt: operation, attempt number, HTTP status.
type Attempt = (&'static str, u32, Option<u16>);

/// Records every attempt it sees, and adds a header to each.
struct Recorder {
    seen: Arc<Mutex<Vec<Attempt>>>,
}

impl Hook for Recorder {
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        request.add_header("x-trace-id", format!("trace-{}", request.attempt()));
        // The client's own headers cannot be replaced.
        request.add_header("authorization", "Bearer stolen");
        request.add_header("x-genauth-app-id", "someone-else");
    }

    fn on_response(&self, response: &AttemptOutcome<'_>) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((response.operation(), response.attempt(), response.status()));
        }
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_add_headers_but_never_replace_the_clients() {
    let server = flaky(ResponseTemplate::new(503), 1).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = builder(&server)
        .retry(quick())
        .access_token(TOKEN)
        .hook(Recorder {
            seen: Arc::clone(&seen),
        })
        .build()
        .expect("client");
    client
        .check_qr_code_status("qr-1")
        .await
        .expect("success on the retry");
    assert_eq!(
        *seen.lock().expect("lock"),
        [
            ("check_qr_code_status", 1, Some(503)),
            ("check_qr_code_status", 2, Some(200))
        ]
    );
    let requests = server.received_requests().await.expect("recording");
    let header = |i: usize, name: &str| -> Vec<String> {
        requests[i]
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(header(0, "x-trace-id"), ["trace-1"]);
    assert_eq!(header(1, "x-trace-id"), ["trace-2"]);
    assert_eq!(header(1, "authorization"), [format!("Bearer {TOKEN}")]);
    assert_eq!(header(1, "x-genauth-app-id"), [APP_ID]);
}
