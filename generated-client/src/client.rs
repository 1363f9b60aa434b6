//! The client and how to build it.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use reqwest::Url;

use crate::Error;
pub(crate) use crate::credentials::credentials_hint;
use crate::secret::Secret;

/// How long a call may take, from sending the request to reading the whole
/// response, unless [`AuthenticationClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

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
    pub(crate) http: reqwest::Client,
    pub(crate) app_host: Url,
    pub(crate) app_id: String,
    pub(crate) app_secret: Option<Secret>,
    pub(crate) access_token: RwLock<Option<Secret>>,
    pub(crate) brand: Brand,
    pub(crate) lang: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) token_endpoint_auth_method: TokenEndpointAuthMethod,
}

/// The name the portable runtime knows the client by.
pub(crate) use AuthenticationClient as Client;

impl AuthenticationClient {
    /// Starts configuring a client.
    pub fn builder() -> AuthenticationClientBuilder {
        AuthenticationClientBuilder::default()
    }

    pub(crate) fn base_url(&self) -> &Url {
        &self.inner.app_host
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
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
            .field("app_host", &inner.app_host.as_str())
            .field("brand", &inner.brand)
            .field("access_token", &self.access_token())
            .field("app_secret", &inner.app_secret)
            .field("timeout", &inner.timeout)
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
}

/// How the application proves its identity to the endpoints that issue
/// tokens, as set for it in the console.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenEndpointAuthMethod {
    /// No client authentication (single-page and native apps).
    #[default]
    None,
    /// `client_id` and `client_secret` in the request body, which those
    /// requests take as optional inputs.
    ClientSecretPost,
    /// The app ID and secret as HTTP Basic credentials, which the client sends
    /// itself when an app secret is set.
    ClientSecretBasic,
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No app ID was set.
    #[error("the app ID is missing; set it with `.app_id(..)`")]
    MissingAppId,
    #[error("the app host is missing; set it with `.app_host(\"https://<your app>.genauth.ai\")`")]
    /// No app host was set.
    MissingAppHost,
    #[error("the app host {host:?} is not usable: {reason}")]
    /// The app host is not an absolute `https://` URL without query, fragment or credentials.
    InvalidAppHost {
        /// The app host as given.
        host: String,
        /// What is wrong with it.
        reason: String,
    },
    #[error(
        "the app host {host:?} uses plain HTTP; use HTTPS, or allow plain HTTP for a local server with `.allow_plain_http(true)`"
    )]
    /// The app host uses `http://` and plain HTTP was not allowed.
    PlainHttp {
        /// The app host as given.
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
    allow_plain_http: bool,
    token_endpoint_auth_method: TokenEndpointAuthMethod,
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

    /// Allows an `http://` app host, for a server on the local machine.
    /// Credentials travel unencrypted, so never use this across a network.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// How the application authenticates to the token endpoints; see
    /// [`TokenEndpointAuthMethod`].
    pub fn token_endpoint_auth_method(mut self, method: TokenEndpointAuthMethod) -> Self {
        self.token_endpoint_auth_method = method;
        self
    }

    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<AuthenticationClient, Error> {
        let app_id = self
            .app_id
            .filter(|id| !id.trim().is_empty())
            .ok_or(ConfigError::MissingAppId)?;
        header_safe(&app_id, "app ID")?;
        let host = self
            .app_host
            .filter(|h| !h.trim().is_empty())
            .ok_or(ConfigError::MissingAppHost)?;
        let app_host = parse_host(host.trim(), self.allow_plain_http)?;
        for (secret, what) in [
            (&self.access_token, "access token"),
            (&self.app_secret, "app secret"),
        ] {
            if let Some(secret) = secret {
                header_safe(secret.expose(), what)?;
            }
        }
        if let Some(lang) = &self.lang {
            header_safe(lang, "language")?;
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("genauth-rust/", env!("CARGO_PKG_VERSION")))
            .https_only(!self.allow_plain_http)
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(AuthenticationClient {
            inner: Arc::new(Inner {
                http,
                app_host,
                app_id,
                app_secret: self.app_secret,
                access_token: RwLock::new(self.access_token),
                brand: self.brand,
                lang: self.lang,
                timeout,
                token_endpoint_auth_method: self.token_endpoint_auth_method,
            }),
        })
    }
}

impl fmt::Debug for AuthenticationClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationClientBuilder")
            .field("app_id", &self.app_id)
            .field("app_host", &self.app_host)
            .field("app_secret", &self.app_secret)
            .field("access_token", &self.access_token)
            .field("brand", &self.brand)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn header_safe(value: &str, what: &'static str) -> Result<(), ConfigError> {
    reqwest::header::HeaderValue::from_str(value)
        .map(drop)
        .map_err(|_| ConfigError::InvalidHeaderValue { what })
}

fn parse_host(host: &str, allow_plain_http: bool) -> Result<Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidAppHost {
        host: host.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(host).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            invalid("it must be an absolute URL such as https://example.genauth.ai")
        }
        other => invalid(&other.to_string()),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_plain_http => {}
        "http" => {
            return Err(ConfigError::PlainHttp {
                host: host.to_owned(),
            });
        }
        other => return Err(invalid(&format!("the scheme must be https, not {other}"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host name"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not carry credentials"));
    }
    Ok(url)
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
