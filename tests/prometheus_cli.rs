//! `shiproom check` with a prometheus source (the binary, against a stand-in on the local
//! server): reachable and authorised with basic auth from a named variable, each template tried
//! once for a service that uses it, a template Prometheus refuses named with its words (exit
//! 1), a server that asks for credentials none were given for; the password in no output.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::prometheus::{about, fixture, serve};
use support::{Reply, Request, Server};

const PASSWORD: &str = "prom-SECRET-pass-7";
const VAR: &str = "SHIPROOM_TEST_PROM_PASSWORD";

struct Setup {
    _runtime: tokio::runtime::Runtime,
    server: Server,
    dir: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn setup(name: &str, auth: &str, extra: &str) -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::start());
    let dir = std::env::temp_dir().join(format!("shiproom-prom-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = format!(
        "environments:\n  - name: production\nservices:\n  - name: checkout\n    environments: {{ production: {{ source: deploys }} }}\n  - name: search\n    environments: {{ production: {{ source: deploys }} }}\nsources:\n  - {{ name: deploys, kind: demo }}\n  - name: prom\n    kind: prometheus\n    url: {}\n{auth}{extra}",
        server.url
    );
    std::fs::write(dir.join("prom.yaml"), yaml).unwrap();
    Setup {
        _runtime: runtime,
        server,
        dir,
    }
}

fn check(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(dir.join("prom.yaml"))
        .args(["--log-level", "debug", "check"])
        .env(VAR, PASSWORD)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        .env_remove("SHIPROOM_CONFIG")
        .output()
        .expect("shiproom runs")
}

/// The lines of the prometheus source in `check`'s output.
fn prom_lines(out: &Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.contains("prom (prometheus)"))
        .unwrap_or_else(|| panic!("{text}"));
    let mut out = vec![lines[start].to_string()];
    out.extend(
        lines[start + 1..]
            .iter()
            .take_while(|l| l.starts_with("    "))
            .map(|l| l.trim().to_string()),
    );
    out
}

fn assert_no_password(dir: &Path, out: &Output) {
    let log = std::fs::read_to_string(dir.join("state/shiproom/shiproom.log")).unwrap_or_default();
    for text in [
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
        log,
    ] {
        assert!(!text.contains("SECRET"), "the password leaked:\n{text}");
    }
}

const BASIC: &str = "    username: alice\n    password_env: SHIPROOM_TEST_PROM_PASSWORD\n";

#[test]
fn check_says_the_server_and_each_template_answer_with_basic_auth_from_a_named_variable() {
    let s = setup("ok", BASIC, "");
    serve(&s.server, |_| None);
    let out = check(&s.dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines = prom_lines(&out);
    assert_eq!(
        lines[1..],
        [
            "✓ reachable and authorised: Prometheus 2.42.0",
            "✓ error ratio (for checkout@production): parses, one series",
            "✓ p95 latency (for checkout@production): parses, one series",
        ],
        "{lines:#?}"
    );
    let requests = s.server.requests();
    assert_eq!(requests.len(), 3, "one question each");
    // base64("alice:prom-SECRET-pass-7")
    for r in &requests {
        assert_eq!(
            r.header("authorization"),
            Some("Basic YWxpY2U6cHJvbS1TRUNSRVQtcGFzcy03")
        );
    }
    assert_no_password(&s.dir, &out);
}

#[test]
fn a_template_prometheus_refuses_is_named_with_its_words_and_check_fails() {
    let own = "    services:\n      search:\n        - { name: saturation, kind: other, query: 'sum(rate(x{job=\"{service}\"}[5m])' }\n";
    let s = setup("bad", BASIC, own);
    serve(&s.server, |r: &Request| {
        about(r, "search").then(|| Reply::raw(400, &fixture("error_400_bad_data.json")))
    });
    let out = check(&s.dir);
    assert_eq!(out.status.code(), Some(1));
    let lines = prom_lines(&out);
    assert!(
        lines.contains(&"✗ saturation (for search@production): Prometheus refused the query (bad_data): invalid parameter \"query\": 1:18: parse error: unclosed left parenthesis (check its query in the configuration)".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("✓ error ratio (for checkout@production)")),
        "{lines:#?}"
    );
}

#[test]
fn a_server_that_asks_for_credentials_none_were_given_for_says_what_to_set() {
    let s = setup("open", "", "");
    s.server
        .on_prefix("/api/v1/", Reply::raw(401, "Unauthorized"));
    let out = check(&s.dir);
    assert_eq!(out.status.code(), Some(1));
    let lines = prom_lines(&out);
    assert_eq!(
        lines[1..],
        [
            "✗ 401 unauthorised: this Prometheus asks for credentials (set `token_env`, `token_command`, or `username` with `password_env`)"
        ],
        "{lines:#?}"
    );
    assert!(
        s.server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
}

#[test]
fn status_json_shows_prometheus_verdicts_of_the_deploys_another_source_reported() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::start());
    support::github::serve_fleet(&server);
    serve(&server, |_| None);
    let dir = std::env::temp_dir().join(format!("shiproom-prom-cli-status-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = support::github::config_yaml(&server.url, "token_env: SHIPROOM_TEST_GH_TOKEN")
        .replace("staging: {}", "staging: { source: github }")
        .replace(
            "production: { target: prod }",
            "production: { source: github, target: prod }",
        )
        + &format!(
            "  - {{ name: prom, kind: prometheus, url: \"{}\" }}\n",
            server.url
        );
    std::fs::write(dir.join("prom.yaml"), yaml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(dir.join("prom.yaml"))
        .args(["status", "--json"])
        .env("SHIPROOM_TEST_GH_TOKEN", "ghp_test")
        .env("SHIPROOM_NOW", "2026-11-24T09:00:00Z")
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("HOME", &dir)
        .env_remove("SHIPROOM_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let impact = |id: &str| {
        let deploys = json["deploys"].as_array().unwrap();
        let d = deploys
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {deploys:#?}"));
        d["impact"].clone()
    };
    // Finished at 07:03: its after window is full, judged final.
    let done = impact("acme/checkout#30");
    assert_eq!(done["verdict"], "healthy", "{done:#}");
    assert_eq!(done["metrics"][0]["unit"], "%");
    assert_eq!(done["metrics"][1]["unit"], "ms");
    // Finished at 08:32 and 08:04: judged from their first ten minutes on, still refined.
    assert_eq!(impact("acme/checkout#21")["verdict"], "healthy");
    assert_eq!(impact("acme/checkout#31")["verdict"], "healthy");
    let asked = server.count("/api/v1/query_range");
    assert_eq!(asked, 12, "three deploys, two metrics, two windows");
    let _ = std::fs::remove_dir_all(&dir);
}
