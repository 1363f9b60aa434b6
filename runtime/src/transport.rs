//! Sending a request: the URL, the attempts (with retries), the hooks, the
//! trace of each call, and every transport failure turned into a
//! [`CallError`]. What a client adds to a request (its own headers and
//! credentials) it puts on the [`Request`] before sending it.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::redirect;
use tracing::Instrument;

use crate::Authorizer;
use crate::decode::Reply;
use crate::future::{EmptyResponseFuture, Exchange, ResponseFuture, finish};
use crate::{AttemptOutcome, CallError, Hook, OutgoingRequest, Request, RetryPolicy};

/// How large a response may be unless the client says otherwise: far more
/// than any answer of an authentication API, far less than a server could
/// make a client hold.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 4 * 1024 * 1024;

/// Idle connections kept open after a burst of calls, unless the client's
/// builder says otherwise: enough for steady use by a few callers at a time,
/// while a burst of thousands does not leave thousands of sockets open.
pub const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 16;

/// Redirects followed within the API's own origin before giving up.
const MAX_REDIRECTS: usize = 3;

/// What every call of a client shares: its connection pool, base URL,
/// timeout, retry policy, hooks and size limit.
pub struct Transport {
    http: reqwest::Client,
    base_url: Url,
    timeout: Duration,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    max_response_size: u64,
}

/// Why a client's settings make no transport; each client turns this into
/// its own configuration error.
#[derive(Debug)]
pub enum TransportProblem {
    /// The base URL is `http://` and plain HTTP was not allowed.
    PlainHttp,
    /// The base URL is not usable, for the reason given.
    InvalidBaseUrl(String),
    /// The HTTP client could not be set up.
    Http(reqwest::Error),
}

/// What a client's builder decides about its transport.
pub struct TransportSettings<'a> {
    /// The API's address: absolute, `https://` unless plain HTTP is allowed.
    pub base_url: &'a str,
    /// Whether an `http://` base URL is accepted.
    pub allow_plain_http: bool,
    /// How long a call may take, from sending to reading the whole answer.
    pub timeout: Duration,
    /// How calls are retried.
    pub retry: RetryPolicy,
    /// What sees every attempt.
    pub hooks: Vec<Arc<dyn Hook>>,
    /// The `user-agent` header.
    pub user_agent: &'static str,
    /// The largest answer read, in bytes.
    pub max_response_size: u64,
    /// Idle connections kept open for the next calls.
    pub max_idle_connections: usize,
}

impl Transport {
    /// A transport for an absolute `https://` base URL (`http://` only when
    /// allowed) with a host name and no query, fragment or credentials.
    pub fn new(settings: TransportSettings<'_>) -> Result<Self, TransportProblem> {
        let invalid = |reason: &str| TransportProblem::InvalidBaseUrl(reason.to_owned());
        let base_url = Url::parse(settings.base_url.trim()).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => {
                invalid("it must be an absolute URL, such as https://example.com")
            }
            other => invalid(&other.to_string()),
        })?;
        match base_url.scheme() {
            "https" => {}
            "http" if settings.allow_plain_http => {}
            "http" => return Err(TransportProblem::PlainHttp),
            other => return Err(invalid(&format!("the scheme must be https, not {other}"))),
        }
        if base_url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("it has no host name"));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(invalid("it must not carry credentials"));
        }
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .user_agent(settings.user_agent)
            .https_only(!settings.allow_plain_http)
            .redirect(redirect::Policy::custom(same_origin_only))
            .referer(false)
            .pool_max_idle_per_host(settings.max_idle_connections)
            .build()
            .map_err(TransportProblem::Http)?;
        Ok(Self {
            http,
            base_url,
            timeout: settings.timeout,
            retry: settings.retry,
            hooks: settings.hooks,
            max_response_size: settings.max_response_size,
        })
    }
}

/// A base URL as messages and `Debug` output may show it: any user name and
/// password in it replaced, as it is refused anyway.
pub fn shown_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if scheme.is_empty() => format!("<redacted>@{}", &rest[at + 1..]),
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Follows a redirect only within the origin (scheme, host and port) the
/// call was made to: anything else would send the request, with its
/// password or token, to a server the client was not configured for, or
/// send it in the clear.
fn same_origin_only(attempt: redirect::Attempt<'_>) -> redirect::Action {
    let Some(first) = attempt.previous().first() else {
        return attempt.stop();
    };
    let next = attempt.url();
    if next.origin() != first.origin() {
        let refused = RedirectRefused {
            status: attempt.status().as_u16(),
            target: next.origin().ascii_serialization(),
        };
        return attempt.error(refused);
    }
    if attempt.previous().len() > MAX_REDIRECTS {
        let refused = RedirectRefused {
            status: attempt.status().as_u16(),
            target: format!(
                "{} again, after {MAX_REDIRECTS} redirects",
                first.origin().ascii_serialization()
            ),
        };
        return attempt.error(refused);
    }
    attempt.follow()
}

