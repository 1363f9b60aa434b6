//! Bodies the spec offers as several media types: besides the default, a
//! request offers each other type the same inputs can be sent as, and no
//! other; a crate generated from them builds cleanly.

mod common;

use genauth_codegen::model::{Api, BodyEncoding, BodyPart, Operation, PartKind};
use genauth_codegen::{Diagnostic, Severity, lower_spec};

fn lowered() -> (Api, Vec<Diagnostic>) {
    lower_spec(&common::fixture("content-types.yaml"), &common::config())
        .expect("the fixture lowers")
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("{id} is lowered"))
}

/// The default media type, then each alternative's method, media type and
/// encoding.
fn offered(op: &Operation) -> (&str, Vec<(&str, &str, BodyEncoding)>) {
    let body = op.body.as_ref().expect("a body");
    let alternatives = body
        .alternatives
        .iter()
        .flat_map(|a| &a.offered)
        .map(|a| (a.method.as_str(), a.media_type.as_str(), a.encoding))
        .collect();
    (body.media_type.as_str(), alternatives)
}

#[test]
fn an_object_body_can_be_sent_as_a_form_or_multipart_but_not_xml() {
    let (api, _) = lowered();
    let op = operation(&api, "createPet");
    assert_eq!(
        offered(op),
        (
            "application/json",
            vec![
                (
                    "as_form",
                    "application/x-www-form-urlencoded",
                    BodyEncoding::Form
                ),
                (
                    "as_multipart",
                    "multipart/form-data",
                    BodyEncoding::Multipart
                ),
            ]
        )
    );
    let alternatives = op.body.as_ref().and_then(|b| b.alternatives.as_ref());
    assert_eq!(alternatives.map(|a| a.field.as_str()), Some("content_type"));
    let multipart = alternatives
        .and_then(|a| a.offered.get(1))
        .expect("multipart");
    let part = |field: &str, kind, content_type: Option<&str>| BodyPart {
        field: field.to_owned(),
        wire_name: field.to_owned(),
        kind,
        content_type: content_type.map(str::to_owned),
    };
    assert_eq!(
        multipart.parts,
        [
            part("name", PartKind::Text, None),
            part("age", PartKind::Text, None),
            part("kind", PartKind::Text, None),
            part("tags", PartKind::Json, Some("application/vnd.tags+json")),
        ]
    );
    assert!(
        multipart.parts.len() == 4 && alternatives.is_some_and(|a| a.offered[0].parts.is_empty())
    );
}

#[test]
fn a_json_variant_is_offered_only_for_the_same_schema() {
    let (api, _) = lowered();
    assert_eq!(
        offered(operation(&api, "patchPet")),
        (
            "application/json",
            vec![(
                "as_merge_patch_json",
                "application/merge-patch+json",
                BodyEncoding::Json
            )]
        )
    );
}

#[test]
fn bytes_and_text_can_be_sent_as_any_type_of_their_class_but_a_wildcard() {
    let (api, _) = lowered();
    assert_eq!(
        offered(operation(&api, "putImage")),
        (
            "image/jpeg",
            vec![
                ("as_png", "image/png", BodyEncoding::Binary),
                // Hostile text is a literal and a sanitised name, never code.
                ("as_x", "image/x\");panic!(\"boom", BodyEncoding::Binary),
            ]
        )
    );
    // `text/plain` is the default's own type, without its charset.
    assert_eq!(
        offered(operation(&api, "putNote")),
        (
            "text/plain; charset=utf-8",
            vec![("as_markdown", "text/markdown", BodyEncoding::Text)]
        )
    );
}

#[test]
fn a_form_with_files_or_another_schema_is_not_offered() {
    let (api, _) = lowered();
    let op = operation(&api, "addDocument");
    assert_eq!(op.body.as_ref().map(|b| &b.alternatives), Some(&None));
}

#[test]
fn names_never_take_an_input_s_and_a_rename_is_reported() {
    let (api, diagnostics) = lowered();
    let op = operation(&api, "putSettings");
    let inputs: Vec<&str> = op.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(inputs, ["as_form", "content_type"]);
    let alternatives = op.body.as_ref().and_then(|b| b.alternatives.as_ref());
    assert_eq!(
        alternatives.map(|a| a.field.as_str()),
        Some("content_type_2")
    );
    assert_eq!(
        offered(op).1,
        [(
            "as_form_2",
            "application/x-www-form-urlencoded",
            BodyEncoding::Form
        )]
    );
    let renamed: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.message.contains("as_form_2"))
        .collect();
    assert_eq!(renamed.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        renamed[0].pointer.to_string(),
        "/paths/~1settings/put/requestBody/content/application~1x-www-form-urlencoded"
    );
}

#[test]
fn only_a_type_the_generator_cannot_send_at_all_is_reported_once() {
    let (_, diagnostics) = lowered();
    let warnings: Vec<String> = diagnostics
        .iter()
        .filter(|d| !d.message.contains("as_form_2"))
        .map(|d| format!("{:?} {} {}", d.severity, d.pointer, d.message))
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "{:?} /paths/~1documents/post/requestBody/content/multipart~1mixed \
             request bodies of this media type are not supported; the operation sends \
             `application/json` instead",
            Severity::Warning
        )]
    );
}

#[test]
fn a_crate_offering_other_media_types_builds_without_warnings() {
    let operations = common::crates::generate_and_check(
        &common::fixture_path("content-types.yaml"),
        "fixture-content-types",
        false,
    );
    assert_eq!(operations, 6);
}
