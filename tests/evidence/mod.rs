//! Impacts with their evidence for the view and JSON tests: made-up samples judged by the real
//! impact engine (`impact::analysis`), on the small fleet of `common`.
#![allow(dead_code, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};

use shiproom::impact::analysis::{MetricSamples, analyse};
use shiproom::impact::judge::{Band, Direction, Rules};
use shiproom::impact::windows::{Stretch, Window};
use shiproom::model::Impact;
use shiproom::msg::Msg;
use shiproom::state::{Mode, Model, Ui};
use shiproom::update::update;

use crate::common::{analysis, minutes, small_config, small_snapshot, t0};

/// A deterministic wobble in [-1, 1), different at each minute (splitmix64 of `i`).
pub fn wobble(i: i64) -> f64 {
    let mut x = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// One sample a minute for `n` minutes from `from`.
pub fn series(
    from: DateTime<Utc>,
    n: i64,
    value: impl Fn(i64) -> f64,
) -> Vec<(DateTime<Utc>, f64)> {
    (0..n)
        .map(|i| (from + Duration::minutes(i), value(i)))
        .collect()
}

/// The error ratio in percent, judged against one percentage point (two for unhealthy).
pub fn error_ratio(
    before: Vec<(DateTime<Utc>, f64)>,
    after: Vec<(DateTime<Utc>, f64)>,
) -> MetricSamples {
    MetricSamples {
        name: "error ratio".into(),
        unit: "%".into(),
        rules: Rules {
            direction: Direction::HigherIsWorse,
            allowed: Band::Absolute(1.0),
            unhealthy_factor: 2.0,
            critical: true,
            min_points: 10,
        },
        before,
        after,
    }
}

/// The p95 latency in milliseconds, judged against 20 % of its median before.
pub fn latency(
    before: Vec<(DateTime<Utc>, f64)>,
    after: Vec<(DateTime<Utc>, f64)>,
) -> MetricSamples {
    MetricSamples {
        name: "p95 latency".into(),
        unit: "ms".into(),
        rules: Rules {
            direction: Direction::HigherIsWorse,
            allowed: Band::Relative(0.2),
            unhealthy_factor: 2.0,
            critical: false,
            min_points: 10,
        },
        before,
        after,
    }
}

/// The hour before a deploy that started at `start` and the `after` minutes from its end.
pub fn windows(start: DateTime<Utc>, end: DateTime<Utc>, after: i64) -> (Window, Window) {
    let window = |a: DateTime<Utc>, b: DateTime<Utc>| {
        let span = Stretch { start: a, end: b };
        Window {
            span,
            keep: vec![span],
            step: Duration::minutes(1),
        }
    };
    (
        window(start - Duration::minutes(60), start),
        window(end, end + Duration::minutes(after)),
    )
}

/// The impact the engine finds for a deploy from `start` to `end` (minutes from `t0`), from
/// `metrics(before window start, after window start)`.
pub fn judged(
    start: i64,
    end: i64,
    metrics: impl Fn(DateTime<Utc>, DateTime<Utc>) -> Vec<MetricSamples>,
) -> Impact {
    let (before, after) = windows(minutes(start), minutes(end), 40);
    let samples = metrics(before.span.start, after.span.start);
    analyse(&samples, &before, &after, 0.95).to_impact(false)
}

/// checkout's production deploy (07:00–07:04): the error ratio jumps from 0.49 % to 5.77 %
/// (unhealthy: +5.3 pp, 95 % CI +4.9 … +5.7, the example), the latency holds (pass).
pub fn jump() -> Impact {
    judged(-120, -116, |b, a| {
        vec![
            error_ratio(
                series(b, 60, |i| 0.48 + 0.05 * wobble(i)),
                series(a, 40, |i| 5.65 + 1.12 * wobble(i + 60)),
            ),
            latency(
                series(b, 60, |i| 180.0 + 6.0 * wobble(i + 2)),
                series(a, 40, |i| 183.0 + 6.0 * wobble(i + 9)),
            ),
        ]
    })
}

/// search's production deploy (04:00–04:04): the latency falls by a third (improved).
pub fn faster() -> Impact {
    judged(-300, -296, |b, a| {
        vec![
            error_ratio(
                series(b, 60, |i| 0.30 + 0.03 * wobble(i)),
                series(a, 40, |i| 0.30 + 0.03 * wobble(i + 4)),
            ),
            latency(
                series(b, 60, |i| 240.0 + 8.0 * wobble(i)),
                series(a, 40, |i| 160.0 + 8.0 * wobble(i + 3)),
            ),
        ]
    })
}

/// ledger's dev deploy (08:50–08:54): the error ratio moves by about the band, widely spread
/// (inconclusive).
pub fn straddling() -> Impact {
    judged(-10, -6, |b, a| {
        vec![error_ratio(
            series(b, 60, |i| 1.0 + 0.8 * wobble(i)),
            series(a, 40, |i| 2.0 + 1.6 * wobble(i + 7)),
        )]
    })
}

/// The small fleet after one poll, its analyses made by the engine: checkout in production
/// unhealthy, search in production improved, ledger in dev inconclusive.
pub fn judged_state() -> (Model, Ui) {
    let mut snapshot = small_snapshot();
    snapshot.impacts = vec![
        analysis("checkout", "production", "d1", jump()),
        analysis("search", "production", "d5", faster()),
        analysis("ledger", "dev", "d6", straddling()),
    ];
    let mut model = Model::new(&small_config(), Mode::default(), t0());
    let mut ui = Ui {
        width: 120,
        height: 40,
        ..Ui::default()
    };
    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: t0(),
            result: Ok(snapshot),
        },
    );
    (model, ui)
}
