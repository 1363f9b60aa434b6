//! Stage 3: the model to Rust token streams, one per generated file.

pub(crate) mod docs;
pub(crate) mod examples;
mod operations;
mod security;
mod types;

use std::path::PathBuf;
use std::rc::Rc;

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
    /// The module that streams the items of paged operations, if any.
    paging: Option<syn::Path>,
}

/// A generated file as the emitter describes it: a head (module docs and
/// imports) and then its items, each made only when asked for, so that a
/// large spec never holds the tokens of a whole file at once, and the items
/// can be formatted by several threads.
pub struct File<'a> {
    /// Relative to the output directory.
    pub path: PathBuf,
    pub head: TokenStream,
    /// The block the items sit in, such as `impl Client`; at the top level
    /// of the file if `None`.
    pub block: Option<TokenStream>,
    /// How many items the file has.
    pub items: usize,
    item: Box<dyn Fn(usize) -> TokenStream + 'a>,
}

impl File<'_> {
    /// The item at `index`, below [`File::items`].
    pub fn item(&self, index: usize) -> TokenStream {
        (self.item)(index)
    }

    fn whole(path: &str, head: TokenStream) -> Self {
        Self {
            path: path.into(),
            head,
            block: None,
            items: 0,
            item: Box::new(|_| TokenStream::new()),
        }
    }
}

/// The generated files.
pub fn emit<'a>(api: &'a Api, config: &Config) -> Result<Vec<File<'a>>, Diagnostic> {
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
    let cx = Rc::new(Context {
        api,
        title: docs::title(&api.title),
        client_ident: ident(&client_name),
        client_name,
        client_path,
        runtime: path(&config.runtime_path, "runtime path")?,
        security_name: "SecurityScheme".to_owned(),
        envelope: config.envelope,
        paging: config
            .paging
            .as_deref()
            .map(|text| path(text, "paging module"))
            .transpose()?,
    });
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
    // A client with no operation to call attaches no credential.
    let attach_credentials = config.attach_credentials && !api.operations.is_empty();
    let attach = attach_credentials.then(|| {
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
        File::whole("mod.rs", root),
        operations::client(&cx),
        types::models(&cx),
        operations::requests(&cx),
        File::whole("security.rs", security::security(&cx, attach_credentials)),
    ])
}

/// The items in `tokens`, each compiled only with one of `features` (all of
/// them always, if `features` is empty).
fn gate(tokens: TokenStream, features: &[String]) -> TokenStream {
    if features.is_empty() {
        return tokens;
    }
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else {
        // Not items: the formatter reports it.
        return tokens;
    };
    let attribute = || -> syn::Attribute {
        match features {
            [one] => syn::parse_quote!(#[cfg(feature = #one)]),
            many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
        }
    };
    for item in &mut file.items {
        if let Some(attributes) = item_attributes(item) {
            let after_docs = attributes
                .iter()
                .take_while(|a| a.path().is_ident("doc"))
                .count();
            attributes.insert(after_docs, attribute());
        }
    }
    let items = file.items;
    quote!(#(#items)*)
}

/// The attributes of the kinds of item the emitter writes.
fn item_attributes(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Type(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        syn::Item::Const(item) => Some(&mut item.attrs),
        _ => None,
    }
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
