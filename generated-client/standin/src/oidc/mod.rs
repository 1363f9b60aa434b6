//! The OIDC and OAuth 2.0 endpoints, at GenAuth's paths.
//!
//! Every endpoint is served under `/oidc/` and again under `/oauth/` (the
//! OAuth 2.0 protocol of a GenAuth app), except the JWKS and session end,
//! which are OIDC's only. Under `/oauth/` no ID token is ever issued. Both
//! share one issuer (`{url}/oidc`), one key set, and one store of codes and
//! tokens, so a token from either works at both.

mod authorize;
pub(crate) mod client_auth;
pub(crate) mod codes;
mod discovery;
mod error;
mod introspection;
pub(crate) mod logout;
mod token;
mod userinfo;

use std::sync::Arc;

use axum::Router;
use axum::http::Uri;
use axum::routing::{get, post};

use crate::server::Shared;

/// Which protocol a request speaks, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// Under `/oidc/`: ID tokens when `openid` is asked for.
    Oidc,
    /// Under `/oauth/`: never an ID token.
    Oauth,
}

impl Protocol {
    /// The protocol of the request for `uri`.
    pub(crate) fn of(uri: &Uri) -> Self {
        if uri.path().starts_with("/oauth/") {
            Self::Oauth
        } else {
            Self::Oidc
        }
    }
}

/// The OIDC and OAuth routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    let mut router = Router::new()
        .route("/oidc/.well-known/jwks.json", get(discovery::jwks))
        .route(
            "/{app_id}/oidc/.well-known/jwks.json",
            get(discovery::app_jwks),
        )
        .route("/oidc/session/end", get(logout::session_end))
        .route("/login/profile/logout", get(logout::profile_logout));
    for prefix in ["/oidc", "/oauth"] {
        router = router
            .route(
                &format!("{prefix}/.well-known/openid-configuration"),
                get(discovery::openid_configuration),
            )
            .route(&format!("{prefix}/auth"), get(authorize::authorize))
            .route(&format!("{prefix}/token"), post(token::token))
            .route(
                &format!("{prefix}/me"),
                get(userinfo::userinfo).post(userinfo::userinfo),
            )
            .route(
                &format!("{prefix}/token/introspection"),
                post(introspection::introspect),
            )
            .route(
                &format!("{prefix}/token/revocation"),
                post(introspection::revoke),
            );
    }
    router
}
