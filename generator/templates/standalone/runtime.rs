//! What the generated code finds at `crate::runtime`: the shared runtime
//! crate, and this client's error type and the futures that yield it.

// {shared}
pub(crate) use genauth_runtime::{SHARED_NAMES};

// {/shared}
pub(crate) use crate::Error;

/// What bodies other than JSON are made of, for the generated code and
/// the callers that fill and read them.
pub use genauth_runtime::{Binary, ByteStream, Bytes, FilePart, Streamed, Text};

/// The future a request becomes when awaited: the operation's result, read
/// from the body in the format `F` (JSON unless told otherwise), or an [`Error`].
pub type ResponseFuture<'a, T, F = genauth_runtime::Json> = genauth_runtime::ResponseFuture<'a, T, Error, F>;

/// The future of a request whose response has no body.
pub type EmptyResponseFuture<'a> = genauth_runtime::EmptyResponseFuture<'a, Error>;
