//! The recent-deploys panel: finished deploys, newest first, with status, impact and age.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::widgets::columns;
use super::{Ctx, list_panel};
use crate::present::format;
use crate::present::rows::visible_entries;
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner`.
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let board = &ctx.model.board;
    let shown = visible_entries(
        board,
        &ctx.model.manual_locks.history,
        ctx.ui,
        Panel::Recent,
    );
    let recent: Vec<&(
        std::sync::Arc<crate::model::Deployment>,
        Option<crate::model::Impact>,
    )> = shown.iter().map(|&i| &board.recent[i]).collect();
    let theme = ctx.theme;
    let step = ctx.model.settings.age_step_secs();
    let shape = (recent.len(), ctx.ui.recent_selected);
    // A column for the breach mark only while a listed deploy has one.
    let breach_w = if recent.iter().any(|(d, _)| board.breach_of(d).is_some()) {
        2
    } else {
        0
    };
    list_panel(
        ctx,
        Panel::Recent,
        inner,
        buf,
        shape,
        &super::empty_list(ctx, "no deploys yet", "no deploy matches the filter"),
        |buf, i, y, row_style| {
            let (d, impact) = recent[i];
            let (glyph, role) = format::status_mark(d.status, theme.glyphs);
            let (verdict_glyph, verdict_role, verdict) = match impact {
                Some(impact) => {
                    let (g, r) = format::verdict_mark(impact.verdict, theme.glyphs);
                    (g, r, impact.verdict.label())
                }
                None => (theme.glyphs.no_data, Role::Muted, ""),
            };
            let impact_text = format!("{verdict_glyph} {verdict}");
            let age = format::age(
                format::since(ctx.model.now, d.finished_at.unwrap_or(d.started_at)),
                step,
            );
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
                    (&impact_text, 12, theme.style(verdict_role)),
                    (&age, 0, theme.style(Role::Muted)),
                ],
                row_style,
            );
        },
    );
}
