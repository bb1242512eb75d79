//! What the operator is looking at: the focused panel, selections, filter, sort, the overlay
//! and its forms, and what the last frame drawn learned.

use chrono::{DateTime, Utc};

use crate::model::Lock;

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
    pub refresh_pending: Vec<crate::model::SourceId>,
}

/// What drawing a frame learned about the layout, for update to keep scrolling in bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drawn {
    /// How far the open overlay can scroll (0 when it fits or none is open).
    pub overlay_max_scroll: u16,
}
