//! How a call can fail once it is under way: what the server said, what
//! the network did, or what the body turned out to be. Each client wraps
//! these in its own error type, beside the failures that are its own
//! (missing credentials, configuration).

use std::time::Duration;

use crate::redact::value_shape;

/// A call that failed on the way to the server or back.
///
/// Messages name the operation and never contain a credential: of a
/// response they show only the envelope's `statusCode`, `apiCode`, `message`
/// and `requestId` (with anything token-like taken out) and the body's shape
/// (its keys, types and lengths), never its values.
///
/// Not `non_exhaustive`: each client maps every variant to its own error
/// type, and a new one should fail to compile until it does.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The server answered, and its response envelope says the call failed.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The server is rate limiting the client (HTTP 429, or `statusCode` 429).
    #[error("{operation}: rate limited by the server{}{}", retry_after_text(*.retry_after), message_text(.message))]
    RateLimited {
        /// The client method that made the call.
        operation: &'static str,
        /// How long the server asked to wait, from its `Retry-After` header.
        retry_after: Option<Duration>,
        /// The server's message, if it sent one.
        message: Option<String>,
    },

    /// No complete response arrived within the timeout.
    #[error("{operation}: no response within {} ms", .after.as_millis())]
    Timeout {
        /// The client method that made the call.
        operation: &'static str,
        /// The timeout that ran out.
        after: Duration,
    },

    /// The request could not be sent or the response not received.
    #[error("{operation}: could not talk to the server: {source}")]
    Network {
        /// The client method that made the call.
        operation: &'static str,
        /// What failed, as the HTTP library reports it.
        #[source]
        source: reqwest::Error,
    },

    /// The server redirected the call to another origin, which is not followed.
    #[error(
        "{operation}: the server redirected the call (HTTP {status}) to {target}, another origin; not followed"
    )]
    Redirect {
        /// The client method that made the call.
        operation: &'static str,
        /// The redirect's HTTP status, such as 307.
        status: u16,
        /// Where it pointed: scheme, host and port only.
        target: String,
    },

    /// The response body was larger than the client accepts.
    #[error("{operation}: the response is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The client method that made the call.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },

    /// An OAuth 2 endpoint refused the request.
    #[error(transparent)]
    OAuth(Box<OAuthError>),

    /// The server answered with an HTTP status that is not a success.
    #[error(transparent)]
    Status(Box<StatusError>),

    /// The response body was not what the operation returns.
    #[error(transparent)]
    Decode(#[from] DecodeError),

    /// The response's `Content-Type` is not what the operation returns,
    /// such as an HTML page where JSON was documented, or a JSON error
    /// object where a file was.
    #[error(transparent)]
    ContentType(Box<ContentTypeError>),

    /// The credentials the call needs could not be obtained, so it was not
    /// sent: fetching a management token failed, for instance.
    #[error("{operation}: could not obtain the credentials it needs: {source}")]
    Credentials {
        /// The client method that made the call.
        operation: &'static str,
        /// Why: the failure of the call that fetches them.
        #[source]
        source: Box<CallError>,
    },

    /// An input could not be encoded for sending.
    #[error("{operation}: could not encode {input}: {source}")]
    Encode {
        /// The client method that made the call.
        operation: &'static str,
        /// Which input: a parameter name or "the request body".
        input: String,
        /// Why it could not be encoded.
        #[source]
        source: serde_json::Error,
    },
}

impl CallError {
    /// The error with `conceal` applied to every text the server wrote into
    /// it, such as a message that quotes the credential the call carried.
    pub fn conceal(self, conceal: &dyn Fn(&str) -> String) -> Self {
        match self {
            Self::Api(mut e) => {
                e.message = conceal(&e.message);
                Self::Api(e)
            }
            Self::RateLimited {
                operation,
                retry_after,
                message,
            } => Self::RateLimited {
                operation,
                retry_after,
                message: message.as_deref().map(conceal),
            },
            Self::OAuth(mut e) => {
                e.error = conceal(&e.error);
                e.error_description = e.error_description.as_deref().map(conceal);
                Self::OAuth(e)
            }
            other => other,
        }
    }

