//! The parts of a call before it meets the network.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};

use crate::media::Expected;
use crate::multipart::{Files, Part};
use crate::query::{self, QueryStyle};
use crate::{CallOptions, Method};

/// Characters a path segment may carry unescaped (RFC 3986 "unreserved").
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the spec says about one operation.
#[derive(Debug)]
pub struct Operation {
    /// The client method, as errors and traces name the operation.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// Path template, such as `/api/v3/users/{userId}`.
    pub path: &'static str,
    /// Safe to send again after a failure that may have reached the server.
    pub idempotent: bool,
    /// How the response says whether the call succeeded.
    pub envelope: Envelope,
}

/// How an operation's response says whether the call succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Envelope {
    /// By its HTTP status alone.
    Never,
    /// A successful result is a bare value, but a failure comes as GenAuth's
    /// envelope: an object whose integer `statusCode` is not 200.
    OnFailure,
    /// Every answer is GenAuth's envelope, and only `statusCode` 200 is a success.
    Always,
    /// An OAuth 2 endpoint: a failure is an object with a string `error`
    /// (and `error_description`), whatever the HTTP status says.
    OAuth,
}

/// One call of an operation, with its inputs encoded.
pub struct Request {
    pub(crate) operation: &'static Operation,
    pub(crate) path: String,
    /// The query, already encoded (see [`QueryStyle`]).
    pub(crate) query: String,
    /// Headers, credentials among them (marked sensitive: sent, never shown).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The encoded body and its content type.
    pub(crate) body: Option<(Bytes, HeaderValue)>,
    /// The parts of a `multipart/form-data` body, encoded when it is sent.
    pub(crate) parts: Option<Vec<Part>>,
    /// What a successful response carries.
    pub(crate) expected: Expected,
    /// A successful response's body is handed over unread, as a stream.
    pub(crate) streamed: bool,
    /// The first input that could not be encoded; reported instead of sending.
    pub(crate) problem: Option<(String, serde_json::Error)>,
    pub(crate) options: CallOptions,
}

impl Request {
    /// A call of `operation`, with the call's own settings.
    pub fn new(operation: &'static Operation, options: CallOptions) -> Self {
        Self {
            operation,
            path: operation.path.to_owned(),
            query: String::new(),
            headers: Vec::new(),
            body: None,
            parts: None,
            expected: Expected::Json,
            streamed: false,
            problem: None,
            options,
        }
    }

