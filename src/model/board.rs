//! The board: every service in every environment, merged from the sources' last snapshots.

use chrono::{DateTime, Utc};

use super::{Catalog, CommitSummary, Deployment, Environment, Impact, Lock, Service, SourceState};

/// How many finished deployments the recent list keeps.
pub const RECENT_LIMIT: usize = 100;

/// One service in one environment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The deployment whose version runs there now.
    pub running: Option<Deployment>,
    /// The newest finished deployment: it sets the cell's status (a failure shows even
    /// though the previous version still runs).
    pub last: Option<Deployment>,
    /// A deployment still queued or in progress.
    pub in_flight: Option<Deployment>,
    /// Commits behind the environment this one follows; `None` when unknown.
    pub behind: Option<u32>,
    pub drift_commits: Vec<CommitSummary>,
    /// Every lock in force on the cell, all origins.
    pub locks: Vec<Lock>,
    /// Impact of the newest finished deployment.
    pub impact: Option<Impact>,
    /// The data comes from a source that is failing or stale.
    pub stale: bool,
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
    pub in_flight: Vec<Deployment>,
    /// Finished deployments, newest first, with their impact.
    pub recent: Vec<(Deployment, Option<Impact>)>,
    /// Every lock in force, environment locks first.
    pub locks: Vec<Lock>,
}

