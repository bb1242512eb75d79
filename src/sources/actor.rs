//! Each source an actor: one task owns the source (its client, credentials, cache, quota
//! pacing and per-target backoff) and obeys its command inbox: poll now, run an action, stop.
//! Reports and action results go into the app loop's one inbox, tagged with the source's id
//! (and the action's). The task calls its source one thing at a time, so a source never has
//! two requests in flight, a poll and an action included.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{ActionRequest, BuildContext, LocksInForce, PollOutcome, Source, SourceSpec, Wait};
use crate::model::{ActionError, ActionId, AnalysisRequest, SourceAction, SourceId};
use crate::msg::Msg;

/// What an actor can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Poll now, this source only: cuts an interval or a backoff short, never a rate-limit
    /// wait. Asked while a poll runs, that poll answers it.
    Poll,
    /// Run `action` for `by`; its result comes back as [`Msg::ActionDone`] with `id`. A
    /// source that did it polls again at once (unless it waits for a rate limit), so the
    /// board shows what changed.
    Act {
        id: ActionId,
        action: SourceAction,
        by: String,
    },
    /// Take a finished deploy to analyse; the verdicts come in later polls.
    Analyse(AnalysisRequest),
    /// Stop after what it is doing.
    Stop,
}

/// The shortest wait between two polls of one source, whatever it asks.
const MIN_WAIT: Duration = Duration::from_millis(200);

/// The running sources, each reached by its id.
#[derive(Debug, Clone, Default)]
pub struct Actors {
    handles: Vec<(SourceId, mpsc::UnboundedSender<Command>)>,
}

impl Actors {
    /// Builds and starts one actor per spec; each builds its source off the async threads,
    /// then polls it until told to stop or the inbox closes.
    pub fn spawn(specs: Vec<SourceSpec>, inbox: mpsc::Sender<Msg>, locks: LocksInForce) -> Actors {
        let mut actors = Actors::default();
        for spec in specs {
            let (commands, received) = mpsc::unbounded_channel();
            actors.handles.push((spec.id.clone(), commands));
            let (inbox, locks) = (inbox.clone(), locks.clone());
            tokio::spawn(async move {
                let (id, interval) = (spec.id.clone(), spec.interval);
                let context = BuildContext {
                    now: Utc::now(),
                    locks,
                };
                let built =
                    tokio::task::spawn_blocking(move || super::build(&spec, &context)).await;
                match built {
                    Ok(source) => run(id, interval, source, inbox, received).await,
                    Err(e) => tracing::error!(source = %id, %e, "source could not be built"),
                }
            });
        }
        actors
    }

    /// Starts an actor over `source`, built already (a scripted source in tests), polling
    /// every `interval`.
    pub fn start<S: Source + 'static>(
        &mut self,
        id: SourceId,
        interval: Duration,
        source: S,
        inbox: mpsc::Sender<Msg>,
    ) -> tokio::task::JoinHandle<()> {
        let (commands, received) = mpsc::unbounded_channel();
        self.handles.push((id.clone(), commands));
        tokio::spawn(run(id, interval, source, inbox, received))
    }

    /// The ids of the running sources, in the order they were started.
    pub fn ids(&self) -> impl Iterator<Item = &SourceId> {
        self.handles.iter().map(|(id, _)| id)
    }

    fn send(&self, id: &SourceId, command: Command) -> bool {
        (self.handles.iter())
            .find(|(handle, _)| handle == id)
            .is_some_and(|(_, commands)| commands.send(command).is_ok())
    }

    /// Asks source `id` alone to poll now; `false` when no such source runs.
    pub fn poll(&self, id: &SourceId) -> bool {
        self.send(id, Command::Poll)
    }

    /// Asks every source to poll now (`r`).
    pub fn poll_all(&self) {
        for (_, commands) in &self.handles {
            let _ = commands.send(Command::Poll);
        }
    }

    /// Hands action `id` to `source`'s actor; `Err` says why it cannot take it (no such
    /// source, or it stopped), and then nothing was sent.
    pub fn act(
        &self,
        source: &SourceId,
        id: ActionId,
        action: SourceAction,
        by: String,
    ) -> Result<(), ActionError> {
        if !self.ids().any(|known| known == source) {
            return Err(ActionError::Refused(format!(
                "no source is named `{source}`"
            )));
        }
        match self.send(source, Command::Act { id, action, by }) {
            true => Ok(()),
            false => Err(ActionError::Refused(format!(
                "source `{source}` is not running (see the log for why)"
            ))),
        }
    }

    /// Asks source `id` to analyse a finished deploy; `false` when no such source runs.
    pub fn analyse(&self, id: &SourceId, request: AnalysisRequest) -> bool {
        self.send(id, Command::Analyse(request))
    }

    /// Tells every actor to stop.
    pub fn stop_all(&self) {
        for (_, commands) in &self.handles {
            let _ = commands.send(Command::Stop);
        }
    }
}

