//! No access token, app secret, password or token from a response appears
//! in anything the crate logs, at any level, nor in `Debug` output: neither
//! in the V3 calls nor in the OpenID Connect flow, nor (with the
//! `management` feature) the access key secret or management token. Each test captures the
//! trace from its first line, as a callsite first seen without a subscriber
//! could otherwise stay silent.

mod common;

use common::login;
use common::trace::Capture;
use common::*;
use genauth::models::{SignInByPasswordPayloadDto, SignInConnection};
use genauth::{RetryPolicy, TokenEndpointAuthMethod};
use serde_json::json;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "pa55-word-never-logged";
const APP_SECRET: &str = "app-secret-never-logged";
const ISSUED_ACCESS: &str = "issued-access-token-never-logged";
const ISSUED_REFRESH: &str = "issued-refresh-token-never-logged";
const MFA_TOKEN: &str = "mfa-token-never-logged";

#[tokio::test]
async fn no_secret_is_ever_logged() {
    let (capture, _guard) = Capture::start();

    let server = MockServer::start().await;
    // A sign-in that succeeds and issues tokens, after one rate limit.
    Mock::given(path("/api/v3/signin"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let tokens = json!({ "access_token": ISSUED_ACCESS, "refresh_token": ISSUED_REFRESH, "token_type": "Bearer", "expire_in": 7200 });
    Mock::given(path("/api/v3/signin"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(tokens.clone())))
        .with_priority(2)
        .mount(&server)
        .await;
    // A failure whose data holds an MFA token, and a body that does not decode.
    Mock::given(path("/api/v3/get-profile"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "statusCode": 400, "apiCode": 1635, "message": "MFA required", "data": { "mfaToken": MFA_TOKEN } })))
        .mount(&server)
        .await;
    Mock::given(path("/api/v3/exchange-tokenset-with-qrcode-ticket"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "statusCode": 200, "data": { "access_token": ISSUED_ACCESS, "expire_in": "soon" } })))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!({}))))
        .mount(&server)
        .await;

    let client = builder(&server)
        .access_token(TOKEN)
        .app_secret(APP_SECRET)
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .remember_tokens(true)
        .retry(RetryPolicy::default().retry_unsafe_operations(true))
        .build()
        .expect("client");
    let mut shown = Vec::new();
    let signed_in = client
        .sign_in_by_credentials(SignInConnection::Password)
        .password_payload(SignInByPasswordPayloadDto {
            password: PASSWORD.into(),
            account: Some("ada".into()),
            email: None,
            username: None,
            phone: None,
        })
        .await
        .expect("signed in after one retry");
    shown.push(format!("{signed_in:?} {client:?}"));
    assert!(client.has_access_token());
    let failure = client.get_profile().await.expect_err("MFA required");
    shown.push(format!("{failure} {failure:?}"));
    let broken = client
        .exchange_token_set_with_qr_code_ticket("ticket")
        .client_secret(APP_SECRET)
        .await
        .expect_err("bad body");
    shown.push(format!("{broken} {broken:?}"));
    drop(_guard);

    let log = capture.text();
    assert!(
        log.contains("api_call")
            && log.contains("sign_in_by_credentials")
            && log.contains("retrying"),
        "the trace was captured:\n{log}"
    );
    assert!(
        log.contains("api_code=1635"),
        "the span records the apiCode:\n{log}"
    );
    let shown = shown.join("\n");
    for secret in [
        TOKEN,
        PASSWORD,
        APP_SECRET,
        ISSUED_ACCESS,
        ISSUED_REFRESH,
        MFA_TOKEN,
    ] {
        assert!(!log.contains(secret), "{secret} was logged:\n{log}");
        assert!(!shown.contains(secret), "{secret} was shown:\n{shown}");
    }
}

#[tokio::test]
async fn no_token_secret_or_code_of_an_oidc_login_is_ever_logged_or_shown() {
    let (capture, _guard) = Capture::start();
    let standin = login::standin(genauth_standin::Config::default()).await;
    let client = login::builder(&standin, genauth::oidc::OidcSettings::default())
        .remember_tokens(true)
        .build()
        .expect("client");
    let (login, callback) = login::sign_in_page(
        &client,
        genauth::oidc::AuthorizeOptions::default().scope("openid offline_access"),
    )
    .await;
    let signed_in = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect("signed in");
    let tokens = &signed_in.tokens;
    let refreshed = client
        .get_new_access_token_by_refresh_token(tokens.refresh_token.as_deref().unwrap_or_default())
        .await
        .expect("refreshed");
    let failure = client
        .parse_id_token(
            tokens.id_token.as_deref().unwrap_or_default(),
            Some("wrong"),
        )
        .await
        .expect_err("wrong nonce");
    let replay = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect_err("used code");
    let shown = format!(
        "{signed_in:?} {login:?} {refreshed:?} {failure} {failure:?} {replay} {replay:?} {client:?}"
    );
    let code = url::Url::parse(&callback)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let secrets = [
        tokens.access_token.clone(),
        tokens.id_token.clone().unwrap_or_default(),
        tokens.refresh_token.clone().unwrap_or_default(),
        refreshed.access_token.clone(),
        login.code_verifier.clone().unwrap_or_default(),
        login.nonce.clone().unwrap_or_default(),
        login.state.clone().unwrap_or_default(),
        code,
        standin.app_secret().to_owned(),
    ];
    let log = capture.text();
    assert!(log.contains("api_call"), "the trace was captured: {log}");
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!log.contains(secret.as_str()), "logged: {secret}\n{log}");
        assert!(!shown.contains(secret.as_str()), "shown: {secret}\n{shown}");
    }
}

#[cfg(feature = "management")]
const KEY_SECRET: &str = "access-key-secret-never-logged";
#[cfg(feature = "management")]
const ISSUED_MANAGEMENT: &str = "management-token-never-logged";

#[cfg(feature = "management")]
#[tokio::test]
async fn no_management_secret_or_token_is_logged_or_shown() {
    let (capture, _guard) = Capture::start();
    let server = MockServer::start().await;
    Mock::given(path("/api/v3/get-management-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "access_token": ISSUED_MANAGEMENT, "expires_in": 7200 }
        })))
        .mount(&server)
        .await;
    Mock::given(path("/api/v3/list-users"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "statusCode": 401, "message": format!("token {ISSUED_MANAGEMENT} expired")
        })))
        .mount(&server)
        .await;
    let client = genauth::management::ManagementClient::builder()
        .access_key_id("key-id")
        .access_key_secret(KEY_SECRET)
        .host(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("client");
    let builder_shown = format!(
        "{:?}",
        genauth::management::ManagementClient::builder()
            .access_key_secret(KEY_SECRET)
            .management_token(ISSUED_MANAGEMENT)
    );
    let error = client.list_users().await.expect_err("refused");
    let shown = format!("{builder_shown}\n{client:?}\n{error}\n{error:?}");
    drop(_guard);
    let log = capture.text();
    assert!(
        log.contains("list_users") && log.contains("get_management_token"),
        "the trace was captured:\n{log}"
    );
    for secret in [KEY_SECRET, ISSUED_MANAGEMENT] {
        assert!(!log.contains(secret), "{secret} was logged:\n{log}");
        assert!(!shown.contains(secret), "{secret} was shown:\n{shown}");
    }
}
