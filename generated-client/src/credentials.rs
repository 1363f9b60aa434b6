//! What the client adds to every request: GenAuth's headers, and the
//! credentials each operation's security requirements call for.

use reqwest::RequestBuilder;
use reqwest::header::AUTHORIZATION;

use crate::client::TokenEndpointAuthMethod;
use crate::runtime::Request;
use crate::{AuthenticationClient, Error, SecurityScheme};

/// The value of the SDK-version header.
const SDK_VERSION: &str = concat!("genauth-rust:", env!("CARGO_PKG_VERSION"));

impl AuthenticationClient {
    /// Adds the app-id, SDK-version and language headers, and the credentials
    /// of the first way to authenticate the operation that the client can
    /// provide. A user access token, when set, goes with every call that does
    /// not use the `authorization` header for something else, and that does
    /// not carry credentials of its own.
    pub(crate) fn prepare(
        &self,
        call: &Request,
        request: RequestBuilder,
    ) -> Result<RequestBuilder, Error> {
        let operation = call.operation;
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
        let security = operation.security;
        let chosen = match security
            .iter()
            .find(|schemes| schemes.iter().all(available))
        {
            Some(schemes) => *schemes,
            None => match security.first() {
                Some(first) => {
                    return Err(Error::MissingCredentials {
                        operation: operation.name,
                        missing: first.iter().filter(|s| !available(s)).copied().collect(),
                    });
                }
                None => &[],
            },
        };

        let brand = inner.brand;
        let mut request = request
            .header(brand.app_id_header(), &inner.app_id)
            .header(brand.sdk_version_header(), SDK_VERSION);
        if let Some(lang) = &inner.lang {
            request = request.header(brand.lang_header(), lang);
        }
        if call.own_credentials {
            return Ok(request);
        }
        Ok(
            match (
                chosen.contains(&SecurityScheme::ClientSecretBasic),
                secret,
                token,
            ) {
                (true, Some(secret), _) => request.basic_auth(&inner.app_id, Some(secret.expose())),
                (_, _, Some(token)) => {
                    request.header(AUTHORIZATION, format!("Bearer {}", token.expose()))
                }
                _ => request,
            },
        )
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
