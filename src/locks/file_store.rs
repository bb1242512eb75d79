//! The file lock store: one JSON document, shared by everyone who points at it (one laptop, or
//! every operator on a bastion host). Writers take an OS lock on a sidecar file around
//! read-modify-write and replace the document atomically, so no writer corrupts it or loses
//! another's lock.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::store::{AcquireError, ReleaseError, StoreError};
use crate::model::{Lock, LockOrigin, LockScope};

/// One manual lock as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredLock {
    pub environment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub reason: String,
    pub by: String,
    pub since: DateTime<Utc>,
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

impl StoredLock {
    pub fn from_lock(lock: &Lock) -> StoredLock {
        StoredLock {
            environment: lock.scope.environment().to_string(),
            service: lock.scope.service().map(str::to_string),
            reason: lock.reason.clone(),
            by: lock.by.clone(),
            since: lock.since,
            until: lock.until,
        }
    }

    pub fn to_lock(&self) -> Lock {
        let scope = match &self.service {
            Some(service) => LockScope::Service {
                environment: self.environment.clone(),
                service: service.clone(),
            },
            None => LockScope::Environment {
                environment: self.environment.clone(),
            },
        };
        Lock {
            scope,
            reason: self.reason.clone(),
            by: self.by.clone(),
            origin: LockOrigin::Manual,
            since: self.since,
            until: self.until,
        }
    }
}

/// The whole document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Document {
    version: u32,
    locks: Vec<StoredLock>,
}

/// The store at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    pub fn new(path: impl Into<PathBuf>) -> FileStore {
        FileStore { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, what: &str, e: impl std::fmt::Display) -> StoreError {
        StoreError::new(format!("lock file {}: {what}: {e}", self.path.display()))
    }

    /// Holds the OS lock on the sidecar `<file>.lock` until dropped.
    fn exclusive(&self) -> Result<File, StoreError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| self.error("cannot create its directory", e))?;
        }
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&name)
            .map_err(|e| self.error("cannot open its lock file", e))?;
        file.lock()
            .map_err(|e| self.error("cannot take the OS lock", e))?;
        Ok(file)
    }

    fn read(&self) -> Result<Document, StoreError> {
        match fs::read_to_string(&self.path) {
            Ok(text) if text.trim().is_empty() => Ok(Document::default()),
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                self.error(
                    "is not a lock document (fix or move it; shiproom will not overwrite it)",
                    e,
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Document::default()),
            Err(e) => Err(self.error("cannot read", e)),
        }
    }

    /// Writes a temporary file beside the document, syncs it, and renames it over.
    fn write(&self, doc: &Document) -> Result<(), StoreError> {
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(doc).map_err(|e| self.error("cannot encode", e))?;
        let mut file =
            File::create(&temp).map_err(|e| self.error("cannot write a temporary file", e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.sync_all())
            .map_err(|e| self.error("cannot write a temporary file", e))?;
        fs::rename(&temp, &self.path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            self.error("cannot replace", e)
        })?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Manual locks in force at `now`. Reads without the OS lock: writers replace the
    /// document whole, so a reader sees the old one or the new one.
    pub fn list(&self, now: DateTime<Utc>) -> Result<Vec<Lock>, StoreError> {
        Ok(self
            .read()?
            .locks
            .iter()
            .map(StoredLock::to_lock)
            .filter(|l| l.is_active(now))
            .collect())
    }

    /// Takes `lock` unless a lock in force holds its scope.
    pub fn acquire(&self, lock: &Lock, now: DateTime<Utc>) -> Result<(), AcquireError> {
        let _guard = self.exclusive()?;
        let mut doc = self.read()?;
        doc.locks
            .retain(|l| l.to_lock().until.is_none_or(|u| u > now));
        if let Some(held) = doc
            .locks
            .iter()
            .map(StoredLock::to_lock)
            .find(|l| l.scope == lock.scope)
        {
            return Err(AcquireError::Held(Box::new(held)));
        }
        doc.version = 1;
        doc.locks.push(StoredLock::from_lock(lock));
        self.write(&doc)?;
        Ok(())
    }

    /// Lifts the lock on `scope`: only its holder may, unless `force`.
    pub fn release(
        &self,
        scope: &LockScope,
        who: &str,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<Lock, ReleaseError> {
        let _guard = self.exclusive()?;
        let mut doc = self.read()?;
        doc.locks
            .retain(|l| l.to_lock().until.is_none_or(|u| u > now));
        let Some(index) = doc.locks.iter().position(|l| &l.to_lock().scope == scope) else {
            return Err(ReleaseError::NotLocked);
        };
        let held = doc.locks[index].to_lock();
        if held.by != who && !force {
            return Err(ReleaseError::HeldBy(Box::new(held)));
        }
        doc.locks.remove(index);
        doc.version = 1;
        self.write(&doc)?;
        Ok(held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap()
    }

    fn temp_store(name: &str) -> FileStore {
        let dir =
            std::env::temp_dir().join(format!("shiproom-filestore-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        FileStore::new(dir.join("locks.json"))
    }

    fn lock(env: &str, service: Option<&str>, by: &str, until: Option<DateTime<Utc>>) -> Lock {
        StoredLock {
            environment: env.into(),
            service: service.map(str::to_string),
            reason: "incident".into(),
            by: by.into(),
            since: now(),
            until,
        }
        .to_lock()
    }

    #[test]
    fn a_second_lock_on_the_same_scope_is_refused_and_names_the_holder() {
        let store = temp_store("conflict");
        store
            .acquire(&lock("production", None, "alice", None), now())
            .unwrap();
        match store.acquire(&lock("production", None, "bob", None), now()) {
            Err(AcquireError::Held(held)) => assert_eq!(held.by, "alice"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        store
            .acquire(&lock("production", Some("checkout"), "bob", None), now())
            .unwrap();
        assert_eq!(
            store.list(now()).unwrap().len(),
            2,
            "a service lock is another scope"
        );
    }

    #[test]
    fn only_the_holder_lifts_a_lock_unless_forced() {
        let store = temp_store("release");
        let scope = LockScope::Environment {
            environment: "staging".into(),
        };
        assert_eq!(
            store.release(&scope, "alice", false, now()),
            Err(ReleaseError::NotLocked)
        );
        store
            .acquire(&lock("staging", None, "alice", None), now())
            .unwrap();
        assert!(
            matches!(store.release(&scope, "bob", false, now()), Err(ReleaseError::HeldBy(l)) if l.by == "alice")
        );
        assert_eq!(
            store.release(&scope, "bob", true, now()).unwrap().by,
            "alice"
        );
        assert!(store.list(now()).unwrap().is_empty());
    }

    #[test]
    fn an_expired_lock_lifts_by_itself_and_frees_its_scope() {
        let store = temp_store("expiry");
        store
            .acquire(
                &lock("staging", None, "alice", Some(now() + Duration::hours(2))),
                now(),
            )
            .unwrap();
        let later = now() + Duration::hours(2);
        assert!(store.list(later).unwrap().is_empty());
        store
            .acquire(&lock("staging", None, "bob", None), later)
            .unwrap();
    }

    #[test]
    fn a_corrupt_document_is_reported_and_never_overwritten() {
        let store = temp_store("corrupt");
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(store.path(), "{ not json").unwrap();
        let err = store
            .acquire(&lock("staging", None, "alice", None), now())
            .unwrap_err();
        assert!(
            matches!(&err, AcquireError::Store(e) if e.reason.contains("is not a lock document")),
            "{err:?}"
        );
        assert_eq!(fs::read_to_string(store.path()).unwrap(), "{ not json");
    }
}
