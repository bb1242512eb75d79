//! Which board rows are visible, in which order: filter, sort and team grouping.
//! Shared by update (cursor movement) and the board view, so both agree.

use crate::model::Board;
use crate::state::{SortOrder, Ui};

/// One line of the board's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowItem<'a> {
    /// A team heading, when rows are grouped by team.
    Team(&'a str),
    /// A service: index into `board.rows`.
    Service(usize),
}

/// The service rows that pass the filter, sorted (indices into `board.rows`).
pub fn visible_services(board: &Board, ui: &Ui) -> Vec<usize> {
    let needle = ui.filter.to_lowercase();
    let mut rows: Vec<usize> = board
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| needle.is_empty() || r.service.name.to_lowercase().contains(&needle))
        .map(|(i, _)| i)
        .collect();
    let last_deploy = |i: usize| {
        board.rows[i]
            .cells
            .iter()
            .flat_map(|c| c.last.iter().chain(c.in_flight.iter()))
            .map(|d| d.started_at)
            .max()
    };
    let name = |i: usize| board.rows[i].service.name.as_str();
    let team = |i: usize| board.rows[i].service.team.as_str();
    match ui.sort {
        SortOrder::Configured => {}
        SortOrder::Name => rows.sort_by(|a, b| name(*a).cmp(name(*b))),
        SortOrder::Team => rows.sort_by(|a, b| (team(*a), name(*a)).cmp(&(team(*b), name(*b)))),
        SortOrder::LastDeploy => rows.sort_by(|a, b| {
            last_deploy(*b)
                .cmp(&last_deploy(*a))
                .then_with(|| name(*a).cmp(name(*b)))
        }),
    }
    if ui.group_by_team {
        // Stable: keeps the chosen order within each team.
        rows.sort_by(|a, b| team(*a).cmp(team(*b)));
    }
    rows
}

/// The board's body lines: services, with team headings when grouped.
pub fn row_items<'a>(board: &'a Board, services: &[usize], ui: &Ui) -> Vec<RowItem<'a>> {
    let mut items = Vec::with_capacity(services.len() + 8);
    let mut team: Option<&str> = None;
    for &i in services {
        let this = board.rows[i].service.team.as_str();
        if ui.group_by_team && team != Some(this) {
            items.push(RowItem::Team(this));
            team = Some(this);
        }
        items.push(RowItem::Service(i));
    }
    items
}

/// The entries of a list panel that pass the filter, in order (indices into the board's
/// list, or into the audit history): deploys of matching services; locks whose scope matches
/// or that cover a whole environment (and so every matching service).
pub fn visible_entries(
    board: &Board,
    history: &[crate::locks::AuditEntry],
    ui: &Ui,
    panel: crate::state::Panel,
) -> Vec<usize> {
    use crate::state::Panel;
    let needle = ui.filter.to_lowercase();
    let matches = |text: &str| needle.is_empty() || text.to_lowercase().contains(&needle);
    let keep = |flags: Vec<bool>| -> Vec<usize> {
        (flags.into_iter().enumerate())
            .filter(|(_, keep)| *keep)
            .map(|(i, _)| i)
            .collect()
    };
    match panel {
        Panel::Board => visible_services(board, ui),
        Panel::InFlight => keep(
            board
                .in_flight
                .iter()
                .map(|d| matches(&d.service))
                .collect(),
        ),
        Panel::Recent => keep(
            board
                .recent
                .iter()
                .map(|(d, _)| matches(&d.service))
                .collect(),
        ),
        Panel::Locks if ui.lock_history => {
            keep(history.iter().map(|e| matches(&e.scope)).collect())
        }
        Panel::Locks => keep(
            (board.locks.iter())
                .map(|l| l.scope.service().is_none() || matches(&l.scope.label()))
                .collect(),
        ),
    }
}
