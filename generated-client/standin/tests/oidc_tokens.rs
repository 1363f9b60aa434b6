//! What a client does with OIDC tokens, over HTTP on loopback: userinfo,
//! introspection, revocation, key rotation, HS256 ID tokens and logout;
//! and the tokens of the push login checked like those of the code flow.

mod support;

use std::time::Duration;

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use genauth_standin::{Config, IdTokenAlg};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::flow::*;
use support::{header_and_claims, query_of, rs256_verifies, start, verified_claims};

#[tokio::test]
async fn userinfo_takes_the_token_from_the_header_only() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oidc", "openid profile email").await;
    let access = text(&tokens, "access_token");

    let me = http.get_bearer("/oidc/me", access).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["sub"], "standin-demo-user");
    assert_eq!(me["name"], "Demo User");
    assert_eq!(me["preferred_username"], "demo");
    assert_eq!(me["email"], "demo@example.com");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["picture"], Value::Null);
    assert!(me["updated_at"].is_string());

    let posted = http
        .send(http.client.post(http.url("/oidc/me")).bearer_auth(access))
        .await;
    assert_eq!(posted.status, StatusCode::OK);
    assert_eq!(posted.json(), me);

    // Refused even alongside a good header: a token in a URL is a leak.
    let in_query = http
        .send(
            http.client
                .get(http.url("/oidc/me"))
                .query(&[("access_token", access)])
                .bearer_auth(access),
        )
        .await;
    assert_eq!(
        in_query.oauth_error(StatusCode::UNAUTHORIZED),
        "invalid_request"
    );
    assert!(in_query.body.contains("authorization header"));
    assert!(in_query.body.contains("not in the query string"));
    let in_body = http
        .send(
            http.client
                .post(http.url("/oidc/me"))
                .bearer_auth(access)
                .form(&[("access_token", access)]),
        )
        .await;
    assert_eq!(
        in_body.oauth_error(StatusCode::UNAUTHORIZED),
        "invalid_request"
    );
    let missing = http.get("/oidc/me").await;
    assert_eq!(
        missing.oauth_error(StatusCode::UNAUTHORIZED),
        "invalid_request"
    );

    let (head, rest) = access.split_once('.').unwrap();
    let (claims, _) = rest.split_once('.').unwrap();
    let forged = format!("{head}.{claims}.AAAA");
    for bad in [forged.as_str(), "not-a-jwt", text(&tokens, "id_token")] {
        let reply = http.get_bearer("/oidc/me", bad).await;
        assert_eq!(reply.oauth_error(StatusCode::UNAUTHORIZED), "invalid_token");
        assert_eq!(
            reply.header("www-authenticate").as_deref(),
            Some("Bearer error=\"invalid_token\"")
        );
    }
}

#[tokio::test]
async fn expired_access_tokens_are_refused() {
    let config = Config {
        token_lifetime: Duration::ZERO,
        ..Config::default()
    };
    let (standin, http) = start(config).await;
    let tokens = sign_in(&http, &standin, "/oidc", "openid").await;
    assert_eq!(tokens["expires_in"], 0);
    let reply = http
        .get_bearer("/oidc/me", text(&tokens, "access_token"))
        .await;
    assert_eq!(reply.oauth_error(StatusCode::UNAUTHORIZED), "invalid_token");
    assert!(reply.body.contains("expired"), "{}", reply.body);
    let introspected = about_token(
        &http,
        &standin,
        "introspection",
        text(&tokens, "access_token"),
    )
    .await
    .json();
    assert_eq!(introspected, json!({ "active": false }));
}

