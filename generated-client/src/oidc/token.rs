//! The token endpoint and its neighbours: codes, refresh tokens and client
//! credentials traded for tokens; userinfo, introspection and revocation.
//! Client authentication is each endpoint's own setting; tokens travel in
//! headers and bodies, never in URLs.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::verify::{IdTokenClaims, Profile, TokenError, constant_time_eq};
use super::{AuthorizeRequest, Protocol};
use crate::client::ConfigError;
use crate::{AuthenticationClient, Error, TokenEndpointAuthMethod};
use genauth_runtime::{CallOptions, Envelope, Method, Operation, Request, fields};

/// An endpoint of the protocol layer, under `/oidc` or `/oauth`.
const fn endpoint(
    name: &'static str,
    method: Method,
    path: &'static str,
    idempotent: bool,
) -> Operation {
    Operation {
        name,
        method,
        path,
        idempotent,
        envelope: Envelope::OAuth,
    }
}

/// The calls of one protocol, each named after the method that makes it.
struct Endpoints {
    code: Operation,
    refresh: Operation,
    client_credentials: Operation,
    userinfo: Operation,
    introspection: Operation,
    revocation: Operation,
}

static OIDC: Endpoints = Endpoints {
    code: endpoint(
        "get_access_token_by_code",
        Method::POST,
        "/oidc/token",
        false,
    ),
    refresh: endpoint(
        "get_new_access_token_by_refresh_token",
        Method::POST,
        "/oidc/token",
        false,
    ),
    client_credentials: endpoint(
        "get_access_token_by_client_credentials",
        Method::POST,
        "/oidc/token",
        false,
    ),
    userinfo: endpoint(
        "get_user_info_by_access_token",
        Method::GET,
        "/oidc/me",
        true,
    ),
    introspection: endpoint(
        "introspect_token",
        Method::POST,
        "/oidc/token/introspection",
        true,
    ),
    revocation: endpoint("revoke_token", Method::POST, "/oidc/token/revocation", true),
};

static OAUTH: Endpoints = Endpoints {
    code: endpoint(
        "get_access_token_by_code",
        Method::POST,
        "/oauth/token",
        false,
    ),
    refresh: endpoint(
        "get_new_access_token_by_refresh_token",
        Method::POST,
        "/oauth/token",
        false,
    ),
    client_credentials: endpoint(
        "get_access_token_by_client_credentials",
        Method::POST,
        "/oauth/token",
        false,
    ),
    userinfo: endpoint(
        "get_user_info_by_access_token",
        Method::GET,
        "/oauth/me",
        true,
    ),
    introspection: endpoint(
        "introspect_token",
        Method::POST,
        "/oauth/token/introspection",
        true,
    ),
    revocation: endpoint(
        "revoke_token",
        Method::POST,
        "/oauth/token/revocation",
        true,
    ),
};

/// Tokens from the token endpoint, with the moment the access token expires.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The access token.
    pub access_token: String,
    /// Its type, `Bearer`.
    pub token_type: String,
    /// The ID token, for an OpenID Connect login with the `openid` scope.
    pub id_token: Option<String>,
    /// The refresh token, when the `offline_access` scope was granted.
    pub refresh_token: Option<String>,
    /// The scope granted.
    pub scope: Option<String>,
    /// The scope asked for but refused (client credentials; GenAuth's own field).
    pub rejected_scope: Option<String>,
    /// The access token's lifetime as the server gave it, in seconds.
    pub expires_in: Option<u64>,
    /// When the access token expires: the time the request was sent plus
    /// `expires_in`, so that it errs on the early side.
    pub expires_at: Option<SystemTime>,
}

impl TokenSet {
    /// Whether the access token has expired, or will within `margin`.
    pub fn expires_within(&self, margin: Duration) -> bool {
        self.expires_at
            .is_some_and(|at| SystemTime::now() + margin >= at)
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |token: &Option<String>| token.as_ref().map(|_| "<redacted>");
        f.debug_struct("TokenSet")
            .field("access_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("id_token", &hidden(&self.id_token))
            .field("refresh_token", &hidden(&self.refresh_token))
            .field("scope", &self.scope)
            .field("rejected_scope", &self.rejected_scope)
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What the token endpoint answers.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default, deserialize_with = "fields::string")]
    token_type: String,
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default, deserialize_with = "fields::optional_string")]
    scope: Option<String>,
    #[serde(default, deserialize_with = "fields::optional_string")]
    rejected_scope: Option<String>,
    /// GenAuth's V3 API spells it `expire_in`.
    #[serde(
        default,
        alias = "expire_in",
        deserialize_with = "fields::optional_number"
    )]
    expires_in: Option<i64>,
}

