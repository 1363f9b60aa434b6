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

use super::decode::Reply;
use crate::Error;

/// The exchange of a call, up to a checked reply.
pub(crate) type Exchange<'a> = Pin<Box<dyn Future<Output = Result<Reply, Error>> + Send + 'a>>;

/// The future a request becomes when awaited: the call's result, `T`,
/// decoded from the JSON the server answers with.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<'a, T> {
    exchange: Exchange<'a>,
    span: tracing::Span,
    result: PhantomData<fn() -> T>,
}

impl<'a, T> ResponseFuture<'a, T> {
    pub(crate) fn new(exchange: Exchange<'a>, span: tracing::Span) -> Self {
        Self {
            exchange,
            span,
            result: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Future for ResponseFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let reply = match this.exchange.as_mut().poll(cx) {
            Poll::Ready(reply) => reply,
            Poll::Pending => return Poll::Pending,
        };
        let _in_span = this.span.enter();
        Poll::Ready(finish(reply.and_then(Reply::json)))
    }
}

impl<T> std::fmt::Debug for ResponseFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// The future of a request whose response has no body.
#[must_use = "futures do nothing unless awaited"]
pub struct EmptyResponseFuture<'a> {
    exchange: Exchange<'a>,
    span: tracing::Span,
}

impl<'a> EmptyResponseFuture<'a> {
    pub(crate) fn new(exchange: Exchange<'a>, span: tracing::Span) -> Self {
        Self { exchange, span }
    }
}

impl Future for EmptyResponseFuture<'_> {
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let reply = match this.exchange.as_mut().poll(cx) {
            Poll::Ready(reply) => reply,
            Poll::Pending => return Poll::Pending,
        };
        let _in_span = this.span.enter();
        Poll::Ready(finish(reply.map(drop)))
    }
}

impl std::fmt::Debug for EmptyResponseFuture<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmptyResponseFuture").finish_non_exhaustive()
    }
}

/// Notes a failed call in the trace; error messages never hold credentials.
pub(crate) fn finish<T>(result: Result<T, Error>) -> Result<T, Error> {
    if let Err(e) = &result {
        tracing::debug!(error = %e, "call failed");
    }
    result
}
