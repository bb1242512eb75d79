//! What a deploy does to its service's error ratio and p95 latency (an effect the simulation
//! rolls, seeded), and how the real impact module judges it from the demo's series: the same
//! windows, statistics and verdicts as every source that judges impact.

use chrono::Duration;

use super::locks::at;
use super::rng::{SplitMix64, hash};
use super::series::{Figures, Metric, SeriesKey, Timeline};
use crate::impact::analysis::{self, MetricSamples};
use crate::impact::judge::{Band, Direction, Rules};
use crate::impact::windows::{Plan, WindowRules, plan};
use crate::model::{Impact, Verdict};

/// The confidence of every interval.
pub const CONFIDENCE: f64 = 0.95;
/// Fewer samples than this in a window (one a minute) cannot be judged: a ten-minute after
/// window may miss two (a counter reset, a short gap) and still be judged.
const MIN_POINTS: usize = 8;
/// Keeps effect rolls apart from the other values derived from the seed.
const EFFECT_SALT: u64 = 0x6566_6665_6374;

/// The demo's windows: a baseline of the 30 minutes before a deploy (30 samples), an after
/// window judged first once 10 minutes long and refined until 60.
pub fn window_rules() -> WindowRules {
    WindowRules {
        before: Duration::minutes(30),
        ..WindowRules::default()
    }
}

/// How long after its end a deploy is first judged, in seconds.
pub fn first_verdict_after() -> i64 {
    window_rules().after_first.num_seconds()
}

/// How long after its end a deploy's judgement is final, in seconds.
pub fn final_verdict_after() -> i64 {
    window_rules().after_full.num_seconds()
}

/// The rules each metric is judged by: the error ratio may rise by one percentage point, the
/// latency by 20 %; twice that is unhealthy; both are critical.
fn rules(metric: Metric) -> Rules {
    Rules {
        direction: Direction::HigherIsWorse,
        allowed: match metric {
            Metric::ErrorRatio => Band::Absolute(1.0),
            Metric::P95Latency => Band::Relative(0.20),
        },
        unhealthy_factor: 2.0,
        critical: true,
        min_points: MIN_POINTS,
    }
}

/// What a deploy does to its cell's figures from its end on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// Latency 28–38 % lower: judged improved.
    Improvement,
    /// Nothing: judged healthy.
    Unchanged,
    /// Latency about 20 % higher, right on the band's edge: the interval straddles it, so the
    /// engine cannot tell (inconclusive).
    WithinNoise,
    /// The error ratio 1.4–1.6 points higher, or the latency 27–33 % higher: judged ailing.
    SmallDegradation,
    /// The error ratio 3.5–8 points higher and the latency 50–100 % higher: judged unhealthy.
    LargeDegradation,
    /// Back to the service's baseline, after a degradation.
    Fix,
    /// Its metrics are never scraped (an ephemeral environment): no data.
    Unscraped,
    /// A rollback: the figures of the release it brings back.
    Restore(Figures),
}

/// The effect of deployment `id` (not a rollback), seeded. `current` is the figures of what
/// runs before it, `baseline` the service's own.
pub fn roll_effect(
    seed: u64,
    id: u64,
    ephemeral: bool,
    current: Figures,
    baseline: Figures,
) -> Effect {
    let mut rng = SplitMix64::new(hash(&[seed, EFFECT_SALT, id]));
    if ephemeral && rng.chance(0.15) {
        return Effect::Unscraped;
    }
    if current.degraded(baseline) && rng.chance(0.7) {
        return Effect::Fix;
    }
    match rng.next_f64() {
        // A release already 40 % faster than its service's baseline gets no faster.
        x if x < 0.15 && current.p95 > 0.6 * baseline.p95 => Effect::Improvement,
        x if x < 0.60 => Effect::Unchanged,
        x if x < 0.72 => Effect::WithinNoise,
        x if x < 0.89 => Effect::SmallDegradation,
        _ => Effect::LargeDegradation,
    }
}

/// The figures after a deploy of `effect` onto `current`, seeded by its id.
pub fn apply(effect: Effect, seed: u64, id: u64, current: Figures, baseline: Figures) -> Figures {
    let mut rng = SplitMix64::new(hash(&[seed, EFFECT_SALT, id, 1]));
    let (e, p) = (current.error_rate, current.p95);
    let (error_rate, p95) = match effect {
        Effect::Improvement => (e * rng.uniform(0.8, 1.0), p * rng.uniform(0.62, 0.72)),
        Effect::Unchanged | Effect::Unscraped => (e, p),
        Effect::WithinNoise => (e, p * rng.uniform(1.19, 1.21)),
        Effect::SmallDegradation if rng.chance(0.5) => (e + rng.uniform(1.4, 1.6), p),
        Effect::SmallDegradation => (e, p * rng.uniform(1.27, 1.33)),
        Effect::LargeDegradation => (e + rng.uniform(3.5, 8.0), p * rng.uniform(1.5, 2.0)),
        Effect::Fix => (baseline.error_rate, baseline.p95),
        Effect::Restore(figures) => (figures.error_rate, figures.p95),
    };
    Figures { error_rate, p95 }
}

/// One deploy to judge: it ran from `started` to `finished` in the cell whose series are
/// `key`; `end` is the end of its after window (now, or when the next deploy in the cell
/// started: `cut`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Subject {
    pub key: SeriesKey,
    pub started: i64,
    pub finished: i64,
    pub end: i64,
    pub cut: bool,
}

/// What the engine said of a deploy.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub impact: Impact,
    /// The after window is complete (an hour long, or cut by the next deploy): no refining.
    pub last: bool,
}

/// Judges `subject` from its cell's series with the real impact module: the windows (earlier
/// releases judged unhealthy cut out of the baseline), the statistics, the verdict. Pending
/// while the after window is under ten minutes, unless the next deploy cut it shorter: then
/// it is judged on what it has (too few samples: inconclusive).
pub fn judge(timeline: &Timeline, subject: Subject) -> Judged {
    let windows = match subject.cut {
        true => WindowRules {
            after_first: Duration::zero(),
            ..window_rules()
        },
        false => window_rules(),
    };
    let bad = timeline.bad_stretches(subject.started);
    let (started, finished) = (at(subject.started), at(subject.finished));
    let Plan::Ready {
        before,
        after,
        full,
    } = plan(started, finished, &bad, &windows, at(subject.end))
    else {
        return Judged {
            impact: without_figures(Verdict::Pending),
            last: false,
        };
    };
    let metrics: Vec<MetricSamples> = Metric::ALL
        .iter()
        .map(|&metric| {
            let (name, unit) = metric.name_and_unit();
            MetricSamples {
                name: name.to_string(),
                unit: unit.to_string(),
                rules: rules(metric),
                before: timeline.samples(subject.key, metric, &before),
                after: timeline.samples(subject.key, metric, &after),
            }
        })
        .collect();
    let mut impact = analysis::analyse(&metrics, &before, &after, CONFIDENCE).to_impact(false);
    // A metric with an empty window has no median: leave it out rather than report NaN,
    // which a snapshot written to a file or `status --json` cannot carry.
    impact
        .metrics
        .retain(|m| m.before.is_finite() && m.after.is_finite());
    Judged {
        impact,
        last: full || subject.cut,
    }
}

/// An impact with no figures: pending.
pub fn without_figures(verdict: Verdict) -> Impact {
    Impact {
        verdict,
        metrics: Vec::new(),
    }
}

#[cfg(test)]
#[path = "impact_tests.rs"]
mod tests;
