//! One deploy's analysis from its metrics' samples: per metric, the medians, the comparison
//! and the judgement; for the deploy, the verdict. Pure: the samples come from a source.

use chrono::{DateTime, Utc};

use super::judge::{self, Judgement, Rules};
use super::stats::{self, Comparison};
use super::windows::Window;
use crate::model::{Evidence, Impact, MetricChange, MetricVerdict, Verdict};

/// One metric's samples over the two windows, as a source fetched them, in the unit shown
/// (a ratio as "%", seconds as "ms": the source scales them, and the band with them).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSamples {
    /// "error ratio", "p95 latency".
    pub name: String,
    pub unit: String,
    pub rules: Rules,
    /// (time, value) from one range query per window; NaN and infinities are left out, and
    /// so is every sample outside its window's kept stretches.
    pub before: Vec<(DateTime<Utc>, f64)>,
    pub after: Vec<(DateTime<Utc>, f64)>,
}

/// What the analysis says of one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricAnalysis {
    pub name: String,
    pub unit: String,
    pub critical: bool,
    /// Medians of the kept finite samples; `None` for an empty window.
    pub before_median: Option<f64>,
    pub after_median: Option<f64>,
    pub comparison: Option<Comparison>,
    pub judgement: Judgement,
    /// The samples each window kept (finite, inside its stretches), for the chart.
    pub before_samples: Vec<(DateTime<Utc>, f64)>,
    pub after_samples: Vec<(DateTime<Utc>, f64)>,
}

/// The analysis of one deploy.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub verdict: Verdict,
    pub metrics: Vec<MetricAnalysis>,
    /// The confidence the intervals were computed at.
    pub confidence: f64,
}

impl Analysis {
    /// The analysis as the board shows it: the verdict, and per metric the medians with the
    /// evidence behind its judgement. `pending`: the after window is still growing, so the
    /// verdict shown is pending while the figures so far are kept.
    pub fn to_impact(&self, pending: bool) -> Impact {
        Impact {
            verdict: if pending {
                Verdict::Pending
            } else {
                self.verdict
            },
            metrics: self
                .metrics
                .iter()
                .map(|m| MetricChange {
                    name: m.name.clone(),
                    unit: m.unit.clone(),
                    before: m.before_median.unwrap_or(f64::NAN),
                    after: m.after_median.unwrap_or(f64::NAN),
                    evidence: m.comparison.map(|c| Evidence {
                        change: c.shift,
                        ci_low: c.low,
                        ci_high: c.high,
                        confidence: self.confidence,
                        p_value: c.p_value,
                        n_before: c.n_before,
                        n_after: c.n_after,
                        verdict: metric_verdict(m.judgement),
                        critical: m.critical,
                        before_samples: m.before_samples.clone(),
                        after_samples: m.after_samples.clone(),
                    }),
                })
                .collect(),
        }
    }
}

/// The domain's name for a judgement.
pub fn metric_verdict(judgement: Judgement) -> MetricVerdict {
    match judgement {
        Judgement::Worse { badly: true } => MetricVerdict::Unhealthy,
        Judgement::Worse { badly: false } => MetricVerdict::Worse,
        Judgement::Better => MetricVerdict::Better,
        Judgement::Pass => MetricVerdict::Pass,
        Judgement::Inconclusive => MetricVerdict::Inconclusive,
        Judgement::NoData => MetricVerdict::NoData,
    }
}

/// Judges every metric over `before` and `after` at `confidence` (e.g. 0.95). While the after
/// window is still growing the verdict may change; the caller decides when it is final.
pub fn analyse(
    metrics: &[MetricSamples],
    before: &Window,
    after: &Window,
    confidence: f64,
) -> Analysis {
    let analysed: Vec<MetricAnalysis> = metrics
        .iter()
        .map(|m| {
            let kept = |samples: &[(DateTime<Utc>, f64)], window: &Window| {
                samples
                    .iter()
                    .filter(|(t, v)| v.is_finite() && window.keeps(*t))
                    .copied()
                    .collect::<Vec<_>>()
            };
            let (before_samples, after_samples) = (kept(&m.before, before), kept(&m.after, after));
            let values = |s: &[(DateTime<Utc>, f64)]| s.iter().map(|(_, v)| *v).collect::<Vec<_>>();
            let (b, a) = (values(&before_samples), values(&after_samples));
            let before_median = median(&b);
            let comparison = stats::compare(&b, &a, confidence);
            // A window with values that are all the same still says something: no change.
            let comparison = comparison.or_else(|| constant(&b, &a));
            let judgement = match (before_median, &comparison) {
                (Some(bm), Some(c)) => judge::judge(Some(c), bm, &m.rules),
                _ => Judgement::NoData,
            };
            MetricAnalysis {
                name: m.name.clone(),
                unit: m.unit.clone(),
                critical: m.rules.critical,
                before_median,
                after_median: median(&a),
                comparison,
                judgement,
                before_samples,
                after_samples,
            }
        })
        .collect();
    let judgements: Vec<(Judgement, bool)> =
        analysed.iter().map(|m| (m.judgement, m.critical)).collect();
    Analysis {
        verdict: judge::verdict(&judgements, false),
        metrics: analysed,
        confidence,
    }
}

