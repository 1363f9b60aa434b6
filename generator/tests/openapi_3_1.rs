//! OpenAPI 3.1 documents generate as their 3.0 equivalents would: `type`
//! lists with `"null"` are `Option`s, `const` is a one-value enum, keywords
//! beside a `$ref` annotate it, tuples are lists, and webhooks are left out
//! with a warning. (What the generated types read and write is checked in
//! the crate itself: `tests/behaviour/openapi_3_1.rs`.)

mod common;

use genauth_codegen::{Generated, Severity, generate};

fn generated() -> Generated {
    generate(&common::fixture("openapi-3-1.yaml"), &common::config()).expect("generates")
}

/// The text of the generated file `name`, without whitespace.
fn file(generated: &Generated, name: &str) -> String {
    generated
        .files
        .iter()
        .find(|f| f.path.ends_with(name))
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .unwrap_or_else(|| panic!("no {name} among {:?}", generated.files))
}

#[test]
fn every_operation_is_generated_and_only_webhooks_are_left_out() {
    let generated = generated();
    assert_eq!(generated.operations, 5);
    let pointers: Vec<(Severity, &str)> = generated
        .warnings
        .iter()
        .map(|d| (d.severity, d.pointer.as_str()))
        .collect();
    assert_eq!(
        pointers,
        [(Severity::Warning, "/webhooks")],
        "{:#?}",
        generated.warnings
    );
}

#[test]
fn schemas_read_as_their_3_0_spelling() {
    let models = file(&generated(), "models.rs");
    for expected in [
        // `type: [string, 'null']`
        "pubname:Option<String>,",
        // `const: pet`
        "pubenumPetKind{",
        "pubkind:PetKind,",
        // `prefixItems` of strings
        "pubtags:Option<Vec<String>>,",
        // a `oneOf` wrapped in an `allOf` to add a description
        "pubhome:Option<PetHome>,",
        "pubenumPetHome{",
        "House(House),",
        "Flat(Flat),",
        // a `$ref` wrapped in an `allOf` to add `nullable`
        "pubweight:Option<Kilograms>,",
        // `type: [integer, string]`
        "pubsize:Option<PetSize>,",
        // `additionalProperties` beside `properties`
        "pubadditional_properties:Option<std::collections::BTreeMap<String,String>>,",
        // a list with a `null` in it
        "pubnext:Option<String>,",
        // a union of one type and `null`
        "pubflat:Option<Flat>,",
        // only `null`
        "pubnothing:Option<serde_json::Value>,",
    ] {
        assert!(
            models.contains(expected),
            "no `{expected}` in the models:\n{models}"
        );
    }
}

#[test]
fn references_into_paths_and_properties_name_shared_types() {
    let generated = generated();
    let models = file(&generated, "models.rs");
    // One type for the owner, which `Pet` and `getOwner` share.
    assert_eq!(models.matches("pubstructPetOwner{").count(), 1, "{models}");
    assert!(!models.contains("PetOwner2"), "{models}");
    assert!(models.contains("pubowner:Option<PetOwner>,"), "{models}");
    let client = file(&generated, "client.rs");
    // `getPet` borrows its parameter from `deletePet`; `getOwner` answers
    // with the owner schema of `Pet`, and `getPet` with `Pet` itself.
    assert!(
        client.contains("pubfnget_pet(&self,pet_id:implInto<String>)"),
        "{client}"
    );
    let requests = file(&generated, "requests.rs");
    assert!(
        requests.contains("ResponseFuture<'a,super::models::PetOwner>"),
        "{requests}"
    );
    assert!(
        requests.contains("ResponseFuture<'a,super::models::Pet>"),
        "{requests}"
    );
    // The path item of `/pets`, given by `$ref`, is the one `components` holds.
    assert!(client.contains("pubfnlist_pets("), "{client}");
    assert!(client.contains("pubfncreate_pet("), "{client}");
}
