//! The in-flight panel: deploys queued or in progress, with who started them, how long ago,
//! and their stage or progress.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::widgets::{columns, progress_bar};
use super::{Ctx, list_panel};
use crate::present::format;
use crate::present::rows::visible_entries;
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner` (the caller draws the border and title).
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let board = &ctx.model.board;
    let shown = visible_entries(
        board,
        &ctx.model.manual_locks.history,
        ctx.ui,
        Panel::InFlight,
    );
    let deploys: Vec<&crate::model::Deployment> =
        shown.iter().map(|&i| &*board.in_flight[i]).collect();
    let theme = ctx.theme;
    let step = ctx.model.settings.age_step_secs();
    let shape = (deploys.len(), ctx.ui.in_flight_selected);
    // A column for the breach mark only while a listed deploy has one.
    let breach_w = if deploys.iter().any(|d| board.breach_of(d).is_some()) {
        2
    } else {
        0
    };
    list_panel(
        ctx,
        Panel::InFlight,
        inner,
        buf,
        shape,
        &super::empty_list(
            ctx,
            "nothing deploying",
            "nothing deploying that matches the filter",
        ),
        |buf, i, y, row_style| {
            let d = deploys[i];
            let (glyph, role) = format::status_mark(d.status, theme.glyphs);
            let elapsed = format::elapsed(
                format::since_in_steps(ctx.model.now, d.started_at, step),
                step,
            );
            let stage = d.stage_label();
            let progress = match d.progress {
                Some(p) if inner.width >= 70 => format!("{} {stage}", progress_bar(p, 12)),
                Some(p) => format!("{:.0}% {stage}", p * 100.0),
                None => stage.to_string(),
            };
            let breach = match board.breach_of(d) {
                Some(_) => theme.glyphs.breach,
                None => "",
            };
            columns(
                buf,
                inner,
                y,
                &[
                    (glyph, 2, theme.style(role)),
                    (breach, breach_w, theme.style(Role::Breach)),
                    (&d.service, 15, theme.style(Role::Text)),
                    (&d.environment, 11, theme.style(Role::Accent)),
                    (d.short_version(), 10, theme.style(Role::Text)),
                    (&d.author, 9, theme.style(Role::Muted)),
                    (&elapsed, 7, theme.style(Role::Muted)),
                    (&progress, 0, theme.style(Role::InProgress)),
                ],
                row_style,
            );
        },
    );
}
