//! The GenAuth V3 management API: [`ManagementClient`], for a back end
//! that manages its user pool's users, organisations, roles, applications
//! and settings. Behind the `management` feature, so that applications
//! that only sign users in do not compile its 414 operations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), genauth::Error> {
//! use futures_util::TryStreamExt;
//! use genauth::management::models::{ListUsersOptionsDto, PaginationDto};
//!
//! let client = genauth::management::ManagementClient::builder()
//!     .access_key_id("ACCESS_KEY_ID")
//!     .access_key_secret("ACCESS_KEY_SECRET")
//!     .build()?;
//! let user = client.get_user("6229ffaxxxxxxxxcade3e3d9").await?;
//! println!("{:?}", user.data.username);
//! // Every user, 50 a page, fetched as the loop reads them.
//! let pages = PaginationDto { page: None, limit: Some(50) };
//! let options = ListUsersOptionsDto { pagination: Some(pages), ..Default::default() };
//! let mut users = client.list_users().options(options).items();
//! while let Some(user) = users.try_next().await? {
//!     println!("{}", user.user_id);
//! }
//! # Ok(()) }
//! ```
//!
//! The client fetches the management token with the access key on its
//! first call, keeps it, and renews it before it expires, one renewal for
//! all the calls waiting on it. When the server refuses the token anyway
//! (HTTP 401, or `statusCode` 401), the client fetches a new one and makes
//! the call once more. A failed fetch fails the call with
//! [`Error::Credentials`](crate::Error::Credentials); nothing is cached.
//! The access key secret and the token never appear in `Debug` output,
//! errors or the trace.

pub(crate) mod paging;
mod token;

#[rustfmt::skip]
mod generated;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use genauth_runtime::{
    DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_MAX_RESPONSE_SIZE, Hook, RetryPolicy, Secret, Transport,
    TransportSettings, shown_url,
};

use crate::client::{
    Brand, ConfigError, DEFAULT_TIMEOUT, SDK_VERSION, USER_AGENT, header_value, transport,
};
use crate::runtime::{EmptyResponseFuture, Request, ResponseFuture};

pub use generated::{SecurityScheme, models, requests};
pub use paging::Items;
use token::TokenSource;

/// The management host of GenAuth's cloud.
pub const DEFAULT_HOST: &str = "https://api.genauth.ai";

/// A client of the GenAuth V3 management API for one user pool.
///
/// Every operation is a method that returns a request: required inputs are
/// the method's arguments, optional ones are set on the request, and awaiting
/// the request sends it. Cloning is cheap; clones share the connection pool
/// and the management token.
#[derive(Clone)]
pub struct ManagementClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    /// Puts the management token on calls; fetches and renews it.
    token: TokenSource,
}

impl ManagementClient {
    /// Starts configuring a client.
    pub fn builder() -> ManagementClientBuilder {
        ManagementClientBuilder::default()
    }

    /// Sends a call of a generated operation with the user pool's headers
    /// and the management token; awaiting it decodes the result.
    pub(crate) fn send<T, F>(
        &self,
        request: Request,
        security: Security,
    ) -> ResponseFuture<'_, T, F> {
        let inner = &*self.inner;
        match security {
            [] => inner.transport.send(inner.token.identified(request)),
            _ => inner.transport.send_authorized(request, inner),
        }
    }

    /// [`send`](Self::send) for an operation whose response has no body.
    #[allow(
        dead_code,
        reason = "every operation of the spec answers with a body today"
    )]
    pub(crate) fn send_empty(
        &self,
        request: Request,
        security: Security,
    ) -> EmptyResponseFuture<'_> {
        let inner = &*self.inner;
        match security {
            [] => inner.transport.send_empty(inner.token.identified(request)),
            _ => inner.transport.send_authorized_empty(request, inner),
        }
    }
}

/// Ways to authenticate an operation, each a set of schemes used together.
pub(crate) type Security = &'static [&'static [SecurityScheme]];

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ManagementClient")
            .field("host", &inner.transport.base_url().as_str())
            .field("token", &inner.token)
            .field("timeout", &inner.transport.timeout())
            .field("retry", inner.transport.retry())
            .field("hooks", &inner.transport.hook_count())
            .finish_non_exhaustive()
    }
}

/// Configures a [`ManagementClient`]; see [`ManagementClient::builder`].
#[derive(Default)]
pub struct ManagementClientBuilder {
    access_key_id: Option<String>,
    access_key_secret: Option<Secret>,
    management_token: Option<Secret>,
    host: Option<String>,
    userpool_id: Option<String>,
    tenant_id: Option<String>,
    brand: Brand,
    lang: Option<String>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    allow_plain_http: bool,
    max_response_size: Option<u64>,
    max_idle_connections: Option<usize>,
}

