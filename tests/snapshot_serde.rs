//! A source's snapshot can be written to disk and read back equal: a real GitHub snapshot
//! (deployments with their history, drift with its commits, CI, per-repository reports, one
//! failing) and a demo snapshot (locks of every scope, impacts with their figures), both
//! through JSON, and the board built from the read-back snapshot is the same board.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use shiproom::config::Config;
use shiproom::model::{LockScope, SourceSnapshot};
use shiproom::msg::Msg;
use shiproom::sources::demo::DemoSource;
use shiproom::state::{Mode, Model, Ui};
use shiproom::update::update;

use support::Reply;
use support::github::t0;
use support::harness::setup_repos;

/// Writes `snapshot` to a file as JSON and reads it back.
fn through_a_file(snapshot: &SourceSnapshot, name: &str) -> SourceSnapshot {
    let dir = std::env::temp_dir().join(format!("shiproom-snapshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(snapshot).unwrap()).unwrap();
    let back = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    back
}

#[tokio::test]
async fn a_github_snapshot_reads_back_equal_from_disk() {
    let mut s = setup_repos(&["acme/checkout", "acme/payments"], "").await;
    s.server.on_prefix(
        "/repos/acme/payments",
        Reply::raw(500, r#"{"message":"Server Error"}"#),
    );
    let outcome = s.cycle(0).await;
    let snapshot = outcome.result.expect("a reading").into_snapshot();
    assert!(!snapshot.deployments.is_empty());
    assert!(!snapshot.drift.is_empty(), "drift with its commits");
    assert!(snapshot.drift.iter().any(|d| !d.commits.is_empty()));
    assert!(!snapshot.checks.is_empty(), "CI of the commits that run");
    assert!(
        snapshot.targets.iter().any(|t| t.error.is_some()),
        "one failing"
    );
    assert!(
        snapshot.deployments.iter().any(|d| d.history.len() > 1),
        "deployments with their status history"
    );
    let back = through_a_file(&snapshot, "github");
    assert_eq!(back, snapshot);
}

#[test]
fn a_demo_snapshot_reads_back_equal_and_builds_the_same_board() {
    let config = Config::demo().unwrap();
    let spec = config.spec_of("demo").unwrap();
    let mut demo = DemoSource::from_spec(&spec, t0()).unwrap();
    // Far enough in for every kind of lock and verdict, outside a simulated outage.
    let at = (0..600)
        .map(|m| t0() + chrono::Duration::minutes(m))
        .find(|at| {
            demo.poll(*at).is_ok_and(|s| {
                let scopes = s
                    .locks
                    .iter()
                    .map(|l| matches!(l.scope, LockScope::Service { .. }));
                s.locks.len() >= 2 && scopes.clone().any(|x| x) && scopes.clone().any(|x| !x)
            })
        })
        .expect("a moment with environment and service locks");
    let snapshot = demo.poll(at).unwrap();
    assert!(!snapshot.impacts.is_empty());
    assert!(
        snapshot
            .impacts
            .iter()
            .any(|r| !r.impact.metrics.is_empty()),
        "impacts with their figures"
    );
    assert!(
        snapshot.deployments.iter().any(|d| d.progress.is_some()),
        "one in flight"
    );
    let back = through_a_file(&snapshot, "demo");
    assert_eq!(back, snapshot);

    let board = |snapshot: SourceSnapshot| {
        let mut model = Model::new(&config, Mode::default(), at);
        update(
            &mut model,
            &mut Ui::default(),
            Msg::SourceReport {
                source: "demo".into(),
                at,
                result: Ok(snapshot),
            },
        );
        model.board
    };
    assert_eq!(board(back), board(snapshot));
}

#[test]
fn a_snapshot_file_without_some_fields_reads_with_them_empty() {
    let old = r#"{"deployments": [], "locks": [{"scope": {"kind": "service", "environment": "production", "service": "checkout"},
        "reason": "incident", "by": "alice", "origin": "manual", "since": "2026-11-24T08:00:00Z", "until": null}]}"#;
    let snapshot: SourceSnapshot = serde_json::from_str(old).unwrap();
    assert_eq!(snapshot.locks.len(), 1);
    assert_eq!(snapshot.locks[0].scope.label(), "checkout@production");
    assert!(snapshot.drift.is_empty() && snapshot.targets.is_empty());
}
