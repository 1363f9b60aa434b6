//! Operations: their names, inputs, body, response and security.

use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response,
    StatusCode,
};

use super::Lowering;
use super::query;
use super::schema::{SchemaRef, join_paragraphs};
use super::secrets;
use crate::Config;
use crate::diagnostic::Pointer;
use crate::model::{
    Body, BodyEncoding, HttpMethod, Input, InputSource, Operation, PartKind, ResponseBody,
    SecurityScheme, TypeKind, TypeRef,
};
use crate::names::{self, Scope};

/// Names the generated request module imports or takes from the prelude,
/// which a request type must not take.
const REQUEST_MODULE_NAMES: &[&str] = &[
    "Binary",
    "ByteStream",
    "Bytes",
    "CallOptions",
    "Duration",
    "EmptyResponseFuture",
    "Envelope",
    "Error",
    "FilePart",
    "Into",
    "IntoFuture",
    "Method",
    "Operation",
    "QueryStyle",
    "Request",
    "ResponseFuture",
    "RetryPolicy",
    "SecurityScheme",
    "Streamed",
    "Text",
];

/// Names a request type uses for its own fields and methods, and `fmt`,
/// which it has from `Debug`; those of blanket implementations are in
/// [`names::BLANKET_METHODS`], and those its setters must not take in
/// [`names::OPERATOR_METHODS`].
const REQUEST_MEMBERS: &[&str] = &[
    "body",
    "client",
    "into_future",
    "new",
    "call_options",
    "with_retry",
    "with_timeout",
    "stream",
    "fmt",
];

/// Header parameters OpenAPI says to ignore: the client sets these itself.
const IGNORED_HEADERS: &[&str] = &["accept", "authorization", "content-type"];

impl<'a> Lowering<'a> {
    pub(super) fn operations(
        &mut self,
        config: &Config,
        schemes: &[SecurityScheme],
    ) -> Vec<Operation> {
        let mut method_names = Scope::with_reserved(
            config
                .reserved_method_names
                .iter()
                .map(String::as_str)
                .chain(names::CLIENT_TRAIT_METHODS.iter().copied())
                .chain(names::BLANKET_METHODS.iter().copied()),
        );
        let mut request_names = Scope::with_reserved(
            REQUEST_MODULE_NAMES
                .iter()
                .chain(names::RESERVED_TYPES)
                .copied()
                .chain([config.client_name()]),
        );
        let mut operations = Vec::new();
        for (path, item) in &self.spec.paths.paths {
            let pointer = Pointer::root().push("paths").push(path);
            let ReferenceOr::Item(item) = item else {
                self.warning(
                    &pointer,
                    "path items given by `$ref` are not supported; this path is skipped",
                );
                continue;
            };
            for (method, operation) in methods(item) {
                let site = Site {
                    path,
                    item,
                    item_pointer: &pointer,
                };
                let names = Names {
                    methods: &mut method_names,
                    requests: &mut request_names,
                };
                if let Some(lowered) = self.operation(site, method, operation, schemes, names) {
                    operations.push(lowered);
                }
            }
        }
        operations
    }

    fn operation(
        &mut self,
        site: Site<'a, '_>,
        method: HttpMethod,
        operation: &'a openapiv3::Operation,
        schemes: &[SecurityScheme],
        names: Names<'_>,
    ) -> Option<Operation> {
        let pointer = &site.item_pointer.push(method.as_str().to_ascii_lowercase());
        let path = site.path;
        let id = operation
            .operation_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| format!("{} {path}", method.as_str().to_ascii_lowercase()));
        let (method_name, request_name) = self.operation_names(&id, names, pointer);

