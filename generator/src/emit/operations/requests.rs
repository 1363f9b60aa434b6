//! The request types, one per operation: each takes its optional inputs
//! through setters and sends itself when awaited.

use proc_macro2::TokenStream;
use quote::quote;
use std::rc::Rc;

use super::{models, runtime_types};
use crate::emit::types::{is_envelope, rust_type, slot_type};
use crate::emit::{Context, File, docs, gate, ident};
use crate::model::{
    Alternatives, Body, BodyEncoding, BodyPart, Input, InputSource, Operation, PageInputs, Paging,
    PartKind, ResponseBody,
};

/// The request types, one per operation.
pub fn requests<'a>(cx: &Rc<Context<'a>>) -> File<'a> {
    let module_doc = docs::inner(&format!(
        "The requests of the {}: each is returned by a method of [`{}`], takes its \
         optional inputs through setters, and is sent when awaited.",
        cx.title, cx.client_name
    ));
    if cx.api.operations.is_empty() {
        return File::whole("requests.rs", module_doc);
    }
    let client_path = &cx.client_path;
    let runtime = &cx.runtime;
    let security = ident(&cx.security_name);
    let security_import = cx
        .api
        .operations
        .iter()
        .any(|op| {
            op.security
                .iter()
                .any(|alternative| !alternative.is_empty())
        })
        .then(|| quote!(use super::#security;));
    // Only what some operation uses, so that nothing is imported unused.
    let query_style = cx
        .api
        .operations
        .iter()
        .any(|op| {
            op.inputs
                .iter()
                .any(|input| matches!(input.source, InputSource::Query { .. }))
        })
        .then(|| quote!(QueryStyle,));
    let futures = [
        (
            "ResponseFuture",
            cx.api.operations.iter().any(|op| op.response.is_some()),
        ),
        (
            "EmptyResponseFuture",
            cx.api.operations.iter().any(|op| op.response.is_none()),
        ),
    ]
    .into_iter()
    .filter(|(_, used)| *used)
    .map(|(name, _)| ident(name));
    let answers = |wanted: fn(&ResponseBody) -> bool| {
        cx.api
            .operations
            .iter()
            .any(|op| op.response.as_ref().is_some_and(wanted))
    };
    let text = answers(|r| matches!(r, ResponseBody::Text(_))).then(|| quote!(Text,));
    let binary = answers(|r| matches!(r, ResponseBody::Binary(_)))
        .then(|| quote!(Binary, ByteStream, Streamed,));
    let mut carried = runtime_types(
        cx.api
            .operations
            .iter()
            .flat_map(|op| op.inputs.iter().map(|i| &i.ty)),
    );
    if binary.is_some() && !carried.iter().any(|i| i == "Bytes") {
        carried.push(ident("Bytes"));
    }
    let item_cx = Rc::clone(cx);
    File {
        path: "requests.rs".into(),
        head: quote! {
            #module_doc
            use std::future::IntoFuture;
            use std::time::Duration;

            #security_import
            use #client_path;
            use #runtime::{CallOptions, Envelope, Error, Method, Operation, #query_style Request, RetryPolicy, #text #binary #(#carried,)* #(#futures),*};
        },
        block: None,
        items: cx.api.operations.len(),
        item: Box::new(move |index| match item_cx.api.operations.get(index) {
            Some(op) => gate(request(&item_cx, op), op.feature.as_slice()),
            None => TokenStream::new(),
        }),
    }
}

fn request(cx: &Context, op: &Operation) -> TokenStream {
    let name = ident(&op.request_name);
    let client = &cx.client_ident;
    let models = models();
    let params: Vec<&Input> = op
        .inputs
        .iter()
        .filter(|i| !matches!(i.source, InputSource::BodyField { .. } | InputSource::Body))
        .collect();
    let param_fields = params.iter().map(|input| {
        let field = ident(&input.name);
        let ty = slot_type(&input.ty, false, input.is_optional(), Some(&models));
        quote!(pub(super) #field: #ty,)
    });
    let body_field = op
        .body
        .as_ref()
        .filter(|b| b.encoding != BodyEncoding::Multipart)
        .map(|body| {
            let whole_and_optional = !body.by_field
                && op
                    .inputs
                    .iter()
                    .any(|i| matches!(i.source, InputSource::Body) && !i.required);
            let ty = slot_type(&body.ty, false, whole_and_optional, Some(&models));
            quote!(pub(super) body: #ty,)
        });
    let alternatives = op.body.as_ref().and_then(|b| b.alternatives.as_ref());
    let media_field = alternatives.map(|alternatives| {
        let field = ident(&alternatives.field);
        quote!(pub(super) #field: &'static str,)
    });
    let choosers = op
        .body
        .as_ref()
        .zip(alternatives)
        .map(|(body, alternatives)| media_choosers(&body.media_type, alternatives));
    let setters = op.inputs.iter().filter(|i| !i.required).map(setter);
    let setters = quote! {
        impl #name<'_> {
            #(#setters)*
            #choosers

            /// Overrides the client's timeout for this call.
            pub fn with_timeout(mut self, timeout: Duration) -> Self {
                self.call_options.set_timeout(timeout);
                self
            }

            /// Overrides the client's retry policy for this call.
            pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
                self.call_options.set_retry(policy);
                self
            }
        }
    };
    // A body of bytes or text may be anything: `Debug` does not show it.
    let opaque_body = op
        .body
        .as_ref()
        .is_some_and(|b| matches!(b.encoding, BodyEncoding::Binary | BodyEncoding::Text));
    let sensitive = opaque_body || params.iter().any(|i| i.sensitive);
    let debug_derive = (!sensitive).then(|| quote!(#[derive(Debug)]));
    let debug_impl = sensitive.then(|| redacted_debug(op, &params));
    let has_setters = op.inputs.iter().any(|i| !i.required);
    let doc = docs::outer(&format!(
        "A call of [`{}::{}`]. {}",
        cx.client_name,
        op.method_name,
        if has_setters {
            "Set its optional inputs, then await it to send it."
        } else {
            "Await it to send it."
        }
    ));
    let (output, send, future) = match &op.response {
        Some(ResponseBody::Json(ty)) => {
            let ty = rust_type(ty, Some(&models));
            (ty.clone(), quote!(send), quote!(ResponseFuture<'a, #ty>))
        }
        Some(ResponseBody::Text(_)) => (
            quote!(String),
            quote!(send),
            quote!(ResponseFuture<'a, String, Text>),
        ),
        Some(ResponseBody::Binary(_)) => (
            quote!(Bytes),
            quote!(send),
            quote!(ResponseFuture<'a, Bytes, Binary>),
        ),
        None => (
            quote!(()),
            quote!(send_empty),
            quote!(EmptyResponseFuture<'a>),
        ),
    };
    let operation = operation_const(cx, op);
    let security = security(cx, op);
    let build = build_request(op, &params);
    let stream = matches!(op.response, Some(ResponseBody::Binary(_))).then(|| {
        let doc = docs::outer(
            "Sends the request, and hands over the body of a successful response \
             unread, as a stream of chunks: not bound by the client's response size \
             limit, for large downloads. A failure is still read and reported as an \
             error; the call's timeout covers the whole download, so set a longer one \
             with `with_timeout` for a large file.",
        );
        quote! {
            impl<'a> #name<'a> {
                #doc
                #[inline]
                pub fn stream(self) -> ResponseFuture<'a, ByteStream, Streamed> {
                    #operation
                    #build
                    self.client.send(request.streamed(), #security)
                }
            }
        }
    });
    let items = cx
        .paging
        .as_ref()
        .zip(op.paging.as_ref())
        .map(|(module, paging)| items(module, &name, paging));
    // A paged request is copied for each page.
    let clone_derive = items.is_some().then(|| quote!(#[derive(Clone)]));
    quote! {
        #doc
        #debug_derive
        #clone_derive
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #name<'a> {
            pub(super) client: &'a #client,
            #(#param_fields)*
            #body_field
            #media_field
            pub(super) call_options: CallOptions,
        }

        #debug_impl
        #setters

        impl<'a> IntoFuture for #name<'a> {
            type Output = Result<#output, Error>;
            type IntoFuture = #future;

            // Inline, so that a call's encoding is compiled where it is made.
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                #operation
                #build
                self.client.#send(request, #security)
            }
        }

        #stream
        #items
    }
}

/// `items()`: a stream of every item of every page.
fn items(module: &syn::Path, name: &proc_macro2::Ident, paging: &Paging) -> TokenStream {
    let models = models();
    let item = rust_type(&paging.item, Some(&models));
    let (first, set_page, page, limit) = match &paging.inputs {
        PageInputs::Query { page, limit } => {
            let setter = ident(page);
            (
                quote!(self.#setter.unwrap_or(1)),
                quote!(let request = request.#setter(page);),
                page.clone(),
                limit.clone(),
            )
        }
        PageInputs::Body { path, page, limit } => {
            let steps: Vec<_> = path.iter().map(|field| ident(field)).collect();
            let field = ident(page);
            let read = steps
                .iter()
                .map(|step| quote!(.and_then(|value| value.#step.as_ref())));
            let write = steps
                .iter()
                .map(|step| quote!(.#step.get_or_insert_with(Default::default)));
            (
                quote!(Some(&self.body)#(#read)*.and_then(|value| value.#field).unwrap_or(1)),
                quote! {
                    let mut request = request;
                    request.body #(#write)* .#field = Some(page);
                },
                format!("{}.{page}", path.join(".")),
                format!("{}.{limit}", path.join(".")),
            )
        }
    };
    let take = |(field, optional): &(String, bool), from: TokenStream| {
        let field = ident(field);
        if *optional {
            quote!(#from.#field.unwrap_or_default())
        } else {
            quote!(#from.#field)
        }
    };
    let source = match &paging.data {
        None => quote!(answer),
        Some((field, false)) => {
            let field = ident(field);
            quote!(answer.#field)
        }
        Some((field, true)) => {
            let field = ident(field);
            quote!(match answer.#field {
                Some(data) => data,
                None => return Ok((Vec::new(), 0)),
            })
        }
    };
    let list = take(&paging.list, quote!(data));
    let total = take(&paging.total, quote!(data));
    let doc = docs::outer(&format!(
        "Every item of every page, as a stream that fetches the next page when \
         the items of the last one have been read: from the page set with \
         `{page}` (the first by default), `{limit}` items a page (set with \
         `{limit}`; the server's default otherwise). It ends after the last page, \
         or with the first error."
    ));
    quote! {
        impl<'a> #name<'a> {
            #doc
            // Inline, so that walking the pages (and decoding them) is
            // compiled only where a program walks them.
            #[inline]
            pub fn items(self) -> #module::Items<'a, #item> {
                let first = #first;
                #module::items(self, first, |request: Self, page: i64| async move {
                    #set_page
                    let answer = request.await?;
                    let data = #source;
                    Ok((#list, #total))
                })
            }
        }
    }
}

fn setter(input: &Input) -> TokenStream {
    let name = ident(&input.name);
    let models = models();
    let ty = slot_type(&input.ty, false, false, Some(&models));
    let doc = match &input.doc {
        Some(text) => docs::outer(&docs::spec(text)),
        None => docs::outer(&format!("Sets `{}`.", input.name)),
    };
    let value = if input.boxed {
        quote!(Box::new(#name.into()))
    } else {
        quote!(#name.into())
    };
    let target = match &input.source {
        InputSource::BodyField { field } => {
            let field = ident(field);
            quote!(self.body.#field)
        }
        _ => quote!(self.#name),
    };
    quote! {
        #doc
        pub fn #name(mut self, #name: impl Into<#ty>) -> Self {
            #target = Some(#value);
            self
        }
    }
}

/// The methods that choose another media type for the body than `default`.
fn media_choosers(default: &str, alternatives: &Alternatives) -> TokenStream {
    let field = ident(&alternatives.field);
    let methods = alternatives.offered.iter().map(|alternative| {
        let name = ident(&alternative.method);
        let media_type = &alternative.media_type;
        let media = docs::code(media_type);
        let default = docs::code(default);
        let doc = docs::outer(&if alternative.encoding == BodyEncoding::Multipart {
            format!("Sends the inputs as the parts of a {media} body instead of {default}.")
        } else {
            format!("Sends the body as {media} instead of {default}.")
        });
        quote! {
            #doc
            pub fn #name(mut self) -> Self {
                self.#field = #media_type;
                self
            }
        }
    });
    quote!(#(#methods)*)
}

/// `Debug` for a request with secret parameters, which it does not show.
fn redacted_debug(op: &Operation, params: &[&Input]) -> TokenStream {
    let name = ident(&op.request_name);
    let label = &op.request_name;
    let entries = params.iter().map(|input| {
        let field = ident(&input.name);
        let field_label = &input.name;
        if input.sensitive {
            quote!(.field(#field_label, &"<redacted>"))
        } else {
            quote!(.field(#field_label, &self.#field))
        }
    });
    let body = op.body.as_ref().and_then(|body| match body.encoding {
        BodyEncoding::Multipart => None,
        BodyEncoding::Binary | BodyEncoding::Text => Some(quote!(.field("body", &"<redacted>"))),
        BodyEncoding::Json | BodyEncoding::Form => Some(quote!(.field("body", &self.body))),
    });
    let media = op
        .body
        .as_ref()
        .and_then(|body| body.alternatives.as_ref())
        .map(|alternatives| {
            let field = ident(&alternatives.field);
            let label = &alternatives.field;
            quote!(.field(#label, &self.#field))
        });
    quote! {
        impl std::fmt::Debug for #name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    .field("client", &self.client)
                    #(#entries)*
                    #body
                    #media
                    .field("call_options", &self.call_options)
                    .finish()
            }
        }
    }
}

/// The `const OPERATION` describing the call to the runtime.
fn operation_const(cx: &Context, op: &Operation) -> TokenStream {
    let method_name = &op.method_name;
    let idempotent = op.idempotent;
    let method = ident(op.http_method.as_str());
    let path = &op.path;
    let envelope = match &op.response {
        _ if !cx.envelope => quote!(Never),
        Some(ResponseBody::Json(ty)) if is_envelope(cx, ty) => quote!(Always),
        _ => quote!(OnFailure),
    };
    quote! {
        const OPERATION: Operation = Operation {
            name: #method_name,
            method: Method::#method,
            path: #path,
            idempotent: #idempotent,
            envelope: Envelope::#envelope,
        };
    }
}

/// The ways to authenticate an operation, for the client to choose from.
fn security(cx: &Context, op: &Operation) -> TokenStream {
    let security = ident(&cx.security_name);
    let alternatives = op.security.iter().map(|schemes| {
        let schemes = schemes.iter().map(|s| {
            let s = ident(s);
            quote!(#security::#s)
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// `let request = ...;`: the parameters and body put on the wire.
fn build_request(op: &Operation, params: &[&Input]) -> TokenStream {
    let multipart = op
        .body
        .as_ref()
        .is_some_and(|b| b.encoding == BodyEncoding::Multipart)
        .then(|| quote!(.multipart()));
    let steps = params.iter().map(|input| {
        let field = ident(&input.name);
        match &input.source {
            InputSource::Path { wire_name } => quote!(.path_param(#wire_name, &self.#field)),
            InputSource::Query {
                wire_name,
                style,
                explode,
            } => {
                let style = ident(style.variant());
                quote!(.query_param(#wire_name, &self.#field, QueryStyle::#style, #explode))
            }
            InputSource::Header { wire_name } => quote!(.header(#wire_name, &self.#field)),
            InputSource::Part {
                wire_name,
                kind,
                content_type,
            } => {
                let add = match kind {
                    PartKind::Text => quote!(part_text),
                    PartKind::Json => quote!(part_json),
                    PartKind::Files => quote!(part_files),
                };
                let content_type = match content_type {
                    Some(content_type) => quote!(Some(#content_type)),
                    None => quote!(None),
                };
                quote!(.#add(#wire_name, &self.#field, #content_type))
            }
            InputSource::BodyField { .. } | InputSource::Body => TokenStream::new(),
        }
    });
    let expect = match &op.response {
        Some(ResponseBody::Text(types)) => Some(quote!(.expect_text(&[#(#types),*]))),
        Some(ResponseBody::Binary(types)) => Some(quote!(.expect_binary(&[#(#types),*]))),
        _ => None,
    };
    let optional_body = op
        .inputs
        .iter()
        .any(|i| matches!(i.source, InputSource::Body) && !i.required);
    let set_body = |body: TokenStream| match &op.body {
        Some(chosen) => encode_body(chosen.encoding, &chosen.media_type, &body, &[]),
        None => TokenStream::new(),
    };
    let start = quote!(Request::new(&OPERATION, self.call_options) #multipart #(#steps)* #expect);
    match &op.body {
        Some(body) if body.encoding == BodyEncoding::Multipart => quote! {
            let request = #start;
        },
        Some(body) if body.alternatives.is_some() => {
            let (value, guard) = if optional_body {
                (quote!(body), Some(quote!(if let Some(body) = &self.body)))
            } else {
                (quote!(&self.body), None)
            };
            let choose = choose_body(body, &value);
            match guard {
                Some(guard) => quote! {
                    let mut request = #start;
                    #guard {
                        request = #choose;
                    }
                },
                None => quote! {
                    let request = #start;
                    let request = #choose;
                },
            }
        }
        Some(_) if optional_body => {
            let set = set_body(quote!(body));
            quote! {
                let mut request = #start;
                if let Some(body) = &self.body {
                    request = request.#set;
                }
            }
        }
        Some(_) => {
            let set = set_body(quote!(&self.body));
            quote! {
                let request = #start .#set;
            }
        }
        None => quote! {
            let request = #start;
        },
    }
}

/// `match` on the media type chosen for `body`, whose value is `value`: the
/// request with the body encoded as that type.
fn choose_body(body: &Body, value: &TokenStream) -> TokenStream {
    let Some(alternatives) = &body.alternatives else {
        return TokenStream::new();
    };
    let field = ident(&alternatives.field);
    let arms = alternatives.offered.iter().map(|alternative| {
        let media_type = &alternative.media_type;
        let encode = encode_body(alternative.encoding, media_type, value, &alternative.parts);
        quote!(#media_type => request.#encode,)
    });
    let default = encode_body(body.encoding, &body.media_type, value, &[]);
    quote! {
        match self.#field {
            #(#arms)*
            _ => request.#default,
        }
    }
}

/// The calls on a request that set `value` as its body, of `media_type`;
/// as a `multipart/form-data` body, each field of the request's body
/// becomes one of `parts`.
fn encode_body(
    encoding: BodyEncoding,
    media_type: &str,
    value: &TokenStream,
    parts: &[BodyPart],
) -> TokenStream {
    match encoding {
        BodyEncoding::Form => quote!(form(#value)),
        BodyEncoding::Binary => quote!(bytes(Bytes::clone(#value), #media_type)),
        BodyEncoding::Text => quote!(text(#value, #media_type)),
        BodyEncoding::Json if plain_json(media_type) => quote!(json(#value)),
        BodyEncoding::Json => quote!(json_as(#value, #media_type)),
        BodyEncoding::Multipart => {
            let parts = parts.iter().map(|part| {
                let add = match part.kind {
                    PartKind::Text => quote!(part_text),
                    PartKind::Json => quote!(part_json),
                    PartKind::Files => quote!(part_files),
                };
                let wire_name = &part.wire_name;
                let field = ident(&part.field);
                let content_type = match &part.content_type {
                    Some(content_type) => quote!(Some(#content_type)),
                    None => quote!(None),
                };
                // Only an object body, which the request holds whole, has parts.
                quote!(.#add(#wire_name, &self.body.#field, #content_type))
            });
            quote!(multipart() #(#parts)*)
        }
    }
}

/// Whether a JSON body of `media_type` is sent as `application/json`: it
/// is that type, or `*/*`, which leaves the type to the client.
fn plain_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence == "*/*"
}
