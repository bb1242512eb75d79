//! Without `locks.path`, each configuration has a store of its own in the data directory,
//! and the demo one of its own: a lock taken on the demo board never closes a real gate, and
//! `check` says which store and audit log are used and whether they are shared. A gate never
//! creates a store; any other command creates the default one at its first use.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod sandbox;

use sandbox::*;

#[test]
fn a_lock_on_the_demo_does_not_close_a_real_gate() {
    let s = Sandbox::new("demo");
    let demo = s
        .command(&["--demo", "lock", "production", "--reason", "demo incident"])
        .output()
        .unwrap();
    assert_eq!(code(&demo), 0, "{}", text(&demo));
    assert!(s.path("data/shiproom/demo-locks.json").is_file());
    assert!(s.path("data/shiproom/demo-audit.jsonl").is_file());

    let real = s.config("github.yaml", FLEET);
    assert_eq!(
        code(&s.run(&real, &["locks"])),
        0,
        "creates this configuration's store"
    );
    let gate = s.run(&real, &["gate", "production"]);
    assert_eq!(
        code(&gate),
        0,
        "the demo's lock is not this configuration's: {}",
        text(&gate)
    );
    let demo_gate = s
        .command(&["--demo", "gate", "production"])
        .output()
        .unwrap();
    assert_eq!(code(&demo_gate), 3, "{}", text(&demo_gate));
}

#[test]
fn each_configuration_file_gets_its_own_store_and_check_names_it() {
    let s = Sandbox::new("own");
    let a = s.config("a.yaml", FLEET);
    let b = s.config("b.yaml", FLEET);
    assert_eq!(
        code(&s.run(&a, &["lock", "staging", "--reason", "only a"])),
        0
    );
    assert_eq!(code(&s.run(&a, &["gate", "staging"])), 3);
    assert_eq!(code(&s.run(&b, &["check"])), 0);
    assert_eq!(
        code(&s.run(&b, &["gate", "staging"])),
        0,
        "b has its own store"
    );

    let check = s.run(&a, &["check"]);
    let out = stdout(&check);
    assert!(out.contains("✓ lock store (file "), "{out}");
    assert!(out.contains("readable, 1 manual lock\n"), "{out}");
    let store_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("store: file "))
        .unwrap();
    assert!(store_line.contains("/data/shiproom/locks-"), "{store_line}");
    assert!(
        store_line.contains(".json (this configuration's own); audit log: "),
        "{store_line}"
    );
    assert!(store_line.contains("/data/shiproom/audit-"), "{store_line}");

    let shared = s.alice("");
    let out = stdout(&s.run(&shared, &["check"]));
    assert!(
        out.contains("(configured: shared by every configuration that names it)"),
        "{out}"
    );
}

#[test]
fn a_gate_never_creates_the_default_store_and_fails_closed_without_one() {
    let s = Sandbox::new("ci");
    let ci = s.config("ci.yaml", FLEET);
    let gate = s.run(&ci, &["gate", "staging"]);
    assert_eq!(
        code(&gate),
        1,
        "a runner that never had a store cannot tell: {}",
        text(&gate)
    );
    assert!(
        stderr(&gate).contains("does not exist yet"),
        "{}",
        text(&gate)
    );
    assert!(
        !s.path("data/shiproom").exists()
            || std::fs::read_dir(s.path("data/shiproom"))
                .unwrap()
                .next()
                .is_none()
    );
    assert_eq!(code(&s.run(&ci, &["check", "--init-store"])), 0);
    assert_eq!(code(&s.run(&ci, &["gate", "staging"])), 0);
}

#[test]
fn the_store_all_configurations_shared_before_is_pointed_out() {
    let s = Sandbox::new("former");
    std::fs::create_dir_all(s.path("data/shiproom")).unwrap();
    std::fs::write(
        s.path("data/shiproom/locks.json"),
        r#"{"version": 1, "locks": []}"#,
    )
    .unwrap();
    let config = s.config("own.yaml", FLEET);
    let out = stdout(&s.run(&config, &["check"]));
    assert!(
        out.contains(
            "/data/shiproom/locks.json (the store every configuration shared before) still exists"
        ),
        "{out}"
    );
}