/// A redirect the client would not follow; found again in the error chain.
#[derive(Debug)]
struct RedirectRefused {
    status: u16,
    target: String,
}

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "redirect (HTTP {}) to {} refused",
            self.status, self.target
        )
    }
}

impl std::error::Error for RedirectRefused {}

impl Transport {
    /// The API's address.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The timeout of a call, unless the call sets its own.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The retry policy of a call, unless the call sets its own.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// How many hooks see every attempt.
    pub fn hook_count(&self) -> usize {
        self.hooks.len()
    }

    /// Sends `request`; awaiting the result reads its body as a `T` in the
    /// format `F` (JSON unless told otherwise), and a failure becomes the
    /// client's error type `E`.
    pub fn send<T, E, F>(&self, request: Request) -> ResponseFuture<'_, T, E, F> {
        let span = call_span(&request);
        ResponseFuture::new(self.exchange(request, span.clone()), span)
    }

    /// Sends `request` for an operation whose response has no body.
    pub fn send_empty<E>(&self, request: Request) -> EmptyResponseFuture<'_, E> {
        let span = call_span(&request);
        EmptyResponseFuture::new(self.exchange(request, span.clone()), span)
    }

    /// Sends `request` and returns the body of a successful response as text.
    pub async fn send_text(&self, request: Request) -> Result<String, CallError> {
        let span = call_span(&request);
        let reply = self.exchange(request, span.clone()).await;
        let _in_span = span.enter();
        finish(reply.and_then(Reply::text))
    }

    /// The exchange of a call up to a checked reply, in its span: the same
    /// for every operation, and so compiled once.
    fn exchange(&self, mut request: Request, span: tracing::Span) -> Exchange<'_> {
        Box::pin(
            async move {
                encodable(&mut request)?;
                self.attempts(&request).await.and_then(Reply::checked)
            }
            .instrument(span),
        )
    }

    /// Sends `request` with the credentials `authorizer` provides; when the
    /// server refuses them (HTTP 401, or `statusCode` 401 in the envelope)
    /// the authorizer hears of it and the call is made once more with fresh
    /// ones. Awaiting the result decodes its JSON as a `T`.
    pub fn send_authorized<'a, T, E, F>(
        &'a self,
        request: Request,
        authorizer: &'a dyn Authorizer,
    ) -> ResponseFuture<'a, T, E, F> {
        let span = call_span(&request);
        ResponseFuture::new(self.authorized(request, authorizer, span.clone()), span)
    }

    /// [`send_authorized`](Self::send_authorized) for an operation whose
    /// response has no body.
    pub fn send_authorized_empty<'a, E>(
        &'a self,
        request: Request,
        authorizer: &'a dyn Authorizer,
    ) -> EmptyResponseFuture<'a, E> {
        let span = call_span(&request);
        EmptyResponseFuture::new(self.authorized(request, authorizer, span.clone()), span)
    }

    /// The exchange of an authorized call: credentials, the call, and one
    /// more try with fresh credentials if the server refuses them. A refused
    /// call was not carried out, so trying again is safe for any operation.
    fn authorized<'a>(
        &'a self,
        mut request: Request,
        authorizer: &'a dyn Authorizer,
        span: tracing::Span,
    ) -> Exchange<'a> {
        Box::pin(
            async move {
                encodable(&mut request)?;
                let conceal = |error: CallError| error.conceal(&|text| authorizer.conceal(text));
                let grant = authorizer.authorize(&mut request).await?;
                let first = self.attempts(&request).await;
                match first.and_then(Reply::checked).map_err(conceal) {
                    Err(error) if error.is_unauthorized() => {
                        tracing::debug!("credentials refused; renewing them and trying once more");
                        authorizer.refused(grant);
                        authorizer.authorize(&mut request).await?;
                        self.attempts(&request)
                            .await
                            .and_then(Reply::checked)
                            .map_err(conceal)
                    }
                    outcome => outcome,
                }
            }
            .instrument(span),
        )
    }

    /// The attempts of a call whose inputs are encoded, made in the call's
    /// span, which records how many there were and the last status.
    async fn attempts(&self, request: &Request) -> Result<Reply, CallError> {
        let operation = request.operation;
        let policy = request.options.retry.as_ref().unwrap_or(&self.retry);
        let url = self.address(request)?;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(request, url.clone(), attempt).await?;
            let (status, body): (Option<u16>, &[u8]) = match &outcome {
                Ok(reply) => (Some(reply.status.as_u16()), &reply.body),
                Err(_) => (None, &[]),
            };
            let result = AttemptOutcome {
                operation: operation.name,
                attempt,
                elapsed: started.elapsed(),
                status,
                body,
            };
            for hook in &self.hooks {
                hook.on_response(&result);
            }
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            if let Some(status) = status {
                span.record("status", status);
            }
            let retry = match &outcome {
                Ok(reply) if reply.is_retryable() => {
                    Some((reply.retry_after, reply.status.to_string()))
                }
                Err(e) if e.is_connect() => Some((None, "connection failed".to_owned())),
                _ => None,
            };
            match retry {
                Some((retry_after, reason))
                    if policy.allows(operation.idempotent) && attempt < policy.attempts() =>
                {
                    let delay = policy.delay(attempt, retry_after);
                    tracing::warn!(attempt, delay_ms = delay.as_millis() as u64, %reason, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                _ => {
                    let timeout = request.options.timeout.unwrap_or(self.timeout);
                    return outcome.map_err(|e| transport_error(operation.name, timeout, e));
                }
            }
        }
    }

    /// Where `request` is sent: the base URL with the operation's path and
    /// the encoded query.
    fn address(&self, request: &Request) -> Result<Url, CallError> {
        let mut url = self.base_url.clone();
        let prefix = self.base_url.path().trim_end_matches('/');
        let path = if prefix.is_empty() {
            std::borrow::Cow::Borrowed(request.path.as_str())
        } else {
            std::borrow::Cow::Owned(format!("{prefix}{}", request.path))
        };
        url.set_path(&path);
        if url.path() != path {
            // The URL parser resolved a dot segment: the call would reach
            // another endpoint than the one the operation names.
            return Err(CallError::Encode {
                operation: request.operation.name,
                input: "the path".to_owned(),
                source: serde::ser::Error::custom(
                    "a parameter would change which endpoint is called",
                ),
            });
        }
        if !request.query.is_empty() {
            // Already encoded: `set_query` keeps it as it is.
            url.set_query(Some(&request.query));
        }
        Ok(url)
    }

    /// One attempt. The outer error is final (nothing was sent); the inner
    /// one is the transport's, which may be worth retrying. What is sent is
    /// made before the future, so that the future holds only what it waits
    /// for: every call's future is allocated, and moved, whole.
    fn attempt<'a>(
        &'a self,
        request: &'a Request,
        url: Url,
        attempt: u32,
    ) -> impl Future<Output = Result<Result<Reply, reqwest::Error>, CallError>> + Send + 'a {
        let sent = self.http.execute(self.outgoing(request, url, attempt));
        async move {
            let mut response = match sent.await {
                Ok(response) => response,
                Err(e) => return Ok(Err(e)),
            };
            let operation = request.operation;
            let status = response.status();
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v: &HeaderValue| v.to_str().ok())
                    .map(str::to_owned)
            };
            let retry_after = header(RETRY_AFTER).and_then(|v| retry_after(&v, SystemTime::now()));
            let content_type = header(CONTENT_TYPE);
            let expected = request.expected;
            if request.streamed && status.is_success() && expected.fits(content_type.as_deref()) {
                let mut reply =
                    Reply::new(operation, status, retry_after, content_type, Bytes::new());
                reply.expected = expected;
                let timeout = request.options.timeout.unwrap_or(self.timeout);
                reply.unread = Some(Box::new((response, timeout)));
                return Ok(Ok(reply));
            }
            let limit = self.max_response_size;
            let too_large = || CallError::ResponseTooLarge {
                operation: operation.name,
                limit,
            };
            if response
                .content_length()
                .is_some_and(|length| length > limit)
            {
                return Err(too_large());
            }
            let body = match read_body(&mut response, limit).await {
                Ok(body) => body,
                Err(Unread::TooLarge) => return Err(too_large()),
                Err(Unread::Failed(e)) => return Ok(Err(e)),
            };
            let mut reply = Reply::new(operation, status, retry_after, content_type, body);
            reply.expected = expected;
            Ok(Ok(reply))
        }
    }

    /// What one attempt of `request` sends: its body, its headers
    /// (credentials among them) and those the hooks add.
    fn outgoing(&self, request: &Request, url: Url, attempt: u32) -> reqwest::Request {
        let operation = request.operation;
        let mut built = reqwest::Request::new(operation.method.clone(), url);
        // The client's own timeout applies unless the call sets one; setting
        // it on every request would cost an allocation per call.
        if let Some(timeout) = request.options.timeout {
            *built.timeout_mut() = Some(timeout);
        }
        let documented = request.expected.media_types();
        let accept = (!documented.is_empty())
            .then(|| HeaderValue::try_from(documented.join(", ")).ok())
            .flatten();
        let content_type = request.body.as_ref().map(|(body, content_type)| {
            *built.body_mut() = Some(body.clone().into());
            content_type.clone()
        });
        // Room for every header the request will carry, made once: its own;
        // with a body, `content-type` and the `content-length` hyper adds;
        // `accept` (its own or the HTTP client's); `user-agent` and `host`.
        // A map that grows on the way out is allocated and rehashed again.
        let with_body = usize::from(content_type.is_some());
        let headers = built.headers_mut();
        headers.reserve(request.headers.len() + 2 * with_body + 3);
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, content_type);
        }
        if let Some(accept) = accept {
            headers.insert(ACCEPT, accept);
        }
        // Already marked sensitive, credentials are never shown or logged by
        // the HTTP stack.
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        if self.hooks.is_empty() {
            return built;
        }
        let mut outgoing = OutgoingRequest {
            operation: operation.name,
            method: operation.method.as_str(),
            path: &request.path,
            attempt,
            headers: Vec::new(),
        };
        for hook in &self.hooks {
            hook.on_request(&mut outgoing);
        }
        for (name, value) in outgoing.headers {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                (Ok(name), Ok(value)) if !built.headers().contains_key(&name) => {
                    built.headers_mut().insert(name, value);
                }
                _ => {
                    tracing::warn!(header = %name, "a hook's header was left out: it is invalid or set by the client")
                }
            }
        }
        built
    }
}

