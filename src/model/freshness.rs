//! How far a cell's data can be trusted: fresh, the last known (stale, with its age and why),
//! unknown (nothing read, and why), or not tracked by any source. The board never shows
//! unknown as "all clear".

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Coverage, SourceHealth, SourceState, TargetReport};

/// What the board knows of one cell's data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Freshness {
    /// Read from a source that answers on time.
    #[default]
    Fresh,
    /// The last known data, read at `as_of`; its source or target fails or is late.
    Stale {
        as_of: Option<DateTime<Utc>>,
        reason: String,
    },
    /// Nothing was read for it yet: its source or target has not answered, or fails.
    Unknown { reason: String },
    /// No source reports this cell: the configuration maps other environments of the service.
    Untracked,
}

impl Freshness {
    /// Not fresh: stale or unknown (what `status --json` calls `stale`).
    pub fn is_stale(&self) -> bool {
        matches!(self, Freshness::Stale { .. } | Freshness::Unknown { .. })
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Freshness::Unknown { .. })
    }

    /// Why the data is not fresh.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Freshness::Stale { reason, .. } | Freshness::Unknown { reason } => Some(reason),
            Freshness::Fresh | Freshness::Untracked => None,
        }
    }

    /// The contract's name for it: fresh, stale, unknown, untracked.
    pub fn label(&self) -> &'static str {
        match self {
            Freshness::Fresh => "fresh",
            Freshness::Stale { .. } => "stale",
            Freshness::Unknown { .. } => "unknown",
            Freshness::Untracked => "untracked",
        }
    }

    /// How bad it is, for taking the worst of several sources.
    fn rank(&self) -> u8 {
        match self {
            Freshness::Fresh | Freshness::Untracked => 0,
            Freshness::Stale { .. } => 1,
            Freshness::Unknown { .. } => 2,
        }
    }
}

/// Per source, its targets by cell: built once per board so each cell is a lookup.
pub(super) struct TargetIndex<'a> {
    by_cell: Vec<HashMap<(&'a str, &'a str), &'a TargetReport>>,
}

impl<'a> TargetIndex<'a> {
    pub(super) fn new(sources: &'a [SourceState]) -> TargetIndex<'a> {
        let by_cell = sources
            .iter()
            .map(|source| {
                let mut map = HashMap::new();
                for target in source.snapshot.iter().flat_map(|s| &s.targets) {
                    for (service, environment) in &target.cells {
                        map.insert((service.as_str(), environment.as_str()), target);
                    }
                }
                map
            })
            .collect();
        TargetIndex { by_cell }
    }

    /// The freshness of one cell, covered as `coverage` says, at `now`.
    pub(super) fn cell(
        &self,
        sources: &[SourceState],
        coverage: Coverage,
        service: &str,
        environment: &str,
        now: DateTime<Utc>,
    ) -> Freshness {
        let of = |i: usize| {
            let target = self.by_cell[i].get(&(service, environment)).copied();
            of_source(&sources[i], target, now)
        };
        match coverage {
            Coverage::Untracked => Freshness::Untracked,
            Coverage::One(name) => match sources.iter().position(|s| s.name == name) {
                Some(i) => of(i),
                None => Freshness::Unknown {
                    reason: format!("source `{name}` is not running"),
                },
            },
            Coverage::Every => (0..sources.len())
                .map(of)
                .max_by_key(Freshness::rank)
                .unwrap_or(Freshness::Unknown {
                    reason: "no source is configured".to_string(),
                }),
        }
    }
}

impl TargetIndex<'_> {
    /// Why another source than the one that reports the cell's deploys — one that judges its
    /// impact — fails for this cell, if one does: its target for the cell, or the whole source.
    pub(super) fn trouble_elsewhere(
        &self,
        sources: &[SourceState],
        coverage: Coverage,
        service: &str,
        environment: &str,
    ) -> Option<String> {
        let Coverage::One(own) = coverage else {
            return None;
        };
        (sources.iter().enumerate())
            .filter(|(_, s)| s.name != own)
            .find_map(|(i, s)| {
                let target = self.by_cell[i].get(&(service, environment))?;
                let error = target
                    .error
                    .as_ref()
                    .or(s.error.as_ref().map(|e| &e.reason))?;
                Some(format!("{}: {error}", s.name))
            })
    }
}

/// The freshness of what `source` says about a cell read from `target` (if it reads in parts).
fn of_source(source: &SourceState, target: Option<&TargetReport>, now: DateTime<Utc>) -> Freshness {
    let name = &source.name;
    if source.snapshot.is_none() {
        return Freshness::Unknown {
            reason: match &source.error {
                Some(error) => format!("{name}: {error}"),
                None => format!("waiting for {name}'s first answer"),
            },
        };
    }
    if let Some(target) = target
        && let Some(error) = &target.error
    {
        let reason = format!("{name}: {error}");
        return match target.last_success {
            None => Freshness::Unknown { reason },
            as_of => Freshness::Stale { as_of, reason },
        };
    }
    let as_of = match (source.last_success, target.and_then(|t| t.last_success)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match source.health(now) {
        SourceHealth::Ok | SourceHealth::Waiting | SourceHealth::Paced { .. } => Freshness::Fresh,
        SourceHealth::Stale { .. } => Freshness::Stale {
            as_of,
            reason: format!("{name} is late: no answer within twice its interval"),
        },
        SourceHealth::Failing { reason, .. } => Freshness::Stale {
            as_of,
            reason: format!("{name}: {reason}"),
        },
    }
}
