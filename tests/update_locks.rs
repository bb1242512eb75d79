//! Locking from the board, through the pure update: `L` opens the dialog, a reason is
//! required, the lock effect carries the right scope; `U` asks first (typing a protected
//! environment's name); wall and read-only modes refuse and record the refusal; an unreadable
//! store makes every lock unknown.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use common::{minutes, press, small_state, t0, type_text};
use crossterm::event::KeyCode;
use shiproom::locks::StoreError;
use shiproom::model::{Lock, LockOrigin, LockScope};
use shiproom::msg::{Effect, Msg};
use shiproom::state::{LockField, Mode, Model, Overlay, Panel, Ui};
use shiproom::update::update;

fn manual(scope: LockScope, by: &str) -> Lock {
    Lock {
        scope,
        reason: "db migration".into(),
        by: by.into(),
        origin: LockOrigin::Manual,
        since: t0(),
        until: None,
    }
}

fn store_reports(model: &mut Model, ui: &mut Ui, locks: Vec<Lock>) {
    update(
        model,
        ui,
        Msg::LocksReport {
            at: t0(),
            result: Ok(locks),
            history: vec![],
        },
    );
}

#[test]
fn l_opens_the_dialog_on_the_selected_cell_and_enter_locks_that_service() {
    let (mut model, mut ui) = small_state(Mode::default());
    model.settings.identity = "alice".into();
    press(&mut model, &mut ui, KeyCode::Char('j')); // search
    press(&mut model, &mut ui, KeyCode::Char('l')); // staging
    press(&mut model, &mut ui, KeyCode::Char('L'));
    let Some(Overlay::Lock(form)) = &ui.overlay else {
        panic!("no lock dialog: {:?}", ui.overlay)
    };
    assert_eq!(
        (form.environment.as_str(), form.service.as_deref()),
        ("staging", Some("search"))
    );
    assert_eq!(form.field, LockField::Reason, "the reason has the keyboard");

    type_text(&mut model, &mut ui, "flaky tests, see #42");
    press(&mut model, &mut ui, KeyCode::Tab);
    type_text(&mut model, &mut ui, "2h");
    let outcome = press(&mut model, &mut ui, KeyCode::Enter);
    let [Effect::AcquireLock(lock)] = outcome.effects.as_slice() else {
        panic!("{:?}", outcome.effects)
    };
    assert_eq!(
        lock.scope,
        LockScope::Service {
            environment: "staging".into(),
            service: "search".into()
        }
    );
    assert_eq!(lock.reason, "flaky tests, see #42");
    assert_eq!(
        (lock.by.as_str(), lock.origin),
        ("alice", LockOrigin::Manual)
    );
    assert_eq!(lock.until, Some(minutes(120)));
    assert_eq!(ui.overlay, None);
}

#[test]
fn the_scope_can_be_widened_to_the_whole_environment() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('L'));
    press(&mut model, &mut ui, KeyCode::BackTab); // to the scope field
    press(&mut model, &mut ui, KeyCode::Right);
    press(&mut model, &mut ui, KeyCode::Tab); // back to the reason
    type_text(&mut model, &mut ui, "release freeze");
    let outcome = press(&mut model, &mut ui, KeyCode::Enter);
    let [Effect::AcquireLock(lock)] = outcome.effects.as_slice() else {
        panic!("{:?}", outcome.effects)
    };
    assert_eq!(
        lock.scope,
        LockScope::Environment {
            environment: "dev".into()
        }
    );
    assert_eq!(lock.until, None, "no duration: until lifted");
}

#[test]
fn a_lock_without_a_reason_or_with_a_bad_duration_is_refused_in_the_dialog() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('L'));
    type_text(&mut model, &mut ui, "   ");
    let outcome = press(&mut model, &mut ui, KeyCode::Enter);
    assert!(outcome.effects.is_empty());
    let Some(Overlay::Lock(form)) = &ui.overlay else {
        panic!()
    };
    assert!(
        form.error
            .as_deref()
            .is_some_and(|e| e.contains("a reason is required")),
        "{form:?}"
    );

    type_text(&mut model, &mut ui, "why");
    press(&mut model, &mut ui, KeyCode::Tab);
    type_text(&mut model, &mut ui, "soon");
    assert!(
        press(&mut model, &mut ui, KeyCode::Enter)
            .effects
            .is_empty()
    );
    let Some(Overlay::Lock(form)) = &ui.overlay else {
        panic!()
    };
    assert!(
        form.error
            .as_deref()
            .is_some_and(|e| e.contains("is not a duration")),
        "{form:?}"
    );
    assert_eq!(form.field, LockField::Duration);
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.overlay, None, "esc cancels, nothing locked");
}

#[test]
fn keys_bound_to_actions_are_text_inside_the_dialog() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('L'));
    let outcome = press(&mut model, &mut ui, KeyCode::Char('q'));
    assert!(outcome.effects.is_empty(), "q types a q, it does not quit");
    let Some(Overlay::Lock(form)) = &ui.overlay else {
        panic!()
    };
    assert_eq!(form.reason, "q");
}

#[test]
fn u_lifts_my_own_lock_after_enter() {
    let (mut model, mut ui) = small_state(Mode::default());
    model.settings.identity = "alice".into();
    let scope = LockScope::Service {
        environment: "dev".into(),
        service: "checkout".into(),
    };
    store_reports(&mut model, &mut ui, vec![manual(scope.clone(), "alice")]);
    press(&mut model, &mut ui, KeyCode::Char('U'));
    let Some(Overlay::Unlock(form)) = &ui.overlay else {
        panic!("{:?}", ui.overlay)
    };
    assert!(
        !form.force && !form.confirm_by_typing,
        "dev is not protected and the lock is mine"
    );
    let outcome = press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(
        outcome.effects,
        vec![Effect::ReleaseLock {
            scope,
            force: false
        }]
    );
}

