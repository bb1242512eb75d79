//! The GitHub REST answers shiproom reads, as serde types shaped after the official OpenAPI
//! description (the official examples the tests read are in `tests/fixtures/github/`). Only the
//! fields used are declared; the others are ignored. Nullable fields are `Option`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// `simple-user`, as far as shiproom needs it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct User {
    pub login: String,
}

/// One item of `GET /repos/{o}/{r}/deployments`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct DeploymentDto {
    pub id: u64,
    pub sha: String,
    #[serde(rename = "ref")]
    pub git_ref: String,
    pub task: String,
    /// `object | string`.
    #[serde(default)]
    pub payload: serde_json::Value,
    pub environment: String,
    pub description: Option<String>,
    pub creator: Option<User>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `state` of a deployment status.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StatusState {
    Error,
    Failure,
    Inactive,
    Pending,
    Success,
    Queued,
    InProgress,
}

impl StatusState {
    /// Whether no later status is expected to matter: the deploy has finished one way or
    /// another, so its statuses need not be asked for again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            StatusState::Success
                | StatusState::Failure
                | StatusState::Error
                | StatusState::Inactive
        )
    }
}

/// One item of `GET /repos/{o}/{r}/deployments/{id}/statuses` (newest first).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct StatusDto {
    pub id: u64,
    pub state: StatusState,
    pub creator: Option<User>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub target_url: Option<String>,
    #[serde(default)]
    pub log_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /repos/{o}/{r}/actions/runs` and `…/actions/workflows/{id}/runs`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RunsDto {
    pub total_count: u64,
    pub workflow_runs: Vec<RunDto>,
}

/// The author of a commit as git records it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct GitAuthor {
    pub name: String,
}

/// `head_commit` of a run.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct HeadCommit {
    pub id: String,
    pub message: String,
    pub author: Option<GitAuthor>,
}

/// One workflow run.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RunDto {
    pub id: u64,
    pub name: Option<String>,
    pub head_branch: Option<String>,
    pub head_sha: String,
    /// `.github/workflows/build.yml@main`.
    pub path: String,
    pub run_number: u64,
    pub event: String,
    /// `queued | in_progress | completed | waiting | requested | pending`.
    pub status: Option<String>,
    /// `success | failure | cancelled | skipped | timed_out | …`, null while running.
    pub conclusion: Option<String>,
    pub workflow_id: u64,
    pub html_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub run_started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub actor: Option<User>,
    pub display_title: String,
    pub head_commit: Option<HeadCommit>,
}

impl RunDto {
    /// The workflow's file name: `build.yml` from `.github/workflows/build.yml@main`.
    pub fn workflow_file(&self) -> &str {
        let path = self.path.split('@').next().unwrap_or(&self.path);
        path.rsplit('/').next().unwrap_or(path)
    }

    /// Whether the run has not finished.
    pub fn is_running(&self) -> bool {
        self.status.as_deref() != Some("completed")
    }
}

/// `GET /repos/{o}/{r}/compare/{base}...{head}`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CompareDto {
    /// `diverged | ahead | behind | identical`.
    pub status: String,
    /// Commits in head that base lacks.
    pub ahead_by: u32,
    pub behind_by: u32,
    pub total_commits: u32,
    /// Oldest first.
    pub commits: Vec<CompareCommit>,
}

/// One commit of a comparison.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CompareCommit {
    pub sha: String,
    pub commit: GitCommit,
    /// `simple-user | empty-object`, or null.
    #[serde(default)]
    pub author: Option<MaybeUser>,
}

/// A user that may be an empty object.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct MaybeUser {
    #[serde(default)]
    pub login: Option<String>,
}

/// The git part of a commit.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct GitCommit {
    pub author: Option<GitAuthor>,
    pub message: String,
}

/// `GET /repos/{o}/{r}/environments`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct EnvironmentsDto {
    #[serde(default)]
    pub total_count: Option<u64>,
    #[serde(default)]
    pub environments: Vec<EnvironmentDto>,
}

/// One environment of a repository.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct EnvironmentDto {
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/github/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_official_examples_parse() {
        let d: Vec<DeploymentDto> =
            serde_json::from_str(&example("get_deployments_200.json")).unwrap();
        assert_eq!(d[0].sha, "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d");
        assert_eq!(d[0].creator.as_ref().unwrap().login, "octocat");
        let s: Vec<StatusDto> =
            serde_json::from_str(&example("get_deployments_deployment_id_statuses_200.json"))
                .unwrap();
        assert_eq!(s[0].state, StatusState::Success);
        for file in [
            "get_actions_runs_200.json",
            "get_actions_workflows_workflow_id_runs_200.json",
        ] {
            let r: RunsDto = serde_json::from_str(&example(file)).unwrap();
            assert_eq!(r.workflow_runs[0].workflow_file(), "build.yml");
            assert!(r.workflow_runs[0].is_running());
        }
        let c: CompareDto =
            serde_json::from_str(&example("get_compare_basehead_200.json")).unwrap();
        assert_eq!((c.ahead_by, c.commits.len()), (1, 1));
        let e: EnvironmentsDto =
            serde_json::from_str(&example("get_environments_200.json")).unwrap();
        assert_eq!(e.environments[0].name, "staging");
    }
}
