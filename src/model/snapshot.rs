//! What one poll of one source reports: the messages every source sends, the demo included.

use std::collections::BTreeMap;

use super::{CommitSummary, Deployment, Impact, Lock};

/// How far an environment lags behind the one it follows, for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    pub service: String,
    pub environment: String,
    /// Commits in the previous environment that this one lacks.
    pub behind: u32,
    /// Those commits, newest first, as far as the source listed them.
    pub commits: Vec<CommitSummary>,
}

/// Everything one source knows after one poll. Sources report whole snapshots, so the
/// board is always the merge of the last good snapshot of each source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceSnapshot {
    /// Recent deployments, in flight and finished, in any order.
    pub deployments: Vec<Deployment>,
    pub locks: Vec<Lock>,
    pub drift: Vec<Drift>,
    /// Impact verdicts by deployment id.
    pub impacts: BTreeMap<String, Impact>,
}
