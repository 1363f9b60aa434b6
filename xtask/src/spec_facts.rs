//! Facts about the operations of a spec, read from it as a plain JSON value:
//! what each operation sends and receives, field by field, and how it is
//! authenticated. The conformance check and the spec diff compare these.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// How deep nested objects are followed; deeper fields are not compared.
const MAX_DEPTH: usize = 8;

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId (empty when the spec gives none).
    pub id: String,
    /// Lower-case HTTP method.
    pub method: String,
    pub path: String,
    pub hidden_from_sdk: bool,
    /// Parameters (`query pushCodeId`) and body fields (`body.options.scope`).
    pub request: BTreeMap<String, Field>,
    /// The media types the request body may be sent as, such as
    /// `application/json`; empty without a body.
    pub request_media: BTreeSet<String>,
    /// Fields of the success response body (`data.pushCodeId`).
    pub response: BTreeMap<String, Field>,
    /// Whether the success response requires `data`.
    pub data_required: bool,
    /// The ways to authenticate: each a set of schemes used together.
    pub security: BTreeSet<BTreeSet<String>>,
}

/// One field or parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub required: bool,
    /// The JSON type: `string`, `integer`, `object`, …
    pub json_type: String,
    /// What decides the Rust type: the named schema it refers to, or the
    /// JSON type with its integer or number format, and item types of arrays.
    pub rust_type: String,
    pub nullable: bool,
    /// The enum values, if the field is an enum.
    pub values: Option<Vec<String>>,
}

/// Every operation of `spec`.
pub fn operations(spec: &Value) -> Vec<Operation> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if ![
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                continue;
            }
            let security = operation.get("security").or_else(|| spec.get("security"));
            found.push(Operation {
                id: operation["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                method: method.clone(),
                path: path.clone(),
                hidden_from_sdk: operation["x-authing-hidden-from-sdk"].as_bool() == Some(true),
                request: request_fields(spec, operation, item),
                request_media: request_media(spec, operation),
                response: response_fields(spec, operation),
                data_required: data_required(spec, operation),
                security: security
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|alternative| {
                        alternative
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .collect(),
            });
        }
    }
    found
}

/// The names of the component schemas.
pub fn schema_names(spec: &Value) -> BTreeSet<String> {
    spec["components"]["schemas"]
        .as_object()
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// The component a `$ref` names, if it is a local schema reference.
fn referenced_name(node: &Value) -> Option<&str> {
    node.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// A node with `$ref` and single-element `allOf` wrappers removed, and a
/// multi-element `allOf` merged into one object; plus the name of the last
/// component passed through.
fn resolve<'a>(spec: &'a Value, node: &'a Value, depth: usize) -> (Value, Option<&'a str>) {
    if depth > 32 {
        return (Value::Null, None);
    }
    if let Some(name) = referenced_name(node) {
        let (resolved, inner) = resolve(spec, &spec["components"]["schemas"][name], depth + 1);
        return (resolved, inner.or(Some(name)));
    }
    if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
        if let [only] = parts.as_slice() {
            let (mut resolved, name) = resolve(spec, only, depth + 1);
            // The wrapper's own `nullable` applies to the field.
            if node["nullable"] == true {
                resolved["nullable"] = Value::Bool(true);
            }
            return (resolved, name);
        }
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            let (resolved, _) = resolve(spec, part, depth + 1);
            properties.extend(
                resolved["properties"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
            required.extend(resolved["required"].as_array().cloned().unwrap_or_default());
        }
        let merged =
            serde_json::json!({ "type": "object", "properties": properties, "required": required });
        return (merged, None);
    }
    (node.clone(), None)
}

fn json_type(schema: &Value) -> String {
    match schema["type"].as_str() {
        Some(ty) => ty.to_owned(),
        None if schema.get("properties").is_some() => "object".to_owned(),
        None if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() => {
            "union".to_owned()
        }
        None => "any".to_owned(),
    }
}

/// The Rust-relevant type of a field whose schema is `node`.
fn rust_type(spec: &Value, node: &Value, depth: usize) -> String {
    let (schema, name) = resolve(spec, node, 0);
    if let Some(name) =
        name.filter(|_| schema.get("enum").is_some() || schema.get("properties").is_some())
    {
        return name.to_owned();
    }
    let ty = json_type(&schema);
    match ty.as_str() {
        "array" if depth < MAX_DEPTH => {
            format!("[{}]", rust_type(spec, &schema["items"], depth + 1))
        }
        "integer" | "number" => match schema["format"].as_str() {
            Some(format) => format!("{ty}({format})"),
            None => ty,
        },
        "object" if schema.get("properties").is_none() => {
            match schema.get("additionalProperties") {
                Some(values) if values.is_object() && depth < MAX_DEPTH => {
                    format!("map<{}>", rust_type(spec, values, depth + 1))
                }
                _ => "object".to_owned(),
            }
        }
        _ => ty,
    }
}

fn field(spec: &Value, node: &Value, required: bool) -> Field {
    let (schema, _) = resolve(spec, node, 0);
    let values = schema["enum"].as_array().map(|values| {
        values
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect()
    });
    Field {
        required,
        json_type: json_type(&schema),
        rust_type: rust_type(spec, node, 0),
        nullable: schema["nullable"] == true,
        values,
    }
}

/// Every property below `node`, by dotted path, through nested objects and
/// array items (`items[]`).
fn walk(spec: &Value, node: &Value, path: &str, out: &mut BTreeMap<String, Field>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let (schema, _) = resolve(spec, node, 0);
    if schema["type"] == "array" {
        walk(spec, &schema["items"], &format!("{path}[]"), out, depth + 1);
        return;
    }
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let at = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        out.insert(
            at.clone(),
            field(spec, property, required.contains(name.as_str())),
        );
        walk(spec, property, &at, out, depth + 1);
    }
}

