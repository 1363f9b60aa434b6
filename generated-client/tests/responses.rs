//! How responses become results: success envelopes (including the vendor
//! documentation's own examples), failure envelopes, rate limiting, malformed
//! and non-JSON bodies, timeouts and network failures.

mod common;

use std::time::Duration;

use common::*;
use genauth::Error;
use genauth::models::{PushCodeStatus, QrCodeStatus};
use serde_json::json;
use wiremock::ResponseTemplate;

/// The example response in the vendor's documentation of `signInByPush`.
const SIGN_IN_BY_PUSH_EXAMPLE: &str = r#"{
  "statusCode": 200,
  "message": "Operation successful",
  "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c",
  "data": {
    "pushCodeId": "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX",
    "expireTime": 120
  }
}"#;

/// The example response in the vendor's documentation of
/// `gene_fastpass_qrcode_info`. It leaves out fields the schema requires.
const GENE_FASTPASS_QRCODE_INFO_EXAMPLE: &str = r#"{
  "statusCode": 200,
  "message": "Success",
  "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c",
  "data": {
    "qrcodeId": "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX",
    "apiHost": "https://example.genauth.ai",
    "user": {},
    "userpool": {}
  }
}"#;

fn raw(status: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)
}

#[tokio::test]
async fn decodes_the_documented_sign_in_by_push_example() {
    let server = server(raw(200, SIGN_IN_BY_PUSH_EXAMPLE, "application/json")).await;
    let resp = client(&server)
        .sign_in_by_push("test")
        .await
        .expect("success");
    assert_eq!(resp.status_code, 200);
    assert_eq!(resp.message, "Operation successful");
    assert_eq!(
        resp.request_id.as_deref(),
        Some("934108e5-9fbf-4d24-8da1-c330328abd6c")
    );
    assert_eq!(resp.api_code, None);
    assert_eq!(
        resp.data.push_code_id,
        "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX"
    );
    assert_eq!(resp.data.expire_time, 120);
}

#[tokio::test]
async fn decodes_the_documented_fastpass_example_despite_missing_fields() {
    let server = server(raw(
        200,
        GENE_FASTPASS_QRCODE_INFO_EXAMPLE,
        "application/json",
    ))
    .await;
    let qr = client_with_token(&server)
        .gene_fastpass_qrcode_info()
        .await
        .expect("success");
    assert_eq!(
        qr.data.qrcode_id,
        "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX"
    );
    assert_eq!(qr.data.api_host, "https://example.genauth.ai");
    // Required by the schema, absent from the example: empty, not a failure.
    assert_eq!(qr.data.scene, "");
    assert_eq!(qr.data.app_id, "");
    assert_eq!(qr.data.user.display_name, "");
    assert_eq!(qr.data.userpool.id, "");
}

#[tokio::test]
async fn a_failure_envelope_is_an_api_error() {
    let body = json!({
        "statusCode": 403,
        "apiCode": 2333,
        "message": "Account not exists or password is incorrect.",
        "requestId": "req-42"
    });
    let server = server_json(body).await;
    let err = client(&server)
        .sign_in_by_push("test")
        .await
        .expect_err("failure");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.operation, "sign_in_by_push");
    assert_eq!(api.http_status, 200);
    assert_eq!(api.status_code, 403);
    assert_eq!(api.api_code, Some(2333));
    assert_eq!(api.message, "Account not exists or password is incorrect.");
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert_eq!(
        (err.status_code(), err.api_code(), err.request_id()),
        (Some(403), Some(2333), Some("req-42"))
    );
    assert_eq!(
        err.to_string(),
        "sign_in_by_push failed: statusCode 403 (apiCode 2333): Account not exists or password is incorrect. [requestId req-42]"
    );
}

#[tokio::test]
async fn a_failure_keeps_the_data_the_caller_needs_next_without_showing_secrets() {
    // Multi-factor authentication required: the data holds the token to finish it with.
    let body = json!({
        "statusCode": 400,
        "apiCode": 1635,
        "message": "MFA required",
        "data": { "mfaToken": "mfa-secret-token", "applicationMfa": [{ "mfaPolicy": "OTP" }] }
    });
    let server = server_json(body).await;
    let err = client(&server)
        .sign_in_by_push("test")
        .await
        .expect_err("failure");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    #[derive(serde::Deserialize)]
    struct MfaRequired {
        #[serde(rename = "mfaToken")]
        mfa_token: String,
    }
    let data: MfaRequired = api.data_as().expect("typed data");
    assert_eq!(data.mfa_token, "mfa-secret-token");
    let shown = format!("{err} {err:?} {api:?}");
    assert!(!shown.contains("mfa-secret-token"), "{shown}");
    assert!(
        shown.contains("mfaPolicy: string(3)") && !shown.contains("OTP"),
        "the data shows as its shape: {shown}"
    );
}

