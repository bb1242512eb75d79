//! Keys as k9s and lazygit users expect them: esc back to the board, q closing overlays, 1–4
//! to focus panels, n/N to the cells that need attention, o and y on the selection, r saying
//! when the poll is done, / filtering the panels too, and a wall display paging its board.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use std::sync::Arc;

use crossterm::event::KeyCode;

use common::{minutes, press, small_snapshot, small_state, type_text};
use shiproom::msg::{Effect, Msg};
use shiproom::state::{Mode, Overlay, Panel};
use shiproom::update::update;

#[test]
fn esc_returns_focus_from_a_panel_to_the_board() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('3'));
    assert_eq!(ui.focus, Panel::Recent);
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.focus, Panel::Board);
}

#[test]
fn keys_one_to_four_focus_the_board_and_the_panels() {
    let (mut model, mut ui) = small_state(Mode::default());
    for (key, panel) in [
        ('2', Panel::InFlight),
        ('4', Panel::Locks),
        ('3', Panel::Recent),
        ('1', Panel::Board),
    ] {
        press(&mut model, &mut ui, KeyCode::Char(key));
        assert_eq!(ui.focus, panel, "key {key}");
    }
}

#[test]
fn q_inside_the_help_or_a_detail_closes_it_and_does_not_quit() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('?'));
    let out = press(&mut model, &mut ui, KeyCode::Char('q'));
    assert_eq!(ui.overlay, None);
    assert!(!out.effects.contains(&Effect::Quit));
    press(&mut model, &mut ui, KeyCode::Enter);
    assert!(matches!(ui.overlay, Some(Overlay::Detail(_))));
    let out = press(&mut model, &mut ui, KeyCode::Char('q'));
    assert_eq!(ui.overlay, None);
    assert!(!out.effects.contains(&Effect::Quit));
    let out = press(&mut model, &mut ui, KeyCode::Char('q'));
    assert!(out.effects.contains(&Effect::Quit), "q on the board quits");
}

#[test]
fn n_and_shift_n_jump_to_the_cells_that_need_attention_and_wrap() {
    let (mut model, mut ui) = small_state(Mode::default());
    let mut seen = Vec::new();
    for _ in 0..6 {
        press(&mut model, &mut ui, KeyCode::Char('n'));
        let service = &model.board.rows[ui.row].service.name;
        let env = &model.board.environments[ui.column].name;
        seen.push(format!("{service}@{env}"));
    }
    // The small fleet: checkout's production deploy is unhealthy, staging's failed.
    assert!(
        seen.contains(&"checkout@production".to_string()),
        "{seen:?}"
    );
    assert!(seen.contains(&"checkout@staging".to_string()), "{seen:?}");
    let first = seen[0].clone();
    press(&mut model, &mut ui, KeyCode::Char('N'));
    press(&mut model, &mut ui, KeyCode::Char('n'));
    let back = format!(
        "{}@{}",
        model.board.rows[ui.row].service.name, model.board.environments[ui.column].name
    );
    assert_eq!(back, seen[5], "N then n comes back");
    assert!(
        seen.iter().filter(|s| **s == first).count() >= 2,
        "wraps around: {seen:?}"
    );
}

#[test]
fn o_opens_the_selected_deploys_page_and_y_copies_its_full_sha() {
    let (mut model, mut ui) = small_state(Mode::default());
    let mut snapshot = small_snapshot();
    for d in &mut snapshot.deployments {
        let d = Arc::make_mut(d);
        d.url = Some(format!("https://ci.example.com/deploys/{}", d.id));
    }
    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: minutes(1),
            result: Ok(snapshot),
        },
    );
    press(&mut model, &mut ui, KeyCode::Char('2'));
    let d = model.board.in_flight[0].clone();
    let out = press(&mut model, &mut ui, KeyCode::Char('o'));
    assert_eq!(
        out.effects,
        [Effect::OpenUrl(format!(
            "https://ci.example.com/deploys/{}",
            d.id
        ))]
    );
    let out = press(&mut model, &mut ui, KeyCode::Char('y'));
    assert_eq!(out.effects, [Effect::Copy(d.commit.clone())]);
    assert_eq!(d.commit.len(), 40, "the full sha, not the short one");
}

