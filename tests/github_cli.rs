//! The binary against a local GitHub: `status --json` carries `sources[].requests`, `check`
//! reports each repository (reachable, authorised, environments found), and the token shows in
//! no output, no error and no log line, even at debug level and when it is refused.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use support::Server;
use support::github::*;

const TOKEN: &str = "ghp_SHIPROOMcliTOKEN9876543210zyxwvuXYZ";
const VAR: &str = "SHIPROOM_TEST_GITHUB_TOKEN";

struct Fleet {
    _runtime: tokio::runtime::Runtime,
    server: Server,
    dir: PathBuf,
}

fn fleet(name: &str) -> Fleet {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::start());
    serve_fleet(&server);
    let dir = std::env::temp_dir().join(format!("shiproom-gh-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = config_yaml(&server.url, &format!("token_env: {VAR}"));
    std::fs::write(dir.join("github.yaml"), yaml).unwrap();
    Fleet {
        _runtime: runtime,
        server,
        dir,
    }
}

fn shiproom(dir: &Path, args: &[&str]) -> Output {
    let config = dir.join("github.yaml");
    Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(&config)
        .args(["--log-level", "debug"])
        .args(args)
        .env(VAR, TOKEN)
        .env("SHIPROOM_NOW", "2026-11-24T09:00:00Z")
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        .env("TZ", "UTC")
        .env_remove("NO_COLOR")
        .env_remove("SHIPROOM_CONFIG")
        .output()
        .expect("shiproom runs")
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("state/shiproom/shiproom.log")).unwrap_or_default()
}

fn assert_no_token(dir: &Path, out: &Output) {
    for (what, text) in [
        ("stdout", String::from_utf8_lossy(&out.stdout).to_string()),
        ("stderr", String::from_utf8_lossy(&out.stderr).to_string()),
        ("log", log_of(dir)),
    ] {
        assert!(
            !text.contains(TOKEN),
            "the token leaked into {what}:\n{text}"
        );
        assert!(
            !text.contains("SHIPROOMcliTOKEN"),
            "part of the token leaked into {what}"
        );
    }
}

#[test]
fn status_json_reports_the_requests_and_quota_of_each_source() {
    let f = fleet("json");
    let out = shiproom(&f.dir, &["status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = &doc["sources"][0];
    assert_eq!(source["kind"], "github");
    assert_eq!(source["ok"], true);
    let requests = &source["requests"];
    let sent = requests["sent"].as_u64().unwrap();
    assert_eq!(sent as usize, f.server.requests().len());
    assert_eq!(requests["not_modified"], 0);
    assert_eq!(requests["errors"], 0);
    assert_eq!(requests["rate_limit"], 5000);
    assert!(requests["rate_remaining"].as_u64().unwrap() < 5000);
    assert_eq!(requests["rate_reset"], "2026-11-24T10:00:00Z");
    let production = &doc["services"][0]["cells"]["production"];
    assert_eq!(production["version"], "v1.4.0");
    assert_eq!(production["status"], "failed");
    assert_eq!(production["behind"], 3);
    assert_eq!(production["in_flight"]["version"], "v1.5.0");
    assert_eq!(production["ci"]["status"], "failed");
    assert_eq!(
        doc["services"][0]["cells"]["staging"]["ci"]["status"],
        "passed"
    );
    assert_eq!(doc["demo"], false);
    for r in f.server.requests() {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert!(
        log_of(&f.dir).contains("poll cycle"),
        "the cycle's requests are logged"
    );
    assert_no_token(&f.dir, &out);
}

#[test]
fn the_status_bar_shows_the_quota_left() {
    let f = fleet("snapshot");
    let out = shiproom(&f.dir, &["snapshot", "--width", "120", "--height", "24"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("✓ github ok · 4,9"), "{text}");
    assert!(text.contains("/5,000"), "{text}");
    assert!(!text.contains("DEMO"), "{text}");
    assert_no_token(&f.dir, &out);
}

#[test]
fn check_reports_each_repository_reachable_authorised_and_its_environments() {
    let f = fleet("check");
    let out = shiproom(&f.dir, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("✓ github (github): reachable and authorised"),
        "{text}"
    );
    assert!(
        text.contains("✓ acme/checkout: reachable, authorised; environments: staging, prod"),
        "{text}"
    );
    assert_no_token(&f.dir, &out);
}

#[test]
fn a_refused_token_is_reported_by_status_and_check_without_showing_it() {
    let f = fleet("refused");
    f.server.on_fn("/repos/acme/checkout/deployments", None, |_| {
        support::Reply::raw(401, r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#)
    });
    f.server
        .on_fn("/repos/acme/checkout/environments", None, |_| {
            support::Reply::raw(401, r#"{"message":"Bad credentials"}"#)
        });
    let out = shiproom(&f.dir, &["status", "--json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["sources"][0]["error"],
        format!("401 bad token: check {VAR}")
    );
    assert_eq!(doc["sources"][0]["requests"]["errors"], 1);
    assert_no_token(&f.dir, &out);

    let out = shiproom(&f.dir, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("✗ github (github): 401 bad token: check {VAR}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("✗ acme/checkout: 401 bad token: check {VAR}")),
        "{text}"
    );
    assert_no_token(&f.dir, &out);
}

#[test]
fn a_missing_token_variable_says_what_to_set() {
    let f = fleet("unset");
    let out = Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(f.dir.join("github.yaml"))
        .args(["status", "--json"])
        .env_remove(VAR)
        .env("XDG_STATE_HOME", f.dir.join("state"))
        .env("HOME", &f.dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["sources"][0]["error"],
        format!("no token: ${VAR} is not set (export {VAR}=<token>, or set token_command)")
    );
    assert!(
        f.server.requests().is_empty(),
        "nothing is sent without a token"
    );
}
