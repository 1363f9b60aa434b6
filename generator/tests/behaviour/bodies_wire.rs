//! Run inside the crate generated from `fixtures/bodies.yaml`, against a
//! server on 127.0.0.1: multipart, binary and text bodies go out as the
//! spec says, and text and binary answers come back as they were sent.

use wire_bodies::{Bytes, Client, FilePart};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("a client")
}

/// The one request the server received.
async fn received(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn a_multipart_body_carries_its_fields_and_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/avatar"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a-1"})))
        .mount(&server)
        .await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xffpixels";
    let answer = client(&server)
        .await
        .upload_avatar("u-7", FilePart::new(png).file_name("me.png"))
        .count(3)
        .await
        .expect("uploaded");
    assert_eq!(answer.id.as_deref(), Some("a-1"));

    let request = received(&server).await;
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let parts: Vec<&[u8]> = split(&request.body, format!("--{boundary}").as_bytes());
    // The preamble before the first boundary, three parts, and the closing `--`.
    assert_eq!(parts.len(), 5, "{:?}", String::from_utf8_lossy(&request.body));
    let part = |name: &str| -> (String, Vec<u8>) {
        let marker = format!("name=\"{name}\"");
        let found = parts
            .iter()
            .find(|p| String::from_utf8_lossy(p).contains(&marker))
            .unwrap_or_else(|| panic!("no part {name}"));
        let split_at = find(found, b"\r\n\r\n").expect("part headers end");
        // Header names are case-insensitive (RFC 7578): compare them lowered.
        let head = String::from_utf8_lossy(&found[..split_at]).to_ascii_lowercase();
        let body = found[split_at + 4..found.len() - 2].to_vec();
        (head, body)
    };
    let (head, body) = part("userId");
    assert!(head.contains("content-disposition: form-data; name=\"userid\""), "{head}");
    assert_eq!(body, b"u-7");
    let (head, body) = part("file");
    assert!(head.contains("filename=\"me.png\""), "{head}");
    assert!(head.contains("content-type: image/png"), "{head}");
    assert_eq!(body, png);
    let (_, body) = part("count");
    assert_eq!(body, b"3");
}

#[tokio::test]
async fn files_alone_go_as_parts_named_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/attachments"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    client(&server)
        .await
        .add_attachments(vec![
            FilePart::new(&b"first"[..]).file_name("a.txt"),
            FilePart::new(&b"second"[..]).file_name("b.txt"),
        ])
        .await
        .expect("attached");
    let request = received(&server).await;
    let body = String::from_utf8_lossy(&request.body).to_ascii_lowercase();
    assert_eq!(body.matches("name=\"file\"; filename=").count(), 2, "{body}");
    assert!(body.contains("filename=\"a.txt\"") && body.contains("\r\n\r\nfirst\r\n"), "{body}");
    assert!(body.contains("filename=\"b.txt\"") && body.contains("\r\n\r\nsecond\r\n"), "{body}");
}

#[tokio::test]
async fn bytes_go_up_and_come_back_unchanged() {
    let server = MockServer::start().await;
    let pdf: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    Mock::given(method("PUT"))
        .and(path("/files/report.pdf"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/report.pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"))
        .mount(&server)
        .await;
    let client = client(&server).await;
    client
        .put_file("report.pdf", Bytes::from(pdf.clone()))
        .await
        .expect("stored");
    let upload = server.received_requests().await.expect("recorded").remove(0);
    assert_eq!(
        upload.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/octet-stream")
    );
    assert_eq!(upload.body, pdf);

    let downloaded: Bytes = client.get_file("report.pdf").await.expect("downloaded");
    assert_eq!(downloaded.as_ref(), &pdf[..]);
    let mut stream = client.get_file("report.pdf").stream().await.expect("streaming");
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.chunk().await {
        streamed.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(streamed, pdf);
}

#[tokio::test]
async fn text_goes_up_and_comes_back_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("stored: ünïcode", "text/plain; charset=utf-8"))
        .mount(&server)
        .await;
    let note: String = client(&server)
        .await
        .add_note()
        .body("ünïcode")
        .await
        .expect("a note");
    assert_eq!(note, "stored: ünïcode");
    let request = received(&server).await;
    assert!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        request.headers
    );
    assert_eq!(request.body, "ünïcode".as_bytes());
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut haystack: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    while let Some(at) = find(haystack, separator) {
        pieces.push(&haystack[..at]);
        haystack = &haystack[at + separator.len()..];
    }
    pieces.push(haystack);
    pieces
}
