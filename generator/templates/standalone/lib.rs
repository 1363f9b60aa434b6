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
mod secret;

pub use client::{Client, ClientBuilder, ConfigError, DEFAULT_TIMEOUT};
pub use error::{ApiError, DecodeError, Error, OAuthError, StatusError};
pub use generated::{SecurityScheme, models, requests};
pub use runtime::{
    AttemptOutcome, DEFAULT_MAX_RESPONSE_SIZE, EmptyResponseFuture, Hook, OutgoingRequest,
    ResponseFuture, RetryPolicy,
};
