//! `GET`/`POST /oidc/me` (and `/oauth/me`): the userinfo endpoint.
//!
//! The access token is accepted in the `Authorization: Bearer` header only.
//! RFC 6750 also allows it in the query string or a form body, but a token
//! in a URL ends up in logs and browser history, and GenAuth refuses it
//! there, so the stand-in does too: such a request is refused even when the
//! header is also present.
//!
//! The claims shown follow the token's scope (`profile`, `email`, `phone`,
//! `address`); `openid` is not required, so that OAuth tokens work too. A
//! client-credentials token speaks for no user and is refused.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::envelope::json_response;
use crate::oidc::error::{OAuthError, no_store};
use crate::params::Params;
use crate::server::Shared;
use crate::user;

/// `GET /oidc/me` and `POST /oidc/me`, and the same under `/oauth/`.
pub(crate) async fn userinfo(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match claims(&shared, &uri, &headers, body) {
        Ok(claims) => no_store(json_response(StatusCode::OK, &claims)),
        Err(error) => error.into_response(),
    }
}

fn claims(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Value, OAuthError> {
    let in_query = Params::of_query(uri).is_ok_and(|params| params.has("access_token"));
    // Only a form body could carry a token; anything else is ignored.
    let in_body = Params::of_form(headers, body).is_ok_and(|params| params.has("access_token"));
    if in_query || in_body {
        return Err(OAuthError::bearer_invalid_request(
            "the access token must be sent in the authorization header \
             (Authorization: Bearer <token>), not in the query string or body",
        ));
    }
    let Some(token) = bearer_token(headers) else {
        return Err(OAuthError::bearer_invalid_request(
            "no access token: send it in the authorization header (Authorization: Bearer <token>)",
        ));
    };
    let token_claims = shared
        .state()
        .issuer
        .check_access_token(token)
        .map_err(|rejected| OAuthError::invalid_token(rejected.description()))?;
    let sub = token_claims.get("sub").and_then(Value::as_str);
    if sub != Some(user::ID) {
        return Err(OAuthError::invalid_token(
            "the access token speaks for a client, not a user",
        ));
    }
    let scope = token_claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut claims = user::claims(scope);
    claims.insert("sub".to_owned(), user::ID.into());
    Ok(Value::Object(claims))
}

/// The token of an `Authorization: Bearer` header.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
