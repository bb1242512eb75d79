//! Locks: what stops deploys, and why. Schedules (deploy hours, freezes), the stores that hold
//! the locks operators take (a file, or etcd for a whole team), and the audit log.

pub mod schedule;

pub use schedule::{DeployHours, Freeze, LocalTime, Schedules, TimeZoneName};
mod error;
pub mod etcd_store;
mod file_doc;
pub mod file_store;
pub mod limits;
mod settings;
pub mod store;
mod stored;

pub use error::{AcquireError, ReleaseError, StoreError};
pub use etcd_store::EtcdStore;
pub use file_store::{FileStore, Init, Ownership, Presence};
pub use settings::{LockStoreKind, LocksConfig};
pub use store::LockStore;
pub mod actions;
pub mod audit;

pub use actions::LockOutcome;
pub use audit::{AuditEntry, AuditLog, HISTORY, Journal};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::LockScope;

/// Who may change locks: from the configuration (`read_only`, `view_only`) and the mode the
/// program runs in (`--read-only`, `--wall`). Every lock action asks it, whoever asks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guard {
    /// Why nothing may be changed at all; `None`: changes are allowed.
    pub read_only: Option<String>,
    /// Environments whose locks are shown but not changed from here (`view_only: true`).
    pub view_only: BTreeSet<String>,
}

impl Guard {
    /// Why locks on `scope` may not be taken or lifted here, if they may not.
    pub fn refusal(&self, scope: &LockScope) -> Option<String> {
        if let Some(why) = &self.read_only {
            return Some(why.clone());
        }
        let environment = scope.environment();
        self.view_only.contains(environment).then(|| {
            format!("{environment} is view-only here (`view_only: true` in the configuration)")
        })
    }
}

/// Whose store a configuration uses, for `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// The built-in demo's own store: demo locks never reach a real one.
    Demo,
    /// The default store of this configuration file, in the data directory.
    ThisConfiguration,
    /// A configured path or etcd: shared with every configuration that names it.
    Configured,
}

impl Sharing {
    pub fn label(self) -> &'static str {
        match self {
            Sharing::Demo => "the demo's own",
            Sharing::ThisConfiguration => "this configuration's own",
            Sharing::Configured => "configured: shared by every configuration that names it",
        }
    }
}

/// The lock store and audit log a configuration asks for.
#[derive(Debug, Clone)]
pub struct LockSetup {
    pub store: LockStore,
    pub audit: AuditLog,
    /// How often the board reads the store.
    pub interval: Duration,
    pub guard: Guard,
    pub sharing: Sharing,
    /// The default store of earlier versions (`locks.json`, shared by every configuration),
    /// when it is still there and this configuration no longer uses it.
    pub former_store: Option<PathBuf>,
}

/// A short, stable hash of `text` (64-bit FNV-1a, folded to 32 bits): the same on every
/// machine and every Rust version, so a configuration keeps its default store.
fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

/// Whose default store and audit log a configuration uses, when it names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOwner {
    /// The built-in demo: its own store, so a demo lock never closes a real gate.
    BuiltInDemo,
    /// A configuration file: one store per file, by the hash of its canonical path.
    File(PathBuf),
}

/// The names of the default store and audit log of a configuration: the demo's own, or one
/// pair per configuration file (by the hash of its canonical path).
fn default_names(owner: &StoreOwner) -> (String, String) {
    match owner {
        StoreOwner::BuiltInDemo => ("demo-locks.json".into(), "demo-audit.jsonl".into()),
        StoreOwner::File(path) => {
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            let hash = short_hash(&canonical.to_string_lossy());
            (format!("locks-{hash}.json"), format!("audit-{hash}.jsonl"))
        }
    }
}

