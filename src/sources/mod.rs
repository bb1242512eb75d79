//! Sources: one module per API. Each turns its API's answers into [`SourceSnapshot`]s; the
//! pollers here run each source as a task that reports into the app loop's inbox.

pub mod demo;
pub mod github;
pub mod http;
pub mod targets;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc, watch};

use crate::config::{Config, SourceConfig, Span};
use crate::model::{Catalog, Lock, SourceError, SourceKind, SourceSnapshot, SourceStats};

/// Every lock in force on the board, as the loop last published it: sources that simulate a
/// deploy tool (the demo) respect them.
pub type LocksInForce = watch::Receiver<Vec<Lock>>;
use crate::msg::Msg;

/// How often a source of `kind` polls when its configuration does not say.
pub fn default_interval(kind: SourceKind) -> Span {
    match kind {
        SourceKind::Demo => Span::seconds(1),
        // 50 repositories × 3 environments at 60 s stay well inside GitHub's limits: see the
        // README's request budget.
        SourceKind::Github => Span::seconds(60),
    }
}

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

/// What one poll gives: the snapshot or why not, the requests it cost, and when to poll next
/// (`None`: after the source's interval).
#[derive(Debug, Clone)]
pub struct PollOutcome {
    pub result: Result<SourceSnapshot, SourceError>,
    pub stats: Option<SourceStats>,
    pub wait: Option<Wait>,
}

impl PollOutcome {
    fn of(result: Result<SourceSnapshot, SourceError>) -> PollOutcome {
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

/// A configured source, ready to poll.
// One per source, owned by its polling task: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub enum SourceRunner {
    Demo(demo::DemoSource),
    Github(github::GithubSource),
}

impl SourceRunner {
    /// Builds the runner for one configured source. `catalog` holds the services it reports,
    /// `targets` (service, environment, name in the source) where it finds them.
    pub fn new(
        config: &SourceConfig,
        catalog: Catalog,
        targets: &[(String, String, String)],
        now: DateTime<Utc>,
    ) -> SourceRunner {
        match config.kind {
            SourceKind::Demo => SourceRunner::Demo(demo::DemoSource::new(config, catalog, now)),
            SourceKind::Github => {
                let interval = config.interval.unwrap_or(default_interval(config.kind)).0;
                SourceRunner::Github(github::GithubSource::new(
                    config, catalog, targets, interval,
                ))
            }
        }
    }

    /// Gives a source that simulates a deploy tool (the demo) the locks it must respect.
    pub fn with_locks_in_force(self, locks: LocksInForce) -> SourceRunner {
        match self {
            SourceRunner::Demo(demo) => SourceRunner::Demo(demo.with_locks_in_force(locks)),
            other => other,
        }
    }

    /// One poll: everything the source knows now, or why it could not say.
    pub async fn poll(&mut self, now: DateTime<Utc>) -> PollOutcome {
        match self {
            SourceRunner::Demo(demo) => PollOutcome::of(demo.poll(now)),
            SourceRunner::Github(github) => github.poll(now).await,
        }
    }

    /// A refresh was asked for: the next poll asks every part of the source, even those
    /// waiting out a backoff of their own.
    pub fn refresh(&mut self) {
        match self {
            SourceRunner::Demo(_) => {}
            SourceRunner::Github(github) => github.refresh(),
        }
    }

    /// `shiproom check`'s details: one line per repository (or none).
    pub async fn check(&mut self, now: DateTime<Utc>) -> Vec<CheckLine> {
        match self {
            SourceRunner::Demo(_) => Vec::new(),
            SourceRunner::Github(github) => github::check::check(github, now).await,
        }
    }
}

/// (service, environment, name in the source) for every cell source `name` reports.
pub fn targets_for(config: &Config, name: &str) -> Vec<(String, String, String)> {
    config
        .targets
        .iter()
        .filter(|(_, (source, _))| source == name)
        .map(|((service, env), (_, target))| (service.clone(), env.clone(), target.clone()))
        .collect()
}

/// The part of the catalog that source `name` reports: the services mapped to it, and the
/// services mapped to no source at all.
pub fn catalog_for(config: &Config, name: &str) -> Catalog {
    let services = config
        .catalog
        .services
        .iter()
        .filter(|s| {
            let mapped: Vec<&str> = config
                .targets
                .iter()
                .filter(|((service, _), _)| *service == s.name)
                .map(|(_, (source, _))| source.as_str())
                .collect();
            mapped.is_empty() || mapped.contains(&name)
        })
        .cloned()
        .collect();
    Catalog {
        environments: config.catalog.environments.clone(),
        services,
        placements: config.catalog.placements.clone(),
    }
}

/// Builds the runner of every configured source (off the async threads: the demo fleet
/// simulates hours of history, a client loads certificates).
async fn runners(
    config: &Config,
    now: DateTime<Utc>,
    locks: &LocksInForce,
) -> Vec<Result<SourceRunner, SourceError>> {
    let mut handles = Vec::new();
    for source in &config.sources {
        let catalog = catalog_for(config, &source.name);
        let targets = targets_for(config, &source.name);
        let source = source.clone();
        let locks = locks.clone();
        handles.push(tokio::task::spawn_blocking(move || {
            SourceRunner::new(&source, catalog, &targets, now).with_locks_in_force(locks)
        }));
    }
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.map_err(|e| SourceError {
            reason: format!("source task failed: {e}"),
        }));
    }
    out
}

