//! Credentials that are fetched and expire, such as a management token: the
//! transport asks for them before a call and, when the server refuses them,
//! tells the authorizer and repeats the call once with fresh ones.

use std::future::Future;
use std::pin::Pin;

use crate::{CallError, Request};

/// The future of [`Authorizer::authorize`].
pub type AuthorizeFuture<'a> = Pin<Box<dyn Future<Output = Result<Grant, CallError>> + Send + 'a>>;

/// Which credential an authorizer put on a request, so that a refusal names
/// the one the server refused (and not one renewed meanwhile by another call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant(pub u64);

/// Puts credentials on requests, fetching and renewing them as needed.
pub trait Authorizer: Send + Sync {
    /// Adds the credentials to `request` (replacing any it added before),
    /// first fetching them if there are none yet or they are about to
    /// expire. A failure to fetch them fails the call.
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthorizeFuture<'a>;

    /// The server refused the credential of `grant`: it must not be used again.
    fn refused(&self, grant: Grant);

    /// `text` from the server with the credentials this authorizer knows
    /// taken out, in case the server quotes them back.
    fn conceal(&self, text: &str) -> String {
        text.to_owned()
    }
}
