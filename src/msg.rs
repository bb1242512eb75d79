//! What enters the loop: input, the clock, and what sources and effects report.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::model::{SourceError, SourceSnapshot, SourceStats};

/// One message into the app loop's inbox.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// The terminal changed size (columns, rows).
    Resize(u16, u16),
    /// The clock: ages and staleness move on, wall panels rotate, notices expire.
    Tick(DateTime<Utc>),
    /// One poll of the source at `index` (in configuration order) finished.
    SourceReport {
        index: usize,
        at: DateTime<Utc>,
        result: Result<SourceSnapshot, SourceError>,
    },
    /// The requests of the source at `index`'s last poll cycle and its quota; sent just
    /// before its `SourceReport`, by sources that make requests.
    SourceStats {
        index: usize,
        stats: SourceStats,
    },
    /// A frame was drawn; what it learned about the layout.
    Drawn(crate::ui::Drawn),
    /// SIGTERM, SIGHUP or the input thread ended: leave cleanly.
    Shutdown,
}

/// What update asks the outside world to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Poll every source now instead of waiting for its interval.
    RefreshSources,
}
