//! The prometheus source kind against a real Prometheus: built from a configuration by the
//! registry, asked about deploys, polled at a moment of a backfilled history. Its verdicts: an
//! error-ratio jump is unhealthy, noise with counter resets healthy, lower latency improved, a
//! shift inside the band with a wide interval inconclusive, no series no data, a short after
//! window pending (and nothing asked), and an earlier unhealthy deploy cut out of the next
//! one's baseline — which, left in, would have called the fix an improvement.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod prometheus;

use prometheus::fleet::{
    T0, at, config, impact, request, sent, source, steady_latency, target, wobble,
};
use prometheus::{Prometheus, Traffic, openmetrics};
use shiproom::model::{DeployStatus, MetricVerdict, Verdict};

/// The deploy every service but billing gets: from T0 + 2 h to T0 + 2 h 5 min.
const STARTED: i64 = T0 + 7_200;
const FINISHED: i64 = STARTED + 300;
/// An hour and a minute after it finished: its after window is full.
const JUDGED: i64 = FINISHED + 3_660;
/// Billing's bad deploy A (3 h) and its fix B (4 h).
const A_STARTED: i64 = T0 + 10_800;
const B_STARTED: i64 = T0 + 14_400;

fn noisy(base: f64) -> Box<dyn Fn(i64) -> f64> {
    Box::new(move |s| base * (1.0 + 0.2 * wobble(s)))
}

fn service(job: &'static str, error_share: Box<dyn Fn(i64) -> f64>) -> Traffic {
    Traffic {
        job,
        environment: "production",
        requests_per_second: 20.0,
        error_share,
        latency_buckets: Box::new(steady_latency),
    }
}

/// Five and a half hours of six services' traffic; every counter resets twice (restarts), once in the
/// deploys' baseline and once in their after window.
fn history() -> String {
    let after = |s: i64| T0 + s >= FINISHED;
    let traffic = vec![
        // 0.5 % errors, 6 % once the deploy lands.
        service(
            "checkout",
            Box::new(move |s| (if after(s) { 0.06 } else { 0.005 }) * (1.0 + 0.2 * wobble(s))),
        ),
        service("search", noisy(0.005)),
        // The same errors; 0.75 s p95 before the deploy, 0.24 s after.
        Traffic {
            latency_buckets: Box::new(move |s| match after(s) {
                true => [(0.1, 0.7), (0.25, 0.97), (0.5, 0.99), (1.0, 1.0)],
                false => steady_latency(s),
            }),
            ..service("catalog", noisy(0.005))
        },
        // 3 % errors swinging ±2.5 points over twenty minutes, 0.7 points more after.
        service(
            "ledger",
            Box::new(move |s| {
                let base = if after(s) { 0.037 } else { 0.03 };
                let swing = (s as f64 * std::f64::consts::TAU / 1_200.0).sin();
                base + 0.025 * swing
            }),
        ),
        // A makes 6 % errors from its end until B, the fix, ends.
        service(
            "billing",
            Box::new(|s| {
                let bad = (A_STARTED + 300..B_STARTED + 300).contains(&(T0 + s));
                (if bad { 0.06 } else { 0.005 }) * (1.0 + 0.2 * wobble(s))
            }),
        ),
    ];
    openmetrics(&traffic, T0, 19_800, &[5_000, 8_000])
}

const SERVICES: &[&str] = &[
    "checkout", "search", "catalog", "ledger", "billing", "nobody",
];

/// A source of the configuration, on `p`, with the deploys of `requests` to analyse.
fn asked(
    p: &Prometheus,
    requests: Vec<shiproom::model::AnalysisRequest>,
) -> Box<dyn shiproom::sources::Source> {
    let mut source = source(&config(&p.url, SERVICES, ""));
    for r in requests {
        assert!(source.analyse(r), "a prometheus source takes every deploy");
    }
    source
}

fn deploy_of(service: &str) -> shiproom::model::AnalysisRequest {
    request(service, service, STARTED, FINISHED, DeployStatus::Succeeded)
}

#[tokio::test]
async fn an_error_ratio_jump_is_unhealthy_in_percent_with_its_interval_and_a_calm_latency() {
    let Some(p) = Prometheus::start("verdict-jump", &history()) else {
        return;
    };
    let mut source = asked(&p, vec![deploy_of("checkout")]);
    let outcome = source.poll(at(JUDGED)).await;
    let judged = impact(&outcome, "checkout");
    assert_eq!(judged.verdict, Verdict::Unhealthy, "{judged:#?}");
    let errors = &judged.metrics[0];
    assert_eq!(
        (errors.name.as_str(), errors.unit.as_str()),
        ("error ratio", "%")
    );
    assert!((errors.before - 0.5).abs() < 0.1, "{errors:?}");
    assert!((errors.after - 6.0).abs() < 0.5, "{errors:?}");
    let e = errors.evidence.as_ref().unwrap();
    assert_eq!(e.verdict, MetricVerdict::Unhealthy);
    assert!(
        e.ci_low > 4.5 && e.ci_high < 6.5,
        "about +5.5 points: {e:?}"
    );
    assert!(
        e.p_value < 0.001 && e.n_before >= 30 && e.n_after >= 30,
        "{e:?}"
    );
    let latency = &judged.metrics[1];
    assert_eq!(latency.unit, "ms");
    assert!((latency.before - 750.0).abs() < 1e-6, "{latency:?}");
    assert_eq!(
        latency.evidence.as_ref().unwrap().verdict,
        MetricVerdict::Pass
    );
    assert_eq!(sent(&outcome), 4, "two metrics, two windows");
    assert!(target(&outcome, "checkout").is_ok());
}

