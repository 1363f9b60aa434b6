//! Waiting for a login that was started here and is approved elsewhere: on
//! the authenticator app (push login), by scanning a QR code with a mobile
//! app (QR code login), or by the authenticator app signing in with a
//! fast-authentication QR code.
//!
//! Each helper polls the operation's status check until the login ends,
//! then returns what the login produced. A login wait lasts minutes, so a
//! poll that meets a transient fault (a dropped or refused connection, a
//! timeout, a rate limit, a 5xx, an unreadable body) is tried again with
//! backoff rather than ending the wait. Dropping the future stops polling.

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

/// The longest pause between polls after faults.
const MAX_FAULT_BACKOFF: Duration = Duration::from_secs(30);

/// A callback told of each change of status.
type OnStatus = Box<dyn FnMut(&StatusChange<'_>) + Send + Sync>;

/// A callback told of each transient fault a wait survives.
type OnFault = Box<dyn FnMut(&Error, u32) + Send + Sync>;

/// How a wait helper polls, and when it gives up.
pub struct WaitOptions {
    interval: Duration,
    jitter: f64,
    deadline: Duration,
    max_faults: u32,
    on_status: Option<OnStatus>,
    on_fault: Option<OnFault>,
}

impl Default for WaitOptions {
    /// Every 2 s (± 20 %), for up to 10 minutes, surviving up to 5 faulty
    /// polls in a row, silently.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            jitter: 0.2,
            deadline: DEFAULT_DEADLINE,
            max_faults: 5,
            on_status: None,
            on_fault: None,
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

    /// How many polls in a row may meet a transient fault before the wait
    /// fails with the last one (at least 1); 5 by default. The wait also
    /// fails with the fault when the deadline passes during one.
    pub fn max_faults(mut self, faults: u32) -> Self {
        self.max_faults = faults.max(1);
        self
    }

    /// Calls `callback` with the first status seen and with every change,
    /// such as a QR code becoming `SCANNED`, so that a UI can say "scanned,
    /// confirm on your phone".
    pub fn on_status(
        mut self,
        callback: impl FnMut(&StatusChange<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.on_status = Some(Box::new(callback));
        self
    }

    /// Calls `callback` with each transient fault the wait survives and the
    /// number of polls in a row that have met one, so that a UI can say
    /// "reconnecting…".
    pub fn on_fault(mut self, callback: impl FnMut(&Error, u32) + Send + Sync + 'static) -> Self {
        self.on_fault = Some(Box::new(callback));
        self
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("interval", &self.interval)
            .field("jitter", &self.jitter)
            .field("deadline", &self.deadline)
            .field("max_faults", &self.max_faults)
            .field("on_status", &self.on_status.is_some())
            .field("on_fault", &self.on_fault.is_some())
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
    /// Polls in a row that met a transient fault.
    faults: u32,
}

impl Poller {
    fn new(flow: &'static str, options: WaitOptions) -> Self {
        Self {
            flow,
            options,
            started: Instant::now(),
            last: None,
            faults: 0,
        }
    }

    /// Reports `status` if it is new; `known` says whether it is one of the
    /// statuses the spec lists, which alone are written to the trace as
    /// they are.
    fn observe(
        &mut self,
        status: &str,
        known: bool,
        scanned_by: Option<&QrCodeStatusBriefUserInfoDto>,
    ) {
        if self.last.as_deref() == Some(status) {
            return;
        }
        let traced = if known { status } else { "an unknown status" };
        tracing::debug!(flow = self.flow, status = traced, "login status changed");
        self.last = Some(status.to_owned());
        if let Some(callback) = &mut self.options.on_status {
            callback(&StatusChange {
                status,
                scanned_by,
                elapsed: self.started.elapsed(),
            });
        }
    }

    /// The outcome of a poll: its result, or `None` after a transient fault
    /// that was waited out; the fault itself once there have been too many
    /// in a row or the deadline has passed.
    async fn survive<T>(&mut self, outcome: Result<T, Error>) -> Result<Option<T>, Error> {
        let fault = match outcome {
            Ok(value) => {
                self.faults = 0;
                return Ok(Some(value));
            }
            Err(e) if is_transient(&e) => e,
            Err(e) => return Err(e),
        };
        self.faults += 1;
        tracing::warn!(flow = self.flow, faults = self.faults, error = %fault, "a poll failed; waiting and trying again");
        if let Some(callback) = &mut self.options.on_fault {
            callback(&fault, self.faults);
        }
        let backoff = self
            .options
            .interval
            .saturating_mul(2u32.saturating_pow(self.faults - 1))
            .min(MAX_FAULT_BACKOFF.max(self.options.interval));
        match self.time_left() {
            Some(left) if self.faults < self.options.max_faults => {
                tokio::time::sleep(self.jittered(backoff).min(left)).await;
                Ok(None)
            }
            _ => Err(fault),
        }
    }

    /// Waits until the next check, or fails when the deadline has passed.
    async fn pause(&self) -> Result<(), Error> {
        let Some(left) = self.time_left() else {
            return Err(self.ended(LoginEnd::DeadlinePassed));
        };
        let interval = self.jittered(self.options.interval);
        tokio::time::sleep(interval.min(left)).await;
        Ok(())
    }

    fn time_left(&self) -> Option<Duration> {
        self.options
            .deadline
            .checked_sub(self.started.elapsed())
            .filter(|d| !d.is_zero())
    }

    fn jittered(&self, delay: Duration) -> Duration {
        let spread = self.options.jitter * (fastrand::f64() * 2.0 - 1.0);
        delay.mul_f64((1.0 + spread).max(0.0))
    }

    fn ended(&self, reason: LoginEnd) -> Error {
        Error::LoginEnded {
            flow: self.flow,
            reason,
        }
    }
}

/// Whether a failed poll may succeed if tried again later.
fn is_transient(error: &Error) -> bool {
    match error {
        Error::Network { .. }
        | Error::Timeout { .. }
        | Error::RateLimited { .. }
        | Error::Decode(_) => true,
        Error::Api(e) => e.status_code >= 500,
        Error::Status(e) => e.http_status >= 500,
        _ => false,
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
            let outcome = self.check_push_code_status(push_code_id.as_str()).await;
            let Some(status) = poller.survive(outcome).await?.map(|r| r.data) else {
                continue;
            };
            let known = !matches!(status.status, PushCodeStatus::Unknown(_));
            poller.observe(status.status.as_str(), known, None);
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
            let outcome = self.check_qr_code_status(qrcode_id.as_str()).await;
            let Some(status) = poller.survive(outcome).await?.map(|r| r.data) else {
                continue;
            };
            let known = !matches!(status.status, QrCodeStatus::Unknown(_));
            poller.observe(
                status.status.as_str(),
                known,
                status.brief_user_info.as_ref(),
            );
            match status.status {
                QrCodeStatus::Authorized => {
                    let Some(ticket) = status.ticket else {
                        return self.tokens(&poller, status.token_set);
                    };
                    let mut exchange = self.exchange_token_set_with_qr_code_ticket(ticket);
                    let inner = &self.inner;
                    if inner.token_endpoint_auth_method == TokenEndpointAuthMethod::ClientSecretPost
                        && let Some(secret) = &inner.app_secret
                    {
                        exchange = exchange
                            .client_id(inner.app_id.as_str())
                            .client_secret(secret.expose());
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
            let outcome = self.get_app_login_qr_code_status(qrcode_id.as_str()).await;
            let Some(status) = poller.survive(outcome).await?.map(|r| r.data) else {
                continue;
            };
            let known = !matches!(status.status, QrCodeStatus::Unknown(_));
            poller.observe(
                status.status.as_str(),
                known,
                status.brief_user_info.as_ref(),
            );
            match status.status {
                QrCodeStatus::Authorized => return Ok(status),
                QrCodeStatus::Cancelled => return Err(poller.ended(LoginEnd::Cancelled)),
                QrCodeStatus::Expired => return Err(poller.ended(LoginEnd::Expired)),
                QrCodeStatus::Error => return Err(poller.ended(LoginEnd::Failed)),
                _ => poller.pause().await?,
            }
        }
    }

    /// The tokens an approved login produced, kept if the client remembers
    /// tokens; [`LoginEnd::NoTokens`] unless they hold an access token.
    fn tokens(
        &self,
        poller: &Poller,
        tokens: Option<LoginTokenResponseDataDto>,
    ) -> Result<LoginTokenResponseDataDto, Error> {
        let tokens = tokens
            .filter(|t| t.access_token.as_deref().is_some_and(|a| !a.is_empty()))
            .ok_or_else(|| poller.ended(LoginEnd::NoTokens))?;
        if self.remembers_tokens()
            && let Some(access_token) = &tokens.access_token
        {
            self.set_access_token(access_token.as_str())?;
        }
        Ok(tokens)
    }
}
