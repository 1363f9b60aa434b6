//! A Rust client for the GenAuth V3 authentication API.
//!
//! The client is generated from an OpenAPI description of the API
//! (`specs/genauth-v3.yaml` in the repository), so every operation of the
//! API is a method of [`AuthenticationClient`] named as in GenAuth's other
//! SDKs, and every request and response type lives in [`models`] under the
//! name GenAuth's documentation gives it.
//!
//! # Calling the API
//!
//! Build a client for your application, call a method with the operation's
//! required inputs, set optional inputs on the request it returns, and await
//! the request:
//!
//! ```no_run
//! use genauth::models::SignInByPushOptionsDto;
//!
//! # async fn demo() -> Result<(), genauth::Error> {
//! let client = genauth::AuthenticationClient::builder()
//!     .app_id("APP_ID")
//!     .app_host("https://example.genauth.ai")
//!     .build()?;
//! let resp = client
//!     .sign_in_by_push("test")
//!     .options(SignInByPushOptionsDto {
//!         scope: Some("openid profile".into()),
//!         ..Default::default()
//!     })
//!     .await?;
//! println!("{} expires in {}s", resp.data.push_code_id, resp.data.expire_time);
//! # Ok(()) }
//! ```
//!
//! A call resolves to the operation's response envelope when the server
//! reports success (`statusCode` 200). Anything else is an [`Error`]: the
//! server's verdict ([`Error::Api`], with `statusCode`, `apiCode`, `message`
//! and `requestId`), rate limiting ([`Error::RateLimited`]), a timeout, a
//! network failure, or a body that is not what the operation returns.
//!
//! # Push login
//!
//! [`sign_in_by_push`](AuthenticationClient::sign_in_by_push) sends a sign-in
//! request to the GenAuth authenticator app of the user with the given
//! account; [`wait_for_push_login`](AuthenticationClient::wait_for_push_login)
//! then polls [`check_push_code_status`](AuthenticationClient::check_push_code_status)
//! until the user approves (and returns their tokens), rejects, or the code
//! expires:
//!
//! ```no_run
//! # use std::time::Duration;
//! # async fn demo(client: genauth::AuthenticationClient) -> Result<(), genauth::Error> {
//! let push = client.sign_in_by_push("ada@example.com").await?;
//! let lifetime = Duration::from_secs(push.data.expire_time.max(0) as u64);
//! let options = genauth::WaitOptions::default().deadline(lifetime);
//! match client.wait_for_push_login(&push.data.push_code_id, options).await {
//!     Ok(tokens) => println!("signed in: {} token for {}s", tokens.token_type, tokens.expire_in),
//!     Err(genauth::Error::LoginEnded { reason, .. }) => println!("no sign-in: {reason}"),
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! # Fast authentication QR codes
//!
//! A user signed in on the web shows a QR code from their personal centre;
//! the authenticator app scans it to sign the user in on the phone.
//! [`gene_fastpass_qrcode_info`](AuthenticationClient::gene_fastpass_qrcode_info)
//! creates the code's contents and needs the user's access token:
//!
//! ```no_run
//! # async fn demo() -> Result<(), genauth::Error> {
//! let client = genauth::AuthenticationClient::builder()
//!     .app_id("APP_ID")
//!     .app_host("https://example.genauth.ai")
//!     .access_token("the user's access token")
//!     .build()?;
//! let qr = client.gene_fastpass_qrcode_info().await?;
//! println!("draw QR code {} for {}", qr.data.qrcode_id, qr.data.user.display_name);
//! let options = genauth::WaitOptions::default().on_status(|change| {
//!     if change.status == "SCANNED" {
//!         println!("scanned: confirm on your phone");
//!     }
//! });
//! client.wait_for_app_login_qrcode(&qr.data.qrcode_id, options).await?;
//! # Ok(()) }
//! ```
//!
//! # QR code login
//!
//! [`gene_qr_code`](AuthenticationClient::gene_qr_code) creates a QR code to
//! show on a sign-in page;
//! [`wait_for_qrcode_login`](AuthenticationClient::wait_for_qrcode_login)
//! polls [`check_qr_code_status`](AuthenticationClient::check_qr_code_status)
//! until it is approved, reporting `SCANNED` on the way, then trades the
//! ticket for tokens with
//! [`exchange_token_set_with_qr_code_ticket`](AuthenticationClient::exchange_token_set_with_qr_code_ticket).
//!
//! # Signing in with a password, and acting on failures
//!
//! [`sign_in_by_credentials`](AuthenticationClient::sign_in_by_credentials)
//! takes the connection and the matching payload. A failure the server
//! reports is an [`Error::Api`] whose `api_code` says what happened and whose
//! `data` carries what the next step needs — such as the token to finish
//! multi-factor authentication with:
//!
//! ```no_run
//! use genauth::models::{SignInByPasswordPayloadDto, SignInConnection};
//!
//! # async fn demo(client: genauth::AuthenticationClient) -> Result<(), genauth::Error> {
//! let password = SignInByPasswordPayloadDto {
//!     account: Some("ada@example.com".into()),
//!     password: "correct horse battery staple".into(),
//!     email: None,
//!     username: None,
//!     phone: None,
//! };
//! match client
//!     .sign_in_by_credentials(SignInConnection::Password)
//!     .password_payload(password)
//!     .await
//! {
//!     Ok(signed_in) => println!("token expires in {}s", signed_in.data.expire_in),
//!     Err(genauth::Error::Api(failure)) if failure.api_code == Some(1635) => {
//!         let mfa_token = failure
//!             .data_as::<serde_json::Value>()
//!             .and_then(|data| data["mfaToken"].as_str().map(str::to_owned));
//!         println!("a second factor is needed (MFA token received: {})", mfa_token.is_some());
//!     }
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! # Verifying tokens, and the hosted login page
//!
//! [`oidc`] holds the OpenID Connect, OAuth 2 and CAS helpers: login URLs
//! with PKCE, the code, refresh and client-credentials grants, userinfo,
//! introspection, revocation, logout, and offline verification of ID tokens
//! and access tokens against the application's cached signing keys —
//! [`parse_access_token`](AuthenticationClient::parse_access_token) is how a
//! back end trusts the bearer token of a request.
//!
//! # Retries, timeouts, hooks and tracing
//!
//! A call that meets a rate limit (HTTP 429, honouring `Retry-After`), a
//! gateway failure (502, 503, 504) or a refused connection is tried again
//! with exponential backoff and jitter — by default three attempts, and only
//! for operations safe to repeat (`GET`, such as the status checks, and
//! read-only calls the spec marks `x-idempotent`). Set the policy for a client
//! with [`AuthenticationClientBuilder::retry`], or for one call with a
//! request's `with_retry`; `with_timeout` overrides the timeout the same way.
//!
//! A [`Hook`] sees every attempt (operation, attempt number, status, timing,
//! body) and may add headers, without seeing the client's credentials. Every
//! call runs in a `tracing` span `api_call` recording the operation, method,
//! path, attempts, HTTP status, `apiCode` and `requestId`; each retry is a
//! `warn` event. Neither ever carries a token, secret or parameter value.
//!
//! # Credentials
//!
//! The app ID goes with every call. A user access token set on the builder
//! goes with every call as a bearer token; operations that act for a user
//! fail with [`Error::MissingCredentials`], without sending anything, when it
//! is not set. [`set_access_token`](AuthenticationClient::set_access_token)
//! changes it on a live client, and
//! [`remember_tokens`](AuthenticationClientBuilder::remember_tokens) makes the
//! client keep the access token of every sign-in and wait helper, so that
//! the following calls act for that user. Neither the token nor the app secret ever appears in `Debug`
//! output or in error messages, and nor do tokens in responses.

#![warn(missing_docs)]
// Nothing a server sends may crash the client.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented
)]

mod client;
mod credentials;
mod error;
#[rustfmt::skip]
mod generated;
#[cfg(feature = "management")]
pub mod management;
pub mod oidc;
mod runtime;
mod wait;

pub use client::{
    AuthenticationClient, AuthenticationClientBuilder, Brand, ConfigError, DEFAULT_TIMEOUT,
    TokenEndpointAuthMethod,
};
pub use error::{Error, LoginEnd, TokenError};
pub use genauth_runtime::{
    ApiError, AttemptOutcome, ContentTypeError, DEFAULT_MAX_IDLE_CONNECTIONS,
    DEFAULT_MAX_RESPONSE_SIZE, DecodeError, Hook, OAuthError, OutgoingRequest, RetryPolicy,
    StatusError,
};
pub use generated::{SecurityScheme, models, requests};
pub use runtime::{
    Binary, ByteStream, Bytes, EmptyResponseFuture, FilePart, ResponseFuture, Streamed, Text,
};
pub use wait::{StatusChange, WaitOptions};