#[tokio::test]
async fn introspection_tells_active_tokens_from_the_rest() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oidc", FULL_SCOPE).await;
    let access = text(&tokens, "access_token");
    let active = about_token(&http, &standin, "introspection", access).await;
    assert_eq!(active.status, StatusCode::OK);
    let active = active.json();
    assert_eq!(active["active"], true);
    assert_eq!(active["token_type"], "Bearer");
    assert_eq!(active["sub"], "standin-demo-user");
    assert_eq!(active["client_id"], standin.app_id());
    assert_eq!(active["aud"], standin.app_id());
    assert_eq!(active["iss"], standin.issuer());
    assert_eq!(active["scope"], FULL_SCOPE);
    for field in ["exp", "iat", "jti"] {
        assert!(!active[field].is_null(), "{field} in {active}");
    }

    let refresh = about_token(
        &http,
        &standin,
        "introspection",
        text(&tokens, "refresh_token"),
    )
    .await
    .json();
    assert_eq!(refresh["active"], true);
    assert_eq!(refresh["token_type"], "refresh_token");
    assert_eq!(refresh["sub"], "standin-demo-user");
    assert_eq!(refresh["scope"], FULL_SCOPE);

    let signed_but_unknown = standin.sign(json!({
        "iss": standin.issuer(), "aud": standin.app_id(), "sub": "x",
        "exp": 4_000_000_000_u64, "jti": "never-issued",
    }));
    for inactive in [
        "junk",
        text(&tokens, "id_token"),
        signed_but_unknown.as_str(),
    ] {
        let reply = about_token(&http, &standin, "introspection", inactive).await;
        assert_eq!(reply.json(), json!({ "active": false }));
    }

    let form = [
        ("client_id", standin.app_id()),
        ("client_secret", "wrong"),
        ("token", access),
    ];
    let refused = http.post_form("/oidc/token/introspection", &form).await;
    assert_eq!(
        refused.oauth_error(StatusCode::UNAUTHORIZED),
        "invalid_client"
    );
}

#[tokio::test]
async fn revoking_an_access_token_stops_it_and_leaves_the_refresh_token() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oidc", FULL_SCOPE).await;
    let access = text(&tokens, "access_token");

    let revoked = about_token(&http, &standin, "revocation", access).await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.body.is_empty());
    assert_eq!(
        http.get_bearer("/oidc/me", access).await.status,
        StatusCode::UNAUTHORIZED
    );
    let introspected = about_token(&http, &standin, "introspection", access).await;
    assert_eq!(introspected.json(), json!({ "active": false }));

    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", text(&tokens, "refresh_token")),
    ];
    let renewed = token(&http, &standin, "/oidc", &refresh).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);

    let unknown = about_token(&http, &standin, "revocation", "never-issued").await;
    assert_eq!(unknown.status, StatusCode::OK);
    let refused = http
        .post_form(
            "/oidc/token/revocation",
            &[("client_id", standin.app_id()), ("token", access)],
        )
        .await;
    assert_eq!(
        refused.oauth_error(StatusCode::UNAUTHORIZED),
        "invalid_client"
    );
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_its_grant() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oidc", FULL_SCOPE).await;
    let refresh_token = text(&tokens, "refresh_token");
    let revoked = about_token(&http, &standin, "revocation", refresh_token).await;
    assert_eq!(revoked.status, StatusCode::OK);

    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    let reply = token(&http, &standin, "/oidc", &refresh).await;
    assert_eq!(reply.oauth_error(StatusCode::BAD_REQUEST), "invalid_grant");
    let me = http
        .get_bearer("/oidc/me", text(&tokens, "access_token"))
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let introspected = about_token(&http, &standin, "introspection", refresh_token).await;
    assert_eq!(introspected.json(), json!({ "active": false }));
}

