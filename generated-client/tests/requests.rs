//! What each operation puts on the wire: method, path, query, headers and body,
//! checked exactly against a mock server on loopback.

mod common;

use common::*;
use genauth::models::{
    AppQrCodeLoginAction, PushCodeAction, QrCodeAction, QrCodeType, SignInByPushOptionsDto,
    SignInFastpassOptionsDto,
};
use genauth::{Brand, Error, SecurityScheme, TokenEndpointAuthMethod};
use serde_json::json;

/// Headers every call carries, whatever the operation.
fn assert_common_headers(seen: &Seen) {
    assert_eq!(seen.header("x-genauth-app-id"), Some(APP_ID));
    assert_eq!(seen.header("x-genauth-sdk-version"), Some(SDK_VERSION));
}

/// A POST with exactly this JSON body.
fn assert_post(seen: &Seen, path: &str, body: serde_json::Value) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, path);
    assert_eq!(seen.raw_query, None);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.json(), body);
    assert_common_headers(seen);
}

/// A GET with exactly these query pairs and no body.
fn assert_get(seen: &Seen, path: &str, query: &[(&str, &str)]) {
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, path);
    let expected: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(seen.query, expected);
    assert!(seen.body.is_empty(), "a GET must not carry a body");
    assert_eq!(seen.header("content-type"), None);
    assert_common_headers(seen);
}

#[tokio::test]
async fn sign_in_by_push_sends_the_account_and_options() {
    let server = server_json(ok(json!({ "pushCodeId": "pc-1", "expireTime": 120 }))).await;
    let resp = client(&server)
        .sign_in_by_push("test")
        .options(SignInByPushOptionsDto {
            scope: Some("openid profile".into()),
            ..Default::default()
        })
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/signin-by-push",
        json!({"account": "test", "options": {"scope": "openid profile"}}),
    );
    assert_eq!(
        seen.body,
        br#"{"account":"test","options":{"scope":"openid profile"}}"#
    );
    assert_eq!(
        seen.header("authorization"),
        None,
        "no token was configured"
    );
    assert_eq!(
        (resp.data.push_code_id.as_str(), resp.data.expire_time),
        ("pc-1", 120)
    );
}

#[tokio::test]
async fn sign_in_by_push_without_options_sends_only_the_account() {
    let server = server_json(ok(json!({ "pushCodeId": "pc-1", "expireTime": 120 }))).await;
    client(&server)
        .sign_in_by_push("ada@example.com")
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/signin-by-push",
        json!({"account": "ada@example.com"}),
    );
}

#[tokio::test]
async fn check_push_code_status_queries_the_push_code() {
    let server = server_json(ok(json!({ "status": "PUSHED" }))).await;
    client(&server)
        .check_push_code_status("pc-1")
        .await
        .expect("success");
    assert_get(
        &only_request(&server).await,
        "/api/v3/check-pushcode-status",
        &[("pushCodeId", "pc-1")],
    );
}

#[tokio::test]
async fn change_push_code_status_sends_the_action_with_the_user_token() {
    let server = server_json(json!({ "statusCode": 200, "message": "Success" })).await;
    client_with_token(&server)
        .change_push_code_status("pc-1", PushCodeAction::Confirm)
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/change-pushcode-status",
        json!({"pushCodeId": "pc-1", "action": "CONFIRM"}),
    );
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn get_push_login_relation_apps_sends_both_ids() {
    let server = server_json(ok(json!({ "appIds": ["a1", "a2"] }))).await;
    let resp = client(&server)
        .get_push_login_relation_apps("pc-1", "app-9")
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/get-pushlogin-relation-apps",
        json!({"pushCodeId": "pc-1", "appId": "app-9"}),
    );
    assert_eq!(
        resp.data.app_ids,
        Some(vec!["a1".to_owned(), "a2".to_owned()])
    );
}

