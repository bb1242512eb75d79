//! Impact: what a deployment did to a service's error rate and latency.

use serde::{Deserialize, Serialize};

/// The verdict on one deployment's impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improved,
    Healthy,
    Ailing,
    Unhealthy,
    /// The analysis cannot tell: an interval straddles a band's edge, a window has too few
    /// points, or a metric has no data while the others pass. Never shown as healthy.
    Inconclusive,
    /// The after window has not closed yet.
    Pending,
    /// Not enough data to say.
    NoData,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Healthy => "healthy",
            Verdict::Ailing => "ailing",
            Verdict::Unhealthy => "unhealthy",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Pending => "pending",
            Verdict::NoData => "no data",
        }
    }
}

/// One metric before and after a deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricChange {
    /// "error rate" or "p95 latency".
    pub name: String,
    /// Unit for display: "%", "ms".
    pub unit: String,
    /// The medians before and after (in `unit`); NaN for a window without data, written as
    /// `null` and read back as NaN.
    #[serde(with = "nan_as_null")]
    pub before: f64,
    #[serde(with = "nan_as_null")]
    pub after: f64,
    /// The statistics behind the change, when an analysis judged it (absent for figures a
    /// source only reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// What one metric's judgement rests on: the shift with its interval, the test's p-value, the
/// sample sizes, the judgement, and the samples themselves (for the chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The Hodges–Lehmann shift after − before, and its confidence interval (in `unit`).
    pub change: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The confidence of the interval, e.g. 0.95.
    pub confidence: f64,
    /// Mann–Whitney's two-sided p-value.
    pub p_value: f64,
    pub n_before: usize,
    pub n_after: usize,
    pub verdict: MetricVerdict,
    /// A critical metric worse beyond its unhealthy band makes the deploy unhealthy.
    pub critical: bool,
    /// The samples (time, value in `unit`) of the two windows, for the chart.
    #[serde(default)]
    pub before_samples: Vec<(chrono::DateTime<chrono::Utc>, f64)>,
    #[serde(default)]
    pub after_samples: Vec<(chrono::DateTime<chrono::Utc>, f64)>,
}

/// The judgement of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricVerdict {
    /// Worse beyond the unhealthy band.
    Unhealthy,
    /// Worse beyond the allowed band.
    Worse,
    /// Better beyond the allowed band.
    Better,
    /// Within the band.
    Pass,
    /// The interval straddles the band's edge, or a window has too few points.
    Inconclusive,
    /// A window has no data.
    NoData,
}

impl MetricVerdict {
    pub fn label(self) -> &'static str {
        match self {
            MetricVerdict::Unhealthy => "unhealthy",
            MetricVerdict::Worse => "worse",
            MetricVerdict::Better => "better",
            MetricVerdict::Pass => "pass",
            MetricVerdict::Inconclusive => "inconclusive",
            MetricVerdict::NoData => "no data",
        }
    }
}

impl MetricChange {
    /// Relative change, after against before, in percent; `None` when before is zero.
    pub fn change_percent(&self) -> Option<f64> {
        (self.before.abs() > f64::EPSILON).then(|| (self.after - self.before) / self.before * 100.0)
    }
}

/// Which deployment an analysis is about, as the source that made it knows it: by the id its
/// own source gave it, or by the commit it shipped (a monitoring source knows no deploy ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeploymentRef {
    Id { source: String, id: String },
    Commit(String),
}

/// An impact analysis and the deployment it belongs to, from whichever source made it: the
/// board joins it to the deployment by (service, environment, id or commit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactReport {
    pub service: String,
    pub environment: String,
    pub deployment: DeploymentRef,
    pub impact: Impact,
}

/// A deploy to analyse, as update asks a source that judges impact once the deploy finished:
/// its verdicts come back, refined as the after window grows, in that source's snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisRequest {
    pub service: String,
    pub environment: String,
    pub deployment: DeploymentRef,
    pub commit: String,
    /// How the deploy ended: a rolled-back or failed one is cut out of later baselines.
    pub status: super::DeployStatus,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: chrono::DateTime<chrono::Utc>,
}

/// The impact of one deployment: a verdict and the figures behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    pub verdict: Verdict,
    pub metrics: Vec<MetricChange>,
}

/// A number that may be NaN, through formats that have none (JSON): NaN as `null`.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_nan() {
            serializer.serialize_none()
        } else {
            serializer.serialize_some(value)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_median_of_no_data_goes_through_json_as_null_and_comes_back_nan() {
        let m = MetricChange {
            name: "error rate".into(),
            unit: "%".into(),
            before: f64::NAN,
            after: 0.5,
            evidence: None,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains(r#""before":null"#), "{json}");
        let back: MetricChange = serde_json::from_str(&json).unwrap();
        assert!(back.before.is_nan());
        assert_eq!(back.after, 0.5);
    }

    #[test]
    fn change_percent_is_relative_to_before_and_absent_from_zero() {
        let m = MetricChange {
            name: "error rate".into(),
            unit: "%".into(),
            before: 0.5,
            after: 0.75,
            evidence: None,
        };
        assert_eq!(m.change_percent(), Some(50.0));
        let zero = MetricChange { before: 0.0, ..m };
        assert_eq!(zero.change_percent(), None);
    }
}
