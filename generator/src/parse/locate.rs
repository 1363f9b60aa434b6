//! Finds the node that makes a document invalid.
//!
//! `openapiv3` flattens vendor extensions into almost every struct, and serde
//! loses track of where it is inside a flattened struct, so its error names no
//! position. Instead, the failing node is narrowed down: each node the
//! OpenAPI structure places below it is checked on its own, and the deepest
//! one that still fails is reported. Within that node, the culprit is the key
//! without which the node would be valid. Runs only when parsing has failed.

use openapiv3::{
    Components, ExternalDocumentation, Header, Info, MediaType, Operation, Parameter, PathItem,
    ReferenceOr, RequestBody, Response, Responses, Schema, SecurityRequirement, SecurityScheme,
    Server, Tag,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Pointer};

/// The deepest invalid node of an OpenAPI document, if any.
pub fn invalid_node(document: &Value) -> Option<Diagnostic> {
    narrow::<openapiv3::OpenAPI>(document, &Pointer::root(), |v, at| {
        child(v, at, "info", leaf::<Info>)
            .or_else(|| each_item(v, at, "servers", leaf::<Server>))
            .or_else(|| each_entry(v, at, "paths", path_item))
            .or_else(|| child(v, at, "components", components))
            .or_else(|| each_item(v, at, "security", leaf::<SecurityRequirement>))
            .or_else(|| each_item(v, at, "tags", leaf::<Tag>))
            .or_else(|| child(v, at, "externalDocs", leaf::<ExternalDocumentation>))
    })
}

/// If `value` is not a valid `T`: the deepest invalid node `children` finds,
/// or else the key of `value` to blame, or else `value` itself.
fn narrow<T: DeserializeOwned>(
    value: &Value,
    at: &Pointer,
    children: impl FnOnce(&Value, &Pointer) -> Option<Diagnostic>,
) -> Option<Diagnostic> {
    let error = T::deserialize(value).err()?;
    if let Some(deeper) = children(value, at) {
        return Some(deeper);
    }
    let message = format!("not a valid OpenAPI 3.0 node: {error}");
    if let Value::Object(map) = value {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            if T::deserialize(&Value::Object(without)).is_ok() {
                return Some(Diagnostic::error(at.push(key), message));
            }
        }
    }
    Some(Diagnostic::error(at.clone(), message))
}

fn leaf<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<T>(value, at, |_, _| None)
}

fn child(
    value: &Value,
    at: &Pointer,
    key: &str,
    check: fn(&Value, &Pointer) -> Option<Diagnostic>,
) -> Option<Diagnostic> {
    value.get(key).and_then(|v| check(v, &at.push(key)))
}

fn each_entry(
    value: &Value,
    at: &Pointer,
    key: &str,
    check: fn(&Value, &Pointer) -> Option<Diagnostic>,
) -> Option<Diagnostic> {
    let at = at.push(key);
    value
        .get(key)?
        .as_object()?
        .iter()
        .find_map(|(name, v)| check(v, &at.push(name)))
}

fn each_item(
    value: &Value,
    at: &Pointer,
    key: &str,
    check: fn(&Value, &Pointer) -> Option<Diagnostic>,
) -> Option<Diagnostic> {
    let at = at.push(key);
    value
        .get(key)?
        .as_array()?
        .iter()
        .enumerate()
        .find_map(|(index, v)| check(v, &at.push(index)))
}

fn path_item(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<ReferenceOr<PathItem>>(value, at, |v, at| {
        [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ]
        .into_iter()
        .find_map(|method| child(v, at, method, operation))
        .or_else(|| each_item(v, at, "parameters", parameter))
        .or_else(|| each_item(v, at, "servers", leaf::<Server>))
    })
}

fn operation(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<Operation>(value, at, |v, at| {
        each_item(v, at, "parameters", parameter)
            .or_else(|| child(v, at, "requestBody", request_body))
            .or_else(|| child(v, at, "responses", responses))
            .or_else(|| each_item(v, at, "security", leaf::<SecurityRequirement>))
            .or_else(|| each_item(v, at, "servers", leaf::<Server>))
    })
}

fn responses(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<Responses>(value, at, |v, at| {
        v.as_object()?
            .iter()
            .filter(|(code, _)| !code.starts_with("x-"))
            .find_map(|(code, r)| response(r, &at.push(code)))
    })
}

fn response(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<ReferenceOr<Response>>(value, at, |v, at| {
        each_entry(v, at, "content", media_type).or_else(|| each_entry(v, at, "headers", header))
    })
}

fn header(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<ReferenceOr<Header>>(value, at, |v, at| child(v, at, "schema", schema))
}

fn parameter(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<ReferenceOr<Parameter>>(value, at, |v, at| {
        child(v, at, "schema", schema).or_else(|| each_entry(v, at, "content", media_type))
    })
}

fn request_body(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<ReferenceOr<RequestBody>>(value, at, |v, at| each_entry(v, at, "content", media_type))
}

fn media_type(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<MediaType>(value, at, |v, at| child(v, at, "schema", schema))
}

fn schema(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<ReferenceOr<Schema>>(value, at, |v, at| {
        each_entry(v, at, "properties", schema)
            .or_else(|| child(v, at, "items", schema))
            .or_else(|| {
                ["allOf", "oneOf", "anyOf"]
                    .into_iter()
                    .find_map(|k| each_item(v, at, k, schema))
            })
            .or_else(|| child(v, at, "not", schema))
            .or_else(|| {
                let additional = v.get("additionalProperties").filter(|a| a.is_object())?;
                schema(additional, &at.push("additionalProperties"))
            })
    })
}

fn components(value: &Value, at: &Pointer) -> Option<Diagnostic> {
    narrow::<Components>(value, at, |v, at| {
        each_entry(v, at, "schemas", schema)
            .or_else(|| each_entry(v, at, "responses", response))
            .or_else(|| each_entry(v, at, "parameters", parameter))
            .or_else(|| each_entry(v, at, "requestBodies", request_body))
            .or_else(|| each_entry(v, at, "headers", header))
            .or_else(|| {
                each_entry(
                    v,
                    at,
                    "securitySchemes",
                    leaf::<ReferenceOr<SecurityScheme>>,
                )
            })
    })
}
