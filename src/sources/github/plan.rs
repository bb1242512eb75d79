//! What a GitHub source reads, planned once from the configuration: the repositories, their
//! services and environments; and what it remembers between cycles besides the HTTP cache.

use std::collections::HashMap;
use std::sync::Arc;

use super::dto::{CompareDto, StatusDto};
use crate::model::Catalog;

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

impl RepoPlan {
    /// Every cell its services report, as (service, environment).
    pub fn cells(&self) -> Vec<(String, String)> {
        self.services
            .iter()
            .flat_map(|s| {
                s.environments
                    .iter()
                    .map(|(environment, _)| (s.service.clone(), environment.clone()))
            })
            .collect()
    }
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

/// A stable seed for a name (FNV-1a), so each source and repository jitters its own way.
pub(super) fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Groups the targets by repository, in catalog order.
pub(super) fn plan(catalog: &Catalog, targets: &[(String, String, String)]) -> Vec<RepoPlan> {
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
