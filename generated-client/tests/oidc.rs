//! The protocol helpers end to end against the local stand-in, which signs
//! real RS256 tokens: the code flow with PKCE, refresh, client credentials,
//! userinfo, introspection, revocation, logout and CAS — and the attacks a
//! verifier must turn away, each a test that fails if its check goes.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::login::*;
use genauth::oidc::{
    AuthorizeOptions, CasValidation, IdTokenSigning, LogoutOptions, OidcSettings, Protocol,
    TokenError, TokenTypeHint,
};
use genauth::{AuthenticationClient, Error, TokenEndpointAuthMethod};
use genauth_standin::{Authorize, ClientAuth, Config, IdTokenAlg, StandIn};
use serde_json::{Value, json};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Claims for a token of the stand-in's issuer and app, valid for an hour.
fn claims(standin: &StandIn) -> Value {
    json!({ "iss": standin.issuer(), "aud": standin.app_id(), "sub": "u-1", "iat": now(), "exp": now() + 3600 })
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn token_error(result: Result<impl std::fmt::Debug, Error>) -> TokenError {
    match result {
        Err(Error::Token(why)) => why,
        other => panic!("expected Error::Token, got {other:?}"),
    }
}

fn jwks_fetches(standin: &StandIn) -> usize {
    standin
        .requests()
        .iter()
        .filter(|r| r.contains("/.well-known/jwks.json"))
        .count()
}

#[tokio::test]
async fn the_code_flow_with_pkce_signs_the_user_in_with_verified_tokens() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let (login, callback) = sign_in_page(
        &client,
        AuthorizeOptions::default().scope("openid profile email offline_access"),
    )
    .await;
    assert!(callback.starts_with(CALLBACK), "{callback}");
    let signed_in = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect("signed in");
    let claims = signed_in.id_token_claims.expect("ID token claims");
    assert_eq!(claims.iss, standin.issuer());
    assert_eq!(claims.nonce, login.nonce);
    assert_eq!(claims.profile.name.as_deref(), Some("Demo User"));
    assert!(
        claims.profile.updated_at.is_some(),
        "updated_at arrives as RFC 3339 text"
    );
    let tokens = signed_in.tokens;
    assert!(
        tokens.refresh_token.is_some(),
        "offline_access gives a refresh token"
    );
    assert!(!tokens.expires_within(Duration::from_secs(60)));

    // The access token verifies offline, and the stand-in agrees it is active.
    let access = client
        .parse_access_token(&tokens.access_token)
        .await
        .expect("verifies");
    assert_eq!(access.sub, claims.sub);
    let info = client
        .get_user_info_by_access_token(&tokens.access_token)
        .await
        .expect("userinfo");
    assert_eq!(info.sub, claims.sub);
    let active = client
        .introspect_token(&tokens.access_token, TokenTypeHint::AccessToken)
        .await
        .expect("introspected");
    assert!(active.active);

    // Refresh, then revoke: the revoked token is no longer active.
    let refresh = tokens.refresh_token.as_deref().unwrap_or_default();
    let renewed = client
        .get_new_access_token_by_refresh_token(refresh)
        .await
        .expect("renewed");
    assert_ne!(renewed.access_token, tokens.access_token);
    client
        .revoke_token(&renewed.access_token, TokenTypeHint::AccessToken)
        .await
        .expect("revoked");
    let inactive = client
        .introspect_token(&renewed.access_token, TokenTypeHint::AccessToken)
        .await
        .expect("introspected");
    assert!(!inactive.active);

    // No token ever travelled in a URL.
    for line in standin.requests() {
        for token in [
            &tokens.access_token,
            &renewed.access_token,
            &refresh.to_owned(),
        ] {
            assert!(!line.contains(token.as_str()), "a token in a URL: {line}");
        }
    }
}

