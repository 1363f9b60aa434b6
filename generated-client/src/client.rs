//! The client and how to build it.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use genauth_runtime::{
    AttemptOutcome, DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_MAX_RESPONSE_SIZE, Hook, RetryPolicy,
    Secret, Transport, TransportProblem, TransportSettings, shown_url,
};

use crate::Error;
pub(crate) use crate::credentials::credentials_hint;
use crate::oidc::{JwksCache, OidcSettings};

/// How long a call may take, from sending the request to reading the whole
/// response, unless [`AuthenticationClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The `user-agent` of every client.
pub(crate) const USER_AGENT: &str = concat!("genauth-rust/", env!("CARGO_PKG_VERSION"));

/// The value of the SDK-version header.
pub(crate) const SDK_VERSION: &str = concat!("genauth-rust:", env!("CARGO_PKG_VERSION"));

/// A client of the GenAuth V3 authentication API for one application.
///
/// Every operation is a method that returns a request: required inputs are
/// the method's arguments, optional ones are set on the request, and awaiting
/// the request sends it.
///
/// ```no_run
/// # async fn demo() -> Result<(), genauth::Error> {
/// let client = genauth::AuthenticationClient::builder()
///     .app_id("APP_ID")
///     .app_host("https://example.genauth.ai")
///     .build()?;
/// let push = client.sign_in_by_push("test").await?;
/// println!("push code {} expires in {}s", push.data.push_code_id, push.data.expire_time);
/// # Ok(()) }
/// ```
///
/// Cloning is cheap and clones share one connection pool.
#[derive(Clone)]
pub struct AuthenticationClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) app_id: String,
    pub(crate) app_secret: Option<Secret>,
    /// Shared with the hook that remembers tokens from sign-in responses.
    pub(crate) access_token: Arc<RwLock<Option<Secret>>>,
    pub(crate) remember_tokens: bool,
    pub(crate) brand: Brand,
    /// The app-id, SDK-version and language headers every call carries,
    /// checked once when the client is built.
    pub(crate) identity: Vec<(HeaderName, HeaderValue)>,
    pub(crate) token_endpoint_auth_method: TokenEndpointAuthMethod,
    pub(crate) oidc: OidcSettings,
    /// The signing keys of the application, for verifying tokens.
    pub(crate) jwks: JwksCache,
}

impl AuthenticationClient {
    /// Starts configuring a client.
    pub fn builder() -> AuthenticationClientBuilder {
        AuthenticationClientBuilder::default()
    }

    /// Makes the following calls with this user access token.
    ///
    /// Fails, keeping the previous token, when the token cannot be sent in
    /// an HTTP header.
    pub fn set_access_token(&self, access_token: impl Into<String>) -> Result<(), Error> {
        let token = Secret::new(access_token);
        header_safe(token.expose(), "access token")?;
        *self
            .inner
            .access_token
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(token);
        Ok(())
    }

    /// Makes the following calls without a user access token.
    pub fn clear_access_token(&self) {
        *self
            .inner
            .access_token
            .write()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Whether calls are currently made with a user access token.
    pub fn has_access_token(&self) -> bool {
        self.access_token().is_some()
    }

    /// Whether the client keeps the access token of each sign-in (see
    /// [`AuthenticationClientBuilder::remember_tokens`]).
    pub(crate) fn remembers_tokens(&self) -> bool {
        self.inner.remember_tokens
    }

    /// The access token calls are currently made with, if any.
    pub(crate) fn access_token(&self) -> Option<Secret> {
        self.inner
            .access_token
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl fmt::Debug for AuthenticationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("AuthenticationClient")
            .field("app_id", &inner.app_id)
            .field("app_host", &inner.transport.base_url().as_str())
            .field("brand", &inner.brand)
            .field("access_token", &self.access_token())
            .field("app_secret", &inner.app_secret)
            .field("timeout", &inner.transport.timeout())
            .field("retry", inner.transport.retry())
            .field("hooks", &inner.transport.hook_count())
            .finish_non_exhaustive()
    }
}

/// Which product's header names to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Brand {
    /// `x-genauth-app-id`, `x-genauth-sdk-version`, `x-genauth-lang`: GenAuth deployments.
    #[default]
    GenAuth,
    /// `x-authing-app-id`, `x-authing-sdk-version`, `x-authing-lang`: Authing
    /// deployments on authing.cn.
    Authing,
}

