//! The response envelope every `/api/` answer is wrapped in.
//!
//! Like the real service, failures are reported in the body (`statusCode`,
//! `apiCode`) with HTTP 200; only injected failures use other HTTP statuses.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use crate::ids;

/// `apiCode` for a missing or wrong app ID: the real service's "application
/// does not exist".
pub(crate) const API_CODE_UNKNOWN_APP: u32 = 2011;
/// `apiCode` for a call that needs a signed-in user but has no bearer token:
/// the real service's "not signed in".
pub(crate) const API_CODE_NOT_SIGNED_IN: u32 = 2020;

// The real service documents no codes for the cases below, so the stand-in
// uses its own, in a range the real list does not use, to keep them apart.

/// `apiCode` for a body or query string that cannot be read.
pub(crate) const API_CODE_INVALID_ARGUMENT: u32 = 9001;
/// `apiCode` for a push code the stand-in never issued.
pub(crate) const API_CODE_PUSH_CODE_NOT_FOUND: u32 = 9002;
/// `apiCode` for a QR code the stand-in never issued (for that operation).
pub(crate) const API_CODE_QRCODE_NOT_FOUND: u32 = 9003;
/// `apiCode` for an action the code's current status does not allow.
pub(crate) const API_CODE_INVALID_STATUS: u32 = 9004;
/// `apiCode` for a QR code ticket that is unknown or already used.
pub(crate) const API_CODE_INVALID_TICKET: u32 = 9005;
/// `apiCode` for a path under `/api/` that names no operation.
pub(crate) const API_CODE_NO_SUCH_OPERATION: u32 = 9404;

/// A failed call, as reported in the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The envelope's `statusCode`, such as 400 or 401.
    pub(crate) status_code: u16,
    /// The envelope's `apiCode`.
    pub(crate) api_code: u32,
    /// The envelope's `message`.
    pub(crate) message: String,
}

impl ApiError {
    /// A failure with `statusCode` 400, the real service's "invalid argument".
    pub(crate) fn bad_request(api_code: u32, message: impl Into<String>) -> Self {
        Self {
            status_code: 400,
            api_code,
            message: message.into(),
        }
    }

    /// The 401 failure of a call that needs a bearer token and has none.
    pub(crate) fn not_signed_in() -> Self {
        Self {
            status_code: 401,
            api_code: API_CODE_NOT_SIGNED_IN,
            message: "Unauthorized: this call needs the signed-in user's access token \
                      in the authorization header (Bearer)"
                .to_owned(),
        }
    }

    /// The 404 failure of a path under `/api/` that names no operation.
    pub(crate) fn no_such_operation(method: &str, path: &str) -> Self {
        Self {
            status_code: 404,
            api_code: API_CODE_NO_SUCH_OPERATION,
            message: format!("No such operation: {method} {path}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Envelope {
            status_code: self.status_code,
            api_code: Some(self.api_code),
            message: &self.message,
            request_id: next_request_id(),
            data: None,
        }
        .into_response()
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Success {
    /// An envelope with this `data`.
    Data(Value),
    /// An envelope without `data`, as `CommonResponseDto` describes.
    Empty,
}

impl IntoResponse for Success {
    fn into_response(self) -> Response {
        Envelope {
            status_code: 200,
            api_code: None,
            message: "Success",
            request_id: next_request_id(),
            data: match self {
                Self::Data(data) => Some(data),
                Self::Empty => None,
            },
        }
        .into_response()
    }
}

/// The envelope on the wire. A struct rather than a `json!` map so that the
/// fields come out in the order the real service and the spec list them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    status_code: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_code: Option<u32>,
    message: &'a str,
    request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Value>,
}

impl IntoResponse for Envelope<'_> {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, &self)
    }
}

/// What every `/api/` handler returns.
pub(crate) type ApiResult = Result<Success, ApiError>;

/// A JSON body with the given HTTP status.
pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            text,
        )
            .into_response(),
        // Only maps with non-string keys fail to serialise, and none are
        // built here; answer rather than panic all the same.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A fresh request ID. The counter is process-wide so that IDs stay unique
/// even across several stand-ins in one test binary.
fn next_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    ids::request_id(COUNTER.fetch_add(1, Ordering::Relaxed))
}