impl TokenResponse {
    fn into_token_set(self, sent_at: SystemTime) -> TokenSet {
        let expires_in = self.expires_in.and_then(|s| u64::try_from(s).ok());
        TokenSet {
            access_token: self.access_token,
            token_type: self.token_type,
            id_token: self.id_token,
            refresh_token: self.refresh_token,
            scope: self.scope,
            rejected_scope: self.rejected_scope,
            expires_in,
            expires_at: expires_in.and_then(|secs| sent_at.checked_add(Duration::from_secs(secs))),
        }
    }
}

/// What a completed login produced: the tokens, and the ID token's claims,
/// verified.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SignedIn {
    /// The tokens.
    pub tokens: TokenSet,
    /// The verified claims of the ID token, when there is one.
    pub id_token_claims: Option<IdTokenClaims>,
}

/// What a code is traded with, beyond the code itself.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CodeExchange {
    code_verifier: Option<String>,
    redirect_uri: Option<String>,
}

impl CodeExchange {
    /// The PKCE verifier whose challenge the login URL carried.
    pub fn code_verifier(mut self, verifier: impl Into<String>) -> Self {
        self.code_verifier = Some(verifier.into());
        self
    }

    /// The redirect URI the login URL carried, when not the client's own.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }
}

impl fmt::Debug for CodeExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeExchange")
            .field(
                "code_verifier",
                &self.code_verifier.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// What kind of token is introspected or revoked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenTypeHint {
    /// An access token (the default).
    #[default]
    AccessToken,
    /// A refresh token.
    RefreshToken,
}

impl TokenTypeHint {
    fn as_str(self) -> &'static str {
        match self {
            Self::AccessToken => "access_token",
            Self::RefreshToken => "refresh_token",
        }
    }
}

/// What the introspection endpoint says of a token (RFC 7662).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is valid now: issued here, unexpired, unrevoked.
    #[serde(default)]
    pub active: bool,
    /// The user (or, for client credentials, the client) the token is for.
    #[serde(default)]
    pub sub: Option<String>,
    /// The client the token was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The scope of the token.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub scope: Option<String>,
    /// When it expires, in seconds since the Unix epoch.
    #[serde(default, deserialize_with = "fields::optional_number")]
    pub exp: Option<i64>,
    /// When it was issued, in seconds since the Unix epoch.
    #[serde(default, deserialize_with = "fields::optional_number")]
    pub iat: Option<i64>,
    /// Who issued it.
    #[serde(default)]
    pub iss: Option<String>,
    /// Its ID.
    #[serde(default)]
    pub jti: Option<String>,
    /// Its type.
    #[serde(default)]
    pub token_type: Option<String>,
}

/// What the userinfo endpoint says of the token's user.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's ID.
    pub sub: String,
    /// The user's profile: the standard OpenID Connect claims and GenAuth's own.
    #[serde(flatten)]
    pub profile: Profile,
}

