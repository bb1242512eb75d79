//! A Prometheus that fails, in each way it can, for one service's queries while it answers the
//! other's (a stand-in on the local server): 400 bad query, 422 execution error, 503, a slow
//! answer past the timeout, a body that is no answer, several series, and the server gone.
//! Each failure costs only its own cell: its verdict is kept stale with the reason (or is
//! unknown), the reason names the service, its environment and the metric and quotes
//! Prometheus; the other service's verdict is judged and fresh, and the status bar names the
//! source.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod prometheus;
mod support;

use std::time::Duration;

use chrono::FixedOffset;

use prometheus::fleet::{T0, at, config, impact, request, sent, source, target};
use shiproom::model::{DeployStatus, Deployment, Freshness, SourceSnapshot, StatusChange, Verdict};
use shiproom::msg::Msg;
use shiproom::sources::{PollOutcome, Reading, Source};
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::update::update;
use support::prometheus::{about, calm, fixture, serve};
use support::{Reply, Request, Server};

const STARTED: i64 = T0 + 7_200;
const FINISHED: i64 = STARTED + 300;
const JUDGED: i64 = FINISHED + 3_660;

/// A prometheus source on `server` (1 s timeout) asked about a deploy of checkout and one of
/// search, both finished an hour ago.
fn asked(server: &Server) -> Box<dyn Source> {
    let config = config(&server.url, &["checkout", "search"], "    timeout: 1s\n");
    let mut source = source(&config);
    for service in ["checkout", "search"] {
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

/// One cycle against a stand-in whose checkout queries get `fault`.
async fn judged_with(fault: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> PollOutcome {
    let server = Server::start().await;
    serve(&server, move |r: &Request| {
        about(r, "checkout").then(|| fault(r))
    });
    asked(&server).poll(at(JUDGED)).await
}

/// Checkout's failure reason, after checking that search was judged, fresh.
fn failure_of_checkout(outcome: &PollOutcome) -> String {
    assert_eq!(impact(outcome, "search").verdict, Verdict::Healthy);
    assert!(
        target(outcome, "search").is_ok(),
        "{:?}",
        target(outcome, "search")
    );
    let checkout = target(outcome, "checkout");
    assert_eq!(checkout.last_success, None, "never read: unknown");
    let reading = outcome.result.as_ref().unwrap();
    assert!(
        !(reading.impacts.iter()).any(|r| r.service == "checkout"),
        "no verdict is made up for checkout"
    );
    checkout.error.clone().expect("checkout failed")
}

#[tokio::test]
async fn a_bad_query_names_the_service_and_metric_and_quotes_prometheus_error() {
    let outcome = judged_with(|_| Reply::raw(400, &fixture("error_400_bad_data.json"))).await;
    let reason = failure_of_checkout(&outcome);
    assert_eq!(
        reason,
        "checkout@production error ratio: Prometheus refused the query (bad_data): invalid parameter \"query\": 1:18: parse error: unclosed left parenthesis (check its query in the configuration)"
    );
}

#[tokio::test]
async fn an_execution_error_is_quoted_with_its_type() {
    let outcome = judged_with(|_| Reply::raw(422, &fixture("error_422_execution.json"))).await;
    let reason = failure_of_checkout(&outcome);
    assert!(
        reason.starts_with("checkout@production error ratio: Prometheus refused the query (execution): found duplicate series"),
        "{reason}"
    );
}

#[tokio::test]
async fn an_unavailable_prometheus_says_so_in_its_words_or_as_a_server_error() {
    let outcome = judged_with(|_| {
        Reply::raw(
            503,
            r#"{"status":"error","errorType":"unavailable","error":"too many queries"}"#,
        )
    })
    .await;
    let reason = failure_of_checkout(&outcome);
    assert!(
        reason.ends_with("Prometheus refused the query (unavailable): too many queries"),
        "{reason}"
    );
    let outcome = judged_with(|_| Reply::raw(503, "<html>upstream down</html>")).await;
    assert_eq!(
        failure_of_checkout(&outcome),
        "503 server error on checkout@production error ratio"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_and_costs_only_its_cell() {
    let outcome = judged_with(|r| calm(r).delay(Duration::from_secs(3))).await;
    assert_eq!(
        failure_of_checkout(&outcome),
        "timeout after 1s on checkout@production error ratio"
    );
}

#[tokio::test]
async fn a_body_that_is_no_answer_is_malformed_and_several_series_ask_to_aggregate() {
    let outcome = judged_with(|_| Reply::raw(200, "<html>sign in</html>")).await;
    let reason = failure_of_checkout(&outcome);
    assert!(
        reason.starts_with("checkout@production error ratio: not a Prometheus answer:"),
        "{reason}"
    );
    // The fixture's labelled series, twice: per status code, not summed.
    let one = fixture("query_range_matrix_with_labels.json");
    let series = one
        .split_once("\"result\":[")
        .unwrap()
        .1
        .trim_end_matches("]}}\n")
        .trim_end_matches("]}}");
    let two = format!(
        "{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[{series},{}]}}}}",
        series.replace("\"500\"", "\"200\"")
    );
    let outcome = judged_with(move |_| Reply::raw(200, &two)).await;
    let reason = failure_of_checkout(&outcome);
    assert!(
        reason.starts_with("checkout@production error ratio: the query gives 2 series where one is judged: aggregate it"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_prometheus_gone_keeps_every_verdict_it_gave_and_marks_the_cell_due_stale() {
    let server = Server::start().await;
    serve(&server, |_| None);
    let mut source = asked(&server);
    // Search is final at once; checkout's deploy finished later and is still refined.
    source.analyse(request(
        "checkout",
        "late",
        FINISHED + 1_800,
        FINISHED + 2_100,
        DeployStatus::Succeeded,
    ));
    let first = source.poll(at(JUDGED)).await;
    assert_eq!(
        impact(&first, "late").verdict,
        Verdict::Healthy,
        "judged from its first ten minutes, still refined"
    );
    server.stop().await;

    let later = source.poll(at(JUDGED + 120)).await;
    assert_eq!(
        sent(&later),
        2,
        "only the deploy still refined asks: {later:?}"
    );
    let checkout = target(&later, "checkout");
    let reason = checkout.error.clone().expect("checkout failed");
    assert!(
        reason.starts_with("connection refused by 127.0.0.1:"),
        "{reason}"
    );
    assert_eq!(
        checkout.last_success,
        Some(at(JUDGED)),
        "stale, with its age"
    );
    assert_eq!(impact(&later, "checkout").verdict, Verdict::Healthy, "kept");
    assert_eq!(impact(&later, "late").verdict, Verdict::Healthy, "kept");
    assert!(target(&later, "search").is_ok(), "nothing was due there");
    assert_eq!(impact(&later, "search").verdict, Verdict::Healthy);
    assert!(
        later.wait.is_some_and(|w| !w.firm),
        "a backoff, which `r` may cut short"
    );
}

/// A deploy source's finished deploy of `service`, as the board would have it.
fn deployment(service: &str) -> std::sync::Arc<Deployment> {
    let started = at(STARTED);
    std::sync::Arc::new(Deployment {
        id: service.into(),
        service: service.into(),
        environment: "production".into(),
        version: "v1.0".into(),
        commit: format!("{service:0<40}"),
        author: "alice".into(),
        description: String::new(),
        started_at: started,
        finished_at: Some(at(FINISHED)),
        status: DeployStatus::Succeeded,
        history: vec![StatusChange {
            at: at(FINISHED),
            status: DeployStatus::Succeeded,
            note: "deployed".into(),
        }],
        stage: None,
        progress: None,
        url: None,
        source: "github".into(),
    })
}

#[tokio::test]
async fn on_the_board_the_failing_cell_is_unknown_with_the_reason_and_the_status_bar_names_the_source()
 {
    let outcome = judged_with(|_| Reply::raw(400, &fixture("error_400_bad_data.json"))).await;
    let yaml = "environments:\n  - name: production\nservices:\n  - name: checkout\n  - name: search\nsources:\n  - { name: github, kind: demo }\n  - { name: prom, kind: prometheus, url: \"http://127.0.0.1:9\" }\n";
    let config =
        shiproom::config::parse(yaml, shiproom::config::ConfigOrigin::File("b.yaml".into()))
            .unwrap();
    let mut model = Model::new(&config, Mode::default(), at(JUDGED));
    let mut ui = Ui::default();
    let deploys = SourceSnapshot {
        deployments: vec![deployment("checkout"), deployment("search")],
        ..SourceSnapshot::default()
    };
    for (source, snapshot) in [
        ("github", deploys),
        (
            "prom",
            outcome.result.clone().map(Reading::into_snapshot).unwrap(),
        ),
    ] {
        let msg = Msg::SourceReport {
            source: source.into(),
            at: at(JUDGED),
            result: Ok(snapshot),
        };
        update(&mut model, &mut ui, msg);
    }
    let row = |name: &str| {
        let row = model
            .board
            .rows
            .iter()
            .find(|r| r.service.name == name)
            .unwrap();
        row.cells[0].clone()
    };
    let search = row("search");
    assert_eq!(
        search.impact.as_ref().map(|i| i.verdict),
        Some(Verdict::Healthy)
    );
    assert_eq!(search.freshness, Freshness::Fresh);
    let checkout = row("checkout");
    assert_eq!(checkout.impact, None);
    match &checkout.freshness {
        Freshness::Unknown { reason } => assert!(
            reason.starts_with(
                "prom: checkout@production error ratio: Prometheus refused the query (bad_data)"
            ),
            "{reason}"
        ),
        other => panic!("unknown, with the reason: {other:?}"),
    }
    let theme = Theme::builtin("default").unwrap();
    let ctx = shiproom::ui::Ctx {
        model: &model,
        ui: &ui,
        theme: &theme,
        offset: FixedOffset::east_opt(0).unwrap(),
    };
    let prom = model.sources.iter().position(|s| s.name == "prom").unwrap();
    let bar = shiproom::ui::status_bar::source_entry(&ctx, prom).0;
    assert!(bar.contains("prom ok"), "{bar}");
    assert!(
        bar.contains("1 of 2 failing: checkout@production error ratio"),
        "{bar}"
    );
}
