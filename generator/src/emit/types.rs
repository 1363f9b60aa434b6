//! The models file: one Rust type per named type of the model.

use proc_macro2::TokenStream;
use quote::quote;

use std::rc::Rc;

use super::{Context, File, docs, gate, ident};
use crate::model::{Enum, Field, TypeDef, TypeKind, TypeRef, Union};

/// The whole models module.
pub fn models<'a>(cx: &Rc<Context<'a>>) -> File<'a> {
    let module_doc = docs::inner(&format!(
        "The request and response types of the {}.",
        cx.title
    ));
    // Enums implement both traits; structs and unions only in the
    // directions they travel.
    let uses = |direction: fn(&TypeDef) -> bool| {
        cx.api.types.iter().any(|t| match t.kind {
            TypeKind::Enum(_) => true,
            TypeKind::Struct(_) | TypeKind::Union(_) => direction(t),
            TypeKind::Alias(_) => false,
        })
    };
    let traits: Vec<TokenStream> = [
        (uses(|t| t.usage.response), quote!(Deserialize)),
        (uses(|t| t.usage.request), quote!(Serialize)),
    ]
    .into_iter()
    .filter_map(|(used, name)| used.then_some(name))
    .collect();
    let import = (!traits.is_empty()).then(|| quote! { use serde::{#(#traits),*}; });
    let item_cx = Rc::clone(cx);
    File {
        path: "models.rs".into(),
        head: quote! {
            #module_doc
            #import
        },
        block: None,
        items: cx.api.types.len(),
        item: Box::new(move |index| match item_cx.api.types.get(index) {
            Some(def) => gate(type_def(&item_cx, def), &def.features),
            None => TokenStream::new(),
        }),
    }
}

fn type_def(cx: &Context, def: &TypeDef) -> TokenStream {
    let doc = match &def.doc {
        Some(text) => docs::outer(&docs::spec(text)),
        None => docs::outer(&format!("The `{}` schema.", def.name)),
    };
    match &def.kind {
        TypeKind::Struct(fields) => structure(cx, def, &doc, fields),
        TypeKind::Enum(e) => enumeration(def, &doc, e),
        TypeKind::Union(u) => union(cx, def, &doc, u),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let target = rust_type(target, None);
            quote! {
                #doc
                pub type #name = #target;
            }
        }
    }
}

/// The Rust type of `ty`; named types are prefixed with `models` (a path to
/// the models module) when given.
pub fn rust_type(ty: &TypeRef, models: Option<&TokenStream>) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        // Imported from the runtime by the modules that use them.
        TypeRef::File => quote!(FilePart),
        TypeRef::Bytes => quote!(Bytes),
        TypeRef::Array(item) => {
            let item = rust_type(item, models);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, models);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            match models {
                Some(path) => quote!(#path::#name),
                None => quote!(#name),
            }
        }
    }
}