/// Drives `source` until it is told to stop, its commands close or the inbox closes: poll,
/// report its stats, snapshot and next poll, then wait for the interval (or the wait it asked
/// for) while obeying commands.
pub async fn run<S: Source>(
    id: SourceId,
    interval: Duration,
    mut source: S,
    inbox: mpsc::Sender<Msg>,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    loop {
        let at = Utc::now();
        let outcome = source.poll(at).await;
        let Some(wait) = report(&id, at, outcome, interval, &inbox).await else {
            return;
        };
        let deadline = deadline_after(wait.after.max(MIN_WAIT));
        let mut poll_now = false;
        // Commands that came during the poll: it answered the polls; actions run now.
        loop {
            match commands.try_recv() {
                Ok(Command::Poll) => {}
                Ok(Command::Act {
                    id: action,
                    action: what,
                    by,
                }) => match act(&mut source, &id, action, what, by, &inbox).await {
                    Some(done) => poll_now |= done && !wait.firm,
                    None => return,
                },
                Ok(Command::Analyse(request)) => analyse(&mut source, &id, request),
                Ok(Command::Stop) | Err(mpsc::error::TryRecvError::Disconnected) => return,
                Err(mpsc::error::TryRecvError::Empty) => break,
            }
        }
        while !poll_now {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break,
                command = commands.recv() => match command {
                    None | Some(Command::Stop) => return,
                    // A rate-limit wait is the API's: asking again cannot make it shorter.
                    Some(Command::Poll) if wait.firm => {}
                    Some(Command::Poll) => {
                        source.refresh();
                        poll_now = true;
                    }
                    Some(Command::Act { id: action, action: what, by }) => {
                        match act(&mut source, &id, action, what, by, &inbox).await {
                            Some(done) => poll_now = done && !wait.firm,
                            None => return,
                        }
                    }
                    Some(Command::Analyse(request)) => analyse(&mut source, &id, request),
                },
            }
        }
    }
}

/// Hands `request` to the source; a source that judges nothing declines, which is logged.
fn analyse<S: Source>(source: &mut S, id: &SourceId, request: AnalysisRequest) {
    if !source.analyse(request) {
        tracing::debug!(source = %id, "declined an analysis: it judges no impact");
    }
}

/// The moment `after` from now; a wait too long to add is one of thirty years.
fn deadline_after(after: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(30 * 365 * 86_400);
    let now = Instant::now();
    (now.checked_add(after))
        .or_else(|| now.checked_add(FAR))
        .unwrap_or(now)
}

/// Sends one poll's stats, snapshot and next poll; the wait before the next poll, or `None`
/// when the inbox has closed.
async fn report(
    id: &SourceId,
    at: DateTime<Utc>,
    outcome: PollOutcome,
    interval: Duration,
    inbox: &mpsc::Sender<Msg>,
) -> Option<Wait> {
    if let Some(stats) = outcome.stats {
        let msg = Msg::SourceStats {
            source: id.clone(),
            stats,
        };
        inbox.send(msg).await.ok()?;
    }
    let msg = Msg::SourceReport {
        source: id.clone(),
        at,
        result: outcome.result.map(super::Reading::into_snapshot),
    };
    inbox.send(msg).await.ok()?;
    let wait = outcome.wait.unwrap_or(Wait::backoff(interval));
    let after = wait.after.max(MIN_WAIT);
    let next = Msg::SourceNextPoll {
        source: id.clone(),
        at: chrono::Duration::from_std(after)
            .ok()
            .and_then(|after| Utc::now().checked_add_signed(after))
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
        paced: wait.firm,
    };
    inbox.send(next).await.ok()?;
    Some(wait)
}

/// Runs one action and sends its result back with its id: `Some(true)` when it was done,
/// `Some(false)` when not, `None` when the inbox has closed.
async fn act<S: Source>(
    source: &mut S,
    source_id: &SourceId,
    id: ActionId,
    action: SourceAction,
    by: String,
    inbox: &mpsc::Sender<Msg>,
) -> Option<bool> {
    let what = action.describe();
    let request = ActionRequest {
        id,
        action,
        by,
        now: Utc::now(),
    };
    let result = source.act(request).await;
    match &result {
        Ok(done) => tracing::info!(source = %source_id, action = %id, %what, %done, "action done"),
        Err(error) => {
            tracing::warn!(source = %source_id, action = %id, %what, %error, "action not done")
        }
    }
    let done = result.is_ok();
    let msg = Msg::ActionDone {
        id,
        source: source_id.clone(),
        result,
    };
    inbox.send(msg).await.ok()?;
    Some(done)
}
