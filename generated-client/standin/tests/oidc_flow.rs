//! The OIDC and OAuth code flow driven over HTTP on loopback, as a client
//! would: discovery, authorization, PKCE, client authentication, refresh and
//! client credentials, and the issued tokens checked against the JWKS.

mod support;

use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use genauth_standin::{Authorize, ClientAuth, Config, StandIn};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::flow::*;
use support::{Http, pairs_of, query_of, rs256_verifies, start, verified_claims};

#[tokio::test]
async fn discovery_and_jwks_describe_the_issuer_and_its_key() {
    let (standin, http) = start(Config::default()).await;
    assert_eq!(standin.issuer(), format!("{}/oidc", standin.url()));

    let document = http.get("/oidc/.well-known/openid-configuration").await;
    assert_eq!(document.status, StatusCode::OK);
    let document = document.json();
    let issuer = standin.issuer();
    assert_eq!(document["issuer"], issuer);
    for (field, path) in [
        ("authorization_endpoint", "/auth"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/me"),
        ("jwks_uri", "/.well-known/jwks.json"),
        ("introspection_endpoint", "/token/introspection"),
        ("revocation_endpoint", "/token/revocation"),
        ("end_session_endpoint", "/session/end"),
    ] {
        assert_eq!(document[field], format!("{issuer}{path}"), "{field}");
    }
    assert_eq!(
        document["token_endpoint_auth_methods_supported"],
        json!(["client_secret_post"])
    );
    assert_eq!(
        document["code_challenge_methods_supported"],
        json!(["S256"])
    );

    let jwks = http.jwks().await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["kid"], standin.signing_key_id());
    // A 2048-bit modulus and the usual exponent, 65537.
    assert_eq!(URL_SAFE_NO_PAD.decode(text(key, "n")).unwrap().len(), 256);
    assert_eq!(key["e"], "AQAB");

    let scoped = http
        .get(&format!("/{}/oidc/.well-known/jwks.json", standin.app_id()))
        .await;
    assert_eq!(scoped.status, StatusCode::OK);
    assert_eq!(scoped.json(), jwks);
    let other = http.get("/other-app/oidc/.well-known/jwks.json").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    let oauth = http.get("/oauth/.well-known/openid-configuration").await;
    assert_eq!(
        oauth.json()["token_endpoint"],
        format!("{}/oauth/token", standin.url())
    );
}

