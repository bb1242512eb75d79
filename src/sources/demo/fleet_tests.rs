//! The simulation's promises: deterministic, lively, never two deploys in one cell, nothing
//! into a locked cell, drift, schedule locks, outages, and any size of catalog.
use std::collections::BTreeSet;

use chrono::TimeZone;

use super::*;
use crate::model::{Environment, LockOrigin, Service, Verdict};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap()
}

fn env(name: &str, ephemeral: bool) -> Environment {
    Environment {
        name: name.into(),
        protected: name == "production",
        ephemeral,
        follows: None,
    }
}

fn catalog_of(services: usize, envs: Vec<Environment>) -> Catalog {
    let names = [
        "checkout",
        "search",
        "payments",
        "inventory",
        "accounts",
        "notify",
        "pricing",
        "gateway",
    ];
    Catalog {
        environments: envs,
        services: (0..services)
            .map(|i| Service {
                name: match names.get(i) {
                    Some(n) => n.to_string(),
                    None => format!("service-{i}"),
                },
                team: "team".into(),
                repository: None,
            })
            .collect(),
        ..Catalog::default()
    }
}

fn catalog() -> Catalog {
    let envs = vec![
        env("dev-1", true),
        env("dev-2", true),
        env("staging", false),
        env("production", false),
    ];
    catalog_of(8, envs)
}

fn cell_of(d: &Deployment) -> (String, String) {
    (d.service.clone(), d.environment.clone())
}

#[test]
fn the_same_seed_and_now_give_the_same_snapshot_and_another_seed_another() {
    let a = DemoFleet::new(&catalog(), 42, "demo", t0()).snapshot();
    let b = DemoFleet::new(&catalog(), 42, "demo", t0()).snapshot();
    assert_eq!(a, b);
    assert_ne!(a, DemoFleet::new(&catalog(), 43, "demo", t0()).snapshot());
}

#[test]
fn advancing_in_many_small_calls_equals_one_big_call() {
    let mut small = DemoFleet::new(&catalog(), 7, "demo", t0());
    let mut big = small.clone();
    let mut now = t0();
    for i in 0..400 {
        now += Duration::milliseconds(337 + 100 * (i % 7));
        small.advance_to(now);
        small.advance_to(now - Duration::seconds(30)); // never goes backwards
    }
    big.advance_to(now);
    assert_eq!(small.now(), big.now());
    assert_eq!(small.snapshot(), big.snapshot());
}

#[test]
fn the_board_moves_within_thirty_seconds() {
    for seed in 0..20 {
        let mut fleet = DemoFleet::new(&catalog(), seed, "demo", t0());
        let first = fleet.snapshot();
        fleet.advance_to(t0() + Duration::seconds(30));
        assert_ne!(first, fleet.snapshot(), "seed {seed}");
    }
}

/// One simulated hour after the warmup, a snapshot every second, each handed to `see` with
/// its second (1 to 3600); the fleet at the end. (Not kept: each carries its evidence.)
fn hour(seed: u64, mut see: impl FnMut(i64, &SourceSnapshot)) -> DemoFleet {
    let mut fleet = DemoFleet::new(&catalog(), seed, "demo", t0());
    for s in 1..=3600 {
        fleet.advance_to(t0() + Duration::seconds(s));
        see(s, &fleet.snapshot());
    }
    fleet
}

