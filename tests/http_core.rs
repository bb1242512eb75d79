//! A source's actor honours the wait its source asks for (backoff, rate limit) on tokio's
//! paused clock, and a poll command cuts short an interval or a backoff but never a
//! rate-limit wait.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::time::Instant;

use shiproom::model::{ActionError, ActionResult, SourceError, SourceSnapshot, SourceStats};
use shiproom::msg::Msg;
use shiproom::sources::actor::run as poll_loop;
use shiproom::sources::{
    ActionRequest, BoxFuture, CheckLine, Command, PollOutcome, Reading, Source, Wait,
};

/// A source that answers from a script and notes when it was polled.
struct Scripted {
    script: Vec<PollOutcome>,
    polled: mpsc::UnboundedSender<Instant>,
}

impl Source for Scripted {
    fn poll(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        let _ = self.polled.send(Instant::now());
        let next = if self.script.is_empty() {
            ok(None)
        } else {
            self.script.remove(0)
        };
        Box::pin(async move { next })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, _request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        Box::pin(async { Err(ActionError::Refused("scripted".into())) })
    }
}

fn ok(wait: Option<Wait>) -> PollOutcome {
    PollOutcome {
        result: Ok(Reading::whole(SourceSnapshot::default())),
        stats: Some(SourceStats {
            sent: 3,
            not_modified: 2,
            ..SourceStats::default()
        }),
        wait,
    }
}

fn failed(wait: Wait) -> PollOutcome {
    PollOutcome {
        result: Err(SourceError {
            reason: "500 server error".into(),
        }),
        stats: None,
        wait: Some(wait),
    }
}

/// Runs the loop over `script` and returns the moments of its first `polls` polls, relative
/// to the first, plus the refresh handle and what the inbox got.
async fn run(
    script: Vec<PollOutcome>,
    polls: usize,
    refresh_at: Option<Duration>,
) -> (Vec<Duration>, Vec<Msg>) {
    let (polled, mut when) = mpsc::unbounded_channel();
    let (inbox, mut messages) = mpsc::channel(64);
    let (commands, received) = mpsc::unbounded_channel();
    let source = Scripted { script, polled };
    let task = tokio::spawn(poll_loop(
        "scripted".into(),
        Duration::from_secs(60),
        source,
        inbox,
        received,
    ));
    if let Some(after) = refresh_at {
        let commands = commands.clone();
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            commands.send(Command::Poll).unwrap();
        });
    }
    let mut times = Vec::new();
    let mut msgs = Vec::new();
    while times.len() < polls {
        tokio::select! {
            Some(t) = when.recv() => times.push(t),
            Some(m) = messages.recv() => msgs.push(m),
        }
    }
    task.abort();
    while let Ok(m) = messages.try_recv() {
        msgs.push(m);
    }
    let first = times[0];
    (times.into_iter().map(|t| t - first).collect(), msgs)
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[tokio::test(start_paused = true)]
async fn the_loop_polls_at_the_interval_and_after_the_waits_a_source_asks_for() {
    let (times, _) = run(
        vec![
            ok(None),
            failed(Wait::backoff(secs(5))),
            failed(Wait::backoff(secs(10))),
            failed(Wait::firm(secs(600))),
            ok(None),
        ],
        5,
        None,
    )
    .await;
    assert_eq!(times, [secs(0), secs(60), secs(65), secs(75), secs(675)]);
}

#[tokio::test(start_paused = true)]
async fn a_refresh_cuts_an_interval_short() {
    let (times, _) = run(vec![ok(None), ok(None)], 2, Some(secs(10))).await;
    assert_eq!(times, [secs(0), secs(10)]);
}

#[tokio::test(start_paused = true)]
async fn a_refresh_does_not_cut_a_rate_limit_wait_short() {
    let (times, _) = run(
        vec![failed(Wait::firm(secs(300))), ok(None)],
        2,
        Some(secs(10)),
    )
    .await;
    assert_eq!(times, [secs(0), secs(300)]);
}

#[tokio::test(start_paused = true)]
async fn each_poll_reports_its_request_counts_before_its_snapshot() {
    let (_, msgs) = run(vec![ok(None)], 2, None).await;
    assert!(matches!(
        msgs[0],
        Msg::SourceStats {
            source: _,
            stats: SourceStats {
                sent: 3,
                not_modified: 2,
                ..
            }
        }
    ));
    assert!(matches!(&msgs[0], Msg::SourceStats { source, .. } if source.as_str() == "scripted"));
    assert!(matches!(&msgs[1], Msg::SourceReport { source, .. } if source.as_str() == "scripted"));
}

/// A source that notes, at each poll, how many refreshes it was told of.
struct Counting {
    refreshes: usize,
    polled: mpsc::UnboundedSender<usize>,
}

impl Source for Counting {
    fn poll(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        let _ = self.polled.send(self.refreshes);
        Box::pin(async { ok(None) })
    }

    fn refresh(&mut self) {
        self.refreshes += 1;
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, _request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        Box::pin(async { Err(ActionError::Refused("counting".into())) })
    }
}

#[tokio::test(start_paused = true)]
async fn a_refresh_tells_the_source_before_its_next_poll_so_it_asks_everything() {
    let (polled, mut seen) = mpsc::unbounded_channel();
    let (inbox, mut messages) = mpsc::channel(64);
    let (commands, received) = mpsc::unbounded_channel();
    let source = Counting {
        refreshes: 0,
        polled,
    };
    let task = tokio::spawn(poll_loop(
        "counting".into(),
        secs(60),
        source,
        inbox,
        received,
    ));
    tokio::spawn(async move { while messages.recv().await.is_some() {} });
    assert_eq!(seen.recv().await, Some(0));
    tokio::time::sleep(secs(10)).await;
    commands.send(Command::Poll).unwrap();
    assert_eq!(seen.recv().await, Some(1), "told of the refresh");
    task.abort();
}