/// How a request authenticates the client to an endpoint.
fn authenticate(
    client: &AuthenticationClient,
    method: TokenEndpointAuthMethod,
    mut request: Request,
    form: &mut Vec<(&'static str, String)>,
) -> Result<Request, Error> {
    let inner = &client.inner;
    let app_id = inner.app_id.clone();
    match method {
        TokenEndpointAuthMethod::ClientSecretBasic => {
            let secret = inner.app_secret.as_ref().ok_or(ConfigError::Oidc(
                "client_secret_basic needs the app secret: set `.app_secret(..)`",
            ))?;
            // RFC 6749, section 2.3.1: both are form-encoded before Base64.
            let encode = |text: &str| {
                url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
            };
            request.add_basic_credential(&encode(&app_id), &encode(secret.expose()));
        }
        TokenEndpointAuthMethod::ClientSecretPost => {
            form.push(("client_id", app_id));
            if let Some(secret) = &inner.app_secret {
                form.push(("client_secret", secret.expose().to_owned()));
            }
        }
        TokenEndpointAuthMethod::None => form.push(("client_id", app_id)),
    }
    Ok(request)
}

impl AuthenticationClient {
    fn endpoints(&self) -> &'static Endpoints {
        match self.inner.oidc.protocol {
            Protocol::Oauth => &OAUTH,
            _ => &OIDC,
        }
    }

    /// Sends a form to the token endpoint and reads the tokens.
    async fn token_request(
        &self,
        operation: &'static Operation,
        mut form: Vec<(&'static str, String)>,
        method: Option<TokenEndpointAuthMethod>,
    ) -> Result<TokenSet, Error> {
        let mut request = Request::new(operation, CallOptions::default());
        if let Some(method) = method {
            request = authenticate(self, method, request, &mut form)?;
        }
        let sent_at = SystemTime::now();
        let response: TokenResponse = self.send_own(request.form(&form)).await?;
        Ok(response.into_token_set(sent_at))
    }

    /// Keeps the access token of a user's token set, if the client remembers tokens.
    fn remember(&self, tokens: &TokenSet) -> Result<(), Error> {
        if self.remembers_tokens() {
            self.set_access_token(tokens.access_token.as_str())?;
        }
        Ok(())
    }

    /// Trades an authorisation code for tokens (`grant_type=authorization_code`),
    /// authenticating as the builder's
    /// [`token_endpoint_auth_method`](crate::AuthenticationClientBuilder::token_endpoint_auth_method)
    /// says. With [`remember_tokens`](crate::AuthenticationClientBuilder::remember_tokens),
    /// the client keeps the access token.
    ///
    /// Prefer [`handle_redirect_callback`](Self::handle_redirect_callback),
    /// which also checks the state and verifies the ID token.
    pub async fn get_access_token_by_code(
        &self,
        code: &str,
        exchange: CodeExchange,
    ) -> Result<TokenSet, Error> {
        let redirect_uri = exchange
            .redirect_uri
            .or_else(|| self.inner.oidc.redirect_uri.clone())
            .ok_or(ConfigError::Oidc(
                "trading a code needs the redirect URI of the login: set `OidcSettings::redirect_uri` or `CodeExchange::redirect_uri`",
            ))?;
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", redirect_uri),
        ];
        if let Some(verifier) = exchange.code_verifier {
            form.push(("code_verifier", verifier));
        }
        let method = self.inner.token_endpoint_auth_method;
        let tokens = self
            .token_request(&self.endpoints().code, form, Some(method))
            .await?;
        self.remember(&tokens)?;
        Ok(tokens)
    }

    /// Finishes a login started with [`build_authorize_url`](Self::build_authorize_url):
    /// reads the redirect the user came back with (a URL, or its query),
    /// checks that its `state` is the login's, trades the code with the
    /// login's PKCE verifier and redirect URI, and verifies the ID token —
    /// its signature, issuer, audience, lifetime and the login's nonce.
    ///
    /// A redirect carrying an `error` (the user declined, say) is an
    /// [`Error::OAuth`]; a wrong state, a missing code or a token that does
    /// not verify is an [`Error::Token`].
    pub async fn handle_redirect_callback(
        &self,
        callback: &str,
        login: &AuthorizeRequest,
    ) -> Result<SignedIn, Error> {
        let parameters = callback_parameters(callback);
        let get = |name: &str| {
            parameters
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        if let Some(error) = get("error") {
            return Err(Error::OAuth(Box::new(genauth_runtime::OAuthError::new(
                "handle_redirect_callback",
                None,
                error,
                get("error_description"),
            ))));
        }
        let state_matches = match (get("state"), login.state.as_deref()) {
            (Some(got), Some(expected)) => constant_time_eq(got, expected),
            (None, None) => true,
            _ => false,
        };
        if !state_matches {
            return Err(TokenError::StateMismatch.into());
        }
        let code = get("code").ok_or(TokenError::MissingCode)?;
        let mut exchange = CodeExchange::default();
        if let Some(verifier) = &login.code_verifier {
            exchange = exchange.code_verifier(verifier.as_str());
        }
        if let Some(uri) = &login.redirect_uri {
            exchange = exchange.redirect_uri(uri.as_str());
        }
        let tokens = self.get_access_token_by_code(code, exchange).await?;
        let id_token_claims = match (&tokens.id_token, &login.nonce) {
            (Some(id_token), nonce) => Some(self.parse_id_token(id_token, nonce.as_deref()).await?),
            // A login that asked for an ID token must get one.
            (None, Some(_)) => return Err(TokenError::MissingIdToken.into()),
            (None, None) => None,
        };
        Ok(SignedIn {
            tokens,
            id_token_claims,
        })
    }

    /// Trades a refresh token for new tokens (`grant_type=refresh_token`).
    /// With [`remember_tokens`](crate::AuthenticationClientBuilder::remember_tokens),
    /// the client keeps the new access token.
    pub async fn get_new_access_token_by_refresh_token(
        &self,
        refresh_token: &str,
    ) -> Result<TokenSet, Error> {
        let form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh_token.to_owned()),
        ];
        let method = self.inner.token_endpoint_auth_method;
        let tokens = self
            .token_request(&self.endpoints().refresh, form, Some(method))
            .await?;
        self.remember(&tokens)?;
        Ok(tokens)
    }

    /// A machine-to-machine access token for a programmatic account
    /// (`grant_type=client_credentials`), with its access key and secret in
    /// the form body. The token is the account's, not a user's, so the
    /// client does not keep it.
    pub async fn get_access_token_by_client_credentials(
        &self,
        scope: &str,
        access_key: &str,
        access_secret: &str,
    ) -> Result<TokenSet, Error> {
        let form = vec![
            ("grant_type", "client_credentials".to_owned()),
            ("scope", scope.to_owned()),
            ("client_id", access_key.to_owned()),
            ("client_secret", access_secret.to_owned()),
        ];
        self.token_request(&self.endpoints().client_credentials, form, None)
            .await
    }

    /// The profile of the access token's user, from the userinfo endpoint.
    /// The token goes in the `authorization` header, never in the URL.
    pub async fn get_user_info_by_access_token(
        &self,
        access_token: &str,
    ) -> Result<UserInfo, Error> {
        let mut request = Request::new(&self.endpoints().userinfo, CallOptions::default());
        request.add_credential("authorization", format!("Bearer {access_token}"));
        self.send_own(request).await
    }

    /// Asks the server whether a token is active (RFC 7662), authenticating
    /// as the settings'
    /// [`introspection_endpoint_auth_method`](super::OidcSettings::introspection_endpoint_auth_method)
    /// says. An inactive token is `Ok` with `active: false`.
    pub async fn introspect_token(
        &self,
        token: &str,
        hint: TokenTypeHint,
    ) -> Result<Introspection, Error> {
        let mut form = vec![
            ("token", token.to_owned()),
            ("token_type_hint", hint.as_str().to_owned()),
        ];
        let request = Request::new(&self.endpoints().introspection, CallOptions::default());
        let method = self.inner.oidc.introspection_endpoint_auth_method;
        let request = authenticate(self, method, request, &mut form)?;
        self.send_own(request.form(&form)).await
    }

    /// Revokes a token (RFC 7009), authenticating as the settings'
    /// [`revocation_endpoint_auth_method`](super::OidcSettings::revocation_endpoint_auth_method)
    /// says. `Ok` only when the server accepted the revocation; its refusal
    /// is the error it gave.
    pub async fn revoke_token(&self, token: &str, hint: TokenTypeHint) -> Result<(), Error> {
        let mut form = vec![
            ("token", token.to_owned()),
            ("token_type_hint", hint.as_str().to_owned()),
        ];
        let request = Request::new(&self.endpoints().revocation, CallOptions::default());
        let method = self.inner.oidc.revocation_endpoint_auth_method;
        let request = authenticate(self, method, request, &mut form)?;
        self.send_own_empty(request.form(&form)).await
    }
}