#[tokio::test]
async fn every_client_authentication_method_is_accepted_where_configured() {
    for (method, server) in [
        (
            TokenEndpointAuthMethod::ClientSecretPost,
            ClientAuth::ClientSecretPost,
        ),
        (
            TokenEndpointAuthMethod::ClientSecretBasic,
            ClientAuth::ClientSecretBasic,
        ),
        (TokenEndpointAuthMethod::None, ClientAuth::None),
    ] {
        let standin = standin(Config {
            client_auth: server,
            ..Config::default()
        })
        .await;
        let settings = OidcSettings::default()
            .introspection_endpoint_auth_method(method)
            .revocation_endpoint_auth_method(method);
        let client = builder(&standin, settings)
            .token_endpoint_auth_method(method)
            .build()
            .expect("client");
        let (login, callback) = sign_in_page(&client, AuthorizeOptions::default()).await;
        let signed_in = client
            .handle_redirect_callback(&callback, &login)
            .await
            .unwrap_or_else(|e| panic!("{method:?}: {e}"));
        let token = &signed_in.tokens.access_token;
        assert!(
            client
                .introspect_token(token, TokenTypeHint::AccessToken)
                .await
                .is_ok()
        );
        client
            .revoke_token(token, TokenTypeHint::AccessToken)
            .await
            .unwrap_or_else(|e| panic!("{method:?}: {e}"));

        // The server refuses any other method, and the client says why.
        let other = if method == TokenEndpointAuthMethod::ClientSecretBasic {
            TokenEndpointAuthMethod::ClientSecretPost
        } else {
            TokenEndpointAuthMethod::ClientSecretBasic
        };
        let wrong = builder(&standin, OidcSettings::default())
            .token_endpoint_auth_method(other)
            .build()
            .expect("client");
        let (login, callback) = sign_in_page(&wrong, AuthorizeOptions::default()).await;
        let err = wrong
            .handle_redirect_callback(&callback, &login)
            .await
            .expect_err("refused");
        assert!(
            matches!(&err, Error::OAuth(o) if o.error == "invalid_client"),
            "{method:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_code_cannot_be_traded_with_another_verifier_or_twice() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let (mut login, callback) = sign_in_page(&client, AuthorizeOptions::default()).await;
    let real = login.code_verifier.clone();
    login.code_verifier = Some("a-verifier-the-attacker-made-up-of-43-chars!!".into());
    let err = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect_err("PKCE refuses it");
    assert!(
        matches!(&err, Error::OAuth(o) if o.error == "invalid_grant"),
        "{err:?}"
    );

    // A fresh login trades once, and only once.
    let (login, callback) = sign_in_page(&client, AuthorizeOptions::default()).await;
    assert_ne!(login.code_verifier, real);
    client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect("the first trade works");
    let err = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect_err("a code is single use");
    assert!(
        matches!(&err, Error::OAuth(o) if o.error == "invalid_grant"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_callback_with_another_state_or_an_error_signs_nobody_in() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let (login, callback) = sign_in_page(&client, AuthorizeOptions::default()).await;
    let (other, _) = sign_in_page(&client, AuthorizeOptions::default()).await;
    assert_eq!(
        token_error(client.handle_redirect_callback(&callback, &other).await),
        TokenError::StateMismatch
    );
    let forged = callback.replace("code=", "state=forged&code=");
    assert_eq!(
        token_error(client.handle_redirect_callback(&forged, &login).await),
        TokenError::StateMismatch
    );

    standin.set_authorize(Authorize::Deny);
    let (login, callback) = sign_in_page(&client, AuthorizeOptions::default()).await;
    let err = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect_err("denied");
    assert!(
        matches!(&err, Error::OAuth(o) if o.error == "access_denied" && o.http_status.is_none()),
        "{err:?}"
    );
}

#[tokio::test]
async fn tokens_are_refused_for_every_claim_that_is_wrong() {
    let standin = standin(Config::default()).await;
    let client = builder(
        &standin,
        OidcSettings::default().leeway(Duration::from_secs(30)),
    )
    .build()
    .expect("client");
    let good = claims(&standin);
    client
        .parse_access_token(&standin.sign(good.clone()))
        .await
        .expect("the control token verifies");

    let cases = [
        (
            with(good.clone(), "exp", json!(now() - 120)),
            TokenError::Expired,
        ),
        (
            with(good.clone(), "nbf", json!(now() + 120)),
            TokenError::NotYetValid,
        ),
        (
            with(good.clone(), "aud", json!("another-app")),
            TokenError::WrongAudience,
        ),
        (
            with(good.clone(), "iss", json!("https://evil.example/oidc")),
            TokenError::WrongIssuer,
        ),
    ];
    for (claims, expected) in cases {
        let token = standin.sign(claims.clone());
        assert_eq!(
            token_error(client.parse_access_token(&token).await),
            expected,
            "{claims}"
        );
    }
    // Within the leeway, a clock that is a little off is forgiven.
    let late = standin.sign(with(good.clone(), "exp", json!(now() - 10)));
    client
        .parse_access_token(&late)
        .await
        .expect("within the leeway");
    let early = standin.sign(with(good.clone(), "nbf", json!(now() + 10)));
    client
        .parse_access_token(&early)
        .await
        .expect("within the leeway");

    // A signature that does not match the content.
    let token = standin.sign(good.clone());
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged_claims =
        URL_SAFE_NO_PAD.encode(with(good.clone(), "sub", json!("admin")).to_string());
    parts[1] = &forged_claims;
    assert_eq!(
        token_error(client.parse_access_token(&parts.join(".")).await),
        TokenError::BadSignature
    );
    assert_eq!(
        token_error(client.parse_access_token("not-a-jwt").await),
        TokenError::Malformed
    );

    // A nonce that is not the login's.
    let id = standin.sign(with(good.clone(), "nonce", json!("n-1")));
    client
        .parse_id_token(&id, Some("n-1"))
        .await
        .expect("its nonce");
    assert_eq!(
        token_error(client.parse_id_token(&id, Some("n-2")).await),
        TokenError::NonceMismatch
    );
    let without = standin.sign(good);
    assert_eq!(
        token_error(client.parse_id_token(&without, Some("n-1")).await),
        TokenError::NonceMismatch
    );
}

/// A token with this header and claims, "signed" with `signature`.
fn forged(header: Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

#[tokio::test]
async fn the_algorithm_is_the_clients_choice_never_the_tokens() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let claims = claims(&standin);
    let kid = standin.signing_key_id();

    // `alg: none`, unsigned.
    let none = forged(json!({ "alg": "none", "typ": "JWT" }), &claims, b"");
    assert!(
        matches!(token_error(client.parse_access_token(&none).await), TokenError::DisallowedAlgorithm { alg } if alg == "none")
    );

    // HS256 "signed" with the bytes of the RSA public key, as an attacker
    // who read the JWKS would: it must not be tried as an HMAC key.
    let body = reqwest::get(format!("{}/oidc/.well-known/jwks.json", standin.url()))
        .await
        .expect("the JWKS")
        .bytes()
        .await
        .expect("a body");
    let jwks: Value = serde_json::from_slice(&body).expect("JSON");
    let modulus = jwks["keys"][0]["n"].as_str().unwrap_or_default().to_owned();
    for key in [
        modulus.as_bytes().to_vec(),
        URL_SAFE_NO_PAD.decode(&modulus).unwrap_or_default(),
    ] {
        let header = json!({ "alg": "HS256", "typ": "JWT", "kid": kid });
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mac = aws_lc_rs::hmac::sign(
            &aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &key),
            message.as_bytes(),
        );
        let token = format!("{message}.{}", URL_SAFE_NO_PAD.encode(mac.as_ref()));
        for result in [
            client.parse_access_token(&token).await.map(drop),
            client.parse_id_token(&token, None).await.map(drop),
        ] {
            assert!(
                matches!(token_error(result), TokenError::DisallowedAlgorithm { alg } if alg == "HS256")
            );
        }
    }
}

#[tokio::test]
async fn hs256_id_tokens_verify_with_the_app_secret_where_the_app_uses_them() {
    let standin = standin(Config {
        id_token_alg: IdTokenAlg::Hs256,
        ..Config::default()
    })
    .await;
    let hs256 = builder(
        &standin,
        OidcSettings::default().id_token_signing(IdTokenSigning::Hs256),
    )
    .build()
    .expect("client");
    let (login, callback) = sign_in_page(&hs256, AuthorizeOptions::default()).await;
    let signed_in = hs256
        .handle_redirect_callback(&callback, &login)
        .await
        .expect("an HS256 ID token verifies with the app secret");
    // Access tokens stay RS256 whatever the ID token setting.
    hs256
        .parse_access_token(&signed_in.tokens.access_token)
        .await
        .expect("RS256 access token");
    // A client set up for RS256 refuses the HS256 ID token.
    let id_token = signed_in.tokens.id_token.unwrap_or_default();
    let rs256 = client(&standin);
    assert!(matches!(
        token_error(rs256.parse_id_token(&id_token, None).await),
        TokenError::DisallowedAlgorithm { .. }
    ));
}

#[tokio::test]
async fn a_warm_key_cache_verifies_without_any_network_call() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let token = standin.sign(claims(&standin));
    client.parse_access_token(&token).await.expect("verifies");
    let before = standin.requests().len();
    for _ in 0..50 {
        client.parse_access_token(&token).await.expect("verifies");
    }
    assert_eq!(standin.requests().len(), before, "{:?}", standin.requests());
    assert_eq!(jwks_fetches(&standin), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    let standin = standin(Config::default()).await;
    let client = Arc::new(client(&standin));
    let token = Arc::new(standin.sign(claims(&standin)));
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let (client, token) = (Arc::clone(&client), Arc::clone(&token));
            tokio::spawn(async move { client.parse_access_token(&token).await.map(drop) })
        })
        .collect();
    for call in calls {
        call.await.expect("ran").expect("verifies");
    }
    assert_eq!(jwks_fetches(&standin), 1);
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_and_a_flood_of_forged_kids_is_not() {
    let standin = standin(Config::default()).await;
    let client = builder(
        &standin,
        OidcSettings::default().jwks_cache(Duration::from_secs(600), Duration::ZERO),
    )
    .build()
    .expect("client");
    client
        .parse_access_token(&standin.sign(claims(&standin)))
        .await
        .expect("verifies");
    standin.rotate_signing_key(false);
    client
        .parse_access_token(&standin.sign(claims(&standin)))
        .await
        .expect("the new key is fetched and used");
    assert_eq!(jwks_fetches(&standin), 2);

    // With the usual cool-down, a flood of unknown kids makes one fetch.
    let guarded = client_with_cooldown(&standin, Duration::from_secs(30));
    guarded
        .parse_access_token(&standin.sign(claims(&standin)))
        .await
        .expect("verifies");
    let before = jwks_fetches(&standin);
    for n in 0..200 {
        let header = json!({ "alg": "RS256", "typ": "JWT", "kid": format!("forged-{n}") });
        let token = forged(header, &claims(&standin), b"sig");
        assert_eq!(
            token_error(guarded.parse_access_token(&token).await),
            TokenError::UnknownKey
        );
    }
    assert!(
        jwks_fetches(&standin) - before <= 1,
        "{} fetches",
        jwks_fetches(&standin) - before
    );
}

fn client_with_cooldown(standin: &StandIn, cooldown: Duration) -> AuthenticationClient {
    builder(
        standin,
        OidcSettings::default().jwks_cache(Duration::from_secs(600), cooldown),
    )
    .build()
    .expect("client")
}

#[tokio::test]
async fn a_failing_key_endpoint_does_not_evict_known_keys() {
    let standin = standin(Config::default()).await;
    // Keys go stale at once, so every verification wants to refetch.
    let client = builder(
        &standin,
        OidcSettings::default().jwks_cache(Duration::ZERO, Duration::ZERO),
    )
    .build()
    .expect("client");
    let token = standin.sign(claims(&standin));
    client.parse_access_token(&token).await.expect("verifies");
    standin.fail_next(503, 3, None);
    client
        .parse_access_token(&token)
        .await
        .expect("the known key still serves while the endpoint fails");
}

#[tokio::test]
async fn logout_and_cas_work_against_the_server() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let (login, callback) = sign_in_page(&client, AuthorizeOptions::default()).await;
    let signed_in = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect("signed in");
    let logout = client
        .build_logout_url(
            LogoutOptions::default()
                .id_token_hint(signed_in.tokens.id_token.unwrap_or_default())
                .post_logout_redirect_uri("http://127.0.0.1:9/bye")
                .state("s-1"),
        )
        .expect("a URL");
    let back = browse(&logout).await;
    assert!(
        back.starts_with("http://127.0.0.1:9/bye") && back.contains("state=s-1"),
        "{back}"
    );

    let cas = builder(&standin, OidcSettings::default().protocol(Protocol::Cas))
        .build()
        .expect("client");
    let service = "http://127.0.0.1:9/app?x=1&y=2";
    let start = cas
        .build_authorize_url(AuthorizeOptions::default().service(service))
        .expect("a URL");
    let back = browse(&start.url).await;
    let ticket = url::Url::parse(&back)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "ticket")
                .map(|(_, v)| v.into_owned())
        })
        .expect("a ticket");
    let valid = cas
        .validate_ticket_v2(&ticket, service)
        .await
        .expect("checked");
    assert!(matches!(valid, CasValidation::Valid(_)), "{valid:?}");
    let reused = cas
        .validate_ticket_v2(&ticket, service)
        .await
        .expect("checked");
    assert!(
        matches!(reused, CasValidation::Invalid { .. }),
        "single use: {reused:?}"
    );
    let ticket = standin.issue_cas_ticket(service);
    let valid = cas
        .validate_ticket_v1(&ticket, service)
        .await
        .expect("checked");
    assert!(matches!(valid, CasValidation::Valid(_)), "{valid:?}");
    let other = standin.issue_cas_ticket(service);
    let wrong = cas
        .validate_ticket_v1(&other, "http://127.0.0.1:9/other")
        .await
        .expect("checked");
    assert!(
        matches!(wrong, CasValidation::Invalid { .. }),
        "bound to its service: {wrong:?}"
    );
}

