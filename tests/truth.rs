//! The board never lies: a source that fails, has not answered, or answers for only some of
//! its targets reads as unknown or stale with the reason — never as "nothing deployed" and
//! never as an all-clear — on the board, in `status` and `snapshot`, and in the JSON contract.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::{Command, Output};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;

use shiproom::model::{
    Board, Catalog, DeployStatus, Deployment, Environment, Freshness, OtherLocks, Service,
    SourceError, SourceKind, SourceSnapshot, SourceState, TargetReport,
};
use shiproom::sources::demo::DemoFleet;

const NOW: &str = "2026-11-24T09:00:00Z";

fn shiproom(args: &[&str], now: &str) -> Output {
    let home = std::env::temp_dir().join(format!("shiproom-truth-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_shiproom"))
        .args(args)
        .env("SHIPROOM_NOW", now)
        .env("XDG_STATE_HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("XDG_DATA_HOME", &home)
        .env("HOME", &home)
        .env("TZ", "UTC")
        .env_remove("GITHUB_TOKEN")
        .env_remove("SHIPROOM_CONFIG")
        .env_remove("NO_COLOR")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("shiproom runs")
}

/// The GitHub example with no token: every source fails before it reads anything.
const NO_NETWORK: [&str; 2] = ["--config", "config/github.example.yaml"];

#[test]
fn a_source_that_never_answered_makes_its_cells_unknown_in_the_json_and_status_exits_1() {
    let out = shiproom(&[NO_NETWORK[0], NO_NETWORK[1], "status", "--json"], NOW);
    assert_eq!(
        out.status.code(),
        Some(1),
        "status exits 1 while a source fails"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the JSON is still printed");
    let mut unknown = 0;
    for service in doc["services"].as_array().unwrap() {
        for (env, cell) in service["cells"].as_object().unwrap() {
            let what = format!("{}@{env}: {cell}", service["name"]);
            match cell["freshness"].as_str().unwrap() {
                "unknown" => {
                    unknown += 1;
                    assert_eq!(
                        cell["stale"], true,
                        "an unknown cell is never fresh: {what}"
                    );
                    assert_eq!(cell["unknown"], true, "{what}");
                    let reason = cell["stale_reason"].as_str().unwrap();
                    assert!(reason.contains("token"), "the reason says why: {what}");
                }
                "untracked" => assert_eq!(cell["stale"], false, "{what}"),
                other => panic!("a failing source's cell reads `{other}`: {what}"),
            }
        }
    }
    assert_eq!(unknown, 7, "every mapped cell is unknown");
    assert_eq!(doc["unknown_cells"], 7);
}

#[test]
fn status_text_and_snapshot_say_cells_are_unknown_instead_of_counting_zeros_as_facts() {
    let text = shiproom(&[NO_NETWORK[0], NO_NETWORK[1], "status"], NOW);
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("7 of 7 cells unknown"), "{text}");
    assert!(text.contains("2 of 2 sources failing"), "{text}");

    let snap = shiproom(
        &[
            NO_NETWORK[0],
            NO_NETWORK[1],
            "snapshot",
            "--width",
            "120",
            "--height",
            "24",
        ],
        NOW,
    );
    let screen = String::from_utf8(snap.stdout).unwrap();
    let header = screen.lines().next().unwrap();
    assert!(header.contains("7 of 7 cells unknown"), "{header}");
    assert!(header.contains("2 sources failing"), "{header}");
    assert!(
        header.contains("? in flight") && header.contains("? unhealthy"),
        "with every cell unknown no count is vouched for: {header}"
    );
    assert!(!header.contains("0 in flight"), "{header}");
    let checkout = screen.lines().find(|l| l.contains("checkout")).unwrap();
    assert!(checkout.contains("? unknown"), "{checkout}");
    assert!(
        !checkout.contains("none"),
        "unknown is not 'nothing deployed': {checkout}"
    );
}

/// A moment inside one of the demo's simulated outages (seed 7), found by asking the fleet.
fn demo_outage_moment() -> DateTime<Utc> {
    let catalog = Catalog::default();
    let start = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let fleet = DemoFleet::new(&catalog, 7, "demo", start).with_outages(true);
    (0..3_600)
        .map(|s| start + Duration::seconds(s))
        .find(|t| fleet.outage(*t).is_some())
        .expect("an outage within the hour")
}

#[test]
fn the_demo_during_its_simulated_outage_reads_as_unknown_in_status_and_snapshot() {
    let at = demo_outage_moment().to_rfc3339();
    let out = shiproom(&["--demo", "status", "--json"], &at);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["unknown_cells"], 60, "all 12 × 5 cells");
    assert_eq!(doc["sources"][0]["ok"], false);
    let snap = shiproom(
        &["--demo", "snapshot", "--width", "100", "--height", "24"],
        &at,
    );
    let screen = String::from_utf8(snap.stdout).unwrap();
    assert!(
        screen.contains("60 of 60 cells unknown: demo failing"),
        "{screen}"
    );
}

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap() + Duration::minutes(min)
}

