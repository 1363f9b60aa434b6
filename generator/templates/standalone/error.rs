//! Everything that can go wrong, as one error type that says what happened.

use genauth_runtime::CallError;

use crate::SecurityScheme;
use crate::client::{ConfigError, credentials_hint};

/// An error from a call of the API or from building the client. Messages
/// name the operation and never contain a credential or a value from a
/// response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The call failed under way: the server's verdict, the network, or a
    /// body that is not what the operation returns.
    #[error(transparent)]
    Call(#[from] CallError),

    /// The operation needs a credential the client does not have, so it was
    /// not sent.
    #[error("{operation} needs {}", credentials_hint(.missing))]
    MissingCredentials {
        /// The client method that was called.
        operation: &'static str,
        /// The schemes of the first way to authenticate the operation that
        /// the client could not provide.
        missing: Vec<SecurityScheme>,
    },

    /// The client's configuration is not usable.
    #[error("invalid client configuration: {0}")]
    Config(#[from] ConfigError),
}
