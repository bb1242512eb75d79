//! The pure update: keys become actions, actions change the state and ask for effects.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use common::{minutes, press, small_snapshot, small_state, t0, type_text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shiproom::config::{self, ConfigOrigin};
use shiproom::model::SourceError;
use shiproom::msg::{Effect, Msg};
use shiproom::state::{DetailTarget, Mode, Model, Overlay, Panel, Ui};
use shiproom::update::update;

#[test]
fn q_and_ctrl_c_quit() {
    let (mut model, mut ui) = small_state(Mode::default());
    assert_eq!(
        press(&mut model, &mut ui, KeyCode::Char('q')).effects,
        vec![Effect::Quit]
    );
    let ctrl_c = update(
        &mut model,
        &mut ui,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert_eq!(ctrl_c.effects, vec![Effect::Quit]);
    assert_eq!(
        update(&mut model, &mut ui, Msg::Shutdown).effects,
        vec![Effect::Quit]
    );
}

#[test]
fn question_mark_opens_the_help_and_esc_closes_it() {
    let (mut model, mut ui) = small_state(Mode::default());
    assert!(press(&mut model, &mut ui, KeyCode::Char('?')).redraw);
    assert_eq!(ui.overlay, Some(Overlay::Help));
    press(&mut model, &mut ui, KeyCode::Char('j'));
    assert_eq!(ui.row, 0, "moving is not possible under the help");
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.overlay, None);
}

#[test]
fn slash_filters_services_by_name_and_esc_clears_the_filter() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('/'));
    assert!(ui.filter_editing);
    type_text(&mut model, &mut ui, "qa");
    assert_eq!(
        ui.filter, "qa",
        "keys bound to actions are text while filtering"
    );
    press(&mut model, &mut ui, KeyCode::Backspace);
    press(&mut model, &mut ui, KeyCode::Backspace);
    type_text(&mut model, &mut ui, "SEA");
    press(&mut model, &mut ui, KeyCode::Enter);
    assert!(!ui.filter_editing);
    let visible = shiproom::present::rows::visible_services(&model.board, &ui);
    let names: Vec<&str> = visible
        .iter()
        .map(|i| model.board.rows[*i].service.name.as_str())
        .collect();
    assert_eq!(
        names,
        vec!["search"],
        "case-insensitive substring of the name"
    );
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.filter, "");
}

#[test]
fn moving_stays_inside_the_board() {
    let (mut model, mut ui) = small_state(Mode::default());
    for _ in 0..10 {
        press(&mut model, &mut ui, KeyCode::Char('j'));
        press(&mut model, &mut ui, KeyCode::Char('l'));
    }
    assert_eq!((ui.row, ui.column), (2, 2));
    press(&mut model, &mut ui, KeyCode::Char('g'));
    assert_eq!(ui.row, 0);
    press(&mut model, &mut ui, KeyCode::Char('G'));
    assert_eq!(ui.row, 2);
    for _ in 0..10 {
        press(&mut model, &mut ui, KeyCode::Char('h'));
        press(&mut model, &mut ui, KeyCode::Up);
    }
    assert_eq!((ui.row, ui.column), (0, 0));
}

#[test]
fn enter_opens_the_detail_of_the_selected_cell_and_esc_goes_back() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('l'));
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(
        ui.overlay,
        Some(Overlay::Detail(DetailTarget::Cell {
            service: "checkout".into(),
            environment: "staging".into()
        }))
    );
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.overlay, None);
}

#[test]
fn tab_moves_focus_through_the_panels_and_enter_opens_a_deploy() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Tab);
    assert_eq!(ui.focus, Panel::InFlight);
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(
        ui.overlay,
        Some(Overlay::Detail(DetailTarget::Deploy {
            source: "fleet".into(),
            id: "d4".into()
        }))
    );
    press(&mut model, &mut ui, KeyCode::Esc);
    press(&mut model, &mut ui, KeyCode::Tab);
    press(&mut model, &mut ui, KeyCode::Tab);
    assert_eq!(ui.focus, Panel::Locks);
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(
        ui.overlay,
        Some(Overlay::Detail(DetailTarget::Lock {
            scope: "production".into()
        }))
    );
    press(&mut model, &mut ui, KeyCode::Esc);
    press(&mut model, &mut ui, KeyCode::Tab);
    assert_eq!(ui.focus, Panel::Board);
    press(&mut model, &mut ui, KeyCode::BackTab);
    assert_eq!(ui.focus, Panel::Locks);
}

#[test]
fn r_asks_every_source_to_poll_now() {
    let (mut model, mut ui) = small_state(Mode::default());
    let outcome = press(&mut model, &mut ui, KeyCode::Char('r'));
    assert_eq!(
        outcome.effects,
        vec![Effect::RefreshSources, Effect::RefreshLocks]
    );
    assert!(ui.notice.is_some());
}

