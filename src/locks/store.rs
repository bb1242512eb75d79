//! Where the locks operators take are kept: a file (one machine or one shared host) or etcd
//! (a whole team). Both hold only manual locks; schedules and providers are computed.

use std::fmt;

use chrono::{DateTime, Utc};

use super::etcd_store::EtcdStore;
use super::file_store::FileStore;
use crate::model::{Lock, LockScope};

/// The store could not be read or written; locks are then unknown, never open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    pub reason: String,
}

impl StoreError {
    pub fn new(reason: impl Into<String>) -> StoreError {
        StoreError {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for StoreError {}

/// Why a lock could not be taken.
#[derive(Debug, Clone, PartialEq)]
pub enum AcquireError {
    /// Someone holds that scope already: their lock.
    Held(Box<Lock>),
    Store(StoreError),
}

/// Why a lock could not be lifted.
#[derive(Debug, Clone, PartialEq)]
pub enum ReleaseError {
    /// No manual lock on that scope.
    NotLocked,
    /// Someone else holds it (and the release was not forced): their lock.
    HeldBy(Box<Lock>),
    Store(StoreError),
}

impl From<StoreError> for AcquireError {
    fn from(e: StoreError) -> Self {
        AcquireError::Store(e)
    }
}

impl From<StoreError> for ReleaseError {
    fn from(e: StoreError) -> Self {
        ReleaseError::Store(e)
    }
}

/// A configured lock store.
#[derive(Debug, Clone)]
pub enum LockStore {
    File(FileStore),
    Etcd(EtcdStore),
}

impl LockStore {
    /// A short description for the status bar and `check`: "file /srv/locks.json".
    pub fn describe(&self) -> String {
        match self {
            LockStore::File(s) => format!("file {}", s.path().display()),
            LockStore::Etcd(s) => format!("etcd {}", s.endpoint()),
        }
    }

    /// Every manual lock in force at `now`.
    pub async fn list(&self, now: DateTime<Utc>) -> Result<Vec<Lock>, StoreError> {
        match self {
            LockStore::File(s) => {
                let s = s.clone();
                blocking(move || s.list(now)).await?
            }
            LockStore::Etcd(s) => s.list(now).await,
        }
    }

    /// Takes `lock` unless its scope is held already.
    pub async fn acquire(&self, lock: Lock, now: DateTime<Utc>) -> Result<(), AcquireError> {
        match self {
            LockStore::File(s) => {
                let s = s.clone();
                blocking(move || s.acquire(&lock, now)).await?
            }
            LockStore::Etcd(s) => s.acquire(&lock, now).await,
        }
    }

    /// Lifts the manual lock on `scope`; only its holder may, unless `force`.
    pub async fn release(
        &self,
        scope: LockScope,
        who: &str,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<Lock, ReleaseError> {
        match self {
            LockStore::File(s) => {
                let (s, who) = (s.clone(), who.to_string());
                blocking(move || s.release(&scope, &who, force, now)).await?
            }
            LockStore::Etcd(s) => s.release(&scope, who, force, now).await,
        }
    }
}

/// Runs file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::new(format!("lock store task failed: {e}")))
}
