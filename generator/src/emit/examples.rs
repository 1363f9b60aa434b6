//! A call of every operation, for contract tests: each required input gets
//! the spec's example, or a value made to fit its type, so that a server
//! checking requests against the spec (such as Prism) accepts every call.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::ident;
use crate::model::{Api, Input, TypeKind, TypeRef};

/// How deep values are built inside each other before falling back to
/// `Default::default()`, which a cycle of required fields would need.
const MAX_DEPTH: usize = 8;

/// Paths the calls are written with.
pub struct Paths {
    pub client: syn::Path,
    pub models: syn::Path,
    pub error: syn::Path,
}

/// `call_every_operation(client)`: each operation's ID and its outcome.
pub fn calls(api: &Api, paths: &Paths) -> TokenStream {
    let Paths {
        client,
        models,
        error,
    } = paths;
    let values = Values { api, models };
    let calls = api.operations.iter().map(|op| {
        let method = ident(&op.method_name);
        let id = &op.id;
        // The method's arguments: its required inputs, in order.
        let args = op
            .inputs
            .iter()
            .filter(|input| input.required)
            .map(|input| values.input(input));
        quote! {
            results.push((#id, client.#method(#(#args),*).await.map(drop)));
        }
    });
    // Deprecated operations are called too: the contract still holds.
    let deprecated = api
        .operations
        .iter()
        .any(|op| op.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        //! A call of every operation with example values, for the contract test.

        /// Calls every operation once; each operation's ID and outcome.
        #deprecated
        pub async fn call_every_operation(client: &#client) -> Vec<(&'static str, Result<(), #error>)> {
            let mut results = Vec::new();
            #(#calls)*
            results
        }
    }
}

struct Values<'a> {
    api: &'a Api,
    models: &'a syn::Path,
}

impl Values<'_> {
    fn input(&self, input: &Input) -> TokenStream {
        let value = self.value(&input.ty, input.example.as_ref(), 0);
        if input.nullable {
            quote!(Some(#value))
        } else {
            value
        }
    }

    /// An expression of type `ty`, from `example` where it fits.
    fn value(&self, ty: &TypeRef, example: Option<&Value>, depth: usize) -> TokenStream {
        if depth > MAX_DEPTH {
            return quote!(Default::default());
        }
        match ty {
            TypeRef::String => {
                let text = match example {
                    Some(Value::String(text)) => text.clone(),
                    Some(other) if !other.is_null() => other.to_string(),
                    _ => "example".to_owned(),
                };
                quote!(String::from(#text))
            }
            TypeRef::I64 => {
                let n = example.and_then(Value::as_i64).unwrap_or(1);
                quote!(#n)
            }
            TypeRef::I32 => {
                let n = example
                    .and_then(Value::as_i64)
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or(1);
                quote!(#n)
            }
            TypeRef::F64 => {
                let n = example.and_then(Value::as_f64).unwrap_or(1.0);
                quote!(#n)
            }
            TypeRef::Bool => {
                let b = example.and_then(Value::as_bool).unwrap_or(true);
                quote!(#b)
            }
            TypeRef::Any => {
                let json = example
                    .cloned()
                    .unwrap_or(Value::Object(Default::default()))
                    .to_string();
                quote!(serde_json::from_str::<serde_json::Value>(#json).unwrap_or_default())
            }
            // Taken as `impl Into<FilePart>` or `impl Into<Bytes>`.
            TypeRef::File | TypeRef::Bytes => quote!(b"example".to_vec()),
            TypeRef::Object => {
                let json = match example {
                    Some(Value::Object(_)) => example.map(Value::to_string).unwrap_or_default(),
                    _ => "{}".to_owned(),
                };
                quote!(serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(#json).unwrap_or_default())
            }
            TypeRef::Array(item) => {
                let first = match example {
                    Some(Value::Array(items)) => items.first(),
                    _ => None,
                };
                let item = self.value(item, first, depth + 1);
                quote!(vec![#item])
            }
            TypeRef::Map(_) => quote!(Default::default()),
            TypeRef::Named(name) => self.named(name, example, depth),
        }
    }

    fn named(&self, name: &str, example: Option<&Value>, depth: usize) -> TokenStream {
        let models = self.models;
        let Some(def) = self.api.types.iter().find(|def| def.name == name) else {
            return quote!(Default::default());
        };
        let ty = ident(name);
        match &def.kind {
            TypeKind::Alias(target) => self.value(target, example, depth),
            TypeKind::Enum(e) => {
                let wanted = example.and_then(Value::as_str);
                let variant = e
                    .variants
                    .iter()
                    .find(|v| Some(v.value.as_str()) == wanted)
                    .or_else(|| e.variants.first());
                match variant {
                    Some(variant) => {
                        let variant = ident(&variant.name);
                        quote!(#models::#ty::#variant)
                    }
                    None => quote!(Default::default()),
                }
            }
            TypeKind::Union(union) => match union.variants.first() {
                Some(first) => {
                    let variant = ident(&first.name);
                    let value = self.value(&first.ty, example, depth + 1);
                    let value = if first.boxed {
                        quote!(Box::new(#value))
                    } else {
                        value
                    };
                    quote!(#models::#ty::#variant(#value))
                }
                None => quote!(Default::default()),
            },
            TypeKind::Struct(fields) => {
                let fields = fields.iter().map(|field| {
                    let name = ident(&field.name);
                    if field.is_optional() {
                        return quote!(#name: None,);
                    }
                    let own = example
                        .and_then(|e| e.get(&field.wire_name))
                        .or(field.example.as_ref());
                    let value = self.value(&field.ty, own, depth + 1);
                    let value = if field.boxed {
                        quote!(Box::new(#value))
                    } else {
                        value
                    };
                    quote!(#name: #value,)
                });
                quote!(#models::#ty { #(#fields)* })
            }
        }
    }
}
