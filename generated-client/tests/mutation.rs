//! A seeded run of thousands of hostile responses through a dozen
//! operations: valid answers carrying tokens, then the same answers broken,
//! retyped, truncated, shuffled and corrupted. Whatever the server sends,
//! the client must not panic, and no token it sent may appear in an error
//! message, in `Debug` output of an error, in the trace, or in the `Debug`
//! output of a result where it sat under a secret's name.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use common::scripted::{Scripted, Step};
use common::trace::Capture;
use common::{APP_ID, TOKEN};
use genauth::models::{
    AppQrCodeLoginAction, FactorProfile, MfaFactorType, SignInByPasswordPayloadDto,
    SignInConnection,
};
use genauth::{AuthenticationClient, Error, RetryPolicy, WaitOptions};
use serde_json::{Value, json};

/// Responses sent in all.
const RESPONSES: usize = 6_000;
const SEED: u64 = 0x5eed_0008;

type Call = for<'a> fn(
    &'a AuthenticationClient,
) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>>;

/// An operation and a successful answer to it, with `{n}` standing for fresh secrets.
struct Case {
    name: &'static str,
    call: Call,
    answer: fn(&mut Secrets) -> Value,
}

/// A [`Call`] of `$body`, which uses the client as `$c`.
macro_rules! call {
    ($c:ident => $body:expr) => {{
        fn call<'a>(
            $c: &'a AuthenticationClient,
        ) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>> {
            Box::pin(async move { $body.await.map(|r| format!("{r:?} {r:#?}")) })
        }
        call as Call
    }};
}

/// Fresh token-like values, remembered so that the output can be searched.
struct Secrets {
    rng: fastrand::Rng,
    issued: Vec<String>,
}

impl Secrets {
    fn new(rng: fastrand::Rng) -> Self {
        Self {
            rng,
            issued: Vec::new(),
        }
    }

    /// A value that looks like what servers issue: a JWT, an opaque token,
    /// a Base32 TOTP secret inside an `otpauth://` URI, or a recovery code.
    fn next(&mut self) -> String {
        let alnum = |rng: &mut fastrand::Rng, n: usize| -> String {
            (0..n).map(|_| rng.alphanumeric()).collect()
        };
        let core = format!("Sk{}9{}", self.rng.u32(..), alnum(&mut self.rng, 20));
        let (value, secret) = match self.rng.u8(..3) {
            0 => {
                let jwt = format!(
                    "eyJ{}.eyJ{core}.{}",
                    alnum(&mut self.rng, 12),
                    alnum(&mut self.rng, 8)
                );
                (jwt.clone(), jwt)
            }
            1 => {
                // The URI is not secret; the Base32 key in it is.
                let base32: String = (0..16)
                    .map(|_| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[self.rng.usize(..32)]))
                    .collect();
                (
                    format!("otpauth://totp/Ex:ada?secret={base32}&issuer=Ex"),
                    base32,
                )
            }
            _ => (core.clone(), core),
        };
        self.issued.push(secret);
        value
    }
}

fn tokens(s: &mut Secrets) -> Value {
    json!({
        "access_token": s.next(),
        "id_token": s.next(),
        "refresh_token": s.next(),
        "token_type": "Bearer",
        "expire_in": 7200,
        "scope": "openid profile"
    })
}

