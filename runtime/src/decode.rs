//! Reading a response: the verdict first (the envelope's, or the HTTP
//! status's for APIs without one), then the result.

use std::time::Duration;

use bytes::Bytes;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

use crate::media::{self, Expected};
use crate::redact::{body_shape, request_id, scrub, shown_key, value_shape};
use crate::{
    ApiError, ByteStream, CallError, ContentTypeError, DecodeError, Envelope, OAuthError,
    Operation, StatusError,
};

/// A response as it came off the wire. Public only in name, for
/// [`Format`](crate::Format), which no other crate implements.
#[derive(Debug)]
pub struct Reply {
    pub(crate) operation: &'static Operation,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Bytes,
    /// What a successful response carries, as the spec documents it.
    pub(crate) expected: Expected,
    /// A successful body left unread, to be handed over as a stream, and
    /// the call's timeout, which covers reading it. Boxed: a response is
    /// large, and every reply of every call is moved through the futures.
    pub(crate) unread: Option<Box<(reqwest::Response, Duration)>>,
    /// The envelope's codes, read once, when the operation answers with
    /// GenAuth's envelope and the body is a JSON object.
    verdict: Option<Verdict>,
}

/// The codes of an envelope, which say whether the call succeeded: read
/// without allocating, the rest of the body skipped.
#[derive(Debug, Deserialize)]
struct Verdict {
    #[serde(rename = "statusCode", default)]
    status_code: Code,
    #[serde(rename = "apiCode", default)]
    api_code: Code,
}

