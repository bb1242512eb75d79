//! Selections that stay on their item when the lists move: the board's cursor stays on its
//! service, and each panel's on its deploy or lock (by id), as new data arrives.

use crate::model::LockOrigin;
use crate::present::rows::visible_entries;
use crate::state::{Model, Panel, Ui};

/// What each list has selected, by identity rather than position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    service: Option<String>,
    in_flight: Option<(String, String)>,
    recent: Option<(String, String)>,
    lock: Option<(String, LockOrigin, String)>,
    history: Option<(chrono::DateTime<chrono::Utc>, String)>,
}

/// The entry of `panel`'s visible list at `selected`, as an index into the board's list.
fn at(model: &Model, ui: &Ui, panel: Panel, selected: usize) -> Option<usize> {
    visible_entries(&model.board, &model.manual_locks.history, ui, panel)
        .get(selected)
        .copied()
}

/// The identities of what `ui` selects now.
pub fn remember(model: &Model, ui: &Ui) -> Selection {
    let board = &model.board;
    let history = &model.manual_locks.history;
    let in_list = |panel, selected| at(model, ui, panel, selected);
    Selection {
        service: in_list(Panel::Board, ui.row).map(|r| board.rows[r].service.name.clone()),
        in_flight: in_list(Panel::InFlight, ui.in_flight_selected)
            .and_then(|i| board.in_flight.get(i))
            .map(|d| (d.source.clone(), d.id.clone())),
        recent: in_list(Panel::Recent, ui.recent_selected)
            .and_then(|i| board.recent.get(i))
            .map(|(d, _)| (d.source.clone(), d.id.clone())),
        lock: (!ui.lock_history)
            .then(|| in_list(Panel::Locks, ui.locks_selected))
            .flatten()
            .and_then(|i| board.locks.get(i))
            .map(|l| (l.scope.label(), l.origin, l.reason.clone())),
        history: ui
            .lock_history
            .then(|| in_list(Panel::Locks, ui.locks_selected))
            .flatten()
            .and_then(|i| history.get(i))
            .map(|e| (e.time, e.scope.clone())),
    }
}

/// Puts every selection back on its item after the lists changed. An item that is gone
/// leaves its selection where it was (clamped by the caller).
pub fn restore(model: &Model, ui: &mut Ui, was: &Selection) {
    let board = &model.board;
    let history = &model.manual_locks.history;
    let position = |ui: &Ui, panel: Panel, is: &dyn Fn(usize) -> bool| {
        visible_entries(board, history, ui, panel)
            .into_iter()
            .position(is)
    };
    let is_deploy = |d: &crate::model::Deployment, (source, id): &(String, String)| {
        d.source == *source && d.id == *id
    };
    if let Some(service) = &was.service
        && let Some(p) = position(ui, Panel::Board, &|r| {
            board.rows[r].service.name == *service
        })
    {
        ui.row = p;
    }
    if let Some(key) = &was.in_flight
        && let Some(p) = position(ui, Panel::InFlight, &|i| {
            is_deploy(&board.in_flight[i], key)
        })
    {
        ui.in_flight_selected = p;
    }
    if let Some(key) = &was.recent
        && let Some(p) = position(ui, Panel::Recent, &|i| is_deploy(&board.recent[i].0, key))
    {
        ui.recent_selected = p;
    }
    if let Some((time, scope)) = &was.history
        && let Some(p) = position(ui, Panel::Locks, &|i| {
            history[i].time == *time && history[i].scope == *scope
        })
    {
        ui.locks_selected = p;
    }
    if let Some((scope, origin, reason)) = &was.lock
        && let Some(p) = position(ui, Panel::Locks, &|i| {
            let l = &board.locks[i];
            l.scope.label() == *scope && l.origin == *origin && l.reason == *reason
        })
    {
        ui.locks_selected = p;
    }
}
