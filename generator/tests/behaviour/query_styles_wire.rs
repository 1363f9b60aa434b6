//! Run inside the crate generated from `fixtures/query-styles.yaml`, against
//! a server on 127.0.0.1: each query parameter goes out in its style.

use wire_query_styles::Client;
use wire_query_styles::models::{ListThingsCreated, ListThingsCreatedRange, Person};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn each_parameter_is_written_as_its_style_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("a client");
    client
        .list_things()
        .limit(10)
        .ids(vec!["a".to_owned(), "b,c".to_owned()])
        .tags(vec!["x".to_owned(), "y".to_owned()])
        .codes(vec![1, 2])
        .created(ListThingsCreated {
            gt: Some(1),
            lte: Some(5),
            range: Some(ListThingsCreatedRange {
                from: Some("2026-01-01".to_owned()),
            }),
            expand: None,
        })
        .person(Person {
            role: Some("admin".to_owned()),
            address: None,
        })
        .sort("name")
        .await
        .expect("sent");

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert_eq!(
        query,
        "limit=10\
         &ids=a,b%2Cc\
         &tags=x%20y\
         &codes=1&codes=2\
         &created%5Bgt%5D=1&created%5Blte%5D=5&created%5Brange%5D%5Bfrom%5D=2026-01-01\
         &role=admin\
         &sort=name"
    );
    // And a query parser reads back what each style means.
    let pairs: Vec<(String, String)> = requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(pairs.contains(&("created[range][from]".to_owned(), "2026-01-01".to_owned())));
    assert!(pairs.contains(&("tags".to_owned(), "x y".to_owned())));
    assert!(pairs.contains(&("ids".to_owned(), "a,b,c".to_owned())));
}
