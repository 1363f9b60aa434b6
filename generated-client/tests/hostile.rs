//! A server that lies, redirects, floods or breaks: the client follows no
//! redirect off its origin, reads no more than its limit, counts nothing as
//! a success that does not say so, keeps path parameters inside their
//! segment, and keeps few idle connections.

mod common;

use std::time::Duration;

use common::scripted::{Scripted, Step};
use common::*;
use genauth::models::{SignInByPasswordPayloadDto, SignInConnection};
use genauth::{AuthenticationClient, Error};
use serde_json::json;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "pa55-word-for-the-real-host-only";

fn password_sign_in(client: &AuthenticationClient) -> genauth::requests::SignInByCredentials<'_> {
    client
        .sign_in_by_credentials(SignInConnection::Password)
        .password_payload(SignInByPasswordPayloadDto {
            password: PASSWORD.into(),
            account: Some("ada".into()),
            email: None,
            username: None,
            phone: None,
        })
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_the_body_never_leaves() {
    let elsewhere = server_json(ok(json!({ "access_token": "from-the-attacker" }))).await;
    for status in [301, 302, 303, 307, 308] {
        let target = format!("{}/steal?session=abc", elsewhere.uri());
        let api =
            server(ResponseTemplate::new(status).insert_header("location", target.as_str())).await;
        let err = password_sign_in(&client(&api)).await.expect_err("refused");
        let Error::Redirect {
            operation,
            status: seen,
            target: shown,
        } = &err
        else {
            panic!("expected Error::Redirect, got {err:?}");
        };
        assert_eq!((*operation, *seen), ("sign_in_by_credentials", status));
        assert_eq!(
            shown,
            &elsewhere.uri(),
            "the origin only, never the path or query"
        );
        let message = err.to_string();
        assert!(
            message.contains(&status.to_string()) && !message.contains("session=abc"),
            "{message}"
        );
    }
    let reached = elsewhere.received_requests().await.expect("recorded");
    assert!(
        reached.is_empty(),
        "the other origin was called: {reached:?}"
    );
}

#[tokio::test]
async fn a_redirect_that_changes_the_scheme_or_port_is_another_origin() {
    let api = MockServer::start().await;
    let port = api.address().port();
    for target in [
        format!("https://127.0.0.1:{port}/api/v3/check-qrcode-status"),
        format!("http://localhost:{port}/api/v3/check-qrcode-status"),
        format!("http://127.0.0.1:{}/x", port.wrapping_add(1).max(1)),
    ] {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
            .mount(&api)
            .await;
        let err = client(&api)
            .check_qr_code_status("qr-1")
            .await
            .expect_err("refused");
        assert!(
            matches!(err, Error::Redirect { status: 307, .. }),
            "{target}: {err:?}"
        );
        api.reset().await;
    }
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_without_a_referer() {
    let api = MockServer::start().await;
    Mock::given(path("/api/v3/check-qrcode-status"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved?qrcodeId=qr-1"))
        .mount(&api)
        .await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!({ "status": "PENDING" }))))
        .mount(&api)
        .await;
    let resp = client(&api)
        .check_qr_code_status("qr-1")
        .await
        .expect("followed");
    assert_eq!(resp.data.status.as_str(), "PENDING");
    let requests = api.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert!(
        requests.iter().all(|r| !r.headers.contains_key("referer")),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_same_origin_redirect_loop_ends() {
    let api = server(ResponseTemplate::new(302).insert_header("location", "/again")).await;
    let err = client(&api)
        .check_qr_code_status("qr-1")
        .await
        .expect_err("loop");
    assert!(
        matches!(err, Error::Redirect { status: 302, .. }),
        "{err:?}"
    );
    let requests = api.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 4, "the call and three redirects");
}

#[tokio::test]
async fn a_response_larger_than_the_limit_is_refused_while_reading() {
    let huge = format!(
        r#"{{"statusCode":200,"data":{{"status":"{}"}}}}"#,
        "x".repeat(5 * 1024 * 1024)
    );
    let api = server(ResponseTemplate::new(200).set_body_raw(huge, "application/json")).await;
    let err = client(&api)
        .check_qr_code_status("qr-1")
        .await
        .expect_err("too large");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, .. } if limit == genauth::DEFAULT_MAX_RESPONSE_SIZE),
        "{err:?}"
    );

    // The limit is the client's to set.
    let body = ok(json!({ "status": "PENDING", "pad": "y".repeat(2000) }));
    let api = server_json(body).await;
    let small = builder(&api)
        .max_response_size(1024)
        .build()
        .expect("client");
    let err = small
        .check_qr_code_status("qr-1")
        .await
        .expect_err("too large");
    assert_eq!(
        err.to_string(),
        "check_qr_code_status: the response is larger than the limit of 1024 bytes"
    );
    let roomy = builder(&api)
        .max_response_size(4096)
        .build()
        .expect("client");
    roomy.check_qr_code_status("qr-1").await.expect("fits");
}

