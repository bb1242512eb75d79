//! A sandbox for running the binary: a fresh directory that is its home (state, data and
//! config directories inside it), configurations written into it, and helpers to read what a
//! run printed.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Environments, services and a demo source that never changes: the body of a configuration.
pub const FLEET: &str = "environments:\n  - name: staging\n  - name: production\nservices:\n  - {name: api}\n  - {name: web}\nsources:\n  - {name: fleet, kind: demo, paused: true, simulate_locks: false}\n";

pub struct Sandbox {
    pub dir: PathBuf,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let dir =
            std::env::temp_dir().join(format!("shiproom-sandbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes `yaml` as the configuration `name`, with `{dir}` replaced by the sandbox.
    pub fn config(&self, name: &str, yaml: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(
            &path,
            yaml.replace("{dir}", &self.dir.display().to_string()),
        )
        .unwrap();
        path
    }

    /// A configuration of alice whose store and audit log are `store/` in the sandbox (the
    /// directory is created, the store not), with `extra` lines before the fleet.
    pub fn alice(&self, extra: &str) -> PathBuf {
        std::fs::create_dir_all(self.path("store")).unwrap();
        self.config(
            "alice.yaml",
            &format!("identity: alice\nlocks: {{path: {{dir}}/store/locks.json, audit_log: {{dir}}/store/audit.jsonl}}\n{extra}{FLEET}"),
        )
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiproom"));
        cmd.args(args)
            .env("HOME", &self.dir)
            .env("XDG_STATE_HOME", self.dir.join("state"))
            .env("XDG_DATA_HOME", self.dir.join("data"))
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("TZ", "UTC")
            .env_remove("SHIPROOM_NOW")
            .env_remove("SHIPROOM_CONFIG")
            .env_remove("NO_COLOR");
        cmd
    }

    /// Runs shiproom with `config` (a path) and `args`.
    pub fn run(&self, config: &Path, args: &[&str]) -> Output {
        self.command(&["--config", config.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap()
    }

    /// The lines of the audit log at `store/audit.jsonl`, parsed.
    pub fn audit(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.path("store/audit.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The locks in the document at `store/locks.json`.
    pub fn stored(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.path("store/locks.json")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        doc["locks"].as_array().unwrap().clone()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Both streams, for assertion messages.
pub fn text(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// Permission bits of `path`.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}
