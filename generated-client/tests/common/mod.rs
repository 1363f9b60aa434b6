//! Helpers shared by the integration tests: a mock server on loopback and a
//! client pointed at it.

#![allow(dead_code, reason = "each test binary uses a different subset")]

pub mod login;
pub mod prism;
pub mod scripted;
pub mod trace;

use genauth::AuthenticationClient;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const APP_ID: &str = "app-123";
pub const TOKEN: &str = "user-access-token-abc";
pub const SDK_VERSION: &str = concat!("genauth-rust:", env!("CARGO_PKG_VERSION"));

/// A mock server that answers every request with `response`.
pub async fn server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A mock server that answers every request with HTTP 200 and `body`.
pub async fn server_json(body: Value) -> MockServer {
    server(ResponseTemplate::new(200).set_body_json(body)).await
}

/// The success envelope with `data`.
pub fn ok(data: Value) -> Value {
    serde_json::json!({ "statusCode": 200, "message": "Success", "data": data })
}

/// A client for the mock server that never retries, so that each test sees
/// exactly one response; the retry tests set their own policy.
pub fn builder(server: &MockServer) -> genauth::AuthenticationClientBuilder {
    builder_at(&server.uri())
}

/// [`builder`] for a server at `url`, such as a scripted one.
pub fn builder_at(url: &str) -> genauth::AuthenticationClientBuilder {
    AuthenticationClient::builder()
        .app_id(APP_ID)
        .app_host(url)
        .allow_plain_http(true)
        .retry(genauth::RetryPolicy::never())
}

pub fn client(server: &MockServer) -> AuthenticationClient {
    builder(server).build().expect("client")
}

pub fn client_with_token(server: &MockServer) -> AuthenticationClient {
    builder(server).access_token(TOKEN).build().expect("client")
}

/// A request as the server saw it.
#[derive(Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// The raw query string, still encoded.
    pub raw_query: Option<String>,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    pub headers: wiremock::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Seen {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    let request = &requests[0];
    Seen {
        method: request.method.to_string(),
        path: request.url.path().to_owned(),
        raw_query: request.url.query().map(str::to_owned),
        query: request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        headers: request.headers.clone(),
        body: request.body.clone(),
    }
}
