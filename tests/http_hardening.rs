//! The HTTP core's safety: the token follows no link to another origin and never goes over
//! plain http to another machine, an answer's body is capped after decompression (a gzip bomb
//! is cut short and named as its repository's error), and the quota pacer paces on what
//! steady cycles cost, not on the cold first one.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::json;

use shiproom::config::{self, ConfigOrigin};
use shiproom::sources::http::{CredentialSource, HttpCore, HttpError, HttpSettings};
use shiproom::sources::{BuildContext, Source, build};

use support::github::*;
use support::harness::*;
use support::{Reply, Server};

/// `size` bytes of zeros, gzipped: a few KB per MB.
fn gzip_of_zeros(size: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len());
        gz.write_all(&block[..n]).unwrap();
        left -= n;
    }
    gz.finish().unwrap()
}

fn gzip_reply(body: Vec<u8>) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-encoding".into(), "gzip".into()),
        ],
        body,
        delay: Duration::ZERO,
    }
}

#[tokio::test]
async fn a_next_page_link_to_another_origin_is_not_followed_and_gets_no_token() {
    let server = Server::start().await;
    serve_fleet(&server);
    let elsewhere = Server::start().await;
    // Production's first page lacks the deploy that runs; its next link points elsewhere.
    let next = format!(
        "{}/repositories/42/deployments?environment=prod&page=2",
        elsewhere.url
    );
    server.on(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        json_etag(&json!([deployment(
            31,
            &failed_sha(),
            "v1.4.1",
            "prod",
            &at(8, 0),
            "chen"
        )]))
        .header("link", format!(r#"<{next}>; rel="next""#)),
    );
    let mut s = setup_on(server);
    let outcome = s.cycle(0).await;
    assert_no_token(&s.all_output(&outcome));
    assert!(
        elsewhere.requests().is_empty(),
        "the other server got a request (with Authorization: {:?})",
        elsewhere
            .requests()
            .first()
            .and_then(|r| r.header("authorization").map(str::to_string))
    );
    let error = outcome.result.unwrap_err().reason;
    let origin = elsewhere.url.clone();
    assert_eq!(
        error,
        format!(
            "acme/checkout: a next-page link points to {origin}, outside this source's url: paging stopped, the token is not sent there"
        )
    );
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_at_the_body_cap_without_reading_it_whole() {
    let server = Server::start().await;
    let bomb = gzip_of_zeros(16 << 20);
    assert!(bomb.len() < 100_000, "{} bytes compressed", bomb.len());
    server.on("/bomb", None, gzip_reply(bomb));
    let token = token_file(TOKEN);
    let mut http = HttpCore::new(HttpSettings {
        timeout: Duration::from_secs(5),
        headers: vec![],
        credentials: CredentialSource::Command(format!("cat {}", token.display())),
        quota_share: 0.25,
        max_pages: 5,
        base_url: server.url.clone(),
        allow_insecure_http: false,
        max_body: 1 << 20,
    })
    .unwrap();
    http.begin_cycle();
    let answer = http
        .get::<serde_json::Value>(&format!("{}/bomb", server.url), "bomb", t0())
        .await;
    assert_eq!(answer.unwrap_err(), HttpError::TooLarge { limit: 1 << 20 });
    assert_eq!(http.counts().errors, 1);
}

#[tokio::test]
async fn an_answer_over_32_mb_decompressed_is_an_error_of_its_repository() {
    let mut s = setup().await;
    s.server.on(
        &format!("{REPO}/actions/runs"),
        None,
        gzip_reply(gzip_of_zeros(40 << 20)),
    );
    let started = Instant::now();
    let outcome = s.cycle(0).await;
    assert_eq!(
        outcome.result.unwrap_err().reason,
        "acme/checkout: answer over the 32 MB limit once decompressed: not read further"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

fn github_config(url: &str, extra: &str) -> config::Config {
    let token = token_file(TOKEN);
    let yaml = fleet_yaml(url, &token_line(&token), &["acme/checkout"], extra);
    config::parse(&yaml, ConfigOrigin::File("github.yaml".into())).unwrap()
}

fn runner_of(config: &config::Config) -> Box<dyn Source> {
    build(&config.spec_of("github").unwrap(), &BuildContext::at(t0()))
}

#[tokio::test]
async fn a_token_never_goes_over_plain_http_to_another_machine_unless_allowed() {
    let refused = "refusing to send the token over plain http:// to 192.0.2.1:80, which is not loopback: use https://, or set `allow_insecure_http: true` on this source";
    let config = github_config("http://192.0.2.1", "");
    let mut runner = runner_of(&config);
    let outcome = runner.poll(t0()).await;
    assert_eq!(outcome.result.unwrap_err().reason, refused);
    let lines = runner.check(t0()).await;
    assert_eq!(lines.len(), 1);
    assert!(!lines[0].ok);
    assert_eq!(lines[0].text, refused);

    let config = github_config("http://192.0.2.1", "allow_insecure_http: true");
    let mut runner = runner_of(&config);
    let lines = runner.check(t0()).await;
    assert!(lines[0].ok);
    assert_eq!(
        lines[0].text,
        "warning: the token goes over plain http:// to 192.0.2.1:80 unencrypted (allow_insecure_http: true)"
    );
    assert!(
        !lines.iter().any(|l| l.text.contains("refusing")),
        "{lines:?}"
    );
}

#[test]
fn allow_insecure_http_is_for_github_sources_only() {
    let yaml = "environments:\n  - name: staging\nservices:\n  - name: api\nsources:\n  - { name: demo, kind: demo, allow_insecure_http: true }\n";
    let e = config::parse(yaml, ConfigOrigin::File("x.yaml".into()))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("a `demo` source takes no `allow_insecure_http`"),
        "{e}"
    );
}

const FLEET: usize = 45;

fn fleet_names() -> Vec<String> {
    (1..=FLEET).map(|i| format!("acme/svc-{i:02}")).collect()
}

#[tokio::test]
async fn a_cold_first_cycle_of_45_repositories_does_not_hold_a_quiet_board_for_half_an_hour() {
    let names = fleet_names();
    let repos: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = setup_repos(&repos, "").await;
    let cold = s.cycle(0).await;
    let stats = cold.stats.unwrap();
    assert!(stats.sent >= 300, "a cold cycle: {} requests", stats.sent);
    assert_eq!(cold.wait, None, "the next poll after the interval");
    let steady = s.cycle(1).await;
    let stats = steady.stats.unwrap();
    assert_eq!(stats.not_modified, stats.sent, "all 304s");
    assert_eq!(steady.wait, None, "still the interval");
}

#[tokio::test]
async fn a_steady_fleet_that_costs_a_lot_every_cycle_is_still_paced() {
    let names = fleet_names();
    let repos: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = setup_repos(&repos, "").await;
    s.server.set_conditional(false);
    assert_eq!(s.cycle(0).await.wait, None);
    let steady = s.cycle(1).await;
    let charged = steady.stats.unwrap().sent;
    assert!(charged >= 150, "{charged} charged");
    let wait = steady.wait.expect("a paced wait");
    assert!(wait.firm, "a paced wait is the API's: `r` does not cut it");
    assert!(
        wait.after > Duration::from_secs(10 * 60),
        "paced: {:?}",
        wait.after
    );
}

#[tokio::test]
async fn a_host_that_takes_no_connection_stops_the_cycle_at_the_first_repository() {
    // A listener that never accepts, its queue full: new connections are never answered.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let address = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(stream)) = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(address),
        )
        .await
        {
            queued.push(stream);
        }
    }
    let url = format!("http://{address}");
    let token = token_file(TOKEN);
    let repositories = ["acme/checkout", "acme/payments", "acme/ledger"];
    let yaml = fleet_yaml(&url, &token_line(&token), &repositories, "");
    let config = config::parse(&yaml, ConfigOrigin::File("github.yaml".into())).unwrap();
    let mut runner = runner_of(&config);
    let started = Instant::now();
    let outcome = runner.poll(t0()).await;
    assert_eq!(
        outcome.result.unwrap_err().reason,
        format!("cannot connect to {address}: no connection within 500ms")
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "one wait for the host, not one per repository: {:?}",
        started.elapsed()
    );
    drop(queued);
}
