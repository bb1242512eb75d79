//! What every kind of source implements ([`Source`]: poll, check, act) and what a poll gives
//! back: the snapshot with its per-target part, the requests it cost, when to poll next.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::model::{
    ActionId, ActionResult, AnalysisRequest, SourceAction, SourceError, SourceSnapshot,
    SourceStats, TargetReport,
};

/// A future a source returns from its trait methods (boxed: sources are held as trait
/// objects by their actors).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// When a source asks to be polled next, instead of after its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub after: Duration,
    /// A rate-limit wait: a refresh request does not cut it short.
    pub firm: bool,
}

impl Wait {
    /// A wait the API asked for (rate limit, quota pacing): honoured whatever happens.
    pub fn firm(after: Duration) -> Wait {
        Wait { after, firm: true }
    }

    /// A backoff after a failure: a refresh request may try sooner.
    pub fn backoff(after: Duration) -> Wait {
        Wait { after, firm: false }
    }
}

/// What one poll read, with how it went for each target: every kind must say, so a failing
/// target costs only its own cells whatever the kind. Reads as the [`SourceSnapshot`] it
/// carries (its `targets` are the per-target part).
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    snapshot: SourceSnapshot,
    whole: bool,
}

impl Reading {
    /// A source read as one target (the demo's simulated fleet): its cells are as fresh as
    /// the source, and the snapshot lists no targets of its own.
    pub fn whole(mut snapshot: SourceSnapshot) -> Reading {
        snapshot.targets.clear();
        Reading {
            snapshot,
            whole: true,
        }
    }

    /// A source read in parts (GitHub repositories, GitLab projects, Argo CD applications):
    /// one report per target, each naming the cells it gives, when it was last read whole,
    /// and why it failed since. Cells of a failing target keep its last good data.
    pub fn parts(mut snapshot: SourceSnapshot, targets: Vec<TargetReport>) -> Reading {
        snapshot.targets = targets;
        Reading {
            snapshot,
            whole: false,
        }
    }

    /// Whether the source was read as one target.
    pub fn is_whole(&self) -> bool {
        self.whole
    }

    /// The snapshot, for the board.
    pub fn into_snapshot(self) -> SourceSnapshot {
        self.snapshot
    }
}

impl Deref for Reading {
    type Target = SourceSnapshot;

    fn deref(&self) -> &SourceSnapshot {
        &self.snapshot
    }
}

/// What one poll gives: the reading or why there is none, the requests it cost, and when to
/// poll next (`None`: after the source's interval).
#[derive(Debug, Clone)]
pub struct PollOutcome {
    pub result: Result<Reading, SourceError>,
    pub stats: Option<SourceStats>,
    pub wait: Option<Wait>,
}

impl PollOutcome {
    /// An outcome without request counts, to poll again after the interval.
    pub fn of(result: Result<Reading, SourceError>) -> PollOutcome {
        PollOutcome {
            result,
            stats: None,
            wait: None,
        }
    }
}

/// One line of `shiproom check` about a part of a source (a repository).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub ok: bool,
    pub text: String,
    /// The target it is about (`acme/payments`), when it is about one.
    pub target: Option<String>,
}

/// An action for a source to run, with who asked and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequest {
    pub id: ActionId,
    pub action: SourceAction,
    /// The operator's identity, for the tool's own record of who did it.
    pub by: String,
    pub now: DateTime<Utc>,
}

/// A configured source of any kind, as its actor drives it. Its requests go one at a time:
/// the actor never calls it again before the last call has finished.
pub trait Source: Send {
    /// Everything the source knows at `now`, or why it could not say. The reading states
    /// its per-target part ([`Reading::whole`] or [`Reading::parts`]).
    fn poll(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome>;

    /// A refresh was asked for (`r`): the next poll asks every target, even those waiting
    /// out a backoff of their own.
    fn refresh(&mut self) {}

    /// `shiproom check`'s details beyond the poll: one line per target (or none).
    fn check(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>>;

    /// Runs an action in the world. A kind that cannot do it answers
    /// [`crate::model::ActionError::NotSupported`]; one that refuses it changes nothing.
    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult>;

    /// Takes a finished deploy to analyse (a kind that judges impact: its verdicts then come
    /// in its snapshots' `impacts`, refined until final). Whether it took it; a kind that
    /// judges nothing takes nothing.
    fn analyse(&mut self, _request: AnalysisRequest) -> bool {
        false
    }
}

impl<S: Source + ?Sized> Source for Box<S> {
    fn poll(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        (**self).poll(now)
    }

    fn refresh(&mut self) {
        (**self).refresh();
    }

    fn check(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        (**self).check(now)
    }

    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        (**self).act(request)
    }

    fn analyse(&mut self, request: AnalysisRequest) -> bool {
        (**self).analyse(request)
    }
}