#[tokio::test]
async fn a_failure_envelope_with_an_http_error_status_keeps_both() {
    let body = json!({ "statusCode": 400, "message": "qrcodeId must be a string" });
    let server = server(ResponseTemplate::new(400).set_body_json(body)).await;
    let err = client(&server)
        .check_qr_code_status("x")
        .await
        .expect_err("failure");
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(
        (api.http_status, api.status_code, api.api_code),
        (400, 400, None)
    );
}

#[tokio::test]
async fn a_malformed_envelope_still_reports_the_failure() {
    // Message as an object and codes as strings: seen from older servers.
    let body = json!({ "statusCode": "500", "apiCode": "1", "message": { "zh": "错误" } });
    let server = server_json(body).await;
    let err = client(&server)
        .check_qr_code_status("x")
        .await
        .expect_err("failure");
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!((api.status_code, api.api_code), (500, Some(1)));
    assert_eq!(api.message, r#"{"zh":"错误"}"#);
}

#[tokio::test]
async fn http_429_is_rate_limiting_with_the_wait_the_server_asks_for() {
    let response = ResponseTemplate::new(429)
        .insert_header("retry-after", "3")
        .set_body_json(json!({ "statusCode": 429, "message": "Too many requests" }));
    let server = server(response).await;
    let err = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect_err("limited");
    match &err {
        Error::RateLimited {
            operation,
            retry_after,
            message,
        } => {
            assert_eq!(*operation, "check_push_code_status");
            assert_eq!(*retry_after, Some(Duration::from_secs(3)));
            assert_eq!(message.as_deref(), Some("Too many requests"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(err.status_code(), Some(429));
    assert_eq!(
        err.to_string(),
        "check_push_code_status: rate limited by the server (retry after 3 s): Too many requests"
    );
}

#[tokio::test]
async fn http_429_with_an_empty_body_is_still_rate_limiting() {
    let server = server(ResponseTemplate::new(429)).await;
    let err = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect_err("limited");
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: None,
                message: None,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_rate_limit_in_the_envelope_is_rate_limiting() {
    let server = server_json(json!({ "statusCode": 429, "message": "slow down" })).await;
    let err = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect_err("limited");
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_showing_status_and_where_it_broke() {
    let body = r#"{"statusCode":200,"data":{"pushCodeId":"pc-1","expi"#;
    let server = server(raw(200, body, "application/json")).await;
    let err = client(&server)
        .sign_in_by_push("test")
        .await
        .expect_err("malformed");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.operation, "sign_in_by_push");
    assert_eq!(decode.http_status, 200);
    assert_eq!(
        decode.body_shape,
        format!("malformed JSON of {} bytes", body.len())
    );
    let message = err.to_string();
    assert!(
        message.contains("HTTP 200") && message.contains("not the JSON envelope"),
        "{message}"
    );
    assert!(!message.contains("pc-1"), "{message}");
}

#[tokio::test]
async fn an_html_error_page_is_a_decode_error_showing_status_and_title() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = server(raw(502, html, "text/html")).await;
    let err = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect_err("html");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.http_status, 502);
    assert_eq!(
        decode.body_shape,
        format!(
            "an HTML page of {} bytes titled \"502 Bad Gateway\"",
            html.len()
        )
    );
    let message = err.to_string();
    assert!(
        message.contains("HTTP 502")
            && message.contains("not the JSON envelope the API answers with"),
        "{message}"
    );
}

#[tokio::test]
async fn an_html_page_with_http_200_is_a_decode_error() {
    let server = server(raw(200, "<html>maintenance</html>", "text/html")).await;
    let err = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect_err("html");
    assert!(
        matches!(&err, Error::Decode(d) if d.http_status == 200 && d.body_shape.starts_with("an HTML page")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_a_decode_error_naming_the_field_not_the_value() {
    let server = server_json(ok(json!({ "pushCodeId": "pc-1", "expireTime": "soon" }))).await;
    let err = client(&server)
        .sign_in_by_push("test")
        .await
        .expect_err("wrong type");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.pointer.as_deref(), Some("/data/expireTime"));
    assert_eq!(
        decode.reason,
        "expected an integer, or an integer written as a string, found string(4)"
    );
    let message = err.to_string();
    assert!(message.contains("at /data/expireTime"), "{message}");
    assert!(
        !message.contains("soon") && !message.contains("pc-1"),
        "{message}"
    );
}

#[tokio::test]
async fn numbers_sent_as_strings_and_integers_sent_for_strings_decode() {
    let server = server_json(ok(json!({ "pushCodeId": 12345, "expireTime": "60000" }))).await;
    let resp = client(&server)
        .sign_in_by_push("test")
        .await
        .expect("decodes");
    assert_eq!(
        (resp.data.push_code_id.as_str(), resp.data.expire_time),
        ("12345", 60000)
    );
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_unknown_enum_values_kept() {
    let body = json!({
        "statusCode": 200,
        "message": "Success",
        "newTopLevelField": [1, 2, 3],
        "data": { "status": "SNOOZED", "unknownNested": { "a": 1 } }
    });
    let server = server_json(body).await;
    let resp = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect("success");
    assert_eq!(
        resp.data.status,
        PushCodeStatus::Unknown("SNOOZED".to_owned())
    );
    assert_eq!(resp.data.status.as_str(), "SNOOZED");
    assert_eq!(resp.data.token_set, None);
}

#[tokio::test]
async fn known_enum_values_and_nested_token_sets_decode() {
    let body = ok(json!({
        "status": "AUTHORIZED",
        "tokenSet": { "access_token": "at", "id_token": "it", "token_type": "Bearer", "expire_in": 7200 }
    }));
    let server = server_json(body).await;
    let resp = client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect("success");
    assert_eq!(resp.data.status, PushCodeStatus::Authorized);
    let tokens = resp.data.token_set.expect("tokens");
    assert_eq!(
        (
            tokens.access_token.as_deref(),
            tokens.token_type.as_str(),
            tokens.expire_in
        ),
        (Some("at"), "Bearer", 7200)
    );
    assert_eq!(tokens.refresh_token, None);
}

#[tokio::test]
async fn required_fields_left_out_or_null_fall_back_to_empty_values() {
    let body = json!({ "statusCode": 200, "message": null, "data": { "briefUserInfo": { "photo": null } } });
    let server = server_json(body).await;
    let resp = client(&server)
        .check_qr_code_status("qr-1")
        .await
        .expect("success");
    assert_eq!(resp.message, "");
    assert_eq!(resp.data.status, QrCodeStatus::Unknown(String::new()));
    let who = resp.data.brief_user_info.expect("brief user info");
    assert_eq!((who.display_name.as_str(), who.photo.as_str()), ("", ""));
}

#[tokio::test]
async fn a_response_without_data_decodes_to_an_empty_result() {
    let server = server_json(json!({ "statusCode": 200, "message": "Success" })).await;
    let resp = client(&server)
        .sign_in_by_push("test")
        .await
        .expect("success");
    assert_eq!(
        (resp.data.push_code_id.as_str(), resp.data.expire_time),
        ("", 0)
    );
}

#[tokio::test]
async fn tokens_in_responses_stay_out_of_debug_output_and_errors() {
    let tokens = json!({
        "access_token": "eyJ-access-secret",
        "id_token": "eyJ-id-secret",
        "refresh_token": "refresh-secret",
        "token_type": "Bearer",
        "expire_in": 7200
    });
    let server = server_json(ok(tokens.clone())).await;
    let resp = client(&server)
        .qr_code_app_login("qr-1", genauth::models::AppQrCodeLoginAction::AppLogin)
        .await
        .expect("success");
    assert_eq!(resp.data.access_token.as_deref(), Some("eyJ-access-secret"));
    let shown = format!("{resp:?} {resp:#?}");
    for secret in ["eyJ-access-secret", "eyJ-id-secret", "refresh-secret"] {
        assert!(!shown.contains(secret), "{secret} leaked into {shown}");
    }
    assert!(
        shown.contains("<redacted>") && shown.contains("7200"),
        "{shown}"
    );

    // The same tokens in a body that fails to decode.
    let mut broken = ok(tokens);
    broken["data"]["expire_in"] = json!("later");
    let server = server_json(broken).await;
    let err = client(&server)
        .qr_code_app_login("qr-1", genauth::models::AppQrCodeLoginAction::AppLogin)
        .await
        .expect_err("bad type");
    let shown = format!("{err} {err:?}");
    for secret in ["eyJ-access-secret", "eyJ-id-secret", "refresh-secret"] {
        assert!(!shown.contains(secret), "{secret} leaked into {shown}");
    }
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let response = ResponseTemplate::new(200)
        .set_body_json(ok(json!({})))
        .set_delay(Duration::from_secs(5));
    let server = server(response).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let err = client
        .check_qr_code_status("qr-1")
        .await
        .expect_err("timeout");
    assert!(
        matches!(err, Error::Timeout { operation: "check_qr_code_status", after } if after == Duration::from_millis(200)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "check_qr_code_status: no response within 200 ms"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = genauth::AuthenticationClient::builder()
        .app_id(APP_ID)
        .app_host(format!("http://127.0.0.1:{port}"))
        .allow_plain_http(true)
        .access_token(TOKEN)
        .build()
        .expect("client");
    let err = client
        .check_qr_code_status("qr-secret-id")
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Network {
                operation: "check_qr_code_status",
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("qr-secret-id"),
        "{shown}"
    );
}
