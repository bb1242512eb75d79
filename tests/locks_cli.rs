//! `shiproom lock`, `unlock`, `locks` and `gate` against the file store: exit codes, the
//! audit log, schedules, failing closed, and twenty processes racing for one lock. They run at
//! the real time (gate and lock ignore `SHIPROOM_NOW`): the team's zone is chosen so that it
//! is about noon there now, inside deploy hours of 09:00-15:30 and outside 00:00-06:00.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Timelike;

/// Production's deploy hours that are open now (about noon in `zone_at_noon`).
const OPEN_HOURS: &str = "daily 09:00-15:30";
/// Deploy hours that are closed now.
const AFTER_HOURS: &str = "daily 00:00-06:00";

/// A fixed-offset zone in which it is 12:xx now.
fn zone_at_noon() -> String {
    let offset = 12 - chrono::Utc::now().hour() as i32;
    match offset {
        0 => "Etc/GMT".to_string(),
        o if o > 0 => format!("Etc/GMT-{o}"), // three hours ahead of UTC is GMT-3 (POSIX)
        o => format!("Etc/GMT+{}", -o),
    }
}

/// A temporary directory with a configuration whose file store lives inside it.
struct Setup {
    dir: PathBuf,
}

impl Setup {
    /// Alice's and Bob's configurations with production open now, and the store created.
    fn new(name: &str) -> Setup {
        Setup::with_hours(name, OPEN_HOURS)
    }

