//! The fleet's analyses: pending ten minutes, refined a sample at a time until an hour, then
//! final; judged no more often than its series grow; every verdict the engine's, from its
//! evidence; rollbacks after unhealthy first verdicts; baselines without unhealthy releases.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::impact::analysis::metric_verdict;
use crate::impact::judge::{self, Judgement};
use crate::model::{Catalog, DeployStatus, Environment, Impact, MetricVerdict, Service};
use crate::sources::demo::cells::Analysed;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap()
}

/// Eight services in two ephemeral environments, staging and production.
fn catalog() -> Catalog {
    let env = |name: &str, ephemeral| Environment {
        name: name.into(),
        protected: name == "production",
        ephemeral,
        follows: None,
    };
    Catalog {
        environments: vec![
            env("dev-1", true),
            env("dev-2", true),
            env("staging", false),
            env("production", false),
        ],
        services: (0..8)
            .map(|i| Service {
                name: format!("service-{i}"),
                team: "team".into(),
                repository: None,
            })
            .collect(),
        ..Catalog::default()
    }
}

fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

/// The judgement a metric's verdict stands for.
fn judgement(v: MetricVerdict) -> Judgement {
    let all = [
        Judgement::Worse { badly: true },
        Judgement::Worse { badly: false },
        Judgement::Better,
        Judgement::Pass,
        Judgement::Inconclusive,
        Judgement::NoData,
    ];
    all.into_iter().find(|j| metric_verdict(*j) == v).unwrap()
}

#[test]
fn a_deploy_is_pending_ten_minutes_then_refined_a_sample_at_a_time_until_the_next_deploy() {
    let mut fleet = DemoFleet::new(&catalog(), 4, "demo", t0());
    // Every impact reported, second by second, of the deploys that finish in the first ten
    // minutes, polled every second for 80 minutes (the hour after is one more minute).
    let mut seen: BTreeMap<u64, (Analysed, Vec<(i64, Impact)>)> = BTreeMap::new();
    for s in 1..=80 * 60 {
        fleet.advance_to(at(s));
        for (id, a) in &fleet.analysed {
            if a.finished > t0().timestamp() && a.finished <= at(600).timestamp() {
                let impact = fleet.impacts.get(id).cloned().unwrap();
                let (kept, reports) = seen.entry(*id).or_insert((a.clone(), Vec::new()));
                *kept = a.clone();
                reports.push((at(s).timestamp(), impact));
            }
        }
    }
    assert!(seen.len() >= 10, "{} deploys followed", seen.len());
    for (id, (a, reports)) in &seen {
        let first = a.finished + 600;
        for (t, impact) in reports {
            let pending = impact.verdict == Verdict::Pending;
            assert_eq!(pending, *t < first, "deploy {id} at {t}: {impact:?}");
            let no_data = impact.verdict == Verdict::NoData;
            assert_eq!(pending || no_data, impact.metrics.is_empty(), "{impact:?}");
        }
        let changes: Vec<i64> = (reports.windows(2))
            .filter(|w| w[0].1 != w[1].1)
            .map(|w| w[1].0)
            .collect();
        // Refined at most once a sample (a whole UTC minute entering the window: seen a
        // second later), and never once the next deploy started (or the hour is past).
        let minutes: BTreeSet<i64> = changes.iter().map(|t| (t - 1).div_euclid(60)).collect();
        assert_eq!(minutes.len(), changes.len(), "deploy {id}: {changes:?}");
        let end = a.cut.unwrap_or(i64::MAX).min(a.finished + 3_600);
        assert!(changes.iter().all(|t| *t <= end), "deploy {id} after {end}");
        assert!(
            a.last,
            "deploy {id}: final after its cell's next deploy or an hour"
        );
        let n = reports.last().unwrap().1.metrics.iter();
        let n: Vec<usize> = n.map(|m| m.evidence.as_ref().unwrap().n_after).collect();
        let grown = super::minutes_between(a.finished, end) as usize;
        assert!(
            n.iter().all(|n| *n <= grown && *n + 6 >= grown),
            "{n:?} of {grown}"
        );
    }
}

