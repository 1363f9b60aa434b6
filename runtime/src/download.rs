//! A successful response's body read as it arrives, for downloads larger
//! than a client holds in memory.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;

use crate::CallError;

type NextChunk =
    Pin<Box<dyn Future<Output = (reqwest::Response, reqwest::Result<Option<Bytes>>)> + Send>>;

/// The body of a successful response, as a stream of chunks of bytes: not
/// bound by the client's response size limit, as nothing is held but the
/// chunk being read. The call's timeout still covers the whole download;
/// set a longer one on the request for large files.
#[must_use = "streams do nothing unless read"]
pub struct ByteStream {
    operation: &'static str,
    timeout: Duration,
    /// A body read already, as one chunk.
    read: Option<Bytes>,
    next: Option<NextChunk>,
}

impl ByteStream {
    pub(crate) fn new(
        operation: &'static str,
        timeout: Duration,
        response: reqwest::Response,
    ) -> Self {
        Self {
            operation,
            timeout,
            read: None,
            next: Some(next_chunk(response)),
        }
    }

    /// A body read already, as one chunk.
    pub(crate) fn read(operation: &'static str, body: Bytes) -> Self {
        Self {
            operation,
            timeout: Duration::ZERO,
            read: Some(body).filter(|body| !body.is_empty()),
            next: None,
        }
    }

    /// The next chunk of the body; `None` after the last.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, CallError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_chunk(cx)).await
    }

    fn poll_next_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, CallError>>> {
        if let Some(body) = self.read.take() {
            return Poll::Ready(Some(Ok(body)));
        }
        let Some(next) = self.next.as_mut() else {
            return Poll::Ready(None);
        };
        let (response, chunk) = match next.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(read) => read,
        };
        match chunk {
            Ok(Some(bytes)) => {
                self.next = Some(next_chunk(response));
                Poll::Ready(Some(Ok(bytes)))
            }
            Ok(None) => {
                self.next = None;
                Poll::Ready(None)
            }
            Err(e) => {
                self.next = None;
                let error = crate::transport::transport_error(self.operation, self.timeout, e);
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

fn next_chunk(mut response: reqwest::Response) -> NextChunk {
    Box::pin(async move {
        let chunk = response.chunk().await;
        (response, chunk)
    })
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, CallError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_chunk(cx)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("finished", &(self.read.is_none() && self.next.is_none()))
            .finish()
    }
}
