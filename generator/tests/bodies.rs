//! Request and response bodies that are not JSON: multipart forms, bytes
//! and text are lowered to inputs and results (no operation skipped, no
//! body discarded), and a crate generated from them builds cleanly.

mod common;

use genauth_codegen::model::{BodyEncoding, InputSource, PartKind, ResponseBody, TypeRef};
use genauth_codegen::{Severity, lower_spec};

fn lowered() -> (
    genauth_codegen::model::Api,
    Vec<genauth_codegen::Diagnostic>,
) {
    lower_spec(&common::fixture("bodies.yaml"), &common::config()).expect("the fixture lowers")
}

#[test]
fn only_a_truly_unsupported_body_is_skipped() {
    let (api, diagnostics) = lowered();
    let names: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        names,
        [
            "addAttachments",
            "addNote",
            "either",
            "getFile",
            "putFile",
            "uploadAvatar"
        ]
    );
    let warnings: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{:?} {} {}", d.severity, d.pointer, d.message))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        diagnostics[0].severity == Severity::Warning
            && diagnostics[0].pointer.to_string()
                == "/paths/~1attachments/post/requestBody/content/multipart~1form-data/schema"
            && diagnostics[0]
                .message
                .contains("sent as parts named `file`"),
        "{warnings:#?}"
    );
    assert!(
        diagnostics[1].severity == Severity::Warning
            && diagnostics[1].pointer.to_string() == "/paths/~1mixed/post/requestBody/content"
            && diagnostics[1].message.contains("multipart/mixed"),
        "{warnings:#?}"
    );
}

#[test]
fn a_body_of_files_alone_sends_them_as_parts_named_file() {
    let (api, _) = lowered();
    let op = api
        .operations
        .iter()
        .find(|o| o.id == "addAttachments")
        .expect("lowered");
    assert_eq!(
        op.body.as_ref().map(|b| b.encoding),
        Some(BodyEncoding::Multipart)
    );
    let files: Vec<(&str, &TypeRef, bool)> = op
        .inputs
        .iter()
        .map(|i| (i.name.as_str(), &i.ty, i.required))
        .collect();
    assert_eq!(
        files,
        [("file", &TypeRef::Array(Box::new(TypeRef::File)), true)]
    );
}

#[test]
fn multipart_properties_become_parts() {
    let (api, _) = lowered();
    let op = api
        .operations
        .iter()
        .find(|o| o.id == "uploadAvatar")
        .expect("lowered");
    let body = op.body.as_ref().expect("a body");
    assert_eq!(body.encoding, BodyEncoding::Multipart);
    /// Input name, part name, kind, content type, type, required.
    type Part<'a> = (
        &'a str,
        &'a str,
        PartKind,
        Option<&'a str>,
        &'a TypeRef,
        bool,
    );
    let parts: Vec<Part> = op
        .inputs
        .iter()
        .filter_map(|input| match &input.source {
            InputSource::Part {
                wire_name,
                kind,
                content_type,
            } => Some((
                input.name.as_str(),
                wire_name.as_str(),
                *kind,
                content_type.as_deref(),
                &input.ty,
                input.required,
            )),
            _ => None,
        })
        .collect();
    let files = TypeRef::Array(Box::new(TypeRef::File));
    assert_eq!(parts.len(), 5, "{parts:#?}");
    assert_eq!(
        parts[0],
        (
            "user_id",
            "userId",
            PartKind::Text,
            None,
            &TypeRef::String,
            true
        )
    );
    assert_eq!(
        parts[1],
        (
            "file",
            "file",
            PartKind::Files,
            Some("image/png"),
            &TypeRef::File,
            true
        )
    );
    assert_eq!(
        parts[2],
        (
            "attachments",
            "attachments",
            PartKind::Files,
            None,
            &files,
            false
        )
    );
    assert_eq!(
        parts[3],
        ("count", "count", PartKind::Text, None, &TypeRef::I64, false)
    );
    assert_eq!((parts[4].1, parts[4].2), ("meta", PartKind::Json));
}

#[test]
fn binary_and_text_bodies_and_responses_keep_their_media_types() {
    let (api, _) = lowered();
    let find = |id: &str| api.operations.iter().find(|o| o.id == id).expect(id);
    let put = find("putFile").body.as_ref().expect("a body");
    assert_eq!(
        (put.encoding, &put.ty, put.media_type.as_str()),
        (
            BodyEncoding::Binary,
            &TypeRef::Bytes,
            "application/octet-stream"
        )
    );
    assert_eq!(
        find("getFile").response,
        Some(ResponseBody::Binary(vec!["application/pdf".to_owned()]))
    );
    let note = find("addNote");
    let body = note.body.as_ref().expect("a body");
    assert_eq!(
        (body.encoding, &body.ty),
        (BodyEncoding::Text, &TypeRef::String)
    );
    assert_eq!(
        note.response,
        Some(ResponseBody::Text(vec!["text/plain".to_owned()]))
    );
    // JSON is preferred when an operation offers several types.
    let either = find("either").body.as_ref().expect("a body");
    assert_eq!(either.encoding, BodyEncoding::Json);
}

#[test]
fn a_crate_with_every_kind_of_body_builds_without_warnings() {
    let operations = common::crates::generate_and_check(
        &common::fixture_path("bodies.yaml"),
        "fixture-bodies",
        false,
    );
    assert_eq!(operations, 6);
}
