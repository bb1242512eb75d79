//! Nothing from outside reaches a terminal or a CI log raw: hostile lock reasons and holders,
//! a hostile `$USER`, hostile command-line names and hostile API data (a deployment's
//! `payload.version`, its status description and creator; a 403 whose message carries
//! escapes) are printed by `lock`, `unlock`, `locks`, `gate`, `status` and `check` with every
//! control character made visible, and no line can be forged. The log file likewise.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use support::github::*;
use support::{Reply, Server};

/// A title change, a screen clear, an OSC 52 clipboard write, a C1 CSI, a right-to-left
/// override, and a line break that would forge a line starting with FORGED.
const HOSTILE: &str =
    "x\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7}\u{9b}2J\u{202e}\nFORGED line";
const VAR: &str = "SHIPROOM_TEST_GITHUB_TOKEN";

struct Fixture {
    _runtime: tokio::runtime::Runtime,
    server: Server,
    dir: PathBuf,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The small GitHub fleet, a deploy in flight to staging made of hostile text, and a lock
/// store: with locks of hostile reasons and holders when `hostile_locks`, else empty.
fn fixture(name: &str, hostile_locks: bool) -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::start());
    serve_fleet(&server);
    let mut hostile = deployment(22, &sha("d22"), "main", "staging", &at(8, 50), "kemal");
    hostile["payload"] = json!({ "version": HOSTILE });
    hostile["creator"]["login"] = json!(HOSTILE);
    let first = deployment(21, &staging_sha(), "v1.5.0", "staging", &at(8, 30), "kemal");
    server.on(
        &format!("{REPO}/deployments"),
        Some("environment=staging"),
        Reply::json(&json!([hostile, first])),
    );
    server.on(
        &format!("{REPO}/deployments/22/statuses"),
        None,
        Reply::json(&json!([status(222, "in_progress", &at(8, 51), HOSTILE)])),
    );

    let dir = std::env::temp_dir().join(format!("shiproom-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let locks = format!(
        "locks: {{path: {d}/locks.json, audit_log: {d}/audit.jsonl}}\n",
        d = dir.display()
    );
    let yaml = config_yaml(&server.url, &format!("token_env: {VAR}"));
    std::fs::write(
        dir.join("alice.yaml"),
        format!("identity: alice\n{locks}{yaml}"),
    )
    .unwrap();
    // No identity: it comes from $USER, which the test makes hostile.
    std::fs::write(dir.join("user.yaml"), format!("{locks}{yaml}")).unwrap();
    let stored = |env: &str, service: Option<&str>| {
        json!({"environment": env, "service": service, "reason": HOSTILE, "by": HOSTILE,
               "since": "2026-11-24T08:00:00Z", "until": null})
    };
    let held = if hostile_locks {
        vec![
            stored("production", None),
            stored("staging", Some("checkout")),
        ]
    } else {
        vec![]
    };
    let doc = json!({"version": 1, "locks": held});
    std::fs::write(dir.join("locks.json"), doc.to_string()).unwrap();
    Fixture {
        _runtime: runtime,
        server,
        dir,
    }
}

fn run(dir: &Path, config: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(dir.join(config))
        .args(args)
        .env(VAR, "ghp_not_a_real_token_0123456789")
        .env("USER", HOSTILE)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("HOME", dir)
        .env("TZ", "UTC")
        .env_remove("SHIPROOM_NOW")
        .env_remove("NO_COLOR")
        .output()
        .expect("shiproom runs")
}

/// No ESC, no BEL, no C1 control, no bidi override, and no line that the hostile text
/// started: everything it held is visible.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!bytes.contains(&0x1b), "{what} holds ESC: {text:?}");
    assert!(!bytes.contains(&0x07), "{what} holds BEL: {text:?}");
    assert!(
        !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "{what} holds a C1 control: {text:?}"
    );
    assert!(
        !text.contains('\u{202e}'),
        "{what} holds a bidi override: {text:?}"
    );
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("FORGED")),
        "{what} holds a forged line: {text}"
    );
}

