//! A Prometheus source's own fields in `sources[]`: where the server is, how to authenticate
//! (named, never written), how deploys are judged (confidence, windows, bands, how many
//! queries at once) and the metrics: every service's, and per service its own.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::promql::{Placeholders, render};
use crate::sources::http::origin::http_host;
use crate::span::Span;
use crate::text::{has_control, one_line};

/// What a `prometheus` source may say beside `name`, `kind` and `interval`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusSettings {
    /// The server's base URL (`https://prometheus.example.com`, or with a path prefix);
    /// queries go to `<url>/api/v1/query_range`.
    pub url: String,
    /// Whether credentials may go over plain `http://` to a host that is not loopback
    /// (default false; a source without credentials needs no leave).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Name of the environment variable holding a bearer token (never the token itself).
    pub token_env: Option<String>,
    /// A command that prints a bearer token, run when first needed and again after a 401.
    pub token_command: Option<String>,
    /// Basic auth: the user name, with the password in the variable `password_env`.
    pub username: Option<String>,
    pub password_env: Option<String>,
    /// How long one query may take (default 10s).
    pub timeout: Option<Span>,
    /// The confidence of each shift's interval (default 0.95).
    pub confidence: Option<f64>,
    #[serde(default)]
    pub windows: WindowSettings,
    #[serde(default)]
    pub bands: BandSettings,
    /// At most this many queries in flight at once (default 2).
    pub concurrency: Option<usize>,
    /// Every service's metrics (default: the 5xx ratio and the p95 latency).
    pub metrics: Option<Vec<MetricSettings>>,
    /// Per service, its own metrics instead.
    #[serde(default)]
    pub services: BTreeMap<String, Vec<MetricSettings>>,
}

/// The windows a deploy is judged over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSettings {
    /// The baseline before the deploy's start (default 60m).
    pub before: Option<Span>,
    /// The after window is judged first once this long (default 10m)…
    pub after_first: Option<Span>,
    /// …and refined until this long (default 60m).
    pub after_full: Option<Span>,
}

/// How much change each kind of metric may show before it counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandSettings {
    /// An error ratio may rise by this many percentage points (default 1).
    pub error_ratio_points: Option<f64>,
    /// A latency may rise by this many percent of its value before (default 20).
    pub latency_percent: Option<f64>,
    /// Another metric may move by this many percent (default 20).
    pub other_percent: Option<f64>,
    /// Worse by this many bands is unhealthy, for a critical metric (default 2).
    pub unhealthy_factor: Option<f64>,
}

/// One metric: a PromQL template giving one series, what it measures and how it is judged.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSettings {
    /// As shown: "error ratio", "p95 latency".
    pub name: String,
    /// PromQL with `{service}`, `{environment}`, `{target}`; one series, aggregated.
    pub query: Template,
    pub kind: MetricKind,
    /// Which way is worse (default `higher_is_worse`).
    pub direction: Option<DirectionName>,
    /// What the query gives: `ratio` (default) or `%` for an error ratio, `s` (default) or
    /// `ms` for a latency, any word for another metric.
    pub unit: Option<String>,
    /// Worse beyond the unhealthy band makes the deploy unhealthy (default false).
    #[serde(default)]
    pub critical: bool,
}

/// What a metric measures: it decides its band and its display unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// A share of failed requests: shown in %, its band in percentage points.
    ErrorRatio,
    /// A latency (a quantile): shown in ms, its band relative.
    Latency,
    /// Anything else: shown in its own unit, its band relative.
    Other,
}

/// Which way a metric gets worse, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectionName {
    HigherIsWorse,
    LowerIsWorse,
}

/// A PromQL template, checked as it is read: its placeholders are known ones, so an unknown
/// `{name}` is refused where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(pub String);

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Template, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.trim().is_empty() {
            return Err(de::Error::custom(
                "the query is empty (write the PromQL of one series, e.g. `sum(rate(x[5m]))`)",
            ));
        }
        let probe = Placeholders {
            service: "s",
            environment: "e",
            target: "t",
        };
        render(&text, &probe).map_err(de::Error::custom)?;
        Ok(Template(text))
    }
}

impl PrometheusSettings {
    /// Refuses what can never work: a url without a host, credentials given twice or half,
    /// a variable's name that is no name, values out of range, a metric list empty or with a
    /// name twice, a unit its kind cannot have.
    pub fn check(&self) -> Result<(), String> {
        if http_host(&self.url).is_none() {
            return Err(format!(
                "url `{}` is not an http(s) URL with a host (expected e.g. `https://prometheus.example.com`)",
                one_line(&self.url)
            ));
        }
        self.check_credentials()?;
        if let Some(timeout) = self.timeout
            && timeout < Span::seconds(1)
        {
            return Err(format!(
                "timeout `{timeout}` is too short (expected at least 1s)"
            ));
        }
        if let Some(c) = self.confidence
            && !(0.5..1.0).contains(&c)
        {
            return Err(format!(
                "confidence `{c}` is out of range (expected at least 0.5 and below 1, e.g. 0.95)"
            ));
        }
        self.check_windows()?;
        self.check_bands()?;
        if let Some(n) = self.concurrency
            && !(1..=16).contains(&n)
        {
            return Err(format!(
                "concurrency `{n}` is out of range (expected 1 to 16 queries at once, e.g. 2)"
            ));
        }
        if let Some(metrics) = &self.metrics {
            check_metrics(metrics, "metrics")?;
        }
        for (service, metrics) in &self.services {
            check_metrics(metrics, &format!("services.{service}"))?;
        }
        Ok(())
    }

