//! Specs the generator cannot (fully) handle: each yields a diagnostic that
//! names the offending node by JSON pointer and says what is wrong.

mod common;

use common::config;
use genauth_codegen::{Diagnostic, Severity};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// The diagnostics of a spec that must fail.
fn errors(spec: &str) -> Vec<Diagnostic> {
    match genauth_codegen::generate(spec, &config()) {
        Ok(_) => panic!("expected errors for:\n{spec}"),
        Err(e) => e.diagnostics,
    }
}

/// The warnings of a spec that must generate.
fn warnings(spec: &str) -> Vec<Diagnostic> {
    match genauth_codegen::generate(spec, &config()) {
        Ok(generated) => generated.warnings,
        Err(e) => panic!("expected {spec} to generate, got {e}"),
    }
}

#[track_caller]
fn assert_has(diagnostics: &[Diagnostic], severity: Severity, pointer: &str, fragment: &str) {
    let found = diagnostics.iter().any(|d| {
        d.severity == severity && d.pointer.as_str() == pointer && d.message.contains(fragment)
    });
    assert!(
        found,
        "no {severity:?} at {pointer} containing {fragment:?} in {diagnostics:#?}"
    );
}

#[test]
fn a_reference_to_a_missing_schema() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Nope'}}\n"
    );
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/components/schemas/A/properties/b",
        "`#/components/schemas/Nope` names a schema that does not exist",
    );
}

#[test]
fn an_external_reference() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'other.yaml#/components/schemas/B'}}\n"
    );
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/components/schemas/A",
        "`other.yaml#/components/schemas/B` refers to another document, which is not read",
    );
}

#[test]
fn references_to_missing_parameters_bodies_and_responses() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    post:\n      parameters: [{{$ref: '#/components/parameters/P'}}]\n      requestBody: {{$ref: '#/components/requestBodies/B'}}\n      responses:\n        '200': {{$ref: '#/components/responses/R'}}\n"
    );
    let diagnostics = errors(&spec);
    assert_has(
        &diagnostics,
        Severity::Error,
        "/paths/~1a/post/parameters/0",
        "`#/components/parameters/P` names a component that does not exist",
    );
}

#[test]
fn a_request_body_reference_that_does_not_resolve() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    post:\n      requestBody: {{$ref: '#/components/requestBodies/B'}}\n      responses: {{'204': {{description: x}}}}\n"
    );
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/paths/~1a/post/requestBody",
        "does not exist",
    );
}

#[test]
fn a_path_variable_without_a_parameter() {
    let spec = format!(
        "{HEAD}paths:\n  /users/{{id}}:\n    get:\n      responses: {{'204': {{description: x}}}}\n"
    );
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/paths/~1users~1{id}/get",
        "a `{id}` segment but no path parameter",
    );
}

#[test]
fn schemas_that_only_name_each_other() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
    );
    let diagnostics = errors(&spec);
    assert_has(
        &diagnostics,
        Severity::Error,
        "/components/schemas/A",
        "never defines a type",
    );
    assert_has(
        &diagnostics,
        Severity::Error,
        "/components/schemas/B",
        "never defines a type",
    );
}

#[test]
fn an_all_of_that_contains_itself() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {{type: object, properties: {{x: {{type: string}}}}}}\n"
    );
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/components/schemas/A",
        "`allOf` refers back to itself",
    );
}

#[test]
fn nodes_of_the_wrong_type() {
    let spec =
        format!("{HEAD}paths:\n  /a:\n    get:\n      responses: {{}}\n      parameters: 5\n");
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/paths/~1a/get/parameters",
        "invalid type: integer `5`",
    );
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: x\n          content: {{application/json: {{schema: {{type: object, properties: {{a: {{type: strong}}}}}}}}}}\n"
    );
    assert_has(
        &errors(&spec),
        Severity::Error,
        "/paths/~1a/get/responses/200/content/application~1json/schema/properties/a/type",
        "`strong` is not a JSON Schema type",
    );
}