/// Both streams are clean, and the hostile text did reach one of them (made visible).
fn assert_shown_clean(what: &str, out: &Output) {
    assert_clean(&format!("{what} stdout"), &out.stdout);
    assert_clean(&format!("{what} stderr"), &out.stderr);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("x^[]0;pwned^G") && all.contains("\\nFORGED line"),
        "{what} shows the hostile text, made visible: {all}"
    );
}

#[test]
fn hostile_reasons_holders_and_names_reach_no_lock_command_raw() {
    let f = fixture("locks", true);
    let d = &f.dir;
    let cases: [(&str, &str, Vec<&str>); 7] = [
        (
            "lock held by a hostile lock",
            "alice.yaml",
            vec!["lock", "production", "--reason", "mine"],
        ),
        (
            "unlock of a hostile lock",
            "alice.yaml",
            vec!["unlock", "production"],
        ),
        ("locks", "alice.yaml", vec!["locks"]),
        (
            "gate",
            "alice.yaml",
            vec!["gate", "staging", "--service", "checkout"],
        ),
        (
            "gate of a hostile name",
            "alice.yaml",
            vec!["gate", HOSTILE],
        ),
        (
            "lock with a hostile reason",
            "alice.yaml",
            vec!["lock", "staging", "--reason", HOSTILE],
        ),
        (
            "lock with a hostile service",
            "alice.yaml",
            vec!["lock", "staging", "-s", HOSTILE, "-r", "x"],
        ),
    ];
    for (what, config, args) in cases {
        let out = run(d, config, &args);
        assert_shown_clean(what, &out);
    }
}

#[test]
fn a_hostile_user_name_as_identity_is_stored_and_shown_visible() {
    let f = fixture("user", false);
    let out = run(
        &f.dir,
        "user.yaml",
        &["lock", "staging", "--reason", "release train"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = run(&f.dir, "alice.yaml", &["unlock", "staging"]);
    assert_eq!(out.status.code(), Some(3), "someone else's lock: {out:?}");
    assert_shown_clean("unlock of a lock taken by a hostile $USER", &out);
    let audit = std::fs::read_to_string(f.dir.join("audit.jsonl")).unwrap();
    assert!(audit.contains("x^[]0;pwned^G"), "{audit}");
}

#[test]
fn hostile_api_data_reaches_neither_status_nor_check_nor_the_log_raw() {
    let f = fixture("api", false);
    let out = run(&f.dir, "alice.yaml", &["status"]);
    assert!(out.status.success(), "{out:?}");
    assert_shown_clean("status", &out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("checkout -> staging  x^[]0;pwned^G") && text.contains("by x^[]0;pwned^G"),
        "the deploy in flight shows its hostile version and creator, visible: {text}"
    );

    // A 403 whose message carries escapes and a forged line.
    let body = json!({ "message": format!("nope {HOSTILE}") }).to_string();
    for path in ["deployments", "environments"] {
        let body = body.clone();
        f.server.on_fn(&format!("{REPO}/{path}"), None, move |_| {
            Reply::raw(403, &body)
        });
    }
    f.server.on_fn(
        &format!("{REPO}/deployments"),
        Some("environment=staging"),
        {
            let body = body.clone();
            move |_| Reply::raw(403, &body)
        },
    );
    let status = run(&f.dir, "alice.yaml", &["status"]);
    assert_shown_clean("status with a 403", &status);
    let check = run(&f.dir, "alice.yaml", &["--log-level", "debug", "check"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert_shown_clean("check with a 403", &check);
    let log = std::fs::read(f.dir.join("state/shiproom/shiproom.log")).unwrap();
    assert_clean("the log", &log);
    assert!(
        String::from_utf8_lossy(&log).contains("pwned"),
        "the error is logged"
    );
}

#[test]
fn json_output_keeps_the_hostile_text_exact_and_escaped() {
    let f = fixture("json", true);
    let out = run(&f.dir, "alice.yaml", &["locks", "--json"]);
    assert!(out.status.success(), "{out:?}");
    assert_clean("locks --json", &out.stdout);
    let locks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        locks
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["reason"] == HOSTILE),
        "the reason is exact: {locks}"
    );
}
