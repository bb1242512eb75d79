//! The file lock store: one JSON document, shared by everyone who points at it (one laptop, or
//! every operator on a bastion host). Writers take an OS lock on a sidecar file around
//! read-modify-write and replace the document atomically, so no writer corrupts it or loses
//! another's lock.
//!
//! It never fails open: a missing directory, a document that was never created at a
//! configured path, one that vanished, an empty or unparsable one are all "cannot be read"
//! (locks unknown), never "no locks". See [`FileStore::presence`].

use std::fs::{File, OpenOptions};

use chrono::{DateTime, Utc};

use super::audit::{AuditLog, Journal};
use super::error::{AcquireError, ReleaseError, StoreError};
use super::file_doc::{DocFile, Document, VERSION};
use super::stored::StoredLock;
use crate::files;
use crate::model::{Lock, LockScope};

/// Who the store's path belongs to, which decides what may be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// The default path in shiproom's own data directory: the directory is created (700)
    /// when missing, and the store at its first use.
    Ours,
    /// `locks.path` from the configuration: its directory must exist; the document is created
    /// only by the first `lock` or by `shiproom check --init-store`.
    Configured,
}

/// What is on disk at the store's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// The directory does not exist.
    NoDirectory,
    /// Neither the document nor its sidecar: the store was never created.
    Never,
    /// The sidecar without the document: the store was in use and its document is gone.
    Vanished,
    /// The document exists.
    Present,
}

/// What `init` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Created,
    /// The document had vanished and was started again, empty.
    Recreated,
    AlreadyThere,
}

/// The store at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    doc: DocFile,
    ownership: Ownership,
}

impl FileStore {
    /// A store at a configured path.
    pub fn new(path: impl Into<std::path::PathBuf>) -> FileStore {
        FileStore::with_ownership(path, Ownership::Configured)
    }

