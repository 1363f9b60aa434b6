//! A local stand-in for the GenAuth V3 authentication API.
//!
//! [`StandIn`] serves, on `127.0.0.1` and a free port, the operations of the
//! push-login, QR-code-login and fast-authentication flows, with the paths,
//! fields and envelope of `specs/genauth-v3.yaml`. It remembers the codes it
//! issues, so a client can go through a whole flow: start a login, poll its
//! status, and receive tokens once the "user" approves it.
//!
//! It also plays GenAuth's identity provider, at its paths: OIDC and OAuth
//! 2.0 (`/oidc/…`, `/oauth/…`: authorization code flow with PKCE, refresh,
//! client credentials, userinfo, introspection, revocation, logout, JWKS
//! and discovery) and CAS (`/cas-idp/…`). Its issuer is
//! [`StandIn::issuer`]; tokens are JWTs signed with a fresh RSA-2048 key
//! ([`StandIn::rotate_signing_key`] replaces it), and the push, QR-code and
//! fast-authentication logins issue the same kind of tokens. Each module's
//! documentation says how the stand-in fills in what the protocols leave
//! open.
//!
//! The user's side (the phone that scans or approves, the browser that
//! signs in) is played by the test, through methods such as
//! [`StandIn::approve_push`] and [`StandIn::set_authorize`], by
//! [`Auto::Approve`], or, for manual demos, through `POST /_control/…`
//! requests. [`StandIn::fail_next`] makes the next requests fail as a rate
//! limiter or a proxy would.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use genauth_standin::{Config, StandIn};
//!
//! let standin = StandIn::start(Config::default()).await?;
//! // Point the client at `standin.url()` with app ID `standin.app_id()`,
//! // start a push login, then act as the user:
//! if let Some(push_code) = standin.push_codes().last() {
//!     standin.approve_push(push_code);
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod api;
mod cas;
mod config;
mod control;
mod envelope;
mod gate;
mod ids;
mod issuer;
mod jwt;
mod keys;
mod management;
mod oidc;
mod page;
mod params;
mod server;
mod state;
mod user;

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use config::{Authorize, Auto, ClientAuth, Config, IdTokenAlg};
use server::Shared;
use state::{InjectedFailure, PushAction, QrAction};

/// A running stand-in server. It stops when dropped.
#[derive(Debug)]
pub struct StandIn {
    shared: Arc<Shared>,
    url: String,
    /// Dropping this sender is what tells the server to stop.
    _shutdown: oneshot::Sender<()>,
}

