//! The security schemes as one enum, which the runtime matches on to attach
//! credentials: a scheme added to the spec fails to compile until the runtime
//! handles it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, docs, ident};
use crate::model::{ApiKeyLocation, SecurityKind, SecurityScheme};

pub fn security(cx: &Context) -> TokenStream {
    let name = ident(&cx.security_name);
    let module_doc = docs::inner(&format!(
        "How calls to the {} are authenticated.",
        cx.api.title
    ));
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
    // An enum without variants has no value to name.
    let spec_name = (!schemes.is_empty()).then(|| {
        quote! {
            impl #name {
                /// The scheme's name in the spec.
                pub fn spec_name(self) -> &'static str {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    quote! {
        #module_doc

        /// A security scheme of the API: a kind of credential a call may need.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
        }

        #spec_name
    }
}

fn kind_doc(scheme: &SecurityScheme) -> String {
    match &scheme.kind {
        SecurityKind::ApiKey { location, name } => {
            let location = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!(
                "Spec: `{}`, an API key in the `{name}` {location}.",
                scheme.spec_name
            )
        }
        SecurityKind::Bearer => format!("Spec: `{}`, an HTTP bearer token.", scheme.spec_name),
        SecurityKind::Basic => format!("Spec: `{}`, HTTP Basic credentials.", scheme.spec_name),
        SecurityKind::OtherToken => {
            format!("Spec: `{}`, a token obtained elsewhere.", scheme.spec_name)
        }
    }
}
