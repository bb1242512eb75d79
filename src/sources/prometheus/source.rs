//! The Prometheus source: it takes finished deploys to analyse (from any source), judges each
//! from range queries over its windows, and reports the verdicts as impacts in its snapshots,
//! with one target report per service@environment, so a failing query costs only its own
//! cell's verdicts (kept stale with the reason, or unknown).
//!
//! A poll asks only what changed: deploys whose first judgement is due, or whose after window
//! has grown by a step since the last one. A deploy's baseline is read once; a final verdict is
//! never asked again. The deploys of one cell are judged in the order they started — each in
//! its own round, so an earlier deploy judged unhealthy is cut out of the next one's baseline
//! in the same cycle — while the rounds' queries go at most `concurrency` at a time.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::judgement::{self, Job};
use super::ledger::Cell;
use super::metrics::Judging;
use super::settings::PrometheusSettings;
use crate::model::{AnalysisRequest, SourceError, SourceSnapshot, SourceStats};
use crate::sources::http::{Backoff, CredentialSource, DEFAULT_MAX_BODY, HttpCore, HttpSettings};
use crate::sources::targets::{self, BACKOFF_BASE, BACKOFF_CAP, later};
use crate::sources::{PollOutcome, Reading, SourceSpec, Wait};

/// How long one query may take unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A cell by (service, environment).
type Key = (String, String);

/// A configured Prometheus source.
pub struct PrometheusSource {
    name: String,
    base: String,
    http: Result<HttpCore, String>,
    judging: Judging,
    interval: Duration,
    /// Per (service, environment), the service's name in that environment's source.
    targets: BTreeMap<Key, String>,
    /// Every cell it was asked about.
    cells: BTreeMap<Key, Cell>,
    /// Backoff of failures of the whole source (the host, the credentials).
    backoff: Backoff,
    refresh: bool,
    seed: u64,
    pub(super) catalog: crate::model::Catalog,
}

/// How a cell's queries went this cycle.
enum Went {
    Read,
    /// Its own failure, or (`true`) one of the whole source.
    Failed(String, bool),
}

