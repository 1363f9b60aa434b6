//! What the stand-in remembers: push codes, QR codes, tickets, planned
//! failures and the request log, and the rules for moving codes between
//! statuses; and, for the protocol endpoints, the token issuer,
//! authorization codes and CAS tickets.
//!
//! Time-driven changes (expiry and [`Auto::Approve`](crate::Auto::Approve))
//! are not run by timers. Every read or change of a code first *settles* it:
//! works out from its creation time which of those changes are due by `now`
//! and applies them in the order they fell due. The caller passes `now`, so
//! the rules can be tested without waiting.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::Authorize;
use crate::cas::tickets::Tickets;
use crate::ids;
use crate::issuer::{Issuer, Request, Subject};
use crate::oidc::codes::Codes;
use crate::user::has_scope;

/// How long the tokens of the push, QR-code and fast-authentication logins
/// last, as reported in `expire_in`.
const LOGIN_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);
/// The scope of a login that names none: GenAuth's default.
const DEFAULT_LOGIN_SCOPE: &str = "openid profile";

/// How codes age, taken from [`Config`](crate::Config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timing {
    /// How long a push code stays valid.
    pub(crate) push_expires_in: Duration,
    /// How long a QR code stays valid.
    pub(crate) qrcode_expires_in: Duration,
    /// With [`Auto::Approve`](crate::Auto::Approve): after how long a code is
    /// approved without anyone acting on it.
    pub(crate) auto_approve_after: Option<Duration>,
}

/// The tokens of a signed-in user, as `LoginTokenResponseDataDto` describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TokenSet {
    access_token: String,
    id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    token_type: &'static str,
    expire_in: u64,
}

/// Where a push code stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PushStatus {
    /// Sent to the user's phone, not answered yet.
    Pushed,
    /// Approved; the user's tokens are returned with every status check.
    Authorized(TokenSet),
    /// Rejected by the user.
    Cancelled,
    /// Not answered in time, or expired on purpose.
    Expired,
}

impl PushStatus {
    /// The value of `status` on the wire (`PushCodeStatus`).
    pub(crate) fn wire_name(&self) -> &'static str {
        match self {
            Self::Pushed => "PUSHED",
            Self::Authorized(_) => "AUTHORIZED",
            Self::Cancelled => "CANCELLED",
            Self::Expired => "EXPIRED",
        }
    }
}

/// Something done to a push code from the user's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushAction {
    /// Approve the sign-in.
    Approve,
    /// Reject the sign-in.
    Cancel,
    /// Make the code expire now.
    Expire,
}

/// Which operations a QR code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QrKind {
    /// Made by `gene-qrcode`: the web page shows it, a phone signs the page in.
    SignIn,
    /// Made by `gene-fastpass-qrcode-info`: the web page shows it, the phone
    /// signs itself in.
    Fastpass,
}

/// Where a QR code stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QrStatus {
    /// Shown, not scanned yet.
    Pending,
    /// Scanned by the demo user, waiting for them to confirm.
    Scanned,
    /// Approved. A sign-in code carries the ticket to exchange for tokens.
    Authorized {
        /// The ticket, for sign-in codes only.
        ticket: Option<String>,
    },
    /// Rejected by the user.
    Cancelled,
    /// Not used in time, or expired on purpose.
    Expired,
}

impl QrStatus {
    /// The value of `status` on the wire (`QrCodeStatus`).
    pub(crate) fn wire_name(&self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Scanned => "SCANNED",
            Self::Authorized { .. } => "AUTHORIZED",
            Self::Cancelled => "CANCELLED",
            Self::Expired => "EXPIRED",
        }
    }

    /// Whether someone has scanned the code, so that status checks name them.
    pub(crate) fn has_scanner(&self) -> bool {
        matches!(
            self,
            Self::Scanned | Self::Authorized { .. } | Self::Cancelled
        )
    }
}