impl Board {
    /// Merges the sources' last good snapshots into one board at `now`.
    pub fn build(catalog: &Catalog, sources: &[SourceState], now: DateTime<Utc>) -> Board {
        let envs = catalog.environments.len();
        let mut rows: Vec<ServiceRow> = catalog
            .services
            .iter()
            .map(|service| ServiceRow {
                service: service.clone(),
                cells: vec![Cell::default(); envs],
            })
            .collect();
        let mut board = Board {
            environments: catalog.environments.clone(),
            ..Board::default()
        };

        for source in sources {
            let Some(snapshot) = &source.snapshot else {
                continue;
            };
            let stale = source.is_stale(now);
            for deployment in &snapshot.deployments {
                let impact = snapshot.impacts.get(&deployment.id);
                let position = catalog
                    .service_index(&deployment.service)
                    .zip(catalog.environment_index(&deployment.environment));
                if deployment.status.is_in_flight() {
                    board.in_flight.push(deployment.clone());
                } else {
                    board.recent.push((deployment.clone(), impact.cloned()));
                }
                if let Some((s, e)) = position {
                    let cell = &mut rows[s].cells[e];
                    cell.stale |= stale;
                    place(cell, deployment, impact);
                }
            }
            for drift in &snapshot.drift {
                if let (Some(s), Some(e)) = (
                    catalog.service_index(&drift.service),
                    catalog.environment_index(&drift.environment),
                ) {
                    let cell = &mut rows[s].cells[e];
                    cell.behind = Some(drift.behind);
                    cell.drift_commits = drift.commits.clone();
                }
            }
            for lock in snapshot.locks.iter().filter(|l| l.is_active(now)) {
                board.locks.push(lock.clone());
            }
        }

        board.locks.sort_by(|a, b| {
            (a.scope.service().is_some(), a.scope.environment(), a.since).cmp(&(
                b.scope.service().is_some(),
                b.scope.environment(),
                b.since,
            ))
        });
        for lock in &board.locks {
            let Some(e) = catalog.environment_index(lock.scope.environment()) else {
                continue;
            };
            for row in rows
                .iter_mut()
                .filter(|r| lock.scope.covers(&r.service.name, lock.scope.environment()))
            {
                row.cells[e].locks.push(lock.clone());
            }
        }

        board.in_flight.sort_by_key(|d| d.started_at);
        board
            .recent
            .sort_by_key(|(d, _)| std::cmp::Reverse(d.finished_at.unwrap_or(d.started_at)));
        board.recent.truncate(RECENT_LIMIT);
        board.rows = rows;
        board
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

/// Puts one deployment into its cell, keeping the newest of each kind.
fn place(cell: &mut Cell, deployment: &Deployment, impact: Option<&Impact>) {
    use super::DeployStatus::*;
    let newer = |slot: &Option<Deployment>| {
        slot.as_ref()
            .is_none_or(|d| d.started_at <= deployment.started_at)
    };
    match deployment.status {
        Queued | InProgress => {
            if newer(&cell.in_flight) {
                cell.in_flight = Some(deployment.clone());
            }
        }
        Succeeded | Failed | Cancelled | RolledBack => {
            if newer(&cell.last) {
                cell.last = Some(deployment.clone());
                cell.impact = impact.cloned();
            }
            if deployment.status == Succeeded && newer(&cell.running) {
                cell.running = Some(deployment.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        DeployStatus, LockOrigin, LockScope, SourceError, SourceKind, SourceSnapshot, Verdict,
    };
    use chrono::{Duration, TimeZone};

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap()
            + Duration::minutes(min)
    }

    fn catalog() -> Catalog {
        let env = |name: &str| Environment {
            name: name.into(),
            protected: name == "production",
            ephemeral: false,
            follows: None,
        };
        Catalog {
            environments: vec![env("staging"), env("production")],
            services: vec![
                Service {
                    name: "checkout".into(),
                    team: "payments".into(),
                    repository: None,
                },
                Service {
                    name: "search".into(),
                    team: "discovery".into(),
                    repository: None,
                },
            ],
        }
    }

    fn deploy(
        id: &str,
        service: &str,
        env: &str,
        version: &str,
        start: i64,
        status: DeployStatus,
    ) -> Deployment {
        Deployment {
            id: id.into(),
            service: service.into(),
            environment: env.into(),
            version: version.into(),
            commit: format!("{version}-sha"),
            author: "alice".into(),
            description: String::new(),
            started_at: t(start),
            finished_at: (!status.is_in_flight()).then(|| t(start + 5)),
            status,
            stage: None,
            progress: None,
            history: vec![],
            url: None,
            source: "demo".into(),
        }
    }

    fn source(snapshot: SourceSnapshot) -> SourceState {
        let mut s = SourceState::new("demo", SourceKind::Demo, Duration::seconds(30));
        s.last_success = Some(t(60));
        s.snapshot = Some(snapshot);
        s
    }

    #[test]
    fn a_failed_deploy_sets_the_status_while_the_previous_version_keeps_running() {
        let snap = SourceSnapshot {
            deployments: vec![
                deploy(
                    "1",
                    "checkout",
                    "production",
                    "v1",
                    0,
                    DeployStatus::Succeeded,
                ),
                deploy(
                    "2",
                    "checkout",
                    "production",
                    "v2",
                    10,
                    DeployStatus::Failed,
                ),
                deploy(
                    "3",
                    "checkout",
                    "production",
                    "v3",
                    20,
                    DeployStatus::InProgress,
                ),
            ],
            ..Default::default()
        };
        let board = Board::build(&catalog(), &[source(snap)], t(60));
        let cell = &board.rows[0].cells[1];
        assert_eq!(cell.running.as_ref().unwrap().version, "v1");
        assert_eq!(cell.last.as_ref().unwrap().status, DeployStatus::Failed);
        assert_eq!(cell.in_flight.as_ref().unwrap().version, "v3");
        assert_eq!(board.in_flight.len(), 1);
        assert_eq!(board.recent[0].0.version, "v2", "newest first");
    }

    #[test]
    fn an_environment_lock_reaches_every_cell_of_that_environment_and_expired_locks_are_dropped() {
        let lock = |scope, until| Lock {
            scope,
            reason: "r".into(),
            by: "bob".into(),
            origin: LockOrigin::Manual,
            since: t(0),
            until,
        };
        let snap = SourceSnapshot {
            locks: vec![
                lock(
                    LockScope::Environment {
                        environment: "production".into(),
                    },
                    None,
                ),
                lock(
                    LockScope::Service {
                        environment: "staging".into(),
                        service: "search".into(),
                    },
                    Some(t(30)),
                ),
            ],
            ..Default::default()
        };
        let board = Board::build(&catalog(), &[source(snap.clone())], t(10));
        assert_eq!(board.rows[0].cells[1].locks.len(), 1);
        assert_eq!(board.rows[1].cells[1].locks.len(), 1);
        assert_eq!(board.rows[1].cells[0].locks.len(), 1);
        assert!(board.rows[0].cells[0].locks.is_empty());
        assert_eq!(board.locked_environments(), vec!["production"]);

        let later = Board::build(&catalog(), &[source(snap)], t(31));
        assert!(
            later.rows[1].cells[0].locks.is_empty(),
            "the timed lock lifted"
        );
    }

    #[test]
    fn data_from_a_failing_source_is_kept_and_marked_stale() {
        let snap = SourceSnapshot {
            deployments: vec![deploy(
                "1",
                "search",
                "staging",
                "v9",
                0,
                DeployStatus::Succeeded,
            )],
            impacts: [(
                "1".to_string(),
                Impact {
                    verdict: Verdict::Unhealthy,
                    metrics: vec![],
                },
            )]
            .into(),
            ..Default::default()
        };
        let mut failing = source(snap);
        failing.error = Some(SourceError {
            reason: "timeout".into(),
        });
        let board = Board::build(&catalog(), &[failing], t(61));
        let cell = &board.rows[1].cells[0];
        assert_eq!(cell.running.as_ref().unwrap().version, "v9");
        assert!(cell.stale);
        assert_eq!(board.unhealthy_count(), 1);
    }
}
