//! Waiting for a login that was started here and is approved elsewhere: on
//! the authenticator app (push login), by scanning a QR code with a mobile
//! app (QR code login), or by the authenticator app signing in with a
//! fast-authentication QR code.
//!
//! Each helper polls the operation's status check until the login ends,
//! then returns what the login produced. Dropping the future stops polling.

use std::fmt;
use std::time::{Duration, Instant};

use crate::client::TokenEndpointAuthMethod;
use crate::error::LoginEnd;
use crate::models::{
    CheckQrCodeStatusDataDto, LoginTokenResponseDataDto, PushCodeStatus, QrCodeStatus,
    QrCodeStatusBriefUserInfoDto,
};
use crate::{AuthenticationClient, Error};

/// How long a wait lasts when no deadline is set: longer than any code lives.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(10 * 60);

/// A callback told of each change of status.
type OnStatus = Box<dyn FnMut(&StatusChange<'_>) + Send>;

/// How a wait helper polls, and when it gives up.
pub struct WaitOptions {
    interval: Duration,
    jitter: f64,
    deadline: Duration,
    on_status: Option<OnStatus>,
}

impl Default for WaitOptions {
    /// Every 2 s (± 20 %), for up to 10 minutes, silently.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            jitter: 0.2,
            deadline: DEFAULT_DEADLINE,
            on_status: None,
        }
    }
}

impl WaitOptions {
    /// The time between two status checks.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How much each interval may vary, as a fraction of it (0 to 1), so that
    /// many clients do not poll in step. 0.2 by default.
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = fraction.clamp(0.0, 1.0);
        self
    }

    /// Gives up after `deadline`, with [`LoginEnd::DeadlinePassed`]. Pass the
    /// code's lifetime, such as `Duration::from_secs(push.data.expire_time as u64)`:
    /// the server reports the code expired at that point anyway.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Calls `callback` with the first status seen and with every change,
    /// such as a QR code becoming `SCANNED`, so that a UI can say "scanned,
    /// confirm on your phone".
    pub fn on_status(mut self, callback: impl FnMut(&StatusChange<'_>) + Send + 'static) -> Self {
        self.on_status = Some(Box::new(callback));
        self
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("interval", &self.interval)
            .field("jitter", &self.jitter)
            .field("deadline", &self.deadline)
            .field("on_status", &self.on_status.is_some())
            .finish()
    }
}

/// A status a wait helper saw for the first time.
#[derive(Debug)]
#[non_exhaustive]
pub struct StatusChange<'a> {
    /// The status as the server sends it, such as `PENDING` or `SCANNED`.
    pub status: &'a str,
    /// Who scanned the QR code, once it is scanned.
    pub scanned_by: Option<&'a QrCodeStatusBriefUserInfoDto>,
    /// How long the helper has been waiting.
    pub elapsed: Duration,
}

/// The timing and reporting shared by the helpers.
struct Poller {
    flow: &'static str,
    options: WaitOptions,
    started: Instant,
    last: Option<String>,
}

impl Poller {
    fn new(flow: &'static str, options: WaitOptions) -> Self {
        Self {
            flow,
            options,
            started: Instant::now(),
            last: None,
        }
    }

    /// Reports `status` if it is new.
    fn observe(&mut self, status: &str, scanned_by: Option<&QrCodeStatusBriefUserInfoDto>) {
        if self.last.as_deref() == Some(status) {
            return;
        }
        tracing::debug!(flow = self.flow, status, "login status changed");
        self.last = Some(status.to_owned());
        if let Some(callback) = &mut self.options.on_status {
            callback(&StatusChange {
                status,
                scanned_by,
                elapsed: self.started.elapsed(),
            });
        }
    }

    /// Waits until the next check, or fails when the deadline has passed.
    async fn pause(&self) -> Result<(), Error> {
        let elapsed = self.started.elapsed();
        let Some(left) = self
            .options
            .deadline
            .checked_sub(elapsed)
            .filter(|d| !d.is_zero())
        else {
            return Err(self.ended(LoginEnd::DeadlinePassed));
        };
        let spread = self.options.jitter * (fastrand::f64() * 2.0 - 1.0);
        let interval = self.options.interval.mul_f64((1.0 + spread).max(0.0));
        tokio::time::sleep(interval.min(left)).await;
        Ok(())
    }

    fn ended(&self, reason: LoginEnd) -> Error {
        Error::LoginEnded {
            flow: self.flow,
            reason,
        }
    }
}

