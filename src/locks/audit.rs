//! The audit log: every lock, unlock and refused action, one JSON line each, appended to a
//! file in the data directory (or a configured path shared by a team on one host).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub time: DateTime<Utc>,
    pub who: String,
    /// "lock", "unlock".
    pub action: String,
    /// "production" or "checkout@production".
    pub scope: String,
    pub reason: String,
    /// "ok", or why it did not happen ("refused: wall display", "held by alice").
    pub result: String,
}

/// The log at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
}

/// The audit action of a deploy that started while its cell was locked.
pub const BREACH: &str = "breach";

/// How many entries the locks panel's history reads back.
pub const HISTORY: usize = 50;

impl AuditLog {
    pub fn new(path: impl Into<PathBuf>) -> AuditLog {
        AuditLog { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry as one write to a file opened for appending, so entries from several
    /// processes do not interleave.
    pub fn append(&self, entry: &AuditEntry) -> Result<(), String> {
        let fail = |what: &str, e: &dyn std::fmt::Display| {
            format!("audit log {}: {what}: {e}", self.path.display())
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| fail("cannot create its directory", &e))?;
        }
        let mut line = serde_json::to_string(entry).map_err(|e| fail("cannot encode", &e))?;
        line.push('\n');
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| fail("cannot open", &e))?;
        file.write_all(line.as_bytes())
            .map_err(|e| fail("cannot write", &e))
    }

    /// The newest `count` entries, newest first, from the last 64 KiB of the file (a long
    /// history costs the board nothing). Lines that do not parse are skipped.
    pub fn recent(&self, count: usize) -> Vec<AuditEntry> {
        use std::io::{Read, Seek, SeekFrom};
        const TAIL: u64 = 64 * 1024;
        let Ok(mut file) = fs::File::open(&self.path) else {
            return Vec::new();
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let start = len.saturating_sub(TAIL);
        let mut bytes = Vec::new();
        if file.seek(SeekFrom::Start(start)).is_err() || file.read_to_end(&mut bytes).is_err() {
            return Vec::new();
        }
        let text = String::from_utf8_lossy(&bytes);
        // A cut first line is dropped by the parse below.
        text.lines()
            .rev()
            .filter_map(|l| serde_json::from_str(l).ok())
            .take(count)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn entries_are_appended_and_read_back_newest_first() {
        let dir = std::env::temp_dir().join(format!("shiproom-audit-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let log = AuditLog::new(dir.join("audit.jsonl"));
        for (i, action) in ["lock", "unlock"].iter().enumerate() {
            log.append(&AuditEntry {
                time: Utc
                    .with_ymd_and_hms(2026, 11, 24, 9, i as u32, 0)
                    .single()
                    .unwrap(),
                who: "alice".into(),
                action: action.to_string(),
                scope: "production".into(),
                reason: "incident".into(),
                result: "ok".into(),
            })
            .unwrap();
        }
        let recent = log.recent(10);
        assert_eq!(
            recent.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["unlock", "lock"]
        );
        let text = fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().all(|l| l.starts_with("{\"time\":")));
    }
}
