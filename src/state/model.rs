//! The model: what the sources said, merged into a board, with what the lock store said and
//! the lock breaches seen.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::settings::{Mode, Settings};
use crate::config::Config;
use crate::locks::{AuditEntry, Schedules};
use crate::model::{Actions, Board, Breach, BreachKey, Catalog, Lock, OtherLocks, SourceState};

/// What the lock store last said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ManualLocks {
    /// "file /home/alice/.local/share/shiproom/locks.json", "etcd http://…".
    pub store: String,
    /// The last good read: kept through failures, but shown as unknown while failing.
    pub locks: Vec<Lock>,
    pub last_success: Option<DateTime<Utc>>,
    /// Why the last read failed.
    pub error: Option<String>,
    /// The newest audit entries, newest first, for the locks panel's history.
    pub history: Vec<AuditEntry>,
}

/// What the sources reported, merged into a board.
#[derive(Debug, Clone)]
pub struct Model {
    pub catalog: Catalog,
    pub sources: Vec<SourceState>,
    pub board: Board,
    /// What the board runs with: mode, identity, key map, age step, wall rotation, guard.
    pub settings: Settings,
    /// Deploy hours and freezes from the configuration.
    pub schedules: Schedules,
    pub manual_locks: ManualLocks,
    /// The time of the last message: views draw ages against it.
    pub now: DateTime<Utc>,
    /// Every lock breach seen and still on the board, so it stays flagged after its lock lifts.
    pub breaches: BTreeMap<BreachKey, Lock>,
    /// Breaches found by the last rebuilds and not yet written to the audit log.
    pub unaudited_breaches: Vec<Breach>,
    /// Actions asked of the sources: pending, done or failed.
    pub actions: Actions,
    /// The deploys (source, id) already sent for analysis, while they are on the board.
    pub analyses_asked: std::collections::BTreeSet<(String, String)>,
}

impl Model {
    /// The model of `config` in `mode`; a read-only configuration makes the mode read-only.
    pub fn new(config: &Config, mode: Mode, now: DateTime<Utc>) -> Model {
        let sources: Vec<SourceState> = config
            .sources
            .iter()
            .map(|s| SourceState::new(s.name.clone(), s.kind, s.interval.as_chrono()))
            .collect();
        let mut model = Model {
            catalog: config.catalog.clone(),
            sources,
            board: Board::default(),
            settings: Settings::new(config, mode),
            schedules: config.schedules.clone(),
            manual_locks: ManualLocks::default(),
            now,
            breaches: BTreeMap::new(),
            unaudited_breaches: Vec::new(),
            actions: Actions::default(),
            analyses_asked: std::collections::BTreeSet::new(),
        };
        model.rebuild(now);
        model
    }

    /// Rebuilds the board from the sources at `now`; says whether anything on it changed.
    pub fn rebuild(&mut self, now: DateTime<Utc>) -> bool {
        let schedule = self.schedules.locks_at(now);
        let other = OtherLocks {
            manual: &self.manual_locks.locks,
            schedule: &schedule,
            unknown: self.manual_locks.error.as_deref(),
            breaches: Some(&self.breaches),
        };
        let board = Board::build(&self.catalog, &self.sources, other, now);
        let changed = board != self.board;
        self.board = board;
        if changed {
            self.note_breaches();
        }
        changed
    }

    /// Remembers the board's breaches (forgetting those no longer on it) and queues the new
    /// ones for the audit log, unless the log already has them (another board wrote it).
    fn note_breaches(&mut self) {
        let on_board: BTreeMap<BreachKey, Lock> = (self.board.breaches.iter())
            .map(|b| (b.key(), b.lock.clone()))
            .collect();
        for breach in &self.board.breaches {
            let key = breach.key();
            let logged = self.manual_locks.history.iter().any(|e| {
                e.action == crate::locks::audit::BREACH && e.reason.contains(&breach_tag(&key))
            });
            if !self.breaches.contains_key(&key) && !logged {
                self.unaudited_breaches.push(breach.clone());
            }
        }
        self.breaches = on_board;
    }
}

/// How an audit entry names the deployment of a breach: "deploy demo/1234".
pub fn breach_tag((source, id): &BreachKey) -> String {
    format!("deploy {source}/{id}")
}
