//! What happens to every request before its handler: it is logged, it may be
//! answered with an injected failure (if it goes to the API or a protocol
//! endpoint), and an `/api/` request must name the app.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::envelope::{API_CODE_UNKNOWN_APP, ApiError, json_response};
use crate::server::Shared;
use crate::state::InjectedFailure;

/// The headers that may carry the app ID: GenAuth's, and the older Authing
/// name still used by authing.cn deployments.
const APP_ID_HEADERS: [&str; 2] = ["x-genauth-app-id", "x-authing-app-id"];

/// The path prefixes whose requests planned failures apply to: the API and
/// the protocol endpoints, which sit behind the same gateway at GenAuth.
/// The app-scoped JWKS path, `/{appId}/oidc/`, counts too.
const FAILABLE_PREFIXES: [&str; 4] = ["/api/", "/oidc/", "/oauth/", "/cas-idp/"];

/// Logs the request, then answers it with a planned failure, refuses an
/// `/api/` request without the right app ID, or passes it on.
pub(crate) async fn gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let target = uri
        .path_and_query()
        .map_or(uri.path(), |target| target.as_str());
    let line = format!("{} {target}", request.method());
    let path = uri.path();
    let is_api = path.starts_with("/api/");
    let failable = FAILABLE_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
        || path
            .strip_prefix('/')
            .and_then(|rest| rest.strip_prefix(shared.app_id.as_str()))
            .is_some_and(|rest| rest.starts_with("/oidc/"));

    let failure = {
        let mut state = shared.state();
        state.record_request(line);
        if failable { state.take_failure() } else { None }
    };
    if let Some(failure) = failure {
        return injected_failure(failure);
    }
    // Management calls name a user pool, not an app.
    let is_app_call = is_api && !crate::management::PATHS.contains(&path);
    if is_app_call && let Err(error) = check_app_id(request.headers(), &shared.app_id) {
        return error.into_response();
    }
    next.run(request).await
}

/// Accepts the request if either app-ID header names the configured app.
fn check_app_id(headers: &HeaderMap, app_id: &str) -> Result<(), ApiError> {
    let mut given = APP_ID_HEADERS
        .iter()
        .filter_map(|name| Some((*name, headers.get(*name)?)));
    let Some((name, value)) = given.next() else {
        return Err(ApiError::bad_request(
            API_CODE_UNKNOWN_APP,
            "Missing app ID: send it in the x-genauth-app-id header (or x-authing-app-id)",
        ));
    };
    let matches = |value: &HeaderValue| value.to_str().is_ok_and(|value| value.trim() == app_id);
    if matches(value) || given.any(|(_, value)| matches(value)) {
        return Ok(());
    }
    Err(ApiError::bad_request(
        API_CODE_UNKNOWN_APP,
        format!(
            "Unknown app ID {:?} in the {name} header: this server serves {app_id:?}",
            String::from_utf8_lossy(value.as_bytes())
        ),
    ))
}

/// The body of a 429, as the real service's rate limiter sends it: no
/// `apiCode`, no `requestId`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RateLimited {
    status_code: u16,
    message: &'static str,
}

const RATE_LIMITED: RateLimited = RateLimited {
    status_code: 429,
    message: "Too many requests",
};

/// A failure as a rate limiter (429, JSON) or a proxy (anything else, HTML)
/// would send it, not an envelope from the service itself.
fn injected_failure(failure: InjectedFailure) -> Response {
    let status = StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::TOO_MANY_REQUESTS {
        let mut response = json_response(status, &RATE_LIMITED);
        if let Some(secs) = failure.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        return response;
    }
    let title = match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n\
         <center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n"
    );
    (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}
