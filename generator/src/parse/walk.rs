//! A walk over the nodes of a document the generator reads, each with what
//! it is (a schema, a parameter, …) and where it is.
//!
//! The tree of values says nothing of what a node means: `properties` may
//! be a keyword or the name of a property, `type` an array in a schema or
//! data in an example. The walk follows OpenAPI's structure instead, so that
//! the passes over a document before it is read into the model (OpenAPI 3.1
//! read as 3.0, references to any node) touch only the nodes they mean.

use serde_json::Value;

use crate::diagnostic::Pointer;

/// What a node of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Schema,
    Parameter,
    Header,
    RequestBody,
    Response,
    PathItem,
}

impl Kind {
    /// The section of `components` that holds named nodes of this kind.
    pub fn section(self) -> &'static str {
        match self {
            Self::Schema => "schemas",
            Self::Parameter => "parameters",
            Self::Header => "headers",
            Self::RequestBody => "requestBodies",
            Self::Response => "responses",
            Self::PathItem => "pathItems",
        }
    }

    /// The node's kind in words, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Schema => "schema",
            Self::Parameter => "parameter",
            Self::Header => "header",
            Self::RequestBody => "request body",
            Self::Response => "response",
            Self::PathItem => "path item",
        }
    }
}

/// The HTTP methods a path item holds operations under.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords whose value is a map from names to schemas.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose value is one schema.
const SCHEMA_SLOTS: [&str; 9] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

/// Calls `visit` on every schema, parameter, header, request body, response
/// and path item of `document`, each before the nodes inside it, and then
/// walks the node as `visit` left it.
pub fn walk(document: &mut Value, visit: &mut dyn FnMut(Kind, &mut Value, &Pointer)) {
    let mut walker = Walker { visit };
    let root = Pointer::root();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        let at = root.push("paths");
        for (path, item) in paths.iter_mut() {
            walker.path_item(item, &at.push(path));
        }
    }
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        let at = root.push("components");
        for (section, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            let at = at.push(section);
            for (name, node) in entries.iter_mut() {
                let at = at.push(name);
                match section.as_str() {
                    "schemas" => walker.schema(node, &at),
                    "parameters" => walker.parameter(Kind::Parameter, node, &at),
                    "headers" => walker.parameter(Kind::Header, node, &at),
                    "requestBodies" => walker.request_body(node, &at),
                    "responses" => walker.response(node, &at),
                    "callbacks" => walker.callback(node, &at),
                    "pathItems" => walker.path_item(node, &at),
                    _ => {}
                }
            }
        }
    }
}

struct Walker<'v> {
    visit: &'v mut dyn FnMut(Kind, &mut Value, &Pointer),
}