#[test]
fn a_wall_display_refuses_everything_but_quit() {
    let (mut model, mut ui) = small_state(Mode {
        wall: true,
        read_only: true,
        demo: false,
    });
    for key in ['j', '?', '/', 'r', 't'] {
        let outcome = press(&mut model, &mut ui, KeyCode::Char(key));
        assert!(outcome.effects.is_empty(), "{key}");
    }
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(ui.overlay, None);
    assert!(!ui.filter_editing);
    assert_eq!(ui.row, 0);
    assert!(
        ui.notice
            .as_ref()
            .is_some_and(|(n, _)| n.contains("read-only"))
    );
    assert_eq!(
        press(&mut model, &mut ui, KeyCode::Char('q')).effects,
        vec![Effect::Quit]
    );
}

#[test]
fn wall_panels_rotate_with_the_clock() {
    let (mut model, mut ui) = small_state(Mode {
        wall: true,
        read_only: true,
        demo: false,
    });
    let rotate = model.settings.wall_rotate.0.as_secs() as i64;
    update(&mut model, &mut ui, Msg::Tick(t0()));
    let first = ui.wall_page;
    update(
        &mut model,
        &mut ui,
        Msg::Tick(t0() + chrono::Duration::seconds(rotate)),
    );
    assert_ne!(ui.wall_page, first);
}

#[test]
fn a_failing_source_keeps_its_last_data_and_says_why() {
    let (mut model, mut ui) = small_state(Mode::default());
    let before = model.board.rows[0].cells[2].running.clone();
    let outcome = update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: minutes(1),
            result: Err(SourceError {
                reason: "HTTP 503".into(),
            }),
        },
    );
    assert!(outcome.redraw);
    assert_eq!(
        model.board.rows[0].cells[2].running, before,
        "nothing blanked"
    );
    assert!(model.board.rows[0].cells[2].freshness.is_stale());
    assert_eq!(
        model.sources[0].error.as_ref().map(|e| e.reason.as_str()),
        Some("HTTP 503")
    );

    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: minutes(2),
            result: Ok(small_snapshot()),
        },
    );
    assert!(
        !model.board.rows[0].cells[2].freshness.is_stale(),
        "recovers on the next good poll"
    );
}

#[test]
fn the_same_report_twice_does_not_redraw() {
    let (mut model, mut ui) = small_state(Mode::default());
    let again = update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: t0(),
            result: Ok(small_snapshot()),
        },
    );
    assert!(!again.redraw);
}

#[test]
fn sort_and_group_change_the_row_order() {
    let (mut model, mut ui) = small_state(Mode::default());
    let names = |model: &Model, ui: &Ui| -> Vec<String> {
        shiproom::present::rows::visible_services(&model.board, ui)
            .into_iter()
            .map(|i| model.board.rows[i].service.name.clone())
            .collect()
    };
    assert_eq!(
        names(&model, &ui),
        ["checkout", "search", "ledger"],
        "configured order first"
    );
    press(&mut model, &mut ui, KeyCode::Char('s'));
    assert_eq!(names(&model, &ui), ["checkout", "ledger", "search"]);
    press(&mut model, &mut ui, KeyCode::Char('s'));
    assert_eq!(
        names(&model, &ui),
        ["search", "checkout", "ledger"],
        "by team: discovery, payments"
    );
    press(&mut model, &mut ui, KeyCode::Char('s'));
    assert_eq!(
        names(&model, &ui),
        ["search", "ledger", "checkout"],
        "most recent deploy first, in flight included"
    );
    press(&mut model, &mut ui, KeyCode::Char('s'));
    press(&mut model, &mut ui, KeyCode::Char('t'));
    assert!(ui.group_by_team);
    assert_eq!(names(&model, &ui), ["search", "checkout", "ledger"]);
}

#[test]
fn a_rebound_key_takes_effect_and_the_old_one_does_nothing() {
    let yaml = common::SMALL_YAML.to_string() + "keys:\n  quit: x\n";
    let config = config::parse(&yaml, ConfigOrigin::File("k.yaml".into())).unwrap();
    let mut model = Model::new(&config, Mode::default(), t0());
    let mut ui = Ui::default();
    assert!(
        press(&mut model, &mut ui, KeyCode::Char('q'))
            .effects
            .is_empty()
    );
    assert_eq!(
        press(&mut model, &mut ui, KeyCode::Char('x')).effects,
        vec![Effect::Quit]
    );
}

#[test]
fn an_expired_notice_goes_away_on_the_next_tick() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('s'));
    assert!(ui.notice.is_some());
    update(&mut model, &mut ui, Msg::Tick(minutes(1)));
    assert!(ui.notice.is_none());
}

#[test]
fn the_cursor_stays_on_its_service_when_rows_are_sorted_or_grouped() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Char('G')); // ledger, last in configured order
    let selected = |model: &Model, ui: &Ui| {
        let rows = shiproom::present::rows::visible_services(&model.board, ui);
        model.board.rows[rows[ui.row]].service.name.clone()
    };
    assert_eq!(selected(&model, &ui), "ledger");
    press(&mut model, &mut ui, KeyCode::Char('s')); // by name: checkout, ledger, search
    assert_eq!((selected(&model, &ui), ui.row), ("ledger".to_string(), 1));
    press(&mut model, &mut ui, KeyCode::Char('t')); // grouped: discovery (search), payments
    assert_eq!(selected(&model, &ui), "ledger");
}
