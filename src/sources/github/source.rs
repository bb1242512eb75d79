//! The GitHub source: per repository and environment, the deployments and their statuses, the
//! Actions runs (deploy workflows in flight, CI of the commits that matter) and the comparison
//! of adjacent environments' versions, polled over the shared HTTP core.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::ci;
use super::convert::{self, Place};
use super::dto::{CompareDto, RunsDto, StatusDto};
use super::fetch::{RUNS_PER_PAGE, compare, environment_deployments, newest, runs};
use crate::config::SourceConfig;
use crate::model::{Catalog, DeployStatus, SourceError, SourceSnapshot, SourceStats};
use crate::sources::http::{Backoff, CredentialSource, HttpCore, HttpError, HttpSettings};
use crate::sources::{PollOutcome, Wait};

/// The API of github.com; GitHub Enterprise answers at `https://HOST/api/v3`.
pub const DEFAULT_URL: &str = "https://api.github.com";
/// How long one request may take unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default share of the hourly quota a source may spend.
pub const DEFAULT_QUOTA_SHARE: f64 = 0.25;
/// The first failure's retry comes after about this long; later ones double, up to the cap.
const BACKOFF_BASE: Duration = Duration::from_secs(5);
const BACKOFF_CAP: Duration = Duration::from_secs(15 * 60);

/// One service's environments in one repository: (board environment, GitHub environment).
#[derive(Debug, Clone)]
pub struct ServicePlan {
    pub service: String,
    pub environments: Vec<(String, String)>,
}

/// The services of one repository.
#[derive(Debug, Clone)]
pub struct RepoPlan {
    pub repository: String,
    pub services: Vec<ServicePlan>,
}

/// What a source remembers between cycles besides the HTTP cache: answers that cannot change.
#[derive(Default)]
pub(super) struct Memory {
    /// Statuses of deployments that have finished, by (repository, deployment id).
    pub(super) final_statuses: HashMap<(String, u64), Arc<Vec<StatusDto>>>,
    /// Comparisons by (repository, base sha, head sha): two fixed shas compare the same forever.
    pub(super) compares: HashMap<(String, String, String), Arc<CompareDto>>,
    /// CI of commits whose runs have all completed, by (repository, sha).
    pub(super) final_checks: HashMap<(String, String), Option<crate::model::CommitCheck>>,
}

/// A configured GitHub source.
pub struct GithubSource {
    name: String,
    base: String,
    http: Result<HttpCore, String>,
    plan: Vec<RepoPlan>,
    catalog: Catalog,
    deploy_workflows: Vec<String>,
    interval: Duration,
    backoff: Backoff,
    memory: Memory,
}

/// Why a cycle stopped, with the repository it was about.
struct Failure {
    error: HttpError,
    repository: String,
}