/// Why a body was not read whole.
enum Unread {
    TooLarge,
    Failed(reqwest::Error),
}

/// The whole body of `response`, up to `limit` bytes. A body that comes in
/// one piece, as most answers do, is kept as it came; one in several pieces
/// is gathered into one buffer, as large as the announced length.
async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, Unread> {
    let announced = response.content_length().unwrap_or(0).min(limit);
    let mut first = Bytes::new();
    let mut gathered = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Unread::Failed)? {
        let read = first.len() + gathered.len();
        if (read + chunk.len()) as u64 > limit {
            return Err(Unread::TooLarge);
        }
        if read == 0 {
            first = chunk;
            continue;
        }
        if gathered.is_empty() {
            gathered.reserve((announced as usize).max(read + chunk.len()));
            gathered.extend_from_slice(&std::mem::take(&mut first));
        }
        gathered.extend_from_slice(&chunk);
    }
    Ok(if gathered.is_empty() {
        first
    } else {
        Bytes::from(gathered)
    })
}

/// A `Retry-After` value: seconds (a number too large to hold is a very long
/// wait, for the policy to cap) or an HTTP date.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The input that could not be encoded, as the call's error: nothing is sent.
fn encodable(request: &mut Request) -> Result<(), CallError> {
    request.encode_parts();
    match request.problem.take() {
        Some((input, source)) => Err(CallError::Encode {
            operation: request.operation.name,
            input,
            source,
        }),
        None => Ok(()),
    }
}