fn catalog() -> Catalog {
    let env = |name: &str| Environment {
        name: name.into(),
        protected: false,
        ephemeral: false,
        follows: None,
    };
    let service = |name: &str| Service {
        name: name.into(),
        team: "t".into(),
        repository: Some(format!("acme/{name}")),
    };
    Catalog {
        environments: vec![env("staging"), env("production")],
        services: vec![service("api"), service("web"), service("jobs")],
        placements: [("api", "staging"), ("web", "staging"), ("jobs", "staging")]
            .into_iter()
            .map(|(s, e)| ((s.to_string(), e.to_string()), "gh".to_string()))
            .collect(),
    }
}

fn deployed(service: &str, version: &str) -> std::sync::Arc<Deployment> {
    std::sync::Arc::new(Deployment {
        id: format!("{service}-1"),
        service: service.into(),
        environment: "staging".into(),
        version: version.into(),
        commit: format!("{version}-sha"),
        author: "ann".into(),
        description: String::new(),
        started_at: t(-30),
        finished_at: Some(t(-29)),
        status: DeployStatus::Succeeded,
        stage: None,
        progress: None,
        history: vec![],
        url: None,
        source: "gh".into(),
    })
}

fn target(name: &str, last_success: Option<i64>, error: Option<&str>) -> TargetReport {
    TargetReport {
        name: format!("acme/{name}"),
        cells: vec![(name.to_string(), "staging".to_string())],
        last_success: last_success.map(t),
        error: error.map(str::to_string),
    }
}

#[test]
fn a_failing_target_costs_only_its_own_cells_stale_with_its_age_or_unknown_with_the_reason() {
    let mut source = SourceState::new("gh", SourceKind::Github, Duration::seconds(60));
    source.last_success = Some(t(0));
    source.snapshot = Some(SourceSnapshot {
        deployments: vec![deployed("api", "v1"), deployed("web", "v7")],
        targets: vec![
            target("api", Some(0), None),
            target("web", Some(-10), Some("500 server error on acme/web")),
            target("jobs", None, Some("404 not found: acme/jobs (renamed?)")),
        ],
        ..SourceSnapshot::default()
    });
    let board = Board::build(&catalog(), &[source], OtherLocks::default(), t(0));
    let staging = |row: usize| &board.rows[row].cells[0];
    assert_eq!(
        staging(0).freshness,
        Freshness::Fresh,
        "the healthy repository"
    );
    assert_eq!(
        staging(1).freshness,
        Freshness::Stale {
            as_of: Some(t(-10)),
            reason: "gh: 500 server error on acme/web".into()
        },
        "the failing one keeps its last good data, with its age"
    );
    assert_eq!(staging(1).running.as_ref().unwrap().version, "v7");
    assert_eq!(
        staging(2).freshness,
        Freshness::Unknown {
            reason: "gh: 404 not found: acme/jobs (renamed?)".into()
        },
        "never read: unknown, with the reason"
    );
    assert_eq!(board.rows[0].cells[1].freshness, Freshness::Untracked);
    assert_eq!(board.unknown_cells(), (1, 3));
}

#[test]
fn a_source_that_fails_after_answering_keeps_its_data_stale_and_one_never_answered_is_unknown() {
    let mut answered = SourceState::new("gh", SourceKind::Github, Duration::seconds(60));
    answered.last_success = Some(t(-5));
    answered.snapshot = Some(SourceSnapshot {
        deployments: vec![deployed("api", "v1")],
        ..SourceSnapshot::default()
    });
    answered.error = Some(SourceError {
        reason: "timeout after 10s".into(),
    });
    let board = Board::build(&catalog(), &[answered.clone()], OtherLocks::default(), t(0));
    assert!(matches!(
        &board.rows[0].cells[0].freshness,
        Freshness::Stale { as_of: Some(at), reason } if *at == t(-5) && reason.contains("timeout")
    ));

    let waiting = SourceState::new("gh", SourceKind::Github, Duration::seconds(60));
    let board = Board::build(&catalog(), &[waiting], OtherLocks::default(), t(0));
    assert_eq!(
        board.rows[0].cells[0].freshness,
        Freshness::Unknown {
            reason: "waiting for gh's first answer".into()
        }
    );
}