/// Two windows whose every value is one and the same number: a shift of exactly zero (or of
/// the difference between the two numbers), known without doubt.
fn constant(before: &[f64], after: &[f64]) -> Option<Comparison> {
    let same = |v: &[f64]| v.first().filter(|f| v.iter().all(|x| x == *f)).copied();
    let (b, a) = (same(before)?, same(after)?);
    let shift = a - b;
    Some(Comparison {
        w: if shift > 0.0 {
            (before.len() * after.len()) as f64
        } else if shift < 0.0 {
            0.0
        } else {
            (before.len() * after.len()) as f64 / 2.0
        },
        p_value: if shift == 0.0 { 1.0 } else { 0.0 },
        shift,
        low: shift,
        high: shift,
        n_before: before.len(),
        n_after: after.len(),
        exact: true,
    })
}

fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut sorted = v.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impact::judge::{Band, Direction};
    use crate::impact::windows::Stretch;
    use chrono::{Duration, TimeZone};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap() + Duration::seconds(s)
    }

    fn window(a: i64, b: i64) -> Window {
        let span = Stretch {
            start: t(a),
            end: t(b),
        };
        Window {
            span,
            keep: vec![span],
            step: Duration::seconds(60),
        }
    }

    fn series(from: i64, n: i64, value: impl Fn(i64) -> f64) -> Vec<(DateTime<Utc>, f64)> {
        (0..n).map(|i| (t(from + i * 60), value(i))).collect()
    }

    fn errors(
        before: Vec<(DateTime<Utc>, f64)>,
        after: Vec<(DateTime<Utc>, f64)>,
    ) -> MetricSamples {
        MetricSamples {
            name: "error ratio".into(),
            unit: "ratio".into(),
            rules: Rules {
                direction: Direction::HigherIsWorse,
                allowed: Band::Absolute(0.01),
                unhealthy_factor: 2.0,
                critical: true,
                min_points: 10,
            },
            before,
            after,
        }
    }

    /// A little deterministic noise, ±0.001.
    fn noise(i: i64) -> f64 {
        ((i * 7919) % 21 - 10) as f64 / 10_000.0
    }

    #[test]
    fn an_error_ratio_jump_is_unhealthy_and_noise_is_healthy() {
        let (before, after) = (window(-3_600, 0), window(300, 2_700));
        let jump = errors(
            series(-3_600, 60, |i| 0.005 + noise(i)),
            series(300, 40, |i| 0.058 + noise(i)),
        );
        let a = analyse(&[jump], &before, &after, 0.95);
        assert_eq!(a.verdict, Verdict::Unhealthy);
        let c = a.metrics[0].comparison.unwrap();
        assert!(c.low > 0.04 && c.high < 0.06, "{c:?}");
        assert!(c.p_value < 0.001);

        let calm = errors(
            series(-3_600, 60, |i| 0.005 + noise(i)),
            series(300, 40, |i| 0.005 + noise(i + 3)),
        );
        assert_eq!(
            analyse(&[calm], &before, &after, 0.95).verdict,
            Verdict::Healthy
        );
    }

    #[test]
    fn samples_outside_the_kept_stretches_nan_and_a_vanished_series_are_handled() {
        let mut before = window(-3_600, 0);
        before.keep = vec![Stretch {
            start: t(-3_600),
            end: t(-1_800),
        }];
        let after = window(300, 2_700);
        // The cut-out half of the baseline was terrible; it must not count.
        let m = errors(
            series(-3_600, 60, |i| if i < 30 { 0.005 + noise(i) } else { 0.5 }),
            series(300, 40, |i| {
                if i % 7 == 0 {
                    f64::NAN
                } else {
                    0.005 + noise(i)
                }
            }),
        );
        let a = analyse(&[m], &before, &after, 0.95);
        assert_eq!(a.verdict, Verdict::Healthy, "{a:?}");
        let c = a.metrics[0].comparison.unwrap();
        assert_eq!(c.n_before, 30);
        assert!(c.n_after < 40, "NaN left out");

        let gone = errors(series(-3_600, 60, |i| 0.005 + noise(i)), vec![]);
        let a = analyse(&[gone], &before, &after, 0.95);
        assert_eq!(a.verdict, Verdict::NoData);
    }

    #[test]
    fn the_analysis_becomes_the_boards_impact_with_its_evidence() {
        let (before, after) = (window(-3_600, 0), window(300, 2_700));
        let jump = errors(
            series(-3_600, 60, |i| 0.005 + noise(i)),
            series(300, 40, |i| 0.058 + noise(i)),
        );
        let analysis = analyse(&[jump], &before, &after, 0.95);
        let impact = analysis.to_impact(false);
        assert_eq!(impact.verdict, Verdict::Unhealthy);
        let m = &impact.metrics[0];
        let e = m.evidence.as_ref().unwrap();
        assert_eq!(e.verdict, MetricVerdict::Unhealthy);
        assert_eq!((e.n_before, e.n_after), (60, 40));
        assert_eq!(e.before_samples.len(), 60, "the chart gets the samples");
        assert!(e.ci_low <= e.change && e.change <= e.ci_high);
        assert!((m.before - 0.005).abs() < 0.001 && (m.after - 0.058).abs() < 0.001);
        assert_eq!(analysis.to_impact(true).verdict, Verdict::Pending);
    }

    #[test]
    fn flat_windows_say_no_change_for_sure_rather_than_nothing() {
        let m = errors(series(-3_600, 60, |_| 0.0), series(300, 40, |_| 0.0));
        let a = analyse(&[m], &window(-3_600, 0), &window(300, 2_700), 0.95);
        assert_eq!(a.verdict, Verdict::Healthy);
    }
}