    /// The operation called.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// Replaces the path, for calls whose path is not the operation's template.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Adds a header the client sends with every call, such as its app ID,
    /// already checked.
    pub fn add_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.push((name, value));
    }

    /// Sets a header already checked, replacing any value it had.
    pub fn set_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.retain(|(present, _)| *present != name);
        self.headers.push((name, value));
    }

    /// Adds a header carrying a credential: sent, marked sensitive so that
    /// neither `Debug` output nor the HTTP stack shows it. A value headers
    /// cannot carry is refused, and the call is not sent.
    pub fn add_credential(&mut self, name: &'static str, value: impl Into<String>) {
        let name = HeaderName::from_bytes(name.as_bytes());
        match (name, HeaderValue::try_from(value.into())) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(true);
                self.headers.push((name, value));
            }
            _ => self.fail(
                "a credential",
                serde::ser::Error::custom("it cannot be sent in an HTTP header"),
            ),
        }
    }

    /// Adds a credential header already checked, such as a stored
    /// `authorization` value; it is marked sensitive.
    pub fn add_credential_value(&mut self, name: HeaderName, mut value: HeaderValue) {
        value.set_sensitive(true);
        self.headers.push((name, value));
    }

    /// Sets a credential header already checked, replacing any value the
    /// header had; it is marked sensitive.
    pub fn set_credential_value(&mut self, name: HeaderName, mut value: HeaderValue) {
        value.set_sensitive(true);
        self.set_header(name, value);
    }

    /// Adds HTTP Basic credentials (RFC 7617) as the `authorization` header.
    pub fn add_basic_credential(&mut self, user: &str, password: &str) {
        use base64::Engine;
        let pair = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.add_credential("authorization", format!("Basic {pair}"));
    }

    /// Adds a query parameter carrying a credential, for APIs that take an
    /// API key in the URL.
    pub fn add_credential_query(&mut self, name: &'static str, value: impl Into<String>) {
        query::append_text(&mut self.query, name, &value.into());
    }

    /// Substitutes `{name}` in the path with `value`, percent-encoded so
    /// that it stays one segment. A value that would still change the path
    /// — empty, `.` or `..`, which URL parsers resolve even when
    /// percent-encoded — is refused, and the call is not sent.
    pub fn path_param<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        if let Some(value) = self.encode(name, value) {
            let text = scalar_text(&value);
            if matches!(text.as_str(), "" | "." | "..") {
                let why = format!(
                    "{text:?} is not a path segment: it would change which endpoint is called"
                );
                self.fail(&format!("`{name}`"), serde::ser::Error::custom(why));
                return self;
            }
            let encoded = utf8_percent_encode(&text, PATH_SEGMENT).to_string();
            self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
        }
        self
    }

    /// Adds a query parameter written as `style` and `explode` say (see
    /// [`QueryStyle`]); `None` adds nothing.
    pub fn query_param<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) -> Self {
        if let Some(value) = self.encode(name, value) {
            query::append(&mut self.query, name, &value, style, explode);
        }
        self
    }

    /// Adds a header parameter; `None` adds nothing.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match self.encode(name, value) {
            Some(Value::Null) | None => {}
            Some(value) => {
                let header = HeaderName::from_bytes(name.as_bytes());
                match (header, HeaderValue::try_from(joined_text(&value))) {
                    (Ok(header), Ok(value)) => self.headers.push((header, value)),
                    _ => self.fail(
                        &format!("`{name}`"),
                        serde::ser::Error::custom("it cannot be sent in an HTTP header"),
                    ),
                }
            }
        }
        self
    }

    /// Sets the JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((
                    Bytes::from(bytes),
                    HeaderValue::from_static("application/json"),
                ));
            }
            Err(e) => self.fail("the request body", e),
        }
        self
    }

    /// Sets a JSON body sent as `content_type`, a JSON media type other
    /// than `application/json` (such as `application/merge-patch+json`).
    pub fn json_as<T: Serialize + ?Sized>(mut self, body: &T, content_type: &'static str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes(Bytes::from(bytes), content_type),
            Err(e) => {
                self.fail("the request body", e);
                self
            }
        }
    }

    /// Sets a form-encoded body.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                self.body = Some((
                    Bytes::from(text.into_bytes()),
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                ));
            }
            Err(e) => self.fail("the request body", serde::ser::Error::custom(e)),
        }
        self
    }

    /// Sets a body of bytes, sent as `content_type` (such as `image/png`).
    pub fn bytes(mut self, body: Bytes, content_type: &'static str) -> Self {
        if let Some(content_type) = self.content_type(content_type) {
            self.body = Some((body, content_type));
        }
        self
    }

    /// Sets a text body, sent as `content_type` (such as `text/plain`).
    pub fn text(self, body: &str, content_type: &'static str) -> Self {
        self.bytes(Bytes::copy_from_slice(body.as_bytes()), content_type)
    }

    /// Starts a `multipart/form-data` body, sent even if no part is added.
    pub fn multipart(mut self) -> Self {
        self.parts.get_or_insert_with(Vec::new);
        self
    }

    /// Adds a text part to a `multipart/form-data` body: a string as it is,
    /// a number or boolean as JSON writes it; `None` adds nothing.
    pub fn part_text<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Self {
        match self.encode(name, value) {
            Some(Value::Null) | None => {}
            Some(value) => {
                let text = scalar_text(&value);
                self.push_part(name, None, content_type, Bytes::from(text.into_bytes()));
            }
        }
        self
    }

    /// Adds a part holding `value` as JSON to a `multipart/form-data`
    /// body; `None` adds nothing.
    pub fn part_json<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) -> Self {
        match self.encode(name, value) {
            Some(Value::Null) | None => {}
            Some(value) => {
                let json = value.to_string().into_bytes();
                let content_type = content_type.or(Some("application/json"));
                self.push_part(name, None, content_type, Bytes::from(json));
            }
        }
        self
    }

    /// Adds a part per file to a `multipart/form-data` body, each with
    /// its own content type if it has one, else `content_type` (the one
    /// the spec documents), else `application/octet-stream`.
    pub fn part_files<T: Files + ?Sized>(
        mut self,
        name: &'static str,
        files: &T,
        content_type: Option<&'static str>,
    ) -> Self {
        for file in files.files() {
            let declared = file
                .content_type_declared()
                .or(content_type)
                .unwrap_or("application/octet-stream");
            // Servers tell a file from a field by its file name.
            let file_name = file.file_name_declared().unwrap_or(name).to_owned();
            self.push_part(name, Some(file_name), Some(declared), file.bytes().clone());
        }
        self
    }

    /// A successful response carries text of one of `media_types`, which
    /// the request accepts.
    pub fn expect_text(mut self, media_types: &'static [&'static str]) -> Self {
        self.expected = Expected::Text(media_types);
        self
    }

    /// A successful response carries bytes of one of `media_types`, which
    /// the request accepts.
    pub fn expect_binary(mut self, media_types: &'static [&'static str]) -> Self {
        self.expected = Expected::Binary(media_types);
        self
    }

    /// Hands over a successful response's body unread, as a stream not
    /// bound by the size limit; failures are still read and reported.
    pub fn streamed(mut self) -> Self {
        self.streamed = true;
        self
    }

    fn push_part(
        &mut self,
        name: &'static str,
        file_name: Option<String>,
        content_type: Option<&str>,
        bytes: Bytes,
    ) {
        let part = Part {
            name,
            file_name,
            content_type: content_type.map(str::to_owned),
            bytes,
        };
        self.parts.get_or_insert_with(Vec::new).push(part);
    }

    fn content_type(&mut self, content_type: &'static str) -> Option<HeaderValue> {
        match HeaderValue::from_str(content_type) {
            Ok(value) => Some(value),
            Err(_) => {
                self.fail(
                    "the request body",
                    serde::ser::Error::custom("its content type cannot be sent in a header"),
                );
                None
            }
        }
    }

    /// Encodes the parts of a `multipart/form-data` body, once, before the
    /// first attempt.
    pub(crate) fn encode_parts(&mut self) {
        if let Some(parts) = self.parts.take() {
            let (body, boundary) = crate::multipart::encode(&parts);
            let content_type = format!("multipart/form-data; boundary={boundary}");
            match HeaderValue::try_from(content_type) {
                Ok(value) => self.body = Some((body, value)),
                Err(_) => self.fail(
                    "the request body",
                    serde::ser::Error::custom("its boundary cannot be sent in a header"),
                ),
            }
        }
    }

    fn encode<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Option<Value> {
        match serde_json::to_value(value) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail(&format!("`{name}`"), e);
                None
            }
        }
    }

    fn fail(&mut self, input: &str, error: serde_json::Error) {
        if self.problem.is_none() {
            self.problem = Some((input.to_owned(), error));
        }
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A body may carry anything the caller sends: only its size is shown.
        let body = self
            .body
            .as_ref()
            .map(|(bytes, content_type)| format!("<{} bytes of {content_type:?}>", bytes.len()));
        let parts = self
            .parts
            .as_ref()
            .map(|parts| parts.iter().map(|p| p.name).collect::<Vec<_>>());
        // Inputs may be secrets (an API key in the query, a token in the
        // path): the path is shown as its template, the query by its names.
        let query: Vec<&str> = self
            .query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
            .collect();
        f.debug_struct("Request")
            .field("operation", &self.operation.name)
            .field("path", &self.operation.path)
            .field("query", &query)
            .field("headers", &self.headers)
            .field("body", &body)
            .field("parts", &parts)
            .field("expected", &self.expected)
            .field("streamed", &self.streamed)
            .field("problem", &self.problem)
            .field("options", &self.options)
            .finish()
    }
}

