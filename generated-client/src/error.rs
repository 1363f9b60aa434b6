//! Everything that can go wrong, as one error type that says what happened.

use std::time::Duration;

use genauth_runtime::{
    ApiError, CallError, ContentTypeError, DecodeError, OAuthError, StatusError, message_text,
    retry_after_text,
};

use crate::SecurityScheme;
use crate::client::{ConfigError, credentials_hint};

/// An error from a call of the API or from building the client.
///
/// Messages name the operation (as the client method, e.g. `sign_in_by_push`)
/// and never contain an access token, app secret or other credential: of a
/// response they show only the envelope's `statusCode`, `apiCode`, `message`
/// and `requestId` (with anything token-like taken out) and the body's shape
/// (its keys, types and lengths), never its values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered, and its response envelope says the call failed:
    /// `statusCode` was not 200.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The server is rate limiting this application (HTTP 429, or
    /// `statusCode` 429 in the envelope).
    #[error("{operation}: rate limited by the server{}{}", retry_after_text(*.retry_after), message_text(.message))]
    RateLimited {
        /// The client method that made the call.
        operation: &'static str,
        /// How long the server asked to wait, from its `Retry-After` header.
        retry_after: Option<Duration>,
        /// The server's message, if it sent one.
        message: Option<String>,
    },

    /// No complete response arrived within the client's timeout.
    #[error("{operation}: no response within {} ms", .after.as_millis())]
    Timeout {
        /// The client method that made the call.
        operation: &'static str,
        /// The timeout that ran out.
        after: Duration,
    },

    /// The request could not be sent or the response not received: DNS,
    /// connection, TLS or protocol failure.
    #[error("{operation}: could not talk to the server: {source}")]
    Network {
        /// The client method that made the call.
        operation: &'static str,
        /// What failed, as the HTTP library reports it.
        #[source]
        source: reqwest::Error,
    },

    /// The server redirected the call to another origin (or from HTTPS to
    /// plain HTTP), which the client does not follow: the request may carry
    /// a password or a token, and the answer would come from a server the
    /// client was not configured for.
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
        /// The limit, in bytes (see the builder's `max_response_size`).
        limit: u64,
    },

    /// An OAuth 2 or OpenID Connect endpoint refused the request with an
    /// error such as `invalid_grant` or `invalid_client`.
    #[error(transparent)]
    OAuth(Box<OAuthError>),

    /// A token, or the redirect that brought it, is not to be trusted: see
    /// [`TokenError`] for why.
    #[error("the token is not trusted: {0}")]
    Token(TokenError),

    /// The server answered with an HTTP status that is not a success, for
    /// an API that reports failures by HTTP status.
    #[error(transparent)]
    Status(Box<StatusError>),

    /// The response body was not what the operation returns.
    #[error(transparent)]
    Decode(#[from] DecodeError),

    /// The response's `Content-Type` is not what the operation returns,
    /// such as an HTML page where JSON was documented.
    #[error(transparent)]
    ContentType(Box<ContentTypeError>),

    /// The credentials the call needs could not be obtained, so it was not
    /// sent: the management token could not be fetched, for instance.
    /// `source` says why, as the error of the call that fetches them.
    #[error("{operation}: could not obtain the credentials it needs: {source}")]
    Credentials {
        /// The client method that made the call.
        operation: &'static str,
        /// The failure of the call that fetches the credentials.
        #[source]
        source: Box<Error>,
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

    /// The operation needs a credential the client does not have, so it was
    /// not sent.
    #[error("{operation} needs {}", credentials_hint(.missing))]
    MissingCredentials {
        /// The client method that was called.
        operation: &'static str,
        /// The schemes of the first way to authenticate the operation that
        /// the client could not provide.
        missing: Vec<SecurityScheme>,
    },

    /// A login the client was waiting for ended without signing the user in.
    #[error("{flow}: {reason}")]
    LoginEnded {
        /// The wait helper, such as `wait_for_push_login`.
        flow: &'static str,
        /// How the login ended.
        reason: LoginEnd,
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

/// Why a token (or the redirect that brought it) is not trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a JWT: not three Base64URL parts, or not JSON inside.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// The token's header names an algorithm this client does not accept
    /// for this kind of token (`none` never is).
    #[error("the token is signed with {alg}, which this client does not accept for it")]
    DisallowedAlgorithm {
        /// The algorithm the token names (shown only if it is a short plain name).
        alg: String,
    },
    /// The token names a key that is not in the application's key set, even
    /// after fetching it again.
    #[error("the token names a signing key the application does not have")]
    UnknownKey,
    /// The signing keys could not be fetched lately, and the token's key is
    /// not among those known from before.
    #[error("the application's signing keys could not be fetched; try again shortly")]
    KeySetUnavailable,
    /// The signature does not match.
    #[error("the token's signature is not valid")]
    BadSignature,
    /// `exp` has passed (beyond the leeway).
    #[error("the token has expired")]
    Expired,
    /// `nbf` has not come yet (beyond the leeway).
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `iss` is not this application's issuer.
    #[error("the token was issued by someone else")]
    WrongIssuer,
    /// `aud` does not include this application.
    #[error("the token is meant for another audience")]
    WrongAudience,
    /// The ID token's `nonce` is not the login's.
    #[error("the ID token's nonce is not the one this login sent")]
    NonceMismatch,
    /// A claim the token must carry is missing or malformed.
    #[error("the token lacks a valid `{0}` claim")]
    MissingClaim(String),
    /// The redirect's `state` is not the one the login was started with.
    #[error("the redirect's state is not the one this login sent")]
    StateMismatch,
    /// The redirect carries neither a code nor an error.
    #[error("the redirect carries no authorisation code")]
    MissingCode,
    /// The login asked for an ID token and the token endpoint sent none.
    #[error("the token endpoint sent no ID token")]
    MissingIdToken,
}

impl From<TokenError> for Error {
    fn from(error: TokenError) -> Self {
        Error::Token(error)
    }
}

/// How a login ended without signing the user in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoginEnd {
    /// The user rejected it.
    #[error("the user cancelled the login")]
    Cancelled,
    /// The code expired before the user approved it.
    #[error("the code expired before the user approved it")]
    Expired,
    /// The server reported the login as failed (status `ERROR`).
    #[error("the server reported the login as failed")]
    Failed,
    /// The wait's deadline passed before the login ended.
    #[error("the deadline passed before the user answered")]
    DeadlinePassed,
    /// The login was approved, but no access token came with it.
    #[error("the login was approved, but no access token came with it")]
    NoTokens,
}

impl From<CallError> for Error {
    /// Each way a call can fail under way is the variant of the same name.
    fn from(error: CallError) -> Self {
        match error {
            CallError::Api(e) => Self::Api(e),
            CallError::RateLimited {
                operation,
                retry_after,
                message,
            } => Self::RateLimited {
                operation,
                retry_after,
                message,
            },
            CallError::Timeout { operation, after } => Self::Timeout { operation, after },
            CallError::Network { operation, source } => Self::Network { operation, source },
            CallError::Redirect {
                operation,
                status,
                target,
            } => Self::Redirect {
                operation,
                status,
                target,
            },
            CallError::ResponseTooLarge { operation, limit } => {
                Self::ResponseTooLarge { operation, limit }
            }
            CallError::OAuth(e) => Self::OAuth(e),
            CallError::Status(e) => Self::Status(e),
            CallError::Decode(e) => Self::Decode(e),
            CallError::ContentType(e) => Self::ContentType(e),
            CallError::Encode {
                operation,
                input,
                source,
            } => Self::Encode {
                operation,
                input,
                source,
            },
            CallError::Credentials { operation, source } => Self::Credentials {
                operation,
                source: Box::new(Self::from(*source)),
            },
        }
    }
}
