//! `POST /oidc/token` (and `/oauth/token`): authorization code, refresh
//! token and client credentials grants.
//!
//! The client authenticates first, by the configured [`ClientAuth`]; only
//! then is the grant looked at. As at node-oidc-provider (which GenAuth's
//! OIDC endpoints follow), a failed exchange (wrong `redirect_uri`, failed
//! PKCE) does not use the code up; a successful one does, and presenting
//! the code again revokes every token issued for it (RFC 6749 §4.1.2).
//!
//! A refresh keeps the refresh token (no rotation) and may narrow, never
//! widen, the scope; its new ID token carries no `nonce`, which belongs to
//! the original authentication. The client-credentials grant is refused to
//! public clients (RFC 6749 §4.4 is for confidential clients only).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::ClientAuth;
use crate::envelope::json_response;
use crate::issuer::{Issued, Request, Subject};
use crate::oidc::Protocol;
use crate::oidc::client_auth::authenticate;
use crate::oidc::error::{OAuthError, no_store};
use crate::params::Params;
use crate::server::Shared;
use crate::{jwt, user};

/// `POST /oidc/token` and `POST /oauth/token`.
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let protocol = Protocol::of(&uri);
    match grant(&shared, protocol, &headers, body) {
        Ok(response) => no_store(json_response(StatusCode::OK, &response)),
        Err(error) => error.into_response(),
    }
}

fn grant(
    shared: &Shared,
    protocol: Protocol,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Value, OAuthError> {
    let params = Params::of_form(headers, body).map_err(OAuthError::invalid_request)?;
    authenticate(shared, headers, &params)?;
    match params.get("grant_type") {
        Some("authorization_code") => authorization_code(shared, protocol, &params),
        Some("refresh_token") => refresh_token(shared, protocol, &params),
        Some("client_credentials") => client_credentials(shared, &params),
        Some(other) => Err(OAuthError::unsupported_grant_type(format!(
            "grant_type {other:?} is not supported: use authorization_code, refresh_token or \
             client_credentials"
        ))),
        None => Err(OAuthError::invalid_request("grant_type is missing")),
    }
}

fn authorization_code(
    shared: &Shared,
    protocol: Protocol,
    params: &Params,
) -> Result<Value, OAuthError> {
    let Some(code) = params.get("code") else {
        return Err(OAuthError::invalid_request("code is missing"));
    };
    let mut state = shared.state();
    let state = &mut *state;
    let Some(issued_code) = state.codes.get_mut(code) else {
        return Err(OAuthError::invalid_grant("authorization code not found"));
    };
    if issued_code.expired(Instant::now()) {
        return Err(OAuthError::invalid_grant("authorization code has expired"));
    }
    let authorization = &issued_code.authorization;
    if shared.client_auth == ClientAuth::None && authorization.challenge.is_none() {
        return Err(OAuthError::invalid_request(
            "a public client must use PKCE: the authorization request had no code_challenge",
        ));
    }
    let pkce_holds = match (&authorization.challenge, params.get("code_verifier")) {
        (Some(challenge), Some(verifier)) => jwt::s256(verifier) == *challenge,
        (None, None) => true,
        _ => false,
    };
    if !pkce_holds {
        return Err(OAuthError::invalid_grant(
            "PKCE verification failed: code_verifier does not match the code_challenge \
             (or one of them is missing)",
        ));
    }
    if params.get("redirect_uri") != Some(authorization.redirect_uri.as_str()) {
        return Err(OAuthError::invalid_grant(
            "redirect_uri does not match the one of the authorization request",
        ));
    }
    let scope = authorization.scope.clone();
    let nonce = authorization.nonce.clone();
    if let Some(grant) = issued_code.exchanged {
        state.issuer.revoke_grant(grant);
        return Err(OAuthError::invalid_grant(
            "authorization code has already been used; the tokens issued for it are revoked",
        ));
    }
    let grant = state.issuer.new_grant();
    issued_code.exchanged = Some(grant);
    let issued = state.issuer.issue(&Request {
        grant,
        subject: Subject::User,
        scope: &scope,
        nonce: nonce.as_deref(),
        id_token: protocol == Protocol::Oidc && user::has_scope(&scope, "openid"),
        refresh_token: user::has_scope(&scope, "offline_access"),
        lifetime: shared.token_lifetime,
    });
    Ok(response(issued, &scope))
}

fn refresh_token(
    shared: &Shared,
    protocol: Protocol,
    params: &Params,
) -> Result<Value, OAuthError> {
    let Some(token) = params.get("refresh_token") else {
        return Err(OAuthError::invalid_request("refresh_token is missing"));
    };
    let mut state = shared.state();
    let Some(grant) = state.issuer.refresh_grant(token).cloned() else {
        return Err(OAuthError::invalid_grant(
            "refresh token is unknown or has been revoked",
        ));
    };
    let scope = match params.get("scope") {
        None => grant.scope.clone(),
        Some(asked) => {
            if let Some(extra) = asked
                .split_whitespace()
                .find(|scope| !user::has_scope(&grant.scope, scope))
            {
                return Err(OAuthError::invalid_scope(format!(
                    "scope {extra:?} was not granted with this refresh token"
                )));
            }
            asked.to_owned()
        }
    };
    let mut issued = state.issuer.issue(&Request {
        grant: grant.grant,
        subject: grant.subject,
        scope: &scope,
        nonce: None,
        id_token: protocol == Protocol::Oidc && user::has_scope(&scope, "openid"),
        refresh_token: false,
        lifetime: shared.token_lifetime,
    });
    issued.refresh_token = Some(token.to_owned());
    Ok(response(issued, &scope))
}

fn client_credentials(shared: &Shared, params: &Params) -> Result<Value, OAuthError> {
    if shared.client_auth == ClientAuth::None {
        return Err(OAuthError::unauthorized_client(
            "a public client cannot use the client_credentials grant",
        ));
    }
    let scope = params.get("scope").unwrap_or_default();
    let mut state = shared.state();
    let grant = state.issuer.new_grant();
    let issued = state.issuer.issue(&Request {
        grant,
        subject: Subject::Client,
        scope,
        nonce: None,
        id_token: false,
        refresh_token: false,
        lifetime: shared.token_lifetime,
    });
    let mut response = response(issued, scope);
    if let Value::Object(fields) = &mut response {
        // GenAuth lists here the asked scopes it did not grant; the
        // stand-in grants them all.
        fields.insert("rejected_scope".to_owned(), "".into());
    }
    Ok(response)
}

/// The RFC 6749 §5.1 response.
fn response(issued: Issued, scope: &str) -> Value {
    let mut fields = Map::new();
    fields.insert("access_token".to_owned(), issued.access_token.into());
    if let Some(id_token) = issued.id_token {
        fields.insert("id_token".to_owned(), id_token.into());
    }
    if let Some(refresh_token) = issued.refresh_token {
        fields.insert("refresh_token".to_owned(), refresh_token.into());
    }
    fields.insert("token_type".to_owned(), "Bearer".into());
    fields.insert("expires_in".to_owned(), issued.expires_in.into());
    fields.insert("scope".to_owned(), scope.into());
    Value::Object(fields)
}
