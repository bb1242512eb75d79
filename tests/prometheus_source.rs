//! What a prometheus source sends, against a stand-in on the local server: at most
//! `concurrency` queries in flight (counted at the server), a long query as a POST form, the
//! credentials as configured (a bearer token never shown, or none at all), and the queries a
//! deploy costs over its life — none before its first judgement, its baseline once, its after
//! window while it grows, nothing once final.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod prometheus;
mod support;

use std::time::Duration;

use prometheus::fleet::{T0, at, config, impact, request, sent, source};
use shiproom::model::{DeployStatus, Verdict};
use shiproom::sources::Source;
use support::prometheus::{about, calm, serve};
use support::{Request, Server};

const STARTED: i64 = T0 + 7_200;
const FINISHED: i64 = STARTED + 300;
const JUDGED: i64 = FINISHED + 3_660;
const FOUR: &[&str] = &["checkout", "search", "catalog", "ledger"];

fn asked(server: &Server, services: &[&str], extra: &str) -> Box<dyn Source> {
    let mut source = source(&config(&server.url, services, extra));
    for service in services {
        source.analyse(request(
            service,
            service,
            STARTED,
            FINISHED,
            DeployStatus::Succeeded,
        ));
    }
    source
}

/// A stand-in answering every query calmly after `delay`.
async fn slow_server(delay: Duration) -> Server {
    let server = Server::start().await;
    serve(&server, move |r: &Request| Some(calm(r).delay(delay)));
    server
}

#[tokio::test]
async fn at_most_two_queries_are_in_flight_by_default_and_as_many_as_configured() {
    let server = slow_server(Duration::from_millis(150)).await;
    let outcome = asked(&server, FOUR, "").poll(at(JUDGED)).await;
    assert_eq!(sent(&outcome), 16, "four deploys, two metrics, two windows");
    assert_eq!(server.peak(), 2, "the default bound");
    for service in FOUR {
        assert_eq!(impact(&outcome, service).verdict, Verdict::Healthy);
    }

    let server = slow_server(Duration::from_millis(150)).await;
    asked(&server, FOUR, "    concurrency: 4\n")
        .poll(at(JUDGED))
        .await;
    assert_eq!(server.peak(), 4, "as configured");
    let server = slow_server(Duration::from_millis(50)).await;
    asked(&server, FOUR, "    concurrency: 1\n")
        .poll(at(JUDGED))
        .await;
    assert_eq!(server.peak(), 1, "one at a time");
}

