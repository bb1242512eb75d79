//! An impact belongs to its deployment whichever source made the analysis: joined by the
//! deployment's (source, id), or by (service, environment, commit) for a monitoring source that
//! never saw the deploy itself.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};

use shiproom::model::{
    Board, Catalog, DeployStatus, Deployment, DeploymentRef, Environment, Impact, ImpactReport,
    OtherLocks, Service, SourceKind, SourceSnapshot, SourceState, Verdict,
};

fn t(min: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap() + Duration::minutes(min)
}

fn deployment(id: &str, commit: &str, start: i64) -> Arc<Deployment> {
    Arc::new(Deployment {
        id: id.into(),
        service: "api".into(),
        environment: "production".into(),
        version: format!("v-{id}"),
        commit: commit.into(),
        author: "ann".into(),
        description: String::new(),
        started_at: t(start),
        finished_at: Some(t(start + 2)),
        status: DeployStatus::Succeeded,
        stage: None,
        progress: None,
        history: vec![],
        url: None,
        source: "gh".into(),
    })
}

fn source(name: &str, snapshot: SourceSnapshot) -> SourceState {
    let mut s = SourceState::new(name, SourceKind::Demo, Duration::seconds(30));
    s.last_success = Some(t(0));
    s.snapshot = Some(snapshot);
    s
}

fn judged(verdict: Verdict) -> Impact {
    Impact {
        verdict,
        metrics: vec![],
    }
}

#[test]
fn an_analysis_from_another_source_reaches_its_deployment_by_id_or_by_commit() {
    let catalog = Catalog {
        environments: vec![Environment {
            name: "production".into(),
            protected: true,
            ephemeral: false,
            follows: None,
        }],
        services: vec![Service {
            name: "api".into(),
            team: "t".into(),
            repository: None,
        }],
        ..Catalog::default()
    };
    let deploys = source(
        "gh",
        SourceSnapshot {
            deployments: vec![deployment("1", "aaa", -60), deployment("2", "bbb", -20)],
            ..SourceSnapshot::default()
        },
    );
    let monitoring = source(
        "prom",
        SourceSnapshot {
            impacts: vec![
                ImpactReport {
                    service: "api".into(),
                    environment: "production".into(),
                    deployment: DeploymentRef::Commit("bbb".into()),
                    impact: judged(Verdict::Unhealthy),
                },
                ImpactReport {
                    service: "api".into(),
                    environment: "production".into(),
                    deployment: DeploymentRef::Id {
                        source: "gh".into(),
                        id: "1".into(),
                    },
                    impact: judged(Verdict::Improved),
                },
            ],
            ..SourceSnapshot::default()
        },
    );
    let board = Board::build(
        &catalog,
        &[deploys, monitoring],
        OtherLocks::default(),
        t(0),
    );
    let cell = &board.rows[0].cells[0];
    assert_eq!(
        cell.impact.as_ref().unwrap().verdict,
        Verdict::Unhealthy,
        "by commit"
    );
    let verdicts: Vec<(String, Option<Verdict>)> = (board.recent.iter())
        .map(|(d, i)| (d.id.clone(), i.as_ref().map(|i| i.verdict)))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("2".to_string(), Some(Verdict::Unhealthy)),
            ("1".to_string(), Some(Verdict::Improved)),
        ],
        "by the deploy's own source and id"
    );
    assert_eq!(board.unhealthy_count(), 1);
}

#[test]
fn a_judging_source_that_fails_for_a_cell_leaves_its_verdict_marked_not_fresh_or_unknown() {
    let mut catalog = Catalog {
        environments: vec![Environment {
            name: "production".into(),
            protected: true,
            ephemeral: false,
            follows: None,
        }],
        services: vec![Service {
            name: "api".into(),
            team: "t".into(),
            repository: None,
        }],
        ..Catalog::default()
    };
    catalog
        .placements
        .insert(("api".into(), "production".into()), "gh".into());
    let deploys = source(
        "gh",
        SourceSnapshot {
            deployments: vec![deployment("1", "aaa", -60)],
            ..SourceSnapshot::default()
        },
    );
    let failing_target = |impacts: Vec<ImpactReport>| {
        source(
            "prom",
            SourceSnapshot {
                impacts,
                targets: vec![shiproom::model::TargetReport {
                    name: "api@production".into(),
                    cells: vec![("api".into(), "production".into())],
                    last_success: Some(t(-5)),
                    error: Some("503 from Prometheus: service unavailable".into()),
                }],
                ..SourceSnapshot::default()
            },
        )
    };
    let judged = ImpactReport {
        service: "api".into(),
        environment: "production".into(),
        deployment: DeploymentRef::Id {
            source: "gh".into(),
            id: "1".into(),
        },
        impact: judged(Verdict::Healthy),
    };
    let board = Board::build(
        &catalog,
        &[deploys.clone(), failing_target(vec![judged])],
        OtherLocks::default(),
        t(0),
    );
    let cell = &board.rows[0].cells[0];
    assert_eq!(
        cell.impact.as_ref().unwrap().verdict,
        Verdict::Healthy,
        "kept"
    );
    assert_eq!(
        cell.impact_trouble.as_deref(),
        Some("prom: 503 from Prometheus: service unavailable")
    );
    assert!(
        !cell.freshness.is_stale(),
        "the deploys themselves are fresh"
    );

    let board = Board::build(
        &catalog,
        &[deploys, failing_target(vec![])],
        OtherLocks::default(),
        t(0),
    );
    let cell = &board.rows[0].cells[0];
    assert!(
        cell.impact.is_none() && cell.impact_trouble.is_some(),
        "unknown, not 'no verdict'"
    );
    let glyphs = shiproom::theme::Glyphs::UNICODE;
    let text = shiproom::present::cell::text(cell, &glyphs, t(0), 10, 40);
    assert!(
        text.starts_with("✓ v-1 ?"),
        "the verdict reads unknown: {text}"
    );
}
