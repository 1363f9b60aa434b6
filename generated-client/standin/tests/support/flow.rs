//! The OIDC code flow as the tests drive it: the usual parameters, and
//! requests with `client_secret_post` credentials.

use genauth_standin::StandIn;
use reqwest::StatusCode;
use serde_json::Value;

use super::{Http, Reply, query_of};

/// Where the client wants the code; never visited.
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";
/// The PKCE pair of RFC 7636, appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
/// A state with characters that must be encoded, to check it comes back
/// exactly.
pub const STATE: &str = "st&te=1 +/é?";
pub const FULL_SCOPE: &str = "openid profile email offline_access";

/// `GET /oidc/auth` with the usual parameters, then `extra` (which may
/// repeat none of them).
pub async fn authorize(http: &Http, standin: &StandIn, extra: &[(&str, &str)]) -> Reply {
    let mut pairs = vec![
        ("client_id", standin.app_id()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("state", STATE),
    ];
    pairs.extend_from_slice(extra);
    http.get_with("/oidc/auth", &pairs).await
}

/// A code for `scope`, with the PKCE challenge of [`VERIFIER`].
pub async fn pkce_code(http: &Http, standin: &StandIn, prefix: &str, scope: &str) -> String {
    let pairs = [
        ("client_id", standin.app_id()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", scope),
        ("nonce", "n-0S6_WzA2Mj"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let location = http
        .get_with(&format!("{prefix}/auth"), &pairs)
        .await
        .location();
    assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
    query_of(&location)["code"].clone()
}

/// The token endpoint with `client_secret_post` credentials.
pub async fn token(http: &Http, standin: &StandIn, prefix: &str, pairs: &[(&str, &str)]) -> Reply {
    let mut form = vec![
        ("client_id", standin.app_id()),
        ("client_secret", standin.app_secret()),
    ];
    form.extend_from_slice(pairs);
    http.post_form(&format!("{prefix}/token"), &form).await
}

pub async fn exchange(http: &Http, standin: &StandIn, code: &str, verifier: &str) -> Reply {
    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ];
    token(http, standin, "/oidc", &pairs).await
}

/// A whole code flow under `prefix`; the token response.
pub async fn sign_in(http: &Http, standin: &StandIn, prefix: &str, scope: &str) -> Value {
    let code = pkce_code(http, standin, prefix, scope).await;
    let pairs = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let reply = token(http, standin, prefix, &pairs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// Introspection or revocation with `client_secret_post` credentials.
pub async fn about_token(http: &Http, standin: &StandIn, endpoint: &str, token: &str) -> Reply {
    let form = [
        ("client_id", standin.app_id()),
        ("client_secret", standin.app_secret()),
        ("token", token),
    ];
    http.post_form(&format!("/oidc/token/{endpoint}"), &form)
        .await
}

pub fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {value}"))
}