fn envelope(data: Value) -> Value {
    json!({ "statusCode": 200, "message": "Success", "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c", "data": data })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "check_push_code_status",
            call: call!(c => c.check_push_code_status("pc-1")),
            answer: |s| envelope(json!({ "status": "AUTHORIZED", "tokenSet": tokens(s) })),
        },
        Case {
            name: "check_qr_code_status",
            call: call!(c => c.check_qr_code_status("qr-1")),
            answer: |s| {
                envelope(
                    json!({ "status": "AUTHORIZED", "ticket": s.next(), "tokenSet": tokens(s),
                    "briefUserInfo": { "displayName": "Ada", "photo": "https://x.io/a.png" } }),
                )
            },
        },
        Case {
            name: "exchange_token_set_with_qr_code_ticket",
            call: call!(c => c
            .exchange_token_set_with_qr_code_ticket("ticket-1")
            ),
            answer: |s| envelope(tokens(s)),
        },
        Case {
            name: "sign_in_by_credentials",
            call: call!(c => c
            .sign_in_by_credentials(SignInConnection::Password)
            .password_payload(SignInByPasswordPayloadDto {
                password: "pw".into(),
                account: Some("ada".into()),
                email: None,
                username: None,
                phone: None,
            })
            ),
            answer: |s| envelope(tokens(s)),
        },
        Case {
            name: "qr_code_app_login",
            call: call!(c => c
            .qr_code_app_login("qr-1", AppQrCodeLoginAction::AppLogin)
            ),
            answer: |s| envelope(tokens(s)),
        },
        Case {
            name: "sign_in_by_push",
            call: call!(c => c.sign_in_by_push("ada")),
            answer: |_| envelope(json!({ "pushCodeId": "pc-1", "expireTime": 120 })),
        },
        Case {
            name: "get_profile",
            call: call!(c => c.get_profile()),
            answer: |s| {
                envelope(
                    json!({ "userId": "u-1", "username": "ada", "customData": { "apiToken": s.next(), "note": s.next() },
                    "identities": [{ "accessToken": s.next(), "refreshToken": s.next() }] }),
                )
            },
        },
        Case {
            name: "send_enroll_factor_request",
            call: call!(c => c
            .send_enroll_factor_request(MfaFactorType::Otp, FactorProfile::default())
            ),
            answer: |s| {
                envelope(json!({ "enrollmentToken": s.next(), "otpData": {
                    "qrCodeUri": s.next(), "qrCodeDataUrl": s.next(), "recoveryCode": s.next() } }))
            },
        },
        Case {
            name: "auth_by_code_identity",
            call: call!(c => c.auth_by_code_identity("code")),
            answer: tokens,
        },
        Case {
            name: "verify_mfa_token",
            call: call!(c => c.verify_mfa_token("mfa")),
            answer: |s| json!({ "active": true, "userId": "u-1", "userPoolId": "up-1", "exp": 1, "iat": 0, "mfaToken": s.next() }),
        },
        Case {
            name: "get_system_info",
            call: call!(c => c.get_system_info()),
            answer: |s| json!({ "rsa": { "publicKey": s.next() }, "sm2": { "publicKey": "x" }, "version": {}, "publicIps": [] }),
        },
        Case {
            name: "gene_fastpass_qrcode_info",
            call: call!(c => c.gene_fastpass_qrcode_info()),
            answer: |s| {
                envelope(
                    json!({ "qrcodeId": "qr-1", "apiHost": "https://x.io", "user": { "displayName": "Ada", "token": s.next() }, "userpool": {} }),
                )
            },
        },
        Case {
            name: "wait_for_push_login",
            call: call!(c => c.wait_for_push_login(
                "pc-1",
                WaitOptions::default()
                    .interval(Duration::from_millis(1))
                    .deadline(Duration::from_millis(15))
                    .max_faults(2)
            )),
            answer: |s| envelope(json!({ "status": "AUTHORIZED", "tokenSet": tokens(s) })),
        },
    ]
}

/// Key names under which a value is a secret, for this test's own check.
fn is_secret_name(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['_', '-'], "");
    [
        "token",
        "ticket",
        "secret",
        "password",
        "recoverycode",
        "qrcodeuri",
        "qrcodedataurl",
    ]
    .iter()
    .any(|f| key.contains(f))
        && key != "tokentype"
}

/// The string values under secret names anywhere in `value`.
fn secrets_under_secret_names(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match item {
                    Value::String(s) if is_secret_name(key) => found.push(s.clone()),
                    _ => secrets_under_secret_names(item, found),
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|i| secrets_under_secret_names(i, found)),
        _ => {}
    }
}

