//! Selections that stay on their item when the lists move: the board's cursor stays on its
//! service, and each panel's on its deploy or lock (by id), as new data arrives.

use crate::model::{Board, LockOrigin};
use crate::state::{Model, Ui};
use crate::ui::rows::visible_services;

/// What each list has selected, by identity rather than position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    service: Option<String>,
    in_flight: Option<(String, String)>,
    recent: Option<(String, String)>,
    lock: Option<(String, LockOrigin, String)>,
    history: Option<(chrono::DateTime<chrono::Utc>, String)>,
}

/// The identities of what `ui` selects now.
pub fn remember(model: &Model, ui: &Ui) -> Selection {
    let board = &model.board;
    Selection {
        service: visible_services(board, ui)
            .get(ui.row)
            .map(|&r| board.rows[r].service.name.clone()),
        in_flight: board
            .in_flight
            .get(ui.in_flight_selected)
            .map(|d| (d.source.clone(), d.id.clone())),
        recent: board
            .recent
            .get(ui.recent_selected)
            .map(|(d, _)| (d.source.clone(), d.id.clone())),
        lock: board
            .locks
            .get(ui.locks_selected)
            .map(|l| (l.scope.label(), l.origin, l.reason.clone())),
        history: model
            .manual_locks
            .history
            .get(ui.locks_selected)
            .map(|e| (e.time, e.scope.clone())),
    }
}

/// Puts every selection back on its item after the lists changed. An item that is gone
/// leaves its selection where it was (clamped by the caller).
pub fn restore(model: &Model, ui: &mut Ui, was: &Selection) {
    let board: &Board = &model.board;
    if let Some(service) = &was.service {
        let rows = visible_services(board, ui);
        if let Some(at) = rows
            .iter()
            .position(|&r| board.rows[r].service.name == *service)
        {
            ui.row = at;
        }
    }
    let is = |d: &crate::model::Deployment, (source, id): &(String, String)| {
        d.source == *source && d.id == *id
    };
    if let Some(key) = &was.in_flight
        && let Some(at) = board.in_flight.iter().position(|d| is(d, key))
    {
        ui.in_flight_selected = at;
    }
    if let Some(key) = &was.recent
        && let Some(at) = board.recent.iter().position(|(d, _)| is(d, key))
    {
        ui.recent_selected = at;
    }
    if ui.lock_history {
        if let Some((time, scope)) = &was.history
            && let Some(at) = (model.manual_locks.history.iter())
                .position(|e| e.time == *time && e.scope == *scope)
        {
            ui.locks_selected = at;
        }
    } else if let Some((scope, origin, reason)) = &was.lock
        && let Some(at) = board
            .locks
            .iter()
            .position(|l| l.scope.label() == *scope && l.origin == *origin && l.reason == *reason)
    {
        ui.locks_selected = at;
    }
}
