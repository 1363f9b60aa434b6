//! `GET /oidc/auth` (and `/oauth/auth`): the authorization endpoint of the
//! code flow, where the demo user "signs in" at once.
//!
//! A request that does not identify a client and a place to send the
//! answer (wrong `client_id`, missing or malformed `redirect_uri`, a
//! `response_type` other than `code`, an unknown `response_mode`) gets a
//! 400 page and no redirect, so that a forged request cannot bounce a
//! browser anywhere. Every other problem is reported to the client by
//! redirecting with `error`, as RFC 6749 §4.1.2.1 asks.
//!
//! Any absolute `redirect_uri` is accepted: the stand-in keeps no list of
//! registered callback URLs. `prompt`, `tenantId` and other parameters are
//! accepted and ignored.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use crate::Authorize;
use crate::oidc::codes::Authorization;
use crate::page::{self, bad_request, found};
use crate::params::Params;
use crate::server::Shared;

/// Where the answer goes in the redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// In the query string (the default for the code flow).
    Query,
    /// After `#`, out of the server logs of the client.
    Fragment,
}

/// The client's callback, once known to be safe to redirect to.
struct Callback<'a> {
    redirect_uri: &'a str,
    mode: Mode,
    state: Option<&'a str>,
}

impl Callback<'_> {
    /// Redirects to the callback with `pairs` and then `state`, unchanged.
    fn redirect(&self, pairs: &[(&str, &str)]) -> Response {
        let mut pairs = pairs.to_vec();
        if let Some(state) = self.state {
            pairs.push(("state", state));
        }
        let location = match self.mode {
            Mode::Query => page::with_query(self.redirect_uri, &pairs),
            Mode::Fragment => format!("{}#{}", self.redirect_uri, page::encode(&pairs)),
        };
        found(&location)
    }

    fn error(&self, error: &str, description: &str) -> Response {
        self.redirect(&[("error", error), ("error_description", description)])
    }
}

/// `GET /oidc/auth` and `GET /oauth/auth`.
pub(crate) async fn authorize(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let params = match Params::of_query(&uri) {
        Ok(params) => params,
        Err(problem) => return bad_request(&problem),
    };
    let callback = match callback(&shared, &params) {
        Ok(callback) => callback,
        Err(problem) => return bad_request(&problem),
    };

    let challenge = params.get("code_challenge");
    match (challenge, params.get("code_challenge_method")) {
        (None, None) => {}
        (Some(challenge), Some("S256")) if is_s256_challenge(challenge) => {}
        (Some(_), Some("S256")) => {
            return callback.error(
                "invalid_request",
                "code_challenge must be 43 characters of base64url, as S256 makes",
            );
        }
        (Some(_), _) => {
            return callback.error(
                "invalid_request",
                "code_challenge_method must be S256: plain is not supported",
            );
        }
        (None, Some(_)) => {
            return callback.error(
                "invalid_request",
                "code_challenge_method is given without code_challenge",
            );
        }
    }

    let mut state = shared.state();
    if state.authorize == Authorize::Deny {
        return callback.error("access_denied", "the user denied the authorization request");
    }
    let authorization = Authorization {
        redirect_uri: callback.redirect_uri.to_owned(),
        scope: params.get("scope").unwrap_or_default().to_owned(),
        nonce: params.get("nonce").map(str::to_owned),
        challenge: challenge.map(str::to_owned),
    };
    let code = state.codes.issue(authorization, Instant::now());
    drop(state);
    callback.redirect(&[("code", &code)])
}

/// The callback, or why there is none to redirect to.
fn callback<'a>(shared: &Shared, params: &'a Params) -> Result<Callback<'a>, String> {
    match params.get("client_id") {
        None => return Err("client_id is missing".to_owned()),
        Some(id) if id != shared.app_id => return Err(format!("unknown client_id {id:?}")),
        Some(_) => {}
    }
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return Err("redirect_uri is missing".to_owned());
    };
    if !page::is_redirect_url(redirect_uri) {
        return Err(format!(
            "redirect_uri {redirect_uri:?} is not an absolute URL without a fragment"
        ));
    }
    match params.get("response_type") {
        Some("code") => {}
        None => return Err("response_type is missing: only code is supported".to_owned()),
        Some(other) => {
            return Err(format!(
                "response_type {other:?} is not supported: only code is"
            ));
        }
    }
    let mode = match params.get("response_mode") {
        None | Some("query") => Mode::Query,
        Some("fragment") => Mode::Fragment,
        Some(other) => {
            return Err(format!(
                "response_mode {other:?} is not supported: use query or fragment"
            ));
        }
    };
    Ok(Callback {
        redirect_uri,
        mode,
        state: params.get("state"),
    })
}

/// Whether `challenge` looks like `BASE64URL(SHA256(verifier))`.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