/// A value as text: strings as they are, numbers and booleans as JSON writes
/// them, anything else as JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Like [`scalar_text`], with arrays as comma-separated items.
fn joined_text(value: &Value) -> String {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OPERATION: Operation = Operation {
        name: "get_thing",
        method: Method::GET,
        path: "/things/{id}/parts/{part}",
        idempotent: true,
        envelope: Envelope::Never,
    };

    #[test]
    fn percent_encodes_path_parameters() {
        let request = Request::new(&OPERATION, CallOptions::default())
            .path_param("id", "a/b c?d")
            .path_param("part", &7);
        assert_eq!(request.path, "/things/a%2Fb%20c%3Fd/parts/7");
    }

    #[test]
    fn refuses_path_parameters_that_would_change_the_path() {
        for value in ["", ".", ".."] {
            let request = Request::new(&OPERATION, CallOptions::default())
                .path_param("id", value)
                .path_param("part", "x");
            let (input, error) = request.problem.expect("refused");
            assert_eq!(input, "`id`");
            assert!(error.to_string().contains("endpoint"), "{error}");
        }
        let request = Request::new(&OPERATION, CallOptions::default())
            .path_param("id", "...")
            .path_param("part", "%2e%2e");
        assert!(request.problem.is_none());
        assert_eq!(request.path, "/things/.../parts/%252e%252e");
    }

    #[test]
    fn form_encodes_bodies() {
        #[derive(Serialize)]
        struct Grant {
            grant_type: &'static str,
            scope: Option<&'static str>,
            audience: Option<&'static str>,
        }
        let grant = Grant {
            grant_type: "client_credentials",
            scope: Some("openid profile"),
            audience: None,
        };
        let request = Request::new(&OPERATION, CallOptions::default()).form(&grant);
        let (body, content_type) = request.body.expect("a body");
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(
            String::from_utf8_lossy(&body),
            "grant_type=client_credentials&scope=openid+profile"
        );
    }

    #[test]
    fn query_parameters_keep_their_order_and_none_adds_nothing() {
        let mut request = Request::new(&OPERATION, CallOptions::default())
            .query_param("flag", &false, QueryStyle::Form, true)
            .query_param("missing", &None::<String>, QueryStyle::Form, true)
            .query_param("ids", &["x", "y"], QueryStyle::Form, false)
            .query_param("count", &Some(0), QueryStyle::PipeDelimited, false);
        request.add_credential_query("key", "a+b");
        assert_eq!(request.query, "flag=false&ids=x,y&count=0&key=a%2Bb");
        assert!(request.problem.is_none());
    }

    #[test]
    fn debug_output_shows_no_input_values() {
        let mut request = Request::new(&OPERATION, CallOptions::default())
            .path_param("id", "path-secret")
            .path_param("part", "x")
            .query_param("q", "query-secret", QueryStyle::Form, true);
        request.add_credential_query("api_key", "key-secret");
        request.add_credential("x-token", "header-secret");
        let shown = format!("{request:?}");
        for secret in ["path-secret", "query-secret", "key-secret", "header-secret"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains(r#"query: ["q", "api_key"]"#), "{shown}");
        assert!(shown.contains("/things/{id}/parts/{part}"), "{shown}");
    }
}
