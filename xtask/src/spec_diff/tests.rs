//! Each test compares the base fixture with a copy changed in one way and
//! checks exactly what the diff reports and how it classifies it.

use serde_json::{Value, json};

use super::{Category, Verdict, Version, changes};

fn base() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/spec-diff-base.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the fixture");
    serde_yaml::from_str(&text).expect("the fixture is YAML")
}

/// The changes from the base fixture to the fixture changed by `edit`, as
/// (category, subject, what, breaking).
fn diff(edit: impl FnOnce(&mut Value)) -> Vec<(Category, String, String, bool)> {
    let base = base();
    let mut head = base.clone();
    edit(&mut head);
    changes(&base, &head)
        .into_iter()
        .map(|c| (c.category, c.subject, c.what, c.breaking))
        .collect()
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

fn entry(
    category: Category,
    subject: &str,
    what: &str,
    breaking: bool,
) -> (Category, String, String, bool) {
    (category, subject.to_owned(), what.to_owned(), breaking)
}

use Category::*;

#[test]
fn the_same_spec_has_no_changes() {
    assert_eq!(diff(|_| {}), vec![]);
}

#[test]
fn the_workspace_spec_against_itself_has_no_changes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/genauth-v3.yaml");
    let spec: Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).expect("the spec")).expect("YAML");
    assert_eq!(changes(&spec, &spec), vec![]);
}

#[test]
fn a_removed_operation_is_breaking() {
    let found = diff(|s| {
        s["paths"]
            .as_object_mut()
            .expect("paths")
            .remove("/items/{id}");
    });
    assert_eq!(found, [entry(Operation, "", "removed", true)]);
}

#[test]
fn an_added_operation_is_not() {
    let found = diff(|s| {
        s["paths"]["/items/{id}"]["delete"] =
            json!({"operationId": "deleteItem", "responses": {"204": {"description": "gone"}}});
    });
    assert_eq!(found, [entry(Operation, "", "added", false)]);
}

#[test]
fn a_renamed_operation_is_breaking_and_a_moved_one_is_not() {
    let renamed = diff(|s| s["paths"]["/items/{id}"]["get"]["operationId"] = json!("fetchItem"));
    assert_eq!(
        renamed,
        [entry(Operation, "", "renamed from `getItem`", true)]
    );
    let moved = diff(|s| {
        let paths = s["paths"].as_object_mut().expect("paths");
        let item = paths.remove("/items/{id}").expect("the path");
        paths.insert("/things/{id}".into(), item);
    });
    assert_eq!(
        moved,
        [entry(Operation, "", "moved from GET /items/{id}", false)]
    );
}

#[test]
fn a_new_required_request_field_is_breaking_and_an_optional_one_is_not() {
    let required = diff(|s| {
        let dto = schema(s, "CreateItemDto");
        dto["properties"]["size"] = json!({"type": "integer"});
        dto["required"] = json!(["name", "size"]);
    });
    assert_eq!(
        required,
        [entry(RequestField, "body.size", "added, required", true)]
    );
    let optional =
        diff(|s| schema(s, "CreateItemDto")["properties"]["size"] = json!({"type": "integer"}));
    assert_eq!(
        optional,
        [entry(RequestField, "body.size", "added, optional", false)]
    );
}

#[test]
fn request_fields_removed_retyped_or_made_required_are_breaking() {
    let removed = diff(|s| {
        schema(s, "CreateItemDto")["properties"]
            .as_object_mut()
            .expect("properties")
            .remove("options");
    });
    // The object's own fields go with it and are not listed again.
    assert_eq!(
        removed,
        [entry(RequestField, "body.options", "removed", true)]
    );
    let required = diff(|s| schema(s, "CreateItemDto")["required"] = json!(["name", "color"]));
    assert_eq!(
        required,
        [entry(
            RequestField,
            "body.color",
            "optional → required",
            true
        )]
    );
    let optional = diff(|s| schema(s, "CreateItemDto")["required"] = json!([]));
    assert_eq!(
        optional,
        [entry(
            RequestField,
            "body.name",
            "required → optional",
            true
        )]
    );
    let retyped =
        diff(|s| schema(s, "CreateItemDto")["properties"]["name"] = json!({"type": "integer"}));
    assert_eq!(
        retyped,
        [entry(
            RequestField,
            "body.name",
            "type string → integer",
            true
        )]
    );
}

#[test]
fn parameters_follow_the_same_rules() {
    let required = diff(|s| {
        let parameters = s["paths"]["/items/{id}"]["get"]["parameters"]
            .as_array_mut()
            .expect("parameters");
        parameters.push(
            json!({"name": "lang", "in": "query", "required": true, "schema": {"type": "string"}}),
        );
    });
    assert_eq!(
        required,
        [entry(RequestField, "query lang", "added, required", true)]
    );
    let removed = diff(|s| {
        s["paths"]["/items/{id}"]["get"]["parameters"]
            .as_array_mut()
            .expect("parameters")
            .pop();
    });
    assert_eq!(
        removed,
        [entry(RequestField, "query verbose", "removed", true)]
    );
}

