//! What impact analysis costs: judging 500 deploys × 2 metrics from stored series (60 samples
//! before, 60 after, a sample a minute), and the demo's poll (one simulated second, its
//! analyses refined, its snapshot) live and paused.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

use shiproom::config::{self, Config};
use shiproom::impact::analysis::{MetricSamples, analyse};
use shiproom::impact::judge::{Band, Direction, Rules};
use shiproom::impact::windows::{Plan, Window, WindowRules, plan};
use shiproom::sources::demo::{DemoFleet, DemoSource, SplitMix64};

/// Deploys in the judging benchmark.
const DEPLOYS: usize = 500;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap()
}

/// One deploy's stored series and windows.
struct Stored {
    metrics: Vec<MetricSamples>,
    before: Window,
    after: Window,
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

/// 500 deploys, each an hour after its end, with 60 samples a metric before and 60 after:
/// noise around a level, and after the deploy no change, a small or a large one.
fn stored() -> Vec<Stored> {
    let mut rng = SplitMix64::new(14);
    (0..DEPLOYS)
        .map(|i| {
            let finished = now() - Duration::hours(2) + Duration::seconds(7 * i as i64);
            let started = finished - Duration::minutes(2);
            let Plan::Ready { before, after, .. } = plan(
                started,
                finished,
                &[],
                &WindowRules::default(),
                finished + Duration::minutes(60),
            ) else {
                panic!("an hour after the deploy is ready");
            };
            let shift = [1.0, 1.0, 1.3, 3.0][i % 4];
            let mut series = |level: f64, noise: f64, window: &Window, factor: f64| {
                (0..60)
                    .map(|m| {
                        let t = window.span.start + Duration::minutes(m);
                        let wobble = rng.uniform(-noise, noise);
                        (t, level * factor * (1.0 + wobble))
                    })
                    .collect::<Vec<_>>()
            };
            let metric = |name: &str, unit: &str, allowed, before, after| MetricSamples {
                name: name.into(),
                unit: unit.into(),
                rules: rules(allowed),
                before,
                after,
            };
            let errors = metric(
                "error ratio",
                "%",
                Band::Absolute(1.0),
                series(0.5, 0.3, &before, 1.0),
                series(0.5, 0.3, &after, shift),
            );
            let latency = metric(
                "p95 latency",
                "ms",
                Band::Relative(0.2),
                series(180.0, 0.1, &before, 1.0),
                series(180.0, 0.1, &after, shift),
            );
            Stored {
                metrics: vec![errors, latency],
                before,
                after,
            }
        })
        .collect()
}

fn judge_stored_series(c: &mut Criterion) {
    let deploys = stored();
    assert!(
        deploys
            .iter()
            .all(|d| d.metrics.iter().all(|m| m.before.len() == 60))
    );
    c.bench_function(
        "judge 500 deploys x 2 metrics (60 samples before, 60 after)",
        |b| {
            b.iter(|| {
                for d in &deploys {
                    black_box(analyse(&d.metrics, &d.before, &d.after, 0.95));
                }
            })
        },
    );
}

fn demo(paused: bool) -> DemoSource {
    let config = Config::demo().expect("the built-in demo");
    let mut spec = config.spec_of("demo").expect("the demo source");
    if paused {
        let quiet = include_str!("../config/quiet.yaml");
        let quiet = config::parse(quiet, config::ConfigOrigin::File("quiet.yaml".into()));
        spec = quiet
            .expect("config/quiet.yaml")
            .spec_of("frozen")
            .expect("frozen");
    }
    DemoSource::from_spec(&spec, now()).expect("a demo source")
}

fn poll_the_demo(c: &mut Criterion) {
    let config = Config::demo().expect("the built-in demo");
    let catalog = config
        .spec_of("demo")
        .expect("the demo source")
        .catalog
        .clone();
    let fleet = DemoFleet::new(&catalog, 7, "demo", now());
    // A minute of polls, one a second: every analysis reported is refined once in it.
    c.bench_function("demo: a minute of polls (60, one a second)", |b| {
        b.iter_batched(
            || fleet.clone(),
            |mut fleet| {
                for s in 1..=60 {
                    fleet.advance_to(now() + Duration::seconds(s));
                    black_box(fleet.snapshot());
                }
                fleet
            },
            BatchSize::LargeInput,
        )
    });
    let mut live = demo(false);
    let mut s = 0;
    c.bench_function("demo: one poll (live, built-in demo)", |b| {
        b.iter(|| {
            s += 1;
            black_box(live.poll(now() + Duration::seconds(s)))
        })
    });
    let mut quiet = demo(true);
    c.bench_function("demo: one poll (paused, config/quiet.yaml)", |b| {
        b.iter(|| black_box(quiet.poll(now())))
    });
}

criterion_group!(benches, judge_stored_series, poll_the_demo);
criterion_main!(benches);