#[test]
fn documents_that_are_not_openapi_3_0_or_3_1() {
    assert_has(
        &errors("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        Severity::Error,
        "/openapi",
        "OpenAPI 3.2.0 is not supported",
    );
    assert_has(
        &errors("swagger: '2.0'\n"),
        Severity::Error,
        "/swagger",
        "Swagger 2.0",
    );
    assert_has(
        &errors("info: {title: t}\n"),
        Severity::Error,
        "",
        "missing the `openapi` field",
    );
    assert_has(
        &errors("openapi: [3]\n"),
        Severity::Error,
        "/openapi",
        "must be a string",
    );
    assert_has(
        &errors("openapi: 3.0.3\ninfo: ["),
        Severity::Error,
        "",
        "not valid YAML",
    );
    assert_has(
        &errors("{\"openapi\": "),
        Severity::Error,
        "",
        "not valid JSON",
    );
    assert_has(&errors(""), Severity::Error, "", "mapping");
}

#[test]
fn unsupported_constructs_are_warnings_and_the_rest_is_generated() {
    let spec = format!(
        "{HEAD}paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content: {{multipart/mixed: {{schema: {{type: object}}}}}}
      responses: {{'204': {{description: x}}}}
  /a:
    get:
      operationId: getA
      parameters:
        - {{name: s, in: cookie, required: true, schema: {{type: string}}}}
      responses: {{'204': {{description: x}}}}
  /b:
    get:
      operationId: getB
      security: [{{nope: []}}]
      parameters:
        - {{name: q, in: query, style: deepObject, explode: false, schema: {{type: object}}}}
      responses:
        '200':
          description: x
          content: {{text/html: {{schema: {{type: string}}}}}}
components:
  schemas:
    U: {{not: {{type: string}}}}
    P:
      oneOf: [{{$ref: '#/components/schemas/U'}}, {{type: integer}}]
      discriminator: {{propertyName: kind}}
"
    );
    let generated = genauth_codegen::generate(&spec, &config()).expect("generates the rest");
    let w = &generated.warnings;
    assert_has(
        w,
        Severity::Warning,
        "/paths/~1upload/post/requestBody/content",
        "multipart/mixed are not supported; the operation is skipped",
    );
    assert_has(
        w,
        Severity::Warning,
        "/paths/~1a/get/parameters/0",
        "cookie parameters are not supported, and this one is required",
    );
    assert_has(
        w,
        Severity::Warning,
        "/paths/~1b/get/security/0",
        "`nope` is not defined",
    );
    assert_has(
        w,
        Severity::Warning,
        "/paths/~1b/get/parameters/0",
        "OpenAPI defines `deepObject` only with `explode: true`",
    );
    // An HTML answer is read as text, not discarded.
    assert!(
        !w.iter().any(|d| d
            .pointer
            .to_string()
            .starts_with("/paths/~1b/get/responses")),
        "{w:#?}"
    );
    assert_has(
        w,
        Severity::Warning,
        "/components/schemas/U",
        "`not` cannot be expressed",
    );
    assert_has(
        w,
        Severity::Warning,
        "/components/schemas/P/discriminator",
        "every alternative to be a `$ref`",
    );
    assert_eq!(generated.operations, 1, "only getB can be called");
    assert!(warnings(&format!("{HEAD}paths: {{}}\n")).is_empty());
}

#[test]
fn every_error_is_reported_at_once() {
    let spec = format!(
        "{HEAD}paths:\n  /a/{{x}}:\n    get:\n      responses: {{'204': {{description: x}}}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/Missing1'}}\n    B: {{type: array, items: {{$ref: '#/components/schemas/Missing2'}}}}\n"
    );
    let diagnostics = errors(&spec);
    assert_eq!(
        diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        3,
        "{diagnostics:#?}"
    );
    assert_has(
        &diagnostics,
        Severity::Error,
        "/components/schemas/B/items",
        "Missing2",
    );
}

/// The warnings of a spec that must generate, with the generated text.
fn generated(spec: &str) -> (Vec<Diagnostic>, String) {
    match genauth_codegen::generate(spec, &config()) {
        Ok(generated) => {
            let text = generated
                .files
                .iter()
                .map(|f| f.contents.as_str())
                .collect();
            (generated.warnings, text)
        }
        Err(e) => panic!("expected {spec} to generate, got {e}"),
    }
}

#[test]
fn methods_that_traits_of_the_client_already_have_are_renamed() {
    let mut paths = String::from("paths:\n");
    for id in [
        "clone", "fmt", "eq", "default", "hash", "to_owned", "toString", "into", "from", "tryInto",
        "borrow", "typeId", "builder",
    ] {
        paths.push_str(&format!(
            "  /{id}:\n    get: {{operationId: {id}, responses: {{'204': {{description: x}}}}}}\n"
        ));
    }
    let (warnings, text) = generated(&format!("{HEAD}{paths}"));
    assert_has(
        &warnings,
        Severity::Warning,
        "/paths/~1clone/get",
        "`clone` is a name the generated code needs for itself, so this method is called `clone_2`",
    );
    assert_has(
        &warnings,
        Severity::Warning,
        "/paths/~1typeId/get",
        "this method is called `type_id_2`",
    );
    // `Default` and `Into` are also names the request module uses.
    assert_has(
        &warnings,
        Severity::Warning,
        "/paths/~1default/get",
        "`default` is a name the generated code needs for itself, so this method is called `default_2`; `Default` is a name the generated code needs for itself, so this request type is called `Default2`",
    );
    assert_has(
        &warnings,
        Severity::Warning,
        "/paths/~1into/get",
        "so this request type is called `Into2`",
    );
    assert_eq!(warnings.len(), 13, "{warnings:#?}");
    assert!(text.contains("pub fn clone_2(&self)"), "{text}");
    assert!(!text.contains("pub fn clone(&self)"), "{text}");
}

#[test]
fn colliding_and_reserved_names_are_renamed_with_a_warning_each() {
    let spec = format!(
        "{HEAD}paths:
  /a/{{self}}:
    post:
      operationId: result
      parameters:
        - {{name: self, in: path, required: true, schema: {{type: string}}}}
        - {{name: fmt, in: query, schema: {{type: string}}}}
        - {{name: sub, in: query, schema: {{type: string}}}}
      requestBody:
        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Self'}}}}}}
      responses: {{'204': {{description: x}}}}
components:
  schemas:
    Self:
      type: object
      properties:
        self: {{type: string}}
        Self: {{type: string}}
        client: {{type: string}}
        kind: {{type: string, enum: [a-b, a_b, c]}}
        pick:
          oneOf:
            - {{title: x, type: string}}
            - {{title: X, type: integer}}
    self: {{type: object, properties: {{a: {{type: string}}}}}}
    Vec: {{type: string}}
"
    );
    let (warnings, text) = generated(&spec);
    let expected = [
        (
            "/components/schemas/self",
            "another type is already called `SelfType`, so this one is called `SelfType2`",
        ),
        (
            "/components/schemas/Vec",
            "`Vec` is a name the generated code needs for itself, so this type is called `VecModel`",
        ),
        (
            "/components/schemas/Self/properties/Self",
            "another field is already called `self_`, so this one is called `self_2`",
        ),
        (
            "/components/schemas/Self/properties/kind/enum/1",
            "another enum variant is already called `AB`, so this one is called `AB2`",
        ),
        (
            "/components/schemas/Self/properties/pick/oneOf/1",
            "another union variant is already called `X`, so this one is called `X2`",
        ),
        (
            "/paths/~1a~1{self}/post",
            "`Result` is a name the generated code needs for itself, so this request type is called `Result2`",
        ),
        (
            "/paths/~1a~1{self}/post/parameters/1",
            "`fmt` is a name the generated code needs for itself, so this input is called `fmt_2`",
        ),
        // A setter `sub(self, x)` would look like `Sub::sub` to clippy.
        (
            "/paths/~1a~1{self}/post/parameters/2",
            "`sub` is a name the generated code needs for itself, so this input is called `sub_2`",
        ),
        (
            "/paths/~1a~1{self}/post/requestBody/content/application~1json/schema",
            "the body property `self`: another input is already called `self_`, so this one is called `self_2`",
        ),
        (
            "/paths/~1a~1{self}/post/requestBody/content/application~1json/schema",
            "the body property `client`: `client` is a name the generated code needs for itself, so this input is called `client_2`",
        ),
    ];
    for (pointer, message) in expected {
        assert_has(&warnings, Severity::Warning, pointer, message);
    }
    assert!(!text.contains("__"), "a name with `__`:\n{text}");
}

#[test]
fn each_renaming_is_reported_once_per_node() {
    // `Person` is lowered on its own and again as a part of `Employee`.
    let spec = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Person: {{type: object, properties: {{userId: {{type: string}}, user_id: {{type: string}}}}}}
    Employee:
      allOf:
        - $ref: '#/components/schemas/Person'
        - {{type: object, properties: {{title: {{type: string}}}}}}
"
    );
    let warnings = warnings(&spec);
    let at_user_id = warnings
        .iter()
        .filter(|w| w.pointer.as_str() == "/components/schemas/Person/properties/user_id")
        .count();
    assert_eq!(at_user_id, 1, "{warnings:#?}");
}

