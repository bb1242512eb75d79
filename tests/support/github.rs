//! GitHub fixtures: the official example responses of `tests/fixtures/github` with values
//! varied per scenario, and a small fleet served from them.

use std::hash::{Hash, Hasher};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

use super::{Reply, Server};

/// The moment the scenarios are seen at: 2026-11-24 09:00:00 UTC.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap()
}

/// `x-ratelimit-reset` the server sends: an hour after `t0`.
pub fn reset_epoch() -> i64 {
    t0().timestamp() + 3600
}

/// "2026-11-24T08:30:00Z" for 08:30.
pub fn at(hour: u32, minute: u32) -> String {
    format!("2026-11-24T{hour:02}:{minute:02}:00Z")
}

/// A 40-hex-digit sha that starts with `prefix` (hex digits only).
pub fn sha(prefix: &str) -> String {
    format!("{prefix:0<40}")
}

/// An official example file, parsed.
pub fn example(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// 200 with `value` and an ETag made from its content.
pub fn json_etag(value: &Value) -> Reply {
    let body = value.to_string();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    Reply::json(value).etag(&format!("{:016x}", h.finish()))
}

/// One deployment, shaped like `get_deployments_200.json`.
pub fn deployment(
    id: u64,
    sha: &str,
    git_ref: &str,
    environment: &str,
    created: &str,
    creator: &str,
) -> Value {
    let mut d = example("get_deployments_200.json")[0].clone();
    d["id"] = json!(id);
    d["url"] = json!(format!(
        "https://api.github.com/repos/acme/checkout/deployments/{id}"
    ));
    d["statuses_url"] = json!(format!(
        "https://api.github.com/repos/acme/checkout/deployments/{id}/statuses"
    ));
    d["sha"] = json!(sha);
    d["ref"] = json!(git_ref);
    d["environment"] = json!(environment);
    d["original_environment"] = json!(environment);
    d["description"] = json!(format!("Deploy {git_ref}"));
    d["creator"]["login"] = json!(creator);
    d["created_at"] = json!(created);
    d["updated_at"] = json!(created);
    d
}

/// One deployment status, shaped like `get_deployments_deployment_id_statuses_200.json`.
pub fn status(id: u64, state: &str, created: &str, description: &str) -> Value {
    let mut s = example("get_deployments_deployment_id_statuses_200.json")[0].clone();
    s["id"] = json!(id);
    s["state"] = json!(state);
    s["description"] = json!(description);
    s["created_at"] = json!(created);
    s["updated_at"] = json!(created);
    s
}

/// One workflow run, shaped like `get_actions_runs_200.json`.
#[allow(clippy::too_many_arguments)]
pub fn run(
    id: u64,
    name: &str,
    file: &str,
    head_sha: &str,
    status: &str,
    conclusion: Option<&str>,
    title: &str,
    created: &str,
) -> Value {
    let mut r = example("get_actions_runs_200.json")["workflow_runs"][0].clone();
    r["id"] = json!(id);
    r["name"] = json!(name);
    r["path"] = json!(format!(".github/workflows/{file}@main"));
    r["workflow_id"] = json!(id % 7 + if name == "Deploy" { 100 } else { 200 });
    r["head_sha"] = json!(head_sha);
    r["head_commit"]["id"] = json!(head_sha);
    r["status"] = json!(status);
    r["conclusion"] = json!(conclusion);
    r["display_title"] = json!(title);
    r["created_at"] = json!(created);
    r["updated_at"] = json!(created);
    r["run_started_at"] = json!(created);
    r["html_url"] = json!(format!(
        "https://github.com/acme/checkout/actions/runs/{id}"
    ));
    r
}

/// The runs list around `runs`.
pub fn runs(runs: Vec<Value>) -> Value {
    let mut list = example("get_actions_runs_200.json");
    list["total_count"] = json!(runs.len());
    list["workflow_runs"] = Value::Array(runs);
    list
}

/// A comparison whose head is `ahead_by` commits ahead, listing `commits` (sha, login, message),
/// oldest first, shaped like `get_compare_basehead_200.json`.
pub fn compare(ahead_by: u32, commits: &[(&str, &str, &str)]) -> Value {
    let mut c = example("get_compare_basehead_200.json");
    let template = c["commits"][0].clone();
    c["status"] = json!(if ahead_by > 0 { "ahead" } else { "identical" });
    c["ahead_by"] = json!(ahead_by);
    c["behind_by"] = json!(0);
    c["total_commits"] = json!(commits.len());
    c["commits"] = Value::Array(
        commits
            .iter()
            .map(|(sha, login, message)| {
                let mut x = template.clone();
                x["sha"] = json!(sha);
                x["author"]["login"] = json!(login);
                x["commit"]["message"] = json!(message);
                x
            })
            .collect(),
    );
    c
}

/// The environments list, shaped like `get_environments_200.json`.
pub fn environments(names: &[&str]) -> Value {
    let mut e = example("get_environments_200.json");
    let template = e["environments"][0].clone();
    e["total_count"] = json!(names.len());
    e["environments"] = Value::Array(
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut x = template.clone();
                x["id"] = json!(1000 + i);
                x["name"] = json!(name);
                x
            })
            .collect(),
    );
    e
}

pub const REPO: &str = "/repos/acme/checkout";

