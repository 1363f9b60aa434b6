//! A real Prism mock server (`@stoplight/prism-cli` from npm), installed
//! under Cargo's target directory on first use and started on a spec with
//! `--errors`, so that it answers 4xx to any request the spec does not allow.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.16.0";
const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Where Prism is installed: a directory of Cargo's, kept between runs.
fn prism_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism")
}

fn prism_binary() -> PathBuf {
    prism_dir().join("node_modules/.bin/prism")
}

/// Prism, installed once per test run however many tests ask at once.
pub async fn ensure_prism() -> Option<PathBuf> {
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
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    pub async fn start_on(binary: &Path, spec: &Path) -> Prism {
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
            .arg(spec)
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

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}
