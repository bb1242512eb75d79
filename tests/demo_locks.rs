//! The demo's simulated deploy tool respects every lock in force, the lock store's included,
//! and the rare deploy that goes past one on purpose is flagged and audited as a breach.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use std::collections::BTreeSet;

use chrono::Duration;
use tokio::sync::watch;

use shiproom::model::{Lock, LockOrigin, LockScope};
use shiproom::msg::{Effect, Msg};
use shiproom::sources::demo::DemoSource;
use shiproom::state::{Mode, Model, Ui};
use shiproom::update::update;

/// Runs the demo for an hour after t0 with `locks` in force; the deploys into staging that
/// started in that hour, and those the board flagged or audited as breaches.
fn an_hour_of_staging(locks: Vec<Lock>) -> (BTreeSet<String>, BTreeSet<String>) {
    let config = shiproom::config::Config::demo().unwrap();
    let mut model = Model::new(&config, Mode::default(), common::t0());
    let mut ui = Ui::default();
    // The board reads the lock from the store; the demo gets it as a lock in force.
    update(
        &mut model,
        &mut ui,
        Msg::LocksReport {
            at: common::t0(),
            result: Ok(locks.clone()),
            history: vec![],
        },
    );
    let (_publish, in_force) = watch::channel(locks);
    let spec = config.spec_of("demo").unwrap();
    let mut demo = DemoSource::from_spec(&spec, common::t0())
        .expect("the demo source")
        .with_locks_in_force(in_force);
    let (mut started, mut breached) = (BTreeSet::new(), BTreeSet::new());
    for step in 1..=360 {
        let at = common::t0() + Duration::seconds(step * 10);
        let result = demo.poll(at);
        let outcome = update(
            &mut model,
            &mut ui,
            Msg::SourceReport {
                source: "demo".into(),
                at,
                result,
            },
        );
        for effect in outcome.effects {
            if let Effect::AuditBreach(entry) = effect {
                breached.insert(entry.reason);
            }
        }
        let deploys = model
            .board
            .in_flight
            .iter()
            .chain(model.board.recent.iter().map(|(d, _)| d));
        for d in deploys.filter(|d| d.environment == "staging" && d.started_at > common::t0()) {
            started.insert(d.id.clone());
        }
    }
    let breached = started
        .iter()
        .filter(|id| {
            breached
                .iter()
                .any(|r| r.contains(&format!("deploy demo/{id} ")))
        })
        .cloned()
        .collect();
    (started, breached)
}

#[test]
fn the_demo_respects_a_lock_from_the_store_and_flags_every_deploy_that_goes_past_it() {
    let (free, _) = an_hour_of_staging(vec![]);
    let lock = Lock {
        scope: LockScope::Environment {
            environment: "staging".into(),
        },
        reason: "db migration".into(),
        by: "alice".into(),
        origin: LockOrigin::Manual,
        since: common::t0(),
        until: None,
    };
    let (locked, breached) = an_hour_of_staging(vec![lock]);
    assert!(free.len() >= 10, "an open staging takes deploys: {free:?}");
    assert!(
        locked.len() * 4 <= free.len(),
        "a locked staging takes few: {} locked vs {} open",
        locked.len(),
        free.len()
    );
    assert_eq!(
        locked, breached,
        "every deploy into the locked staging is a breach, audited"
    );
}
