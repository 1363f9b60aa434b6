//! The OpenID Connect, OAuth 2 and CAS side of GenAuth: sending users to the
//! hosted login page and back, trading codes and refresh tokens for tokens,
//! and — what a back end most needs — verifying the tokens it receives.
//!
//! These endpoints are not part of the V3 API description, so this module is
//! written by hand on the same runtime as the generated methods (timeouts,
//! size limits, redirects refused, hooks, tracing, redaction). The methods
//! live on [`AuthenticationClient`] under the names GenAuth's other SDKs
//! give them, and are configured with [`OidcSettings`] through
//! [`AuthenticationClientBuilder::oidc`](crate::AuthenticationClientBuilder::oidc).
//!
//! # Signing a user in with the hosted login page
//!
//! ```no_run
//! use genauth::oidc::{AuthorizeOptions, OidcSettings};
//!
//! # async fn demo(callback_url: &str) -> Result<(), genauth::Error> {
//! let client = genauth::AuthenticationClient::builder()
//!     .app_id("APP_ID")
//!     .app_host("https://example.genauth.ai")
//!     .app_secret("APP_SECRET")
//!     .oidc(OidcSettings::default().redirect_uri("https://my.app/callback"))
//!     .build()?;
//!
//! // 1. Send the user to the login page; keep `login` (state, nonce and
//! //    PKCE verifier) in the user's session until they come back.
//! let login = client.build_authorize_url(AuthorizeOptions::default())?;
//! println!("redirect to {}", login.url);
//!
//! // 2. On the callback: check state, trade the code, verify the ID token.
//! let signed_in = client.handle_redirect_callback(callback_url, &login).await?;
//! let user = signed_in.id_token_claims.as_ref().map(|c| c.sub.as_str());
//! println!("signed in as {user:?}, token valid until {:?}", signed_in.tokens.expires_at);
//! # Ok(()) }
//! ```
//!
//! # Verifying the bearer token of an incoming request
//!
//! ```no_run
//! # async fn demo(client: genauth::AuthenticationClient, authorization: &str) -> Result<(), genauth::Error> {
//! let token = authorization.strip_prefix("Bearer ").unwrap_or_default();
//! match client.parse_access_token(token).await {
//!     Ok(claims) => println!("request by {} with scope {:?}", claims.sub, claims.scope),
//!     Err(genauth::Error::Token(why)) => println!("401: {why}"),
//!     Err(other) => return Err(other), // the key set could not be fetched
//! }
//! # Ok(()) }
//! ```
//!
//! Verification is offline: the signing keys come from the application's
//! JWKS, fetched once and kept for ten minutes, refetched early when a token
//! names a key not in the set (at most once every 30 s, so that a flood of
//! forged tokens cannot turn into a flood of fetches), shared by concurrent
//! callers, and kept when a refetch fails. Which algorithms are accepted is
//! this client's configuration — RS256, or HS256 with the app secret for ID
//! tokens where the application is set up that way — never the token's
//! header; `none` never is. The issuer (`{app_host}/oidc`), the audience
//! (the app ID), `exp` and `nbf` (with a small leeway) and, when the caller
//! expects one, the nonce are checked, and each failure is a distinct
//! [`TokenError`].
//!
//! [`AuthenticationClient`]: crate::AuthenticationClient

mod authorize;
mod cas;
mod jwks;
mod settings;
mod token;
mod verify;

pub use authorize::{AuthorizeOptions, AuthorizeRequest, LogoutOptions, Prompt, ResponseMode};
pub use cas::{CasUser, CasValidation};
pub(crate) use jwks::JwksCache;
pub use settings::{IdTokenSigning, OidcSettings, Protocol};
pub use token::{CodeExchange, Introspection, SignedIn, TokenSet, TokenTypeHint, UserInfo};
pub use verify::{AccessTokenClaims, Audience, IdTokenClaims, Profile, TokenError};