/// The parameters of a redirect: from the query and the fragment of a URL,
/// or from a bare query string.
fn callback_parameters(callback: &str) -> Vec<(String, String)> {
    let pairs = |text: &str| {
        url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect::<Vec<_>>()
    };
    match url::Url::parse(callback) {
        Ok(url) => {
            let mut found = pairs(url.query().unwrap_or_default());
            found.extend(pairs(url.fragment().unwrap_or_default()));
            found
        }
        Err(_) => pairs(callback.trim_start_matches(['?', '#'])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_parameters_come_from_query_fragment_or_bare_text() {
        let expected = vec![
            ("code".to_owned(), "c 1".to_owned()),
            ("state".to_owned(), "s".to_owned()),
        ];
        assert_eq!(
            callback_parameters("https://a.io/cb?code=c%201&state=s"),
            expected
        );
        assert_eq!(
            callback_parameters("https://a.io/cb#code=c+1&state=s"),
            expected
        );
        assert_eq!(callback_parameters("?code=c%201&state=s"), expected);
    }

    #[test]
    fn expiry_is_absolute_from_the_time_of_sending() {
        let sent_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let response = TokenResponse {
            access_token: "a".into(),
            token_type: "Bearer".into(),
            id_token: None,
            refresh_token: None,
            scope: None,
            rejected_scope: None,
            expires_in: Some(3600),
        };
        let tokens = response.into_token_set(sent_at);
        assert_eq!(
            tokens.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_600))
        );
        assert!(tokens.expires_within(Duration::ZERO));
    }
}
