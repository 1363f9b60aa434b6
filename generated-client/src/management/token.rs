//! The management token: fetched with the access key on first use, kept,
//! renewed before it expires (by one call while the others wait for it),
//! and dropped when the server refuses it.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use serde::Deserialize;

use genauth_runtime::{
    AuthorizeFuture, Authorizer, CallError, CallOptions, Envelope, Grant, Json, Method, Operation,
    Request, Secret,
};

use super::Inner;

/// How the client authenticates its calls.
pub(super) enum Credential {
    /// An access key, exchanged for management tokens as needed.
    AccessKey { id: String, secret: Secret },
    /// A management token given to the client, used as it is.
    Fixed(Secret),
}

/// The call that exchanges an access key for a management token.
static GET_MANAGEMENT_TOKEN: Operation = Operation {
    name: "get_management_token",
    method: Method::POST,
    path: "/api/v3/get-management-token",
    idempotent: true,
    envelope: Envelope::Always,
};

/// The shortest time before expiry a token is renewed.
const MIN_MARGIN: Duration = Duration::from_secs(60);

/// The management token and the headers every call carries.
pub(super) struct TokenSource {
    credential: Credential,
    /// SDK version, user pool (when set), tenant and language.
    identity: Vec<(HeaderName, HeaderValue)>,
    /// Where to put the user pool the token names, when none was set.
    userpool_header: Option<HeaderName>,
    held: RwLock<Option<Held>>,
    /// Held while a token is fetched: one fetch at a time.
    fetching: tokio::sync::Mutex<()>,
    grants: AtomicU64,
}

/// A token in hand.
struct Held {
    authorization: HeaderValue,
    userpool_id: Option<HeaderValue>,
    /// When to fetch the next one.
    renew_at: Instant,
    /// When this one stops working.
    expires_at: Option<Instant>,
    grant: u64,
}

/// The part of the token endpoint's answer the client reads.
#[derive(Deserialize)]
struct TokenEnvelope {
    data: TokenData,
}

#[derive(Deserialize)]
struct TokenData {
    access_token: String,
    #[serde(deserialize_with = "genauth_runtime::fields::number")]
    expires_in: i64,
}

impl TokenSource {
    pub(super) fn new(
        credential: Credential,
        identity: Vec<(HeaderName, HeaderValue)>,
        userpool_header: Option<HeaderName>,
    ) -> Self {
        Self {
            credential,
            identity,
            userpool_header,
            held: RwLock::new(None),
            fetching: tokio::sync::Mutex::new(()),
            grants: AtomicU64::new(0),
        }
    }

    /// `request` with the headers every call carries, and no token.
    pub(super) fn identified(&self, mut request: Request) -> Request {
        self.identify(&mut request);
        request
    }

    /// Sets the headers every call carries; setting them again (when a
    /// refused call is repeated) changes nothing.
    fn identify(&self, request: &mut Request) {
        for (name, value) in &self.identity {
            request.set_header(name.clone(), value.clone());
        }
    }

    /// The token to send, fetched first if there is none or it is due for
    /// renewal.
    async fn current(&self, inner: &Inner, operation: &'static str) -> Result<Current, CallError> {
        let now = Instant::now();
        if let Some(current) = self.held(|held| now < held.renew_at) {
            return Ok(current);
        }
        let _fetching = self.fetching.lock().await;
        // Another call may have renewed it while this one waited.
        let now = Instant::now();
        if let Some(current) = self.held(|held| now < held.renew_at) {
            return Ok(current);
        }
        match self.fetch(inner).await {
            Ok(held) => {
                let current = Current::of(&held);
                *self.held.write().unwrap_or_else(PoisonError::into_inner) = Some(held);
                Ok(current)
            }
            Err(error) => {
                // A token that still works is better than none: the next
                // call tries to renew it again.
                let still_valid = |held: &Held| held.expires_at.is_none_or(|at| now < at);
                match self.held(still_valid) {
                    Some(current) => {
                        tracing::warn!(error = %error, "could not renew the management token; using the current one");
                        Ok(current)
                    }
                    None => Err(CallError::Credentials {
                        operation,
                        source: Box::new(error),
                    }),
                }
            }
        }
    }

    /// The token held, if `usable` says it may be used.
    fn held(&self, usable: impl Fn(&Held) -> bool) -> Option<Current> {
        let held = self.held.read().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().filter(|held| usable(held)).map(Current::of)
    }