impl Walker<'_> {
    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        (self.visit)(Kind::PathItem, item, at);
        let Some(item) = item.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            let at = at.push("parameters");
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(Kind::Parameter, parameter, &at.push(index));
            }
        }
        for method in METHODS {
            if let Some(operation) = item.get_mut(method) {
                self.operation(operation, &at.push(method));
            }
        }
    }

    fn operation(&mut self, operation: &mut Value, at: &Pointer) {
        let Some(operation) = operation.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
            let at = at.push("parameters");
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(Kind::Parameter, parameter, &at.push(index));
            }
        }
        if let Some(body) = operation.get_mut("requestBody") {
            self.request_body(body, &at.push("requestBody"));
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            let at = at.push("responses");
            for (code, response) in responses.iter_mut() {
                self.response(response, &at.push(code));
            }
        }
        if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
            let at = at.push("callbacks");
            for (name, callback) in callbacks.iter_mut() {
                self.callback(callback, &at.push(name));
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &Pointer) {
        if let Some(expressions) = callback.as_object_mut() {
            for (expression, item) in expressions.iter_mut() {
                if expression != "$ref" {
                    self.path_item(item, &at.push(expression));
                }
            }
        }
    }

    /// A parameter or a header, which differ only in their kind.
    fn parameter(&mut self, kind: Kind, parameter: &mut Value, at: &Pointer) {
        (self.visit)(kind, parameter, at);
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &at.push("schema"));
        }
        self.content(parameter, at);
    }

    fn request_body(&mut self, body: &mut Value, at: &Pointer) {
        (self.visit)(Kind::RequestBody, body, at);
        self.content(body, at);
    }

    fn response(&mut self, response: &mut Value, at: &Pointer) {
        (self.visit)(Kind::Response, response, at);
        self.headers(response, at);
        self.content(response, at);
    }

    fn headers(&mut self, node: &mut Value, at: &Pointer) {
        if let Some(Value::Object(headers)) = node.get_mut("headers") {
            let at = at.push("headers");
            for (name, header) in headers.iter_mut() {
                self.parameter(Kind::Header, header, &at.push(name));
            }
        }
    }

    /// The schemas of a `content` map, and the headers of its encodings.
    fn content(&mut self, node: &mut Value, at: &Pointer) {
        let Some(Value::Object(content)) = node.get_mut("content") else {
            return;
        };
        let at = at.push("content");
        for (media_type, media) in content.iter_mut() {
            let at = at.push(media_type);
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &at.push("schema"));
            }
            if let Some(Value::Object(encodings)) = media.get_mut("encoding") {
                let at = at.push("encoding");
                for (property, encoding) in encodings.iter_mut() {
                    self.headers(encoding, &at.push(property));
                }
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        (self.visit)(Kind::Schema, schema, at);
        let Some(schema) = schema.as_object_mut() else {
            return;
        };
        for (keyword, value) in schema.iter_mut() {
            let keyword = keyword.as_str();
            let at = at.push(keyword);
            if SCHEMA_MAPS.contains(&keyword) {
                if let Some(map) = value.as_object_mut() {
                    for (name, schema) in map.iter_mut() {
                        self.schema(schema, &at.push(name));
                    }
                }
            } else if SCHEMA_LISTS.contains(&keyword) || (keyword == "items" && value.is_array()) {
                if let Some(list) = value.as_array_mut() {
                    for (index, schema) in list.iter_mut().enumerate() {
                        self.schema(schema, &at.push(index));
                    }
                }
            } else if SCHEMA_SLOTS.contains(&keyword) && value.is_object() {
                self.schema(value, &at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn visited(mut document: Value) -> Vec<(Kind, String)> {
        let mut seen = Vec::new();
        walk(&mut document, &mut |kind, _, at| {
            seen.push((kind, at.as_str().to_owned()));
        });
        seen
    }

    #[test]
    fn tells_keywords_from_names() {
        let seen = visited(json!({
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {
                    "properties": {"type": "string"},
                    "example": {"items": {"type": "integer"}}
                },
                "example": {"properties": {"x": {"type": "boolean"}}}
            }}}
        }));
        let schemas: Vec<&str> = seen.iter().map(|(_, at)| at.as_str()).collect();
        assert_eq!(
            schemas,
            [
                "/components/schemas/A",
                "/components/schemas/A/properties/properties",
                "/components/schemas/A/properties/example",
                "/components/schemas/A/properties/example/items",
            ]
        );
    }

    #[test]
    fn finds_every_kind_under_operations() {
        let seen = visited(json!({
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/x"}}}},
                    "responses": {"200": {
                        "headers": {"h": {"schema": {"type": "string"}}},
                        "content": {"text/plain": {"schema": {"type": "string"}}}
                    }}
                }
            }}
        }));
        let kinds: Vec<Kind> = seen.iter().map(|(kind, _)| *kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::PathItem,
                Kind::Parameter,
                Kind::Schema,
                Kind::RequestBody,
                Kind::Schema,
                Kind::Response,
                Kind::Header,
                Kind::Schema,
                Kind::Schema,
            ]
        );
        assert_eq!(
            seen[4].1,
            "/paths/~1a/post/requestBody/content/application~1json/schema"
        );
    }
}
