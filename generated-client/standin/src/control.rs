//! `POST /_control/…`: the user's side of the flows and failure injection
//! over HTTP, for manual demos where no test holds the
//! [`StandIn`](crate::StandIn). Each does what the `StandIn` method of the
//! same name does and answers `{"ok": true|false}`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use crate::envelope::json_response;
use crate::server::Shared;
use crate::state::{InjectedFailure, PushAction, QrAction};

/// The control routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_control/push/{id}/{action}", post(push))
        .route("/_control/qrcode/{id}/{action}", post(qrcode))
        .route("/_control/fail-next", post(fail_next))
        .route("/_control/rotate-key", post(rotate_key))
}

/// `POST /_control/push/{id}/{approve|cancel|expire}`.
async fn push(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((id, action))) = path else {
        return ok(false);
    };
    let action = match action.as_str() {
        "approve" => PushAction::Approve,
        "cancel" => PushAction::Cancel,
        "expire" => PushAction::Expire,
        _ => return ok(false),
    };
    ok(shared.act_on_push(&id, action))
}

/// `POST /_control/qrcode/{id}/{scan|approve|cancel|expire}`.
async fn qrcode(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((id, action))) = path else {
        return ok(false);
    };
    let action = match action.as_str() {
        "scan" => QrAction::Scan,
        "approve" => QrAction::Approve { needs_scan: false },
        "cancel" => QrAction::Cancel { needs_scan: false },
        "expire" => QrAction::Expire,
        _ => return ok(false),
    };
    ok(shared.act_on_qrcode(&id, action))
}

/// The body of `fail-next`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FailNext {
    status: u16,
    count: usize,
    retry_after: Option<u64>,
}

/// `POST /_control/fail-next` with `{status, count, retryAfter?}`. A body
/// that cannot be read, or a status HTTP does not allow, is refused
/// (`ok: false`) and plans nothing.
async fn fail_next(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let plan = body
        .ok()
        .and_then(|body| serde_json::from_slice::<FailNext>(&body).ok())
        .filter(|plan| StatusCode::from_u16(plan.status).is_ok());
    let Some(plan) = plan else {
        return ok(false);
    };
    let failure = InjectedFailure {
        status: plan.status,
        retry_after_secs: plan.retry_after,
    };
    shared.state().plan_failures(failure, plan.count);
    ok(true)
}

/// The body of `rotate-key`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RotateKey {
    #[serde(default)]
    keep_previous: bool,
}

/// `POST /_control/rotate-key` with `{"keepPrevious": bool}` (an empty body
/// counts as `false`): answers `{"ok": true, "kid": <the new kid>}`, or
/// `ok: false` for a body that cannot be read or a key that cannot be made.
async fn rotate_key(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let plan = match body {
        Ok(body) if body.iter().all(u8::is_ascii_whitespace) => Some(RotateKey::default()),
        Ok(body) => serde_json::from_slice::<RotateKey>(&body).ok(),
        Err(_) => None,
    };
    let Some(plan) = plan else {
        return ok(false);
    };
    let mut state = shared.state();
    match state.issuer.keys_mut().rotate(plan.keep_previous) {
        Ok(kid) => json_response(StatusCode::OK, &json!({ "ok": true, "kid": kid })),
        Err(_) => ok(false),
    }
}

fn ok(ok: bool) -> Response {
    json_response(StatusCode::OK, &json!({ "ok": ok }))
}
