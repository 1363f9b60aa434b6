//! The futures requests become. The exchange — building the request,
//! attempts and retries, hooks, reading the body and the verdict — is one
//! boxed future, the same for every operation, so it is compiled once. Only
//! decoding the result depends on its type, and it happens in `poll`, so
//! each result type's decoding is compiled where a program awaits it, and
//! not at all for operations a program never calls.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::decode::Reply;
use crate::{ByteStream, CallError};

/// The exchange of a call, up to a checked reply.
pub(crate) type Exchange<'a> = Pin<Box<dyn Future<Output = Result<Reply, CallError>> + Send + 'a>>;

/// The future a request becomes when awaited: the call's result, `T`,
/// read from the body as the format `F` says ([`Json`] unless told
/// otherwise), or the client's error `E`.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<'a, T, E, F = Json> {
    state: State<'a, E>,
    result: PhantomData<fn() -> (T, F)>,
}

/// How a successful response's body becomes a result of type `T`.
pub trait Format<T>: sealed::Sealed {
    /// The result, or why the body is not one.
    #[doc(hidden)]
    fn read(reply: Reply) -> Result<T, CallError>;
}

/// A body of JSON, decoded as any `T` serde can read.
#[derive(Debug)]
pub enum Json {}

/// A body of text, read as a `String`.
#[derive(Debug)]
pub enum Text {}

/// A body of bytes, such as a file, read whole as [`Bytes`].
#[derive(Debug)]
pub enum Binary {}

/// A body of bytes handed over unread, as a [`ByteStream`].
#[derive(Debug)]
pub enum Streamed {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Json {}
    impl Sealed for super::Text {}
    impl Sealed for super::Binary {}
    impl Sealed for super::Streamed {}
}

impl<T: DeserializeOwned> Format<T> for Json {
    fn read(reply: Reply) -> Result<T, CallError> {
        reply.json()
    }
}

impl Format<String> for Text {
    fn read(reply: Reply) -> Result<String, CallError> {
        reply.text()
    }
}

impl Format<Bytes> for Binary {
    fn read(reply: Reply) -> Result<Bytes, CallError> {
        reply.bytes()
    }
}

impl Format<ByteStream> for Streamed {
    fn read(reply: Reply) -> Result<ByteStream, CallError> {
        reply.stream()
    }
}

/// Where a call stands: under way, or refused before it started.
enum State<'a, E> {
    Exchanging(Exchange<'a>, tracing::Span),
    Refused(Option<E>),
}

impl<E: From<CallError>> State<'_, E> {
    /// The checked reply once it has arrived, or the refusal.
    fn poll_reply(&mut self, cx: &mut Context<'_>) -> Poll<Result<(Reply, &tracing::Span), E>> {
        match self {
            Self::Refused(error) => match error.take() {
                Some(error) => Poll::Ready(Err(error)),
                None => Poll::Pending,
            },
            Self::Exchanging(exchange, span) => match exchange.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Ok(reply)) => Poll::Ready(Ok((reply, span))),
                Poll::Ready(Err(error)) => {
                    let _in_span = span.enter();
                    Poll::Ready(Err(E::from(noted(error))))
                }
            },
        }
    }
}

impl<'a, T, E, F> ResponseFuture<'a, T, E, F> {
    pub(crate) fn new(exchange: Exchange<'a>, span: tracing::Span) -> Self {
        Self {
            state: State::Exchanging(exchange, span),
            result: PhantomData,
        }
    }

    /// A call refused before anything was sent, such as for want of a
    /// credential: awaiting it gives `error`.
    pub fn refused(error: E) -> Self {
        Self {
            state: State::Refused(Some(error)),
            result: PhantomData,
        }
    }
}

impl<T, E: From<CallError> + Unpin, F: Format<T>> Future for ResponseFuture<'_, T, E, F> {
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (reply, span) = match self.get_mut().state.poll_reply(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            Poll::Ready(Ok(arrived)) => arrived,
        };
        let _in_span = span.enter();
        Poll::Ready(finish(F::read(reply)).map_err(E::from))
    }
}

impl<T, E, F> std::fmt::Debug for ResponseFuture<'_, T, E, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// The future of a request whose response has no body.
#[must_use = "futures do nothing unless awaited"]
pub struct EmptyResponseFuture<'a, E> {
    state: State<'a, E>,
}

impl<'a, E> EmptyResponseFuture<'a, E> {
    pub(crate) fn new(exchange: Exchange<'a>, span: tracing::Span) -> Self {
        Self {
            state: State::Exchanging(exchange, span),
        }
    }

    /// A call refused before anything was sent: awaiting it gives `error`.
    pub fn refused(error: E) -> Self {
        Self {
            state: State::Refused(Some(error)),
        }
    }
}

impl<E: From<CallError> + Unpin> Future for EmptyResponseFuture<'_, E> {
    type Output = Result<(), E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut()
            .state
            .poll_reply(cx)
            .map(|reply| reply.map(drop))
    }
}

impl<E> std::fmt::Debug for EmptyResponseFuture<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmptyResponseFuture")
            .finish_non_exhaustive()
    }
}

/// Notes a failed call in the trace; error messages never hold credentials.
fn noted(error: CallError) -> CallError {
    tracing::debug!(error = %error, "call failed");
    error
}

/// [`noted`] for a result.
pub(crate) fn finish<T>(result: Result<T, CallError>) -> Result<T, CallError> {
    result.map_err(noted)
}