#[test]
fn unlocking_a_protected_environment_or_another_operators_lock_asks_for_the_name() {
    let (mut model, mut ui) = small_state(Mode::default());
    model.settings.identity = "alice".into();
    let scope = LockScope::Service {
        environment: "production".into(),
        service: "checkout".into(),
    };
    store_reports(&mut model, &mut ui, vec![manual(scope.clone(), "bob")]);
    press(&mut model, &mut ui, KeyCode::Char('l'));
    press(&mut model, &mut ui, KeyCode::Char('l'));
    press(&mut model, &mut ui, KeyCode::Char('U'));
    let Some(Overlay::Unlock(form)) = &ui.overlay else {
        panic!("{:?}", ui.overlay)
    };
    assert!(form.force && form.confirm_by_typing);
    assert_eq!(
        form.lock.by, "bob",
        "the service lock is chosen before the schedule's environment lock"
    );
    assert!(
        press(&mut model, &mut ui, KeyCode::Enter)
            .effects
            .is_empty(),
        "not without typing"
    );
    type_text(&mut model, &mut ui, "production");
    let outcome = press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(
        outcome.effects,
        vec![Effect::ReleaseLock { scope, force: true }]
    );
}

#[test]
fn u_on_a_schedule_lock_explains_why_it_cannot_be_lifted() {
    let (mut model, mut ui) = small_state(Mode::default());
    ui.focus = Panel::Locks; // the first lock is the schedule's lock on production
    press(&mut model, &mut ui, KeyCode::Char('U'));
    assert_eq!(ui.overlay, None);
    let (notice, _) = ui.notice.clone().unwrap();
    assert!(
        notice.contains("locked by schedule") && notice.contains("cannot be lifted here"),
        "{notice}"
    );
}

#[test]
fn wall_and_read_only_modes_refuse_locking_and_record_it() {
    for mode in [
        Mode {
            wall: true,
            read_only: true,
            demo: false,
        },
        Mode {
            read_only: true,
            ..Mode::default()
        },
    ] {
        let (mut model, mut ui) = small_state(mode);
        for key in ['L', 'U'] {
            let outcome = press(&mut model, &mut ui, KeyCode::Char(key));
            assert_eq!(ui.overlay, None, "{mode:?}");
            let [Effect::AuditRefused(entry)] = outcome.effects.as_slice() else {
                panic!("{:?}", outcome.effects)
            };
            assert!(entry.result.starts_with("refused: "), "{entry:?}");
            assert!(ui.notice_error, "the refusal is shown as an error");
        }
    }
}

#[test]
fn an_unreadable_store_makes_every_lock_unknown_never_open() {
    let (mut model, mut ui) = small_state(Mode::default());
    let outcome = update(
        &mut model,
        &mut ui,
        Msg::LocksReport {
            at: t0(),
            result: Err(StoreError::new("etcd at http://127.0.0.1:2379 unreachable")),
            history: vec![],
        },
    );
    assert!(outcome.redraw);
    assert!(
        model
            .board
            .locks_unknown
            .as_deref()
            .is_some_and(|w| w.contains("unreachable"))
    );
    assert!(
        model
            .board
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .all(|c| c.locks_unknown)
    );
    store_reports(&mut model, &mut ui, vec![]);
    assert!(
        model.board.locks_unknown.is_none(),
        "known again once the store answers"
    );
}

#[test]
fn a_lock_taken_elsewhere_appears_on_the_board_with_the_next_store_read() {
    let (mut model, mut ui) = small_state(Mode::default());
    let scope = LockScope::Environment {
        environment: "staging".into(),
    };
    let outcome = update(
        &mut model,
        &mut ui,
        Msg::LocksReport {
            at: t0(),
            result: Ok(vec![manual(scope, "carol")]),
            history: vec![],
        },
    );
    assert!(outcome.redraw);
    assert!(
        model
            .board
            .rows
            .iter()
            .all(|r| r.cells[1].locks.iter().any(|l| l.by == "carol"))
    );
    let again = update(
        &mut model,
        &mut ui,
        Msg::LocksReport {
            at: t0(),
            result: Ok(vec![manual(
                LockScope::Environment {
                    environment: "staging".into(),
                },
                "carol",
            )]),
            history: vec![],
        },
    );
    assert!(!again.redraw, "the same read changes nothing");
}

#[test]
fn a_finished_lock_action_is_announced_and_the_store_read_again() {
    let (mut model, mut ui) = small_state(Mode::default());
    let outcome = update(
        &mut model,
        &mut ui,
        Msg::LockActionDone {
            message: "staging is already locked by bob".into(),
            ok: false,
        },
    );
    assert_eq!(outcome.effects, vec![Effect::RefreshLocks]);
    assert!(ui.notice_error);
}

#[test]
fn a_manual_lock_reported_by_a_source_is_not_offered_for_unlocking() {
    // The hand-made fleet's source reports bob's lock on search@staging itself (as the demo's
    // simulated operators do): it is not in the lock store, so U explains instead of asking.
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('j'));
    press(&mut model, &mut ui, KeyCode::Char('l'));
    press(&mut model, &mut ui, KeyCode::Char('U'));
    assert_eq!(ui.overlay, None);
    let (notice, _) = ui.notice.clone().unwrap();
    assert!(
        notice.contains("locked by bob") && notice.contains("not in shiproom's lock store"),
        "{notice}"
    );
}
