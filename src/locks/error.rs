//! What can go wrong with a lock store: it cannot be read or written (locks are then unknown,
//! never open), a scope is held already, or there is no lock to lift. Shared by the store and
//! each kind of store, so none of them imports another for its errors.

use std::fmt;

use crate::model::Lock;

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

/// The audit line could not be written: the change is refused.
pub(super) fn unaudited(e: String) -> StoreError {
    StoreError::new(format!(
        "{e}: the audit record is part of the change, so nothing was changed (make the audit log writable, or point `locks.audit_log` at a writable file)"
    ))
}
