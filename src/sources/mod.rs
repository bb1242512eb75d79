//! Sources: one folder per kind of API (`demo/`, `github/`), each a [`Kind`] registered in
//! [`registry`], over the HTTP core every real source shares (`http/`) and the per-target
//! isolation every kind reuses ([`targets`]). Every configured source runs as an actor
//! ([`actor`]): a task that owns it and reports into the app loop's inbox.

pub mod actor;
pub mod demo;
pub mod fields;
pub mod github;
pub mod http;
mod kind;
pub mod probe;
pub mod prometheus;
pub mod registry;
mod source;
pub mod targets;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

pub use actor::{Actors, Command};
pub use kind::{BuildContext, Kind, KindEntry, Refusal, ServiceUse, SourceSettings, SourceSpec};
pub use source::{ActionRequest, BoxFuture, CheckLine, PollOutcome, Reading, Source, Wait};

use crate::model::{Lock, SourceError, SourceId};

/// Every lock in force on the board, as the loop last published it: sources that simulate a
/// deploy tool (the demo) respect them.
pub type LocksInForce = watch::Receiver<Vec<Lock>>;

/// Builds the source `spec` describes, through its kind's registry entry.
pub fn build(spec: &SourceSpec, context: &BuildContext) -> Box<dyn Source> {
    spec.kind().build(spec, context)
}

/// Builds every source of `specs` (off the async threads: the demo fleet simulates hours of
/// history, a client loads certificates), in their order.
async fn build_all(
    specs: &[SourceSpec],
    context: &BuildContext,
) -> Vec<(SourceId, Result<Box<dyn Source>, SourceError>)> {
    let mut handles = Vec::new();
    for spec in specs {
        let (spec, context) = (spec.clone(), context.clone());
        handles.push((
            spec.id.clone(),
            tokio::task::spawn_blocking(move || build(&spec, &context)),
        ));
    }
    let mut out = Vec::new();
    for (id, handle) in handles {
        out.push((
            id,
            handle.await.map_err(|e| SourceError {
                reason: format!("source task failed: {e}"),
            }),
        ));
    }
    out
}

/// Polls every source of `specs` once at `now` and returns the outcomes in their order, by
/// id; `locks` are the locks in force. For `status` and the other one-shot commands.
pub async fn poll_all_once(
    specs: &[SourceSpec],
    now: DateTime<Utc>,
    locks: Vec<Lock>,
) -> Vec<(SourceId, PollOutcome)> {
    (poll_and_check_all(specs, now, locks, false).await)
        .into_iter()
        .map(|(id, outcome, _)| (id, outcome))
        .collect()
}

/// One poll and, with `check`, `shiproom check`'s details of every source, in their order,
/// each source's two made by one built source: its credentials (a `token_command`) are read
/// once for both.
pub async fn poll_and_check_all(
    specs: &[SourceSpec],
    now: DateTime<Utc>,
    locks: Vec<Lock>,
    check: bool,
) -> Vec<(SourceId, PollOutcome, Vec<CheckLine>)> {
    let (_keep, locks) = watch::channel(locks);
    let context = BuildContext { now, locks };
    let mut out = Vec::new();
    for (id, built) in build_all(specs, &context).await {
        out.push(match built {
            Ok(mut source) => {
                let outcome = source.poll(now).await;
                let lines = match check {
                    true => source.check(now).await,
                    false => Vec::new(),
                };
                (id, outcome, lines)
            }
            Err(e) => {
                let line = CheckLine {
                    ok: false,
                    text: e.reason.clone(),
                    target: None,
                };
                (id, PollOutcome::of(Err(e)), vec![line])
            }
        });
    }
    out
}