fn request_media(spec: &Value, operation: &Value) -> BTreeSet<String> {
    let (body, _) = resolve(spec, &operation["requestBody"], 0);
    body["content"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(media_type, _)| media_type.to_ascii_lowercase())
        .collect()
}

fn request_fields(spec: &Value, operation: &Value, item: &Value) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    let parameters = item["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(operation["parameters"].as_array().into_iter().flatten());
    for parameter in parameters {
        let (parameter, _) = resolve(spec, parameter, 0);
        let location = parameter["in"].as_str().unwrap_or_default();
        let key = format!(
            "{location} {}",
            parameter["name"].as_str().unwrap_or_default()
        );
        let required = parameter["required"].as_bool().unwrap_or(false) || location == "path";
        out.insert(key, field(spec, &parameter["schema"], required));
    }
    let (body, _) = resolve(spec, &operation["requestBody"], 0);
    if let Some((_, media)) = body["content"]
        .as_object()
        .and_then(|content| content.iter().next())
    {
        let (schema, _) = resolve(spec, &media["schema"], 0);
        if schema.get("properties").is_some() || schema.get("allOf").is_some() {
            walk(spec, &media["schema"], "body", &mut out, 0);
        } else {
            out.insert(
                "body".to_owned(),
                field(spec, &media["schema"], body["required"] == true),
            );
        }
    }
    out
}

/// The JSON schema of the first success response, if it has one.
fn success_schema(operation: &Value) -> Option<&Value> {
    let responses = operation["responses"].as_object()?;
    let mut codes: Vec<&String> = responses
        .keys()
        .filter(|code| code.starts_with('2'))
        .collect();
    codes.sort();
    let response = codes
        .first()
        .map(|code| &responses[code.as_str()])
        .or_else(|| responses.get("default"))?;
    let (_, media) = response["content"].as_object()?.iter().next()?;
    media.get("schema")
}

fn response_fields(spec: &Value, operation: &Value) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    if let Some(schema) = success_schema(operation) {
        walk(spec, schema, "", &mut out, 0);
    }
    out
}

fn data_required(spec: &Value, operation: &Value) -> bool {
    success_schema(operation).is_some_and(|schema| {
        let (top, _) = resolve(spec, schema, 0);
        top["required"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| r == "data")
    })
}
