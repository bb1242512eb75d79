//! The in-flight panel: deploys queued or in progress, with who started them, how long ago,
//! and their stage or progress.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::widgets::{columns, progress_bar};
use super::{Ctx, format, list_window, selection_style};
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner` (the caller draws the border and title).
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let deploys = &ctx.model.board.in_flight;
    let theme = ctx.theme;
    if deploys.is_empty() {
        columns(
            buf,
            inner,
            inner.y,
            &[("nothing deploying", 0, theme.style(Role::Muted))],
            None,
        );
        return;
    }
    let step = ctx.model.age_step.0.as_secs() as i64;
    let (first, rows) = list_window(ctx.ui.in_flight_selected, deploys.len(), inner.height);
    for (i, d) in deploys.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + (i - first) as u16;
        let (glyph, role) = format::status_mark(d.status, theme.glyphs);
        let elapsed = format::elapsed(
            format::since_in_steps(ctx.model.now, d.started_at, step),
            step,
        );
        let stage = d
            .stage
            .clone()
            .unwrap_or_else(|| d.status.label().to_string());
        let progress = match d.progress {
            Some(p) if inner.width >= 70 => format!("{} {stage}", progress_bar(p, 12)),
            Some(p) => format!("{:.0}% {stage}", p * 100.0),
            None => stage,
        };
        let row_style = selection_style(ctx, Panel::InFlight, i == ctx.ui.in_flight_selected);
        columns(
            buf,
            inner,
            y,
            &[
                (glyph, 2, theme.style(role)),
                (&d.service, 15, theme.style(Role::Text)),
                (&d.environment, 11, theme.style(Role::Accent)),
                (d.short_version(), 10, theme.style(Role::Text)),
                (&d.author, 9, theme.style(Role::Muted)),
                (&elapsed, 7, theme.style(Role::Muted)),
                (&progress, 0, theme.style(Role::InProgress)),
            ],
            row_style,
        );
    }
}
