//! When and how a failed call is tried again.

use std::time::Duration;

/// How a client tries a call again after a rate limit (HTTP 429), a gateway
/// failure (502, 503, 504) or a failed connection.
///
/// Only operations that are safe to repeat are retried by default: `GET`
/// and the other methods HTTP defines as idempotent, and operations the spec
/// marks with `x-idempotent: true` (such as status checks sent by `POST`).
/// The wait between attempts doubles from [`initial_backoff`](Self::initial_backoff)
/// up to [`max_backoff`](Self::max_backoff), less a random part so that
/// clients do not retry in step; a `Retry-After` from the server (in seconds
/// or as an HTTP date) takes precedence, shortened to
/// [`max_retry_after`](Self::max_retry_after) when it asks for longer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_unsafe: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, waiting about 0.2 s and then 0.4 s, honouring a
    /// `Retry-After` of up to 30 s; safe operations only.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            retry_unsafe: false,
        }
    }
}

impl RetryPolicy {
    /// Never try again.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the second attempt, and the longest wait between attempts.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` to honour; a server asking for a longer wait
    /// is tried again after this long.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Also retry operations that are not safe to repeat (such as sign-ins):
    /// a retry after a lost response may repeat what the server already did.
    pub fn retry_unsafe_operations(mut self, retry: bool) -> Self {
        self.retry_unsafe = retry;
        self
    }

    /// The configured wait before the second attempt.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The configured longest wait between attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn allows(&self, idempotent: bool) -> bool {
        idempotent || self.retry_unsafe
    }

    /// The wait after attempt number `attempt` (1 for the first) failed:
    /// the server's `Retry-After` (at most [`max_retry_after`](Self::max_retry_after))
    /// if it asked for one, else the backoff for that attempt.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max_retry_after);
        }
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let ceiling = doubled.min(self.max_backoff);
        // Between half and all of the ceiling.
        ceiling.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_ceiling_with_jitter() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        let within = |attempt, low, high| {
            let delay = policy.delay(attempt, None);
            assert!(
                delay >= Duration::from_millis(low) && delay <= Duration::from_millis(high),
                "attempt {attempt}: {delay:?}"
            );
        };
        for _ in 0..50 {
            within(1, 50, 100);
            within(2, 100, 200);
            within(3, 150, 300);
            within(10, 150, 300);
        }
    }

    #[test]
    fn retry_after_wins_and_is_capped() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(60))),
            Duration::from_secs(5)
        );
        assert_eq!(policy.delay(1, Some(Duration::MAX)), Duration::from_secs(5));
    }

    #[test]
    fn unsafe_operations_are_retried_only_when_asked() {
        assert!(RetryPolicy::default().allows(true));
        assert!(!RetryPolicy::default().allows(false));
        assert!(
            RetryPolicy::default()
                .retry_unsafe_operations(true)
                .allows(false)
        );
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
