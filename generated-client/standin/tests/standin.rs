//! The stand-in driven over HTTP on loopback, flow by flow, as a client would.

use std::time::{Duration, Instant};

use genauth_standin::{Auto, Config, StandIn};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// How often bounded polling loops ask, and for how long at most.
const POLL_EVERY: Duration = Duration::from_millis(20);
const POLL_FOR: Duration = Duration::from_secs(3);

/// A bare HTTP client for one stand-in, sending its app ID.
struct Api {
    client: reqwest::Client,
    base: String,
    app_id: String,
}

/// What came back: HTTP status, `Retry-After` and `Content-Type`, and body.
struct Reply {
    status: StatusCode,
    retry_after: Option<String>,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Api {
    fn new(standin: &StandIn) -> Self {
        Self {
            // No proxy from the environment: everything stays on loopback.
            client: reqwest::Client::builder().no_proxy().build().unwrap(),
            base: standin.url(),
            app_id: standin.app_id().to_owned(),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
        let status = response.status();
        let body = response.text().await.unwrap();
        Reply {
            status,
            retry_after,
            content_type,
            body,
        }
    }

    /// A request to `path` with the app ID header.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("x-genauth-app-id", &self.app_id)
    }

    /// GET, expecting an HTTP 200 envelope.
    async fn get(&self, path: &str) -> Value {
        self.envelope(self.request(reqwest::Method::GET, path))
            .await
    }

    /// POST a JSON body, expecting an HTTP 200 envelope.
    async fn post(&self, path: &str, body: Value) -> Value {
        self.envelope(with_json(self.request(reqwest::Method::POST, path), &body))
            .await
    }

    /// POST a JSON body as a signed-in user.
    async fn post_signed_in(&self, path: &str, body: Value) -> Value {
        let request = self
            .request(reqwest::Method::POST, path)
            .header("authorization", "Bearer user-token");
        self.envelope(with_json(request, &body)).await
    }

    async fn envelope(&self, request: reqwest::RequestBuilder) -> Value {
        let reply = self.send(request).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.content_type.starts_with("application/json"));
        reply.json()
    }

    /// POST to a control endpoint; returns its `ok`.
    async fn control(&self, path: &str, body: &str) -> bool {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .body(body.to_owned());
        let reply = self.send(request).await;
        assert_eq!(reply.status, StatusCode::OK);
        reply.json()["ok"].as_bool().unwrap()
    }
}

fn with_json(request: reqwest::RequestBuilder, body: &Value) -> reqwest::RequestBuilder {
    request
        .header("content-type", "application/json")
        .body(body.to_string())
}