impl GithubSource {
    /// A source over the services of `catalog` that `targets` maps to it: per service and
    /// board environment, the GitHub environment (`target`).
    pub fn new(
        config: &SourceConfig,
        catalog: Catalog,
        targets: &[(String, String, String)],
        interval: Duration,
    ) -> GithubSource {
        let credentials = match (&config.token_env, &config.token_command) {
            (_, Some(command)) => CredentialSource::Command(command.clone()),
            (Some(name), None) => CredentialSource::Env(name.clone()),
            (None, None) => CredentialSource::Env("GITHUB_TOKEN".into()),
        };
        let http = HttpCore::new(HttpSettings {
            timeout: config.timeout.map_or(DEFAULT_TIMEOUT, |t| t.0),
            headers: vec![
                ("accept", "application/vnd.github+json".into()),
                ("x-github-api-version", "2022-11-28".into()),
            ],
            credentials,
            quota_share: config.quota_share.unwrap_or(DEFAULT_QUOTA_SHARE),
            max_pages: crate::sources::http::pagination::DEFAULT_MAX_PAGES,
        });
        let base = config
            .url
            .as_deref()
            .unwrap_or(DEFAULT_URL)
            .trim_end_matches('/')
            .to_string();
        let seed = config.name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        });
        GithubSource {
            name: config.name.clone(),
            base,
            http,
            plan: plan(&catalog, targets),
            catalog,
            deploy_workflows: config.deploy_workflows.clone().unwrap_or_default(),
            interval,
            backoff: Backoff::new(BACKOFF_BASE, BACKOFF_CAP, seed),
            memory: Memory::default(),
        }
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

    /// One poll cycle at `now`: the snapshot or why not, what it cost, and when to poll next.
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
        let collected = collect(
            http,
            &self.base,
            &self.name,
            &self.plan,
            &self.catalog,
            &self.deploy_workflows,
            &mut self.memory,
            now,
        )
        .await;
        let counts = http.end_cycle(collected.is_ok());
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
        let credential = http.credential_name();
        let (result, wait) = match collected {
            Ok(snapshot) => {
                self.backoff.success();
                let wait = http
                    .pacer()
                    .wait(self.interval, u64::from(counts.counted()), now);
                let wait = (wait > self.interval).then_some(Wait::firm(wait));
                (Ok(snapshot), wait)
            }
            Err(Failure { error, repository }) => {
                let reason = error.reason(&credential, &repository);
                tracing::warn!(source = %self.name, %reason, "poll failed");
                let wait = match error.rate_wait() {
                    Some(wait) => Wait::firm(wait),
                    None => Wait::backoff(self.backoff.failure()),
                };
                (Err(SourceError { reason }), Some(wait))
            }
        };
        PollOutcome {
            result,
            stats: Some(stats),
            wait,
        }
    }
}

/// Groups the targets by repository, in catalog order.
fn plan(catalog: &Catalog, targets: &[(String, String, String)]) -> Vec<RepoPlan> {
    let mut repos: Vec<RepoPlan> = Vec::new();
    for service in &catalog.services {
        let Some(repository) = &service.repository else {
            continue;
        };
        let mut environments: Vec<(String, String)> = targets
            .iter()
            .filter(|(s, _, _)| *s == service.name)
            .map(|(_, env, target)| (env.clone(), target.clone()))
            .collect();
        environments.sort_by_key(|(env, _)| catalog.environment_index(env));
        if environments.is_empty() {
            continue;
        }
        let plan = ServicePlan {
            service: service.name.clone(),
            environments,
        };
        match repos.iter_mut().find(|r| &r.repository == repository) {
            Some(repo) => repo.services.push(plan),
            None => repos.push(RepoPlan {
                repository: repository.clone(),
                services: vec![plan],
            }),
        }
    }
    repos
}

