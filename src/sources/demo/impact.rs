//! Impact figures: each service's error rate and p95 latency, and what a deploy does to them.

use super::rng::SplitMix64;
use crate::model::{Impact, MetricChange, Verdict};

/// Error rate (percent) and p95 latency (ms) of one service in one environment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub error_rate: f64,
    pub p95: f64,
}

impl Figures {
    /// A service's own baseline: error rates from 0.05 % to 1.2 %, p95 from 40 ms to 600 ms.
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

    /// The figures just before a deploy: what ran last, pulled halfway back to the baseline
    /// (traffic changes between deploys), so a run of verdicts never runs away.
    pub fn before_deploy(self, baseline: Figures, rng: &mut SplitMix64) -> Figures {
        let mid = Figures {
            error_rate: (self.error_rate + baseline.error_rate) / 2.0,
            p95: (self.p95 + baseline.p95) / 2.0,
        };
        mid.scaled(rng, (0.95, 1.05), (0.97, 1.03))
    }
}

/// Verdicts with their odds: healthy 60 %, improved 15 %, ailing 15 %, unhealthy 10 %.
pub fn roll_verdict(rng: &mut SplitMix64) -> Verdict {
    match rng.next_f64() {
        x if x < 0.60 => Verdict::Healthy,
        x if x < 0.75 => Verdict::Improved,
        x if x < 0.90 => Verdict::Ailing,
        _ => Verdict::Unhealthy,
    }
}

/// Figures after a deploy that match `verdict`.
pub fn after(verdict: Verdict, before: Figures, rng: &mut SplitMix64) -> Figures {
    match verdict {
        Verdict::Improved => before.scaled(rng, (0.40, 0.70), (0.70, 0.90)),
        Verdict::Ailing => before.scaled(rng, (1.50, 2.20), (1.15, 1.40)),
        Verdict::Unhealthy => before.scaled(rng, (3.50, 8.00), (1.50, 2.50)),
        Verdict::Healthy | Verdict::Inconclusive | Verdict::Pending | Verdict::NoData => {
            before.scaled(rng, (0.90, 1.15), (0.95, 1.06))
        }
    }
}

/// The verdict the figures call for, on the error rate first: for rollbacks, whose figures
/// are the ones rolled back to.
pub fn classify(before: Figures, after: Figures) -> Verdict {
    let ratio = after.error_rate / before.error_rate.max(0.001);
    match ratio {
        r if r < 0.8 => Verdict::Improved,
        r if r <= 1.3 => Verdict::Healthy,
        r if r <= 3.0 => Verdict::Ailing,
        _ => Verdict::Unhealthy,
    }
}

/// The impact as the board shows it.
pub fn impact(verdict: Verdict, before: Figures, after: Figures) -> Impact {
    let metric = |name: &str, unit: &str, before: f64, after: f64| MetricChange {
        name: name.to_string(),
        unit: unit.to_string(),
        before,
        after,
        evidence: None,
    };
    Impact {
        verdict,
        metrics: vec![
            metric("error rate", "%", before.error_rate, after.error_rate),
            metric("p95 latency", "ms", before.p95, after.p95),
        ],
    }
}

/// An impact with no figures: pending, or no data.
pub fn without_figures(verdict: Verdict) -> Impact {
    Impact {
        verdict,
        metrics: Vec::new(),
    }
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_after_a_deploy_match_their_verdict() {
        let mut rng = SplitMix64::new(3);
        for _ in 0..500 {
            let before = Figures::baseline(&mut rng);
            for verdict in [
                Verdict::Improved,
                Verdict::Healthy,
                Verdict::Ailing,
                Verdict::Unhealthy,
            ] {
                let after = after(verdict, before, &mut rng);
                assert_eq!(classify(before, after), verdict, "{before:?} {after:?}");
            }
            let worse = after(Verdict::Unhealthy, before, &mut rng);
            assert!(worse.error_rate >= 3.0 * before.error_rate);
            assert!(worse.p95 > before.p95);
        }
    }
}
