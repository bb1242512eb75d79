//! The HTTP core's writes, for actions: POST, PUT, PATCH and DELETE carry the same token and
//! headers, are counted, and fail in the same words as the reads; a write that is not
//! idempotent is sent once, whatever happens after it may have reached the server (a 500, a
//! timeout, a 401 even with a new token), and one to another origin is not sent at all.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use shiproom::sources::http::{
    CredentialSource, HttpCore, HttpError, HttpSettings, Write, Written,
};

use support::github::t0;
use support::harness::{TOKEN, token_file};
use support::{Reply, Server};

const PATH: &str = "/repos/acme/checkout/deployments";

fn core(server: &Server, token: &Path, timeout: Duration) -> HttpCore {
    HttpCore::new(HttpSettings {
        timeout,
        headers: vec![("accept", "application/vnd.github+json".into())],
        credentials: CredentialSource::Command(format!("cat {}", token.display())),
        quota_share: 0.25,
        max_pages: 5,
        base_url: server.url.clone(),
        allow_insecure_http: false,
        max_body: 1 << 20,
    })
    .unwrap()
}

async fn post(http: &mut HttpCore, server: &Server) -> Result<Written<Value>, HttpError> {
    let url = format!("{}{PATH}", server.url);
    let body = json!({"ref": "v1.42.0", "environment": "production"});
    http.write(Write::Post, &url, Some(&body), "deployment", t0())
        .await
}

#[tokio::test]
async fn a_post_answered_500_is_sent_once_and_fails_in_the_words_of_the_reads() {
    let server = Server::start().await;
    server.on(PATH, None, Reply::raw(500, r#"{"message":"Server Error"}"#));
    let token = token_file(TOKEN);
    let mut http = core(&server, &token, Duration::from_secs(5));
    let error = post(&mut http, &server).await.unwrap_err();
    assert_eq!(error, HttpError::Server { status: 500 });
    assert_eq!(
        error.reason("GITHUB_TOKEN", "acme/checkout"),
        "500 server error on acme/checkout"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.count(PATH), 1, "sent once, never again on its own");
    assert_eq!((http.counts().sent, http.counts().errors), (1, 1));
}

#[tokio::test]
async fn a_post_that_times_out_is_sent_once() {
    let server = Server::start().await;
    server.on(
        PATH,
        None,
        Reply::json(&json!({"id": 1})).delay(Duration::from_secs(3)),
    );
    let token = token_file(TOKEN);
    let mut http = core(&server, &token, Duration::from_secs(1));
    let error = post(&mut http, &server).await.unwrap_err();
    assert_eq!(
        error,
        HttpError::Timeout {
            after: Duration::from_secs(1)
        }
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        server.count(PATH),
        1,
        "a write that may have landed is not sent again"
    );
}

/// Answers 401 and rotates the token in `file`, so a read of it gets a new one.
fn rotating_401(server: &Server, path: &str, file: &Path) {
    let file = file.to_path_buf();
    server.on_fn(path, None, move |_| {
        std::fs::write(&file, "ghp_SHIPROOMrotatedTOKEN9876543210\n").unwrap();
        Reply::raw(401, r#"{"message":"Bad credentials"}"#)
    });
}

#[tokio::test]
async fn after_a_401_only_reads_and_idempotent_writes_are_sent_again_with_a_new_token() {
    for (method, sent) in [
        (None, 2),
        (Some(Write::Put), 2),
        (Some(Write::Delete), 2),
        (Some(Write::Post), 1),
        (Some(Write::Patch), 1),
    ] {
        let server = Server::start().await;
        let token = token_file(TOKEN);
        rotating_401(&server, PATH, &token);
        let mut http = core(&server, &token, Duration::from_secs(5));
        let url = format!("{}{PATH}", server.url);
        let error = match method {
            None => http
                .get::<Value>(&url, "deployments", t0())
                .await
                .unwrap_err(),
            Some(method) => http
                .write::<Value, Value>(method, &url, Some(&json!({})), "deployment", t0())
                .await
                .unwrap_err(),
        };
        assert_eq!(error, HttpError::BadToken, "{method:?}");
        assert_eq!(server.count(PATH), sent, "{method:?}");
    }
}

#[tokio::test]
async fn writes_carry_the_method_the_token_and_the_json_body_and_read_the_answer() {
    let server = Server::start().await;
    server.on(
        PATH,
        None,
        Reply::json(&json!({"id": 7, "environment": "production"})).status(201),
    );
    server.on(
        "/repos/acme/checkout/deployments/7",
        None,
        Reply::raw(204, ""),
    );
    let token = token_file(TOKEN);
    let mut http = core(&server, &token, Duration::from_secs(5));
    let created = post(&mut http, &server).await.unwrap();
    assert_eq!(created.status, 201);
    assert_eq!(created.value.unwrap()["id"], 7);
    let url = format!("{}/repos/acme/checkout/deployments/7", server.url);
    for method in [Write::Put, Write::Patch, Write::Delete] {
        let body = json!({"state": "inactive"});
        let answer = http
            .write::<Value, Value>(method, &url, Some(&body), "deployment", t0())
            .await
            .unwrap();
        assert_eq!((answer.status, answer.value), (204, None), "{method:?}");
    }
    let requests = server.requests();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["POST", "PUT", "PATCH", "DELETE"]);
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(
            request.header("accept"),
            Some("application/vnd.github+json")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert!(body.is_object(), "{body}");
    }
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent, json!({"ref": "v1.42.0", "environment": "production"}));
    assert_eq!(http.counts().sent, 4);
    assert_eq!(http.counts().errors, 0);
}

#[tokio::test]
async fn a_write_elsewhere_than_the_sources_origin_is_not_sent() {
    let server = Server::start().await;
    let other = Server::start().await;
    let token = token_file(TOKEN);
    let mut http = core(&server, &token, Duration::from_secs(5));
    let error = post(&mut http, &other).await.unwrap_err();
    assert!(matches!(error, HttpError::ForeignUrl { .. }), "{error:?}");
    assert!(other.requests().is_empty(), "the token went nowhere");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_rate_limited_write_waits_as_the_api_says_and_the_next_is_not_sent_before_the_reset() {
    let server = Server::start().await;
    server.set_remaining(0);
    server.on(
        PATH,
        None,
        Reply::raw(403, r#"{"message":"API rate limit exceeded"}"#),
    );
    let token = token_file(TOKEN);
    let mut http = core(&server, &token, Duration::from_secs(5));
    let error = post(&mut http, &server).await.unwrap_err();
    let wait = error.rate_wait().expect("a rate-limit wait");
    assert_eq!(
        wait,
        Duration::from_secs(3600),
        "until the reset, an hour on"
    );
    let again = post(&mut http, &server).await.unwrap_err();
    assert!(again.rate_wait().is_some(), "{again:?}");
    assert_eq!(server.count(PATH), 1, "the second was not sent at all");
}