impl Brand {
    pub(crate) fn app_id_header(self) -> &'static str {
        match self {
            Self::GenAuth => "x-genauth-app-id",
            Self::Authing => "x-authing-app-id",
        }
    }

    pub(crate) fn sdk_version_header(self) -> &'static str {
        match self {
            Self::GenAuth => "x-genauth-sdk-version",
            Self::Authing => "x-authing-sdk-version",
        }
    }

    pub(crate) fn lang_header(self) -> &'static str {
        match self {
            Self::GenAuth => "x-genauth-lang",
            Self::Authing => "x-authing-lang",
        }
    }

    #[cfg_attr(not(feature = "management"), allow(dead_code))]
    pub(crate) fn userpool_id_header(self) -> &'static str {
        match self {
            Self::GenAuth => "x-genauth-userpool-id",
            Self::Authing => "x-authing-userpool-id",
        }
    }

    #[cfg_attr(not(feature = "management"), allow(dead_code))]
    pub(crate) fn tenant_id_header(self) -> &'static str {
        match self {
            Self::GenAuth => "x-genauth-tenant-id",
            Self::Authing => "x-authing-tenant-id",
        }
    }
}

/// How the application proves its identity to the endpoints that issue
/// tokens, as set for it in the console.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenEndpointAuthMethod {
    /// No client authentication (single-page and native apps).
    None,
    /// `client_id` and `client_secret` (when the client has one) in the
    /// request body: the default, as in GenAuth's other SDKs.
    #[default]
    ClientSecretPost,
    /// The app ID and secret as HTTP Basic credentials, which the client sends
    /// itself when an app secret is set.
    ClientSecretBasic,
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A management client has neither an access key (ID and secret) nor a
    /// management token.
    #[error(
        "the management client needs an access key, `.access_key_id(..)` and `.access_key_secret(..)`, or a `.management_token(..)`"
    )]
    MissingAccessKey,
    /// No app ID was set.
    #[error("the app ID is missing; set it with `.app_id(..)`")]
    MissingAppId,
    #[error("the app host is missing; set it with `.app_host(\"https://<your app>.genauth.ai\")`")]
    /// No app host was set.
    MissingAppHost,
    #[error("the app host {host:?} is not usable: {reason}")]
    /// The app host is not an absolute `https://` URL without query, fragment or credentials.
    InvalidAppHost {
        /// The app host as given, with any credentials in it replaced.
        host: String,
        /// What is wrong with it.
        reason: String,
    },
    #[error(
        "the app host {host:?} uses plain HTTP; use HTTPS, or allow plain HTTP for a local server with `.allow_plain_http(true)`"
    )]
    /// The app host uses `http://` and plain HTTP was not allowed.
    PlainHttp {
        /// The app host as given, with any credentials in it replaced.
        host: String,
    },
    #[error("the {what} contains characters that cannot be sent in an HTTP header")]
    /// A setting that travels in a header contains characters headers cannot carry.
    InvalidHeaderValue {
        /// Which setting: "app ID", "access token", "app secret" or "language".
        what: &'static str,
    },
    #[error("the HTTP client could not be created: {0}")]
    /// The HTTP client could not be set up (for instance, no TLS roots were found).
    HttpClient(#[source] reqwest::Error),
    /// The protocol helpers lack a setting, or were asked for something the
    /// protocol does not allow; the message says which.
    #[error("{0}")]
    Oidc(&'static str),
    /// The operating system gave no random bytes for a state, nonce or PKCE
    /// verifier.
    #[error("the operating system's random generator failed")]
    NoRandomness,
}

/// Configures an [`AuthenticationClient`]; see [`AuthenticationClient::builder`].
#[derive(Default)]
pub struct AuthenticationClientBuilder {
    app_id: Option<String>,
    app_host: Option<String>,
    app_secret: Option<Secret>,
    access_token: Option<Secret>,
    brand: Brand,
    lang: Option<String>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    remember_tokens: bool,
    allow_plain_http: bool,
    token_endpoint_auth_method: TokenEndpointAuthMethod,
    max_response_size: Option<u64>,
    max_idle_connections: Option<usize>,
    oidc: OidcSettings,
}

impl AuthenticationClientBuilder {
    /// The application's ID, sent with every call. Required.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The application's address, such as `https://example.genauth.ai`. Required.
    pub fn app_host(mut self, app_host: impl Into<String>) -> Self {
        self.app_host = Some(app_host.into());
        self
    }

    /// The application's secret, for the calls that authenticate the
    /// application itself with HTTP Basic credentials.
    pub fn app_secret(mut self, app_secret: impl Into<String>) -> Self {
        self.app_secret = Some(Secret::new(app_secret));
        self
    }

    /// The signed-in user's access token, sent as a bearer token with every
    /// call; operations that act for a user need it.
    pub fn access_token(mut self, access_token: impl Into<String>) -> Self {
        self.access_token = Some(Secret::new(access_token));
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

    /// How calls are retried after a rate limit, a gateway failure or a failed
    /// connection; [`RetryPolicy::default`] unless set. A request's
    /// `with_retry` overrides it for one call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a hook that sees every attempt of every call, and may add headers.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Keeps the access token of every successful sign-in (and of the wait
    /// helpers' results) so that the following calls act for that user.
    /// Off by default.
    pub fn remember_tokens(mut self, remember: bool) -> Self {
        self.remember_tokens = remember;
        self
    }

    /// Allows an `http://` app host, for a server on the local machine.
    /// Credentials travel unencrypted, so never use this across a network.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The largest response body the client reads, in bytes;
    /// [`DEFAULT_MAX_RESPONSE_SIZE`] (4 MiB) by default. A larger response
    /// fails the call with [`Error::ResponseTooLarge`] as soon as the limit
    /// is passed, without reading the rest.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// The settings of the OpenID Connect, OAuth 2 and CAS helpers (see
    /// [`crate::oidc`]): protocol, redirect URIs, scope, how ID tokens are
    /// signed, and how introspection and revocation authenticate.
    pub fn oidc(mut self, settings: OidcSettings) -> Self {
        self.oidc = settings;
        self
    }

    /// How the application authenticates to the endpoints that issue tokens
    /// (the token endpoint and the V3 calls that take client credentials);
    /// [`TokenEndpointAuthMethod::ClientSecretPost`] by default.
    pub fn token_endpoint_auth_method(mut self, method: TokenEndpointAuthMethod) -> Self {
        self.token_endpoint_auth_method = method;
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
    pub fn build(self) -> Result<AuthenticationClient, Error> {
        let app_id = self
            .app_id
            .filter(|id| !id.trim().is_empty())
            .ok_or(ConfigError::MissingAppId)?;
        let host = self
            .app_host
            .filter(|h| !h.trim().is_empty())
            .ok_or(ConfigError::MissingAppHost)?;
        for (secret, what) in [
            (&self.access_token, "access token"),
            (&self.app_secret, "app secret"),
        ] {
            if let Some(secret) = secret {
                header_safe(secret.expose(), what)?;
            }
        }
        let brand = self.brand;
        let mut identity = vec![
            (
                HeaderName::from_static(brand.app_id_header()),
                header_value(&app_id, "app ID")?,
            ),
            (
                HeaderName::from_static(brand.sdk_version_header()),
                HeaderValue::from_static(SDK_VERSION),
            ),
        ];
        if let Some(lang) = &self.lang {
            identity.push((
                HeaderName::from_static(brand.lang_header()),
                header_value(lang, "language")?,
            ));
        }
        let access_token = Arc::new(RwLock::new(self.access_token));
        let mut hooks = self.hooks;
        if self.remember_tokens {
            hooks.push(Arc::new(RememberTokens {
                store: Arc::clone(&access_token),
            }));
        }
        let transport = transport(TransportSettings {
            base_url: &host,
            allow_plain_http: self.allow_plain_http,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            retry: self.retry,
            hooks,
            user_agent: USER_AGENT,
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            max_idle_connections: self
                .max_idle_connections
                .unwrap_or(DEFAULT_MAX_IDLE_CONNECTIONS),
        })?;
        Ok(AuthenticationClient {
            inner: Arc::new(Inner {
                transport,
                app_id,
                app_secret: self.app_secret,
                access_token,
                remember_tokens: self.remember_tokens,
                brand,
                identity,
                token_endpoint_auth_method: self.token_endpoint_auth_method,
                oidc: self.oidc,
                jwks: JwksCache::default(),
            }),
        })
    }
}

impl fmt::Debug for AuthenticationClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationClientBuilder")
            .field("app_id", &self.app_id)
            .field("app_host", &self.app_host.as_deref().map(shown_url))
            .field("app_secret", &self.app_secret)
            .field("access_token", &self.access_token)
            .field("brand", &self.brand)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .field("remember_tokens", &self.remember_tokens)
            .finish_non_exhaustive()
    }
}

/// Keeps the access token of each successful sign-in response.
struct RememberTokens {
    store: Arc<RwLock<Option<Secret>>>,
}

impl Hook for RememberTokens {
    fn on_response(&self, response: &AttemptOutcome<'_>) {
        #[derive(serde::Deserialize)]
        struct Envelope {
            #[serde(rename = "statusCode")]
            status_code: Option<i64>,
            data: Option<Tokens>,
        }
        #[derive(serde::Deserialize)]
        struct Tokens {
            access_token: Option<String>,
        }
        let success = response.status().is_some_and(|s| (200..300).contains(&s));
        let token = serde_json::from_slice::<Envelope>(response.body())
            .ok()
            .filter(|e| success && e.status_code == Some(200))
            .and_then(|e| e.data?.access_token)
            .filter(|t| header_safe(t, "access token").is_ok());
        if let Some(token) = token {
            tracing::debug!(
                operation = response.operation(),
                "remembering the new access token"
            );
            *self.store.write().unwrap_or_else(PoisonError::into_inner) = Some(Secret::new(token));
        }
    }
}

fn header_safe(value: &str, what: &'static str) -> Result<(), ConfigError> {
    header_value(value, what).map(drop)
}

/// The transport a builder's settings describe, its refusal told as the
/// configuration error it is.
pub(crate) fn transport(settings: TransportSettings<'_>) -> Result<Transport, ConfigError> {
    let host = settings.base_url;
    Transport::new(settings).map_err(|problem| match problem {
        TransportProblem::PlainHttp => ConfigError::PlainHttp {
            host: shown_url(host),
        },
        TransportProblem::InvalidBaseUrl(reason) => ConfigError::InvalidAppHost {
            host: shown_url(host),
            reason,
        },
        TransportProblem::Http(e) => ConfigError::HttpClient(e),
    })
}

pub(crate) fn header_value(value: &str, what: &'static str) -> Result<HeaderValue, ConfigError> {
    HeaderValue::from_str(value).map_err(|_| ConfigError::InvalidHeaderValue { what })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(builder: AuthenticationClientBuilder) -> String {
        match builder.build() {
            Ok(client) => format!("unexpectedly built {client:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn requires_an_app_id_and_an_https_host() {
        let base = || {
            AuthenticationClient::builder()
                .app_id("app")
                .app_host("https://example.genauth.ai")
        };
        assert!(base().build().is_ok());
        assert!(
            config_error(AuthenticationClient::builder().app_host("https://x.io"))
                .contains("app ID is missing")
        );
        assert!(
            config_error(AuthenticationClient::builder().app_id("app"))
                .contains("app host is missing")
        );
        assert!(config_error(base().app_host("example.genauth.ai")).contains("absolute URL"));
        assert!(config_error(base().app_host("http://127.0.0.1:1")).contains("allow_plain_http"));
        assert!(
            base()
                .app_host("http://127.0.0.1:1")
                .allow_plain_http(true)
                .build()
                .is_ok()
        );
        assert!(config_error(base().app_host("ftp://x.io")).contains("scheme"));
        assert!(config_error(base().app_host("https://x.io/?a=1")).contains("query"));
    }

    #[test]
    fn rejects_values_that_cannot_be_headers_without_echoing_them() {
        let message = config_error(
            AuthenticationClient::builder()
                .app_id("app")
                .app_host("https://x.io")
                .access_token("secret\ninjected"),
        );
        assert!(message.contains("access token"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn a_password_in_the_app_host_is_never_repeated() {
        let builder = AuthenticationClient::builder()
            .app_id("app")
            .app_host("https://ada:hunter2-secret@example.genauth.ai");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let message = config_error(builder);
        assert!(message.contains("credentials"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
        let message = config_error(
            AuthenticationClient::builder()
                .app_id("app")
                .app_host("http://ada:hunter2-secret@example.genauth.ai"),
        );
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn debug_output_hides_credentials() {
        let builder = AuthenticationClient::builder()
            .app_id("app")
            .app_host("https://x.io")
            .app_secret("the-app-secret")
            .access_token("the-access-token");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("the-app-secret") && !shown.contains("the-access-token"),
            "{shown}"
        );
        let client = builder
            .build()
            .map(|c| format!("{c:?}"))
            .unwrap_or_default();
        assert!(
            client.contains("app_id") && client.contains("<redacted>"),
            "{client}"
        );
        assert!(
            !client.contains("the-app-secret") && !client.contains("the-access-token"),
            "{client}"
        );
    }
}
