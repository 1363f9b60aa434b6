//! The contract test: every generated operation, called through the client
//! against a real Prism mock server started on the spec with `--errors`.
//! Prism checks each request (path, query, headers, security, body) against
//! the spec and answers 4xx when it does not conform, so every call must
//! succeed.
//!
//! Prism comes from npm (`@stoplight/prism-cli`) and is installed under
//! Cargo's target directory on first use. Without npm the test says so and
//! does nothing.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use genauth::models::{
    AppQrCodeLoginAction, PushCodeAction, QrCodeAction, QrCodeType, SignInByPushOptionsDto,
    SignInFastpassOptionsDto,
};
use genauth::{AuthenticationClient, TokenEndpointAuthMethod};
use tokio::process::{Child, Command};

const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.16.0";
const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);
const START_TIMEOUT: Duration = Duration::from_secs(60);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_path() -> PathBuf {
    workspace_root().join("specs/genauth-v3.yaml")
}

/// Where Prism is installed: a directory of Cargo's, kept between runs.
fn prism_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism")
}

fn prism_binary() -> PathBuf {
    prism_dir().join("node_modules/.bin/prism")
}

/// Prism, installed once per test run however many tests ask at once.
async fn ensure_prism() -> Option<PathBuf> {
    static INSTALLED: tokio::sync::OnceCell<Option<PathBuf>> = tokio::sync::OnceCell::const_new();
    INSTALLED.get_or_init(install_prism).await.clone()
}

/// Installs Prism if needed; `None` (with the reason printed) when npm is missing.
async fn install_prism() -> Option<PathBuf> {
    let binary = prism_binary();
    if binary.exists() {
        return Some(binary);
    }
    let npm = Command::new("npm").arg("--version").output().await;
    if !npm.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED: the Prism contract test needs npm (Node.js) to install {PRISM_PACKAGE}, and `npm --version` failed; install Node.js to run it"
        );
        return None;
    }
    std::fs::create_dir_all(prism_dir()).expect("create the Prism directory");
    let install = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(prism_dir())
        .arg(PRISM_PACKAGE)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(INSTALL_TIMEOUT, install)
        .await
        .expect("npm install finishes within five minutes")
        .expect("npm runs");
    assert!(
        output.status.success() && binary.exists(),
        "npm could not install {PRISM_PACKAGE}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(binary)
}

