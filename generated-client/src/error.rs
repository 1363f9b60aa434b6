//! Everything that can go wrong, as one error type that says what happened.

use std::time::Duration;

use crate::SecurityScheme;

/// An error from a call of the API or from building the client.
///
/// Messages name the operation (as the client method, e.g. `sign_in_by_push`)
/// and never contain an access token, app secret or other credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered, and its response envelope says the call failed:
    /// `statusCode` was not 200.
    #[error(transparent)]
    Api(#[from] ApiError),

    /// The server is rate limiting this application (HTTP 429, or
    /// `statusCode` 429 in the envelope).
    #[error("{operation}: rate limited by the server{}{}", retry_after_text(*.retry_after), message_text(.message))]
    RateLimited {
        operation: &'static str,
        /// How long the server asked to wait, from its `Retry-After` header.
        retry_after: Option<Duration>,
        message: Option<String>,
    },

    /// No complete response arrived within the client's timeout.
    #[error("{operation}: no response within {} ms", .after.as_millis())]
    Timeout {
        operation: &'static str,
        after: Duration,
    },

    /// The request could not be sent or the response not received: DNS,
    /// connection, TLS or protocol failure.
    #[error("{operation}: could not talk to the server: {source}")]
    Network {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },

    /// The response body was not what the operation returns.
    #[error(transparent)]
    Decode(#[from] DecodeError),

    /// An input could not be encoded for sending.
    #[error("{operation}: could not encode {input}: {source}")]
    Encode {
        operation: &'static str,
        input: String,
        #[source]
        source: serde_json::Error,
    },

    /// The operation needs a credential the client does not have, so it was
    /// not sent.
    #[error("{operation} needs {}; set {} when building the client", scheme_list(.missing), setter_list(.missing))]
    MissingCredentials {
        operation: &'static str,
        /// The schemes of the first way to authenticate the operation that
        /// the client could not provide.
        missing: Vec<SecurityScheme>,
    },

    /// The client's configuration is not usable.
    #[error("invalid client configuration: {0}")]
    Config(#[from] ConfigError),
}

impl Error {
    /// The envelope's `statusCode`, if the server sent one.
    pub fn status_code(&self) -> Option<i64> {
        match self {
            Self::Api(e) => Some(e.status_code),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The envelope's `apiCode`, which narrows a failure down, if the server sent one.
    pub fn api_code(&self) -> Option<i64> {
        match self {
            Self::Api(e) => e.api_code,
            _ => None,
        }
    }

    /// The envelope's `requestId`, to quote when asking for support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

/// A failure the server reported in the response envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed: statusCode {status_code}{}: {message}{}", api_code_text(*.api_code), request_id_text(.request_id))]
#[non_exhaustive]
pub struct ApiError {
    /// The client method that made the call.
    pub operation: &'static str,
    /// The HTTP status of the response (usually 200, even for failures).
    pub http_status: u16,
    /// The envelope's `statusCode`.
    pub status_code: i64,
    /// The envelope's `apiCode`.
    pub api_code: Option<i64>,
    /// The envelope's `message`.
    pub message: String,
    /// The envelope's `requestId`.
    pub request_id: Option<String>,
}

/// A response body that could not be read as the operation's result.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: unexpected response (HTTP {http_status}): {}; the body starts with {body_start:?}", reason_text(.source))]
#[non_exhaustive]
pub struct DecodeError {
    pub operation: &'static str,
    pub http_status: u16,
    /// The first characters of the body, with anything that looks like a
    /// credential replaced by `<redacted>`.
    pub body_start: String,
    /// Why the JSON did not fit, when the body was JSON at all.
    #[source]
    pub source: Option<serde_json::Error>,
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("the app ID is missing; set it with `.app_id(..)`")]
    MissingAppId,
    #[error("the app host is missing; set it with `.app_host(\"https://<your app>.genauth.ai\")`")]
    MissingAppHost,
    #[error("the app host {host:?} is not usable: {reason}")]
    InvalidAppHost { host: String, reason: String },
    #[error(
        "the app host {host:?} uses plain HTTP; use HTTPS, or allow plain HTTP for a local server with `.allow_plain_http(true)`"
    )]
    PlainHttp { host: String },
    #[error("the {what} contains characters that cannot be sent in an HTTP header")]
    InvalidHeaderValue { what: &'static str },
    #[error("the HTTP client could not be created: {0}")]
    HttpClient(#[source] reqwest::Error),
}

fn retry_after_text(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (retry after {} s)", d.as_secs()))
        .unwrap_or_default()
}

fn message_text(message: &Option<String>) -> String {
    message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

fn api_code_text(api_code: Option<i64>) -> String {
    api_code
        .map(|c| format!(" (apiCode {c})"))
        .unwrap_or_default()
}

fn request_id_text(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" [requestId {id}]"))
        .unwrap_or_default()
}

fn reason_text(source: &Option<serde_json::Error>) -> String {
    match source {
        Some(e) => e.to_string(),
        None => "not a GenAuth response".to_owned(),
    }
}

fn scheme_list(schemes: &[SecurityScheme]) -> String {
    schemes
        .iter()
        .map(|s| describe(*s).0)
        .collect::<Vec<_>>()
        .join(" and ")
}

fn setter_list(schemes: &[SecurityScheme]) -> String {
    schemes
        .iter()
        .map(|s| describe(*s).1)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What a scheme is called in a message, and how to provide it.
fn describe(scheme: SecurityScheme) -> (&'static str, &'static str) {
    match scheme {
        SecurityScheme::AppId => ("an app ID", "`.app_id(..)`"),
        SecurityScheme::AccessToken => ("a user access token", "`.access_token(..)`"),
        SecurityScheme::ClientSecretBasic => (
            "the app secret as HTTP Basic credentials",
            "`.app_secret(..)` and `.token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)`",
        ),
    }
}