/// The paths of every node of `value`, as key or index lists.
fn nodes(value: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                at.push(Value::String(key.clone()));
                nodes(item, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                at.push(json!(index));
                nodes(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(value: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut current = value;
    for step in path {
        current = match (current, step) {
            (Value::Object(map), Value::String(key)) => map.get_mut(key)?,
            (Value::Array(items), Value::Number(n)) => items.get_mut(n.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(current)
}

/// One structural change to a JSON answer.
fn mutate_json(value: &mut Value, rng: &mut fastrand::Rng, secrets: &mut Secrets) {
    let mut all = Vec::new();
    nodes(value, &mut Vec::new(), &mut all);
    let path = all[rng.usize(..all.len())].clone();
    let replacement = match rng.u8(..12) {
        0 => Value::Null,
        1 => json!(rng.i64(..)),
        2 => json!(rng.f64() * 1e6),
        3 => json!(secrets.next()),
        4 => json!([secrets.next(), 1, null]),
        5 => json!({ "access_token": secrets.next(), "nested": { "ticket": secrets.next() } }),
        6 => json!(true),
        7 => json!(format!("{}\" \\\" {}", secrets.next(), secrets.next())),
        8 => json!(format!("5\\\"{}", secrets.next())),
        9 => json!(""),
        10 => {
            // A secret moved to a key that may be shown: the envelope's own.
            let key = [
                "message",
                "requestId",
                "statusCode",
                "apiCode",
                "status",
                "data",
            ][rng.usize(..6)];
            if let Value::Object(map) = value {
                map.insert(
                    key.to_owned(),
                    json!(format!("token {} expired", secrets.next())),
                );
            }
            return;
        }
        _ => {
            // The status code: missing, null, retyped, a failure, a rate limit.
            if let Value::Object(map) = value {
                let code = [
                    json!(null),
                    json!("200"),
                    json!(200.0),
                    json!("abc"),
                    json!(400),
                    json!(429),
                    json!(500),
                    json!(secrets.next()),
                ][rng.usize(..8)]
                .clone();
                if rng.bool() {
                    map.remove("statusCode");
                } else {
                    map.insert("statusCode".to_owned(), code);
                }
                map.insert("apiCode".to_owned(), json!(rng.u16(..)));
            }
            return;
        }
    };
    if let Some(node) = node_mut(value, &path) {
        *node = replacement;
    }
}

/// One change to the bytes of an answer.
fn mutate_bytes(body: &mut Vec<u8>, rng: &mut fastrand::Rng) {
    if body.is_empty() {
        return;
    }
    let at = rng.usize(..body.len());
    match rng.u8(..7) {
        0 => body.truncate(at),
        1 => body.insert(at, b"\"\\{}[],:0x\x00\xff"[rng.usize(..12)]),
        2 => {
            body.remove(at);
        }
        3 => body[at] ^= 1 << rng.u8(..8),
        4 => body.splice(at..at, b"\\\"".iter().copied()).for_each(drop),
        5 => {
            let copy = body[at..].to_vec();
            body.extend_from_slice(&copy);
        }
        _ => body.splice(0..0, "\u{feff}  ".bytes()).for_each(drop),
    }
}

/// Whether `text` holds `secret`, or 16 characters of it in a row.
fn shows(text: &str, secret: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    text.contains(secret)
        || chars
            .windows(16)
            .any(|window| text.contains(&window.iter().collect::<String>()))
}

#[tokio::test]
async fn thousands_of_hostile_responses_never_panic_or_show_a_token() {
    let (capture, _guard) = Capture::start();

    let server = Scripted::start(vec![Step::Drop]).await;
    let client = AuthenticationClient::builder()
        .app_id(APP_ID)
        .app_host(&server.url)
        .allow_plain_http(true)
        .access_token(TOKEN)
        .retry(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let cases = cases();
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut secrets = Secrets::new(fastrand::Rng::with_seed(SEED ^ 1));
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let mut leaks = Vec::new();
    for round in 0..RESPONSES {
        let case = &cases[round % cases.len()];
        let first_secret = secrets.issued.len();
        let log_start = capture.len();
        let mut answer = (case.answer)(&mut secrets);
        // A first share goes out valid; the rest are mutated.
        let mutations = if round < cases.len() * 20 {
            0
        } else {
            1 + rng.usize(..3)
        };
        for _ in 0..mutations {
            mutate_json(&mut answer, &mut rng, &mut secrets);
        }
        let mut body = serde_json::to_vec(&answer).expect("serialises");
        if mutations > 0 && rng.u8(..3) == 0 {
            mutate_bytes(&mut body, &mut rng);
        }
        let status = if mutations > 0 && rng.u8(..6) == 0 {
            [400, 401, 404, 429, 500, 502, 503][rng.usize(..7)]
        } else {
            200
        };
        let content_type = [
            "application/json",
            "text/html",
            "text/plain; charset=utf-8",
            "application/octet-stream",
        ][if rng.u8(..8) == 0 { rng.usize(..4) } else { 0 }];
        server
            .play(vec![Step::Answer(
                status,
                content_type.to_owned(),
                body.clone(),
            )])
            .await;

        let outcome = (case.call)(&client).await;
        let (kind, shown, checked): (String, String, Vec<String>) = match &outcome {
            Ok(debug) => {
                // Only what sat under a secret's name must be hidden in a result.
                let mut under_names = Vec::new();
                if let Ok(sent) = serde_json::from_slice::<Value>(&body) {
                    secrets_under_secret_names(&sent, &mut under_names);
                }
                let checked = secrets.issued[first_secret..]
                    .iter()
                    .filter(|secret| {
                        under_names
                            .iter()
                            .any(|value| value.contains(secret.as_str()))
                    })
                    .cloned()
                    .collect();
                ("Ok".to_owned(), debug.clone(), checked)
            }
            Err(error) => {
                let kind = format!("{error:?}")
                    .split(['(', ' ', '{'])
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let mut chain = format!("{error} {error:?} {error:#?}");
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    chain.push_str(&format!(" {cause} {cause:?}"));
                    source = cause.source();
                }
                (kind, chain, secrets.issued[first_secret..].to_vec())
            }
        };
        *outcomes
            .entry(format!("{}: {kind}", case.name))
            .or_default() += 1;
        let log = capture.since(log_start);
        for secret in &secrets.issued[first_secret..] {
            if shows(&log, secret) {
                let line = log.lines().find(|l| shows(l, secret)).unwrap_or_default();
                leaks.push(format!(
                    "round {round}, {}: {secret} in the trace: {line}",
                    case.name
                ));
            }
        }
        for secret in &checked {
            if shows(&shown, secret) {
                leaks.push(format!(
                    "round {round}, {}: {secret} shown in {shown}\nbody: {}",
                    case.name,
                    String::from_utf8_lossy(&body)
                ));
            }
        }
    }
    drop(_guard);
    assert!(
        capture.text().contains("api_call"),
        "the trace was captured"
    );
    if let Ok(path) = std::env::var("MUTATION_LEAKS") {
        let _ = std::fs::write(path, leaks.join("\n=====\n"));
    }
    assert!(
        leaks.is_empty(),
        "{} leaks, such as:\n{}",
        leaks.len(),
        leaks[..leaks.len().min(5)].join("\n\n")
    );
    // The run reached every operation, and both successes and failures.
    assert!(
        server.requests() >= RESPONSES,
        "{} requests",
        server.requests()
    );
    let succeeded: usize = outcomes
        .iter()
        .filter(|(k, _)| k.ends_with(": Ok"))
        .map(|(_, n)| n)
        .sum();
    assert!(
        succeeded > 300 && succeeded < RESPONSES - 1000,
        "{outcomes:#?}"
    );
    for case in &cases {
        assert!(
            outcomes.keys().any(|k| k.starts_with(case.name)),
            "{} never ran",
            case.name
        );
    }
    for kind in ["Decode", "Api", "RateLimited", "Status", "LoginEnded"] {
        assert!(
            outcomes.keys().any(|k| k.ends_with(kind)),
            "no {kind} error in {outcomes:#?}"
        );
    }
}