/// The type of a field or argument, with its `Box` and `Option`.
pub fn slot_type(
    ty: &TypeRef,
    boxed: bool,
    optional: bool,
    models: Option<&TokenStream>,
) -> TokenStream {
    let inner = rust_type(ty, models);
    let inner = if boxed { quote!(Box<#inner>) } else { inner };
    if optional {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

fn structure(cx: &Context, def: &TypeDef, doc: &TokenStream, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    // Serde only in the directions values travel: `Serialize` for what
    // requests send, and `Deserialize` for what responses bring, read field
    // by field and leniently by the runtime. Types read from responses
    // tolerate fields the server leaves out, so they need a default.
    let sent = def.usage.request;
    let received = def.usage.response;
    let default = (received || fields.iter().all(Field::is_optional)).then(|| quote!(Default,));
    let serialize = sent.then(|| quote!(Serialize,));
    let custom_debug = fields
        .iter()
        .any(|f| f.sensitive || is_free_form(cx, &f.ty));
    let debug = (!custom_debug).then(|| quote!(Debug,));
    let members = fields.iter().map(|field| {
        let field_doc = field_doc(field);
        let field_name = ident(&field.name);
        let ty = slot_type(&field.ty, field.boxed, field.is_optional(), None);
        let serde = if sent { field_serde(field) } else { Vec::new() };
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote! {
            #field_doc
            #serde
            pub #field_name: #ty,
        }
    });
    let debug_impl = custom_debug.then(|| redacted_debug(cx, def, fields));
    let read_impl = received.then(|| read_fields(cx, def, fields));
    quote! {
        #doc
        #[derive(#debug Clone, PartialEq, #default #serialize)]
        pub struct #name {
            #(#members)*
        }
        #debug_impl
        #read_impl
    }
}

/// The serde attributes of a field sent in requests: its wire name, and
/// that an absent optional value is left out.
fn field_serde(field: &Field) -> Vec<TokenStream> {
    let mut serde = Vec::new();
    if field.additional {
        serde.push(quote!(flatten));
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
        return serde;
    }
    if field.wire_name != field.name {
        let wire = &field.wire_name;
        serde.push(quote!(rename = #wire));
    }
    if !field.required {
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    serde
}

/// `Deserialize` for a type read from responses: a match on the object's
/// keys, each field read leniently — `null` for a required value is its
/// default, and numbers and strings are read across the drift servers show
/// between the two.
fn read_fields(cx: &Context, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let runtime = &cx.runtime;
    let arms = fields.iter().filter(|f| !f.additional).map(|field| {
        let wire = &field.wire_name;
        let field_name = ident(&field.name);
        let scalar = match resolved(cx, &field.ty) {
            TypeRef::I32 | TypeRef::I64 | TypeRef::F64 if !field.boxed => Some("number"),
            TypeRef::String if !field.boxed => Some("string"),
            _ => None,
        };
        let reader = match (field.is_optional(), scalar) {
            (true, Some(scalar)) => format!("read_optional_{scalar}"),
            (true, None) => "read_optional".to_owned(),
            (false, Some(scalar)) => format!("read_{scalar}"),
            (false, None) => "read_or_default".to_owned(),
        };
        let reader = ident(&reader);
        quote!(#wire => #runtime::fields::#reader(map, &mut self.#field_name)?,)
    });
    // Keys no field names go to the field that keeps them, if there is one.
    let other = match fields.iter().find(|f| f.additional) {
        Some(field) => {
            let field_name = ident(&field.name);
            quote!(_ => #runtime::fields::read_other(key, map, &mut self.#field_name)?,)
        }
        None => quote!(_ => return Ok(false),),
    };
    let body = if fields.is_empty() {
        quote! {
            let _ = (key, map);
            Ok(false)
        }
    } else {
        quote! {
            match key {
                #(#arms)*
                #other
            }
            Ok(true)
        }
    };
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #runtime::fields::object(deserializer)
            }
        }

        impl #runtime::fields::Fields for #name {
            const NAME: &'static str = #label;

            fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
                #body
            }
        }
    }
}

/// The wire names of the fields a struct requires, if `ty` is a struct.
fn required_keys<'a>(cx: &'a Context, ty: &'a TypeRef) -> Vec<&'a str> {
    struct_fields(cx, ty)
        .iter()
        .filter(|f| f.required && !f.additional)
        .map(|f| f.wire_name.as_str())
        .collect()
}

/// Whether `ty` is GenAuth's response envelope: a struct with a `statusCode`.
pub fn is_envelope(cx: &Context, ty: &TypeRef) -> bool {
    struct_fields(cx, ty)
        .iter()
        .any(|f| f.wire_name == "statusCode")
}

/// The fields of the struct `ty` names, following aliases; none if it
/// names no struct.
fn struct_fields<'a>(cx: &'a Context, ty: &'a TypeRef) -> &'a [Field] {
    let TypeRef::Named(name) = resolved(cx, ty) else {
        return &[];
    };
    match named(cx, name).map(|d| &d.kind) {
        Some(TypeKind::Struct(fields)) => fields,
        _ => &[],
    }
}

/// The named type `name`; the model's types are sorted by name.
fn named<'a>(cx: &'a Context, name: &str) -> Option<&'a TypeDef> {
    let types = &cx.api.types;
    types
        .binary_search_by(|t| t.name.as_str().cmp(name))
        .ok()
        .and_then(|index| types.get(index))
}

/// `ty`, with named aliases followed to what they stand for.
fn resolved<'a>(cx: &'a Context, mut ty: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..=cx.api.types.len() {
        let TypeRef::Named(name) = ty else {
            break;
        };
        match named(cx, name).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => ty = target,
            _ => break,
        }
    }
    ty
}

/// Whether values of `ty` are JSON the spec does not describe, which may
/// hold anything, credentials included.
fn is_free_form(cx: &Context, ty: &TypeRef) -> bool {
    match resolved(cx, ty) {
        TypeRef::Any | TypeRef::Object => true,
        TypeRef::Array(item) | TypeRef::Map(item) => is_free_form(cx, item),
        _ => false,
    }
}

fn field_doc(field: &Field) -> TokenStream {
    let default = field
        .default
        .as_ref()
        .map(|value| format!("Defaults to {}.", docs::code(&value.to_string())));
    let secret = field
        .sensitive
        .then_some("A secret: `Debug` output shows it as `<redacted>`.");
    // Every public item gets a doc, described by the spec or not.
    let description = field
        .doc
        .as_deref()
        .map(docs::spec)
        .unwrap_or_else(|| format!("The {} property.", docs::code(&field.wire_name)));
    docs::outer(&docs::paragraphs([
        Some(description.as_str()),
        default.as_deref(),
        secret,
    ]))
}