impl PrometheusSource {
    /// The source `spec` describes, with `settings` (checked).
    pub fn new(settings: &PrometheusSettings, spec: &SourceSpec) -> PrometheusSource {
        let credentials = match (
            &settings.token_env,
            &settings.token_command,
            &settings.username,
            &settings.password_env,
        ) {
            (_, Some(command), _, _) => CredentialSource::Command(command.clone()),
            (Some(name), None, _, _) => CredentialSource::Env(name.clone()),
            (None, None, Some(username), Some(password_env)) => CredentialSource::Basic {
                username: username.clone(),
                password_env: password_env.clone(),
            },
            _ => CredentialSource::None,
        };
        let base = settings.url.trim_end_matches('/').to_string();
        let http = HttpCore::new(HttpSettings {
            timeout: settings.timeout.map_or(DEFAULT_TIMEOUT, |t| t.0),
            headers: vec![("accept", "application/json".into())],
            credentials,
            quota_share: 1.0,
            max_pages: 1,
            base_url: base.clone(),
            allow_insecure_http: settings.allow_insecure_http,
            max_body: DEFAULT_MAX_BODY,
        });
        let seed = seed_of(&spec.name);
        PrometheusSource {
            name: spec.name.clone(),
            base,
            http,
            judging: Judging::of(settings),
            interval: spec.interval,
            targets: (spec.targets.iter())
                .map(|(s, e, t)| ((s.clone(), e.clone()), t.clone()))
                .collect(),
            cells: BTreeMap::new(),
            backoff: Backoff::new(BACKOFF_BASE, BACKOFF_CAP, seed),
            refresh: false,
            seed,
            catalog: spec.catalog.clone(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn judging(&self) -> &Judging {
        &self.judging
    }

    /// The name of `service` in `environment`'s source, for `{target}`: as configured, else
    /// the environment's name.
    pub fn target_of(&self, service: &str, environment: &str) -> String {
        (self
            .targets
            .get(&(service.to_string(), environment.to_string())))
        .cloned()
        .unwrap_or_else(|| environment.to_string())
    }

    /// The HTTP core; `Err` says why it could not be set up.
    pub fn http(&mut self) -> Result<&mut HttpCore, String> {
        self.http.as_mut().map_err(|e| e.clone())
    }

    /// Takes a finished deploy to judge; a deploy already known is kept as it is.
    pub fn analyse(&mut self, request: AnalysisRequest) -> bool {
        let key = (request.service.clone(), request.environment.clone());
        let target = self.target_of(&key.0, &key.1);
        let seed = self.seed ^ seed_of(&format!("{}@{}", key.0, key.1));
        (self.cells.entry(key))
            .or_insert_with_key(|(s, e)| Cell::new(s, e, &target, seed))
            .add(request);
        true
    }

    /// The next poll asks every cell with a judgement due, those in backoff too.
    pub fn refresh(&mut self) {
        self.refresh = true;
    }

    /// One poll cycle at `now`: every judgement due, the snapshot of every verdict, what it
    /// cost, and when to poll next.
    pub async fn poll(&mut self, now: DateTime<Utc>) -> PollOutcome {
        let http = match self.http.as_mut() {
            Ok(http) => http,
            Err(e) => {
                return PollOutcome {
                    result: Err(SourceError { reason: e.clone() }),
                    stats: None,
                    wait: Some(Wait::backoff(self.backoff.failure())),
                };
            }
        };
        http.begin_cycle();
        let forced = std::mem::take(&mut self.refresh);
        let slack = chrono::Duration::from_std(self.interval / 10).unwrap_or_default();
        let queue: Vec<(Key, Vec<usize>)> = (self.cells.iter())
            .filter(|(_, cell)| forced || cell.state.is_due(now, slack))
            .map(|(key, cell)| (key.clone(), cell.due(now)))
            .filter(|(_, due)| !due.is_empty())
            .collect();
        let mut went: BTreeMap<Key, Went> = BTreeMap::new();
        let mut stop: Option<String> = None;
        let rounds = queue.iter().map(|(_, due)| due.len()).max().unwrap_or(0);
        for round in 0..rounds {
            let mut asks = Vec::new();
            let mut jobs: Vec<(Key, Job)> = Vec::new();
            for (key, due) in &queue {
                let (Some(&index), Some(cell)) = (due.get(round), self.cells.get_mut(key)) else {
                    continue;
                };
                if matches!(went.get(key), Some(Went::Failed(..))) {
                    continue;
                }
                match judgement::plan(cell, index, &self.judging, &self.base, now, &mut asks) {
                    Ok(Some(job)) => jobs.push((key.clone(), job)),
                    Ok(None) => {}
                    Err(failure) => {
                        went.insert(key.clone(), Went::Failed(failure.reason, false));
                    }
                }
            }
            if asks.is_empty() {
                continue;
            }
            let answers = http.ask_all(&asks, self.judging.concurrency, now).await;
            let mut answers: Vec<_> = answers.into_iter().map(Some).collect();
            for (key, job) in jobs {
                let Some(cell) = self.cells.get_mut(&key) else {
                    continue;
                };
                match judgement::judge(http, cell, &job, &mut answers, &self.judging) {
                    Ok(()) => {
                        went.entry(key).or_insert(Went::Read);
                    }
                    Err(failure) => {
                        tracing::warn!(source = %self.name, reason = %failure.reason, "judgement failed");
                        if failure.source_wide {
                            stop.get_or_insert(failure.reason.clone());
                        }
                        went.insert(key, Went::Failed(failure.reason, failure.source_wide));
                    }
                }
            }
            if stop.is_some() {
                break;
            }
        }
        let interval = chrono::Duration::from_std(self.interval).unwrap_or_default();
        let retry = stop.as_ref().map(|_| self.backoff.failure());
        for (key, _) in &queue {
            let Some(cell) = self.cells.get_mut(key) else {
                continue;
            };
            match (went.remove(key), &stop, retry) {
                (Some(Went::Failed(reason, true)), _, Some(after)) => {
                    cell.state.stopped(reason, later(now, after))
                }
                (Some(Went::Failed(reason, _)), _, _) => cell.state.failed(reason, now),
                (Some(Went::Read), _, _) => cell.state.read((), now, interval),
                // Due, and not reached before the cycle stopped.
                (None, Some(reason), Some(after)) if !cell.due(now).is_empty() => cell
                    .state
                    .stopped(format!("not read: {reason}"), later(now, after)),
                (None, _, _) => {}
            }
        }
        let counts = http.end_cycle(true);
        tracing::info!(
            source = %self.name,
            sent = counts.sent,
            errors = counts.errors,
            parsed = counts.parsed,
            cells = queue.len(),
            "poll cycle"
        );
        let wait = match retry {
            Some(after) => Some(Wait::backoff(after)),
            None => {
                self.backoff.success();
                let states: Vec<_> = self.cells.values().map(|c| c.state.clone()).collect();
                targets::next_due(&states, now, self.interval)
            }
        };
        PollOutcome {
            result: Ok(self.snapshot()),
            stats: Some(SourceStats {
                sent: counts.sent,
                not_modified: 0,
                errors: counts.errors,
                rate_remaining: None,
                rate_limit: None,
                rate_reset: None,
            }),
            wait,
        }
    }

    /// Every verdict it holds, with one report per cell: its last good read and why not since.
    fn snapshot(&self) -> Reading {
        let mut snapshot = SourceSnapshot::default();
        let mut reports = Vec::with_capacity(self.cells.len());
        for cell in self.cells.values() {
            snapshot.impacts.extend(cell.reports());
            let cells = vec![(cell.service.clone(), cell.environment.clone())];
            reports.push(cell.state.report(&cell.name(), cells));
        }
        Reading::parts(snapshot, reports)
    }
}

/// A seed for a backoff's jitter from a name (FNV-1a), so cells failing together spread out.
fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
