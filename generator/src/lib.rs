//! Turns an OpenAPI 3.0 or 3.1 description into a Rust API client.
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
    /// Puts each operation under a cargo feature named after its first tag,
    /// and each type under the features of the operations that use it, so
    /// that a crate's users compile only the parts of a large API they use.
    /// Operations without a tag are always compiled.
    pub features_by_tag: bool,
    /// The path of a module that turns paged list operations into streams
    /// of their items (a function `items` and a type `Items`), such as
    /// `crate::management::paging`. With it, each operation that takes
    /// `page` and `limit` and answers with `list` and `totalCount` gets an
    /// `items()` method; without it, none does.
    pub paging: Option<String>,
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
    /// The cargo features operations were split into, when they were.
    pub features: Vec<String>,
}

/// Emits and formats every file of `api`. The items of each file are shared
/// out among threads, each with its own emitter (token streams stay on the
/// thread that made them), and put back in order.
fn format_files(api: &model::Api, config: &Config) -> Result<Vec<(PathBuf, String)>, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    // Per thread, per file: its frame (from the first thread), and its
    // items at the indices `thread`, `thread + threads`, …
    type Part = Vec<(Option<Frame>, Vec<String>)>;
    let part = |thread: usize| -> Result<Part, Error> {
        let files = emit::emit(api, config).map_err(|d| Error::new(vec![d]))?;
        files
            .iter()
            .map(|file| {
                let failed = |e: syn::Error| {
                    internal(format!(
                        "internal error: the code generated for {} does not parse: {e}",
                        file.path.display()
                    ))
                };
                let frame = (thread == 0)
                    .then(|| Frame::of(file))
                    .transpose()
                    .map_err(failed)?;
                let items = (thread..file.items)
                    .step_by(threads)
                    .map(|index| {
                        emit::docs::set_aside(|| match &file.block {
                            Some(block) => format::member(block, file.item(index)),
                            None => format::item(file.item(index)),
                        })
                    })
                    .map(|text| text.map(|text| format::space_out(&text)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(failed)?;
                Ok((frame, items))
            })
            .collect()
    };
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .map(|thread| scope.spawn(move || part(thread)))
            .collect();
        let mut parts = vec![part(0)];
        for worker in workers {
            parts.push(worker.join().unwrap_or_else(|_| {
                Err(internal(
                    "internal error: a formatting thread stopped".to_owned(),
                ))
            }));
        }
        parts.into_iter().collect::<Result<Vec<_>, _>>()
    })?;
    // The frames, and each thread's items per file.
    let mut frames = Vec::new();
    let mut items: Vec<Vec<std::vec::IntoIter<String>>> = Vec::with_capacity(threads);
    for part in parts {
        let mut files = Vec::with_capacity(part.len());
        for (frame, file_items) in part {
            frames.extend(frame);
            files.push(file_items.into_iter());
        }
        items.push(files);
    }
    let out = frames
        .into_iter()
        .enumerate()
        .map(|(file, frame)| {
            // Item `i` was formatted by thread `i % threads`.
            let ordered: Vec<String> = (0..frame.items)
                .filter_map(|index| items.get_mut(index % threads)?.get_mut(file)?.next())
                .collect();
            let text = format::file(
                &config.preamble,
                &frame.head,
                frame.opening.as_deref(),
                &ordered,
            );
            (frame.path, text)
        })
        .collect();
    Ok(out)
}

/// What the first thread says of a file besides its items: where it goes,
/// its head, the line that opens the block its items sit in, and how many
/// items it has.
struct Frame {
    path: PathBuf,
    head: String,
    opening: Option<String>,
    items: usize,
}

impl Frame {
    fn of(file: &emit::File<'_>) -> Result<Self, syn::Error> {
        Ok(Self {
            path: file.path.clone(),
            head: format::space_out(&format::item(file.head.clone())?),
            opening: file.block.as_ref().map(format::opening).transpose()?,
            items: file.items,
        })
    }
}

/// A module with `call_every_operation(client)`, which calls each operation
/// of the spec once with example values for its required inputs: the body
/// of a contract test. `client`, `models` and `error` are the paths the
/// calls are written with, such as `genauth::management::ManagementClient`.
pub fn example_calls(
    text: &str,
    config: &Config,
    client: &str,
    models: &str,
    error: &str,
) -> Result<String, Error> {
    let (api, _) = lowered(text, config)?;
    let path = |text: &str| {
        syn::parse_str::<syn::Path>(text)
            .map_err(|e| internal(format!("`{text}` is not a Rust path: {e}")))
    };
    let paths = emit::examples::Paths {
        client: path(client)?,
        models: path(models)?,
        error: path(error)?,
    };
    let tokens = emit::examples::calls(&api, &paths);
    let head = format::item(tokens)
        .map(|text| format::space_out(&text))
        .map_err(|e| {
            internal(format!(
                "internal error: the example calls do not parse: {e}"
            ))
        })?;
    Ok(format::file(&config.preamble, &head, None, &[]))
}

/// Everything the generator finds in the spec in `text`, without emitting
/// code: the warnings if it can be generated, the errors if not.
pub fn check(text: &str, config: &Config) -> Result<Vec<Diagnostic>, Error> {
    lowered(text, config).map(|(_, diagnostics)| diagnostics)
}

/// The spec in `text` as the generator's model, with the warnings found on
/// the way, for callers that inspect what would be generated.
pub fn lower_spec(text: &str, config: &Config) -> Result<(model::Api, Vec<Diagnostic>), Error> {
    lowered(text, config)
}

/// The spec in `text` as the generator's model, with the warnings found on
/// the way; every error (and warning) if it cannot be generated. The parsed
/// document, as large as the spec, is gone once the model is made.
fn lowered(text: &str, config: &Config) -> Result<(model::Api, Vec<Diagnostic>), Error> {
    let parsed = parse::parse(text).map_err(|d| Error::new(vec![d]))?;
    let (api, lowered) = lower::lower(&parsed.document, config);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(lowered);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::new(diagnostics));
    }
    Ok((api, diagnostics))
}

/// An error that is not the spec's: the generator's own, or its caller's.
fn internal(message: String) -> Error {
    Error::new(vec![Diagnostic::error(Pointer::root(), message)])
}

/// Generates Rust source from the spec in `text`.
///
/// Fails with every error found (and the warnings beside them) when the spec
/// cannot be generated; never panics, whatever the input.
pub fn generate(text: &str, config: &Config) -> Result<Generated, Error> {
    let (api, diagnostics) = lowered(text, config)?;
    let files = format_files(&api, config)?;
    let generated = files
        .into_iter()
        .map(|(path, contents)| GeneratedFile { path, contents })
        .collect();
    Ok(Generated {
        files: generated,
        warnings: diagnostics,
        title: api.title.clone(),
        operations: api.operations.len(),
        types: api.types.len(),
        features: api
            .operations
            .iter()
            .filter_map(|op| op.feature.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
    })
}