    fn check_credentials(&self) -> Result<(), String> {
        let bearer = self.token_env.is_some() || self.token_command.is_some();
        let basic = self.username.is_some() || self.password_env.is_some();
        if (self.token_env.is_some() && self.token_command.is_some()) || (bearer && basic) {
            return Err("give one way to authenticate: `token_env`, `token_command`, or `username` with `password_env` (or none)".into());
        }
        match (&self.username, &self.password_env) {
            (Some(_), None) => {
                return Err("`username` needs `password_env` (the name of the variable holding the password)".into());
            }
            (None, Some(_)) => return Err("`password_env` needs `username`".into()),
            (Some(user), Some(_)) if user.is_empty() || has_control(user) => {
                return Err("`username` is empty or holds a control character".into());
            }
            _ => {}
        }
        for (field, name) in [
            ("token_env", &self.token_env),
            ("password_env", &self.password_env),
        ] {
            if let Some(name) = name
                && !is_env_name(name)
            {
                return Err(format!(
                    "{field} `{}` is not an environment variable name (name the variable, e.g. PROMETHEUS_TOKEN; never write the secret itself here)",
                    if name.len() > 8 { "…" } else { name.as_str() }
                ));
            }
        }
        if let Some(command) = &self.token_command
            && command.trim().is_empty()
        {
            return Err("token_command is empty (a command that prints the token)".into());
        }
        Ok(())
    }

    fn check_windows(&self) -> Result<(), String> {
        let w = &self.windows;
        for (field, span) in [
            ("before", w.before),
            ("after_first", w.after_first),
            ("after_full", w.after_full),
        ] {
            if let Some(span) = span
                && !(Span::seconds(60)..=Span::seconds(24 * 3_600)).contains(&span)
            {
                return Err(format!(
                    "windows.{field} `{span}` is out of range (expected 1m to 24h)"
                ));
            }
        }
        let first = w.after_first.unwrap_or(Span::seconds(600));
        let full = w.after_full.unwrap_or(Span::seconds(3_600));
        if full < first {
            return Err(format!(
                "windows.after_full `{full}` is shorter than after_first `{first}` (the after window is judged first at after_first, final at after_full)"
            ));
        }
        Ok(())
    }

    fn check_bands(&self) -> Result<(), String> {
        let b = &self.bands;
        for (field, value) in [
            ("error_ratio_points", b.error_ratio_points),
            ("latency_percent", b.latency_percent),
            ("other_percent", b.other_percent),
        ] {
            if let Some(v) = value
                && !(v > 0.0 && v <= 1_000.0)
            {
                return Err(format!(
                    "bands.{field} `{v}` is out of range (expected above 0, e.g. 1 point or 20 %)"
                ));
            }
        }
        if let Some(f) = b.unhealthy_factor
            && !(1.0..=100.0).contains(&f)
        {
            return Err(format!(
                "bands.unhealthy_factor `{f}` is out of range (expected at least 1, e.g. 2: twice the allowed band)"
            ));
        }
        Ok(())
    }

    /// The service named in `services:` that the configuration lacks, if any.
    pub fn unknown_service(&self, services: &[&str]) -> Option<&str> {
        (self.services.keys())
            .map(String::as_str)
            .find(|name| !services.contains(name))
    }
}

/// A list of metrics: not empty, each name plain and given once, each unit one its kind has.
fn check_metrics(metrics: &[MetricSettings], field: &str) -> Result<(), String> {
    if metrics.is_empty() {
        return Err(format!(
            "{field} is empty (leave it out for the defaults: the 5xx ratio and the p95 latency)"
        ));
    }
    for (i, metric) in metrics.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if metric.name.trim().is_empty() || has_control(&metric.name) {
            return Err(format!(
                "{at}.name is empty or holds a control character: a metric's name is shown on the board, so write it in plain text"
            ));
        }
        if metrics[..i].iter().any(|m| m.name == metric.name) {
            return Err(format!("{at}.name: `{}` is listed twice", metric.name));
        }
        let unit = metric.unit.as_deref();
        let allowed: &[&str] = match metric.kind {
            MetricKind::ErrorRatio => &["ratio", "%"],
            MetricKind::Latency => &["s", "ms"],
            MetricKind::Other => &[],
        };
        if let Some(unit) = unit {
            if !allowed.is_empty() && !allowed.contains(&unit) {
                return Err(format!(
                    "{at}.unit `{}` is not a unit of this kind (expected {})",
                    one_line(unit),
                    crate::sources::fields::one_of(allowed)
                ));
            }
            if has_control(unit) || unit.chars().count() > 12 {
                return Err(format!(
                    "{at}.unit is too long or holds a control character (at most 12 plain characters)"
                ));
            }
        }
    }
    Ok(())
}

/// Whether `name` looks like an environment variable's name (and so not like a secret).
fn is_env_name(name: &str) -> bool {
    name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && name.bytes().next().is_some_and(|b| !b.is_ascii_digit())
}
