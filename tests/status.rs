//! `shiproom status`, `snapshot` and `check` on the demo: the JSON contract holds every
//! promised field, output is reproducible with a fixed clock, and check reports per source.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-24T09:00:00Z";

fn shiproom(args: &[&str]) -> Output {
    let state = std::env::temp_dir().join(format!("shiproom-status-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .args(args)
        .env("SHIPROOM_NOW", NOW)
        .env("XDG_STATE_HOME", &state)
        .env("XDG_CONFIG_HOME", &state)
        .env("HOME", &state)
        .env("TZ", "UTC")
        .env_remove("SHIPROOM_CONFIG")
        .env_remove("NO_COLOR")
        .output()
        .expect("shiproom runs")
}

fn status_json() -> Value {
    let out = shiproom(&["--demo", "status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn has(object: &Value, fields: &[&str], what: &str) {
    let map = object
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {object}"));
    for field in fields {
        assert!(map.contains_key(*field), "{what} lacks `{field}`: {object}");
    }
}

#[test]
fn status_json_on_the_demo_holds_every_contract_field() {
    let doc = status_json();
    has(
        &doc,
        &[
            "generated_at",
            "environments",
            "services",
            "deploys",
            "locks",
            "sources",
        ],
        "the document",
    );
    assert_eq!(doc["generated_at"], NOW);
    let envs: Vec<&str> = doc["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(
        envs,
        ["dev-1", "dev-2", "staging", "canary", "production"],
        "pipeline order"
    );

    let services = doc["services"].as_array().unwrap();
    assert_eq!(services.len(), 12);
    let mut seen_behind = false;
    let mut seen_impact = false;
    for service in services {
        has(service, &["name", "team", "cells"], "a service");
        let cells = service["cells"].as_object().unwrap();
        assert_eq!(cells.len(), envs.len(), "one cell per environment");
        for cell in cells.values() {
            has(
                cell,
                &[
                    "version",
                    "commit",
                    "status",
                    "deployed_at",
                    "in_flight",
                    "behind",
                    "lock",
                    "impact",
                ],
                "a cell",
            );
            if let Some(in_flight) = cell["in_flight"].as_object() {
                for f in ["version", "status", "started_at"] {
                    assert!(in_flight.contains_key(f), "in_flight lacks {f}");
                }
            }
            if cell["behind"].as_u64().is_some_and(|b| b > 0) {
                seen_behind = true;
            }
            if !cell["impact"].is_null() {
                seen_impact = true;
                has(&cell["impact"], &["verdict", "metrics"], "an impact");
                for m in cell["impact"]["metrics"].as_array().unwrap() {
                    has(m, &["name", "before", "after"], "a metric");
                }
            }
            if !cell["lock"].is_null() {
                has(
                    &cell["lock"],
                    &["reason", "by", "origin", "since", "until"],
                    "a cell's lock",
                );
            }
        }
    }
    assert!(
        seen_behind && seen_impact,
        "the demo shows drift and impact"
    );

    let deploys = doc["deploys"].as_array().unwrap();
    assert!(!deploys.is_empty());
    for d in deploys {
        has(
            d,
            &[
                "service",
                "environment",
                "version",
                "status",
                "started_at",
                "finished_at",
                "impact",
            ],
            "a deploy",
        );
    }
    for lock in doc["locks"].as_array().unwrap() {
        has(
            lock,
            &["reason", "by", "origin", "since", "until"],
            "a lock",
        );
    }
    let sources = doc["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1);
    has(
        &sources[0],
        &[
            "name",
            "kind",
            "ok",
            "last_success",
            "error",
            "requests",
            "targets",
        ],
        "a source",
    );
    assert_eq!(sources[0]["kind"], "demo");
    assert_eq!(
        sources[0]["targets"],
        serde_json::json!([]),
        "the demo is read whole"
    );
}

#[test]
fn status_is_reproducible_with_a_fixed_clock_and_seed() {
    let a = shiproom(&["--demo", "status", "--json"]);
    let b = shiproom(&["--demo", "status", "--json"]);
    assert_eq!(a.stdout, b.stdout);
    let text = shiproom(&["--demo", "status"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("shiproom (DEMO) at 2026-11-24 09:00:00"),
        "{text}"
    );
    assert!(
        text.contains("PRODUCTION") && text.contains("checkout"),
        "{text}"
    );
}

#[test]
fn snapshot_prints_one_frame_of_the_asked_size() {
    let out = shiproom(&["--demo", "snapshot", "--width", "100", "--height", "30"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 30);
    assert!(
        lines.iter().all(|l| l.chars().count() <= 100),
        "every glyph used is one column wide"
    );
    assert!(text.contains("DEMO"));
    assert!(!text.contains('\x1b'), "plain text, no escape sequences");
}

/// `check` acts at the real time (it ignores `SHIPROOM_NOW`), so these use sources whose
/// answer does not depend on the moment: a demo without simulated outages, a refused port.
fn check_with(name: &str, sources: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("shiproom-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("board.yaml");
    std::fs::write(
        &path,
        format!("environments: [{{name: staging}}, {{name: production}}]\nservices: [{{name: api, repository: acme/api, environments: {{staging: {{}}}}}}]\nsources:\n  - {sources}\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .args(["--config", path.to_str().unwrap(), "check"])
        .env("XDG_STATE_HOME", &dir)
        .env("HOME", &dir)
        .env("SHIPROOM_TEST_TOKEN", "not-a-real-token")
        .env_remove("SHIPROOM_NOW")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

#[test]
fn check_reports_each_source_and_exits_0_when_all_answer() {
    let out = check_with("ok", "{name: demo, kind: demo}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("board.yaml — ok (2 environments, 1 service, 1 source)"),
        "{text}"
    );
    assert!(
        text.contains("✓ demo (demo): reachable and authorised"),
        "{text}"
    );
    let demo = shiproom(&["--demo", "check"]);
    let text = String::from_utf8(demo.stdout).unwrap();
    assert!(text.contains("configuration: built-in demo"), "{text}");
}

#[test]
fn check_exits_1_when_a_source_fails() {
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = refused.local_addr().unwrap().port();
    drop(refused);
    let out = check_with(
        "failing",
        &format!(
            "{{name: flaky, kind: github, url: 'http://127.0.0.1:{port}', token_env: SHIPROOM_TEST_TOKEN, timeout: 1s}}"
        ),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("✗ flaky (github): "), "{text}");
}
