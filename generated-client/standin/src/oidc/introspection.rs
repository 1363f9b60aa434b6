//! `POST /oidc/token/introspection` and `POST /oidc/token/revocation` (and
//! the same under `/oauth/`): what a client may ask about, or do to, a token
//! it holds. Both need client authentication as configured.
//!
//! `token_type_hint` is accepted and only a hint: both kinds of token are
//! always looked for (RFC 7009 §2.1, RFC 7662 §2.1).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::envelope::json_response;
use crate::oidc::client_auth::authenticate;
use crate::oidc::error::{OAuthError, no_store};
use crate::params::Params;
use crate::server::Shared;

/// The `token` parameter of an authenticated request.
fn authenticated_token(
    shared: &Shared,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<String, OAuthError> {
    let params = Params::of_form(headers, body).map_err(OAuthError::invalid_request)?;
    authenticate(shared, headers, &params)?;
    params
        .get("token")
        .map(str::to_owned)
        .ok_or_else(|| OAuthError::invalid_request("token is missing"))
}

/// RFC 7662: `{"active": true, …}` for an access token or refresh token in
/// force, `{"active": false}` for anything else (expired, revoked, unknown,
/// an ID token).
pub(crate) async fn introspect(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match authenticated_token(&shared, &headers, body) {
        Ok(token) => {
            let answer = shared.state().issuer.introspect(&token);
            no_store(json_response(StatusCode::OK, &answer))
        }
        Err(error) => error.into_response(),
    }
}

/// RFC 7009: `200` with an empty body, whether or not the token was known,
/// so that a client learns nothing about tokens it does not hold.
pub(crate) async fn revoke(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match authenticated_token(&shared, &headers, body) {
        Ok(token) => {
            shared.state().issuer.revoke(&token);
            StatusCode::OK.into_response()
        }
        Err(error) => error.into_response(),
    }
}
