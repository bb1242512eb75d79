//! The demo's monitoring: per service and environment an error ratio (in %) and a p95 latency
//! (in ms), one sample a minute at whole UTC minutes. A sample is a pure function of (seed,
//! service, environment, minute, the level of the release running then): noise around that
//! level, now and then a NaN (a counter reset leaves the ratio 0/0 for a minute), now and then
//! a gap of a few minutes (scrapes missed). So simulating second by second or jumping gives the
//! same samples, and a deploy changes its cell's series from its end on by changing the level.

use chrono::{DateTime, Utc};

use super::locks::at;
use super::rng::{SplitMix64, hash};
use crate::impact::windows::{Stretch, Window};

/// Seconds between two samples of a series.
pub const SAMPLE_EVERY: i64 = 60;
/// Relative noise (one standard deviation) of the error ratio and of the p95 latency.
const ERROR_NOISE: f64 = 0.15;
const LATENCY_NOISE: f64 = 0.05;
/// One minute in this many is NaN: a counter reset.
const RESET_ODDS: u64 = 150;
/// In this many hours out of 100, a gap of 2 to 5 minutes.
const GAP_PERCENT: u64 = 25;
/// Keep the values derived from the seed apart.
const NOISE_SALT: u64 = 0x006E_6F69_7365;
const RESET_SALT: u64 = 0x0072_6573_6574;
const GAP_SALT: u64 = 0x0067_6170;

/// Error ratio (percent) and p95 latency (ms): the level a release runs at.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub error_rate: f64,
    pub p95: f64,
}

impl Figures {
    /// A service's own baseline: error ratios from 0.05 % to 1.2 %, p95 from 40 ms to 600 ms.
    pub fn baseline(rng: &mut SplitMix64) -> Figures {
        Figures {
            error_rate: round(0.05 * 24f64.powf(rng.next_f64()), 3),
            p95: round(40.0 * 15f64.powf(rng.next_f64()), 0),
        }
    }

    /// These figures scaled, with a little noise.
    pub fn scaled(self, rng: &mut SplitMix64, error: (f64, f64), latency: (f64, f64)) -> Figures {
        Figures {
            error_rate: round(self.error_rate * rng.uniform(error.0, error.1), 3).max(0.001),
            p95: round(self.p95 * rng.uniform(latency.0, latency.1), 0).max(1.0),
        }
    }

    /// Whether these figures are well off `baseline`: a fix is then likely.
    pub fn degraded(self, baseline: Figures) -> bool {
        self.error_rate > baseline.error_rate + 1.5 || self.p95 > baseline.p95 * 1.5
    }
}

/// The two metrics of every demo service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    ErrorRatio,
    P95Latency,
}

impl Metric {
    pub const ALL: [Metric; 2] = [Metric::ErrorRatio, Metric::P95Latency];

    /// The metric's name and unit, as the board shows them.
    pub fn name_and_unit(self) -> (&'static str, &'static str) {
        match self {
            Metric::ErrorRatio => ("error ratio", "%"),
            Metric::P95Latency => ("p95 latency", "ms"),
        }
    }
}

/// Which cell a series belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesKey {
    pub seed: u64,
    pub service: usize,
    pub env: usize,
}

/// One release as it ran in a cell: from when (its deploy's end) and at what level; `bad`
/// once it was judged unhealthy; `scraped` false when its metrics were never collected.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u64,
    pub from: i64,
    pub level: Figures,
    pub scraped: bool,
    pub bad: bool,
}

/// A cell's releases, oldest first: the level its series follow at every moment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    runs: Vec<Run>,
}

impl Timeline {
    /// A timeline whose first release runs at `level` from the beginning of time.
    pub fn starting_at(id: u64, level: Figures) -> Timeline {
        Timeline {
            runs: vec![Run {
                id,
                from: i64::MIN,
                level,
                scraped: true,
                bad: false,
            }],
        }
    }

    /// A release that runs from `run.from` on (never before the last one's start).
    pub fn push(&mut self, mut run: Run) {
        if let Some(last) = self.runs.last() {
            run.from = run.from.max(last.from);
        }
        self.runs.push(run);
    }

    /// Marks the release of deployment `id` as judged unhealthy: later baselines leave it out.
    pub fn mark_bad(&mut self, id: u64) {
        for run in self.runs.iter_mut().filter(|r| r.id == id) {
            run.bad = true;
        }
    }

