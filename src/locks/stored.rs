//! A manual lock as the stores keep it: the file store's document and the etcd store's values
//! hold the same JSON.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
