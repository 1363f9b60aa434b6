//! What the protocol tests share: a bare HTTP client that never follows
//! redirects, and a JWT check done the way a client does it, from the JWKS.

// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod flow;

use std::collections::HashMap;

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use genauth_standin::{Config, StandIn};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

/// A client for one stand-in.
pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
}

/// What came back.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    }

    /// The `Location` of a 302, after checking the status.
    pub fn location(&self) -> String {
        assert_eq!(self.status, StatusCode::FOUND, "{}", self.body);
        self.header("location").expect("a Location header")
    }

    /// The `error` of an OAuth error response with `status`.
    pub fn oauth_error(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        let body = self.json();
        assert!(body["error_description"].is_string(), "{body}");
        body["error"].as_str().unwrap().to_owned()
    }
}

/// A stand-in and a client for it.
pub async fn start(config: Config) -> (StandIn, Http) {
    let standin = StandIn::start(config).await.unwrap();
    let http = Http {
        // No proxy from the environment (everything stays on loopback), and
        // no redirect following, so that each 302 can be looked at.
        client: reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base: standin.url(),
    };
    (standin, http)
}

impl Http {
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.url(path))).await
    }

    /// GET with `pairs` as the query string.
    pub async fn get_with(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.send(self.client.get(self.url(path)).query(pairs))
            .await
    }

    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.send(self.client.post(self.url(path)).form(pairs))
            .await
    }

    /// POST a form with `Authorization: Basic`.
    pub async fn post_form_basic(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        user: &str,
        password: &str,
    ) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .basic_auth(user, Some(password))
            .form(pairs);
        self.send(request).await
    }

    pub async fn get_bearer(&self, path: &str, token: &str) -> Reply {
        self.send(self.client.get(self.url(path)).bearer_auth(token))
            .await
    }

    pub async fn jwks(&self) -> Value {
        let reply = self.get("/oidc/.well-known/jwks.json").await;
        assert_eq!(reply.status, StatusCode::OK);
        reply.json()
    }
}

/// The parameters of a query string or fragment.
pub fn pairs_of(encoded: &str) -> HashMap<String, String> {
    form_urlencoded::parse(encoded.as_bytes())
        .into_owned()
        .collect()
}

/// The query parameters of a redirect location (those after `?`).
pub fn query_of(location: &str) -> HashMap<String, String> {
    let query = location.split_once('?').map_or("", |(_, query)| query);
    pairs_of(query.split('#').next().unwrap())
}

fn decode(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).unwrap()
}

/// A JWT's header and claims, unverified.
pub fn header_and_claims(token: &str) -> (Map<String, Value>, Map<String, Value>) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT: {token}");
    let object = |part: &str| match serde_json::from_slice(&decode(part)).unwrap() {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    };
    (object(parts[0]), object(parts[1]))
}

/// Whether an RS256 JWT verifies against the key of `jwks` its `kid` names,
/// checked as a client would: `n` and `e` from the JWK, RSA PKCS#1 v1.5
/// with SHA-256.
pub fn rs256_verifies(jwks: &Value, token: &str) -> bool {
    let (header, _) = header_and_claims(token);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    let kid = header["kid"].as_str().unwrap();
    let Some(jwk) = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == kid)
    else {
        return false;
    };
    let (input, signature) = token.rsplit_once('.').unwrap();
    let public = RsaPublicKeyComponents {
        n: decode(jwk["n"].as_str().unwrap()),
        e: decode(jwk["e"].as_str().unwrap()),
    };
    public
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            input.as_bytes(),
            &decode(signature),
        )
        .is_ok()
}

/// The claims of an RS256 JWT, after checking its signature against the
/// stand-in's JWKS.
pub fn verified_claims(jwks: &Value, token: &str) -> Map<String, Value> {
    assert!(
        rs256_verifies(jwks, token),
        "signature does not verify: {token}"
    );
    header_and_claims(token).1
}
