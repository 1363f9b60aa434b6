//! `allOf` as a wrapper — one schema and annotations beside it — is that
//! schema; over a `oneOf` it keeps the alternatives; over objects it merges
//! them; over what cannot merge it says so.

mod common;

use genauth_codegen::generate;

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Collaborations, version: '1' }
paths:
  /collaborations:
    get:
      operationId: getCollaboration
      responses:
        '200':
          description: A collaboration.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Collaboration' }
components:
  schemas:
    Collaboration:
      type: object
      properties:
        item:
          description: What is shared.
          allOf:
            - oneOf:
                - $ref: '#/components/schemas/File'
                - $ref: '#/components/schemas/Folder'
            - description: A file or a folder.
          nullable: true
        owner:
          allOf:
            - $ref: '#/components/schemas/User'
            - description: Who shares it.
        role:
          allOf:
            - $ref: '#/components/schemas/Role'
            - nullable: true
        note:
          allOf:
            - { type: string }
            - { maxLength: 40 }
        shared:
          allOf:
            - oneOf:
                - $ref: '#/components/schemas/File'
                - $ref: '#/components/schemas/Folder'
            - type: object
              properties:
                etag: { type: string }
        odd:
          allOf:
            - { type: string }
            - { type: object, properties: { a: { type: string } } }
        both:
          allOf:
            - $ref: '#/components/schemas/User'
            - { type: object, properties: { login: { type: string } } }
    File:
      type: object
      properties: { sha1: { type: string } }
    Folder:
      type: object
      properties: { items: { type: integer } }
    User:
      type: object
      properties: { name: { type: string } }
    Role:
      type: string
      enum: [editor, viewer]
"#;

#[test]
fn wrappers_are_the_type_they_wrap() {
    let generated = generate(SPEC, &common::config()).expect("generates");
    let models = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .unwrap_or_default();
    for expected in [
        "pubitem:Option<CollaborationItem>,",
        "pubenumCollaborationItem{",
        "File(File),",
        "pubowner:Option<User>,",
        "pubrole:Option<Role>,",
        "pubnote:Option<String>,",
        "pubshared:Option<CollaborationShared>,",
        "pubtypeCollaborationOdd=serde_json::Value;",
        "pubstructCollaborationBoth{",
    ] {
        assert!(models.contains(expected), "no `{expected}` in:\n{models}");
    }
    // The item's own description, not the annotation part's, documents it.
    assert!(models.contains("///Whatisshared."), "{models}");

    let warnings: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert_eq!(
        warnings[0].0,
        "/components/schemas/Collaboration/properties/shared/allOf"
    );
    assert!(
        warnings[0].1.contains("not part of the Rust type"),
        "{warnings:#?}"
    );
    assert_eq!(
        warnings[1].0,
        "/components/schemas/Collaboration/properties/odd/allOf"
    );
    assert!(
        warnings[1].1.contains("can only merge object schemas"),
        "{warnings:#?}"
    );
}
