//! What enters the loop: input, the clock, and what sources and effects report.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::locks::{AuditEntry, StoreError};
use crate::model::{
    ActionId, ActionResult, Lock, LockScope, SourceAction, SourceError, SourceId, SourceSnapshot,
    SourceStats,
};

/// One message into the app loop's inbox.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// The terminal changed size (columns, rows).
    Resize(u16, u16),
    /// The clock: ages and staleness move on, wall panels rotate, notices expire.
    Tick(DateTime<Utc>),
    /// One poll of `source` finished.
    SourceReport {
        source: SourceId,
        at: DateTime<Utc>,
        result: Result<SourceSnapshot, SourceError>,
    },
    /// The requests of `source`'s last poll cycle and its quota; sent just before its
    /// `SourceReport`, by sources that make requests.
    SourceStats {
        source: SourceId,
        stats: SourceStats,
    },
    /// When `source` polls next, sent after each of its reports. `paced`: the wait is the
    /// API's own (rate limit, quota pacing), not the interval or a backoff.
    SourceNextPoll {
        source: SourceId,
        at: DateTime<Utc>,
        paced: bool,
    },
    /// Action `id`, asked of `source`, has finished: what it did, or why not.
    ActionDone {
        id: ActionId,
        source: SourceId,
        result: ActionResult,
    },
    /// The lock store was read: its manual locks, and the newest audit entries.
    LocksReport {
        at: DateTime<Utc>,
        result: Result<Vec<Lock>, StoreError>,
        history: Vec<AuditEntry>,
    },
    /// A lock or unlock the operator asked for has finished: what to tell them.
    LockActionDone {
        message: String,
        ok: bool,
    },
    /// Something to tell the operator in the status bar (an effect's outcome); `ok: false`
    /// when it failed.
    Notice {
        text: String,
        ok: bool,
    },
    /// A frame was drawn; what it learned about the layout.
    Drawn(crate::state::Drawn),
    /// SIGTERM, SIGHUP or the input thread ended: leave cleanly.
    Shutdown,
}

/// What update asks the outside world to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Poll every source now instead of waiting for its interval.
    RefreshSources,
    /// Poll this source alone now.
    PollSource(SourceId),
    /// Ask `source` to carry out `action`; its result comes back as `Msg::ActionDone` with
    /// `id`.
    Act {
        source: SourceId,
        id: ActionId,
        action: SourceAction,
    },
    /// Take this lock in the lock store (and record it in the audit log).
    AcquireLock(Lock),
    /// Lift the manual lock on this scope; `force` lifts another operator's lock.
    ReleaseLock {
        scope: LockScope,
        force: bool,
    },
    /// Record an action that was refused (wall display, read-only).
    AuditRefused(AuditEntry),
    /// Record a deploy that started while its cell was locked.
    AuditBreach(AuditEntry),
    /// Read the lock store now.
    RefreshLocks,
    /// Ask a source that judges impact to analyse a finished deploy.
    Analyse {
        source: crate::model::SourceId,
        request: crate::model::AnalysisRequest,
    },
    /// Open this page in the operator's browser (over ssh: say it in the status bar).
    OpenUrl(String),
    /// Put this text on the operator's clipboard (OSC 52, through ssh and tmux).
    Copy(String),
}