    /// The level of the release running last.
    pub fn current(&self) -> Figures {
        self.runs.last().map(|r| r.level).unwrap_or_default()
    }

    /// The level of the release that ran before deployment `id`'s.
    pub fn level_before(&self, id: u64) -> Option<Figures> {
        let i = self.runs.iter().position(|r| r.id == id)?;
        Some(self.runs.get(i.checked_sub(1)?)?.level)
    }

    /// The release running at `t`.
    pub fn run_at(&self, t: i64) -> Option<&Run> {
        let after = self.runs.partition_point(|r| r.from <= t);
        self.runs.get(after.checked_sub(1)?)
    }

    /// The stretches, before `until`, during which a release judged unhealthy ran.
    pub fn bad_stretches(&self, until: i64) -> Vec<Stretch> {
        let ends = self.runs.iter().skip(1).map(|r| r.from).chain([until]);
        (self.runs.iter().zip(ends))
            .filter(|(run, end)| run.bad && run.from < until && run.from < *end)
            .map(|(run, end)| Stretch {
                start: at(run.from),
                end: at(end.min(until)),
            })
            .collect()
    }

    /// Forgets releases that stopped running before `t`, keeping the one running then.
    pub fn forget_before(&mut self, t: i64) {
        let running = self.runs.partition_point(|r| r.from <= t);
        let drop = running.saturating_sub(1);
        self.runs.drain(..drop);
    }

    /// The samples of `metric` the window keeps, one a minute, at whole UTC minutes: what a
    /// range query at a one-minute step answers (a finer step finds nothing more).
    pub fn samples(
        &self,
        key: SeriesKey,
        metric: Metric,
        window: &Window,
    ) -> Vec<(DateTime<Utc>, f64)> {
        let mut out = Vec::new();
        for stretch in &window.keep {
            let (start, end) = (stretch.start.timestamp(), stretch.end.timestamp());
            let mut minute = start.div_euclid(SAMPLE_EVERY);
            if minute.saturating_mul(SAMPLE_EVERY) < start {
                minute = minute.saturating_add(1);
            }
            while minute.saturating_mul(SAMPLE_EVERY) < end {
                let t = minute.saturating_mul(SAMPLE_EVERY);
                if let Some(run) = self.run_at(t).filter(|r| r.scraped)
                    && let Some(value) = sample(key, metric, minute, run.level)
                {
                    out.push((at(t), value));
                }
                minute = minute.saturating_add(1);
            }
        }
        out
    }
}

/// The sample of `metric` at `minute` (minutes since the epoch) for a release at `level`:
/// `None` in a gap, NaN at a counter reset, else the level with its noise.
pub fn sample(key: SeriesKey, metric: Metric, minute: i64, level: Figures) -> Option<f64> {
    let cell = [key.seed, key.service as u64, key.env as u64];
    if in_gap(cell, minute) {
        return None;
    }
    if hash(&[cell[0], RESET_SALT, cell[1], cell[2], minute as u64]).is_multiple_of(RESET_ODDS) {
        return Some(f64::NAN);
    }
    let which = metric as u64;
    let g = gaussian(hash(&[
        cell[0],
        NOISE_SALT,
        which,
        cell[1],
        cell[2],
        minute as u64,
    ]));
    Some(match metric {
        Metric::ErrorRatio => (level.error_rate * (1.0 + ERROR_NOISE * g)).max(0.0),
        Metric::P95Latency => (level.p95 * (1.0 + LATENCY_NOISE * g)).max(1.0),
    })
}

/// Whether `minute` falls in the gap (if any) of its hour.
fn in_gap(cell: [u64; 3], minute: i64) -> bool {
    let hour = minute.div_euclid(60);
    let h = hash(&[cell[0], GAP_SALT, cell[1], cell[2], hour as u64]);
    if h % 100 >= GAP_PERCENT {
        return false;
    }
    let start = ((h >> 8) % 56) as i64;
    let length = 2 + ((h >> 16) % 4) as i64;
    (start..start + length).contains(&minute.rem_euclid(60))
}

/// A standard normal-ish number from a hash: the sum of four uniforms, centred and scaled
/// (plain arithmetic, so the same on every platform).
fn gaussian(h: u64) -> f64 {
    let mut rng = SplitMix64::new(h);
    let sum: f64 = (0..4).map(|_| rng.next_f64()).sum();
    (sum - 2.0) * 3f64.sqrt()
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

#[cfg(test)]
#[path = "series_tests.rs"]
mod tests;