#[tokio::test]
async fn code_flow_with_pkce_issues_tokens_that_verify_against_the_jwks() {
    let (standin, http) = start(Config::default()).await;
    let location = authorize(
        &http,
        &standin,
        &[
            ("scope", FULL_SCOPE),
            ("nonce", "nonce-1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("prompt", "consent"),
            ("tenantId", "t-1"),
        ],
    )
    .await
    .location();
    let query = query_of(&location);
    assert_eq!(query["state"], STATE, "{location}");
    assert_eq!(query.len(), 2, "{location}");
    let code = &query["code"];

    let reply = exchange(&http, &standin, code, VERIFIER).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
    let tokens = reply.json();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["scope"], FULL_SCOPE);
    assert!(text(&tokens, "refresh_token").split('.').count() < 3);

    let jwks = http.jwks().await;
    let access = verified_claims(&jwks, text(&tokens, "access_token"));
    assert_eq!(access["iss"], standin.issuer());
    assert_eq!(access["aud"], standin.app_id());
    assert_eq!(access["client_id"], standin.app_id());
    assert_eq!(access["scope"], FULL_SCOPE);
    assert_eq!(access["sub"], "standin-demo-user");
    assert!(access["jti"].is_string());
    let iat = access["iat"].as_u64().unwrap();
    assert_eq!(access["exp"].as_u64().unwrap(), iat + 3600);

    let id_token = text(&tokens, "id_token");
    let id = verified_claims(&jwks, id_token);
    assert_eq!(id["iss"], standin.issuer());
    assert_eq!(id["aud"], standin.app_id());
    assert_eq!(id["sub"], access["sub"]);
    assert_eq!(id["nonce"], "nonce-1");
    assert_eq!(id["name"], "Demo User");
    assert_eq!(id["preferred_username"], "demo");
    assert_eq!(id["email"], "demo@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["picture"], Value::Null);
    assert!(id["updated_at"].as_str().unwrap().ends_with('Z'));
    // No `phone` scope, no phone claims.
    assert!(!id.contains_key("phone_number"));
    let hash = digest::digest(&digest::SHA256, text(&tokens, "access_token").as_bytes());
    assert_eq!(id["at_hash"], URL_SAFE_NO_PAD.encode(&hash.as_ref()[..16]));

    // Tampering with the claims breaks the signature.
    let (head, rest) = id_token.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let forged_claims = URL_SAFE_NO_PAD.encode(br#"{"sub":"someone-else"}"#);
    assert!(!rs256_verifies(
        &jwks,
        &format!("{head}.{forged_claims}.{signature}")
    ));

    // Tokens travel in bodies and headers only, never in a URL.
    let me = http
        .get_bearer("/oidc/me", text(&tokens, "access_token"))
        .await;
    assert_eq!(me.status, StatusCode::OK);
    let requests = standin.requests().join("\n");
    for name in ["access_token", "id_token", "refresh_token"] {
        assert!(!requests.contains(text(&tokens, name)), "{name} in a URL");
    }
}

#[tokio::test]
async fn pkce_mismatch_is_refused_and_the_right_verifier_still_works() {
    let (standin, http) = start(Config::default()).await;
    let code = pkce_code(&http, &standin, "/oidc", "openid").await;

    let wrong = exchange(&http, &standin, &code, &"x".repeat(43)).await;
    assert_eq!(wrong.oauth_error(StatusCode::BAD_REQUEST), "invalid_grant");
    assert!(
        wrong.json()["error_description"]
            .as_str()
            .unwrap()
            .contains("PKCE verification failed")
    );

    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let missing = token(&http, &standin, "/oidc", &pairs).await;
    assert_eq!(
        missing.oauth_error(StatusCode::BAD_REQUEST),
        "invalid_grant"
    );

    // A failed exchange does not use the code up.
    let right = exchange(&http, &standin, &code, VERIFIER).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    // openid without offline_access: an ID token, no refresh token.
    let tokens = right.json();
    assert!(tokens["id_token"].is_string());
    assert!(tokens.get("refresh_token").is_none());
}

#[tokio::test]
async fn a_code_works_once_and_its_replay_revokes_what_it_gave() {
    let (standin, http) = start(Config::default()).await;
    let code = pkce_code(&http, &standin, "/oidc", FULL_SCOPE).await;
    let first = exchange(&http, &standin, &code, VERIFIER).await;
    assert_eq!(first.status, StatusCode::OK);
    let tokens = first.json();
    let access = text(&tokens, "access_token");
    assert_eq!(
        http.get_bearer("/oidc/me", access).await.status,
        StatusCode::OK
    );

    let replay = exchange(&http, &standin, &code, VERIFIER).await;
    assert_eq!(replay.oauth_error(StatusCode::BAD_REQUEST), "invalid_grant");

    let me = http.get_bearer("/oidc/me", access).await;
    assert_eq!(me.oauth_error(StatusCode::UNAUTHORIZED), "invalid_token");
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", text(&tokens, "refresh_token")),
    ];
    let refreshed = token(&http, &standin, "/oidc", &refresh).await;
    assert_eq!(
        refreshed.oauth_error(StatusCode::BAD_REQUEST),
        "invalid_grant"
    );

    let unknown = exchange(&http, &standin, "no-such-code", VERIFIER).await;
    assert_eq!(
        unknown.oauth_error(StatusCode::BAD_REQUEST),
        "invalid_grant"
    );
}

#[tokio::test]
async fn the_redirect_uri_must_be_repeated_exactly() {
    let (standin, http) = start(Config::default()).await;
    let code = pkce_code(&http, &standin, "/oidc", "openid").await;
    for redirect in [Some("http://127.0.0.1:9/other"), None] {
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("code_verifier", VERIFIER),
        ];
        pairs.extend(redirect.map(|uri| ("redirect_uri", uri)));
        let reply = token(&http, &standin, "/oidc", &pairs).await;
        assert_eq!(reply.oauth_error(StatusCode::BAD_REQUEST), "invalid_grant");
        assert!(reply.body.contains("redirect_uri"), "{}", reply.body);
    }
    assert_eq!(
        exchange(&http, &standin, &code, VERIFIER).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_authorization_requests_get_a_page_and_no_redirect() {
    let (standin, http) = start(Config::default()).await;
    let app = standin.app_id();
    let cases: [&[(&str, &str)]; 5] = [
        &[
            ("client_id", "evil"),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
        ],
        &[("client_id", app), ("response_type", "code")],
        &[
            ("client_id", app),
            ("redirect_uri", REDIRECT),
            ("response_type", "token"),
        ],
        &[("client_id", app), ("redirect_uri", REDIRECT)],
        &[
            ("client_id", app),
            ("redirect_uri", "/relative"),
            ("response_type", "code"),
        ],
    ];
    for pairs in cases {
        let reply = http.get_with("/oidc/auth", pairs).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{pairs:?}");
        assert!(reply.header("location").is_none(), "{pairs:?}");
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
    }
}

#[tokio::test]
async fn authorization_errors_go_back_to_the_client_with_the_state() {
    let (standin, http) = start(Config::default()).await;
    let plain = authorize(
        &http,
        &standin,
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "plain"),
        ],
    )
    .await
    .location();
    let query = query_of(&plain);
    assert_eq!(query["error"], "invalid_request");
    assert_eq!(query["state"], STATE);
    assert!(!query.contains_key("code"));

    standin.set_authorize(Authorize::Deny);
    let denied = authorize(&http, &standin, &[("scope", "openid")])
        .await
        .location();
    let query = query_of(&denied);
    assert_eq!(query["error"], "access_denied");
    assert!(query.contains_key("error_description"));
    assert_eq!(query["state"], STATE);

    standin.set_authorize(Authorize::Approve);
    let fragment = authorize(&http, &standin, &[("response_mode", "fragment")])
        .await
        .location();
    let (before, after) = fragment.split_once('#').unwrap();
    assert_eq!(before, REDIRECT);
    let answer = pairs_of(after);
    assert!(answer.contains_key("code"));
    assert_eq!(answer["state"], STATE);
}

