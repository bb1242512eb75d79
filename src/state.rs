//! The state the loop owns: the model (what the sources said) and the UI state (what the
//! operator is looking at). Both are plain data; [`crate::update`] changes them.

use chrono::{DateTime, Utc};

use crate::config::{Config, KeyMap, Span};
use std::collections::BTreeMap;

use crate::locks::{AuditEntry, Guard, Schedules};
use crate::model::{
    Actions, Board, Breach, BreachKey, Catalog, Lock, OtherLocks, SourceId, SourceState,
};

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

/// How the board may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// Data comes from the simulated demo fleet.
    pub demo: bool,
    /// Read-only wall display: rotating panels, only quit works.
    pub wall: bool,
    /// No action that changes the world can be taken.
    pub read_only: bool,
}

/// What the sources reported, merged into a board.
#[derive(Debug, Clone)]
pub struct Model {
    pub catalog: Catalog,
    pub sources: Vec<SourceState>,
    pub board: Board,
    pub mode: Mode,
    pub identity: String,
    pub age_step: Span,
    pub wall_rotate: Span,
    pub keymap: KeyMap,
    /// Deploy hours and freezes from the configuration.
    pub schedules: Schedules,
    pub manual_locks: ManualLocks,
    /// What the configuration forbids: a read-only configuration, view-only environments.
    pub guard: Guard,
    /// The time of the last message: views draw ages against it.
    pub now: DateTime<Utc>,
    /// Every lock breach seen and still on the board, so it stays flagged after its lock lifts.
    pub breaches: BTreeMap<BreachKey, Lock>,
    /// Breaches found by the last rebuilds and not yet written to the audit log.
    pub unaudited_breaches: Vec<Breach>,
    /// Actions asked of the sources: pending, done or failed.
    pub actions: Actions,
}

impl Model {
    /// The model of `config` in `mode`; a read-only configuration makes the mode read-only.
    pub fn new(config: &Config, mode: Mode, now: DateTime<Utc>) -> Model {
        let mode = Mode {
            read_only: mode.read_only || config.read_only,
            ..mode
        };
        let sources: Vec<SourceState> = config
            .sources
            .iter()
            .map(|s| SourceState::new(s.name.clone(), s.kind, s.interval.as_chrono()))
            .collect();
        let mut model = Model {
            catalog: config.catalog.clone(),
            sources,
            board: Board::default(),
            mode,
            identity: config.identity.clone(),
            age_step: config.age_step,
            wall_rotate: config.wall_rotate,
            keymap: config.keymap.clone(),
            schedules: config.schedules.clone(),
            manual_locks: ManualLocks::default(),
            guard: Guard {
                read_only: config
                    .read_only
                    .then(|| "read-only configuration (`read_only: true`)".to_string()),
                view_only: config.view_only.clone(),
            },
            now,
            breaches: BTreeMap::new(),
            unaudited_breaches: Vec::new(),
            actions: Actions::default(),
        };
        model.rebuild(now);
        model
    }

    /// The age step in whole seconds, as the formats take it.
    pub fn age_step_secs(&self) -> i64 {
        self.age_step.0.as_secs().max(1) as i64
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

/// The panels focus moves between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    Board,
    InFlight,
    Recent,
    Locks,
}

impl Panel {
    pub const ALL: [Panel; 4] = [Panel::Board, Panel::InFlight, Panel::Recent, Panel::Locks];

    pub fn title(self) -> &'static str {
        match self {
            Panel::Board => "Board",
            Panel::InFlight => "In flight",
            Panel::Recent => "Recent deploys",
            Panel::Locks => "Locks",
        }
    }

    pub fn next(self) -> Panel {
        let i = Panel::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Panel::ALL[(i + 1) % Panel::ALL.len()]
    }

    pub fn prev(self) -> Panel {
        let i = Panel::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Panel::ALL[(i + Panel::ALL.len() - 1) % Panel::ALL.len()]
    }
}

/// Row order on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// The order of the configuration file.
    #[default]
    Configured,
    Name,
    Team,
    /// Most recently deployed first.
    LastDeploy,
}

impl SortOrder {
    pub fn next(self) -> SortOrder {
        match self {
            SortOrder::Configured => SortOrder::Name,
            SortOrder::Name => SortOrder::Team,
            SortOrder::Team => SortOrder::LastDeploy,
            SortOrder::LastDeploy => SortOrder::Configured,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Configured => "configured",
            SortOrder::Name => "name",
            SortOrder::Team => "team",
            SortOrder::LastDeploy => "last deploy",
        }
    }
}

/// What a detail view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailTarget {
    /// One service in one environment.
    Cell {
        service: String,
        environment: String,
    },
    /// One deployment, by source and id.
    Deploy { source: String, id: String },
    /// The locks of one scope label ("production", "checkout@staging").
    Lock { scope: String },
}

/// A view drawn over the board.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Detail(DetailTarget),
    /// The lock dialog: scope, reason, duration.
    Lock(LockForm),
    /// The confirmation before a lock is lifted.
    Unlock(UnlockForm),
}

/// The field of the lock dialog that has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockField {
    Scope,
    #[default]
    Reason,
    Duration,
}

/// The lock dialog as the operator fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LockForm {
    pub environment: String,
    /// The selected service, when the dialog was opened on a cell.
    pub service: Option<String>,
    /// Lock the whole environment rather than the one service.
    pub whole_environment: bool,
    pub reason: String,
    /// Optional: "2h", "30m"; empty until lifted.
    pub duration: String,
    pub field: LockField,
    /// Why the last confirm was refused.
    pub error: Option<String>,
}

/// The confirmation before a lock is lifted.
#[derive(Debug, Clone, PartialEq)]
pub struct UnlockForm {
    pub lock: Lock,
    /// Another operator holds it: lifting it is forced, and recorded as such.
    pub force: bool,
    /// The operator must type the scope's name (protected environment, or forced).
    pub confirm_by_typing: bool,
    pub typed: String,
    pub error: Option<String>,
}

/// What the operator is looking at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ui {
    pub focus: Panel,
    /// Selected service row (index among the visible service rows) and environment column.
    pub row: usize,
    pub column: usize,
    /// Selected entry in the in-flight, recent and locks panels.
    pub in_flight_selected: usize,
    pub recent_selected: usize,
    pub locks_selected: usize,
    pub filter: String,
    /// The filter prompt has the keyboard.
    pub filter_editing: bool,
    pub sort: SortOrder,
    pub group_by_team: bool,
    pub overlay: Option<Overlay>,
    /// Terminal size, for paging and layout decisions in update.
    pub width: u16,
    pub height: u16,
    /// A short message in the status bar, and when it goes away.
    pub notice: Option<(String, DateTime<Utc>)>,
    /// The notice says something failed or was refused.
    pub notice_error: bool,
    /// Wall mode: which panel the rotation shows.
    pub wall_page: usize,
    /// The locks panel shows the audit history instead of the locks in force.
    pub lock_history: bool,
    /// First visible row of the board, kept so the cursor stays in view.
    pub scroll: usize,
    /// First visible line of the help or detail overlay, and how far it can go (from the
    /// last frame drawn).
    pub overlay_scroll: u16,
    pub overlay_max_scroll: u16,
    /// After `r`: the sources whose answer is still awaited.
    pub refresh_pending: Vec<SourceId>,
}
