//! Lock breaches: a deploy that started while a lock covered its cell. The board flags it on
//! the cell, in the lists and in the header, and it is written to the audit log once.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Deployment, Lock};

/// A deployment, by (source, id), and the lock it went past.
pub type BreachKey = (String, String);

/// A deploy that started while `lock` was in force on its cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub deployment: Arc<Deployment>,
    pub lock: Lock,
}

impl Breach {
    pub fn key(&self) -> BreachKey {
        key_of(&self.deployment)
    }
}

pub fn key_of(deployment: &Deployment) -> BreachKey {
    (deployment.source.clone(), deployment.id.clone())
}

/// The lock in force when `deployment` started, of those in `locks` (every lock in force
/// now, all origins) or remembered from earlier boards in `known`.
pub(super) fn lock_passed(
    deployment: &Deployment,
    locks: &[&Lock],
    known: &BTreeMap<BreachKey, Lock>,
) -> Option<Lock> {
    if let Some(lock) = known.get(&key_of(deployment)) {
        return Some(lock.clone());
    }
    locks
        .iter()
        .find(|l| {
            l.scope.covers(&deployment.service, &deployment.environment)
                && l.since <= deployment.started_at
                && l.until.is_none_or(|u| u > deployment.started_at)
        })
        .map(|l| (*l).clone())
}
