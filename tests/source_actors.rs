//! Each source an actor: effects reach the right one by the source's id. A source asked to
//! poll polls alone (the others wait for their interval), `r` polls them all, an action goes
//! to its source's actor and its result comes back into the inbox with its id (a source that
//! did it polls again at once), an action for a source that does not run fails at once, an
//! action asked during a poll runs after it (never two calls at once), and `Stop` ends it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use shiproom::config::Config;
use shiproom::effects::Effects;
use shiproom::model::{ActionError, ActionId, ActionResult, SourceAction, SourceSnapshot};
use shiproom::msg::{Effect, Msg};
use shiproom::sources::{
    ActionRequest, Actors, BoxFuture, CheckLine, PollOutcome, Reading, Source,
};

/// What one scripted source went through, in order.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    PollStarted(Duration),
    PollEnded(Duration),
    Acted(Duration, ActionId, String),
}

/// A source that takes `poll_takes` to poll, answers every action with `answer`, and writes
/// down what it did and when (since `start`).
struct Scripted {
    start: Instant,
    poll_takes: Duration,
    answer: ActionResult,
    log: Arc<Mutex<Vec<Event>>>,
}

impl Scripted {
    fn new(start: Instant, poll_takes: Duration) -> (Scripted, Arc<Mutex<Vec<Event>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let source = Scripted {
            start,
            poll_takes,
            answer: Ok("queued deploy 42".into()),
            log: log.clone(),
        };
        (source, log)
    }
}

impl Source for Scripted {
    fn poll(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        Box::pin(async move {
            let log = self.log.clone();
            log.lock()
                .unwrap()
                .push(Event::PollStarted(self.start.elapsed()));
            tokio::time::sleep(self.poll_takes).await;
            log.lock()
                .unwrap()
                .push(Event::PollEnded(self.start.elapsed()));
            PollOutcome::of(Ok(Reading::whole(SourceSnapshot::default())))
        })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        let event = Event::Acted(self.start.elapsed(), request.id, request.by.clone());
        self.log.lock().unwrap().push(event);
        let answer = self.answer.clone();
        Box::pin(async move { answer })
    }
}

fn polls(log: &Arc<Mutex<Vec<Event>>>) -> usize {
    (log.lock().unwrap().iter())
        .filter(|e| matches!(e, Event::PollStarted(_)))
        .count()
}