#[tokio::test]
async fn a_long_query_goes_as_a_post_form_and_a_short_one_as_a_get() {
    let server = Server::start().await;
    serve(&server, |_| None);
    let long_label = "x".repeat(1_100);
    let extra = format!(
        "    metrics:\n      - {{ name: error ratio, kind: error_ratio, critical: true, query: 'sum(rate(http_requests_total{{job=\"{{service}}\",code=~\"5..\",pad!=\"{long_label}\"}}[5m])) / sum(rate(http_requests_total{{job=\"{{service}}\"}}[5m]))' }}\n      - {{ name: requests, kind: other, unit: req/s, query: 'sum(rate(http_requests_total{{job=\"{{service}}\"}}[5m]))' }}\n"
    );
    let outcome = asked(&server, &["checkout"], &extra).poll(at(JUDGED)).await;
    assert_eq!(impact(&outcome, "checkout").verdict, Verdict::Healthy);
    let requests = server.requests();
    let (posts, gets): (Vec<&Request>, Vec<&Request>) =
        requests.iter().partition(|r| r.method == "POST");
    assert_eq!((posts.len(), gets.len()), (2, 2), "{requests:?}");
    for post in &posts {
        assert_eq!(post.path(), "/api/v1/query_range");
        assert_eq!(
            post.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert!(about(post, "checkout"), "the query is in the form");
        assert!(!post.target.contains('?'), "nothing in the URL");
    }
    let other = &impact(&outcome, "checkout").metrics[1];
    assert_eq!(
        (other.name.as_str(), other.unit.as_str()),
        ("requests", "req/s")
    );
}

#[tokio::test]
async fn a_bearer_token_from_a_command_goes_with_every_query_and_is_never_shown() {
    let server = Server::start().await;
    serve(&server, |_| None);
    let extra = "    token_command: \"echo prom-SECRET-token-42\"\n";
    let outcome = asked(&server, &["checkout"], extra).poll(at(JUDGED)).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for r in &requests {
        assert_eq!(
            r.header("authorization"),
            Some("Bearer prom-SECRET-token-42")
        );
    }
    assert!(!format!("{outcome:?}").contains("SECRET"));
}

#[tokio::test]
async fn a_source_without_credentials_sends_no_authorization_and_may_use_plain_http() {
    let server = Server::start().await;
    serve(&server, |_| None);
    asked(&server, &["checkout"], "").poll(at(JUDGED)).await;
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
    // Plain http:// to another machine is refused only when credentials would go with it.
    let open = config("http://prometheus.internal:9090", &["checkout"], "");
    let spec = open.spec_of("prom").unwrap();
    let mut built = shiproom::sources::prometheus::PrometheusSource::from_spec(&spec).unwrap();
    assert!(built.http().is_ok());
    let secret = config(
        "http://prometheus.internal:9090",
        &["checkout"],
        "    token_env: PROM_TOKEN\n",
    );
    let spec = secret.spec_of("prom").unwrap();
    let mut built = shiproom::sources::prometheus::PrometheusSource::from_spec(&spec).unwrap();
    let refused = built.http().err().unwrap();
    assert!(
        refused.contains("refusing to send the token over plain http://"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_deploy_costs_nothing_before_its_first_judgement_its_baseline_once_and_nothing_once_final()
 {
    let server = Server::start().await;
    serve(&server, |_| None);
    let mut source = asked(&server, &["checkout"], "");
    let mut per_cycle = Vec::new();
    // A poll every 30 s (the default interval) from the deploy's end to 70 minutes after.
    for k in 0..=140 {
        let outcome = source.poll(at(FINISHED + k * 30)).await;
        per_cycle.push(sent(&outcome));
    }
    let first = per_cycle.iter().position(|n| *n > 0).unwrap();
    assert_eq!(first, 20, "judged first ten minutes after the deploy ended");
    assert_eq!(
        per_cycle[first], 4,
        "the baseline and the after window of two metrics"
    );
    let refinements = &per_cycle[first + 1..];
    assert!(
        refinements.iter().all(|n| *n == 0 || *n == 2),
        "{per_cycle:?}"
    );
    let last = per_cycle.iter().rposition(|n| *n > 0).unwrap();
    assert!(
        per_cycle[last + 1..].iter().all(|n| *n == 0),
        "final: never again"
    );
    assert!(
        (FINISHED + last as i64 * 30) >= FINISHED + 3_600,
        "final once the after window is an hour long"
    );
    let total: u32 = per_cycle.iter().sum();
    eprintln!(
        "queries over a deploy's life: {total} ({} judgements, the last at +{} min)",
        per_cycle.iter().filter(|n| **n > 0).count(),
        last * 30 / 60
    );
    assert!(total <= 4 + 2 * 100, "{total}");
}

#[tokio::test]
async fn a_refused_token_is_read_again_and_the_refused_queries_sent_once_more_when_it_changed() {
    let server = Server::start().await;
    serve(&server, |r: &Request| {
        (r.header("authorization") != Some("Bearer new-token"))
            .then(|| support::Reply::raw(401, "Unauthorized"))
    });
    let dir = std::env::temp_dir().join(format!("shiproom-prom-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, "old-token\n").unwrap();
    let extra = format!("    token_command: \"cat {}\"\n", file.display());
    let mut source = asked(&server, &["checkout"], &extra);
    let refused = source.poll(at(JUDGED)).await;
    let reason = prometheus::fleet::target(&refused, "checkout")
        .error
        .clone()
        .unwrap();
    assert!(reason.starts_with("401 bad token: check `cat "), "{reason}");
    assert_eq!(sent(&refused), 4, "the same token again: not sent twice");

    std::fs::write(&file, "new-token\n").unwrap();
    source.refresh();
    let outcome = source.poll(at(JUDGED + 60)).await;
    assert_eq!(
        sent(&outcome),
        8,
        "four refused, read the token again, four sent again"
    );
    assert_eq!(impact(&outcome, "checkout").verdict, Verdict::Healthy);
    let _ = std::fs::remove_dir_all(&dir);
}
