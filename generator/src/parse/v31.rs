//! OpenAPI 3.1 read as 3.0.
//!
//! What 3.1 changed that a client generator sees is small: its schemas are
//! JSON Schema 2020-12 (`type` lists with `"null"` instead of `nullable`,
//! `const`, `examples`, numeric `exclusiveMinimum`, boolean schemas,
//! `prefixItems`, siblings of `$ref` that apply), and a document may have
//! `webhooks` and `components/pathItems`. Each of these has a 3.0 spelling
//! with the same meaning for the code generated, so a 3.1 document is
//! rewritten into it, in place, and then read by the one 3.0 reader the
//! generator has (`openapiv3`). What has no 3.0 spelling is dropped with a
//! warning that says so.

use serde_json::{Map, Value, json};

use super::Version;
use super::walk::{Kind, METHODS, walk};
use crate::diagnostic::{Diagnostic, Pointer};

/// Keywords that apply to values of one type only, which move with that
/// type when a list of types is split into alternatives.
const TYPE_KEYWORDS: [(&str, &[&str]); 5] = [
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
    ("string", &["minLength", "maxLength", "pattern", "format"]),
    ("number", NUMERIC_KEYWORDS),
    ("integer", NUMERIC_KEYWORDS),
];

/// The keywords of numbers, integers among them.
const NUMERIC_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "format",
];

/// Rewrites the 3.1 document `document` as 3.0, adding a warning for each
/// part that has no 3.0 meaning and is dropped.
pub fn to_3_0(document: &mut Value, diagnostics: &mut Vec<Diagnostic>) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(webhooks) = root.remove("webhooks")
        && webhooks.as_object().is_some_and(|w| !w.is_empty())
    {
        diagnostics.push(Diagnostic::warning(
            Pointer::root().push("webhooks"),
            "webhooks are calls the API makes to its users, not calls a client makes; no code is generated for them",
        ));
    }
    root.remove("jsonSchemaDialect");
    root.entry("paths").or_insert_with(|| json!({}));
    root.insert("openapi".to_owned(), json!("3.0.3"));
    if let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    {
        schemes.retain(|name, scheme| {
            let mutual_tls = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
            if mutual_tls {
                diagnostics.push(Diagnostic::warning(
                    Pointer::root()
                        .push("components")
                        .push("securitySchemes")
                        .push(name),
                    "mutual TLS is set up on the HTTP client, not per call; this scheme is left out",
                ));
            }
            !mutual_tls
        });
    }
    walk(document, &mut |kind, node, at| match kind {
        Kind::Schema => schema(node, Version::V3_1, at, diagnostics),
        // 3.1 lets an operation leave out its responses.
        Kind::PathItem => {
            for method in METHODS {
                if let Some(Value::Object(operation)) = node.get_mut(method) {
                    operation.entry("responses").or_insert_with(|| json!({}));
                }
            }
        }
        _ => {}
    });
}

/// Reads the JSON Schema keywords of 3.1 in a document that says it is
/// 3.0 (many do, and `type: [string, 'null']` has one meaning either way),
/// keeping 3.0's rule that the keywords beside a `$ref` are ignored.
pub fn schema_keywords(document: &mut Value, diagnostics: &mut Vec<Diagnostic>) {
    walk(document, &mut |kind, node, at| {
        if kind == Kind::Schema {
            schema(node, Version::V3_0, at, diagnostics);
        }
    });
}