#[test]
fn the_engine_is_asked_only_when_an_after_window_has_grown_a_sample() {
    let fleet = DemoFleet::new(&catalog(), 6, "demo", t0());
    let mut again = fleet.clone();
    let before = again.judgements();
    again.advance_to(t0());
    assert_eq!(
        again.judgements(),
        before,
        "the same moment again judges nothing"
    );

    // Polled every second or once a minute, an hour costs the same judgements.
    let (mut every_second, mut every_minute) = (fleet.clone(), fleet);
    for s in 1..=3_600 {
        every_second.advance_to(at(s));
        if s % 60 == 0 {
            every_minute.advance_to(at(s));
        }
    }
    let (busy, calm) = (every_second.judgements(), every_minute.judgements());
    assert_eq!(every_second.snapshot(), every_minute.snapshot());
    assert!(
        busy <= calm + calm / 20,
        "{busy} judgements polled every second, {calm} every minute"
    );
    eprintln!("an hour of the demo: {busy} judgements polled every second");
}

#[test]
fn every_verdict_reported_is_the_engines_from_its_evidence() {
    let mut fleet = DemoFleet::new(&catalog(), 8, "demo", t0());
    let mut judged = 0;
    for m in (0..=60).step_by(15) {
        fleet.advance_to(at(60 * m));
        for report in fleet.snapshot().impacts {
            let impact = &report.impact;
            let json = serde_json::to_string(impact).unwrap();
            assert!(!json.contains("null"), "no NaN: {json}");
            if matches!(impact.verdict, Verdict::Pending | Verdict::NoData) {
                assert!(impact.metrics.is_empty(), "{impact:?}");
                continue;
            }
            judged += 1;
            let names: Vec<&str> = impact.metrics.iter().map(|m| m.name.as_str()).collect();
            assert_eq!(names, ["error ratio", "p95 latency"]);
            let mut judgements = Vec::new();
            for metric in &impact.metrics {
                let e = metric.evidence.as_ref().unwrap();
                assert!(e.ci_low <= e.change && e.change <= e.ci_high, "{e:?}");
                assert!(metric.before.is_finite() && metric.after.is_finite());
                assert_eq!(
                    (e.n_before, e.n_after),
                    (e.before_samples.len(), e.after_samples.len())
                );
                assert_eq!(e.confidence, 0.95);
                judgements.push((judgement(e.verdict), e.critical));
            }
            assert_eq!(
                judge::verdict(&judgements, false),
                impact.verdict,
                "{impact:?}"
            );
        }
    }
    assert!(judged > 50, "{judged} judged impacts");
}

#[test]
fn an_unhealthy_first_verdict_rolls_back_and_its_release_leaves_every_later_baseline() {
    let mut fleet = DemoFleet::new(&catalog(), 1, "demo", t0());
    let (mut rolled, mut hygienic) = (BTreeSet::new(), 0);
    for m in 1..=60 {
        fleet.advance_to(at(60 * m));
        let snapshot = fleet.snapshot();
        // A release rolled back after it ran was judged unhealthy: marked bad in its cell.
        for d in &snapshot.deployments {
            let ran = d
                .history
                .iter()
                .any(|c| c.status == DeployStatus::Succeeded);
            if d.status == DeployStatus::RolledBack && ran {
                let id: u64 = d.id.trim_start_matches("demo-").parse().unwrap();
                let a = &fleet.analysed[&id];
                let timeline = &fleet.cells[a.service][a.env].timeline;
                let stretches = timeline.bad_stretches(fleet.clock);
                assert!(
                    stretches.iter().any(|s| s.start.timestamp() == a.finished),
                    "{}",
                    d.id
                );
                rolled.insert(id);
            }
        }
        // No baseline holds a sample of a release judged unhealthy before its deploy.
        for report in &snapshot.impacts {
            let crate::model::DeploymentRef::Id { id, .. } = &report.deployment else {
                continue;
            };
            let id: u64 = id.trim_start_matches("demo-").parse().unwrap();
            let Some(a) = fleet.analysed.get(&id) else {
                continue;
            };
            let bad = fleet.cells[a.service][a.env]
                .timeline
                .bad_stretches(a.started);
            for metric in &report.impact.metrics {
                let e = metric.evidence.as_ref().unwrap();
                for (t, _) in &e.before_samples {
                    assert!(bad.iter().all(|s| !s.contains(*t)), "deploy {id} at {t}");
                }
                let reached = e
                    .before_samples
                    .first()
                    .map(|(t, _)| a.started - t.timestamp());
                hygienic += usize::from(!bad.is_empty() && reached > Some(1_800));
            }
        }
    }
    assert!(
        !rolled.is_empty(),
        "no rollback of an unhealthy release in an hour"
    );
    assert!(
        hygienic > 0,
        "no baseline reached back past an unhealthy release"
    );
}
