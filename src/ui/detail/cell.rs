//! The detail of one cell: what runs there, what was tried, what is on its way, its CI,
//! impact, freshness, breach, locks, drift and history.

use ratatui::text::{Line, Span};

use super::{
    Ctx, Room, deploy_summary, heading, history_lines, impact_lines, label, lock_line, when,
};
use crate::model::{Cell, CheckStatus, Freshness};
use crate::present::cell::check_of;
use crate::theme::Role;

/// CI of the commit running here, of the one in flight, and of the one waiting for promotion
/// (what runs in the environment this one follows), when a source reports them.
fn ci_lines(
    ctx: &Ctx,
    cell: &Cell,
    service: &str,
    environment: &str,
    lines: &mut Vec<Line<'static>>,
) {
    let board = &ctx.model.board;
    let previous = ctx
        .model
        .catalog
        .previous_environment(environment)
        .and_then(|prev| {
            let e = board
                .environments
                .iter()
                .position(|x| x.name == prev.name)?;
            let row = board.rows.iter().find(|r| r.service.name == service)?;
            let d = row.cells.get(e)?.running.as_ref()?;
            Some(("CI next", format!(" (runs in {})", prev.name), d))
        });
    let candidates = [
        cell.running.as_ref().map(|d| ("CI", String::new(), d)),
        cell.in_flight
            .as_ref()
            .map(|d| ("CI in flight", String::new(), d)),
        previous,
    ];
    let mut shown: Vec<&str> = Vec::new();
    for (name, note, d) in candidates.into_iter().flatten() {
        if shown.contains(&d.commit.as_str()) {
            continue;
        }
        let Some(check) = check_of(ctx.model, &d.commit) else {
            continue;
        };
        shown.push(&d.commit);
        let role = match check.status {
            CheckStatus::Passed => Role::Ok,
            CheckStatus::Failed => Role::Error,
            CheckStatus::Running => Role::InProgress,
            CheckStatus::Cancelled => Role::Muted,
        };
        lines.push(Line::from(vec![
            label(ctx, name),
            Span::styled(
                format!(
                    "{}{note} {}  {}",
                    d.short_version(),
                    check.status.label(),
                    check.workflows
                ),
                ctx.theme.style(role),
            ),
        ]));
    }
}

