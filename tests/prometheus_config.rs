//! A `prometheus` source in the configuration: its own fields, the defaults it judges by
//! (0.95, 60/10/60 minutes, two queries at once, the 5xx ratio in % and the p95 latency in ms,
//! one point and 20 %, twice for unhealthy), metrics per service, and every refusal located
//! where it is written: an unknown placeholder, an unknown kind of metric, a service that does
//! not exist, deploys mapped to it, a field of another kind, values out of range.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use shiproom::config::{self, Config, ConfigError, ConfigOrigin};
use shiproom::impact::judge::{Band, Direction};
use shiproom::sources::prometheus::PrometheusSource;

fn parse(yaml: &str) -> Result<Config, ConfigError> {
    config::parse(yaml, ConfigOrigin::File("prom.yaml".into()))
}

fn error_of(yaml: &str) -> ConfigError {
    match parse(yaml) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(e) => e,
    }
}

/// A github source for the deploys, a prometheus source judging them; one field a line.
const BOARD: &str = "environments:
  - name: staging
  - name: production
services:
  - name: api
    repository: acme/api
    environments:
      staging: {source: gh, target: stg}
      production: {source: gh}
  - name: web
    repository: acme/web
    environments:
      production: {source: gh}
sources:
  - name: gh
    kind: github
    token_env: GITHUB_TOKEN
  - name: prom
    kind: prometheus
    url: https://prometheus.example.com
";

fn prom(config: &Config) -> PrometheusSource {
    PrometheusSource::from_spec(&config.spec_of("prom").unwrap()).unwrap()
}

#[test]
fn a_prometheus_source_judges_every_cell_with_the_defaults() {
    let config = parse(BOARD).unwrap();
    let source = config.source("prom").unwrap();
    assert_eq!(source.kind.label(), "prometheus");
    assert_eq!(source.interval, config::Span::seconds(30), "its default");
    assert!(source.analyses_impact() && !source.reports_locks());
    let spec = config.spec_of("prom").unwrap();
    assert_eq!(
        spec.catalog.services.len(),
        2,
        "every service, mapped elsewhere too"
    );
    let prom = prom(&config);
    assert_eq!(
        prom.target_of("api", "staging"),
        "stg",
        "`{{target}}` is the deploy source's"
    );
    assert_eq!(prom.target_of("web", "production"), "production");
    let judging = prom.judging();
    assert_eq!(judging.confidence, 0.95);
    assert_eq!(judging.concurrency, 2);
    let w = judging.windows;
    assert_eq!(
        (
            w.before.num_minutes(),
            w.after_first.num_minutes(),
            w.after_full.num_minutes()
        ),
        (60, 10, 60)
    );
    let metrics = judging.metrics_of("api");
    let shown: Vec<(&str, &str, f64)> = (metrics.iter())
        .map(|m| (m.name.as_str(), m.unit.as_str(), m.scale))
        .collect();
    assert_eq!(
        shown,
        [("error ratio", "%", 100.0), ("p95 latency", "ms", 1_000.0)],
        "a ratio shown in %, seconds in ms"
    );
    assert_eq!(metrics[0].rules.allowed, Band::Absolute(1.0), "one point");
    assert_eq!(metrics[1].rules.allowed, Band::Relative(0.2), "20 %");
    assert!(
        metrics
            .iter()
            .all(|m| m.rules.critical && m.rules.unhealthy_factor == 2.0)
    );
    assert!(
        metrics
            .iter()
            .all(|m| m.rules.direction == Direction::HigherIsWorse)
    );
}

const OWN: &str = "    confidence: 0.9
    concurrency: 3
    windows: { before: 30m, after_first: 5m, after_full: 30m }
    bands: { error_ratio_points: 0.5, latency_percent: 10, unhealthy_factor: 3 }
    metrics:
      - name: errors
        kind: error_ratio
        unit: \"%\"
        critical: true
        query: 'sum(rate(errors_total{app=\"{target}\"}[5m])) * 100'
    services:
      web:
        - name: p99
          kind: latency
          unit: ms
          query: 'histogram_quantile(0.99, sum by (le) (rate(latency_ms_bucket{app=\"{service}\"}[5m])))'
        - name: throughput
          kind: other
          direction: lower_is_worse
          unit: req/s
          query: 'sum(rate(requests_total{app=\"{service}\",env=\"{environment}\"}[5m]))'
";

#[test]
fn every_service_takes_the_sources_metrics_unless_it_has_its_own_each_scaled_by_its_unit() {
    let config = parse(&format!("{BOARD}{OWN}")).unwrap();
    let prom = prom(&config);
    let judging = prom.judging();
    assert_eq!((judging.confidence, judging.concurrency), (0.9, 3));
    assert_eq!(judging.windows.before.num_minutes(), 30);
    let api = judging.metrics_of("api");
    assert_eq!(api.len(), 1);
    assert_eq!(
        (api[0].unit.as_str(), api[0].scale),
        ("%", 1.0),
        "already in %"
    );
    assert_eq!(api[0].rules.allowed, Band::Absolute(0.5));
    assert_eq!(api[0].rules.unhealthy_factor, 3.0);
    let web = judging.metrics_of("web");
    assert_eq!(web.len(), 2);
    assert_eq!(
        (web[0].unit.as_str(), web[0].scale),
        ("ms", 1.0),
        "already in ms"
    );
    assert_eq!(web[0].rules.allowed, Band::Relative(0.1));
    assert!(!web[0].rules.critical, "not critical unless it says so");
    assert_eq!(web[1].unit, "req/s");
    assert_eq!(web[1].rules.direction, Direction::LowerIsWorse);
    assert_eq!(
        web[1].rules.allowed,
        Band::Relative(0.2),
        "another metric's default band"
    );
}

