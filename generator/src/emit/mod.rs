//! Stage 3: the model to Rust token streams, one per generated file.

pub(crate) mod docs;
mod operations;
mod security;
mod types;

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::Config;
use crate::diagnostic::{Diagnostic, Pointer};
use crate::model::Api;

/// What every emitter needs: the model and the paths the generated code uses.
struct Context<'a> {
    api: &'a Api,
    /// The API's title, ready to be placed in a sentence of a doc comment.
    title: String,
    client_name: String,
    client_ident: Ident,
    client_path: syn::Path,
    runtime: syn::Path,
    security_name: String,
    /// Calls report their outcome in GenAuth's response envelope.
    envelope: bool,
}

/// The generated files, relative to the output directory.
pub fn emit(api: &Api, config: &Config) -> Result<Vec<(PathBuf, TokenStream)>, Diagnostic> {
    let path = |text: &str, what: &str| {
        syn::parse_str::<syn::Path>(text).map_err(|e| {
            Diagnostic::error(
                Pointer::root(),
                format!("the configured {what} `{text}` is not a Rust path: {e}"),
            )
        })
    };
    let client_path = path(&config.client_path, "client path")?;
    let client_name = client_path
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default();
    let cx = Context {
        api,
        title: docs::title(&api.title),
        client_ident: ident(&client_name),
        client_name,
        client_path,
        runtime: path(&config.runtime_path, "runtime path")?,
        security_name: "SecurityScheme".to_owned(),
        envelope: config.envelope,
    };
    let description = api.description.as_deref().map(docs::spec);
    let module_doc = docs::inner(&docs::paragraphs([
        Some(
            format!(
                "Generated from the OpenAPI description of the {}.",
                cx.title
            )
            .as_str(),
        ),
        description.as_deref(),
    ]));
    let security = ident(&cx.security_name);
    let attach = config.attach_credentials.then(|| {
        quote!(
            pub(crate) use security::attach_credential;
        )
    });
    let root = quote! {
        #module_doc
        mod client;
        pub mod models;
        pub mod requests;
        mod security;

        pub use security::#security;
        #attach
    };
    Ok(vec![
        ("mod.rs".into(), root),
        ("client.rs".into(), operations::client(&cx)),
        ("models.rs".into(), types::models(&cx)),
        ("requests.rs".into(), operations::requests(&cx)),
        (
            "security.rs".into(),
            security::security(&cx, config.attach_credentials),
        ),
    ])
}

/// An identifier for a name the model guarantees is valid; never panics, so a
/// name that slipped through shows up as a compile error in the output
/// instead of a crash.
fn ident(name: &str) -> Ident {
    if crate::names::is_identifier(name) {
        Ident::new(name, Span::call_site())
    } else {
        Ident::new("invalid_identifier", Span::call_site())
    }
}
