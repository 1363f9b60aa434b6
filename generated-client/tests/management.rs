//! The management client end to end: its token fetched once for many
//! concurrent first calls, renewed before it expires, renewed and the call
//! repeated once after a 401, a failed fetch reported and not cached,
//! paging through 250 users, and the headers every call carries. That no
//! secret reaches logs, `Debug` output or errors is in `logging.rs`, whose
//! tests each capture the trace from their first line.

mod common;

use std::time::Duration;

use futures_util::TryStreamExt;
use genauth::Error;
use genauth::management::ManagementClient;
use genauth::management::models::{ListUsersOptionsDto, PaginationDto};
use genauth_standin::{Config, StandIn};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `list_users` options asking for pages of `limit` from `page`.
fn pages(page: Option<i64>, limit: Option<i64>) -> ListUsersOptionsDto {
    ListUsersOptionsDto {
        pagination: Some(PaginationDto { page, limit }),
        ..Default::default()
    }
}

async fn standin(config: Config) -> StandIn {
    StandIn::start(config).await.expect("the stand-in starts")
}

fn client(standin: &StandIn) -> ManagementClient {
    ManagementClient::builder()
        .access_key_id(standin.access_key_id())
        .access_key_secret(standin.access_key_secret())
        .host(standin.url())
        .allow_plain_http(true)
        .build()
        .expect("client")
}

/// How many requests the stand-in received for `path`.
fn calls_of(standin: &StandIn, path: &str) -> usize {
    standin
        .requests()
        .iter()
        .filter(|line| line.split(' ').nth(1).is_some_and(|t| t.starts_with(path)))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_first_calls_share_one_token_fetch() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_users().options(pages(None, Some(5))).await })
        })
        .collect();
    for call in calls {
        let listed = call
            .await
            .expect("the task runs")
            .expect("the call succeeds");
        assert_eq!(listed.data.total_count, 0);
    }
    assert_eq!(standin.management_tokens_issued(), 1);
    assert_eq!(calls_of(&standin, "/api/v3/get-management-token"), 1);
    assert_eq!(calls_of(&standin, "/api/v3/list-users"), 50);
}

#[tokio::test]
async fn the_token_is_renewed_before_it_expires() {
    // A 4 s token is renewed after 2 s (half its lifetime, as a minute is
    // more than that), while the server would still accept it.
    let standin = standin(Config {
        management_token_lifetime: Duration::from_secs(4),
        ..Config::default()
    })
    .await;
    let client = client(&standin);
    client.list_users().await.expect("first call");
    client
        .list_users()
        .await
        .expect("a call with the same token");
    assert_eq!(standin.management_tokens_issued(), 1);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    client.list_users().await.expect("a call after renewal");
    assert_eq!(
        standin.management_tokens_issued(),
        2,
        "renewed while the first token was still valid"
    );
    // No call was refused on the way.
    assert_eq!(calls_of(&standin, "/api/v3/list-users"), 3);
}

#[tokio::test]
async fn a_refused_token_is_renewed_and_the_call_made_once_more() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    let created = client.create_user().username("ada").await.expect("created");
    standin.revoke_management_tokens();
    let user = client
        .get_user(created.data.user_id.clone())
        .await
        .expect("the call succeeds with a new token");
    assert_eq!(user.data.username.as_deref(), Some("ada"));
    assert_eq!(standin.management_tokens_issued(), 2);
    assert_eq!(calls_of(&standin, "/api/v3/get-user"), 2);
}

