//! Each repository of a GitHub source on its own: its last good part of the snapshot, when it
//! was last read whole, why it last failed, its own backoff and when it is due again. One
//! repository's failure costs only its own cells.

use chrono::{DateTime, Utc};

use super::repo::RepoPart;
use super::source::{BACKOFF_BASE, BACKOFF_CAP, RepoPlan};
use crate::model::TargetReport;
use crate::sources::Wait;
use crate::sources::http::{Backoff, HttpError};

/// How one repository is doing.
pub(super) struct RepoState {
    /// The part of the last read that succeeded: kept through failures.
    part: Option<RepoPart>,
    last_success: Option<DateTime<Utc>>,
    error: Option<String>,
    backoff: Backoff,
    /// When to ask it next; `None`: at once.
    due: Option<DateTime<Utc>>,
}

/// `at + after`, or the end of time when that overflows.
fn later(at: DateTime<Utc>, after: std::time::Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(after)
        .ok()
        .and_then(|after| at.checked_add_signed(after))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl RepoState {
    pub(super) fn new(seed: u64) -> RepoState {
        RepoState {
            part: None,
            last_success: None,
            error: None,
            backoff: Backoff::new(BACKOFF_BASE, BACKOFF_CAP, seed),
            due: None,
        }
    }

    /// Whether it is to be asked in a cycle at `now` (or within `slack` of it, so repositories
    /// due at nearly the same moment share a cycle).
    pub(super) fn is_due(&self, now: DateTime<Utc>, slack: chrono::Duration) -> bool {
        self.due
            .is_none_or(|due| due <= now.checked_add_signed(slack).unwrap_or(now))
    }

    pub(super) fn due(&self) -> Option<DateTime<Utc>> {
        self.due
    }

    pub(super) fn part(&self) -> Option<&RepoPart> {
        self.part.as_ref()
    }

    pub(super) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub(super) fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// Read whole at `now`: its new part, due again after `interval`.
    pub(super) fn read(&mut self, part: RepoPart, now: DateTime<Utc>, interval: chrono::Duration) {
        self.part = Some(part);
        self.last_success = Some(now);
        self.error = None;
        self.backoff.success();
        self.due = Some(now.checked_add_signed(interval).unwrap_or(now));
    }

    /// Its own failure: kept part, the reason, and its own backoff before it is asked again.
    pub(super) fn failed(&mut self, reason: String, now: DateTime<Utc>) {
        self.error = Some(reason);
        self.due = Some(later(now, self.backoff.failure()));
    }

    /// The failure of the whole source happened on this repository.
    pub(super) fn failed_with(&mut self, stop: &Stop) {
        self.error = Some(stop.reason.clone());
        self.due = Some(stop.retry_at);
    }

    /// Due, but the cycle stopped before it (the source failed as a whole).
    pub(super) fn not_read(&mut self, stop: &Stop) {
        self.error = Some(stop.rest.clone());
        self.due = Some(stop.retry_at);
    }

    /// Its report: every cell of `repo`'s services, when it was last read whole, and why not
    /// since.
    pub(super) fn report(&self, repo: &RepoPlan) -> TargetReport {
        TargetReport {
            name: repo.repository.clone(),
            cells: repo
                .services
                .iter()
                .flat_map(|s| {
                    s.environments
                        .iter()
                        .map(|(environment, _)| (s.service.clone(), environment.clone()))
                })
                .collect(),
            last_success: self.last_success,
            error: self.error.clone(),
        }
    }
}

/// Why a cycle stopped before its end: a failure of the whole source.
pub(super) struct Stop {
    /// When the source polls again (a rate limit's firm wait, or the source's backoff).
    pub(super) wait: Wait,
    pub(super) retry_at: DateTime<Utc>,
    /// For the repository it happened on.
    pub(super) reason: String,
    /// For the repositories it left unread.
    pub(super) rest: String,
    /// For the source, when nothing at all is known.
    pub(super) source_reason: String,
}

impl Stop {
    pub(super) fn new(
        error: &HttpError,
        credential: &str,
        repository: &str,
        wait: Wait,
        now: DateTime<Utc>,
    ) -> Stop {
        let retry_at = later(now, wait.after);
        let reason = error.reason(credential, repository);
        if error.rate_wait().is_some() {
            let at = retry_at.format("%H:%M UTC");
            let reason = format!("{reason}, until {at}");
            return Stop {
                wait,
                retry_at,
                rest: format!("not read: rate limited, retrying at {at}"),
                source_reason: reason.clone(),
                reason,
            };
        }
        Stop {
            wait,
            retry_at,
            rest: reason.clone(),
            source_reason: reason.clone(),
            reason,
        }
    }
}

/// One reason for a source whose repositories all fail: the one, the common one, or the first
/// few of `total` named.
pub(super) fn summary(failing: &[&str], total: usize) -> String {
    let mut distinct: Vec<&str> = Vec::new();
    for reason in failing {
        if !distinct.contains(reason) {
            distinct.push(reason);
        }
    }
    match distinct.as_slice() {
        [one] => one.to_string(),
        many => {
            let shown: Vec<&str> = many.iter().copied().take(3).collect();
            let more = if many.len() > 3 { "; …" } else { "" };
            format!(
                "{} of {total} repositories failing: {}{more}",
                failing.len(),
                shown.join("; ")
            )
        }
    }
}
