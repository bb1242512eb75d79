//! End to end: the real binary in a pseudo-terminal. The demo board appears, `?` shows the
//! help, `/` filters, `q` exits with status 0, and the terminal is restored — also on SIGTERM.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod pty;

use std::time::Duration;

use pty::Session;

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// shiproom with `args` in a 100×30 terminal.
fn start(args: &[&str]) -> Session {
    Session::start(args, COLS, ROWS, &[])
}

#[test]
fn the_demo_board_appears_help_and_filter_work_and_q_restores_the_terminal() {
    let mut s = start(&["--demo"]);
    let board = s.wait_for("DEMO");
    assert!(
        board.contains("checkout") && board.contains("PRODUCTION"),
        "{board}"
    );
    // The demo source answers (or, during its simulated outage, says why it does not).
    s.wait_for_any(&["demo ok", "demo failing"]);

    s.send("?");
    let help = s.wait_for("Help");
    assert!(help.contains("filter services by name"), "{help}");
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));

    s.send("/ledg");
    let filtered = s.wait_for("filter: ledg");
    s.send("\r");
    let screen = s.wait_for("1 service ");
    // The focused board has the heavy border; its service rows are the only ones filtered.
    let board_rows: Vec<&str> = screen.lines().filter(|l| l.starts_with('┃')).collect();
    assert!(
        board_rows.iter().any(|l| l.contains("ledger")),
        "{filtered}\n{screen}"
    );
    assert!(
        !board_rows.iter().any(|l| l.contains("checkout")),
        "{screen}"
    );

    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn sigterm_leaves_cleanly_and_restores_the_terminal() {
    let mut s = start(&["--demo", "--wall"]);
    s.wait_for("WALL");
    let pid = s.child.process_id().expect("a pid");
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(killed.success());
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

/// A configuration whose lock store and audit log live in a fresh directory.
fn lock_config(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("shiproom-e2e-lock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a directory");
    let yaml = format!(
        "identity: alice\nlocks: {{path: {d}/locks.json, audit_log: {d}/audit.jsonl}}\nenvironments: [{{name: staging}}, {{name: production}}]\nservices: [{{name: api}}, {{name: web}}]\nsources: [{{name: fleet, kind: demo, paused: true, simulate_locks: false}}]\n",
        d = dir.display()
    );
    let config = dir.join("board.yaml");
    std::fs::write(&config, yaml).expect("the configuration is written");
    // A configured store exists only once created: as an operator would, create it first.
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .arg("--config")
        .arg(&config)
        .args(["check", "--init-store"])
        .env("XDG_STATE_HOME", &dir)
        .env("HOME", &dir)
        .output()
        .expect("shiproom runs");
    assert!(init.status.success(), "{init:?}");
    (dir, config)
}

#[test]
fn l_with_a_reason_locks_the_cell_and_the_lock_shows_at_once() {
    let (dir, config) = lock_config("tui");
    let mut s = start(&["--config", config.to_str().expect("utf-8 path")]);
    s.wait_for("no locks");
    s.send("L");
    s.wait_for("Lock — enter locks");
    s.send("smoke tests failing");
    s.wait_for("smoke tests failing");
    s.send("\r");
    s.wait_for("locked api@staging");
    s.wait_for("1 lock: api@staging");
    let stored = std::fs::read_to_string(dir.join("locks.json")).expect("the lock is stored");
    assert!(
        stored.contains("smoke tests failing") && stored.contains("\"by\": \"alice\""),
        "{stored}"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_wall_display_refuses_to_lock_and_says_so() {
    let (dir, config) = lock_config("wall");
    let mut s = start(&["--config", config.to_str().expect("utf-8 path"), "--wall"]);
    s.wait_for("WALL");
    s.send("L");
    s.wait_for("wall display is read-only");
    assert!(
        !s.screen()
            .screen()
            .contents()
            .contains("Lock — enter locks")
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).unwrap_or_default();
    assert!(
        audit.contains("refused: wall display is read-only"),
        "the refusal is recorded: {audit}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_lock_document_deleted_under_the_board_makes_locks_unknown_not_open() {
    let (dir, config) = lock_config("vanish");
    let mut s = start(&["--config", config.to_str().expect("utf-8 path")]);
    s.wait_for("no locks");
    std::fs::remove_file(dir.join("locks.json")).expect("the document is deleted");
    s.wait_for("LOCKS UNKNOWN");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    let _ = std::fs::remove_dir_all(dir);
}
