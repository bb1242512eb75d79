//! The join of impact analyses to deployments, whichever source made them: by the deploy's
//! own (source, id), else by (service, environment, commit) — a monitoring source judges a
//! deploy it did not report.

use std::collections::HashMap;

use super::{Deployment, DeploymentRef, Impact, SourceState};

/// Every source's analyses, indexed once per board.
pub(super) struct ImpactIndex<'a> {
    by_id: HashMap<(&'a str, &'a str), &'a Impact>,
    by_commit: HashMap<(&'a str, &'a str, &'a str), &'a Impact>,
}

impl<'a> ImpactIndex<'a> {
    pub(super) fn new(sources: &'a [SourceState]) -> ImpactIndex<'a> {
        let mut by_id = HashMap::new();
        let mut by_commit = HashMap::new();
        let reports = sources.iter().filter_map(|s| s.snapshot.as_ref());
        for report in reports.flat_map(|s| &s.impacts) {
            match &report.deployment {
                DeploymentRef::Id { source, id } => {
                    by_id.insert((source.as_str(), id.as_str()), &report.impact);
                }
                DeploymentRef::Commit(commit) => {
                    let key = (
                        report.service.as_str(),
                        report.environment.as_str(),
                        commit.as_str(),
                    );
                    by_commit.insert(key, &report.impact);
                }
            }
        }
        ImpactIndex { by_id, by_commit }
    }

    /// The analysis of `d`, if any source made one.
    pub(super) fn of(&self, d: &Deployment) -> Option<&'a Impact> {
        self.by_id
            .get(&(d.source.as_str(), d.id.as_str()))
            .or_else(|| {
                let key = (
                    d.service.as_str(),
                    d.environment.as_str(),
                    d.commit.as_str(),
                );
                self.by_commit.get(&key)
            })
            .copied()
    }
}
