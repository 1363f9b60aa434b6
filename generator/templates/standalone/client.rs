//! The client, how to build it, and how it attaches credentials.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use genauth_runtime::{
    DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_MAX_RESPONSE_SIZE, Hook, RetryPolicy, Secret, Transport, TransportProblem,
    TransportSettings, shown_url,
};

// {calls}
use genauth_runtime::Request;

use crate::generated::attach_credential;
// {/calls}
// {send}
use crate::runtime::ResponseFuture;
// {/send}
// {send_empty}
use crate::runtime::EmptyResponseFuture;
// {/send_empty}
use crate::{Error, SecurityScheme};

/// How long a call may take unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

// {calls}
/// Ways to authenticate an operation, each a set of schemes used together.
type Security = &'static [&'static [SecurityScheme]];
// {/calls}

/// A client of the API.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    credentials: HashMap<SecurityScheme, Secret>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    // {send}
    /// Sends a call with the credentials of the first way to authenticate
    /// it for which the client has every credential.
    pub(crate) fn send<T, F>(
        &self,
        request: Request,
        security: Security,
    ) -> ResponseFuture<'_, T, F> {
        match self.authenticate(request, security) {
            Ok(request) => self.inner.transport.send(request),
            Err(error) => ResponseFuture::refused(error),
        }
    }

    // {/send}
    // {send_empty}
    /// Sends a call of an operation whose response has no body, with the
    /// credentials of the first way to authenticate it for which the client
    /// has every credential.
    pub(crate) fn send_empty(&self, request: Request, security: Security) -> EmptyResponseFuture<'_> {
        match self.authenticate(request, security) {
            Ok(request) => self.inner.transport.send_empty(request),
            Err(error) => EmptyResponseFuture::refused(error),
        }
    }
    // {/send_empty}

    // {calls}
    fn authenticate(&self, mut request: Request, security: Security) -> Result<Request, Error> {
        let credentials = &self.inner.credentials;
        let Some(chosen) = security
            .iter()
            .find(|schemes| schemes.iter().all(|s| credentials.contains_key(s)))
        else {
            return match security.first() {
                Some(first) => Err(Error::MissingCredentials {
                    operation: request.operation().name,
                    missing: first
                        .iter()
                        .filter(|s| !credentials.contains_key(s))
                        .copied()
                        .collect(),
                }),
                None => Ok(request),
            };
        };
        for scheme in chosen.iter() {
            if let Some(secret) = credentials.get(scheme) {
                attach_credential(*scheme, secret.expose(), &mut request);
            }
        }
        Ok(request)
    }
    // {/calls}
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&SecurityScheme> = self.inner.credentials.keys().collect();
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.base_url().as_str())
            .field("credentials_for", &schemes)
            .field("timeout", &self.inner.transport.timeout())
            .field("retry", self.inner.transport.retry())
            .finish_non_exhaustive()
    }
}

/// What an error says is missing, and how to provide it.
pub(crate) fn credentials_hint(missing: &[SecurityScheme]) -> String {
    let names: Vec<String> = missing
        .iter()
        .map(|s| format!("`{}` ({s:?})", s.spec_name()))
        .collect();
    format!(
        "credentials for {}; set them with `.credential(SecurityScheme::.., ..)`",
        names.join(" and ")
    )
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("the base URL is missing; set it with `.base_url(..)`")]
    MissingBaseUrl,
    #[error("the base URL {url:?} is not usable: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error(
        "the base URL {url:?} uses plain HTTP; use HTTPS, or allow plain HTTP with `.allow_plain_http(true)`"
    )]
    PlainHttp { url: String },
    #[error("the {what} contains characters that cannot be sent in an HTTP header")]
    InvalidHeaderValue { what: &'static str },
    #[error("the HTTP client could not be created: {0}")]
    HttpClient(#[source] reqwest::Error),
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: HashMap<SecurityScheme, Secret>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    allow_plain_http: bool,
    max_response_size: Option<u64>,
    max_idle_connections: Option<usize>,
}

impl ClientBuilder {
    /// The address of the API, such as `https://api.example.com`. Required.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The credential for one security scheme: an API key, a bearer token,
    /// or `user:password` for HTTP Basic.
    pub fn credential(mut self, scheme: SecurityScheme, value: impl Into<String>) -> Self {
        self.credentials.insert(scheme, Secret::new(value));
        self
    }

    /// How long a call may take; [`DEFAULT_TIMEOUT`] by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How calls are retried; [`RetryPolicy::default`] unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a hook that sees every attempt of every call, and may add headers.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Allows an `http://` base URL, for a server on the local machine.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The largest response body the client reads, in bytes;
    /// [`DEFAULT_MAX_RESPONSE_SIZE`] by default.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// How many idle connections the client keeps open for the next calls;
    /// [`DEFAULT_MAX_IDLE_CONNECTIONS`] (16) by default. Raise it to the
    /// number of calls made at a time when that is higher, or each call
    /// beyond it opens (and closes) a connection of its own.
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle_connections = Some(connections);
        self
    }

    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self
            .base_url
            .filter(|u| !u.trim().is_empty())
            .ok_or(ConfigError::MissingBaseUrl)?;
        for secret in self.credentials.values() {
            if reqwest::header::HeaderValue::from_str(secret.expose()).is_err() {
                return Err(ConfigError::InvalidHeaderValue { what: "credential" }.into());
            }
        }
        let transport = Transport::new(TransportSettings {
            base_url: &base_url,
            allow_plain_http: self.allow_plain_http,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            retry: self.retry,
            hooks: self.hooks,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            max_idle_connections: self
                .max_idle_connections
                .unwrap_or(DEFAULT_MAX_IDLE_CONNECTIONS),
        })
        .map_err(|problem| match problem {
            TransportProblem::PlainHttp => ConfigError::PlainHttp {
                url: shown_url(&base_url),
            },
            TransportProblem::InvalidBaseUrl(reason) => ConfigError::InvalidBaseUrl {
                url: shown_url(&base_url),
                reason,
            },
            TransportProblem::Http(e) => ConfigError::HttpClient(e),
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                credentials: self.credentials,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&SecurityScheme> = self.credentials.keys().collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(shown_url))
            .field("credentials_for", &schemes)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .finish_non_exhaustive()
    }
}
