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
//! account. Poll [`check_push_code_status`](AuthenticationClient::check_push_code_status)
//! with the returned push code until the user approves (the response then
//! carries the user's tokens), rejects, or the code expires.
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
//! # Ok(()) }
//! ```
//!
//! # QR code login
//!
//! [`gene_qr_code`](AuthenticationClient::gene_qr_code) creates a QR code to
//! show on a sign-in page; poll
//! [`check_qr_code_status`](AuthenticationClient::check_qr_code_status) until
//! it is approved, then trade the ticket for tokens with
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
//! # Credentials
//!
//! The app ID goes with every call. A user access token set on the builder
//! goes with every call as a bearer token; operations that act for a user
//! fail with [`Error::MissingCredentials`], without sending anything, when it
//! is not set. Neither the token nor the app secret ever appears in `Debug`
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
mod runtime;
mod secret;

pub use client::{
    AuthenticationClient, AuthenticationClientBuilder, Brand, ConfigError, DEFAULT_TIMEOUT,
    TokenEndpointAuthMethod,
};
pub use error::{ApiError, DecodeError, Error};
pub use generated::{SecurityScheme, models, requests};
pub use runtime::ResponseFuture;
