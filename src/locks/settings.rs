//! The `locks:` section of the configuration: which store holds the locks operators take, and
//! the audit log. Owned here, read by the configuration, so the locks import nothing of it.

use serde::Deserialize;

use crate::span::Span;

/// Which store holds the locks operators take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockStoreKind {
    /// One JSON file (default: in the data directory; point everyone on a host at one path).
    #[default]
    File,
    /// etcd v3, for a team across machines.
    Etcd,
}

/// The lock store and the audit log.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocksConfig {
    #[serde(default)]
    pub store: LockStoreKind,
    /// `file`: the document's path (default: this configuration's own store in the data
    /// directory). Its directory must exist.
    pub path: Option<std::path::PathBuf>,
    /// `etcd`: the client URL, e.g. `http://127.0.0.1:2379`.
    pub endpoint: Option<String>,
    /// `etcd`: the key prefix (default `shiproom/locks/`).
    pub prefix: Option<String>,
    /// How long one store request may take (default 3s).
    pub timeout: Option<Span>,
    /// How often the board reads the store (default 1s).
    pub interval: Option<Span>,
    /// The audit log's path (default: this configuration's own log in the data directory).
    pub audit_log: Option<std::path::PathBuf>,
}
