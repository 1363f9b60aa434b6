//! The wait helpers against a server that fails in the ways real networks
//! do: each transient fault is waited out, too many in a row end the wait,
//! an approval without an access token is no sign-in, and every future can
//! be spawned onto a multi-threaded runtime.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::builder_at;
use common::scripted::{Scripted, Step};
use genauth::{AuthenticationClient, Error, LoginEnd, WaitOptions};
use serde_json::json;

fn client(server: &Scripted) -> AuthenticationClient {
    builder_at(&server.url)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client")
}

fn quick() -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_millis(10))
        .deadline(Duration::from_secs(10))
}

fn status(status: &str) -> Step {
    Step::json(json!({ "statusCode": 200, "data": { "status": status } }))
}

fn authorized(token_set: serde_json::Value) -> Step {
    Step::json(
        json!({ "statusCode": 200, "data": { "status": "AUTHORIZED", "tokenSet": token_set } }),
    )
}

fn tokens() -> serde_json::Value {
    json!({ "access_token": "at-1", "token_type": "Bearer", "expire_in": 60 })
}

#[tokio::test]
async fn a_push_wait_survives_every_kind_of_transient_fault() {
    let server = Scripted::start(vec![
        status("PUSHED"),
        Step::Drop,
        Step::Stall(Duration::from_secs(2)),
        Step::truncated(r#"{"statusCode":200,"data":{"sta"#, 200),
        Step::status(500, "Internal Server Error"),
        Step::status(503, "<html><title>busy</title></html>"),
        Step::json(json!({ "statusCode": 500, "message": "try later" })),
        Step::status(429, ""),
        status("PUSHED"),
        authorized(tokens()),
    ])
    .await;
    let faults = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&faults);
    let options = quick().max_faults(10).on_fault(move |error, in_a_row| {
        sink.lock()
            .expect("lock")
            .push((error.to_string(), in_a_row));
    });
    let signed_in = client(&server)
        .wait_for_push_login("pc-1", options)
        .await
        .expect("the wait outlives the faults");
    assert_eq!(signed_in.access_token.as_deref(), Some("at-1"));
    let faults = faults.lock().expect("lock").clone();
    let in_a_row: Vec<u32> = faults.iter().map(|(_, n)| *n).collect();
    assert_eq!(in_a_row, [1, 2, 3, 4, 5, 6, 7], "{faults:#?}");
    assert!(
        faults[1].0.contains("no response within 300 ms"),
        "{faults:#?}"
    );
    assert_eq!(server.requests(), 10);
}

#[tokio::test]
async fn too_many_faults_in_a_row_end_the_wait_with_the_last_one() {
    let server = Scripted::start(vec![status("PUSHED"), Step::Drop]).await;
    let err = client(&server)
        .wait_for_push_login("pc-1", quick().max_faults(3))
        .await
        .expect_err("gives up");
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
    assert_eq!(server.requests(), 4, "one good poll and three faulty ones");
}

#[tokio::test]
async fn faults_that_outlast_the_deadline_end_the_wait() {
    let server = Scripted::start(vec![Step::status(502, "bad gateway")]).await;
    let options = quick()
        .max_faults(1000)
        .deadline(Duration::from_millis(300));
    let err = client(&server)
        .wait_for_qrcode_login("qr-1", options)
        .await
        .expect_err("gives up");
    assert!(
        matches!(&err, Error::Decode(d) if d.http_status == 502),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_failure_the_server_means_is_not_waited_out() {
    let server = Scripted::start(vec![Step::json(
        json!({ "statusCode": 404, "apiCode": 2004, "message": "no such push code" }),
    )])
    .await;
    let err = client(&server)
        .wait_for_push_login("pc-1", quick())
        .await
        .expect_err("fails at once");
    assert!(
        matches!(&err, Error::Api(api) if api.status_code == 404),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_approval_without_an_access_token_is_no_sign_in() {
    for token_set in [
        json!([]),
        json!({}),
        json!({ "access_token": null, "token_type": "Bearer" }),
        json!({ "access_token": "" }),
        json!(null),
    ] {
        let server = Scripted::start(vec![authorized(token_set.clone())]).await;
        let err = client(&server)
            .wait_for_push_login("pc-1", quick())
            .await
            .expect_err("no tokens");
        assert!(
            matches!(
                err,
                Error::LoginEnded {
                    reason: LoginEnd::NoTokens,
                    ..
                }
            ),
            "{token_set}: {err:?}"
        );
    }
    let server = Scripted::start(vec![Step::json(json!({
        "statusCode": 200,
        "data": { "status": "AUTHORIZED", "tokenSet": { "access_token": null } }
    }))])
    .await;
    let err = client(&server)
        .wait_for_qrcode_login("qr-1", quick())
        .await
        .expect_err("no tokens");
    assert!(
        matches!(
            err,
            Error::LoginEnded {
                reason: LoginEnd::NoTokens,
                ..
            }
        ),
        "{err:?}"
    );
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_future_can_be_spawned() {
    let server = Scripted::start(vec![status("PUSHED"), authorized(tokens())]).await;
    let client = client(&server);
    let options = quick().on_status(|_| {}).on_fault(|_, _| {});
    // Compile-time checks: each of these futures is `Send`.
    let owned = client.clone();
    let waiting = assert_send(async move { owned.wait_for_push_login("pc-1", options).await });
    drop(assert_send(client.wait_for_qrcode_login("qr", quick())));
    drop(assert_send(client.wait_for_app_login_qrcode("qr", quick())));
    drop(assert_send(std::future::IntoFuture::into_future(
        client.sign_in_by_push("ada"),
    )));
    drop(assert_send(std::future::IntoFuture::into_future(
        client.check_qr_code_status("qr"),
    )));
    drop(assert_send(client.parse_access_token("t")));
    drop(assert_send(client.parse_id_token("t", Some("n"))));
    drop(assert_send(client.get_access_token_by_code(
        "c",
        genauth::oidc::CodeExchange::default(),
    )));
    drop(assert_send(client.get_user_info_by_access_token("t")));
    drop(assert_send(client.validate_ticket_v2("t", "s")));
    // And what a web handler does: spawn the wait onto the runtime.
    let signed_in = tokio::spawn(waiting)
        .await
        .expect("the task ran")
        .expect("signed in");
    assert_eq!(signed_in.access_token.as_deref(), Some("at-1"));
}