#[test]
fn an_hour_has_every_outcome_every_verdict_and_deploys_in_flight() {
    let mut statuses = BTreeSet::new();
    let mut verdicts = BTreeSet::new();
    let mut in_flight = Vec::new();
    let fleet = hour(1, |_, snap| {
        statuses.extend(snap.deployments.iter().map(|d| d.status.label()));
        verdicts.extend(snap.impacts.iter().map(|r| r.impact.verdict));
        in_flight.push(
            snap.deployments
                .iter()
                .filter(|d| d.status.is_in_flight())
                .count(),
        );
    });
    for status in [
        "queued",
        "in progress",
        "succeeded",
        "failed",
        "rolled back",
    ] {
        assert!(
            statuses.contains(status),
            "{status} missing from {statuses:?}"
        );
    }
    for verdict in [
        Verdict::Pending,
        Verdict::Healthy,
        Verdict::Improved,
        Verdict::Ailing,
        Verdict::Unhealthy,
        Verdict::Inconclusive,
    ] {
        assert!(verdicts.contains(&verdict), "{verdict:?} missing");
    }
    let busy = in_flight.iter().filter(|&&n| (1..=3).contains(&n)).count();
    let mean = in_flight.iter().sum::<usize>() as f64 / in_flight.len() as f64;
    assert!(
        busy * 2 > in_flight.len(),
        "1 to 3 in flight most of the time: {mean}"
    );
    assert!(in_flight.iter().all(|&n| n <= 10));

    let last = fleet.snapshot();
    let rolled = last
        .deployments
        .iter()
        .filter(|d| d.status == DeployStatus::RolledBack);
    let mut checked = 0;
    for bad in rolled {
        let note = &bad.history.last().unwrap().note;
        let by = note.rsplit(' ').next().unwrap();
        let Some(fix) = last.deployments.iter().find(|d| d.id == by) else {
            continue;
        };
        assert_eq!(cell_of(fix), cell_of(bad));
        assert_eq!(fix.author, "auto-rollback");
        assert!(fix.started_at >= bad.finished_at.unwrap());
        assert!(
            fix.description
                .starts_with(&format!("Roll back {}", bad.id))
        );
        assert_ne!(fix.version, bad.version, "the version before returns");
        assert!(matches!(
            fix.status,
            DeployStatus::Succeeded | DeployStatus::Queued | DeployStatus::InProgress
        ));
        checked += 1;
    }
    assert!(checked > 0, "no rollback followed a rolled-back deployment");
}

#[test]
fn no_cell_has_two_deploys_in_flight_and_a_deploy_starts_into_a_lock_only_rarely() {
    let mut lagged = false;
    let mut locked_seconds = 0;
    let (mut starts, mut breaches) = (0, 0);
    // Three hours: a breach comes about once an hour. Every second of the first hour is
    // looked at, of the others each second a deploy starts (the analyses need no refining).
    let mut fleet = DemoFleet::new(&catalog(), 3, "demo", t0());
    for s in 1..=3 * 3600 {
        let now = t0() + Duration::seconds(s);
        fleet.simulate_to(now);
        let records = &fleet.records;
        let start =
            (fleet.flights.iter()).any(|f| records.get(&f.id).is_some_and(|d| d.started_at == now));
        if s > 3600 && !start {
            continue;
        }
        let snap = fleet.snapshot();
        let flying = snap.deployments.iter().filter(|d| d.status.is_in_flight());
        let cells: BTreeSet<_> = flying.clone().map(|d| cell_of(d)).collect();
        assert_eq!(cells.len(), flying.count());
        locked_seconds += usize::from(!snap.locks.is_empty());
        for d in snap.deployments.iter().filter(|d| d.started_at == now) {
            starts += 1;
            let lock = snap
                .locks
                .iter()
                .find(|l| l.scope.covers(&d.service, &d.environment));
            breaches += usize::from(lock.is_some());
        }
        lagged |= snap
            .drift
            .iter()
            .any(|d| d.environment == "production" && d.behind > 0);
    }
    assert!(lagged, "production never lagged staging");
    assert!(locked_seconds > 0);
    // The simulated breach, on purpose so the alarm can be seen: rare, but there.
    assert!(breaches >= 1, "no breach in three hours");
    assert!(
        breaches * 20 <= starts,
        "{breaches} breaches in {starts} deploys is not rare"
    );
}

#[test]
fn the_schedule_lock_opens_and_closes_and_reopens_in_the_future() {
    let mut fleet = DemoFleet::new(&catalog(), 9, "demo", t0());
    let (mut open, mut closed) = (0, 0);
    for s in 1..=36 * 60 {
        let now = t0() + Duration::seconds(s);
        fleet.advance_to(now);
        let snap = fleet.snapshot();
        let mut schedule = snap
            .locks
            .iter()
            .filter(|l| l.origin == LockOrigin::Schedule);
        match schedule.next() {
            Some(lock) => {
                closed += 1;
                assert_eq!(lock.scope.label(), "production");
                assert_eq!(lock.by, "schedule");
                assert!(lock.until.unwrap() > now && lock.since <= now);
                assert!(lock.reason.starts_with("change window closed"));
            }
            None => open += 1,
        }
        assert!(snap.locks.iter().all(|l| l.is_active(now)));
    }
    assert_eq!(closed, 3 * 240, "4 minutes closed in every 12");
    assert_eq!(open, 3 * 480);
}