/// `BOARD` with `extra` fields on the prometheus source.
fn with(extra: &str) -> String {
    format!("{BOARD}{extra}")
}

#[test]
fn an_unknown_placeholder_or_kind_of_metric_is_refused_where_it_is_written() {
    let e = error_of(&with(
        "    metrics:\n      - name: errors\n        kind: error_ratio\n        query: 'up{job=\"{servce}\"}'\n",
    ));
    assert_eq!(
        (e.line, e.file.as_str()),
        (22, "prom.yaml"),
        "the metric: {e}"
    );
    assert!(
        e.message
            .starts_with("sources[1].metrics[0]: unknown placeholder `{servce}`"),
        "{e}"
    );
    let e = error_of(&with(
        "    metrics:\n      - name: errors\n        kind: ratio\n        query: up\n",
    ));
    assert_eq!(e.line, 23, "{e}");
    assert!(
        e.message
            .contains("unknown variant `ratio`, expected one of `error_ratio`, `latency`, `other`"),
        "{e}"
    );
    let e = error_of(&with(
        "    metrics:\n      - name: errors\n        kind: other\n        query: ''\n",
    ));
    assert!(e.message.contains("the query is empty"), "{e}");
}

#[test]
fn metrics_for_a_service_that_does_not_exist_are_refused_at_its_name() {
    let e = error_of(&with(
        "    services:\n      apx:\n        - { name: up, kind: other, query: up }\n",
    ));
    assert_eq!((e.line, e.column), (22, 7), "{e}");
    assert_eq!(
        e.message,
        "sources[1] (`prom`): services.apx: `apx` is not a configured service (expected one of: api, web)"
    );
}

#[test]
fn no_deploys_come_from_a_prometheus_source() {
    let e = error_of(&BOARD.replace(
        "production: {source: gh}\n  - name: web",
        "production: {source: prom}\n  - name: web",
    ));
    assert!(
        e.message.contains("services[0] (`api`): its production deploys cannot come from `prom`: a prometheus source judges the impact of every deploy but reports none"),
        "{e}"
    );
}

#[test]
fn a_field_of_github_on_a_prometheus_source_is_refused_by_name() {
    let e = error_of(&with("    quota_share: 0.5\n"));
    assert_eq!(e.line, 21, "{e}");
    assert!(
        e.message.contains("a `prometheus` source takes no `quota_share` (`quota_share` is not a field of a prometheus source but of a github source)"),
        "{e}"
    );
    let e = parse(&BOARD.replace(
        "    token_env: GITHUB_TOKEN\n",
        "    token_env: GITHUB_TOKEN\n    confidence: 0.9\n",
    ));
    let e = e.err().unwrap();
    assert!(
        e.message
            .contains("not a field of a github source but of a prometheus source"),
        "{e}"
    );
}

#[test]
fn values_that_can_never_work_are_refused_with_what_to_write() {
    for (extra, words) in [
        ("    confidence: 1.5\n", "confidence `1.5` is out of range"),
        ("    concurrency: 0\n", "concurrency `0` is out of range"),
        ("    timeout: 0s\n", "timeout `0s` is too short"),
        (
            "    token_env: PROM_TOKEN\n    username: alice\n    password_env: PROM_PASSWORD\n",
            "give one way to authenticate",
        ),
        ("    username: alice\n", "`username` needs `password_env`"),
        (
            "    token_env: \"glpat-abc def\"\n",
            "is not an environment variable name",
        ),
        (
            "    windows: { after_first: 30m, after_full: 20m }\n",
            "windows.after_full `20m` is shorter than after_first `30m`",
        ),
        (
            "    windows: { before: 30s }\n",
            "windows.before `30s` is out of range",
        ),
        (
            "    bands: { latency_percent: 0 }\n",
            "bands.latency_percent `0` is out of range",
        ),
        (
            "    bands: { unhealthy_factor: 0.5 }\n",
            "bands.unhealthy_factor `0.5` is out of range",
        ),
        ("    metrics: []\n", "metrics is empty"),
        (
            "    metrics:\n      - { name: e, kind: error_ratio, unit: ms, query: up }\n",
            "metrics[0].unit `ms` is not a unit of this kind (expected `ratio` or `%`)",
        ),
        (
            "    metrics:\n      - { name: e, kind: other, query: up }\n      - { name: e, kind: other, query: up }\n",
            "metrics[1].name: `e` is listed twice",
        ),
    ] {
        let e = error_of(&with(extra));
        assert!(
            e.message.starts_with("sources[1] (`prom`): "),
            "{extra}: {e}"
        );
        assert!(e.message.contains(words), "{extra}: {e}");
    }
    let e = error_of(&BOARD.replace("https://prometheus.example.com", "prometheus:9090"));
    assert!(
        e.message
            .contains("url `prometheus:9090` is not an http(s) URL with a host"),
        "{e}"
    );
}