impl StandIn {
    /// Starts the server on 127.0.0.1 on a free port. It stops when the StandIn is dropped.
    ///
    /// Must be called within a Tokio runtime, which then runs the server.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound, or (which the crypto library
    /// practically never does) no RSA key can be generated.
    pub async fn start(config: Config) -> std::io::Result<StandIn> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Shared::new(&config, url.clone()).map_err(|_| {
            std::io::Error::other("the stand-in could not generate its RSA signing key")
        })?;
        let shared = Arc::new(shared);
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(server::serve(listener, Arc::clone(&shared), stopped));
        Ok(StandIn {
            shared,
            url,
            _shutdown: shutdown,
        })
    }

    /// The base address to point a client at: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The access key the management token endpoint accepts.
    pub fn access_key_id(&self) -> &str {
        &self.shared.management.access_key_id
    }

    /// The access key's secret.
    pub fn access_key_secret(&self) -> &str {
        &self.shared.management.access_key_secret
    }

    /// How many management tokens have been issued.
    pub fn management_tokens_issued(&self) -> usize {
        self.shared.management.tokens_issued()
    }

    /// Makes every management token issued so far unusable, as if the
    /// server had revoked them: the next call with one gets HTTP 401.
    pub fn revoke_management_tokens(&self) {
        self.shared.management.revoke_tokens();
    }

    /// How many users the management API holds.
    pub fn user_count(&self) -> usize {
        self.shared.management.user_count()
    }

    /// The app ID requests must carry.
    pub fn app_id(&self) -> &str {
        &self.shared.app_id
    }

    /// Approves a push login, as the user would in the authenticator app.
    /// False if the code is unknown or no longer waiting for an answer.
    pub fn approve_push(&self, push_code_id: &str) -> bool {
        self.shared.act_on_push(push_code_id, PushAction::Approve)
    }

    /// Rejects a push login. False if the code is unknown or no longer
    /// waiting for an answer.
    pub fn cancel_push(&self, push_code_id: &str) -> bool {
        self.shared.act_on_push(push_code_id, PushAction::Cancel)
    }

    /// Makes a push code expire now. False if the code is unknown or no
    /// longer waiting for an answer.
    pub fn expire_push(&self, push_code_id: &str) -> bool {
        self.shared.act_on_push(push_code_id, PushAction::Expire)
    }

    /// Scans a QR code (of either kind) as the demo user: `PENDING` to
    /// `SCANNED`. False if the code is unknown or not pending.
    pub fn scan_qrcode(&self, qrcode_id: &str) -> bool {
        self.shared.act_on_qrcode(qrcode_id, QrAction::Scan)
    }

    /// Approves a QR code: `SCANNED` (or `PENDING`, scanning it on the way)
    /// to `AUTHORIZED`. A sign-in code then carries a ticket. False if the
    /// code is unknown or already final.
    pub fn approve_qrcode(&self, qrcode_id: &str) -> bool {
        self.shared
            .act_on_qrcode(qrcode_id, QrAction::Approve { needs_scan: false })
    }

    /// Rejects a pending or scanned QR code. False if the code is unknown or
    /// already final.
    pub fn cancel_qrcode(&self, qrcode_id: &str) -> bool {
        self.shared
            .act_on_qrcode(qrcode_id, QrAction::Cancel { needs_scan: false })
    }

    /// Makes a pending or scanned QR code expire now. False if the code is
    /// unknown or already final.
    pub fn expire_qrcode(&self, qrcode_id: &str) -> bool {
        self.shared.act_on_qrcode(qrcode_id, QrAction::Expire)
    }

    /// The next `count` requests to the API or a protocol endpoint are answered with HTTP
    /// `status` instead of being handled: 429 with a `Retry-After: {retry_after_secs}` header
    /// (when given) and the body `{"statusCode":429,"message":"Too many requests"}`; any other
    /// status (e.g. 503) with a short HTML page, as a proxy would send.
    ///
    /// Those are the requests to paths under `/api/`, `/oidc/` (including the JWKS, also at
    /// `/{appId}/oidc/`), `/oauth/` and `/cas-idp/`; `/_control/` and `/login/` are never
    /// failed.
    ///
    /// Replaces any failures still planned; a `count` of 0 cancels them. A
    /// `status` that is not a valid HTTP status (outside 100–999) is answered
    /// as 500.
    pub fn fail_next(&self, status: u16, count: usize, retry_after_secs: Option<u64>) {
        let failure = InjectedFailure {
            status,
            retry_after_secs,
        };
        self.shared.state().plan_failures(failure, count);
    }

    /// The requests received so far, in order (method and path with query), for tests to assert on.
    ///
    /// For example `GET /api/v3/check-pushcode-status?pushCodeId=…`. Every
    /// request is listed, including those answered with an injected failure
    /// and those to `/_control/`.
    pub fn requests(&self) -> Vec<String> {
        self.shared.state().requests()
    }

    /// The push codes created so far, newest last.
    pub fn push_codes(&self) -> Vec<String> {
        self.shared.state().push_code_ids()
    }

    /// The QR codes (sign-in and fast-authentication) created so far, newest last.
    pub fn qrcodes(&self) -> Vec<String> {
        self.shared.state().qrcode_ids()
    }

    /// The issuer of every token, `{url}/oidc`: what `iss` says and where
    /// the discovery document is (`{issuer}/.well-known/openid-configuration`).
    pub fn issuer(&self) -> String {
        self.shared.issuer()
    }

    /// The app secret, which is the OIDC/OAuth `client_secret` and the key
    /// of HS256 ID tokens.
    pub fn app_secret(&self) -> &str {
        &self.shared.app_secret
    }

    /// The `kid` of the key that signs from now on.
    pub fn signing_key_id(&self) -> String {
        self.shared.state().issuer.keys().kid().to_owned()
    }

    /// Signs everything from now on with a new RSA key; returns its `kid`.
    ///
    /// The JWKS then lists the new key, and the one it replaces too if
    /// `keep_previous` (tokens it signed keep verifying, here and for
    /// clients that refetch the JWKS); any older key is dropped, and tokens
    /// signed with a dropped key stop working at every endpoint. The same
    /// as `POST /_control/rotate-key` with `{"keepPrevious": bool}`.
    ///
    /// In the practically impossible case that no key can be generated,
    /// the keys stay as they were and the current `kid` is returned.
    pub fn rotate_signing_key(&self, keep_previous: bool) -> String {
        let mut state = self.shared.state();
        let keys = state.issuer.keys_mut();
        // On failure the keys stay as they were, and the kid returned is
        // the one still signing.
        let _ = keys.rotate(keep_previous);
        keys.kid().to_owned()
    }

    /// An RS256 JWT of exactly `claims`, with the current key and the
    /// header `{"alg":"RS256","typ":"JWT","kid":…}`, for tests that need
    /// tokens no endpoint would issue: expired, not yet valid, for another
    /// audience…
    ///
    /// The stand-in does not remember these tokens, so its own endpoints
    /// (userinfo, introspection) treat them as unknown; they are meant for
    /// offline verification by the client.
    pub fn sign(&self, claims: serde_json::Value) -> String {
        self.shared.state().issuer.sign(&claims)
    }

    /// Sets what the authorization endpoint and CAS login do from now on:
    /// approve as the demo user, or deny.
    pub fn set_authorize(&self, authorize: Authorize) {
        self.shared.state().authorize = authorize;
    }

    /// A CAS service ticket for `service`, as if the demo user had signed
    /// in at `/cas-idp/{appId}?service=…`. It is single use and valid for a
    /// minute, for that exact service only.
    pub fn issue_cas_ticket(&self, service: &str) -> String {
        self.shared
            .state()
            .cas_tickets
            .issue(service, Instant::now())
    }
}