#[tokio::test]
async fn noise_with_counter_resets_is_healthy_and_a_final_verdict_is_never_asked_again() {
    let Some(p) = Prometheus::start("verdict-calm", &history()) else {
        return;
    };
    let mut source = asked(&p, vec![deploy_of("search")]);
    let outcome = source.poll(at(JUDGED)).await;
    assert_eq!(
        impact(&outcome, "search").verdict,
        Verdict::Healthy,
        "{:#?}",
        impact(&outcome, "search")
    );
    let again = source.poll(at(JUDGED + 600)).await;
    assert_eq!(sent(&again), 0, "final: nothing is asked again");
    assert_eq!(impact(&again, "search").verdict, Verdict::Healthy);
}

#[tokio::test]
async fn lower_latency_is_improved() {
    let Some(p) = Prometheus::start("verdict-faster", &history()) else {
        return;
    };
    let mut source = asked(&p, vec![deploy_of("catalog")]);
    let outcome = source.poll(at(JUDGED)).await;
    let judged = impact(&outcome, "catalog");
    assert_eq!(judged.verdict, Verdict::Improved, "{judged:#?}");
    let latency = &judged.metrics[1];
    assert_eq!(
        latency.evidence.as_ref().unwrap().verdict,
        MetricVerdict::Better
    );
    assert!(
        latency.after < 300.0 && latency.before > 700.0,
        "{latency:?}"
    );
}

#[tokio::test]
async fn a_shift_inside_the_band_with_a_wide_interval_is_inconclusive_never_healthy() {
    let Some(p) = Prometheus::start("verdict-wide", &history()) else {
        return;
    };
    let mut source = asked(&p, vec![deploy_of("ledger")]);
    let outcome = source.poll(at(JUDGED)).await;
    let judged = impact(&outcome, "ledger");
    assert_eq!(judged.verdict, Verdict::Inconclusive, "{judged:#?}");
    let e = judged.metrics[0].evidence.as_ref().unwrap();
    assert_eq!(e.verdict, MetricVerdict::Inconclusive);
    assert!(e.change < 1.0, "the shift lies inside the band: {e:?}");
    assert!(
        e.ci_low < 1.0 && e.ci_high > 1.0,
        "its interval straddles the edge: {e:?}"
    );
}

#[tokio::test]
async fn a_service_without_series_has_no_data_and_that_is_no_failure() {
    let Some(p) = Prometheus::start("verdict-none", &history()) else {
        return;
    };
    let mut source = asked(&p, vec![deploy_of("nobody")]);
    let outcome = source.poll(at(JUDGED)).await;
    let judged = impact(&outcome, "nobody");
    assert_eq!(judged.verdict, Verdict::NoData, "{judged:#?}");
    assert!(
        target(&outcome, "nobody").is_ok(),
        "an empty answer is not an error"
    );
    assert_eq!(sent(&outcome), 4);
}

#[tokio::test]
async fn a_deploy_is_pending_until_ten_minutes_after_then_judged_at_once_and_refined() {
    let Some(p) = Prometheus::start("verdict-short", &history()) else {
        return;
    };
    let mut source = asked(&p, vec![deploy_of("checkout")]);
    let outcome = source.poll(at(FINISHED + 300)).await;
    assert_eq!(impact(&outcome, "checkout").verdict, Verdict::Pending);
    assert_eq!(
        sent(&outcome),
        0,
        "no query before the first judgement is due"
    );
    // Judged first ten minutes after it finished: the verdict shows at once, refined until
    // the full hour.
    let first = source.poll(at(FINISHED + 600)).await;
    assert_eq!(sent(&first), 4);
    let judged = impact(&first, "checkout");
    assert_eq!(
        judged.verdict,
        Verdict::Unhealthy,
        "within minutes, not after an hour"
    );
    let e = judged.metrics[0].evidence.as_ref().unwrap();
    assert_eq!(
        e.verdict,
        MetricVerdict::Unhealthy,
        "the evidence so far: {e:?}"
    );
    let refined = source.poll(at(FINISHED + 900)).await;
    assert_eq!(
        sent(&refined),
        2,
        "only the after windows again; the baseline is kept"
    );
}

#[tokio::test]
async fn an_earlier_unhealthy_deploy_is_cut_out_of_the_next_ones_baseline() {
    let Some(p) = Prometheus::start("verdict-hygiene", &history()) else {
        return;
    };
    let a = request(
        "billing",
        "a",
        A_STARTED,
        A_STARTED + 300,
        DeployStatus::Succeeded,
    );
    let b = request(
        "billing",
        "b",
        B_STARTED,
        B_STARTED + 300,
        DeployStatus::Succeeded,
    );
    let now = at(B_STARTED + 300 + 3_660);

    // Judged alone, the fix's baseline holds 55 minutes of A's errors: an "improvement".
    let mut blind = asked(&p, vec![b.clone()]);
    let outcome = blind.poll(now).await;
    assert_eq!(
        impact(&outcome, "b").verdict,
        Verdict::Improved,
        "{:#?}",
        impact(&outcome, "b")
    );

    // Knowing A, judged unhealthy here in the same cycle, its stretch is cut out: the fix is
    // judged against the clean hour before A.
    let mut source = asked(&p, vec![b, a]);
    let outcome = source.poll(now).await;
    assert_eq!(impact(&outcome, "a").verdict, Verdict::Unhealthy);
    let fixed = impact(&outcome, "b");
    assert_eq!(fixed.verdict, Verdict::Healthy, "{fixed:#?}");
    let e = fixed.metrics[0].evidence.as_ref().unwrap();
    assert!(
        e.before_samples.iter().all(|(t, _)| *t < at(A_STARTED)),
        "nothing of A"
    );
    assert!(e.n_before >= 30, "{e:?}");
}
