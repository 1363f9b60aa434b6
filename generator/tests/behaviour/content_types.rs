//! Run inside the crate generated from `fixtures/content-types.yaml`: a
//! body goes as its default media type unless the caller chooses another,
//! and then arrives encoded as that type.

use wire_content_types::Bytes;
use wire_content_types::models::PetKind;
use wire_content_types::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"name": "Rex"})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    let built: Result<Client, _> = Client::builder()
        .base_url(server.uri())
        .allow_plain_http(true)
        .build();
    built.expect("a client")
}

/// The content type and body of each request the server received.
async fn received(server: &MockServer) -> Vec<(String, Vec<u8>)> {
    let requests = server.received_requests().await.expect("recorded");
    requests
        .into_iter()
        .map(|r| {
            let content_type = r
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (content_type, r.body)
        })
        .collect()
}

#[tokio::test]
async fn an_object_goes_as_json_a_form_or_parts_as_chosen() {
    let server = server().await;
    let client = client(&server);
    client.create_pet("Rex").age(3).await.expect("as JSON");
    client
        .create_pet("Rex")
        .age(3)
        .as_form()
        .await
        .expect("as a form");
    client
        .create_pet("Rex")
        .kind(PetKind::Cat)
        .tags(vec!["calm".to_owned()])
        .as_multipart()
        .await
        .expect("as parts");
    let seen = received(&server).await;
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].0, "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&seen[0].1).expect("JSON");
    assert_eq!(sent, json!({"name": "Rex", "age": 3}));
    assert_eq!(seen[1].0, "application/x-www-form-urlencoded");
    assert_eq!(String::from_utf8_lossy(&seen[1].1), "name=Rex&age=3");
    let boundary = seen[2]
        .0
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart body");
    let body = String::from_utf8_lossy(&seen[2].1);
    let expected = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"name\"\r\n\r\nRex\r\n\
         --{boundary}\r\ncontent-disposition: form-data; name=\"kind\"\r\n\r\ncat\r\n\
         --{boundary}\r\ncontent-disposition: form-data; name=\"tags\"\r\n\
         content-type: application/vnd.tags+json\r\n\r\n[\"calm\"]\r\n\
         --{boundary}--\r\n"
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn json_bytes_and_text_go_as_the_type_of_their_class_chosen() {
    let server = server().await;
    let client = client(&server);
    client
        .patch_pet("p1")
        .name("Rex")
        .as_merge_patch_json()
        .await
        .expect("a merge patch");
    let image = Bytes::from_static(b"\x89PNG\r\n");
    client
        .put_image("i1", image.clone())
        .await
        .expect("a JPEG by default");
    client
        .put_image("i1", image.clone())
        .as_png()
        .await
        .expect("a PNG");
    client
        .put_note()
        .body("# Notes")
        .as_markdown()
        .await
        .expect("Markdown");
    client.put_note().await.expect("no body at all");
    let seen = received(&server).await;
    let seen: Vec<(&str, &[u8])> = seen
        .iter()
        .map(|(content_type, body)| (content_type.as_str(), body.as_slice()))
        .collect();
    assert_eq!(
        seen,
        [
            ("application/merge-patch+json", &br#"{"name":"Rex"}"#[..]),
            ("image/jpeg", &image[..]),
            ("image/png", &image[..]),
            ("text/markdown", &b"# Notes"[..]),
            ("", &b""[..]),
        ]
    );
}
