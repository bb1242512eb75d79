//! The detail view: everything known about one cell, one deploy or one lock — commit, author,
//! timestamps, status history, impact figures, locks and drift.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

mod cell;
mod impact;

use super::Ctx;
use crate::model::{Deployment, Impact, Lock};
use crate::present::words::holder;
use crate::present::{format, layout};
use crate::state::DetailTarget;
use crate::theme::Role;
use cell::cell_lines;
use impact::{Room, impact_lines};

/// Draws the detail of `target` over `area`; returns how far it can scroll.
pub fn render(ctx: &Ctx, target: &DetailTarget, area: Rect, buf: &mut Buffer) -> u16 {
    let rect = layout::centered(area, 110, 40);
    let room = Room {
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    };
    let (title, lines) = match target {
        DetailTarget::Cell {
            service,
            environment,
        } => cell_lines(ctx, room, service, environment),
        DetailTarget::Deploy { source, id } => deploy_lines(ctx, room, source, id),
        DetailTarget::Lock { scope } => lock_lines(ctx, scope),
    };
    super::render_overlay(ctx, &format!("{title} — esc to go back"), lines, rect, buf)
}

fn label<'a>(ctx: &Ctx, text: &'a str) -> Span<'a> {
    Span::styled(format!("{text:<13}"), ctx.theme.style(Role::Muted))
}

fn heading<'a>(ctx: &Ctx, text: impl Into<String>) -> Line<'a> {
    Line::from(Span::styled(
        text.into(),
        ctx.theme.style(Role::Title).add_modifier(Modifier::BOLD),
    ))
}

fn when(ctx: &Ctx, t: chrono::DateTime<chrono::Utc>) -> String {
    let step = ctx.model.settings.age_step_secs();
    format!(
        "{} ({} ago)",
        format::timestamp(t, ctx.offset),
        format::age(format::since(ctx.model.now, t), step)
    )
}

/// One line about a deployment: status, version, commit, author, time.
fn deploy_summary<'a>(ctx: &Ctx, name: &'a str, d: &Deployment) -> Line<'a> {
    let (glyph, role) = format::status_mark(d.status, ctx.theme.glyphs);
    let at = d.finished_at.unwrap_or(d.started_at);
    Line::from(vec![
        label(ctx, name),
        Span::styled(
            format!("{glyph} {} ", d.status.label()),
            ctx.theme.style(role),
        ),
        Span::styled(
            d.short_version().to_string(),
            ctx.theme.style(Role::Text).add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "  commit {}  by {}  {}",
                crate::model::short_sha(&d.commit),
                d.author,
                when(ctx, at)
            ),
            ctx.theme.style(Role::Text),
        ),
    ])
}

fn lock_line(ctx: &Ctx, lock: &Lock) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("  {} {}", ctx.theme.glyphs.lock, lock.scope.label()),
            ctx.theme.style(Role::Locked),
        ),
        Span::styled(
            format!(" — {} — ", lock.reason),
            ctx.theme.style(Role::Text),
        ),
        Span::styled(
            format!(
                "{}, since {}, {}",
                holder(lock),
                format::timestamp(lock.since, ctx.offset),
                format::lifts_at(lock.until, ctx.model.now, ctx.offset)
            ),
            ctx.theme.style(Role::Muted),
        ),
    ])
}

fn history_lines(ctx: &Ctx, d: &Deployment, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::raw(""));
    lines.push(heading(ctx, format!("History of {}", d.short_version())));
    for change in &d.history {
        let (glyph, role) = format::status_mark(change.status, ctx.theme.glyphs);
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {}  ", format::timestamp(change.at, ctx.offset)),
                ctx.theme.style(Role::Muted),
            ),
            Span::styled(
                format!("{glyph} {:<12}", change.status.label()),
                ctx.theme.style(role),
            ),
            Span::styled(change.note.clone(), ctx.theme.style(Role::Text)),
        ]));
    }
}

