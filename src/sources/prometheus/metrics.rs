//! How a Prometheus source judges: its confidence, windows and query bound, and per service
//! the metrics, each resolved from its settings into the template, the unit shown and the
//! scale to it (a ratio shown as %, seconds as ms, the band with them) and the rules.

use std::collections::BTreeMap;

use super::promql::{DEFAULT_ERROR_RATIO, DEFAULT_P95_LATENCY};
use super::settings::{DirectionName, MetricKind, MetricSettings, PrometheusSettings, Template};
use crate::impact::judge::{Band, Direction, Rules};
use crate::impact::windows::WindowRules;

/// A window with fewer kept points than this cannot be judged (inconclusive): two thirds of
/// the 30 a window is queried for at least.
pub const MIN_POINTS: usize = 20;
/// The confidence of the intervals unless configured.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;
/// Queries in flight at once unless configured.
pub const DEFAULT_CONCURRENCY: usize = 2;

/// One metric as judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: String,
    /// The PromQL template, placeholders unfilled.
    pub template: String,
    /// The unit shown: "%", "ms", or the metric's own.
    pub unit: String,
    /// What a value of the query is multiplied by to be in `unit`.
    pub scale: f64,
    /// The rules, their band in `unit`.
    pub rules: Rules,
}

/// Everything a source judges by.
#[derive(Debug, Clone, PartialEq)]
pub struct Judging {
    pub confidence: f64,
    pub windows: WindowRules,
    /// Queries in flight at once.
    pub concurrency: usize,
    every: Vec<Metric>,
    own: BTreeMap<String, Vec<Metric>>,
}

impl Judging {
    /// From a source's settings (checked: every value in range), defaults filled in.
    pub fn of(settings: &PrometheusSettings) -> Judging {
        let defaults = WindowRules::default();
        let w = &settings.windows;
        let span = |s: Option<crate::span::Span>, default| s.map_or(default, |s| s.as_chrono());
        let before = span(w.before, defaults.before);
        let windows = WindowRules {
            before,
            after_first: span(w.after_first, defaults.after_first),
            after_full: span(w.after_full, defaults.after_full),
            reach: before * 3,
            ..defaults
        };
        let resolve = |list: &[MetricSettings]| {
            (list.iter())
                .map(|m| metric(m, settings))
                .collect::<Vec<_>>()
        };
        Judging {
            confidence: settings.confidence.unwrap_or(DEFAULT_CONFIDENCE),
            windows,
            concurrency: settings.concurrency.unwrap_or(DEFAULT_CONCURRENCY).max(1),
            every: resolve(settings.metrics.as_deref().unwrap_or(&default_metrics())),
            own: (settings.services.iter())
                .map(|(service, list)| (service.clone(), resolve(list)))
                .collect(),
        }
    }

    /// The metrics `service` is judged by: its own, else every service's.
    pub fn metrics_of(&self, service: &str) -> &[Metric] {
        self.own.get(service).map_or(&self.every, Vec::as_slice)
    }

    /// Whether `service` has metrics of its own.
    pub fn has_own(&self, service: &str) -> bool {
        self.own.contains_key(service)
    }

    /// Every distinct template with a service it is used for (`None`: every service's, used by
    /// the services without their own), for `check`.
    pub fn templates(&self) -> Vec<(&Metric, Option<&str>)> {
        let mut out: Vec<(&Metric, Option<&str>)> = self.every.iter().map(|m| (m, None)).collect();
        for (service, metrics) in &self.own {
            for m in metrics {
                if !out.iter().any(|(o, _)| o.template == m.template) {
                    out.push((m, Some(service.as_str())));
                }
            }
        }
        out
    }
}

/// The 5xx ratio and the p95 latency, both critical.
pub fn default_metrics() -> Vec<MetricSettings> {
    vec![
        MetricSettings {
            name: "error ratio".into(),
            query: Template(DEFAULT_ERROR_RATIO.into()),
            kind: MetricKind::ErrorRatio,
            direction: None,
            unit: None,
            critical: true,
        },
        MetricSettings {
            name: "p95 latency".into(),
            query: Template(DEFAULT_P95_LATENCY.into()),
            kind: MetricKind::Latency,
            direction: None,
            unit: None,
            critical: true,
        },
    ]
}

/// One metric resolved: its display unit and scale, its band in that unit.
fn metric(m: &MetricSettings, settings: &PrometheusSettings) -> Metric {
    let b = &settings.bands;
    let unit = m.unit.as_deref();
    let (shown, scale, allowed) = match m.kind {
        MetricKind::ErrorRatio => (
            "%".to_string(),
            if unit == Some("%") { 1.0 } else { 100.0 },
            Band::Absolute(b.error_ratio_points.unwrap_or(1.0)),
        ),
        MetricKind::Latency => (
            "ms".to_string(),
            if unit == Some("ms") { 1.0 } else { 1_000.0 },
            Band::Relative(b.latency_percent.unwrap_or(20.0) / 100.0),
        ),
        MetricKind::Other => (
            unit.unwrap_or_default().to_string(),
            1.0,
            Band::Relative(b.other_percent.unwrap_or(20.0) / 100.0),
        ),
    };
    Metric {
        name: m.name.clone(),
        template: m.query.0.clone(),
        unit: shown,
        scale,
        rules: Rules {
            direction: match m.direction {
                Some(DirectionName::LowerIsWorse) => Direction::LowerIsWorse,
                Some(DirectionName::HigherIsWorse) | None => Direction::HigherIsWorse,
            },
            allowed,
            unhealthy_factor: b.unhealthy_factor.unwrap_or(2.0),
            critical: m.critical,
            min_points: MIN_POINTS,
        },
    }
}