#[test]
fn enums_of_other_values_than_strings_are_warned_about_and_documented() {
    let spec = format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {{name: size, in: query, description: How big., schema: {{type: integer, enum: [1, 2, 3]}}}}
      responses: {{'204': {{description: x}}}}
components:
  schemas:
    Level: {{type: integer, description: How deep., enum: [10, 20]}}
    Thing:
      type: object
      properties:
        ratio: {{type: number, enum: [0.5, 1.5]}}
        on: {{type: boolean, enum: [true]}}
        mixed: {{type: string, enum: [a, 1]}}
"
    );
    let (warnings, text) = generated(&spec);
    for (pointer, values) in [
        ("/components/schemas/Level/enum", "10, 20"),
        (
            "/components/schemas/Thing/properties/ratio/enum",
            "0.5, 1.5",
        ),
        ("/components/schemas/Thing/properties/on/enum", "true"),
        (
            "/components/schemas/Thing/properties/mixed/enum",
            "\"a\", 1",
        ),
        ("/paths/~1a/get/parameters/0/schema/enum", "1, 2, 3"),
    ] {
        assert_has(
            &warnings,
            Severity::Warning,
            pointer,
            &format!(
                "only strings can be listed as an enum type; values are not checked against the allowed {values}"
            ),
        );
    }
    for doc in [
        "/// How deep.\n///\n/// Allowed values: 10, 20.\npub type Level = i64;",
        "/// Allowed values: 0.5, 1.5.\n",
        "/// How big.\n    ///\n    /// Allowed values: 1, 2, 3.\n",
    ] {
        assert!(text.contains(doc), "no {doc:?} in:\n{text}");
    }
}
