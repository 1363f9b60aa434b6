//! Settings of a single call, which override the client's.

use std::time::Duration;

use crate::RetryPolicy;

/// What a request overrides of its client's settings: set with its
/// `with_timeout` and `with_retry` methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// Overrides the client's timeout.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Overrides the client's retry policy.
    pub fn set_retry(&mut self, retry: RetryPolicy) {
        self.retry = Some(retry);
    }
}
