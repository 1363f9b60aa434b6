//! Everything `tracing` writes during a test, at every level and with
//! every span event, kept for the test to search.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// The text the subscriber wrote, shared with the test.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Captures the trace of this thread until the guard is dropped.
    pub fn start() -> (Self, tracing::subscriber::DefaultGuard) {
        let capture = Self::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_writer(capture.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        (capture, guard)
    }

    /// How many bytes were written so far.
    pub fn len(&self) -> usize {
        self.0.lock().map(|b| b.len()).unwrap_or_default()
    }

    /// What was written from byte `start` on.
    pub fn since(&self, start: usize) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(b.get(start..).unwrap_or_default()).into_owned())
            .unwrap_or_default()
    }

    /// Everything written.
    pub fn text(&self) -> String {
        self.since(0)
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
