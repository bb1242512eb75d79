//! The impact path against a real Prometheus: the default queries, filled in for a service,
//! return what the analysis reads, and the statistics judge a real error-ratio jump unhealthy
//! and real noise with a counter reset healthy.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod prometheus;

use chrono::{DateTime, Utc};

use prometheus::{Prometheus, Traffic, openmetrics};
use shiproom::impact::analysis::{MetricSamples, analyse};
use shiproom::impact::judge::{Band, Direction, Rules};
use shiproom::impact::windows::{Plan, WindowRules, plan};
use shiproom::model::Verdict;
use shiproom::sources::prometheus::dto::parse_range;
use shiproom::sources::prometheus::promql::{
    DEFAULT_ERROR_RATIO, DEFAULT_P95_LATENCY, Placeholders, render,
};

const T0: i64 = 1_700_000_000;
/// The deploy: from T0 + 2 h to T0 + 2 h 5 min.
const STARTED: i64 = T0 + 7_200;
const FINISHED: i64 = STARTED + 300;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// A bit of deterministic noise in [-1, 1].
fn wobble(second: i64) -> f64 {
    ((second * 7_919 + 13) % 2_001 - 1_000) as f64 / 1_000.0
}

fn latency(_: i64) -> [(f64, f64); 4] {
    [(0.1, 0.5), (0.25, 0.8), (0.5, 0.9), (1.0, 1.0)]
}

fn traffic() -> Vec<Traffic> {
    vec![
        // checkout: 0.5 % errors, jumping to 6 % when the deploy lands.
        Traffic {
            job: "checkout",
            environment: "production",
            requests_per_second: 20.0,
            error_share: Box::new(|s| {
                let base = if T0 + s >= FINISHED { 0.06 } else { 0.005 };
                base * (1.0 + 0.2 * wobble(s))
            }),
            latency_buckets: Box::new(latency),
        },
        // search: the same 0.5 % throughout, noise only.
        Traffic {
            job: "search",
            environment: "production",
            requests_per_second: 20.0,
            error_share: Box::new(|s| 0.005 * (1.0 + 0.2 * wobble(s))),
            latency_buckets: Box::new(latency),
        },
    ]
}

fn rules(allowed: Band) -> Rules {
    Rules {
        direction: Direction::HigherIsWorse,
        allowed,
        unhealthy_factor: 2.0,
        critical: true,
        min_points: 10,
    }
}

/// The deploy's verdict for `service`, from the default queries over its windows.
fn verdict_of(
    p: &Prometheus,
    service: &str,
) -> (Verdict, Vec<shiproom::impact::analysis::MetricAnalysis>) {
    let now = at(FINISHED + 3_600);
    let Plan::Ready { before, after, .. } =
        plan(at(STARTED), at(FINISHED), &[], &WindowRules::default(), now)
    else {
        panic!("ready an hour after");
    };
    let values = Placeholders {
        service,
        environment: "production",
        target: "production",
    };
    let mut metrics = Vec::new();
    for (name, template, band) in [
        ("error ratio", DEFAULT_ERROR_RATIO, Band::Absolute(0.01)),
        ("p95 latency", DEFAULT_P95_LATENCY, Band::Relative(0.2)),
    ] {
        let query = render(template, &values).unwrap();
        let fetch = |w: &shiproom::impact::windows::Window| {
            let (code, body) = p.query_range(
                &query,
                w.span.start.timestamp(),
                w.span.end.timestamp(),
                w.step.num_seconds(),
            );
            assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
            let (series, _) = parse_range(&body).unwrap();
            assert_eq!(series.len(), 1, "{name}: one series");
            series.into_iter().next().unwrap().points
        };
        metrics.push(MetricSamples {
            name: name.into(),
            unit: String::new(),
            rules: rules(band),
            before: fetch(&before),
            after: fetch(&after),
        });
    }
    let analysis = analyse(&metrics, &before, &after, 0.95);
    (analysis.verdict, analysis.metrics)
}

#[test]
fn a_real_error_ratio_jump_is_unhealthy_and_real_noise_with_a_counter_reset_is_healthy() {
    // Four hours of history; the counters reset once in the baseline (a restart).
    let history = openmetrics(&traffic(), T0, 4 * 3_600, &[5_000]);
    let Some(p) = Prometheus::start("impact", &history) else {
        return;
    };
    let (verdict, metrics) = verdict_of(&p, "checkout");
    assert_eq!(verdict, Verdict::Unhealthy, "{metrics:#?}");
    let errors = metrics[0].comparison.unwrap();
    assert!(
        errors.low > 0.04 && errors.high < 0.07,
        "the shift's interval holds the jump of about 5.5 points: {errors:?}"
    );
    assert!(errors.n_before >= 30 && errors.n_after >= 30, "{errors:?}");
    let (verdict, metrics) = verdict_of(&p, "search");
    assert_eq!(verdict, Verdict::Healthy, "{metrics:#?}");
    let p95 = metrics[1].before_median.unwrap();
    assert!(
        (p95 - 0.75).abs() < 1e-9,
        "the classic histogram's p95: {p95}"
    );
}

#[test]
fn a_service_with_no_series_has_no_data_never_healthy() {
    let history = openmetrics(&traffic(), T0, 4 * 3_600, &[]);
    let Some(p) = Prometheus::start("nodata", &history) else {
        return;
    };
    let now = at(FINISHED + 3_600);
    let Plan::Ready { before, after, .. } =
        plan(at(STARTED), at(FINISHED), &[], &WindowRules::default(), now)
    else {
        panic!("ready");
    };
    let query = render(
        DEFAULT_ERROR_RATIO,
        &Placeholders {
            service: "nobody",
            environment: "production",
            target: "production",
        },
    )
    .unwrap();
    let (code, body) = p.query_range(
        &query,
        before.span.start.timestamp(),
        after.span.end.timestamp(),
        60,
    );
    assert_eq!(code, 200);
    let (series, _) = parse_range(&body).unwrap();
    assert!(series.is_empty(), "an empty result, not an error");
    let samples = MetricSamples {
        name: "error ratio".into(),
        unit: String::new(),
        rules: rules(Band::Absolute(0.01)),
        before: vec![],
        after: vec![],
    };
    assert_eq!(
        analyse(&[samples], &before, &after, 0.95).verdict,
        Verdict::NoData
    );
}

#[test]
fn a_bad_query_is_refused_with_prometheus_own_words() {
    let history = openmetrics(&traffic(), T0, 3_600, &[]);
    let Some(p) = Prometheus::start("bad", &history) else {
        return;
    };
    let (code, body) = p.query_range("sum(rate(x[5m])", T0, T0 + 600, 60);
    assert_eq!(code, 400);
    let error = parse_range(&body).unwrap_err().to_string();
    assert!(
        error.starts_with("Prometheus refused the query (bad_data):"),
        "{error}"
    );
    assert!(error.contains("parse error"), "{error}");
}