/// Rewrites one schema node (not the schemas inside it, which the walk
/// reaches after it), read as the document's `version` says.
fn schema(node: &mut Value, version: Version, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    let map = match node {
        Value::Bool(true) => {
            *node = json!({});
            return;
        }
        Value::Bool(false) => {
            *node = json!({"not": {}});
            return;
        }
        Value::Object(map) => map,
        _ => return,
    };
    // In 3.1 the keywords beside a `$ref` apply too: the reference becomes
    // the one part of an `allOf` that the other keywords annotate.
    if version == Version::V3_1
        && map.len() > 1
        && let Some(reference) = map.remove("$ref")
    {
        let part = json!({"$ref": reference});
        match map.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.insert(0, part),
            _ => {
                map.insert("allOf".to_owned(), json!([part]));
            }
        }
    }
    if map
        .get("type")
        .is_some_and(|t| !t.is_string() && !t.is_array())
    {
        map.remove("type");
        diagnostics.push(Diagnostic::warning(
            at.push("type"),
            "`type` must name a type or list types; this one does neither and is ignored",
        ));
    }
    types(map);
    if let Some(value) = map.remove("const") {
        map.entry("enum").or_insert_with(|| json!([value]));
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.to_owned(), limit);
            map.insert(exclusive.to_owned(), json!(true));
        }
    }
    items(map);
    if !map.contains_key("format") {
        let encoded = map.get("contentEncoding").and_then(Value::as_str);
        if encoded.is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
            map.insert("format".to_owned(), json!("byte"));
        } else if map.contains_key("contentMediaType") {
            map.insert("format".to_owned(), json!("binary"));
        }
    }
    if let Some(Value::Object(patterns)) = map.remove("patternProperties")
        && patterns.len() == 1
        && !map.contains_key("additionalProperties")
        && let Some((_, values)) = patterns.into_iter().next()
    {
        map.insert("additionalProperties".to_owned(), values);
    }
}

/// A `type` list: `"null"` among its types becomes `nullable`, one type
/// stays the type, and several become `anyOf` alternatives, one per type,
/// each taking the keywords that apply to it.
fn types(map: &mut Map<String, Value>) {
    let listed: Vec<String> = match map.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(only)) if only == "null" => vec![only.clone()],
        _ => return,
    };
    map.remove("type");
    let (nulls, types): (Vec<String>, Vec<String>) = listed.into_iter().partition(|t| t == "null");
    if !nulls.is_empty() {
        map.insert("nullable".to_owned(), json!(true));
    }
    match types.as_slice() {
        [] => {}
        [only] => {
            map.insert("type".to_owned(), json!(only));
        }
        several => {
            let alternatives: Vec<Value> = several
                .iter()
                .map(|ty| {
                    let mut alternative = Map::new();
                    alternative.insert("type".to_owned(), json!(ty));
                    let keywords = TYPE_KEYWORDS
                        .iter()
                        .find(|(name, _)| name == ty)
                        .map_or(&[][..], |(_, keywords)| *keywords);
                    for keyword in keywords {
                        if let Some(value) = map.get(*keyword) {
                            alternative.insert((*keyword).to_owned(), value.clone());
                        }
                    }
                    Value::Object(alternative)
                })
                .collect();
            for (_, keywords) in TYPE_KEYWORDS {
                for keyword in keywords {
                    map.remove(*keyword);
                }
            }
            if map.contains_key("anyOf") || map.contains_key("oneOf") {
                let part = json!({"anyOf": alternatives});
                match map.get_mut("allOf") {
                    Some(Value::Array(parts)) => parts.push(part),
                    _ => {
                        map.insert("allOf".to_owned(), json!([part]));
                    }
                }
            } else {
                map.insert("anyOf".to_owned(), Value::Array(alternatives));
            }
        }
    }
}