#[tokio::test]
async fn a_denying_stand_in_can_be_configured_from_the_start() {
    let config = Config {
        authorize: Authorize::Deny,
        ..Config::default()
    };
    let (standin, http) = start(config).await;
    let location = authorize(&http, &standin, &[]).await.location();
    assert_eq!(query_of(&location)["error"], "access_denied");
}

/// Introspects a junk token with each method of client authentication;
/// which were accepted.
async fn accepted_methods(standin: &StandIn, http: &Http) -> Vec<&'static str> {
    let (app, secret) = (standin.app_id(), standin.app_secret());
    let path = "/oidc/token/introspection";
    let mut accepted = Vec::new();
    let post = http
        .post_form(
            path,
            &[
                ("client_id", app),
                ("client_secret", secret),
                ("token", "x"),
            ],
        )
        .await;
    let basic = http
        .post_form_basic(path, &[("token", "x")], app, secret)
        .await;
    let none = http
        .post_form(path, &[("client_id", app), ("token", "x")])
        .await;
    for (name, reply) in [("post", post), ("basic", basic), ("none", none)] {
        if reply.status == StatusCode::OK {
            assert_eq!(reply.json(), json!({ "active": false }));
            accepted.push(name);
        } else {
            assert_eq!(
                reply.oauth_error(StatusCode::UNAUTHORIZED),
                "invalid_client"
            );
        }
    }
    accepted
}

