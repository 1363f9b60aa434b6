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

use serde::de::DeserializeOwned;

use crate::CallError;
use crate::decode::Reply;

/// The exchange of a call, up to a checked reply.
pub(crate) type Exchange<'a> = Pin<Box<dyn Future<Output = Result<Reply, CallError>> + Send + 'a>>;

/// The future a request becomes when awaited: the call's result, `T`,
/// decoded from the JSON the server answers with, or the client's error `E`.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<'a, T, E> {
    state: State<'a, E>,
    result: PhantomData<fn() -> T>,
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

impl<'a, T, E> ResponseFuture<'a, T, E> {
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

impl<T: DeserializeOwned, E: From<CallError> + Unpin> Future for ResponseFuture<'_, T, E> {
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (reply, span) = match self.get_mut().state.poll_reply(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            Poll::Ready(Ok(arrived)) => arrived,
        };
        let _in_span = span.enter();
        Poll::Ready(finish(reply.json()).map_err(E::from))
    }
}

impl<T, E> std::fmt::Debug for ResponseFuture<'_, T, E> {
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