fn find_deploy<'a>(
    ctx: &'a Ctx,
    source: &str,
    id: &str,
) -> Option<(&'a Deployment, Option<&'a Impact>)> {
    let board = &ctx.model.board;
    board
        .in_flight
        .iter()
        .map(|d| (&**d, None))
        .chain(board.recent.iter().map(|(d, i)| (&**d, i.as_ref())))
        .find(|(d, _)| d.source == source && d.id == id)
}

fn deploy_lines(ctx: &Ctx, room: Room, source: &str, id: &str) -> (String, Vec<Line<'static>>) {
    let Some((d, impact)) = find_deploy(ctx, source, id) else {
        return (
            format!("deploy {id}"),
            vec![Line::raw("this deploy is no longer in the recent history")],
        );
    };
    let title = format!("{} → {} · {}", d.service, d.environment, d.short_version());
    let mut lines = vec![deploy_summary(ctx, "Status", d)];
    lines.push(Line::from(vec![
        label(ctx, "Commit"),
        Span::raw(d.commit.clone()),
    ]));
    lines.push(Line::from(vec![
        label(ctx, "Change"),
        Span::raw(d.description.clone()),
    ]));
    lines.push(Line::from(vec![
        label(ctx, "Started"),
        Span::raw(when(ctx, d.started_at)),
    ]));
    match d.finished_at {
        Some(f) => lines.push(Line::from(vec![
            label(ctx, "Finished"),
            Span::raw(format!(
                "{}, took {}",
                when(ctx, f),
                format::span(f - d.started_at)
            )),
        ])),
        None => {
            let stage = d.stage_label();
            let progress = d
                .progress
                .map_or(String::new(), |p| format!(" ({:.0}%)", p * 100.0));
            lines.push(Line::from(vec![
                label(ctx, "Stage"),
                Span::styled(
                    format!("{stage}{progress}"),
                    ctx.theme.style(Role::InProgress),
                ),
            ]));
        }
    }
    lines.push(Line::from(vec![
        label(ctx, "Source"),
        Span::raw(format!("{} (id {})", d.source, d.id)),
    ]));
    if let Some(url) = &d.url {
        lines.push(Line::from(vec![label(ctx, "Link"), Span::raw(url.clone())]));
    }
    if !d.status.is_in_flight() {
        impact_lines(ctx, room, impact, Some(d.started_at), &mut lines);
    }
    history_lines(ctx, d, &mut lines);
    (title, lines)
}

fn lock_lines(ctx: &Ctx, scope: &str) -> (String, Vec<Line<'static>>) {
    let locks: Vec<&Lock> = ctx
        .model
        .board
        .locks
        .iter()
        .filter(|l| l.scope.label() == scope)
        .collect();
    let mut lines = Vec::new();
    if locks.is_empty() {
        lines.push(Line::raw("this lock has lifted"));
    }
    for lock in locks {
        lines.push(Line::from(vec![
            label(ctx, "Scope"),
            Span::styled(lock.scope.label(), ctx.theme.style(Role::Locked)),
        ]));
        lines.push(Line::from(vec![
            label(ctx, "Reason"),
            Span::raw(lock.reason.clone()),
        ]));
        lines.push(Line::from(vec![
            label(ctx, "By"),
            Span::raw(format!("{} ({})", lock.by, lock.origin.label())),
        ]));
        lines.push(Line::from(vec![
            label(ctx, "Since"),
            Span::raw(when(ctx, lock.since)),
        ]));
        let until = lock
            .until
            .map_or("until someone lifts it".to_string(), |u| {
                format!(
                    "{} — {}",
                    format::timestamp(u, ctx.offset),
                    format::lifts(Some(u), ctx.model.now)
                )
            });
        lines.push(Line::from(vec![label(ctx, "Until"), Span::raw(until)]));
        lines.push(Line::raw(""));
    }
    (format!("lock on {scope}"), lines)
}
