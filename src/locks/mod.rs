//! Locks: what stops deploys, and why. Schedules (deploy hours, freezes), the stores that hold
//! the locks operators take (a file, or etcd for a whole team), and the audit log.

pub mod schedule;

pub use schedule::{DeployHours, Freeze, LocalTime, Schedules, TimeZoneName};
pub mod etcd_store;
pub mod file_store;
pub mod store;

pub use etcd_store::EtcdStore;
pub use file_store::FileStore;
pub use store::{AcquireError, LockStore, ReleaseError, StoreError};
pub mod actions;
pub mod audit;

pub use actions::LockOutcome;
pub use audit::{AuditEntry, AuditLog, HISTORY};

use std::path::Path;
use std::time::Duration;

use crate::config::{Config, LockStoreKind};

/// The lock store and audit log a configuration asks for.
#[derive(Debug, Clone)]
pub struct LockSetup {
    pub store: LockStore,
    pub audit: AuditLog,
    /// How often the board reads the store.
    pub interval: Duration,
}

/// Opens the store and the audit log of `config`; relative defaults go in `data_dir` (the
/// user's data directory). Fails with a message that says what to configure.
pub fn setup(config: &Config, data_dir: Option<&Path>) -> Result<LockSetup, String> {
    let locks = &config.locks;
    let in_data_dir = |name: &str| {
        data_dir.map(|d| d.join(name)).ok_or_else(|| {
            format!("no data directory for {name}: set `locks.path` and `locks.audit_log` in the configuration")
        })
    };
    let timeout = locks.timeout.map_or(Duration::from_secs(3), |s| s.0);
    let store = match locks.store {
        LockStoreKind::File => LockStore::File(FileStore::new(match &locks.path {
            Some(path) => path.clone(),
            None => in_data_dir("locks.json")?,
        })),
        LockStoreKind::Etcd => {
            let endpoint = locks.endpoint.as_deref().unwrap_or("http://127.0.0.1:2379");
            let prefix = locks
                .prefix
                .as_deref()
                .unwrap_or(etcd_store::DEFAULT_PREFIX);
            LockStore::Etcd(EtcdStore::new(endpoint, prefix, timeout).map_err(|e| e.reason)?)
        }
    };
    let audit = AuditLog::new(match &locks.audit_log {
        Some(path) => path.clone(),
        None => in_data_dir("audit.jsonl")?,
    });
    let interval = locks.interval.map_or(Duration::from_secs(1), |s| {
        s.0.max(Duration::from_millis(200))
    });
    Ok(LockSetup {
        store,
        audit,
        interval,
    })
}
