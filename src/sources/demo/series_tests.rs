//! The demo's series: pure functions of their cell, minute and level; noise, counter resets
//! and gaps; a deploy's level from its end on; the stretches of releases judged unhealthy.
use super::*;
use crate::impact::windows::Stretch;
use chrono::Duration;

const KEY: SeriesKey = SeriesKey {
    seed: 7,
    service: 2,
    env: 3,
};
const LEVEL: Figures = Figures {
    error_rate: 0.5,
    p95: 120.0,
};
/// A whole UTC minute: 2027-01-15 08:00:00.
const T: i64 = 1_800_000_000;

fn window(start: i64, end: i64) -> Window {
    let span = Stretch {
        start: at(start),
        end: at(end),
    };
    Window {
        span,
        keep: vec![span],
        step: Duration::seconds(60),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn a_sample_is_a_pure_function_of_its_cell_minute_and_level() {
    let minute = T / 60 + 17;
    for metric in Metric::ALL {
        let a = sample(KEY, metric, minute, LEVEL).map(f64::to_bits);
        assert_eq!(a, sample(KEY, metric, minute, LEVEL).map(f64::to_bits));
    }
    let other = SeriesKey { env: 4, ..KEY };
    let day = (0..1440).map(|m| T / 60 + m);
    let differs = day
        .filter(|&m| {
            sample(KEY, Metric::P95Latency, m, LEVEL) != sample(other, Metric::P95Latency, m, LEVEL)
        })
        .count();
    assert!(differs > 1_400, "another cell has its own noise: {differs}");

    // Read in one window or minute by minute: the same samples.
    let timeline = Timeline::starting_at(1, LEVEL);
    let whole = timeline.samples(KEY, Metric::ErrorRatio, &window(T, T + 3_600));
    let pieces: Vec<_> = (0..60)
        .flat_map(|m| {
            timeline.samples(
                KEY,
                Metric::ErrorRatio,
                &window(T + 60 * m, T + 60 * (m + 1)),
            )
        })
        .collect();
    let bits =
        |v: &[(DateTime<Utc>, f64)]| v.iter().map(|(t, x)| (*t, x.to_bits())).collect::<Vec<_>>();
    assert_eq!(bits(&whole), bits(&pieces));
}

#[test]
fn a_day_has_noise_around_the_level_counter_resets_and_gaps_of_a_few_minutes() {
    let timeline = Timeline::starting_at(1, LEVEL);
    let day = window(T, T + 86_400);
    let latency = timeline.samples(KEY, Metric::P95Latency, &day);
    let errors = timeline.samples(KEY, Metric::ErrorRatio, &day);
    assert_eq!(latency.len(), errors.len(), "a gap takes both metrics");
    let missing = 1_440 - latency.len();
    assert!(
        (4..=60).contains(&missing),
        "{missing} minutes missed in a day"
    );
    // Every gap is 2 to 5 minutes long.
    let mut times: Vec<i64> = latency.iter().map(|(t, _)| t.timestamp()).collect();
    times.push(T + 86_400);
    let gaps: Vec<i64> = times
        .windows(2)
        .map(|w| (w[1] - w[0]) / 60 - 1)
        .filter(|g| *g > 0)
        .collect();
    assert!(
        gaps.len() >= 2 && gaps.iter().all(|g| (2..=5).contains(g)),
        "{gaps:?}"
    );

    let resets = latency.iter().filter(|(_, v)| v.is_nan()).count();
    assert!(
        (3..=25).contains(&resets),
        "{resets} counter resets in a day"
    );
    let finite = |s: &[(DateTime<Utc>, f64)]| {
        s.iter()
            .map(|(_, v)| *v)
            .filter(|v| v.is_finite())
            .collect::<Vec<_>>()
    };
    let (l, e) = (finite(&latency), finite(&errors));
    assert!((median(l.clone()) / 120.0 - 1.0).abs() < 0.01);
    assert!((median(e.clone()) / 0.5 - 1.0).abs() < 0.03);
    let spread = l.iter().map(|v| (v / 120.0 - 1.0).abs()).sum::<f64>() / l.len() as f64;
    assert!((0.03..0.05).contains(&spread), "mean deviation {spread}");
    assert!(e.iter().all(|v| *v >= 0.0));
}

#[test]
fn a_release_sets_its_cells_level_from_its_deploys_end_and_an_unscraped_one_has_no_samples() {
    let mut timeline = Timeline::starting_at(1, LEVEL);
    let worse = Figures {
        error_rate: 5.0,
        p95: 240.0,
    };
    timeline.push(Run {
        id: 2,
        from: T + 1_830,
        level: worse,
        scraped: true,
        bad: false,
    });
    let latency = |a, b| {
        let s = timeline.samples(KEY, Metric::P95Latency, &window(a, b));
        median(
            s.into_iter()
                .map(|(_, v)| v)
                .filter(|v| v.is_finite())
                .collect(),
        )
    };
    assert!((latency(T, T + 1_830) / 120.0 - 1.0).abs() < 0.05);
    assert!((latency(T + 1_830, T + 3_600) / 240.0 - 1.0).abs() < 0.05);
    assert_eq!(timeline.run_at(T + 1_829).map(|r| r.id), Some(1));
    assert_eq!(timeline.run_at(T + 1_830).map(|r| r.id), Some(2));
    assert_eq!(timeline.level_before(2), Some(LEVEL));
    assert_eq!(timeline.current(), worse);

    timeline.push(Run {
        id: 3,
        from: T + 3_600,
        level: LEVEL,
        scraped: false,
        bad: false,
    });
    let after = timeline.samples(KEY, Metric::ErrorRatio, &window(T + 3_600, T + 7_200));
    assert!(after.is_empty(), "the series vanished: {after:?}");
}

#[test]
fn the_stretches_of_releases_judged_unhealthy_run_until_the_next_release() {
    let mut timeline = Timeline::starting_at(1, LEVEL);
    for (id, from) in [(2, T), (3, T + 600), (4, T + 1_200)] {
        timeline.push(Run {
            id,
            from,
            level: LEVEL,
            scraped: true,
            bad: false,
        });
    }
    assert!(timeline.bad_stretches(T + 2_000).is_empty());
    timeline.mark_bad(2);
    timeline.mark_bad(4);
    let stretch = |a, b| Stretch {
        start: at(a),
        end: at(b),
    };
    assert_eq!(
        timeline.bad_stretches(T + 2_000),
        [stretch(T, T + 600), stretch(T + 1_200, T + 2_000)]
    );
    assert_eq!(
        timeline.bad_stretches(T + 900),
        [stretch(T, T + 600)],
        "none past `until`"
    );

    timeline.forget_before(T + 700);
    assert_eq!(
        timeline.run_at(T + 700).map(|r| r.id),
        Some(3),
        "the one running is kept"
    );
    assert_eq!(
        timeline.bad_stretches(T + 2_000),
        [stretch(T + 1_200, T + 2_000)]
    );
}
