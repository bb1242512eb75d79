//! The audit log: every lock, unlock and refused action, one JSON line each, appended to a
//! file in the data directory (or a configured path shared by a team on one host).
//!
//! A change to the lock store is recorded before it is made (a [`Journal`]): the line is
//! written and synced first, and if it cannot be, the change is not made. A line that turns
//! out not to have taken effect is followed by a `void` line that says so.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::files;

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

/// A line as written: the entry, and for a change to the store the id that ties it to the
/// document written with it.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    #[serde(flatten)]
    entry: AuditEntry,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
}

/// The log at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
    /// The path is shiproom's own (in its data directory): its directory may be created.
    ours: bool,
}

/// The audit action of a deploy that started while its cell was locked.
pub const BREACH: &str = "breach";

/// How many entries the locks panel's history reads back.
pub const HISTORY: usize = 50;

impl AuditLog {
    /// A configured log: its directory must exist.
    pub fn new(path: impl Into<PathBuf>) -> AuditLog {
        AuditLog {
            path: path.into(),
            ours: false,
        }
    }

    /// The default log in shiproom's data directory, created (700) when missing.
    pub fn ours(path: impl Into<PathBuf>) -> AuditLog {
        AuditLog {
            path: path.into(),
            ours: true,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, what: &str, e: &dyn std::fmt::Display) -> String {
        format!("audit log {}: {what}: {e}", self.path.display())
    }

    /// Appends one entry as one write to a file opened for appending (so entries from several
    /// processes do not interleave), and syncs it.
    pub fn append(&self, entry: &AuditEntry) -> Result<(), String> {
        self.append_line(&Line {
            entry: entry.clone(),
            id: None,
        })
    }

    fn append_line(&self, line: &Line) -> Result<(), String> {
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if self.ours {
            files::private_dir_all(dir)
                .map_err(|e| self.fail("cannot create its directory", &e))?;
        } else if !dir.is_dir() {
            return Err(self.fail(
                "its directory does not exist",
                &"create it, or point `locks.audit_log` elsewhere",
            ));
        }
        let mut text = serde_json::to_string(line).map_err(|e| self.fail("cannot encode", &e))?;
        text.push('\n');
        let mode = files::mode_for_new_file_in(dir);
        let mut file = files::with_mode(OpenOptions::new().create(true).append(true), mode)
            .open(&self.path)
            .map_err(|e| self.fail("cannot open", &e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| self.fail("cannot write", &e))
    }

    /// Whether a line with `id` was written (read whole: only when recovering from a writer
    /// that was stopped).
    pub fn contains_id(&self, id: &str) -> bool {
        let Ok(text) = fs::read_to_string(&self.path) else {
            return false;
        };
        text.lines()
            .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            .any(|l| l.id.as_deref() == Some(id))
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

/// The record of one change to the lock store, written before the change is made.
#[derive(Debug, Clone)]
pub struct Journal {
    log: AuditLog,
    entry: AuditEntry,
    id: String,
}

impl Journal {
    /// The record of `entry` (its result "ok") in `log`, with a fresh id.
    pub fn new(log: &AuditLog, entry: AuditEntry) -> Journal {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        Journal {
            log: log.clone(),
            id: format!("{nanos:x}-{}", std::process::id()),
            entry: AuditEntry {
                result: "ok".into(),
                ..entry
            },
        }
    }

    /// The same record, about the lock being lifted: its reason (known once it is read).
    pub fn about(&self, lock: &crate::model::Lock) -> Journal {
        let mut journal = self.clone();
        journal.entry.reason = lock.reason.clone();
        journal
    }

    /// The id a lock document written with this record carries.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn log(&self) -> &AuditLog {
        &self.log
    }

    /// Writes the record; the change may be made only if this succeeds.
    pub fn commit(&self) -> Result<(), String> {
        self.log.append_line(&Line {
            entry: self.entry.clone(),
            id: Some(self.id.clone()),
        })
    }

    /// Records that the committed change did not take effect, and why.
    pub fn void(&self, why: &str) {
        let entry = AuditEntry {
            time: Utc::now(),
            result: format!(
                "void: {why} (the entry of {} did not take effect)",
                self.entry.time.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            ..self.entry.clone()
        };
        if let Err(e) = self.log.append(&entry) {
            tracing::error!(error = %e, id = %self.id, "audit log: the void line was not written");
        }
    }
}

/// Records, for a document that a stopped writer left behind, that its change (audited as
/// `id`) did not take effect.
pub fn void_stale(log: &AuditLog, id: &str, why: &str) {
    let Ok(text) = fs::read_to_string(log.path()) else {
        return;
    };
    let Some(line) = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .find(|l| l.id.as_deref() == Some(id))
    else {
        return;
    };
    Journal {
        log: log.clone(),
        entry: line.entry,
        id: id.to_string(),
    }
    .void(why);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(minute: u32, action: &str) -> AuditEntry {
        AuditEntry {
            time: Utc
                .with_ymd_and_hms(2026, 11, 24, 9, minute, 0)
                .single()
                .unwrap(),
            who: "alice".into(),
            action: action.to_string(),
            scope: "production".into(),
            reason: "incident".into(),
            result: "ok".into(),
        }
    }

    fn temp_log(name: &str) -> AuditLog {
        let dir =
            std::env::temp_dir().join(format!("shiproom-audit-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        AuditLog::ours(dir.join("audit.jsonl"))
    }

    #[test]
    fn entries_are_appended_and_read_back_newest_first() {
        let log = temp_log("append");
        log.append(&entry(0, "lock")).unwrap();
        log.append(&entry(1, "unlock")).unwrap();
        let recent = log.recent(10);
        assert_eq!(
            recent.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["unlock", "lock"]
        );
        let text = fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().all(|l| l.starts_with("{\"time\":")));
    }

    #[test]
    fn a_committed_record_carries_its_id_and_a_void_line_follows_it() {
        let log = temp_log("journal");
        let journal = Journal::new(&log, entry(2, "lock"));
        journal.commit().unwrap();
        assert!(log.contains_id(journal.id()));
        void_stale(&log, journal.id(), "the writer stopped before saving");
        let recent = log.recent(10);
        assert_eq!(recent.len(), 2);
        assert!(
            recent[0]
                .result
                .starts_with("void: the writer stopped before saving"),
            "{:?}",
            recent[0]
        );
        assert_eq!(recent[1].result, "ok");
    }

    #[test]
    fn a_configured_log_in_a_missing_directory_is_an_error_not_a_new_directory() {
        let dir = std::env::temp_dir().join(format!("shiproom-audit-none-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let log = AuditLog::new(dir.join("audit.jsonl"));
        let err = log.append(&entry(0, "lock")).unwrap_err();
        assert!(err.contains("its directory does not exist"), "{err}");
        assert!(!dir.exists());
    }
}