/// Something done to a QR code from a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QrAction {
    /// The code was scanned.
    Scan,
    /// The user approved the sign-in. With `needs_scan`, only a scanned code
    /// may be approved, as the API requires; without, a pending code is
    /// scanned and approved at once, as a test or demo may want.
    Approve {
        /// Whether the code must have been scanned first.
        needs_scan: bool,
    },
    /// The user rejected the sign-in; `needs_scan` as for `Approve`.
    Cancel {
        /// Whether the code must have been scanned first.
        needs_scan: bool,
    },
    /// Make the code expire now.
    Expire,
}

/// Why a code could not be read or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No such code (of the kind asked for).
    NotFound,
    /// The code's current status does not allow the change.
    NotAllowed {
        /// The status the code is in, as on the wire.
        status: &'static str,
    },
    /// No such ticket.
    UnknownTicket,
    /// The ticket has already been exchanged.
    UsedTicket,
}

/// A failure to answer instead of handling a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InjectedFailure {
    /// The HTTP status to answer with.
    pub(crate) status: u16,
    /// The `Retry-After` header of a 429, in seconds.
    pub(crate) retry_after_secs: Option<u64>,
}

#[derive(Debug)]
struct PushCode {
    id: String,
    created: Instant,
    scope: Option<String>,
    status: PushStatus,
}

#[derive(Debug)]
struct QrCode {
    id: String,
    kind: QrKind,
    created: Instant,
    scope: Option<String>,
    status: QrStatus,
}

#[derive(Debug)]
struct Ticket {
    scope: Option<String>,
    used: bool,
}

/// A change that falls due with time alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Scan,
    Approve,
    Expire,
}

/// Everything the stand-in remembers.
#[derive(Debug)]
pub(crate) struct State {
    timing: Timing,
    ids_issued: u64,
    push_codes: Vec<PushCode>,
    push_index: HashMap<String, usize>,
    qrcodes: Vec<QrCode>,
    qrcode_index: HashMap<String, usize>,
    tickets: HashMap<String, Ticket>,
    planned_failure: Option<(InjectedFailure, usize)>,
    requests: Vec<String>,
    /// Signs, remembers and checks the tokens of every flow.
    pub(crate) issuer: Issuer,
    /// The authorization codes of the OIDC/OAuth code flow.
    pub(crate) codes: Codes,
    /// The CAS service tickets.
    pub(crate) cas_tickets: Tickets,
    /// What the authorization endpoint and CAS login do.
    pub(crate) authorize: Authorize,
}

impl State {
    /// An empty state whose codes age as `timing` says, issuing tokens
    /// with `issuer`.
    pub(crate) fn new(timing: Timing, issuer: Issuer, authorize: Authorize) -> Self {
        Self {
            timing,
            ids_issued: 0,
            push_codes: Vec::new(),
            push_index: HashMap::new(),
            qrcodes: Vec::new(),
            qrcode_index: HashMap::new(),
            tickets: HashMap::new(),
            planned_failure: None,
            requests: Vec::new(),
            issuer,
            codes: Codes::default(),
            cas_tickets: Tickets::default(),
            authorize,
        }
    }

    /// Notes a request, as `METHOD /path?query`.
    pub(crate) fn record_request(&mut self, line: String) {
        self.requests.push(line);
    }