    /// Whether the server refused the call's credentials: HTTP 401, or
    /// `statusCode` 401 in the envelope.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Self::Api(e) => e.status_code == 401 || e.http_status == 401,
            Self::Status(e) => e.http_status == 401,
            Self::Decode(e) => e.http_status == 401,
            Self::ContentType(e) => e.http_status == 401,
            _ => false,
        }
    }
}

/// A failure the server reported in the response envelope.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
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
    /// The envelope's `message`, with anything that looks like a token taken out.
    pub message: String,
    /// The envelope's `requestId`, to quote when asking for support.
    pub request_id: Option<String>,
    /// The envelope's `data`, which some failures fill with what the caller
    /// needs next (for instance the token to finish multi-factor
    /// authentication with). `Debug` output shows only its shape.
    pub data: Option<serde_json::Value>,
}

impl OAuthError {
    /// An error an OAuth 2 endpoint reported, with anything token-like
    /// taken out of its texts.
    pub fn new(
        operation: &'static str,
        http_status: Option<u16>,
        error: &str,
        error_description: Option<&str>,
    ) -> Self {
        Self {
            operation,
            http_status,
            error: crate::redact::scrub(error),
            error_description: error_description.map(crate::redact::scrub),
        }
    }
}

impl ApiError {
    /// The envelope's `data` as a `T`, when it is one.
    pub fn data_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.data
            .clone()
            .and_then(|data| serde_json::from_value(data).ok())
    }
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let data = self.data.as_ref().map(value_shape);
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("http_status", &self.http_status)
            .field("status_code", &self.status_code)
            .field("api_code", &self.api_code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("data", &data)
            .finish()
    }
}

/// A response body that could not be read as the operation's result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: unexpected response (HTTP {http_status}): {reason}{}; the body is {body_shape}", pointer_text(.pointer))]
#[non_exhaustive]
pub struct DecodeError {
    /// The client method that made the call.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// What is wrong, such as "expected an integer, found string(4)".
    pub reason: String,
    /// Where in the body, as a JSON pointer (such as `/data/expireTime`),
    /// when the body is JSON.
    pub pointer: Option<String>,
    /// The body's shape: its keys, the types of its values and the lengths
    /// of its strings, or its kind and size when it is not JSON. Never a
    /// value from it.
    pub body_shape: String,
}

/// A successful response whose `Content-Type` says it is not what the
/// operation returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{operation}: expected {expected}, but the server sent {received} (HTTP {http_status}); the body is {body_shape}"
)]
#[non_exhaustive]
pub struct ContentTypeError {
    /// The client method that made the call.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// What the spec documents, such as `JSON` or `application/pdf`.
    pub expected: String,
    /// The media type that arrived, without its parameters.
    pub received: String,
    /// The body's shape (never its values).
    pub body_shape: String,
}

/// A failure an OAuth 2 endpoint reported (RFC 6749, section 5.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed: {error}{}", description_text(.error_description))]
#[non_exhaustive]
pub struct OAuthError {
    /// The client method that made the call.
    pub operation: &'static str,
    /// The HTTP status of the response; `None` when the error came back
    /// with the user, in a redirect.
    pub http_status: Option<u16>,
    /// The error code, such as `invalid_grant`.
    pub error: String,
    /// The server's explanation, with anything that looks like a token taken out.
    pub error_description: Option<String>,
}

fn description_text(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// A failure an API without an envelope reported by its HTTP status.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed: HTTP {http_status}; the body is {body_shape}")]
#[non_exhaustive]
pub struct StatusError {
    /// The client method that made the call.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// The body's shape (never its values).
    pub body_shape: String,
    /// The body as received, for the caller to read (it is not shown in
    /// messages or `Debug` output).
    pub body: Vec<u8>,
}

impl StatusError {
    /// The body as a `T`, when it is one (such as the API's error type).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl std::fmt::Debug for StatusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusError")
            .field("operation", &self.operation)
            .field("http_status", &self.http_status)
            .field("body_shape", &self.body_shape)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

fn pointer_text(pointer: &Option<String>) -> String {
    pointer
        .as_deref()
        .map(|p| format!(" at {p}"))
        .unwrap_or_default()
}

/// How an error message says how long the server asked to wait.
pub fn retry_after_text(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (retry after {} s)", d.as_secs()))
        .unwrap_or_default()
}

/// How an error message quotes the server's message.
pub fn message_text(message: &Option<String>) -> String {
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
