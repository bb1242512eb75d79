//! Sources: one folder per kind of API (`demo/`, `github/`, `prometheus/`), each a [`Kind`]
//! registered in [`registry`], over the HTTP core every real source shares (`http/`) and the
//! per-target isolation every kind reuses ([`targets`]). Every configured source runs as an actor
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

use crate::model::{AnalysisRequest, DeploymentRef, Lock, SourceError, SourceId};

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
/// once for both. The sources that judge impact poll last, asked first (unless for `check`,
/// which judges nothing) about every deploy the others reported finished within
/// [`ANALYSE_WITHIN`], so `status` shows their verdicts as the board does.
pub async fn poll_and_check_all(
    specs: &[SourceSpec],
    now: DateTime<Utc>,
    locks: Vec<Lock>,
    check: bool,
) -> Vec<(SourceId, PollOutcome, Vec<CheckLine>)> {
    let (_keep, locks) = watch::channel(locks);
    let context = BuildContext { now, locks };
    let mut built = build_all(specs, &context).await;
    let mut out: Vec<Option<(SourceId, PollOutcome, Vec<CheckLine>)>> =
        built.iter().map(|_| None).collect();
    let mut finished = Vec::new();
    for judges in [false, true] {
        for (i, (id, source)) in built.iter_mut().enumerate() {
            if specs
                .get(i)
                .is_none_or(|s| s.kind().analyses_impact != judges)
            {
                continue;
            }
            out[i] = Some(match source {
                Ok(source) => {
                    for request in finished.iter().filter(|_| judges && !check) {
                        source.analyse(AnalysisRequest::clone(request));
                    }
                    let outcome = source.poll(now).await;
                    if let Ok(reading) = &outcome.result {
                        finished.extend(analysis_requests(reading, now));
                    }
                    let lines = match check {
                        true => source.check(now).await,
                        false => Vec::new(),
                    };
                    (id.clone(), outcome, lines)
                }
                Err(e) => {
                    let line = CheckLine {
                        ok: false,
                        text: e.reason.clone(),
                        target: None,
                    };
                    (id.clone(), PollOutcome::of(Err(e.clone())), vec![line])
                }
            });
        }
    }
    out.into_iter().flatten().collect()
}

/// A deploy that finished longer ago than this is not judged by a one-shot command (as on the
/// board: its after window closed long since).
pub const ANALYSE_WITHIN: chrono::Duration = chrono::Duration::hours(2);

/// An analysis request for each deploy of `reading` that finished within [`ANALYSE_WITHIN`].
fn analysis_requests(reading: &Reading, now: DateTime<Utc>) -> Vec<AnalysisRequest> {
    (reading.deployments.iter())
        .filter_map(|d| {
            let finished = d.finished_at?;
            (now - finished <= ANALYSE_WITHIN).then(|| AnalysisRequest {
                service: d.service.clone(),
                environment: d.environment.clone(),
                deployment: DeploymentRef::Id {
                    source: d.source.clone(),
                    id: d.id.clone(),
                },
                commit: d.commit.clone(),
                status: d.status,
                started_at: d.started_at,
                finished_at: finished,
            })
        })
        .collect()
}
