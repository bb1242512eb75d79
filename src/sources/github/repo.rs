//! One repository's part of a poll cycle: its deployments per environment, the deploy
//! workflows in flight, the drift between its environments and the CI of the commits that
//! matter. Read whole or not at all: a failure leaves the part of the last good read in force.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::ci;
use super::convert::{self, Place};
use super::dto::RunsDto;
use super::fetch::{RUNS_PER_PAGE, compare, environment_deployments, newest, runs};
use super::plan::{Memory, RepoPlan};
use crate::model::{Catalog, CheckStatus, CommitCheck, DeployStatus, Deployment, Drift};
use crate::sources::http::{HttpCore, HttpError};

/// What one repository contributes to its source's snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RepoPart {
    pub(super) deployments: Vec<Arc<Deployment>>,
    pub(super) drift: Vec<Drift>,
    pub(super) checks: Vec<CommitCheck>,
}

impl RepoPart {
    fn check(&self, commit: &str) -> Option<&CommitCheck> {
        self.checks.iter().find(|c| c.commit == commit)
    }
}

/// What the reads of one repository share.
pub(super) struct Reader<'a> {
    pub(super) http: &'a mut HttpCore,
    pub(super) base: &'a str,
    pub(super) source: &'a str,
    pub(super) catalog: &'a Catalog,
    pub(super) deploy_workflows: &'a [String],
    pub(super) memory: &'a mut Memory,
    pub(super) now: DateTime<Utc>,
}

impl Reader<'_> {
    /// Reads `repo` whole: every environment of every service mapped to it. On success the
    /// answers kept for it that it no longer needs are forgotten; on failure all are kept.
    pub(super) async fn read(&mut self, repo: &RepoPlan) -> Result<RepoPart, HttpError> {
        let repository = repo.repository.as_str();
        let now = self.now;
        let mut part = RepoPart::default();
        let mut seen_deployments = BTreeSet::new();
        let mut seen_compares = BTreeSet::new();
        let mut seen_checks = BTreeSet::new();
        let runs = runs(self.http, self.base, repository, now).await?;
        for service in &repo.services {
            let mut running: HashMap<&str, String> = HashMap::new();
            let mut in_flight_commits = BTreeSet::new();
            for (environment, target) in &service.environments {
                let place = Place {
                    source: self.source,
                    repository,
                    service: &service.service,
                    environment,
                };
                let deployments = environment_deployments(
                    self.http,
                    self.base,
                    place,
                    target,
                    self.memory,
                    &mut seen_deployments,
                    now,
                )
                .await?;
                if let Some(d) = newest(&deployments, DeployStatus::Succeeded) {
                    running.insert(environment.as_str(), d.commit.clone());
                }
                for d in deployments.iter().filter(|d| d.status.is_in_flight()) {
                    in_flight_commits.insert(d.commit.clone());
                }
                part.deployments
                    .extend(deployments.into_iter().map(Arc::new));
            }
            // Deploy workflows in flight that made no GitHub deployment of their own.
            if let Some(runs) = &runs {
                for run in runs
                    .workflow_runs
                    .iter()
                    .filter(|r| r.is_running() && convert::is_deploy_run(r, self.deploy_workflows))
                {
                    if in_flight_commits.contains(&run.head_sha) {
                        continue;
                    }
                    if let Some(environment) = convert::run_environment(run, &service.environments)
                    {
                        let place = Place {
                            source: self.source,
                            repository,
                            service: &service.service,
                            environment,
                        };
                        part.deployments
                            .push(Arc::new(convert::deploy_run(place, run)));
                    }
                }
            }
            // Drift: each environment against the one it follows, when both are here.
            for (environment, _) in &service.environments {
                let Some(previous) = self.catalog.previous_environment(environment) else {
                    continue;
                };
                let (Some(base_sha), Some(head_sha)) = (
                    running.get(environment.as_str()),
                    running.get(previous.name.as_str()),
                ) else {
                    continue;
                };
                if base_sha == head_sha {
                    part.drift.push(Drift {
                        service: service.service.clone(),
                        environment: environment.clone(),
                        behind: 0,
                        commits: vec![],
                    });
                    continue;
                }
                let key = (repository.to_string(), base_sha.clone(), head_sha.clone());
                seen_compares.insert(key.clone());
                let compare = match self.memory.compares.get(&key) {
                    Some(c) => Some(c.clone()),
                    None => {
                        compare(self.http, self.base, repository, base_sha, head_sha, now).await?
                    }
                };
                if let Some(compare) = compare {
                    self.memory.compares.insert(key, compare.clone());
                    part.drift
                        .push(convert::drift(&service.service, environment, &compare));
                }
            }
            // CI of the commits that run somewhere or wait for promotion.
            let commits: BTreeSet<String> =
                running.values().cloned().chain(in_flight_commits).collect();
            for commit in commits {
                let key = (repository.to_string(), commit.clone());
                seen_checks.insert(key.clone());
                if part.check(&commit).is_some() {
                    continue;
                }
                let check = match self.memory.final_checks.get(&key) {
                    Some(check) => check.clone(),
                    None => {
                        self.check_of(repository, &commit, runs.as_deref(), key)
                            .await?
                    }
                };
                if let Some(check) = check {
                    part.checks.push(check);
                }
            }
        }
        let memory = &mut *self.memory;
        memory
            .final_statuses
            .retain(|k, _| k.0 != repository || seen_deployments.contains(k));
        memory
            .compares
            .retain(|k, _| k.0 != repository || seen_compares.contains(k));
        memory
            .final_checks
            .retain(|k, _| k.0 != repository || seen_checks.contains(k));
        Ok(part)
    }

    /// The CI of `commit`: from the latest runs, else from the runs of that commit. Only a
    /// finished result is kept (a commit without CI yet may get some).
    async fn check_of(
        &mut self,
        repository: &str,
        commit: &str,
        runs: Option<&RunsDto>,
        key: (String, String),
    ) -> Result<Option<CommitCheck>, HttpError> {
        let listed = runs.map(|r| ci::check_of(commit, &r.workflow_runs, self.deploy_workflows));
        let check = match listed.flatten() {
            Some(check) => Some(check),
            // Not among the latest runs: ask for this commit's runs.
            None if runs.is_some() => {
                let url = format!(
                    "{}/repos/{repository}/actions/runs?head_sha={commit}&per_page={RUNS_PER_PAGE}",
                    self.base
                );
                let page = self
                    .http
                    .get::<RunsDto>(&url, "workflow_runs", self.now)
                    .await?;
                ci::check_of(commit, &page.value.workflow_runs, self.deploy_workflows)
            }
            None => None,
        };
        if check
            .as_ref()
            .is_some_and(|c| c.status != CheckStatus::Running)
        {
            self.memory.final_checks.insert(key, check.clone());
        }
        Ok(check)
    }
}
