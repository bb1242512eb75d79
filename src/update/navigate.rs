//! Moving around: the focused list's length and selection, paging, keeping the board's cursor
//! in view, and what the selection points at. Lists are the filtered ones the views draw.

use crate::model::{Deployment, Lock};
use crate::present::layout;
use crate::present::rows::{RowItem, row_items, visible_entries, visible_services};
use crate::state::{DetailTarget, Model, Panel, Ui};

/// The focused list's visible entries (filtered), as indices into the board's lists.
pub(super) fn entries(model: &Model, ui: &Ui, panel: Panel) -> Vec<usize> {
    visible_entries(&model.board, &model.manual_locks.history, ui, panel)
}

/// The deploy selected in the in-flight or recent panel.
pub(super) fn selected_deploy<'a>(model: &'a Model, ui: &Ui) -> Option<&'a Deployment> {
    let board = &model.board;
    match ui.focus {
        Panel::InFlight => {
            let at = *entries(model, ui, Panel::InFlight).get(ui.in_flight_selected)?;
            board.in_flight.get(at).map(|d| &**d)
        }
        Panel::Recent => {
            let at = *entries(model, ui, Panel::Recent).get(ui.recent_selected)?;
            board.recent.get(at).map(|(d, _)| &**d)
        }
        _ => None,
    }
}

/// The lock selected in the locks panel (not in its history).
pub(super) fn selected_lock<'a>(model: &'a Model, ui: &Ui) -> Option<&'a Lock> {
    if ui.focus != Panel::Locks || ui.lock_history {
        return None;
    }
    let at = *entries(model, ui, Panel::Locks).get(ui.locks_selected)?;
    model.board.locks.get(at)
}

/// How many entries the focused list has.
pub(super) fn list_len(model: &Model, ui: &Ui, panel: Panel) -> usize {
    entries(model, ui, panel).len()
}

pub(super) fn selection_mut(ui: &mut Ui, panel: Panel) -> &mut usize {
    match panel {
        Panel::Board => &mut ui.row,
        Panel::InFlight => &mut ui.in_flight_selected,
        Panel::Recent => &mut ui.recent_selected,
        Panel::Locks => &mut ui.locks_selected,
    }
}

pub(super) fn move_selection(model: &Model, ui: &mut Ui, by: isize) {
    let len = list_len(model, ui, ui.focus);
    let selected = selection_mut(ui, ui.focus);
    let last = len.saturating_sub(1) as isize;
    *selected = (*selected as isize).saturating_add(by).clamp(0, last) as usize;
}

/// Keeps every selection inside its list after the board changed.
pub(super) fn clamp_selections(model: &Model, ui: &mut Ui) {
    for panel in Panel::ALL {
        let last = list_len(model, ui, panel).saturating_sub(1);
        let selected = selection_mut(ui, panel);
        *selected = (*selected).min(last);
    }
    ui.column = ui
        .column
        .min(model.board.environments.len().saturating_sub(1));
}

/// How many rows of the board show at once.
pub(super) fn board_page(model: &Model, ui: &Ui) -> usize {
    let services = visible_services(&model.board, ui);
    let rows = row_items(&model.board, &services, ui).len();
    layout::board_body_height(ui.width, ui.height, model.settings.mode.wall, rows).max(1)
}

/// Scrolls the board so the selected row is in view.
pub(super) fn follow_cursor(model: &Model, ui: &mut Ui) {
    let services = visible_services(&model.board, ui);
    let items = row_items(&model.board, &services, ui);
    let body =
        layout::board_body_height(ui.width, ui.height, model.settings.mode.wall, items.len())
            .max(1);
    let cursor = services
        .get(ui.row)
        .and_then(|s| items.iter().position(|i| *i == RowItem::Service(*s)))
        .unwrap_or(0);
    // Show the team heading above the first row of a group too.
    let top = if cursor > 0 && matches!(items[cursor - 1], RowItem::Team(_)) {
        cursor - 1
    } else {
        cursor
    };
    if top < ui.scroll {
        ui.scroll = top;
    } else if cursor >= ui.scroll + body {
        ui.scroll = cursor + 1 - body;
    }
    ui.scroll = ui.scroll.min(items.len().saturating_sub(body));
}

/// What `open` shows for the focused panel's selection.
pub(super) fn selected_target(model: &Model, ui: &Ui) -> Option<DetailTarget> {
    let board = &model.board;
    match ui.focus {
        Panel::Board => {
            let services = visible_services(board, ui);
            let row = &board.rows[*services.get(ui.row)?];
            let env = board.environments.get(ui.column)?;
            Some(DetailTarget::Cell {
                service: row.service.name.clone(),
                environment: env.name.clone(),
            })
        }
        Panel::InFlight | Panel::Recent => {
            selected_deploy(model, ui).map(|d| DetailTarget::Deploy {
                source: d.source.clone(),
                id: d.id.clone(),
            })
        }
        Panel::Locks => selected_lock(model, ui).map(|l| DetailTarget::Lock {
            scope: l.scope.label(),
        }),
    }
}

/// A wall display has no cursor: its board turns a page of services each rotation, so every
/// service shows in turn when they do not all fit.
pub(super) fn page_the_wall(model: &Model, ui: &mut Ui, turn: usize) {
    let services = visible_services(&model.board, ui);
    let items = row_items(&model.board, &services, ui).len();
    let body = layout::board_body_height(ui.width, ui.height, true, items).max(1);
    let pages = items.div_ceil(body).max(1);
    ui.scroll = (turn % pages) * body;
}
