//! Sources as the board sees them: what kind, how healthy, what they last reported.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::SourceSnapshot;

/// The API a source speaks: the name its kind is registered under (`demo`, `github`), as
/// written in `kind:`. What a kind can do is the source registry's business; the domain only
/// names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SourceKind(&'static str);

impl SourceKind {
    /// The kind registered as `name`.
    pub const fn named(name: &'static str) -> SourceKind {
        SourceKind(name)
    }

    /// The built-in simulated fleet's kind, for code that builds a source's state by hand.
    #[allow(non_upper_case_globals)]
    pub const Demo: SourceKind = SourceKind("demo");
    /// GitHub's kind, for code that builds a source's state by hand.
    #[allow(non_upper_case_globals)]
    pub const Github: SourceKind = SourceKind("github");

    pub fn label(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A source's stable id: its name, unique in a configuration. Messages, effects and snapshots
/// written to disk carry it instead of a position in the configuration, so a report always
/// finds its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SourceId(String);

impl SourceId {
    /// The id of the source named `name`.
    pub fn new(name: impl Into<String>) -> SourceId {
        SourceId(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for SourceId {
    fn from(name: &str) -> SourceId {
        SourceId::new(name)
    }
}

/// Why a poll failed, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub reason: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

/// What a source's last poll cycle cost in requests, and its API quota: for the status bar,
/// the logs and `status --json` (`sources[].requests`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceStats {
    /// Requests sent in the last cycle.
    pub sent: u32,
    /// Of those, answered `304 Not Modified` (free of quota, nothing parsed).
    pub not_modified: u32,
    /// Of those, failed or unanswered.
    pub errors: u32,
    /// The API quota as last reported (`x-ratelimit-*`), when the API reports one.
    pub rate_remaining: Option<u64>,
    pub rate_limit: Option<u64>,
    pub rate_reset: Option<DateTime<Utc>>,
}

/// A source's health as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceHealth {
    /// Never answered yet.
    Waiting,
    Ok,
    /// The last good data is older than the source's interval allows.
    Stale {
        age: Duration,
    },
    /// Waiting on purpose for the API's rate limit or the quota pacer: not stale, polled next
    /// at `next`.
    Paced {
        next: DateTime<Utc>,
    },
    /// The last poll failed; `age` is that of the last good data, if any.
    Failing {
        reason: String,
        age: Option<Duration>,
    },
}

/// One configured source and what it last reported.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceState {
    /// How messages about it name it.
    pub id: SourceId,
    pub name: String,
    pub kind: SourceKind,
    /// How often it polls; data older than twice this (plus a grace) is stale.
    pub interval: Duration,
    pub last_success: Option<DateTime<Utc>>,
    pub error: Option<SourceError>,
    /// The last good snapshot: kept through failures, never blanked.
    pub snapshot: Option<SourceSnapshot>,
    /// Requests and quota of the last cycle; `None` for sources that make no requests.
    pub stats: Option<SourceStats>,
    /// When the source polls next, as its poller last said.
    pub next_poll: Option<DateTime<Utc>>,
    /// The wait before `next_poll` is the API's own (rate limit, quota pacing).
    pub paced: bool,
}

impl SourceState {
    pub fn new(name: impl Into<String>, kind: SourceKind, interval: Duration) -> Self {
        let name = name.into();
        SourceState {
            id: SourceId::new(name.clone()),
            name,
            kind,
            interval,
            last_success: None,
            error: None,
            snapshot: None,
            stats: None,
            next_poll: None,
            paced: false,
        }
    }

    /// Age of the last good data at `now`.
    pub fn age(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.last_success.map(|t| (now - t).max(Duration::zero()))
    }

    pub fn health(&self, now: DateTime<Utc>) -> SourceHealth {
        if let Some(error) = &self.error {
            return SourceHealth::Failing {
                reason: error.reason.clone(),
                age: self.age(now),
            };
        }
        let late = |age: Duration| age > self.interval * 2 + Duration::seconds(5);
        let Some(age) = self.age(now) else {
            return SourceHealth::Waiting;
        };
        match self.next_poll {
            // A source that waits for the API on purpose is not late until its next poll is.
            Some(next) if self.paced && now <= next => SourceHealth::Paced { next },
            Some(next) if self.paced && !late(now - next) => SourceHealth::Ok,
            _ if late(age) => SourceHealth::Stale { age },
            _ => SourceHealth::Ok,
        }
    }

    /// Whether its last poll read everything: no error, and no target failing.
    pub fn is_complete(&self) -> bool {
        self.error.is_none()
            && self.last_success.is_some()
            && (self.snapshot.iter())
                .flat_map(|s| &s.targets)
                .all(|t| t.is_ok())
    }

    /// Whether the data this source gave should be drawn as stale.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        !matches!(
            self.health(now),
            SourceHealth::Ok | SourceHealth::Waiting | SourceHealth::Paced { .. }
        )
    }
}

/// The source with `id` among `sources`.
pub fn source_mut<'a>(
    sources: &'a mut [SourceState],
    id: &SourceId,
) -> Option<&'a mut SourceState> {
    sources.iter_mut().find(|s| &s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_source_turns_stale_after_twice_its_interval_and_failing_keeps_the_data_age() {
        let t0 = Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap();
        let mut s = SourceState::new("gh", SourceKind::Demo, Duration::seconds(30));
        assert_eq!(s.health(t0), SourceHealth::Waiting);
        s.last_success = Some(t0);
        assert_eq!(s.health(t0 + Duration::seconds(60)), SourceHealth::Ok);
        assert_eq!(
            s.health(t0 + Duration::seconds(70)),
            SourceHealth::Stale {
                age: Duration::seconds(70)
            }
        );
        s.error = Some(SourceError {
            reason: "timeout".into(),
        });
        assert_eq!(
            s.health(t0 + Duration::seconds(5)),
            SourceHealth::Failing {
                reason: "timeout".into(),
                age: Some(Duration::seconds(5))
            }
        );
    }
}