#[tokio::test]
async fn gene_fastpass_qrcode_info_sends_the_bearer_token_and_an_empty_object() {
    let server = server_json(ok(json!({ "qrcodeId": "qr-1" }))).await;
    client_with_token(&server)
        .gene_fastpass_qrcode_info()
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(&seen, "/api/v3/gene-fastpass-qrcode-info", json!({}));
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn gene_fastpass_qrcode_info_sends_options() {
    let server = server_json(ok(json!({ "qrcodeId": "qr-1" }))).await;
    client_with_token(&server)
        .gene_fastpass_qrcode_info()
        .options(SignInFastpassOptionsDto {
            context: Some(serde_json::Map::from_iter([(
                "source".to_owned(),
                json!("utm"),
            )])),
            ..Default::default()
        })
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/gene-fastpass-qrcode-info",
        json!({"options": {"context": {"source": "utm"}}}),
    );
}

#[tokio::test]
async fn operations_that_act_for_a_user_are_not_sent_without_a_token() {
    let server = server_json(ok(json!({}))).await;
    let client = client(&server);
    let err = client
        .gene_fastpass_qrcode_info()
        .await
        .expect_err("no token");
    match &err {
        Error::MissingCredentials { operation, missing } => {
            assert_eq!(*operation, "gene_fastpass_qrcode_info");
            assert_eq!(missing, &[SecurityScheme::AccessToken]);
        }
        other => panic!("expected MissingCredentials, got {other:?}"),
    }
    assert!(err.to_string().contains(".access_token(..)"), "{err}");
    let err = client
        .change_qr_code_status("qr-1", QrCodeAction::Scan)
        .await
        .expect_err("no token");
    assert!(matches!(err, Error::MissingCredentials { .. }), "{err:?}");
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "nothing may be sent: {received:?}");
}

#[tokio::test]
async fn get_fastpass_params_queries_both_ids_in_order() {
    let server = server_json(ok(
        json!({ "relationApps": [{ "id": "a1", "name": "One" }] }),
    ))
    .await;
    let resp = client(&server)
        .get_fastpass_params("qr-1", "app-9")
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_get(
        &seen,
        "/api/v3/get-fastpass-client-apps",
        &[("qrcodeId", "qr-1"), ("appId", "app-9")],
    );
    let apps = resp.data.relation_apps.expect("apps");
    assert_eq!(
        (
            apps[0].id.as_str(),
            apps[0].name.as_str(),
            apps[0].logo.as_deref()
        ),
        ("a1", "One", None)
    );
}

#[tokio::test]
async fn get_app_login_qr_code_status_url_encodes_the_query() {
    let server = server_json(ok(json!({ "status": "SCANNED" }))).await;
    client(&server)
        .get_app_login_qr_code_status("qr 1/ü&x=y")
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_get(
        &seen,
        "/api/v3/get-app-login-qrcode-status",
        &[("qrcodeId", "qr 1/ü&x=y")],
    );
    assert_eq!(
        seen.raw_query.as_deref(),
        Some("qrcodeId=qr%201%2F%C3%BC%26x%3Dy")
    );
}

#[tokio::test]
async fn qr_code_app_login_sends_the_action() {
    let server = server_json(ok(json!({ "token_type": "Bearer", "expire_in": 7200 }))).await;
    client(&server)
        .qr_code_app_login("qr-1", AppQrCodeLoginAction::AppLogin)
        .await
        .expect("success");
    assert_post(
        &only_request(&server).await,
        "/api/v3/qrcode-app-login",
        json!({"qrcodeId": "qr-1", "action": "APP_LOGIN"}),
    );
}

#[tokio::test]
async fn gene_qr_code_sends_false_and_leaves_unset_fields_out() {
    let server = server_json(ok(json!({ "qrcodeId": "qr-1", "url": "https://x/qr.png" }))).await;
    let resp = client(&server)
        .gene_qr_code(QrCodeType::MobileApp)
        .auto_merge_qr_code(false)
        .custom_data(serde_json::Map::from_iter([(
            "school".to_owned(),
            json!("hust"),
        )]))
        .await
        .expect("success");
    assert_post(
        &only_request(&server).await,
        "/api/v3/gene-qrcode",
        json!({"type": "MOBILE_APP", "customData": {"school": "hust"}, "autoMergeQrCode": false}),
    );
    assert_eq!(resp.data.url, "https://x/qr.png");
}

#[tokio::test]
async fn check_qr_code_status_queries_the_qr_code() {
    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    client(&server)
        .check_qr_code_status("qr-1")
        .await
        .expect("success");
    assert_get(
        &only_request(&server).await,
        "/api/v3/check-qrcode-status",
        &[("qrcodeId", "qr-1")],
    );
}