    fn with_hours(name: &str, hours: &str) -> Setup {
        let dir =
            std::env::temp_dir().join(format!("shiproom-locks-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let setup = Setup { dir };
        setup.write_config("alice.yaml", "alice", hours);
        setup.write_config("bob.yaml", "bob", hours);
        let init = setup.run("alice", &["check", "--init-store"]);
        assert_eq!(code(&init), 0, "{}", text(&init));
        setup
    }

    fn write_config(&self, file: &str, identity: &str, hours: &str) {
        let services: String = (0..20)
            .map(|i| format!("  - {{name: svc-{i:02}}}\n"))
            .collect();
        let yaml = format!(
            "identity: {identity}\ntimezone: {zone}\nlocks:\n  path: {dir}/locks.json\n  audit_log: {dir}/audit.jsonl\nenvironments:\n  - name: staging\n  - name: production\n    protected: true\n    deploy_hours: \"{hours}\"\nservices:\n{services}sources:\n  - {{name: fleet, kind: demo, paused: true, simulate_locks: false}}\n",
            dir = self.dir.display(),
            zone = zone_at_noon(),
        );
        std::fs::write(self.dir.join(file), yaml).unwrap();
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn command(&self, who: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiproom"));
        cmd.arg("--config")
            .arg(self.path(&format!("{who}.yaml")))
            .args(args);
        cmd.env("XDG_STATE_HOME", &self.dir)
            .env("HOME", &self.dir)
            .env_remove("SHIPROOM_NOW");
        cmd
    }

    fn run(&self, who: &str, args: &[&str]) -> Output {
        self.command(who, args).output().unwrap()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn stored_locks(path: &Path) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .expect("the lock file stays valid JSON");
    doc["locks"].as_array().unwrap().clone()
}

#[test]
fn gate_is_open_then_closed_by_a_manual_lock_then_open_again() {
    let s = Setup::new("gate");
    let open = s.run("alice", &["gate", "staging"]);
    assert_eq!(code(&open), 0, "{}", text(&open));

    let lock = s.run(
        "alice",
        &[
            "lock",
            "staging",
            "--reason",
            "incident 4711",
            "--for",
            "2h",
        ],
    );
    assert_eq!(code(&lock), 0, "{}", text(&lock));
    assert!(
        text(&lock).contains("locked staging: \"incident 4711\" (opens in 2h00m)"),
        "{}",
        text(&lock)
    );

    let closed = s.run("bob", &["gate", "staging"]);
    assert_eq!(code(&closed), 3, "{}", text(&closed));
    let why = String::from_utf8_lossy(&closed.stderr).to_string();
    assert!(
        why.contains("staging  manual  by alice")
            && why.contains("incident 4711")
            && why.contains("opens in 2h00m"),
        "{why}"
    );

    // A service gate is closed by the environment's lock too.
    assert_eq!(
        code(&s.run("bob", &["gate", "staging", "--service", "svc-01"])),
        3
    );

    let unlock = s.run("alice", &["unlock", "staging"]);
    assert_eq!(code(&unlock), 0, "{}", text(&unlock));
    assert_eq!(code(&s.run("bob", &["gate", "staging"])), 0);
}

#[test]
fn gate_is_closed_outside_deploy_hours_with_the_schedule_as_reason() {
    let s = Setup::new("schedule");
    assert_eq!(code(&s.run("alice", &["gate", "production"])), 0);
    let s = Setup::with_hours("schedule-closed", AFTER_HOURS);
    let closed = s.run("alice", &["gate", "production"]);
    assert_eq!(code(&closed), 3, "{}", text(&closed));
    let why = String::from_utf8_lossy(&closed.stderr).to_string();
    assert!(why.contains("production  schedule"), "{why}");
    let hours = format!(
        "outside deploy hours (daily 00:00–06:00 {})",
        zone_at_noon()
    );
    assert!(why.contains(&hours), "{why}");
    assert!(
        why.contains("opens in 11h") || why.contains("opens in 12h00m"),
        "opens at midnight there, about twelve hours from noon: {why}"
    );
}

#[test]
fn gate_fails_closed_when_the_store_cannot_be_read() {
    let s = Setup::new("down");
    std::fs::write(s.path("locks.json"), "{ this is not a lock document").unwrap();
    let out = s.run("alice", &["gate", "staging"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        text(&out).contains("cannot tell whether deploys are allowed (failing closed)"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("is not a lock document"),
        "{}",
        text(&out)
    );
}

#[test]
fn check_and_status_say_when_the_lock_store_cannot_be_read() {
    let s = Setup::new("check");
    let ok = s.run("alice", &["check"]);
    assert_eq!(code(&ok), 0, "{}", text(&ok));
    assert!(text(&ok).contains("✓ lock store (file "), "{}", text(&ok));
    std::fs::write(s.path("locks.json"), "not json").unwrap();
    let bad = s.run("alice", &["check"]);
    assert_eq!(code(&bad), 1, "{}", text(&bad));
    assert!(
        text(&bad).contains("✗ lock store (file ") && text(&bad).contains("is not a lock document"),
        "{}",
        text(&bad)
    );
    let status = s.run("alice", &["status", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert!(
        doc["locks_unknown"]
            .as_str()
            .is_some_and(|w| w.contains("is not a lock document")),
        "{doc}"
    );
}

#[test]
fn gate_and_lock_refuse_unknown_names_with_status_2() {
    let s = Setup::new("usage");
    let out = s.run("alice", &["gate", "prod"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out).contains("unknown environment `prod` (expected one of: staging, production)"),
        "{}",
        text(&out)
    );
    let out = s.run(
        "alice",
        &["lock", "staging", "--service", "nope", "--reason", "x"],
    );
    assert_eq!(code(&out), 2);
    let out = s.run("alice", &["lock", "staging", "--reason", "  "]);
    assert_eq!(code(&out), 2, "an empty reason is refused");
    let out = s.run(
        "alice",
        &["lock", "staging", "--reason", "x", "--for", "soon"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        text(&out).contains("--for: `soon` is not a duration"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_second_lock_is_refused_with_the_holder_and_unlock_needs_the_holder_or_force() {
    let s = Setup::new("holder");
    assert_eq!(
        code(&s.run("alice", &["lock", "production", "--reason", "db migration"])),
        0
    );
    let again = s.run("bob", &["lock", "production", "--reason", "mine"]);
    assert_eq!(code(&again), 3);
    assert!(
        text(&again).contains("production is already locked by alice"),
        "{}",
        text(&again)
    );
    assert!(text(&again).contains("db migration"), "{}", text(&again));

    let not_yours = s.run("bob", &["unlock", "production"]);
    assert_eq!(code(&not_yours), 3, "{}", text(&not_yours));
    assert!(
        text(&not_yours).contains("locked by alice, not you"),
        "{}",
        text(&not_yours)
    );
    assert_eq!(code(&s.run("bob", &["unlock", "production", "--force"])), 0);
    let nothing = s.run("alice", &["unlock", "production"]);
    assert_eq!(code(&nothing), 1, "no manual lock left: {}", text(&nothing));

    let audit = std::fs::read_to_string(s.path("audit.jsonl")).unwrap();
    let results: Vec<(String, String, String)> = audit
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            (
                v["who"].as_str().unwrap().into(),
                v["action"].as_str().unwrap().into(),
                v["result"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("alice", "lock", "ok"),
        ("bob", "lock", "refused: held by alice"),
        ("bob", "unlock", "refused: held by alice"),
        ("bob", "unlock (forced)", "ok"),
        ("alice", "unlock", "refused: not locked"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(results, expected);
}

#[test]
fn locks_lists_manual_and_schedule_locks_as_json() {
    let s = Setup::with_hours("list", AFTER_HOURS);
    assert_eq!(
        code(&s.run(
            "alice",
            &[
                "lock",
                "staging",
                "--service",
                "svc-03",
                "--reason",
                "flaky tests"
            ]
        )),
        0
    );
    let out = s.run("alice", &["locks", "--json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let locks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let summary: Vec<(String, String)> = locks
        .iter()
        .map(|l| {
            (
                l["scope"].as_str().unwrap().to_string(),
                l["origin"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("production".to_string(), "schedule".to_string()),
            ("svc-03@staging".to_string(), "manual".to_string())
        ]
    );
    assert_eq!(locks[1]["by"], "alice");
    assert_eq!(locks[1]["until"], serde_json::Value::Null);
}

#[test]
fn twenty_processes_racing_for_one_scope_leave_exactly_one_winner_and_a_valid_file() {
    let s = Setup::new("race");
    let children: Vec<_> = (0..20)
        .map(|i| {
            s.command(
                if i % 2 == 0 { "alice" } else { "bob" },
                &["lock", "production", "--reason", &format!("racer {i}")],
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
        })
        .collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap_or(-1))
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 3).count(), 19, "{codes:?}");
    assert_eq!(stored_locks(&s.path("locks.json")).len(), 1);
}

#[test]
fn twenty_processes_locking_different_scopes_lose_no_lock() {
    let s = Setup::new("many");
    let children: Vec<_> = (0..20)
        .map(|i| {
            let service = format!("svc-{i:02}");
            s.command(
                "alice",
                &[
                    "lock",
                    "staging",
                    "--service",
                    &service,
                    "--reason",
                    "batch",
                ],
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        assert_eq!(child.wait_with_output().unwrap().status.code(), Some(0));
    }
    assert_eq!(stored_locks(&s.path("locks.json")).len(), 20);
}

#[test]
fn gate_asks_no_source_that_cannot_lock_so_ci_needs_no_api_token() {
    let s = Setup::new("ghgate");
    // A GitHub API that must never be called: any connection to it is a failure.
    let api = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    api.set_nonblocking(true).unwrap();
    let port = api.local_addr().unwrap().port();
    let yaml = format!(
        "identity: ci\nlocks: {{path: {d}/locks.json, audit_log: {d}/audit.jsonl}}\nenvironments: [{{name: staging}}, {{name: production}}]\nservices:\n  - {{name: api, repository: acme/api, environments: {{production: {{}}, staging: {{}}}}}}\nsources:\n  - {{name: github, kind: github, url: 'http://127.0.0.1:{port}', token_env: SHIPROOM_TEST_GITHUB_TOKEN, timeout: 1s}}\n",
        d = s.dir.display()
    );
    std::fs::write(s.path("ci.yaml"), yaml).unwrap();
    let run = |args: &[&str]| {
        s.command("ci", args)
            .env(
                "SHIPROOM_TEST_GITHUB_TOKEN",
                "ghp_a_token_the_gate_must_not_use",
            )
            .output()
            .unwrap()
    };
    let out = run(&["gate", "production", "--service", "api"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(
        code(&run(&["lock", "production", "--reason", "release train"])),
        0
    );
    let locked = run(&["gate", "production", "--service", "api"]);
    assert_eq!(code(&locked), 3, "{}", text(&locked));
    assert_eq!(code(&run(&["locks"])), 0);
    match api.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("gate or locks called the GitHub API: {other:?}"),
    }
}
