//! A client for the {title}, generated from its OpenAPI description.
//!
//! Every operation is a method of [`Client`]: required inputs are its
//! arguments, optional ones are set on the request it returns, and awaiting
//! the request sends it.

mod client;
mod error;
#[rustfmt::skip]
mod generated;
mod runtime;

pub use client::{Client, ClientBuilder, ConfigError, DEFAULT_TIMEOUT};
pub use error::Error;
pub use generated::{SecurityScheme, models, requests};
pub use genauth_runtime::{
    ApiError, AttemptOutcome, CallError, DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_MAX_RESPONSE_SIZE,
    ContentTypeError, DecodeError, Hook, OAuthError, OutgoingRequest, RetryPolicy, StatusError,
};
pub use runtime::{
    Binary, ByteStream, Bytes, EmptyResponseFuture, FilePart, ResponseFuture, Streamed, Text,
};
