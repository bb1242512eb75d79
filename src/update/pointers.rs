//! What the selection points at beyond the board: the next cell that needs attention, the
//! page (`o`) and the sha or address (`y`) of the selected deploy, and what `r` reports.

use crate::model::{Cell, DeployStatus, Deployment, Verdict};
use crate::present::cell::attempt;
use crate::present::rows::visible_services;
use crate::state::{Model, Panel, Ui};

use super::navigate::selected_deploy;

/// Whether a cell needs the operator: nothing known, a lock breach, an unhealthy deploy, or a
/// deploy that failed or was rolled back.
pub fn needs_attention(cell: &Cell) -> bool {
    let failed = attempt(cell)
        .is_some_and(|d| matches!(d.status, DeployStatus::Failed | DeployStatus::RolledBack));
    cell.freshness.is_unknown()
        || cell.breach.is_some()
        || cell
            .impact
            .as_ref()
            .is_some_and(|i| i.verdict == Verdict::Unhealthy)
        || failed
}

/// Moves the board's cursor to the next (or previous) cell that needs attention, in reading
/// order from the cursor, wrapping around; false when no cell does.
pub fn jump_to_attention(model: &Model, ui: &mut Ui, forward: bool) -> bool {
    let board = &model.board;
    let rows = visible_services(board, ui);
    let columns = board.environments.len();
    let total = rows.len() * columns;
    if total == 0 {
        return false;
    }
    let here = ui.row.min(rows.len() - 1) * columns + ui.column.min(columns - 1);
    for step in 1..=total {
        let at = if forward {
            (here + step) % total
        } else {
            (here + total - step % total) % total
        };
        let (row, column) = (at / columns, at % columns);
        if needs_attention(&board.rows[rows[row]].cells[column]) {
            ui.focus = Panel::Board;
            ui.row = row;
            ui.column = column;
            return true;
        }
    }
    false
}

/// The deploy the selection is about: the selected cell's deploy in flight, else what runs
/// there, else its last deploy; or the deploy selected in a panel.
fn deploy_of_selection<'a>(model: &'a Model, ui: &Ui) -> Option<&'a Deployment> {
    if ui.focus != Panel::Board {
        return selected_deploy(model, ui);
    }
    let cell = selected_cell(model, ui)?;
    (cell.in_flight.as_ref())
        .or(cell.running.as_ref())
        .or(cell.last.as_ref())
        .map(|d| &**d)
}

fn selected_cell<'a>(model: &'a Model, ui: &Ui) -> Option<&'a Cell> {
    let board = &model.board;
    let row = *visible_services(board, ui).get(ui.row)?;
    board.rows[row].cells.get(ui.column)
}

/// The page `o` opens: the deploy's own link, else the CI run of its commit, else the commit
/// on GitHub when the service names its repository.
pub fn url_of_selection(model: &Model, ui: &Ui) -> Option<String> {
    let d = deploy_of_selection(model, ui)?;
    if let Some(url) = &d.url {
        return Some(url.clone());
    }
    let ci = model
        .sources
        .iter()
        .filter_map(|s| s.snapshot.as_ref())
        .find_map(|s| s.check(&d.commit))
        .and_then(|c| c.url.clone());
    ci.or_else(|| {
        let row = model
            .board
            .rows
            .iter()
            .find(|r| r.service.name == d.service)?;
        let repository = row.service.repository.as_ref()?;
        let github = model
            .sources
            .iter()
            .any(|s| s.name == d.source && s.kind.label() == "github");
        github.then(|| format!("https://github.com/{repository}/commit/{}", d.commit))
    })
}

/// What `y` copies: the full sha of the selection's deploy, else its page.
pub fn copy_of_selection(model: &Model, ui: &Ui) -> Option<String> {
    match deploy_of_selection(model, ui) {
        Some(d) if !d.commit.is_empty() => Some(d.commit.clone()),
        _ => url_of_selection(model, ui),
    }
}
