//! What the generated code calls: a description of each operation, a request
//! to fill in, and the client's `send` methods that put it on the wire and
//! read the answer.

mod decode;
pub(crate) mod fields;
mod future;
mod hooks;
mod options;
pub(crate) mod redact;
mod request;
mod retry;
mod transport;

pub use future::{EmptyResponseFuture, ResponseFuture};
pub use hooks::{AttemptOutcome, Hook, OutgoingRequest};
pub(crate) use options::CallOptions;
pub(crate) use redact::value_shape;
pub(crate) use request::{Envelope, Operation, Request};
pub(crate) use reqwest::Method;
pub use retry::RetryPolicy;
pub use transport::DEFAULT_MAX_RESPONSE_SIZE;
pub(crate) use transport::{Transport, TransportProblem, TransportSettings, shown_url};

pub(crate) use crate::Error;
pub(crate) use crate::client::Client;