#[test]
fn a_new_response_field_is_not_breaking_but_other_response_changes_are() {
    let added = diff(|s| schema(s, "Item")["properties"]["weight"] = json!({"type": "number"}));
    let added_each = entry(ResponseField, "data.weight", "added, optional", false);
    // Both operations return the item.
    assert_eq!(added, [added_each.clone(), added_each]);
    let retyped = diff(|s| schema(s, "Item")["properties"]["size"] = json!({"type": "string"}));
    let retyped_each = entry(
        ResponseField,
        "data.size",
        "type integer(int64) → string",
        true,
    );
    assert_eq!(retyped, [retyped_each.clone(), retyped_each]);
    let removed = diff(|s| {
        schema(s, "Item")["properties"]
            .as_object_mut()
            .expect("properties")
            .remove("size");
    });
    assert!(
        removed
            .iter()
            .all(|c| *c == entry(ResponseField, "data.size", "removed", true))
            && removed.len() == 2
    );
    let required = diff(|s| schema(s, "Item")["required"] = json!(["id", "size"]));
    assert!(
        required
            .iter()
            .all(|c| *c == entry(ResponseField, "data.size", "optional → required", true))
            && required.len() == 2
    );
}

#[test]
fn enum_values_are_classified_by_side() {
    let request = diff(|s| schema(s, "Color")["enum"] = json!(["red", "green"]));
    assert_eq!(
        request,
        [
            entry(RequestEnum, "body.color", "value `blue` removed", true),
            entry(RequestEnum, "body.color", "value `green` added", false)
        ]
    );
    let added = diff(|s| {
        schema(s, "Item")["properties"]["status"]["enum"] = json!(["active", "archived", "deleted"])
    });
    assert!(
        added
            .iter()
            .all(|c| *c == entry(ResponseEnum, "data.status", "value `deleted` added", false))
            && added.len() == 2
    );
    let removed = diff(|s| schema(s, "Item")["properties"]["status"]["enum"] = json!(["active"]));
    assert!(
        removed.iter().all(|c| *c
            == entry(
                ResponseEnum,
                "data.status",
                "value `archived` removed",
                true
            ))
            && removed.len() == 2
    );
}

#[test]
fn a_new_security_requirement_is_breaking_and_a_relaxed_one_is_not() {
    let stricter = diff(|s| {
        s["paths"]["/items"]["post"]["security"] = json!([{"appId": [], "accessToken": []}])
    });
    assert_eq!(
        stricter,
        [entry(Security, "", "appId → accessToken + appId", true)]
    );
    let relaxed = diff(|s| {
        s["paths"]["/items"]["post"]["security"] =
            json!([{"appId": [], "accessToken": []}, {"appId": []}])
    });
    assert_eq!(
        relaxed,
        [entry(
            Security,
            "",
            "appId → accessToken + appId or appId",
            false
        )]
    );
}

#[test]
fn named_types_removed_are_breaking_and_added_are_not() {
    let added = diff(|s| schema(s, "Unused")["type"] = json!("string"));
    assert_eq!(added, [entry(Type, "Unused", "added", false)]);
    let renamed = diff(|s| {
        let schemas = s["components"]["schemas"].as_object_mut().expect("schemas");
        let color = schemas.remove("Color").expect("Color");
        schemas.insert("Colour".into(), color);
        schemas["CreateItemDto"]["properties"]["color"] =
            json!({"$ref": "#/components/schemas/Colour"});
    });
    assert_eq!(
        renamed,
        [
            entry(RequestField, "body.color", "type Color → Colour", true),
            entry(Type, "Color", "removed", true),
            entry(Type, "Colour", "added", false)
        ]
    );
}

#[test]
fn the_gate_asks_for_the_bump_semver_asks_for() {
    let v = |text: &str| Version::parse(text).ok();
    let breaking = diff(|s| schema(s, "CreateItemDto")["required"] = json!([]));
    let gate = |changes: &[(Category, String, String, bool)], base: &str, head: &str| {
        let changes: Vec<super::Change> = changes
            .iter()
            .map(|(category, subject, what, breaking)| super::Change {
                operation: "x".into(),
                place: "GET /x".into(),
                category: *category,
                subject: subject.clone(),
                what: what.clone(),
                breaking: *breaking,
                why: "",
            })
            .collect();
        Verdict::new(&changes, v(base), v(head)).passes()
    };
    assert!(
        !gate(&breaking, "0.1.0", "0.1.0"),
        "a breaking change needs a bump"
    );
    assert!(
        !gate(&breaking, "0.1.0", "0.1.5"),
        "a patch is not enough while 0.x"
    );
    assert!(gate(&breaking, "0.1.0", "0.2.0"));
    assert!(gate(&breaking, "0.1.0", "1.0.0"));
    assert!(
        !gate(&breaking, "1.2.3", "1.3.0"),
        "a minor is not enough from 1.0"
    );
    assert!(gate(&breaking, "1.2.3", "2.0.0-rc.1"));
    let additive =
        diff(|s| schema(s, "CreateItemDto")["properties"]["size"] = json!({"type": "integer"}));
    assert!(
        gate(&additive, "0.1.0", "0.1.0"),
        "non-breaking changes pass as they are"
    );
    assert_eq!(
        Version::parse("0.3.1").map(Version::next_breaking).ok(),
        v("0.4.0")
    );
    assert!(Version::parse("1.2").is_err() && Version::parse("x.y.z").is_err());
}

#[test]
fn versions_are_read_from_the_package_table() {
    let manifest = "[workspace]\nversion = \"9.9.9\"\n\n[package]\nname = \"genauth\"\nversion = \"0.4.2\"\n\n[dependencies]\nx = { version = \"1\" }\n";
    assert_eq!(super::version_in(manifest), Version::parse("0.4.2").ok());
}
