//! A Prometheus source as shiproom builds it: from a configuration, through the registry,
//! asked about deploys and polled at a chosen moment, as its actor would.

use chrono::{DateTime, Utc};

use shiproom::config::{self, Config, ConfigOrigin};
use shiproom::model::{AnalysisRequest, DeployStatus, DeploymentRef, Impact, TargetReport};
use shiproom::sources::{BuildContext, PollOutcome, Source};

/// The history's first second: 2023-11-14 22:13:20 UTC.
pub const T0: i64 = 1_700_000_000;

pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// A bit of deterministic noise in [-1, 1].
pub fn wobble(second: i64) -> f64 {
    ((second * 7_919 + 13).rem_euclid(2_001) - 1_000) as f64 / 1_000.0
}

/// The latency histogram's cumulative shares: p95 = 0.75 s.
pub fn steady_latency(_: i64) -> [(f64, f64); 4] {
    [(0.1, 0.5), (0.25, 0.8), (0.5, 0.9), (1.0, 1.0)]
}

/// A configuration of one production environment, `services` unmapped, and a prometheus
/// source at `url` with `extra` fields (YAML lines, indented by four).
pub fn config(url: &str, services: &[&str], extra: &str) -> Config {
    let services: String = (services.iter())
        .map(|s| format!("  - name: {s}\n"))
        .collect();
    let yaml = format!(
        "environments:\n  - name: production\nservices:\n{services}sources:\n  - name: prom\n    kind: prometheus\n    url: {url}\n{extra}"
    );
    config::parse(&yaml, ConfigOrigin::File("prom.yaml".into()))
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

/// The prometheus source of `config`, built by the registry.
pub fn source(config: &Config) -> Box<dyn Source> {
    let spec = config.spec_of("prom").expect("a prom source");
    shiproom::sources::build(&spec, &BuildContext::at(Utc::now()))
}

/// A deploy of `service` to production reported by a github source as `id`.
pub fn request(
    service: &str,
    id: &str,
    started: i64,
    finished: i64,
    status: DeployStatus,
) -> AnalysisRequest {
    AnalysisRequest {
        service: service.into(),
        environment: "production".into(),
        deployment: DeploymentRef::Id {
            source: "github".into(),
            id: id.into(),
        },
        commit: format!("{id:0<40}"),
        status,
        started_at: at(started),
        finished_at: at(finished),
    }
}

/// The impact the outcome reports for deploy `id`.
pub fn impact<'a>(outcome: &'a PollOutcome, id: &str) -> &'a Impact {
    let reading = outcome.result.as_ref().expect("a reading");
    let report = (reading.impacts.iter())
        .find(|r| matches!(&r.deployment, DeploymentRef::Id { id: i, .. } if i == id))
        .unwrap_or_else(|| panic!("no impact of {id}: {:?}", reading.impacts));
    &report.impact
}

/// The target report of `service`@production.
pub fn target<'a>(outcome: &'a PollOutcome, service: &str) -> &'a TargetReport {
    let reading = outcome.result.as_ref().expect("a reading");
    let name = format!("{service}@production");
    (reading.targets.iter())
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no report of {name}: {:?}", reading.targets))
}

/// Requests the outcome's cycle sent.
pub fn sent(outcome: &PollOutcome) -> u32 {
    outcome.stats.map_or(0, |s| s.sent)
}
