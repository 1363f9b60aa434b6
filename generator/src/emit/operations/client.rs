//! The client methods: one per operation, taking the required inputs and
//! returning the operation's request.

use proc_macro2::TokenStream;
use quote::quote;
use std::rc::Rc;

use super::{models, runtime_types};
use crate::emit::types::{rust_type, slot_type};
use crate::emit::{Context, File, docs, ident};
use crate::model::{BodyEncoding, Input, InputSource, Operation, ResponseBody};

/// Clippy's limit on function arguments, `self` included.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// The client methods: one `impl` block on the client type.
pub fn client<'a>(cx: &Rc<Context<'a>>) -> File<'a> {
    let module_doc = docs::inner(&format!(
        "The methods of [`{}`] that start each call of the {}.",
        cx.client_name, cx.title
    ));
    if cx.api.operations.is_empty() {
        return File::whole("client.rs", module_doc);
    }
    let client_path = &cx.client_path;
    let client = &cx.client_ident;
    let runtime = &cx.runtime;
    let inputs = cx
        .api
        .operations
        .iter()
        .flat_map(|op| op.inputs.iter().filter(|i| i.required));
    let carried = runtime_types(inputs.map(|i| &i.ty));
    let carried = (!carried.is_empty()).then(|| quote!(use #runtime::{#(#carried),*};));
    let item_cx = Rc::clone(cx);
    File {
        path: "client.rs".into(),
        head: quote! {
            #module_doc
            use super::requests;
            use #client_path;
            #carried
        },
        block: Some(quote!(impl #client)),
        items: cx.api.operations.len(),
        item: Box::new(move |index| match item_cx.api.operations.get(index) {
            Some(op) => method(&item_cx, op),
            None => TokenStream::new(),
        }),
    }
}

fn method(cx: &Context, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let request = ident(&op.request_name);
    let models = models();
    let positional: Vec<&Input> = op.inputs.iter().filter(|i| i.required).collect();
    let args = positional.iter().map(|input| {
        let arg = ident(&input.name);
        let ty = slot_type(&input.ty, false, input.is_optional(), Some(&models));
        quote!(#arg: impl Into<#ty>)
    });
    let params = op.inputs.iter().filter_map(|input| {
        let field = ident(&input.name);
        match (&input.source, input.required) {
            (InputSource::BodyField { .. } | InputSource::Body, _) => None,
            (_, true) => Some(quote!(#field: #field.into(),)),
            (_, false) => Some(quote!(#field: None,)),
        }
    });
    let body = op
        .body
        .as_ref()
        .filter(|b| b.encoding != BodyEncoding::Multipart)
        .map(|body| {
            if !body.by_field {
                let required = op
                    .inputs
                    .iter()
                    .any(|i| matches!(i.source, InputSource::Body) && i.required);
                return if required {
                    quote!(body: body.into(),)
                } else {
                    quote!(body: None,)
                };
            }
            let inits = op.inputs.iter().filter_map(|input| {
                let InputSource::BodyField { field } = &input.source else {
                    return None;
                };
                let field = ident(field);
                let arg = ident(&input.name);
                Some(match (input.required, input.boxed, input.is_optional()) {
                    (false, _, _) => quote!(#field: None,),
                    (true, false, _) => quote!(#field: #arg.into(),),
                    (true, true, false) => quote!(#field: Box::new(#arg.into()),),
                    (true, true, true) => quote!(#field: #arg.into().map(Box::new),),
                })
            });
            let ty = rust_type(&body.ty, Some(&models));
            quote!(body: #ty { #(#inits)* },)
        });
    let media_choice = op
        .body
        .as_ref()
        .and_then(|body| Some((body.alternatives.as_ref()?, &body.media_type)))
        .map(|(alternatives, default)| {
            let field = ident(&alternatives.field);
            quote!(#field: #default,)
        });
    let too_many = (positional.len() + 1 > CLIPPY_MAX_ARGUMENTS)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let doc = docs::outer(&method_doc(cx, op));
    let feature = op
        .feature
        .as_ref()
        .map(|feature| quote!(#[cfg(feature = #feature)]));
    quote! {
        #doc
        #feature
        #deprecated
        #too_many
        pub fn #name(&self, #(#args),*) -> requests::#request<'_> {
            requests::#request {
                client: self,
                #(#params)*
                #body
                #media_choice
                call_options: Default::default(),
            }
        }
    }
}

fn method_doc(cx: &Context, op: &Operation) -> String {
    let http = docs::code(&format!("{} {}", op.http_method.as_str(), op.path));
    let arguments: Vec<String> = op
        .inputs
        .iter()
        .filter(|i| i.required)
        .map(|i| match &i.doc {
            Some(doc) => format!(
                "- `{}`: {}",
                i.name,
                docs::first_paragraph(&docs::spec(doc))
            ),
            None => format!("- `{}`", i.name),
        })
        .collect();
    let arguments =
        (!arguments.is_empty()).then(|| format!("# Arguments\n\n{}", arguments.join("\n")));
    let setters: Vec<String> = op
        .inputs
        .iter()
        .filter(|i| !i.required)
        .map(|i| format!("[`{0}`](requests::{1}::{0})", i.name, op.request_name))
        .collect();
    let setters = (!setters.is_empty()).then(|| {
        format!(
            "Optional inputs are set on the request: {}.",
            setters.join(", ")
        )
    });
    let security = security_doc(cx, op);
    // JSON goes without saying.
    let body = op.body.as_ref().and_then(|body| {
        let media = docs::code(&body.media_type);
        match body.encoding {
            BodyEncoding::Json => None,
            BodyEncoding::Multipart => {
                Some(format!("Sends its inputs as the parts of a {media} body."))
            }
            _ => Some(format!("Sends the body as {media}.")),
        }
    });
    let other_media = op
        .body
        .as_ref()
        .and_then(|body| body.alternatives.as_ref())
        .map(|alternatives| {
            let offered: Vec<String> = alternatives
                .offered
                .iter()
                .map(|alternative| {
                    format!(
                        "{} ([`{}`](requests::{}::{}))",
                        docs::code(&alternative.media_type),
                        alternative.method,
                        op.request_name,
                        alternative.method
                    )
                })
                .collect();
            format!(
                "Instead of {}, the body can be sent as {}.",
                op.body
                    .as_ref()
                    .map(|body| docs::code(&body.media_type))
                    .unwrap_or_default(),
                offered.join(" or ")
            )
        });
    let answer = match &op.response {
        Some(ResponseBody::Text(types)) => {
            Some(format!("Answers with text ({}).", media_list(types)))
        }
        Some(ResponseBody::Binary(types)) => Some(format!(
            "Answers with bytes ({}), read whole within the client's size limit; \
             [`stream`](requests::{}::stream) reads a larger body as it arrives.",
            media_list(types),
            op.request_name
        )),
        _ => None,
    };
    let summary = op.summary.as_deref().map(docs::spec);
    let description = op.description.as_deref().map(docs::spec);
    docs::paragraphs([
        summary.as_deref(),
        description.as_deref(),
        Some(http.as_str()),
        arguments.as_deref(),
        setters.as_deref(),
        body.as_deref(),
        other_media.as_deref(),
        answer.as_deref(),
        security.as_deref(),
    ])
}

/// Media types as a doc lists them.
fn media_list(types: &[String]) -> String {
    if types.is_empty() {
        return "of any type".to_owned();
    }
    let types: Vec<String> = types.iter().map(|t| docs::code(t)).collect();
    types.join(", ")
}

fn security_doc(cx: &Context, op: &Operation) -> Option<String> {
    if op.security.is_empty() {
        return None;
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|schemes| {
            let schemes: Vec<String> = schemes
                .iter()
                .map(|s| format!("[`{s}`](super::{}::{s})", cx.security_name))
                .collect();
            if schemes.is_empty() {
                "nothing".to_owned()
            } else {
                schemes.join(" and ")
            }
        })
        .collect();
    Some(format!(
        "# Authentication\n\nSends {}.",
        alternatives.join(", or else ")
    ))
}