        let mut scope = Scope::with_reserved(
            REQUEST_MEMBERS
                .iter()
                .chain(names::BLANKET_METHODS)
                .chain(names::OPERATOR_METHODS)
                .copied(),
        );
        let mut inputs = self.parameters(&site, operation, pointer, &request_name, &mut scope)?;
        let body = match &operation.request_body {
            Some(body) => self.body(
                body,
                &pointer.push("requestBody"),
                &request_name,
                &mut scope,
                &mut inputs,
            )?,
            None => None,
        };
        let response = self.response(
            &operation.responses,
            &pointer.push("responses"),
            &request_name,
        );
        let security = match (&operation.security, &self.spec.security) {
            (Some(own), _) => self.security_requirements(own, schemes, &pointer.push("security")),
            (None, Some(global)) => {
                self.security_requirements(global, schemes, &Pointer::root().push("security"))
            }
            (None, None) => Vec::new(),
        };
        Some(Operation {
            id,
            method_name,
            request_name,
            http_method: method,
            path: path.to_owned(),
            summary: non_empty(&operation.summary),
            description: non_empty(&operation.description),
            deprecated: operation.deprecated,
            idempotent: matches!(
                method,
                HttpMethod::Get
                    | HttpMethod::Head
                    | HttpMethod::Options
                    | HttpMethod::Put
                    | HttpMethod::Delete
                    | HttpMethod::Trace
            ) || operation.extensions.get("x-idempotent")
                == Some(&serde_json::Value::Bool(true)),
            inputs,
            body,
            response,
            security,
            tags: operation.tags.clone(),
            feature: None,
            paging: None,
        })
    }

    /// The client method and request type of the operation `id`, with one
    /// warning if either had to be renamed.
    fn operation_names(
        &mut self,
        id: &str,
        names: Names<'_>,
        pointer: &Pointer,
    ) -> (String, String) {
        let wanted_method = names::value_name(id);
        let method = names.methods.claim(wanted_method.clone(), "_");
        let wanted_request = names::type_name(id);
        let request = names.requests.claim(wanted_request.clone(), "");
        let reasons: Vec<String> = [
            super::renamed("method", &wanted_method, &method),
            super::renamed("request type", &wanted_request, &request),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !reasons.is_empty() {
            self.warning(pointer, reasons.join("; "));
        }
        (method.name, request.name)
    }

    /// Path, query and header parameters, in that order; `None` when one that
    /// cannot be sent is required, so the operation cannot be called.
    fn parameters(
        &mut self,
        site: &Site<'a, '_>,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
        owner: &str,
        scope: &mut Scope,
    ) -> Option<Vec<Input>> {
        let Site {
            path,
            item,
            item_pointer,
        } = *site;
        let shared = &item.parameters;
        // Operation parameters override path-item parameters of the same name and location.
        let mut resolved: Vec<(&'a Parameter, Pointer)> = Vec::new();
        for (index, parameter) in shared.iter().enumerate() {
            let at = item_pointer.push("parameters").push(index);
            if let Some(found) = self.resolve(parameter, "parameters", |c| &c.parameters, &at) {
                resolved.push(found);
            }
        }
        for (index, parameter) in operation.parameters.iter().enumerate() {
            let at = pointer.push("parameters").push(index);
            if let Some((parameter, at)) =
                self.resolve(parameter, "parameters", |c| &c.parameters, &at)
            {
                let key = |p: &Parameter| {
                    (
                        p.parameter_data_ref().name.clone(),
                        std::mem::discriminant(p),
                    )
                };
                resolved.retain(|(existing, _)| key(existing) != key(parameter));
                resolved.push((parameter, at));
            }
        }

        let template = template_variables(path);
        let mut path_inputs = Vec::new();
        let mut other_inputs = Vec::new();
        for (parameter, at) in resolved {
            let data = parameter.parameter_data_ref();
            let source = match parameter {
                Parameter::Path { .. } => {
                    if !template.contains(&data.name.as_str()) {
                        self.warning(&at, format!("path parameter `{}` does not appear in the path `{path}`; it is ignored", data.name));
                        continue;
                    }
                    InputSource::Path {
                        wire_name: data.name.clone(),
                    }
                }
                Parameter::Query { style, .. } => {
                    let (style, explode) = query::style(style, data);
                    InputSource::Query {
                        wire_name: data.name.clone(),
                        style,
                        explode,
                    }
                }
                Parameter::Header { .. }
                    if IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str()) =>
                {
                    continue;
                }
                Parameter::Header { .. } => InputSource::Header {
                    wire_name: data.name.clone(),
                },
                Parameter::Cookie { .. } if data.required => {
                    self.warning(&at, "cookie parameters are not supported, and this one is required; the operation is skipped");
                    return None;
                }
                Parameter::Cookie { .. } => {
                    self.warning(
                        &at,
                        "cookie parameters are not supported; this optional one is left out",
                    );
                    continue;
                }
            };
            let hint = format!("{owner}{}", names::type_name(&data.name));
            let (ty, schema) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema = SchemaRef::from(schema);
                    (
                        self.type_of(schema, &at.push("schema"), &hint),
                        Some(schema),
                    )
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warning(&at, "parameters described by `content` are not supported; the value is sent as a string");
                    (TypeRef::String, None)
                }
            };
            if let (
                Parameter::Query { allow_reserved, .. },
                InputSource::Query { style, explode, .. },
            ) = (parameter, &source)
            {
                self.check_query(&at, &data.name, *allow_reserved, (*style, *explode), &ty);
            }
            let is_path = matches!(source, InputSource::Path { .. });
            let doc = match non_empty(&data.description) {
                Some(own) => join_paragraphs(Some(own), schema.and_then(SchemaRef::allowed_values)),
                None => schema.and_then(SchemaRef::description),
            };
            let input = Input {
                name: self.claim(scope, names::value_name(&data.name), "_", "input", &at),
                doc,
                required: data.required || is_path,
                // A path always has its segment: `null` is not a value
                // there, however the schema is marked.
                nullable: !is_path && schema.is_some_and(SchemaRef::nullable),
                sensitive: schema.is_some_and(SchemaRef::sensitive)
                    || secrets::secret_by_name(&data.name, &ty),
                ty,
                boxed: false,
                source,
                example: data
                    .example
                    .clone()
                    .or_else(|| schema.and_then(SchemaRef::example)),
            };
            if is_path {
                path_inputs.push(input);
            } else {
                other_inputs.push(input);
            }
        }

        let mut missing = false;
        for variable in &template {
            let declared = path_inputs.iter().any(
                |i| matches!(&i.source, InputSource::Path { wire_name } if wire_name == variable),
            );
            if !declared {
                self.error(
                    pointer,
                    format!(
                        "the path has a `{{{variable}}}` segment but no path parameter of that name"
                    ),
                );
                missing = true;
            }
        }
        if missing {
            return None;
        }
        path_inputs.sort_by_key(|input| match &input.source {
            InputSource::Path { wire_name } => template.iter().position(|v| v == wire_name),
            _ => None,
        });
        path_inputs.extend(other_inputs);
        Some(path_inputs)
    }

    /// The request body, sent as the first supported media type (by
    /// [`body_encoding`]'s order), with the others the same inputs can be
    /// sent as. `None` when the body cannot be sent, so the operation cannot
    /// be called; `Some(None)` when there is no body.
    fn body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &Pointer,
        owner: &str,
        scope: &mut Scope,
        inputs: &mut Vec<Input>,
    ) -> Option<Option<Body>> {
        let (body, at) = self.resolve(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        if body.content.is_empty() {
            return Some(None);
        }
        let chosen = body
            .content
            .iter()
            .filter_map(|(media_type, media)| {
                let encoding = body_encoding(media_type)?;
                Some((media_type, media, encoding))
            })
            .min_by_key(|(_, _, encoding)| *encoding as u8);
        let Some((media_type, media, encoding)) = chosen else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.warning(
                &at.push("content"),
                format!(
                    "request bodies of type {} are not supported; the operation is skipped",
                    types.join(", ")
                ),
            );
            return None;
        };
        let media_at = at.push("content").push(media_type);
        let mut lowered = match encoding {
            BodyEncoding::Json | BodyEncoding::Form => {
                let chosen = (media_type.as_str(), media, encoding);
                self.object_body(body, chosen, &media_at, owner, scope, inputs)
            }
            BodyEncoding::Multipart => {
                self.multipart(media_type, media, &media_at, owner, scope, inputs)?
            }
            BodyEncoding::Binary => whole_body(body, TypeRef::Bytes, encoding, media_type, inputs),
            BodyEncoding::Text => whole_body(body, TypeRef::String, encoding, media_type, inputs),
        };
        lowered.alternatives = self.alternatives(body, &at, media, &lowered, scope);
        Some(Some(lowered))
    }

    /// A JSON or form body: an object's fields each an input, or else the
    /// whole body one.
    fn object_body(
        &mut self,
        body: &'a RequestBody,
        (media_type, media, encoding): (&str, &'a MediaType, BodyEncoding),
        media_at: &Pointer,
        owner: &str,
        scope: &mut Scope,
        inputs: &mut Vec<Input>,
    ) -> Body {
        let schema_at = media_at.push("schema");
        let ty = match &media.schema {
            Some(schema) => self.type_of(schema.into(), &schema_at, &format!("{owner}Body")),
            None => TypeRef::Any,
        };
        if let Some(fields) = self.struct_fields(&ty) {
            for field in fields {
                let claimed = scope.claim(field.name.clone(), "_");
                if let Some(message) = super::renamed("input", &field.name, &claimed) {
                    let property = &field.wire_name;
                    self.warning(
                        &schema_at,
                        format!("the body property `{property}`: {message}"),
                    );
                }
                inputs.push(Input {
                    name: claimed.name,
                    doc: field.doc.clone(),
                    ty: field.ty.clone(),
                    required: field.required,
                    nullable: field.nullable,
                    sensitive: field.sensitive,
                    boxed: false,
                    source: InputSource::BodyField { field: field.name },
                    example: field.example,
                });
            }
            return Body {
                ty,
                by_field: true,
                encoding,
                media_type: media_type.to_owned(),
                alternatives: None,
            };
        }
        whole_body(body, ty, encoding, media_type, inputs)
    }

    /// A `multipart/form-data` body: a part per property, each an input.
    fn multipart(
        &mut self,
        media_type: &str,
        media: &'a MediaType,
        at: &Pointer,
        owner: &str,
        scope: &mut Scope,
        inputs: &mut Vec<Input>,
    ) -> Option<Body> {
        let schema_at = at.push("schema");
        let parts = match &media.schema {
            Some(schema) => self.parts(schema.into(), &schema_at, &format!("{owner}Body")),
            None => Some(Vec::new()),
        };
        // A body that is only a file, or files, names no part for them.
        let files = match (&parts, &media.schema) {
            (None, Some(schema)) => self.file_kind(schema.into()),
            _ => None,
        };
        if let Some(ty) = files {
            self.warning(
                &schema_at,
                "the schema is files, not an object, so it names no part for them; they are sent as parts named `file`, the name servers that take such bodies expect",
            );
            inputs.push(Input {
                name: scope.claim("file".to_owned(), "_").name,
                doc: None,
                ty,
                required: true,
                nullable: false,
                sensitive: false,
                boxed: false,
                source: InputSource::Part {
                    wire_name: "file".to_owned(),
                    kind: PartKind::Files,
                    content_type: self.part_content_type(media, "file", at),
                },
                example: None,
            });
            return Some(Body {
                ty: TypeRef::Any,
                by_field: false,
                encoding: BodyEncoding::Multipart,
                media_type: media_type.to_owned(),
                alternatives: None,
            });
        }
        let Some(parts) = parts else {
            self.warning(
                &schema_at,
                "a `multipart/form-data` body must be an object, whose properties are its parts; the operation is skipped",
            );
            return None;
        };
        for (field, kind) in parts {
            let claimed = scope.claim(field.name.clone(), "_");
            if let Some(message) = super::renamed("input", &field.name, &claimed) {
                let property = &field.wire_name;
                self.warning(&schema_at, format!("the part `{property}`: {message}"));
            }
            let content_type = self.part_content_type(media, &field.wire_name, at);
            inputs.push(Input {
                name: claimed.name,
                doc: field.doc,
                ty: field.ty,
                required: field.required,
                nullable: field.nullable,
                sensitive: field.sensitive,
                boxed: false,
                source: InputSource::Part {
                    wire_name: field.wire_name,
                    kind,
                    content_type,
                },
                example: field.example,
            });
        }
        Some(Body {
            ty: TypeRef::Any,
            by_field: false,
            encoding: BodyEncoding::Multipart,
            media_type: media_type.to_owned(),
            alternatives: None,
        })
    }

    /// The content type the multipart `media` at `at` gives its part
    /// `wire_name`, if it gives one a header can carry.
    pub(super) fn part_content_type(
        &mut self,
        media: &MediaType,
        wire_name: &str,
        at: &Pointer,
    ) -> Option<String> {
        let content_type = media.encoding.get(wire_name)?.content_type.clone()?;
        if is_header_text(&content_type) {
            return Some(content_type);
        }
        let at = at.push("encoding").push(wire_name).push("contentType");
        self.warning(
            &at,
            "the content type cannot be sent in a header; the part is sent without it",
        );
        None
    }

    /// The fields of the struct `ty` names, following aliases.
    pub(super) fn struct_fields(&self, ty: &TypeRef) -> Option<Vec<crate::model::Field>> {
        let mut current = ty;
        for _ in 0..self.types.len() + 1 {
            let TypeRef::Named(name) = current else {
                return None;
            };
            match &self.types.get(name)?.kind {
                TypeKind::Struct(fields) => return Some(fields.clone()),
                TypeKind::Alias(next) => current = next,
                TypeKind::Enum(_) | TypeKind::Union(_) => return None,
            }
        }
        None
    }

    /// The JSON body of the first success response; `None` when it has none.
    fn response(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &Pointer,
        owner: &str,
    ) -> Option<ResponseBody> {
        let mut successes: Vec<(String, &'a ReferenceOr<Response>)> = responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            })
            .map(|(code, response)| (code.to_string(), response))
            .collect();
        successes.sort_by(|a, b| a.0.cmp(&b.0));
        let (code, response) = match (successes.first(), &responses.default) {
            (Some((code, response)), _) => (code.clone(), *response),
            (None, Some(default)) => ("default".to_owned(), default),
            (None, None) => return None,
        };
        let (response, at) = self.resolve(
            response,
            "responses",
            |c| &c.responses,
            &pointer.push(&code),
        )?;
        if response.content.is_empty() {
            return None;
        }
        if let Some((media_type, media)) = json_media(&response.content) {
            let schema_at = at.push("content").push(media_type).push("schema");
            return Some(ResponseBody::Json(match &media.schema {
                Some(schema) => {
                    self.type_of(schema.into(), &schema_at, &format!("{owner}Response"))
                }
                None => TypeRef::Any,
            }));
        }
        let mut text = Vec::new();
        let mut binary = Vec::new();
        for media_type in response.content.keys() {
            if !is_header_text(media_type) {
                self.warning(
                    &at.push("content").push(media_type),
                    "the media type cannot be sent in a header; the client does not ask for it",
                );
                continue;
            }
            match body_encoding(media_type) {
                Some(BodyEncoding::Text) => text.push(media_type.clone()),
                _ => binary.push(media_type.clone()),
            }
        }
        // Text is read as text only when nothing else may arrive.
        Some(if binary.is_empty() {
            ResponseBody::Text(text)
        } else {
            binary.extend(text);
            ResponseBody::Binary(binary)
        })
    }
}

/// A body the caller gives whole, as the one input `body`.
fn whole_body(
    body: &RequestBody,
    ty: TypeRef,
    encoding: BodyEncoding,
    media_type: &str,
    inputs: &mut Vec<Input>,
) -> Body {
    inputs.push(Input {
        name: "body".to_owned(),
        doc: body.description.clone(),
        ty: ty.clone(),
        required: body.required,
        nullable: false,
        sensitive: false,
        boxed: false,
        source: InputSource::Body,
        example: None,
    });
    Body {
        ty,
        by_field: false,
        encoding,
        media_type: media_type.to_owned(),
        alternatives: None,
    }
}

/// Where an operation is declared.
#[derive(Clone, Copy)]
struct Site<'a, 'p> {
    path: &'a str,
    item: &'a PathItem,
    item_pointer: &'p Pointer,
}

/// Scopes for the names operations add to the client and the request module.
struct Names<'s> {
    methods: &'s mut Scope,
    requests: &'s mut Scope,
}