#[tokio::test]
async fn each_client_authentication_method_is_accepted_alone() {
    for (method, name) in [
        (ClientAuth::ClientSecretPost, "post"),
        (ClientAuth::ClientSecretBasic, "basic"),
        (ClientAuth::None, "none"),
    ] {
        let config = Config {
            client_auth: method,
            ..Config::default()
        };
        let (standin, http) = start(config).await;
        assert_eq!(
            accepted_methods(&standin, &http).await,
            [name],
            "{method:?}"
        );
    }
}

#[tokio::test]
async fn wrong_client_credentials_are_refused() {
    let (standin, http) = start(Config::default()).await;
    let path = "/oidc/token/introspection";
    let app = standin.app_id();
    for form in [
        [
            ("client_id", app),
            ("client_secret", "wrong"),
            ("token", "x"),
        ],
        [
            ("client_id", "other"),
            ("client_secret", standin.app_secret()),
            ("token", "x"),
        ],
    ] {
        let reply = http.post_form(path, &form).await;
        assert_eq!(
            reply.oauth_error(StatusCode::UNAUTHORIZED),
            "invalid_client"
        );
    }

    let config = Config {
        client_auth: ClientAuth::ClientSecretBasic,
        ..Config::default()
    };
    let (basic_standin, basic_http) = start(config).await;
    let reply = basic_http
        .post_form_basic(path, &[("token", "x")], basic_standin.app_id(), "wrong")
        .await;
    assert_eq!(
        reply.oauth_error(StatusCode::UNAUTHORIZED),
        "invalid_client"
    );
    assert!(
        reply
            .header("www-authenticate")
            .unwrap()
            .starts_with("Basic")
    );
}

