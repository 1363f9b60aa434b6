//! A loopback HTTP/1.1 server that answers each request as a script says,
//! for the faults a well-behaved mock server cannot produce: connections
//! dropped mid-request, answers that never come, bodies cut short or sent
//! in chunks of any size. It also counts the connections open to it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Closes the connection without answering.
    Drop,
    /// Answers nothing for this long, then closes.
    Stall(Duration),
    /// Writes these bytes as the whole answer, then closes the connection.
    Raw(Vec<u8>),
    /// Answers HTTP 200 with this JSON body and keeps the connection open.
    Json(String),
    /// Like `Json`, after a pause.
    SlowJson(Duration, String),
    /// Answers with this status, content type and body, and keeps the
    /// connection open.
    Answer(u16, String, Vec<u8>),
}

impl Step {
    /// HTTP 200 with `body` as JSON, on a connection kept open.
    pub fn json(body: serde_json::Value) -> Self {
        Self::Json(body.to_string())
    }

    /// A response whose head promises `length` bytes of body but which
    /// sends only `body`, then closes.
    pub fn truncated(body: &str, length: usize) -> Self {
        Self::Raw(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n{body}"
            )
            .into_bytes(),
        )
    }

    /// HTTP `status` with `body`, then closes.
    pub fn status(status: u16, body: &str) -> Self {
        Self::Raw(
            format!(
                "HTTP/1.1 {status} Whatever\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }
}

/// The running server; it stops when dropped.
pub struct Scripted {
    pub url: String,
    open: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    script: Script,
    task: tokio::task::JoinHandle<()>,
}

impl Scripted {
    /// Serves `script` one step per request, in order; after the last step,
    /// repeats it.
    pub async fn start(script: Vec<Step>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let open = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new((script, 0usize)));
        let shared_script = Arc::clone(&script);
        let (open_count, request_count) = (Arc::clone(&open), Arc::clone(&requests));
        let peak_count = Arc::clone(&peak);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let script = Arc::clone(&script);
                let open = Arc::clone(&open_count);
                let requests = Arc::clone(&request_count);
                let now_open = open.fetch_add(1, Ordering::SeqCst) + 1;
                peak_count.fetch_max(now_open, Ordering::SeqCst);
                tokio::spawn(async move {
                    serve(stream, script, requests).await;
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self {
            url,
            open,
            peak,
            requests,
            script: shared_script,
            task,
        }
    }

    /// Replaces the script, starting again from its first step.
    pub async fn play(&self, script: Vec<Step>) {
        *self.script.lock().await = (script, 0);
    }

    /// Connections open to the server right now.
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// The most connections that were open at once.
    pub fn peak_connections(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Script = Arc<Mutex<(Vec<Step>, usize)>>;

async fn serve(mut stream: TcpStream, script: Script, requests: Arc<AtomicUsize>) {
    // Each request on the connection takes the next step; at most 10,000.
    for _ in 0..10_000 {
        if !read_request(&mut stream).await {
            return;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        let step = {
            let mut guard = script.lock().await;
            let (steps, next) = &mut *guard;
            let index = (*next).min(steps.len().saturating_sub(1));
            *next += 1;
            steps.get(index).cloned().unwrap_or(Step::Drop)
        };
        match step {
            Step::Drop => return,
            Step::Stall(time) => {
                tokio::time::sleep(time).await;
                return;
            }
            Step::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Step::SlowJson(pause, body) => {
                tokio::time::sleep(pause).await;
                if !answer_json(&mut stream, &body).await {
                    return;
                }
            }
            Step::Json(body) => {
                if !answer_json(&mut stream, &body).await {
                    return;
                }
            }
            Step::Answer(status, content_type, body) => {
                let mut answer = format!(
                    "HTTP/1.1 {status} Whatever\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                answer.extend_from_slice(&body);
                if stream.write_all(&answer).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Answers HTTP 200 with a JSON body; false when the client has gone.
async fn answer_json(stream: &mut TcpStream, body: &str) -> bool {
    // One write: a head and a body written apart would meet Nagle's
    // algorithm and the client's delayed ACK.
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(answer.as_bytes()).await.is_ok()
}

/// Reads one request (head and body); false when the client has gone.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > 64 * 1024 {
            return false;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    true
}
