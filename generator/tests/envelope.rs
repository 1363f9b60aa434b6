//! GenAuth's response envelope is read only where the generator is told to
//! expect it, and then per operation: an API whose bodies carry a
//! `statusCode` field of their own is otherwise read by its HTTP status.

mod common;

use genauth_codegen::generate;

/// One operation answering with an envelope-shaped body, one with a bare one.
const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Jobs API, version: "1" }
paths:
  /jobs/{id}:
    get:
      operationId: getJob
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: The job, whose own status code says how it ended.
          content:
            application/json:
              schema:
                type: object
                required: [statusCode]
                properties:
                  statusCode: { type: integer }
                  data: { type: string }
  /health:
    get:
      operationId: getHealth
      responses:
        '200':
          description: A bare answer.
          content:
            application/json:
              schema:
                type: object
                properties:
                  ok: { type: boolean }
"#;

fn requests(envelope: bool) -> String {
    let config = genauth_codegen::Config {
        envelope,
        ..common::config()
    };
    let generated = generate(SPEC, &config).expect("generates");
    generated
        .files
        .into_iter()
        .find(|f| f.path.ends_with("requests.rs"))
        .map(|f| f.contents)
        .expect("a requests file")
}

fn envelope_of(requests: &str, operation: &str) -> String {
    let at = requests
        .find(&format!("name: \"{operation}\""))
        .expect("the operation");
    let rest = &requests[at..];
    let start =
        rest.find("envelope: Envelope::").expect("an envelope") + "envelope: Envelope::".len();
    rest[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

#[test]
fn without_the_envelope_every_operation_is_read_by_its_http_status() {
    let requests = requests(false);
    assert_eq!(envelope_of(&requests, "get_job"), "Never");
    assert_eq!(envelope_of(&requests, "get_health"), "Never");
}

#[test]
fn with_the_envelope_it_applies_where_the_response_is_one() {
    let requests = requests(true);
    assert_eq!(envelope_of(&requests, "get_job"), "Always");
    assert_eq!(envelope_of(&requests, "get_health"), "OnFailure");
}
