//! Sending a request: the URL, the attempts (with retries), the hooks, the
//! trace of each call, and every transport failure turned into an [`Error`].
//! What a client adds to every request (its own headers and credentials)
//! comes from its `prepare` method.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::decode::Reply;
use super::{AttemptOutcome, Client, Hook, OutgoingRequest, Request, ResponseFuture, RetryPolicy};
use crate::Error;

/// What every call of a client shares.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

/// Why a client's settings make no transport; each client turns this into
/// its own configuration error.
#[derive(Debug)]
pub(crate) enum TransportProblem {
    /// The base URL is `http://` and plain HTTP was not allowed.
    PlainHttp,
    /// The base URL is not usable, for the reason given.
    InvalidBaseUrl(String),
    /// The HTTP client could not be set up.
    Http(reqwest::Error),
}

/// What a client's builder decides about its transport.
pub(crate) struct TransportSettings<'a> {
    pub(crate) base_url: &'a str,
    pub(crate) allow_plain_http: bool,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) user_agent: &'static str,
}

impl Transport {
    /// A transport for an absolute `https://` base URL (`http://` only when
    /// allowed) with a host name and no query, fragment or credentials.
    pub(crate) fn new(settings: TransportSettings<'_>) -> Result<Self, TransportProblem> {
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
            .build()
            .map_err(TransportProblem::Http)?;
        Ok(Self {
            http,
            base_url,
            timeout: settings.timeout,
            retry: settings.retry,
            hooks: settings.hooks,
        })
    }
}

impl Client {
    /// Sends `request` and decodes the JSON result.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn send<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> ResponseFuture<'_, T> {
        let span = call_span(&request);
        Box::pin(
            async move { finish(self.execute(request).await.and_then(Reply::json)) }
                .instrument(span),
        )
    }

    /// Sends `request` for an operation whose response has no body.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn send_empty(&self, request: Request) -> ResponseFuture<'_, ()> {
        let span = call_span(&request);
        Box::pin(
            async move { finish(self.execute(request).await.and_then(Reply::empty)) }
                .instrument(span),
        )
    }

    /// The exchange itself, the same for every operation (and so compiled
    /// once): attempts, retried as the call's policy allows.
    async fn execute(&self, request: Request) -> Result<Reply, Error> {
        let operation = request.operation;
        if let Some((input, source)) = request.problem {
            return Err(Error::Encode {
                operation: operation.name,
                input,
                source,
            });
        }
        let transport = self.transport();
        let policy = request.options.retry.as_ref().unwrap_or(&transport.retry);
        let timeout = request.options.timeout.unwrap_or(transport.timeout);
        let mut url = transport.base_url.clone();
        url.set_path(&format!(
            "{}{}",
            transport.base_url.path().trim_end_matches('/'),
            request.path
        ));
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }

        let span = tracing::Span::current();
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let outcome = self
                .attempt(&request, url.clone(), timeout, attempt)
                .await?;
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
            for hook in &transport.hooks {
                hook.on_response(&result);
            }
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
            let delay = retry
                .as_ref()
                .and_then(|(retry_after, _)| policy.delay(attempt, *retry_after));
            match (retry, delay) {
                (Some((_, reason)), Some(delay))
                    if policy.allows(operation.idempotent) && attempt < policy.attempts() =>
                {
                    tracing::warn!(attempt, delay_ms = delay.as_millis() as u64, %reason, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                _ => return outcome.map_err(|e| transport_error(operation.name, timeout, e)),
            }
        }
    }

    /// One attempt. The outer error is final (nothing was sent); the inner
    /// one is the transport's, which may be worth retrying.
    async fn attempt(
        &self,
        request: &Request,
        url: Url,
        timeout: Duration,
        attempt: u32,
    ) -> Result<Result<Reply, reqwest::Error>, Error> {
        let operation = request.operation;
        let transport = self.transport();
        let mut http = transport
            .http
            .request(operation.method.clone(), url)
            .timeout(timeout);
        http = self.prepare(operation, http)?;
        for (name, value) in &request.headers {
            http = http.header(*name, value.as_str());
        }
        if let Some((body, content_type)) = &request.body {
            http = http.header(CONTENT_TYPE, *content_type).body(body.clone());
        }
        let mut built = match http.build() {
            Ok(built) => built,
            Err(e) => return Ok(Err(e)),
        };
        if !transport.hooks.is_empty() {
            let mut outgoing = OutgoingRequest {
                operation: operation.name,
                method: operation.method.as_str(),
                path: &request.path,
                attempt,
                headers: Vec::new(),
            };
            for hook in &transport.hooks {
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
        }
        let response = match transport.http.execute(built).await {
            Ok(response) => response,
            Err(e) => return Ok(Err(e)),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Ok(response
            .bytes()
            .await
            .map(|body| Reply::new(operation, status, retry_after, body.to_vec())))
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

/// Notes a failed call in the trace; error messages never hold credentials.
fn finish<T>(result: Result<T, Error>) -> Result<T, Error> {
    if let Err(e) = &result {
        tracing::debug!(error = %e, "call failed");
    }
    result
}

fn transport_error(operation: &'static str, timeout: Duration, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        Error::Timeout {
            operation,
            after: timeout,
        }
    } else {
        // The URL may carry query values; the operation name says enough.
        Error::Network {
            operation,
            source: source.without_url(),
        }
    }
}
