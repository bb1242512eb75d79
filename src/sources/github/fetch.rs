//! The GitHub requests of one cycle: an environment's deployments (paged, back to the one that
//! runs), the repository's workflow runs, a comparison of two shas.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::convert::{self, Place};
use super::dto::{CompareDto, DeploymentDto, RunsDto, StatusDto};
use super::plan::Memory;
use crate::model::{DeployStatus, Deployment};
use crate::sources::http::{HttpCore, HttpError};

/// Deployments asked for per page.
const DEPLOYMENTS_PER_PAGE: u32 = 10;
/// Deployments looked at per environment: back to the one running, never further than this.
const MAX_DEPLOYMENTS_PER_ENVIRONMENT: usize = 20;
/// Workflow runs asked for per repository and cycle.
pub const RUNS_PER_PAGE: u32 = 30;

/// Percent-encodes a query value or path segment.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The newest deployment with `status`.
pub fn newest(deployments: &[Deployment], status: DeployStatus) -> Option<&Deployment> {
    deployments
        .iter()
        .filter(|d| d.status == status)
        .max_by_key(|d| d.started_at)
}

/// The repository's latest workflow runs; `None` when Actions is off or not readable.
pub async fn runs(
    http: &mut HttpCore,
    base: &str,
    repository: &str,
    now: DateTime<Utc>,
) -> Result<Option<Arc<RunsDto>>, HttpError> {
    let url = format!("{base}/repos/{repository}/actions/runs?per_page={RUNS_PER_PAGE}");
    match http.get::<RunsDto>(&url, "workflow_runs", now).await {
        Ok(page) => Ok(Some(page.value)),
        Err(HttpError::Forbidden { message }) => {
            tracing::info!(repository, %message, "no access to Actions runs: CI status left out");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The deployments of one environment, newest first, back to the one that runs there (the
/// newest that succeeded), following `Link` pages within the page bound.
pub(super) async fn environment_deployments(
    http: &mut HttpCore,
    base: &str,
    place: Place<'_>,
    target: &str,
    memory: &mut Memory,
    seen: &mut BTreeSet<(String, u64)>,
    now: DateTime<Utc>,
) -> Result<Vec<Deployment>, HttpError> {
    let repository = place.repository;
    let mut out = Vec::new();
    let mut next = Some(format!(
        "{base}/repos/{repository}/deployments?environment={}&per_page={DEPLOYMENTS_PER_PAGE}",
        encode(target)
    ));
    let mut pages = 0;
    while let Some(url) = next.take() {
        if pages >= http.max_pages() {
            tracing::info!(repository, target, "deployments cut at the page bound");
            break;
        }
        pages += 1;
        let page = http
            .get::<Vec<DeploymentDto>>(&url, "deployments", now)
            .await?;
        let mut found_running = false;
        for d in page.value.iter() {
            let key = (repository.to_string(), d.id);
            seen.insert(key.clone());
            let statuses = match memory.final_statuses.get(&key) {
                Some(s) => s.clone(),
                None => {
                    let url = format!(
                        "{base}/repos/{repository}/deployments/{}/statuses?per_page=100",
                        d.id
                    );
                    let statuses = http
                        .get::<Vec<StatusDto>>(&url, "statuses", now)
                        .await?
                        .value;
                    if statuses.first().is_some_and(|s| s.state.is_final()) {
                        memory.final_statuses.insert(key, statuses.clone());
                    }
                    statuses
                }
            };
            let deployment = convert::deployment(place, d, &statuses, now);
            found_running |= deployment.status == DeployStatus::Succeeded;
            out.push(deployment);
            if found_running || out.len() >= MAX_DEPLOYMENTS_PER_ENVIRONMENT {
                break;
            }
        }
        if !found_running && out.len() < MAX_DEPLOYMENTS_PER_ENVIRONMENT {
            next = page.follow()?;
        }
    }
    Ok(out)
}

/// The comparison of two shas; `None` when GitHub no longer knows one of them (404).
pub async fn compare(
    http: &mut HttpCore,
    base: &str,
    repository: &str,
    base_sha: &str,
    head_sha: &str,
    now: DateTime<Utc>,
) -> Result<Option<Arc<CompareDto>>, HttpError> {
    let url = format!("{base}/repos/{repository}/compare/{base_sha}...{head_sha}?per_page=100");
    match http.get::<CompareDto>(&url, "compare", now).await {
        Ok(page) => Ok(Some(page.value)),
        Err(HttpError::NotFound { .. }) => {
            tracing::info!(
                repository,
                base_sha,
                head_sha,
                "compare: a sha is unknown; drift left out"
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
