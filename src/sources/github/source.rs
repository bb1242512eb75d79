//! The GitHub source: per repository and environment, the deployments and their statuses, the
//! Actions runs (deploy workflows in flight, CI of the commits that matter) and the comparison
//! of adjacent environments' versions, polled over the shared HTTP core. Each repository is
//! read on its own: one that fails costs only its own cells (see [`crate::sources::targets`]).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::plan::{Memory, RepoPlan, plan, seed_of};
use super::repo::{Reader, RepoPart};
use super::settings::GithubSettings;
use crate::model::{Catalog, SourceError, SourceSnapshot, SourceStats};
use crate::sources::http::{Backoff, CredentialSource, DEFAULT_MAX_BODY, HttpCore, HttpSettings};
use crate::sources::targets::{self, BACKOFF_BASE, BACKOFF_CAP, Stop, TargetState};
use crate::sources::{PollOutcome, Reading, SourceSpec, Wait};

/// A repository's state between cycles: its last good part and how it is doing.
type RepoState = TargetState<RepoPart>;

/// The API of github.com; GitHub Enterprise answers at `https://HOST/api/v3`.
pub const DEFAULT_URL: &str = "https://api.github.com";
/// How long one request may take unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default share of the hourly quota a source may spend.
pub const DEFAULT_QUOTA_SHARE: f64 = 0.25;

/// A configured GitHub source.
pub struct GithubSource {
    name: String,
    base: String,
    http: Result<HttpCore, String>,
    plan: Vec<RepoPlan>,
    catalog: Catalog,
    deploy_workflows: Vec<String>,
    interval: Duration,
    /// Backoff of failures of the whole source (the token, the host); each repository has
    /// its own for its own failures.
    backoff: Backoff,
    memory: Memory,
    /// Per repository of `plan`, in the same order: its last good part and how it is doing.
    repos: Vec<RepoState>,
    /// A refresh was asked for: the next cycle asks every repository, due or not.
    refresh: bool,
}

impl GithubSource {
    /// A source over the services of `spec`'s catalog that its targets map to it: per
    /// service and board environment, the GitHub environment (`target`).
    pub fn new(config: &GithubSettings, spec: &SourceSpec) -> GithubSource {
        let catalog = spec.catalog.clone();
        let targets = spec.targets.as_slice();
        let interval = spec.interval;
        let credentials = match (&config.token_env, &config.token_command) {
            (_, Some(command)) => CredentialSource::Command(command.clone()),
            (Some(name), None) => CredentialSource::Env(name.clone()),
            (None, None) => CredentialSource::Env("GITHUB_TOKEN".into()),
        };
        let base = config
            .url
            .as_deref()
            .unwrap_or(DEFAULT_URL)
            .trim_end_matches('/')
            .to_string();
        let http = HttpCore::new(HttpSettings {
            timeout: config.timeout.map_or(DEFAULT_TIMEOUT, |t| t.0),
            headers: vec![
                ("accept", "application/vnd.github+json".into()),
                ("x-github-api-version", "2022-11-28".into()),
            ],
            credentials,
            quota_share: config.quota_share.unwrap_or(DEFAULT_QUOTA_SHARE),
            max_pages: crate::sources::http::pagination::DEFAULT_MAX_PAGES,
            base_url: base.clone(),
            allow_insecure_http: config.allow_insecure_http,
            max_body: DEFAULT_MAX_BODY,
        });
        let seed = seed_of(&spec.name);
        let plan = plan(&catalog, targets);
        let repos = plan
            .iter()
            .map(|r| RepoState::new(seed ^ seed_of(&r.repository)))
            .collect();
        GithubSource {
            name: spec.name.clone(),
            base,
            http,
            plan,
            catalog,
            deploy_workflows: config.deploy_workflows.clone().unwrap_or_default(),
            interval,
            backoff: Backoff::new(BACKOFF_BASE, BACKOFF_CAP, seed),
            memory: Memory::default(),
            repos,
            refresh: false,
        }
    }

