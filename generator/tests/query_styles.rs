//! Each query `style` lowers to the runtime call that writes it, warnings
//! name only what is not sent as the spec describes, and a crate generated
//! from the fixture builds cleanly.

mod common;

use genauth_codegen::diagnostic::Severity;
use genauth_codegen::generate;

/// The generated requests, without whitespace.
fn requests() -> (String, Vec<(String, String)>) {
    let generated =
        generate(&common::fixture("query-styles.yaml"), &common::config()).expect("generates");
    let requests = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("requests.rs"))
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .expect("a requests file");
    let warnings = generated
        .warnings
        .iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning, "{d}");
            (d.pointer.as_str().to_owned(), d.message.clone())
        })
        .collect();
    (requests, warnings)
}

#[test]
fn each_style_lowers_to_its_runtime_call() {
    let (requests, _) = requests();
    assert!(requests.contains("usecrate::runtime::{"), "{requests}");
    assert!(requests.contains("QueryStyle,Request,"), "{requests}");
    for call in [
        r#".query_param("limit",&self.limit,QueryStyle::Form,true)"#,
        r#".query_param("ids",&self.ids,QueryStyle::Form,false)"#,
        // The delimited styles are not exploded unless the spec says so.
        r#".query_param("tags",&self.tags,QueryStyle::SpaceDelimited,false)"#,
        r#".query_param("codes",&self.codes,QueryStyle::PipeDelimited,true)"#,
        // `deepObject` is exploded unless the spec says otherwise.
        r#".query_param("created",&self.created,QueryStyle::DeepObject,true)"#,
        r#".query_param("strict",&self.strict,QueryStyle::DeepObject,false)"#,
        r#".query_param("person",&self.person,QueryStyle::Form,true)"#,
        r#".query_param("sort",&self.sort,QueryStyle::Form,true)"#,
    ] {
        assert!(requests.contains(call), "no `{call}` in\n{requests}");
    }
    assert!(!requests.contains(".query("), "{requests}");
    assert!(!requests.contains(".query_joined("), "{requests}");
}

#[test]
fn warnings_name_only_what_is_not_sent_as_described_and_each_once() {
    let (_, warnings) = requests();
    let parameter = |index: usize| format!("/paths/~1things/get/parameters/{index}");
    let expected = [
        (
            parameter(5),
            "OpenAPI defines `deepObject` only with `explode: true`; the parameter is sent \
             exploded all the same, as `strict[key]=value`",
        ),
        (
            parameter(6),
            "`form` has no form for arrays and objects inside the value; those inside are sent \
             as their JSON text",
        ),
        (
            // Shared by two operations, reported once where it is written.
            "/components/parameters/Sort".to_owned(),
            "`allowReserved` is not honoured: reserved characters in the value are sent \
             percent-encoded",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(pointer, message)| (pointer, message.to_owned()))
        .collect();
    assert_eq!(warnings, expected);
    assert!(
        warnings
            .iter()
            .all(|(_, message)| !message.contains("only the `form` query style")),
        "{warnings:#?}"
    );
}

#[test]
fn a_crate_from_the_fixture_builds_without_warnings() {
    let spec = common::fixture_path("query-styles.yaml");
    assert_eq!(
        common::crates::generate_and_check(&spec, "fixture-query-styles", false),
        2
    );
}
