//! A local stand-in for the GenAuth V3 authentication API.
//!
//! [`StandIn`] serves, on `127.0.0.1` and a free port, the operations of the
//! push-login, QR-code-login and fast-authentication flows, with the paths,
//! fields and envelope of `specs/genauth-v3.yaml`. It remembers the codes it
//! issues, so a client can go through a whole flow: start a login, poll its
//! status, and receive tokens once the "user" approves it.
//!
//! The user's side (the phone that scans or approves) is played by the test,
//! through methods such as [`StandIn::approve_push`], by
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
mod control;
mod envelope;
mod gate;
mod ids;
mod server;
mod state;

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use server::Shared;
use state::{InjectedFailure, PushAction, QrAction};

/// How a [`StandIn`] behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The app ID requests must carry in `x-genauth-app-id` (or `x-authing-app-id`).
    pub app_id: String,
    /// How long a push code stays valid (the `expireTime` the stand-in reports, in whole seconds, rounded up).
    pub push_expires_in: Duration,
    /// How long a QR code (sign-in or fast-authentication) stays valid.
    pub qrcode_expires_in: Duration,
    /// What happens to new codes without anyone acting on them.
    pub auto: Auto,
}

impl Default for Config {
    /// App ID `standin-app`, codes valid for 120 s (the real service's
    /// default), and nothing happening on its own.
    fn default() -> Self {
        Self {
            app_id: "standin-app".to_owned(),
            push_expires_in: Duration::from_secs(120),
            qrcode_expires_in: Duration::from_secs(120),
            auto: Auto::Nothing,
        }
    }
}

/// What happens to new codes without anyone acting on them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Auto {
    /// Codes stay as they are until a control call, an SDK call or expiry changes them.
    #[default]
    Nothing,
    /// After `after`, a push code is approved; a sign-in or fast-authentication QR code is scanned
    /// (by a demo user) at half of `after` and approved at `after`.
    ///
    /// A code that expires first stays expired.
    Approve {
        /// How long after its creation a code is approved.
        after: Duration,
    },
}

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
    /// When no loopback port can be bound.
    pub async fn start(config: Config) -> std::io::Result<StandIn> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared::new(&config, url.clone()));
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

    /// The next `count` requests to /api/ paths are answered with HTTP `status` instead of being
    /// handled: 429 with a `Retry-After: {retry_after_secs}` header (when given) and the body
    /// `{"statusCode":429,"message":"Too many requests"}`; any other status (e.g. 503) with a short
    /// HTML page, as a proxy would send.
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
}
