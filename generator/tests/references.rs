//! A `$ref` may point at any node of its document: into an operation's
//! response, at another operation's parameter, into a property of a schema.
//! Each node so reached becomes one named type (or parameter) that every
//! user shares; a reference to nothing is an error that says so.

mod common;

use genauth_codegen::{Severity, generate};

/// A spec without `components/schemas` whose operations share their
/// schemas and parameters by pointing into each other.
const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Droplets, version: '2' }
paths:
  /v2/droplets:
    get:
      operationId: droplets_list
      parameters:
        - { name: per_page, in: query, schema: { type: integer } }
      responses:
        '200':
          description: Droplets.
          content:
            application/json:
              schema:
                type: object
                properties:
                  droplets:
                    type: array
                    items:
                      type: object
                      properties:
                        id: { type: integer }
                        name: { type: string }
  /v2/droplets/{droplet_id}:
    get:
      operationId: droplets_get
      parameters:
        - { name: droplet_id, in: path, required: true, schema: { type: integer } }
      responses:
        '200':
          description: One droplet.
          content:
            application/json:
              schema:
                type: object
                properties:
                  droplet:
                    $ref: '#/paths/~1v2~1droplets/get/responses/200/content/application~1json/schema/properties/droplets/items'
  /v2/droplets/{droplet_id}/neighbors:
    parameters:
      - $ref: '#/paths/~1v2~1droplets~1%7Bdroplet_id%7D/get/parameters/0'
    get:
      operationId: droplets_neighbors
      parameters:
        - $ref: '#/paths/~1v2~1droplets/get/parameters/0'
      responses:
        '200':
          description: The droplets beside it.
          content:
            application/json:
              schema:
                $ref: '#/paths/~1v2~1droplets/get/responses/200/content/application~1json/schema'
"#;

fn models_and_client() -> (String, String) {
    let generated = generate(SPEC, &common::config()).expect("generates");
    assert_eq!(generated.operations, 3);
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
    let text = |name: &str| {
        generated
            .files
            .iter()
            .find(|f| f.path.ends_with(name))
            .map(|f| f.contents.replace(char::is_whitespace, ""))
            .unwrap_or_default()
    };
    (text("models.rs"), text("client.rs"))
}

#[test]
fn nodes_inside_operations_become_shared_types_named_after_them() {
    let (models, _) = models_and_client();
    // The droplet of the list is the droplet `droplets_get` answers with.
    assert_eq!(
        models
            .matches("pubstructDropletsListResponseDropletsItem{")
            .count(),
        1,
        "{models}"
    );
    assert!(
        models.contains("pubdroplet:Option<DropletsListResponseDropletsItem>,"),
        "{models}"
    );
    assert!(
        models.contains("pubdroplets:Option<Vec<DropletsListResponseDropletsItem>>,"),
        "{models}"
    );
    // The list's response is one type, used by both list operations.
    assert_eq!(
        models.matches("pubstructDropletsListResponse{").count(),
        1,
        "{models}"
    );
    assert!(!models.contains("DropletsNeighborsResponse"), "{models}");
}

#[test]
fn parameters_borrowed_from_other_operations_are_inputs() {
    let (_, client) = models_and_client();
    assert!(
        client.contains("pubfndroplets_neighbors(&self,droplet_id:implInto<i64>,)"),
        "{client}"
    );
    assert!(client.contains("per_page:None"), "{client}");
}

#[test]
fn a_reference_to_nothing_says_so_where_it_is_used() {
    let spec = SPEC.replace(
        "/get/responses/200/content/application~1json/schema/properties/droplets/items",
        "/get/responses/200/content/application~1json/schema/properties/nothing",
    );
    let Err(error) = generate(&spec, &common::config()) else {
        panic!("a reference to nothing generated");
    };
    let found = error.diagnostics.iter().any(|d| {
        d.severity == Severity::Error
            && d.pointer.as_str()
                == "/paths/~1v2~1droplets~1{droplet_id}/get/responses/200/content/application~1json/schema/properties/droplet"
            && d.message.contains("points at nothing in this document")
    });
    assert!(found, "{:#?}", error.diagnostics);
}
