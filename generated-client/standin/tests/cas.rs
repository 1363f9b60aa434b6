//! The CAS identity provider driven over HTTP on loopback: login, CAS 1.0
//! `validate` and CAS 2.0 `serviceValidate` in JSON and XML.

mod support;

use genauth_standin::{Authorize, Config, StandIn};
use reqwest::StatusCode;
use serde_json::Value;
use support::{Http, Reply, query_of, start};

/// The application's CAS callback; never visited.
const SERVICE: &str = "http://127.0.0.1:9/cas/callback";

/// Signs in at `/cas-idp/{appId}` for `service`; the ticket it redirects with.
async fn login(http: &Http, standin: &StandIn, service: &str) -> String {
    let location = http
        .get_with(
            &format!("/cas-idp/{}", standin.app_id()),
            &[("service", service)],
        )
        .await
        .location();
    assert!(location.starts_with(service), "{location}");
    query_of(&location)["ticket"].clone()
}

async fn validate(http: &Http, standin: &StandIn, service: &str, ticket: &str) -> Reply {
    http.get_with(
        &format!("/cas-idp/{}/validate", standin.app_id()),
        &[("service", service), ("ticket", ticket)],
    )
    .await
}

async fn service_validate(
    http: &Http,
    standin: &StandIn,
    service: &str,
    ticket: &str,
    format: Option<&str>,
) -> Reply {
    let mut pairs = vec![("service", service), ("ticket", ticket)];
    pairs.extend(format.map(|format| ("format", format)));
    http.get_with(
        &format!("/cas-idp/{}/serviceValidate", standin.app_id()),
        &pairs,
    )
    .await
}

/// The `authenticationFailure` code of a JSON answer.
fn failure_code(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::OK);
    let failure = &reply.json()["serviceResponse"]["authenticationFailure"];
    assert!(failure["description"].is_string(), "{failure}");
    failure["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn cas_1_validate_says_yes_once() {
    let (standin, http) = start(Config::default()).await;
    let ticket = login(&http, &standin, SERVICE).await;
    assert!(ticket.starts_with("ST-"), "{ticket}");

    let yes = validate(&http, &standin, SERVICE, &ticket).await;
    assert_eq!(yes.status, StatusCode::OK);
    assert_eq!(yes.body, "yes\ndemo\n");
    let reused = validate(&http, &standin, SERVICE, &ticket).await;
    assert_eq!(reused.body, "no\n\n");
    let unknown = validate(&http, &standin, SERVICE, "ST-unknown").await;
    assert_eq!(unknown.body, "no\n\n");

    let other = login(&http, &standin, SERVICE).await;
    let elsewhere = validate(&http, &standin, "http://127.0.0.1:9/other", &other).await;
    assert_eq!(elsewhere.body, "no\n\n");
}

#[tokio::test]
async fn cas_2_service_validate_in_json_by_default() {
    let (standin, http) = start(Config::default()).await;
    let ticket = login(&http, &standin, SERVICE).await;
    let reply = service_validate(&http, &standin, SERVICE, &ticket, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let success = &reply.json()["serviceResponse"]["authenticationSuccess"];
    assert_eq!(success["user"], "demo");
    let attributes = &success["attributes"];
    assert_eq!(attributes["sub"], "standin-demo-user");
    assert_eq!(attributes["email"], "demo@example.com");
    assert_eq!(attributes["username"], "demo");
    assert_eq!(attributes["phone_number"], Value::Null);

    let reused = service_validate(&http, &standin, SERVICE, &ticket, Some("JSON")).await;
    assert_eq!(failure_code(&reused), "INVALID_TICKET");
    let unknown = service_validate(&http, &standin, SERVICE, "ST-1-nope", Some("json")).await;
    assert_eq!(failure_code(&unknown), "INVALID_TICKET");
}

#[tokio::test]
async fn a_ticket_is_bound_to_its_service_and_used_up_by_a_mismatch() {
    let (standin, http) = start(Config::default()).await;
    let ticket = standin.issue_cas_ticket(SERVICE);
    let elsewhere =
        service_validate(&http, &standin, "http://127.0.0.1:9/other", &ticket, None).await;
    assert_eq!(failure_code(&elsewhere), "INVALID_SERVICE");
    let then = service_validate(&http, &standin, SERVICE, &ticket, None).await;
    assert_eq!(failure_code(&then), "INVALID_TICKET");

    let missing = http
        .get_with(
            &format!("/cas-idp/{}/serviceValidate", standin.app_id()),
            &[("service", SERVICE)],
        )
        .await;
    assert_eq!(failure_code(&missing), "INVALID_REQUEST");
}

#[tokio::test]
async fn cas_2_service_validate_in_xml() {
    let (standin, http) = start(Config::default()).await;
    let ticket = standin.issue_cas_ticket(SERVICE);
    let reply = service_validate(&http, &standin, SERVICE, &ticket, Some("XML")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").unwrap().contains("xml"));
    let xml = &reply.body;
    assert!(xml.starts_with("<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">"));
    assert!(xml.contains("<cas:authenticationSuccess>"));
    assert!(xml.contains("<cas:user>demo</cas:user>"));
    assert!(xml.contains("<cas:email>demo@example.com</cas:email>"));
    // XML has no null: unknown attributes are left out.
    assert!(!xml.contains("phone_number>"));

    let reused = service_validate(&http, &standin, SERVICE, &ticket, Some("XML")).await;
    assert!(
        reused
            .body
            .contains("<cas:authenticationFailure code=\"INVALID_TICKET\">"),
        "{}",
        reused.body
    );
    assert!(!reused.body.contains("authenticationSuccess"));
}

#[tokio::test]
async fn login_keeps_the_service_query_and_refuses_what_it_cannot_serve() {
    let (standin, http) = start(Config::default()).await;
    let with_query = "http://127.0.0.1:9/cas/callback?next=%2Fhome";
    let location = http
        .get_with(
            &format!("/cas-idp/{}", standin.app_id()),
            &[("service", with_query)],
        )
        .await
        .location();
    assert!(
        location.starts_with(&format!("{with_query}&ticket=ST-")),
        "{location}"
    );
    let query = query_of(&location);
    assert_eq!(query["next"], "/home");
    assert_eq!(
        validate(&http, &standin, with_query, &query["ticket"])
            .await
            .body,
        "yes\ndemo\n"
    );

    let wrong_app = http
        .get_with("/cas-idp/other-app", &[("service", SERVICE)])
        .await;
    assert_eq!(wrong_app.status, StatusCode::NOT_FOUND);
    let no_service = http.get(&format!("/cas-idp/{}", standin.app_id())).await;
    assert_eq!(no_service.status, StatusCode::BAD_REQUEST);
    assert!(no_service.header("location").is_none());

    standin.set_authorize(Authorize::Deny);
    let denied = http
        .get_with(
            &format!("/cas-idp/{}", standin.app_id()),
            &[("service", SERVICE)],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(denied.header("location").is_none());
}

#[tokio::test]
async fn cas_logout_goes_back_to_the_given_url() {
    let (_standin, http) = start(Config::default()).await;
    let back = "http://127.0.0.1:9/bye";
    let reply = http.get_with("/cas-idp/logout", &[("url", back)]).await;
    assert_eq!(reply.location(), back);
    let plain = http.get("/cas-idp/logout").await;
    assert_eq!(plain.status, StatusCode::OK);
}