fn actions(log: &Arc<Mutex<Vec<Event>>>) -> Vec<(ActionId, String)> {
    (log.lock().unwrap().iter())
        .filter_map(|e| match e {
            Event::Acted(_, id, by) => Some((*id, by.clone())),
            _ => None,
        })
        .collect()
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Effects over `actors`, as the board runs them, acting as alice.
fn effects(actors: Actors, inbox: mpsc::Sender<Msg>) -> Effects {
    let data = std::env::temp_dir().join(format!("shiproom-actors-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    let locks = Config::demo().unwrap().lock_setup(Some(&data)).unwrap();
    Effects {
        inbox,
        sources: actors,
        refresh_locks: Arc::new(Notify::new()),
        locks: Arc::new(locks),
        identity: "alice".into(),
    }
}

fn promote() -> SourceAction {
    SourceAction::Promote {
        service: "checkout".into(),
        environment: "production".into(),
        version: None,
    }
}

/// Drains the inbox in the background, keeping the action results.
fn collect(mut messages: mpsc::Receiver<Msg>) -> Arc<Mutex<Vec<Msg>>> {
    let done = Arc::new(Mutex::new(Vec::new()));
    let kept = done.clone();
    tokio::spawn(async move {
        while let Some(msg) = messages.recv().await {
            if matches!(msg, Msg::ActionDone { .. }) {
                kept.lock().unwrap().push(msg);
            }
        }
    });
    done
}

#[tokio::test(start_paused = true)]
async fn a_source_asked_to_poll_polls_alone_and_r_polls_them_all() {
    let start = Instant::now();
    let (inbox, messages) = mpsc::channel(64);
    let _done = collect(messages);
    let mut actors = Actors::default();
    let (a, a_log) = Scripted::new(start, Duration::ZERO);
    let (b, b_log) = Scripted::new(start, Duration::ZERO);
    actors.start("a".into(), secs(60), a, inbox.clone());
    actors.start("b".into(), secs(60), b, inbox.clone());
    let effects = effects(actors, inbox);
    tokio::time::sleep(secs(10)).await;
    assert_eq!((polls(&a_log), polls(&b_log)), (1, 1));

    effects.run(Effect::PollSource("b".into()));
    tokio::time::sleep(secs(5)).await;
    assert_eq!((polls(&a_log), polls(&b_log)), (1, 2), "b alone");

    effects.run(Effect::RefreshSources);
    tokio::time::sleep(secs(5)).await;
    assert_eq!((polls(&a_log), polls(&b_log)), (2, 3), "every source");
}

#[tokio::test(start_paused = true)]
async fn an_action_reaches_its_sources_actor_and_its_result_comes_back_with_its_id() {
    let start = Instant::now();
    let (inbox, messages) = mpsc::channel(64);
    let done = collect(messages);
    let mut actors = Actors::default();
    let (a, a_log) = Scripted::new(start, Duration::ZERO);
    let (b, b_log) = Scripted::new(start, Duration::ZERO);
    actors.start("a".into(), secs(60), a, inbox.clone());
    actors.start("b".into(), secs(60), b, inbox.clone());
    let effects = effects(actors, inbox);
    tokio::time::sleep(secs(10)).await;

    effects.run(Effect::Act {
        source: "b".into(),
        id: ActionId(7),
        action: promote(),
    });
    tokio::time::sleep(secs(1)).await;
    assert_eq!(actions(&b_log), [(ActionId(7), "alice".to_string())]);
    assert!(actions(&a_log).is_empty(), "a was not asked");
    let results = done.lock().unwrap().clone();
    match results.as_slice() {
        [Msg::ActionDone { id, source, result }] => {
            assert_eq!(*id, ActionId(7));
            assert_eq!(source.as_str(), "b");
            assert_eq!(result, &Ok("queued deploy 42".to_string()));
        }
        other => panic!("one result, with its id: {other:?}"),
    }
    assert_eq!(
        polls(&b_log),
        2,
        "b polled again at once to show what changed"
    );
    assert_eq!(polls(&a_log), 1);
}

#[tokio::test(start_paused = true)]
async fn an_action_for_a_source_that_does_not_run_fails_at_once_with_its_id() {
    let (inbox, messages) = mpsc::channel(64);
    let done = collect(messages);
    let effects = effects(Actors::default(), inbox);
    effects.run(Effect::Act {
        source: "nowhere".into(),
        id: ActionId(3),
        action: promote(),
    });
    tokio::time::sleep(secs(1)).await;
    let results = done.lock().unwrap().clone();
    match results.as_slice() {
        [Msg::ActionDone { id, source, result }] => {
            assert_eq!((*id, source.as_str()), (ActionId(3), "nowhere"));
            assert_eq!(
                result,
                &Err(ActionError::Refused("no source is named `nowhere`".into()))
            );
        }
        other => panic!("one result, with its id: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn an_action_asked_during_a_poll_runs_after_it_never_beside_it() {
    let start = Instant::now();
    let (inbox, messages) = mpsc::channel(64);
    let done = collect(messages);
    let mut actors = Actors::default();
    let (slow, log) = Scripted::new(start, secs(5));
    actors.start("slow".into(), secs(60), slow, inbox);
    tokio::time::sleep(secs(2)).await;
    actors
        .act(&"slow".into(), ActionId(1), promote(), "bob".into())
        .unwrap();
    tokio::time::sleep(secs(10)).await;
    let events = log.lock().unwrap().clone();
    assert_eq!(
        events[..3],
        [
            Event::PollStarted(secs(0)),
            Event::PollEnded(secs(5)),
            Event::Acted(secs(5), ActionId(1), "bob".into()),
        ],
        "{events:?}"
    );
    assert_eq!(done.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_poll_asked_during_a_poll_is_answered_by_it() {
    let start = Instant::now();
    let (inbox, messages) = mpsc::channel(64);
    let _done = collect(messages);
    let mut actors = Actors::default();
    let (slow, log) = Scripted::new(start, secs(5));
    actors.start("slow".into(), secs(60), slow, inbox);
    tokio::time::sleep(secs(2)).await;
    assert!(actors.poll(&"slow".into()));
    tokio::time::sleep(secs(20)).await;
    assert_eq!(polls(&log), 1, "the poll under way answered it");
    assert!(!actors.poll(&"other".into()), "no such source");
}

#[tokio::test(start_paused = true)]
async fn stop_ends_the_actor() {
    let (inbox, messages) = mpsc::channel(64);
    let _done = collect(messages);
    let mut actors = Actors::default();
    let (source, log) = Scripted::new(Instant::now(), Duration::ZERO);
    let task = actors.start("s".into(), secs(60), source, inbox);
    tokio::time::sleep(secs(1)).await;
    actors.stop_all();
    tokio::time::timeout(secs(1), task)
        .await
        .expect("it stopped")
        .unwrap();
    assert_eq!(polls(&log), 1);
    let refused = actors.act(&"s".into(), ActionId(9), promote(), "alice".into());
    assert!(
        matches!(&refused, Err(ActionError::Refused(why)) if why.contains("is not running")),
        "{refused:?}"
    );
}
