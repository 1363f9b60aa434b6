//! Hooks: a way to see every call and add headers to it without forking
//! the crate.

use std::time::Duration;

/// Sees every attempt of every call a client makes.
///
/// Both methods do nothing unless overridden. They run on the task making
/// the call, so they should be quick; they never see the credentials the
/// client attaches itself.
pub trait Hook: Send + Sync {
    /// Before an attempt is sent; may add headers to it.
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        let _ = request;
    }

    /// After an attempt, with its outcome.
    fn on_response(&self, response: &AttemptOutcome<'_>) {
        let _ = response;
    }
}

/// An attempt about to be sent.
#[derive(Debug)]
pub struct OutgoingRequest<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) attempt: u32,
    pub(crate) headers: Vec<(String, String)>,
}

impl OutgoingRequest<'_> {
    /// The client method that made the call, such as `sign_in_by_push`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        self.method
    }

    /// The path, with its parameters filled in.
    pub fn path(&self) -> &str {
        self.path
    }

    /// 1 for the first attempt, 2 for the first retry, …
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Adds a header to the attempt. A header the client sets itself (its
    /// credentials, the app ID) cannot be replaced this way; a name or value
    /// HTTP does not allow is left out, with a warning in the trace.
    pub fn add_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }
}

/// What an attempt came to.
pub struct AttemptOutcome<'a> {
    pub(crate) operation: &'static str,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) status: Option<u16>,
    pub(crate) body: &'a [u8],
}

impl std::fmt::Debug for AttemptOutcome<'_> {
    /// Shows the body's size only: it may hold tokens.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttemptOutcome")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("elapsed", &self.elapsed)
            .field("status", &self.status)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl AttemptOutcome<'_> {
    /// The client method that made the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// 1 for the first attempt, 2 for the first retry, …
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// How long the attempt took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The HTTP status, or `None` when no response arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The response body as received (empty when no response arrived).
    pub fn body(&self) -> &[u8] {
        self.body
    }
}
