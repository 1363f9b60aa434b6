//! Stage 1: spec text to the `openapiv3` document.
//!
//! OpenAPI 3.0 is read as it is. A 3.1 document is first rewritten as 3.0
//! ([`v31`]), and references to nodes other than components are made
//! references to components ([`references`]), so that one reader and one
//! model serve both. `openapiv3` is the reader: maintained, strict about
//! 3.0, and the model the rest of the generator is written against; the
//! 3.1 crates on crates.io read 3.1 only, and would mean two models.

mod locate;
pub(crate) mod references;
mod v31;
mod walk;

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Pointer};

/// A document read, and what reading it found that did not stop it.
#[derive(Debug)]
pub struct Parsed {
    pub document: OpenAPI,
    /// Parts of the document left out or read approximately, and errors
    /// that stop generation but not reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V3_0,
    V3_1,
}

/// Reads an OpenAPI 3.0 or 3.1 document written in JSON or YAML.
pub fn parse(text: &str) -> Result<Parsed, Diagnostic> {
    if let Some(document) = parse_json(text) {
        return Ok(Parsed {
            document,
            diagnostics: Vec::new(),
        });
    }
    let mut value = syntax(text)?;
    let version = check_version(&value)?;
    let mut diagnostics = Vec::new();
    match version {
        Version::V3_1 => v31::to_3_0(&mut value, &mut diagnostics),
        Version::V3_0 => v31::schema_keywords(&mut value, &mut diagnostics),
    }
    references::to_components(&mut value, &mut diagnostics);
    let document = OpenAPI::deserialize(&value).map_err(|error| {
        locate::invalid_node(&value).unwrap_or_else(|| {
            Diagnostic::error(
                Pointer::root(),
                format!("not a valid OpenAPI document: {error}"),
            )
        })
    })?;
    Ok(Parsed {
        document,
        diagnostics,
    })
}

/// A JSON 3.0 document read straight into the model, without building the
/// tree of values first (a large spec's tree takes as long to build as the
/// model and as much memory again). `None` when the text is not JSON, is
/// another version, has references the model cannot read as they are, or
/// has any problem, which the slower path then reports with its location.
fn parse_json(text: &str) -> Option<OpenAPI> {
    /// The two fields that say which version a document is.
    #[derive(Deserialize)]
    struct Version {
        openapi: Option<Value>,
        swagger: Option<serde::de::IgnoredAny>,
    }
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let version: Version = serde_json::from_str(text).ok()?;
    let mut fields = serde_json::Map::new();
    if let Some(openapi) = version.openapi {
        fields.insert("openapi".to_owned(), openapi);
    }
    if version.swagger.is_some() {
        fields.insert("swagger".to_owned(), Value::Null);
    }
    if check_version(&Value::Object(fields)).ok()? != self::Version::V3_0
        || !references::only_component_references(text)
    {
        return None;
    }
    serde_json::from_str(text).ok()
}

fn syntax(text: &str) -> Result<Value, Diagnostic> {
    // JSON is valid YAML, but the JSON parser is many times faster on large specs.
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            Diagnostic::error(
                Pointer::root(),
                format!("the document is not valid JSON: {e}"),
            )
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            Diagnostic::error(
                Pointer::root(),
                format!("the document is not valid YAML: {e}"),
            )
        })
    }
}

fn check_version(value: &Value) -> Result<Version, Diagnostic> {
    let Value::Object(document) = value else {
        return Err(Diagnostic::error(
            Pointer::root(),
            "the document must be a mapping with an `openapi` field",
        ));
    };
    match document.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") || version == "3.0" => {
            Ok(Version::V3_0)
        }
        Some(Value::String(version)) if version.starts_with("3.1.") || version == "3.1" => {
            Ok(Version::V3_1)
        }
        Some(Value::String(version)) => Err(Diagnostic::error(
            Pointer::root().push("openapi"),
            format!(
                "OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x"
            ),
        )),
        Some(other) => Err(Diagnostic::error(
            Pointer::root().push("openapi"),
            format!("the version must be a string such as \"3.0.3\", found {other}"),
        )),
        None if document.contains_key("swagger") => Err(Diagnostic::error(
            Pointer::root().push("swagger"),
            "this is a Swagger 2.0 document; convert it to OpenAPI 3.0 first",
        )),
        None => Err(Diagnostic::error(
            Pointer::root(),
            "missing the `openapi` field that names the OpenAPI version",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> Diagnostic {
        let result = parse(text);
        assert!(result.is_err(), "expected {text:?} to be rejected");
        result
            .err()
            .unwrap_or_else(|| Diagnostic::error(Pointer::root(), ""))
    }

    #[test]
    fn reads_yaml_and_json() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let json = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#;
        assert_eq!(
            parse(yaml).map(|p| p.document.info.title).ok(),
            Some("t".into())
        );
        assert_eq!(
            parse(json).map(|p| p.document.info.title).ok(),
            Some("t".into())
        );
    }

    #[test]
    fn points_at_a_wrongly_typed_node() {
        let d = error_of(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n      parameters: 5\n",
        );
        assert_eq!(d.pointer.as_str(), "/paths/~1a/get/parameters");
        assert!(d.message.contains("invalid type"), "{}", d.message);
    }

    #[test]
    fn points_into_schemas_and_components() {
        let d = error_of(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {type: array, items: {required: 7}}\n",
        );
        assert_eq!(
            d.pointer.as_str(),
            "/components/schemas/A/properties/b/items/required"
        );
        let d = error_of("openapi: 3.0.3\ninfo: {version: '1'}\npaths: {}\n");
        assert_eq!(d.pointer.as_str(), "/info");
        assert!(d.message.contains("title"), "{}", d.message);
    }

    #[test]
    fn names_the_unsupported_version() {
        let d = error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(d.pointer.as_str(), "/openapi");
        assert!(d.message.contains("3.2.0"));
        let d = error_of("swagger: '2.0'\ninfo: {title: t, version: '1'}\n");
        assert_eq!(d.pointer.as_str(), "/swagger");
    }

    #[test]
    fn rejects_broken_syntax_and_non_mappings() {
        assert!(error_of("{").message.contains("JSON"));
        assert!(error_of("a: [").message.contains("YAML"));
        assert!(error_of("- 1\n- 2\n").message.contains("mapping"));
    }
}
