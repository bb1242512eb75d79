//! Where the locks operators take are kept: a file (one machine or one shared host) or etcd
//! (a whole team). Both hold only manual locks; schedules and providers are computed.

use chrono::{DateTime, Utc};

use super::audit::{AuditLog, Journal};
use super::error::{AcquireError, ReleaseError, StoreError, unaudited};
use super::etcd_store::EtcdStore;
use super::file_store::{FileStore, Init, Ownership, Presence};
use crate::model::{Lock, LockScope};

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

    /// Creates the default file store (shiproom's own, in its data directory) at its first
    /// use; any other store is left as it is. Failures show when the store is read.
    pub async fn prepare(&self, log: &AuditLog) {
        if let LockStore::File(s) = self
            && s.ownership() == Ownership::Ours
            && s.presence() != Presence::Present
        {
            let (s, log) = (s.clone(), log.clone());
            match blocking(move || s.init(&log, false)).await {
                Ok(Ok(Init::Created)) => tracing::info!("created the default lock store"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) | Err(e) => {
                    tracing::warn!(error = %e, "the default lock store was not created")
                }
            }
        }
    }

    /// `shiproom check --init-store`: creates the store (or starts a vanished document again).
    /// `None` for etcd, which needs no creating.
    pub async fn init(&self, log: &AuditLog) -> Option<Result<Init, StoreError>> {
        match self {
            LockStore::File(s) => {
                let (s, log) = (s.clone(), log.clone());
                Some(blocking(move || s.init(&log, true)).await.and_then(|r| r))
            }
            LockStore::Etcd(_) => None,
        }
    }

    /// Takes `lock` unless its scope is held already; `journal` (its audit line) is written
    /// before the change, which is not made if it cannot be. `Ok(true)`: the store was
    /// created by this lock.
    pub async fn acquire(
        &self,
        lock: Lock,
        now: DateTime<Utc>,
        journal: &Journal,
    ) -> Result<bool, AcquireError> {
        match self {
            LockStore::File(s) => {
                let (s, journal) = (s.clone(), journal.clone());
                blocking(move || s.acquire(&lock, now, &journal)).await?
            }
            LockStore::Etcd(s) => {
                if let Some(held) = s.holder(&lock.scope).await? {
                    return Err(AcquireError::Held(Box::new(held)));
                }
                journal.commit().map_err(unaudited)?;
                s.acquire(&lock, now)
                    .await
                    .map(|()| false)
                    .inspect_err(|e| {
                        journal.void(&match e {
                            AcquireError::Held(l) => format!("taken by {} meanwhile", l.by),
                            AcquireError::Store(e) => e.reason.clone(),
                        })
                    })
            }
        }
    }

    /// Lifts the manual lock on `scope`; only its holder may, unless `force`. `journal` is
    /// written before the change, as for `acquire`.
    pub async fn release(
        &self,
        scope: LockScope,
        who: &str,
        force: bool,
        now: DateTime<Utc>,
        journal: &Journal,
    ) -> Result<Lock, ReleaseError> {
        match self {
            LockStore::File(s) => {
                let (s, who, journal) = (s.clone(), who.to_string(), journal.clone());
                blocking(move || s.release(&scope, &who, force, now, &journal)).await?
            }
            LockStore::Etcd(s) => {
                let journal = match s.holder(&scope).await? {
                    None => return Err(ReleaseError::NotLocked),
                    Some(held) if held.by != who && !force => {
                        return Err(ReleaseError::HeldBy(Box::new(held)));
                    }
                    Some(held) => journal.about(&held),
                };
                journal.commit().map_err(unaudited)?;
                s.release(&scope, who, force, now).await.inspect_err(|e| {
                    journal.void(&match e {
                        ReleaseError::NotLocked => "lifted by someone else meanwhile".to_string(),
                        ReleaseError::HeldBy(l) => format!("held by {}", l.by),
                        ReleaseError::Store(e) => e.reason.clone(),
                    })
                })
            }
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
