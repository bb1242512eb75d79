//! Taking and lifting locks, for the board and the command line alike: the audit log records
//! it (a change is written there first, and not made if it cannot be), the store does it, and
//! the outcome says what happened in words for the operator. Read-only and view-only
//! configurations are refused here, whoever asks.

use chrono::{DateTime, Utc};

use super::audit::Journal;
use super::{AcquireError, AuditEntry, LockSetup, ReleaseError, StoreError};
use crate::model::{Lock, LockScope};
use crate::present::format;
use crate::text::one_line;

/// What a lock or unlock came to.
#[derive(Debug, Clone, PartialEq)]
pub enum LockOutcome {
    /// Taken, or lifted: the lock.
    Done(Lock),
    /// Taken, and the lock store was created for it (its first lock).
    Created(Lock),
    /// Someone else holds that scope: their lock.
    Held(Lock),
    /// There was no manual lock to lift.
    NotLocked,
    /// Not allowed here (read-only, wall display, view-only environment): why.
    Refused(String),
    /// The store (or the audit log) failed; nothing changed.
    Failed(StoreError),
}

impl LockOutcome {
    pub fn ok(&self) -> bool {
        matches!(self, LockOutcome::Done(_) | LockOutcome::Created(_))
    }

    /// The audit log's `result` field.
    fn result(&self) -> String {
        match self {
            LockOutcome::Done(_) | LockOutcome::Created(_) => "ok".into(),
            LockOutcome::Held(l) => format!("refused: held by {}", l.by),
            LockOutcome::NotLocked => "refused: not locked".into(),
            LockOutcome::Refused(why) => format!("refused: {why}"),
            LockOutcome::Failed(e) => format!("failed: {e}"),
        }
    }

    /// One line for the operator; `verb` is "lock" or "unlock". Text from outside (reasons,
    /// names, errors) is kept to one line.
    pub fn message(&self, verb: &str, scope: &LockScope, now: DateTime<Utc>) -> String {
        let label = one_line(&scope.label()).into_owned();
        let text = |s: &str| one_line(s).into_owned();
        match (self, verb) {
            (LockOutcome::Done(l) | LockOutcome::Created(l), "lock") => {
                format!(
                    "locked {label}: \"{}\" ({})",
                    text(&l.reason),
                    format::lifts(l.until, now)
                )
            }
            (LockOutcome::Done(l) | LockOutcome::Created(l), _) => format!(
                "unlocked {label} (was locked by {}: \"{}\")",
                text(&l.by),
                text(&l.reason)
            ),
            (LockOutcome::Held(l), "lock") => format!(
                "{label} is already locked by {} since {}: \"{}\" ({})",
                text(&l.by),
                l.since.format("%Y-%m-%d %H:%M UTC"),
                text(&l.reason),
                format::lifts(l.until, now)
            ),
            (LockOutcome::Held(l), _) => format!(
                "{label} is locked by {}, not you: \"{}\" (lift it anyway with --force, or from the board)",
                text(&l.by),
                text(&l.reason)
            ),
            (LockOutcome::NotLocked, _) => format!("{label} has no manual lock to lift"),
            (LockOutcome::Refused(why), _) => {
                format!("refused to {verb} {label}: {}", text(why))
            }
            (LockOutcome::Failed(e), _) => {
                format!(
                    "could not {verb} {label}: {} — nothing changed",
                    text(&e.reason)
                )
            }
        }
    }
}

fn entry(
    who: &str,
    action: &str,
    scope: &LockScope,
    reason: &str,
    result: String,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry {
        time: now,
        who: who.to_string(),
        action: action.to_string(),
        scope: scope.label(),
        reason: reason.to_string(),
        result,
    }
}

/// Records an outcome that changed nothing (a refusal, a failure). A change itself is
/// recorded by its [`Journal`] before it is made.
fn record(setup: &LockSetup, entry: &AuditEntry) {
    if let Err(e) = setup.audit.append(entry) {
        tracing::error!(error = %one_line(&e), "audit log not written");
    }
}

/// Refuses `action` on `scope` for `who` and records the refusal.
pub fn refuse(
    setup: &LockSetup,
    who: &str,
    action: &str,
    scope: &LockScope,
    reason: &str,
    why: String,
    now: DateTime<Utc>,
) -> LockOutcome {
    let outcome = LockOutcome::Refused(why);
    record(
        setup,
        &entry(who, action, scope, reason, outcome.result(), now),
    );
    outcome
}

/// Takes `lock` in the store: recorded first, refused when the configuration or mode forbids
/// it or the record cannot be written.
pub async fn take(setup: &LockSetup, lock: Lock, now: DateTime<Utc>) -> LockOutcome {
    if let Some(why) = setup.guard.refusal(&lock.scope) {
        return refuse(setup, &lock.by, "lock", &lock.scope, &lock.reason, why, now);
    }
    let about = |result| entry(&lock.by, "lock", &lock.scope, &lock.reason, result, now);
    let journal = Journal::new(&setup.audit, about(String::new()));
    let outcome = match setup.store.acquire(lock.clone(), now, &journal).await {
        Ok(false) => LockOutcome::Done(lock.clone()),
        Ok(true) => LockOutcome::Created(lock.clone()),
        Err(AcquireError::Held(held)) => LockOutcome::Held(*held),
        Err(AcquireError::Store(e)) => LockOutcome::Failed(e),
    };
    if !outcome.ok() {
        record(setup, &about(outcome.result()));
    }
    outcome
}

/// Lifts the manual lock on `scope` for `who`: recorded first, refused like [`take`].
pub async fn lift(
    setup: &LockSetup,
    scope: &LockScope,
    who: &str,
    force: bool,
    now: DateTime<Utc>,
) -> LockOutcome {
    let action = if force { "unlock (forced)" } else { "unlock" };
    if let Some(why) = setup.guard.refusal(scope) {
        return refuse(setup, who, action, scope, "", why, now);
    }
    let journal = Journal::new(
        &setup.audit,
        entry(who, action, scope, "", String::new(), now),
    );
    let outcome = match setup
        .store
        .release(scope.clone(), who, force, now, &journal)
        .await
    {
        Ok(lock) => LockOutcome::Done(lock),
        Err(ReleaseError::NotLocked) => LockOutcome::NotLocked,
        Err(ReleaseError::HeldBy(held)) => LockOutcome::Held(*held),
        Err(ReleaseError::Store(e)) => LockOutcome::Failed(e),
    };
    if !outcome.ok() {
        let reason = match &outcome {
            LockOutcome::Held(l) => l.reason.clone(),
            _ => String::new(),
        };
        record(
            setup,
            &entry(who, action, scope, &reason, outcome.result(), now),
        );
    }
    outcome
}