    /// The requests noted so far, oldest first.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.clone()
    }

    /// Plans `count` failures, replacing any planned before.
    pub(crate) fn plan_failures(&mut self, failure: InjectedFailure, count: usize) {
        self.planned_failure = (count > 0).then_some((failure, count));
    }

    /// The failure to answer the current request with, if one is planned.
    pub(crate) fn take_failure(&mut self) -> Option<InjectedFailure> {
        let (failure, remaining) = self.planned_failure.as_mut()?;
        let failure = *failure;
        *remaining -= 1;
        if *remaining == 0 {
            self.planned_failure = None;
        }
        Some(failure)
    }

    /// Starts a push login; returns the new push code.
    pub(crate) fn create_push_code(&mut self, scope: Option<String>, now: Instant) -> String {
        let id = self.new_id();
        self.push_index.insert(id.clone(), self.push_codes.len());
        self.push_codes.push(PushCode {
            id: id.clone(),
            created: now,
            scope,
            status: PushStatus::Pushed,
        });
        id
    }

    /// The push codes issued so far, oldest first.
    pub(crate) fn push_code_ids(&self) -> Vec<String> {
        self.push_codes.iter().map(|code| code.id.clone()).collect()
    }

    /// Where the push code stands at `now`.
    pub(crate) fn push_status(&mut self, id: &str, now: Instant) -> Result<PushStatus, Refusal> {
        let index = self.settled_push_code(id, now)?;
        Ok(self.push_codes[index].status.clone())
    }

    /// Answers a push code; only a code still waiting for an answer can be.
    pub(crate) fn change_push(
        &mut self,
        id: &str,
        action: PushAction,
        now: Instant,
    ) -> Result<(), Refusal> {
        let index = self.settled_push_code(id, now)?;
        let code = &self.push_codes[index];
        if code.status != PushStatus::Pushed {
            return Err(Refusal::NotAllowed {
                status: code.status.wire_name(),
            });
        }
        let scope = code.scope.clone();
        let status = match action {
            PushAction::Approve => PushStatus::Authorized(self.issue_tokens(scope.as_deref())),
            PushAction::Cancel => PushStatus::Cancelled,
            PushAction::Expire => PushStatus::Expired,
        };
        self.push_codes[index].status = status;
        Ok(())
    }

    /// Creates a QR code of the given kind; returns its ID.
    pub(crate) fn create_qrcode(
        &mut self,
        kind: QrKind,
        scope: Option<String>,
        now: Instant,
    ) -> String {
        let id = self.new_id();
        self.qrcode_index.insert(id.clone(), self.qrcodes.len());
        self.qrcodes.push(QrCode {
            id: id.clone(),
            kind,
            created: now,
            scope,
            status: QrStatus::Pending,
        });
        id
    }

    /// The QR codes issued so far, of both kinds, oldest first.
    pub(crate) fn qrcode_ids(&self) -> Vec<String> {
        self.qrcodes.iter().map(|code| code.id.clone()).collect()
    }

    /// Where the QR code stands at `now`. With `kind`, a code of another kind
    /// is not found, as the real service keeps the two apart.
    pub(crate) fn qrcode_status(
        &mut self,
        id: &str,
        kind: Option<QrKind>,
        now: Instant,
    ) -> Result<QrStatus, Refusal> {
        let index = self.settled_qrcode(id, kind, now)?;
        Ok(self.qrcodes[index].status.clone())
    }

    /// Moves a QR code on, if its status allows.
    pub(crate) fn change_qrcode(
        &mut self,
        id: &str,
        kind: Option<QrKind>,
        action: QrAction,
        now: Instant,
    ) -> Result<(), Refusal> {
        let index = self.settled_qrcode(id, kind, now)?;
        let status = &self.qrcodes[index].status;
        let allowed = match (action, status) {
            (_, QrStatus::Scanned) => action != QrAction::Scan,
            (
                QrAction::Approve { needs_scan } | QrAction::Cancel { needs_scan },
                QrStatus::Pending,
            ) => !needs_scan,
            (QrAction::Scan | QrAction::Expire, QrStatus::Pending) => true,
            _ => false,
        };
        if !allowed {
            return Err(Refusal::NotAllowed {
                status: status.wire_name(),
            });
        }
        match action {
            QrAction::Scan => self.qrcodes[index].status = QrStatus::Scanned,
            QrAction::Approve { .. } => self.authorize_qrcode(index),
            QrAction::Cancel { .. } => self.qrcodes[index].status = QrStatus::Cancelled,
            QrAction::Expire => self.qrcodes[index].status = QrStatus::Expired,
        }
        Ok(())
    }

    /// Signs the phone in with a fast-authentication code that is pending or
    /// scanned; returns the phone's new tokens.
    pub(crate) fn app_login(&mut self, id: &str, now: Instant) -> Result<TokenSet, Refusal> {
        let index = self.settled_qrcode(id, Some(QrKind::Fastpass), now)?;
        let code = &self.qrcodes[index];
        if !matches!(code.status, QrStatus::Pending | QrStatus::Scanned) {
            return Err(Refusal::NotAllowed {
                status: code.status.wire_name(),
            });
        }
        let scope = code.scope.clone();
        let tokens = self.issue_tokens(scope.as_deref());
        self.authorize_qrcode(index);
        Ok(tokens)
    }

    /// Exchanges a sign-in QR code's ticket for tokens, once.
    pub(crate) fn exchange_ticket(&mut self, ticket: &str) -> Result<TokenSet, Refusal> {
        let entry = self.tickets.get_mut(ticket).ok_or(Refusal::UnknownTicket)?;
        if entry.used {
            return Err(Refusal::UsedTicket);
        }
        entry.used = true;
        let scope = entry.scope.clone();
        Ok(self.issue_tokens(scope.as_deref()))
    }

    /// Finds a push code and applies what has fallen due by `now`.
    fn settled_push_code(&mut self, id: &str, now: Instant) -> Result<usize, Refusal> {
        let index = *self.push_index.get(id).ok_or(Refusal::NotFound)?;
        let code = &self.push_codes[index];
        if code.status == PushStatus::Pushed {
            let expiry = code.created.checked_add(self.timing.push_expires_in);
            let approval = self
                .timing
                .auto_approve_after
                .and_then(|after| code.created.checked_add(after));
            match first_due(now, expiry, approval.map(|at| (at, Due::Approve))) {
                Some(Due::Approve) => {
                    let scope = code.scope.clone();
                    let tokens = self.issue_tokens(scope.as_deref());
                    self.push_codes[index].status = PushStatus::Authorized(tokens);
                }
                Some(_) => self.push_codes[index].status = PushStatus::Expired,
                None => {}
            }
        }
        Ok(index)
    }

    /// Finds a QR code (of `kind`, if given) and applies what has fallen due
    /// by `now`: with auto-approval, a scan at half the delay and approval at
    /// the full delay, unless the code expired first.
    fn settled_qrcode(
        &mut self,
        id: &str,
        kind: Option<QrKind>,
        now: Instant,
    ) -> Result<usize, Refusal> {
        let index = *self.qrcode_index.get(id).ok_or(Refusal::NotFound)?;
        if kind.is_some_and(|kind| kind != self.qrcodes[index].kind) {
            return Err(Refusal::NotFound);
        }
        // Each step moves the code forward (pending, scanned, final), so
        // three rounds always reach a code with nothing left due.
        for _ in 0..3 {
            let code = &self.qrcodes[index];
            let expiry = code.created.checked_add(self.timing.qrcode_expires_in);
            let auto = self.timing.auto_approve_after.and_then(|after| {
                let (delay, due) = match code.status {
                    QrStatus::Pending => (after / 2, Due::Scan),
                    QrStatus::Scanned => (after, Due::Approve),
                    _ => return None,
                };
                code.created.checked_add(delay).map(|at| (at, due))
            });
            let waiting = matches!(code.status, QrStatus::Pending | QrStatus::Scanned);
            match first_due(now, expiry.filter(|_| waiting), auto) {
                Some(Due::Scan) => self.qrcodes[index].status = QrStatus::Scanned,
                Some(Due::Approve) => self.authorize_qrcode(index),
                Some(Due::Expire) => self.qrcodes[index].status = QrStatus::Expired,
                None => break,
            }
        }
        Ok(index)
    }

    /// Marks a QR code approved; a sign-in code gets its ticket.
    fn authorize_qrcode(&mut self, index: usize) {
        let ticket = match self.qrcodes[index].kind {
            QrKind::SignIn => {
                let ticket = self.new_id();
                let scope = self.qrcodes[index].scope.clone();
                self.tickets
                    .insert(ticket.clone(), Ticket { scope, used: false });
                Some(ticket)
            }
            QrKind::Fastpass => None,
        };
        self.qrcodes[index].status = QrStatus::Authorized { ticket };
    }

    /// A new token set for the demo user: JWTs signed like those of the
    /// code flow, so that they verify the same way, and a refresh token
    /// only with the `offline_access` scope, as the real service does. The
    /// ID token is always there, as in GenAuth's login responses.
    fn issue_tokens(&mut self, scope: Option<&str>) -> TokenSet {
        let scope = scope.unwrap_or(DEFAULT_LOGIN_SCOPE);
        let grant = self.issuer.new_grant();
        let issued = self.issuer.issue(&Request {
            grant,
            subject: Subject::User,
            scope,
            nonce: None,
            id_token: true,
            refresh_token: has_scope(scope, "offline_access"),
            lifetime: LOGIN_TOKEN_LIFETIME,
        });
        TokenSet {
            access_token: issued.access_token,
            id_token: issued.id_token.unwrap_or_default(),
            refresh_token: issued.refresh_token,
            token_type: "Bearer",
            expire_in: issued.expires_in,
        }
    }

    fn new_id(&mut self) -> String {
        self.ids_issued += 1;
        ids::object_id(self.ids_issued)
    }
}