/// Opens the store and the audit log that `locks` (the configuration's `locks:` section) asks
/// for; defaults are `owner`'s own, in `data_dir` (the user's data directory). `guard` says
/// what the configuration forbids. Fails with a message that says what to configure.
pub fn setup(
    locks: &LocksConfig,
    owner: &StoreOwner,
    guard: Guard,
    data_dir: Option<&Path>,
) -> Result<LockSetup, String> {
    let (store_name, audit_name) = default_names(owner);
    let in_data_dir = |name: &str| {
        data_dir.map(|d| d.join(name)).ok_or_else(|| {
            format!("no data directory for {name}: set `locks.path` and `locks.audit_log` in the configuration")
        })
    };
    let timeout = locks.timeout.map_or(Duration::from_secs(3), |s| s.0);
    let mut sharing = Sharing::Configured;
    let store = match locks.store {
        LockStoreKind::File => LockStore::File(match &locks.path {
            Some(path) => FileStore::new(path.clone()),
            None => {
                sharing = match owner {
                    StoreOwner::BuiltInDemo => Sharing::Demo,
                    StoreOwner::File(_) => Sharing::ThisConfiguration,
                };
                FileStore::with_ownership(in_data_dir(&store_name)?, Ownership::Ours)
            }
        }),
        LockStoreKind::Etcd => {
            let endpoint = locks.endpoint.as_deref().unwrap_or("http://127.0.0.1:2379");
            let prefix = locks
                .prefix
                .as_deref()
                .unwrap_or(etcd_store::DEFAULT_PREFIX);
            LockStore::Etcd(EtcdStore::new(endpoint, prefix, timeout).map_err(|e| e.reason)?)
        }
    };
    let audit = match &locks.audit_log {
        Some(path) => AuditLog::new(path.clone()),
        None => AuditLog::ours(in_data_dir(&audit_name)?),
    };
    let interval = locks.interval.map_or(Duration::from_secs(1), |s| {
        s.0.max(Duration::from_millis(200))
    });
    let former_store = match (&locks.store, &locks.path) {
        (LockStoreKind::File, None) => data_dir
            .map(|d| d.join("locks.json"))
            .filter(|p| p.is_file()),
        _ => None,
    };
    Ok(LockSetup {
        store,
        audit,
        interval,
        guard,
        sharing,
        former_store,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_configuration_file_has_its_own_default_store_and_the_demo_its_own() {
        let a = default_names(&StoreOwner::File("/etc/shiproom/a.yaml".into()));
        let b = default_names(&StoreOwner::File("/etc/shiproom/b.yaml".into()));
        assert_ne!(a, b);
        assert_eq!(
            a,
            default_names(&StoreOwner::File("/etc/shiproom/a.yaml".into()))
        );
        assert!(
            a.0.starts_with("locks-") && a.0.ends_with(".json") && a.0.len() == 19,
            "{a:?}"
        );
        assert_eq!(
            default_names(&StoreOwner::BuiltInDemo),
            (
                "demo-locks.json".to_string(),
                "demo-audit.jsonl".to_string()
            )
        );
        assert_eq!(
            short_hash("/etc/shiproom/a.yaml"),
            short_hash("/etc/shiproom/a.yaml")
        );
        assert_eq!(
            short_hash(""),
            "4fd0bfc1",
            "stable across machines and releases"
        );
    }

    #[test]
    fn the_guard_refuses_everything_read_only_and_only_its_environments_view_only() {
        let env = |e: &str| LockScope::Environment {
            environment: e.into(),
        };
        let guard = Guard {
            read_only: None,
            view_only: ["production".to_string()].into(),
        };
        assert!(guard.refusal(&env("staging")).is_none());
        assert!(
            guard
                .refusal(&LockScope::Service {
                    environment: "production".into(),
                    service: "api".into()
                })
                .is_some_and(|w| w.contains("production is view-only"))
        );
        let read_only = Guard {
            read_only: Some("read-only mode (--read-only)".into()),
            ..Guard::default()
        };
        assert_eq!(
            read_only.refusal(&env("staging")).as_deref(),
            Some("read-only mode (--read-only)")
        );
    }
}
