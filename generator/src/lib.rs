//! Turns an OpenAPI 3.0 description into a Rust API client.
//!
//! The work is a pipeline, one module per stage:
//!
//! 1. [`parse`]: spec text (JSON or YAML) to an `openapiv3` document;
//! 2. `lower`: the document to the generator's own [`model`], with names
//!    chosen, references resolved and problems collected as [`Diagnostic`]s
//!    that point into the spec;
//! 3. `emit`: the model to token streams, one per file;
//! 4. `format`: token streams to text with `prettyplease`;
//! 5. [`write`]: text to disk, or a check that disk already matches.
//!
//! The generated code targets `genauth-runtime` through a module of the
//! client crate, named by [`Config::runtime_path`], which provides
//! `CallOptions`, `Envelope`, `Error`, `Method`, `Operation`, `Request`,
//! `RetryPolicy`, `ResponseFuture`, `EmptyResponseFuture` and the runtime's
//! `fields` module (how models read their fields, and `JsonDebug`); and a
//! client type ([`Config::client_path`]) with `send` and `send_empty`
//! methods that take a request and the operation's security alternatives.

// Nothing the generator reads from a spec may crash it.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unimplemented
)]

pub mod diagnostic;
mod emit;
mod format;
mod lower;
pub mod model;
mod names;
pub mod parse;
pub mod standalone;
mod text;
pub mod write;

use std::path::PathBuf;

pub use diagnostic::{Diagnostic, Error, Pointer, Severity};

/// How to generate: where the generated code finds its runtime and client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Path of the client type the operations become methods of, such as
    /// `crate::AuthenticationClient`.
    pub client_path: String,
    /// Path of the runtime module, such as `crate::runtime`.
    pub runtime_path: String,
    /// Methods the client already has, which operations must not take.
    pub reserved_method_names: Vec<String>,
    /// The text of the first line of every file, which marks it as generated.
    pub preamble: String,
    /// Also emit `attach_credential(scheme, value, request)`, which puts a
    /// credential where its security scheme says, for a client that is not
    /// written for this API.
    pub attach_credentials: bool,
    /// The API reports the outcome of calls in GenAuth's response envelope:
    /// an object whose integer `statusCode` is 200 on success, and which
    /// carries failures (with `apiCode`, `message` and `requestId`) even for
    /// operations whose successful result is a bare value. Without it, the
    /// HTTP status alone says whether a call succeeded.
    pub envelope: bool,
}

impl Config {
    /// The client type's own name: the last segment of its path.
    pub fn client_name(&self) -> &str {
        self.client_path
            .rsplit("::")
            .next()
            .unwrap_or_default()
            .trim()
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory.
    pub path: PathBuf,
    pub contents: String,
}

/// The result of a successful generation.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// The API's title, from the spec.
    pub title: String,
    pub operations: usize,
    pub types: usize,
}

/// Everything the generator finds in the spec in `text`, without emitting
/// code: the warnings if it can be generated, the errors if not.
pub fn check(text: &str, config: &Config) -> Result<Vec<Diagnostic>, Error> {
    let document = parse::parse(text).map_err(|d| Error::new(vec![d]))?;
    let (_, diagnostics) = lower::lower(&document, config);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::new(diagnostics));
    }
    Ok(diagnostics)
}

/// Generates Rust source from the spec in `text`.
///
/// Fails with every error found (and the warnings beside them) when the spec
/// cannot be generated; never panics, whatever the input.
pub fn generate(text: &str, config: &Config) -> Result<Generated, Error> {
    let document = parse::parse(text).map_err(|d| Error::new(vec![d]))?;
    let (api, diagnostics) = lower::lower(&document, config);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::new(diagnostics));
    }
    let files = emit::emit(&api, config).map_err(|d| Error::new(vec![d]))?;
    let mut generated = Vec::with_capacity(files.len());
    for (path, tokens) in files {
        let contents = format::format(tokens, &config.preamble).map_err(|e| {
            let message = format!(
                "internal error: the code generated for {} does not parse: {e}",
                path.display()
            );
            Error::new(vec![Diagnostic::error(Pointer::root(), message)])
        })?;
        generated.push(GeneratedFile { path, contents });
    }
    Ok(Generated {
        files: generated,
        warnings: diagnostics,
        title: api.title.clone(),
        operations: api.operations.len(),
        types: api.types.len(),
    })
}
