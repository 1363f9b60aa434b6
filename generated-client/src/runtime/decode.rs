//! Reading a response: the envelope's verdict first, then the result.

use std::time::Duration;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::Operation;
use crate::Error;
use crate::error::{ApiError, DecodeError};

/// How much of an unexpected body an error shows.
const EXCERPT_CHARS: usize = 200;

/// Key fragments that mark a value as a credential, hidden from error messages.
const SECRET_KEYS: &[&str] = &[
    "token",
    "secret",
    "password",
    "ticket",
    "authorization",
    "credential",
];

/// A response as it came off the wire.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) operation: &'static Operation,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
    /// The envelope's verdict, read once, if the body is an envelope.
    verdict: Option<Verdict>,
}

/// The part of the envelope that says whether the call succeeded. Each field
/// is read leniently: a malformed envelope must not hide the failure it reports.
#[derive(Debug, Deserialize)]
struct Verdict {
    #[serde(rename = "statusCode")]
    status_code: Option<Value>,
    #[serde(rename = "apiCode")]
    api_code: Option<Value>,
    message: Option<Value>,
    #[serde(rename = "requestId")]
    request_id: Option<Value>,
    #[serde(rename = "data")]
    _data: Option<IgnoredAny>,
}

/// The envelope's `data`, read only when a call has failed.
#[derive(Deserialize)]
struct FailureData {
    data: Option<Value>,
}

impl Reply {
    /// A response as received; its envelope is read once, here.
    pub(crate) fn new(
        operation: &'static Operation,
        status: reqwest::StatusCode,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    ) -> Self {
        let verdict = serde_json::from_slice(&body).ok();
        Self {
            operation,
            status,
            retry_after,
            body,
            verdict,
        }
    }

    /// The result of an operation that returns JSON.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.check()?;
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(Some(e)))
    }

    /// The result of an operation that returns no body.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn empty(self) -> Result<(), Error> {
        self.check()
    }

    /// Whether the server asked to be tried again later: a rate limit (HTTP
    /// 429 or `statusCode` 429) or a gateway failure (502, 503, 504).
    pub(crate) fn is_retryable(&self) -> bool {
        use reqwest::StatusCode;
        let gateway = matches!(
            self.status,
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        );
        gateway || self.status_code() == Some(429)
    }

    /// The envelope's `statusCode`, if the body is an envelope.
    fn status_code(&self) -> Option<i64> {
        number(&self.verdict.as_ref()?.status_code)
    }

    /// Turns a rate limit, a failure envelope or an unexpected HTTP status into an error.
    fn check(&self) -> Result<(), Error> {
        let operation = self.operation.name;
        let verdict = self.verdict.as_ref();
        let text = |value: &Option<Value>| match value {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let status_code = verdict.and_then(|v| number(&v.status_code));
        if let Some(verdict) = verdict {
            let span = tracing::Span::current();
            if let Some(code) = number(&verdict.api_code) {
                span.record("api_code", code);
            }
            if let Some(id) = text(&verdict.request_id) {
                span.record("request_id", id.as_str());
            }
        }
        if self.status == reqwest::StatusCode::TOO_MANY_REQUESTS || status_code == Some(429) {
            return Err(Error::RateLimited {
                operation,
                retry_after: self.retry_after,
                message: verdict.and_then(|v| text(&v.message)),
            });
        }
        match (status_code, verdict) {
            (Some(200), _) if self.status.is_success() => Ok(()),
            (Some(status_code), Some(verdict)) if status_code != 200 => {
                Err(Error::Api(Box::new(ApiError {
                    operation,
                    http_status: self.status.as_u16(),
                    status_code,
                    api_code: number(&verdict.api_code),
                    message: text(&verdict.message).unwrap_or_default(),
                    request_id: text(&verdict.request_id),
                    data: serde_json::from_slice::<FailureData>(&self.body)
                        .ok()
                        .and_then(|f| f.data)
                        .filter(|d| !d.is_null()),
                })))
            }
            _ if self.status.is_success() => Ok(()),
            _ => Err(self.decode_error(None)),
        }
    }

    fn decode_error(&self, source: Option<serde_json::Error>) -> Error {
        Error::Decode(DecodeError {
            operation: self.operation.name,
            http_status: self.status.as_u16(),
            body_start: excerpt(&self.body),
            source,
        })
    }
}

/// A number in an envelope field, however the server wrote it.
fn number(value: &Option<Value>) -> Option<i64> {
    match value {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The start of a body for an error message, with credentials hidden.
fn excerpt(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact(&mut value);
            value.to_string()
        }
        Err(_) => redact_text(&String::from_utf8_lossy(body)),
    };
    let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        excerpt.push('…');
    }
    excerpt
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|fragment| key.contains(fragment))
}

/// Replaces the values of credential-looking keys, at any depth, with `<redacted>`.
pub(crate) fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if is_secret_key(key) && !item.is_null() {
                    *item = Value::String("<redacted>".to_owned());
                } else {
                    redact(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Hides the value after each secret-looking `"key":` in text that is not
/// valid JSON (for instance, cut off).
fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let Some(len) = rest[start + 1..].find('"') else {
            break;
        };
        let key = &rest[start + 1..start + 1 + len];
        let after_key = &rest[start + 2 + len..];
        out.push_str(&rest[..start + 2 + len]);
        rest = after_key;
        let value_start = after_key.trim_start();
        if is_secret_key(key) && value_start.starts_with(':') {
            out.push_str(":\"<redacted>\"");
            let value = value_start[1..].trim_start();
            // Skip the value: a quoted string (possibly cut off) or a bare word.
            rest = if let Some(quoted) = value.strip_prefix('"') {
                quoted.find('"').map_or("", |end| &quoted[end + 1..])
            } else {
                value.find([',', '}', ']']).map_or("", |end| &value[end..])
            };
        }
    }
    out.push_str(rest);
    out
}

/// Reads a value that the spec says is always present, falling back to the
/// type's default when the server sends `null` (and, with `#[serde(default)]`,
/// when it leaves the field out).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_credentials_in_json_excerpts() {
        let body = br#"{"statusCode":"x","data":{"access_token":"eyJsecret","id_token":"eyJid","tokenSet":{"refresh_token":"r"},"name":"ada"}}"#;
        let text = excerpt(body);
        assert!(!text.contains("eyJ") && !text.contains("\"r\""), "{text}");
        assert!(text.contains("ada"), "{text}");
    }

    #[test]
    fn hides_credentials_in_broken_json() {
        let text = excerpt(
            br#"{"data":{"access_token": "eyJsecret", "expire_in": 7200, "client_secret":"s3cr"#,
        );
        assert!(!text.contains("eyJ") && !text.contains("s3cr"), "{text}");
        assert!(text.contains("7200"), "{text}");
    }

    #[test]
    fn cuts_long_bodies() {
        let body = "x".repeat(1000);
        assert_eq!(excerpt(body.as_bytes()).chars().count(), EXCERPT_CHARS + 1);
    }
}
