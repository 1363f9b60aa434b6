//! GenAuth's CAS identity provider, at `/cas-idp/{appId}`: login issues a
//! service ticket for the demo user, and the CAS 1.0 (`validate`) and 2.0
//! (`serviceValidate`) endpoints check it.
//!
//! The CAS `user` is the demo user's username, `demo`; the attributes are
//! the claims GenAuth sends (its OIDC claims, `sub` and `username`).
//! `serviceValidate` answers JSON unless `format=XML` is asked for. (CAS
//! itself and GenAuth's documentation default to XML; the stand-in defaults
//! to JSON, so a client should always send `format`.)

mod response;
pub(crate) mod tickets;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::oidc::logout::redirect_or_signed_out;
use crate::page::{self, bad_request, found, page};
use crate::params::Params;
use crate::server::Shared;
use crate::{Authorize, user};
use response::Format;
use tickets::TicketFailure;

/// The CAS routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/cas-idp/logout", get(logout))
        .route("/cas-idp/{app_id}", get(login))
        .route("/cas-idp/{app_id}/validate", get(validate))
        .route("/cas-idp/{app_id}/serviceValidate", get(service_validate))
}

/// `GET /cas-idp/{appId}?service=<url>`: signs the demo user in and sends
/// the browser back to `service` with a ticket. With
/// [`Authorize::Deny`] the user does not sign in: a 403 page, no ticket.
async fn login(
    State(shared): State<Arc<Shared>>,
    app_id: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Response {
    if let Some(refusal) = wrong_app(&shared, app_id) {
        return refusal;
    }
    let params = match Params::of_query(&uri) {
        Ok(params) => params,
        Err(problem) => return bad_request(&problem),
    };
    let Some(service) = params.get("service") else {
        return bad_request("service is missing");
    };
    if !page::is_redirect_url(service) {
        return bad_request("service is not an absolute URL without a fragment");
    }
    let mut state = shared.state();
    if state.authorize == Authorize::Deny {
        return page(
            StatusCode::FORBIDDEN,
            "Access denied",
            "the user did not sign in",
        );
    }
    let ticket = state.cas_tickets.issue(service, Instant::now());
    drop(state);
    found(&page::with_query(service, &[("ticket", &ticket)]))
}

/// `GET /cas-idp/{appId}/validate?service&ticket`: CAS 1.0,
/// `yes\n<user>\n` or `no\n\n`.
async fn validate(
    State(shared): State<Arc<Shared>>,
    app_id: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Response {
    if let Some(refusal) = wrong_app(&shared, app_id) {
        return refusal;
    }
    let valid = match Params::of_query(&uri) {
        Ok(params) => redeem(&shared, &params).is_ok(),
        Err(_) => false,
    };
    let body = if valid {
        format!("yes\n{}\n", user::USERNAME)
    } else {
        "no\n\n".to_owned()
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `GET /cas-idp/{appId}/serviceValidate?service&ticket[&format]`: CAS 2.0.
async fn service_validate(
    State(shared): State<Arc<Shared>>,
    app_id: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Response {
    if let Some(refusal) = wrong_app(&shared, app_id) {
        return refusal;
    }
    let params = match Params::of_query(&uri) {
        Ok(params) => params,
        Err(problem) => return response::failure(Format::Json, "INVALID_REQUEST", &problem),
    };
    let format = match params.get("format") {
        None => Format::Json,
        Some(format) if format.eq_ignore_ascii_case("json") => Format::Json,
        Some(format) if format.eq_ignore_ascii_case("xml") => Format::Xml,
        Some(other) => {
            return response::failure(
                Format::Json,
                "INVALID_REQUEST",
                &format!("format {other:?} is not supported: use JSON or XML"),
            );
        }
    };
    match redeem(&shared, &params) {
        Ok(()) => response::success(format, user::USERNAME, &user::all_claims()),
        Err((code, description)) => response::failure(format, code, &description),
    }
}

/// `GET /cas-idp/logout?url=`: back to `url`, or a signed-out page.
async fn logout(uri: Uri) -> Response {
    match Params::of_query(&uri) {
        Ok(params) => redirect_or_signed_out(params.get("url")),
        Err(problem) => bad_request(&problem),
    }
}

/// Validates the request's ticket for its service; the error is a CAS
/// failure code and description.
fn redeem(shared: &Shared, params: &Params) -> Result<(), (&'static str, String)> {
    let (Some(service), Some(ticket)) = (params.get("service"), params.get("ticket")) else {
        return Err((
            "INVALID_REQUEST",
            "service and ticket are both required".to_owned(),
        ));
    };
    shared
        .state()
        .cas_tickets
        .redeem(ticket, service, Instant::now())
        .map_err(|failure| match failure {
            TicketFailure::InvalidTicket(description) => ("INVALID_TICKET", description),
            TicketFailure::InvalidService => (
                "INVALID_SERVICE",
                format!("ticket {ticket} was not issued for service {service}"),
            ),
        })
}

/// A 404 page, unless the path names this app.
fn wrong_app(shared: &Shared, app_id: Result<Path<String>, PathRejection>) -> Option<Response> {
    match app_id {
        Ok(Path(app_id)) if app_id == shared.app_id => None,
        _ => Some(page(
            StatusCode::NOT_FOUND,
            "Not found",
            "no CAS identity provider for this application",
        )),
    }
}
