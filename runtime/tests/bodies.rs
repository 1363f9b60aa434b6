//! Bodies that are not JSON, on the wire: multipart forms as the server
//! receives them, bytes and text with their content types, text and binary
//! answers, a download larger than the size limit streamed, and answers
//! whose content type is not what was documented.

use std::time::Duration;

use genauth_runtime::{
    Binary, ByteStream, Bytes, CallError, CallOptions, Envelope, FilePart, Json, Method, Operation,
    Request, RetryPolicy, Streamed, Text, Transport, TransportSettings,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static UPLOAD: Operation = Operation {
    name: "upload",
    method: Method::POST,
    path: "/upload",
    idempotent: true,
    envelope: Envelope::Never,
};

static DOWNLOAD: Operation = Operation {
    name: "download",
    method: Method::GET,
    path: "/download",
    idempotent: true,
    envelope: Envelope::OnFailure,
};

const LIMIT: u64 = 1024;

fn transport(server: &MockServer) -> Transport {
    let base_url = server.uri();
    let settings = TransportSettings {
        base_url: &base_url,
        allow_plain_http: true,
        timeout: Duration::from_secs(10),
        // Retries without waiting, so that the tests are quick.
        retry: RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1)),
        hooks: Vec::new(),
        user_agent: "bodies-test",
        max_response_size: LIMIT,
        max_idle_connections: 1,
    };
    match Transport::new(settings) {
        Ok(transport) => transport,
        Err(problem) => panic!("no transport: {problem:?}"),
    }
}

fn request(operation: &'static Operation) -> Request {
    Request::new(operation, CallOptions::default())
}

/// The parts of a multipart body: (headers, content), split at `boundary`.
fn parts(body: &[u8], boundary: &str) -> Vec<(String, Vec<u8>)> {
    let text = latin1(body);
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let sections: Vec<&str> = text.split(&delimiter).collect();
    assert_eq!(
        sections.first(),
        Some(&""),
        "the body starts with the boundary"
    );
    assert_eq!(
        sections.last(),
        Some(&"--\r\n"),
        "the body ends with the closing boundary"
    );
    for section in &sections[1..sections.len() - 1] {
        let section = section
            .strip_prefix("\r\n")
            .expect("a line break after the boundary");
        let section = section
            .strip_suffix("\r\n")
            .expect("a line break before the next");
        let (headers, content) = section
            .split_once("\r\n\r\n")
            .expect("headers, then content");
        parts.push((
            headers.to_owned(),
            content.chars().map(|c| c as u8).collect(),
        ));
    }
    parts
}

/// Bytes as chars one for one, so that binary content survives the split.
fn latin1(body: &[u8]) -> String {
    body.iter().map(|&b| b as char).collect()
}

#[tokio::test]
async fn a_multipart_body_arrives_part_by_part_and_is_resent_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let png = vec![0x89, b'P', b'N', b'G', 0, 13, 10, 0xff];
    let files = vec![
        FilePart::new(b"one".to_vec()).file_name("a.txt"),
        FilePart::new(b"two".to_vec()),
    ];
    let request = request(&UPLOAD)
        .multipart()
        .part_text("userId", "u-1", None)
        .part_text("count", &Some(3), None)
        .part_text("missing", &None::<String>, None)
        .part_files(
            "file",
            &FilePart::new(png.clone()).file_name("me \"1\".png"),
            Some("image/png"),
        )
        .part_files("attachments", &files, None)
        .part_json("meta", &serde_json::json!({"label": "x"}), None);
    let transport = transport(&server);
    transport
        .send_empty::<CallError>(request)
        .await
        .expect("sent");

    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 2, "the 503 was retried");
    assert_eq!(
        received[0].body, received[1].body,
        "the retry resent the same body"
    );
    let content_type = received[1]
        .headers
        .get("content-type")
        .expect("a content type");
    let content_type = content_type.to_str().expect("text");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart with a boundary");
    let parts = parts(&received[1].body, boundary);
    let shown: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(h, c)| (h.as_str(), c.as_slice()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "content-disposition: form-data; name=\"userId\"",
                b"u-1".as_slice()
            ),
            ("content-disposition: form-data; name=\"count\"", b"3"),
            (
                "content-disposition: form-data; name=\"file\"; filename=\"me %221%22.png\"\r\ncontent-type: image/png",
                &png,
            ),
            (
                "content-disposition: form-data; name=\"attachments\"; filename=\"a.txt\"\r\ncontent-type: application/octet-stream",
                b"one",
            ),
            (
                "content-disposition: form-data; name=\"attachments\"; filename=\"attachments\"\r\ncontent-type: application/octet-stream",
                b"two",
            ),
            (
                "content-disposition: form-data; name=\"meta\"\r\ncontent-type: application/json",
                br#"{"label":"x"}"#,
            ),
        ]
    );
}

#[tokio::test]
async fn bytes_and_text_bodies_carry_their_content_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let transport = transport(&server);
    let bytes = Bytes::from_static(&[0, 1, 2, 255]);
    transport
        .send_empty::<CallError>(request(&UPLOAD).bytes(bytes.clone(), "image/png"))
        .await
        .expect("bytes sent");
    transport
        .send_empty::<CallError>(request(&UPLOAD).text("héllo", "text/plain"))
        .await
        .expect("text sent");
    let received = server.received_requests().await.expect("recorded");
    let seen: Vec<(&str, &[u8])> = received
        .iter()
        .map(|r| {
            let content_type = r.headers.get("content-type").and_then(|v| v.to_str().ok());
            (content_type.unwrap_or_default(), r.body.as_slice())
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("image/png", bytes.as_ref()),
            ("text/plain", "héllo".as_bytes())
        ]
    );
}