#[tokio::test]
async fn rotation_publishes_the_new_key_and_keeps_the_old_one_only_if_asked() {
    let (standin, http) = start(Config::default()).await;
    let first_kid = standin.signing_key_id();
    let before = sign_in(&http, &standin, "/oidc", "openid").await;
    let old_access = text(&before, "access_token");

    let second_kid = standin.rotate_signing_key(true);
    assert_ne!(second_kid, first_kid);
    assert_eq!(standin.signing_key_id(), second_kid);
    let jwks = http.jwks().await;
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [second_kid.as_str(), first_kid.as_str()]);
    assert!(rs256_verifies(&jwks, old_access));
    assert_eq!(
        http.get_bearer("/oidc/me", old_access).await.status,
        StatusCode::OK
    );
    let after = sign_in(&http, &standin, "/oidc", "openid").await;
    let (header, _) = header_and_claims(text(&after, "access_token"));
    assert_eq!(header["kid"], second_kid.as_str());
    assert!(rs256_verifies(&jwks, text(&after, "id_token")));

    // Over HTTP this time, dropping the first key.
    let reply = http
        .send(
            http.client
                .post(http.url("/_control/rotate-key"))
                .body(r#"{"keepPrevious": false}"#),
        )
        .await;
    let answer = reply.json();
    assert_eq!(answer["ok"], true);
    let third_kid = standin.signing_key_id();
    assert_eq!(answer["kid"], third_kid.as_str());
    let jwks = http.jwks().await;
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    assert_eq!(jwks["keys"][0]["kid"], third_kid.as_str());
    assert!(!rs256_verifies(&jwks, old_access));
    let me = http.get_bearer("/oidc/me", old_access).await;
    assert_eq!(me.oauth_error(StatusCode::UNAUTHORIZED), "invalid_token");

    let jwks_fetches = standin
        .requests()
        .iter()
        .filter(|line| *line == "GET /oidc/.well-known/jwks.json")
        .count();
    assert_eq!(jwks_fetches, 2);
}

#[tokio::test]
async fn sign_makes_tokens_of_exactly_the_claims_given() {
    let (standin, http) = start(Config::default()).await;
    let claims = json!({ "iss": standin.issuer(), "aud": "someone-else", "exp": 1 });
    let token = standin.sign(claims.clone());
    let jwks = http.jwks().await;
    assert_eq!(Value::Object(verified_claims(&jwks, &token)), claims);
    let (header, _) = header_and_claims(&token);
    assert_eq!(
        Value::Object(header),
        json!({ "alg": "RS256", "typ": "JWT", "kid": standin.signing_key_id() })
    );
}

#[tokio::test]
async fn hs256_id_tokens_are_keyed_with_the_app_secret() {
    let config = Config {
        id_token_alg: IdTokenAlg::Hs256,
        ..Config::default()
    };
    let (standin, http) = start(config).await;
    let tokens = sign_in(&http, &standin, "/oidc", "openid profile").await;
    let id_token = text(&tokens, "id_token");
    let (header, claims) = header_and_claims(id_token);
    assert_eq!(header["alg"], "HS256");
    assert_eq!(claims["aud"], standin.app_id());
    let (input, signature) = id_token.rsplit_once('.').unwrap();
    let key = hmac::Key::new(hmac::HMAC_SHA256, standin.app_secret().as_bytes());
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    assert!(hmac::verify(&key, input.as_bytes(), &signature).is_ok());
    let wrong = hmac::Key::new(hmac::HMAC_SHA256, b"another-secret");
    assert!(hmac::verify(&wrong, input.as_bytes(), &signature).is_err());
    // Access tokens stay RS256.
    assert!(rs256_verifies(
        &http.jwks().await,
        text(&tokens, "access_token")
    ));
    let document = http
        .get("/oidc/.well-known/openid-configuration")
        .await
        .json();
    assert_eq!(
        document["id_token_signing_alg_values_supported"],
        json!(["HS256"])
    );
}