/// A running Prism, stopped when dropped.
struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    async fn start(binary: &Path) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = prism_dir().join(format!("prism-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("create the Prism log");
        let child = Command::new(binary)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .arg(spec_path())
            .stdout(Stdio::from(log_file.try_clone().expect("log handle")))
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .expect("start Prism");
        let mut prism = Prism { child, port, log };
        prism.wait_until_listening().await;
        prism
    }

    async fn wait_until_listening(&mut self) {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited with {status} before listening:\n{}",
                    self.log_text()
                );
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!(
            "Prism did not listen on port {} within {START_TIMEOUT:?}:\n{}",
            self.port,
            self.log_text()
        );
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// The operation IDs the spec declares.
fn spec_operation_ids() -> BTreeSet<String> {
    let text = std::fs::read_to_string(spec_path()).expect("read the spec");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let paths = spec["paths"].as_object().expect("paths");
    paths
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten())
        .filter_map(|(_, operation)| operation.get("operationId").and_then(|id| id.as_str()))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn prism_accepts_every_operation() {
    let Some(binary) = ensure_prism().await else {
        return;
    };
    let prism = Prism::start(&binary).await;
    let builder = || {
        AuthenticationClient::builder()
            .app_id("62eb7ed1f04c1f2a3b4c5d6e")
            .app_host(prism.url())
            .allow_plain_http(true)
    };
    let anonymous = builder().build().expect("client");
    let signed_in = builder()
        .access_token("eyJhbGciOiJSUzI1NiJ9.user")
        .build()
        .expect("client");
    let basic = builder()
        .app_secret("app-secret")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .build()
        .expect("client");

    let mut called = BTreeSet::new();
    let mut failures = Vec::new();
    macro_rules! check {
        ($id:literal, $call:expr) => {{
            called.insert($id.to_owned());
            match $call.await {
                Ok(resp) if resp.status_code == 200 => {}
                Ok(resp) => failures.push(format!("{}: statusCode {}", $id, resp.status_code)),
                Err(e) => failures.push(format!("{}: {e}", $id)),
            }
        }};
    }

    check!("signInByPush", anonymous.sign_in_by_push("test"));
    check!(
        "signInByPush",
        anonymous
            .sign_in_by_push("test")
            .options(SignInByPushOptionsDto {
                scope: Some("openid profile".into()),
                context: Some(serde_json::Map::from_iter([(
                    "source".into(),
                    "utm".into()
                )])),
                custom_data: Some(serde_json::Map::from_iter([(
                    "school".into(),
                    "pku".into()
                )])),
            })
    );
    check!(
        "checkPushCodeStatus",
        anonymous.check_push_code_status("6a1f0c2e9b7d4c3fa1e2d3c4")
    );
    check!(
        "changePushCodeStatus",
        signed_in.change_push_code_status("6a1f0c2e9b7d4c3fa1e2d3c4", PushCodeAction::Confirm)
    );
    check!(
        "changePushCodeStatus",
        signed_in.change_push_code_status("6a1f0c2e9b7d4c3fa1e2d3c4", PushCodeAction::Cancel)
    );
    check!(
        "getPushLoginRelationApps",
        anonymous
            .get_push_login_relation_apps("6a1f0c2e9b7d4c3fa1e2d3c4", "62eb7ed1f04c1f2a3b4c5d6e")
    );
    check!(
        "geneFastpassQrcodeInfo",
        signed_in.gene_fastpass_qrcode_info()
    );
    check!(
        "geneFastpassQrcodeInfo",
        signed_in
            .gene_fastpass_qrcode_info()
            .options(SignInFastpassOptionsDto {
                scope: Some("openid".into()),
                ..Default::default()
            })
    );
    check!(
        "getFastpassParams",
        anonymous.get_fastpass_params("7c2d9e4b1a0f3e5d6c7b8a90", "62eb7ed1f04c1f2a3b4c5d6e")
    );
    check!(
        "getAppLoginQrCodeStatus",
        anonymous.get_app_login_qr_code_status("7c2d9e4b1a0f3e5d6c7b8a90")
    );
    check!(
        "qrCodeAppLogin",
        anonymous.qr_code_app_login("7c2d9e4b1a0f3e5d6c7b8a90", AppQrCodeLoginAction::AppLogin)
    );
    check!("geneQrCode", anonymous.gene_qr_code(QrCodeType::MobileApp));
    check!(
        "geneQrCode",
        anonymous
            .gene_qr_code(QrCodeType::WechatMiniprogram)
            .ext_idp_conn_id("62eb7ed1f04c1f2a3b4c5d6e")
            .context(serde_json::Map::new())
            .custom_data(serde_json::Map::new())
            .auto_merge_qr_code(false)
    );
    check!(
        "checkQrCodeStatus",
        anonymous.check_qr_code_status("7c2d9e4b1a0f3e5d6c7b8a90")
    );
    check!(
        "exchangeTokenSetWithQrCodeTicket",
        anonymous
            .exchange_token_set_with_qr_code_ticket("1b2c3d4e5f60718293a4b5c6")
            .client_id("62eb7ed1f04c1f2a3b4c5d6e")
            .client_secret("app-secret")
    );
    check!(
        "exchangeTokenSetWithQrCodeTicket",
        basic.exchange_token_set_with_qr_code_ticket("1b2c3d4e5f60718293a4b5c6")
    );
    for action in [
        QrCodeAction::Scan,
        QrCodeAction::Confirm,
        QrCodeAction::Cancel,
    ] {
        check!(
            "changeQrCodeStatus",
            signed_in.change_qr_code_status("7c2d9e4b1a0f3e5d6c7b8a90", action)
        );
    }

    assert!(
        failures.is_empty(),
        "Prism rejected calls:\n{}\n\nPrism log:\n{}",
        failures.join("\n"),
        prism.log_text()
    );
    assert_eq!(
        called,
        spec_operation_ids(),
        "every operation of the spec is called, and only those"
    );
}

/// Without this, a Prism that accepted anything would pass the test above.
#[tokio::test(flavor = "multi_thread")]
async fn prism_rejects_requests_that_break_the_spec() {
    let Some(binary) = ensure_prism().await else {
        return;
    };
    let prism = Prism::start(&binary).await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v3/signin-by-push", prism.url());
    let send = |request: reqwest::RequestBuilder| async move {
        request
            .send()
            .await
            .expect("Prism answers")
            .status()
            .as_u16()
    };

    let missing_account = http
        .post(&url)
        .header("x-genauth-app-id", "a")
        .header("content-type", "application/json")
        .body("{}");
    assert_eq!(send(missing_account).await, 422);
    let missing_app_id = http
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"account":"test"}"#);
    assert_eq!(send(missing_app_id).await, 401);
    let wrong_enum = http
        .post(format!("{}/api/v3/gene-qrcode", prism.url()))
        .header("x-genauth-app-id", "a")
        .header("content-type", "application/json")
        .body(r#"{"type":"FAX"}"#);
    assert_eq!(send(wrong_enum).await, 422);
    let fastpass_without_token = http
        .post(format!("{}/api/v3/gene-fastpass-qrcode-info", prism.url()))
        .header("x-genauth-app-id", "a")
        .header("content-type", "application/json")
        .body("{}");
    assert_eq!(send(fastpass_without_token).await, 401);
}
