//! The board: every service in every environment, merged from the sources' last snapshots.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::breach::{self, Breach, BreachKey};
use super::freshness::{Freshness, TargetIndex};
use super::{Catalog, CommitSummary, Deployment, Environment, Impact, Lock, Service, SourceState};

/// How many finished deployments the recent list keeps.
pub const RECENT_LIMIT: usize = 100;

/// One service in one environment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The deployment whose version runs there now.
    pub running: Option<Arc<Deployment>>,
    /// The newest finished deployment: it sets the cell's status (a failure shows even
    /// though the previous version still runs).
    pub last: Option<Arc<Deployment>>,
    /// A deployment still queued or in progress.
    pub in_flight: Option<Arc<Deployment>>,
    /// Commits behind the environment this one follows; `None` when unknown.
    pub behind: Option<u32>,
    pub drift_commits: Vec<CommitSummary>,
    /// Every lock in force on the cell, all origins.
    pub locks: Vec<Lock>,
    /// Impact of the newest finished deployment.
    pub impact: Option<Impact>,
    /// Whether its data is fresh, the last known (stale), unknown, or tracked by no source.
    pub freshness: Freshness,
    /// The lock store cannot be read: locks here are unknown, not open.
    pub locks_unknown: bool,
    /// The lock the deploy in flight (else the last one) went past: it started while locked.
    pub breach: Option<Lock>,
    /// Why the impact shown is not fresh: a source that judges this cell's impact (another
    /// than the one reporting its deploys) fails for it. The verdict is then its last one, or
    /// unknown when it gave none.
    pub impact_trouble: Option<String>,
}

/// One service across every environment, in pipeline order.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub service: Service,
    pub cells: Vec<Cell>,
}

/// The whole board, built by [`Board::build`] whenever a source reports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Board {
    pub environments: Vec<Environment>,
    pub rows: Vec<ServiceRow>,
    /// Deployments queued or in progress, oldest first.
    pub in_flight: Vec<Arc<Deployment>>,
    /// Finished deployments, newest first, with their impact.
    pub recent: Vec<(Arc<Deployment>, Option<Impact>)>,
    /// Every lock in force, environment locks first.
    pub locks: Vec<Lock>,
    /// Why the lock store cannot be read, when it cannot: every lock is then unknown.
    pub locks_unknown: Option<String>,
    /// Deploys that started while their cell was locked, in flight and recent.
    pub breaches: Vec<Breach>,
}

/// Locks that come from outside the sources: taken by operators (the lock store) and
/// computed from schedules.
#[derive(Debug, Clone, Copy, Default)]
pub struct OtherLocks<'a> {
    pub manual: &'a [Lock],
    pub schedule: &'a [Lock],
    /// Why the lock store cannot be read, when it cannot.
    pub unknown: Option<&'a str>,
    /// Breaches found by earlier boards: still flagged after their lock lifted.
    pub breaches: Option<&'a BTreeMap<BreachKey, Lock>>,
}