#[tokio::test]
async fn a_call_refused_twice_is_not_tried_a_third_time() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v3/get-management-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "access_token": "never-good", "expires_in": 7200 }
        })))
        .expect(2)
        .mount(&server)
        .await;
    // Refused in the envelope only, with HTTP 200.
    Mock::given(path("/api/v3/list-users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 401, "apiCode": 2020, "message": "token expired"
        })))
        .expect(2)
        .mount(&server)
        .await;
    let client = ManagementClient::builder()
        .access_key_id("key")
        .access_key_secret("secret")
        .host(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("client");
    let error = client.list_users().await.expect_err("refused");
    assert!(
        matches!(&error, Error::Api(e) if e.status_code == 401),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failed_token_fetch_is_an_error_and_nothing_is_cached() {
    let standin = standin(Config::default()).await;
    let client = ManagementClient::builder()
        .access_key_id(standin.access_key_id())
        .access_key_secret("not-the-secret")
        .host(standin.url())
        .allow_plain_http(true)
        .build()
        .expect("client");
    for attempt in 1..=2 {
        let error = client.list_users().await.expect_err("no token");
        match &error {
            Error::Credentials { operation, source } => {
                assert_eq!(*operation, "list_users");
                assert!(
                    matches!(&**source, Error::Api(e) if e.status_code == 403),
                    "{source:?}"
                );
            }
            other => panic!("expected a credentials error, got {other:?}"),
        }
        // Each call asks again: a failure is not remembered as a token.
        assert_eq!(calls_of(&standin, "/api/v3/get-management-token"), attempt);
    }
    assert_eq!(calls_of(&standin, "/api/v3/list-users"), 0);
    assert_eq!(standin.management_tokens_issued(), 0);
}

#[tokio::test]
async fn paging_walks_through_every_user() {
    let standin = standin(Config::default()).await;
    let client = client(&standin);
    for n in 0..250 {
        client
            .create_user()
            .username(format!("user{n}"))
            .await
            .expect("created");
    }
    assert_eq!(standin.user_count(), 250);

    let users: Vec<_> = client
        .list_users()
        .options(pages(None, Some(50)))
        .items()
        .try_collect()
        .await
        .expect("every page");
    let names: Vec<_> = users.iter().filter_map(|u| u.username.clone()).collect();
    let expected: Vec<_> = (0..250).map(|n| format!("user{n}")).collect();
    assert_eq!(names, expected);
    assert_eq!(calls_of(&standin, "/api/v3/list-users"), 5);

    // From page 3, at the server's default of 10 a page: 230 more.
    let rest: Vec<_> = client
        .list_users()
        .options(pages(Some(3), None))
        .items()
        .try_collect()
        .await
        .expect("every page from the third");
    assert_eq!(rest.len(), 230);
    assert_eq!(
        rest.first().and_then(|u| u.username.as_deref()),
        Some("user20")
    );

    // A stream read in part fetches only what was read.
    let before = calls_of(&standin, "/api/v3/list-users");
    let mut stream = client.list_users().options(pages(None, Some(20))).items();
    for _ in 0..25 {
        stream
            .try_next()
            .await
            .expect("a user")
            .expect("not the end");
    }
    drop(stream);
    assert_eq!(calls_of(&standin, "/api/v3/list-users") - before, 2);
}

#[tokio::test]
async fn calls_carry_the_token_the_user_pool_and_the_tenant() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/get-management-token"))
        .and(body_json(
            json!({ "accessKeyId": "key-id", "accessKeySecret": "key-secret" }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "access_token": "the-token", "expires_in": 7200 }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v3/list-users"))
        .and(header("authorization", "Bearer the-token"))
        .and(header("x-genauth-userpool-id", "pool-1"))
        .and(header("x-genauth-tenant-id", "tenant-1"))
        .and(header("x-genauth-lang", "en-US"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "totalCount": 0, "list": [] }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = ManagementClient::builder()
        .access_key_id("key-id")
        .access_key_secret("key-secret")
        .userpool_id("pool-1")
        .tenant_id("tenant-1")
        .lang("en-US")
        .host(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("client");
    client.list_users().await.expect("the call matches");
}

#[tokio::test]
async fn without_a_user_pool_the_one_the_token_names_is_sent() {
    let server = MockServer::start().await;
    // The token's claims name the user pool.
    Mock::given(path("/api/v3/get-management-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "access_token": "eyJhbGciOiJub25lIn0.eyJzY29wZWRfdXNlcnBvb2xfaWQiOiJwb29sLWZyb20tdG9rZW4ifQ.sig", "expires_in": 7200 }
        })))
        .mount(&server)
        .await;
    Mock::given(path("/api/v3/list-users"))
        .and(header("x-genauth-userpool-id", "pool-from-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "totalCount": 0, "list": [] }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = ManagementClient::builder()
        .access_key_id("key-id")
        .access_key_secret("key-secret")
        .host(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("client");
    client
        .list_users()
        .await
        .expect("the user pool from the token");
}

#[tokio::test]
async fn a_client_needs_an_access_key_or_a_token() {
    let error = ManagementClient::builder()
        .access_key_id("only-the-id")
        .build()
        .expect_err("no secret");
    assert!(error.to_string().contains("access_key_secret"), "{error}");
    // A token given to the client is used as it is, never fetched.
    let server = MockServer::start().await;
    Mock::given(path("/api/v3/list-users"))
        .and(header("authorization", "Bearer given-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "totalCount": 0, "list": [] }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v3/get-management-token"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = ManagementClient::builder()
        .management_token("given-token")
        .host(server.uri())
        .allow_plain_http(true)
        .build()
        .expect("client");
    client.list_users().await.expect("with the given token");
}