#[test]
fn deployments_are_well_formed() {
    let snap = DemoFleet::new(&catalog(), 11, "ship-demo", t0()).snapshot();
    let hex40 = |s: &str| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let ids: BTreeSet<_> = snap.deployments.iter().map(|d| &d.id).collect();
    assert_eq!(ids.len(), snap.deployments.len(), "ids are unique");
    assert!(snap.deployments.iter().any(|d| d.version.starts_with('v')));
    assert!(snap.deployments.iter().any(|d| hex40(&d.version)));
    assert!(snap.deployments.iter().any(|d| d.version.len() == 7));
    for d in &snap.deployments {
        assert!(hex40(&d.commit), "{}", d.commit);
        assert_eq!(d.source, "ship-demo");
        assert_eq!(d.url, None);
        assert_eq!(d.finished_at.is_some(), !d.status.is_in_flight());
        assert_eq!(d.history.first().unwrap().status, DeployStatus::Queued);
        assert_eq!(d.history.last().unwrap().status, d.status);
    }
    for drift in &snap.drift {
        assert!(drift.commits.len() <= 20);
        assert_eq!(drift.commits.len(), (drift.behind as usize).min(20));
    }
    let cells = catalog().services.len() * 4;
    assert!(snap.deployments.len() <= 200 + 3 * cells);
    let finished = snap.deployments.iter().filter(|d| !d.status.is_in_flight());
    assert!(finished.count() >= 200);
}

#[test]
fn a_500_service_by_6_environment_fleet_has_every_cell_running_and_its_drift() {
    // How long it takes to build is the benchmarks' business (benches/impact.rs), not a test's.
    let mut envs = vec![env("dev-1", true), env("dev-2", true), env("dev-3", true)];
    envs.extend(["qa", "staging", "production"].map(|n| env(n, false)));
    let big = catalog_of(500, envs);
    let mut fleet = DemoFleet::new(&big, 1, "demo", t0());
    fleet.advance_to(t0() + Duration::seconds(60));
    let snap = fleet.snapshot();
    // Drift for the steady environments after the first: staging against qa, production
    // against staging; ephemeral environments and qa follow none.
    assert_eq!(snap.drift.len(), 500 * 2);
    let running: BTreeSet<_> = snap
        .deployments
        .iter()
        .filter(|d| d.status == DeployStatus::Succeeded)
        .map(|d| cell_of(d))
        .collect();
    assert_eq!(running.len(), 500 * 6, "every cell has a running version");
}

#[test]
fn odd_catalogs_work() {
    let mut follows_later = vec![env("a", false), env("b", false), env("c", false)];
    follows_later[0].follows = Some("c".into());
    follows_later[1].follows = Some("b".into());
    let catalogs = [
        catalog_of(1, vec![env("production", false)]),
        catalog_of(1, vec![env("dev", true)]),
        catalog_of(3, vec![env("dev-1", true), env("dev-2", true)]),
        catalog_of(2, follows_later),
        catalog_of(
            2,
            vec![env("staging", false), env("pr", true), env("prod", false)],
        ),
        catalog_of(0, vec![env("staging", false)]),
        catalog_of(2, Vec::new()),
    ];
    for catalog in &catalogs {
        let mut fleet = DemoFleet::new(catalog, 5, "demo", t0());
        fleet.advance_to(t0() + Duration::minutes(30));
        let snap = fleet.snapshot();
        let cells = catalog.services.len() * catalog.environments.len();
        assert!(snap.deployments.len() >= cells);
    }
}

#[test]
fn outages_come_now_and_then_only_when_enabled() {
    let quiet = DemoFleet::new(&catalog(), 3, "demo", t0());
    let noisy = quiet.clone().with_outages(true);
    let seconds = (0..3600).map(|s| t0() + Duration::seconds(s));
    let down: Vec<String> = seconds.clone().filter_map(|t| noisy.outage(t)).collect();
    assert!(seconds.clone().all(|t| quiet.outage(t).is_none()));
    assert!(
        (120..=360).contains(&down.len()),
        "{} s of outage",
        down.len()
    );
    assert!(down.iter().all(|r| r.starts_with("simulated outage: ")));
    let other = noisy.clone();
    assert_eq!(
        other.outage(t0() + Duration::seconds(17)),
        noisy.outage(t0() + Duration::seconds(17))
    );
}