/// Polls every configured source once and returns the outcomes in configuration order. For
/// `status` and `check`; `locks` are the locks in force.
pub async fn poll_all_once(
    config: &Config,
    now: DateTime<Utc>,
    locks: Vec<Lock>,
) -> Vec<PollOutcome> {
    let mut reports = Vec::new();
    let (_keep, locks) = watch::channel(locks);
    for runner in runners(config, now, &locks).await {
        reports.push(match runner {
            Ok(mut runner) => runner.poll(now).await,
            Err(e) => PollOutcome::of(Err(e)),
        });
    }
    reports
}

/// `shiproom check`'s details of every source, in configuration order.
pub async fn check_all(config: &Config, now: DateTime<Utc>) -> Vec<Vec<CheckLine>> {
    (poll_and_check_all(config, now, Vec::new())
        .await
        .into_iter())
    .map(|(_, lines)| lines)
    .collect()
}

/// One poll and `check`'s details of every source, in configuration order, each source's
/// two made by one runner: its credentials (a `token_command`) are read once for both.
pub async fn poll_and_check_all(
    config: &Config,
    now: DateTime<Utc>,
    locks: Vec<Lock>,
) -> Vec<(PollOutcome, Vec<CheckLine>)> {
    let mut out = Vec::new();
    let (_keep, locks) = watch::channel(locks);
    for runner in runners(config, now, &locks).await {
        out.push(match runner {
            Ok(mut runner) => {
                let outcome = runner.poll(now).await;
                let lines = runner.check(now).await;
                (outcome, lines)
            }
            Err(e) => (
                PollOutcome::of(Err(e.clone())),
                vec![CheckLine {
                    ok: false,
                    text: e.reason,
                    target: None,
                }],
            ),
        });
    }
    out
}

/// Starts one polling task per source. Each polls, reports, then waits for its interval (or
/// the wait the source asked for) or a refresh request; it stops when the inbox closes.
pub fn spawn_pollers(
    config: &Config,
    inbox: mpsc::Sender<Msg>,
    refresh: Arc<Notify>,
    locks: LocksInForce,
) {
    for (index, source) in config.sources.iter().enumerate() {
        let catalog = catalog_for(config, &source.name);
        let targets = targets_for(config, &source.name);
        let source = source.clone();
        let inbox = inbox.clone();
        let refresh = refresh.clone();
        let locks = locks.clone();
        let interval = source.interval.unwrap_or(default_interval(source.kind)).0;
        tokio::spawn(async move {
            let built = tokio::task::spawn_blocking(move || {
                SourceRunner::new(&source, catalog, &targets, Utc::now()).with_locks_in_force(locks)
            })
            .await;
            let Ok(runner) = built else {
                return;
            };
            poll_loop(index, interval, runner, inbox, refresh).await;
        });
    }
}

/// Something that can be polled: a [`SourceRunner`], or a scripted stand-in in tests.
pub trait Pollable {
    fn poll_at(&mut self, now: DateTime<Utc>) -> impl Future<Output = PollOutcome> + Send;

    /// A refresh request cut the wait short: the next poll should ask everything.
    fn refresh(&mut self) {}
}

impl Pollable for SourceRunner {
    fn poll_at(&mut self, now: DateTime<Utc>) -> impl Future<Output = PollOutcome> + Send {
        self.poll(now)
    }

    fn refresh(&mut self) {
        SourceRunner::refresh(self);
    }
}

/// The shortest wait between two polls of one source, whatever it asks.
const MIN_WAIT: Duration = Duration::from_millis(200);

/// Polls `source` until the inbox closes: report its stats and snapshot, then wait for the
/// interval or the wait it asked for. A refresh request cuts an interval or a backoff short,
/// never a rate-limit wait. The source makes its requests one after the other, so it never has
/// two in flight.
pub async fn poll_loop<P: Pollable>(
    index: usize,
    interval: Duration,
    mut source: P,
    inbox: mpsc::Sender<Msg>,
    refresh: Arc<Notify>,
) {
    loop {
        let at = Utc::now();
        let outcome = source.poll_at(at).await;
        if let Some(stats) = outcome.stats
            && inbox.send(Msg::SourceStats { index, stats }).await.is_err()
        {
            return;
        }
        let report = Msg::SourceReport {
            index,
            at,
            result: outcome.result,
        };
        if inbox.send(report).await.is_err() {
            return;
        }
        let wait = outcome.wait.unwrap_or(Wait::backoff(interval));
        let after = wait.after.max(MIN_WAIT);
        let next = Msg::SourceNextPoll {
            index,
            at: chrono::Duration::from_std(after)
                .ok()
                .and_then(|after| Utc::now().checked_add_signed(after))
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            paced: wait.firm,
        };
        if inbox.send(next).await.is_err() {
            return;
        }
        let sleep = tokio::time::sleep(after);
        if wait.firm {
            sleep.await;
        } else {
            tokio::select! {
                _ = sleep => {}
                _ = refresh.notified() => source.refresh(),
            }
        }
    }
}
