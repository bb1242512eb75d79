//! The binary against a local GitHub of three repositories: `status --json` reports each
//! repository under `sources[].targets`, `check` names the failing one and its reason and
//! goes on; a `token_command` that fails after printing the token to stderr has it shown in
//! no output and no log line.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use support::github::*;
use support::{Reply, Server};

const TOKEN: &str = "ghp_SHIPROOMstderrTOKEN24680acegikXYZ";
const REPOS: [&str; 3] = ["acme/checkout", "acme/payments", "acme/ledger"];

struct Fleet {
    _runtime: tokio::runtime::Runtime,
    server: Server,
    dir: PathBuf,
}

/// The three repositories served, and a configuration whose token comes from `token_line`
/// (`TOKEN_FILE` in it is replaced by a file that holds the token).
fn fleet(name: &str, token_line: &str) -> Fleet {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::start());
    for repository in REPOS {
        serve_fleet_of(&server, repository);
    }
    let dir =
        std::env::temp_dir().join(format!("shiproom-gh-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let line = token_line.replace("TOKEN_FILE", &token_file.display().to_string());
    let yaml = fleet_yaml(&server.url, &line, &REPOS, "");
    std::fs::write(dir.join("github.yaml"), yaml).unwrap();
    Fleet {
        _runtime: runtime,
        server,
        dir,
    }
}

fn shiproom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(dir.join("github.yaml"))
        .args(["--log-level", "debug"])
        .args(args)
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

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn status_json_and_check_name_the_failing_repository_and_show_the_others() {
    let f = fleet("targets", "token_command: \"cat TOKEN_FILE\"");
    f.server.on_prefix(
        "/repos/acme/payments",
        Reply::raw(500, r#"{"message":"Server Error"}"#),
    );
    let out = shiproom(&f.dir, &["status", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failing repository makes the board incomplete: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = &doc["sources"][0];
    let targets = source["targets"].as_array().unwrap();
    let names: Vec<&str> = targets
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, REPOS);
    assert_eq!(targets[0]["ok"], true);
    assert_eq!(targets[0]["error"], Value::Null);
    assert_eq!(targets[0]["last_success"], "2026-11-24T09:00:00Z");
    assert_eq!(targets[1]["ok"], false);
    assert_eq!(targets[1]["error"], "500 server error on acme/payments");
    assert_eq!(targets[1]["last_success"], Value::Null);
    assert_eq!(targets[2]["ok"], true);
    let version =
        |service: usize| doc["services"][service]["cells"]["production"]["version"].clone();
    assert_eq!(version(0), "v1.4.0", "checkout is shown");
    assert_eq!(
        version(2),
        "v1.4.0",
        "ledger, after the failing one, is shown"
    );
    assert_eq!(version(1), Value::Null, "payments was never read");

    let out = shiproom(&f.dir, &["check"]);
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("✗ github (github): 1 of 3 repositories failing — "),
        "{report}"
    );
    assert!(
        report.contains("    ✓ acme/checkout: reachable, authorised"),
        "{report}"
    );
    assert!(
        report.contains("    ✗ acme/payments: 500 server error\n"),
        "{report}"
    );
    assert!(
        report.contains("    ✓ acme/ledger: reachable, authorised"),
        "{report}"
    );
}

#[test]
fn a_failing_token_command_that_prints_the_token_to_stderr_leaks_it_nowhere() {
    let f = fleet("stderr", "token_command: \"cat TOKEN_FILE >&2; exit 1\"");
    let mut seen = String::new();
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["check"],
        &["snapshot", "--width", "160", "--height", "40"],
    ] {
        let out = shiproom(&f.dir, args);
        seen.push_str(&text(&out));
        seen.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    let log = std::fs::read_to_string(f.dir.join("state/shiproom/shiproom.log")).unwrap();
    assert!(log.contains("poll"), "the failures are logged: {log}");
    for (what, text) in [("output", &seen), ("log", &log)] {
        assert!(
            !text.contains(TOKEN),
            "the token leaked into the {what}:\n{text}"
        );
        assert!(
            !text.contains("SHIPROOMstderr"),
            "part of the token leaked into the {what}"
        );
    }
    assert!(seen.contains("failed (exit status: 1)"), "{seen}");
    assert!(seen.contains("its output is not shown"), "{seen}");
    assert!(
        f.server.requests().is_empty(),
        "nothing sent without a token"
    );
}

#[test]
fn shiproom_check_runs_a_token_command_once_for_its_poll_and_its_checks() {
    let f = fleet(
        "once",
        "token_command: \"echo run >> RUNS; cat TOKEN_FILE\"",
    );
    let runs = f.dir.join("runs");
    let yaml = std::fs::read_to_string(f.dir.join("github.yaml"))
        .unwrap()
        .replace("RUNS", &runs.display().to_string());
    std::fs::write(f.dir.join("github.yaml"), yaml).unwrap();
    let out = shiproom(&f.dir, &["check"]);
    let text = text(&out);
    assert!(text.contains("acme/ledger"), "{text}");
    let count = std::fs::read_to_string(&runs)
        .unwrap_or_default()
        .lines()
        .count();
    assert_eq!(
        count, 1,
        "the source polled and checked with one read of its token:\n{text}"
    );
}