#[tokio::test]
async fn a_public_client_must_use_pkce() {
    let config = Config {
        client_auth: ClientAuth::None,
        ..Config::default()
    };
    let (standin, http) = start(config).await;
    let location = authorize(&http, &standin, &[("scope", "openid")])
        .await
        .location();
    let code = query_of(&location)["code"].clone();
    let form = [
        ("client_id", standin.app_id()),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let reply = http.post_form("/oidc/token", &form).await;
    assert_eq!(
        reply.oauth_error(StatusCode::BAD_REQUEST),
        "invalid_request"
    );

    let code = pkce_code(&http, &standin, "/oidc", "openid").await;
    let form = [
        ("client_id", standin.app_id()),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let reply = http.post_form("/oidc/token", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let credentials = http
        .post_form(
            "/oidc/token",
            &[
                ("client_id", standin.app_id()),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    assert_eq!(
        credentials.oauth_error(StatusCode::BAD_REQUEST),
        "unauthorized_client"
    );
}

#[tokio::test]
async fn refresh_gives_new_tokens_and_keeps_the_refresh_token() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oidc", FULL_SCOPE).await;
    let refresh_token = text(&tokens, "refresh_token");
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    let reply = token(&http, &standin, "/oidc", &refresh).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let renewed = reply.json();
    assert_eq!(renewed["refresh_token"], refresh_token);
    assert_ne!(renewed["access_token"], tokens["access_token"]);
    assert_eq!(renewed["scope"], FULL_SCOPE);
    let jwks = http.jwks().await;
    let id = verified_claims(&jwks, text(&renewed, "id_token"));
    assert!(!id.contains_key("nonce"));
    let me = http
        .get_bearer("/oidc/me", text(&renewed, "access_token"))
        .await;
    assert_eq!(me.status, StatusCode::OK);

    let narrower = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("scope", "openid"),
    ];
    let narrowed = token(&http, &standin, "/oidc", &narrower).await.json();
    assert_eq!(narrowed["scope"], "openid");
    let wider = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("scope", "openid phone"),
    ];
    let reply = token(&http, &standin, "/oidc", &wider).await;
    assert_eq!(reply.oauth_error(StatusCode::BAD_REQUEST), "invalid_scope");

    let unknown = [
        ("grant_type", "refresh_token"),
        ("refresh_token", "standin-refresh-0-0"),
    ];
    let reply = token(&http, &standin, "/oidc", &unknown).await;
    assert_eq!(reply.oauth_error(StatusCode::BAD_REQUEST), "invalid_grant");
}

#[tokio::test]
async fn client_credentials_speak_for_the_client() {
    let (standin, http) = start(Config::default()).await;
    let pairs = [
        ("grant_type", "client_credentials"),
        ("scope", "read:users write:users"),
    ];
    let reply = token(&http, &standin, "/oidc", &pairs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let tokens = reply.json();
    assert_eq!(tokens["scope"], "read:users write:users");
    assert_eq!(tokens["rejected_scope"], "");
    assert!(tokens.get("id_token").is_none());
    assert!(tokens.get("refresh_token").is_none());
    let claims = verified_claims(&http.jwks().await, text(&tokens, "access_token"));
    assert_eq!(claims["sub"], standin.app_id());
    assert_eq!(claims["aud"], standin.app_id());
    assert_eq!(claims["scope"], "read:users write:users");

    let introspected = about_token(
        &http,
        &standin,
        "introspection",
        text(&tokens, "access_token"),
    )
    .await
    .json();
    assert_eq!(introspected["active"], true);
    assert_eq!(introspected["sub"], standin.app_id());
    let me = http
        .get_bearer("/oidc/me", text(&tokens, "access_token"))
        .await;
    assert_eq!(me.oauth_error(StatusCode::UNAUTHORIZED), "invalid_token");
}

#[tokio::test]
async fn unknown_or_missing_grant_types_are_refused() {
    let (standin, http) = start(Config::default()).await;
    let reply = token(&http, &standin, "/oidc", &[("grant_type", "password")]).await;
    assert_eq!(
        reply.oauth_error(StatusCode::BAD_REQUEST),
        "unsupported_grant_type"
    );
    let reply = token(&http, &standin, "/oidc", &[]).await;
    assert_eq!(
        reply.oauth_error(StatusCode::BAD_REQUEST),
        "invalid_request"
    );
    // A JSON body is no form.
    let json_body = http
        .send(
            http.client
                .post(http.url("/oidc/token"))
                .header("content-type", "application/json")
                .body("{}"),
        )
        .await;
    assert_eq!(
        json_body.oauth_error(StatusCode::BAD_REQUEST),
        "invalid_request"
    );
}

#[tokio::test]
async fn the_oauth_endpoints_issue_no_id_token() {
    let (standin, http) = start(Config::default()).await;
    let tokens = sign_in(&http, &standin, "/oauth", FULL_SCOPE).await;
    assert!(tokens.get("id_token").is_none(), "{tokens}");
    let access = text(&tokens, "access_token");
    assert!(rs256_verifies(&http.jwks().await, access));
    let me = http.get_bearer("/oauth/me", access).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], "demo@example.com");

    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", text(&tokens, "refresh_token")),
    ];
    let renewed = token(&http, &standin, "/oauth", &refresh).await.json();
    assert!(renewed.get("id_token").is_none(), "{renewed}");
    let form = [
        ("client_id", standin.app_id()),
        ("client_secret", standin.app_secret()),
        ("token", access),
    ];
    let introspected = http
        .post_form("/oauth/token/introspection", &form)
        .await
        .json();
    assert_eq!(introspected["active"], true);
    let revoked = http.post_form("/oauth/token/revocation", &form).await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(
        http.get_bearer("/oidc/me", access).await.status,
        StatusCode::UNAUTHORIZED
    );
}
