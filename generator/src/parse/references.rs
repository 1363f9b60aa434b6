//! References to any node of the document, made references to components.
//!
//! A `$ref` may point anywhere in its document: into a property of another
//! schema (`#/components/schemas/Pet/properties/owner`), into an operation
//! (`#/paths/~1pets/get/responses/200/content/application~1json/schema`),
//! into `$defs`. The model names what references share, and it names the
//! components; so each node such a reference points at is moved into the
//! components section of its kind, under a name made from where it was,
//! and a reference to it is left in its place: the document means what it
//! meant, and every node is reached by `#/components/<section>/<name>`.
//! A path item, which OpenAPI 3.0 cannot name, is copied into each place
//! that refers to it instead.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::walk::{Kind, METHODS, walk};
use crate::diagnostic::{Diagnostic, Pointer};

/// How many references in a row are followed before giving up on a loop.
const MAX_HOPS: usize = 32;

/// The tokens of a local reference (`#/a/b~1c` → `a`, `b/c`), undoing its
/// URI and JSON-pointer escapes; `None` for a reference to another document.
pub fn local_tokens(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    let fragment = fragment.strip_prefix('/')?;
    Some(fragment.split('/').map(unescape).collect())
}

/// A reference to the node at `tokens`.
fn reference_to(tokens: &[&str]) -> String {
    let mut reference = "#".to_owned();
    for token in tokens {
        reference.push('/');
        reference.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    reference
}

/// Undoes URI (`%XX`) and then JSON-pointer (`~1`, `~0`) escaping in one
/// token of a reference.
pub fn unescape(token: &str) -> String {
    let mut bytes = Vec::with_capacity(token.len());
    let mut rest = token.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let decoded = match (first, tail) {
            (b'%', [h, l, ..]) => match (hex(*h), hex(*l)) {
                (Some(h), Some(l)) => Some(h * 16 + l),
                _ => None,
            },
            _ => None,
        };
        match decoded {
            Some(byte) => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            None => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8_lossy(&bytes)
        .replace("~1", "/")
        .replace("~0", "~")
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Whether `text` has only `$ref`s of the form `#/components/<section>/<name>`
/// (or none), so that a document can be read without this pass. Scans the
/// JSON text; anything unusual answers `false`, which only costs the pass.
pub fn only_component_references(text: &str) -> bool {
    let mut rest = text;
    while let Some(found) = rest.find("\"$ref\"") {
        rest = &rest[found + "\"$ref\"".len()..];
        let value = rest.trim_start();
        let Some(value) = value.strip_prefix(':') else {
            return false;
        };
        let Some(value) = value.trim_start().strip_prefix('"') else {
            return false;
        };
        let Some(end) = value.find(['"', '\\']) else {
            return false;
        };
        if value.as_bytes().get(end) != Some(&b'"') || !is_component(&value[..end]) {
            return false;
        }
    }
    true
}

/// `#/components/<section>/<name>`, which the model reads as it is.
fn is_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(section, name)| {
            !section.is_empty() && !name.is_empty() && !name.contains('/')
        })
}

/// A reference the document makes, and where.
struct Use {
    kind: Kind,
    reference: String,
    at: Pointer,
}

/// Moves every node a reference points at into the components, unless the
/// reference already names a component; see the module's documentation.
/// A reference to nothing is left for the model to report where it is used.
pub fn to_components(document: &mut Value, diagnostics: &mut Vec<Diagnostic>) {
    let mut uses = Vec::new();
    walk(document, &mut |kind, node, at| {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str)
            && reference.starts_with('#')
            && (kind == Kind::PathItem || !is_component(reference))
        {
            uses.push(Use {
                kind,
                reference: reference.to_owned(),
                at: at.clone(),
            });
        }
    });
    if uses.is_empty() {
        return;
    }

    // Each target once, with the kind its first use gives it.
    let mut targets: Vec<(String, Vec<String>, Kind)> = Vec::new();
    let mut kinds: HashMap<&str, Kind> = HashMap::new();
    let mut reported = HashSet::new();
    for found in &uses {
        match kinds.get(found.reference.as_str()) {
            Some(&kind) if kind != found.kind => {
                if reported.insert(found.reference.as_str()) {
                    diagnostics.push(Diagnostic::error(
                        found.at.push("$ref"),
                        format!(
                            "`{}` is used as a {} here and as a {} elsewhere",
                            found.reference,
                            found.kind.noun(),
                            kind.noun()
                        ),
                    ));
                }
            }
            Some(_) => {}
            None => {
                kinds.insert(&found.reference, found.kind);
                if let Some(tokens) = local_tokens(&found.reference) {
                    targets.push((found.reference.clone(), tokens, found.kind));
                }
            }
        }
    }
    // The deepest first: a node inside another target moves out of it
    // before that target moves, leaving a reference behind.
    targets.sort_by_key(|(_, tokens, _)| std::cmp::Reverse(tokens.len()));

    let mut moved: HashMap<String, String> = HashMap::new();
    let mut path_items: HashMap<String, Value> = HashMap::new();
    for (reference, tokens, kind) in targets {
        let Some(node) = node_at(document, &tokens) else {
            continue;
        };
        if let Some(next) = node.get("$ref").and_then(Value::as_str)
            && node.as_object().is_some_and(|n| n.len() == 1)
        {
            // A reference to a reference: its users follow it.
            moved.insert(reference, next.to_owned());
            continue;
        }
        if kind == Kind::PathItem {
            path_items.insert(reference, node.clone());
            continue;
        }
        let name = component_key(document, &tokens, kind.section());
        let target = reference_to(&["components", kind.section(), &name]);
        let Some(node) = node_at_mut(document, &tokens) else {
            continue;
        };
        let definition = std::mem::replace(node, json!({"$ref": target}));
        let Some(section) = section_mut(document, kind.section()) else {
            continue;
        };
        section.insert(name, definition);
        moved.insert(reference, target);
    }

    walk(document, &mut |kind, node, _| {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let mut current = reference.to_owned();
        for _ in 0..MAX_HOPS {
            match moved.get(&current) {
                Some(next) => current.clone_from(next),
                None => break,
            }
        }
        if kind == Kind::PathItem
            && let Some(item) = path_items.get(&current)
        {
            *node = item.clone();
        } else if current != reference
            && let Some(map) = node.as_object_mut()
        {
            map.insert("$ref".to_owned(), Value::String(current));
        }
    });
    if let Some(Value::Object(components)) = document.get_mut("components") {
        // OpenAPI 3.0 has no such section; its items are copied where used.
        components.remove("pathItems");
    }
}