/// The `data` of a success envelope, after checking the envelope.
fn data(envelope: &Value) -> &Value {
    assert_eq!(envelope["statusCode"], 200, "{envelope}");
    assert_eq!(envelope["message"], "Success");
    assert!(
        envelope["requestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(envelope.get("apiCode").is_none());
    &envelope["data"]
}

/// Checks a success envelope without data.
fn assert_empty_success(envelope: &Value) {
    assert_eq!(envelope["statusCode"], 200, "{envelope}");
    assert_eq!(envelope["message"], "Success");
    assert!(envelope.get("data").is_none(), "{envelope}");
}

/// Checks a failure envelope; returns its message.
fn failure(envelope: &Value, status_code: u64) -> String {
    assert_eq!(envelope["statusCode"], status_code, "{envelope}");
    assert!(envelope["apiCode"].is_u64(), "{envelope}");
    assert!(
        envelope["requestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(envelope.get("data").is_none(), "{envelope}");
    envelope["message"].as_str().unwrap().to_owned()
}

/// Whether `token` has the shape of a compact JWT: three base64url parts,
/// the first a JSON object (`eyJ` is how `{"` starts in base64). That the
/// signatures verify is checked in `tests/oidc.rs`.
fn is_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && token.starts_with("eyJ")
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Checks a token set; returns its access token.
fn assert_token_set(tokens: &Value, refresh: bool) -> String {
    let access = tokens["access_token"].as_str().unwrap();
    assert!(is_jwt(access), "{tokens}");
    let id = tokens["id_token"].as_str().unwrap();
    assert!(is_jwt(id), "{tokens}");
    assert_ne!(access, id);
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expire_in"], 7200);
    assert_eq!(tokens.get("refresh_token").is_some(), refresh, "{tokens}");
    access.to_owned()
}

async fn start(config: Config) -> (StandIn, Api) {
    let standin = StandIn::start(config).await.unwrap();
    let api = Api::new(&standin);
    (standin, api)
}

async fn start_push(api: &Api, scope: &str) -> String {
    let envelope = api
        .post(
            "/api/v3/signin-by-push",
            json!({ "account": "test", "options": { "scope": scope } }),
        )
        .await;
    data(&envelope)["pushCodeId"].as_str().unwrap().to_owned()
}

async fn push_status(api: &Api, id: &str) -> Value {
    let envelope = api
        .get(&format!("/api/v3/check-pushcode-status?pushCodeId={id}"))
        .await;
    data(&envelope).clone()
}

async fn qrcode_status(api: &Api, operation: &str, id: &str) -> Value {
    let envelope = api.get(&format!("/api/v3/{operation}?qrcodeId={id}")).await;
    data(&envelope).clone()
}

async fn sign_in_status(api: &Api, id: &str) -> Value {
    qrcode_status(api, "check-qrcode-status", id).await
}

/// Polls `status` until it reports `wanted`, within [`POLL_FOR`].
async fn poll_until<F, Fut>(wanted: &str, mut status: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let deadline = Instant::now() + POLL_FOR;
    loop {
        let data = status().await;
        if data["status"] == wanted {
            return data;
        }
        assert!(Instant::now() < deadline, "never {wanted}: last {data}");
        tokio::time::sleep(POLL_EVERY).await;
    }
}

#[tokio::test]
async fn push_login_approved_by_the_user_carries_tokens() {
    let (standin, api) = start(Config::default()).await;
    let envelope = api
        .post(
            "/api/v3/signin-by-push",
            json!({ "account": "test", "options": { "scope": "openid offline_access" } }),
        )
        .await;
    let created = data(&envelope);
    assert_eq!(created["expireTime"], 120);
    let id = created["pushCodeId"].as_str().unwrap().to_owned();
    assert_eq!(standin.push_codes(), vec![id.clone()]);

    let waiting = push_status(&api, &id).await;
    assert_eq!(waiting, json!({ "status": "PUSHED" }));

    assert!(standin.approve_push(&id));
    let approved = push_status(&api, &id).await;
    assert_eq!(approved["status"], "AUTHORIZED");
    assert_token_set(&approved["tokenSet"], true);
    // The same tokens on every check; the second approval is refused.
    assert_eq!(push_status(&api, &id).await, approved);
    assert!(!standin.approve_push(&id));

    let check = format!("GET /api/v3/check-pushcode-status?pushCodeId={id}");
    let requests = standin.requests();
    assert_eq!(requests[0], "POST /api/v3/signin-by-push");
    assert_eq!(requests.iter().filter(|r| **r == check).count(), 3);
}

#[tokio::test]
async fn push_login_answered_from_the_app_needs_a_bearer_token() {
    let (_standin, api) = start(Config::default()).await;
    let id = start_push(&api, "openid profile").await;
    let confirm = json!({ "pushCodeId": id, "action": "CONFIRM" });

    let refused = api
        .post("/api/v3/change-pushcode-status", confirm.clone())
        .await;
    failure(&refused, 401);
    assert_eq!(refused["apiCode"], 2020);

    let done = api
        .post_signed_in("/api/v3/change-pushcode-status", confirm.clone())
        .await;
    assert_empty_success(&done);
    let approved = push_status(&api, &id).await;
    assert_eq!(approved["status"], "AUTHORIZED");
    assert_token_set(&approved["tokenSet"], false);

    let again = api
        .post_signed_in("/api/v3/change-pushcode-status", confirm)
        .await;
    failure(&again, 400);
}

#[tokio::test]
async fn push_login_cancelled_or_expired_cannot_be_approved() {
    let (standin, api) = start(Config::default()).await;
    let cancelled = start_push(&api, "openid").await;
    let expired = start_push(&api, "openid").await;
    assert_eq!(standin.push_codes(), [cancelled.clone(), expired.clone()]);

    assert!(standin.cancel_push(&cancelled));
    assert_eq!(
        push_status(&api, &cancelled).await,
        json!({ "status": "CANCELLED" })
    );
    assert!(standin.expire_push(&expired));
    assert_eq!(
        push_status(&api, &expired).await,
        json!({ "status": "EXPIRED" })
    );

    for id in [&cancelled, &expired] {
        assert!(!standin.approve_push(id));
        assert!(!standin.cancel_push(id));
        assert!(!standin.expire_push(id));
        let envelope = api
            .post_signed_in(
                "/api/v3/change-pushcode-status",
                json!({ "pushCodeId": id, "action": "CONFIRM" }),
            )
            .await;
        failure(&envelope, 400);
    }
    assert!(!standin.approve_push("no-such-code"));
}

#[tokio::test]
async fn push_code_expires_on_its_own_and_reports_whole_seconds() {
    let config = Config {
        push_expires_in: Duration::from_millis(200),
        ..Config::default()
    };
    let (standin, api) = start(config).await;
    let envelope = api
        .post("/api/v3/signin-by-push", json!({ "account": "test" }))
        .await;
    let created = data(&envelope);
    assert_eq!(created["expireTime"], 1, "rounded up");
    let id = created["pushCodeId"].as_str().unwrap().to_owned();
    poll_until("EXPIRED", || push_status(&api, &id)).await;
    assert!(!standin.approve_push(&id));
}

#[tokio::test]
async fn unknown_push_code_and_empty_account_are_refused() {
    let (_standin, api) = start(Config::default()).await;
    let envelope = api
        .get("/api/v3/check-pushcode-status?pushCodeId=nope")
        .await;
    assert_eq!(failure(&envelope, 400), "push code not found");

    let envelope = api
        .post("/api/v3/signin-by-push", json!({ "account": " " }))
        .await;
    failure(&envelope, 400);
    let envelope = api.get("/api/v3/check-pushcode-status").await;
    assert!(failure(&envelope, 400).contains("pushCodeId"));
}

#[tokio::test]
async fn qrcode_login_scan_confirm_then_exchange_the_ticket_once() {
    let (standin, api) = start(Config::default()).await;
    let envelope = api
        .post("/api/v3/gene-qrcode", json!({ "type": "MOBILE_APP" }))
        .await;
    let created = data(&envelope);
    let id = created["qrcodeId"].as_str().unwrap().to_owned();
    assert_eq!(created["url"], format!("{}/qrcode/{id}.png", standin.url()));
    assert_eq!(standin.qrcodes(), vec![id.clone()]);

    let status = qrcode_status(&api, "check-qrcode-status", &id).await;
    assert_eq!(status, json!({ "status": "PENDING" }));

    let change = |action: &str| json!({ "qrcodeId": id, "action": action });
    let refused = api
        .post("/api/v3/change-qrcode-status", change("SCAN"))
        .await;
    assert_eq!(refused["apiCode"], 2020);
    failure(&refused, 401);
    let early = api
        .post_signed_in("/api/v3/change-qrcode-status", change("CONFIRM"))
        .await;
    failure(&early, 400);

    let scanned = api
        .post_signed_in("/api/v3/change-qrcode-status", change("SCAN"))
        .await;
    assert_empty_success(&scanned);
    let status = qrcode_status(&api, "check-qrcode-status", &id).await;
    assert_eq!(status["status"], "SCANNED");
    assert_eq!(status["briefUserInfo"]["displayName"], "Demo User");
    assert!(status["briefUserInfo"]["photo"].is_string());
    assert!(status.get("ticket").is_none());

    let confirmed = api
        .post_signed_in("/api/v3/change-qrcode-status", change("CONFIRM"))
        .await;
    assert_empty_success(&confirmed);
    let status = qrcode_status(&api, "check-qrcode-status", &id).await;
    assert_eq!(status["status"], "AUTHORIZED");
    assert!(status["briefUserInfo"].is_object());
    let ticket = status["ticket"].as_str().unwrap().to_owned();

    let exchange = "/api/v3/exchange-tokenset-with-qrcode-ticket";
    let wrong_client = api
        .post(
            exchange,
            json!({ "ticket": ticket, "client_id": "other-app" }),
        )
        .await;
    failure(&wrong_client, 400);
    let tokens = api
        .post(
            exchange,
            json!({ "ticket": ticket, "client_id": standin.app_id(), "client_secret": "s" }),
        )
        .await;
    assert_token_set(data(&tokens), false);
    let reused = api.post(exchange, json!({ "ticket": ticket })).await;
    assert!(failure(&reused, 400).contains("used"));
    let unknown = api.post(exchange, json!({ "ticket": "nope" })).await;
    failure(&unknown, 400);
}

#[tokio::test]
async fn qrcode_acted_on_by_the_test_or_over_control_endpoints() {
    let (standin, api) = start(Config::default()).await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        let envelope = api
            .post(
                "/api/v3/gene-qrcode",
                json!({ "type": "WECHAT_MINIPROGRAM" }),
            )
            .await;
        ids.push(data(&envelope)["qrcodeId"].as_str().unwrap().to_owned());
    }
    assert_eq!(standin.qrcodes(), ids);

    // Approved straight from PENDING by the test: scanned on the way.
    assert!(standin.approve_qrcode(&ids[0]));
    let approved = sign_in_status(&api, &ids[0]).await;
    assert_eq!(approved["status"], "AUTHORIZED");
    assert!(approved["ticket"].is_string() && approved["briefUserInfo"].is_object());

    assert!(standin.scan_qrcode(&ids[1]));
    assert!(!standin.scan_qrcode(&ids[1]));
    assert!(standin.cancel_qrcode(&ids[1]));
    assert_eq!(sign_in_status(&api, &ids[1]).await["status"], "CANCELLED");
    assert!(standin.expire_qrcode(&ids[2]));
    assert_eq!(
        sign_in_status(&api, &ids[2]).await,
        json!({ "status": "EXPIRED" })
    );
    assert!(!standin.approve_qrcode(&ids[2]));

    // The same over HTTP, as a manual demo would.
    let control = |action: &str| format!("/_control/qrcode/{}/{action}", ids[3]);
    assert!(api.control(&control("scan"), "").await);
    assert!(!api.control(&control("scan"), "").await);
    assert!(!api.control(&control("dance"), "").await);
    assert!(api.control(&control("approve"), "").await);
    assert_eq!(sign_in_status(&api, &ids[3]).await["status"], "AUTHORIZED");
    assert!(!api.control("/_control/qrcode/nope/scan", "").await);

    let push = start_push(&api, "openid").await;
    assert!(
        api.control(&format!("/_control/push/{push}/approve"), "")
            .await
    );
    assert_eq!(push_status(&api, &push).await["status"], "AUTHORIZED");
    assert!(
        !api.control(&format!("/_control/push/{push}/cancel"), "")
            .await
    );
    assert!(!standin.approve_qrcode("nope"));
}

#[tokio::test]
async fn fast_authentication_generate_scan_app_login() {
    let (standin, api) = start(Config::default()).await;
    let body = json!({ "options": { "scope": "openid offline_access" } });
    let refused = api
        .post("/api/v3/gene-fastpass-qrcode-info", body.clone())
        .await;
    assert_eq!(refused["apiCode"], 2020);
    failure(&refused, 401);
    let blank_token = api.send(
        with_json(
            api.request(reqwest::Method::POST, "/api/v3/gene-fastpass-qrcode-info"),
            &body,
        )
        .header("authorization", "Bearer "),
    );
    failure(&blank_token.await.json(), 401);

    let envelope = api
        .post_signed_in("/api/v3/gene-fastpass-qrcode-info", body)
        .await;
    let info = data(&envelope);
    assert_eq!(info["scene"], "FASTPASS");
    assert_eq!(info["apiHost"], standin.url());
    assert_eq!(info["appId"], standin.app_id());
    for who in ["user", "userpool"] {
        for field in ["id", "displayName", "photo"] {
            assert!(info[who][field].is_string(), "{who}.{field}: {info}");
        }
    }
    let id = info["qrcodeId"].as_str().unwrap().to_owned();
    assert_eq!(standin.qrcodes(), vec![id.clone()]);

    let operation = "get-app-login-qrcode-status";
    assert_eq!(
        qrcode_status(&api, operation, &id).await,
        json!({ "status": "PENDING" })
    );
    // A fast-authentication code is not a sign-in code.
    let envelope = api
        .get(&format!("/api/v3/check-qrcode-status?qrcodeId={id}"))
        .await;
    assert_eq!(failure(&envelope, 400), "qrcode not found");

    assert!(standin.scan_qrcode(&id));
    let scanned = qrcode_status(&api, operation, &id).await;
    assert_eq!(scanned["status"], "SCANNED");
    assert_eq!(scanned["briefUserInfo"]["displayName"], "Demo User");

    let login = json!({ "qrcodeId": id, "action": "APP_LOGIN" });
    let tokens = api.post("/api/v3/qrcode-app-login", login.clone()).await;
    assert_token_set(data(&tokens), true);
    let signed_in = qrcode_status(&api, operation, &id).await;
    assert_eq!(signed_in["status"], "AUTHORIZED");
    assert!(signed_in.get("ticket").is_none());

    let again = api.post("/api/v3/qrcode-app-login", login).await;
    failure(&again, 400);
    let wrong_action = api
        .post(
            "/api/v3/qrcode-app-login",
            json!({ "qrcodeId": id, "action": "SCAN" }),
        )
        .await;
    failure(&wrong_action, 400);
}

#[tokio::test]
async fn auto_approve_acts_on_its_own_schedule() {
    let after = Duration::from_millis(200);
    let config = Config {
        auto: Auto::Approve { after },
        ..Config::default()
    };
    let (standin, api) = start(config).await;
    let started = Instant::now();
    let push = start_push(&api, "openid offline_access").await;
    let envelope = api
        .post("/api/v3/gene-qrcode", json!({ "type": "MOBILE_APP" }))
        .await;
    let qrcode = data(&envelope)["qrcodeId"].as_str().unwrap().to_owned();
    let envelope = api
        .post_signed_in("/api/v3/gene-fastpass-qrcode-info", json!({}))
        .await;
    let fastpass = data(&envelope)["qrcodeId"].as_str().unwrap().to_owned();

    // Unless this machine stalled for 100 ms, nothing has happened yet.
    if started.elapsed() < after / 2 {
        assert_eq!(push_status(&api, &push).await["status"], "PUSHED");
        let status = qrcode_status(&api, "check-qrcode-status", &qrcode).await;
        assert_eq!(status["status"], "PENDING");
    }

    let scanned = poll_until("SCANNED", || {
        qrcode_status(&api, "check-qrcode-status", &qrcode)
    })
    .await;
    assert!(started.elapsed() >= after / 2);
    assert!(scanned["briefUserInfo"].is_object());

    let approved = poll_until("AUTHORIZED", || push_status(&api, &push)).await;
    assert!(started.elapsed() >= after);
    assert_token_set(&approved["tokenSet"], true);
    // Each code keeps its own schedule, from its own creation.
    let approved = poll_until("AUTHORIZED", || {
        qrcode_status(&api, "check-qrcode-status", &qrcode)
    })
    .await;
    assert!(approved["ticket"].is_string());
    poll_until("AUTHORIZED", || {
        qrcode_status(&api, "get-app-login-qrcode-status", &fastpass)
    })
    .await;

    // Already approved: the test can no longer change them.
    assert!(!standin.cancel_push(&push));
    assert!(!standin.cancel_qrcode(&qrcode));
}

#[tokio::test]
async fn fail_next_429_with_retry_after_then_success() {
    let (standin, api) = start(Config::default()).await;
    standin.fail_next(429, 2, Some(7));
    let path = "/api/v3/check-pushcode-status?pushCodeId=x";
    for _ in 0..2 {
        let reply = api.send(api.request(reqwest::Method::GET, path)).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(reply.retry_after.as_deref(), Some("7"));
        assert_eq!(
            reply.json(),
            json!({ "statusCode": 429, "message": "Too many requests" })
        );
    }
    let envelope = api.get(path).await;
    failure(&envelope, 400); // handled again: the code is unknown
    assert_eq!(standin.requests(), vec![format!("GET {path}"); 3]);

    // Without a delay there is no header; control paths are never failed.
    standin.fail_next(429, 1, None);
    assert!(!api.control("/_control/push/x/approve", "").await);
    let reply = api.send(api.request(reqwest::Method::GET, path)).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.retry_after, None);
}

#[tokio::test]
async fn fail_next_503_sends_an_html_page_then_success() {
    let (standin, api) = start(Config::default()).await;
    standin.fail_next(503, 1, None);
    let body = json!({ "account": "test" });
    let reply = api
        .send(with_json(
            api.request(reqwest::Method::POST, "/api/v3/signin-by-push"),
            &body,
        ))
        .await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(
        reply.body.contains("503 Service Unavailable"),
        "{}",
        reply.body
    );
    assert!(
        standin.push_codes().is_empty(),
        "a failed request is not handled"
    );

    let envelope = api.post("/api/v3/signin-by-push", body).await;
    data(&envelope);

    // The same through the control endpoint; a bad plan is refused.
    assert!(
        api.control("/_control/fail-next", r#"{"status":502,"count":1}"#)
            .await
    );
    let reply = api
        .send(api.request(reqwest::Method::GET, "/api/v3/x"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert!(!api.control("/_control/fail-next", "{oops").await);
    assert!(
        !api.control("/_control/fail-next", r#"{"status":42,"count":1}"#)
            .await
    );
    let envelope = api.get("/api/v3/x").await;
    failure(&envelope, 404);
}

#[tokio::test]
async fn missing_or_wrong_app_id_is_refused() {
    let (standin, api) = start(Config {
        app_id: "my-app".to_owned(),
        ..Config::default()
    })
    .await;
    let url = format!(
        "{}/api/v3/check-pushcode-status?pushCodeId=x",
        standin.url()
    );

    let reply = api.send(api.client.get(&url)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(failure(&reply.json(), 400).contains("x-genauth-app-id"));

    let wrong = api.client.get(&url).header("x-genauth-app-id", "other");
    let message = failure(&api.send(wrong).await.json(), 400);
    assert!(message.contains("x-genauth-app-id") && message.contains("other"));

    // The authing.cn header name works too.
    let authing = api.client.get(&url).header("x-authing-app-id", "my-app");
    let message = failure(&api.send(authing).await.json(), 400);
    assert_eq!(message, "push code not found");
}

#[tokio::test]
async fn malformed_requests_get_400_envelopes() {
    let (standin, api) = start(Config::default()).await;
    let posts = [
        "/api/v3/signin-by-push",
        "/api/v3/change-pushcode-status",
        "/api/v3/gene-qrcode",
        "/api/v3/change-qrcode-status",
        "/api/v3/exchange-tokenset-with-qrcode-ticket",
        "/api/v3/gene-fastpass-qrcode-info",
        "/api/v3/qrcode-app-login",
    ];
    let garbage: [&[u8]; 4] = [b"{not json", b"[1, 2]", b"\"text\"", b"\xff\xfe\x00"];
    for path in posts {
        for body in garbage {
            let request = api
                .request(reqwest::Method::POST, path)
                .header("authorization", "Bearer t")
                .header("content-type", "application/json")
                .body(body.to_vec());
            let reply = api.send(request).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            let message = failure(&reply.json(), 400);
            assert!(message.contains("body"), "{path}: {message}");
        }
    }
    let wrong_types = api
        .post("/api/v3/signin-by-push", json!({ "account": 5 }))
        .await;
    failure(&wrong_types, 400);
    let bad_enum = api
        .post("/api/v3/gene-qrcode", json!({ "type": "CARRIER_PIGEON" }))
        .await;
    failure(&bad_enum, 400);

    for query in [
        "",
        "?",
        "?qrcodeId",
        "?qrcodeId=%ZZ&qrcodeId=2",
        "?pushCodeId=1",
    ] {
        let envelope = api
            .get(&format!("/api/v3/check-qrcode-status{query}"))
            .await;
        failure(&envelope, 400);
    }

    // Unknown operations and wrong methods name no operation.
    let unknown = api.get("/api/v3/no-such-thing").await;
    assert_eq!(unknown["statusCode"], 404);
    let wrong_method = api.get("/api/v3/signin-by-push").await;
    assert!(failure(&wrong_method, 404).contains("GET /api/v3/signin-by-push"));

    // Still serving after all that.
    assert_eq!(standin.push_codes().len(), 0);
    start_push(&api, "openid").await;
}

#[tokio::test]
async fn request_ids_are_unique() {
    let (_standin, api) = start(Config::default()).await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..20 {
        let envelope = api.get("/api/v3/check-pushcode-status?pushCodeId=x").await;
        assert!(seen.insert(envelope["requestId"].as_str().unwrap().to_owned()));
    }
}

#[tokio::test]
async fn dropping_the_standin_stops_the_server() {
    let (standin, api) = start(Config::default()).await;
    let url = format!("{}/api/v3/x", standin.url());
    failure(&api.get("/api/v3/x").await, 404);
    drop(standin);
    let deadline = Instant::now() + POLL_FOR;
    loop {
        // A new client each time, so that no pooled connection is reused.
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        if client.get(&url).send().await.is_err() {
            break;
        }
        assert!(Instant::now() < deadline, "still serving after drop");
        tokio::time::sleep(POLL_EVERY).await;
    }
}
