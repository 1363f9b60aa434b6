//! A path parameter is never optional in the method's signature, even when
//! its schema is `nullable`: a path always has its segment, and `None`
//! would go out as the text `null`.

mod common;

use genauth_codegen::generate;

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Paths, version: '1' }
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      parameters:
        - name: itemId
          in: path
          required: true
          schema: { type: string, nullable: true }
        - name: tag
          in: query
          required: true
          schema: { type: string, nullable: true }
      responses:
        '200': { description: ok }
"#;

#[test]
fn a_nullable_path_parameter_is_still_required() {
    let generated = generate(SPEC, &common::config()).expect("generates");
    let client = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("client.rs"))
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .expect("a client file");
    assert!(
        client.contains("item_id:implInto<String>"),
        "the path parameter is not a plain String:\n{client}"
    );
    // A nullable query parameter may still be sent as null.
    assert!(client.contains("tag:implInto<Option<String>>"), "{client}");
}
