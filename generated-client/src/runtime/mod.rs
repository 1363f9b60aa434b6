//! What the generated code calls: a description of each operation, a request
//! to fill in, and the client's `send` methods that put it on the wire and
//! read the answer.

mod decode;
mod hooks;
mod options;
mod request;
mod retry;
mod transport;

use std::future::Future;
use std::pin::Pin;

pub(crate) use decode::{null_as_default, redact};
pub use hooks::{AttemptOutcome, Hook, OutgoingRequest};
pub(crate) use options::CallOptions;
pub(crate) use request::{Operation, Request};
pub(crate) use reqwest::Method;
pub use retry::RetryPolicy;
pub(crate) use transport::{Transport, TransportProblem, TransportSettings};

pub(crate) use crate::Error;
pub(crate) use crate::client::Client;

/// The future a request becomes when awaited.
pub type ResponseFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;