/// Which time-driven change happens first by `now`, if any: `expiry` (none
/// means never) or the automatic step `auto`. A step due at the same moment
/// as expiry loses, since the code is valid only until that moment.
fn first_due(now: Instant, expiry: Option<Instant>, auto: Option<(Instant, Due)>) -> Option<Due> {
    let before_expiry = |at: Instant| expiry.is_none_or(|expiry| at < expiry);
    match auto {
        Some((at, due)) if at <= now && before_expiry(at) => Some(due),
        _ if expiry.is_some_and(|expiry| expiry <= now) => Some(Due::Expire),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn issuer() -> Issuer {
        Issuer::new(crate::issuer::Settings {
            issuer: "http://127.0.0.1:1/oidc".to_owned(),
            app_id: "app".to_owned(),
            app_secret: "secret".to_owned(),
            id_token_alg: crate::IdTokenAlg::Rs256,
        })
        .unwrap()
    }

    fn state(auto: Option<Duration>) -> State {
        State::new(
            Timing {
                push_expires_in: 10 * SECOND,
                qrcode_expires_in: 10 * SECOND,
                auto_approve_after: auto,
            },
            issuer(),
            Authorize::Approve,
        )
    }

    #[test]
    fn push_code_expires_after_its_lifetime_and_then_cannot_be_approved() {
        let mut state = state(None);
        let start = Instant::now();
        let id = state.create_push_code(None, start);
        let status = state.push_status(&id, start + 9 * SECOND).unwrap();
        assert_eq!(status, PushStatus::Pushed);
        let status = state.push_status(&id, start + 10 * SECOND).unwrap();
        assert_eq!(status, PushStatus::Expired);
        assert_eq!(
            state.change_push(&id, PushAction::Approve, start + 11 * SECOND),
            Err(Refusal::NotAllowed { status: "EXPIRED" })
        );
    }

    #[test]
    fn auto_approval_of_a_push_code_keeps_its_tokens() {
        let mut state = state(Some(2 * SECOND));
        let start = Instant::now();
        let id = state.create_push_code(Some("openid offline_access".into()), start);
        assert_eq!(
            state.push_status(&id, start + SECOND).unwrap(),
            PushStatus::Pushed
        );
        // Observed only after expiry: approval came first, so it stands.
        let first = state.push_status(&id, start + 20 * SECOND).unwrap();
        let PushStatus::Authorized(tokens) = &first else {
            panic!("not authorized: {first:?}")
        };
        assert!(tokens.refresh_token.is_some());
        assert_eq!(state.push_status(&id, start + 21 * SECOND).unwrap(), first);
    }

    #[test]
    fn auto_approval_later_than_expiry_never_happens() {
        let mut state = state(Some(10 * SECOND));
        let start = Instant::now();
        let id = state.create_push_code(None, start);
        let status = state.push_status(&id, start + 30 * SECOND).unwrap();
        assert_eq!(status, PushStatus::Expired);
    }

    #[test]
    fn auto_approval_of_a_qrcode_scans_at_half_time_then_approves() {
        let mut state = state(Some(4 * SECOND));
        let start = Instant::now();
        let id = state.create_qrcode(QrKind::SignIn, None, start);
        let at = |secs| start + secs * SECOND;
        assert_eq!(
            state.qrcode_status(&id, None, at(1)).unwrap(),
            QrStatus::Pending
        );
        assert_eq!(
            state.qrcode_status(&id, None, at(2)).unwrap(),
            QrStatus::Scanned
        );
        let status = state.qrcode_status(&id, None, at(4)).unwrap();
        let QrStatus::Authorized {
            ticket: Some(ticket),
        } = status
        else {
            panic!("no ticket: {status:?}")
        };
        assert!(state.exchange_ticket(&ticket).is_ok());
        assert_eq!(state.exchange_ticket(&ticket), Err(Refusal::UsedTicket));
        assert_eq!(state.exchange_ticket("nope"), Err(Refusal::UnknownTicket));
    }

    #[test]
    fn qrcode_settles_several_steps_at_once() {
        let mut state = state(Some(4 * SECOND));
        let start = Instant::now();
        let id = state.create_qrcode(QrKind::Fastpass, None, start);
        let status = state.qrcode_status(&id, None, start + 60 * SECOND).unwrap();
        assert_eq!(status, QrStatus::Authorized { ticket: None });
    }

    #[test]
    fn qrcode_actions_follow_the_api_rules() {
        let mut state = state(None);
        let now = Instant::now();
        let id = state.create_qrcode(QrKind::SignIn, None, now);
        let confirm = QrAction::Approve { needs_scan: true };
        assert_eq!(
            state.change_qrcode(&id, None, confirm, now),
            Err(Refusal::NotAllowed { status: "PENDING" })
        );
        assert_eq!(state.change_qrcode(&id, None, QrAction::Scan, now), Ok(()));
        assert!(state.change_qrcode(&id, None, QrAction::Scan, now).is_err());
        assert_eq!(state.change_qrcode(&id, None, confirm, now), Ok(()));
        assert!(
            state
                .change_qrcode(&id, None, QrAction::Expire, now)
                .is_err()
        );
        assert_eq!(
            state.qrcode_status(&id, Some(QrKind::Fastpass), now),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn durations_too_long_to_add_mean_never() {
        let mut state = State::new(
            Timing {
                push_expires_in: Duration::MAX,
                qrcode_expires_in: Duration::MAX,
                auto_approve_after: Some(Duration::MAX),
            },
            issuer(),
            Authorize::Approve,
        );
        let now = Instant::now();
        let push = state.create_push_code(None, now);
        let qr = state.create_qrcode(QrKind::SignIn, None, now);
        assert_eq!(state.push_status(&push, now).unwrap(), PushStatus::Pushed);
        assert_eq!(
            state.qrcode_status(&qr, None, now).unwrap(),
            QrStatus::Pending
        );
    }

    #[test]
    fn planned_failures_run_out() {
        let mut state = state(None);
        let failure = InjectedFailure {
            status: 503,
            retry_after_secs: None,
        };
        state.plan_failures(failure, 2);
        assert_eq!(state.take_failure(), Some(failure));
        assert_eq!(state.take_failure(), Some(failure));
        assert_eq!(state.take_failure(), None);
    }
}
