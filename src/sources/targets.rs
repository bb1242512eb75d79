//! Per-target isolation for every kind that reads its targets (repositories, projects,
//! applications) one by one: each target's last good part, when it was last read whole, why
//! it last failed, its own backoff and when it is due again. One target's failure costs only
//! its own cells; a failure of the whole source (the token, the host, the quota) stops a cycle
//! as a [`Stop`], and the targets it did not reach say so.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Wait;
use super::http::{Backoff, HttpError};
use crate::model::TargetReport;

/// A failing target is asked again after about this long; each failure in a row doubles it.
pub const BACKOFF_BASE: Duration = Duration::from_secs(5);
/// The longest a failing target waits between two tries.
pub const BACKOFF_CAP: Duration = Duration::from_secs(15 * 60);

/// `at + after`, or the end of time when that overflows.
pub fn later(at: DateTime<Utc>, after: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(after)
        .ok()
        .and_then(|after| at.checked_add_signed(after))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// How one target is doing; `P` is what it contributes to its source's snapshot.
#[derive(Debug, Clone)]
pub struct TargetState<P> {
    /// The part of the last read that succeeded: kept through failures.
    part: Option<P>,
    last_success: Option<DateTime<Utc>>,
    error: Option<String>,
    backoff: Backoff,
    /// When to ask it next; `None`: at once.
    due: Option<DateTime<Utc>>,
}

impl<P> TargetState<P> {
    /// A target never read, with a backoff of [`BACKOFF_BASE`] up to [`BACKOFF_CAP`] whose
    /// jitter comes from `seed` (give each target its own, so targets failing together
    /// spread out).
    pub fn new(seed: u64) -> TargetState<P> {
        TargetState::with_backoff(Backoff::new(BACKOFF_BASE, BACKOFF_CAP, seed))
    }

    /// A target never read, retried after `backoff`'s waits when it fails.
    pub fn with_backoff(backoff: Backoff) -> TargetState<P> {
        TargetState {
            part: None,
            last_success: None,
            error: None,
            backoff,
            due: None,
        }
    }

    /// Whether it is to be asked in a cycle at `now` (or within `slack` of it, so targets due
    /// at nearly the same moment share a cycle).
    pub fn is_due(&self, now: DateTime<Utc>, slack: chrono::Duration) -> bool {
        self.due
            .is_none_or(|due| due <= now.checked_add_signed(slack).unwrap_or(now))
    }

    /// When it is to be asked next; `None`: at once.
    pub fn due(&self) -> Option<DateTime<Utc>> {
        self.due
    }

    /// What the last good read gave, kept through failures.
    pub fn part(&self) -> Option<&P> {
        self.part.as_ref()
    }

    /// Why the last read failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// When it was last read whole.
    pub fn last_success(&self) -> Option<DateTime<Utc>> {
        self.last_success
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.backoff.failures()
    }

    /// Read whole at `now`: its new part, due again after `interval`.
    pub fn read(&mut self, part: P, now: DateTime<Utc>, interval: chrono::Duration) {
        self.part = Some(part);
        self.last_success = Some(now);
        self.error = None;
        self.backoff.success();
        self.due = Some(now.checked_add_signed(interval).unwrap_or(now));
    }

    /// Its own failure at `now`: the part is kept, the reason said, and it is asked again
    /// after its own backoff.
    pub fn failed(&mut self, reason: String, now: DateTime<Utc>) {
        self.error = Some(reason);
        self.due = Some(later(now, self.backoff.failure()));
    }

    /// Not read because the whole source failed (on this target or before it): the reason,
    /// and the source's own time to try again.
    pub fn stopped(&mut self, reason: String, retry_at: DateTime<Utc>) {
        self.error = Some(reason);
        self.due = Some(retry_at);
    }

    /// Its report: the cells whose data it gives, when it was last read whole, and why not
    /// since.
    pub fn report(&self, name: &str, cells: Vec<(String, String)>) -> TargetReport {
        TargetReport {
            name: name.to_string(),
            cells,
            last_success: self.last_success,
            error: self.error.clone(),
        }
    }
}

/// When a source is to poll again for its targets: sooner than `interval` when one of them
/// is due sooner (a failing one after its backoff); `None` for the interval.
pub fn next_due<P>(
    targets: &[TargetState<P>],
    now: DateTime<Utc>,
    interval: Duration,
) -> Option<Wait> {
    let due = targets.iter().filter_map(TargetState::due).min()?;
    let until = (due - now).to_std().unwrap_or_default();
    (until < interval).then_some(Wait::backoff(until))
}

/// Why a cycle stopped before its end: a failure of the whole source.
#[derive(Debug, Clone)]
pub struct Stop {
    /// When the source polls again (a rate limit's firm wait, or the source's backoff).
    pub wait: Wait,
    pub retry_at: DateTime<Utc>,
    /// For the target it happened on.
    pub reason: String,
    /// For the targets it left unread.
    pub rest: String,
    /// For the source, when nothing at all is known.
    pub source_reason: String,
}

impl Stop {
    /// The stop after `error` on `target` at `now`, `credential` naming the token.
    pub fn new(
        error: &HttpError,
        credential: &str,
        target: &str,
        wait: Wait,
        now: DateTime<Utc>,
    ) -> Stop {
        let retry_at = later(now, wait.after);
        let reason = error.reason(credential, target);
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

/// One reason for a source whose targets all fail: the one, the common one, or the first few
/// of `total` named (`noun`: "repositories", "projects").
pub fn summary(failing: &[&str], total: usize, noun: &str) -> String {
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
                "{} of {total} {noun} failing: {}{more}",
                failing.len(),
                shown.join("; ")
            )
        }
    }
}
