//! Enum values made of symbols (a query language's operators, an empty
//! string) get variant names that say what they are, and each variant still
//! stands for its own value on the wire.

mod common;

use genauth_codegen::generate;

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Operators, version: '1' }
paths:
  /search:
    get:
      operationId: search
      parameters:
        - name: op
          in: query
          required: true
          schema: { $ref: '#/components/schemas/Operator' }
      responses:
        '200': { description: ok }
components:
  schemas:
    Operator:
      type: string
      enum: ['=', '!=', '>', '>=', '<', '<=', '~', '!~', '', '*', 'in', 'not in']
"#;

#[test]
fn symbol_values_are_named_and_keep_their_wire_values() {
    let generated = generate(SPEC, &common::config()).expect("generates");
    let models = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .map(|f| f.contents.clone())
        .expect("a models file");
    for (variant, wire) in [
        ("Eq", "="),
        ("Ne", "!="),
        ("Gt", ">"),
        ("Ge", ">="),
        ("Lt", "<"),
        ("Le", "<="),
        ("Tilde", "~"),
        ("NotTilde", "!~"),
        ("Empty", ""),
        ("Star", "*"),
        ("In", "in"),
        ("NotIn", "not in"),
    ] {
        let arm = format!("Self::{variant} => \"{wire}\",");
        assert!(models.contains(&arm), "no `{arm}` in\n{models}");
    }
    assert!(!models.contains("Unnamed"), "{models}");
}
