//! The views: every panel and the whole board as text snapshots at 80×24 and 160×48 (fixed
//! clock, hand-made fleet), and the colours of single cells in two themes.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use common::{demo_state, draw, small_state};
use shiproom::msg::Msg;
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::{Role, Theme};
use shiproom::ui;
use shiproom::update::update;

fn screen(model: &Model, ui_state: &Ui, width: u16, height: u16) -> String {
    let theme = Theme::builtin("default").expect("default theme");
    ui::buffer_text(&draw(model, ui_state, &theme, width, height))
}

fn keys(model: &mut Model, ui_state: &mut Ui, keys: &[KeyCode]) {
    for key in keys {
        update(
            model,
            ui_state,
            Msg::Key(KeyEvent::new(*key, KeyModifiers::NONE)),
        );
    }
}

#[test]
fn the_demo_board_at_80_by_24() {
    let (model, ui_state) = demo_state();
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
}

#[test]
fn the_demo_board_at_160_by_48() {
    let (model, ui_state) = demo_state();
    insta::assert_snapshot!(screen(&model, &ui_state, 160, 48));
}

#[test]
fn the_demo_board_at_200_by_50_shows_the_panels_side_by_side() {
    let (model, ui_state) = demo_state();
    insta::assert_snapshot!(screen(&model, &ui_state, 200, 50));
}

#[test]
fn the_board_at_80_by_24() {
    let (model, ui_state) = small_state(Mode::default());
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
}

#[test]
fn the_board_at_160_by_48_with_panels_side_by_side() {
    let (model, ui_state) = small_state(Mode::default());
    insta::assert_snapshot!(screen(&model, &ui_state, 160, 48));
}

#[test]
fn the_recent_panel_when_focused_on_a_narrow_screen() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(&mut model, &mut ui_state, &[KeyCode::Tab, KeyCode::Tab]);
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
}

#[test]
fn the_locks_panel_when_focused_on_a_narrow_screen() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(&mut model, &mut ui_state, &[KeyCode::BackTab]);
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
}

#[test]
fn the_detail_of_a_cell_with_impact_lock_and_drift() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(
        &mut model,
        &mut ui_state,
        &[KeyCode::Right, KeyCode::Right, KeyCode::Enter],
    );
    insta::assert_snapshot!(screen(&model, &ui_state, 160, 48));
    insta::assert_snapshot!(
        "the_detail_of_a_cell_at_80_by_24",
        screen(&model, &ui_state, 80, 24)
    );
}

#[test]
fn the_detail_of_a_deploy_in_flight() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(&mut model, &mut ui_state, &[KeyCode::Tab, KeyCode::Enter]);
    insta::assert_snapshot!(screen(&model, &ui_state, 160, 48));
}

#[test]
fn the_help_lists_every_key() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(&mut model, &mut ui_state, &[KeyCode::Char('?')]);
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
    insta::assert_snapshot!("the_help_at_160_by_48", screen(&model, &ui_state, 160, 48));
}

#[test]
fn the_filter_and_team_grouping() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(
        &mut model,
        &mut ui_state,
        &[KeyCode::Char('t'), KeyCode::Char('/'), KeyCode::Char('e')],
    );
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
}

#[test]
fn the_wall_display() {
    let (model, ui_state) = small_state(Mode {
        wall: true,
        read_only: true,
        demo: false,
    });
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
    insta::assert_snapshot!(
        "the_wall_display_at_160_by_48",
        screen(&model, &ui_state, 160, 48)
    );
}

#[test]
fn a_failing_source_is_named_in_the_status_bar_and_its_cells_marked_stale() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    update(
        &mut model,
        &mut ui_state,
        Msg::SourceReport {
            source: "fleet".into(),
            at: common::minutes(2),
            result: Err(shiproom::model::SourceError {
                reason: "HTTP 503 from the API".into(),
            }),
        },
    );
    let text = screen(&model, &ui_state, 160, 48);
    assert!(
        text.contains("fleet failing: HTTP 503 from the API (data 2m old)"),
        "{text}"
    );
    assert!(text.contains("≈"), "stale cells are marked: {text}");
    assert!(text.contains("v1.4.0"), "the last known data stays: {text}");
}

#[test]
fn tiny_and_huge_terminals_do_not_panic() {
    let (model, ui_state) = small_state(Mode::default());
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 12), (80, 24), (420, 120)] {
        let _ = screen(&model, &ui_state, w, h);
    }
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(&mut model, &mut ui_state, &[KeyCode::Char('?')]);
    for (w, h) in [(1, 1), (10, 3), (30, 8)] {
        let _ = screen(&model, &ui_state, w, h);
    }
}

/// Finds the first cell on screen whose symbol is `symbol`, at or after row `from_row`.
fn find(buf: &Buffer, symbol: &str, from_row: u16) -> (u16, u16) {
    for y in from_row..buf.area.height {
        for x in 0..buf.area.width {
            if buf[(x, y)].symbol() == symbol {
                return (x, y);
            }
        }
    }
    panic!("{symbol} not on screen:\n{}", ui::buffer_text(buf));
}

