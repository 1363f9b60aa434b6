//! Operations: a method on the client per operation, and the request type it
//! returns, which takes optional inputs as setters and sends itself when awaited.

mod client;
mod requests;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::TypeRef;

pub use client::client;
pub use requests::requests;

/// The path from the generated client and request modules to the models.
fn models() -> TokenStream {
    quote!(super::models)
}

/// The runtime's types that values of `types` need, sorted, once each.
fn runtime_types<'t>(types: impl Iterator<Item = &'t TypeRef>) -> Vec<proc_macro2::Ident> {
    fn walk(ty: &TypeRef, found: &mut std::collections::BTreeSet<&'static str>) {
        match ty {
            TypeRef::File => {
                found.insert("FilePart");
            }
            TypeRef::Bytes => {
                found.insert("Bytes");
            }
            TypeRef::Array(item) | TypeRef::Map(item) => walk(item, found),
            _ => {}
        }
    }
    let mut found = std::collections::BTreeSet::new();
    for ty in types {
        walk(ty, &mut found);
    }
    found.into_iter().map(ident).collect()
}
