//! OAuth error responses: `{"error", "error_description"}` with the HTTP
//! status and `WWW-Authenticate` header RFC 6749 §5.2 and RFC 6750 §3 ask
//! for.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::envelope::json_response;

/// A refused protocol request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    www_authenticate: Option<String>,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            www_authenticate: None,
        }
    }

    /// 400 `invalid_request`: a parameter is missing, repeated or malformed.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// 401 `invalid_client`. A client that tried HTTP Basic is told which
    /// scheme to use, as RFC 6749 §5.2 requires.
    pub(crate) fn invalid_client(description: impl Into<String>, tried_basic: bool) -> Self {
        let mut error = Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description);
        if tried_basic {
            error.www_authenticate = Some("Basic realm=\"genauth-standin\"".to_owned());
        }
        error
    }

    /// 400 `invalid_grant`: the code or refresh token does not hold.
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    /// 400 `invalid_scope`.
    pub(crate) fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    /// 400 `unauthorized_client`: this client may not use this grant.
    pub(crate) fn unauthorized_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unauthorized_client", description)
    }

    /// 400 `unsupported_grant_type`.
    pub(crate) fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    /// 401 `invalid_token` for a bearer token that does not hold.
    pub(crate) fn invalid_token(description: impl Into<String>) -> Self {
        let mut error = Self::new(StatusCode::UNAUTHORIZED, "invalid_token", description);
        error.www_authenticate = Some("Bearer error=\"invalid_token\"".to_owned());
        error
    }

    /// 401 `invalid_request` for a resource request whose bearer token is
    /// missing or sent where it is not accepted.
    pub(crate) fn bearer_invalid_request(description: impl Into<String>) -> Self {
        let mut error = Self::new(StatusCode::UNAUTHORIZED, "invalid_request", description);
        error.www_authenticate = Some("Bearer error=\"invalid_request\"".to_owned());
        error
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        let mut response = no_store(json_response(self.status, &body));
        if let Some(challenge) = self
            .www_authenticate
            .and_then(|value| HeaderValue::from_str(&value).ok())
        {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// Marks a response that carries tokens, or refuses them, as not to be
/// cached (RFC 6749 §5.1).
pub(crate) fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
