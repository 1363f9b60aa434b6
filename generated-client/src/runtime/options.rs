//! Settings of a single call, which override the client's.

use std::time::Duration;

use super::RetryPolicy;

/// What a request overrides of its client's settings: set with its
/// `with_timeout` and `with_retry` methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl CallOptions {
    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    pub(crate) fn set_retry(&mut self, retry: RetryPolicy) {
        self.retry = Some(retry);
    }
}
