//! Query parameters as a server receives them: each style, through the
//! real transport, to a mock server on loopback.

use std::time::Duration;

use genauth_runtime::{
    CallOptions, Envelope, Method, Operation, QueryStyle, Request, RetryPolicy, Transport,
    TransportSettings,
};
use serde::Serialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static LIST: Operation = Operation {
    name: "list_things",
    method: Method::GET,
    path: "/things",
    idempotent: true,
    envelope: Envelope::Never,
};

/// Fields declared in name order, so that the order on the wire is the same
/// whether or not `serde_json` keeps insertion order.
#[derive(Serialize)]
struct Person {
    #[serde(rename = "firstName")]
    first_name: &'static str,
    role: &'static str,
    team: Option<&'static str>,
}

const ALEX: Person = Person {
    first_name: "Alex",
    role: "admin",
    team: None,
};

/// What the server received: the raw query, still encoded, and its pairs
/// as a query parser reads them.
struct Received {
    raw: Option<String>,
    pairs: Vec<(String, String)>,
}

/// Sends `request` to a fresh server and returns the query it received.
async fn received(build: impl FnOnce(Request) -> Request) -> Received {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let transport = Transport::new(TransportSettings {
        base_url: &server.uri(),
        allow_plain_http: true,
        timeout: Duration::from_secs(10),
        retry: RetryPolicy::never(),
        hooks: Vec::new(),
        user_agent: "query-wire-test",
        max_response_size: 1024,
        max_idle_connections: 1,
    })
    .expect("a transport for the mock server");
    let request = build(Request::new(&LIST, CallOptions::default()));
    let body = transport
        .send_text(request)
        .await
        .expect("the call succeeds");
    assert_eq!(body, "ok");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    let url = &requests[0].url;
    Received {
        raw: url.query().map(str::to_owned),
        pairs: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn form_exploded() {
    let seen = received(|r| {
        r.query_param("id", &5, QueryStyle::Form, true)
            .query_param("tag", &["a b", "c,d"], QueryStyle::Form, true)
            .query_param("person", &ALEX, QueryStyle::Form, true)
            .query_param("missing", &None::<u8>, QueryStyle::Form, true)
    })
    .await;
    assert_eq!(
        seen.raw.as_deref(),
        Some("id=5&tag=a%20b&tag=c%2Cd&firstName=Alex&role=admin")
    );
    assert_eq!(
        seen.pairs,
        pairs(&[
            ("id", "5"),
            ("tag", "a b"),
            ("tag", "c,d"),
            ("firstName", "Alex"),
            ("role", "admin")
        ])
    );
}

#[tokio::test]
async fn form_not_exploded() {
    let seen = received(|r| {
        r.query_param("id", &[3, 4, 5], QueryStyle::Form, false)
            .query_param("person", &ALEX, QueryStyle::Form, false)
            .query_param("tag", &["a,b", "c"], QueryStyle::Form, false)
    })
    .await;
    assert_eq!(
        seen.raw.as_deref(),
        Some("id=3,4,5&person=firstName,Alex,role,admin&tag=a%2Cb,c")
    );
}

#[tokio::test]
async fn space_delimited() {
    let seen = received(|r| {
        r.query_param("id", &[3, 4, 5], QueryStyle::SpaceDelimited, false)
            .query_param("person", &ALEX, QueryStyle::SpaceDelimited, false)
            .query_param("each", &[1, 2], QueryStyle::SpaceDelimited, true)
    })
    .await;
    assert_eq!(
        seen.raw.as_deref(),
        Some("id=3%204%205&person=firstName%20Alex%20role%20admin&each=1&each=2")
    );
    assert_eq!(seen.pairs[0], ("id".to_owned(), "3 4 5".to_owned()));
}

#[tokio::test]
async fn pipe_delimited() {
    let seen = received(|r| {
        r.query_param("id", &[3, 4, 5], QueryStyle::PipeDelimited, false)
            .query_param("person", &ALEX, QueryStyle::PipeDelimited, false)
            .query_param("each", &[1, 2], QueryStyle::PipeDelimited, true)
    })
    .await;
    assert_eq!(
        seen.raw.as_deref(),
        Some("id=3%7C4%7C5&person=firstName%7CAlex%7Crole%7Cadmin&each=1&each=2")
    );
    assert_eq!(seen.pairs[0], ("id".to_owned(), "3|4|5".to_owned()));
}

#[tokio::test]
async fn deep_object_names_reach_the_server_with_their_brackets() {
    let filter = json!({
        "created": {"gt": 1, "lte": null},
        "expand": ["customer", "invoice"],
        "lines": [{"price": "p1"}, {"price": "p2"}],
    });
    let seen = received(|r| {
        r.query_param("person", &ALEX, QueryStyle::DeepObject, true)
            .query_param("filter", &filter, QueryStyle::DeepObject, true)
            .query_param("ids", &["x", "y"], QueryStyle::DeepObject, true)
    })
    .await;
    assert_eq!(
        seen.raw.as_deref(),
        Some(
            "person%5BfirstName%5D=Alex&person%5Brole%5D=admin\
             &filter%5Bcreated%5D%5Bgt%5D=1\
             &filter%5Bexpand%5D%5B%5D=customer&filter%5Bexpand%5D%5B%5D=invoice\
             &filter%5Blines%5D%5B0%5D%5Bprice%5D=p1&filter%5Blines%5D%5B1%5D%5Bprice%5D=p2\
             &ids%5B%5D=x&ids%5B%5D=y"
        )
    );
    assert_eq!(
        seen.pairs,
        pairs(&[
            ("person[firstName]", "Alex"),
            ("person[role]", "admin"),
            ("filter[created][gt]", "1"),
            ("filter[expand][]", "customer"),
            ("filter[expand][]", "invoice"),
            ("filter[lines][0][price]", "p1"),
            ("filter[lines][1][price]", "p2"),
            ("ids[]", "x"),
            ("ids[]", "y"),
        ])
    );
}

#[tokio::test]
async fn a_call_without_query_parameters_has_no_query() {
    let seen = received(|r| r.query_param("missing", &None::<u8>, QueryStyle::Form, true)).await;
    assert_eq!(seen.raw, None);
}
