//! Login and logout URLs: where to send the user, and what to keep for when
//! they come back. Every value is URL-encoded; state, nonce and the PKCE
//! verifier come from the operating system's random generator.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::Protocol;
use crate::client::ConfigError;
use crate::{AuthenticationClient, Error};

/// Random bytes behind each state, nonce and verifier: 256 bits, which
/// base64url writes as 43 characters (the shortest PKCE verifier allowed).
const RANDOM_BYTES: usize = 32;

/// How the login page returns the code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ResponseMode {
    /// In the query string of the redirect URI (the default).
    #[default]
    Query,
    /// In the fragment, for code that runs in a browser.
    Fragment,
    /// As a form posted to the redirect URI.
    FormPost,
}

impl ResponseMode {
    fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Fragment => "fragment",
            Self::FormPost => "form_post",
        }
    }
}

/// What the login page must ask of the user, beyond what it decides itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Prompt {
    /// Sign in again, even with a session.
    Login,
    /// Ask for consent again (needed for a refresh token).
    Consent,
    /// Show nothing; fail if the user would have to act.
    None,
    /// Let the user pick an account.
    SelectAccount,
}

impl Prompt {
    fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Consent => "consent",
            Self::None => "none",
            Self::SelectAccount => "select_account",
        }
    }
}

/// What a login URL asks for, beyond the client's [`OidcSettings`](super::OidcSettings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeOptions {
    scope: Option<String>,
    redirect_uri: Option<String>,
    response_mode: ResponseMode,
    prompt: Vec<Prompt>,
    forced: bool,
    tenant_id: Option<String>,
    pkce: bool,
    service: Option<String>,
}

impl Default for AuthorizeOptions {
    /// The client's scope and redirect URI, the code in the query string,
    /// and PKCE (S256).
    fn default() -> Self {
        Self {
            scope: None,
            redirect_uri: None,
            response_mode: ResponseMode::Query,
            prompt: Vec::new(),
            forced: false,
            tenant_id: None,
            pkce: true,
            service: None,
        }
    }
}

impl AuthorizeOptions {
    /// The scope to ask for instead of the client's; with `offline_access`
    /// the page also asks for consent, which a refresh token needs.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Where to send the user back to instead of the client's redirect URI.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// How the code comes back; [`ResponseMode::Query`] by default.
    pub fn response_mode(mut self, mode: ResponseMode) -> Self {
        self.response_mode = mode;
        self
    }

    /// Adds a `prompt` value.
    pub fn prompt(mut self, prompt: Prompt) -> Self {
        self.prompt.push(prompt);
        self
    }

    /// Makes the user sign in again even with a session (`prompt=login`).
    pub fn forced(mut self, forced: bool) -> Self {
        self.forced = forced;
        self
    }

    /// Signs the user in to a tenant of the user pool.
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    /// Whether to use PKCE (S256); on by default. Only turn it off for an
    /// application that cannot take it: it is what stops a stolen code from
    /// being traded for tokens.
    pub fn pkce(mut self, pkce: bool) -> Self {
        self.pkce = pkce;
        self
    }

    /// For CAS: the service URL the ticket is for (the redirect URI by default).
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }
}

/// A login URL and what to keep, in the user's session, until they come
/// back: the state to check, the nonce the ID token must carry, and the PKCE
/// verifier to trade the code with. It serialises, for session stores;
/// `Debug` does not show the secrets.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthorizeRequest {
    /// Where to send the user.
    pub url: String,
    /// The value the callback must carry back (OpenID Connect and OAuth).
    pub state: Option<String>,
    /// The value the ID token must carry (OpenID Connect).
    pub nonce: Option<String>,
    /// The PKCE verifier, sent with the code.
    pub code_verifier: Option<String>,
    /// The redirect URI the code must be traded with.
    pub redirect_uri: Option<String>,
}

impl fmt::Debug for AuthorizeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("AuthorizeRequest")
            .field("url", &"<redacted: it carries the state and nonce>")
            .field("state", &hidden(&self.state))
            .field("nonce", &hidden(&self.nonce))
            .field("code_verifier", &hidden(&self.code_verifier))
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// What a logout URL carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogoutOptions {
    id_token_hint: Option<String>,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

impl LogoutOptions {
    /// The ID token of the session to end (OpenID Connect); needed to
    /// redirect the user afterwards.
    pub fn id_token_hint(mut self, id_token: impl Into<String>) -> Self {
        self.id_token_hint = Some(id_token.into());
        self
    }

    /// Where the user lands afterwards, instead of the client's logout redirect URI.
    pub fn post_logout_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.post_logout_redirect_uri = Some(uri.into());
        self
    }

    /// A value passed back to that page (OpenID Connect).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }
}

