//! Effects run as tasks: what update asks of the outside world (poll now, take or lift a
//! lock, write the audit log), each reporting back into the inbox as a message.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Notify, mpsc};

use crate::locks::{HISTORY, LockSetup, actions};
use crate::msg::{Effect, Msg};

/// Everything effects need, shared by the tasks they start.
#[derive(Clone)]
pub struct Effects {
    pub inbox: mpsc::Sender<Msg>,
    pub refresh_sources: Arc<Notify>,
    pub refresh_locks: Arc<Notify>,
    pub locks: Arc<LockSetup>,
    pub identity: String,
}

impl Effects {
    /// Starts one effect. `Quit` is the loop's own business and is ignored here.
    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Quit => {}
            Effect::RefreshSources => self.refresh_sources.notify_waiters(),
            Effect::RefreshLocks => self.refresh_locks.notify_one(),
            Effect::AcquireLock(_) | Effect::ReleaseLock { .. } => self.spawn_lock_action(effect),
            Effect::AuditRefused(entry) | Effect::AuditBreach(entry) => {
                let audit = self.locks.audit.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = audit.append(&entry) {
                        tracing::error!(%e, "audit log not written");
                    }
                });
            }
        }
    }
}

impl Effects {
    /// Takes or lifts a lock as a task, and tells the operator how it went.
    fn spawn_lock_action(&self, effect: Effect) {
        let this = self.clone();
        tokio::spawn(async move {
            let now = Utc::now();
            let (verb, scope, outcome) = match effect {
                Effect::AcquireLock(lock) => (
                    "lock",
                    lock.scope.clone(),
                    actions::take(&this.locks, lock, now).await,
                ),
                Effect::ReleaseLock { scope, force } => {
                    let outcome =
                        actions::lift(&this.locks, &scope, &this.identity, force, now).await;
                    ("unlock", scope, outcome)
                }
                _ => return,
            };
            let message = outcome.message(verb, &scope, now);
            let _ = this
                .inbox
                .send(Msg::LockActionDone {
                    message,
                    ok: outcome.ok(),
                })
                .await;
        });
    }
}

/// Reads the lock store (and the audit history) every interval, or at once when asked.
pub fn spawn_lock_poller(setup: Arc<LockSetup>, inbox: mpsc::Sender<Msg>, refresh: Arc<Notify>) {
    tokio::spawn(async move {
        // The audit history is read again only when the log has grown.
        let mut history = Vec::new();
        let mut audit_len = None;
        loop {
            let at = Utc::now();
            let result = setup.store.list(at).await;
            let audit = setup.audit.clone();
            let len = std::fs::metadata(audit.path()).map(|m| m.len()).ok();
            if len != audit_len {
                audit_len = len;
                history = tokio::task::spawn_blocking(move || audit.recent(HISTORY))
                    .await
                    .unwrap_or_default();
            }
            let report = Msg::LocksReport {
                at,
                result,
                history: history.clone(),
            };
            if inbox.send(report).await.is_err() {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(setup.interval) => {}
                _ = refresh.notified() => {}
            }
        }
    });
}