/// The span every call runs in: what was called and how it ended, never a
/// credential or a parameter value.
fn call_span(request: &Request) -> tracing::Span {
    let operation = request.operation;
    tracing::info_span!(
        "api_call",
        operation = operation.name,
        method = operation.method.as_str(),
        path = operation.path,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        api_code = tracing::field::Empty,
        request_id = tracing::field::Empty,
    )
}

pub(crate) fn transport_error(
    operation: &'static str,
    timeout: Duration,
    source: reqwest::Error,
) -> CallError {
    if let Some(refused) = refused_redirect(&source) {
        return CallError::Redirect {
            operation,
            status: refused.status,
            target: refused.target.clone(),
        };
    }
    if source.is_timeout() {
        CallError::Timeout {
            operation,
            after: timeout,
        }
    } else {
        // The URL may carry query values; the operation name says enough.
        CallError::Network {
            operation,
            source: source.without_url(),
        }
    }
}

fn refused_redirect(error: &reqwest::Error) -> Option<&RedirectRefused> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(error) = cause {
        if let Some(refused) = error.downcast_ref::<RedirectRefused>() {
            return Some(refused);
        }
        cause = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_urls_hide_credentials() {
        assert_eq!(
            shown_url("https://ada:pa55@example.com/x?y=@"),
            "https://<redacted>@example.com/x?y=@"
        );
        assert_eq!(shown_url("ada:pa55@example.com"), "<redacted>@example.com");
        assert_eq!(
            shown_url("https://example.com/@x"),
            "https://example.com/@x"
        );
    }

    #[test]
    fn retry_after_is_seconds_or_a_date_and_never_overflows() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("99999999999999999999999", now),
            Some(Duration::MAX)
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }
}