#[tokio::test]
async fn client_credentials_yield_a_token_that_verifies() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let tokens = client
        .get_access_token_by_client_credentials("read", standin.app_id(), standin.app_secret())
        .await
        .expect("a machine token");
    let claims = client
        .parse_access_token(&tokens.access_token)
        .await
        .expect("verifies");
    assert_eq!(claims.scope.as_deref(), Some("read"));
    assert!(tokens.id_token.is_none() && tokens.refresh_token.is_none());
}

#[tokio::test]
async fn the_oauth_protocol_runs_the_same_flow_under_its_own_paths() {
    let standin = standin(Config::default()).await;
    let client = builder(&standin, OidcSettings::default().protocol(Protocol::Oauth))
        .build()
        .expect("client");
    let (login, callback) =
        sign_in_page(&client, AuthorizeOptions::default().scope("profile")).await;
    assert!(
        login.url.contains("/oauth/auth?") && login.nonce.is_none(),
        "{}",
        login.url
    );
    let signed_in = client
        .handle_redirect_callback(&callback, &login)
        .await
        .expect("signed in");
    assert!(signed_in.id_token_claims.is_none() && signed_in.tokens.id_token.is_none());
    let info = client
        .get_user_info_by_access_token(&signed_in.tokens.access_token)
        .await
        .expect("userinfo");
    assert_eq!(info.sub, "standin-demo-user");
    let paths: Vec<String> = standin.requests();
    assert!(
        paths.iter().any(|r| r.starts_with("POST /oauth/token")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|r| r.starts_with("GET /oauth/me")),
        "{paths:?}"
    );
}