impl AuthenticationClient {
    /// The URL of the hosted login page, for the protocol of the client's
    /// [`OidcSettings`](super::OidcSettings), and what to keep until the user
    /// comes back.
    ///
    /// OpenID Connect and OAuth 2 URLs carry a fresh `state` (and, for
    /// OpenID Connect, a `nonce`) and a PKCE S256 challenge; pass the result
    /// to [`handle_redirect_callback`](Self::handle_redirect_callback).
    /// SAML and CAS URLs carry only what those protocols take.
    ///
    /// Fails when no redirect URI is set (for CAS, no service either), or
    /// when the operating system has no randomness to give.
    pub fn build_authorize_url(
        &self,
        options: AuthorizeOptions,
    ) -> Result<AuthorizeRequest, Error> {
        let settings = &self.inner.oidc;
        let redirect_uri = options
            .redirect_uri
            .clone()
            .or_else(|| settings.redirect_uri.clone());
        let app_id = self.inner.app_id.as_str();
        match settings.protocol {
            Protocol::Saml => Ok(AuthorizeRequest {
                url: self.url(&format!("/api/v2/saml-idp/{}", segment(app_id)), &[]),
                state: None,
                nonce: None,
                code_verifier: None,
                redirect_uri: None,
            }),
            Protocol::Cas => {
                let service = options
                    .service
                    .or(redirect_uri)
                    .ok_or(ConfigError::Oidc(
                        "a CAS login URL needs a service: set `AuthorizeOptions::service` or the redirect URI",
                    ))?;
                Ok(AuthorizeRequest {
                    url: self.url(
                        &format!("/cas-idp/{}", segment(app_id)),
                        &[("service", service.as_str())],
                    ),
                    state: None,
                    nonce: None,
                    code_verifier: None,
                    redirect_uri: Some(service),
                })
            }
            protocol @ (Protocol::Oidc | Protocol::Oauth) => {
                let redirect_uri = redirect_uri.ok_or(ConfigError::Oidc(
                    "a login URL needs a redirect URI: set `OidcSettings::redirect_uri` or `AuthorizeOptions::redirect_uri`",
                ))?;
                let scope = options.scope.as_deref().unwrap_or(&settings.scope);
                let state = random_text()?;
                let nonce = (protocol == Protocol::Oidc).then(random_text).transpose()?;
                let code_verifier = options.pkce.then(random_text).transpose()?;
                let challenge = code_verifier.as_deref().map(pkce_challenge);
                let mut prompt = options.prompt.clone();
                if options.forced {
                    prompt.push(Prompt::Login);
                }
                if scope.split_whitespace().any(|s| s == "offline_access") {
                    prompt.push(Prompt::Consent);
                }
                prompt.dedup();
                let prompt = prompt
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut query = vec![
                    ("client_id", app_id),
                    ("redirect_uri", redirect_uri.as_str()),
                    ("response_type", "code"),
                    ("response_mode", options.response_mode.as_str()),
                    ("scope", scope),
                    ("state", state.as_str()),
                ];
                if let Some(nonce) = &nonce {
                    query.push(("nonce", nonce));
                }
                if let Some(challenge) = &challenge {
                    query.push(("code_challenge", challenge));
                    query.push(("code_challenge_method", "S256"));
                }
                if !prompt.is_empty() {
                    query.push(("prompt", &prompt));
                }
                if let Some(tenant_id) = &options.tenant_id {
                    query.push(("tenantId", tenant_id));
                }
                Ok(AuthorizeRequest {
                    url: self.url(&format!("{}/auth", protocol.prefix()), &query),
                    state: Some(state),
                    nonce,
                    code_verifier,
                    redirect_uri: Some(redirect_uri),
                })
            }
        }
    }

    /// The URL that signs the user out of GenAuth and sends them on: the
    /// session end endpoint for OpenID Connect, CAS logout for CAS, and the
    /// plain logout page otherwise.
    ///
    /// OpenID Connect only redirects afterwards when given the session's ID
    /// token, so a redirect URI without an `id_token_hint` is refused here
    /// rather than ignored there.
    pub fn build_logout_url(&self, options: LogoutOptions) -> Result<String, Error> {
        let settings = &self.inner.oidc;
        let redirect = options
            .post_logout_redirect_uri
            .or_else(|| settings.logout_redirect_uri.clone());
        match settings.protocol {
            Protocol::Oidc => {
                if redirect.is_some() && options.id_token_hint.is_none() {
                    return Err(ConfigError::Oidc(
                        "a logout redirect needs the session's ID token: set `LogoutOptions::id_token_hint`",
                    )
                    .into());
                }
                let mut query = Vec::new();
                if let Some(hint) = &options.id_token_hint {
                    query.push(("id_token_hint", hint.as_str()));
                }
                if let Some(redirect) = &redirect {
                    query.push(("post_logout_redirect_uri", redirect.as_str()));
                }
                if let Some(state) = &options.state {
                    query.push(("state", state.as_str()));
                }
                Ok(self.url("/oidc/session/end", &query))
            }
            Protocol::Cas => {
                let query: Vec<_> = redirect.iter().map(|r| ("url", r.as_str())).collect();
                Ok(self.url("/cas-idp/logout", &query))
            }
            Protocol::Oauth | Protocol::Saml => {
                let query: Vec<_> = redirect
                    .iter()
                    .map(|r| ("redirect_uri", r.as_str()))
                    .collect();
                Ok(self.url("/login/profile/logout", &query))
            }
        }
    }

    /// `path` on the app host with `query`, every value URL-encoded.
    pub(crate) fn url(&self, path: &str, query: &[(&str, &str)]) -> String {
        let base = self.inner.transport.base_url();
        let mut url = base.clone();
        url.set_path(&format!("{}{path}", base.path().trim_end_matches('/')));
        url.set_query(None);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url.into()
    }
}

/// `text` as one path segment: everything but RFC 3986's unreserved
/// characters percent-encoded.
fn segment(text: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, RESERVED).to_string()
}

/// 256 random bits from the operating system, base64url-encoded.
pub(crate) fn random_text() -> Result<String, Error> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| ConfigError::NoRandomness)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The S256 challenge of a PKCE verifier: base64url(SHA-256(verifier)).
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_that_of_rfc_7636() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_texts_are_long_and_differ() {
        let texts: std::collections::HashSet<String> =
            (0..100).filter_map(|_| random_text().ok()).collect();
        assert_eq!(texts.len(), 100);
        assert!(texts.iter().all(|t| t.len() == 43));
    }
}
