//! End to end: the real binary in a pseudo-terminal. The demo board appears, `?` shows the
//! help, `/` filters, `q` exits with status 0, and the terminal is restored — also on SIGTERM.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// A running shiproom in a pseudo-terminal, with everything it wrote.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shiproom"));
        cmd.args(args);
        let state = std::env::temp_dir().join(format!("shiproom-e2e-{}", std::process::id()));
        std::fs::create_dir_all(&state).expect("a state directory");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_STATE_HOME", &state);
        cmd.env("XDG_CONFIG_HOME", &state);
        cmd.env("HOME", &state);
        cmd.env_remove("SHIPROOM_CONFIG");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("shiproom starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("output lock")
                    .extend_from_slice(&chunk[..n]);
            }
        });
        Session {
            child,
            writer,
            output,
            _master: pair.master,
        }
    }

    fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.output.lock().expect("output lock"));
        parser
    }

    /// Waits until the screen shows `text`; panics with the screen when it does not.
    fn wait_for(&self, text: &str) -> String {
        self.wait_for_any(&[text])
    }

    /// Waits until the screen shows one of `texts`.
    fn wait_for_any(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let contents = self.screen().screen().contents();
            if texts.iter().any(|t| contents.contains(t)) {
                return contents;
            }
            if Instant::now() > deadline {
                panic!("the screen never showed any of {texts:?}; it shows:\n{contents}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("keys sent");
        self.writer.flush().expect("keys flushed");
    }

    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "shiproom did not exit; screen:\n{}",
                    self.screen().screen().contents()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The terminal is back as it was: out of the alternate screen, cursor shown.
    fn assert_restored(&self) {
        std::thread::sleep(Duration::from_millis(200));
        let output = self.output.lock().expect("output lock").clone();
        let text = String::from_utf8_lossy(&output);
        let entered = text
            .find("\x1b[?1049h")
            .expect("entered the alternate screen");
        let left = text
            .rfind("\x1b[?1049l")
            .expect("left the alternate screen");
        assert!(left > entered);
        assert!(
            text[left..].contains("\x1b[?25h")
                || text[..left].rfind("\x1b[?25h") > text.rfind("\x1b[?25l"),
            "cursor shown again"
        );
        let parser = self.screen();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
    }
}

#[test]
fn the_demo_board_appears_help_and_filter_work_and_q_restores_the_terminal() {
    let mut s = Session::start(&["--demo"]);
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
    let mut s = Session::start(&["--demo", "--wall"]);
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
    let mut s = Session::start(&["--config", config.to_str().expect("utf-8 path")]);
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
    let mut s = Session::start(&["--config", config.to_str().expect("utf-8 path"), "--wall"]);
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
    let mut s = Session::start(&["--config", config.to_str().expect("utf-8 path")]);
    s.wait_for("no locks");
    std::fs::remove_file(dir.join("locks.json")).expect("the document is deleted");
    s.wait_for("LOCKS UNKNOWN");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    let _ = std::fs::remove_dir_all(dir);
}