/// `prefixItems` (a tuple) as the `items` every position fits, and boolean
/// `items` dropped (`true` allows anything, `false` only closes a tuple).
fn items(map: &mut Map<String, Value>) {
    if map.get("items").is_some_and(Value::is_boolean) {
        map.remove("items");
    }
    let Some(Value::Array(positions)) = map.remove("prefixItems") else {
        return;
    };
    if map.contains_key("items") {
        return;
    }
    let mut distinct: Vec<Value> = Vec::new();
    for position in positions {
        if !distinct.contains(&position) {
            distinct.push(position);
        }
    }
    let items = match distinct.len() {
        0 => return,
        1 => distinct.remove(0),
        _ => json!({"anyOf": distinct}),
    };
    map.insert("items".to_owned(), items);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(schema: Value) -> Value {
        let mut document = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        to_3_0(&mut document, &mut Vec::new());
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        assert_eq!(
            converted(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "maxLength": 3, "nullable": true})
        );
        assert_eq!(
            converted(json!({"type": "null"})),
            json!({"nullable": true})
        );
    }

    #[test]
    fn several_types_become_alternatives_with_their_keywords() {
        assert_eq!(
            converted(json!({
                "description": "d",
                "type": ["array", "string", "null"],
                "items": {"type": "integer"},
                "maxLength": 4
            })),
            json!({
                "description": "d",
                "nullable": true,
                "anyOf": [
                    {"type": "array", "items": {"type": "integer"}},
                    {"type": "string", "maxLength": 4}
                ]
            })
        );
    }

    #[test]
    fn keywords_beside_a_reference_annotate_it() {
        assert_eq!(
            converted(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            converted(json!({"$ref": "#/components/schemas/T"})),
            json!({"$ref": "#/components/schemas/T"})
        );
    }

    #[test]
    fn json_schema_keywords_take_their_3_0_spelling() {
        assert_eq!(
            converted(json!({"const": "a", "examples": ["x", "y"]})),
            json!({"enum": ["a"], "example": "x"})
        );
        assert_eq!(
            converted(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            converted(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "contentMediaType": "image/png", "format": "binary"})
        );
        assert_eq!(
            converted(
                json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}], "items": false})
            ),
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(converted(json!(true)), json!({}));
        assert_eq!(converted(json!(false)), json!({"not": {}}));
    }

    #[test]
    fn nested_schemas_are_converted_and_examples_left_alone() {
        let schema = converted(json!({
            "type": "object",
            "properties": {"a": {"type": ["integer", "null"]}},
            "example": {"type": ["not", "a", "schema"]}
        }));
        assert_eq!(
            schema["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(schema["example"], json!({"type": ["not", "a", "schema"]}));
    }

    #[test]
    fn a_3_0_document_keeps_its_reading_of_references_and_loses_broken_types() {
        let mut document = json!({"openapi": "3.0.3", "components": {"schemas": {
            "S": {"$ref": "#/components/schemas/T", "description": "ignored in 3.0"},
            "T": {"type": ["string", "null"], "exclusiveMaximum": 9},
            "U": {"type": {"type": "string"}}
        }}});
        let mut diagnostics = Vec::new();
        schema_keywords(&mut document, &mut diagnostics);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["S"],
            json!({"$ref": "#/components/schemas/T", "description": "ignored in 3.0"})
        );
        assert_eq!(
            schemas["T"],
            json!({"type": "string", "nullable": true, "maximum": 9, "exclusiveMaximum": true})
        );
        assert_eq!(schemas["U"], json!({}));
        let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/components/schemas/U/type"]);
    }

    #[test]
    fn operations_may_leave_out_their_responses() {
        let mut document = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"operationId": "a"}, "summary": "s"}}
        });
        to_3_0(&mut document, &mut Vec::new());
        assert_eq!(document["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(document["paths"]["/a"]["summary"], json!("s"));
    }

    #[test]
    fn webhooks_and_mutual_tls_are_dropped_with_a_warning() {
        let mut document = json!({
            "openapi": "3.1.0",
            "webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"securitySchemes": {
                "tls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "k"}
            }}
        });
        let mut diagnostics = Vec::new();
        to_3_0(&mut document, &mut diagnostics);
        let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/webhooks", "/components/securitySchemes/tls"]);
        assert!(document.get("webhooks").is_none());
        assert_eq!(document["paths"], json!({}));
        assert_eq!(document["openapi"], json!("3.0.3"));
        assert!(
            document["components"]["securitySchemes"]
                .get("key")
                .is_some()
        );
    }
}
