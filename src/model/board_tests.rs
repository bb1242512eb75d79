//! Board building: what goes in each cell, locks, staleness.
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
        ..Catalog::default()
    }
}

fn deploy(
    id: &str,
    service: &str,
    env: &str,
    version: &str,
    start: i64,
    status: DeployStatus,
) -> Arc<Deployment> {
    Arc::new(Deployment {
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
    })
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
    let board = Board::build(&catalog(), &[source(snap)], OtherLocks::default(), t(60));
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
    let board = Board::build(
        &catalog(),
        &[source(snap.clone())],
        OtherLocks::default(),
        t(10),
    );
    assert_eq!(board.rows[0].cells[1].locks.len(), 1);
    assert_eq!(board.rows[1].cells[1].locks.len(), 1);
    assert_eq!(board.rows[1].cells[0].locks.len(), 1);
    assert!(board.rows[0].cells[0].locks.is_empty());
    assert_eq!(board.locked_environments(), vec!["production"]);

    let later = Board::build(&catalog(), &[source(snap)], OtherLocks::default(), t(31));
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
        impacts: vec![crate::model::ImpactReport {
            service: "search".into(),
            environment: "staging".into(),
            deployment: crate::model::DeploymentRef::Id {
                source: "demo".into(),
                id: "1".into(),
            },
            impact: Impact {
                verdict: Verdict::Unhealthy,
                metrics: vec![],
            },
        }],
        ..Default::default()
    };
    let mut failing = source(snap);
    failing.error = Some(SourceError {
        reason: "timeout".into(),
    });
    let board = Board::build(&catalog(), &[failing], OtherLocks::default(), t(61));
    let cell = &board.rows[1].cells[0];
    assert_eq!(cell.running.as_ref().unwrap().version, "v9");
    assert!(cell.freshness.is_stale());
    assert_eq!(board.unhealthy_count(), 1);
}
