//! Judging one metric from its comparison, and one deploy from its metrics: worse, better,
//! pass, inconclusive or no data per metric; unhealthy, ailing, improved, healthy,
//! inconclusive, pending or no data per deploy. Never silently healthy: what cannot be told
//! is inconclusive, and no data is never healthy.

use super::stats::Comparison;
use crate::model::Verdict;

/// Which way a metric gets worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    HigherIsWorse,
    LowerIsWorse,
}

/// How much change a metric may show before it counts: a band around no change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    /// In the metric's own unit: an error ratio may rise by 0.01 (one percentage point).
    Absolute(f64),
    /// A share of the value before: latency may rise by 0.20 (20 %).
    Relative(f64),
}

impl Band {
    /// The band's width for a metric whose median before the deploy was `before`.
    fn width(self, before: f64) -> f64 {
        match self {
            Band::Absolute(w) => w.abs(),
            Band::Relative(share) => (share * before).abs(),
        }
    }
}

/// The rules one metric is judged by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    pub direction: Direction,
    /// The allowed change; twice it (by default) is the unhealthy one.
    pub allowed: Band,
    pub unhealthy_factor: f64,
    /// A critical metric that is worse beyond the unhealthy band makes the deploy unhealthy.
    pub critical: bool,
    /// Fewer points than this in a window cannot be judged.
    pub min_points: usize,
}

/// What one metric says about a deploy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Judgement {
    /// The whole interval lies beyond the allowed band on the bad side; `badly`: beyond the
    /// unhealthy band too.
    Worse { badly: bool },
    /// The whole interval lies beyond the allowed band on the good side.
    Better,
    /// The whole interval lies inside the band's bad edge, and not wholly beyond its good one.
    Pass,
    /// The interval straddles the band's bad edge, or a window has too few points.
    Inconclusive,
    /// A window has no data at all.
    NoData,
}

/// Judges one metric: `comparison` of after against before (`None`: a window has no finite
/// value), `before_median` for a relative band.
pub fn judge(comparison: Option<&Comparison>, before_median: f64, rules: &Rules) -> Judgement {
    let Some(c) = comparison else {
        return Judgement::NoData;
    };
    if c.n_before < rules.min_points || c.n_after < rules.min_points {
        return Judgement::Inconclusive;
    }
    // Turn the interval so that larger is always worse.
    let (low, high) = match rules.direction {
        Direction::HigherIsWorse => (c.low, c.high),
        Direction::LowerIsWorse => (-c.high, -c.low),
    };
    let band = rules.allowed.width(before_median);
    let unhealthy = band * rules.unhealthy_factor.max(1.0);
    if low > band {
        Judgement::Worse {
            badly: low > unhealthy,
        }
    } else if high < -band {
        Judgement::Better
    } else if high > band {
        Judgement::Inconclusive
    } else {
        Judgement::Pass
    }
}

/// The verdict on a deploy from its metrics' judgements (each with whether it is critical):
/// `pending` while the after window is still too short to judge.
pub fn verdict(judgements: &[(Judgement, bool)], after_window_open: bool) -> Verdict {
    if after_window_open {
        return Verdict::Pending;
    }
    if judgements.is_empty() || judgements.iter().all(|(j, _)| *j == Judgement::NoData) {
        return Verdict::NoData;
    }
    let any = |f: &dyn Fn(&Judgement, bool) -> bool| judgements.iter().any(|(j, c)| f(j, *c));
    if any(&|j, critical| critical && *j == Judgement::Worse { badly: true }) {
        return Verdict::Unhealthy;
    }
    if any(&|j, _| matches!(j, Judgement::Worse { .. })) {
        return Verdict::Ailing;
    }
    if any(&|j, _| matches!(j, Judgement::Inconclusive | Judgement::NoData)) {
        return Verdict::Inconclusive;
    }
    if any(&|j, _| *j == Judgement::Better) {
        return Verdict::Improved;
    }
    Verdict::Healthy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(low: f64, high: f64) -> Comparison {
        Comparison {
            w: 0.0,
            p_value: 0.01,
            shift: (low + high) / 2.0,
            low,
            high,
            n_before: 60,
            n_after: 40,
            exact: false,
        }
    }

    const ERRORS: Rules = Rules {
        direction: Direction::HigherIsWorse,
        allowed: Band::Absolute(0.01),
        unhealthy_factor: 2.0,
        critical: true,
        min_points: 10,
    };

    #[test]
    fn an_error_ratio_is_judged_against_one_percentage_point_and_two_for_unhealthy() {
        let j = |low, high| judge(Some(&interval(low, high)), 0.005, &ERRORS);
        assert_eq!(j(0.049, 0.057), Judgement::Worse { badly: true });
        assert_eq!(j(0.012, 0.018), Judgement::Worse { badly: false });
        assert_eq!(j(-0.001, 0.004), Judgement::Pass);
        assert_eq!(
            j(0.004, 0.014),
            Judgement::Inconclusive,
            "straddles the edge"
        );
        assert_eq!(j(-0.03, -0.012), Judgement::Better);
        assert_eq!(judge(None, 0.005, &ERRORS), Judgement::NoData);
    }

    #[test]
    fn latency_is_judged_relative_to_its_value_before_and_lower_is_worse_turns_it_round() {
        let latency = Rules {
            allowed: Band::Relative(0.20),
            ..ERRORS
        };
        // Before 100 ms: the band is 20 ms.
        let j = |low, high, rules: &Rules| judge(Some(&interval(low, high)), 100.0, rules);
        assert_eq!(j(25.0, 35.0, &latency), Judgement::Worse { badly: false });
        assert_eq!(j(-35.0, -25.0, &latency), Judgement::Better);
        let throughput = Rules {
            direction: Direction::LowerIsWorse,
            ..latency
        };
        assert_eq!(
            j(-35.0, -25.0, &throughput),
            Judgement::Worse { badly: false }
        );
        assert_eq!(
            j(-45.0, -41.0, &throughput),
            Judgement::Worse { badly: true }
        );
    }

    #[test]
    fn too_few_points_are_inconclusive_never_healthy() {
        let mut c = interval(-0.001, 0.001);
        c.n_after = 5;
        assert_eq!(judge(Some(&c), 0.005, &ERRORS), Judgement::Inconclusive);
    }

    #[test]
    fn the_deploys_verdict_follows_its_worst_metric_and_no_data_is_never_healthy() {
        use Judgement::*;
        assert_eq!(verdict(&[(Pass, true)], true), Verdict::Pending);
        assert_eq!(verdict(&[], false), Verdict::NoData);
        assert_eq!(
            verdict(&[(NoData, true), (NoData, false)], false),
            Verdict::NoData
        );
        assert_eq!(
            verdict(&[(Worse { badly: true }, true), (Pass, true)], false),
            Verdict::Unhealthy
        );
        assert_eq!(
            verdict(&[(Worse { badly: true }, false), (Pass, true)], false),
            Verdict::Ailing,
            "a metric that is not critical makes a deploy ailing at worst"
        );
        assert_eq!(
            verdict(&[(Better, true), (Inconclusive, false)], false),
            Verdict::Inconclusive
        );
        assert_eq!(
            verdict(&[(Pass, true), (NoData, false)], false),
            Verdict::Inconclusive
        );
        assert_eq!(
            verdict(&[(Better, true), (Pass, true)], false),
            Verdict::Improved
        );
        assert_eq!(
            verdict(&[(Pass, true), (Pass, false)], false),
            Verdict::Healthy
        );
    }
}