impl Board {
    /// Merges the sources' last good snapshots into one board at `now`.
    pub fn build(
        catalog: &Catalog,
        sources: &[SourceState],
        other: OtherLocks,
        now: DateTime<Utc>,
    ) -> Board {
        let envs = catalog.environments.len();
        let service_at: HashMap<&str, usize> = (catalog.services.iter().enumerate())
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let env_at: HashMap<&str, usize> = (catalog.environments.iter().enumerate())
            .map(|(i, e)| (e.name.as_str(), i))
            .collect();
        let position = |service: &str, environment: &str| {
            Some(service_at.get(service)? * envs + env_at.get(environment)?)
        };

        // First choose, by reference, what goes where; clone only what is kept.
        let mut slots: Vec<Slots> = vec![Slots::default(); catalog.services.len() * envs];
        let mut in_flight: Vec<&Arc<Deployment>> = Vec::new();
        let mut recent: Vec<(&Arc<Deployment>, Option<&Impact>)> = Vec::new();
        let mut locks: Vec<&Lock> = Vec::new();
        let mut drift: Vec<(usize, &super::Drift)> = Vec::new();
        let impacts = super::impact_join::ImpactIndex::new(sources);
        for source in sources {
            let Some(snapshot) = &source.snapshot else {
                continue;
            };
            for deployment in &snapshot.deployments {
                let impact = impacts.of(deployment);
                if deployment.status.is_in_flight() {
                    in_flight.push(deployment);
                } else {
                    recent.push((deployment, impact));
                }
                if let Some(at) = position(&deployment.service, &deployment.environment) {
                    slots[at].place(deployment, impact);
                }
            }
            for d in &snapshot.drift {
                if let Some(at) = position(&d.service, &d.environment) {
                    drift.push((at, d));
                }
            }
            locks.extend(snapshot.locks.iter().filter(|l| l.is_active(now)));
        }
        locks.extend(
            other
                .manual
                .iter()
                .chain(other.schedule)
                .filter(|l| l.is_active(now)),
        );

        let targets = TargetIndex::new(sources);
        let placements = super::catalog::Placements::of(catalog);
        let mut rows: Vec<ServiceRow> = (catalog.services.iter().enumerate())
            .map(|(s, service)| ServiceRow {
                service: service.clone(),
                cells: (slots[s * envs..(s + 1) * envs].iter())
                    .zip(&catalog.environments)
                    .map(|(slot, env)| {
                        let coverage = placements.coverage(&service.name, &env.name);
                        Cell {
                            locks_unknown: other.unknown.is_some(),
                            freshness: targets.cell(
                                sources,
                                coverage,
                                &service.name,
                                &env.name,
                                now,
                            ),
                            impact_trouble: targets.trouble_elsewhere(
                                sources,
                                coverage,
                                &service.name,
                                &env.name,
                            ),
                            ..slot.into_cell()
                        }
                    })
                    .collect(),
            })
            .collect();
        for (at, d) in drift {
            let cell = &mut rows[at / envs].cells[at % envs];
            cell.behind = Some(d.behind);
            cell.drift_commits = d.commits.clone();
        }

        locks.sort_by_key(|l| (l.scope.service().is_some(), l.scope.environment(), l.since));
        for lock in &locks {
            let Some(&e) = env_at.get(lock.scope.environment()) else {
                continue;
            };
            match lock.scope.service().map(|s| service_at.get(s)) {
                None => rows
                    .iter_mut()
                    .for_each(|r| r.cells[e].locks.push((*lock).clone())),
                Some(Some(&s)) => rows[s].cells[e].locks.push((*lock).clone()),
                Some(None) => {}
            }
        }

        in_flight.sort_by_key(|d| d.started_at);
        recent.sort_by_key(|(d, _)| std::cmp::Reverse(d.finished_at.unwrap_or(d.started_at)));
        recent.truncate(RECENT_LIMIT);

        let empty = BTreeMap::new();
        let known = other.breaches.unwrap_or(&empty);
        let mut breaches = Vec::new();
        for d in in_flight
            .iter()
            .copied()
            .chain(recent.iter().map(|(d, _)| *d))
        {
            if let Some(lock) = breach::lock_passed(d, &locks, known) {
                breaches.push(Breach {
                    deployment: d.clone(),
                    lock,
                });
            }
        }
        let breached: HashMap<BreachKey, &Lock> =
            breaches.iter().map(|b| (b.key(), &b.lock)).collect();
        for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
            let lead = cell.in_flight.as_ref().or(cell.last.as_ref());
            cell.breach = lead
                .and_then(|d| breached.get(&breach::key_of(d)))
                .map(|l| (*l).clone());
        }
        Board {
            environments: catalog.environments.clone(),
            rows,
            in_flight: in_flight.into_iter().cloned().collect(),
            recent: (recent.into_iter())
                .map(|(d, i)| (d.clone(), i.cloned()))
                .collect(),
            locks: locks.into_iter().cloned().collect(),
            locks_unknown: other.unknown.map(str::to_string),
            breaches,
        }
    }

    /// Services with a deployment in flight, per environment name: for headers and summaries.
    pub fn locked_environments(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .locks
            .iter()
            .filter(|l| l.scope.service().is_none())
            .map(|l| l.scope.environment())
            .collect();
        names.dedup();
        names
    }

    /// Whole-environment locks in force on `environment`.
    pub fn environment_locks<'a>(&'a self, environment: &'a str) -> impl Iterator<Item = &'a Lock> {
        self.locks
            .iter()
            .filter(move |l| l.scope.service().is_none() && l.scope.environment() == environment)
    }

    /// The lock `deployment` went past, when it started while its cell was locked.
    pub fn breach_of(&self, deployment: &Deployment) -> Option<&Lock> {
        self.breaches
            .iter()
            .find(|b| b.deployment.source == deployment.source && b.deployment.id == deployment.id)
            .map(|b| &b.lock)
    }

    /// How many cells are unknown (nothing read: their source or target fails or has not
    /// answered), and how many are tracked by a source at all.
    pub fn unknown_cells(&self) -> (usize, usize) {
        let cells = self.rows.iter().flat_map(|r| &r.cells);
        let tracked = cells
            .clone()
            .filter(|c| c.freshness != Freshness::Untracked);
        (
            tracked.clone().filter(|c| c.freshness.is_unknown()).count(),
            tracked.count(),
        )
    }

    /// Finished deployments whose impact is unhealthy and that still run somewhere.
    pub fn unhealthy_count(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| {
                c.impact
                    .as_ref()
                    .is_some_and(|i| i.verdict == super::Verdict::Unhealthy)
            })
            .count()
    }
}

/// What one cell will hold, chosen by reference before anything is cloned.
#[derive(Debug, Clone, Copy, Default)]
struct Slots<'a> {
    running: Option<&'a Arc<Deployment>>,
    last: Option<(&'a Arc<Deployment>, Option<&'a Impact>)>,
    in_flight: Option<&'a Arc<Deployment>>,
}

impl<'a> Slots<'a> {
    /// Takes one deployment, keeping the newest of each kind.
    fn place(&mut self, deployment: &'a Arc<Deployment>, impact: Option<&'a Impact>) {
        use super::DeployStatus::*;
        let newer = |slot: Option<&Arc<Deployment>>| {
            slot.is_none_or(|d| d.started_at <= deployment.started_at)
        };
        match deployment.status {
            Queued | InProgress => {
                if newer(self.in_flight) {
                    self.in_flight = Some(deployment);
                }
            }
            Succeeded | Failed | Cancelled | RolledBack => {
                if newer(self.last.map(|(d, _)| d)) {
                    self.last = Some((deployment, impact));
                }
                if deployment.status == Succeeded && newer(self.running) {
                    self.running = Some(deployment);
                }
            }
        }
    }

    fn into_cell(self) -> Cell {
        Cell {
            running: self.running.cloned(),
            last: self.last.map(|(d, _)| d.clone()),
            in_flight: self.in_flight.cloned(),
            impact: self.last.and_then(|(_, i)| i.cloned()),
            ..Cell::default()
        }
    }
}

#[cfg(test)]
#[path = "board_tests.rs"]
mod tests;