    pub fn with_ownership(path: impl Into<std::path::PathBuf>, ownership: Ownership) -> FileStore {
        FileStore {
            doc: DocFile { path: path.into() },
            ownership,
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.doc.path
    }

    pub fn ownership(&self) -> Ownership {
        self.ownership
    }

    /// What is on disk now.
    pub fn presence(&self) -> Presence {
        if !self.doc.dir().is_dir() {
            Presence::NoDirectory
        } else if self.doc.path.exists() {
            Presence::Present
        } else if self.doc.sidecar().exists() {
            Presence::Vanished
        } else {
            Presence::Never
        }
    }

    /// Why the locks cannot be read when the document is not there.
    fn absent(&self, presence: Presence) -> StoreError {
        let path = self.doc.path.display();
        let dir = self.doc.dir().display();
        StoreError::new(match (presence, self.ownership) {
            (Presence::NoDirectory | Presence::Never, Ownership::Ours) => format!(
                "lock file {path} does not exist yet: this configuration has no lock store on this machine, so manual locks are unknown (a gate never creates one: point `locks.path` at the team's store or use etcd, or run `shiproom check --init-store` to start an empty one here)"
            ),
            (Presence::NoDirectory, Ownership::Configured) => format!(
                "lock file {path}: its directory {dir} does not exist, so manual locks are unknown (on a CI runner, make the shared store available at that path or use an etcd store; for a new store, create the directory and run `shiproom check --init-store`)"
            ),
            (Presence::Vanished, _) => format!(
                "lock file {path} is gone although the store was in use ({path}.lock exists), so manual locks are unknown: restore it, or if no lock is in force run `shiproom check --init-store` to start it again, empty (the audit log says which locks were taken)"
            ),
            (Presence::Never | Presence::Present, _) => format!(
                "lock file {path} does not exist yet, so manual locks are unknown: `shiproom check --init-store` creates an empty store (or `shiproom lock` takes the first lock)"
            ),
        })
    }

    /// Holds the OS lock on the sidecar until dropped; says whether the sidecar was new.
    fn exclusive(&self) -> Result<(File, bool), StoreError> {
        let dir = self.doc.dir();
        match self.ownership {
            Ownership::Ours => files::private_dir_all(dir)
                .map_err(|e| self.doc.error("cannot create its directory", e))?,
            Ownership::Configured if !dir.is_dir() => {
                return Err(self.absent(Presence::NoDirectory));
            }
            Ownership::Configured => {}
        }
        let sidecar = self.doc.sidecar();
        let new = !sidecar.exists();
        let file = files::with_mode(
            OpenOptions::new().create(true).truncate(false).write(true),
            files::mode_for_new_file_in(dir),
        )
        .open(&sidecar)
        .map_err(|e| self.doc.error("cannot open its lock file", e))?;
        file.lock()
            .map_err(|e| self.doc.error("cannot take the OS lock", e))?;
        Ok((file, new))
    }

    /// Under the OS lock: finishes or discards what a stopped writer left, then reads the
    /// document for a change. A store never created starts empty (`true`: it is created by
    /// this change); a vanished, newer or corrupt one is refused.
    fn for_change(
        &self,
        log: &AuditLog,
        sidecar_new: bool,
    ) -> Result<(Document, bool), StoreError> {
        self.doc.recover(log)?;
        let doc = match self.doc.read()? {
            Some(doc) => doc,
            None if sidecar_new => {
                // A new store: its empty document is written first, so that whatever happens
                // to the change, the store is never left half-created (a sidecar alone reads
                // as a vanished document).
                let doc = Document::empty();
                self.doc.write(&doc, None)?;
                return Ok((doc, true));
            }
            None => return Err(self.absent(Presence::Vanished)),
        };
        if doc.version > VERSION {
            return Err(self.doc.error(
                &format!(
                    "is version {}, written by a newer shiproom (this one writes {VERSION})",
                    doc.version
                ),
                "read-only here: locks cannot be taken or lifted with this shiproom, so upgrade it",
            ));
        }
        Ok((doc, false))
    }

    /// Creates the store when it was never created: for the default store at its first use,
    /// and for `shiproom check --init-store` (which also starts a vanished document again).
    pub fn init(&self, log: &AuditLog, even_vanished: bool) -> Result<Init, StoreError> {
        let presence = self.presence();
        match presence {
            Presence::Present => return Ok(Init::AlreadyThere),
            Presence::Vanished if !even_vanished => return Err(self.absent(presence)),
            _ => {}
        }
        let (_guard, _) = self.exclusive()?;
        self.doc.recover(log)?;
        if self.doc.path.exists() {
            return Ok(Init::AlreadyThere);
        }
        self.doc.write(&Document::empty(), None)?;
        Ok(if presence == Presence::Vanished {
            Init::Recreated
        } else {
            Init::Created
        })
    }

    /// Manual locks in force at `now`. Reads without the OS lock: writers replace the
    /// document whole, so a reader sees the old one or the new one.
    pub fn list(&self, now: DateTime<Utc>) -> Result<Vec<Lock>, StoreError> {
        let Some(doc) = self.doc.read()? else {
            return Err(self.absent(self.presence()));
        };
        Ok(doc
            .locks
            .iter()
            .map(StoredLock::to_lock)
            .filter(|l| l.is_active(now))
            .collect())
    }

    /// Takes `lock` unless a lock in force holds its scope; `journal` is written before the
    /// document. `Ok(true)`: this lock created the store.
    pub fn acquire(
        &self,
        lock: &Lock,
        now: DateTime<Utc>,
        journal: &Journal,
    ) -> Result<bool, AcquireError> {
        let (_guard, sidecar_new) = self.exclusive()?;
        let (mut doc, created) = self.for_change(journal.log(), sidecar_new)?;
        doc.locks.retain(|l| l.until.is_none_or(|u| u > now));
        if let Some(held) = doc
            .locks
            .iter()
            .map(StoredLock::to_lock)
            .find(|l| l.scope == lock.scope)
        {
            return Err(AcquireError::Held(Box::new(held)));
        }
        doc.version = VERSION;
        doc.locks.push(StoredLock::from_lock(lock));
        doc.audit_id = Some(journal.id().to_string());
        self.doc.write(&doc, Some(journal))?;
        Ok(created)
    }

    /// Lifts the lock on `scope`: only its holder may, unless `force`. `journal` is written
    /// before the document.
    pub fn release(
        &self,
        scope: &LockScope,
        who: &str,
        force: bool,
        now: DateTime<Utc>,
        journal: &Journal,
    ) -> Result<Lock, ReleaseError> {
        if self.ownership == Ownership::Configured && self.presence() == Presence::Never {
            return Err(self.absent(Presence::Never).into());
        }
        let (_guard, sidecar_new) = self.exclusive()?;
        let (mut doc, _) = self.for_change(journal.log(), sidecar_new)?;
        doc.locks.retain(|l| l.until.is_none_or(|u| u > now));
        let Some(index) = doc.locks.iter().position(|l| &l.to_lock().scope == scope) else {
            return Err(ReleaseError::NotLocked);
        };
        let held = doc.locks[index].to_lock();
        if held.by != who && !force {
            return Err(ReleaseError::HeldBy(Box::new(held)));
        }
        doc.locks.remove(index);
        doc.version = VERSION;
        let journal = journal.about(&held);
        doc.audit_id = Some(journal.id().to_string());
        self.doc.write(&doc, Some(&journal))?;
        Ok(held)
    }
}

#[cfg(test)]
#[path = "file_store_tests.rs"]
mod tests;
