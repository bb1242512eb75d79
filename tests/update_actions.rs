//! Actions asked of a source, as update sees them: asked, the model keeps them pending and
//! one typed effect carries the action with a fresh id; the answer with that id marks it
//! done or failed and says so in the status bar; an answer to nothing asked changes nothing;
//! a read-only board or the wall display asks nothing.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use common::{small_state, t0};
use shiproom::model::{ActionError, ActionId, ActionState, SourceAction};
use shiproom::msg::{Effect, Msg};
use shiproom::state::Mode;
use shiproom::update::{actions, update};

fn promote() -> SourceAction {
    SourceAction::Promote {
        service: "checkout".into(),
        environment: "production".into(),
        version: None,
    }
}

#[test]
fn an_action_is_pending_with_its_id_until_its_answer_marks_it_done_and_says_so() {
    let (mut model, mut ui) = small_state(Mode::default());
    let out = actions::ask(&mut model, &mut ui, "fleet".into(), promote());
    let [Effect::Act { source, id, action }] = out.effects.as_slice() else {
        panic!("one typed effect: {:?}", out.effects);
    };
    assert_eq!((source.as_str(), action), ("fleet", &promote()));
    let id = *id;
    assert_eq!(model.actions.get(id).unwrap().state, ActionState::Pending);
    assert_eq!(model.actions.get(id).unwrap().asked_at, t0());
    assert_eq!(
        ui.notice.as_ref().unwrap().0,
        "asked fleet to promote checkout in production"
    );

    let second = actions::ask(&mut model, &mut ui, "fleet".into(), promote());
    let [Effect::Act { id: other, .. }] = second.effects.as_slice() else {
        panic!("{:?}", second.effects);
    };
    assert_ne!(*other, id, "each action its own id");

    let out = update(
        &mut model,
        &mut ui,
        Msg::ActionDone {
            id,
            source: "fleet".into(),
            result: Ok("queued demo-42".into()),
        },
    );
    assert!(out.redraw);
    assert_eq!(
        model.actions.get(id).unwrap().state,
        ActionState::Done("queued demo-42".into())
    );
    assert_eq!(
        ui.notice.as_ref().unwrap().0,
        "fleet: promote checkout in production: queued demo-42"
    );
    assert!(!ui.notice_error);
    assert_eq!(model.actions.pending().count(), 1, "the second still waits");
}

#[test]
fn a_failed_action_is_marked_failed_and_said_as_an_error() {
    let (mut model, mut ui) = small_state(Mode::default());
    let out = actions::ask(&mut model, &mut ui, "fleet".into(), promote());
    let [Effect::Act { id, .. }] = out.effects.as_slice() else {
        panic!("{:?}", out.effects);
    };
    let error = ActionError::Refused("checkout in production is locked".into());
    update(
        &mut model,
        &mut ui,
        Msg::ActionDone {
            id: *id,
            source: "fleet".into(),
            result: Err(error.clone()),
        },
    );
    assert_eq!(
        model.actions.get(*id).unwrap().state,
        ActionState::Failed(error)
    );
    assert!(ui.notice_error);
    assert_eq!(
        ui.notice.as_ref().unwrap().0,
        "fleet: promote checkout in production: refused: checkout in production is locked"
    );
}

#[test]
fn an_answer_to_no_action_asked_changes_nothing() {
    let (mut model, mut ui) = small_state(Mode::default());
    let before = (model.actions.clone(), ui.clone());
    let out = update(
        &mut model,
        &mut ui,
        Msg::ActionDone {
            id: ActionId(99),
            source: "fleet".into(),
            result: Ok("done".into()),
        },
    );
    assert!(!out.redraw && out.effects.is_empty());
    assert_eq!((model.actions.clone(), ui.clone()), before);
}

#[test]
fn a_read_only_board_and_the_wall_ask_nothing_and_say_why() {
    for mode in [
        Mode {
            read_only: true,
            ..Mode::default()
        },
        Mode {
            wall: true,
            ..Mode::default()
        },
    ] {
        let (mut model, mut ui) = small_state(mode);
        let out = actions::ask(&mut model, &mut ui, "fleet".into(), promote());
        assert!(out.effects.is_empty(), "{mode:?}");
        assert_eq!(model.actions.pending().count(), 0);
        assert!(ui.notice_error);
        assert!(
            ui.notice.as_ref().unwrap().0.contains("read-only"),
            "{:?}",
            ui.notice
        );
    }
}