#[tokio::test]
async fn exchange_token_set_with_qr_code_ticket_sends_post_credentials_in_the_body() {
    let server = server_json(ok(json!({ "token_type": "Bearer", "expire_in": 7200 }))).await;
    client(&server)
        .exchange_token_set_with_qr_code_ticket("ticket-1")
        .client_id("app-123")
        .client_secret("app-secret")
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/exchange-tokenset-with-qrcode-ticket",
        json!({"ticket": "ticket-1", "client_id": "app-123", "client_secret": "app-secret"}),
    );
    assert_eq!(seen.header("authorization"), None);
}

#[tokio::test]
async fn exchange_token_set_with_qr_code_ticket_sends_basic_credentials_when_configured() {
    let server = server_json(ok(json!({ "token_type": "Bearer", "expire_in": 7200 }))).await;
    let client = builder(&server)
        .app_secret("app-secret")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .access_token(TOKEN)
        .build()
        .expect("client");
    client
        .exchange_token_set_with_qr_code_ticket("ticket-1")
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/exchange-tokenset-with-qrcode-ticket",
        json!({"ticket": "ticket-1"}),
    );
    // base64("app-123:app-secret")
    assert_eq!(
        seen.header("authorization"),
        Some("Basic YXBwLTEyMzphcHAtc2VjcmV0")
    );
}

#[tokio::test]
async fn other_operations_never_send_the_app_secret() {
    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    let client = builder(&server)
        .app_secret("app-secret")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .build()
        .expect("client");
    client.check_qr_code_status("qr-1").await.expect("success");
    assert_eq!(only_request(&server).await.header("authorization"), None);
}

#[tokio::test]
async fn change_qr_code_status_sends_the_step_with_the_user_token() {
    let server = server_json(json!({ "statusCode": 200, "message": "Success" })).await;
    client_with_token(&server)
        .change_qr_code_status("qr-1", QrCodeAction::Scan)
        .await
        .expect("success");
    let seen = only_request(&server).await;
    assert_post(
        &seen,
        "/api/v3/change-qrcode-status",
        json!({"qrcodeId": "qr-1", "action": "SCAN"}),
    );
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn a_configured_token_goes_with_calls_that_do_not_need_it() {
    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    client_with_token(&server)
        .check_qr_code_status("qr-1")
        .await
        .expect("success");
    assert_eq!(
        only_request(&server).await.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn the_authing_brand_uses_authing_header_names() {
    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    let client = builder(&server)
        .brand(Brand::Authing)
        .lang("en-US")
        .build()
        .expect("client");
    client.check_qr_code_status("qr-1").await.expect("success");
    let seen = only_request(&server).await;
    assert_eq!(seen.header("x-authing-app-id"), Some(APP_ID));
    assert_eq!(seen.header("x-authing-sdk-version"), Some(SDK_VERSION));
    assert_eq!(seen.header("x-authing-lang"), Some("en-US"));
    assert_eq!(seen.header("x-genauth-app-id"), None);
}

#[tokio::test]
async fn the_language_header_is_sent_only_when_set() {
    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    builder(&server)
        .lang("zh-CN")
        .build()
        .expect("client")
        .check_qr_code_status("qr-1")
        .await
        .expect("success");
    assert_eq!(
        only_request(&server).await.header("x-genauth-lang"),
        Some("zh-CN")
    );

    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    client(&server)
        .check_qr_code_status("qr-1")
        .await
        .expect("success");
    assert_eq!(only_request(&server).await.header("x-genauth-lang"), None);
}

#[tokio::test]
async fn an_app_host_with_a_path_prefixes_every_path() {
    let server = server_json(ok(json!({ "status": "PENDING" }))).await;
    let client = genauth::AuthenticationClient::builder()
        .app_id(APP_ID)
        .app_host(format!("{}/tenant/", server.uri()))
        .allow_plain_http(true)
        .build()
        .expect("client");
    client.check_qr_code_status("qr-1").await.expect("success");
    assert_eq!(
        only_request(&server).await.path,
        "/tenant/api/v3/check-qrcode-status"
    );
}