fn methods(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &openapiv3::Operation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|operation| (method, operation)))
}

/// The `{name}` segments of a path template, in order.
fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// How a request body of `media_type` is sent, if it can be; the order of
/// the variants is the order of preference when several are offered.
pub(super) fn body_encoding(media_type: &str) -> Option<BodyEncoding> {
    let essence = essence(media_type);
    let (kind, subtype) = essence.split_once('/')?;
    if !is_header_text(media_type) || kind.is_empty() || subtype.is_empty() {
        return None;
    }
    Some(match (kind, subtype) {
        ("application", "json") | ("*", "*") => BodyEncoding::Json,
        (_, subtype) if subtype.ends_with("+json") => BodyEncoding::Json,
        ("application", "x-www-form-urlencoded") => BodyEncoding::Form,
        ("multipart", "form-data") => BodyEncoding::Multipart,
        ("multipart", _) => return None,
        ("text", _) | ("application", "xml") => BodyEncoding::Text,
        (_, subtype) if subtype.ends_with("+xml") => BodyEncoding::Text,
        _ => BodyEncoding::Binary,
    })
}

/// A media type without its parameters, in lower case: `type/subtype`.
pub(super) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Text an HTTP header can carry as it is: visible ASCII and spaces.
pub(super) fn is_header_text(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

/// The JSON media type of a body: `application/json`, a `+json` type, or `*/*`.
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    let is_json = |media_type: &str| {
        let essence = essence(media_type);
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
    };
    content.iter().find(|(media_type, _)| is_json(media_type))
}

fn non_empty(text: &Option<String>) -> Option<String> {
    text.clone().filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_path_template_variables() {
        assert_eq!(template_variables("/a/{x}/b/{y_z}"), vec!["x", "y_z"]);
        assert!(template_variables("/a/b").is_empty());
    }
}
