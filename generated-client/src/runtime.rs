//! What the generated code finds at `crate::runtime`: the shared runtime
//! crate, and this client's error type and the futures that yield it.

pub(crate) use genauth_runtime::{
    CallOptions, Envelope, Method, Operation, QueryStyle, Request, RetryPolicy, fields,
};

pub(crate) use crate::Error;

/// The future a request becomes when awaited: the operation's result, or
/// an [`Error`].
pub type ResponseFuture<'a, T> = genauth_runtime::ResponseFuture<'a, T, Error>;

/// The future of a request whose response has no body.
pub type EmptyResponseFuture<'a> = genauth_runtime::EmptyResponseFuture<'a, Error>;