#[test]
fn r_says_what_it_polls_and_then_that_the_poll_finished() {
    let (mut model, mut ui) = small_state(Mode::default());
    let out = press(&mut model, &mut ui, KeyCode::Char('r'));
    assert!(out.effects.contains(&Effect::RefreshSources));
    assert_eq!(ui.notice.as_ref().unwrap().0, "polling 1 source now");
    let out = update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: minutes(1),
            result: Ok(small_snapshot()),
        },
    );
    assert!(
        out.redraw,
        "the notice changed even though the data did not"
    );
    assert_eq!(
        ui.notice.as_ref().unwrap().0,
        "poll finished: every source answered"
    );
}

#[test]
fn r_says_which_source_cannot_poll_now_because_it_waits_for_its_rate_limit() {
    let (mut model, mut ui) = small_state(Mode::default());
    let in_four_minutes = model.now + chrono::Duration::minutes(4);
    update(
        &mut model,
        &mut ui,
        Msg::SourceNextPoll {
            source: "fleet".into(),
            at: in_four_minutes,
            paced: true,
        },
    );
    press(&mut model, &mut ui, KeyCode::Char('r'));
    let notice = &ui.notice.as_ref().unwrap().0;
    assert!(
        notice
            .starts_with("cannot poll now: fleet waits for its API's rate limit (next poll in 4m"),
        "{notice}"
    );
}

#[test]
fn the_filter_narrows_the_panels_too_and_selections_follow_it() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('/'));
    type_text(&mut model, &mut ui, "ledger");
    press(&mut model, &mut ui, KeyCode::Enter);
    let entries = |panel| {
        shiproom::present::rows::visible_entries(
            &model.board,
            &model.manual_locks.history,
            &ui,
            panel,
        )
    };
    let recent = entries(Panel::Recent);
    assert!(!recent.is_empty());
    assert!(
        recent
            .iter()
            .all(|&i| model.board.recent[i].0.service == "ledger")
    );
    assert!(
        entries(Panel::InFlight).is_empty(),
        "only search and checkout are in flight"
    );
    // Environment locks cover ledger too; search's own lock does not.
    let locks = entries(Panel::Locks);
    assert!(
        locks
            .iter()
            .all(|&i| model.board.locks[i].scope.service().is_none())
    );
    press(&mut model, &mut ui, KeyCode::Char('3'));
    press(&mut model, &mut ui, KeyCode::Enter);
    match &ui.overlay {
        Some(Overlay::Detail(shiproom::state::DetailTarget::Deploy { id, .. })) => {
            assert_eq!(
                *id, model.board.recent[recent[0]].0.id,
                "enter opens the shown deploy"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_wall_display_too_small_for_the_board_pages_through_every_service() {
    let mode = Mode {
        wall: true,
        read_only: true,
        ..Mode::default()
    };
    let config = shiproom::config::Config::demo().unwrap();
    let (mut model, mut ui) = common::demo_state();
    model.settings.mode = mode;
    model.settings.wall_rotate = config.wall_rotate;
    ui.width = 80;
    ui.height = 24;
    let mut seen = std::collections::BTreeSet::new();
    let body = shiproom::present::layout::board_body_height(80, 24, true, 12);
    assert!(
        body < 12,
        "the premise: the board does not fit ({body} rows)"
    );
    for turn in 0..4 {
        let at = common::t0() + chrono::Duration::seconds(15 * turn);
        update(&mut model, &mut ui, Msg::Tick(at));
        let rows = shiproom::present::rows::visible_services(&model.board, &ui);
        for r in rows.iter().skip(ui.scroll).take(body) {
            seen.insert(model.board.rows[*r].service.name.clone());
        }
    }
    assert_eq!(seen.len(), 12, "every service shows in turn: {seen:?}");
}
