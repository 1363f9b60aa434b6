//! The security schemes as one enum, which the runtime matches on to attach
//! credentials: a scheme added to the spec fails to compile until the runtime
//! handles it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, docs, ident};
use crate::model::{ApiKeyLocation, SecurityKind, SecurityScheme};

pub fn security(cx: &Context, attach_credentials: bool) -> TokenStream {
    let name = ident(&cx.security_name);
    let module_doc = docs::inner(&format!("How calls to the {} are authenticated.", cx.title));
    let schemes = &cx.api.security_schemes;
    let variants = schemes.iter().map(|scheme| {
        let variant = ident(&scheme.name);
        let description = scheme.doc.as_deref().map(docs::spec);
        let doc = docs::outer(&docs::paragraphs([
            description.as_deref(),
            Some(&kind_doc(scheme)),
        ]));
        quote! {
            #doc
            #variant,
        }
    });
    let arms = schemes.iter().map(|scheme| {
        let variant = ident(&scheme.name);
        let spec_name = &scheme.spec_name;
        quote!(Self::#variant => #spec_name,)
    });
    let spec_name = quote! {
        impl #name {
            /// The scheme's name in the spec.
            pub fn spec_name(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    };
    let attach = attach_credentials.then(|| attach_credential(cx));
    quote! {
        #module_doc

        /// A security scheme of the API: a kind of credential a call may need.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
        }

        #spec_name
        #attach
    }
}

/// `attach_credential`: where each scheme puts its credential on a request.
fn attach_credential(cx: &Context) -> TokenStream {
    let name = ident(&cx.security_name);
    let runtime = &cx.runtime;
    let schemes = &cx.api.security_schemes;
    let doc = quote!(#[doc = " Puts the credential `value` of `scheme` where the scheme says."]);
    if schemes.is_empty() {
        return quote! {
            #doc
            pub(crate) fn attach_credential(scheme: #name, _value: &str, _request: &mut #runtime::Request) {
                match scheme {}
            }
        };
    }
    let arms = schemes.iter().map(|scheme| {
        let variant = ident(&scheme.name);
        let action = match &scheme.kind {
            SecurityKind::ApiKey {
                location: ApiKeyLocation::Header,
                name,
            } => {
                let name = header_name(name);
                quote!(request.add_credential(#name, value))
            }
            SecurityKind::ApiKey {
                location: ApiKeyLocation::Query,
                name,
            } => quote!(request.add_credential_query(#name, value)),
            SecurityKind::ApiKey {
                location: ApiKeyLocation::Cookie,
                name,
            } => {
                let prefix = format!("{name}=");
                quote!(request.add_credential("cookie", format!("{}{value}", #prefix)))
            }
            SecurityKind::Bearer | SecurityKind::OtherToken => {
                quote!(request.add_credential("authorization", format!("Bearer {value}")))
            }
            SecurityKind::Basic => quote! {
                match value.split_once(':') {
                    Some((user, password)) => request.add_basic_credential(user, password),
                    None => request.add_basic_credential(value, ""),
                }
            },
        };
        quote!(#name::#variant => #action,)
    });
    quote! {
        #doc
        pub(crate) fn attach_credential(scheme: #name, value: &str, request: &mut #runtime::Request) {
            match scheme {
                #(#arms)*
            }
        }
    }
}

/// A header name as HTTP takes it: lower case, which HTTP/2 requires and
/// HTTP/1 does not mind.
fn header_name(name: &str) -> String {
    name.to_ascii_lowercase()
}

fn kind_doc(scheme: &SecurityScheme) -> String {
    let spec_name = docs::code(&scheme.spec_name);
    match &scheme.kind {
        SecurityKind::ApiKey { location, name } => {
            let location = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            let name = docs::code(name);
            format!("Spec: {spec_name}, an API key in the {name} {location}.")
        }
        SecurityKind::Bearer => format!("Spec: {spec_name}, an HTTP bearer token."),
        SecurityKind::Basic => format!("Spec: {spec_name}, HTTP Basic credentials."),
        SecurityKind::OtherToken => format!("Spec: {spec_name}, a token obtained elsewhere."),
    }
}
