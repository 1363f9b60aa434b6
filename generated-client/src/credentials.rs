//! How the client sends a call: GenAuth's headers on every call, and the
//! credentials the operation's security requirements call for, chosen
//! before anything is sent.

use crate::client::TokenEndpointAuthMethod;
use crate::runtime::{EmptyResponseFuture, Request, ResponseFuture};
use crate::{AuthenticationClient, Error, SecurityScheme};

/// Ways to authenticate an operation, each a set of schemes used together.
pub(crate) type Security = &'static [&'static [SecurityScheme]];

impl AuthenticationClient {
    /// Sends a call of a generated operation with the credentials of the
    /// first way to authenticate it that the client can provide; awaiting
    /// it decodes the result. Without them, nothing is sent and awaiting
    /// gives [`Error::MissingCredentials`].
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

    /// [`send`](Self::send) for an operation whose response has no body.
    #[allow(dead_code, reason = "the spec has no such operation today")]
    pub(crate) fn send_empty(
        &self,
        request: Request,
        security: Security,
    ) -> EmptyResponseFuture<'_> {
        match self.authenticate(request, security) {
            Ok(request) => self.inner.transport.send_empty(request),
            Err(error) => EmptyResponseFuture::refused(error),
        }
    }

    /// Sends a call that carries its own credentials, if any, such as the
    /// protocol layer's: the client adds only its identifying headers.
    pub(crate) fn send_own<T>(&self, mut request: Request) -> ResponseFuture<'_, T> {
        self.identify(&mut request);
        self.inner.transport.send(request)
    }

    /// [`send_own`](Self::send_own) for an answer without a body.
    pub(crate) fn send_own_empty(&self, mut request: Request) -> EmptyResponseFuture<'_> {
        self.identify(&mut request);
        self.inner.transport.send_empty(request)
    }

    /// [`send_own`](Self::send_own) for an answer read as text.
    pub(crate) async fn send_own_text(&self, mut request: Request) -> Result<String, Error> {
        self.identify(&mut request);
        Ok(self.inner.transport.send_text(request).await?)
    }

    /// Adds the app-id, SDK-version and language headers.
    fn identify(&self, request: &mut Request) {
        for (name, value) in &self.inner.identity {
            request.add_header(name.clone(), value.clone());
        }
    }

    /// Adds GenAuth's headers and the credentials of the first way to
    /// authenticate the operation that the client can provide. A user
    /// access token, when set, goes with every call that does not use the
    /// `authorization` header for something else.
    fn authenticate(&self, mut request: Request, security: Security) -> Result<Request, Error> {
        let inner = &self.inner;
        let token = self.access_token();
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
                        operation: request.operation().name,
                        missing: first.iter().filter(|s| !available(s)).copied().collect(),
                    });
                }
                None => &[],
            },
        };
        self.identify(&mut request);
        match (
            chosen.contains(&SecurityScheme::ClientSecretBasic),
            secret,
            token,
        ) {
            (true, Some(secret), _) => request.add_basic_credential(&inner.app_id, secret.expose()),
            (_, _, Some(token)) => {
                request.add_credential("authorization", format!("Bearer {}", token.expose()));
            }
            _ => {}
        }
        Ok(request)
    }
}

/// What an error says is missing, and how to provide it.
pub(crate) fn credentials_hint(missing: &[SecurityScheme]) -> String {
    let (what, how): (Vec<&str>, Vec<&str>) = missing
        .iter()
        .map(|scheme| match scheme {
            SecurityScheme::AppId => ("an app ID", "`.app_id(..)`"),
            SecurityScheme::AccessToken => ("a user access token", "`.access_token(..)`"),
            SecurityScheme::ClientSecretBasic => (
                "the app secret as HTTP Basic credentials",
                "`.app_secret(..)` and `.token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)`",
            ),
        })
        .unzip();
    format!(
        "{}; set {} when building the client",
        what.join(" and "),
        how.join(" and ")
    )
}
