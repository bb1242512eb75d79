//! What one poll of one source reports: the messages every source sends, the demo included.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{CommitSummary, Deployment, ImpactReport, Lock, TargetReport};

/// How far an environment lags behind the one it follows, for one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub service: String,
    pub environment: String,
    /// Commits in the previous environment that this one lacks.
    pub behind: u32,
    /// Those commits, newest first, as far as the source listed them.
    pub commits: Vec<CommitSummary>,
}

/// What CI says about one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Queued or running.
    Running,
    Passed,
    Failed,
    Cancelled,
}

impl CheckStatus {
    pub fn label(self) -> &'static str {
        match self {
            CheckStatus::Running => "running",
            CheckStatus::Passed => "passed",
            CheckStatus::Failed => "failed",
            CheckStatus::Cancelled => "cancelled",
        }
    }
}

/// The CI result of one commit (every CI workflow that ran on it, deploys left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitCheck {
    /// Full sha.
    pub commit: String,
    pub status: CheckStatus,
    /// The workflows that ran, e.g. "Build, Lint".
    pub workflows: String,
    /// Link to the run that decided the status.
    pub url: Option<String>,
}

/// Everything one source knows after one poll. Sources report whole snapshots, so the
/// board is always the merge of the last good snapshot of each source. Serialisable: a
/// snapshot written to disk (as JSON) reads back equal; a field missing from an older file
/// reads as empty.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceSnapshot {
    /// Recent deployments, in flight and finished, in any order. Shared, so the board holds
    /// them without copying.
    pub deployments: Vec<Arc<Deployment>>,
    pub locks: Vec<Lock>,
    pub drift: Vec<Drift>,
    /// Impact analyses of deployments, this source's or another's: joined on the board by
    /// (service, environment, deployment id or commit).
    pub impacts: Vec<ImpactReport>,
    /// CI results of the commits that run in an environment or wait for promotion.
    pub checks: Vec<CommitCheck>,
    /// How each target (repository, project, application) was last read, for sources that
    /// read in parts; empty for a source read whole.
    pub targets: Vec<TargetReport>,
}

impl SourceSnapshot {
    /// The CI result of `commit`, when this source knows it.
    pub fn check(&self, commit: &str) -> Option<&CommitCheck> {
        self.checks.iter().find(|c| c.commit == commit)
    }
}
