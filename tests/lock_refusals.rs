//! What `lock`, `unlock` and `gate` refuse or ignore: `SHIPROOM_NOW` (only `status` and
//! `snapshot` read it), durations past a year (no overflow panic), `--read-only`, `--wall`, a
//! read-only configuration and view-only environments (exit 2 and an audit line each); and
//! the files they create are private.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod sandbox;

use sandbox::*;

#[test]
fn shiproom_now_opens_no_gate_and_dates_no_lock() {
    let s = Sandbox::new("now");
    let config = s.alice("");
    let mut lock = s.command(&["--config", config.to_str().unwrap()]);
    lock.args(["lock", "staging", "--reason", "incident", "--for", "1h"])
        .env("SHIPROOM_NOW", "2030-01-01T00:00:00Z");
    let out = lock.output().unwrap();
    assert_eq!(code(&out), 0, "{}", text(&out));
    let since = s.stored()[0]["since"].as_str().unwrap().to_string();
    assert!(
        !since.starts_with("2030"),
        "the lock is taken now, not in 2030: {since}"
    );

    let mut gate = s.command(&["--config", config.to_str().unwrap()]);
    gate.args(["gate", "staging"])
        .env("SHIPROOM_NOW", "2030-01-01T00:00:00Z");
    let out = gate.output().unwrap();
    assert_eq!(
        code(&out),
        3,
        "a lock that lifts in an hour is in force now: {}",
        text(&out)
    );

    let help = s.command(&["--help"]).output().unwrap();
    assert!(
        stdout(&help).contains(
            "SHIPROOM_NOW=2026-11-24T09:00:00Z sets the moment `status` and `snapshot` report at"
        ),
        "{}",
        text(&help)
    );
}

#[test]
fn durations_past_a_year_are_refused_without_a_panic() {
    let s = Sandbox::new("overflow");
    let config = s.alice("");
    for (args, says) in [
        (&["--for", "100000000d"][..], "is longer than ten years"),
        (
            &["--for", "18446744073709551615"][..],
            "is longer than ten years",
        ),
        (
            &["--for", "400d"][..],
            "is longer than a lock may last (365d)",
        ),
        (
            &["--until", "2999-01-01T00:00:00Z"][..],
            "more than 365 days away",
        ),
    ] {
        let out = s.run(
            &config,
            &[&["lock", "staging", "--reason", "x"][..], args].concat(),
        );
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", text(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", text(&out));
    }
    let out = s.run(
        &config,
        &["lock", "staging", "--reason", "x", "--for", "365d"],
    );
    assert_eq!(code(&out), 0, "a year is allowed: {}", text(&out));
}

#[test]
fn a_reason_too_long_or_with_control_characters_is_refused() {
    let s = Sandbox::new("reason");
    let config = s.alice("");
    let long = "x".repeat(501);
    for (reason, says) in [
        (long.as_str(), "501 characters long: keep it to 500"),
        ("two\nlines", "holds a control character"),
        ("tab\there", "holds a control character"),
    ] {
        let out = s.run(&config, &["lock", "staging", "--reason", reason]);
        assert_eq!(code(&out), 2, "{}", text(&out));
        assert!(stderr(&out).contains(says), "{}", text(&out));
    }
}

/// The last audit line, as (action, result).
fn last_audit(s: &Sandbox) -> (String, String) {
    let line = s.audit().pop().expect("an audit line");
    (
        line["action"].as_str().unwrap().to_string(),
        line["result"].as_str().unwrap().to_string(),
    )
}

#[test]
fn read_only_and_wall_refuse_lock_and_unlock_with_status_2_and_an_audit_line() {
    let s = Sandbox::new("readonly");
    let config = s.alice("");
    assert_eq!(
        code(&s.run(&config, &["lock", "staging", "--reason", "kept"])),
        0
    );
    let c = config.to_str().unwrap();
    for (flag, verb, says) in [
        ("--read-only", "lock", "read-only mode (--read-only)"),
        ("--read-only", "unlock", "read-only mode (--read-only)"),
        ("--wall", "lock", "wall display is read-only (--wall)"),
        ("--wall", "unlock", "wall display is read-only (--wall)"),
    ] {
        let mut args = vec!["--config", c, flag, verb, "production"];
        if verb == "lock" {
            args.extend(["--reason", "x"]);
        }
        let out = s.command(&args).output().unwrap();
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
        assert!(
            stderr(&out).contains(&format!("refused to {verb} production: {says}")),
            "{}",
            text(&out)
        );
        assert_eq!(
            last_audit(&s),
            (verb.to_string(), format!("refused: {says}"))
        );
    }
    assert_eq!(s.stored().len(), 1, "nothing changed");
}

#[test]
fn a_read_only_configuration_and_a_view_only_environment_are_honoured() {
    let s = Sandbox::new("configured");
    let config = s.alice("read_only: true\n");
    let out = s.run(&config, &["lock", "staging", "--reason", "x"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        stderr(&out).contains("read-only configuration (`read_only: true`)"),
        "{}",
        text(&out)
    );
    assert_eq!(
        last_audit(&s).1,
        "refused: read-only configuration (`read_only: true`)"
    );
    let init = s.run(&config, &["check", "--init-store"]);
    assert_eq!(
        code(&init),
        2,
        "creating the store changes the world: {}",
        text(&init)
    );

    let view_only = s.config(
        "view.yaml",
        "identity: bob\nlocks: {path: {dir}/store/locks.json, audit_log: {dir}/store/audit.jsonl}\nenvironments:\n  - name: staging\n  - {name: production, view_only: true}\nservices: [{name: api}]\nsources: [{name: fleet, kind: demo, paused: true, simulate_locks: false}]\n",
    );
    assert_eq!(
        code(&s.run(&view_only, &["lock", "staging", "--reason", "ok here"])),
        0
    );
    for args in [
        &["lock", "production", "--reason", "x"][..],
        &["unlock", "production", "--force"][..],
    ] {
        let out = s.run(&view_only, args);
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
        assert!(
            stderr(&out).contains("production is view-only here"),
            "{}",
            text(&out)
        );
        assert!(
            last_audit(&s)
                .1
                .starts_with("refused: production is view-only")
        );
    }
    assert_eq!(
        code(&s.run(&view_only, &["gate", "production"])),
        0,
        "its gate still answers"
    );
}

#[cfg(unix)]
#[test]
fn the_log_state_and_data_directories_store_and_audit_log_are_private() {
    let s = Sandbox::new("modes");
    let config = s.config("own.yaml", FLEET);
    let out = s.run(&config, &["lock", "staging", "--reason", "mine alone"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let data = s.path("data/shiproom");
    let files: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        files.len(),
        3,
        "store, its OS lock and the audit log: {files:?}"
    );
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&s.path("state/shiproom")), 0o700);
    assert_eq!(mode(&s.path("state/shiproom/shiproom.log")), 0o600);
}