impl ManagementClientBuilder {
    /// The ID of the access key the client fetches management tokens with:
    /// the user pool's ID for its global key, or a collaborator's key.
    pub fn access_key_id(mut self, id: impl Into<String>) -> Self {
        self.access_key_id = Some(id.into());
        self
    }

    /// The access key's secret: the user pool's secret for its global key.
    pub fn access_key_secret(mut self, secret: impl Into<String>) -> Self {
        self.access_key_secret = Some(Secret::new(secret));
        self
    }

    /// A management token obtained elsewhere, used as it is instead of an
    /// access key: the client does not renew it.
    pub fn management_token(mut self, token: impl Into<String>) -> Self {
        self.management_token = Some(Secret::new(token));
        self
    }

    /// The management host, such as `https://api.genauth.ai` (the default)
    /// or your own deployment's address.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The ID of the user pool the calls manage. Without it, the client
    /// sends the user pool the management token names.
    pub fn userpool_id(mut self, id: impl Into<String>) -> Self {
        self.userpool_id = Some(id.into());
        self
    }

    /// The tenant the calls act in, for user pools with tenants.
    pub fn tenant_id(mut self, id: impl Into<String>) -> Self {
        self.tenant_id = Some(id.into());
        self
    }

    /// Which product's header names to use; [`Brand::GenAuth`] by default.
    pub fn brand(mut self, brand: Brand) -> Self {
        self.brand = brand;
        self
    }

    /// The language of the server's messages, such as `en-US` or `zh-CN`.
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }

    /// How long a call may take; [`DEFAULT_TIMEOUT`] (10 s) by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How calls are retried after a rate limit, a gateway failure or a
    /// failed connection; [`RetryPolicy::default`] unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a hook that sees every attempt of every call (fetching the
    /// token included), and may add headers.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Allows an `http://` host, for a server on the local machine.
    /// Credentials travel unencrypted, so never use this across a network.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The largest response body the client reads, in bytes;
    /// [`DEFAULT_MAX_RESPONSE_SIZE`] (4 MiB) by default.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// How many idle connections the client keeps open;
    /// [`DEFAULT_MAX_IDLE_CONNECTIONS`] (16) by default.
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle_connections = Some(connections);
        self
    }

    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<ManagementClient, crate::Error> {
        let credential = match (
            self.access_key_id,
            self.access_key_secret,
            self.management_token,
        ) {
            (_, _, Some(token)) => {
                header_value(token.expose(), "management token")?;
                token::Credential::Fixed(token)
            }
            (Some(id), Some(secret), None) if !id.trim().is_empty() => {
                token::Credential::AccessKey { id, secret }
            }
            _ => return Err(ConfigError::MissingAccessKey.into()),
        };
        let brand = self.brand;
        let mut identity = vec![(
            HeaderName::from_static(brand.sdk_version_header()),
            HeaderValue::from_static(SDK_VERSION),
        )];
        for (value, name, what) in [
            (
                &self.userpool_id,
                brand.userpool_id_header(),
                "user pool ID",
            ),
            (&self.tenant_id, brand.tenant_id_header(), "tenant ID"),
            (&self.lang, brand.lang_header(), "language"),
        ] {
            if let Some(value) = value {
                identity.push((HeaderName::from_static(name), header_value(value, what)?));
            }
        }
        let host = self.host.unwrap_or_else(|| DEFAULT_HOST.to_owned());
        let transport = transport(TransportSettings {
            base_url: &host,
            allow_plain_http: self.allow_plain_http,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            retry: self.retry,
            hooks: self.hooks,
            user_agent: USER_AGENT,
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            max_idle_connections: self
                .max_idle_connections
                .unwrap_or(DEFAULT_MAX_IDLE_CONNECTIONS),
        })?;
        let userpool_header = HeaderName::from_static(brand.userpool_id_header());
        let token = TokenSource::new(
            credential,
            identity,
            self.userpool_id.is_none().then_some(userpool_header),
        );
        Ok(ManagementClient {
            inner: Arc::new(Inner { transport, token }),
        })
    }
}

impl fmt::Debug for ManagementClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClientBuilder")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("management_token", &self.management_token)
            .field("host", &self.host.as_deref().map(shown_url))
            .field("userpool_id", &self.userpool_id)
            .field("tenant_id", &self.tenant_id)
            .field("brand", &self.brand)
            .field("timeout", &self.timeout)
            .field("hooks", &self.hooks.len())
            .finish_non_exhaustive()
    }
}