/// A code in an envelope: an integer, or an integer written as a string, as
/// servers drift between the two; anything else is no code. Never fails, so
/// that a malformed envelope cannot hide the failure it reports.
#[derive(Debug, Default, Clone, Copy)]
struct Code(Option<i64>);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl<'de> serde::de::Visitor<'de> for CodeVisitor {
            type Value = Code;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a code")
            }
            fn visit_i64<E>(self, value: i64) -> Result<Code, E> {
                Ok(Code(Some(value)))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Code, E> {
                Ok(Code(i64::try_from(value).ok()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_str<E>(self, value: &str) -> Result<Code, E> {
                Ok(Code(value.parse().ok()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_unit<E>(self) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_none<E>(self) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Code, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Code, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Code(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Code, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Code(None))
            }
        }
        deserializer.deserialize_any(CodeVisitor)
    }
}

/// The texts and data of an envelope, read only when they are needed: when
/// a call has failed, or a subscriber records the request ID.
#[derive(Deserialize)]
struct Details {
    message: Option<Value>,
    #[serde(rename = "requestId")]
    request_id: Option<Value>,
    data: Option<Value>,
}

impl Reply {
    /// A response as received; an envelope's codes are read once, here.
    pub(crate) fn new(
        operation: &'static Operation,
        status: reqwest::StatusCode,
        retry_after: Option<Duration>,
        content_type: Option<String>,
        body: Bytes,
    ) -> Self {
        // Only an object is an envelope: serde would read a struct from an
        // array too, and `[]` must not pass for a verdict.
        let is_object = body.trim_ascii_start().first() == Some(&b'{');
        let enveloped = matches!(operation.envelope, Envelope::OnFailure | Envelope::Always);
        let verdict = (enveloped && is_object)
            .then(|| serde_json::from_slice(&body).ok())
            .flatten();
        Self {
            operation,
            status,
            retry_after,
            content_type,
            body,
            expected: Expected::Json,
            unread: None,
            verdict,
        }
    }

    /// The envelope's texts and data.
    fn details(&self) -> Option<Details> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The reply if the server reports success; otherwise the error it is.
    pub(crate) fn checked(self) -> Result<Self, CallError> {
        self.check()?;
        Ok(self)
    }

    /// The result of a checked reply that carries JSON.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, CallError> {
        self.fitting()?;
        serde_json::from_slice(&self.body).map_err(|_| self.decode_failure::<T>())
    }

    /// The body of a checked reply, as text.
    pub(crate) fn text(self) -> Result<String, CallError> {
        self.fitting()?;
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(_) => Err(self.decode_error("the body is not UTF-8 text".to_owned(), None)),
        }
    }

    /// The body of a checked reply, as bytes.
    pub(crate) fn bytes(self) -> Result<Bytes, CallError> {
        self.fitting()?;
        Ok(self.body)
    }

    /// The body of a checked reply, as a stream: the body left unread, or
    /// (when it was read, as an answer that did not fit is) the bytes read.
    pub(crate) fn stream(self) -> Result<ByteStream, CallError> {
        self.fitting()?;
        match self.unread.map(|unread| *unread) {
            Some((response, timeout)) => {
                Ok(ByteStream::new(self.operation.name, timeout, response))
            }
            None => Ok(ByteStream::read(self.operation.name, self.body)),
        }
    }

    /// An error unless the `Content-Type` fits what the operation returns.
    fn fitting(&self) -> Result<(), CallError> {
        let content_type = self.content_type.as_deref();
        if self.expected.fits(content_type) {
            return Ok(());
        }
        Err(CallError::ContentType(Box::new(ContentTypeError {
            operation: self.operation.name,
            http_status: self.status.as_u16(),
            expected: self.expected.describe(),
            received: content_type.map(media::shown).unwrap_or_default(),
            body_shape: self.shape(),
        })))
    }

    /// Whether the server asked to be tried again later: a rate limit (HTTP
    /// 429, or `statusCode` 429 in an envelope) or a gateway failure (502,
    /// 503, 504).
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

    /// The envelope's `statusCode`, if the body is an envelope with one.
    fn status_code(&self) -> Option<i64> {
        self.verdict.as_ref()?.status_code.0
    }

    /// Turns a rate limit, a failure or an unexpected answer into an error.
    fn check(&self) -> Result<(), CallError> {
        let operation = self.operation.name;
        let verdict = self.verdict.as_ref();
        if let Some(verdict) = verdict {
            let span = tracing::Span::current();
            if let Some(code) = verdict.api_code.0 {
                span.record("api_code", code);
            }
            // Read only for a subscriber that records it.
            if !span.is_disabled()
                && let Some(id) = self.details().and_then(|d| text(d.request_id.as_ref()))
            {
                span.record("request_id", request_id(&id).as_str());
            }
        }
        let status_code = self.status_code();
        if self.status == reqwest::StatusCode::TOO_MANY_REQUESTS || status_code == Some(429) {
            return Err(CallError::RateLimited {
                operation,
                retry_after: self.retry_after,
                message: verdict
                    .and_then(|_| self.details())
                    .and_then(|d| text(d.message.as_ref()))
                    .map(|m| scrub(&m)),
            });
        }
        if self.operation.envelope == Envelope::OAuth {
            return self.check_oauth();
        }
        let always = self.operation.envelope == Envelope::Always;
        match (status_code, verdict) {
            (None, _) if !always && self.status.is_success() => Ok(()),
            (None, _) if !always => Err(CallError::Status(Box::new(StatusError {
                operation,
                http_status: self.status.as_u16(),
                body_shape: self.shape(),
                body: self.body.to_vec(),
            }))),
            (Some(200), _) if self.status.is_success() => Ok(()),
            (Some(200), _) => Err(self.decode_error(
                "the envelope reports success but the HTTP status does not".to_owned(),
                None,
            )),
            (Some(status_code), Some(verdict)) => {
                let details = self.details();
                let details = details.as_ref();
                Err(CallError::Api(Box::new(ApiError {
                    operation,
                    http_status: self.status.as_u16(),
                    status_code,
                    api_code: verdict.api_code.0,
                    message: details
                        .and_then(|d| text(d.message.as_ref()))
                        .map(|m| scrub(&m))
                        .unwrap_or_default(),
                    request_id: details
                        .and_then(|d| text(d.request_id.as_ref()))
                        .map(|id| request_id(&id)),
                    data: details
                        .and_then(|d| d.data.clone())
                        .filter(|d| !d.is_null()),
                })))
            }
            (None, Some(_)) => Err(self.decode_error(
                "the envelope has no integer `statusCode`, so it does not say the call succeeded"
                    .to_owned(),
                Some("/statusCode".to_owned()),
            )),
            _ => Err(self.decode_error(
                "not the JSON envelope the API answers with".to_owned(),
                None,
            )),
        }
    }

    /// An OAuth 2 endpoint's verdict: an `error` object is a failure whatever
    /// the status; otherwise the HTTP status decides.
    fn check_oauth(&self) -> Result<(), CallError> {
        #[derive(Deserialize)]
        struct Failure {
            error: String,
            error_description: Option<Value>,
        }
        let is_object = self.body.trim_ascii_start().first() == Some(&b'{');
        let failure = is_object
            .then(|| serde_json::from_slice::<Failure>(&self.body).ok())
            .flatten();
        match failure {
            Some(failure) => Err(CallError::OAuth(Box::new(OAuthError {
                operation: self.operation.name,
                http_status: Some(self.status.as_u16()),
                error: scrub(&failure.error),
                error_description: text(failure.error_description.as_ref()).map(|d| scrub(&d)),
            }))),
            None if self.status.is_success() => Ok(()),
            None => Err(CallError::Status(Box::new(StatusError {
                operation: self.operation.name,
                http_status: self.status.as_u16(),
                body_shape: self.shape(),
                body: self.body.to_vec(),
            }))),
        }
    }

    /// Why the body is not a `T`, and where, without a value from it.
    fn decode_failure<T: DeserializeOwned>(&self) -> CallError {
        let mut reader = serde_json::Deserializer::from_slice(&self.body);
        let Err(e) = serde_path_to_error::deserialize::<_, T>(&mut reader) else {
            return self.decode_error("the body does not fit the result".to_owned(), None);
        };
        let (raw, shown) = pointers(e.path());
        let found = serde_json::from_slice::<Value>(&self.body)
            .ok()
            .and_then(|body| body.pointer(&raw).map(value_shape));
        let reason = json_error_reason(e.inner(), found.as_deref());
        let pointer = (!shown.is_empty() && e.inner().is_data()).then_some(shown);
        self.decode_error(reason, pointer)
    }

    fn decode_error(&self, reason: String, pointer: Option<String>) -> CallError {
        CallError::Decode(DecodeError {
            operation: self.operation.name,
            http_status: self.status.as_u16(),
            reason,
            pointer,
            body_shape: self.shape(),
        })
    }

    fn shape(&self) -> String {
        body_shape(&self.body, self.content_type.as_deref())
    }
}

/// Text in an envelope field, however the server wrote it.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The JSON pointer of a decode path, raw (to look the value up) and as
/// shown (keys that may be values replaced).
fn pointers(path: &serde_path_to_error::Path) -> (String, String) {
    use serde_path_to_error::Segment;
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    let mut raw = String::new();
    let mut shown = String::new();
    for segment in path.iter() {
        let (raw_part, shown_part) = match segment {
            Segment::Seq { index } => (index.to_string(), index.to_string()),
            Segment::Map { key } => (escape(key), escape(&shown_key(key))),
            Segment::Enum { variant } => (escape(variant), escape(&shown_key(variant))),
            Segment::Unknown => continue,
        };
        raw.push('/');
        raw.push_str(&raw_part);
        shown.push('/');
        shown.push_str(&shown_part);
    }
    (raw, shown)
}

/// What serde_json's error says, without the value it may quote: syntax
/// errors are fixed texts; of a type error only what was expected is kept,
/// and what was found is described by its shape.
fn json_error_reason(error: &serde_json::Error, found: Option<&str>) -> String {
    let message = error.to_string();
    let message = message
        .strip_suffix(&format!(
            " at line {} column {}",
            error.line(),
            error.column()
        ))
        .unwrap_or(&message);
    if !error.is_data() {
        return format!(
            "malformed JSON: {message} (line {}, column {})",
            error.line(),
            error.column()
        );
    }
    let found = found
        .map(|shape| format!(", found {shape}"))
        .unwrap_or_default();
    if ["missing field `", "duplicate field `", "invalid length "]
        .iter()
        .any(|safe| message.starts_with(safe))
    {
        return message.to_owned();
    }
    match message.rsplit_once(", expected ") {
        Some((what, expected))
            if what.starts_with("invalid type: ") || what.starts_with("invalid value: ") =>
        {
            format!("expected {expected}{found}")
        }
        Some((what, expected)) if what.starts_with("unknown variant ") => {
            format!("an unknown variant, expected {expected}")
        }
        _ => format!("the value does not fit the expected type{found}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> (String, String) {
        let mut reader = serde_json::Deserializer::from_slice(json.as_bytes());
        let error = serde_path_to_error::deserialize::<_, T>(&mut reader).expect_err("fails");
        let (raw, shown) = pointers(error.path());
        let found = serde_json::from_str::<Value>(json)
            .ok()
            .and_then(|body| body.pointer(&raw).map(value_shape));
        (json_error_reason(error.inner(), found.as_deref()), shown)
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "only decoded")]
    struct Tokens {
        access_token: String,
        expire_in: i64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "only decoded")]
    struct Wrapped {
        data: Tokens,
    }

    #[test]
    fn type_errors_name_the_field_and_never_quote_the_value() {
        let (why, at) = reason::<Wrapped>(
            r#"{"data":{"access_token":"x","expire_in":"eyJhbGciOiJSUzI1NiJ9.c2VjcmV0"}}"#,
        );
        assert_eq!(at, "/data/expire_in");
        assert_eq!(why, "expected i64, found string(29)");
        let (why, at) = reason::<Wrapped>(r#"{"data":{"expire_in":1}}"#);
        assert_eq!(
            (why.as_str(), at.as_str()),
            ("missing field `access_token`", "/data")
        );
    }

    fn reply(envelope: Envelope, status: u16, body: &str) -> Reply {
        static OPERATIONS: [Operation; 4] = [
            operation(Envelope::Never),
            operation(Envelope::OnFailure),
            operation(Envelope::Always),
            operation(Envelope::OAuth),
        ];
        const fn operation(envelope: Envelope) -> Operation {
            Operation {
                name: "get_thing",
                method: reqwest::Method::GET,
                path: "/thing",
                idempotent: true,
                envelope,
            }
        }
        let operation = OPERATIONS
            .iter()
            .find(|o| o.envelope == envelope)
            .expect("listed");
        let status = reqwest::StatusCode::from_u16(status).expect("a status");
        Reply::new(
            operation,
            status,
            None,
            None,
            Bytes::copy_from_slice(body.as_bytes()),
        )
    }

    #[test]
    fn without_an_envelope_the_http_status_decides_whatever_the_body_says() {
        let body = r#"{"statusCode":500,"message":"the job failed"}"#;
        assert!(reply(Envelope::Never, 200, body).check().is_ok());
        assert!(reply(Envelope::Never, 200, "[]").check().is_ok());
        let err = reply(Envelope::Never, 404, body).check().expect_err("404");
        assert!(
            matches!(&err, CallError::Status(s) if s.http_status == 404),
            "{err:?}"
        );
        // A rate limit is one whatever the API.
        let err = reply(Envelope::Never, 429, "").check().expect_err("429");
        assert!(matches!(err, CallError::RateLimited { .. }), "{err:?}");
    }

    #[test]
    fn with_an_envelope_only_status_code_200_succeeds() {
        let failure = r#"{"statusCode":500,"message":"the job failed"}"#;
        for envelope in [Envelope::OnFailure, Envelope::Always] {
            let err = reply(envelope, 200, failure).check().expect_err("failure");
            assert!(
                matches!(&err, CallError::Api(a) if a.status_code == 500),
                "{err:?}"
            );
            assert!(
                reply(envelope, 200, r#"{"statusCode":200}"#)
                    .check()
                    .is_ok()
            );
        }
        assert!(
            reply(Envelope::OnFailure, 200, r#"{"access_token":"x"}"#)
                .check()
                .is_ok()
        );
        for body in ["{}", "[]", r#"{"statusCode":null}"#] {
            let err = reply(Envelope::Always, 200, body).check().expect_err(body);
            assert!(matches!(err, CallError::Decode(_)), "{body}: {err:?}");
        }
    }

    #[test]
    fn an_oauth_error_object_is_a_failure_whatever_the_status() {
        let body =
            r#"{"error":"invalid_grant","error_description":"code Xk29dLq8ZpW3vN7bT1cR was used"}"#;
        for status in [200, 400, 401] {
            let err = reply(Envelope::OAuth, status, body)
                .check()
                .expect_err("failure");
            let CallError::OAuth(oauth) = &err else {
                panic!("expected CallError::OAuth, got {err:?}");
            };
            assert_eq!(
                (oauth.error.as_str(), oauth.http_status),
                ("invalid_grant", Some(status))
            );
            assert_eq!(
                oauth.error_description.as_deref(),
                Some("code <redacted> was used")
            );
        }
        assert!(
            reply(Envelope::OAuth, 200, r#"{"access_token":"a"}"#)
                .check()
                .is_ok()
        );
        let err = reply(Envelope::OAuth, 502, "<html></html>")
            .check()
            .expect_err("502");
        assert!(
            matches!(&err, CallError::Status(s) if s.http_status == 502),
            "{err:?}"
        );
    }

    #[test]
    fn syntax_errors_say_where_without_the_text() {
        let (why, _) = reason::<Wrapped>(r#"{"data":{"access_token":"eyJ5\"secret"#);
        assert_eq!(
            why,
            "malformed JSON: EOF while parsing a string (line 1, column 37)"
        );
        assert!(!why.contains("secret"));
    }
}
