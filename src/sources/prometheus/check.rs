//! `shiproom check` for Prometheus: is the server reachable and are the credentials good (its
//! build information), and does each configured template parse and give one series (one
//! instant query of each, filled in for a service that uses it, at now).

use chrono::{DateTime, Utc};

use super::promql::{Placeholders, render};
use super::query;
use super::source::PrometheusSource;
use crate::sources::CheckLine;
use crate::sources::http::{Answer, Ask, HttpError};

/// A template to try: what it is called in the line, the cell it was filled in for, the query.
struct Probe {
    label: String,
    cell: String,
    promql: String,
}

/// The server's line, then one line per distinct template.
pub async fn check(source: &mut PrometheusSource, now: DateTime<Utc>) -> Vec<CheckLine> {
    let base = source.base_url().to_string();
    let concurrency = source.judging().concurrency;
    let probes = probes(source);
    let http = match source.http() {
        Ok(http) => http,
        Err(e) => return vec![line(false, e)],
    };
    let mut lines = Vec::new();
    if http.origin().is_insecure() && http.credential_source().sends_secret() {
        lines.push(line(
            true,
            format!(
                "warning: the credentials go over plain http:// to {} unencrypted (allow_insecure_http: true)",
                http.origin().host_port()
            ),
        ));
    }
    http.begin_cycle();
    let mut asks = vec![Ask {
        url: format!("{base}/api/v1/status/buildinfo"),
        params: Vec::new(),
        form: false,
    }];
    asks.extend(probes.iter().map(|p| query::instant(&base, &p.promql, now)));
    let mut answers = http.ask_all(&asks, concurrency, now).await.into_iter();
    let server = server_line(answers.next(), http.credential_source());
    let stop = !server.0;
    lines.push(line(server.0, server.1));
    if stop {
        http.end_cycle(false);
        return lines;
    }
    for (probe, answer) in probes.iter().zip(answers) {
        let what = format!("{} (for {})", probe.label, probe.cell);
        let (ok, text) = match query::series(http, answer, &what) {
            Ok(series) => match series.len() {
                1 => (true, format!("{what}: parses, one series")),
                0 => (
                    true,
                    format!(
                        "{what}: parses, but no series now (no traffic, or labels that do not match?)"
                    ),
                ),
                n => (
                    false,
                    format!("{what}: gives {n} series where one is judged: aggregate it"),
                ),
            },
            Err(failure) => (false, failure.reason),
        };
        lines.push(line(ok, text));
    }
    http.end_cycle(false);
    lines
}

fn line(ok: bool, text: String) -> CheckLine {
    CheckLine {
        ok,
        text,
        target: None,
    }
}

/// Whether the server answered, and its line: its version, or why not.
fn server_line(
    answer: Option<Result<Answer, HttpError>>,
    credentials: &crate::sources::http::CredentialSource,
) -> (bool, String) {
    match answer {
        Some(Ok(a)) if a.status == 200 => {
            let version = serde_json::from_slice::<serde_json::Value>(&a.body)
                .ok()
                .and_then(|v| v["data"]["version"].as_str().map(str::to_string));
            match version {
                Some(v) => (
                    true,
                    format!(
                        "reachable and authorised: Prometheus {}",
                        crate::text::one_line(&v)
                    ),
                ),
                None => (true, "reachable and authorised".to_string()),
            }
        }
        // A Prometheus-compatible server without the build information answers queries.
        Some(Ok(a)) if a.status == 404 => (
            true,
            "reachable (no /api/v1/status/buildinfo: a Prometheus-compatible server?)".into(),
        ),
        Some(Ok(a)) => {
            let error = (a.error).unwrap_or(HttpError::Status {
                status: a.status,
                message: String::new(),
            });
            (false, error.detail(&credentials.describe()))
        }
        Some(Err(HttpError::BadToken)) if !credentials.sends_secret() => (
            false,
            "401 unauthorised: this Prometheus asks for credentials (set `token_env`, `token_command`, or `username` with `password_env`)".into(),
        ),
        Some(Err(e)) => (false, e.detail(&credentials.describe())),
        None => (false, "no answer".into()),
    }
}

/// Each distinct template, filled in for a service that uses it in an environment it runs in.
fn probes(source: &PrometheusSource) -> Vec<Probe> {
    let catalog = &source.catalog;
    let mut out = Vec::new();
    for (metric, service) in source.judging().templates() {
        let service = match service {
            Some(service) => Some(service.to_string()),
            None => (catalog.services.iter())
                .map(|s| s.name.clone())
                .find(|s| !source.judging().has_own(s)),
        };
        let Some(service) = service else {
            continue;
        };
        let environment = (catalog.environments.iter())
            .map(|e| e.name.clone())
            .find(|e| {
                catalog
                    .placements
                    .contains_key(&(service.clone(), e.clone()))
            })
            .or_else(|| catalog.environments.first().map(|e| e.name.clone()));
        let Some(environment) = environment else {
            continue;
        };
        let target = source.target_of(&service, &environment);
        let values = Placeholders {
            service: &service,
            environment: &environment,
            target: &target,
        };
        if let Ok(promql) = render(&metric.template, &values) {
            out.push(Probe {
                label: metric.name.clone(),
                cell: format!("{service}@{environment}"),
                promql,
            });
        }
    }
    out
}