#[tokio::test]
async fn session_end_redirects_only_with_a_hint_it_signed() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oidc", "openid").await;
    let id_token = text(&tokens, "id_token");
    let after = "http://127.0.0.1:9/signed-out";

    let location = http
        .get_with(
            "/oidc/session/end",
            &[
                ("id_token_hint", id_token),
                ("post_logout_redirect_uri", after),
                ("state", "bye & see you"),
            ],
        )
        .await
        .location();
    assert!(location.starts_with(&format!("{after}?")), "{location}");
    assert_eq!(query_of(&location)["state"], "bye & see you");

    let no_redirect = http
        .get_with("/oidc/session/end", &[("id_token_hint", id_token)])
        .await;
    assert_eq!(no_redirect.status, StatusCode::OK);
    assert!(no_redirect.body.contains("signed out"));

    // A hint signed by a key that is still published works; a foreign or
    // forged one does not.
    standin.rotate_signing_key(true);
    let kept = http
        .get_with(
            "/oidc/session/end",
            &[
                ("id_token_hint", id_token),
                ("post_logout_redirect_uri", after),
            ],
        )
        .await;
    assert_eq!(kept.location(), after);
    let forged = format!("{}x", &id_token[..id_token.len() - 1]);
    for bad in [forged.as_str(), "junk"] {
        let reply = http
            .get_with(
                "/oidc/session/end",
                &[("id_token_hint", bad), ("post_logout_redirect_uri", after)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(reply.header("location").is_none());
    }

    let plain = http
        .get_with("/login/profile/logout", &[("redirect_uri", after)])
        .await;
    assert_eq!(plain.location(), after);
}

#[tokio::test]
async fn push_login_tokens_verify_like_code_flow_tokens() {
    let (standin, http) = start(Config::default()).await;
    let start_push = http
        .send(
            http.client
                .post(http.url("/api/v3/signin-by-push"))
                .header("x-genauth-app-id", standin.app_id())
                .header("content-type", "application/json")
                .body(r#"{"account":"demo","options":{"scope":"openid profile offline_access"}}"#),
        )
        .await;
    let id = start_push.json()["data"]["pushCodeId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(standin.approve_push(&id));
    let status = http
        .send(
            http.client
                .get(http.url("/api/v3/check-pushcode-status"))
                .query(&[("pushCodeId", id.as_str())])
                .header("x-genauth-app-id", standin.app_id()),
        )
        .await
        .json();
    let tokens = &status["data"]["tokenSet"];
    assert_eq!(tokens["expire_in"], 7200);

    let jwks = http.jwks().await;
    let access = verified_claims(&jwks, text(tokens, "access_token"));
    assert_eq!(access["iss"], standin.issuer());
    assert_eq!(access["aud"], standin.app_id());
    assert_eq!(access["sub"], "standin-demo-user");
    assert_eq!(
        access["exp"].as_u64().unwrap(),
        access["iat"].as_u64().unwrap() + 7200
    );
    let id_claims = verified_claims(&jwks, text(tokens, "id_token"));
    assert_eq!(id_claims["name"], "Demo User");
    assert!(id_claims["at_hash"].is_string());

    let me = http
        .get_bearer("/oidc/me", text(tokens, "access_token"))
        .await;
    assert_eq!(me.status, StatusCode::OK);
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", text(tokens, "refresh_token")),
    ];
    let renewed = token(&http, &standin, "/oidc", &refresh).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
}

#[tokio::test]
async fn fail_next_also_fails_the_protocol_endpoints() {
    let (standin, http) = start(Config::default()).await;
    standin.fail_next(503, 2, None);
    let first = http.get("/oidc/.well-known/jwks.json").await;
    assert_eq!(first.status, StatusCode::SERVICE_UNAVAILABLE);
    let second = http
        .get(&format!("/{}/oidc/.well-known/jwks.json", standin.app_id()))
        .await;
    assert_eq!(second.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(http.jwks().await["keys"].as_array().unwrap().len(), 1);

    standin.fail_next(429, 1, Some(2));
    let limited = token(
        &http,
        &standin,
        "/oauth",
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.header("retry-after").as_deref(), Some("2"));
    let granted = token(
        &http,
        &standin,
        "/oauth",
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(granted.status, StatusCode::OK);

    // The hosted login page's logout is not behind the API gateway; CAS is.
    standin.fail_next(503, 1, None);
    let logout = http.get("/login/profile/logout").await;
    assert_eq!(logout.status, StatusCode::OK);
    let cas = http.get("/cas-idp/logout").await;
    assert_eq!(cas.status, StatusCode::SERVICE_UNAVAILABLE);
}
