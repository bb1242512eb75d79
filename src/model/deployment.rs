//! Deployments: one version of one service rolling out to one environment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a deployment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeployStatus {
    Queued,
    InProgress,
    Succeeded,
    Failed,
    Cancelled,
    RolledBack,
}

impl DeployStatus {
    /// Whether the deployment is still moving (queued or in progress).
    pub fn is_in_flight(self) -> bool {
        matches!(self, DeployStatus::Queued | DeployStatus::InProgress)
    }

    /// The words an operator reads for this status.
    pub fn label(self) -> &'static str {
        match self {
            DeployStatus::Queued => "queued",
            DeployStatus::InProgress => "in progress",
            DeployStatus::Succeeded => "succeeded",
            DeployStatus::Failed => "failed",
            DeployStatus::Cancelled => "cancelled",
            DeployStatus::RolledBack => "rolled back",
        }
    }
}

/// One entry of a deployment's status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: DateTime<Utc>,
    pub status: DeployStatus,
    /// Free text from the source: the stage reached, a failure reason.
    pub note: String,
}

/// A commit as the board shows it: short sha, author, first line of the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitSummary {
    pub sha: String,
    pub author: String,
    pub message: String,
}

/// One version of one service going to one environment, as a source reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// Unique within its source.
    pub id: String,
    pub service: String,
    pub environment: String,
    /// Tag, or short sha when the source knows no tag.
    pub version: String,
    /// Full commit sha.
    pub commit: String,
    /// Who started it.
    pub author: String,
    /// First line of the commit message or the deploy's description.
    pub description: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub status: DeployStatus,
    /// Stage name while in flight ("canary 10%", "rollout").
    pub stage: Option<String>,
    /// Share done while in flight, 0.0 to 1.0, when the source knows it.
    pub progress: Option<f32>,
    pub history: Vec<StatusChange>,
    /// Link to the deploy in its tool, when there is one.
    pub url: Option<String>,
    /// Name of the source that reported it.
    pub source: String,
}

impl Deployment {
    /// The version cut to a length fit for a narrow cell: a 40-character sha becomes 7.
    pub fn short_version(&self) -> &str {
        short_sha(&self.version)
    }

    /// The stage it has reached, or its status when the source names no stage.
    pub fn stage_label(&self) -> &str {
        self.stage.as_deref().unwrap_or(self.status.label())
    }
}

/// Shortens a full hex sha to 7 characters; anything else is returned whole.
pub fn short_sha(version: &str) -> &str {
    if version.len() >= 12 && version.bytes().all(|b| b.is_ascii_hexdigit()) {
        &version[..7]
    } else {
        version
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_sha_is_shortened_and_a_tag_is_kept() {
        assert_eq!(
            short_sha("4f9c2a1d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c"),
            "4f9c2a1"
        );
        assert_eq!(short_sha("v1.42.0"), "v1.42.0");
        assert_eq!(short_sha("deadbeef"), "deadbeef");
    }

    #[test]
    fn only_queued_and_in_progress_are_in_flight() {
        assert!(DeployStatus::Queued.is_in_flight());
        assert!(DeployStatus::InProgress.is_in_flight());
        assert!(!DeployStatus::Failed.is_in_flight());
        assert!(!DeployStatus::RolledBack.is_in_flight());
    }
}
