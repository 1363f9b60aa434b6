//! How the protocol helpers are configured: the caller decides, once, for
//! the client — never a token or a server.

use std::time::Duration;

use crate::TokenEndpointAuthMethod;

/// How long fetched signing keys are used before they are fetched again.
const JWKS_MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// The least time between two fetches of the signing keys that a token
/// with an unknown key (or a failing fetch) may cause.
const JWKS_COOLDOWN: Duration = Duration::from_secs(30);

/// How far a token's `exp` and `nbf` may be off, for clocks that disagree.
const LEEWAY: Duration = Duration::from_secs(30);

/// Which protocol the hosted login page speaks for this application.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// OpenID Connect (`/oidc/…`): ID tokens, the default.
    #[default]
    Oidc,
    /// OAuth 2 (`/oauth/…`): access tokens only.
    Oauth,
    /// SAML 2 (`/api/v2/saml-idp/{appId}`): only the login URL.
    Saml,
    /// CAS (`/cas-idp/{appId}`): the login URL, ticket validation and logout.
    Cas,
}

impl Protocol {
    /// The path prefix of the OAuth-style endpoints.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Self::Oauth => "/oauth",
            _ => "/oidc",
        }
    }
}

/// How the application signs its ID tokens, as set in the console.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdTokenSigning {
    /// RS256 with the keys of the application's JWKS (the default).
    #[default]
    Rs256,
    /// HS256 keyed with the app secret. Access tokens are RS256 whatever
    /// this says.
    Hs256,
}

/// The protocol settings of an [`AuthenticationClient`](crate::AuthenticationClient).
///
/// The token endpoint's client authentication is the builder's
/// [`token_endpoint_auth_method`](crate::AuthenticationClientBuilder::token_endpoint_auth_method);
/// introspection and revocation have their own, as in GenAuth's other SDKs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    pub(crate) protocol: Protocol,
    pub(crate) redirect_uri: Option<String>,
    pub(crate) logout_redirect_uri: Option<String>,
    pub(crate) scope: String,
    pub(crate) introspection_endpoint_auth_method: TokenEndpointAuthMethod,
    pub(crate) revocation_endpoint_auth_method: TokenEndpointAuthMethod,
    pub(crate) id_token_signing: IdTokenSigning,
    pub(crate) leeway: Duration,
    pub(crate) jwks_path: String,
    pub(crate) jwks_max_age: Duration,
    pub(crate) jwks_cooldown: Duration,
}

impl Default for OidcSettings {
    /// OpenID Connect, scope `openid profile`, `client_secret_post` for
    /// introspection and revocation, RS256 ID tokens, a 30 s leeway, and the
    /// signing keys from `/oidc/.well-known/jwks.json`, kept 10 minutes.
    fn default() -> Self {
        Self {
            protocol: Protocol::Oidc,
            redirect_uri: None,
            logout_redirect_uri: None,
            scope: "openid profile".to_owned(),
            introspection_endpoint_auth_method: TokenEndpointAuthMethod::ClientSecretPost,
            revocation_endpoint_auth_method: TokenEndpointAuthMethod::ClientSecretPost,
            id_token_signing: IdTokenSigning::Rs256,
            leeway: LEEWAY,
            jwks_path: "/oidc/.well-known/jwks.json".to_owned(),
            jwks_max_age: JWKS_MAX_AGE,
            jwks_cooldown: JWKS_COOLDOWN,
        }
    }
}

impl OidcSettings {
    /// The protocol of the hosted login page; [`Protocol::Oidc`] by default.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Where the login page sends the user back to, as registered for the
    /// application. Needed to build login URLs and to trade codes.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Where the user lands after signing out, unless a logout URL names
    /// another.
    pub fn logout_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.logout_redirect_uri = Some(uri.into());
        self
    }

    /// The scope login URLs ask for unless they say otherwise; `openid
    /// profile` by default. Add `offline_access` for a refresh token.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// How the client authenticates to the introspection endpoint;
    /// `client_secret_post` by default.
    pub fn introspection_endpoint_auth_method(mut self, method: TokenEndpointAuthMethod) -> Self {
        self.introspection_endpoint_auth_method = method;
        self
    }

    /// How the client authenticates to the revocation endpoint;
    /// `client_secret_post` by default.
    pub fn revocation_endpoint_auth_method(mut self, method: TokenEndpointAuthMethod) -> Self {
        self.revocation_endpoint_auth_method = method;
        self
    }

    /// How the application signs its ID tokens; [`IdTokenSigning::Rs256`] by default.
    pub fn id_token_signing(mut self, signing: IdTokenSigning) -> Self {
        self.id_token_signing = signing;
        self
    }

    /// How far `exp` and `nbf` may be off; 30 s by default.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// The path of the signing keys on the app host;
    /// `/oidc/.well-known/jwks.json` by default (newer deployments also
    /// serve `/{appId}/oidc/.well-known/jwks.json`).
    pub fn jwks_path(mut self, path: impl Into<String>) -> Self {
        self.jwks_path = path.into();
        self
    }

    /// How long fetched signing keys are used (10 minutes by default), and
    /// the least time between fetches that an unknown key or a failed fetch
    /// may cause (30 s by default).
    pub fn jwks_cache(mut self, max_age: Duration, cooldown: Duration) -> Self {
        self.jwks_max_age = max_age;
        self.jwks_cooldown = cooldown;
        self
    }
}