#[allow(clippy::too_many_arguments)]
async fn collect(
    http: &mut HttpCore,
    base: &str,
    source: &str,
    plan: &[RepoPlan],
    catalog: &Catalog,
    deploy_workflows: &[String],
    memory: &mut Memory,
    now: DateTime<Utc>,
) -> Result<SourceSnapshot, Failure> {
    let mut snapshot = SourceSnapshot::default();
    let mut seen_deployments = BTreeSet::new();
    let mut seen_compares = BTreeSet::new();
    let mut seen_checks = BTreeSet::new();
    for repo in plan {
        let repository = repo.repository.as_str();
        let fail = |error| Failure {
            error,
            repository: repository.to_string(),
        };
        let runs = runs(http, base, repository, now).await.map_err(fail)?;
        for service in &repo.services {
            let mut running: HashMap<&str, String> = HashMap::new();
            let mut in_flight_commits = BTreeSet::new();
            for (environment, target) in &service.environments {
                let place = Place {
                    source,
                    repository,
                    service: &service.service,
                    environment,
                };
                let deployments = environment_deployments(
                    http,
                    base,
                    place,
                    target,
                    memory,
                    &mut seen_deployments,
                    now,
                )
                .await
                .map_err(fail)?;
                if let Some(d) = newest(&deployments, DeployStatus::Succeeded) {
                    running.insert(environment.as_str(), d.commit.clone());
                }
                for d in deployments.iter().filter(|d| d.status.is_in_flight()) {
                    in_flight_commits.insert(d.commit.clone());
                }
                snapshot
                    .deployments
                    .extend(deployments.into_iter().map(Arc::new));
            }
            // Deploy workflows in flight that made no GitHub deployment of their own.
            if let Some(runs) = &runs {
                for run in runs
                    .workflow_runs
                    .iter()
                    .filter(|r| r.is_running() && convert::is_deploy_run(r, deploy_workflows))
                {
                    if in_flight_commits.contains(&run.head_sha) {
                        continue;
                    }
                    if let Some(environment) = convert::run_environment(run, &service.environments)
                    {
                        let place = Place {
                            source,
                            repository,
                            service: &service.service,
                            environment,
                        };
                        snapshot
                            .deployments
                            .push(Arc::new(convert::deploy_run(place, run)));
                    }
                }
            }
            // Drift: each environment against the one it follows, when both are here.
            for (environment, _) in &service.environments {
                let Some(previous) = catalog.previous_environment(environment) else {
                    continue;
                };
                let (Some(base_sha), Some(head_sha)) = (
                    running.get(environment.as_str()),
                    running.get(previous.name.as_str()),
                ) else {
                    continue;
                };
                if base_sha == head_sha {
                    snapshot.drift.push(crate::model::Drift {
                        service: service.service.clone(),
                        environment: environment.clone(),
                        behind: 0,
                        commits: vec![],
                    });
                    continue;
                }
                let key = (repository.to_string(), base_sha.clone(), head_sha.clone());
                seen_compares.insert(key.clone());
                let compare = match memory.compares.get(&key) {
                    Some(c) => Some(c.clone()),
                    None => compare(http, base, repository, base_sha, head_sha, now)
                        .await
                        .map_err(fail)?,
                };
                if let Some(compare) = compare {
                    memory.compares.insert(key, compare.clone());
                    snapshot
                        .drift
                        .push(convert::drift(&service.service, environment, &compare));
                }
            }
            // CI of the commits that run somewhere or wait for promotion.
            let commits: BTreeSet<String> =
                running.values().cloned().chain(in_flight_commits).collect();
            for commit in commits {
                let key = (repository.to_string(), commit.clone());
                seen_checks.insert(key.clone());
                if snapshot.check(&commit).is_some() {
                    continue;
                }
                let check = match memory.final_checks.get(&key) {
                    Some(check) => check.clone(),
                    None => {
                        let listed = runs
                            .as_ref()
                            .map(|r| ci::check_of(&commit, &r.workflow_runs, deploy_workflows));
                        let check = match listed.flatten() {
                            Some(check) => Some(check),
                            // Not among the latest runs: ask for this commit's runs.
                            None if runs.is_some() => {
                                let url = format!(
                                    "{base}/repos/{repository}/actions/runs?head_sha={commit}&per_page={RUNS_PER_PAGE}"
                                );
                                let page = http
                                    .get::<RunsDto>(&url, "workflow_runs", now)
                                    .await
                                    .map_err(fail)?;
                                ci::check_of(&commit, &page.value.workflow_runs, deploy_workflows)
                            }
                            None => None,
                        };
                        // A commit without CI yet may get some: only finished results are kept.
                        if check
                            .as_ref()
                            .is_some_and(|c| c.status != crate::model::CheckStatus::Running)
                        {
                            memory.final_checks.insert(key, check.clone());
                        }
                        check
                    }
                };
                if let Some(check) = check {
                    snapshot.checks.push(check);
                }
            }
        }
    }
    memory
        .final_statuses
        .retain(|k, _| seen_deployments.contains(k));
    memory.compares.retain(|k, _| seen_compares.contains(k));
    memory.final_checks.retain(|k, _| seen_checks.contains(k));
    Ok(snapshot)
}