#[tokio::test]
async fn a_chunked_flood_without_a_length_is_cut_at_the_limit() {
    // A body sent in chunks, with no content-length to refuse up front.
    let mut flood =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    let chunk = "z".repeat(64 * 1024);
    for _ in 0..40 {
        flood.extend_from_slice(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    flood.extend_from_slice(b"0\r\n\r\n");
    let api = Scripted::start(vec![Step::Raw(flood)]).await;
    let client = builder_at(&api.url)
        .max_response_size(256 * 1024)
        .build()
        .expect("client");
    let err = client
        .check_qr_code_status("qr-1")
        .await
        .expect_err("too large");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 262_144, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole() {
    // The client keeps a body that comes in one piece as it came and
    // gathers one in several; the pieces must all be there, in order.
    let body = json!({
        "statusCode": 200,
        "message": "x".repeat(3000),
        "data": {"status": "SCAN"},
    })
    .to_string();
    let mut answer =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    for piece in body.as_bytes().chunks(1000) {
        answer.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        answer.extend_from_slice(piece);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    let api = Scripted::start(vec![Step::Raw(answer)]).await;
    let client = builder_at(&api.url).build().expect("client");
    let status = client
        .check_qr_code_status("qr-1")
        .await
        .expect("read whole");
    assert_eq!(status.data.status.as_str(), "SCAN");
    assert_eq!(status.message, "x".repeat(3000));
}

#[tokio::test]
async fn only_an_integer_status_code_of_200_is_a_success() {
    for body in [
        json!({}),
        json!([]),
        json!({ "statusCode": null }),
        json!({ "statusCode": null, "apiCode": 1635, "message": "failed", "data": {} }),
        json!({ "statusCode": "OK", "data": { "status": "PENDING" } }),
        json!({ "statusCode": 200.5, "data": { "status": "PENDING" } }),
        json!({ "message": "Success", "data": { "status": "PENDING" } }),
        json!("statusCode"),
        json!(null),
    ] {
        let api = server_json(body.clone()).await;
        let err = client(&api)
            .check_qr_code_status("qr-1")
            .await
            .expect_err("not a success");
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
        let message = err.to_string();
        assert!(
            message.contains("statusCode") || message.contains("envelope"),
            "{body}: {message}"
        );
    }
    // An integer written as a string still counts.
    let api = server_json(json!({ "statusCode": "200", "data": { "status": "PENDING" } })).await;
    client(&api)
        .check_qr_code_status("qr-1")
        .await
        .expect("success");
}

#[tokio::test]
async fn a_bare_result_is_a_success_but_a_failure_envelope_in_its_place_is_not() {
    // `authByCodeIdentity` answers with bare tokens when it succeeds.
    let tokens = json!({ "access_token": "at", "token_type": "Bearer", "expire_in": 60 });
    let api = server_json(tokens).await;
    let signed_in = client(&api)
        .auth_by_code_identity("code")
        .await
        .expect("tokens");
    assert_eq!(signed_in.access_token.as_deref(), Some("at"));

    let api =
        server_json(json!({ "statusCode": 400, "apiCode": 2001, "message": "bad code" })).await;
    let err = client(&api)
        .auth_by_code_identity("code")
        .await
        .expect_err("a failure");
    assert!(
        matches!(&err, Error::Api(api) if api.status_code == 400 && api.api_code == Some(2001)),
        "{err:?}"
    );

    let api = server(ResponseTemplate::new(500).set_body_string("boom")).await;
    let err = client(&api)
        .auth_by_code_identity("code")
        .await
        .expect_err("a failure");
    assert!(
        matches!(&err, Error::Status(status) if status.http_status == 500 && status.body_shape == "text/plain of 4 bytes"),
        "{err:?}"
    );
}

#[tokio::test]
async fn path_parameters_cannot_leave_their_segment() {
    let api = server_json(ok(json!({}))).await;
    let client = client_with_token(&api);
    for value in ["..", ".", ""] {
        let err = client
            .remove_credential(value, serde_json::Map::new())
            .await
            .expect_err("refused");
        let Error::Encode { input, .. } = &err else {
            panic!("{value:?}: expected Error::Encode, got {err:?}");
        };
        assert_eq!(input, "`credentialID`", "{value:?}");
    }
    assert!(
        api.received_requests().await.expect("recorded").is_empty(),
        "nothing was sent"
    );
    for (value, sent) in [
        ("a/../b", "a%2F..%2Fb"),
        ("...", "..."),
        ("%2e%2e", "%252e%252e"),
        ("x?y#z", "x%3Fy%23z"),
        ("a\\b", "a%5Cb"),
    ] {
        api.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!({}))))
            .mount(&api)
            .await;
        client
            .remove_credential(value, serde_json::Map::new())
            .await
            .expect("sent");
        let seen = only_request(&api).await;
        assert_eq!(
            seen.path,
            format!("/api/v3/webauthn/remove-credential/{sent}"),
            "{value:?}"
        );
    }
}

#[tokio::test]
async fn a_burst_of_calls_leaves_few_idle_connections() {
    // Every answer takes a moment, so that a burst opens many connections.
    let body = ok(json!({ "status": "PENDING" })).to_string();
    let api = Scripted::start(vec![Step::SlowJson(Duration::from_millis(50), body)]).await;
    let client = builder_at(&api.url).build().expect("client");
    let calls: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.check_qr_code_status("qr-1").await })
        })
        .collect();
    let mut succeeded = 0;
    for call in calls {
        if matches!(call.await, Ok(Ok(_))) {
            succeeded += 1;
        }
    }
    assert_eq!(succeeded, 1000);
    assert!(
        api.peak_connections() > 100,
        "the burst opened {} connections",
        api.peak_connections()
    );
    // Connections beyond the pool's limit are closed as they come back.
    let mut open = api.open_connections();
    for _ in 0..100 {
        if open <= 16 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        open = api.open_connections();
    }
    assert!(open <= 16, "{open} connections stay open");
}

#[tokio::test]
async fn the_idle_connection_limit_is_the_builders_choice() {
    let body = ok(json!({ "status": "PENDING" })).to_string();
    let api = Scripted::start(vec![Step::SlowJson(Duration::from_millis(50), body)]).await;
    let client = builder_at(&api.url)
        .max_idle_connections(40)
        .build()
        .expect("client");
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.check_qr_code_status("qr-1").await })
        })
        .collect();
    for call in calls {
        assert!(matches!(call.await, Ok(Ok(_))));
    }
    assert!(api.peak_connections() > 100);
    // Settle: connections beyond the limit close as they come back.
    let mut open = api.open_connections();
    for _ in 0..100 {
        if open <= 40 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        open = api.open_connections();
    }
    // More stay open than the default would keep, and no more than asked.
    assert!((17..=40).contains(&open), "{open} connections stay open");
}
