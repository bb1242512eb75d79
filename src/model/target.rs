//! The parts of a source that are read on their own (a repository, a project, an application):
//! one failing target costs only its own cells, never the rest of its source.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One target of a source and how its last read went. A source that reads in parts reports
/// one per part in [`super::SourceSnapshot::targets`]; a source that does not (the demo) reports
/// none and counts as one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetReport {
    /// The target as the source names it: "acme/payments".
    pub name: String,
    /// The cells whose data comes from this target, as (service, environment).
    pub cells: Vec<(String, String)>,
    /// When this target was last read whole; `None`: never yet.
    pub last_success: Option<DateTime<Utc>>,
    /// Why the last read of this target failed. Its cells keep the data of `last_success`
    /// (shown stale with its age), or read as unknown when it was never read.
    pub error: Option<String>,
}

impl TargetReport {
    /// Whether the last read of this target succeeded.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}
