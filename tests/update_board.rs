//! What the operator chose stays chosen: selections follow their item (by id) when new data
//! moves the lists, and a deploy that starts into a locked cell is flagged as a breach once.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use crossterm::event::KeyCode;

use common::{deploy, minutes, press, small_snapshot, small_state};
use shiproom::model::{DeployStatus, Lock, LockOrigin, LockScope};
use shiproom::msg::{Effect, Msg};
use shiproom::state::{Mode, Panel};
use shiproom::update::update;

fn report(
    model: &mut shiproom::state::Model,
    ui: &mut shiproom::state::Ui,
    snapshot: shiproom::model::SourceSnapshot,
    at: i64,
) -> shiproom::update::Outcome {
    update(
        model,
        ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: minutes(at),
            result: Ok(snapshot),
        },
    )
}

#[test]
fn the_recent_selection_stays_on_its_deploy_when_newer_deploys_arrive() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Tab);
    press(&mut model, &mut ui, KeyCode::Tab);
    assert_eq!(ui.focus, Panel::Recent);
    press(&mut model, &mut ui, KeyCode::Down);
    let chosen = model.board.recent[ui.recent_selected].0.id.clone();

    let mut newer = small_snapshot();
    for (i, minute) in [1, 2, 3].into_iter().enumerate() {
        newer.deployments.push(deploy(
            &format!("new-{i}"),
            "search",
            "staging",
            &format!("v9.{i}"),
            minute,
            DeployStatus::Succeeded,
        ));
    }
    report(&mut model, &mut ui, newer, 8);
    assert_eq!(
        model.board.recent[ui.recent_selected].0.id, chosen,
        "enter or U still act on the deploy that was chosen"
    );
    assert!(ui.recent_selected >= 3, "it moved down with its deploy");
}

#[test]
fn the_in_flight_selection_stays_on_its_deploy_when_an_older_one_appears() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Tab);
    assert_eq!(ui.focus, Panel::InFlight);
    let chosen = model.board.in_flight[ui.in_flight_selected].id.clone();
    let mut more = small_snapshot();
    more.deployments.push(deploy(
        "older",
        "search",
        "production",
        "v0.9",
        -300,
        DeployStatus::InProgress,
    ));
    report(&mut model, &mut ui, more, 1);
    assert_eq!(model.board.in_flight[ui.in_flight_selected].id, chosen);
}

#[test]
fn a_deploy_started_while_its_cell_was_locked_is_a_breach_flagged_and_audited_once() {
    let (mut model, mut ui) = small_state(Mode::default());
    let mut locked = small_snapshot();
    locked.locks.push(Lock {
        scope: LockScope::Service {
            environment: "dev".into(),
            service: "search".into(),
        },
        reason: "db migration".into(),
        by: "carol".into(),
        origin: LockOrigin::Provider,
        since: minutes(-200),
        until: None,
    });
    locked.deployments.push(deploy(
        "sneaky",
        "search",
        "dev",
        "v3.0",
        -2,
        DeployStatus::InProgress,
    ));
    let outcome = report(&mut model, &mut ui, locked.clone(), 1);
    let audits: Vec<_> = (outcome.effects.iter())
        .filter_map(|e| match e {
            Effect::AuditBreach(entry) => Some(entry.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(audits.len(), 1, "{:?}", outcome.effects);
    assert!(
        audits[0].reason.contains("deploy fleet/sneaky"),
        "{:?}",
        audits[0]
    );
    assert!(audits[0].reason.contains("db migration"), "{:?}", audits[0]);
    assert_eq!(audits[0].scope, "search@dev");
    assert_eq!(model.board.breaches.len(), 1);
    let row = model
        .board
        .rows
        .iter()
        .position(|r| r.service.name == "search")
        .unwrap();
    let dev = model
        .board
        .environments
        .iter()
        .position(|e| e.name == "dev")
        .unwrap();
    assert!(model.board.rows[row].cells[dev].breach.is_some());

    // The same data again, and the lock lifted: still flagged, not audited twice.
    locked.locks.pop();
    let again = report(&mut model, &mut ui, locked, 2);
    assert!(
        !again
            .effects
            .iter()
            .any(|e| matches!(e, Effect::AuditBreach(_))),
        "one audit line per breach"
    );
    assert_eq!(
        model.board.breaches.len(),
        1,
        "still a breach after the lock lifted"
    );
}