#[test]
fn status_glyphs_take_the_colour_of_their_role_in_two_themes() {
    let (model, ui_state) = small_state(Mode::default());
    for name in ["default", "16-colour"] {
        let theme = Theme::builtin(name).expect("theme");
        let buf = draw(&model, &ui_state, &theme, 160, 48);
        let body = 3; // below the header and the column headings
        for (symbol, role) in [
            (theme.glyphs.failed, Role::Error),
            (theme.glyphs.in_progress, Role::InProgress),
            (theme.glyphs.unhealthy, Role::Unhealthy),
            (theme.glyphs.lock, Role::Locked),
        ] {
            let (x, y) = find(&buf, symbol, body);
            let expected = theme.style(role).fg.expect("the role has a colour");
            assert_eq!(buf[(x, y)].fg, expected, "{name}: {symbol} at {x},{y}");
        }
        // The protected production heading uses the production role.
        let (x, y) = find(&buf, "P", 2);
        assert_eq!(
            buf[(x, y)].style().fg,
            theme.style(Role::Production).fg,
            "{name}"
        );
    }
}

#[test]
fn monochrome_draws_no_colour_at_all_and_keeps_the_glyphs() {
    let (model, ui_state) = small_state(Mode::default());
    let theme = Theme::builtin("monochrome").expect("theme");
    let buf = draw(&model, &ui_state, &theme, 160, 48);
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset),
            "fg {:?} on {:?}",
            cell.fg,
            cell.symbol()
        );
        assert!(
            matches!(cell.bg, Color::Reset),
            "bg {:?} on {:?}",
            cell.bg,
            cell.symbol()
        );
    }
    find(&buf, theme.glyphs.failed, 3);
    find(&buf, theme.glyphs.lock, 3);
}

#[test]
fn the_recent_and_locks_panels_at_160_by_48() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    keys(&mut model, &mut ui_state, &[KeyCode::Tab, KeyCode::Tab]);
    insta::assert_snapshot!(
        "the_recent_panel_at_160_by_48",
        screen(&model, &ui_state, 160, 48)
    );
    keys(&mut model, &mut ui_state, &[KeyCode::Tab]);
    insta::assert_snapshot!(
        "the_locks_panel_at_160_by_48",
        screen(&model, &ui_state, 160, 48)
    );
}

#[test]
fn the_lock_dialog_and_the_unlock_confirmation() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    model.settings.identity = "alice".into();
    keys(&mut model, &mut ui_state, &[KeyCode::Char('L')]);
    for c in "db failover".chars() {
        keys(&mut model, &mut ui_state, &[KeyCode::Char(c)]);
    }
    insta::assert_snapshot!(
        "the_lock_dialog_at_80_by_24",
        screen(&model, &ui_state, 80, 24)
    );
    insta::assert_snapshot!(
        "the_lock_dialog_at_160_by_48",
        screen(&model, &ui_state, 160, 48)
    );
    keys(&mut model, &mut ui_state, &[KeyCode::Esc]);
    let lock = shiproom::model::Lock {
        scope: shiproom::model::LockScope::Environment {
            environment: "staging".into(),
        },
        reason: "db failover".into(),
        by: "bob".into(),
        origin: shiproom::model::LockOrigin::Manual,
        since: common::minutes(-20),
        until: Some(common::minutes(40)),
    };
    update(
        &mut model,
        &mut ui_state,
        Msg::LocksReport {
            at: common::t0(),
            result: Ok(vec![lock]),
            history: vec![],
        },
    );
    keys(
        &mut model,
        &mut ui_state,
        &[KeyCode::Right, KeyCode::Char('U')],
    );
    insta::assert_snapshot!(
        "the_unlock_confirmation_at_80_by_24",
        screen(&model, &ui_state, 80, 24)
    );
}

#[test]
fn the_lock_history_in_the_locks_panel() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    let entry = |minute: i64, who: &str, action: &str, result: &str| shiproom::locks::AuditEntry {
        time: common::minutes(minute),
        who: who.into(),
        action: action.into(),
        scope: "production".into(),
        reason: "db failover".into(),
        result: result.into(),
    };
    let history = vec![
        entry(-1, "bob", "lock", "refused: held by alice"),
        entry(-30, "alice", "lock", "ok"),
    ];
    update(
        &mut model,
        &mut ui_state,
        Msg::LocksReport {
            at: common::t0(),
            result: Ok(vec![]),
            history,
        },
    );
    keys(&mut model, &mut ui_state, &[KeyCode::Char('H')]);
    insta::assert_snapshot!(screen(&model, &ui_state, 80, 24));
}

#[test]
fn unknown_locks_are_shown_loudly_never_as_open() {
    let (mut model, mut ui_state) = small_state(Mode::default());
    let result = Err(shiproom::locks::StoreError::new(
        "etcd at http://127.0.0.1:2379 unreachable: connection refused",
    ));
    update(
        &mut model,
        &mut ui_state,
        Msg::LocksReport {
            at: common::t0(),
            result,
            history: vec![],
        },
    );
    let text = screen(&model, &ui_state, 160, 48);
    assert!(
        text.contains("LOCKS UNKNOWN: etcd at http://127.0.0.1:2379 unreachable"),
        "{text}"
    );
    assert!(
        text.contains("⊘?"),
        "cells say the lock state is unknown: {text}"
    );
    assert!(
        text.contains("locks unknown:"),
        "the status bar says it too: {text}"
    );
}
