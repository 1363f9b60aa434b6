//! The protocol helpers on the wire, checked request by request: login and
//! logout URLs, the forms and client authentication of the token,
//! introspection and revocation endpoints, where tokens travel, and how
//! answers and OAuth errors are read.

mod common;

use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use genauth::oidc::{
    AuthorizeOptions, CasValidation, CodeExchange, LogoutOptions, OidcSettings, Protocol,
    TokenTypeHint,
};
use genauth::{AuthenticationClientBuilder, Error, TokenEndpointAuthMethod};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

const SECRET: &str = "app-secret-xyz";
const CALLBACK: &str = "https://my.app/callback?from=a&b=c#frag";

fn with_oidc(server: &MockServer, settings: OidcSettings) -> AuthenticationClientBuilder {
    builder(server).app_secret(SECRET).oidc(settings)
}

fn query(url: &str) -> Vec<(String, String)> {
    let url = url::Url::parse(url).expect("a URL");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn form(seen: &Seen) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&seen.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn tokens() -> serde_json::Value {
    json!({ "access_token": "at-1", "id_token": "it-1", "refresh_token": "rt-1", "token_type": "Bearer", "expires_in": 3600, "scope": "openid profile" })
}

#[tokio::test]
async fn an_oidc_login_url_carries_state_nonce_and_a_pkce_challenge() {
    let server = server_json(json!({})).await;
    let client = with_oidc(&server, OidcSettings::default().redirect_uri(CALLBACK))
        .build()
        .expect("client");
    let login = client
        .build_authorize_url(AuthorizeOptions::default())
        .expect("a URL");
    assert!(
        login
            .url
            .starts_with(&format!("{}/oidc/auth?", server.uri())),
        "{}",
        login.url
    );
    let pairs = query(&login.url);
    assert_eq!(get(&pairs, "client_id"), Some(APP_ID));
    assert_eq!(
        get(&pairs, "redirect_uri"),
        Some(CALLBACK),
        "encoded and back"
    );
    assert_eq!(get(&pairs, "response_type"), Some("code"));
    assert_eq!(get(&pairs, "response_mode"), Some("query"));
    assert_eq!(get(&pairs, "scope"), Some("openid profile"));
    assert_eq!(get(&pairs, "state"), login.state.as_deref());
    assert_eq!(get(&pairs, "nonce"), login.nonce.as_deref());
    assert_eq!(get(&pairs, "prompt"), None);
    let verifier = login.code_verifier.as_deref().expect("a verifier");
    assert_eq!(verifier.len(), 43);
    let challenge = URL_SAFE_NO_PAD.encode(
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes()).as_ref(),
    );
    assert_eq!(get(&pairs, "code_challenge"), Some(challenge.as_str()));
    assert_eq!(get(&pairs, "code_challenge_method"), Some("S256"));
    assert_eq!(login.redirect_uri.as_deref(), Some(CALLBACK));

    // Each login has its own secrets, and Debug shows none of them.
    let again = client
        .build_authorize_url(AuthorizeOptions::default())
        .expect("a URL");
    assert_ne!(again.state, login.state);
    assert_ne!(again.nonce, login.nonce);
    assert_ne!(again.code_verifier, login.code_verifier);
    let shown = format!("{login:?}");
    for secret in [&login.state, &login.nonce, &login.code_verifier] {
        let secret = secret.as_deref().expect("set");
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn login_url_options_and_protocols() {
    let server = server_json(json!({})).await;
    let settings = OidcSettings::default().redirect_uri(CALLBACK);
    let client = with_oidc(&server, settings.clone())
        .build()
        .expect("client");
    let login = client
        .build_authorize_url(
            AuthorizeOptions::default()
                .scope("openid offline_access")
                .forced(true)
                .tenant_id("tenant 1&2")
                .redirect_uri("https://other.app/cb"),
        )
        .expect("a URL");
    let pairs = query(&login.url);
    assert_eq!(get(&pairs, "prompt"), Some("login consent"));
    assert_eq!(get(&pairs, "tenantId"), Some("tenant 1&2"));
    assert_eq!(get(&pairs, "redirect_uri"), Some("https://other.app/cb"));
    assert_eq!(login.redirect_uri.as_deref(), Some("https://other.app/cb"));

    let oauth = with_oidc(&server, settings.clone().protocol(Protocol::Oauth))
        .build()
        .expect("client");
    let login = oauth
        .build_authorize_url(AuthorizeOptions::default())
        .expect("a URL");
    assert!(login.url.contains("/oauth/auth?"), "{}", login.url);
    assert_eq!(
        (login.nonce, get(&query(&login.url), "nonce")),
        (None, None)
    );

    let saml = with_oidc(&server, settings.clone().protocol(Protocol::Saml))
        .build()
        .expect("client");
    let login = saml
        .build_authorize_url(AuthorizeOptions::default())
        .expect("a URL");
    assert_eq!(
        login.url,
        format!("{}/api/v2/saml-idp/{APP_ID}", server.uri())
    );

    let cas = with_oidc(&server, settings.protocol(Protocol::Cas))
        .build()
        .expect("client");
    let login = cas
        .build_authorize_url(AuthorizeOptions::default().service("https://svc.io/?a=1&b=2"))
        .expect("a URL");
    assert!(
        login
            .url
            .starts_with(&format!("{}/cas-idp/{APP_ID}?", server.uri()))
    );
    assert_eq!(
        get(&query(&login.url), "service"),
        Some("https://svc.io/?a=1&b=2")
    );

    let unset = builder(&server).build().expect("client");
    let err = unset
        .build_authorize_url(AuthorizeOptions::default())
        .expect_err("no redirect URI");
    assert!(err.to_string().contains("redirect URI"), "{err}");
}

#[tokio::test]
async fn logout_urls_are_encoded_and_refuse_a_redirect_without_an_id_token() {
    let server = server_json(json!({})).await;
    let settings = OidcSettings::default().logout_redirect_uri("https://my.app/bye?x=1&y=2");
    let client = with_oidc(&server, settings.clone())
        .build()
        .expect("client");
    let url = client
        .build_logout_url(
            LogoutOptions::default()
                .id_token_hint("id.token.here")
                .state("s&1"),
        )
        .expect("a URL");
    assert!(
        url.starts_with(&format!("{}/oidc/session/end?", server.uri())),
        "{url}"
    );
    let pairs = query(&url);
    assert_eq!(get(&pairs, "id_token_hint"), Some("id.token.here"));
    assert_eq!(
        get(&pairs, "post_logout_redirect_uri"),
        Some("https://my.app/bye?x=1&y=2")
    );
    assert_eq!(get(&pairs, "state"), Some("s&1"));
    let err = client
        .build_logout_url(LogoutOptions::default())
        .expect_err("a redirect needs the ID token");
    assert!(matches!(err, Error::Config(_)), "{err:?}");

    let cas = with_oidc(&server, settings.clone().protocol(Protocol::Cas))
        .build()
        .expect("client");
    let url = cas
        .build_logout_url(LogoutOptions::default())
        .expect("a URL");
    assert!(
        url.starts_with(&format!("{}/cas-idp/logout?", server.uri())),
        "{url}"
    );
    assert_eq!(get(&query(&url), "url"), Some("https://my.app/bye?x=1&y=2"));

    let oauth = with_oidc(&server, settings.protocol(Protocol::Oauth))
        .build()
        .expect("client");
    let url = oauth
        .build_logout_url(LogoutOptions::default())
        .expect("a URL");
    assert!(
        url.starts_with(&format!("{}/login/profile/logout?", server.uri())),
        "{url}"
    );
}

#[tokio::test]
async fn a_code_is_traded_with_its_verifier_and_the_secret_in_the_body() {
    let server = server_json(tokens()).await;
    let client = with_oidc(&server, OidcSettings::default().redirect_uri(CALLBACK))
        .access_token(TOKEN)
        .build()
        .expect("client");
    let before = SystemTime::now();
    let tokens = client
        .get_access_token_by_code(
            "code-1",
            CodeExchange::default().code_verifier("verifier-1"),
        )
        .await
        .expect("tokens");
    let seen = only_request(&server).await;
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/oidc/token")
    );
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        form(&seen),
        [
            ("grant_type", "authorization_code"),
            ("code", "code-1"),
            ("redirect_uri", CALLBACK),
            ("code_verifier", "verifier-1"),
            ("client_id", APP_ID),
            ("client_secret", SECRET),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(
        seen.header("authorization"),
        None,
        "no user token goes to the token endpoint"
    );
    assert_eq!(seen.raw_query, None, "nothing travels in the URL");
    assert_eq!(tokens.access_token, "at-1");
    assert_eq!(tokens.refresh_token.as_deref(), Some("rt-1"));
    let expires_at = tokens.expires_at.expect("an expiry");
    assert!(
        expires_at >= before + Duration::from_secs(3600)
            && expires_at <= SystemTime::now() + Duration::from_secs(3600),
        "{expires_at:?}"
    );
    let shown = format!("{tokens:?}");
    assert!(
        !shown.contains("at-1") && !shown.contains("rt-1") && !shown.contains("it-1"),
        "{shown}"
    );
}

#[tokio::test]
async fn each_endpoint_authenticates_the_client_its_own_way() {
    let server = server_json(json!({ "active": true, "sub": "u-1", "scope": "openid" })).await;
    let client = with_oidc(
        &server,
        OidcSettings::default()
            .redirect_uri(CALLBACK)
            .introspection_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
            .revocation_endpoint_auth_method(TokenEndpointAuthMethod::None),
    )
    .build()
    .expect("client");

    let found = client
        .introspect_token("tok-1", TokenTypeHint::RefreshToken)
        .await
        .expect("introspected");
    assert!(found.active && found.sub.as_deref() == Some("u-1"));
    let seen = only_request(&server).await;
    assert_eq!(seen.path, "/oidc/token/introspection");
    let basic = format!("Basic {}", STANDARD.encode(format!("{APP_ID}:{SECRET}")));
    assert_eq!(seen.header("authorization"), Some(basic.as_str()));
    assert_eq!(
        form(&seen),
        [("token", "tok-1"), ("token_type_hint", "refresh_token")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );

    server.reset().await;
    let server_ok = server_json(json!({})).await;
    let client = with_oidc(
        &server_ok,
        OidcSettings::default().revocation_endpoint_auth_method(TokenEndpointAuthMethod::None),
    )
    .build()
    .expect("client");
    client
        .revoke_token("tok-2", TokenTypeHint::AccessToken)
        .await
        .expect("revoked");
    let seen = only_request(&server_ok).await;
    assert_eq!(seen.path, "/oidc/token/revocation");
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(
        form(&seen),
        [
            ("token", "tok-2"),
            ("token_type_hint", "access_token"),
            ("client_id", APP_ID)
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

#[tokio::test]
async fn revocation_reports_what_the_server_said() {
    let refused = ResponseTemplate::new(401)
        .set_body_json(json!({ "error": "invalid_client", "error_description": "bad secret" }));
    let server = server(refused).await;
    let client = with_oidc(&server, OidcSettings::default())
        .build()
        .expect("client");
    let err = client
        .revoke_token("tok", TokenTypeHint::AccessToken)
        .await
        .expect_err("refused");
    let Error::OAuth(oauth) = &err else {
        panic!("expected Error::OAuth, got {err:?}");
    };
    assert_eq!(
        (
            oauth.operation,
            oauth.error.as_str(),
            oauth.error_description.as_deref(),
            oauth.http_status
        ),
        (
            "revoke_token",
            "invalid_client",
            Some("bad secret"),
            Some(401)
        )
    );

    let broken = server_with(ResponseTemplate::new(503).set_body_string("down")).await;
    let client = with_oidc(&broken, OidcSettings::default())
        .build()
        .expect("client");
    let err = client
        .revoke_token("tok", TokenTypeHint::AccessToken)
        .await
        .expect_err("not revoked");
    assert!(
        matches!(&err, Error::Status(s) if s.http_status == 503),
        "{err:?}"
    );
}

async fn server_with(response: ResponseTemplate) -> MockServer {
    server(response).await
}

#[tokio::test]
async fn basic_client_authentication_at_the_token_endpoint_keeps_the_secret_out_of_the_body() {
    let server = server_json(tokens()).await;
    let client = with_oidc(&server, OidcSettings::default().redirect_uri(CALLBACK))
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .build()
        .expect("client");
    client
        .get_new_access_token_by_refresh_token("rt-1")
        .await
        .expect("tokens");
    let seen = only_request(&server).await;
    let basic = format!("Basic {}", STANDARD.encode(format!("{APP_ID}:{SECRET}")));
    assert_eq!(seen.header("authorization"), Some(basic.as_str()));
    assert_eq!(
        form(&seen),
        [("grant_type", "refresh_token"), ("refresh_token", "rt-1")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

#[tokio::test]
async fn client_credentials_go_in_the_body_and_are_not_remembered() {
    let body = json!({ "access_token": "m2m", "token_type": "Bearer", "expires_in": 3600, "scope": "read", "rejected_scope": "" });
    let server = server_json(body).await;
    let client = with_oidc(&server, OidcSettings::default())
        .remember_tokens(true)
        .build()
        .expect("client");
    let tokens = client
        .get_access_token_by_client_credentials("read write", "ak-1", "as-1")
        .await
        .expect("tokens");
    assert_eq!(
        (
            tokens.access_token.as_str(),
            tokens.rejected_scope.as_deref()
        ),
        ("m2m", Some(""))
    );
    assert!(!client.has_access_token());
    let seen = only_request(&server).await;
    assert_eq!(
        form(&seen),
        [
            ("grant_type", "client_credentials"),
            ("scope", "read write"),
            ("client_id", "ak-1"),
            ("client_secret", "as-1"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

#[tokio::test]
async fn a_remembering_client_keeps_a_users_new_access_token() {
    let server = server_json(tokens()).await;
    let client = with_oidc(&server, OidcSettings::default())
        .remember_tokens(true)
        .build()
        .expect("client");
    client
        .get_new_access_token_by_refresh_token("rt-1")
        .await
        .expect("tokens");
    assert!(client.has_access_token());
}

#[tokio::test]
async fn oauth_errors_are_typed_and_hide_tokens() {
    let refused = ResponseTemplate::new(400).set_body_json(json!({
        "error": "invalid_grant",
        "error_description": "code Xk29dLq8ZpW3vN7bT1cR is used"
    }));
    let server = server(refused).await;
    let client = with_oidc(&server, OidcSettings::default().redirect_uri(CALLBACK))
        .build()
        .expect("client");
    let err = client
        .get_access_token_by_code("Xk29dLq8ZpW3vN7bT1cR", CodeExchange::default())
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::OAuth(o) if o.error == "invalid_grant" && o.operation == "get_access_token_by_code"),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("Xk29dLq8ZpW3vN7bT1cR"), "{shown}");
}

#[tokio::test]
async fn userinfo_sends_the_token_in_the_header_only() {
    let server = server_json(json!({ "sub": "u-1", "name": "Ada", "email": null, "updated_at": "2020-09-30T07:12:19.401Z" })).await;
    let client = with_oidc(&server, OidcSettings::default())
        .access_token(TOKEN)
        .build()
        .expect("client");
    let info = client
        .get_user_info_by_access_token("their-access-token")
        .await
        .expect("userinfo");
    assert_eq!(
        (info.sub.as_str(), info.profile.name.as_deref()),
        ("u-1", Some("Ada"))
    );
    assert_eq!(info.profile.updated_at, Some(1_601_449_939));
    let seen = only_request(&server).await;
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/oidc/me")
    );
    assert_eq!(
        seen.header("authorization"),
        Some("Bearer their-access-token")
    );
    assert_eq!(seen.raw_query, None);
    assert!(seen.body.is_empty());
}

#[tokio::test]
async fn cas_tickets_are_checked_in_both_protocols() {
    let server = common::server(ResponseTemplate::new(200).set_body_string("yes\nada\n")).await;
    let client = with_oidc(&server, OidcSettings::default())
        .build()
        .expect("client");
    let valid = client
        .validate_ticket_v1("ST-1", "https://svc.io/?a=1&b=2")
        .await
        .expect("checked");
    assert!(
        matches!(&valid, CasValidation::Valid(u) if u.user == "ada"),
        "{valid:?}"
    );
    let seen = only_request(&server).await;
    assert_eq!(seen.path, format!("/cas-idp/{APP_ID}/validate"));
    assert_eq!(
        seen.query,
        [("service", "https://svc.io/?a=1&b=2"), ("ticket", "ST-1")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );

    let server = common::server(ResponseTemplate::new(200).set_body_string("no\n\n")).await;
    let client = with_oidc(&server, OidcSettings::default())
        .build()
        .expect("client");
    let invalid = client
        .validate_ticket_v1("ST-1", "s")
        .await
        .expect("checked");
    assert!(
        matches!(invalid, CasValidation::Invalid { .. }),
        "{invalid:?}"
    );

    let success = json!({ "serviceResponse": { "authenticationSuccess": { "user": "ada", "attributes": { "email": "a@b.c" } } } });
    let server = server_json(success).await;
    let client = with_oidc(&server, OidcSettings::default())
        .build()
        .expect("client");
    let valid = client
        .validate_ticket_v2("ST-2", "s")
        .await
        .expect("checked");
    assert!(
        matches!(&valid, CasValidation::Valid(u) if u.user == "ada" && u.attributes["email"] == "a@b.c"),
        "{valid:?}"
    );
    assert_eq!(
        get(&only_request(&server).await.query, "format"),
        Some("JSON")
    );

    let failure = json!({ "serviceResponse": { "authenticationFailure": { "code": "INVALID_TICKET", "description": "used" } } });
    let server = server_json(failure).await;
    let client = with_oidc(&server, OidcSettings::default())
        .build()
        .expect("client");
    let invalid = client
        .validate_ticket_v2("ST-2", "s")
        .await
        .expect("checked");
    assert_eq!(
        invalid,
        CasValidation::Invalid {
            code: Some("INVALID_TICKET".into()),
            description: Some("used".into())
        }
    );
}
