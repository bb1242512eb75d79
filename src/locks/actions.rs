//! Taking and lifting locks, for the board and the command line alike: the store does it, the
//! audit log records it, and the outcome says what happened in words for the operator.

use chrono::{DateTime, Utc};

use super::{AcquireError, AuditEntry, LockSetup, ReleaseError, StoreError};
use crate::model::{Lock, LockScope};
use crate::ui::format;

/// What a lock or unlock came to.
#[derive(Debug, Clone, PartialEq)]
pub enum LockOutcome {
    /// Taken, or lifted: the lock.
    Done(Lock),
    /// Someone else holds that scope: their lock.
    Held(Lock),
    /// There was no manual lock to lift.
    NotLocked,
    /// The store failed; nothing changed.
    Failed(StoreError),
}

impl LockOutcome {
    pub fn ok(&self) -> bool {
        matches!(self, LockOutcome::Done(_))
    }

    /// The audit log's `result` field.
    fn result(&self) -> String {
        match self {
            LockOutcome::Done(_) => "ok".into(),
            LockOutcome::Held(l) => format!("refused: held by {}", l.by),
            LockOutcome::NotLocked => "refused: not locked".into(),
            LockOutcome::Failed(e) => format!("failed: {e}"),
        }
    }

    /// One line for the operator; `verb` is "lock" or "unlock".
    pub fn message(&self, verb: &str, scope: &LockScope, now: DateTime<Utc>) -> String {
        let label = scope.label();
        match (self, verb) {
            (LockOutcome::Done(l), "lock") => {
                format!(
                    "locked {label}: \"{}\" ({})",
                    l.reason,
                    format::lifts(l.until, now)
                )
            }
            (LockOutcome::Done(l), _) => format!(
                "unlocked {label} (was locked by {}: \"{}\")",
                l.by, l.reason
            ),
            (LockOutcome::Held(l), "lock") => format!(
                "{label} is already locked by {} since {}: \"{}\" ({})",
                l.by,
                l.since.format("%Y-%m-%d %H:%M UTC"),
                l.reason,
                format::lifts(l.until, now)
            ),
            (LockOutcome::Held(l), _) => format!(
                "{label} is locked by {}, not you: \"{}\" (lift it anyway with --force, or from the board)",
                l.by, l.reason
            ),
            (LockOutcome::NotLocked, _) => format!("{label} has no manual lock to lift"),
            (LockOutcome::Failed(e), _) => {
                format!("could not {verb} {label}: {e} — nothing changed")
            }
        }
    }
}

fn record(
    setup: &LockSetup,
    who: &str,
    action: &str,
    scope: &LockScope,
    reason: &str,
    outcome: &LockOutcome,
    now: DateTime<Utc>,
) {
    let entry = AuditEntry {
        time: now,
        who: who.to_string(),
        action: action.to_string(),
        scope: scope.label(),
        reason: reason.to_string(),
        result: outcome.result(),
    };
    if let Err(e) = setup.audit.append(&entry) {
        tracing::error!(%e, "audit log not written");
    }
}

/// Takes `lock` in the store and records the attempt.
pub async fn take(setup: &LockSetup, lock: Lock, now: DateTime<Utc>) -> LockOutcome {
    let outcome = match setup.store.acquire(lock.clone(), now).await {
        Ok(()) => LockOutcome::Done(lock.clone()),
        Err(AcquireError::Held(held)) => LockOutcome::Held(*held),
        Err(AcquireError::Store(e)) => LockOutcome::Failed(e),
    };
    record(
        setup,
        &lock.by,
        "lock",
        &lock.scope,
        &lock.reason,
        &outcome,
        now,
    );
    outcome
}

/// Lifts the manual lock on `scope` for `who` and records the attempt.
pub async fn lift(
    setup: &LockSetup,
    scope: &LockScope,
    who: &str,
    force: bool,
    now: DateTime<Utc>,
) -> LockOutcome {
    let outcome = match setup.store.release(scope.clone(), who, force, now).await {
        Ok(lock) => LockOutcome::Done(lock),
        Err(ReleaseError::NotLocked) => LockOutcome::NotLocked,
        Err(ReleaseError::HeldBy(held)) => LockOutcome::Held(*held),
        Err(ReleaseError::Store(e)) => LockOutcome::Failed(e),
    };
    let action = if force { "unlock (forced)" } else { "unlock" };
    let reason = match &outcome {
        LockOutcome::Done(l) | LockOutcome::Held(l) => l.reason.clone(),
        _ => String::new(),
    };
    record(setup, who, action, scope, &reason, &outcome, now);
    outcome
}