#[tokio::test]
async fn a_json_body_may_be_sent_as_another_json_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let transport = transport(&server);
    let patch = serde_json::json!({"name": "Ada", "email": null});
    transport
        .send_empty::<CallError>(request(&UPLOAD).json_as(&patch, "application/merge-patch+json"))
        .await
        .expect("sent");
    let refused = transport
        .send_empty::<CallError>(request(&UPLOAD).json_as(&patch, "application/json\r\nx: y"))
        .await;
    assert!(
        matches!(&refused, Err(CallError::Encode { .. })),
        "{refused:?}"
    );
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 1, "the refused body never left");
    let content_type = received[0]
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/merge-patch+json"));
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).expect("JSON");
    assert_eq!(sent, patch);
}

#[tokio::test]
async fn a_content_type_that_cannot_be_a_header_is_refused_before_sending() {
    let server = MockServer::start().await;
    let transport = transport(&server);
    let request = request(&UPLOAD).bytes(Bytes::new(), "image/png\r\nx: y");
    let error = transport
        .send_empty::<CallError>(request)
        .await
        .expect_err("refused");
    assert!(matches!(error, CallError::Encode { .. }), "{error:?}");
    assert!(
        server
            .received_requests()
            .await
            .expect("recorded")
            .is_empty()
    );
}

#[tokio::test]
async fn text_and_binary_answers_are_read_as_documented() {
    let server = MockServer::start().await;
    Mock::given(path("/download"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![1u8, 2, 3], "application/pdf"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/download"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("a note", "text/plain; charset=utf-8"),
        )
        .mount(&server)
        .await;
    let transport = transport(&server);
    let pdf: Bytes = transport
        .send::<_, CallError, Binary>(request(&DOWNLOAD).expect_binary(&["application/pdf"]))
        .await
        .expect("bytes");
    assert_eq!(pdf.as_ref(), [1, 2, 3]);
    let note: String = transport
        .send::<_, CallError, Text>(request(&DOWNLOAD).expect_text(&["text/plain"]))
        .await
        .expect("text");
    assert_eq!(note, "a note");
    let received = server.received_requests().await.expect("recorded");
    let accept: Vec<&str> = received
        .iter()
        .filter_map(|r| r.headers.get("accept").and_then(|v| v.to_str().ok()))
        .collect();
    assert_eq!(accept, ["application/pdf", "text/plain"]);
}

#[tokio::test]
async fn a_download_larger_than_the_limit_streams() {
    let server = MockServer::start().await;
    let large: Vec<u8> = (0..LIMIT * 8).map(|i| (i % 251) as u8).collect();
    Mock::given(path("/download"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(large.clone(), "application/pdf"))
        .mount(&server)
        .await;
    let transport = transport(&server);
    let whole = transport
        .send::<Bytes, CallError, Binary>(request(&DOWNLOAD).expect_binary(&["application/pdf"]))
        .await
        .expect_err("too large to hold");
    assert!(
        matches!(whole, CallError::ResponseTooLarge { .. }),
        "{whole:?}"
    );

    let mut stream: ByteStream = transport
        .send::<_, CallError, Streamed>(
            request(&DOWNLOAD)
                .expect_binary(&["application/pdf"])
                .streamed(),
        )
        .await
        .expect("a stream");
    let mut read = Vec::new();
    while let Some(chunk) = stream.chunk().await {
        read.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(read, large);
}

#[tokio::test]
async fn a_failure_is_reported_rather_than_streamed() {
    let server = MockServer::start().await;
    Mock::given(path("/download"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"statusCode":403,"message":"no access"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let transport = transport(&server);
    let error = transport
        .send::<ByteStream, CallError, Streamed>(
            request(&DOWNLOAD)
                .expect_binary(&["application/pdf"])
                .streamed(),
        )
        .await
        .expect_err("the envelope's failure");
    assert!(
        matches!(&error, CallError::Api(api) if api.status_code == 403),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_answer_of_another_content_type_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(path("/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<html><title>Sign in</title></html>",
            "text/html; charset=utf-8",
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/upload"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"error":"nope"}"#, "application/json"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":"a"}"#, "text/plain"))
        .mount(&server)
        .await;
    let transport = transport(&server);

    let html = transport
        .send::<serde_json::Value, CallError, Json>(request(&UPLOAD))
        .await
        .expect_err("HTML where JSON was documented");
    let CallError::ContentType(mismatch) = &html else {
        panic!("expected CallError::ContentType, got {html:?}");
    };
    assert_eq!(
        (mismatch.expected.as_str(), mismatch.received.as_str()),
        ("JSON", "text/html")
    );
    assert!(html.to_string().contains("text/html"), "{html}");
    assert!(mismatch.body_shape.starts_with("an HTML page"), "{html}");

    let json = transport
        .send::<Bytes, CallError, Binary>(request(&UPLOAD).expect_binary(&["application/pdf"]))
        .await
        .expect_err("JSON where a file was documented");
    let CallError::ContentType(mismatch) = &json else {
        panic!("expected CallError::ContentType, got {json:?}");
    };
    assert_eq!(
        (mismatch.expected.as_str(), mismatch.received.as_str()),
        ("application/pdf", "application/json")
    );
    assert!(!json.to_string().contains("nope"), "{json}");

    // JSON sent as plain text is read as JSON.
    let value: serde_json::Value = transport
        .send::<_, CallError, Json>(request(&UPLOAD))
        .await
        .expect("lenient about text/plain");
    assert_eq!(value["id"], "a");
}
