//! The file store's document on disk: reading it (an empty or unparsable file is corrupt, a
//! newer version is read-only), writing it beside itself and renaming it over, and finishing
//! or discarding what a writer that was stopped left behind.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::audit::{self, AuditLog, Journal};
use super::error::{StoreError, unaudited};
use super::stored::StoredLock;
use crate::files;

/// The document version this shiproom writes; a newer one is read but never written.
pub const VERSION: u64 = 1;

/// The whole document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Document {
    pub version: u64,
    pub locks: Vec<StoredLock>,
    /// The audit entry written with this version of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_id: Option<String>,
}

impl Document {
    pub fn empty() -> Document {
        Document {
            version: VERSION,
            ..Document::default()
        }
    }
}

/// The document at one path and the files beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    pub path: PathBuf,
}

impl DocFile {
    pub fn error(&self, what: &str, e: impl std::fmt::Display) -> StoreError {
        StoreError::new(format!("lock file {}: {what}: {e}", self.path.display()))
    }

    /// The directory the document lives in.
    pub fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The sidecar `<file>.lock` writers hold the OS lock on. It exists once the store was
    /// created, so a document missing beside it has vanished.
    pub fn sidecar(&self) -> PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// The document, or `None` when there is no file. Empty and unparsable files are errors,
    /// never read as "no locks".
    pub fn read(&self) -> Result<Option<Document>, StoreError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error("cannot read", e)),
        };
        parse(&text)
            .map(Some)
            .map_err(|why| self.error(&why, "shiproom will not overwrite it"))
    }

    /// Writes `doc` to a temporary file beside the document (the mode of the file it replaces,
    /// else 600, or 660 in a group-writable directory) and syncs it; then commits `journal`
    /// (the audit line) and only then renames the file over the document.
    pub fn write(&self, doc: &Document, journal: Option<&Journal>) -> Result<(), StoreError> {
        let dir = self.dir();
        let temp = dir.join(format!(".{}.{}.tmp", self.name(), std::process::id()));
        let text = serde_json::to_string_pretty(doc).map_err(|e| self.error("cannot encode", e))?;
        let mode = files::mode_of(&self.path).unwrap_or_else(|| files::mode_for_new_file_in(dir));
        let written = files::with_mode(
            OpenOptions::new().create(true).write(true).truncate(true),
            mode,
        )
        .open(&temp)
        .and_then(|mut file| {
            files::set_mode(&file, mode)?;
            file.write_all(text.as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_all()
        });
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(self.error("cannot write a temporary file", e));
        }
        if let Some(journal) = journal
            && let Err(e) = journal.commit()
        {
            let _ = fs::remove_file(&temp);
            return Err(unaudited(e));
        }
        if let Err(e) = fs::rename(&temp, &self.path) {
            let _ = fs::remove_file(&temp);
            if let Some(journal) = journal {
                journal.void(&format!("the lock document could not be replaced: {e}"));
            }
            return Err(self.error("cannot replace", e));
        }
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Temporary files beside the document. Called with the OS lock held: each was left by a
    /// writer that was stopped (writers hold the lock while theirs exists). One whose audit
    /// line was written is finished (renamed over the document, when newer than it); any
    /// other is removed, and an audited one that cannot be finished gets a void line.
    pub fn recover(&self, log: &AuditLog) -> Result<(), StoreError> {
        let prefix = format!(".{}.", self.name());
        let entries = match fs::read_dir(self.dir()) {
            Ok(entries) => entries,
            Err(e) => return Err(self.error("cannot list its directory", e)),
        };
        let mut stale: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&prefix) && name.ends_with(".tmp")
            })
            .map(|e| {
                let at = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                (at, e.path())
            })
            .collect();
        stale.sort();
        for (at, temp) in stale {
            let audited = fs::read_to_string(&temp)
                .ok()
                .and_then(|text| parse(&text).ok())
                .and_then(|doc| doc.audit_id)
                .filter(|id| log.contains_id(id));
            let newer = fs::metadata(&self.path)
                .and_then(|m| m.modified())
                .map_or(true, |doc_at| at >= doc_at);
            match audited {
                Some(id) if newer => {
                    tracing::warn!(temp = %temp.display(), %id, "finishing the write of a stopped writer");
                    fs::rename(&temp, &self.path)
                        .map_err(|e| self.error("cannot finish a stopped writer's change", e))?;
                }
                Some(id) => {
                    let _ = fs::remove_file(&temp);
                    audit::void_stale(
                        log,
                        &id,
                        "its writer stopped before saving, and the document changed since",
                    );
                }
                None => {
                    tracing::warn!(temp = %temp.display(), "removing a stopped writer's temporary file");
                    let _ = fs::remove_file(&temp);
                }
            }
        }
        Ok(())
    }
}

/// Parses a document; the error says what is wrong with it.
fn parse(text: &str) -> Result<Document, String> {
    if text.trim().is_empty() {
        return Err(format!(
            "is empty, so it is not a lock document (one holds at least {{\"version\": {VERSION}, \"locks\": []}}; move it away and run `shiproom check --init-store` if the store is new)"
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("is not a lock document (fix or move it): {e}"))?;
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    serde_json::from_value::<Document>(value).map_err(|e| match version {
        Some(v) if v > VERSION => format!(
            "is version {v}, newer than this shiproom reads ({VERSION}): upgrade shiproom ({e})"
        ),
        _ => format!("is not a lock document (fix or move it): {e}"),
    })
}