/// The shas of the small fleet.
pub fn staging_sha() -> String {
    sha("5a2")
}
pub fn production_sha() -> String {
    sha("b1a")
}
pub fn failed_sha() -> String {
    sha("f9e")
}
pub fn deploy_run_sha() -> String {
    sha("c3d")
}

/// The small fleet of `acme/checkout`: staging runs v1.5.0 and a deploy workflow to staging is
/// in progress; production runs v1.4.0, the v1.4.1 deploy after it failed, and v1.5.0 is
/// being deployed; production is 3 commits behind staging.
pub fn serve_fleet(server: &Server) {
    serve_fleet_of(server, "acme/checkout");
}

/// The small fleet, served for `repository` (`owner/name`): every path under
/// `/repos/{repository}`.
pub fn serve_fleet_of(server: &Server, repository: &str) {
    let repo = format!("/repos/{repository}");
    let repo = repo.as_str();
    let (s2, p1, p9, s3) = (
        staging_sha(),
        production_sha(),
        failed_sha(),
        deploy_run_sha(),
    );
    server.on(
        &format!("{repo}/deployments"),
        Some("environment=staging"),
        json_etag(&json!([deployment(
            21,
            &s2,
            "v1.5.0",
            "staging",
            &at(8, 30),
            "kemal"
        )])),
    );
    server.on(
        &format!("{repo}/deployments/21/statuses"),
        None,
        json_etag(&json!([
            status(
                212,
                "success",
                &at(8, 32),
                "Deployment finished successfully."
            ),
            status(211, "in_progress", &at(8, 31), "rolling out"),
        ])),
    );
    server.on(
        &format!("{repo}/deployments"),
        Some("environment=prod"),
        json_etag(&json!([
            deployment(32, &s2, "v1.5.0", "prod", &at(8, 55), "dara"),
            deployment(31, &p9, "v1.4.1", "prod", &at(8, 0), "chen"),
            deployment(30, &p1, "v1.4.0", "prod", &at(7, 0), "emeka"),
        ])),
    );
    server.on(
        &format!("{repo}/deployments/32/statuses"),
        None,
        json_etag(&json!([
            status(322, "in_progress", &at(8, 56), "canary 10%"),
            status(321, "queued", &at(8, 55), ""),
        ])),
    );
    server.on(
        &format!("{repo}/deployments/31/statuses"),
        None,
        json_etag(&json!([status(
            311,
            "failure",
            &at(8, 4),
            "health checks failed"
        )])),
    );
    server.on(
        &format!("{repo}/deployments/30/statuses"),
        None,
        json_etag(&json!([status(301, "success", &at(7, 3), "done")])),
    );
    server.on(
        &format!("{repo}/actions/runs"),
        None,
        json_etag(&runs(vec![
            run(
                903,
                "Deploy",
                "deploy.yml",
                &s3,
                "in_progress",
                None,
                "Deploy v1.6.0 to staging",
                &at(8, 58),
            ),
            run(
                902,
                "Build",
                "build.yml",
                &s2,
                "completed",
                Some("success"),
                "Release v1.5.0",
                &at(8, 20),
            ),
            run(
                901,
                "Build",
                "build.yml",
                &p1,
                "completed",
                Some("failure"),
                "Release v1.4.0",
                &at(6, 50),
            ),
        ])),
    );
    server.on(
        &format!("{repo}/compare/{p1}...{s2}"),
        None,
        json_etag(&compare(
            3,
            &[
                (
                    &sha("aa1"),
                    "carol",
                    "Add idempotency keys\n\nSo retries are safe.",
                ),
                (&sha("aa2"), "dara", "Fix rounding in totals"),
                (&sha("aa3"), "kemal", "Release v1.5.0"),
            ],
        )),
    );
    server.on(
        &format!("{repo}/environments"),
        None,
        json_etag(&environments(&["staging", "prod"])),
    );
}

/// The configuration of the small fleet against `url`, the token printed by `token_command`.
pub fn config_yaml(url: &str, token_line: &str) -> String {
    format!(
        "environments:
  - name: staging
  - name: production
    protected: true
services:
  - name: checkout
    team: payments
    repository: acme/checkout
    environments:
      staging: {{}}
      production: {{ target: prod }}
sources:
  - name: github
    kind: github
    url: {url}
    {token_line}
    timeout: 1s
"
    )
}

/// A fleet of one service per repository of `repositories` (`owner/name`; the service is
/// named after `name`), each in staging and production (GitHub environment `prod`), against
/// `url`; `extra` is added to the source (e.g. `interval: 1s`).
pub fn fleet_yaml(url: &str, token_line: &str, repositories: &[&str], extra: &str) -> String {
    let mut yaml = String::from(
        "environments:
  - name: staging
  - name: production
    protected: true
services:
",
    );
    for repository in repositories {
        let name = repository.split('/').nth(1).unwrap();
        yaml.push_str(&format!(
            "  - name: {name}
    team: payments
    repository: {repository}
    environments:
      staging: {{}}
      production: {{ target: prod }}
"
        ));
    }
    yaml.push_str(&format!(
        "sources:
  - name: github
    kind: github
    url: {url}
    {token_line}
    timeout: 1s
"
    ));
    for line in extra.lines().filter(|l| !l.trim().is_empty()) {
        yaml.push_str(&format!("    {}\n", line.trim()));
    }
    yaml
}
