//! Signing out: OIDC RP-initiated logout (`/oidc/session/end`) and
//! GenAuth's plain logout (`/login/profile/logout`).
//!
//! The stand-in keeps no browser session, so signing out only redirects;
//! tokens already issued keep working until they expire or are revoked, as
//! at a provider without back-channel logout.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;

use crate::page::{self, bad_request, found, page};
use crate::params::Params;
use crate::server::Shared;

/// `GET /oidc/session/end?id_token_hint&post_logout_redirect_uri&state`.
///
/// `id_token_hint` must be an ID token the stand-in signed for this app
/// (with any key it still publishes, or the app secret for HS256); expired
/// ones are fine. As OIDC RP-Initiated Logout requires, a
/// `post_logout_redirect_uri` is only followed when the request names its
/// client, by `id_token_hint` or `client_id`.
pub(crate) async fn session_end(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let params = match Params::of_query(&uri) {
        Ok(params) => params,
        Err(problem) => return bad_request(&problem),
    };
    let hint = params.get("id_token_hint");
    if let Some(hint) = hint
        && !shared.state().issuer.signed_id_token(hint)
    {
        return bad_request(
            "id_token_hint is not an ID token this server issued for this application",
        );
    }
    if let Some(client_id) = params.get("client_id")
        && client_id != shared.app_id
    {
        return bad_request(&format!("unknown client_id {client_id:?}"));
    }
    let Some(redirect) = params.get("post_logout_redirect_uri") else {
        return signed_out();
    };
    if hint.is_none() && !params.has("client_id") {
        return bad_request(
            "post_logout_redirect_uri needs id_token_hint or client_id to name the client",
        );
    }
    if !page::is_redirect_url(redirect) {
        return bad_request("post_logout_redirect_uri is not an absolute URL without a fragment");
    }
    match params.get("state") {
        Some(state) => found(&page::with_query(redirect, &[("state", state)])),
        None => found(redirect),
    }
}

/// `GET /login/profile/logout?redirect_uri=`: GenAuth's logout of the
/// hosted login page; any absolute URL is followed.
pub(crate) async fn profile_logout(uri: Uri) -> Response {
    let params = match Params::of_query(&uri) {
        Ok(params) => params,
        Err(problem) => return bad_request(&problem),
    };
    redirect_or_signed_out(params.get("redirect_uri"))
}

/// A redirect to `url` if there is one, else the signed-out page.
pub(crate) fn redirect_or_signed_out(url: Option<&str>) -> Response {
    match url {
        Some(url) if page::is_redirect_url(url) => found(url),
        Some(_) => bad_request("the redirect URL is not an absolute URL without a fragment"),
        None => signed_out(),
    }
}

fn signed_out() -> Response {
    page(StatusCode::OK, "Signed out", "signed out")
}