impl AuthenticationClient {
    /// Waits for the user to answer a push login started with
    /// [`sign_in_by_push`](Self::sign_in_by_push), and returns their tokens
    /// once they approve it.
    ///
    /// Fails with [`Error::LoginEnded`] when the user rejects the login
    /// ([`LoginEnd::Cancelled`]), it expires, the server reports an error, or
    /// the deadline passes. With [`remember_tokens`](crate::AuthenticationClientBuilder::remember_tokens)
    /// the client keeps the new access token.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// # async fn demo(client: genauth::AuthenticationClient) -> Result<(), genauth::Error> {
    /// use genauth::WaitOptions;
    ///
    /// let push = client.sign_in_by_push("ada@example.com").await?;
    /// let expires = Duration::from_secs(push.data.expire_time.max(0) as u64);
    /// let tokens = client
    ///     .wait_for_push_login(&push.data.push_code_id, WaitOptions::default().deadline(expires))
    ///     .await?;
    /// println!("signed in; the token expires in {}s", tokens.expire_in);
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_push_login(
        &self,
        push_code_id: impl Into<String>,
        options: WaitOptions,
    ) -> Result<LoginTokenResponseDataDto, Error> {
        let push_code_id = push_code_id.into();
        let mut poller = Poller::new("wait_for_push_login", options);
        loop {
            let status = self
                .check_push_code_status(push_code_id.as_str())
                .await?
                .data;
            poller.observe(status.status.as_str(), None);
            match status.status {
                PushCodeStatus::Authorized => return self.tokens(&poller, status.token_set),
                PushCodeStatus::Cancelled => return Err(poller.ended(LoginEnd::Cancelled)),
                PushCodeStatus::Expired => return Err(poller.ended(LoginEnd::Expired)),
                PushCodeStatus::Error => return Err(poller.ended(LoginEnd::Failed)),
                // PUSHED, or a status this version does not know: keep waiting.
                _ => poller.pause().await?,
            }
        }
    }

    /// Waits for a QR code created with [`gene_qr_code`](Self::gene_qr_code)
    /// to be scanned and approved, then trades its ticket for the user's
    /// tokens with [`exchange_token_set_with_qr_code_ticket`](Self::exchange_token_set_with_qr_code_ticket)
    /// (or returns the tokens, when the application is set to send them with
    /// the status). Report `SCANNED` to the user with [`WaitOptions::on_status`].
    pub async fn wait_for_qrcode_login(
        &self,
        qrcode_id: impl Into<String>,
        options: WaitOptions,
    ) -> Result<LoginTokenResponseDataDto, Error> {
        let qrcode_id = qrcode_id.into();
        let mut poller = Poller::new("wait_for_qrcode_login", options);
        loop {
            let status = self.check_qr_code_status(qrcode_id.as_str()).await?.data;
            poller.observe(status.status.as_str(), status.brief_user_info.as_ref());
            match status.status {
                QrCodeStatus::Authorized => {
                    let Some(ticket) = status.ticket else {
                        return self.tokens(&poller, status.token_set);
                    };
                    let mut exchange = self.exchange_token_set_with_qr_code_ticket(ticket);
                    let inner = &self.inner;
                    if inner.token_endpoint_auth_method == TokenEndpointAuthMethod::ClientSecretPost
                    {
                        if let Some(secret) = &inner.app_secret {
                            exchange = exchange
                                .client_id(inner.app_id.as_str())
                                .client_secret(secret.expose());
                        }
                    }
                    return self.tokens(&poller, Some(exchange.await?.data));
                }
                QrCodeStatus::Cancelled => return Err(poller.ended(LoginEnd::Cancelled)),
                QrCodeStatus::Expired => return Err(poller.ended(LoginEnd::Expired)),
                QrCodeStatus::Error => return Err(poller.ended(LoginEnd::Failed)),
                _ => poller.pause().await?,
            }
        }
    }

    /// Waits for a fast-authentication QR code created with
    /// [`gene_fastpass_qrcode_info`](Self::gene_fastpass_qrcode_info) to be
    /// scanned by the authenticator app and used to sign in there, and returns
    /// the final status. Report `SCANNED` with [`WaitOptions::on_status`].
    pub async fn wait_for_app_login_qrcode(
        &self,
        qrcode_id: impl Into<String>,
        options: WaitOptions,
    ) -> Result<CheckQrCodeStatusDataDto, Error> {
        let qrcode_id = qrcode_id.into();
        let mut poller = Poller::new("wait_for_app_login_qrcode", options);
        loop {
            let status = self
                .get_app_login_qr_code_status(qrcode_id.as_str())
                .await?
                .data;
            poller.observe(status.status.as_str(), status.brief_user_info.as_ref());
            match status.status {
                QrCodeStatus::Authorized => return Ok(status),
                QrCodeStatus::Cancelled => return Err(poller.ended(LoginEnd::Cancelled)),
                QrCodeStatus::Expired => return Err(poller.ended(LoginEnd::Expired)),
                QrCodeStatus::Error => return Err(poller.ended(LoginEnd::Failed)),
                _ => poller.pause().await?,
            }
        }
    }

    /// The tokens an approved login produced, kept if the client remembers tokens.
    fn tokens(
        &self,
        poller: &Poller,
        tokens: Option<LoginTokenResponseDataDto>,
    ) -> Result<LoginTokenResponseDataDto, Error> {
        let tokens = tokens.ok_or_else(|| poller.ended(LoginEnd::NoTokens))?;
        if self.remembers_tokens() {
            if let Some(access_token) = &tokens.access_token {
                self.set_access_token(access_token.as_str())?;
            }
        }
        Ok(tokens)
    }
}
