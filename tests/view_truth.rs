//! The board, `status` and the JSON tell the same story: a failed deploy beside what still
//! runs, a deploy in flight beside what it replaces, the selected cell's lock in words, and a
//! read-only board that does not offer what it would refuse.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use crossterm::event::KeyCode;

use common::{deploy, draw, minutes, press, small_snapshot, small_state};
use shiproom::model::DeployStatus;
use shiproom::msg::Msg;
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::update::update;

fn screen(model: &Model, ui: &Ui, width: u16, height: u16) -> String {
    let theme = Theme::builtin("default").unwrap();
    shiproom::ui::buffer_text(&draw(model, ui, &theme, width, height))
}

/// The board's (or status's) row of `service`.
fn line_of<'a>(text: &'a str, service: &str) -> &'a str {
    text.lines()
        .find(|l| {
            l.trim_start_matches(['┃', '│', ' ', '›'])
                .starts_with(&format!("{service} "))
        })
        .unwrap()
}

#[test]
fn a_failed_cell_shows_what_runs_beside_the_failed_attempt_on_the_board_in_status_and_json() {
    let (model, ui) = small_state(Mode::default());
    let board = screen(&model, &ui, 160, 48);
    assert!(
        line_of(&board, "checkout").contains("✓ v1.4.1 ✗v1.5.0"),
        "{board}"
    );
    let status = shiproom::commands::status::status_text(
        &model,
        Theme::builtin("default").unwrap().glyphs,
        chrono::FixedOffset::east_opt(0).unwrap(),
    );
    assert!(
        line_of(&status, "checkout").contains("✓ v1.4.1 ✗v1.5.0"),
        "{status}"
    );
    let json = serde_json::to_value(shiproom::commands::status_json::status_json(&model)).unwrap();
    let cell = &json["services"][0]["cells"]["staging"];
    assert_eq!(cell["version"], "v1.4.1", "version is what runs: {cell}");
    assert_eq!(
        cell["status"], "failed",
        "status is the newest deploy's: {cell}"
    );
    assert_eq!(cell["attempt"]["version"], "v1.5.0", "{cell}");
    assert_eq!(cell["attempt"]["status"], "failed", "{cell}");
}

#[test]
fn a_deploy_in_flight_shows_what_runs_now_beside_where_it_goes() {
    let (mut model, mut ui) = small_state(Mode::default());
    let mut snapshot = small_snapshot();
    snapshot.deployments.push(deploy(
        "d0",
        "search",
        "staging",
        "v1.9.9",
        -500,
        DeployStatus::Succeeded,
    ));
    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: minutes(1),
            result: Ok(snapshot),
        },
    );
    let wide = screen(&model, &ui, 160, 48);
    assert!(
        line_of(&wide, "search").contains("v1.9.9 ▶ v2.0.0 45%"),
        "{wide}"
    );
    let narrow = screen(&model, &ui, 60, 24);
    let row = line_of(&narrow, "search");
    assert!(
        row.contains("▶ v2.0.0"),
        "where it goes always shows: {narrow}"
    );
}

#[test]
fn the_selected_cells_lock_shows_with_its_reason_holder_and_lift_on_the_boards_edge() {
    let (mut model, mut ui) = small_state(Mode::default());
    press(&mut model, &mut ui, KeyCode::Down);
    press(&mut model, &mut ui, KeyCode::Right);
    let text = screen(&model, &ui, 120, 30);
    let edge = text.lines().find(|l| l.starts_with('┗')).unwrap();
    assert!(
        edge.contains("⊘ search@staging: investigating flaky tests — bob (manual), until lifted"),
        "{edge}"
    );
}

#[test]
fn a_read_only_board_hides_lock_and_unlock_from_the_hints_and_the_help_marks_them_refused() {
    let mode = Mode {
        read_only: true,
        ..Mode::default()
    };
    let (mut model, mut ui) = small_state(mode);
    let text = screen(&model, &ui, 160, 48);
    let hints = text.lines().last().unwrap();
    assert!(
        !hints.contains("L lock") && !hints.contains("U unlock"),
        "{hints}"
    );
    assert!(hints.contains("? help"), "{hints}");
    press(&mut model, &mut ui, KeyCode::Char('?'));
    let help = screen(&model, &ui, 160, 60);
    assert!(help.contains("(refused: read-only)"), "{help}");
}