/// `Debug` that names secret fields without showing them, and shows
/// free-form JSON with its credentials hidden.
fn redacted_debug(cx: &Context, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let runtime = &cx.runtime;
    let entries = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let label = &field.name;
        match (field.sensitive, field.is_optional()) {
            (true, true) => {
                quote!(.field(#label, &self.#field_name.as_ref().map(|_| "<redacted>")))
            }
            (true, false) => quote!(.field(#label, &"<redacted>")),
            (false, _) if is_free_form(cx, &field.ty) => {
                quote!(.field(#label, &#runtime::fields::JsonDebug(&self.#field_name)))
            }
            (false, _) => quote!(.field(#label, &self.#field_name)),
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#entries)*
                    .finish()
            }
        }
    }
}

fn enumeration(def: &TypeDef, doc: &TokenStream, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().enumerate().map(|(index, variant)| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        let variant_doc = docs::outer(&docs::code(value));
        let default = (e.default == Some(index)).then(|| quote!(#[default]));
        quote! {
            #variant_doc
            #default
            #variant_name,
        }
    });
    let arms = e.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        quote!(Self::#variant_name => #value,)
    });
    let from_arms = e.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        quote!(#value => Self::#variant_name,)
    });
    // The spec's default, or else (for types read from responses) an empty
    // unknown value standing for a value the server left out.
    let (derive_default, default_impl) = match (e.default, def.usage.response) {
        (Some(_), _) => (Some(quote!(Default,)), None),
        (None, true) => (
            None,
            Some(quote! {
                impl Default for #name {
                    fn default() -> Self {
                        Self::#unknown(String::new())
                    }
                }
            }),
        ),
        (None, false) => (None, None),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as received.
            #unknown(String),
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_arms)*
                    _ => Self::#unknown(value),
                }
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #default_impl
    }
}

/// An enum of the alternatives of a `oneOf` or `anyOf`. With a discriminator,
/// its value picks the variant; without, a value becomes the first variant it
/// fits. Either way a value that fits none is kept, not refused.
fn union(cx: &Context, def: &TypeDef, doc: &TokenStream, union: &Union) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&union.unknown);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = slot_type(&variant.ty, variant.boxed, false, None);
        let variant_doc = match &variant.tag {
            Some(tag) => docs::outer(&format!(
                "Selected by {} {}.",
                docs::code(union.discriminator.as_deref().unwrap_or_default()),
                docs::code(tag)
            )),
            None => docs::outer(&format!(
                "A value of the {} alternative.",
                docs::code(&variant.name)
            )),
        };
        quote! {
            #variant_doc
            #variant_name(#ty),
        }
    });
    let default_impl = def.usage.response.then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::#unknown(serde_json::Value::Null)
                }
            }
        }
    });
    // Serde only in the directions values travel, as for structs.
    let (sent, received) = (def.usage.request, def.usage.response);
    let serialize = sent.then(|| quote!(Serialize,));
    // The keys each alternative requires: structs read leniently (a
    // missing key is its default), so without this check any object would
    // be the first struct alternative.
    let required: Vec<Vec<&str>> = union
        .variants
        .iter()
        .map(|variant| required_keys(cx, &variant.ty))
        .collect();
    let (derive_deserialize, deserialize_impl) = match (&union.discriminator, received) {
        (_, false) => (None, None),
        (None, true) if required.iter().all(Vec::is_empty) => (Some(quote!(Deserialize)), None),
        (None, true) => {
            let attempts = union.variants.iter().zip(&required).map(|(variant, keys)| {
                let variant_name = ident(&variant.name);
                let wrap = if variant.boxed {
                    quote!(|v| Self::#variant_name(Box::new(v)))
                } else {
                    quote!(Self::#variant_name)
                };
                let attempt =
                    quote!(let Ok(found) = serde_json::from_value(value.clone()).map(#wrap));
                if keys.is_empty() {
                    quote! {
                        if #attempt {
                            return Ok(found);
                        }
                    }
                } else {
                    quote! {
                        if [#(#keys),*].iter().all(|key| value.get(key).is_some()) && #attempt {
                            return Ok(found);
                        }
                    }
                }
            });
            let deserialize = quote! {
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        #(#attempts)*
                        Ok(Self::#unknown(value))
                    }
                }
            };
            (None, Some(deserialize))
        }
        (Some(property), true) => {
            let arms = union.variants.iter().filter_map(|variant| {
                let tag = variant.tag.as_ref()?;
                let variant_name = ident(&variant.name);
                let wrap = if variant.boxed { quote!(|v| Self::#variant_name(Box::new(v))) } else { quote!(Self::#variant_name) };
                Some(quote! {
                    Some(#tag) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),
                })
            });
            let deserialize = quote! {
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            _ => Ok(Self::#unknown(value)),
                        }
                    }
                }
            };
            (None, Some(deserialize))
        }
    };
    let untagged =
        (serialize.is_some() || derive_deserialize.is_some()).then(|| quote!(#[serde(untagged)]));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #serialize #derive_deserialize)]
        #untagged
        pub enum #name {
            #(#variants)*
            /// A value that fits none of the variants above, kept as received.
            #unknown(serde_json::Value),
        }

        #deserialize_impl
        #default_impl
    }
}
