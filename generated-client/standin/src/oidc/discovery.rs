//! The JWKS and the discovery document.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::IdTokenAlg;
use crate::envelope::json_response;
use crate::oidc::Protocol;
use crate::oidc::client_auth::method_name;
use crate::server::Shared;

/// `GET /oidc/.well-known/jwks.json`: the current key, and the previous
/// one while a rotation keeps it.
pub(crate) async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    let keys = shared.state().issuer.keys().jwks();
    json_response(StatusCode::OK, &keys)
}

/// `GET /{appId}/oidc/.well-known/jwks.json`, the app-scoped path newer
/// GenAuth SDKs use: the same keys, for this app's ID only.
pub(crate) async fn app_jwks(
    State(shared): State<Arc<Shared>>,
    app_id: Result<Path<String>, PathRejection>,
) -> Response {
    match app_id {
        Ok(Path(app_id)) if app_id == shared.app_id => jwks(State(shared)).await,
        _ => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// `GET /oidc/.well-known/openid-configuration`, and under `/oauth/` the
/// same with the `/oauth/` endpoints. There is one issuer, `{url}/oidc`,
/// and one key set for both.
pub(crate) async fn openid_configuration(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let issuer = shared.issuer();
    let base = match Protocol::of(&uri) {
        Protocol::Oidc => issuer.clone(),
        Protocol::Oauth => format!("{}/oauth", shared.url),
    };
    let auth_method = method_name(shared.client_auth);
    let id_token_alg = match shared.id_token_alg {
        IdTokenAlg::Rs256 => "RS256",
        IdTokenAlg::Hs256 => "HS256",
    };
    let document = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/auth"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/me"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "introspection_endpoint": format!("{base}/token/introspection"),
        "revocation_endpoint": format!("{base}/token/revocation"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [id_token_alg],
        "token_endpoint_auth_methods_supported": [auth_method],
        "introspection_endpoint_auth_methods_supported": [auth_method],
        "revocation_endpoint_auth_methods_supported": [auth_method],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "profile", "email", "phone", "address", "offline_access"],
        "claims_supported": [
            "sub", "name", "preferred_username", "nickname", "given_name", "middle_name",
            "family_name", "picture", "profile", "website", "gender", "birthdate", "zoneinfo",
            "locale", "updated_at", "email", "email_verified", "phone_number",
            "phone_number_verified", "address", "username", "external_id", "unionid",
        ],
    });
    json_response(StatusCode::OK, &document)
}
