//! A deploy a GitHub source reports that started while its cell was locked is a lock breach:
//! flagged on the cell and in the in-flight list, counted in the header, in `status --json`,
//! and written to the audit log once — whichever source reported it.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use chrono::TimeZone;

use shiproom::model::{Lock, LockOrigin, LockScope};
use shiproom::msg::{Effect, Msg};
use shiproom::update::update;

use support::harness::*;

#[tokio::test]
async fn a_github_deploy_started_into_a_locked_environment_is_a_breach_everywhere_it_shows() {
    let mut s = setup().await;
    // Production was locked at 08:50; GitHub's deployment 32 started there at 08:55.
    let lock = Lock {
        scope: LockScope::Environment {
            environment: "production".into(),
        },
        reason: "incident 4711: payments down".into(),
        by: "alice".into(),
        origin: LockOrigin::Manual,
        since: chrono::Utc
            .with_ymd_and_hms(2026, 11, 24, 8, 50, 0)
            .unwrap(),
        until: None,
    };
    update(
        &mut s.model,
        &mut s.ui,
        Msg::LocksReport {
            at: support::github::t0(),
            result: Ok(vec![lock]),
            history: vec![],
        },
    );
    let outcome = s.runner.poll(support::github::t0()).await;
    let effects = update(
        &mut s.model,
        &mut s.ui,
        Msg::SourceReport {
            source: "github".into(),
            at: support::github::t0(),
            result: outcome
                .result
                .map(shiproom::sources::Reading::into_snapshot),
        },
    )
    .effects;
    let audits: Vec<_> = (effects.iter())
        .filter_map(|e| match e {
            Effect::AuditBreach(entry) => Some(entry.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(audits.len(), 1, "{effects:?}");
    assert!(
        audits[0].reason.contains("deploy github/acme/checkout#32 "),
        "{:?}",
        audits[0]
    );
    assert!(
        audits[0].reason.contains("incident 4711"),
        "{:?}",
        audits[0]
    );

    let production = s.cell("production");
    assert_eq!(production.breach.as_ref().unwrap().by, "alice");
    assert_eq!(s.model.board.breaches.len(), 1);
    let doc = s.status_json();
    assert_eq!(doc["lock_breaches"], 1);
    let cell = &doc["services"][0]["cells"]["production"];
    assert_eq!(
        cell["lock_breach"]["reason"],
        "incident 4711: payments down"
    );
    let deploy = (doc["deploys"].as_array().unwrap().iter())
        .find(|d| d["id"] == "acme/checkout#32")
        .unwrap();
    assert_eq!(deploy["lock_breach"]["by"], "alice");
}