fn node_at<'v>(document: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(document, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(list) => list.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

fn node_at_mut<'v>(document: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    tokens.iter().try_fold(document, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(list) => list.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    })
}

fn section_mut<'v>(document: &'v mut Value, section: &str) -> Option<&'v mut Map<String, Value>> {
    let root = document.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    components
        .entry(section)
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

/// A name for the node at `tokens` in the components `section`, made from
/// where it was — the component or operation it belonged to, then the
/// names along the way (`Pet` + `owner`, `listPets` + `Response`) — and
/// not yet taken there.
fn component_key(document: &Value, tokens: &[String], section: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let rest = match tokens {
        [first, _, name, rest @ ..] if first == "components" => {
            words.push(name.clone());
            rest
        }
        [first, path, method, rest @ ..]
            if first == "paths" && METHODS.contains(&method.as_str()) =>
        {
            let operation_id = node_at(document, &tokens[..3])
                .and_then(|operation| operation.get("operationId"))
                .and_then(Value::as_str);
            match operation_id {
                Some(id) => words.push(id.to_owned()),
                None => words.extend([method.clone(), path.clone()]),
            }
            rest
        }
        [first, path, rest @ ..] if first == "paths" => {
            words.push(path.clone());
            rest
        }
        all => all,
    };
    let mut index = 0;
    while let Some(token) = rest.get(index) {
        let next = rest.get(index + 1);
        index += 1;
        match (token.as_str(), next) {
            ("properties" | "patternProperties" | "$defs" | "definitions", Some(name))
            | ("headers", Some(name)) => {
                words.push(name.clone());
                index += 1;
            }
            ("content" | "encoding", Some(_)) => index += 1,
            ("schema", _) => {}
            ("items", _) => words.push("Item".to_owned()),
            ("additionalProperties", _) => words.push("Value".to_owned()),
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Some(position)) => {
                words.push(format!("Part{position}"));
                index += 1;
            }
            ("requestBody", _) => words.push("Body".to_owned()),
            ("responses", Some(code)) => {
                words.push("Response".to_owned());
                if code != "200" {
                    words.push(code.clone());
                }
                index += 1;
            }
            ("parameters", Some(position)) => {
                let named = node_at(document, &tokens[..tokens.len() - rest.len() + index + 1])
                    .and_then(|parameter| parameter.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                words.push(named.unwrap_or_else(|| format!("Parameter{position}")));
                index += 1;
            }
            (other, _) => words.push(other.to_owned()),
        }
    }
    let joined = words.join("_");
    let base: String = joined
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = base
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let base = if base.is_empty() {
        "Node".to_owned()
    } else {
        base
    };
    let taken = |name: &str| {
        document
            .get("components")
            .and_then(|c| c.get(section))
            .is_some_and(|s| s.get(name).is_some())
    };
    let mut name = base.clone();
    let mut number = 2;
    while taken(&name) {
        name = format!("{base}_{number}");
        number += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hoisted(mut document: Value) -> (Value, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        to_components(&mut document, &mut diagnostics);
        (document, diagnostics)
    }

    #[test]
    fn reads_reference_tokens() {
        assert_eq!(
            local_tokens("#/paths/~1a~1%7Bid%7D/get"),
            Some(vec!["paths".into(), "/a/{id}".into(), "get".into()])
        );
        assert_eq!(local_tokens("other.yaml#/a"), None);
        assert_eq!(local_tokens("#"), Some(Vec::new()));
    }

    #[test]
    fn scans_for_references_that_need_the_pass() {
        assert!(only_component_references(
            r##"{"a": {"$ref" : "#/components/schemas/A"}, "b": {"$ref":"#/components/parameters/p%20q"}}"##
        ));
        assert!(!only_component_references(
            r##"{"$ref": "#/components/schemas/A/properties/b"}"##
        ));
        assert!(!only_component_references(r##"{"$ref": "#/paths/~1a"}"##));
        assert!(!only_component_references(r##"{"$ref": "a.json"}"##));
        assert!(!only_component_references(
            r##"{"$ref": "#/components/schemas/\u0041"}"##
        ));
    }

    #[test]
    fn a_property_of_another_schema_becomes_a_component_both_share() {
        let (document, diagnostics) = hoisted(json!({
            "paths": {},
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {"owner": {"type": "object", "properties": {"name": {"type": "string"}}}}},
                "Shop": {"type": "object", "properties": {"keeper": {"$ref": "#/components/schemas/Pet/properties/owner"}}}
            }}
        }));
        assert!(diagnostics.is_empty());
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Pet_owner"]["properties"]["name"],
            json!({"type": "string"})
        );
        assert_eq!(
            schemas["Pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Pet_owner"})
        );
        assert_eq!(
            schemas["Shop"]["properties"]["keeper"],
            json!({"$ref": "#/components/schemas/Pet_owner"})
        );
    }

    #[test]
    fn nodes_inside_operations_are_named_after_them() {
        let schema_at = "#/paths/~1pets/get/responses/200/content/application~1json/schema";
        let (document, _) = hoisted(json!({
            "paths": {
                "/pets": {"get": {
                    "operationId": "listPets",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"id": {"type": "string"}}}
                    }}}}}
                }},
                "/stores": {"get": {
                    "parameters": [{"$ref": "#/paths/~1pets/get/parameters/0"}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "array", "items": {"$ref": format!("{schema_at}/items")}
                    }}}}}
                }}
            }
        }));
        let components = &document["components"];
        assert_eq!(
            components["parameters"]["listPets_limit"]["name"],
            json!("limit")
        );
        assert_eq!(
            components["schemas"]["listPets_Response_Item"]["properties"]["id"],
            json!({"type": "string"})
        );
        let stores = &document["paths"]["/stores"]["get"];
        assert_eq!(
            stores["parameters"][0],
            json!({"$ref": "#/components/parameters/listPets_limit"})
        );
        assert_eq!(
            document["paths"]["/pets"]["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/listPets_limit"})
        );
    }

    #[test]
    fn a_node_and_one_inside_it_both_move() {
        let (document, _) = hoisted(json!({
            "paths": {},
            "components": {"schemas": {
                "A": {"properties": {"b": {"properties": {"c": {"type": "string"}}}}},
                "X": {"properties": {
                    "b": {"$ref": "#/components/schemas/A/properties/b"},
                    "c": {"$ref": "#/components/schemas/A/properties/b/properties/c"}
                }}
            }}
        }));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["A_b"]["properties"]["c"],
            json!({"$ref": "#/components/schemas/A_b_c"})
        );
        assert_eq!(schemas["A_b_c"], json!({"type": "string"}));
        assert_eq!(
            schemas["X"]["properties"]["c"],
            json!({"$ref": "#/components/schemas/A_b_c"})
        );
    }

    #[test]
    fn a_node_that_refers_to_itself_keeps_its_loop() {
        let (document, _) = hoisted(json!({
            "paths": {"/t": {"get": {"operationId": "tree", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"children": {"type": "array", "items": {
                        "$ref": "#/paths/~1t/get/responses/200/content/application~1json/schema"
                    }}}
                }}}}}}}}
        }));
        let tree = &document["components"]["schemas"]["tree_Response"];
        assert_eq!(
            tree["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/tree_Response"})
        );
    }

    #[test]
    fn path_items_are_copied_and_names_do_not_collide() {
        let (document, _) = hoisted(json!({
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {
                "pathItems": {"A": {"get": {"responses": {}}}},
                "schemas": {
                    "P_q": {"type": "string"},
                    "P": {"properties": {"q": {"type": "integer"}}},
                    "R": {"$ref": "#/components/schemas/P/properties/q"}
                }
            }
        }));
        assert_eq!(document["paths"]["/a"], json!({"get": {"responses": {}}}));
        assert!(document["components"].get("pathItems").is_none());
        assert_eq!(
            document["components"]["schemas"]["P_q_2"],
            json!({"type": "integer"})
        );
    }

    #[test]
    fn conflicting_uses_are_an_error_and_missing_targets_are_left() {
        let (document, diagnostics) = hoisted(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/x"}],
                "responses": {"200": {"$ref": "#/x"}, "201": {"$ref": "#/missing/node"}}
            }}},
            "x": {"name": "n", "in": "query"}
        }));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].pointer.as_str(),
            "/paths/~1a/get/responses/200/$ref"
        );
        assert_eq!(
            document["paths"]["/a"]["get"]["responses"]["201"],
            json!({"$ref": "#/missing/node"})
        );
    }
}