    /// The source's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The repositories polled and their services' environments.
    pub fn plan(&self) -> &[RepoPlan] {
        &self.plan
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The HTTP core, for `check`; `Err` says why it could not be set up.
    pub fn http(&mut self) -> Result<&mut HttpCore, String> {
        self.http.as_mut().map_err(|e| e.clone())
    }

    /// A refresh was asked for (`r`): the next cycle asks every repository, those waiting
    /// out a backoff included.
    pub fn refresh(&mut self) {
        self.refresh = true;
    }

    /// One poll cycle at `now`: the snapshot or why not, what it cost, and when to poll next.
    ///
    /// Every repository that is due is read on its own (a healthy one every interval, a
    /// failing one after its own backoff). A repository that fails keeps its last good part
    /// in the snapshot, and its [`crate::model::TargetReport`] says why; the others are read
    /// as usual. A failure of the whole source (the token, the host, a rate limit: the quota
    /// is per token) stops the cycle: what was read is kept, the rest is reported as not read.
    ///
    /// The result is `Ok` whenever any repository has data (read now or kept from before),
    /// and `Err` only when none has any and something failed: a board never blanks cells it
    /// could show.
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
        let credential = http.credential_name();
        let forced = std::mem::take(&mut self.refresh);
        let slack = chrono::Duration::from_std(self.interval / 10).unwrap_or_default();
        let interval = chrono::Duration::from_std(self.interval).unwrap_or_default();
        let mut stop: Option<Stop> = None;
        let mut asked_all = true;
        let mut read_whole = Vec::new();
        let mut reader = Reader {
            http,
            base: &self.base,
            source: &self.name,
            catalog: &self.catalog,
            deploy_workflows: &self.deploy_workflows,
            memory: &mut self.memory,
            now,
        };
        for (repo, state) in self.plan.iter().zip(self.repos.iter_mut()) {
            if !forced && !state.is_due(now, slack) {
                asked_all = false;
                continue;
            }
            if let Some(stop) = &stop {
                state.stopped(stop.rest.clone(), stop.retry_at);
                continue;
            }
            let repository = repo.repository.as_str();
            match reader.read(repo).await {
                Ok(part) => {
                    state.read(part, now, interval);
                    read_whole.push(format!("{}/repos/{repository}/", self.base));
                }
                Err(error) if error.is_source_wide() => {
                    let wait = match error.rate_wait() {
                        Some(wait) => Wait::firm(wait),
                        None => Wait::backoff(self.backoff.failure()),
                    };
                    let next = Stop::new(&error, &credential, repository, wait, now);
                    tracing::warn!(source = %self.name, reason = %next.reason, "poll stopped");
                    state.stopped(next.reason.clone(), next.retry_at);
                    stop = Some(next);
                }
                Err(error) => {
                    let reason = error.reason(&credential, repository);
                    tracing::warn!(source = %self.name, repository, %reason, "repository failed");
                    state.failed(reason, now);
                }
            }
        }
        let http = reader.http;
        let complete = asked_all && stop.is_none() && self.repos.iter().all(RepoState::is_ok);
        let counts = http.end_cycle(complete);
        http.forget_unused_under(&read_whole);
        if asked_all && stop.is_none() {
            http.pacer_mut().record_cycle(u64::from(counts.counted()));
        }
        let rate = http.rate();
        let stats = SourceStats {
            sent: counts.sent,
            not_modified: counts.not_modified,
            errors: counts.errors,
            rate_remaining: rate.map(|r| r.remaining),
            rate_limit: rate.map(|r| r.limit),
            rate_reset: rate.map(|r| r.reset),
        };
        tracing::info!(
            source = %self.name,
            sent = counts.sent,
            not_modified = counts.not_modified,
            errors = counts.errors,
            parsed = counts.parsed,
            rate_remaining = ?stats.rate_remaining,
            "poll cycle"
        );
        let wait = match &stop {
            Some(stop) => Some(stop.wait),
            None => {
                self.backoff.success();
                let paced = http.pacer().wait(self.interval, now);
                if paced > self.interval {
                    Some(Wait::firm(paced))
                } else {
                    self.next_due(now)
                }
            }
        };
        PollOutcome {
            result: self.snapshot(stop.as_ref()),
            stats: Some(stats),
            wait,
        }
    }

    /// A wait shorter than the interval when a repository is due sooner (a failing one after
    /// its backoff); `None` for the interval.
    fn next_due(&self, now: DateTime<Utc>) -> Option<Wait> {
        targets::next_due(&self.repos, now, self.interval)
    }

    /// The snapshot of every repository's last good part, with a report per repository; `Err`
    /// when none has any data and something failed.
    fn snapshot(&self, stop: Option<&Stop>) -> Result<Reading, SourceError> {
        let mut snapshot = SourceSnapshot::default();
        let mut reports = Vec::with_capacity(self.repos.len());
        for (repo, state) in self.plan.iter().zip(&self.repos) {
            if let Some(part) = state.part() {
                snapshot
                    .deployments
                    .extend(part.deployments.iter().cloned());
                snapshot.drift.extend(part.drift.iter().cloned());
                snapshot.checks.extend(part.checks.iter().cloned());
            }
            reports.push(state.report(&repo.repository, repo.cells()));
        }
        let kept = self.repos.iter().any(|r| r.part().is_some());
        let failing: Vec<&str> = self.repos.iter().filter_map(RepoState::error).collect();
        if kept || failing.is_empty() {
            return Ok(Reading::parts(snapshot, reports));
        }
        let reason = match stop {
            Some(stop) => stop.source_reason.clone(),
            None => targets::summary(&failing, self.repos.len(), "repositories"),
        };
        Err(SourceError { reason })
    }
}