pub(super) fn cell_lines(
    ctx: &Ctx,
    room: Room,
    service: &str,
    environment: &str,
) -> (String, Vec<Line<'static>>) {
    let board = &ctx.model.board;
    let title = format!("{service} in {environment}");
    let cell: Option<&Cell> = board
        .rows
        .iter()
        .find(|r| r.service.name == service)
        .zip(
            board
                .environments
                .iter()
                .position(|e| e.name == environment),
        )
        .and_then(|(row, e)| row.cells.get(e));
    let Some(cell) = cell else {
        return (
            title,
            vec![Line::raw("this cell is no longer on the board")],
        );
    };
    let mut lines = Vec::new();
    if let Some(row) = board.rows.iter().find(|r| r.service.name == service) {
        let repo = row
            .service
            .repository
            .as_deref()
            .unwrap_or("no repository configured");
        lines.push(Line::from(vec![
            label(ctx, "Team"),
            Span::raw(format!("{}   repository {repo}", row.service.team)),
        ]));
    }
    match (&cell.freshness, &cell.running) {
        (Freshness::Unknown { reason }, _) => lines.push(Line::from(vec![
            label(ctx, "Unknown"),
            Span::styled(
                format!("nothing could be read for this cell: {reason}"),
                ctx.theme.style(Role::Unknown),
            ),
        ])),
        (Freshness::Untracked, _) => lines.push(Line::from(vec![
            label(ctx, "Running"),
            Span::styled(
                "not tracked: no source is configured for this environment of the service",
                ctx.theme.style(Role::Muted),
            ),
        ])),
        (_, Some(d)) => lines.push(deploy_summary(ctx, "Running", d)),
        (_, None) => lines.push(Line::from(vec![
            label(ctx, "Running"),
            Span::styled(
                "nothing deployed: its source reports no deploy here",
                ctx.theme.style(Role::Muted),
            ),
        ])),
    }
    if let Some(last) = cell
        .last
        .as_ref()
        .filter(|l| Some(*l) != cell.running.as_ref())
    {
        lines.push(deploy_summary(ctx, "Last deploy", last));
    }
    if let Some(d) = &cell.in_flight {
        let progress = d
            .progress
            .map_or(String::new(), |p| format!(" {:.0}%", p * 100.0));
        lines.push(Line::from(vec![
            label(ctx, "In flight"),
            Span::styled(
                format!(
                    "{} {}{progress}  {}  by {}  started {}",
                    d.short_version(),
                    d.stage.clone().unwrap_or_default(),
                    d.status.label(),
                    d.author,
                    when(ctx, d.started_at)
                ),
                ctx.theme.style(Role::InProgress),
            ),
        ]));
    }
    if let Some(d) = cell.last.as_ref() {
        lines.push(Line::from(vec![
            label(ctx, "Change"),
            Span::raw(d.description.clone()),
        ]));
    }
    ci_lines(ctx, cell, service, environment, &mut lines);
    // The cell's impact is that of its newest finished deploy: the chart marks its start.
    let deployed_at = cell.last.as_ref().map(|d| d.started_at);
    impact_lines(ctx, room, cell.impact.as_ref(), deployed_at, &mut lines);
    if let Freshness::Stale { as_of, reason } = &cell.freshness {
        let as_of = as_of.map_or("an unknown time".to_string(), |t| when(ctx, t));
        lines.push(Line::from(Span::styled(
            format!(
                "  {} last known state, read {as_of}: {reason}",
                ctx.theme.glyphs.stale
            ),
            ctx.theme.style(Role::Stale),
        )));
    }
    if let Some(lock) = &cell.breach {
        lines.push(Line::from(Span::styled(
            format!(
                "  {} lock breach: this deploy started while {} was locked by {} — {}",
                ctx.theme.glyphs.breach,
                lock.scope.label(),
                lock.by,
                lock.reason
            ),
            ctx.theme.style(Role::Breach),
        )));
    }
    lines.push(Line::raw(""));
    if cell.locks.is_empty() {
        lines.push(Line::from(vec![
            label(ctx, "Locks"),
            Span::styled("open: no lock on this cell", ctx.theme.style(Role::Ok)),
        ]));
    } else {
        lines.push(heading(ctx, format!("Locks ({})", cell.locks.len())));
        lines.extend(cell.locks.iter().map(|l| lock_line(ctx, l)));
    }
    let previous = ctx
        .model
        .catalog
        .previous_environment(environment)
        .map(|e| e.name.clone());
    match (cell.behind, previous) {
        (Some(behind), Some(prev)) => {
            lines.push(Line::from(vec![
                label(ctx, "Drift"),
                Span::styled(
                    format!(
                        "{behind} {} behind {prev}",
                        if behind == 1 { "commit" } else { "commits" }
                    ),
                    ctx.theme
                        .style(if behind > 0 { Role::Warning } else { Role::Ok }),
                ),
            ]));
            for c in &cell.drift_commits {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {} ", crate::model::short_sha(&c.sha)),
                        ctx.theme.style(Role::Accent),
                    ),
                    Span::styled(format!("{:<10} ", c.author), ctx.theme.style(Role::Muted)),
                    Span::raw(c.message.clone()),
                ]));
            }
        }
        (_, None) => lines.push(Line::from(vec![
            label(ctx, "Drift"),
            Span::styled(
                "none: this environment follows no other",
                ctx.theme.style(Role::Muted),
            ),
        ])),
        (None, Some(prev)) => lines.push(Line::from(vec![
            label(ctx, "Drift"),
            Span::styled(
                format!("unknown against {prev}"),
                ctx.theme.style(Role::Muted),
            ),
        ])),
    }
    if let Some(d) = cell.in_flight.as_ref().or(cell.last.as_ref()) {
        history_lines(ctx, d, &mut lines);
    }
    (title, lines)
}
