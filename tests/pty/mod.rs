//! The real binary in a pseudo-terminal of any size, resized while it runs: what it wrote, and
//! the screen that writing leaves.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A running shiproom in a pseudo-terminal, with everything it wrote.
pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    master: Box<dyn MasterPty + Send>,
    /// The terminal's size now (columns, rows).
    size: (u16, u16),
    /// A directory of its own for state, config and data.
    pub home: std::path::PathBuf,
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Session {
    /// Starts `shiproom ARGS` in a `cols` × `rows` terminal with a home of its own.
    pub fn start(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(pty_size(cols, rows))
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shiproom"));
        cmd.args(args);
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let home = std::env::temp_dir().join(format!("shiproom-pty-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).expect("a home directory");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        for var in ["XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME"] {
            cmd.env(var, &home);
        }
        cmd.env_remove("SHIPROOM_CONFIG");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("shiproom starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = pair.master.take_writer().expect("a writer");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 16384];
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
            master: pair.master,
            size: (cols, rows),
            home,
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(pty_size(cols, rows))
            .expect("the terminal resizes");
        self.size = (cols, rows);
    }

    /// Everything written so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().expect("output lock").clone()
    }

    /// How many bytes were written so far.
    pub fn written(&self) -> usize {
        self.output.lock().expect("output lock").len()
    }

    /// The screen as a terminal of the current size shows it after everything written.
    pub fn screen(&self) -> vt100::Parser {
        let (cols, rows) = self.size;
        let mut parser = vt100::Parser::new(rows, cols, 0);
        parser.process(&self.output());
        parser
    }

    /// The screen's text, one line per row.
    pub fn contents(&self) -> String {
        self.screen().screen().contents()
    }

    /// Waits until `check` holds for the screen; panics with the screen when it never does.
    pub fn wait_until(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let parser = self.screen();
            if check(parser.screen()) {
                return parser.screen().contents();
            }
            if let Ok(Some(status)) = self.child_status() {
                panic!("shiproom exited ({status}) while waiting for {what}");
            }
            if Instant::now() > deadline {
                panic!(
                    "the screen never showed {what}; it shows:\n{}",
                    parser.screen().contents()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contents().contains(text))
    }

    /// Waits until the screen shows one of `texts`.
    pub fn wait_for_any(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("any of {texts:?}"), |s| {
            let contents = s.contents();
            texts.iter().any(|t| contents.contains(t))
        })
    }

    fn child_status(&self) -> std::io::Result<Option<u32>> {
        // `try_wait` needs `&mut`; a clone of the handle is not offered, so ask by pid.
        let Some(pid) = self.child.process_id() else {
            return Ok(None);
        };
        let alive = std::path::Path::new(&format!("/proc/{pid}")).exists();
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| s.split_whitespace().nth(2) == Some("Z"))
            .unwrap_or(true);
        Ok((!alive || zombie).then_some(1))
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("keys sent");
        self.writer.flush().expect("keys flushed");
    }

    /// Waits for the program to exit; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("shiproom did not exit; screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the program still runs.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The terminal is back as it was: out of the alternate screen, cursor shown, and the
    /// terminal's own modes (the program's raw mode) left.
    pub fn assert_restored(&self) {
        std::thread::sleep(Duration::from_millis(200));
        let output = self.output();
        let text = String::from_utf8_lossy(&output);
        let entered = text
            .find("\x1b[?1049h")
            .expect("entered the alternate screen");
        let left = text
            .rfind("\x1b[?1049l")
            .expect("left the alternate screen");
        assert!(left > entered);
        let parser = self.screen();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}
