//! The gate never fails open, whatever happened to the file store: a missing directory, a
//! document never created, an empty one, one that vanished, one written by a newer shiproom;
//! `locks` prints no empty list for a store it cannot read; the audit record is part of every
//! change; and writers that were killed leave neither temporary files nor disagreement.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod sandbox;

use sandbox::*;

#[test]
fn gate_fails_closed_on_a_missing_directory_a_missing_document_and_an_empty_one() {
    let s = Sandbox::new("absent");
    let config = s.config(
        "gone.yaml",
        &format!("locks: {{path: {{dir}}/not/mounted/locks.json, audit_log: {{dir}}/audit.jsonl}}\n{FLEET}"),
    );
    let out = s.run(&config, &["gate", "staging"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(stderr(&out).contains("failing closed"), "{}", text(&out));
    assert!(
        stderr(&out).contains("/not/mounted does not exist"),
        "{}",
        text(&out)
    );

    let config = s.alice("");
    let never = s.run(&config, &["gate", "staging"]);
    assert_eq!(code(&never), 1, "never created: {}", text(&never));
    assert!(
        stderr(&never).contains("does not exist yet"),
        "{}",
        text(&never)
    );
    assert!(stdout(&never).is_empty());

    std::fs::write(s.path("store/locks.json"), "").unwrap();
    let empty = s.run(&config, &["gate", "staging"]);
    assert_eq!(
        code(&empty),
        1,
        "an empty file is corrupt: {}",
        text(&empty)
    );
    assert!(stderr(&empty).contains("is empty"), "{}", text(&empty));
    let lock = s.run(&config, &["lock", "staging", "--reason", "x"]);
    assert_eq!(code(&lock), 1, "{}", text(&lock));
    assert_eq!(
        std::fs::read_to_string(s.path("store/locks.json")).unwrap(),
        ""
    );
}

#[test]
fn a_lock_document_that_vanished_is_unknown_not_open() {
    let s = Sandbox::new("vanished");
    let config = s.alice("");
    let first = s.run(&config, &["lock", "production", "--reason", "db failover"]);
    assert_eq!(code(&first), 0, "{}", text(&first));
    assert!(
        stdout(&first).contains("created the lock store"),
        "{}",
        text(&first)
    );
    assert_eq!(code(&s.run(&config, &["gate", "production"])), 3);

    std::fs::remove_file(s.path("store/locks.json")).unwrap();
    let gate = s.run(&config, &["gate", "production"]);
    assert_eq!(code(&gate), 1, "{}", text(&gate));
    assert!(
        stderr(&gate).contains("is gone although the store was in use"),
        "{}",
        text(&gate)
    );
    let again = s.run(&config, &["lock", "staging", "--reason", "x"]);
    assert_eq!(
        code(&again),
        1,
        "a vanished store is not recreated by a lock: {}",
        text(&again)
    );
    assert!(!s.path("store/locks.json").exists());

    let init = s.run(&config, &["check", "--init-store"]);
    assert_eq!(code(&init), 0, "{}", text(&init));
    assert!(
        stdout(&init).contains("started the vanished lock store"),
        "{}",
        text(&init)
    );
    assert_eq!(code(&s.run(&config, &["gate", "production"])), 0);
}

#[test]
fn lock_creates_no_missing_directory_of_a_configured_store() {
    let s = Sandbox::new("nodir");
    let config = s.config(
        "gone.yaml",
        &format!(
            "locks: {{path: {{dir}}/shared/locks.json, audit_log: {{dir}}/audit.jsonl}}\n{FLEET}"
        ),
    );
    let out = s.run(&config, &["lock", "staging", "--reason", "x"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        !s.path("shared").exists(),
        "the shared path is not created locally"
    );
    let init = s.run(&config, &["check", "--init-store"]);
    assert_eq!(code(&init), 1, "{}", text(&init));
    assert!(!s.path("shared").exists());
}

#[test]
fn locks_prints_nothing_on_stdout_when_the_store_cannot_be_read() {
    let s = Sandbox::new("list");
    let config = s.alice("");
    std::fs::write(s.path("store/locks.json"), "{ not a lock document").unwrap();
    for args in [&["locks"][..], &["locks", "--json"][..]] {
        let out = s.run(&config, args);
        assert_eq!(code(&out), 1, "{args:?}: {}", text(&out));
        assert_eq!(
            stdout(&out),
            "",
            "{args:?}: no list a script could read as open"
        );
        assert!(stderr(&out).contains("cannot be read"), "{}", text(&out));
    }
}

#[test]
fn a_document_of_a_newer_version_is_never_written() {
    let s = Sandbox::new("newer");
    let config = s.alice("");
    let newer =
        r#"{"version": 7, "locks": [], "quorum": {"a field": "this shiproom does not know"}}"#;
    std::fs::write(s.path("store/locks.json"), newer).unwrap();
    assert_eq!(code(&s.run(&config, &["gate", "staging"])), 0, "it is read");
    let out = s.run(&config, &["lock", "staging", "--reason", "x"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(
        stderr(&out).contains("is version 7, written by a newer shiproom"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(s.path("store/locks.json")).unwrap(),
        newer
    );
}

#[test]
fn an_audit_log_that_cannot_be_written_refuses_lock_and_unlock() {
    let s = Sandbox::new("audit");
    let config = s.alice("");
    assert_eq!(
        code(&s.run(&config, &["lock", "staging", "--reason", "kept"])),
        0
    );
    // A directory where the log should be: no process, root included, can append to it.
    std::fs::rename(s.path("store/audit.jsonl"), s.path("store/audit.kept")).unwrap();
    std::fs::create_dir(s.path("store/audit.jsonl")).unwrap();

    let lock = s.run(&config, &["lock", "production", "--reason", "unrecorded"]);
    assert_eq!(code(&lock), 1, "{}", text(&lock));
    assert!(
        stderr(&lock).contains("the audit record is part of the change, so nothing was changed"),
        "{}",
        text(&lock)
    );
    let unlock = s.run(&config, &["unlock", "staging"]);
    assert_eq!(code(&unlock), 1, "{}", text(&unlock));
    let scopes: Vec<String> = s
        .stored()
        .iter()
        .map(|l| l["environment"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(scopes, ["staging"], "neither change was made");
}

#[test]
fn killed_writers_leave_no_temporary_file_and_the_audit_log_agrees_with_the_document() {
    let s = Sandbox::new("killed");
    let config = s.alice("");
    assert_eq!(
        code(&s.run(&config, &["lock", "staging", "--reason", "first"])),
        0
    );
    // A temporary file of a writer killed long ago (pid 999999), never audited.
    let stale = s.path("store/.locks.json.999999.tmp");
    std::fs::write(&stale, r#"{"version": 1, "locks": [{"environment": "production", "reason": "ghost", "by": "mallory", "since": "2026-11-24T08:00:00Z"}]}"#).unwrap();
    for round in 0..12u64 {
        let mut child = s
            .command(&[
                "--config",
                config.to_str().unwrap(),
                "lock",
                "staging",
                "-s",
                if round % 2 == 0 { "api" } else { "web" },
                "-r",
                "race",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3 * round));
        let _ = child.kill();
        let _ = child.wait();
        let _ = s.run(&config, &["unlock", "staging", "-s", "api"]);
    }
    let last = s.run(
        &config,
        &["lock", "production", "--reason", "after the kills"],
    );
    assert_eq!(code(&last), 0, "{}", text(&last));
    let temps: Vec<String> = std::fs::read_dir(s.path("store"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(temps.is_empty(), "left behind: {temps:?}");
    assert!(
        !s.stored().iter().any(|l| l["reason"] == "ghost"),
        "an unaudited change is not applied"
    );

    // Replay the audit log: ok lines change the scope, a void line undoes the line it voids.
    let mut held = std::collections::BTreeSet::new();
    let mut last_ok: Option<(String, String)> = None;
    for line in s.audit() {
        let scope = line["scope"].as_str().unwrap().to_string();
        let action = line["action"].as_str().unwrap().to_string();
        let result = line["result"].as_str().unwrap();
        if result == "ok" {
            if action == "lock" {
                held.insert(scope.clone());
            } else {
                held.remove(&scope);
            }
            last_ok = Some((action, scope));
        } else if result.starts_with("void")
            && let Some((action, scope)) = last_ok.take()
        {
            if action == "lock" {
                held.remove(&scope);
            } else {
                held.insert(scope);
            }
        }
    }
    let stored: std::collections::BTreeSet<String> = s
        .stored()
        .iter()
        .map(|l| match l["service"].as_str() {
            Some(service) => format!("{service}@{}", l["environment"].as_str().unwrap()),
            None => l["environment"].as_str().unwrap().to_string(),
        })
        .collect();
    assert_eq!(held, stored, "the audit log and the document agree");
}
