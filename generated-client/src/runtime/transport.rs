//! Sending a request: URL, headers and credentials, the exchange itself, and
//! every transport failure turned into an [`Error`].

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::decode::Reply;
use super::{Request, ResponseFuture};
use crate::client::TokenEndpointAuthMethod;
use crate::{AuthenticationClient, Error, SecurityScheme};

/// The value of the SDK-version header.
const SDK_VERSION: &str = concat!("genauth-rust:", env!("CARGO_PKG_VERSION"));

/// What goes in the `authorization` header.
enum Authorization {
    Bearer(String),
    Basic { app_id: String, secret: String },
}

impl AuthenticationClient {
    /// Sends `request` and decodes the JSON result.
    pub(crate) fn send<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> ResponseFuture<'_, T> {
        Box::pin(async move { self.execute(request).await?.json() })
    }

    /// Sends `request` for an operation whose response has no body.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn send_empty(&self, request: Request) -> ResponseFuture<'_, ()> {
        Box::pin(async move { self.execute(request).await?.empty() })
    }

    /// The exchange itself, the same for every operation (and so compiled once).
    async fn execute(&self, request: Request) -> Result<Reply, Error> {
        let operation = request.operation;
        if let Some((input, source)) = request.problem {
            return Err(Error::Encode {
                operation: operation.name,
                input,
                source,
            });
        }
        let authorization = self.authorization(operation.name, operation.security)?;
        let inner = &self.inner;

        let mut url = inner.app_host.clone();
        url.set_path(&format!(
            "{}{}",
            inner.app_host.path().trim_end_matches('/'),
            request.path
        ));
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }

        let brand = inner.brand;
        let mut http = inner
            .http
            .request(operation.method.clone(), url)
            .header(brand.app_id_header(), &inner.app_id)
            .header(brand.sdk_version_header(), SDK_VERSION);
        if let Some(lang) = &inner.lang {
            http = http.header(brand.lang_header(), lang);
        }
        http = match authorization {
            Some(Authorization::Bearer(token)) => {
                http.header(AUTHORIZATION, format!("Bearer {token}"))
            }
            Some(Authorization::Basic { app_id, secret }) => http.basic_auth(app_id, Some(secret)),
            None => http,
        };
        for (name, value) in request.headers {
            http = http.header(name, value);
        }
        if let Some(body) = request.body {
            http = http.header(CONTENT_TYPE, "application/json").body(body);
        }

        let failed = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout {
                    operation: operation.name,
                    after: inner.timeout,
                }
            } else {
                // The URL may carry query values; the operation name says enough.
                Error::Network {
                    operation: operation.name,
                    source: source.without_url(),
                }
            }
        };
        let response = http.send().await.map_err(failed)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.bytes().await.map_err(failed)?;
        Ok(Reply {
            operation,
            status,
            retry_after,
            body: body.to_vec(),
        })
    }

    /// Picks the first way to authenticate the operation that the client can
    /// provide, and the `authorization` header it needs. A user access token,
    /// when set, is sent with every call that does not use the header for
    /// something else.
    fn authorization(
        &self,
        operation: &'static str,
        security: &'static [&'static [SecurityScheme]],
    ) -> Result<Option<Authorization>, Error> {
        let token = self.access_token();
        let inner = &self.inner;
        let secret = inner.app_secret.as_ref().filter(|_| {
            inner.token_endpoint_auth_method == TokenEndpointAuthMethod::ClientSecretBasic
        });
        let available = |scheme: &SecurityScheme| match scheme {
            SecurityScheme::AppId => true,
            SecurityScheme::AccessToken => token.is_some(),
            SecurityScheme::ClientSecretBasic => secret.is_some(),
        };
        let chosen = match security
            .iter()
            .find(|schemes| schemes.iter().all(available))
        {
            Some(schemes) => *schemes,
            None => match security.first() {
                Some(first) => {
                    return Err(Error::MissingCredentials {
                        operation,
                        missing: first.iter().filter(|s| !available(s)).copied().collect(),
                    });
                }
                None => &[],
            },
        };
        Ok(
            match (
                chosen.contains(&SecurityScheme::ClientSecretBasic),
                secret,
                token,
            ) {
                (true, Some(secret), _) => Some(Authorization::Basic {
                    app_id: inner.app_id.clone(),
                    secret: secret.expose().to_owned(),
                }),
                (_, _, Some(token)) => Some(Authorization::Bearer(token.expose().to_owned())),
                _ => None,
            },
        )
    }
}