    /// A new token: the fixed one, or one fetched with the access key.
    async fn fetch(&self, inner: &Inner) -> Result<Held, CallError> {
        let grant = self.grants.fetch_add(1, Ordering::Relaxed) + 1;
        let (token, lifetime) = match &self.credential {
            Credential::Fixed(token) => (token.clone(), None),
            Credential::AccessKey { id, secret } => {
                let request = self
                    .identified(Request::new(&GET_MANAGEMENT_TOKEN, CallOptions::default()))
                    .json(&serde_json::json!({
                        "accessKeyId": id,
                        "accessKeySecret": secret.expose(),
                    }));
                let answer: TokenEnvelope =
                    inner.transport.send::<_, CallError, Json>(request).await?;
                let lifetime = Duration::from_secs(answer.data.expires_in.max(0).unsigned_abs());
                (Secret::new(answer.data.access_token), Some(lifetime))
            }
        };
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.expose()))
            .map_err(|_| CallError::Credentials {
                operation: GET_MANAGEMENT_TOKEN.name,
                source: Box::new(CallError::Encode {
                    operation: GET_MANAGEMENT_TOKEN.name,
                    input: "the management token".to_owned(),
                    source: serde::ser::Error::custom("it cannot be sent in an HTTP header"),
                }),
            })?;
        authorization.set_sensitive(true);
        let userpool_id = self
            .userpool_header
            .as_ref()
            .and_then(|_| scoped_userpool(token.expose()))
            .and_then(|id| HeaderValue::try_from(id).ok());
        let now = Instant::now();
        // Renewed a margin ahead of expiry: a tenth of its lifetime, at
        // least a minute, at most half of it.
        let (renew_at, expires_at) = match lifetime {
            Some(lifetime) => {
                let margin = (lifetime / 10).max(MIN_MARGIN).min(lifetime / 2);
                (now + (lifetime - margin), Some(now + lifetime))
            }
            None => (now + Duration::from_secs(u64::from(u32::MAX)), None),
        };
        tracing::debug!(
            lifetime_s = lifetime.map(|l| l.as_secs()),
            "management token obtained"
        );
        Ok(Held {
            authorization,
            userpool_id,
            renew_at,
            expires_at,
            grant,
        })
    }
}

/// What goes on one call.
struct Current {
    authorization: HeaderValue,
    userpool_id: Option<HeaderValue>,
    grant: u64,
}

impl Current {
    fn of(held: &Held) -> Self {
        Self {
            authorization: held.authorization.clone(),
            userpool_id: held.userpool_id.clone(),
            grant: held.grant,
        }
    }
}

impl Authorizer for Inner {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthorizeFuture<'a> {
        Box::pin(async move {
            let source = &self.token;
            let current = source.current(self, request.operation().name).await?;
            source.identify(request);
            if let (Some(header), Some(id)) = (&source.userpool_header, current.userpool_id) {
                request.set_header(header.clone(), id);
            }
            request.set_credential_value(AUTHORIZATION, current.authorization);
            Ok(Grant(current.grant))
        })
    }

    fn conceal(&self, text: &str) -> String {
        let source = &self.token;
        let mut text = text.to_owned();
        let held = source.held.read().unwrap_or_else(PoisonError::into_inner);
        let token = held
            .as_ref()
            .and_then(|held| held.authorization.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        let secret = match &source.credential {
            Credential::AccessKey { secret, .. } => secret.expose(),
            Credential::Fixed(token) => token.expose(),
        };
        for known in [token, Some(secret)].into_iter().flatten() {
            if known.len() >= 4 {
                text = text.replace(known, "[redacted]");
            }
        }
        text
    }

    fn refused(&self, grant: Grant) {
        let mut held = self
            .token
            .held
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if held.as_ref().is_some_and(|held| held.grant == grant.0) {
            tracing::debug!("the server refused the management token; dropping it");
            *held = None;
        }
    }
}

/// The user pool a management token names, read from its (unverified)
/// claims: only to address calls, never to trust anything.
fn scoped_userpool(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Claims {
        scoped_userpool_id: Option<String>,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice::<Claims>(&bytes)
        .ok()?
        .scoped_userpool_id
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = self.held.read().unwrap_or_else(PoisonError::into_inner);
        let (kind, key_id) = match &self.credential {
            Credential::AccessKey { id, .. } => ("access key", Some(id.as_str())),
            Credential::Fixed(_) => ("management token", None),
        };
        f.debug_struct("ManagementToken")
            .field("credential", &kind)
            .field("access_key_id", &key_id)
            .field("held", &held.is_some())
            .finish_non_exhaustive()
    }
}
